"""A Markdown report for pull-request comments and release notes.

Summary counts, then the findings grouped by area with the fix hint under each, then the rules
the configuration ignores (with their reasons). The helpers here also build the GitHub job
summary (``formats/github.py``), so both read the same way.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, List, Optional

from release_lint.config import ignored_rules
from release_lint.findings import SEVERITIES, Finding, Result
from release_lint.formats._inert import inert
from release_lint.openness.presentation import area_gaps, mof_line
from release_lint.registry import get_rule

SEVERITY_ICONS = {"error": "🔴", "warning": "🟡", "info": "🔵"}


def escape_text(text: str) -> str:
    """Text from findings (which may quote repository files) as inert inline Markdown."""
    text = inert(" ".join(text.split()))  # no newline may end a table row or a list item; no escape sequence
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*_[]|#":
        text = text.replace(char, "\\" + char)
    return text


def doc_url(code: str) -> Optional[str]:
    found = get_rule(code)
    return found.doc_url if found else None


def rule_link(finding: Finding) -> str:
    url = doc_url(finding.code)
    label = f"{finding.code} {finding.name}"
    return f"[{label}]({url})" if url else label


def location(finding: Finding) -> str:
    if finding.path is None:
        return "(repository)"
    path = inert(finding.path)
    where = f"{path}:{finding.line}" if finding.line else path
    return "`" + where.replace("`", "'") + "`"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"


def headline(result: Result) -> str:
    if not result.findings:
        return "No findings: every rule that ran passed."
    counts = result.counts()
    parts = ", ".join(plural(counts[s], s) for s in SEVERITIES)
    return f"{plural(len(result.findings), 'finding')}: {parts}."


def area_table(findings: Iterable[Finding]) -> List[str]:
    """Counts by area (rows) and severity (columns)."""
    per_area = Counter((f.area, f.severity) for f in findings)
    areas = sorted({area for area, _ in per_area})
    if not areas:
        return []
    rows = ["| area | " + " | ".join(SEVERITIES) + " | total |", "|---|" + "---:|" * (len(SEVERITIES) + 1)]
    for area in areas:
        cells = [per_area[(area, s)] for s in SEVERITIES]
        rows.append(f"| {area} | " + " | ".join(str(c) for c in cells) + f" | {sum(cells)} |")
    return rows


def baseline_line(result: Result) -> Optional[str]:
    info = result.extra.get("baseline")
    if not info:
        return None
    entries = "entry" if info["stale"] == 1 else "entries"
    shown = inert(info["file"]).replace("`", "'")
    return (
        f"Baseline `{shown}`: {plural(info['hidden'], 'known finding')} hidden, "
        f"{info['stale']} baseline {entries} no longer found."
    )


def openness_section(openness: dict) -> List[str]:
    """The verdict: a table of area grades, the MOF class and the OSAID verdict."""
    out = ["", "### Openness", "", "| area | grade | missing |", "|---|---|---|"]
    for name, area in openness["areas"].items():
        out.append(f"| {name} | {area['grade']} | {escape_text(', '.join(area_gaps(area))) or '-'} |")
    out += ["", f"**Model Openness Framework:** {escape_text(mof_line(openness['mof']))}",
            "", f"**OSI Open Source AI Definition:** {escape_text(openness['osaid']['verdict'])}"]
    return out


def ignored_section(config) -> List[str]:
    if config is None:
        return []
    ignored = ignored_rules(config)
    if not ignored:
        return []
    out = ["", "### Rules ignored by configuration", ""]
    for found, selector, reason in ignored:
        shown = inert(selector).replace("`", "'")
        out.append(f"- **{found.code}** {found.name} (`{shown}`): {escape_text(reason) if reason else 'no reason given'}")
    return out


def render(result: Result, *, config=None, quiet: bool = False, **_options) -> str:
    out = ["## release-lint report", "", headline(result)]
    line = baseline_line(result)
    if line:
        out += ["", line]
    if result.findings:
        out += [""] + area_table(result.findings)
    if result.extra.get("openness"):
        out += openness_section(result.extra["openness"])
    by_area = {}
    for finding in sorted(result.findings, key=lambda f: (f.area, -f.rank, f.sort_key())):
        by_area.setdefault(finding.area, []).append(finding)
    for area, findings in by_area.items():
        out += ["", f"### {area.capitalize()} ({len(findings)})", ""]
        for finding in findings:
            out.append(
                f"- {SEVERITY_ICONS[finding.severity]} **{finding.severity}** {rule_link(finding)} "
                f"at {location(finding)}: {escape_text(finding.message)}"
            )
            if finding.fix and not quiet:
                out.append(f"  - Fix: {escape_text(finding.fix.splitlines()[0])}")
    if result.internal_errors:
        out += ["", "### Internal errors", ""]
        out += [f"- {e.code} {e.name}: {escape_text(e.error)}" for e in result.internal_errors]
    if not quiet:
        out += ignored_section(config)
    return "\n".join(out) + "\n"
