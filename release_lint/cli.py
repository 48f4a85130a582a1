"""Command line: parse options, call ``api.lint``, print, exit. Nothing about rules lives here.

Exit codes (as ruff and flake8): 0 nothing at or above the fail level, 1 findings at or
above it, 2 a usage, configuration or internal error.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import sys
import textwrap
from collections import Counter
from typing import Optional, Tuple

import click

from release_lint import __version__

# The package's own modules are imported inside the functions that use them: `--version`, `--help` and shell
# completion must answer without loading the rules, the detectors and GitPython.

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: Tuple[str, ...]) -> Optional[Tuple[str, ...]]:
    """Repeatable and comma-separated: ``--select LIC --select CARD001,DATA``."""
    if not values:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _fail(message: str) -> None:
    from release_lint.credentials import redact

    _stderr(f"release-lint: error: {redact(message)}")
    sys.exit(EXIT_ERROR)


def _stderr(line: str) -> None:
    """A line of ours on stderr that may quote the repository (a note naming a file): shown inert, so
    neither a terminal nor the GitHub runner (which reads stderr too) takes any of it for a command."""
    from release_lint.formats._inert import inert

    click.echo(inert(line), err=True)


def _format_names():
    from release_lint.formats import available

    return available()


# `--format` choices (shell completion lists them); the format modules are found without importing them.
FORMAT_CHOICES = ["auto", *_format_names()]
# Formats a person reads on the console; the others are exports.
TEXT_FORMATS = ("text", "full")


def _list_rules(as_json: bool = False) -> str:
    from release_lint.registry import all_rules

    if as_json:
        rules = [{"code": r.code, "name": r.name, "area": r.area, "severity": r.severity, "summary": r.summary}
                 for r in all_rules()]
        return json.dumps(rules, indent=2) + "\n"
    rows = [(r.code, r.name, r.area, r.severity, r.summary) for r in all_rules()]
    widths = [max(len(row[i]) for row in rows) for i in range(4)] if rows else [0] * 4
    return "\n".join(
        f"{code:<{widths[0]}}  {name:<{widths[1]}}  {area:<{widths[2]}}  {sev:<{widths[3]}}  {summary}"
        for code, name, area, sev, summary in rows
    ) + "\n"


def _list_profiles() -> str:
    from release_lint.profiles import PROFILES, profile_severities

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


def _emit(result, output_format: str, output_file: Optional[str], config, *, color: bool, quiet: bool,
          full: bool = False, **format_options) -> bool:
    """Print (and write) the report; True when the console got the text report.

    ``auto`` is ``github`` on GitHub Actions (``GITHUB_ACTIONS=true``), else ``text``; on Actions the
    console then shows the annotations followed by the text report. With ``--output-file`` the file
    gets the chosen format and the console shows what ``auto`` would. Whenever GitHub annotations
    are produced and ``GITHUB_STEP_SUMMARY`` is set, the Markdown job summary is appended to it.
    """
    from release_lint.formats import render

    on_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    chosen = ("github" if on_actions else "text") if output_format == "auto" else output_format
    options = {"quiet": quiet, "config": config, "full": full, **format_options}
    if output_file:
        try:
            with open(output_file, "w", encoding="utf-8") as handle:
                handle.write(render(chosen, result, color=False, **options))
        except OSError as exc:
            _fail(f"{output_file}: cannot write the report ({exc.strerror or exc})")
        console = ["text"] if chosen in ("github", *TEXT_FORMATS) or not on_actions else ["github", "text"]
    elif output_format == "auto" and on_actions:
        console = ["github", "text"]
    else:
        console = [chosen]
    for name in console:
        extra = {"log_overflow": False} if name == "github" and "text" in console else {}
        rendered = render(name, result, color=color, **options, **extra)
        if on_actions and name in TEXT_FORMATS:  # its lines start with paths: none may be taken for a workflow command
            from release_lint.formats.github import stop_commands

            rendered = stop_commands(rendered)
        click.echo(rendered, nl=False, color=color or None)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file and (chosen == "github" or "github" in console):
        from release_lint.formats.github import append_job_summary

        try:
            append_job_summary(result, summary_file)
        except OSError as exc:
            _stderr(f"release-lint: note: cannot append the job summary to {summary_file} ({exc})")
    return any(name in TEXT_FORMATS for name in console)


def gated_snapshot(rev: Optional[str], staged: bool) -> Tuple[Optional[str], bool]:
    """What a hook gates, as (rev, staged): under pre-commit (``PRE_COMMIT=1``) the pushed ref at
    pre-push (``PRE_COMMIT_TO_REF``, else the local ref of a push with nothing on the remote yet),
    else the index being committed: never the work tree, whose untracked files are not released.
    An explicit ``--rev`` or ``--staged`` wins."""
    if rev is not None or staged or os.environ.get("PRE_COMMIT") != "1":
        return rev, staged
    pushed = os.environ.get("PRE_COMMIT_TO_REF") or os.environ.get("PRE_COMMIT_LOCAL_BRANCH")
    return (pushed, False) if pushed else (None, True)


def _statistics(result) -> str:
    """Findings per rule, most first (as ``ruff --statistics``)."""
    counts = Counter(f.code for f in result.findings)
    first: dict = {}
    for finding in result.findings:
        first.setdefault(finding.code, finding)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = max((len(str(n)) for _c, n in rows), default=1)
    return "".join(f"{n:>{width}}  {code:<9} {first[code].name:<34} [{first[code].severity}]\n" for code, n in rows)


def use_color(choice: str, stream) -> bool:
    """``--color``: always / never, or auto: NO_COLOR off, else FORCE_COLOR on, else TERM=dumb off, else a terminal."""
    if choice in ("always", "never"):
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return stream.isatty()


def _settings_text(root: str, config) -> str:
    """``--show-settings``: the release root, the configuration file and every resolved setting."""
    def value(item) -> str:
        return "none" if item is None else json.dumps(item, sort_keys=True)

    source = config.source or "none (defaults)"
    lines = [f"root: {root}", f"configuration: {source}", "settings:"]
    settings = [
        ("select", list(config.select) or ["ALL"]), ("ignore", list(config.ignore)),
        ("ignore-reasons", dict(config.ignore_reasons)), ("fail-on", config.fail_on), ("profile", config.profile),
        ("exclude", list(config.exclude)), ("severity", dict(config.severity)), ("options", dict(config.options)),
        ("max-read-bytes", config.max_read_bytes), ("baseline", config.baseline), ("root", config.root),
    ]
    lines += [f"  {name} = {value(item)}" for name, item in settings]
    from release_lint.formats._inert import inert

    return "\n".join(inert(line) for line in lines) + "\n"  # the root's path may hold any character


def resolve_root(path: Optional[str], root_option: Optional[str], config_file: Optional[str]):
    """The release root and its configuration: ``--root``, else found from PATH (or the current folder)
    as git finds its top level; a configured ``root`` then names a sub-folder release."""
    from release_lint.config import ConfigError, load_config
    from release_lint.discovery import find_root

    if root_option is not None:
        if path is not None:
            raise ConfigError("give PATH or --root, not both (--root is the release; PATH is where to look for it)")
        root = os.path.abspath(root_option)
        if not os.path.isdir(root):
            raise ConfigError(f"--root {root_option}: not a directory")
        return root, load_config(root, config_file)
    start = path if path is not None else "."
    if not os.path.isdir(start):
        return start, load_config(start, config_file)  # Repo reports the bad path
    root = find_root(start)
    config = load_config(root, config_file)
    if config.root and config.source and os.path.dirname(os.path.abspath(config.source)) == root:
        if not os.path.isdir(config.root):
            raise ConfigError(f"{config.source}: root {config.root!r} is not a directory")
        root = config.root
        config = load_config(root, config_file)
    return root, config


def _ignored_text(config) -> str:
    from release_lint.config import ignored_rules

    ignored = ignored_rules(config)
    if not ignored:
        return "Ignored rules: none.\n"
    lines = [f"Ignored rules ({len(ignored)}):"]
    for found, selector, reason in ignored:
        because = reason if reason else "no reason given"
        lines.append(f"  {found.code} {found.name}: {because} (ignored by {selector!r})")
    from release_lint.formats._inert import inert

    return "\n".join(inert(line) for line in lines) + "\n"  # reasons come from the repository's config


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("path", default=None, type=click.Path(file_okay=False, path_type=str), required=False)
@click.option("--root", "root_option", type=click.Path(file_okay=False, path_type=str), default=None,
              help="The release's root folder, e.g. one model of a monorepo (default: found from PATH or the "
                   "current folder: the git top level, or the nearest folder with a model card or configuration).")
@click.option("--format", "--output-format", "output_format", default="auto", show_default=True,
              type=click.Choice(FORMAT_CHOICES),
              help="auto (GitHub annotations plus text when GITHUB_ACTIONS=true, else text), text (one screen), "
                   "full (every finding with its fix), json, github, sarif, markdown, mof (Model Openness Tool), "
                   "cyclonedx (CycloneDX ML-BOM), spdx3 (SPDX 3.0.1 AI and Dataset profiles).")
@click.option("--cyclonedx-version", type=click.Choice(["1.6", "1.7"]), default="1.6", show_default=True,
              help="CycloneDX specification version of --format cyclonedx (1.7 adds citations: each value's file and line).")
@click.option("--output-file", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Write the chosen format to FILE; the console still shows the text report.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Report only findings not recorded in this baseline file (default: `baseline` in config).")
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Record today's findings (rule, path, key) in FILE and exit 0.")
@click.option("--show-ignored", is_flag=True, help="Also list the rules the configuration ignores, with the reasons given.")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rules: codes, prefixes (LIC) or names; repeatable, comma-separated.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules: codes, prefixes or names; repeatable, comma-separated.")
@click.option("--extend-select", multiple=True, metavar="RULES", help="Add these rules to the selected ones (configured or --select).")
@click.option("--extend-ignore", multiple=True, metavar="RULES",
              help="Skip these rules as well as the configured ignores (whose reasons are kept).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1 (default: warning, or the configured value).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (errors still exit 2).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Configuration file (default: .release-lint.toml, else [tool.release-lint] in pyproject.toml, "
                   "at the root or above it up to the git top level).")
@click.option("--show-settings", is_flag=True, help="Print the release root, the configuration file used and the resolved settings, and exit.")
@click.option("--rev", default=None, metavar="REV",
              help="Lint the tree of this tag, branch or commit straight from git, without checking it out.")
@click.option("--staged", is_flag=True,
              help="Lint what git's index holds (the next commit), not the work tree; the default under pre-commit.")
@click.option("--sarif-category", default=None, metavar="CATEGORY",
              help="SARIF automationDetails category, to tell several uploads to code scanning apart.")
@click.option("--profile", default=None, metavar="PROFILE",
              help="Gate on an openness target: the rules it requires become errors (see --list-profiles).")
@click.option("--list-profiles", is_flag=True, help="List the openness profiles and the rules each makes errors, and exit.")
@click.option("--list-rules", is_flag=True, help="List every rule and exit (as JSON with --format json).")
@click.option("--explain", metavar="RULE", default=None, help="Show the full documentation of a rule (code or name) and exit.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only: no fix hints, no summary.")
@click.option("--verbose", "-v", is_flag=True,
              help="Every finding with its fix hint (as --format full), and which rules were skipped and why.")
@click.option("--statistics", is_flag=True, help="Print the number of findings of each rule instead of the report.")
@click.option("--timings", is_flag=True, help="After the report, print the time each rule took (on stderr).")
@click.option("--color", "color_choice", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colours: auto is on for a terminal, off with NO_COLOR or TERM=dumb, on with FORCE_COLOR.")
@click.option("--no-color", is_flag=True, help="Same as --color never.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.version_option(__version__, "--version", prog_name="release-lint", message="%(prog)s %(version)s")
def main(path, root_option, output_format, cyclonedx_version,
         output_file, baseline_file, write_baseline, show_ignored,
         select, ignore, extend_select, extend_ignore, fail_on, exit_zero, config_file, show_settings, rev, staged,
         sarif_category, profile,
         list_profiles, list_rules, explain, quiet, verbose, statistics, timings, color_choice, no_color, debug):
    """Lint the model release that PATH (default: the current folder) is in, before it is released.

    The release's root is found as git finds its top level: the nearest folder at or above PATH that is
    a git top level or holds a model card or a release-lint configuration (see --root, --show-settings).
    """
    if list_rules:
        click.echo(_list_rules(as_json=output_format == "json"), nl=False)
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

    if output_format == "spdx3":
        if importlib.util.find_spec("spdx_python_model") is None:
            from release_lint.formats.spdx3 import INSTALL_HINT

            _fail(INSTALL_HINT)

    from release_lint.api import lint
    from release_lint.config import ConfigError, check_profile, validate_cli_selectors
    from release_lint.progress import ProgressLine, RunStatus
    from release_lint.repo import RepoError

    try:
        root, config = resolve_root(path, root_option, config_file)
        config = config.with_overrides(fail_on=fail_on, profile=profile and check_profile("--profile", profile))
        select, ignore = _split(select), _split(ignore)
        extend_select, extend_ignore = _split(extend_select), _split(extend_ignore)
        for option, selectors in (("--select", select), ("--ignore", ignore), ("--extend-select", extend_select),
                                  ("--extend-ignore", extend_ignore)):
            if selectors:
                validate_cli_selectors(option, selectors)
        # --extend-*: added to the configured lists (or to --select/--ignore); configured reasons stay.
        if extend_select:
            select = (*(select if select is not None else config.select or ("ALL",)), *extend_select)
        if extend_ignore:
            ignore = (*(ignore if ignore is not None else config.ignore), *extend_ignore)
        # The command line's selection, applied here once: the settings shown, the run and the report share it.
        config = config.with_overrides(select=select, ignore=ignore)
        if show_settings:
            click.echo(_settings_text(root, config), nl=False)
            return
        if verbose and os.path.abspath(path if path is not None else ".") != root:
            _stderr(f"release-lint: linting the release at {root}")  # found above PATH
        baseline = "" if write_baseline else baseline_file  # writing one starts from every finding
        status = RunStatus()
        on_terminal = sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
        progress = ProgressLine(status, sys.stderr) if on_terminal else contextlib.nullcontext()
        rev, staged = gated_snapshot(rev, staged)
        with progress:
            result = lint(root, config=config, baseline=baseline, rev=rev,
                          verdict=True if output_format in ("mof", "cyclonedx", "spdx3") else None,
                          bom=output_format in ("cyclonedx", "spdx3"), staged=staged, status=status)
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

    color = use_color("never" if no_color else color_choice, sys.stdout)
    if statistics:
        click.echo(_statistics(result), nl=False)
        console_text = False
    else:
        console_text = _emit(result, output_format, output_file, config, color=color, quiet=quiet, full=verbose,
                             cyclonedx_version=cyclonedx_version, sarif_category=sarif_category)
    if show_ignored:
        click.echo(_ignored_text(config), nl=False, err=not console_text)

    if not quiet:
        for note in result.notes:
            _stderr(f"release-lint: note: {note}")
        if verbose:
            for skipped in result.extra.get("skipped", []):
                _stderr(f"release-lint: skipped {skipped}")
    if timings:
        for code, seconds in sorted(result.timings.items(), key=lambda item: -item[1]):
            click.echo(f"{seconds * 1000:8.1f} ms  {code}", err=True)
    for error in result.internal_errors:
        _stderr(f"release-lint: internal error in rule {error.code} ({error.name}): {error.error}")
        if debug:
            click.echo(error.traceback, err=True)
    sys.exit(result.exit_code(config.fail_on, exit_zero))
