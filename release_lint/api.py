"""The public entry point: ``lint(path) -> Result``. The CLI calls exactly this."""

from __future__ import annotations

import re
import time
import traceback
from dataclasses import dataclass, replace
from typing import Iterable, List, Optional

from release_lint.config import Config, load_config, validate_cli_selectors
from release_lint.credentials import redact, redact_tree
from release_lint.findings import Finding, InternalError, Problem, Result
from release_lint.registry import Rule, select_rules
from release_lint.repo import Repo

# `release-lint: disable=LIC001,model-card-missing` in any comment syntax, on the line or the line before.
_SELECTOR = r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]"
SUPPRESS_RE = re.compile(rf"release-lint:\s*disable=({_SELECTOR}(?:\s*,\s*{_SELECTOR})*)")


@dataclass
class Context:
    """What a rule receives: the repository view, the run's configuration and its own options."""

    repo: Repo
    config: Config
    rule: Rule
    options: dict


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
) -> Result:
    """Lint the repository at *path* and return every finding.

    *config* replaces configuration discovery; otherwise it is discovered from *path*
    (or read from *config_file*). *select* / *ignore* override the configured ones.
    *baseline*: a baseline file whose known findings are dropped (default: the configured
    ``baseline``; ``""`` for none). *rev* (a tag, branch or commit) lints that commit's tree
    read from git objects, not the work tree. Raises ``ConfigError`` for a bad configuration
    or baseline and ``RepoError`` for a bad path or an unknown *rev*. With *verdict*
    ``result.extra["openness"]`` holds the openness verdict (see ``release_lint.verdict``); by default
    it is computed for a full run only, not when *select* narrows the rules to a few.
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
    source = None
    if repo is None:
        if rev is not None:
            from release_lint.gitsource import GitTreeSource

            source = GitTreeSource(str(path), rev)
        repo = Repo(str(path), max_bytes=config.max_read_bytes, exclude=config.exclude, source=source)
    try:
        return _lint_repo(repo, config, baseline, verdict)
    finally:
        if source is not None:
            source.close()  # GitPython keeps `git cat-file` processes open until closed


def _lint_repo(repo: Repo, config: Config, baseline: Optional[str], verdict: Optional[bool]) -> Result:
    result = run_rules(repo, config, select_rules(config.select, config.ignore))
    result.extra["anchor"] = anchor_file(repo)
    baseline = config.baseline if baseline is None else baseline
    if baseline:
        from release_lint.baseline import apply_baseline

        apply_baseline(result, baseline)
    if verdict is None:
        verdict = set(config.select) <= {"ALL"}
    if verdict:
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
        result.extra["openness"] = assess(repo, config, result)
    except Exception as exc:  # a bug in the verdict must not lose the findings
        result.internal_errors.append(
            InternalError("VERDICT", "openness-verdict", f"{type(exc).__name__}: {exc}", traceback.format_exc())
        )


def anchor_file(repo: Repo) -> Optional[str]:
    """Where reports that need a file (SARIF) show repository-level findings: the model card,
    else README.md, else pyproject.toml; None when the release has none of them."""
    from release_lint.detectors.files import model_card

    card = model_card(repo)
    if card:
        return card
    for name in ("README.md", "pyproject.toml"):
        found = repo.exists_ci(name)
        if found and "/" not in found:
            return found
    return None


def run_rules(repo: Repo, config: Config, rules: List[Rule]) -> Result:
    result = Result(root=repo.root, notes=repo.notes)
    for rule in rules:
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
    lines = repo.lines(finding.path)
    for number in (finding.line, finding.line - 1):
        if 1 <= number <= len(lines):
            match = SUPPRESS_RE.search(lines[number - 1])
            if match:
                wanted = {part.strip().upper() for part in match.group(1).split(",")}
                if finding.code in wanted or finding.name.upper() in wanted:
                    return True
    return False
