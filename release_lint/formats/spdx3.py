"""SPDX 3.0.1 JSON-LD of the release (AI and Dataset profiles), built with the official SPDX bindings.

An ``ai_AIPackage`` for the model (type of model, hyperparameters, information about training and about
the application, metrics, limitations, energy consumption, data preprocessing, standard compliance
carrying the MOF class and the OSI OSAID verdict), a ``dataset_DatasetPackage`` per dataset related to it
by ``trainedOn`` / ``testedOn``, a ``software_File`` with its SHA-256 per weight, shard, tokenizer and
config file, the base model (``descendantOf``, or ``hasVariant`` for a quantisation), and the exactly one
``hasDeclaredLicense`` and ``hasConcludedLicense`` the AI profile requires of every AI package
(``NoAssertionLicense`` when the release does not say). Each element carries an ``Annotation`` naming the
file and line of each of its values; what the release does not say is left out and listed in an
annotation of the document. Needs ``pip install 'release-lint[bom]'`` (spdx-python-model).
Specification: https://spdx.github.io/spdx-spec/v3.0.1/
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone
from typing import Dict, List, Optional

from release_lint import __version__
from release_lint.detectors.license_ids import all_of
from release_lint.findings import Result
from release_lint.formats._moment import creation_moment

NO_ASSERTION_LICENSE = "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense"
INSTALL_HINT = "the spdx3 format needs the SPDX bindings: pip install 'release-lint[bom]'"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "x"


def _release_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.replace(microsecond=0)


def _licence_id(licence) -> Optional[str]:
    if licence.id:
        return licence.id
    if licence.name:  # a licence named but not identified: a document-local LicenseRef
        return "LicenseRef-" + _slug(licence.name)
    return None


class Builder:
    def __init__(self, model, facts, stamp: datetime):
        self.m = model
        self.facts = facts
        self.base = f"urn:uuid:{uuid.uuid4()}#"
        self.objects = model.SHACLObjectSet()
        self.elements: list = []
        self.counter = 0
        self.creation = model.CreationInfo(specVersion="3.0.1", created=stamp)
        agent = self.add(model.SoftwareAgent, "release-lint", name="release-lint")
        self.creation.createdBy.append(agent)
        self.creation.createdUsing.append(self.add(model.Tool, "tool", name=f"release-lint {__version__}"))

    def add(self, cls, local: str, **values):
        self.counter += 1
        element = cls(spdxId=f"{self.base}{_slug(local)}-{self.counter}", creationInfo=self.creation, **values)
        self.objects.add(element)
        self.elements.append(element)
        return element

    def relate(self, source, kind: str, targets) -> None:
        self.add(self.m.Relationship, f"rel-{kind}", from_=source, relationshipType=getattr(self.m.RelationshipType, kind),
                 to=list(targets))

    def annotate(self, subject, sources: Dict[str, str]) -> None:
        """One annotation per element: ``field: path:line`` for each value written."""
        if sources:
            statement = "Sources (release-lint): " + "; ".join(f"{name}: {where}" for name, where in sources.items())
            self.add(self.m.Annotation, "sources", annotationType=self.m.AnnotationType.other, subject=subject,
                     statement=statement)

    def licences(self, package, kind: str, ids: List[str]) -> None:
        """Exactly one hasDeclaredLicense / hasConcludedLicense: an expression, else NoAssertionLicense."""
        if ids:
            target = self.add(self.m.simplelicensing_LicenseExpression, f"licence-{kind}",
                              simplelicensing_licenseExpression=all_of(ids))
        else:
            target = NO_ASSERTION_LICENSE
        self.relate(package, "hasDeclaredLicense" if kind == "declared" else "hasConcludedLicense", [target])


def _model_package(builder: Builder, facts, openness: Optional[dict]):
    m, settings = builder.m, facts.settings
    sources: Dict[str, str] = {}
    package = builder.add(m.ai_AIPackage, "model", name=facts.name.value)
    sources["name"] = facts.name.where
    package.software_primaryPurpose = m.software_SoftwarePurpose.model
    if facts.version is not None:
        package.software_packageVersion = facts.version.value
        sources["packageVersion"] = facts.version.where
    if facts.description is not None:
        package.description = facts.description.value
        sources["description"] = facts.description.where
    if settings.get("supplier"):
        supplier = builder.add(m.Organization, "supplier", name=settings["supplier"])
        package.suppliedBy = supplier
        sources["suppliedBy"] = "[tool.release-lint.bom] supplier"
    if settings.get("release-time"):
        package.releaseTime = _release_time(settings["release-time"])
        sources["releaseTime"] = "[tool.release-lint.bom] release-time"
    if settings.get("download-location"):
        package.software_downloadLocation = settings["download-location"]
        sources["downloadLocation"] = "[tool.release-lint.bom] download-location"
    for fact in (facts.architecture_family, facts.architecture):
        if fact is not None:
            package.ai_typeOfModel.append(fact.value)
            sources.setdefault("typeOfModel", fact.where)
    application = []
    if facts.task is not None:
        application.append(f"Task: {facts.task.value}.")
        sources["informationAboutApplication (task)"] = facts.task.where
    use = facts.considerations.get("use_cases")
    if use is not None:
        application.append(f"Intended use: {use.value}")
        sources["informationAboutApplication (intended use)"] = use.where
    if application:
        package.ai_informationAboutApplication = " ".join(application)
    if facts.training is not None:
        package.ai_informationAboutTraining = facts.training.value
        sources["informationAboutTraining"] = facts.training.where
    limits = []
    for key, label in (("limitations", "Limitations"), ("out_of_scope", "Out-of-scope use")):
        fact = facts.considerations.get(key)
        if fact is not None:
            limits.append(f"{label}: {fact.value}")
            sources[f"limitation ({label.lower()})"] = fact.where
    if limits:
        package.ai_limitation = " ".join(limits)
    for fact in facts.hyperparameters:
        name, value = fact.value
        package.ai_hyperparameter.append(m.DictionaryEntry(key=name, value=value))
        sources[f"hyperparameter {name}"] = fact.where
    for metric in facts.metrics:
        key = (metric.name or metric.type) + (f" ({metric.dataset})" if metric.dataset else "")
        package.ai_metric.append(m.DictionaryEntry(key=key, value=str(metric.value)))
        sources[f"metric {key}"] = f"{metric.path}:{metric.line}" if metric.line else metric.path
    for fact in facts.preprocessing:
        package.ai_modelDataPreprocessing.append(fact.value)
        sources.setdefault("modelDataPreprocessing", fact.where)
    _energy(builder, package, facts, sources)
    if openness:
        package.ai_standardCompliance.append(f"Model Openness Framework 1.0: {openness['mof']['class']} "
                                             "(release-lint self-assessment)")
        package.ai_standardCompliance.append(f"OSI Open Source AI Definition 1.0: {openness['osaid']['verdict']} "
                                             "(release-lint self-assessment)")
        sources["standardCompliance"] = "release-lint openness verdict"
    declared = [i for i in (_licence_id(lic) for lic in facts.licences if lic.kind == "declared") if i]
    concluded = [i for i in (_licence_id(lic) for lic in facts.licences if lic.kind == "concluded") if i]
    builder.licences(package, "declared", declared)
    builder.licences(package, "concluded", concluded)
    for kind in ("declared", "concluded"):
        where = [f"{lic.path}:{lic.line}" if lic.line else lic.path for lic in facts.licences if lic.kind == kind]
        if where:
            sources[f"{kind} licence"] = ", ".join(dict.fromkeys(where))
    builder.annotate(package, sources)
    return package


def _energy(builder: Builder, package, facts, sources: Dict[str, str]) -> None:
    """Energy in kWh by activity; SPDX records training, fine-tuning and inference energy only."""
    m = builder.m
    consumption = m.ai_EnergyConsumption()
    used = False
    for statement in facts.energy:
        if statement.kind != "energy" or statement.activity not in ("training", "fine-tuning"):
            continue
        entry = m.ai_EnergyConsumptionDescription(ai_energyQuantity=float(statement.value),
                                                  ai_energyUnit=m.ai_EnergyUnitType.kilowattHour)
        target = consumption.ai_trainingEnergyConsumption if statement.activity == "training" else consumption.ai_finetuningEnergyConsumption
        target.append(entry)
        sources[f"energyConsumption ({statement.activity})"] = f"{statement.path}:{statement.line}"
        used = True
    if used:
        package.ai_energyConsumption = consumption


def _datasets(builder: Builder, model_package, facts) -> None:
    m = builder.m
    packages: Dict[str, object] = {}
    for dataset in facts.datasets:
        package = packages.get(dataset.name)
        if package is None:
            package = builder.add(m.dataset_DatasetPackage, f"dataset-{dataset.name}", name=dataset.name)
            package.software_primaryPurpose = m.software_SoftwarePurpose.data
            kind = dataset.type or "noAssertion"
            package.dataset_datasetType.append(getattr(m.dataset_DatasetType, kind))
            sources = {"name": f"{dataset.path}:{dataset.line}" if dataset.line else dataset.path,
                       "datasetType": "[tool.release-lint.bom] dataset-types" if dataset.type else "not stated (noAssertion)"}
            if dataset.url:
                package.software_downloadLocation = dataset.url
                sources["downloadLocation"] = sources["name"]
            builder.annotate(package, sources)
            packages[dataset.name] = package
        builder.relate(model_package, "trainedOn" if dataset.role == "training" else "testedOn", [package])


def _files(builder: Builder, model_package, facts) -> None:
    m = builder.m
    files = []
    for released in facts.files:
        element = builder.add(m.software_File, f"file-{released.path}", name=released.path)
        sources = {"name": released.path}
        if released.sha256:
            element.verifiedUsing.append(m.Hash(algorithm=m.HashAlgorithm.sha256, hashValue=released.sha256))
            where = released.digest_path + (f":{released.digest_line}" if released.digest_line else "")
            sources["sha256"] = f"{released.digest_source} ({where})"
        builder.annotate(element, sources)
        files.append(element)
    if files:
        builder.relate(model_package, "contains", files)


def _base_models(builder: Builder, model_package, facts) -> None:
    m = builder.m
    relation = facts.base_relation.value if facts.base_relation is not None else None
    for fact in facts.base_models:
        base = builder.add(m.ai_AIPackage, f"base-{fact.value}", name=fact.value)
        base.software_primaryPurpose = m.software_SoftwarePurpose.model
        builder.licences(base, "declared", [])
        builder.licences(base, "concluded", [])
        builder.annotate(base, {"name": fact.where})
        if relation == "quantized":
            builder.relate(base, "hasVariant", [model_package])
        else:
            builder.relate(model_package, "descendantOf", [base])


def to_document(result: Result) -> dict:
    try:
        from spdx_python_model import v3_0_1 as model
    except ImportError:
        raise RuntimeError(INSTALL_HINT) from None
    facts = result.extra["bom"]
    openness = result.extra.get("openness")
    builder = Builder(model, facts, creation_moment())
    package = _model_package(builder, facts, openness)
    _datasets(builder, package, facts)
    _files(builder, package, facts)
    _base_models(builder, package, facts)
    document = model.SpdxDocument(spdxId=f"{builder.base}document", creationInfo=builder.creation,
                                  name=f"AI BOM of {facts.name.value}")
    document.profileConformance.extend([model.ProfileIdentifierType.core, model.ProfileIdentifierType.software,
                                        model.ProfileIdentifierType.ai, model.ProfileIdentifierType.dataset,
                                        model.ProfileIdentifierType.simpleLicensing])
    if facts.signatures:
        builder.add(model.Annotation, "signature", annotationType=model.AnnotationType.other, subject=package,
                    statement="Signed with OpenSSF model signing: " + ", ".join(facts.signatures)
                              + " (coverage checked by release-lint ART010; the signature itself was not verified)")
    if facts.gaps:
        builder.add(model.Annotation, "missing", annotationType=model.AnnotationType.other, subject=package,
                    statement="Not stated by the release, left out: " + "; ".join(g.message for g in facts.gaps))
    document.rootElement.append(package)
    for element in builder.elements:
        document.element.append(element)
    builder.objects.add(document)
    return model.JSONLDSerializer().serialize_data(builder.objects)


def render(result: Result, **_options) -> str:
    if "bom" not in result.extra:
        return json.dumps({"error": "the SPDX document needs the BOM facts: run with --format spdx3"}) + "\n"
    return json.dumps(to_document(result), indent=2, ensure_ascii=False) + "\n"
