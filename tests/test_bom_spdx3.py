"""--format spdx3: SPDX 3.0.1 JSON-LD loaded and round-tripped through the official spdx-python-model bindings."""

from __future__ import annotations

import json

import pytest
from spdx_python_model import load_data

from release_lint import lint
from release_lint.formats import render
from tests.conftest import copy_fixture, make_repo
from tests.test_bom_cyclonedx import BOM_FIXTURES

NO_ASSERTION = "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense"


def spdx(root):
    result = lint(root, verdict=True, bom=True)
    assert not result.internal_errors
    data = json.loads(render("spdx3", result))
    model, objects = load_data(data)
    return data, model, objects, result


def of_type(objects, name):
    return [o for o in objects.foreach() if type(o).__name__ == name]


def relationships(model, objects, source, kind):
    wanted = getattr(model.RelationshipType, kind)
    return [r for r in of_type(objects, "Relationship") if r.from_ is source and r.relationshipType == wanted]


def names(elements):
    return sorted(e.name for e in elements)


@pytest.mark.parametrize("fixture", BOM_FIXTURES)
def test_fixture_documents_load_round_trip_and_conform_to_the_ai_profile(tmp_path, fixture):
    root = copy_fixture(fixture, tmp_path / fixture)
    data, model, objects, _result = spdx(root)
    assert data["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    assert model.JSONLDSerializer().serialize_data(objects) == data  # nothing lost or added by the bindings
    for package in of_type(objects, "ai_AIPackage"):
        # The AI profile's conformance: exactly one declared and one concluded licence per AI package.
        assert len(relationships(model, objects, package, "hasDeclaredLicense")) == 1
        assert len(relationships(model, objects, package, "hasConcludedLicense")) == 1
    for dataset in of_type(objects, "dataset_DatasetPackage"):
        assert len(dataset.dataset_datasetType) == 1
    annotated = {a.subject._id for a in of_type(objects, "Annotation") if a.statement.startswith("Sources (release-lint): ")}
    for element in of_type(objects, "ai_AIPackage") + of_type(objects, "dataset_DatasetPackage") + of_type(objects, "software_File"):
        assert element._id in annotated, f"{fixture}: {element.name} has no source annotation"


def test_fully_open_ai_package(tmp_path):
    root = copy_fixture("fully-open", tmp_path / "r")
    _data, model, objects, result = spdx(root)
    documents = of_type(objects, "SpdxDocument")
    assert len(documents) == 1
    (package,) = [p for p in of_type(objects, "ai_AIPackage") if p.name == "Pebble-33M"]
    assert documents[0].rootElement[0] is package
    assert package.software_packageVersion == "1.0.0"
    assert package.software_primaryPurpose == model.software_SoftwarePurpose.model
    assert list(package.ai_typeOfModel) == ["gpt_neox", "GPTNeoXForCausalLM"]
    hyperparameters = {e.key: e.value for e in package.ai_hyperparameter}
    assert hyperparameters["learning_rate"] == "6.0e-4" and hyperparameters["seed"] == "1234"
    assert {e.key: e.value for e in package.ai_metric} == {"perplexity (roneneldan/TinyStories)": "7.41",
                                                           "next-token accuracy (roneneldan/TinyStories)": "0.512"}
    assert package.ai_limitation.startswith("Limitations: The model was trained on synthetic stories")
    assert "Out-of-scope use: Factual question answering" in package.ai_limitation
    assert package.ai_informationAboutApplication.startswith("Task: text-generation. Intended use: Research on small")
    assert "Documents are normalised to NFC" in package.ai_informationAboutTraining
    (energy,) = package.ai_energyConsumption.ai_trainingEnergyConsumption
    assert (energy.ai_energyQuantity, energy.ai_energyUnit) == (2900.0, model.ai_EnergyUnitType.kilowattHour)
    mof = result.extra["openness"]["mof"]["class"]
    assert list(package.ai_standardCompliance)[0] == f"Model Openness Framework 1.0: {mof} (release-lint self-assessment)"
    assert list(package.ai_standardCompliance)[1].startswith("OSI Open Source AI Definition 1.0: ")
    # One step per paragraph (not per wrapped line), file names kept whole.
    assert list(package.ai_modelDataPreprocessing) == [
        "The data card DATA_CARD.md describes collection, filtering and deduplication; the pipeline is in data/.",
        "Implemented in data/preprocess.py: Unicode NFC normalisation, English language filter, exact and MinHash "
        "near-duplicate removal, GPT-NeoX tokenisation, packing into 2,048-token sequences."]

    (declared,) = relationships(model, objects, package, "hasDeclaredLicense")
    (concluded,) = relationships(model, objects, package, "hasConcludedLicense")
    assert declared.to[0].simplelicensing_licenseExpression == "Apache-2.0"
    assert concluded.to[0].simplelicensing_licenseExpression == "Apache-2.0"
    trained = [d for r in relationships(model, objects, package, "trainedOn") for d in r.to]
    tested = [d for r in relationships(model, objects, package, "testedOn") for d in r.to]
    assert names(trained) == ["HuggingFaceFW/fineweb-edu", "roneneldan/TinyStories"]
    assert names(tested) == ["roneneldan/TinyStories"]
    assert all(d.dataset_datasetType[0] == model.dataset_DatasetType.noAssertion for d in trained)
    (contains,) = relationships(model, objects, package, "contains")
    files = {f.name: f for f in contains.to}
    assert sorted(files) == ["config.json", "generation_config.json", "model.safetensors", "tokenizer_config.json"]
    (digest,) = files["model.safetensors"].verifiedUsing
    assert (digest.algorithm, digest.hashValue) == (model.HashAlgorithm.sha256,
                                                    "254f56c74fbc750536fab7b9a7c1c052ed845e1539228135d961924a209ce5b6")
    statements = {a.subject._id: a.statement for a in of_type(objects, "Annotation") if a.statement.startswith("Sources")}
    assert "hyperparameter learning_rate: configs/train.yaml:9" in statements[package._id]
    assert "typeOfModel: config.json:3" in statements[package._id]
    assert "energyConsumption (training): README.md:107" in statements[package._id]
    assert "sha256: checksum-file (SHA256SUMS:1)" in statements[files["model.safetensors"]._id]
    missing = [a.statement for a in of_type(objects, "Annotation") if a.statement.startswith("Not stated")]
    assert missing == ["Not stated by the release, left out: "
                       "no supplier (SPDX suppliedBy, CycloneDX supplier): set supplier in [tool.release-lint.bom]; "
                       "no release time (SPDX releaseTime): set release-time in [tool.release-lint.bom]; "
                       "no download location (SPDX downloadLocation, CycloneDX distribution reference): set "
                       "download-location in [tool.release-lint.bom]; "
                       "dataset roneneldan/TinyStories: no dataset type (SPDX datasetType): set it in "
                       "[tool.release-lint.bom] dataset-types; "
                       "dataset HuggingFaceFW/fineweb-edu: no dataset type (SPDX datasetType): set it in "
                       "[tool.release-lint.bom] dataset-types"]
    assert package.suppliedBy is None and package.releaseTime is None and package.software_downloadLocation is None


def test_configured_supplier_release_time_and_dataset_types(tmp_path):
    root = copy_fixture("fully-open", tmp_path / "r")
    (root / ".release-lint.toml").write_text(
        '[bom]\nsupplier = "Example Lab"\nrelease-time = "2024-06-01"\n'
        'download-location = "https://huggingface.co/example-lab/pebble-33m"\n'
        'dataset-types = { "roneneldan/TinyStories" = "text" }\n')
    _data, model, objects, _result = spdx(root)
    (package,) = of_type(objects, "ai_AIPackage")
    assert package.suppliedBy.name == "Example Lab"
    assert package.releaseTime.isoformat() == "2024-06-01T00:00:00+00:00"
    assert package.software_downloadLocation == "https://huggingface.co/example-lab/pebble-33m"
    types = {d.name: d.dataset_datasetType[0] for d in of_type(objects, "dataset_DatasetPackage")}
    assert types == {"roneneldan/TinyStories": model.dataset_DatasetType.text,
                     "HuggingFaceFW/fineweb-edu": model.dataset_DatasetType.noAssertion}


def test_no_licence_is_no_assertion_and_a_base_model_is_an_ancestor(tmp_path):
    make_repo(tmp_path, {
        "README.md": "---\nbase_model: example-lab/pebble-33m\npipeline_tag: text-generation\n---\n# Pebble chat\n\nA chat fine-tune.\n",
        "model.safetensors": b"x" * 64,
    })
    _data, model, objects, _result = spdx(tmp_path)
    packages = {p.name: p for p in of_type(objects, "ai_AIPackage")}
    chat, base = packages["Pebble chat"], packages["example-lab/pebble-33m"]
    (declared,) = relationships(model, objects, chat, "hasDeclaredLicense")
    assert declared.to[0] == NO_ASSERTION
    (descends,) = relationships(model, objects, chat, "descendantOf")
    assert descends.to[0] is base
    assert relationships(model, objects, base, "hasConcludedLicense")[0].to[0] == NO_ASSERTION


def test_cli_writes_spdx3(tmp_path, cli):
    root = copy_fixture("weights-only", tmp_path / "r")
    out = cli("--format", "spdx3", "--exit-zero", root)
    assert out.exit_code == 0
    _model, objects = load_data(json.loads(out.output))
    assert [p.name for p in objects.foreach() if type(p).__name__ == "ai_AIPackage"] == ["Pebble-33M"]


def test_without_the_bindings_the_cli_says_what_to_install(tmp_path, cli, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "spdx_python_model" else real(name, *a))
    out = cli("--format", "spdx3", copy_fixture("weights-only", tmp_path / "r"))
    assert out.exit_code == 2
    assert "the spdx3 format needs the SPDX bindings: pip install 'release-lint[bom]'" in out.output


def test_both_boms_are_dated_source_date_epoch_when_it_is_set(tmp_path, monkeypatch):
    # Reproducible builds: one commit and one SOURCE_DATE_EPOCH give one creation time in either format.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = lint(copy_fixture("weights-only", tmp_path / "r"), verdict=True, bom=True)
    _model, objects = load_data(json.loads(render("spdx3", result)))
    created = {str(o.creationInfo.created) for o in of_type(objects, "ai_AIPackage")}
    assert created == {"2023-11-14 22:13:20+00:00"}
    assert json.loads(render("cyclonedx", result))["metadata"]["timestamp"] == "2023-11-14T22:13:20Z"
