"""The OSI Open Source AI Definition 1.0: its three requirements (data information, code, parameters), each met
or not with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List

from release_lint.openness.evaluator import Evaluator
from release_lint.openness.frameworks import OSAID_CODE_COMPONENTS, OSAID_DATA_CHECKS, OSAID_NAME, OSAID_PARAMETERS_COMPONENT
from release_lint.openness.mof import LINKED_NOTE, MofAssessment, general_licence_files


@dataclass
class Requirement:
    requirement: str
    met: bool
    reason: str

    def to_dict(self) -> dict:
        return {"requirement": self.requirement, "met": self.met, "reason": self.reason}


@dataclass
class OsaidAssessment:
    meets: bool
    verdict: str
    requirements: List[Requirement]
    definition: str = OSAID_NAME

    def to_dict(self) -> dict:
        return {"definition": self.definition, "meets": self.meets, "verdict": self.verdict,
                "requirements": [r.to_dict() for r in self.requirements]}


def assess_osaid(evaluator: Evaluator, mof: MofAssessment) -> OsaidAssessment:
    licences = mof.licenses
    requirements = []

    missing = [name for name, code in OSAID_DATA_CHECKS if not evaluator.passes(code)]
    requirements.append(Requirement("data information", not missing,
                                    "training data described: documentation, sources and processing" if not missing
                                    else "no " + ", no ".join(missing)))

    absent = [name.lower() for name in OSAID_CODE_COMPONENTS if not mof.component(name).present]
    code_licences = licences["code"]
    code_osi = bool(code_licences) and all(c["osi_approved"] for c in code_licences)
    reason = []
    if absent:
        reason.append("no " + ", no ".join(absent))
    if not code_osi:
        reason.append("code is not under an OSI-approved licence (" + _ids(code_licences) + ")")
    requirements.append(Requirement("code", not reason, "; ".join(reason) or
                                    "training, data processing, inference and architecture code under " + _ids(code_licences)))

    weights = mof.component(OSAID_PARAMETERS_COMPONENT)
    weight_licences = licences["weights"]
    if weights.linked:
        general = general_licence_files(evaluator.repo)
        weight_licences = [c for c in weight_licences if c["path"] not in general]  # what the release says of them
    weights_osi = bool(weight_licences) and all(c["osi_approved"] for c in weight_licences)
    reason = []
    if not weights.present:
        reason.append("no model parameters in the release")
    if not weights_osi:
        reason.append(("linked parameters " + LINKED_NOTE + " whose terms the release does not state" if weights.linked
                       and not weight_licences else "parameters are not under OSI-approved terms (" + _ids(weight_licences) + ")"))
    requirements.append(Requirement("parameters", not reason, "; ".join(reason) or
                                    ("parameters " + (LINKED_NOTE + " " if weights.linked else "") + "under " + _ids(weight_licences))))

    failing = [r for r in requirements if not r.met]
    if not failing:
        verdict = "meets the " + OSAID_NAME
    else:
        detail = "; ".join(f"{r.requirement}: {r.reason}" for r in failing)
        verdict = ("open weights, not open source: " if weights.present else "not open source: ") + detail
    return OsaidAssessment(meets=not failing, verdict=verdict, requirements=requirements)


def _ids(entries: List[dict]) -> str:
    ids = sorted({e["id"] or "unrecognised" for e in entries})
    return ", ".join(ids) if ids else "no licence"
