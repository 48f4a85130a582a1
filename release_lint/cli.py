"""Command line: parse options, call ``api.lint``, print, exit. Nothing about rules lives here.

Exit codes (as ruff and flake8): 0 nothing at or above the fail level, 1 findings at or
above it, 2 a usage, configuration or internal error.
"""

from __future__ import annotations

import os
import sys
import textwrap
from typing import Optional, Tuple

import click

from release_lint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: Tuple[str, ...]) -> Optional[Tuple[str, ...]]:
    """Repeatable and comma-separated: ``--select LIC --select CARD001,DATA``."""
    if not values:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _fail(message: str) -> None:
    from release_lint.credentials import redact

    click.echo(f"release-lint: error: {redact(message)}", err=True)
    sys.exit(EXIT_ERROR)


def _format_names():
    from release_lint.formats import available

    return available()


def _list_rules() -> str:
    from release_lint.registry import all_rules

    rows = [(r.code, r.name, r.area, r.severity, r.summary) for r in all_rules()]
    widths = [max(len(row[i]) for row in rows) for i in range(4)] if rows else [0] * 4
    return "\n".join(
        f"{code:<{widths[0]}}  {name:<{widths[1]}}  {area:<{widths[2]}}  {sev:<{widths[3]}}  {summary}"
        for code, name, area, sev, summary in rows
    ) + "\n"


def _list_profiles() -> str:
    from release_lint.verdict import PROFILES, profile_severities

    out = []
    for name, (description, _codes) in PROFILES.items():
        out += [name, textwrap.indent(textwrap.fill(description, 84), "  "),
                "  errors: " + ", ".join(sorted(profile_severities(name))), ""]
    out.append("Use: release-lint --profile NAME, or profile = \"NAME\" in the configuration.")
    return "\n".join(out) + "\n"


def explain_text(rule) -> str:
    wrap = lambda text: "\n".join(textwrap.fill(p, 88) for p in text.split("\n"))  # noqa: E731
    parts = [
        f"{rule.code} {rule.name}",
        f"Area: {rule.area}    Default severity: {rule.severity}",
        "",
        rule.summary,
        "",
        "Why it matters:",
        textwrap.indent(wrap(rule.rationale), "  "),
        "",
        "How to fix:",
        textwrap.indent(rule.fix, "  "),
    ]
    if rule.options:
        parts += ["", "Options ([tool.release-lint.options." + rule.code + "]):"]
        parts += [f"  {name} = {default!r}  ({typ.__name__})" for name, (typ, default) in rule.options.items()]
    if rule.references:
        parts += ["", "References:"] + [f"  - {ref}" for ref in rule.references]
    parts += ["", f"Suppress one occurrence with a comment on its line or the line before: release-lint: disable={rule.code}"]
    return "\n".join(parts) + "\n"


def _emit(result, output_format: str, output_file: Optional[str], config, *, color: bool, quiet: bool) -> bool:
    """Print (and write) the report; True when the console got the text report.

    ``auto`` is ``github`` on GitHub Actions (``GITHUB_ACTIONS=true``), else ``text``; on Actions the
    console then shows the annotations followed by the text report. With ``--output-file`` the file
    gets the chosen format and the console shows what ``auto`` would. Whenever GitHub annotations
    are produced and ``GITHUB_STEP_SUMMARY`` is set, the Markdown job summary is appended to it.
    """
    from release_lint.formats import render

    on_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    chosen = ("github" if on_actions else "text") if output_format == "auto" else output_format
    options = {"quiet": quiet, "config": config}
    if output_file:
        try:
            with open(output_file, "w", encoding="utf-8") as handle:
                handle.write(render(chosen, result, color=False, **options))
        except OSError as exc:
            _fail(f"{output_file}: cannot write the report ({exc.strerror or exc})")
        console = ["text"] if chosen == "github" or not on_actions else ["github", "text"]
    elif output_format == "auto" and on_actions:
        console = ["github", "text"]
    else:
        console = [chosen]
    for name in console:
        extra = {"log_overflow": False} if name == "github" and "text" in console else {}
        click.echo(render(name, result, color=color, **options, **extra), nl=False)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file and (chosen == "github" or "github" in console):
        from release_lint.formats.github import append_job_summary

        try:
            append_job_summary(result, summary_file)
        except OSError as exc:
            click.echo(f"release-lint: note: cannot append the job summary to {summary_file} ({exc})", err=True)
    return "text" in console


def _ignored_text(config) -> str:
    from release_lint.config import ignored_rules

    ignored = ignored_rules(config)
    if not ignored:
        return "Ignored rules: none.\n"
    lines = [f"Ignored rules ({len(ignored)}):"]
    for found, selector, reason in ignored:
        because = reason if reason else "no reason given"
        lines.append(f"  {found.code} {found.name}: {because} (ignored by {selector!r})")
    return "\n".join(lines) + "\n"


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=str), required=False)
@click.option("--format", "output_format", default="auto", show_default=True, metavar="FORMAT",
              help="Output format: auto (GitHub annotations plus text when GITHUB_ACTIONS=true, else text), "
                   "text, json, github, sarif, markdown, mof (Model Openness Tool self-assessment).")
@click.option("--output-file", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Write the chosen format to FILE; the console still shows the text report.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Report only findings not recorded in this baseline file (default: `baseline` in config).")
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Record today's findings (rule, path, key) in FILE and exit 0.")
@click.option("--show-ignored", is_flag=True, help="Also list the rules the configuration ignores, with the reasons given.")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rules: codes, prefixes (LIC) or names; repeatable, comma-separated.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules: codes, prefixes or names; repeatable, comma-separated.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1 (default: warning, or the configured value).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (errors still exit 2).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Configuration file (default: .release-lint.toml, else [tool.release-lint] in pyproject.toml).")
@click.option("--rev", default=None, metavar="REV",
              help="Lint the tree of this tag, branch or commit straight from git, without checking it out.")
@click.option("--profile", default=None, metavar="PROFILE",
              help="Gate on an openness target: the rules it requires become errors (see --list-profiles).")
@click.option("--list-profiles", is_flag=True, help="List the openness profiles and the rules each makes errors, and exit.")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option("--explain", metavar="RULE", default=None, help="Show the full documentation of a rule (code or name) and exit.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only: no fix hints, no summary.")
@click.option("--verbose", "-v", is_flag=True, help="Also say which rules were skipped and why.")
@click.option("--statistics", is_flag=True, help="After the findings, print the time each rule took.")
@click.option("--no-color", is_flag=True, help="No colours (also when NO_COLOR is set).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.version_option(__version__, "--version", prog_name="release-lint", message="%(prog)s %(version)s")
def main(path, output_format,
         output_file, baseline_file, write_baseline, show_ignored,
         select, ignore, fail_on, exit_zero, config_file, rev, profile, list_profiles, list_rules, explain, quiet,
         verbose, statistics, no_color, debug):
    """Lint the model repository at PATH (default: the current folder) before a release."""
    if list_rules:
        click.echo(_list_rules(), nl=False)
        return
    if list_profiles:
        click.echo(_list_profiles(), nl=False)
        return
    if explain:
        from release_lint.registry import get_rule

        found = get_rule(explain)
        if found is None:
            _fail(f"unknown rule {explain!r} (see --list-rules)")
        click.echo(explain_text(found), nl=False)
        return
    if output_format != "auto" and output_format not in _format_names():
        _fail(f"unknown format {output_format!r} (choose from: auto, {', '.join(_format_names())})")

    from release_lint.api import lint
    from release_lint.config import ConfigError, check_profile, load_config
    from release_lint.repo import RepoError

    try:
        config = load_config(path, config_file)
        config = config.with_overrides(fail_on=fail_on, profile=profile and check_profile("--profile", profile))
        baseline = "" if write_baseline else baseline_file  # writing one starts from every finding
        result = lint(path, config=config, select=_split(select), ignore=_split(ignore), baseline=baseline, rev=rev,
                      verdict=True if output_format == "mof" else None)
        config = config.with_overrides(select=_split(select), ignore=_split(ignore))
        if write_baseline:
            from release_lint.baseline import write_baseline as write

            written = write(result, write_baseline)
    except (ConfigError, RepoError) as exc:
        _fail(str(exc))
    except Exception as exc:  # never a traceback for the user unless asked
        if debug:
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")

    if write_baseline:
        click.echo(f"release-lint: wrote {written} finding{'' if written == 1 else 's'} to the baseline {write_baseline}", err=True)
        sys.exit(EXIT_ERROR if result.internal_errors else EXIT_CLEAN)

    color = not no_color and not os.environ.get("NO_COLOR") and sys.stdout.isatty()
    console_text = _emit(result, output_format, output_file, config, color=color, quiet=quiet)
    if show_ignored:
        click.echo(_ignored_text(config), nl=False, err=not console_text)

    if not quiet:
        for note in result.notes:
            click.echo(f"release-lint: note: {note}", err=True)
        if verbose:
            for skipped in result.extra.get("skipped", []):
                click.echo(f"release-lint: skipped {skipped}", err=True)
    if statistics:
        for code, seconds in sorted(result.timings.items(), key=lambda item: -item[1]):
            click.echo(f"{seconds * 1000:8.1f} ms  {code}", err=True)
    for error in result.internal_errors:
        click.echo(f"release-lint: internal error in rule {error.code} ({error.name}): {error.error}", err=True)
        if debug:
            click.echo(error.traceback, err=True)
    sys.exit(result.exit_code(config.fail_on, exit_zero))
