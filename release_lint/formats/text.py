"""Human-readable output: ``path:line: CODE [severity] message`` with the fix under it."""

from __future__ import annotations

from release_lint.findings import Result

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def location(finding) -> str:
    if finding.path is None:
        return "."
    return f"{finding.path}:{finding.line}" if finding.line else finding.path


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"


def summary_line(result: Result) -> str:
    counts = result.counts()
    total = len(result.findings)
    if not total:
        return "All checks passed: no findings."
    parts = ", ".join(_plural(counts[s], s) for s in ("error", "warning", "info"))
    return f"Found {_plural(total, 'finding')}: {parts}."


def render(result: Result, *, color: bool = False, quiet: bool = False, show_fix: bool = True, **_options) -> str:
    def paint(text: str, style: str) -> str:
        return f"{style}{text}{RESET}" if color else text

    out = []
    for finding in result.findings:
        severity = paint(f"[{finding.severity}]", COLORS[finding.severity])
        out.append(f"{paint(location(finding), BOLD)}: {paint(finding.code, BOLD)} {severity} {finding.message}")
        if show_fix and finding.fix and not quiet:
            out.append(paint(f"  fix: {finding.fix.splitlines()[0]}", DIM))  # the full fix is in --explain
    if not quiet:
        if result.findings:
            out.append("")
        out.append(summary_line(result))
    return "\n".join(out) + ("\n" if out else "")
