"""DATA001-DATA006 and the data_documentation detector: exact findings on realistic fixtures and look-alikes."""

from __future__ import annotations

import pytest

from release_lint import lint
from release_lint.detectors.data_documentation import data_documentation
from release_lint.detectors.files import data_cards
from release_lint.repo import Repo
from tests.conftest import copy_fixture, make_repo

DATA = ["DATA"]
LICENSE = "MIT License\n"
CARD_HEAD = "---\nlicense: mit\nlibrary_name: transformers\n---\n# M\n\n"


def data_findings(repo, select=DATA):
    result = lint(repo, select=select)
    return sorted(((f.code, f.path, f.line) for f in result.findings), key=lambda t: (t[0], t[1] or "", t[2] or 0))


def messages(repo, code):
    return [f.message for f in lint(repo, select=[code]).findings]


# --- acceptance ------------------------------------------------------------------------------------
def test_weights_only_reports_data001_to_data003(tmp_path):
    repo = copy_fixture("weights-only", tmp_path / "r")
    assert data_findings(repo) == [("DATA001", None, None), ("DATA002", None, None), ("DATA003", None, None)]


@pytest.mark.parametrize("fixture", ["fully-open", "card-linked-datasets", "data-full-datasheet"])
def test_documented_fixtures_report_no_data_finding(tmp_path, fixture):
    repo = copy_fixture(fixture, tmp_path / "r")
    assert data_findings(repo) == []


def test_half_datasheet(tmp_path):
    repo = copy_fixture("data-half-datasheet", tmp_path / "r")
    assert data_findings(repo) == [
        ("DATA002", "data/README.md", None),
        ("DATA005", "data/README.md", None),
        ("DATA006", "data/README.md", None),
    ]
    assert "'publicly available sources', 'web data'" in messages(repo, "DATA002")[0]
    assert messages(repo, "DATA005") == [
        "data card data/README.md lacks datasheet sections: collection process, preprocessing/cleaning/labelling, uses, "
        "distribution, maintenance"
    ]


def test_hub_template_and_trainer_cards(tmp_path):
    template = copy_fixture("card-hub-template", tmp_path / "t")
    trainer = copy_fixture("card-finetune", tmp_path / "f")
    # Empty "Training Data" heading: DATA001 points at it; the `datasets:` metadata names the source (line 7 / 5).
    assert data_findings(template) == [("DATA001", "README.md", 71), ("DATA003", None, None), ("DATA004", "README.md", 7)]
    assert data_findings(trainer) == [("DATA001", "README.md", 44), ("DATA003", None, None), ("DATA004", "README.md", 5)]


# --- DATA001 ------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["DATA_CARD.md", "DATASHEET.md", "data/README.md", "datasets/mix/README.md", "docs/data.md",
                                  "docs/datasheet.md"])
def test_data_card_locations_satisfy_data001(tmp_path, path):
    make_repo(tmp_path, {"README.md": CARD_HEAD, path: "# Data\n\nC4.\n", "LICENSE": LICENSE})
    # The data card is read: no DATA001 (and no DATA002, "C4" is named), its terms and datasheet are asked of it.
    assert data_findings(tmp_path) == [("DATA003", None, None), ("DATA004", path, 3), ("DATA005", path, None),
                                       ("DATA006", path, None)]
    assert data_cards(Repo(str(tmp_path))) == [path]


def test_dataset_card_front_matter_makes_a_data_card(tmp_path):
    card = "---\nlicense: odc-by\ntask_categories: [text-generation]\nsize_categories: [1M<n<10M]\n---\n# Corpus\n"
    make_repo(tmp_path, {"README.md": CARD_HEAD, "corpus/README.md": card, "notes/README.md": "# Notes\n", "LICENSE": LICENSE})
    assert data_cards(Repo(str(tmp_path))) == ["corpus/README.md"]


@pytest.mark.parametrize("path", ["docs/training.md", "data_loader.md", "notes/data/README.md.bak"])
def test_look_alike_files_are_not_data_cards(tmp_path, path):
    make_repo(tmp_path, {"README.md": CARD_HEAD, path: "# Data\n", "LICENSE": LICENSE})
    assert data_findings(tmp_path, ["DATA001"]) == [("DATA001", None, None)]


# --- DATA002 -----------------------------------------------------------------------------------
VAGUE = CARD_HEAD + "## Training data\n\nThe model was trained on a mix of licensed data, publicly available sources and web data.\n"


def test_vague_training_data_section(tmp_path):
    make_repo(tmp_path, {"README.md": VAGUE, "LICENSE": LICENSE})
    # B7: a section of vague phrases documents nothing, so DATA001 fires on it too.
    assert data_findings(tmp_path) == [("DATA001", "README.md", 7), ("DATA002", "README.md", 7), ("DATA003", None, None),
                                       ("DATA006", "README.md", 7)]
    assert "only gives a size and vague phrases" in messages(tmp_path, "DATA001")[0]
    message = messages(tmp_path, "DATA002")[0]
    assert "'a mix of licensed'" in message and "'publicly available sources'" in message


@pytest.mark.parametrize("sentence", [
    "Web data from the [Common Crawl](https://commoncrawl.org/) CC-MAIN-2023-50 snapshot.",
    "English Wikipedia (dump of 2023-11-01) and The Pile.",
    "Documents from `HuggingFaceFW/fineweb`.",
    "The corpus is archived at https://doi.org/10.5281/zenodo.1234567.",
])
def test_identified_sources_silence_data002(tmp_path, sentence):
    make_repo(tmp_path, {"README.md": CARD_HEAD + "## Training data\n\n" + sentence + "\n", "LICENSE": LICENSE})
    assert data_findings(tmp_path, ["DATA002"]) == []


@pytest.mark.parametrize("sentence", [
    "Publicly available sources; see `data/preprocess.py` for details.",
    "Licensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/); details in [the data card](DATA_CARD.md).",
    "Described in our [paper](https://arxiv.org/abs/2401.00001).",
    "We used `and/or` pipelines over proprietary data.",
])
def test_look_alikes_do_not_identify_a_source(tmp_path, sentence):
    make_repo(tmp_path, {"README.md": CARD_HEAD + "## Training data\n\n" + sentence + "\n", "LICENSE": LICENSE,
                         "data/preprocess.py": "print()\n", "and/x.py": "", "DATA_CARD.md": "# Data\n"})
    assert data_findings(tmp_path, ["DATA002"]) == [("DATA002", "README.md", 7)]


def test_datasets_metadata_alone_identifies_sources(tmp_path):
    make_repo(tmp_path, {"README.md": "---\nlicense: mit\ndatasets: [allenai/c4]\n---\n# M\n", "LICENSE": LICENSE})
    assert data_findings(tmp_path, ["DATA002"]) == []


# --- DATA003 -----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["scripts/dedup_minhash.py", "data/build.py", "preprocessing/run.sh", "tools/train_tokenizer.py",
                                  "notebooks/prepare_data.ipynb", "src/pipeline/quality_filter.py", "preprocess.py"])
def test_preprocessing_code_satisfies_data003(tmp_path, path):
    make_repo(tmp_path, {"README.md": CARD_HEAD, path: "x = 1\n", "LICENSE": LICENSE})
    assert data_findings(tmp_path, ["DATA003"]) == []


@pytest.mark.parametrize("path", ["tokenizer_config.json", "models/bloom_filter.py", "data/README.md", "scripts/cleanup.sh",
                                  "src/filters.py", "preprocess_notes.txt"])
def test_look_alikes_do_not_satisfy_data003(tmp_path, path):
    make_repo(tmp_path, {"README.md": CARD_HEAD, path: "x = 1\n", "LICENSE": LICENSE})
    assert data_findings(tmp_path, ["DATA003"]) == [("DATA003", None, None)]


def test_documented_preprocessing_satisfies_data003(tmp_path):
    described = CARD_HEAD + "## Training data\n\n[C4](https://hf.co/datasets/allenai/c4), deduplicated with MinHash.\n"
    section = CARD_HEAD + "## Training procedure\n\n### Preprocessing\n\nLower-cased; URLs removed.\n"
    empty = CARD_HEAD + "## Training procedure\n\n### Preprocessing\n\n[More Information Needed]\n"
    for name, card in (("a", described), ("b", section)):
        make_repo(tmp_path / name, {"README.md": card, "LICENSE": LICENSE})
        assert data_findings(tmp_path / name, ["DATA003"]) == []
    make_repo(tmp_path / "c", {"README.md": empty, "LICENSE": LICENSE})
    assert data_findings(tmp_path / "c", ["DATA003"]) == [("DATA003", None, None)]


# --- DATA004 -----------------------------------------------------------------------------------
def test_named_sources_without_licences(tmp_path):
    card = CARD_HEAD + "## Training data\n\n150B tokens of [C4](https://huggingface.co/datasets/allenai/c4) and `bigcode/the-stack`.\n"
    make_repo(tmp_path / "a", {"README.md": card, "LICENSE": LICENSE})
    assert data_findings(tmp_path / "a", ["DATA004"]) == [("DATA004", "README.md", 9)]
    assert "C4, bigcode/the-stack" in messages(tmp_path / "a", "DATA004")[0]
    make_repo(tmp_path / "b", {"README.md": card.replace(".\n", " (ODC-By-1.0; The Stack terms of use).\n"), "LICENSE": LICENSE})
    assert data_findings(tmp_path / "b", ["DATA004"]) == []


def test_model_licence_is_not_a_data_licence(tmp_path):
    card = ("---\nlicense: apache-2.0\ndatasets: [allenai/c4]\n---\n# M\n\n## Training data\n\n[C4](https://hf.co/datasets/allenai/c4).\n"
            "\n## License\n\nApache License 2.0.\n")
    make_repo(tmp_path, {"README.md": card, "LICENSE": LICENSE})
    assert data_findings(tmp_path, ["DATA004"]) == [("DATA004", "README.md", 9)]


def test_dataset_card_licence_metadata_counts(tmp_path):
    sheet = "---\nlicense: cc-by-4.0\npretty_name: Mix\n---\n# Mix\n\nFrom [OpenAlex](https://openalex.org).\n"
    make_repo(tmp_path, {"README.md": CARD_HEAD, "DATA_CARD.md": sheet, "LICENSE": LICENSE})
    assert data_findings(tmp_path, ["DATA004"]) == []


# --- DATA005 -----------------------------------------------------------------------------------
HF_DATASET_CARD = """---
license: cc-by-4.0
task_categories: [automatic-speech-recognition]
size_categories: [100K<n<1M]
---
# Dataset Card for wren-speech

## Dataset Description
### Dataset Summary
Read English speech recorded by volunteers.
## Dataset Structure
### Data Fields
`audio`, `text`.
## Dataset Creation
### Curation Rationale
To train small ASR models.
### Source Data
#### Data Collection and Processing
Recorded in 2024 with a web app; silence trimmed.
## Considerations for Using the Data
Not for speaker identification.
## Additional Information
### Dataset Curators
The Wren team.
### Licensing Information
CC BY 4.0.
"""


def test_hugging_face_dataset_card_headings_cover_the_datasheet(tmp_path):
    make_repo(tmp_path, {"README.md": CARD_HEAD, "datasets/wren-speech/README.md": HF_DATASET_CARD, "LICENSE": LICENSE})
    assert data_findings(tmp_path, ["DATA005", "DATA006"]) == []


def test_placeholder_sections_count_as_missing(tmp_path):
    repo = copy_fixture("data-full-datasheet", tmp_path / "r")
    sheet = (repo / "DATASHEET.md").read_text()
    start = sheet.index("## Maintenance")
    (repo / "DATASHEET.md").write_text(sheet[:start] + "## Maintenance\n\nTBD\n")
    assert data_findings(repo, ["DATA005"]) == [("DATA005", "DATASHEET.md", None)]
    assert messages(repo, "DATA005")[0].endswith("lacks datasheet sections: maintenance")


# --- DATA006 -----------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence, silent", [
    ("[C4](https://hf.co/datasets/allenai/c4) (ODC-By), 156B tokens.", True),
    ("[C4](https://hf.co/datasets/allenai/c4) (ODC-By), 750 GB of text.", True),
    ("[C4](https://hf.co/datasets/allenai/c4) (ODC-By) 60% and [peS2o](https://hf.co/datasets/allenai/peS2o) (ODC-By) 40%.", True),
    ("[C4](https://hf.co/datasets/allenai/c4) (ODC-By), the English split, version 3.0.1.", False),
])
def test_data_scale(tmp_path, sentence, silent):
    make_repo(tmp_path, {"README.md": CARD_HEAD + "## Training data\n\n" + sentence + "\n", "LICENSE": LICENSE})
    assert data_findings(tmp_path, ["DATA006"]) == ([] if silent else [("DATA006", "README.md", 7)])


# --- the detector's evidence -----------------------------------------------------------------------
def test_data_documentation_evidence_on_fully_open(tmp_path):
    repo = copy_fixture("fully-open", tmp_path / "r")
    facts = data_documentation(Repo(str(repo)))
    assert facts.data_cards == ["DATA_CARD.md"]
    assert facts.training_data_section.line == 64
    assert {(s.name, s.path, s.line, s.kind) for s in facts.sources if s.kind in ("metadata", "url")} == {
        ("roneneldan/TinyStories", "README.md", 7, "metadata"), ("HuggingFaceFW/fineweb-edu", "README.md", 7, "metadata"),
        ("roneneldan/TinyStories", "README.md", 70, "url"), ("HuggingFaceFW/fineweb-edu", "README.md", 71, "url"),
        ("roneneldan/TinyStories", "DATA_CARD.md", 12, "url"), ("HuggingFaceFW/fineweb-edu", "DATA_CARD.md", 14, "url"),
    }
    assert {(e.path, e.line) for e in facts.licences} >= {("README.md", 70), ("README.md", 71), ("DATA_CARD.md", 13)}
    assert ("README.md", 66) in {(e.path, e.line) for e in facts.scale}
    assert facts.preprocessing_code == ["data/preprocess.py"]
    assert sorted(facts.datasheet_sections["DATA_CARD.md"]) == [
        "collection", "composition", "distribution", "maintenance", "motivation", "preprocessing", "uses"]


@pytest.mark.parametrize("text, is_size", [
    ("11,038 unpublished books", True), ("52K instructions", True), ("a 3-trillion-token corpus", True),
    ("2.1 billion tokens", True), ("trained 3 epochs on the data", False), ("version 2 of the model", False),
    ("1.5 TB of text", True), ("45% code", True), ("gpt2.5B tokens", True), ("10 - million  -  images", True),
    ("release 1.2.3 of the data", False), ("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22 tokens", True),
])
def test_data_scale_statements(text, is_size):
    from release_lint.detectors.data_documentation import DATA_SCALE_RE

    assert bool(DATA_SCALE_RE.search(text)) is is_size


def test_every_incomplete_data_card_is_reported(tmp_path):
    # Two dataset cards, both cut before "Additional Information": each lacks its distribution and maintenance.
    short = HF_DATASET_CARD[: HF_DATASET_CARD.index("## Additional Information")]
    make_repo(tmp_path, {"README.md": CARD_HEAD, "LICENSE": LICENSE, "datasets/wren-speech/README.md": short,
                         "datasets/wren-noise/README.md": short.replace("wren-speech", "wren-noise")})
    assert data_findings(tmp_path, ["DATA005"]) == [("DATA005", "datasets/wren-noise/README.md", None),
                                                    ("DATA005", "datasets/wren-speech/README.md", None)]
    assert messages(tmp_path, "DATA005")[0].endswith("lacks datasheet sections: distribution, maintenance")
