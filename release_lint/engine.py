"""The rule engine: run the selected rules, turn each problem into a finding with its key, drop the
findings a source comment suppresses, and mask credentials in everything else a report prints."""

from __future__ import annotations

import re
import time
import traceback
from dataclasses import replace
from typing import TYPE_CHECKING, Dict, List, Optional, Set, cast

from release_lint.credentials import redact, redact_tree
from release_lint.findings import Finding, InternalError, Problem, Result, finding_key
from release_lint.progress import RunStatus
from release_lint.registry import Context, Rule
from release_lint.repo import Repo

if TYPE_CHECKING:  # the configuration imports the registry: a type here only
    from release_lint.config import Config

# `release-lint: disable=LIC001,model-card-missing` in any comment syntax, on the line or the line before.
_SELECTOR = r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]"
SUPPRESS_RE = re.compile(rf"release-lint:\s*disable=({_SELECTOR}(?:\s*,\s*{_SELECTOR})*)")


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


def redact_result(result: Result) -> None:
    """Mask every credential the secrets detector recognises in what reports print besides findings
    (which mask themselves): notes, internal errors, the verdict and other report sections."""
    result.notes[:] = [redact(note) for note in result.notes]
    result.internal_errors = [replace(e, error=redact(e.error), traceback=redact(e.traceback))
                              for e in result.internal_errors]
    result.extra = redact_tree(result.extra)


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
        key=problem.key or finding_key(problem.path),
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
