"""Human-readable output.

The default (``text``) is a report a person reads in one screen: errors first, then warnings, then
info; within each, findings grouped by area, one line per finding of at most ``WIDTH`` characters,
several findings of one rule folded into one line; then the openness verdict and a one-line summary.
``full`` (also ``--verbose``) prints every finding as ``path:line: CODE [severity] message`` with its
fix hint under it.

Paths, messages and verdict details may quote the repository, so each goes through ``inert``:
one finding is one line, and nothing in it reaches the terminal as a control sequence.
"""

from __future__ import annotations

import re
import textwrap
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from release_lint.findings import SEVERITIES, Finding, Result
from release_lint.formats._inert import inert
from release_lint.openness.presentation import area_gaps, mof_line

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"
WIDTH = 100  # characters per line of the default report
AREA_ORDER = ("licensing", "data", "recipe", "environment", "infrastructure", "card", "artifacts", "community",
              "release")
HEADINGS = {"error": "Errors", "warning": "Warnings", "info": "Info"}

Paint = Callable[[str, str], str]


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


def render(result: Result, *, color: bool = False, quiet: bool = False, show_fix: bool = True, full: bool = False,
           **_options) -> str:
    def paint(text: str, style: str) -> str:
        return f"{style}{text}{RESET}" if color else text

    if not full:
        return _render_concise(result, paint, quiet)
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


# --- the one-screen report ------------------------------------------------------------------------------

# How a message says where it looked; the concise line keeps what is missing, `--verbose` keeps the rest.
_LOOKED_RE = re.compile(r"\s*(?:[:;,]\s*|\()(?:looked|searched) (?:for|in)\b.*$", re.IGNORECASE | re.DOTALL)
_LIST_PAREN_RE = re.compile(r" \([^()]*[,/][^()]*\)")  # "(DATA_CARD.md, DATASHEET.md, ...)": examples
_PAREN_RE = re.compile(r" \([^()]*\)")  # any aside, dropped last: "datasets (Hub ids of ...); language"


def brief(message: str, width: int) -> str:
    """*message* in at most *width* characters: where-we-looked tails dropped, then example lists in
    parentheses, then other asides in parentheses, then cut at a word with an ellipsis."""
    text = " ".join(message.split())
    if len(text) <= width:
        return text
    text = _LOOKED_RE.sub("", text)
    for aside in (_LIST_PAREN_RE, _PAREN_RE):
        if len(text) > width:
            text = aside.sub("", text)
    if len(text) <= width:
        return text
    cut = text[: width - 3]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:(") + "..."


def _common_words(messages: Sequence[str]) -> Tuple[List[str], List[str]]:
    """The words every message starts with and ends with (not overlapping)."""
    split = [m.split() for m in messages]
    shortest = min(len(words) for words in split)
    prefix = 0
    while prefix < shortest and all(words[prefix] == split[0][prefix] for words in split):
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and all(words[-1 - suffix] == split[0][-1 - suffix] for words in split):
        suffix += 1
    return split[0][:prefix], split[0][len(split[0]) - suffix :] if suffix else []


def fold(findings: Sequence[Finding], path: Optional[str] = None) -> str:
    """One message for several findings of one rule: the shared words once, then what differs.

    Six CARD004 "no X section in README.md" become "no ... section in README.md: citation, evaluation".
    """
    messages = [_LOOKED_RE.sub("", _without_path(f)) for f in findings]
    if path:  # the line starts with the path: "no X section in README.md" says it twice
        messages = [m[: -len(f" in {path}")] if m.endswith(f" in {path}") else m for m in messages]
    unique = list(dict.fromkeys(messages))
    if len(unique) == 1:
        return unique[0]
    prefix, suffix = _common_words(unique)
    if not prefix and not suffix:
        return "; ".join(unique)
    middles = [" ".join(m.split()[len(prefix) : len(m.split()) - len(suffix)]) for m in unique]
    shared = " ".join([*prefix, "...", *suffix])
    return f"{shared}: {', '.join(m for m in middles if m)}"


def _groups(findings: Sequence[Finding]) -> List[Tuple[str, str, List[Finding]]]:
    """(severity, area, findings of one rule) in report order: severity, area, then code."""
    by_rule: Dict[Tuple[str, str, str], List[Finding]] = {}
    for finding in findings:
        by_rule.setdefault((finding.severity, finding.area, finding.code), []).append(finding)

    def order(key: Tuple[str, str, str]):
        severity, area, code = key
        area_rank = AREA_ORDER.index(area) if area in AREA_ORDER else len(AREA_ORDER)
        return (SEVERITIES.index(severity), area_rank, area, code)

    return [(key[0], key[1], by_rule[key]) for key in sorted(by_rule, key=order)]


def _without_path(finding: Finding) -> str:
    """The message without a leading copy of the finding's path ("README.md front matter lacks ...")."""
    message, path = " ".join(finding.message.split()), finding.path
    if path and message.startswith(path) and message[len(path) : len(path) + 1] in (":", " "):
        return message[len(path) + 1 :].lstrip()
    return message


def _entries(findings: List[Finding]) -> List[Tuple[Optional[str], str, bool]]:
    """(where, text, folded) for the lines of one rule's findings: one entry when they fold, else one each.

    Findings in one file fold into "path:line,line: shared ... words: what differs"; the same message
    in several files folds into "message: file, file"; different messages in different files stay apart.
    """
    if len(findings) == 1:
        finding = findings[0]
        return [(None if finding.path is None else location(finding), _without_path(finding), False)]
    paths = list(dict.fromkeys(f.path for f in findings))
    if len(paths) == 1:
        lines = sorted({f.line for f in findings if f.line})
        where = None if paths[0] is None else paths[0] + (":" + ",".join(map(str, lines)) if lines else "")
        return [(where, fold(findings, paths[0]), True)]
    messages = list(dict.fromkeys(_LOOKED_RE.sub("", _without_path(f)) for f in findings))
    if len(messages) == 1:
        return [(None, f"{messages[0]}: {', '.join(location(f) for f in findings)}", True)]
    return [entry for finding in findings for entry in _entries([finding])]


def _finding_lines(severity: str, area: str, findings: List[Finding], paint: Paint, area_width: int,
                   show_area: bool) -> List[str]:
    out: List[str] = []
    for where, text, folded in _entries(findings):
        lead = f"  {(area if show_area and not out else ''):<{area_width}}  {findings[0].code:<9}"
        room = WIDTH - len(lead) - 1
        text = inert((f"{where}: " if where else "") + (f"({len(findings)}) " if folded else "") + text)
        if not folded:
            out.append(f"{lead} {brief(text, room)}")
            continue
        # A folded line lists what differs; it may continue on indented lines rather than lose items.
        wrapped = textwrap.wrap(text, room, break_on_hyphens=False) or [""]
        out.append(f"{lead} {wrapped[0]}")
        rest = textwrap.wrap(" ".join(wrapped[1:]), room - 2, break_on_hyphens=False)
        out += [f"{' ' * len(lead)}   {line}" for line in rest]
    return out


def _openness_brief(openness: dict, paint: Paint) -> List[str]:
    grades = ", ".join(f"{name} {paint(area['grade'], GRADE_COLORS[area['grade']])}"
                       for name, area in openness["areas"].items())
    out = [f"{paint('Openness', BOLD)}: {grades}"]
    osaid = openness["osaid"]
    unmet = [r["requirement"] for r in osaid.get("requirements", ()) if not r["met"]]
    # The reasons of each unmet requirement are the findings above: name the requirements only.
    verdict = f"{osaid['verdict'].split(':')[0]} (not met: {', '.join(unmet)})" if unmet else osaid["verdict"]
    for label, text in (("Model Openness Framework", mof_line(openness["mof"])),
                        ("OSI Open Source AI Definition", verdict)):
        out += textwrap.wrap(f"{label}: {inert(text)}", WIDTH - 2, initial_indent="  ", subsequent_indent="    ",
                             break_on_hyphens=False)
    return out


def _render_concise(result: Result, paint: Paint, quiet: bool) -> str:
    out: List[str] = []
    groups = _groups(result.findings)
    area_width = max((len(area) for _s, area, _f in groups), default=0)
    counts = result.counts()
    previous: Tuple[str, str] = ("", "")
    for severity, area, findings in groups:
        if severity != previous[0]:
            out.append(paint(f"{HEADINGS[severity]} ({counts[severity]})", BOLD + COLORS[severity]))
        out += _finding_lines(severity, area, findings, paint, area_width, (severity, area) != previous)
        previous = (severity, area)
    if quiet:
        return "\n".join(out) + ("\n" if out else "")
    openness = result.extra.get("openness")
    if openness:
        out += _openness_brief(openness, paint)
    if result.findings:
        out.append("Fix hints: --verbose (or --output-format full); a rule in full: --explain CODE.")
    out.append(paint(summary_line(result), BOLD) if result.findings else summary_line(result))
    return "\n".join(out) + "\n"
