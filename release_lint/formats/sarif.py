"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``).

- ``tool.driver.rules`` holds every rule that ran, not only those that fired, so ``ruleIndex``
  is stable and code scanning can close an alert when its rule stops finding it.
- Locations are relative to ``%SRCROOT%`` (the linted root). Findings on a file without a line
  get ``startLine: 1``.
- Repository-level findings (no path) are anchored on line 1 of the model card (else README.md,
  else pyproject.toml) — the file a reader opens first, which is where the fix usually goes.
  With none of them in the release they are anchored on ``README.md`` itself, the file the
  fix for an empty release would create. Their message says that they concern the repository.
- ``partialFingerprints`` are hashed from (rule code, path, finding key), never the line, so an
  alert survives edits that move lines and re-runs never duplicate it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterable, List, Optional

from release_lint import __version__
from release_lint.findings import Finding, Result
from release_lint.ruledocs import rule_markdown

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/release-lint/release-lint"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}
DEFAULT_ANCHOR = "README.md"
MAX_DESCRIPTION = 1024  # GitHub's limit for short and full descriptions


def _clip(text: str, limit: int = MAX_DESCRIPTION) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fingerprint(finding: Finding) -> str:
    """Stable across runs and line moves: the rule, the path and the rule's logical key."""
    material = "\0".join((finding.code, finding.path or "", finding.key or finding.path or "."))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


def rule_descriptor(rule, severity: str) -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _clip(rule.summary)},
        "fullDescription": {"text": _clip(rule.rationale)},
        "help": {"text": f"{rule.fix}\n\nDocumentation: {rule.doc_url}", "markdown": rule_markdown(rule)},
        "helpUri": rule.doc_url,
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"tags": ["release-lint", rule.area], "problem.severity": PROBLEM_SEVERITY[severity]},
    }


def _location(finding: Finding, anchor: str) -> dict:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": finding.path or anchor, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": finding.line or 1},
        }
    }


def _result(finding: Finding, index: int, anchor: str) -> dict:
    message = finding.message
    if finding.path is None:
        message += f" (This concerns the repository as a whole; it is shown on {anchor}.)"
    if finding.fix:
        message += "\nFix: " + finding.fix.splitlines()[0]
    return {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": message},
        "locations": [_location(finding, anchor)],
        "partialFingerprints": {
            "primaryLocationLineHash": fingerprint(finding) + ":1",
            "releaseLint/v1": f"{finding.code}:{finding.path or ''}:{finding.key or ''}",
        },
    }


def _rules_for(result: Result, rules: Optional[Iterable]) -> List:
    from release_lint.registry import get_rule

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


def to_document(result: Result, *, rules: Optional[Iterable] = None, config=None, anchor: Optional[str] = None) -> dict:
    chosen = _rules_for(result, rules)
    index = {r.code: i for i, r in enumerate(chosen)}
    anchor = anchor or result.extra.get("anchor") or DEFAULT_ANCHOR
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
        "automationDetails": {"id": "release-lint/"},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(result.root).resolve().as_uri().rstrip("/") + "/"}},
        "invocations": [
            {
                "executionSuccessful": not result.internal_errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": f"internal error in rule {e.code} ({e.name}): {e.error}"},
                     "descriptor": {"id": e.code}}
                    for e in result.internal_errors
                ],
            }
        ],
        "results": [_result(f, index[f.code], anchor) for f in result.findings if f.code in index],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: Result, *, rules: Optional[Iterable] = None, config=None, anchor: Optional[str] = None, **_options) -> str:
    return json.dumps(to_document(result, rules=rules, config=config, anchor=anchor), indent=2, ensure_ascii=False) + "\n"
