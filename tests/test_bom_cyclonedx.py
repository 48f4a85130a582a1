"""--format cyclonedx: CycloneDX 1.6 / 1.7 ML-BOMs validated strictly (offline) with cyclonedx-python-lib."""

from __future__ import annotations

import json

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from release_lint import lint
from release_lint.formats import render
from tests.conftest import copy_fixture, make_repo

SCHEMAS = {"1.6": SchemaVersion.V1_6, "1.7": SchemaVersion.V1_7}
# fully-open, weights-only and the Hub-shaped fixtures (model cards with Hub metadata, config.json, weights).
BOM_FIXTURES = ("fully-open", "weights-only", "real-bert-hub", "card-finetune", "card-hub-template", "card-linked-datasets",
                "llama-style-licence", "real-trainer-finetune", "real-mistral-weights", "real-sd-openrail", "real-olmo-open",
                "card-bad-model-index")
LFS = "version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n"


def bom(root, version="1.7"):
    result = lint(root, verdict=True, bom=True)
    assert not result.internal_errors
    return json.loads(render("cyclonedx", result, cyclonedx_version=version)), result


def validate(document, version):
    errors = JsonStrictValidator(SCHEMAS[version]).validate_str(json.dumps(document))
    assert errors is None, str(errors)[:2000]


def resolve(document, pointer):
    value = document
    for part in pointer.lstrip("/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def leaves(value, pointer=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{pointer}/{index}")
    else:
        yield pointer


def citation(document, pointer):
    return next(c for c in document["citations"] if c["pointers"] == [pointer])


@pytest.mark.parametrize("fixture", BOM_FIXTURES)
def test_fixture_boms_validate_strictly_and_cite_every_model_value(tmp_path, fixture):
    root = copy_fixture(fixture, tmp_path / fixture)
    result = lint(root, verdict=True, bom=True)
    for version in SCHEMAS:
        document = json.loads(render("cyclonedx", result, cyclonedx_version=version))
        validate(document, version)
        assert document["specVersion"] == version
    refs = {c["bom-ref"] for c in document["components"]} | {"release-lint"}
    cited = set()
    for entry in document["citations"]:
        (pointer,) = entry["pointers"]
        resolve(document, pointer)  # every citation points at a value that exists
        assert entry["attributedTo"] in refs
        cited.add(pointer)
    # Every value of the model component (bar the structural ones) lies under a cited pointer.
    structural = ("/type", "/bom-ref", "/acknowledgement", "/unit", "/name")
    for leaf in leaves(document["metadata"]["component"], "/metadata/component"):
        if leaf.endswith(structural) and leaf != "/metadata/component/name":
            continue
        if "/properties/" in leaf and leaf.endswith("/name") or "/licensing/" in leaf or "/pedigree/" in leaf and leaf.endswith("/value"):
            continue
        assert any(leaf == p or leaf.startswith(p + "/") for p in cited), f"{fixture}: {leaf} has no citation"


def test_fully_open_model_card(tmp_path):
    root = copy_fixture("fully-open", tmp_path / "r")
    document, result = bom(root)
    model = document["metadata"]["component"]
    assert model["type"] == "machine-learning-model"
    assert (model["name"], model["version"]) == ("Pebble-33M", "1.0.0")
    card = model["modelCard"]
    assert card["modelParameters"] == {
        "task": "text-generation", "architectureFamily": "gpt_neox", "modelArchitecture": "GPTNeoXForCausalLM",
        "datasets": [{"ref": "dataset:roneneldan-tinystories"}, {"ref": "dataset:huggingfacefw-fineweb-edu"}],
    }
    assert card["quantitativeAnalysis"]["performanceMetrics"] == [
        {"type": "perplexity", "value": "7.41", "slice": "roneneldan/TinyStories"},
        {"type": "next-token accuracy", "value": "0.512", "slice": "roneneldan/TinyStories"},
    ]
    considerations = card["considerations"]
    assert considerations["useCases"] == ["Research on small language models, teaching, and generating short children's stories in English."]
    assert considerations["technicalLimitations"][0].startswith("The model was trained on synthetic stories")
    assert considerations["environmentalConsiderations"] == {
        "energyConsumptions": [{"activity": "training", "energyProviders": [],
                                "activityEnergyCost": {"value": 2900.0, "unit": "kWh"},
                                "co2CostEquivalent": {"value": 0.212, "unit": "tCO2eq"}}],
        # co2_eq_emissions: 212 in the front matter is grams (the Hub's unit), stated apart from the prose.
        "properties": [{"name": "release-lint:co2-eq-emissions", "value": "0.000212 tCO2eq"}],
    }
    assert card["properties"] == [{"name": "release-lint:out-of-scope-use",
                                   "value": "Factual question answering, medical, legal or financial advice, and any language other than English."}]
    assert model["licenses"] == [{"license": {"id": "Apache-2.0", "acknowledgement": "declared"}},
                                 {"license": {"id": "Apache-2.0", "acknowledgement": "concluded"}}]
    properties = {p["name"]: p["value"] for p in model["properties"]}
    assert properties["release-lint:hyperparameter:learning_rate"] == "6.0e-4"
    assert properties["release-lint:hyperparameter:seed"] == "1234"
    assert properties["release-lint:hardware:accelerator"] == "NVIDIA A100"
    assert properties["release-lint:mof-class"] == result.extra["openness"]["mof"]["class"]
    data = {c["name"]: c for c in document["components"] if c["type"] == "data"}
    assert data["roneneldan/TinyStories"]["properties"] == [{"name": "release-lint:dataset-role", "value": "training, testing"}]
    assert data["HuggingFaceFW/fineweb-edu"]["data"] == [{"type": "dataset", "name": "HuggingFaceFW/fineweb-edu"}]
    files = {c["name"]: c for c in document["components"] if c["type"] == "file"}
    assert files["model.safetensors"]["hashes"] == [{"alg": "SHA-256", "content": "254f56c74fbc750536fab7b9a7c1c052ed845e1539228135d961924a209ce5b6"}]
    assert {"name": "release-lint:sha256-source", "value": "checksum-file (SHA256SUMS:1)"} in files["model.safetensors"]["properties"]
    assert {"name": "release-lint:role", "value": "tokenizer"} in files["tokenizer_config.json"]["properties"]
    assert document["dependencies"][0]["ref"] == "model"
    assert set(document["dependencies"][0]["dependsOn"]) >= {"file:model.safetensors", "dataset:roneneldan-tinystories"}


def test_citations_name_file_and_line(tmp_path):
    root = copy_fixture("fully-open", tmp_path / "r")
    document, _result = bom(root, "1.7")
    task = citation(document, "/metadata/component/modelCard/modelParameters/task")
    assert (task["attributedTo"], task["note"]) == ("file:README.md", "README.md:6")
    assert citation(document, "/metadata/component/modelCard/modelParameters/architectureFamily")["note"] == "config.json:3"
    index = next(i for i, p in enumerate(document["metadata"]["component"]["properties"])
                 if p["name"] == "release-lint:hyperparameter:learning_rate")
    assert citation(document, f"/metadata/component/properties/{index}")["note"] == "configs/train.yaml:9"
    energy = "/metadata/component/modelCard/considerations/environmentalConsiderations/energyConsumptions/0"
    assert citation(document, energy)["note"] == "README.md:107"
    files = [c["name"] for c in document["components"] if c["type"] == "file"]
    assert {"README.md", "config.json", "configs/train.yaml", "SHA256SUMS"} <= set(files)


def test_cyclonedx_16_names_sources_as_properties(tmp_path):
    root = copy_fixture("fully-open", tmp_path / "r")
    document, _result = bom(root, "1.6")
    assert "citations" not in document
    sources = {p["name"]: p["value"] for p in document["properties"]}
    assert sources["release-lint:source:/metadata/component/modelCard/modelParameters/task"] == "README.md:6"
    assert sources["release-lint:source:/metadata/component/name"] == "README.md:36"


def test_declarations_carry_the_openness_verdict(tmp_path):
    root = copy_fixture("weights-only", tmp_path / "r")
    document, result = bom(root)
    openness = result.extra["openness"]
    claims = {c["bom-ref"]: c for c in document["declarations"]["claims"]}
    assert claims["claim:mof:class"]["predicate"] == f"Model Openness Framework class: {openness['mof']['class']}"
    weights = claims["claim:mof:model-parameters-final"]
    assert weights["predicate"] == "Model parameters (Final): present, under Apache-2.0 (open)"
    evidence = {e["bom-ref"]: e for e in document["declarations"]["evidence"]}
    assert evidence[weights["evidence"][0]]["data"] == [{"name": "model.safetensors"}]
    training = claims["claim:osaid:code"]
    assert training["predicate"] == "OSAID code: not met"
    score = {m["requirement"]: m["conformance"]["score"] for m in document["declarations"]["attestations"][0]["map"]}
    assert score["requirement:mof:model-parameters-final"] == 1 and score["requirement:mof:training-code"] == 0
    standards = {s["bom-ref"]: s for s in document["definitions"]["standards"]}
    assert [level["identifier"] for level in standards["standard:mof"]["levels"]] == [
        "Class III - Open Model", "Class II - Open Tooling", "Class I - Open Science"]


def test_lfs_pointer_oids_give_the_hashes_without_reading_the_weights(tmp_path):
    oid = "a" * 64
    make_repo(tmp_path, {
        "README.md": "---\nlicense: mit\npipeline_tag: text-classification\n---\n# Tiny\n\nA classifier.\n",
        ".gitattributes": "*.safetensors filter=lfs diff=lfs merge=lfs -text\n",
        "model.safetensors": LFS.format(oid=oid, size=5_000_000_000),
        "config.json": '{"model_type": "bert", "architectures": ["BertForSequenceClassification"]}\n',
    })
    document, _result = bom(tmp_path)
    validate(document, "1.7")
    weights = next(c for c in document["components"] if c["name"] == "model.safetensors")
    assert weights["hashes"] == [{"alg": "SHA-256", "content": oid}]
    assert {"name": "release-lint:size", "value": "5000000000"} in weights["properties"]
    assert {"name": "release-lint:sha256-source", "value": "lfs-pointer (model.safetensors)"} in weights["properties"]


def test_missing_values_are_listed_not_invented(tmp_path, cli):
    root = copy_fixture("weights-only", tmp_path / "r")
    (root / ".release-lint.toml").write_text("[bom]\nhash-max-bytes = 0\n")
    out = cli("--format", "cyclonedx", "--exit-zero", root)
    document = json.loads(out.output)
    model = document["metadata"]["component"]
    assert "supplier" not in model and "externalReferences" not in model and "version" not in model
    missing = [p["value"] for p in document["metadata"]["properties"] if p["name"] == "release-lint:missing"]
    assert missing == [
        "no supplier (SPDX suppliedBy, CycloneDX supplier): set supplier in [tool.release-lint.bom]",
        "no release time (SPDX releaseTime): set release-time in [tool.release-lint.bom]",
        "no download location (SPDX downloadLocation, CycloneDX distribution reference): set download-location in [tool.release-lint.bom]",
        "no version (SPDX packageVersion, CycloneDX version): tag the release or state `version` in the model card, CITATION.cff or pyproject.toml",
        "config.json: no SHA-256 stated (no LFS pointer or checksum file lists it, and it is larger than hash-max-bytes)",
        "generation_config.json: no SHA-256 stated (no LFS pointer or checksum file lists it, and it is larger than hash-max-bytes)",
        "model.safetensors: no SHA-256 stated (no LFS pointer or checksum file lists it, and it is larger than hash-max-bytes)",
        "tokenizer_config.json: no SHA-256 stated (no LFS pointer or checksum file lists it, and it is larger than hash-max-bytes)",
    ]
    assert not any("hashes" in c for c in document["components"])


def test_configured_fields_fill_the_gaps(tmp_path):
    root = copy_fixture("fully-open", tmp_path / "r")
    (root / ".release-lint.toml").write_text(
        '[bom]\nsupplier = "Example Lab"\nsupplier-url = "https://example.org"\nrelease-time = 2024-06-01T12:00:00Z\n'
        'download-location = "https://huggingface.co/example-lab/pebble-33m"\n'
        'dataset-types = { "roneneldan/TinyStories" = "text", "HuggingFaceFW/fineweb-edu" = "text" }\n')
    document, result = bom(root)
    validate(document, "1.7")
    model = document["metadata"]["component"]
    assert model["supplier"] == {"name": "Example Lab", "url": ["https://example.org"]}
    assert model["externalReferences"] == [{"type": "distribution", "url": "https://huggingface.co/example-lab/pebble-33m"}]
    assert citation(document, "/metadata/component/supplier")["attributedTo"] == "release-lint"
    assert "properties" not in document["metadata"]  # nothing missing
    data = next(c for c in document["components"] if c["name"] == "roneneldan/TinyStories")
    assert {"name": "release-lint:dataset-type", "value": "text"} in data["properties"]
    assert [f for f in result.findings if f.code == "REL006"] == []


def test_base_model_is_an_ancestor_and_a_quantisation_a_variant(tmp_path):
    card = "---\nlicense: apache-2.0\nbase_model: example-lab/pebble-33m\n{relation}---\n# Pebble-33M {kind}\n\nA {kind}.\n"
    make_repo(tmp_path / "a", {"README.md": card.format(relation="", kind="fine-tune"), "model.safetensors": b"x" * 64})
    document, _result = bom(tmp_path / "a")
    pedigree = document["metadata"]["component"]["pedigree"]
    assert pedigree == {"ancestors": [{"type": "machine-learning-model", "bom-ref": "base-model:example-lab-pebble-33m",
                                       "name": "example-lab/pebble-33m"}]}
    assert citation(document, "/metadata/component/pedigree/ancestors/0")["note"] == "README.md:3"
    make_repo(tmp_path / "q", {"README.md": card.format(relation="base_model_relation: quantized\n", kind="GGUF quantisation"),
                               "model.gguf": b"GGUF" + b"\0" * 60})
    document, _result = bom(tmp_path / "q", "1.6")
    validate(document, "1.6")
    variants = document["metadata"]["component"]["pedigree"]["variants"]
    assert variants[0]["properties"] == [{"name": "release-lint:base-model-relation", "value": "quantized"}]


def test_named_licence_keeps_its_id_as_an_alternative(tmp_path):
    root = copy_fixture("llama-style-licence", tmp_path / "r")
    document, _result = bom(root)
    assert document["metadata"]["component"]["licenses"][0] == {"license": {
        "name": "Llama 3.1 Community License", "licensing": {"altIds": ["LicenseRef-scancode-llama-3.1-license-2024"]},
        "acknowledgement": "declared"}}


def test_cli_cyclonedx_versions(tmp_path, cli):
    root = copy_fixture("weights-only", tmp_path / "r")
    out = cli("--format", "cyclonedx", "--cyclonedx-version", "1.7", "--exit-zero", root)
    assert out.exit_code == 0
    assert json.loads(out.output)["specVersion"] == "1.7"
    assert json.loads(cli("--format", "cyclonedx", "--exit-zero", root).output)["specVersion"] == "1.6"
    bad = cli("--format", "cyclonedx", "--cyclonedx-version", "1.5", root)
    assert bad.exit_code == 2 and "1.5" in bad.output
