"""The public entry point: ``lint(path) -> Result``. The CLI calls exactly this.

It chooses the source (work tree, a commit, the index), reads the configuration, lets the engine
(``release_lint.engine``) run the rules, adds the openness verdict, drops baselined findings.
"""

from __future__ import annotations

import os
import traceback
from typing import Any, Iterable, Optional, Union

from release_lint.baseline import apply_baseline
from release_lint.config import Config, load_config, validate_cli_selectors
from release_lint.credentials import map_strings, redact_tree
from release_lint.detectors.bom import bom_facts
from release_lint.detectors.files import model_card
from release_lint.engine import redact_result, run_rules
from release_lint.findings import InternalError, Result, printable
from release_lint.gitsource import GitIndexSource, GitTreeSource  # GitPython itself is imported on first use
from release_lint.progress import RunStatus
from release_lint.registry import select_rules
from release_lint.repo import Repo, RepoError
from release_lint.openness import assess


def lint(
    path: Union[str, "os.PathLike[str]"] = ".",
    *,
    config: Optional[Config] = None,
    config_file: Optional[str] = None,
    select: Optional[Iterable[str]] = None,
    ignore: Optional[Iterable[str]] = None,
    repo: Optional[Repo] = None,
    baseline: Optional[str] = None,
    rev: Optional[str] = None,
    verdict: Optional[bool] = None,
    bom: bool = False,
    staged: bool = False,
    status: Optional[RunStatus] = None,
) -> Result:
    """Lint the repository at *path* and return every finding.

    *config* replaces configuration discovery; otherwise it is discovered from *path*
    (or read from *config_file*). *select* / *ignore* override the configured ones.
    *baseline*: a baseline file whose known findings are dropped (default: the configured
    ``baseline``; ``""`` for none). *rev* (a tag, branch or commit) lints that commit's tree
    read from git objects, not the work tree; *staged* lints git's index, the snapshot the next
    commit will hold (untracked files and unstaged edits left out). Raises ``ConfigError`` for a bad configuration
    or baseline and ``RepoError`` for a bad path or an unknown *rev*. With *verdict*
    ``result.extra["openness"]`` holds the openness verdict (see ``release_lint.openness``); by default
    it is computed for a full run only, not when *select* narrows the rules to a few. With *bom*
    ``result.extra["bom"]`` holds the facts the bill-of-materials formats use (``detectors.bom.BomFacts``). *status*, when
    given, is kept up to date with what the run is doing (for a progress display).
    """
    if config is None:
        config = load_config(os.fspath(path), config_file)
    if select is not None:
        select = tuple(select)
        validate_cli_selectors("--select", select)
    if ignore is not None:
        ignore = tuple(ignore)
        validate_cli_selectors("--ignore", ignore)
    config = config.with_overrides(select=select, ignore=ignore)
    source: Optional[Union[GitTreeSource, GitIndexSource]] = None
    if status is not None:
        status.stage = "listing files"
    if repo is None:
        if rev is not None and staged:
            raise RepoError("--rev and --staged name two different snapshots: give one")
        if rev is not None:
            source = GitTreeSource(os.fspath(path), rev)
        elif staged:
            source = GitIndexSource(os.fspath(path))
        repo = Repo(os.fspath(path), max_bytes=config.max_read_bytes, exclude=config.exclude, source=source)
    if status is not None:
        status.stage, status.repo = "linting", repo
    try:
        result = _lint_repo(repo, config, baseline, verdict, status)
        if bom:
            result.extra["bom"] = redact_tree(bom_facts(repo, config.bom))  # quotes the repository
        return result
    finally:
        if source is not None:
            source.close()  # GitPython keeps `git cat-file` processes open until closed


def _lint_repo(repo: Repo, config: Config, baseline: Optional[str], verdict: Optional[bool],
               status: Optional[RunStatus] = None) -> Result:
    result = run_rules(repo, config, select_rules(config.select, config.ignore), status)
    result.extra["anchor"] = anchor_file(repo)
    baseline = config.baseline if baseline is None else baseline
    if baseline:
        apply_baseline(result, baseline)
    if verdict is None:
        verdict = set(config.select) <= {"ALL"}
    if verdict:
        if status is not None:
            status.stage = "openness verdict"
        _add_verdict(repo, config, result)
    redact_result(result)
    return result


def _add_verdict(repo: Repo, config: Config, result: Result) -> None:
    try:
        # Paths quoted as evidence may not be UTF-8: escaped here once, as findings are, for every format.
        result.extra["openness"] = map_strings(assess(repo, config, result).to_dict(), printable)
    except Exception as exc:  # a bug in the verdict must not lose the findings
        result.internal_errors.append(
            InternalError("VERDICT", "openness-verdict", f"{type(exc).__name__}: {exc}", traceback.format_exc())
        )


def anchor_file(repo: Repo) -> Optional[str]:
    """Where reports that need a file (SARIF) show repository-level findings: the model card,
    else README.md, else pyproject.toml; None when the release has none of them."""
    card: Optional[str] = model_card(repo)
    if card:
        return card
    for name in ("README.md", "pyproject.toml"):
        found = repo.exists_ci(name)
        if found and "/" not in found:
            return found
    return None
