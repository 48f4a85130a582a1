"""Human-readable output: ``path:line: CODE [severity] message`` with the fix under it.

Paths, messages and verdict details may quote the repository, so each goes through ``inert``:
one finding is one line, and nothing in it reaches the terminal as a control sequence.
"""

from __future__ import annotations

from release_lint.findings import Result
from release_lint.formats._inert import inert

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def location(finding) -> str:
    if finding.path is None:
        return "."
    path = inert(finding.path)
    return f"{path}:{finding.line}" if finding.line else path


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"


def summary_line(result: Result) -> str:
    counts = result.counts()
    total = len(result.findings)
    if not total:
        return "All checks passed: no findings."
    parts = ", ".join(_plural(counts[s], s) for s in ("error", "warning", "info"))
    return f"Found {_plural(total, 'finding')}: {parts}."


GRADE_COLORS = {"present": "\033[32m", "partial": "\033[33m", "absent": "\033[31m"}


def openness_lines(openness: dict, paint) -> list:
    """The verdict after the findings: one line per area, then the MOF class and the OSAID verdict."""
    from release_lint.verdict import area_gaps, mof_line

    out = [paint("Openness", BOLD)]
    for name, area in openness["areas"].items():
        gaps = area_gaps(area)
        detail = f"  missing: {inert(', '.join(gaps))}" if gaps and area["grade"] != "absent" else ""
        grade = area["grade"]
        padding = " " * (8 - len(grade))
        out.append(f"  {name:<15} {paint(grade, GRADE_COLORS[grade])}{padding + detail if detail else ''}")
    out.append(f"  Model Openness Framework: {inert(mof_line(openness['mof']))}")
    out.append(f"  OSI Open Source AI Definition: {inert(openness['osaid']['verdict'])}")
    return out


def render(result: Result, *, color: bool = False, quiet: bool = False, show_fix: bool = True, **_options) -> str:
    def paint(text: str, style: str) -> str:
        return f"{style}{text}{RESET}" if color else text

    out = []
    for finding in result.findings:
        severity = paint(f"[{finding.severity}]", COLORS[finding.severity])
        out.append(f"{paint(location(finding), BOLD)}: {paint(finding.code, BOLD)} {severity} {inert(finding.message)}")
        if show_fix and finding.fix and not quiet:
            out.append(paint(f"  fix: {inert(finding.fix.splitlines()[0])}", DIM))  # the full fix is in --explain
    if not quiet:
        if result.findings:
            out.append("")
        openness = result.extra.get("openness")
        if openness:
            out += openness_lines(openness, paint) + [""]
        out.append(summary_line(result))
    return "\n".join(out) + ("\n" if out else "")
