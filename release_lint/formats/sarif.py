"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``).

- ``tool.driver.rules`` holds every rule that ran, not only those that fired, so ``ruleIndex``
  is stable and code scanning can close an alert when its rule stops finding it. Each rule has a
  ``precision``; ART002 (code run on load) and ART007 (a committed credential) also carry a
  ``security-severity`` and the ``security`` tag, so code scanning ranks them as security alerts.
- Locations are URI references relative to ``%SRCROOT%``, the root of the git repository (the
  linted folder outside git), so a run on a subfolder (``release-lint models/pebble``) still names
  the files as the repository does; each path segment is percent-encoded (``my%20model.pkl``,
  ``weights%231.pkl``). Findings on a file without a line get ``startLine: 1``.
- Repository-level findings (no path) are anchored on line 1 of the model card (else README.md,
  else pyproject.toml) — the file a reader opens first, which is where the fix usually goes.
  With none of them in the release they are anchored on ``README.md`` itself, the file the
  fix for an empty release would create. Their message says that they concern the repository.
- ``partialFingerprints`` are hashed from (rule code, path, finding key), never the line, so an
  alert survives edits that move lines and re-runs never duplicate it.
- No ``automationDetails`` unless ``--sarif-category`` names one: a fixed id would override the
  ``category`` of ``upload-sarif`` and make two uploads replace each other's alerts.
- GitHub refuses a run with more than 25,000 results. Results are ordered most severe first (a
  file and line before a file, before the repository); beyond MERGE_AFTER results of one rule, the
  rest are merged into one result that lists them; if the run still holds more than MAX_RESULTS,
  the least severe are cut. A run-level notification says what was merged or cut.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple
from urllib.parse import quote

from release_lint import __version__
from release_lint.findings import Finding, Result
from release_lint.formats._inert import inert_json
from release_lint.formats.github import slot_order
from release_lint.gitcalls import run_git
from release_lint.registry import get_rule
from release_lint.ruledocs import rule_markdown

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/release-lint/release-lint"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}
DEFAULT_ANCHOR = "README.md"
MAX_DESCRIPTION = 1024  # GitHub's limit for short and full descriptions
MAX_RESULTS = 25_000  # GitHub rejects a run with more results whole
MERGE_AFTER = 100  # results of one rule shown one by one; the rest become one merged result
MERGED_LISTED = 20  # paths a merged result names in its message
# How often a finding of the rule is a true problem (GitHub's `precision`): "very-high" where the
# finding is a fact read from the files (a missing file, a parse error, a pickle opcode), "medium"
# where it rests on recognising prose (training details in a card), "high" for everything else.
PRECISION_VERY_HIGH = frozenset({
    "LIC001", "LIC008", "CARD001", "CARD002", "CARD008", "CARD009", "ART001", "ART002", "ART003", "ART008",
    "REL001", "REL005", "ENV001",
})
PRECISION_MEDIUM = frozenset({
    "LIC007", "LIC009", "LIC010", "LIC011", "DATA002", "DATA003", "DATA004", "DATA005", "DATA006",
    "TRAIN003", "TRAIN004", "TRAIN005", "TRAIN007", "TRAIN008", "HW002", "HW003", "HW004", "HW005", "HW006",
    "ENV003", "ENV004", "CARD004", "CARD005", "CARD006", "ART006", "COMM002", "REL004",
})
# Security rules (GitHub: over 9.0 critical, 7.0-8.9 high): loading a pickle that imports a callable
# runs code on the loader's machine; a committed credential gives its holder's access to anyone.
SECURITY_SEVERITY = {"ART002": "9.3", "ART007": "8.8"}


def precision(code: str) -> str:
    return "very-high" if code in PRECISION_VERY_HIGH else "medium" if code in PRECISION_MEDIUM else "high"


def _clip(text: str, limit: int = MAX_DESCRIPTION) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fingerprint(finding: Finding) -> str:
    """Stable across runs and line moves: the rule, the path and the rule's logical key."""
    return _hash(finding.code, finding.path or "", finding.key or finding.path or ".")


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:16]


def rule_descriptor(rule, severity: str) -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _clip(rule.summary)},
        "fullDescription": {"text": _clip(rule.rationale)},
        "help": {"text": f"{rule.fix}\n\nDocumentation: {rule.doc_url}", "markdown": rule_markdown(rule)},
        "helpUri": rule.doc_url,
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": _rule_properties(rule, severity),
    }


def _rule_properties(rule, severity: str) -> dict:
    properties = {"tags": ["release-lint", rule.area], "precision": precision(rule.code),
                  "problem.severity": PROBLEM_SEVERITY[severity]}
    if rule.code in SECURITY_SEVERITY:
        properties["tags"].append("security")
        properties["security-severity"] = SECURITY_SEVERITY[rule.code]
    return properties


def uri_reference(path: str) -> str:
    """A relative path as a URI reference: every segment percent-encoded (space, ``#``, ``?``, ``%``,
    ``:`` and non-ASCII included), so ``%41.pkl`` stays itself instead of decoding to ``A.pkl``."""
    return quote(path, safe="/", errors="surrogateescape")


def repository_root(root: str) -> Tuple[str, str]:
    """(the git repository's top folder, the linted folder relative to it as ``a/b/`` or ``""``);
    outside git, (root, "")."""
    real = os.path.realpath(root)
    top = run_git(real, "rev-parse", "--show-toplevel") if os.path.isdir(real) else None
    if not top:
        return real, ""
    top_path = os.path.realpath(os.fsdecode(top.rstrip(b"\n")))
    relative = os.path.relpath(real, top_path)
    if relative == "." or relative.startswith(".."):
        return (top_path, "") if relative == "." else (real, "")
    return top_path, relative.replace(os.sep, "/") + "/"


def _location(finding: Finding, anchor: str, prefix: str = "") -> dict:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": uri_reference(prefix + (finding.path or anchor)), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": finding.line or 1},
        }
    }


def _result(finding: Finding, index: int, anchor: str, prefix: str = "", merged: Optional[List[Finding]] = None) -> dict:
    """The result of *finding*; with *merged* (the findings of its rule beyond the threshold, *finding*
    first), one result standing for them all, whose fingerprint stays the same as the list changes."""
    message = finding.message
    if finding.path is None:
        message += f" (This concerns the repository as a whole; it is shown on {anchor}.)"
    fingerprints = {
        "primaryLocationLineHash": fingerprint(finding) + ":1",
        "releaseLint/v1": f"{finding.code}:{finding.path or ''}:{finding.key or ''}",
    }
    if merged:
        listed = ", ".join(f.path or "." for f in merged[:MERGED_LISTED])
        more = f" and {len(merged) - MERGED_LISTED} more" if len(merged) > MERGED_LISTED else ""
        message = (f"{len(merged)} findings of {finding.code} merged into one result (--format json lists each): "
                   f"{listed}{more}. The first: {message}")
        fingerprints = {"primaryLocationLineHash": _hash(finding.code, "", "merged") + ":1",
                        "releaseLint/v1": f"{finding.code}::merged"}
    if finding.fix:
        message += "\nFix: " + finding.fix.splitlines()[0]
    return {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": message},
        "locations": [_location(finding, anchor, prefix)],
        "partialFingerprints": fingerprints,
    }


def _rules_for(result: Result, rules: Optional[Iterable]) -> List:
    chosen = list(rules) if rules is not None else [get_rule(code) for code in result.rules_run]
    chosen = [r for r in chosen if r is not None]
    known = {r.code for r in chosen}
    for finding in result.findings:  # a finding always has its rule in the list
        if finding.code not in known:
            found = get_rule(finding.code)
            if found is not None:
                chosen.append(found)
                known.add(found.code)
    return chosen


def select_results(findings: Iterable[Finding], max_results: int = MAX_RESULTS,
                   merge_after: int = MERGE_AFTER) -> Tuple[List[Tuple[Finding, Optional[List[Finding]]]], List[str]]:
    """The results to write, most severe first, as (finding, the findings merged into it or None),
    and sentences saying what was merged or cut."""
    per_rule: Dict[str, List[Finding]] = {}
    for finding in sorted(findings, key=slot_order):
        per_rule.setdefault(finding.code, []).append(finding)
    entries: List[Tuple[Finding, Optional[List[Finding]]]] = []
    said: List[str] = []
    for code, group in per_rule.items():
        if len(group) <= merge_after:
            entries += [(finding, None) for finding in group]
            continue
        shown, rest = group[: merge_after - 1], group[merge_after - 1 :]
        entries += [(finding, None) for finding in shown] + [(rest[0], rest)]
        said.append(f"{code}: {len(group)} findings; the first {len(shown)} are results of their own, the other "
                    f"{len(rest)} are merged into one result (--format json lists every finding).")
    entries.sort(key=lambda entry: slot_order(entry[0]))
    if len(entries) > max_results:
        cut: Dict[str, int] = {}
        for finding, merged in entries[max_results:]:
            cut[finding.code] = cut.get(finding.code, 0) + (len(merged) if merged else 1)
        entries = entries[:max_results]
        listed = ", ".join(f"{code} ({count})" for code, count in cut.items())
        said.append(f"{sum(cut.values())} findings were left out to keep the run at GitHub's limit of "
                    f"{MAX_RESULTS} results, the least severe first: {listed} (--format json lists every finding).")
    return entries, said


def to_document(result: Result, *, rules: Optional[Iterable] = None, config=None, anchor: Optional[str] = None,
                category: Optional[str] = None, max_results: int = MAX_RESULTS) -> dict:
    chosen = _rules_for(result, rules)
    index = {r.code: i for i, r in enumerate(chosen)}
    anchor = anchor or result.extra.get("anchor") or DEFAULT_ANCHOR
    top, prefix = repository_root(result.root)
    entries, said = select_results([f for f in result.findings if f.code in index], max_results)
    notifications = [
        {"level": "error", "message": {"text": f"internal error in rule {e.code} ({e.name}): {e.error}"},
         "descriptor": {"id": e.code}}
        for e in result.internal_errors
    ]
    notifications += [{"level": "warning", "message": {"text": text}, "descriptor": {"id": "results-limited"}}
                      for text in said]
    run = {
        "tool": {
            "driver": {
                "name": "release-lint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(r, config.severity_of(r) if config is not None else r.severity) for r in chosen],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(top).as_uri().rstrip("/") + "/"}},
        "invocations": [{"executionSuccessful": not result.internal_errors, "toolExecutionNotifications": notifications}],
        "results": [_result(f, index[f.code], anchor, prefix, merged) for f, merged in entries],
    }
    if category:  # upload-sarif reads the category from here: "category/" (the run id left empty)
        run["automationDetails"] = {"id": category if category.endswith("/") else category + "/"}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: Result, *, rules: Optional[Iterable] = None, config=None, anchor: Optional[str] = None,
           sarif_category: Optional[str] = None, **_options) -> str:
    document = to_document(result, rules=rules, config=config, anchor=anchor, category=sarif_category)
    return inert_json(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
