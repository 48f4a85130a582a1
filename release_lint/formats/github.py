"""GitHub Actions workflow commands, one per finding, and the Markdown job summary.

``::error file=README.md,line=3,title=CARD002 model-card-sections::message`` — ``error``,
``warning`` or ``notice`` by severity. Escaping follows the runner: in the message ``%``, CR and
LF; in property values also ``:`` and ``,``. Escaping also keeps repository text quoted in a
message from starting a workflow command of its own.

The runner turns only 10 commands of each level per step into annotations. We emit the most
severe findings first, at most 10 per level, then one notice saying how many more there are and
that the job summary lists them all (that notice takes one of the 10 notice slots). Findings
beyond the cap are printed as plain log lines (``log_overflow=True``) unless the text report is
printed anyway (``--format auto`` on Actions).

Within a level, findings on a file and line take the slots first, then findings on a file, then
repository-level findings (no path, e.g. "no licence file"): an annotation shows best on the line
it is about. Repository-level findings are emitted without ``file=``: GitHub shows them on the
run's summary page, not on some file that merely happens to exist.

Nothing the repository contains may speak to the runner: paths and messages are made ``inert``
(control characters shown escaped) before the runner's own escaping, and plain log lines (the
overflow) start with ``release-lint:`` and sit between ``::stop-commands::<random token>`` and
``::<token>::``, so the runner takes no line of them as a command, not even the legacy ``##[...]``
form it still finds anywhere in a line.
"""

from __future__ import annotations

import secrets
from typing import List

from release_lint.findings import SEVERITY_RANK, Finding, Result
from release_lint.formats import markdown as md
from release_lint.formats._inert import inert
from release_lint.formats.text import location, summary_line

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
ANNOTATIONS_PER_LEVEL = 10  # actions/runner ExecutionContext _maxCountPerIssueType
MAX_MESSAGE = 4096  # the runner truncates longer messages
SUMMARY_LIMIT = 1_000_000  # the runner refuses step summaries over 1 MiB; keep a margin


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def stop_commands(text: str) -> str:
    """*text* between ``::stop-commands::TOKEN`` and ``::TOKEN::``: the runner runs no command in it.

    The token is random per block, so text inside cannot guess it and resume command processing.
    """
    if not text:
        return text
    token = f"release-lint-{secrets.token_hex(16)}"
    body = text if text.endswith("\n") else text + "\n"
    return f"::stop-commands::{token}\n{body}::{token}::\n"


def slot_order(finding: Finding):
    """Most severe first; within a severity a file and line, then a file, then the repository."""
    tier = 0 if finding.path and finding.line else 1 if finding.path else 2
    return (-SEVERITY_RANK[finding.severity], tier, finding.sort_key())


def annotation(finding: Finding, with_fix: bool = True) -> str:
    message = inert(finding.message)
    if with_fix and finding.fix:
        message += "\nFix: " + inert(finding.fix.splitlines()[0])
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    return command(
        LEVELS[finding.severity],
        message,
        file=inert(finding.path),
        line=finding.line if finding.path else None,
        title=f"{finding.code} {finding.name}",
    )


def render(result: Result, *, quiet: bool = False, log_overflow: bool = True, **_options) -> str:
    ordered = sorted(result.findings, key=slot_order)
    shown: List[Finding] = []
    overflow: List[Finding] = []
    per_level = {level: 0 for level in LEVELS}
    for finding in ordered:
        if per_level[finding.severity] < ANNOTATIONS_PER_LEVEL:
            per_level[finding.severity] += 1
            shown.append(finding)
        else:
            overflow.append(finding)
    if overflow and per_level["info"] == ANNOTATIONS_PER_LEVEL:
        # The overflow notice needs a notice slot: give back the last info annotation.
        given_back = next(f for f in reversed(shown) if f.severity == "info")
        shown.remove(given_back)
        position = {id(f): i for i, f in enumerate(ordered)}
        overflow = sorted([given_back, *overflow], key=lambda f: position[id(f)])
    out = [annotation(f, with_fix=not quiet) for f in shown]
    if overflow:
        out.append(command(
            "notice",
            f"{len(overflow)} more release-lint findings are not shown as annotations "
            f"(GitHub keeps {ANNOTATIONS_PER_LEVEL} per level and step); the job summary and the log list them all.",
            title="release-lint: more findings",
        ))
        if log_overflow:
            # Plain lines that start with our own words, in a block where the runner runs no command.
            plain = "\n".join(f"release-lint: {location(f)}: {f.code} [{f.severity}] {inert(f.message)}" for f in overflow)
            out.append(stop_commands(plain).rstrip("\n"))
    for error in result.internal_errors:
        out.append(command("error", f"internal error in rule {error.code} ({error.name}): {inert(error.error)}",
                           title="release-lint internal error"))
    if not quiet and log_overflow:
        out.append(summary_line(result))
    return "\n".join(out) + ("\n" if out else "")


def job_summary(result: Result, *, limit: int = SUMMARY_LIMIT) -> str:
    """GitHub-flavoured Markdown for ``$GITHUB_STEP_SUMMARY``: the openness verdict (for a full run),
    then counts and every finding, under *limit* bytes."""
    head = ["## release-lint"]
    if result.extra.get("openness"):  # the verdict first: what a reader of the run wants to know
        head += md.openness_section(result.extra["openness"])
    head += ["", md.headline(result)]
    line = md.baseline_line(result)
    if line:
        head += ["", line]
    if result.findings:
        counts = result.counts()
        head += ["", "| severity | findings |", "|---|---:|"]
        head += [f"| {md.SEVERITY_ICONS[s]} {s} | {counts[s]} |" for s in counts]
        head += [""] + md.area_table(result.findings)
        head += ["", "| severity | rule | location | message |", "|---|---|---|---|"]
    text = "\n".join(head) + "\n"
    used = len(text.encode("utf-8"))
    ordered = sorted(result.findings, key=slot_order)
    for index, finding in enumerate(ordered):
        where = md.location(finding).replace("|", "\\|")  # a pipe would end the table cell, even in code
        row = (
            f"| {md.SEVERITY_ICONS[finding.severity]} {finding.severity} | {md.rule_link(finding)} | "
            f"{where} | {md.escape_text(finding.message)} |\n"
        )
        tail = f"\n… and {len(ordered) - index} more findings (the summary is capped at {limit} bytes; see the log).\n"
        if used + len(row.encode("utf-8")) + len(tail.encode("utf-8")) > limit:
            text += tail
            break
        text += row
        used += len(row.encode("utf-8"))
    for error in result.internal_errors:
        text += f"\n**Internal error** in {error.code} {error.name}: {md.escape_text(error.error)}\n"
    return text


def append_job_summary(result: Result, path: str) -> None:
    """Append the summary to the step-summary file (GitHub concatenates what each step appends)."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(job_summary(result) + "\n")
