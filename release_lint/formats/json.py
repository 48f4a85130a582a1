"""Machine-readable output. The keys below are stable: later versions add keys, never rename them.

``{"tool": "release-lint", "version", "root", "findings": [{"code", "name", "severity", "area",
"message", "path", "line", "fix"}], "counts": {"error", "warning", "info"}, "internal_errors": [...],
"notes": [...]}`` — ``path`` is relative POSIX or null for repository-level findings; ``line`` an
integer or null.
"""

from __future__ import annotations

import json

from release_lint import __version__
from release_lint.findings import Result
from release_lint.formats._inert import inert_json


def to_document(result: Result) -> dict:
    document = {
        "tool": "release-lint",
        "version": __version__,
        "root": result.root,
        "findings": [finding.to_dict() for finding in result.findings],
        "counts": result.counts(),
        "internal_errors": [{"code": e.code, "name": e.name, "error": e.error} for e in result.internal_errors],
        "notes": list(result.notes),
    }
    if "openness" in result.extra:
        document["openness"] = result.extra["openness"]
    document.update(result.extra.get("json", {}))
    return document


def render(result: Result, **_options) -> str:
    # Exact data; the characters json.dumps would leave raw for a terminal (C1, bidi) as \u escapes.
    return inert_json(json.dumps(to_document(result), indent=2, ensure_ascii=False)) + "\n"
