"""The rule registry: every rule is one function plus its metadata.

Rule modules live in ``release_lint/rules/`` (one module per area) and register
their rules with the :func:`rule` decorator when imported. ``all_rules()``
imports every module of that package once; listing and explaining rules reads
the same metadata the engine runs, so docs, `--list-rules`, `--explain` and
SARIF can never disagree.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Tuple

from release_lint.findings import SEVERITIES
from release_lint.references import CANONICAL, VARIANTS
from release_lint.repo import Repo

if TYPE_CHECKING:  # the configuration imports the registry (selectors, options): a type here only
    from release_lint.config import Config

# Code prefix -> area. The first five areas are the transparency areas graded by the verdict.
AREAS = {
    "LIC": "licensing",
    "DATA": "data",
    "TRAIN": "recipe",
    "ENV": "environment",
    "HW": "infrastructure",
    "CARD": "card",
    "ART": "artifacts",
    "COMM": "community",
    "REL": "release",
}
CODE_RE = re.compile(r"^(?P<prefix>[A-Z]+)(?P<number>\d{3})$")
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SUMMARY = 200
# A sentence end inside the summary: the summary is one sentence (it is the README table's cell and SARIF's
# shortDescription).
_SENTENCE_END_RE = re.compile(r"[.!?]\s+[A-Z]")
DOCS_URL = "https://github.com/release-lint/release-lint/blob/main/docs/rules.md"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    area: str
    severity: str
    summary: str
    rationale: str
    fix: str
    references: Tuple[str, ...]
    check: Callable
    # Option name -> (type, default); values come from `[tool.release-lint.options.CODE]`.
    options: Dict[str, tuple] = field(default_factory=dict)
    # Rules that need git history (tags, dirty state) are skipped outside a git repository.
    needs_git: bool = False

    @property
    def prefix(self) -> str:
        return CODE_RE.match(self.code).group("prefix")

    @property
    def doc_url(self) -> str:
        return f"{DOCS_URL}#{self.code.lower()}"

    def default_options(self) -> dict:
        return {name: default for name, (_type, default) in self.options.items()}


@dataclass
class Context:
    """What a rule receives: the repository view, the run's configuration and its own options."""

    repo: Repo
    config: Config
    rule: Rule
    options: Dict[str, Any]


_RULES: Dict[str, Rule] = {}
_LOADED = False


def rule(
    *,
    code: str,
    name: str,
    severity: str,
    summary: str,
    rationale: str,
    fix: str,
    references: Iterable[str] = (),
    options: Optional[Dict[str, tuple]] = None,
    needs_git: bool = False,
):
    """Register the decorated function ``check(ctx) -> Iterable[Problem]`` as a rule.

    *fix*: the first line is one complete sentence (the hint printed under each finding);
    further lines may give a concrete example (shown by ``--explain`` and in JSON/SARIF).
    """

    match = CODE_RE.match(code)
    if not match or match.group("prefix") not in AREAS:
        raise ValueError(f"bad rule code {code!r}: a known area prefix ({', '.join(AREAS)}) and three digits")
    if not NAME_RE.match(name):
        raise ValueError(f"rule name must be kebab-case: {name!r}")
    if severity not in SEVERITIES:
        raise ValueError(f"bad severity {severity!r} for {code}")
    check_summary(code, summary)
    references = canonical_references(code, references)

    def register(check: Callable) -> Callable:
        if code in _RULES or any(r.name == name for r in _RULES.values()):
            raise ValueError(f"rule {code} {name} registered twice")
        _RULES[code] = Rule(
            code=code,
            name=name,
            area=AREAS[match.group("prefix")],
            severity=severity,
            summary=summary,
            rationale=rationale,
            fix=fix,
            references=references,
            check=check,
            options=dict(options or {}),
            needs_git=needs_git,
        )
        return check

    return register


def check_summary(code: str, summary: str) -> None:
    """One sentence of at most MAX_SUMMARY characters, ending with a full stop."""
    if not summary or len(summary) > MAX_SUMMARY or not summary.endswith(".") or _SENTENCE_END_RE.search(summary):
        raise ValueError(f"summary of {code} must be one sentence of at most {MAX_SUMMARY} characters ending "
                         f"with a full stop: {summary!r}")


def canonical_references(code: str, references: Iterable[str]) -> Tuple[str, ...]:
    """The references as their canonical URLs; a source missing from ``release_lint.references`` is refused."""
    out = []
    for reference in references:
        reference = VARIANTS.get(reference, reference)
        if not reference.startswith("https://") or reference not in CANONICAL:
            raise ValueError(f"reference of {code} is not an https URL of release_lint/references.py (add the "
                             f"source there once): {reference!r}")
        out.append(reference)
    return tuple(out)


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    # Here, not at the top: rule modules import this module to register (the contract's one declared exception).
    import release_lint.rules as package

    for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
        if not module.startswith("_"):
            importlib.import_module(f"{package.__name__}.{module}")
    _LOADED = True


def all_rules() -> List[Rule]:
    """Every registered rule, ordered by area prefix then number."""
    _load()
    order = list(AREAS)
    return sorted(_RULES.values(), key=lambda r: (order.index(r.prefix), r.code))


def get_rule(code_or_name: str) -> Optional[Rule]:
    _load()
    wanted = code_or_name.strip()
    found = _RULES.get(wanted.upper())
    if found:
        return found
    return next((r for r in _RULES.values() if r.name == wanted.lower()), None)


def selector_matches(selector: str, rule: Rule) -> int:
    """How specifically *selector* names *rule*: 0 no match, higher is more specific.

    A selector is ``ALL``, a code prefix (``LIC``, ``LIC00``), a full code or a rule name.
    """
    sel = selector.strip()
    if sel.upper() == "ALL":
        return 1
    if sel.lower() == rule.name or sel.upper() == rule.code:
        return 100
    if rule.code.startswith(sel.upper()) and sel.isalnum():
        return 1 + len(sel)
    return 0


def is_valid_selector(selector: str) -> bool:
    return any(selector_matches(selector, r) for r in all_rules())


def select_rules(select: Iterable[str], ignore: Iterable[str]) -> List[Rule]:
    """Rules enabled by *select* minus *ignore*; the more specific selector wins (flake8 style).

    ``select=["LIC"], ignore=["LIC003"]`` keeps every LIC rule but LIC003;
    ``select=["LIC003"], ignore=["LIC"]`` keeps only LIC003. On a tie, ignore wins.
    """
    select = list(select) or ["ALL"]
    ignore = list(ignore)
    chosen = []
    for candidate in all_rules():
        best_select = max((selector_matches(s, candidate) for s in select), default=0)
        best_ignore = max((selector_matches(s, candidate) for s in ignore), default=0)
        if best_select and best_select > best_ignore:
            chosen.append(candidate)
    return chosen
