"""The Model Openness Framework class: which of the 17 components the release has, the licence covering each
(resolved as the Model Openness Tool does: component licence, else the licence for its content type, else the
distribution licence: the root LICENSE, or without one the card's `license`), and the class they reach.

A component counts only when present under an open licence (OSI-approved, FSF-libre, the open-data list, or
OpenMDW). A class is reached when every required component of it and the classes below it counts; a research
paper may stand in for the technical report.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from release_lint.detectors import license_ids
from release_lint.detectors.card_content import CardFacts, card_facts
from release_lint.detectors.data_documentation import DATASET_PAGE_RE, HUB_MODEL_PAGE_RE, data_documentation
from release_lint.detectors.dependency_files import dependency_specs
from release_lint.detectors.files import model_card, readme_documents
from release_lint.detectors.gitstate import declared_versions
from release_lint.detectors.metadata import citation_cff
from release_lint.detectors.licenses import describe_license, license_files, release_license
from release_lint.detectors.checkpoints import intermediate_checkpoints
from release_lint.detectors.entry_points import (
    evaluation_entry_points,
    external_training_code,
    inference_entry_points,
    training_entry_points,
)
from release_lint.detectors.hyperparameters import recipe_facts
from release_lint.detectors.model_architecture import model_definitions, standard_architectures
from release_lint.detectors.weights import weight_files
from release_lint.openness.areas import quoted, where
from release_lint.openness.evaluator import Evaluator
from release_lint.openness.frameworks import CLASS_LABELS, COMPONENTS, UNCLASSIFIED, MofComponent, required_components
from release_lint.repo import Repo


@dataclass
class Component:
    """One MOF component as found in the release."""

    name: str
    content_type: str
    required_in: Optional[str]  # the class label that first requires it, None when optional
    present: bool
    linked: bool  # released elsewhere and linked (LINKED_NOTE)
    evidence: List[str]
    license: Optional[str]  # "A AND B" when several cover it, None when none does
    license_open: bool
    license_paths: List[str]
    counts: bool  # present under an open licence: it counts towards a class

    def to_dict(self) -> dict:
        return {"name": self.name, "linked": self.linked, "content_type": self.content_type,
                "required_in": self.required_in, "present": self.present, "evidence": self.evidence,
                "license": self.license, "license_open": self.license_open, "license_paths": self.license_paths,
                "counts": self.counts}


@dataclass
class MofAssessment:
    class_label: str
    class_number: Optional[int]
    next: Optional[Dict[str, Any]]  # the class above: {"class", "met", "required", "percent", "missing"}
    components: List[Component]
    licenses: Dict[str, List[dict]]  # content type -> licences (see resolve_licences)
    release: Dict[str, str] = field(default_factory=dict)  # see release_facts
    framework: str = "Model Openness Framework 1.0"

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)

    def to_dict(self) -> dict:
        return {"framework": self.framework, "class": self.class_label, "class_number": self.class_number,
                "next": self.next, "components": [c.to_dict() for c in self.components], "licenses": self.licenses,
                "release": self.release}


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
            place = f"{path}:{link.line} link: {link.target} {LINKED_NOTE}"
            if DATASET_PAGE_RE.match(link.target) or (_DOI_RE.match(link.target) and _DATA_WORD_RE.search(line)):
                found["datasets"].append(place)
            elif (HUB_MODEL_PAGE_RE.match(link.target) or _RELEASE_ASSET_RE.match(link.target)
                  or _DOI_RE.match(link.target)) and _WEIGHTS_WORD_RE.search(line) and not _BASE_MODEL_RE.search(line) \
                    and not any(base and base in link.target for base in bases):
                found["weights"].append(place)
    return {key: list(dict.fromkeys(values)) for key, values in found.items()}


# Rule code -> where the component it guards was found.
COMPONENT_EVIDENCE: Dict[str, Callable[[Repo], List[str]]] = {
    "TRAIN001": lambda repo: where(training_entry_points(repo)) + quoted(external_training_code(repo)),
    "TRAIN004": lambda repo: where(evaluation_entry_points(repo)),
    "TRAIN006": lambda repo: where(inference_entry_points(repo)),
    "TRAIN007": lambda repo: where(model_definitions(repo)) + where(standard_architectures(repo)),
    "TRAIN008": lambda repo: where(intermediate_checkpoints(repo)),
    "TRAIN002": lambda repo: where(recipe_facts(repo).sources),
    "ENV001": lambda repo: where(dependency_specs(repo)),
}


def _component_presence(evaluator: Evaluator) -> Dict[str, Tuple[bool, List[str]]]:
    """Component -> (present, evidence)."""
    repo = evaluator.repo
    card = model_card(repo)
    facts = card_facts(repo) if card else None
    data = data_documentation(repo)
    weights = [w for w in weight_files(repo) if w.is_model_parameters]
    paper = bool(card) and evaluator.passes("CARD006")
    report_named = _technical_report(repo, card)
    mapping = facts.doc.front_matter.mapping if facts is not None else {}
    eval_data = _evaluation_datasets(mapping) or repo.find_names("eval*.yaml", "eval*.yml", "eval*.json", "*_eval.yaml", under=None)

    def rule_evidence(code: str) -> List[str]:
        return COMPONENT_EVIDENCE[code](repo)

    linked = linked_components(repo)
    present: Dict[str, Tuple[bool, List[str]]] = {
        "Model architecture": (evaluator.passes("TRAIN007"), rule_evidence("TRAIN007")),
        "Model parameters (Final)": (bool(weights), [w.path for w in weights[:5]]) if weights
        else (bool(linked["weights"]), linked["weights"][:3]),
        "Evaluation results": (bool(card) and evaluator.passes("CARD005"), [card] if card else []),
        "Model card": (bool(card), [card] if card else []),
        "Data card": (bool(data.data_cards), list(data.data_cards)),
        "Technical report": (report_named or paper, [card] if (report_named or paper) and card else []),
        "Sample model outputs": _sample_outputs(repo, facts),
        "Training code": (evaluator.passes("TRAIN001"), rule_evidence("TRAIN001")),
        "Inference code": (evaluator.passes("TRAIN006"), rule_evidence("TRAIN006")),
        "Evaluation code": (evaluator.passes("TRAIN004"), rule_evidence("TRAIN004")),
        "Evaluation data": (bool(eval_data), list(eval_data)[:5]),
        # An install command in the docs passes ENV001 as a weak specification; the component needs a spec file.
        "Supporting libraries and tools": (bool(rule_evidence("ENV001")), rule_evidence("ENV001")),
        "Datasets": (bool(data.sources) and evaluator.passes("DATA002"), [f"{s.path}:{s.line} {s.name}" for s in data.sources[:5]])
        if not linked["datasets"] else (True, linked["datasets"][:3] + [f"{s.path}:{s.line} {s.name}" for s in data.sources[:3]]),
        "Data preprocessing code": (bool(data.preprocessing_code), list(data.preprocessing_code[:5])),
        "Model parameters (Intermediate)": (evaluator.passes("TRAIN008"), rule_evidence("TRAIN008")),
        "Research paper": (paper, [card] if paper and card else []),
        "Model metadata": (evaluator.passes("TRAIN002"), rule_evidence("TRAIN002")),
    }
    return present


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


def _sample_outputs(repo: Repo, facts: Optional[CardFacts]) -> Tuple[bool, List[str]]:
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
    covers = release_license(repo)
    # Without a licence file, the card's `license` is the repository's distribution licence (that is what
    # the Hub means by it), so it covers code and documents that nothing more specific covers.
    distribution = [c for c in covers.weights if c.source == "card"]
    resolved: Dict[str, List[dict]] = {}
    for key, source in (("code", "code"), ("weights", "weights"), ("data", "data"), ("document", "documentation")):
        entries = []
        seen = set()
        listed = covers.of(source) or (distribution if key in ("code", "document") else [])
        for cover in listed:
            marker = (cover.id, cover.path)
            if marker in seen:
                continue
            seen.add(marker)
            entries.append(_licence_entry(cover.id, cover.path, cover.line))
        resolved[key] = entries
    return resolved


def _licence_entry(license_id: Optional[str], path: Optional[str], line: Optional[int]) -> dict:
    terms = describe_license(license_id)
    return {"id": license_id, "path": path, "line": line, "mof_open": terms.mof_open, "osi_approved": terms.osi_approved}


def _dataset_licences(repo: Repo) -> List[dict]:
    """Licences the data documentation states for the training data, as canonical ids."""
    found = []
    for evidence in data_documentation(repo).licences:
        for license_id in license_ids.free_text_ids(evidence.text):
            found.append(_licence_entry(license_id, evidence.path, evidence.line))
    return found


def general_licence_files(repo: Repo) -> set:
    """Root licence files that are not a component's own: they say nothing of an artefact released elsewhere."""
    return {f.path for f in license_files(repo) if f.root and not f.component}


def _licence_for(component: MofComponent, licences: Dict[str, List[dict]], dataset_licences: List[dict]) -> List[dict]:
    if component.name in ("Model parameters (Final)", "Model parameters (Intermediate)"):
        return licences["weights"]
    if component.name in ("Datasets", "Evaluation data") and dataset_licences:
        return dataset_licences
    return licences[component.content]


def assess_mof(evaluator: Evaluator) -> MofAssessment:
    repo = evaluator.repo
    presence = _component_presence(evaluator)
    licences = resolve_licences(repo)
    dataset_licences = _dataset_licences(repo)
    general_files = general_licence_files(repo)
    components = []
    counted = set()
    for spec in COMPONENTS:
        present, evidence = presence[spec.name]
        linked = present and any(LINKED_NOTE in str(e) for e in evidence)
        covering = _licence_for(spec, licences, dataset_licences) if present else []
        if covering and linked and spec.content == "data":
            # A licence of a linked artefact is judged only from what the release says about that artefact.
            covering = [c for c in covering if c["path"] not in general_files]
        ids = sorted({c["id"] or "unrecognised" for c in covering})
        open_licence = bool(covering) and all(c["mof_open"] for c in covering)
        if present and open_licence:
            counted.add(spec.name)
        components.append(Component(
            name=spec.name,
            content_type=spec.content,
            required_in=CLASS_LABELS[spec.required_in] if spec.required else None,
            present=present,
            linked=linked,
            evidence=evidence,
            license=license_ids.all_of(ids),
            license_open=open_licence,
            license_paths=sorted({c["path"] for c in covering if c["path"]}),
            counts=spec.name in counted,
        ))
    # A research paper stands in for the technical report.
    if "Technical report" not in counted and "Research paper" in counted:
        counted.add("Technical report")

    reached = 0
    for level in (3, 2, 1):
        if all(name in counted for name in required_components(level)):
            reached = level
        else:
            break
    next_level = 3 if reached == 0 else (reached - 1 if reached > 1 else None)
    progress = None
    if next_level is not None:
        needed = required_components(next_level)
        missing = [name for name in needed if name not in counted]
        progress = {"class": CLASS_LABELS[next_level], "met": len(needed) - len(missing), "required": len(needed),
                    "percent": round(100 * (len(needed) - len(missing)) / len(needed)), "missing": missing}
    return MofAssessment(class_label=CLASS_LABELS.get(reached, UNCLASSIFIED), class_number=reached or None,
                         next=progress, components=components, licenses=licences)


def release_facts(repo: Repo) -> Dict[str, str]:
    """What the release says about itself, for the MOF self-assessment (empty strings when unknown)."""
    facts = card_facts(repo)
    mapping = facts.doc.front_matter.mapping if facts is not None else {}
    title = next((h.title for h in facts.doc.headings if h.level == 1), "") if facts is not None else ""
    versions = declared_versions(repo)
    citation = citation_cff(repo)
    cff = citation[1].mapping if citation else {}
    listed = cff.get("authors")
    authors: List[Any] = listed if isinstance(listed, list) else []
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
