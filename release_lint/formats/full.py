"""Every finding with its fix hint (``--output-format full``, or ``--verbose`` with the text format)."""

from __future__ import annotations

from release_lint.findings import Result
from release_lint.formats import text


def render(result: Result, **options) -> str:
    return text.render(result, **{**options, "full": True})
