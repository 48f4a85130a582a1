"""The openness verdict: per-area grades, Model Openness Framework class, OSI definition check.

Findings say what is wrong; the verdict says what the release *is*. Everything here is derived
from the same rules and detectors the findings come from, evaluated whatever ``--select`` says,
so the verdict does not change when a user hides a rule.

- Area grades (licensing, data, recipe, environment, infrastructure): ``present`` when every
  check of the area passes, ``absent`` when its essential checks all fail, ``partial`` otherwise.
  The checks per area are listed in ``AREA_CHECKS`` and documented in the README.
- Model Openness Framework (MOF 1.0, https://isitopen.ai/): the 17 components, each present or
  not, with the licence that covers it resolved as the Model Openness Tool does (component
  licence, else the licence for its content type, else the distribution licence: the root LICENSE, or without one the
  card's `license`). A component
  counts only when present under an open licence (OSI-approved, FSF-libre, the open-data list, or
  OpenMDW). A class is reached when every required component of it and the classes below it
  counts; a research paper may stand in for the technical report.
- OSI Open Source AI Definition 1.0 (https://opensource.org/ai/open-source-ai-definition): its
  three requirements, data information, code and parameters, each met or not with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from release_lint.findings import Problem, Result
from release_lint.registry import Context, get_rule
from release_lint.repo import Repo


@dataclass
class Check:
    """One question the verdict asks, answered by running a rule as a predicate."""

    name: str
    rule: str  # the rule whose silence means the check passes
    passed: bool = False
    problems: List[Problem] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"check": self.name, "rule": self.rule, "passed": self.passed,
                "reason": None if self.passed else (self.problems[0].message if self.problems else "not found")}


class Evaluator:
    """Runs rules as predicates (memoised per code) against one repository."""

    def __init__(self, repo: Repo, config, known: Optional[Dict[str, List[Problem]]] = None):
        self.repo = repo
        self.config = config
        # Rules the engine already ran need not run again.
        self._cache: Dict[str, Optional[List[Problem]]] = dict(known or {})

    def problems(self, code: str) -> Optional[List[Problem]]:
        """The rule's problems, or None when the rule cannot run here (unknown, or needs git)."""
        if code not in self._cache:
            rule = get_rule(code)
            if rule is None or (rule.needs_git and not self.repo.is_git):
                self._cache[code] = None
            else:
                try:
                    context = Context(self.repo, self.config, rule, self.config.options_for(rule))
                    self._cache[code] = list(rule.check(context) or ())
                except Exception:  # the engine reports the crash; the verdict just cannot count on it
                    self._cache[code] = None
        return self._cache[code]

    def silent(self, code: str) -> bool:
        return self.check("", code).passed

    def check(self, name: str, code: str) -> Check:
        found = self.problems(code)
        return Check(name, code, passed=found is not None and not found, problems=found or [])


# --- area grades -------------------------------------------------------------------------------
# Area -> [(check name, rule code, essential[, requirement])]. Present: every check passes. Absent: every
# essential check fails. Partial: anything between.
AREA_CHECKS: Dict[str, List[tuple]] = {
    "licensing": [
        ("licence file at the root", "LIC001", True),
        ("licence declared in the model card", "LIC005", True, "card_declares_licence"),
        ("licence text recognised", "LIC002", False),
        ("OSI-approved licence", "LIC003", False),
        ("declared and shipped licences agree", "LIC004", False),
    ],
    "data": [
        ("data card or training-data section", "DATA001", True),
        ("training data sources identified", "DATA002", True),
        ("preprocessing code or documented steps", "DATA003", True),
        ("data licences stated", "DATA004", False),
    ],
    "recipe": [
        ("training code", "TRAIN001", True),
        ("hyperparameters", "TRAIN002", True),
        ("training launch documented", "TRAIN003", False),
        ("evaluation code", "TRAIN004", False),
    ],
    "environment": [
        ("dependency specification", "ENV001", True),
        ("dependencies pinned or locked", "ENV002", False),
        ("framework and accelerator versions stated", "ENV003", False),
        # B2: the area is about the training environment; without training code it is an inference environment.
        ("covers training, not only inference (training code in the release)", "TRAIN001", False),
    ],
    "infrastructure": [
        ("accelerator type", "HW001", True),
        ("accelerator count", "HW002", True),
        ("compute budget", "HW003", True),
    ],
}


def _licence_statement(repo: Repo) -> List[str]:
    """Where the release names its licence without a licence file: a README licence section or sentence, the
    card's `license`, package metadata (B6)."""
    from release_lint.detectors.licenses import declared_licenses

    return [f"{entry['source']}:{entry['line']} ({entry['id']})" if entry.get("line") else f"{entry['source']} ({entry['id']})"
            for entry in declared_licenses(repo) if entry["id"] and entry["source"] != "CITATION.cff"]


# Reasons given when a check borrowed from another area fails.
CHECK_REASONS: Dict[Tuple[str, str], str] = {
    ("environment", "TRAIN001"): "inference environment only: the release has no training code, so its environment "
                                 "cannot be the training environment",
}


# Checks answered by a fact rather than a rule, counted only when the fact holds: they lift an area from
# absent to partial, never to present. Area -> [(check name, stands in for rule, fact -> evidence or [])].
FACT_CHECKS: Dict[str, List[Tuple[str, str, Callable[[Repo], List[str]]]]] = {
    "licensing": [("licence stated in the README, card or package metadata (no licence file)", "LIC001", _licence_statement)],
}


def _card_declares_licence(repo: Repo) -> bool:
    from release_lint.detectors.licenses import declared_licenses

    return any(entry["kind"] == "card" and entry["value"] for entry in declared_licenses(repo))


# A check may name a fact that must hold for its rule's silence to count as a pass, where the rule
# is silent both when all is well and when there is nothing to judge; otherwise the check is left out.
REQUIREMENTS: Dict[str, Callable[[Repo], bool]] = {"card_declares_licence": _card_declares_licence}


def grade_areas(evaluator: Evaluator, result: Result) -> Dict[str, dict]:
    areas = {}
    for area, checks in AREA_CHECKS.items():
        answered = []
        for name, code, essential, *requirement in checks:
            check = evaluator.check(name, code)
            if not check.passed and (area, code) in CHECK_REASONS and check.problems:
                check.problems = [Problem(CHECK_REASONS[area, code])] + check.problems
            if check.passed and requirement and not REQUIREMENTS[requirement[0]](evaluator.repo):
                # The rule is silent because there is nothing to judge (no card, or no model shipped):
                # the check does not apply, and must not count as a pass.
                continue
            answered.append((check, essential))
        # A check whose rule cannot run here (e.g. missing) is not counted either way.
        answered = [(c, e) for c, e in answered if evaluator.problems(c.rule) is not None]
        stated = []
        for name, stands_for, fact in FACT_CHECKS.get(area, []):
            if not evaluator.check(name, stands_for).passed:
                stated += fact(evaluator.repo)
                if stated:
                    answered.append((Check(name, stands_for, passed=True), True))
        if answered and all(c.passed for c, _e in answered) and not stated:
            grade = "present"
        elif all(not c.passed for c, e in answered if e):
            grade = "absent"
        else:
            grade = "partial"
        areas[area] = {
            "grade": grade,
            "checks": [c.to_dict() for c, _e in answered],
            "evidence": area_evidence(evaluator.repo, area) + stated[:5],
            "findings": [f"{f.code} {f.path or '.'}{':' + str(f.line) if f.line else ''}"
                         for f in result.findings if f.area == area],
        }
    return areas


def area_evidence(repo: Repo, area: str) -> List[str]:
    """Where the release shows what it has for an area: ``path`` or ``path:line`` strings."""
    evidence: List[str] = []
    if area == "licensing":
        from release_lint.detectors.licenses import license_files

        evidence = [f"{f['path']} ({f['id'] or 'unrecognised'})" for f in license_files(repo) if f["root"]]
    elif area == "data":
        from release_lint.detectors.cards import data_documentation

        facts = data_documentation(repo)
        evidence = list(facts.data_cards)
        if facts.training_data_section is not None:
            evidence.append(f"{facts.training_data_section.path}:{facts.training_data_section.line}")
        evidence += [f"{s.path}:{s.line} {s.name}" for s in facts.sources[:10]]
        evidence += facts.preprocessing_code[:5]
    else:
        provider = EVIDENCE_PROVIDERS.get(area)
        if provider is not None:
            evidence = provider(repo)
    return evidence


def _where(items, limit: int = 8) -> List[str]:
    """``path:line`` (or ``path``) of evidence records, without repeats."""
    out = [f"{e.path}:{e.line}" if getattr(e, "line", None) else e.path for e in items]
    return list(dict.fromkeys(out))[:limit]


def _recipe_evidence(repo: Repo) -> List[str]:
    from release_lint.detectors.training import recipe_facts, training_entry_points

    from release_lint.detectors.training import external_training_code

    return _where(training_entry_points(repo) + recipe_facts(repo).sources) + [
        f"{e.path}:{e.line} {e.text}" if e.line else f"{e.path} {e.text}" for e in external_training_code(repo)]


def _environment_evidence(repo: Repo) -> List[str]:
    from release_lint.detectors.environment import dependency_specs, documented_dependencies, framework_versions

    stated = [f"{d.path}:{d.line} {d.kind}: {d.text}" for d in documented_dependencies(repo)[:3]] if not dependency_specs(repo) else []
    return _where(dependency_specs(repo)) + stated + [f"{v.path}:{v.line} {v.name} {v.version}" if v.line else f"{v.path} {v.name}"
                                               for v in framework_versions(repo)[:5]]


def _infrastructure_evidence(repo: Repo) -> List[str]:
    from release_lint.detectors.hardware import hardware_facts

    facts = hardware_facts(repo)
    statements = facts.accelerators[:3] + facts.counts[:3] + facts.compute[:3] + facts.memory[:2] + facts.parallelism[:2]
    return [f"{s.path}:{s.line} {s.kind}: {s.text}" if s.line else f"{s.path} {s.kind}: {s.text}" for s in statements]


EVIDENCE_PROVIDERS: Dict[str, Callable[[Repo], List[str]]] = {
    "recipe": _recipe_evidence,
    "environment": _environment_evidence,
    "infrastructure": _infrastructure_evidence,
}


# --- Model Openness Framework ----------------------------------------------------------------
@dataclass(frozen=True)
class Component:
    name: str  # exactly as the Model Openness Tool spells it
    content: str  # code | data | document
    required_in: int  # the class that first requires it (3, 2, 1)
    required: bool
    description: str


# The framework's 17 components (MOF 1.0, as configured in the Model Openness Tool).
COMPONENTS: Tuple[Component, ...] = (
    Component("Model architecture", "code", 3, True, "Well commented code for the model's architecture"),
    Component("Model parameters (Final)", "data", 3, True, "Trained model parameters, weights and biases"),
    Component("Evaluation results", "document", 3, True, "The results from evaluating the model"),
    Component("Model card", "document", 3, True, "Model details including performance metrics, intended use, and limitations"),
    Component("Data card", "document", 3, True, "Documentation for datasets including source, characteristics, and preprocessing details"),
    Component("Technical report", "document", 3, True, "Technical report detailing capabilities and usage instructions for the model"),
    Component("Sample model outputs", "document", 3, False, "Examples of outputs generated by the model"),
    Component("Training code", "code", 2, True, "Code used for training the model"),
    Component("Inference code", "code", 2, True, "Code used for running the model to make predictions"),
    Component("Evaluation code", "code", 2, True, "Code used for evaluating the model"),
    Component("Evaluation data", "data", 2, True, "Data used for evaluating the model"),
    Component("Supporting libraries and tools", "code", 2, False, "Libraries and tools used in the model's development"),
    Component("Datasets", "data", 1, True, "Training, validation and testing datasets used for the model"),
    Component("Data preprocessing code", "code", 1, True, "Code for data cleansing, normalization, and augmentation"),
    Component("Model parameters (Intermediate)", "data", 1, True, "Trained model parameters, weights and biases"),
    Component("Research paper", "document", 1, True, "Research paper detailing the development and capabilities of the model"),
    Component("Model metadata", "data", 1, False, "Any model metadata including training configuration and optimizer states"),
)
CLASS_LABELS = {3: "Class III - Open Model", 2: "Class II - Open Tooling", 1: "Class I - Open Science"}
UNCLASSIFIED = "Unclassified"

# Component -> the rules whose findings say it is missing (also what a profile turns into errors).
COMPONENT_RULES: Dict[str, Tuple[str, ...]] = {
    "Model architecture": ("TRAIN007",),
    "Model parameters (Final)": ("ART006",),
    "Evaluation results": ("CARD005",),
    "Model card": ("CARD001",),
    "Data card": ("DATA001",),
    "Technical report": ("CARD006",),
    "Training code": ("TRAIN001",),
    "Inference code": ("TRAIN006",),
    "Evaluation code": ("TRAIN004",),
    "Evaluation data": ("CARD005",),
    "Datasets": ("DATA002", "DATA004"),
    "Data preprocessing code": ("DATA003",),
    "Model parameters (Intermediate)": ("TRAIN008",),
    "Research paper": ("CARD006",),
    "Supporting libraries and tools": ("ENV001",),
    "Model metadata": ("TRAIN002",),
}
LICENCE_RULES = ("LIC001", "LIC002", "LIC003", "LIC006")


def _component_presence(evaluator: Evaluator) -> Dict[str, Tuple[bool, List[str]]]:
    """Component -> (present, evidence)."""
    from release_lint.detectors.cards import card_facts, data_documentation
    from release_lint.detectors.files import model_card
    from release_lint.detectors.weights import weight_files

    repo = evaluator.repo
    card = model_card(repo)
    facts = card_facts(repo) if card else None
    data = data_documentation(repo)
    weights = [w for w in weight_files(repo) if w.is_model_parameters]
    paper = bool(card) and evaluator.silent("CARD006")
    report_named = _technical_report(repo, card)
    mapping = facts.doc.front_matter.mapping if facts is not None else {}
    eval_data = _evaluation_datasets(mapping) or repo.find_names("eval*.yaml", "eval*.yml", "eval*.json", "*_eval.yaml", under=None)

    def rule_evidence(code: str) -> List[str]:
        provider = COMPONENT_EVIDENCE.get(code)
        return provider(repo) if provider else []

    linked = linked_components(repo)
    present: Dict[str, Tuple[bool, List[str]]] = {
        "Model architecture": (evaluator.silent("TRAIN007"), rule_evidence("TRAIN007")),
        "Model parameters (Final)": (bool(weights), [w.path for w in weights[:5]]) if weights
        else (bool(linked["weights"]), linked["weights"][:3]),
        "Evaluation results": (bool(card) and evaluator.silent("CARD005"), [card] if card else []),
        "Model card": (bool(card), [card] if card else []),
        "Data card": (bool(data.data_cards), list(data.data_cards)),
        "Technical report": (report_named or paper, [card] if (report_named or paper) and card else []),
        "Sample model outputs": _sample_outputs(repo, facts),
        "Training code": (evaluator.silent("TRAIN001"), rule_evidence("TRAIN001")),
        "Inference code": (evaluator.silent("TRAIN006"), rule_evidence("TRAIN006")),
        "Evaluation code": (evaluator.silent("TRAIN004"), rule_evidence("TRAIN004")),
        "Evaluation data": (bool(eval_data), list(eval_data)[:5]),
        # An install command in the docs passes ENV001 as a weak specification; the component needs a spec file.
        "Supporting libraries and tools": (bool(rule_evidence("ENV001")), rule_evidence("ENV001")),
        "Datasets": (bool(data.sources) and evaluator.silent("DATA002"), [f"{s.path}:{s.line} {s.name}" for s in data.sources[:5]])
        if not linked["datasets"] else (True, linked["datasets"][:3] + [f"{s.path}:{s.line} {s.name}" for s in data.sources[:3]]),
        "Data preprocessing code": (bool(data.preprocessing_code), list(data.preprocessing_code[:5])),
        "Model parameters (Intermediate)": (evaluator.silent("TRAIN008"), rule_evidence("TRAIN008")),
        "Research paper": (paper, [card] if paper and card else []),
        "Model metadata": (evaluator.silent("TRAIN002"), rule_evidence("TRAIN002")),
    }
    return present


# B8: a component released elsewhere and linked from the README or card counts as released, marked as a link.
LINKED_NOTE = "(linked, not verified offline)"
_RELEASE_ASSET_RE = re.compile(r"^https?://\S+/releases/download/\S+|^https?://\S+\.(?:safetensors|gguf|pt|pth|ckpt|bin|onnx|h5)(?:[?#]\S*)?$",
                               re.IGNORECASE)
_DOI_RE = re.compile(r"^https?://(?:dx\.)?doi\.org/10\.\d{4,9}/\S+|^https?://zenodo\.org/records?/\d+", re.IGNORECASE)
_WEIGHTS_WORD_RE = re.compile(r"\b(?:weights?|checkpoints?|parameters|model(?:s)?|download)\b", re.IGNORECASE)
_DATA_WORD_RE = re.compile(r"\b(?:data(?:sets?)?|corpus|corpora)\b", re.IGNORECASE)
# The model a fine-tune starts from is not the release's own weights.
_BASE_MODEL_RE = re.compile(r"\b(?:fine-?tuned (?:version )?(?:of|from)|based on|base model|built (?:on|upon)|initiali[sz]ed "
                            r"(?:from|with)|derived from|adapter (?:for|of)|quanti[sz]ed (?:version )?of|starting from)\b",
                            re.IGNORECASE)


def linked_components(repo: Repo) -> Dict[str, List[str]]:
    """{"weights": [...], "datasets": [...]}: links in the README or card to a specific released artefact (a Hub
    model or dataset page, a DOI or Zenodo record, a release asset), as ``path:line link: URL (linked, ...)``."""
    from release_lint.detectors.cards import DATASET_PAGE_RE, HUB_MODEL_PAGE_RE
    from release_lint.detectors.files import readme_documents

    found: Dict[str, List[str]] = {"weights": [], "datasets": []}
    for path in readme_documents(repo)[:3]:
        doc = repo.markdown(path)
        if doc is None:
            continue
        base = doc.front_matter.mapping.get("base_model")
        bases = [str(b) for b in (base if isinstance(base, list) else [base]) if b]
        for link in doc.links():
            if link.kind == "image" or link.line > len(doc.lines):
                continue
            line = doc.lines[link.line - 1]
            where = f"{path}:{link.line} link: {link.target} {LINKED_NOTE}"
            if DATASET_PAGE_RE.match(link.target) or (_DOI_RE.match(link.target) and _DATA_WORD_RE.search(line)):
                found["datasets"].append(where)
            elif (HUB_MODEL_PAGE_RE.match(link.target) or _RELEASE_ASSET_RE.match(link.target)
                  or _DOI_RE.match(link.target)) and _WEIGHTS_WORD_RE.search(line) and not _BASE_MODEL_RE.search(line) \
                    and not any(base and base in link.target for base in bases):
                found["weights"].append(where)
    return {key: list(dict.fromkeys(values)) for key, values in found.items()}


def _training():
    from release_lint.detectors import training

    return training


def _detector_evidence(detector_name: str, module: str = "training") -> Callable[[Repo], List[str]]:
    def provide(repo: Repo) -> List[str]:
        import importlib

        return _where(getattr(importlib.import_module(f"release_lint.detectors.{module}"), detector_name)(repo))

    return provide


# Rule code -> where the component it guards was found.
COMPONENT_EVIDENCE: Dict[str, Callable[[Repo], List[str]]] = {
    "TRAIN001": lambda repo: _detector_evidence("training_entry_points")(repo) + [
        f"{e.path}:{e.line} {e.text}" if e.line else f"{e.path} {e.text}" for e in _training().external_training_code(repo)],
    "TRAIN004": _detector_evidence("evaluation_entry_points"),
    "TRAIN006": _detector_evidence("inference_entry_points"),
    "TRAIN007": lambda repo: _detector_evidence("model_definitions")(repo) + _detector_evidence("standard_architectures")(repo),
    "TRAIN008": _detector_evidence("intermediate_checkpoints"),
    "TRAIN002": lambda repo: _where(_training().recipe_facts(repo).sources),
    "ENV001": _detector_evidence("dependency_specs", "environment"),
}


def _technical_report(repo: Repo, card: Optional[str]) -> bool:
    """A document the release calls its technical report (a PDF or a linked report)."""
    if repo.glob("*report*.pdf", "docs/**/*report*.pdf", "technical_report/**", "docs/technical_report*.md"):
        return True
    if card:
        text = repo.text(card) or ""
        return "technical report" in text.lower()
    return False


def _evaluation_datasets(mapping: dict) -> List[str]:
    names = []
    index = mapping.get("model-index")
    if isinstance(index, list):
        for entry in index:
            results = entry.get("results") if isinstance(entry, dict) else None
            for item in results if isinstance(results, list) else []:
                dataset = item.get("dataset") if isinstance(item, dict) else None
                if isinstance(dataset, dict) and (dataset.get("type") or dataset.get("name")):
                    names.append(str(dataset.get("type") or dataset.get("name")))
    return names


def _sample_outputs(repo: Repo, facts) -> Tuple[bool, List[str]]:
    found = repo.glob("samples/**", "sample_outputs/**", "examples/outputs/**", "outputs/samples/**")
    if found:
        return True, found[:3]
    if facts is not None:
        for heading in facts.doc.headings:
            lower = heading.title.lower()
            if "sample" in lower and "output" in lower or lower in ("example outputs", "examples of outputs", "samples"):
                return True, [f"{facts.path}:{heading.line}"]
    return False, []


def resolve_licences(repo: Repo) -> Dict[str, List[dict]]:
    """Content type -> the licences covering it: component files first, else the distribution licence.

    Keys: ``code``, ``weights`` (the model parameters), ``data``, ``document``. Each licence is
    ``{"id", "path", "line", "mof_open", "osi_approved"}``.
    """
    from release_lint.detectors.licenses import describe_license, release_license

    covers = release_license(repo)
    # Without a licence file, the card's `license` is the repository's distribution licence (that is what
    # the Hub means by it), so it covers code and documents that nothing more specific covers.
    distribution = [c for c in covers.get("weights", []) if c.get("source") == "card"]
    resolved: Dict[str, List[dict]] = {}
    for key, source in (("code", "code"), ("weights", "weights"), ("data", "data"), ("document", "documentation")):
        entries = []
        seen = set()
        listed = covers.get(source, []) or (distribution if key in ("code", "document") else [])
        for cover in listed:
            marker = (cover["id"], cover["path"])
            if marker in seen:
                continue
            seen.add(marker)
            info = describe_license(cover["id"])
            entries.append({"id": cover["id"], "path": cover["path"], "line": cover.get("line"),
                            "mof_open": bool(info["mof_open"]), "osi_approved": bool(info["osi_approved"])})
        resolved[key] = entries
    return resolved


def _dataset_licences(repo: Repo) -> List[dict]:
    """Licences the data documentation states for the training data, as canonical ids."""
    from release_lint.detectors import license_ids
    from release_lint.detectors.cards import data_documentation
    from release_lint.detectors.licenses import describe_license

    found = []
    for evidence in data_documentation(repo).licences:
        for license_id in license_ids.free_text_ids(evidence.text):
            info = describe_license(license_id)
            found.append({"id": license_id, "path": evidence.path, "line": evidence.line,
                          "mof_open": bool(info["mof_open"]), "osi_approved": bool(info["osi_approved"])})
    return found


def _licence_for(component: Component, licences: Dict[str, List[dict]], dataset_licences: List[dict]) -> List[dict]:
    if component.name in ("Model parameters (Final)", "Model parameters (Intermediate)"):
        return licences["weights"]
    if component.name in ("Datasets", "Evaluation data") and dataset_licences:
        return dataset_licences
    return licences[component.content]


def assess_mof(evaluator: Evaluator) -> dict:
    repo = evaluator.repo
    presence = _component_presence(evaluator)
    licences = resolve_licences(repo)
    dataset_licences = _dataset_licences(repo)
    from release_lint.detectors.licenses import license_files

    general_files = {f["path"] for f in license_files(repo) if f["root"] and not f["component"]}
    components = []
    counted = set()
    for component in COMPONENTS:
        present, evidence = presence[component.name]
        covering = _licence_for(component, licences, dataset_licences) if present else []
        ids = sorted({c["id"] or "unrecognised" for c in covering})
        open_licence = bool(covering) and all(c["mof_open"] for c in covering)
        if present and open_licence:
            counted.add(component.name)
        if present and covering and any(LINKED_NOTE in str(e) for e in evidence) and component.content == "data":
            # A licence of a linked artefact is judged only from what the release says about that artefact.
            covering = [c for c in covering if c["path"] not in general_files]
            ids = sorted({c["id"] or "unrecognised" for c in covering})
            open_licence = bool(covering) and all(c["mof_open"] for c in covering)
            counted.discard(component.name)
            if open_licence:
                counted.add(component.name)
        components.append({
            "name": component.name,
            "linked": present and any(LINKED_NOTE in str(e) for e in evidence),
            "content_type": component.content,
            "required_in": CLASS_LABELS[component.required_in] if component.required else None,
            "present": present,
            "evidence": evidence,
            "license": ids[0] if len(ids) == 1 else (" AND ".join(ids) if ids else None),
            "license_open": open_licence,
            "license_paths": sorted({c["path"] for c in covering if c["path"]}),
            "counts": component.name in counted,
        })
    # A research paper stands in for the technical report.
    if "Technical report" not in counted and "Research paper" in counted:
        counted.add("Technical report")

    def required_for(level: int) -> List[str]:
        return [c.name for c in COMPONENTS if c.required and c.required_in >= level]

    reached = 0
    for level in (3, 2, 1):
        if all(name in counted for name in required_for(level)):
            reached = level
        else:
            break
    next_level = 3 if reached == 0 else (reached - 1 if reached > 1 else None)
    progress = None
    if next_level is not None:
        needed = required_for(next_level)
        missing = [name for name in needed if name not in counted]
        progress = {"class": CLASS_LABELS[next_level], "met": len(needed) - len(missing), "required": len(needed),
                    "percent": round(100 * (len(needed) - len(missing)) / len(needed)), "missing": missing}
    return {
        "framework": "Model Openness Framework 1.0",
        "class": CLASS_LABELS.get(reached, UNCLASSIFIED),
        "class_number": reached or None,
        "next": progress,
        "components": components,
        "licenses": licences,
    }


# --- OSI Open Source AI Definition 1.0 ---------------------------------------------------------
def assess_osaid(evaluator: Evaluator, mof: dict) -> dict:
    by_name = {c["name"]: c for c in mof["components"]}
    licences = mof["licenses"]
    requirements = []

    data_checks = [evaluator.check("data documentation", "DATA001"), evaluator.check("data sources", "DATA002"),
                   evaluator.check("data processing", "DATA003")]
    missing = [c.name for c in data_checks if not c.passed]
    requirements.append({"requirement": "data information", "met": not missing,
                         "reason": "training data described: documentation, sources and processing" if not missing
                         else "no " + ", no ".join(missing)})

    code_parts = ["Training code", "Data preprocessing code", "Inference code", "Model architecture"]
    absent = [name.lower() for name in code_parts if not by_name[name]["present"]]
    code_licences = licences["code"]
    code_osi = bool(code_licences) and all(c["osi_approved"] for c in code_licences)
    reason = []
    if absent:
        reason.append("no " + ", no ".join(absent))
    if not code_osi:
        reason.append("code is not under an OSI-approved licence (" + _ids(code_licences) + ")")
    requirements.append({"requirement": "code", "met": not reason,
                         "reason": "; ".join(reason) or "training, data processing, inference and architecture code under " + _ids(code_licences)})

    weights = by_name["Model parameters (Final)"]
    weight_licences = licences["weights"]
    if weights.get("linked"):
        from release_lint.detectors.licenses import license_files

        general = {f["path"] for f in license_files(evaluator.repo) if f["root"] and not f["component"]}
        weight_licences = [c for c in weight_licences if c["path"] not in general]  # what the release says of them
    weights_osi = bool(weight_licences) and all(c["osi_approved"] for c in weight_licences)
    reason = []
    if not weights["present"]:
        reason.append("no model parameters in the release")

    if not weights_osi:
        reason.append(("linked parameters " + LINKED_NOTE + " whose terms the release does not state" if weights.get("linked")
                       and not weight_licences else "parameters are not under OSI-approved terms (" + _ids(weight_licences) + ")"))
    requirements.append({"requirement": "parameters", "met": not reason,
                         "reason": "; ".join(reason) or ("parameters " + (LINKED_NOTE + " " if weights.get("linked") else "")
                                                         + "under " + _ids(weight_licences))})

    failing = [r for r in requirements if not r["met"]]
    if not failing:
        verdict = "meets the OSI Open Source AI Definition 1.0"
    else:
        detail = "; ".join(f"{r['requirement']}: {r['reason']}" for r in failing)
        verdict = ("open weights, not open source: " if weights["present"] else "not open source: ") + detail
    return {"definition": "OSI Open Source AI Definition 1.0", "meets": not failing, "verdict": verdict,
            "requirements": requirements}


def _ids(entries: List[dict]) -> str:
    ids = sorted({e["id"] or "unrecognised" for e in entries})
    return ", ".join(ids) if ids else "no licence"


def release_facts(repo: Repo) -> dict:
    """What the release says about itself, for the MOF self-assessment (empty strings when unknown)."""
    import os

    from release_lint.detectors.cards import card_facts
    from release_lint.detectors.gitstate import declared_versions
    from release_lint.markdown import load_yaml

    facts = card_facts(repo)
    mapping = facts.doc.front_matter.mapping if facts is not None else {}
    title = next((h.title for h in facts.doc.headings if h.level == 1), "") if facts is not None else ""
    versions = declared_versions(repo)
    citation = repo.exists_ci("CITATION.cff")
    cff = load_yaml(repo.text(citation) or "").mapping if citation else {}
    authors = cff.get("authors") if isinstance(cff.get("authors"), list) else []
    producer = ", ".join(str(a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names")))))
                         for a in authors if isinstance(a, dict)).strip(", ")
    base = mapping.get("base_model")
    pipeline = str(mapping.get("pipeline_tag") or "")
    kind = "language" if pipeline in ("text-generation", "text2text-generation", "fill-mask", "text-classification",
                                      "token-classification", "question-answering", "summarization", "translation") else ""
    return {
        "name": title or os.path.basename(repo.root.rstrip("/")),
        "version": versions[0].value if versions else "",
        "producer": producer,
        "repository": str(cff.get("repository-code") or ""),
        "origin": str(base[0] if isinstance(base, list) and base else base or ""),
        "type": kind,
    }


def assess(repo: Repo, config, result: Result) -> dict:
    """The whole verdict, as the JSON ``openness`` object."""
    evaluator = Evaluator(repo, config, result.problems)
    mof = assess_mof(evaluator)
    mof["release"] = release_facts(repo)
    osaid = assess_osaid(evaluator, mof)
    return {"areas": grade_areas(evaluator, result), "mof": mof, "osaid": osaid}


# --- presentation shared by the text and Markdown formats -----------------------------------------
def area_gaps(area: dict) -> List[str]:
    """Names of the checks an area failed."""
    return [check["check"] for check in area["checks"] if not check["passed"]]


def mof_line(mof: dict) -> str:
    line = mof["class"]
    upcoming = mof.get("next")
    if upcoming:
        line += f"; towards {upcoming['class']}: {upcoming['met']}/{upcoming['required']} required components"
        if upcoming["missing"]:
            line += " (missing or not openly licensed: " + ", ".join(upcoming["missing"]) + ")"
    return line
