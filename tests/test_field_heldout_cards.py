"""Card and data-documentation classes first seen on the held-out field sample (bench/field, rows judged at
673d165): a BibTeX entry under another heading (CARD004 [citation], with the reproducers in test_field_heldout.py),
data terms stated outside the data section (DATA004), placeholder words that are the subject of the text
(CARD007), and card sections under other headings (CARD004). Each fix has an invented case that failed before it
and a realistic look-alike that keeps the old finding.
"""

from __future__ import annotations

from pathlib import Path

from release_lint import lint
from tests.conftest import findings_of, make_repo
from tests.real_release_repos import CARD_WITHOUT_CITATION as CARD, MIT


# --- CARD004 [citation] and REL004: one reading of a BibTeX entry ----------------------------------------------


def _card(tmp_path: Path, tail: str):
    return lint(make_repo(tmp_path / "r", {"README.md": CARD + tail, "LICENSE": MIT}))


def test_bibtex_entry_in_an_unfenced_faq_answer_is_a_citation(tmp_path):
    result = _card(tmp_path, "## FAQ\n\n**How should I reference Pebble?**\n\n    @misc{pebble2025,\n"
                             "      title = {Pebble},\n      author = {Doe, Jane},\n      year = {2025}\n    }\n")
    assert findings_of(result, "CARD004", "REL004") == []


def test_code_blocks_with_at_signs_are_no_citation(tmp_path):
    # A decorator, an e-mail address and a Python "@" operator in usage snippets: no BibTeX entry anywhere.
    result = _card(tmp_path, (
        "## Usage\n\n```python\n@torch.no_grad()\ndef generate(model, x):\n    return model(x @ w)\n```\n\n"
        "```\nquestions: pebble@acme.org\n@misc: see the paper\n```\n"))
    assert findings_of(result, "CARD004", "REL004") == [("CARD004", "README.md", None), ("REL004", None, None)]


# --- DATA004: the data's terms stated in a sentence about the data, wherever it is ----------------------------
def _fine_tune(tmp_path: Path, sentence: str):
    return lint(make_repo(tmp_path / "r", {
        "README.md": ("# pebble-chat\n\nPebble-chat answers questions about gardening.\n\n"
                      "## Training data\n\nFine-tuned on [acme/garden-qa](https://huggingface.co/datasets/acme/garden-qa), "
                      "12,000 question-answer pairs.\n\n## Training\n\nRun `python train.py`.\n\n"
                      f"## FAQ\n\n**Can I reuse it?**\n\n{sentence}\n"),
        "LICENSE": MIT,
        "train.py": "import torch\nloss = torch.zeros(1, requires_grad=True)\nloss.backward()\n",
    }))


def test_data_licence_in_a_faq_answer_about_the_dataset(tmp_path):
    result = _fine_tune(tmp_path, "Yes. The garden-qa dataset\nis shared under CC BY 4.0; the model under MIT.")
    assert findings_of(result, "DATA") == [("DATA003", None, None), ("DATA006", "README.md", 5)]


def test_model_licence_after_naming_its_data_is_no_data_licence(tmp_path):
    result = _fine_tune(tmp_path, "Yes. The model, trained on garden-qa, is released under the MIT License.")
    assert findings_of(result, "DATA") == [("DATA003", None, None), ("DATA004", "README.md", 7), ("DATA006", "README.md", 5)]


# --- CARD007: a placeholder word that the text talks about ------------------------------------------------------
def _signals_card(tmp_path: Path, row: str):
    return lint(make_repo(tmp_path / "r", {
        "README.md": ("# pebble-signals\n\nQuality signals computed for every document.\n\n"
                      "| Signal | Description |\n|---|---|\n"
                      "| `doc_word_count` | The number of words in the document. |\n" + row + "\n"),
        "LICENSE": MIT,
    }))


def test_quoted_placeholder_word_is_the_subject_of_a_quality_signal(tmp_path):
    result = _signals_card(tmp_path, "| `doc_lorem_ipsum` | How often 'lorem ipsum' occurs, per character. |")
    assert findings_of(result, "CARD007") == []


def test_unquoted_lorem_ipsum_left_in_a_table_still_fires(tmp_path):
    result = _signals_card(tmp_path, "| `doc_lorem_ipsum` | Lorem ipsum dolor sit amet. |")
    assert findings_of(result, "CARD007") == [("CARD007", "README.md", 8)]


# --- CARD004 [training data]: the data documented under another heading or on its own page -------------------
WEIGHTS_CARD = (
    "# Pebble-chat\n\nPebble-chat is a 3B chat model.\n\n"
    "## Uses\n\nChat assistants for research.\n\n"
    "## Known limitations\n\nIt invents facts.\n\n{data}"
    "## Training procedure\n\nAdamW, learning rate 2e-5, 3 epochs.\n\n"
    "## Evaluation\n\n| Task | acc |\n|---|---|\n| hellaswag | 0.52 |\n\n"
    "## Citation\n\n```bibtex\n@misc{pebblechat,\n  title={Pebble-chat},\n  year={2025}\n}\n```\n"
)


def _training_data_finding(tmp_path: Path, data: str, files=None):
    result = lint(make_repo(tmp_path / "r", {"README.md": WEIGHTS_CARD.replace("{data}", data), "LICENSE": MIT, **(files or {})}))
    return [t for t in findings_of(result, "CARD004")]


def test_dataset_limitations_heading_naming_the_pretraining_corpus(tmp_path):
    data = ("### Dataset limitations\n\n- **The Pile**: the base model's pre-training corpus, mostly web text, holds "
            "content many readers find offensive.\n\n")
    assert _training_data_finding(tmp_path, data) == []


def test_data_limitations_without_a_source_still_lack_training_data(tmp_path):
    data = "### Data limitations\n\nThe model may reflect the biases of the web data it saw.\n\n"
    assert _training_data_finding(tmp_path, data) == [("CARD004", "README.md", None)]


DATA_PAGE = ("# Data\n\n| Stage | Data |\n|---|---|\n"
             "| Instruction tuning | [acme/pebble-chat-mix](https://huggingface.co/datasets/acme/pebble-chat-mix) |\n")


def test_card_links_the_data_card_of_the_release(tmp_path):
    data = "See [Data](https://github.com/acme/pebble-chat/blob/main/docs/Data.md) for the data of each stage.\n\n"
    assert _training_data_finding(tmp_path, data, {"docs/Data.md": DATA_PAGE}) == []


def test_card_linking_another_document_still_lacks_training_data(tmp_path):
    data = "See [Model Zoo](https://github.com/acme/pebble-chat/blob/main/docs/MODEL_ZOO.md) for the checkpoints.\n\n"
    assert _training_data_finding(tmp_path, data, {"docs/Data.md": DATA_PAGE, "docs/MODEL_ZOO.md": "# Zoo\n\n7B, 13B.\n"}) \
        == [("CARD004", "README.md", None)]


# --- DATA001: the card says the release includes a named dataset, and the release carries it ------------------
def _lora_tuner(tmp_path: Path, note: str, files=None):
    return lint(make_repo(tmp_path / "r", {
        "README.md": ("# pebble-lora\n\nLoRA fine-tuning of Pebble-7B on instructions.\n\n"
                      "### Training (`finetune.py`)\n\nRun `python finetune.py --data_path pebble_data.json`.\n\n"
                      f"### Notes\n\n- {note}\n"),
        "LICENSE": MIT,
        "finetune.py": "import torch\nloss = torch.zeros(1, requires_grad=True)\nloss.backward()\n",
        **(files or {}),
    }))


def test_card_note_that_the_release_includes_a_named_dataset(tmp_path):
    result = _lora_tuner(tmp_path, "We include the Stanford Alpaca dataset, shared under ODC-By.",
                         {"pebble_data.json": '[{"instruction": "Name a colour.", "output": "Blue."}]\n'})
    assert [t for t in findings_of(result, "DATA") if t[0] in ("DATA001", "DATA002")] == []


def test_include_note_without_data_in_the_release_is_no_documentation(tmp_path):
    result = _lora_tuner(tmp_path, "We include the Stanford Alpaca dataset loader; download the data yourself.")
    assert [t for t in findings_of(result, "DATA") if t[0] in ("DATA001", "DATA002")] == [("DATA001", None, None)]


# --- DATA001/DATA002: the README of a linked experiment folder says its data folder holds the data used --------
def _experiments(tmp_path: Path, data_line: str):
    return lint(make_repo(tmp_path / "r", {
        "README.md": ("# pebble-adapters\n\nLow-rank adapters for Pebble.\n\n## Reproducing the paper\n\n"
                      "Follow the instructions in [experiments/summarize/](experiments/summarize).\n"),
        "LICENSE": MIT,
        "experiments/summarize/README.md": ("# Summarisation with adapters\n\n## Overview\n\n"
                                            "* [src/](src) holds the training code.\n" + data_line + "\n"),
        "experiments/summarize/src/train.py": "import torch\nloss = torch.zeros(1, requires_grad=True)\nloss.backward()\n",
        "experiments/summarize/data/newsroom/train.jsonl": '{"text": "a", "summary": "b"}\n',
        "experiments/summarize/data/cnn_dm/train.jsonl": '{"text": "c", "summary": "d"}\n',
    }))


def test_experiment_readme_says_its_data_folder_holds_the_data_used(tmp_path):
    result = _experiments(tmp_path, "* [data/](data) contains the raw data we used in our experiments.")
    assert [t for t in findings_of(result, "DATA") if t[0] in ("DATA001", "DATA002", "DATA004")] == [
        ("DATA004", "experiments/summarize/README.md", 6)]


def test_experiment_readme_data_folder_of_sample_inputs_documents_nothing(tmp_path):
    result = _experiments(tmp_path, "* [data/](data) holds sample inputs for the demo.")
    assert [t for t in findings_of(result, "DATA") if t[0] in ("DATA001", "DATA002", "DATA004")] == [
        ("DATA001", None, None), ("DATA002", None, None)]
