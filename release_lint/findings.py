"""Severities, findings and the result of a run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Tuple

from release_lint.credentials import redact

SEVERITIES = ("error", "warning", "info")
# Higher is more severe; `--fail-on` compares against this.
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


def printable(text: Optional[str]) -> Optional[str]:
    """*text* safe to print and to encode as UTF-8.

    File names that are not valid UTF-8 reach us with their bad bytes as lone surrogates
    (``os.fsdecode``); written to a UTF-8 stream they would crash the run. Such a byte is shown
    as ``\\xff`` instead, as ``repr`` would.
    """
    if text is None:
        return None
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def finding_key(path: Optional[str], *parts: object) -> str:
    """A finding's stable key (baselines, SARIF fingerprints): its path (``.`` for the repository), then what
    tells it from the rule's other findings there, ``#``-separated: ``finding_key("README.md", "link:docs/a.md")``
    is ``README.md#link:docs/a.md``.

    Parts name what the finding is about (a field, a link target, a licence id, quoted repository text) and never
    the message: rewording a message must not turn a baselined finding into a new one. No line number either.
    """
    return "#".join([path or ".", *(str(part) for part in parts)])


@dataclass(frozen=True)
class Problem:
    """What a rule reports: the engine adds the rule's metadata to make a Finding.

    ``key`` is a stable logical key (not the line number) used by baselines and
    SARIF fingerprints, built with :func:`finding_key`; the engine makes it the path when a rule gives none.
    """

    message: str
    path: Optional[str] = None
    line: Optional[int] = None
    fix: Optional[str] = None
    key: Optional[str] = None
    # A lower severity for a weaker case of the rule (ART002: an unknown import rather than a known
    # gadget); used only while the rule's severity is not configured.
    severity: Optional[str] = None


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: str
    area: str
    message: str
    path: Optional[str] = None  # relative POSIX path, None for repository-level findings
    line: Optional[int] = None  # 1-based
    fix: Optional[str] = None
    key: Optional[str] = None

    def __post_init__(self) -> None:
        # Masking is a property of the output: a credential any rule quotes is masked here, once.
        for name in ("message", "path", "fix", "key"):
            value = getattr(self, name)
            safe = redact(printable(value))
            if safe is not value:
                object.__setattr__(self, name, safe)

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.severity]

    def sort_key(self) -> Tuple[str, int, str, str]:
        return (self.path or "", self.line or 0, self.code, self.message)

    def to_dict(self) -> Dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "area": self.area,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class InternalError:
    """A rule that raised: reported, and the run exits 2 after the other rules ran."""

    code: str
    name: str
    error: str
    traceback: str = ""


@dataclass
class Result:
    root: str
    findings: List[Finding] = field(default_factory=list)
    internal_errors: List[InternalError] = field(default_factory=list)
    # Things the reader should know that are not findings (unreadable files, skipped git rules...).
    notes: List[str] = field(default_factory=list)
    rules_run: List[str] = field(default_factory=list)
    timings: Dict[str, float] = field(default_factory=dict)  # rule code -> seconds
    # Each rule's raw problems before severity and suppression: the verdict reuses them.
    problems: Dict[str, List[Problem]] = field(default_factory=dict)
    extra: Dict[str, Any] = field(default_factory=dict)  # room for later sections of the report (e.g. openness)

    def __post_init__(self) -> None:
        self.root = printable(self.root) or self.root

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def counts(self) -> Dict[str, int]:
        counts = {severity: 0 for severity in SEVERITIES}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def exit_code(self, fail_on: str = "warning", exit_zero: bool = False) -> int:
        if self.internal_errors:
            return 2
        if exit_zero:
            return 0
        threshold = SEVERITY_RANK[fail_on]
        return 1 if any(f.rank >= threshold for f in self.findings) else 0
