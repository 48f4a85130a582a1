"""CycloneDX ML-BOM (JSON, specification 1.6 or 1.7) of the release, written as plain JSON.

The model is ``metadata.component`` (type ``machine-learning-model``) with its ``modelCard``, licences,
``pedigree`` (the base model) and namespaced ``release-lint:`` properties (hyperparameters, hardware and
compute, the training procedure); datasets are ``data`` components that ``modelParameters.datasets``
references; weight, shard, tokenizer and config files are ``file`` components with the SHA-256 the release
states; the openness verdict (MOF class and components, OSI OSAID requirements) is a set of
``declarations`` claims with their evidence, against ``definitions.standards``.

Every value names the file and line it came from: as ``citations`` (1.7, each attributed to the source
file's component) or, in 1.6, which has no citations, as ``release-lint:source:<JSON pointer>``
properties of the BOM. What the release does not say is left out and listed as
``release-lint:missing`` properties of the metadata. Specification: https://cyclonedx.org/specification/overview/
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Dict, List, Optional

from release_lint import __version__
from release_lint.detectors.license_ids import spdx_licenses
from release_lint.detectors.licenses import describe_license
from release_lint.findings import Result
from release_lint.formats._moment import creation_moment

VERSIONS = ("1.6", "1.7")
TOOL_REF = "release-lint"
MODEL_REF = "model"
NAMESPACE = "release-lint"


def timestamp() -> str:
    """When the BOM is made (see formats._moment), as CycloneDX writes it."""
    return creation_moment().isoformat().replace("+00:00", "Z")


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-").lower() or "x"


class Sources:
    """JSON pointer -> (path, line) of each value written, for citations or source properties."""

    def __init__(self) -> None:
        self.cited: Dict[str, tuple] = {}

    def cite(self, pointer: str, path: Optional[str], line: Optional[int] = None) -> None:
        self.cited.setdefault(pointer, (path, line))

    def cite_fact(self, pointer: str, fact) -> None:
        self.cite(pointer, fact.path, fact.line)


def _prop(name: str, value) -> dict:
    return {"name": f"{NAMESPACE}:{name}", "value": str(value)}


def _spdx_id(license_id: Optional[str]) -> Optional[str]:
    if not license_id or license_id.startswith("LicenseRef-"):
        return None
    known = spdx_licenses().get(license_id.lower())
    return known.id if known is not None and not getattr(known, "deprecated_id", False) else None


def licence_entries(facts, base: str, sources: Sources) -> List[dict]:
    """``licenses`` entries, declared then concluded, each once: an SPDX id, else a name (and URL)."""
    entries, seen = [], set()
    for licence in facts.licences:
        spdx = _spdx_id(licence.id)
        name = None
        if not spdx:  # a named licence: its common name, with release-lint's id (a LicenseRef) as an alternative
            known = describe_license(licence.id).name if licence.id else None
            name = known if known and known != licence.id else (licence.name or licence.id)
        if not spdx and not name:
            continue
        marker = (spdx or name, licence.kind)
        if marker in seen:
            continue
        seen.add(marker)
        entry = {"id": spdx} if spdx else {"name": name}
        if not spdx and licence.id and licence.id != name:
            entry["licensing"] = {"altIds": [licence.id]}
        if licence.url and re.match(r"^https?://", licence.url):
            entry["url"] = licence.url
        entry["acknowledgement"] = licence.kind
        sources.cite(f"{base}/{len(entries)}/license", licence.path, licence.line)
        entries.append({"license": entry})
    return entries


def _energy(facts, base: str, sources: Sources) -> Optional[dict]:
    """environmentalConsiderations: kWh statements as energyConsumptions (with the CO2 of the same line);
    emissions stated without energy as properties (CycloneDX needs the energy to record a consumption)."""
    consumptions, properties = [], []
    co2_by_line = {(e.path, e.line): e for e in facts.energy if e.kind == "co2"}
    used = set()
    for statement in facts.energy:
        if statement.kind != "energy":
            continue
        entry = {"activity": statement.activity, "energyProviders": [],
                 "activityEnergyCost": {"value": statement.value, "unit": "kWh"}}
        pointer = f"{base}/energyConsumptions/{len(consumptions)}"
        sources.cite(pointer, statement.path, statement.line)
        co2 = co2_by_line.get((statement.path, statement.line))
        if co2 is not None:
            entry["co2CostEquivalent"] = {"value": co2.value, "unit": "tCO2eq"}
            sources.cite(pointer + "/co2CostEquivalent", co2.path, co2.line)
            used.add((co2.path, co2.line))
        consumptions.append(entry)
    for statement in facts.energy:
        if statement.kind == "co2" and (statement.path, statement.line) not in used:
            sources.cite(f"{base}/properties/{len(properties)}", statement.path, statement.line)
            properties.append(_prop("co2-eq-emissions", f"{statement.value:g} tCO2eq"))
    out = {}
    if consumptions:
        out["energyConsumptions"] = consumptions
    if properties:
        out["properties"] = properties
    return out or None


def _model_card(facts, base: str, sources: Sources) -> dict:
    card: dict = {}
    parameters: dict = {}
    for key, fact in (("task", facts.task), ("architectureFamily", facts.architecture_family),
                      ("modelArchitecture", facts.architecture)):
        if fact is not None:
            parameters[key] = fact.value
            sources.cite_fact(f"{base}/modelParameters/{key}", fact)
    datasets = _unique_datasets(facts)
    if datasets:
        parameters["datasets"] = []
        for dataset in datasets:
            sources.cite(f"{base}/modelParameters/datasets/{len(parameters['datasets'])}", dataset.path, dataset.line)
            parameters["datasets"].append({"ref": dataset_ref(dataset.name)})
    if parameters:
        card["modelParameters"] = parameters
    metrics = []
    for metric in facts.metrics:
        entry = {"type": metric.name or metric.type, "value": str(metric.value)}
        if metric.dataset:
            entry["slice"] = metric.dataset
        sources.cite(f"{base}/quantitativeAnalysis/performanceMetrics/{len(metrics)}", metric.path, metric.line)
        metrics.append(entry)
    if metrics:
        card["quantitativeAnalysis"] = {"performanceMetrics": metrics}
    considerations: dict = {}
    for key, field_name in (("use_cases", "useCases"), ("limitations", "technicalLimitations")):
        fact = facts.considerations.get(key)
        if fact is not None:
            considerations[field_name] = [fact.value]
            sources.cite_fact(f"{base}/considerations/{field_name}/0", fact)
    environment = _energy(facts, f"{base}/considerations/environmentalConsiderations", sources)
    if environment:
        considerations["environmentalConsiderations"] = environment
    if considerations:
        card["considerations"] = considerations
    properties = []
    out_of_scope = facts.considerations.get("out_of_scope")
    if out_of_scope is not None:
        sources.cite_fact(f"{base}/properties/{len(properties)}", out_of_scope)
        properties.append(_prop("out-of-scope-use", out_of_scope.value))
    if properties:
        card["properties"] = properties
    return card


def _unique_datasets(facts):
    seen, unique = set(), []
    for dataset in facts.datasets:
        if dataset.name not in seen:
            seen.add(dataset.name)
            unique.append(dataset)
    return unique


def dataset_ref(name: str) -> str:
    return f"dataset:{slug(name)}"


def file_ref(path: str) -> str:
    return f"file:{path}"


def _model_component(facts, openness: Optional[dict], sources: Sources) -> dict:
    base = "/metadata/component"
    settings = facts.settings
    component: dict = {"type": "machine-learning-model", "bom-ref": MODEL_REF, "name": facts.name.value}
    sources.cite_fact(f"{base}/name", facts.name)
    if facts.version is not None:
        component["version"] = facts.version.value
        sources.cite_fact(f"{base}/version", facts.version)
    if facts.description is not None:
        component["description"] = facts.description.value
        sources.cite_fact(f"{base}/description", facts.description)
    if settings.get("supplier"):
        component["supplier"] = {"name": settings["supplier"]}
        sources.cite(f"{base}/supplier", None)
        if settings.get("supplier-url"):
            component["supplier"]["url"] = [settings["supplier-url"]]
    licences = licence_entries(facts, f"{base}/licenses", sources)
    if licences:
        component["licenses"] = licences
    if settings.get("download-location"):
        component["externalReferences"] = [{"type": "distribution", "url": settings["download-location"]}]
        sources.cite(f"{base}/externalReferences/0", None)
    if facts.base_models:
        relation = facts.base_relation.value if facts.base_relation is not None else None
        kind = "variants" if relation == "quantized" else "ancestors"
        component["pedigree"] = {kind: []}
        for number, base_model in enumerate(facts.base_models):
            ancestor = {"type": "machine-learning-model", "bom-ref": f"base-model:{slug(base_model.value)}",
                        "name": base_model.value}
            if relation:
                ancestor["properties"] = [_prop("base-model-relation", relation)]
            sources.cite_fact(f"{base}/pedigree/{kind}/{number}", base_model)
            component["pedigree"][kind].append(ancestor)
    card = _model_card(facts, f"{base}/modelCard", sources)
    if card:
        component["modelCard"] = card
    properties = []

    def add(name: str, value, fact=None, path=None, line=None) -> None:
        if fact is not None:
            path, line = fact.path, fact.line
        sources.cite(f"{base}/properties/{len(properties)}", path, line)
        properties.append(_prop(name, value))

    if facts.library is not None:
        add("library", facts.library.value, facts.library)
    for fact in facts.hyperparameters:
        add(f"hyperparameter:{fact.value[0]}", fact.value[1], fact)
    for fact in facts.hardware:
        add(f"hardware:{fact.value[0]}", fact.value[1], fact)
    if facts.training is not None:
        add("training-procedure", facts.training.value, facts.training)
    for fact in facts.preprocessing:
        add("data-preprocessing", fact.value, fact)
    for path in facts.signatures:
        add("signature", f"{path} (OpenSSF model signing; coverage checked by ART010, not verified)", path=path)
    if openness:
        add("mof-class", openness["mof"]["class"])
        add("osaid", openness["osaid"]["verdict"])
    if properties:
        component["properties"] = properties
    return component


def _data_component(dataset, sources: Sources, index: int, roles: List[str]) -> dict:
    data = {"type": "dataset", "name": dataset.name}
    component = {"type": "data", "bom-ref": dataset_ref(dataset.name), "name": dataset.name, "data": [data]}
    sources.cite(f"/components/{index}/name", dataset.path, dataset.line)
    if dataset.url:
        component["externalReferences"] = [{"type": "distribution", "url": dataset.url}]
        sources.cite(f"/components/{index}/externalReferences/0", dataset.path, dataset.line)
    properties = [_prop("dataset-role", ", ".join(roles))]
    if dataset.type:
        properties.append(_prop("dataset-type", dataset.type))
        sources.cite(f"/components/{index}/properties/1", None)
    component["properties"] = properties
    return component


def _file_component(released, sources: Sources, index: int) -> dict:
    component = {"type": "file", "bom-ref": file_ref(released.path), "name": released.path}
    if released.sha256:
        component["hashes"] = [{"alg": "SHA-256", "content": released.sha256}]
        sources.cite(f"/components/{index}/hashes/0", released.digest_path, released.digest_line)
    properties = [_prop("role", released.role)]
    if released.format:
        properties.append(_prop("format", released.format))
    if released.size is not None:
        properties.append(_prop("size", released.size))
    if released.digest_source:
        where = released.digest_path + (f":{released.digest_line}" if released.digest_line else "")
        properties.append(_prop("sha256-source", f"{released.digest_source} ({where})"))
    component["properties"] = properties
    return component


def _declarations(openness: dict, stamp: str) -> tuple:
    """(definitions, declarations): the MOF and OSAID as standards, the verdict as claims with evidence."""
    mof, osaid = openness["mof"], openness["osaid"]
    mof_requirements, claims, evidence, attestation_map = [], [], [], []
    for component in mof["components"]:
        requirement = f"requirement:mof:{slug(component['name'])}"
        mof_requirements.append({"bom-ref": requirement, "identifier": component["name"]})
        proofs = []
        for item in component["evidence"][:10]:
            ref = f"evidence:mof:{slug(component['name'])}:{len(proofs)}"
            proofs.append(ref)
            evidence.append({"bom-ref": ref, "propertyName": component["name"], "data": [{"name": str(item)}],
                             "created": stamp})
        claim = f"claim:mof:{slug(component['name'])}"
        state = "present" if component["present"] else "not found"
        licence = component["license"] or "no licence"
        claims.append({"bom-ref": claim, "target": MODEL_REF,
                       "predicate": f"{component['name']}: {state}, under {licence}"
                                    f"{' (open)' if component['license_open'] else ''}",
                       "reasoning": "counts towards the MOF class" if component["counts"] else
                                    ("present but not under an open licence" if component["present"] else "not found in the release"),
                       **({"evidence": proofs} if proofs else {})})
        attestation_map.append({"requirement": requirement, "claims": [claim],
                                "conformance": {"score": 1 if component["counts"] else 0,
                                                "rationale": "present under an open licence" if component["counts"] else "not counted"}})
    levels = []
    for number, label in ((3, "Class III - Open Model"), (2, "Class II - Open Tooling"), (1, "Class I - Open Science")):
        required = [f"requirement:mof:{slug(c['name'])}" for c in mof["components"]
                    if c["required_in"] and _class_number(c["required_in"]) >= number]
        levels.append({"bom-ref": f"level:mof:{number}", "identifier": label, "requirements": required})
    claims.append({"bom-ref": "claim:mof:class", "target": MODEL_REF,
                   "predicate": f"Model Openness Framework class: {mof['class']}",
                   "reasoning": "every required component of the class and the classes below it is present under an open licence"
                                if mof["class_number"] else "the required components of Class III are not all present under open licences"})
    osaid_requirements = []
    for requirement in osaid["requirements"]:
        ref = f"requirement:osaid:{slug(requirement['requirement'])}"
        claim = f"claim:osaid:{slug(requirement['requirement'])}"
        osaid_requirements.append({"bom-ref": ref, "identifier": requirement["requirement"]})
        claims.append({"bom-ref": claim, "target": MODEL_REF,
                       "predicate": f"OSAID {requirement['requirement']}: {'met' if requirement['met'] else 'not met'}",
                       "reasoning": requirement["reason"]})
        attestation_map.append({"requirement": ref, "claims": [claim],
                                "conformance": {"score": 1 if requirement["met"] else 0, "rationale": requirement["reason"]}})
    definitions = {"standards": [
        {"bom-ref": "standard:mof", "name": "Model Openness Framework", "version": "1.0", "owner": "Linux Foundation AI & Data",
         "requirements": mof_requirements, "levels": levels,
         "externalReferences": [{"type": "website", "url": "https://isitopen.ai/"}]},
        {"bom-ref": "standard:osaid", "name": "Open Source AI Definition", "version": "1.0", "owner": "Open Source Initiative",
         "requirements": osaid_requirements,
         "externalReferences": [{"type": "website", "url": "https://opensource.org/ai/open-source-ai-definition"}]},
    ]}
    declarations = {
        "assessors": [{"bom-ref": "assessor:release-lint", "thirdParty": False,
                       "organization": {"name": "release-lint (automated self-assessment)"}}],
        "attestations": [{"summary": f"{mof['class']}; {osaid['verdict']}", "assessor": "assessor:release-lint",
                          "map": attestation_map}],
        "claims": claims,
        "evidence": evidence,
    }
    return definitions, declarations


def _class_number(label: str) -> int:
    return {"Class III - Open Model": 3, "Class II - Open Tooling": 2, "Class I - Open Science": 1}.get(label, 0)


def to_document(result: Result, spec_version: str = "1.6") -> dict:
    if spec_version not in VERSIONS:
        raise ValueError(f"CycloneDX {spec_version} is not supported (choose from {', '.join(VERSIONS)})")
    facts = result.extra["bom"]
    openness = result.extra.get("openness")
    stamp = timestamp()
    sources = Sources()
    model = _model_component(facts, openness, sources)
    components: List[dict] = []
    roles: Dict[str, List[str]] = {}
    for dataset in facts.datasets:
        roles.setdefault(dataset.name, [])
        if dataset.role not in roles[dataset.name]:
            roles[dataset.name].append(dataset.role)
    for dataset in _unique_datasets(facts):
        components.append(_data_component(dataset, sources, len(components), roles[dataset.name]))
    for released in facts.files:
        components.append(_file_component(released, sources, len(components)))
    metadata = {
        "timestamp": stamp,
        "tools": {"components": [{"type": "application", "bom-ref": TOOL_REF, "name": "release-lint", "version": __version__}]},
        "component": model,
    }
    if facts.gaps:
        metadata["properties"] = [_prop("missing", gap.message) for gap in facts.gaps]
    document = {
        "$schema": f"http://cyclonedx.org/schema/bom-{spec_version}.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": spec_version,
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": metadata,
        "components": components,
        "dependencies": [{"ref": MODEL_REF, "dependsOn": [c["bom-ref"] for c in components]}],
    }
    if openness:
        document["definitions"], document["declarations"] = _declarations(openness, stamp)
    # The files values were read from: components to attribute citations to (1.7) and to name as sources.
    cited_paths = sorted({path for path, _line in sources.cited.values() if path})
    known = {c["name"] for c in components if c["type"] == "file"}
    for path in cited_paths:
        if path not in known:
            components.append({"type": "file", "bom-ref": file_ref(path), "name": path,
                               "properties": [_prop("role", "source document")]})
    if spec_version == "1.6":
        document["properties"] = [_prop(f"source:{pointer}", _where(path, line, facts))
                                  for pointer, (path, line) in sources.cited.items()]
    else:
        document["citations"] = [
            {"bom-ref": f"citation:{number}", "pointers": [pointer], "timestamp": stamp,
             "attributedTo": file_ref(path) if path else TOOL_REF, "note": _where(path, line, facts)}
            for number, (pointer, (path, line)) in enumerate(sources.cited.items())
        ]
    return document


def _where(path: Optional[str], line: Optional[int], facts) -> str:
    if not path:
        return "[tool.release-lint.bom] configuration" if facts.settings else "release-lint openness verdict"
    return f"{path}:{line}" if line else path


def render(result: Result, *, cyclonedx_version: str = "1.6", **_options) -> str:
    if "bom" not in result.extra:
        return json.dumps({"error": "the CycloneDX BOM needs the BOM facts: run with --format cyclonedx"}) + "\n"
    return json.dumps(to_document(result, cyclonedx_version), indent=2, ensure_ascii=False) + "\n"
