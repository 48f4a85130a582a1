"""Area grades: present when every applicable check passes, absent when every essential one fails, partial
otherwise; with the evidence that shows where the release has what it has."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List

from release_lint.detectors.data_documentation import data_documentation
from release_lint.detectors.dependency_files import dependency_specs
from release_lint.detectors.environment import framework_versions
from release_lint.detectors.install_commands import documented_dependencies
from release_lint.detectors.hardware import hardware_facts
from release_lint.detectors.licenses import declared_licenses, license_files
from release_lint.detectors.entry_points import external_training_code, training_entry_points
from release_lint.detectors.hyperparameters import recipe_facts
from release_lint.findings import Problem, Result
from release_lint.openness.evaluator import Check, Evaluator, Outcome
from release_lint.openness.frameworks import AREA_CHECKS, FACT_CHECKS
from release_lint.repo import Repo


@dataclass
class AreaGrade:
    area: str
    grade: str  # present | partial | absent
    checks: List[Check] = field(default_factory=list)
    evidence: List[str] = field(default_factory=list)  # "path" or "path:line what"
    findings: List[str] = field(default_factory=list)  # "CODE path:line" of the area's findings

    def to_dict(self) -> dict:
        return {"grade": self.grade, "checks": [c.to_dict() for c in self.checks], "evidence": self.evidence,
                "findings": self.findings}


def _licence_statement(repo: Repo) -> List[str]:
    """Where the release names its licence without a licence file: a README licence section or sentence, the
    card's `license`, package metadata (B6)."""
    return [f"{entry.source}:{entry.line} ({entry.id})" if entry.line else f"{entry.source} ({entry.id})"
            for entry in declared_licenses(repo) if entry.id and entry.source != "CITATION.cff"]


# The facts a FactCheck names.
FACTS: Dict[str, Callable[[Repo], List[str]]] = {"licence statement": _licence_statement}


def grade_areas(evaluator: Evaluator, result: Result) -> List[AreaGrade]:
    return [grade_area(evaluator, result, area) for area in AREA_CHECKS]


def grade_area(evaluator: Evaluator, result: Result, area: str) -> AreaGrade:
    answered = []
    for spec in AREA_CHECKS[area]:
        check = evaluator.check(spec.name, spec.rule)
        if check.outcome is Outcome.NOT_APPLICABLE:
            continue  # nothing to judge, or the rule cannot run here: counted neither way
        if check.outcome is Outcome.FAIL and spec.failure_reason and check.problems:
            check.problems = [Problem(spec.failure_reason)] + check.problems
        answered.append((check, spec.essential))
    stated: List[str] = []
    for fact_check in FACT_CHECKS.get(area, ()):
        if not evaluator.passes(fact_check.stands_for):
            stated += FACTS[fact_check.fact](evaluator.repo)
            if stated:
                answered.append((Check(fact_check.name, fact_check.stands_for, Outcome.PASS), True))
    if answered and all(c.passed for c, _e in answered) and not stated:
        grade = "present"
    elif all(not c.passed for c, e in answered if e):
        grade = "absent"
    else:
        grade = "partial"
    return AreaGrade(
        area=area,
        grade=grade,
        checks=[c for c, _e in answered],
        evidence=area_evidence(evaluator.repo, area) + stated[:5],
        findings=[f"{f.code} {f.path or '.'}{':' + str(f.line) if f.line else ''}" for f in result.findings if f.area == area],
    )


def where(items: Iterable, limit: int = 8) -> List[str]:
    """``path:line`` (or ``path``) of evidence records, without repeats."""
    out = [f"{e.path}:{e.line}" if getattr(e, "line", None) else e.path for e in items]
    return list(dict.fromkeys(out))[:limit]


def quoted(items: Iterable) -> List[str]:
    """``path:line text`` (or ``path text``) of evidence records that quote what they found."""
    return [f"{e.path}:{e.line} {e.text}" if e.line else f"{e.path} {e.text}" for e in items]


def _licensing_evidence(repo: Repo) -> List[str]:
    return [f"{f.path} ({f.id or 'unrecognised'})" for f in license_files(repo) if f.root]


def _data_evidence(repo: Repo) -> List[str]:
    facts = data_documentation(repo)
    evidence = list(facts.data_cards)
    if facts.training_data_section is not None:
        evidence.append(f"{facts.training_data_section.path}:{facts.training_data_section.line}")
    evidence += [f"{s.path}:{s.line} {s.name}" for s in facts.sources[:10]]
    evidence += facts.preprocessing_code[:5]
    return evidence


def _recipe_evidence(repo: Repo) -> List[str]:
    return where(training_entry_points(repo) + recipe_facts(repo).sources) + quoted(external_training_code(repo))


def _environment_evidence(repo: Repo) -> List[str]:
    stated = [f"{d.path}:{d.line} {d.kind}: {d.text}" for d in documented_dependencies(repo)[:3]] if not dependency_specs(repo) else []
    return where(dependency_specs(repo)) + stated + [f"{v.path}:{v.line} {v.name} {v.version}" if v.line else f"{v.path} {v.name}"
                                              for v in framework_versions(repo)[:5]]


def _infrastructure_evidence(repo: Repo) -> List[str]:
    facts = hardware_facts(repo)
    statements = facts.accelerators[:3] + facts.counts[:3] + facts.compute[:3] + facts.memory[:2] + facts.parallelism[:2]
    return [f"{s.path}:{s.line} {s.kind}: {s.text}" if s.line else f"{s.path} {s.kind}: {s.text}" for s in statements]


EVIDENCE_PROVIDERS: Dict[str, Callable[[Repo], List[str]]] = {
    "licensing": _licensing_evidence,
    "data": _data_evidence,
    "recipe": _recipe_evidence,
    "environment": _environment_evidence,
    "infrastructure": _infrastructure_evidence,
}


def area_evidence(repo: Repo, area: str) -> List[str]:
    """Where the release shows what it has for an area: ``path`` or ``path:line`` strings."""
    provider = EVIDENCE_PROVIDERS.get(area)
    return provider(repo) if provider is not None else []
