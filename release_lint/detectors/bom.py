"""What an AI bill of materials can say about the release, each value with the file and line it came from.

Gathered from the other detectors (licences, the model card's front matter and sections, config.json,
weights and their digests, hyperparameters, hardware and energy statements) plus what only the team can
say, from ``[tool.release-lint.bom]`` (supplier, release time, download location, dataset types). Nothing
is guessed: a value the release does not state is left out and named in ``gaps``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from release_lint.repo import Repo
from release_lint.textindex import first_line, topics_in

MAX_TEXT = 1000  # characters of a card section kept as a consideration
DEFAULT_HASH_BYTES = 64 * 1024 * 1024  # files at most this big without a stated digest are hashed
# Hugging Face's base_model_relation -> CycloneDX pedigree list / wording.


@dataclass(frozen=True)
class Fact:
    """One value and where it is stated (``path`` None for the configuration or the verdict)."""

    value: Any
    path: Optional[str] = None
    line: Optional[int] = None

    @property
    def where(self) -> str:
        if not self.path:
            return "release-lint configuration"
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Dataset:
    name: str
    role: str  # "training" or "testing"
    path: str
    line: Optional[int]
    url: Optional[str] = None
    type: Optional[str] = None  # from the configuration's dataset-types


@dataclass(frozen=True)
class Metric:
    type: str
    value: Any
    name: Optional[str]
    dataset: Optional[str]
    task: Optional[str]
    path: str
    line: Optional[int]


@dataclass(frozen=True)
class Energy:
    """An energy or emissions statement in kWh (``kind`` "energy") or tCO2eq (``kind`` "co2")."""

    kind: str
    value: float
    unit: str
    path: str
    line: Optional[int]
    text: str
    activity: str = "other"  # "training" when the statement's line speaks of training or fine-tuning


@dataclass(frozen=True)
class Licence:
    """``kind``: "declared" (what the release says: card ``license``, package metadata) or "concluded"
    (a licence file release-lint identified from its text); ``id`` an SPDX id or LicenseRef, else
    ``name`` (and ``url``) of a named licence."""

    kind: str
    id: Optional[str]
    name: Optional[str]
    url: Optional[str]
    path: str
    line: Optional[int]


@dataclass(frozen=True)
class ReleasedFile:
    path: str
    role: str  # weights, shard, tokenizer, config
    format: Optional[str]
    size: Optional[int]
    sha256: Optional[str]
    digest_source: Optional[str]  # lfs-pointer, checksum-file, content
    digest_path: Optional[str]
    digest_line: Optional[int]


@dataclass(frozen=True)
class Gap:
    """A field the BOM standards ask for that the release does not state: ``field`` is a stable key."""

    field: str
    message: str
    path: Optional[str] = None
    line: Optional[int] = None


@dataclass
class BomFacts:
    name: Fact
    version: Optional[Fact] = None
    description: Optional[Fact] = None
    task: Optional[Fact] = None
    library: Optional[Fact] = None
    architecture_family: Optional[Fact] = None
    architecture: Optional[Fact] = None
    base_models: List[Fact] = field(default_factory=list)
    base_relation: Optional[Fact] = None
    licences: List[Licence] = field(default_factory=list)
    datasets: List[Dataset] = field(default_factory=list)
    metrics: List[Metric] = field(default_factory=list)
    considerations: Dict[str, Fact] = field(default_factory=dict)  # use_cases, out_of_scope, limitations
    training: Optional[Fact] = None  # the card's training procedure section
    preprocessing: List[Fact] = field(default_factory=list)
    energy: List[Energy] = field(default_factory=list)
    hyperparameters: List[Fact] = field(default_factory=list)  # value = (name, value)
    hardware: List[Fact] = field(default_factory=list)  # value = (kind, value)
    files: List[ReleasedFile] = field(default_factory=list)
    signatures: List[str] = field(default_factory=list)
    settings: Dict[str, Any] = field(default_factory=dict)  # [tool.release-lint.bom]
    gaps: List[Gap] = field(default_factory=list)  # what the standards ask for and the release does not say


def _text(value) -> Optional[str]:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    return None


def _clean(text: str) -> str:
    """Card prose as plain text: markup dropped, whitespace folded, cut at MAX_TEXT."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*`>#|]+|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])", " ", text)  # DATA_CARD.md keeps its "_"
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


MAX_PREPROCESSING_STEPS = 10


def _preprocessing_steps(repo: Repo, documented: list) -> List[Fact]:
    """Each documented preprocessing statement as its whole paragraph (a wrapped sentence is one step, not
    one step per line), placed at the paragraph's first line; a heading alone says nothing."""
    from release_lint.textindex import text_index

    index = text_index(repo)
    steps: Dict[str, Fact] = {}
    for evidence in documented:
        context = index.context(evidence.path) if evidence.line else None
        if context is not None:
            start, end = context.paragraph(evidence.line)
            text, line = _clean(" ".join(context.lines[start - 1:end])), start
        else:
            text, line = _clean(evidence.text), evidence.line
        if len(text) > 30 and text not in steps and len(steps) < MAX_PREPROCESSING_STEPS:
            steps[text] = Fact(text, evidence.path, line)
    return list(steps.values())


def _card(repo: Repo, facts: BomFacts) -> None:
    from release_lint.detectors.card_content import card_facts, is_substantive

    card = card_facts(repo)
    if card is None:
        return
    matter = card.doc.front_matter
    mapping, path = matter.mapping, card.path
    title = next((h for h in card.doc.headings if h.level == 1), None)
    if title is not None:
        facts.name = Fact(title.title.strip(), path, title.line)
    # The description: the first paragraph under the title, else the first line of "Model details".
    number = None
    if title is not None:
        number = next((n for n in range(title.body_start, min(title.body_end, len(card.doc.lines)) + 1)
                       if is_substantive(card.doc.lines[n - 1]) and not card.doc.lines[n - 1].lstrip().startswith(("#", "<", "!", "[!"))), None)
    details = card.section("model_details")
    if number is None and details is not None:
        number = next((n for n, t in details.lines if is_substantive(t)), None)
    if number:
        facts.description = Fact(_clean(card.doc.lines[number - 1]), path, number)
    for key, attribute in (("pipeline_tag", "task"), ("library_name", "library")):
        value = _text(mapping.get(key))
        if value:
            setattr(facts, attribute, Fact(value, path, matter.line_of(key)))
    base = mapping.get("base_model")
    for name in (base if isinstance(base, list) else [base]):
        if _text(name):
            line = first_line(card.doc.lines, re.compile(re.escape(str(name))), matter.line_of("base_model") or 1, matter.end_line)
            facts.base_models.append(Fact(_text(name), path, line or matter.line_of("base_model")))
    relation = _text(mapping.get("base_model_relation"))
    if relation:
        facts.base_relation = Fact(relation.lower(), path, matter.line_of("base_model_relation"))
    for key, section_key in (("use_cases", "intended_use"), ("out_of_scope", "out_of_scope"), ("limitations", "limitations")):
        section = card.section(section_key)
        if section is None:
            continue
        # Intended use may hold an out-of-scope sub-section: that text is said once, as out of scope.
        nested = [(h.heading.line, h.heading.content_end) for other in ("out_of_scope",) if other != section_key
                  for h in card.sections.get(other, [])]
        text = "\n".join(t for n, t in section.lines if not any(a <= n <= b for a, b in nested))
        if text.strip():
            facts.considerations[key] = Fact(_clean(text), path, section.line)
    section = card.section("training_procedure")
    if section is not None and section.text.strip():
        facts.training = Fact(_clean(section.text), path, section.line)
    _model_index(card, facts)


def _model_index(card, facts: BomFacts) -> None:
    """Metrics and evaluation datasets of the front matter's ``model-index``, each at its line."""
    matter = card.doc.front_matter
    index = matter.mapping.get("model-index")
    if not isinstance(index, list):
        return
    lines, cursor, stop = card.doc.lines, matter.line_of("model-index") or 1, matter.end_line
    for entry in index:
        for result in (entry.get("results") if isinstance(entry, dict) and isinstance(entry.get("results"), list) else []):
            if not isinstance(result, dict):
                continue
            task = result.get("task") if isinstance(result.get("task"), dict) else {}
            dataset = result.get("dataset") if isinstance(result.get("dataset"), dict) else {}
            dataset_name = _text(dataset.get("type")) or _text(dataset.get("name"))
            if dataset_name:
                needle = _text(dataset.get("name")) or dataset_name
                line = first_line(lines, re.compile(r"\b(?:name|type)\s*:\s*['\"]?" + re.escape(needle)), cursor, stop)
                facts.datasets.append(Dataset(dataset_name, "testing", card.path, line or cursor))
            for metric in (result.get("metrics") if isinstance(result.get("metrics"), list) else []):
                if not isinstance(metric, dict) or not _text(metric.get("type")) or metric.get("value") is None:
                    continue
                line = first_line(lines, re.compile(r"\btype\s*:\s*['\"]?" + re.escape(_text(metric["type"])) + r"\b"), cursor, stop)
                cursor = line + 1 if line else cursor
                facts.metrics.append(Metric(_text(metric["type"]), metric["value"], _text(metric.get("name")), dataset_name,
                                            _text(task.get("type")), card.path, line))


def _architecture(repo: Repo, facts: BomFacts) -> None:
    """``model_type`` (the family) and ``architectures[0]`` of the root config.json, read as TRAIN007 reads it."""
    from release_lint.detectors.model_architecture import config_json, json_key_line

    data = config_json(repo, "config.json") if repo.exists("config.json") and not repo.truncated("config.json") else None
    if data is None:
        return
    family = _text(data.get("model_type"))
    if family:
        facts.architecture_family = Fact(family, "config.json", json_key_line(repo, "config.json", "model_type"))
    architectures = data.get("architectures")
    if isinstance(architectures, list) and architectures and _text(architectures[0]):
        facts.architecture = Fact(_text(architectures[0]), "config.json", json_key_line(repo, "config.json", "architectures"))


def _training_datasets(repo: Repo, facts: BomFacts) -> None:
    from release_lint.detectors.data_documentation import data_documentation

    seen = {d.name.lower() for d in facts.datasets if d.role == "training"}
    for source in data_documentation(repo).sources:
        if source.kind not in ("metadata", "hub-id", "url"):
            continue  # a well-known corpus named in prose is a lead, not a dataset reference
        name = source.name
        hub = re.match(r"^https?://huggingface\.co/datasets/([^/?#]+/[^/?#]+)", source.url or "")
        if hub:
            name = hub.group(1)
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        line = source.line
        if source.kind == "metadata" and line:
            # `datasets:` lists one name a line below the key: point at the name's own line.
            lines = repo.lines(source.path)
            line = first_line(lines, re.compile(r"(?:^|[\s\[,'\"-])" + re.escape(source.name) + r"(?:$|[\s\],'\"])"), line, line + 200) or line
        facts.datasets.append(Dataset(name, "training", source.path, line, url=source.url))


def _licences(repo: Repo, facts: BomFacts) -> None:
    from release_lint.detectors.licenses import declared_licenses, license_files

    for entry in declared_licenses(repo):
        if entry.kind == "card":
            name = _text(entry.license_name) if not entry.id else None
            url = _text(entry.license_link)
            if entry.id or name or entry.value:
                facts.licences.append(Licence("declared", entry.id, name or (None if entry.id else entry.value),
                                              url, entry.source, entry.line))
        elif entry.kind == "spdx" and entry.id:
            facts.licences.append(Licence("declared", entry.id, None, None, entry.source, entry.line))
    for file in license_files(repo):
        if file.root:
            facts.licences.append(Licence("concluded", file.id, None if file.id else (file.terms.name or file.path),
                                          None, file.path, None))


# Numbers start after a non-digit and are bounded, so a run of digits cannot make these regexes backtrack.
ENERGY_VALUE_RE = re.compile(r"(?<![\d,.])(\d[\d,]{0,15}(?:\.\d{1,6})?)\s*(k|M|G)Wh\b")
CO2_VALUE_RE = re.compile(r"(?<![\d,.])(\d[\d,]{0,15}(?:\.\d{1,6})?)\s*(t|kg|g|tons?|tonnes?|metric\s+tons?)\s*(?:of\s+)?(?:CO2|tCO2)", re.IGNORECASE)
CO2_AFTER_RE = re.compile(r"(?:CO2|carbon)[^\d\n]{0,40}?(\d[\d,]{0,15}(?:\.\d{1,6})?)\s*(t|kg|g|tons?|tonnes?)\b", re.IGNORECASE)
TCO2_RE = re.compile(r"(?<![\d,.])(\d[\d,]{0,15}(?:\.\d{1,6})?)\s*tCO2", re.IGNORECASE)
ENERGY_SCALE = {"k": 1.0, "M": 1e3, "G": 1e6}
CO2_SCALE = {"t": 1.0, "ton": 1.0, "tons": 1.0, "tonne": 1.0, "tonnes": 1.0, "kg": 1e-3, "g": 1e-6}


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def parse_energy(text: str) -> List[tuple]:
    """(kind, value, unit) found in a statement: energy in kWh, emissions in tCO2eq."""
    found = []
    for match in ENERGY_VALUE_RE.finditer(text):
        found.append(("energy", _number(match.group(1)) * ENERGY_SCALE[match.group(2)], "kWh"))
    co2 = TCO2_RE.search(text) or CO2_VALUE_RE.search(text) or CO2_AFTER_RE.search(text)
    if co2:
        unit = (co2.group(2) if co2.re is not TCO2_RE else "t").lower().split()[-1]
        found.append(("co2", _number(co2.group(1)) * CO2_SCALE.get(unit, 1.0), "tCO2eq"))
    return found


def _energy(repo: Repo, facts: BomFacts) -> None:
    from release_lint.detectors.hardware import hardware_facts

    seen = set()
    for statement in hardware_facts(repo).energy:
        if statement.value == "co2_eq_emissions":
            # Hugging Face's card metadata: grams of CO2eq, as a number or {emissions: grams, ...}.
            doc = repo.markdown(statement.path)
            value = doc.front_matter.mapping.get("co2_eq_emissions") if doc is not None else None
            grams = value.get("emissions") if isinstance(value, dict) else value
            if isinstance(grams, (int, float)) and not isinstance(grams, bool):
                found = [("co2", float(grams) * 1e-6, "tCO2eq")]
            else:
                found = []
            text = "co2_eq_emissions"
        else:
            line_text = (repo.lines(statement.path)[statement.line - 1]
                         if statement.line and statement.line <= len(repo.lines(statement.path)) else statement.text)
            found = parse_energy(statement.text) or parse_energy(line_text)
            text = statement.text
        lines = repo.lines(statement.path)
        context = (lines[statement.line - 1] if statement.line and statement.line <= len(lines) else text).lower()
        activity = "training" if "training" in topics_in(context) else "other"
        for kind, value, unit in found:
            marker = (kind, round(value, 9))
            if marker in seen:
                continue  # the same figure in the card's metadata and its prose
            seen.add(marker)
            facts.energy.append(Energy(kind, value, unit, statement.path, statement.line, text, activity))


def _hyperparameters(repo: Repo, facts: BomFacts) -> None:
    from release_lint.detectors.hyperparameters import recipe_facts

    recipe = recipe_facts(repo)
    order = {"config": 0, "config-tree": 1, "trainer-state": 2, "python": 3, "script": 4, "card": 5}
    covered = set()  # canonical names a higher-ranked source already gave
    for source in sorted(recipe.sources, key=lambda s: (order.get(s.kind, 9), s.path)):
        names, keys = set(), set()
        for key in recipe.keys.get(source.path, []):
            pair = key.value
            if pair is None or key.name in covered or pair[0].lower() in keys:
                continue
            names.add(key.name)
            keys.add(pair[0].lower())
            facts.hyperparameters.append(Fact(pair, source.path, key.line))
        covered |= names


def _hardware(repo: Repo, facts: BomFacts) -> None:
    from release_lint.detectors.hardware import hardware_facts

    hardware = hardware_facts(repo)
    for kind, statements in (("accelerator", hardware.accelerators), ("accelerator-count", hardware.counts),
                             ("compute", hardware.compute), ("memory", hardware.memory), ("parallelism", hardware.parallelism)):
        seen = set()
        for statement in statements:
            if statement.value in seen or len(seen) >= 3:
                continue
            seen.add(statement.value)
            facts.hardware.append(Fact((kind, statement.value), statement.path, statement.line))


def _files(repo: Repo, facts: BomFacts, hash_limit: int) -> None:
    from release_lint.detectors.provenance import model_signatures, released_model_files, stated_digest
    from release_lint.detectors.weights import weight_files

    formats = {w.path: (w.format if w.lfs is None else "lfs-pointer") for w in weight_files(repo)}
    for path, role in released_model_files(repo).items():
        digest = stated_digest(repo, path, hash_limit)
        size = repo.size(path)
        if digest is not None and digest.source == "lfs-pointer":
            from release_lint.detectors.lfs import parse_lfs_pointer

            pointer = parse_lfs_pointer(repo.head(path, 1024))
            size = pointer.size if pointer is not None else size
        facts.files.append(ReleasedFile(path, role, formats.get(path), size, digest.sha256 if digest else None,
                                        digest.source if digest else None, digest.path if digest else None,
                                        digest.line if digest else None))
    facts.signatures = [s.path for s in model_signatures(repo) if not s.error]


def _version(repo: Repo, facts: BomFacts) -> None:
    from release_lint.detectors.gitstate import declared_versions

    versions = declared_versions(repo)
    if versions:
        facts.version = Fact(versions[0].value, versions[0].source, versions[0].line)


def bom_facts(repo: Repo, settings: Optional[Dict[str, Any]] = None) -> BomFacts:
    """Everything the BOM formats need, from the release and the ``[tool.release-lint.bom]`` *settings*;
    computed once per run for given settings (REL006 and the BOM formats both ask)."""
    memo = repo.memo.setdefault(bom_facts, {})
    key = repr(sorted((settings or {}).items()))
    if key not in memo:
        memo[key] = _bom_facts(repo, dict(settings or {}))
    return memo[key]


def _bom_facts(repo: Repo, settings: Dict[str, Any]) -> BomFacts:
    import os

    facts = BomFacts(name=Fact(os.path.basename(repo.root.rstrip("/")) or "model"), settings=settings)
    _card(repo, facts)
    _architecture(repo, facts)
    _version(repo, facts)
    _training_datasets(repo, facts)
    _licences(repo, facts)
    _energy(repo, facts)
    _hyperparameters(repo, facts)
    _hardware(repo, facts)
    _files(repo, facts, settings.get("hash-max-bytes", DEFAULT_HASH_BYTES))
    from release_lint.detectors.data_documentation import data_documentation

    facts.preprocessing = _preprocessing_steps(repo, data_documentation(repo).preprocessing_docs)
    facts.datasets.sort(key=lambda d: d.role != "training")  # stable: training data first, then evaluation data
    types = settings.get("dataset-types", {})
    facts.datasets = [Dataset(d.name, d.role, d.path, d.line, d.url, types.get(d.name)) for d in facts.datasets]
    facts.gaps = bom_gaps(facts)
    return facts


def bom_gaps(facts: BomFacts) -> List[Gap]:
    """What CycloneDX's ML-BOM or SPDX 3's AI and Dataset profiles ask for that the release does not state."""
    settings, gaps = facts.settings, []
    table = "[tool.release-lint.bom]"
    if not settings.get("supplier"):
        gaps.append(Gap("supplier", f"no supplier (SPDX suppliedBy, CycloneDX supplier): set supplier in {table}"))
    if not settings.get("release-time"):
        gaps.append(Gap("release-time", f"no release time (SPDX releaseTime): set release-time in {table}"))
    if not settings.get("download-location"):
        gaps.append(Gap("download-location", "no download location (SPDX downloadLocation, CycloneDX distribution "
                                             f"reference): set download-location in {table}"))
    if facts.version is None:
        gaps.append(Gap("version", "no version (SPDX packageVersion, CycloneDX version): tag the release or state "
                                   "`version` in the model card, CITATION.cff or pyproject.toml"))
    if not any(lic.kind == "declared" for lic in facts.licences):
        gaps.append(Gap("declared-licence", "no declared licence (SPDX hasDeclaredLicense, CycloneDX licenses): "
                                            "add `license` to the model card"))
    if not any(lic.kind == "concluded" for lic in facts.licences):
        gaps.append(Gap("concluded-licence", "no licence file to conclude a licence from (SPDX hasConcludedLicense): "
                                             "add a LICENSE file"))
    named = set()
    for dataset in facts.datasets:
        if not dataset.type and dataset.name not in named:
            named.add(dataset.name)
            gaps.append(Gap(f"dataset-type:{dataset.name}", f"dataset {dataset.name}: no dataset type (SPDX datasetType): "
                                                            f"set it in {table} dataset-types", dataset.path, dataset.line))
    for released in facts.files:
        if released.sha256 is None:
            gaps.append(Gap(f"sha256:{released.path}", f"{released.path}: no SHA-256 stated (no LFS pointer or checksum "
                                                       "file lists it, and it is larger than hash-max-bytes)", released.path))
    return gaps
