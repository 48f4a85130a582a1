"""Lines the text and Markdown reports share, from the verdict as the JSON report holds it."""

from __future__ import annotations

from typing import List


def area_gaps(area: dict) -> List[str]:
    """Names of the checks an area failed."""
    return [check["check"] for check in area["checks"] if not check["passed"]]


def mof_line(mof: dict) -> str:
    line = mof["class"]
    upcoming = mof.get("next")
    if upcoming:
        line += f"; towards {upcoming['class']}: {upcoming['met']}/{upcoming['required']} required components"
        if upcoming["missing"]:
            line += " (missing or not openly licensed: " + ", ".join(upcoming["missing"]) + ")"
    return line
