"""The openness verdict: per-area grades, Model Openness Framework class, OSI definition check.

Findings say what is wrong; the verdict says what the release *is*. Everything here is derived from the same
rules and detectors the findings come from, evaluated whatever ``--select`` says, so the verdict does not change
when a user hides a rule.

- ``frameworks``: the frameworks as data (area checks, MOF components and classes, OSAID requirements).
- ``evaluator``: rules run as predicates, each answer an explicit PASS / FAIL / NOT_APPLICABLE.
- ``areas``: area grades (licensing, data, recipe, environment, infrastructure) and their evidence.
- ``mof``: the MOF 1.0 components, their licences and the class (https://isitopen.ai/).
- ``osaid``: the OSI Open Source AI Definition 1.0 (https://opensource.org/ai/open-source-ai-definition).
- ``presentation``: lines the text and Markdown reports share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, List

from release_lint.findings import Result
from release_lint.repo import Repo

if TYPE_CHECKING:
    from release_lint.config import Config  # the configuration sits above the verdict: a type here only
    from release_lint.openness.areas import AreaGrade
    from release_lint.openness.mof import MofAssessment
    from release_lint.openness.osaid import OsaidAssessment

# The assessment modules (and the detectors they read) are imported by `assess` only: the configuration imports
# this package's `frameworks` (profiles are built from it), and a configuration error must be reported without
# loading every detector.


@dataclass
class Openness:
    areas: List[AreaGrade]
    mof: MofAssessment
    osaid: OsaidAssessment

    def to_dict(self) -> dict:
        """The JSON ``openness`` object."""
        return {"areas": {grade.area: grade.to_dict() for grade in self.areas}, "mof": self.mof.to_dict(),
                "osaid": self.osaid.to_dict()}


def assess(repo: Repo, config: Config, result: Result) -> Openness:
    """The whole verdict of *repo*, reusing the problems of the rules *result* already ran."""
    from release_lint.openness.areas import grade_areas
    from release_lint.openness.evaluator import Evaluator
    from release_lint.openness.mof import assess_mof, release_facts
    from release_lint.openness.osaid import assess_osaid

    evaluator = Evaluator(repo, config, result.problems)
    mof = assess_mof(evaluator)
    mof.release = release_facts(repo)
    osaid = assess_osaid(evaluator, mof)
    return Openness(areas=grade_areas(evaluator, result), mof=mof, osaid=osaid)
