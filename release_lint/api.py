"""The public entry point: ``lint(path) -> Result``. The CLI calls exactly this."""

from __future__ import annotations

import re
import time
import traceback
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Set, Union, cast

from release_lint.config import Config, load_config, validate_cli_selectors
from release_lint.credentials import redact, redact_tree
from release_lint.findings import Finding, InternalError, Problem, Result, printable
from release_lint.progress import RunStatus
from release_lint.registry import Rule, select_rules
from release_lint.repo import Repo, RepoError

if TYPE_CHECKING:  # imported when --rev or --staged asks for them (GitPython is paid only then)
    from release_lint.gitsource import GitIndexSource, GitTreeSource

# `release-lint: disable=LIC001,model-card-missing` in any comment syntax, on the line or the line before.
_SELECTOR = r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]"
SUPPRESS_RE = re.compile(rf"release-lint:\s*disable=({_SELECTOR}(?:\s*,\s*{_SELECTOR})*)")


@dataclass
class Context:
    """What a rule receives: the repository view, the run's configuration and its own options."""

    repo: Repo
    config: Config
    rule: Rule
    options: Dict[str, Any]


def lint(
    path: str = ".",
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
    ``result.extra["openness"]`` holds the openness verdict (see ``release_lint.verdict``); by default
    it is computed for a full run only, not when *select* narrows the rules to a few. With *bom*
    ``result.extra["bom"]`` holds the facts the bill-of-materials formats use (``detectors.bom.BomFacts``). *status*, when
    given, is kept up to date with what the run is doing (for a progress display).
    """
    if config is None:
        config = load_config(str(path), config_file)
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
            from release_lint.gitsource import GitTreeSource

            source = GitTreeSource(str(path), rev)
        elif staged:
            from release_lint.gitsource import GitIndexSource

            source = GitIndexSource(str(path))
        repo = Repo(str(path), max_bytes=config.max_read_bytes, exclude=config.exclude, source=source)
    if status is not None:
        status.stage, status.repo = "linting", repo
    try:
        result = _lint_repo(repo, config, baseline, verdict, status)
        if bom:
            from release_lint.detectors.bom import bom_facts

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
        from release_lint.baseline import apply_baseline

        apply_baseline(result, baseline)
    if verdict is None:
        verdict = set(config.select) <= {"ALL"}
    if verdict:
        if status is not None:
            status.stage = "openness verdict"
        _add_verdict(repo, config, result)
    _redact(result)
    return result


def _redact(result: Result) -> None:
    """Mask every credential the secrets detector recognises in what reports print besides findings
    (which mask themselves): notes, internal errors, the verdict and other report sections."""
    result.notes[:] = [redact(note) for note in result.notes]
    result.internal_errors = [replace(e, error=redact(e.error), traceback=redact(e.traceback))
                              for e in result.internal_errors]
    result.extra = redact_tree(result.extra)


def _add_verdict(repo: Repo, config: Config, result: Result) -> None:
    from release_lint.verdict import assess

    try:
        # Paths quoted as evidence may not be UTF-8: escaped here once, as findings are, for every format.
        result.extra["openness"] = _printable_tree(assess(repo, config, result))
    except Exception as exc:  # a bug in the verdict must not lose the findings
        result.internal_errors.append(
            InternalError("VERDICT", "openness-verdict", f"{type(exc).__name__}: {exc}", traceback.format_exc())
        )


def _printable_tree(value: Any) -> Any:
    """*value* (dicts, lists, strings) with every string and key passed through ``printable``."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {_printable_tree(key): _printable_tree(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_printable_tree(item) for item in value)
    return value


def anchor_file(repo: Repo) -> Optional[str]:
    """Where reports that need a file (SARIF) show repository-level findings: the model card,
    else README.md, else pyproject.toml; None when the release has none of them."""
    from release_lint.detectors.files import model_card

    card: Optional[str] = model_card(repo)
    if card:
        return card
    for name in ("README.md", "pyproject.toml"):
        found = repo.exists_ci(name)
        if found and "/" not in found:
            return found
    return None


def run_rules(repo: Repo, config: Config, rules: List[Rule], status: Optional[RunStatus] = None) -> Result:
    result = Result(root=repo.root, notes=repo.notes)
    if status is not None:
        status.rules_total = len(rules)
    for number, rule in enumerate(rules):
        if status is not None:
            status.rules_done, status.rule = number, rule.code
        if rule.needs_git and not repo.is_git:
            result.extra.setdefault("skipped", []).append(f"{rule.code} {rule.name}: needs a git repository")
            continue
        context = Context(repo=repo, config=config, rule=rule, options=config.options_for(rule))
        started = time.perf_counter()
        try:
            problems = list(rule.check(context) or ())
        except Exception as exc:  # a bug in one rule must not lose the run
            result.internal_errors.append(
                InternalError(rule.code, rule.name, f"{type(exc).__name__}: {exc}", traceback.format_exc())
            )
            problems = []
        finally:
            result.timings[rule.code] = time.perf_counter() - started
        result.rules_run.append(rule.code)
        result.problems[rule.code] = problems
        severity = config.severity_of(rule)
        for problem in problems:
            finding = _finding(rule, severity, problem)
            if not _suppressed(repo, finding):
                result.findings.append(finding)
    if status is not None:
        status.rules_done = len(rules)
    result.findings.sort(key=Finding.sort_key)
    return result


def _finding(rule: Rule, severity: str, problem: Problem) -> Finding:
    if problem.severity and severity == rule.severity:
        severity = problem.severity
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=severity,
        area=rule.area,
        message=problem.message,
        path=problem.path,
        line=problem.line,
        fix=problem.fix or rule.fix,
        key=problem.key or problem.path or ".",
    )


def _suppressed(repo: Repo, finding: Finding) -> bool:
    if not finding.path or not finding.line:
        return False
    found = _suppressions(repo, finding.path)
    for number in (finding.line, finding.line - 1):
        wanted = found.get(number)
        if wanted and (finding.code in wanted or finding.name.upper() in wanted):
            return True
    return False


def _suppressions(repo: Repo, path: str) -> Dict[int, Set[str]]:
    """``{line: selectors disabled there}`` of one file, searched once per file (not once per finding:
    60,000 findings on one 900 KB line would otherwise search that line 60,000 times)."""
    memo = cast(Dict[str, Dict[int, Set[str]]], repo.memo.setdefault(_suppressions, {}))
    if path not in memo:
        found: Dict[int, Set[str]] = {}
        for number, line in enumerate(repo.lines(path), 1):
            if "release-lint:" in line:
                match = SUPPRESS_RE.search(line)
                if match:
                    found[number] = {part.strip().upper() for part in match.group(1).split(",")}
        memo[path] = found
    return memo[path]
