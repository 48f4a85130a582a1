"""Field-test classes (bench/field): the invented reproducers ``fixtures/field-*`` give the result their
EXPECTED.md states, and a realistic look-alike of each class still fires.

Findings are compared exactly as (code, path, line). Hardware findings (HW*) are left out of the
comparison: the statement-context work on detectors/hardware.py changes them and has its own tests.
"""

from __future__ import annotations

from pathlib import Path

from release_lint import lint
from tests.conftest import FIXTURES, copy_fixture, finding_tuples, findings_of, grades_of, make_repo


def _field(name: str, tmp_path: Path):
    """Lint a copy of ``fixtures/<name>`` without its EXPECTED.md (the description is not part of the release)."""
    root = tmp_path / "r"
    copy_fixture(name, root, git_init=False)
    (root / "EXPECTED.md").unlink()
    return lint(make_repo(root))


def _tuples(result):
    return [t for t in finding_tuples(result) if not t[0].startswith("HW")]


def _missing_sections(result):
    """The section names CARD004 reports missing ("citation", "training data" ...)."""
    return sorted(f.message.split(" section")[0][3:] for f in result.findings if f.code == "CARD004")


COMMUNITY = [("COMM001", None, None), ("COMM002", None, None), ("COMM003", None, None), ("COMM004", None, None)]


# --- card sections under other headings; a score table anywhere ----------------------------------
def test_heading_synonyms_and_intro_score_table(tmp_path):
    result = _field("field-heading-synonyms", tmp_path)
    assert _missing_sections(result) == ["training data"]
    assert _tuples(result) == sorted(COMMUNITY + [
        ("CARD004", "README.md", None), ("CARD006", "README.md", None),
        ("DATA001", None, None), ("DATA002", None, None), ("DATA003", None, None),
        ("ENV001", None, None), ("ENV003", None, None), ("ENV004", None, None),
        ("REL002", None, None), ("REL003", None, None),
        ("TRAIN002", None, None), ("TRAIN004", None, None), ("TRAIN005", None, None), ("TRAIN006", None, None),
        ("TRAIN008", "README.md", None),
    ], key=lambda t: (t[0], t[1] or "", t[2] or 0))


def test_look_alike_headings_and_a_hyperparameter_table_still_fire(tmp_path):
    # "Who we are", "Issues" (a tracker link), "Training speed" and a table of hyperparameters in the
    # introduction are no intended-use, limitations or results sections.
    root = make_repo(tmp_path / "r", {
        "README.md": (
            "# Pebble-1B\n\nPebble-1B is a 1B-parameter language model.\n\n"
            "| Learning rate | Batch size |\n|---|---|\n| 0.0003 | 512 |\n\n"
            "## Who we are\n\nA small lab.\n\n## Issues\n\nOpen one on the tracker.\n\n"
            "## Citing\n\nPlease do.\n"
        ),
        "LICENSE": "MIT License\n",
    })
    result = lint(root)
    assert _missing_sections(result) == ["evaluation", "intended use", "limitations / bias and risks",
                                         "training data", "training procedure"]
    assert [t for t in finding_tuples(result) if t[0] == "CARD005"] == [("CARD005", "README.md", None)]


def test_chinese_headings_are_sections(tmp_path):
    result = _field("field-chinese-sections", tmp_path)
    assert _missing_sections(result) == ["evaluation", "intended use", "training data"]
    # No LIC007 (the 协议 section splits code and weights); the custom LICENSE-MODEL is research-only (仅可用于学术研究).
    assert findings_of(result, "LIC") == [("LIC002", "LICENSE-MODEL", None), ("LIC003", "LICENSE-MODEL", None),
                                     ("LIC009", "LICENSE-MODEL", None)]


def test_chinese_look_alike_headings_still_fire(tmp_path):
    # 训练速度 (training speed) and 风险投资 (venture capital) are neither a training recipe nor limitations.
    root = make_repo(tmp_path / "r", {
        "README.md": "# Pebble-7B\n\n## 训练速度\n\n很快。\n\n## 风险投资\n\n感谢投资人。\n\n## 引用\n\n见论文。\n",
        "LICENSE": "MIT License\n",
    })
    assert _missing_sections(lint(root)) == ["evaluation", "intended use", "limitations / bias and risks",
                                             "training data", "training procedure"]


# --- training data shipped in the release, or named by a dataset id in the training code (B1) -----
def test_training_data_shipped_in_the_release_and_described(tmp_path):
    result = _field("field-data-in-repo", tmp_path)
    # The paragraph naming dataset/reviews.csv documents and identifies the data; prepare.ipynb preprocesses it.
    assert findings_of(result, "DATA") == [("DATA004", "README.md", 4), ("DATA006", "README.md", 4)]
    assert grades_of(result)["data"] == "partial"


def test_data_files_not_described_as_training_data_still_fire(tmp_path):
    # Output files and evaluation files named in the README are no training data documentation.
    root = make_repo(tmp_path / "r", {
        "README.md": ("# pebble-sentiment\n\nA sentiment classifier. Predictions are written to `outputs/preds.csv`.\n\n"
                      "Evaluation scores on `dataset/test.csv` are 91.2% accuracy.\n"),
        "outputs/preds.csv": "text,label\n",
        "dataset/test.csv": "text,label\n",
        "LICENSE": "MIT License\n",
        "train.py": "import torch\nloss = torch.zeros(1)\nloss.backward()\n",
    })
    assert findings_of(lint(root), "DATA") == [("DATA001", None, None), ("DATA002", None, None), ("DATA003", None, None)]


def test_dataset_id_in_training_code_identifies_the_source(tmp_path):
    result = _field("field-dataset-id-in-code", tmp_path)
    assert findings_of(result, "DATA") == [("DATA001", None, None), ("DATA003", None, None), ("DATA004", "train.py", 4)]
    assert grades_of(result)["data"] == "partial"


def test_dataset_id_outside_training_code_still_fires(tmp_path):
    # An evaluation script's dataset and a commented-out loader say nothing about the training data.
    root = make_repo(tmp_path / "r", {
        "README.md": "# pebble-qa\n\nRun `python train.py`.\n",
        "train.py": ("from transformers import Trainer\n# data = load_dataset(\"acme/old-qa\")\n"
                     "Trainer(model=None).train()\n"),
        "evaluate.py": "from datasets import load_dataset\ntest = load_dataset(\"acme/qa-test\")\n",
        "LICENSE": "MIT License\n",
    })
    assert findings_of(lint(root), "DATA") == [("DATA001", None, None), ("DATA002", None, None), ("DATA003", None, None)]


# --- declared versions: [tool.poetry], flit's module __version__ -----------------------------------
def test_poetry_version_is_declared(tmp_path):
    assert findings_of(_field("field-version-poetry", tmp_path), "REL") == [("REL003", None, None), ("REL004", None, None)]


def test_flit_dynamic_version_from_the_project_module(tmp_path):
    assert findings_of(_field("field-version-dynamic", tmp_path), "REL") == [("REL003", None, None), ("REL004", None, None)]


def test_versions_the_packaging_does_not_declare_still_fire(tmp_path):
    # A poetry section without a version (the version kept only in a commitizen setting), and a dynamic
    # version whose project module has no __version__ (it lives in a module nothing names).
    root = make_repo(tmp_path / "r", {
        "pyproject.toml": ('[tool.poetry]\nname = "pebble-serve"\n\n[tool.poetry.dependencies]\npython = "^3.10"\n\n'
                           '[tool.commitizen]\nversion = "1.4.0"\n'),
        "pebble_serve/__init__.py": "",
        "README.md": "# pebble-serve\n",
    })
    assert finding_tuples(lint(root, select=["REL002"])) == [("REL002", None, None)]
    root = make_repo(tmp_path / "d", {
        "pyproject.toml": '[project]\nname = "pebble-lib"\ndynamic = ["version"]\n',
        "pebble_lib/__init__.py": "from pebble_lib._meta import VERSION\n",
        "pebble_lib/_meta.py": 'VERSION = "2.1.0"\n',
        "README.md": "# pebble-lib\n",
    })
    assert finding_tuples(lint(root, select=["REL002"])) == [("REL002", None, None)]


# --- evaluation code in a notebook or inside the training script; a launch script --------------
def test_launch_script_and_metrics_in_the_training_script(tmp_path):
    result = _field("field-eval-in-train-script", tmp_path)
    # (no TRAIN007 either: the card's base_model names the standard architecture)
    assert findings_of(result, "TRAIN") == [("TRAIN005", None, None), ("TRAIN006", None, None), ("TRAIN008", "README.md", None)]
    assert grades_of(result)["recipe"] == "present"


def test_evaluation_notebook(tmp_path):
    result = _field("field-eval-notebook", tmp_path)
    assert findings_of(result, "TRAIN") == [("TRAIN002", None, None), ("TRAIN005", None, None), ("TRAIN006", None, None),
                                       ("TRAIN008", "README.md", None)]


def test_no_metric_and_an_inference_only_script_still_fire(tmp_path):
    # model.eval() and a logged loss compute no evaluation metric; a shell script that only runs inference
    # does not launch the training.
    root = make_repo(tmp_path / "r", {
        "README.md": "# pebble\n\nA small model.\n",
        "LICENSE": "MIT License\n",
        "finetune.py": ("import torch\n\ndef main(model, opt, batch):\n    model.train()\n    loss = model(batch).mean()\n"
                        "    loss.backward()\n    opt.step()\n    model.eval()\n    print('loss', loss.item())\n"),
        "run.sh": "python transcribe.py --audio sample.wav\n",
        "transcribe.py": "print('hello')\n",
    })
    tuples = finding_tuples(lint(root))
    assert ("TRAIN004", None, None) in tuples
    assert ("TRAIN003", "finetune.py", None) in tuples


# --- standard architectures named by a transformers class or a Hub base model ---------------------
def test_transformers_class_is_a_standard_architecture(tmp_path):
    result = _field("field-standard-arch", tmp_path)
    assert findings_of(result, "TRAIN") == [("TRAIN002", None, None), ("TRAIN004", None, None), ("TRAIN005", None, None),
                                       ("TRAIN008", "README.md", None)]


def test_auto_class_on_a_named_hub_model_is_a_standard_architecture(tmp_path):
    assert ("TRAIN007", None, None) not in finding_tuples(_field("field-dataset-id-in-code", tmp_path))


def test_unnamed_models_still_fire_train007(tmp_path):
    # An Auto class on a path given at run time, an adapter whose base model is a local folder, and a class name
    # in prose only: the architecture is not stated.
    root = make_repo(tmp_path / "r", {
        "README.md": "# pebble-sft\n\nUnlike LlamaForCausalLM, our model is small.\n",
        "LICENSE": "MIT License\n",
        "adapter_config.json": '{"base_model_name_or_path": "/home/me/models/pebble-base", "r": 16}\n',
        "finetune.py": ("import sys\nfrom transformers import AutoModelForCausalLM, Trainer\n"
                        "model = AutoModelForCausalLM.from_pretrained(sys.argv[1])\nTrainer(model=model).train()\n"),
    })
    assert finding_tuples(lint(root, select=["TRAIN007"])) == [("TRAIN007", None, None)]


def test_an_auto_class_running_the_hub_repositorys_own_code_is_no_standard_architecture(tmp_path):
    # trust_remote_code=True runs modeling code that lives in the Hub repository, not in the library: an
    # inference repository showing it does not state a standard architecture (the same call without it does).
    demo = ("from transformers import AutoModelForCausalLM\n"
            "model = AutoModelForCausalLM.from_pretrained(\"example-lab/pebble-7b\", trust_remote_code=True)\n")
    remote = make_repo(tmp_path / "remote", {"README.md": "# pebble\n", "cli_demo.py": demo})
    library = make_repo(tmp_path / "library", {"README.md": "# pebble\n",
                                               "cli_demo.py": demo.replace(", trust_remote_code=True", "")})
    assert ("TRAIN007", None, None) in finding_tuples(lint(remote, select=["TRAIN007"]))
    assert finding_tuples(lint(library, select=["TRAIN007"])) == []


def test_legacy_hub_model_id_is_a_standard_architecture(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": "# pebble-sst2\n\nRun `python finetune.py`.\n",
        "finetune.py": ("from transformers import AutoModelForSequenceClassification, Trainer\n"
                        "model = AutoModelForSequenceClassification.from_pretrained(\"roberta-base\")\n"
                        "Trainer(model=model).train()\n"),
    })
    assert finding_tuples(lint(root, select=["TRAIN007"])) == []


# --- LIC010: comparisons with open-source models are no claim ---------------------------------------
def test_comparison_with_open_source_models_is_no_claim(tmp_path):
    result = _field("field-open-source-comparison", tmp_path)
    assert findings_of(result, "LIC") == [("LIC001", None, None), ("LIC003", "README.md", 2)]


def test_the_release_called_open_source_still_fires(tmp_path):
    card = ("---\nlicense: bigcode-openrail-m\nlibrary_name: transformers\npipeline_tag: text-generation\n---\n\n"
            "# PebbleCoder-15B\n\n"
            "Our open-source models beat the closed ones on HumanEval.\n\n"
            "PebbleCoder is an open-source model with an advantage over larger systems.\n")
    root = make_repo(tmp_path / "r", {"README.md": card})
    assert findings_of(lint(root), "LIC010") == [("LIC010", "README.md", 9), ("LIC010", "README.md", 11)]


# --- TRAIN006: an inference script the README runs, whatever its name ----------------------------
def test_documented_run_py_that_samples_is_inference_code(tmp_path):
    result = _field("field-run-py-inference", tmp_path)
    assert findings_of(result, "TRAIN") == [("TRAIN001", None, None), ("TRAIN002", None, None), ("TRAIN004", None, None),
                                       ("TRAIN005", None, None), ("TRAIN007", None, None), ("TRAIN008", "README.md", None)]


def test_documented_scripts_that_do_not_sample_still_fire(tmp_path):
    # The README runs a download script and the training script: neither runs the model on an input.
    root = make_repo(tmp_path / "r", {
        "README.md": "# Pebble\n\n```shell\npython download.py\npython train.py\n```\n",
        "download.py": "import urllib.request\nurllib.request.urlretrieve('https://example.org/ckpt', 'ckpt')\n",
        "train.py": "def main(model, opt):\n    model.sample_weights()\n    opt.step()\n",
        "LICENSE": "MIT License\n",
    })
    assert finding_tuples(lint(root, select=["TRAIN006"])) == [("TRAIN006", None, None)]


# --- CARD009: CommonMark link reference definitions ----------------------------------------------
def test_reference_definition_look_alikes_render_no_broken_link(tmp_path):
    result = _field("field-reference-definitions", tmp_path)
    assert findings_of(result, "CARD009") == []


def test_used_reference_definitions_and_inline_links_in_notes_are_still_checked(tmp_path):
    # A definition the text uses, and an inline link inside a "[1]: ..." note line, both point to missing files.
    root = make_repo(tmp_path / "r", {
        "README.md": ("# pebble-voice\n\nSee the [guide][g].\n\n[g]: docs/guide.md\n\n"
                      "[1]: [Pebble notes](docs/notes.md): our notes, 2025\n"),
        "LICENSE": "MIT License\n",
    })
    assert findings_of(lint(root), "CARD009") == [("CARD009", "README.md", 5), ("CARD009", "README.md", 7)]


# --- CARD007: a list item's code block and a roadmap heading hold no template leftovers ----------
def test_placeholder_in_a_list_items_code_block_and_a_roadmap_heading(tmp_path):
    assert findings_of(_field("field-instruction-placeholders", tmp_path), "CARD007") == []


def test_placeholders_in_prose_and_a_bare_todo_heading_still_fire(tmp_path):
    # The same placeholder in prose under the list item, and a TODO heading over prose (no task list).
    root = make_repo(tmp_path / "r", {
        "README.md": ("# Pebble-7B\n\n1. Set the path:\n\n    model_path = <your-model-path>\n\n"
                      "    ```python\n    print(1)\n    ```\n\n## TODO\n\nWrite this section.\n"),
        "LICENSE": "MIT License\n",
    })
    assert findings_of(lint(root), "CARD007") == [("CARD007", "README.md", 5), ("CARD007", "README.md", 11)]


# --- LIC008: setuptools' license= is free text --------------------------------------------------
def test_setuptools_free_text_license_is_not_judged_as_spdx(tmp_path):
    assert findings_of(_field("field-setup-license-text", tmp_path), "LIC") == []


def test_spdx_expression_fields_are_still_checked(tmp_path):
    root = make_repo(tmp_path / "r", {
        "setup.py": 'from setuptools import setup\n\nsetup(name="pebble", license_expression="Apache 2.0")\n',
        "setup.cfg": "[metadata]\nname = pebble\nlicense = Apache License 2.0\n",
        "pyproject.toml": '[project]\nname = "pebble"\nversion = "1.0"\nlicense = "MIT License"\n',
        "LICENSE": "MIT License\n",
    })
    assert findings_of(lint(root), "LIC008") == [("LIC008", "pyproject.toml", 4), ("LIC008", "setup.py", 3)]


# --- licence files: a badge image is none; "<Name> LICENSE AGREEMENT" is one -----------------------
def test_licence_badge_image_is_no_licence_file(tmp_path):
    result = _field("field-licence-badge-svg", tmp_path)
    assert findings_of(result, "LIC") == []
    assert grades_of(result)["licensing"] == "present"


def test_licence_agreement_file_with_spaces_in_its_name(tmp_path):
    result = _field("field-licence-file-spaced-name", tmp_path)
    agreement = "Pebble LICENSE AGREEMENT"
    assert findings_of(result, "LIC") == [("LIC002", agreement, None), ("LIC003", agreement, None),
                                     ("LIC007", "README.md", None), ("LIC009", agreement, None)]
    assert grades_of(result)["licensing"] == "partial"


def test_licence_texts_with_other_names_are_still_read_and_faq_pages_are_not(tmp_path):
    # A custom text in LICENSE.md is still a licence file; "LICENSE FAQ.md" is a document about it.
    root = make_repo(tmp_path / "r", {
        "LICENSE.md": "Pebble terms\n\nYou may not use the Pebble Materials commercially.\n",
        "LICENSE FAQ.md": "# Questions about the licence\n",
        "README.md": "# Pebble\n",
    })
    tuples = findings_of(lint(root), "LIC002")
    assert tuples == [("LIC002", "LICENSE.md", None)]


# --- LIC009: restrictions stated in the Hub gating prompt -----------------------------------------
def test_restrictions_in_the_gating_prompt_are_stated(tmp_path):
    assert findings_of(_field("field-gated-prompt", tmp_path), "LIC") == [("LIC001", None, None), ("LIC003", "README.md", 2)]


def test_a_gating_prompt_that_states_no_restriction_still_fires(tmp_path):
    card = ("---\nlicense: creativeml-openrail-m\nlibrary_name: diffusers\npipeline_tag: text-to-image\n"
            "extra_gated_prompt: Please tell us your affiliation.\n---\n\n# Pebble Diffusion\n\nA text-to-image model.\n")
    root = make_repo(tmp_path / "r", {"README.md": card})
    assert findings_of(lint(root), "LIC009") == [("LIC009", "README.md", 2)]


# --- COMM001: a README Contributing section that says how to contribute is a contributing guide ---
def test_readme_contributing_section_is_a_contributing_guide(tmp_path):
    assert findings_of(_field("field-readme-contributing", tmp_path), "COMM") == [
        ("COMM002", None, None), ("COMM003", None, None), ("COMM004", None, None)]


def test_a_thank_you_list_or_a_bare_welcome_is_no_guide(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": ("# pebble-lora\n\n## Contributors\n\nThanks to everyone who opened issues.\n\n"
                      "## Contributing\n\nContributions are welcome!\n\n"
                      "## How to contribute\n\nOpen an issue; see [CONTRIBUTING.md](CONTRIBUTING.md).\n"),
        "LICENSE": "MIT License\n",
    })
    assert finding_tuples(lint(root, select=["COMM001"])) == [("COMM001", None, None)]


# --- A13: a separate card named <Name>_Model_Card.md ------------------------------------------------
def test_named_model_card_file_beside_a_code_readme(tmp_path):
    result = _field("field-model-card-file-name", tmp_path)
    card = "Pebble_Diffusion_Model_Card.md"
    assert findings_of(result, "CARD", "DATA") == [("CARD006", card, None), ("DATA006", card, 13)]
    assert grades_of(result)["data"] == "present"


def test_a_card_template_or_a_hub_readme_stays_as_it_was(tmp_path):
    # A template file is no card; a Hub README (front matter) stays the card beside another card file.
    root = make_repo(tmp_path / "r", {
        "README.md": "# pebble\n\nCode for Pebble.\n",
        "Pebble_Model_Card_Template.md": "# Model card\n\n## Citation\n\nSee the paper.\n",
        "LICENSE": "MIT License\n",
    })
    assert set(finding_tuples(lint(root, select=["CARD004"]))) == {("CARD004", "README.md", None)}  # one per section, all on README.md
    root = make_repo(tmp_path / "h", {
        "README.md": "---\nlicense: mit\n---\n\n# pebble\n",
        "Old_Model_Card.md": "# Old card\n",
        "LICENSE": "MIT License\n",
    })
    assert set(finding_tuples(lint(root, select=["CARD004"]))) == {("CARD004", "README.md", None)}  # one per section, all on README.md


# --- a data/README.md about evaluation data is no training data card -----------------------------
def test_evaluation_data_readme_is_no_data_card(tmp_path):
    result = _field("field-eval-data-readme", tmp_path)
    assert findings_of(result, "DATA") == [("DATA001", None, None), ("DATA002", None, None), ("DATA003", None, None)]
    assert grades_of(result)["data"] == "absent"


def test_data_readme_about_training_and_test_data_is_still_a_data_card(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": "# pebble-asr\n\nSpeech recognition models.\n",
        "data/README.md": ("# Training and evaluation data\n\nWe train on [PebbleSpeech](https://example.org/pebble-speech) "
                           "and report results on the test set of LibriSpeech.\n"),
        "LICENSE": "MIT License\n",
    })
    assert findings_of(lint(root), "DATA001", "DATA002", "DATA004") == [("DATA004", "data/README.md", 3)]


# --- ENV002: [project] dependencies without any version ------------------------------------------
def test_pyproject_dependencies_without_versions(tmp_path):
    result = _field("field-pyproject-unpinned", tmp_path)
    assert findings_of(result, "ENV") == [("ENV002", "pyproject.toml", 5), ("ENV003", None, None), ("ENV004", None, None)]
    assert grades_of(result)["environment"] == "partial"


def test_pyproject_ranges_or_a_requirements_file_do_not_fire_the_pyproject_check(tmp_path):
    # A library's ranges are deliberate; with a pinned requirements file that file is the environment.
    root = make_repo(tmp_path / "r", {
        "pyproject.toml": '[project]\nname = "pebble-tts"\nversion = "0.0.1"\ndependencies = ["numpy<2", "torch~=2.3", "rich"]\n',
        "README.md": "# pebble-tts\n",
    })
    assert findings_of(lint(root), "ENV002") == []
    root = make_repo(tmp_path / "q", {
        "pyproject.toml": '[project]\nname = "pebble-tts"\nversion = "0.0.1"\ndependencies = ["numpy", "torch"]\n',
        "requirements.txt": "numpy==1.26.4\ntorch==2.3.1\n",
        "README.md": "# pebble-tts\n",
    })
    assert findings_of(lint(root), "ENV002") == []


# --- A8: a sub-project README's non-commercial licence --------------------------------------------
def test_subproject_readme_licence_section_is_read(tmp_path):
    result = _field("field-subproject-licence-note", tmp_path)
    assert findings_of(result, "LIC") == [("LIC003", "docs/README_PEBBLE_CELL.md", 7)]
    assert grades_of(result)["licensing"] == "partial"


def test_permissive_or_unrelated_nested_licence_sections_stay_silent(tmp_path):
    # A sub-project under MIT, and a doc page whose licence section talks about the data viewer, not the model.
    root = make_repo(tmp_path / "r", {
        "README.md": "# Pebble vision\n\nCode and weights are released under Apache-2.0.\n",
        "LICENSE": (FIXTURES / "field-subproject-licence-note" / "LICENSE").read_text(encoding="utf-8"),
        "cell/README.md": "# Pebble-Cell\n\n## License\n\nPebble-Cell code and weights are released under the MIT licence.\n",
        "docs/viewer.md": "# Viewer\n\n## Licence\n\nThe viewer fonts are for non-commercial use.\n",
    })
    assert findings_of(lint(root), "LIC003") == []


# --- B3: external training code checked out at a tag ------------------------------------------------
def test_training_framework_checked_out_at_a_tag(tmp_path):
    result = _field("field-external-checkout-tag", tmp_path)
    assert findings_of(result, "TRAIN") == [("TRAIN004", None, None), ("TRAIN006", None, None), ("TRAIN007", None, None),
                                       ("TRAIN008", "README.md", None)]
    assert "README.md:8 external, pinned at v1.0: pebble-trainer" in result.extra["openness"]["areas"]["recipe"]["evidence"]


def test_a_branch_checkout_or_a_non_training_tool_is_not_pinned_training_code(tmp_path):
    for readme in ("git clone https://github.com/acme/pebble-trainer.git\ncd pebble-trainer\ngit checkout main\n",
                   "git clone https://github.com/acme/pebble-viewer.git\ncd pebble-viewer\ngit checkout v1.0\n"):
        root = make_repo(tmp_path / readme[40:52].strip("/.- "), {
            "README.md": "# Pebble suite\n\n```bash\n" + readme + "```\n",
            "configs/pebble-160m.yml": "lr: 0.0006\ntrain_micro_batch_size_per_gpu: 32\n",
            "LICENSE": "MIT License\n",
        })
        assert finding_tuples(lint(root, select=["TRAIN001"])) == [("TRAIN001", None, None)]


def test_chinese_licence_that_allows_research_and_commerce_is_not_research_only(tmp_path):
    # "可用于学术研究和商业用途" (may be used for research and commercial purposes) restricts nothing.
    root = make_repo(tmp_path / "r", {
        "README.md": "# Pebble-7B\n\n## 协议\n\n模型权重见 [LICENSE-MODEL](LICENSE-MODEL)。\n",
        "LICENSE-MODEL": "Pebble-7B 模型许可协议\n\n1. 本模型权重可用于学术研究和商业用途。\n",
    })
    assert findings_of(lint(root), "LIC003") == []
