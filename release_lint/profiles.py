"""Profiles: gate a release on an openness target by turning the rules that target requires into errors."""

from __future__ import annotations

from typing import Dict, List, Tuple

from release_lint.registry import get_rule
from release_lint.openness.frameworks import COMPONENT_RULES, LICENCE_RULES, required_components


def _component_codes(level: int) -> List[str]:
    codes = [code for name in required_components(level) for code in COMPONENT_RULES.get(name, ())]
    return list(dict.fromkeys([*LICENCE_RULES, *codes]))


PROFILES: Dict[str, Tuple[str, List[str]]] = {
    "mof-class-3": ("Model Openness Framework Class III (Open Model): architecture, final parameters, evaluation "
                    "results, model card, data card and technical report, under open licences.", _component_codes(3)),
    "mof-class-2": ("Model Openness Framework Class II (Open Tooling): Class III plus training, inference and "
                    "evaluation code and evaluation data.", _component_codes(2)),
    "mof-class-1": ("Model Openness Framework Class I (Open Science): Class II plus datasets, preprocessing code, "
                    "intermediate checkpoints and a research paper.", _component_codes(1)),
    "osaid": ("OSI Open Source AI Definition 1.0: data information, complete code and parameters under "
              "OSI-approved terms.", list(dict.fromkeys(["LIC001", "LIC002", "LIC003", "LIC010", "DATA001", "DATA002",
                                                          "DATA003", "TRAIN001", "TRAIN002", "TRAIN006", "TRAIN007",
                                                          "ART006"]))),
    "bom": ("AI bill of materials: every field the CycloneDX ML-BOM and the SPDX 3 AI and Dataset profiles ask for "
            "is stated (see REL006), licences are declared and identified, and a model signature, if any, covers "
            "the released files.", ["REL006", "ART010", "LIC001", "LIC002", "LIC005"]),
}


def profile_severities(profile: str) -> Dict[str, str]:
    """The severity overrides a profile makes: every rule its target requires becomes an error."""
    return {code: "error" for code in PROFILES[profile][1] if get_rule(code) is not None}
