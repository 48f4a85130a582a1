"""Field-test classes of the model card and data documentation (bench/field, issue 12): card sections and
results documented under other headings, numbers that are no scores, what makes a release a model
repository, and training data documented outside a data heading. Every repository here is invented and
shaped like the real release it stands for; findings are compared exactly as (code, path, line).
"""

from __future__ import annotations

from release_lint import lint
from tests.conftest import finding_tuples, make_repo

MIT = "MIT License\n\nCopyright (c) 2025 Pebble Labs\n"
TRAIN_PY = "import torch\n\ndef step(model, batch, opt):\n    loss = model(batch)\n    loss.backward()\n    opt.step()\n"


def _sections(result):
    """The section names CARD004 reports missing ("citation", "training data" ...)."""
    return sorted(f.message.split(" section")[0][3:] for f in result.findings if f.code == "CARD004")


def _card(root, select=("CARD004", "CARD005")):
    result = lint(root, select=list(select))
    return result, finding_tuples(result)


# --- training procedure under a heading about training that shows the launch -------------------------
TRAINING_UNDER_OTHER_HEADINGS = (
    "# pebble.c\n\nA small language model trained in plain C.\n\n"
    "## quick start\n\n```bash\nmake pebble\n```\n\n"
    "## multi-GPU training\n\nInstall MPI first, then:\n\n```bash\nmake train_pebblecu\n"
    "mpirun -np 8 ./train_pebblecu\n```\n\n"
    "## Citation\n\n```bibtex\n@misc{pebble, title={Pebble}}\n```\n"
)


def test_training_heading_that_runs_the_training_program_is_the_procedure(tmp_path):
    root = make_repo(tmp_path / "r", {"README.md": TRAINING_UNDER_OTHER_HEADINGS, "LICENSE": MIT,
                                      "train_pebble.c": "int main(void) { return 0; }\n"})
    result, _ = _card(root)
    assert _sections(result) == ["evaluation", "intended use", "limitations / bias and risks", "training data"]


def test_training_heading_with_a_framework_launcher(tmp_path):
    # "Training Pebble-CLIP" with a torchrun launch in a sub-section, "Training and Finetuning" running train.py.
    for title, body in (("Training Pebble-CLIP", "### Multi-node\n\n```bash\ntorchrun --nproc_per_node 4 -m pebble_train.main "
                                                 "--batch-size 256 --lr 1e-3\n```\n"),
                        ("Training and Finetuning", "```bash\npython ./launch.py train.py configs/pebble.yml\n```\n")):
        root = make_repo(tmp_path / title.split()[-1], {
            "README.md": f"# Pebble\n\n## {title}\n\n{body}\n## Citation\n\nSee the paper.\n",
            "LICENSE": MIT, "train.py": TRAIN_PY,
        })
        result, _ = _card(root)
        assert "training procedure" not in _sections(result), title


def test_training_headings_without_a_training_launch_still_fire(tmp_path):
    # Speed notes, an inference launch and prose about training are no training procedure.
    root = make_repo(tmp_path / "r", {
        "README.md": ("# Pebble\n\n## Training speed\n\nAbout 3k tokens per second.\n\n"
                      "## Serving the trained model\n\n```bash\ntorchrun --nproc_per_node 2 generate.py --ckpt ./weights\n```\n\n"
                      "## Pre-training on TPUs\n\nWe may support TPUs later.\n"),
        "LICENSE": MIT, "train.py": TRAIN_PY, "generate.py": "print('hello')\n",
    })
    result, _ = _card(root)
    assert "training procedure" in _sections(result)


# --- evaluation results in the introduction, or in a linked results document ---------------------------
def test_results_table_in_the_introduction_is_the_evaluation(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": ("# PebbleLoRA\n\nLow-rank adapters for Pebble models.\n\n"
                      "| Method | Trainable params | MNLI (acc) | SST-2 (acc) |\n|---|---|---|---|\n"
                      "| Full fine-tuning | 125M | 87.6 | 94.8 |\n| PebbleLoRA | 0.3M | 87.5 | 95.1 |\n\n"
                      "## Citation\n\nSee the paper.\n"),
        "LICENSE": MIT,
    })
    result, tuples = _card(root)
    assert "evaluation" not in _sections(result)
    assert [t for t in tuples if t[0] == "CARD005"] == []


EVAL_SECTION = "# Pebble-1B\n\n#### Evaluation\nYou can find the evaluation results of Pebble-1B in [EVAL.md](EVAL.md).\n"


def test_evaluation_section_linking_a_results_document(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": EVAL_SECTION,
        "EVAL.md": ("## Evaluate Pebble-1B\n\nWe report acc_norm.\n\n"
                    "| Model | Tokens | HellaSwag | PIQA | avg |\n|---|---|---|---|---|\n"
                    "| Pebble-1B-step-50k | 100B | 43.50 | 67.30 | 55.40 |\n| Pebble-1B | 1T | 52.54 | 69.91 | 61.23 |\n"),
        "LICENSE": MIT,
    })
    assert _card(root, ["CARD005"])[1] == []


def test_evaluation_section_linking_a_document_without_scores_still_fires(tmp_path):
    # The linked EVAL.md only says how to run the harness; a linked results image is no table either.
    root = make_repo(tmp_path / "r", {
        "README.md": EVAL_SECTION + "\n![results](results.png)\n",
        "EVAL.md": "## Evaluate Pebble-1B\n\n```bash\nlm_eval --model hf --tasks hellaswag\n```\n",
        "results.png": b"\x89PNG\r\n\x1a\n",
        "LICENSE": MIT,
    })
    assert _card(root, ["CARD005"])[1] == [("CARD005", "README.md", 3)]


# --- numbers in an evaluation section that are no scores ------------------------------------------------
def test_guidance_scales_and_an_arxiv_link_are_no_scores(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": "# pebble-diffusion\n\nCode for the Pebble diffusion models; see the [model card](model_card.md).\n",
        "model_card.md": (
            "# Pebble Diffusion v2 Model Card\n\n## Evaluation Results\n"
            "Evaluations with different classifier-free guidance scales (1.5, 2.0, 3.0, 4.0,\n"
            "5.0, 6.0, 7.0, 8.0) and 50 DDIM sampling\nsteps show the relative improvements of the checkpoints:\n\n"
            "![pareto](assets/variants.jpg)\n\n"
            "Evaluated using 50 DDIM steps and 10000 random prompts, at 512x512 resolution. Not optimized for FID scores.\n\n"
            "## Performance and Limitations\n\nAccuracy is near the state of the art. Our full evaluation results are "
            "presented in [the paper](https://arxiv.org/abs/2406.01234).\n"
        ),
        "assets/variants.jpg": b"\xff\xd8\xff\xe0",
        "LICENSE": MIT,
    })
    assert _card(root, ["CARD005"])[1] == [("CARD005", "model_card.md", 3)]


def test_scores_given_with_their_settings_still_count(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": "# pebble-diffusion\n\nCode for the Pebble diffusion models; see the [model card](model_card.md).\n",
        "model_card.md": ("# Pebble Diffusion v2 Model Card\n\n## Evaluation Results\n"
                          "With a guidance scale of 7.5 and 50 DDIM steps, Pebble Diffusion v2 reaches an FID of 12.63\n"
                          "on 10000 prompts (see [the paper](https://arxiv.org/abs/2406.01234)).\n"),
        "LICENSE": MIT,
    })
    assert _card(root, ["CARD005"])[1] == []


# --- training data named in a training section -----------------------------------------------------------
def test_pretraining_section_naming_its_datasets_is_the_training_data_section(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": ("# Pebble\n\n## Pretraining\n\nPebble pretraining has two stages.\n"
                      "In the first stage, we train on mostly web data: [pebble-mix](https://huggingface.co/datasets/acme/pebble-mix)\n"
                      "In the second stage, we train on curated data: [pebble-anneal](https://huggingface.co/datasets/acme/pebble-anneal)\n\n"
                      "## Citing\n\nSee the paper.\n"),
        "LICENSE": MIT, "train.py": TRAIN_PY,
    })
    result, _ = _card(root)
    assert "training data" not in _sections(result)


def test_pretraining_section_without_a_data_source_still_fires(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": ("# Pebble\n\n## Pretraining\n\nPebble is pretrained with the [Pebble trainer](https://github.com/acme/trainer) "
                      "for 100k steps.\n\n## Citing\n\nSee the paper.\n"),
        "LICENSE": MIT, "train.py": TRAIN_PY,
    })
    result, _ = _card(root)
    assert "training data" in _sections(result)


# --- a baselines section with a loss table; a data-mix heading ---------------------------------------------
def test_baselines_section_with_a_loss_table_is_the_evaluation(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": ("# microLM\n\nThe simplest repository for training small language models.\n\n"
                      "## baselines\n\nThe released checkpoints give these losses on train and val:\n\n"
                      "| model | params | train loss | val loss |\n| ------| ------ | ---------- | -------- |\n"
                      "| micro | 124M | 3.11 | 3.12 |\n| micro-medium | 350M | 2.85 | 2.84 |\n"),
        "LICENSE": MIT, "train.py": TRAIN_PY,
    })
    result, tuples = _card(root)
    assert "evaluation" not in _sections(result)
    assert [t for t in tuples if t[0] == "CARD005"] == []


def test_baselines_section_without_numbers_still_fires(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": "# microLM\n\n## baselines\n\nWe compare against the public checkpoints of the same sizes.\n",
        "LICENSE": MIT, "train.py": TRAIN_PY,
    })
    result, tuples = _card(root)
    assert "evaluation" not in _sections(result)
    assert [t for t in tuples if t[0] == "CARD005"] == [("CARD005", "README.md", 3)]


def test_datamix_heading_is_the_training_data_section(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": ("# Pebble\n\n# Pebble Training Details\n\n## DataMix\n| Subset | Tokens (Billion) |\n|---|---|\n"
                      "| Arxiv | 30.00 |\n| C4 | 197.67 |\n| Total | 227.67 |\n\n## Hyperparameters\n"
                      "| Hyperparameter | Value |\n|---|---|\n| Learning rate | 3e-4 |\n"),
        "LICENSE": MIT,
    })
    result, _ = _card(root)
    assert "training data" not in _sections(result)


def test_data_loading_heading_is_no_training_data_section(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": "# Pebble\n\n## Data loader\n\nBatches are read from memory-mapped files.\n",
        "LICENSE": MIT,
    })
    result, _ = _card(root)
    assert "training data" in _sections(result)


# --- what makes a repository a model release --------------------------------------------------------------
CODE_README = "# pebble\n\nTraining and evaluation code for Pebble. Released checkpoints are on the Hub.\n"


def test_the_tiny_model_of_the_test_suite_is_no_released_model(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": CODE_README, "LICENSE": MIT, "train.py": TRAIN_PY,
        "test_fixtures/test-pebble-model/model.pt": b"\x80\x02}q\x00.",
        "test_fixtures/test-pebble-model/pytorch_model.bin": b"\x80\x02}q\x00.",
        "pebble_data/hf_datasets/piqa/validation/data-00000-of-00001.arrow": b"ARROW1",
    })
    assert finding_tuples(lint(root, select=["CARD003", "LIC005"])) == []


def test_an_examples_checkpoint_is_a_released_model(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": CODE_README + "\nOur adapter for MNLI is `examples/NLU/pebble_base_lora_mnli.bin`.\n",
        "LICENSE": MIT, "examples/NLU/train_glue.py": TRAIN_PY,
        "examples/NLU/pebble_base_lora_mnli.bin": b"\x80\x02}q\x00.",
    })
    assert finding_tuples(lint(root, select=["CARD003", "LIC005"])) == [("CARD003", "README.md", None),
                                                                       ("LIC005", "README.md", None)]


# --- a roadmap heading opened by a sentence --------------------------------------------------------------
def test_todo_heading_opening_a_task_list_with_a_sentence_is_a_roadmap(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": ("# Pebble\n\n## TODO\nThis project is still under development. Here are some things we plan to work on:\n"
                      " - [ ] Add scripts for pretraining on other datasets.\n - [ ] Sequence length extrapolation.\n"),
        "LICENSE": MIT,
    })
    assert finding_tuples(lint(root, select=["CARD007"])) == []


def test_todo_heading_with_a_placeholder_body_still_fires(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": "# Pebble\n\n## TODO\nTODO: describe the model.\n - [ ] Add scripts.\n",
        "LICENSE": MIT,
    })
    assert finding_tuples(lint(root, select=["CARD007"])) == [("CARD007", "README.md", 3), ("CARD007", "README.md", 4)]


# --- training data described in an overview; preprocessing in the paper's example folders ---------------------
def test_overview_naming_the_training_data_sources_documents_them(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": ("# Overview\n\nThis repository contains the code to prepare the data for the **Pebble 7B language model**.\n\n"
                      "The final training data\ncomes from three sources:\n1. RedPajama V1 (we use the `arxiv` and `book` subsets)\n"
                      "2. RefinedWeb\n3. StarCoderData\n\n# Tokenize and Concatenate Sequences\n\n"
                      "Use `convert_dataset_hf_json.py` to tokenize the documents.\n"),
        "LICENSE": MIT,
        "convert_dataset_hf_json.py": "def tokenize(doc, tok):\n    return tok(doc)\n",
    })
    result = lint(root, select=["DATA001", "DATA002", "DATA003", "DATA004", "CARD004"])
    assert [t for t in finding_tuples(result) if t[0] != "CARD004"] == [("DATA004", "README.md", 7)]
    assert "training data" not in _sections(result)


def test_overview_without_a_named_source_still_fires(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": ("# Overview\n\nThis repository contains the code to prepare the training data of Pebble 7B from "
                      "publicly available sources.\n"),
        "LICENSE": MIT,
    })
    result = lint(root, select=["DATA001", "DATA002", "CARD004"])
    assert [t for t in finding_tuples(result) if t[0] != "CARD004"] == [("DATA001", None, None), ("DATA002", None, None)]
    assert "training data" in _sections(result)


def test_preprocessing_scripts_beside_the_papers_training_code_in_examples(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": "# PebbleLoRA\n\nSee `examples/NLG` for the GPT-2 experiments.\n",
        "LICENSE": MIT,
        "examples/NLG/src/gpt2_ft.py": TRAIN_PY,
        "examples/NLG/create_datasets.sh": "python src/format_converting_e2e.py data/e2e/train.txt data/e2e/train_formatted.jsonl\n",
        "examples/NLG/src/format_converting_e2e.py": "import json\n",
        "examples/NLG/src/gpt2_encode.py": "import json\n",
    })
    assert finding_tuples(lint(root, select=["DATA003"])) == []


def test_preprocessing_names_in_an_example_without_the_releases_training_code_still_fire(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": "# pebble-lib\n\nA library to sample from Pebble models.\n",
        "LICENSE": MIT,
        "pebble/sampler.py": "def sample(model, prompt):\n    return model(prompt)\n",
        "examples/qa/create_datasets.sh": "python format_converting_qa.py\n",
        "examples/qa/format_converting_qa.py": "import json\n",
    })
    assert finding_tuples(lint(root, select=["DATA003"])) == [("DATA003", None, None)]


def test_released_cleaned_training_data_is_preprocessing(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": ("# Pebble-9B 风格 LoRA 微调\n\n## 仓库文件\n\n| 文件 | 说明 |\n|------|------|\n"
                      "| `adapter_model.safetensors` | LoRA 权重 |\n| `pebble_posts.jsonl` | 清洗后的训练数据（10,212 条） |\n"),
        "adapter_model.safetensors": b"{}",
        "adapter_config.json": '{"base_model_name_or_path": "acme/pebble-9b-chat", "r": 8}\n',
        "pebble_posts.jsonl": '{"instruction": "hi", "output": "hello"}\n',
    })
    # Documented, sourced and preprocessed; what is still asked (terms, datasheet) points at the line describing the data.
    assert finding_tuples(lint(root, select=["DATA"])) == [("DATA004", "README.md", 8), ("DATA006", "README.md", 8)]


def test_released_raw_training_data_is_no_preprocessing(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": ("# Pebble-9B LoRA\n\n## Files\n\n| File | What |\n|---|---|\n"
                      "| `pebble_posts.jsonl` | the training data, as scraped |\n"),
        "adapter_model.safetensors": b"{}",
        "adapter_config.json": '{"base_model_name_or_path": "acme/pebble-9b-chat", "r": 8}\n',
        "pebble_posts.jsonl": '{"instruction": "hi", "output": "hello"}\n',
    })
    assert finding_tuples(lint(root, select=["DATA001", "DATA002", "DATA003"])) == [("DATA003", None, None)]


# --- a fine-tuning example's data is not the released model's training data (A12) ------------------------------
BASE_MODEL_README = (
    "# Pebble 2\n\nPebble 2 is a base model trained on 2.6 trillion tokens of high-quality corpus.\n\n"
    "# 模型微调\n\n## 单机训练\n\n下面我们给一个微调 Pebble2-7B-Base 的单机训练例子。\n\n"
    "训练数据：`data/chat_10k.json`，该样例数据是从 [multiturn_chat](https://huggingface.co/datasets/acme/multiturn_chat) "
    "采样出 1 万条，并且做了格式转换。\n\n```shell\ndeepspeed fine-tune.py --data_path data/chat_10k.json\n```\n\n"
    "### Finetune code for Pebble 2\n\n#### Preparation\n\nBy default, we use a small dataset from [acme/coig](https://huggingface.co/datasets/acme/coig) to "
    "finetune the base model.\n\nYou can find fine-tuning datasets on the Hub, with datasets like "
    "[acme/cqia](https://huggingface.co/datasets/acme/cqia) readily available.\n"
)


def test_fine_tuning_example_data_is_no_training_source(tmp_path):
    root = make_repo(tmp_path / "r", {"README.md": BASE_MODEL_README, "LICENSE": MIT, "fine-tune.py": TRAIN_PY,
                                      "data/chat_10k.json": "[]\n"})
    result = lint(root, select=["DATA002", "CARD004"])
    assert [t for t in finding_tuples(result) if t[0] == "DATA002"] == [("DATA002", None, None)]
    assert "training procedure" in _sections(result)


def test_the_data_a_fine_tune_was_trained_on_is_its_source(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": ("# pebble-chat\n\nThis model is a fine-tuned version of [acme/pebble-base](https://huggingface.co/acme/pebble-base) "
                      "on the [acme/recipes-qa](https://huggingface.co/datasets/acme/recipes-qa) dataset.\n\n"
                      "## Training\n\n```bash\npython train.py --data acme/recipes-qa\n```\n"),
        "LICENSE": MIT, "train.py": TRAIN_PY,
    })
    result = lint(root, select=["DATA002", "CARD004"])
    assert [t for t in finding_tuples(result) if t[0] == "DATA002"] == []
    assert "training procedure" not in _sections(result)


def test_a_data_loader_of_a_fine_tuning_tool_does_not_prepare_undocumented_training_data(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": "# Pebble\n\nPebble-34B is a base model trained on a 3T multilingual corpus.\n",
        "LICENSE": MIT,
        "finetune/sft/main.py": TRAIN_PY,
        "finetune/utils/data/raw_datasets.py": "def load(path):\n    return open(path).read().splitlines()\n",
    })
    assert finding_tuples(lint(root, select=["DATA003"])) == [("DATA003", None, None)]


def test_data_code_beside_documented_training_data_still_counts(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": ("# Pebble\n\n## Training data\n\nPebble-34B is trained on "
                      "[acme/pebble-web](https://huggingface.co/datasets/acme/pebble-web).\n"),
        "LICENSE": MIT,
        "pebble/data/raw_datasets.py": "def load(path):\n    return open(path).read().splitlines()\n",
    })
    assert finding_tuples(lint(root, select=["DATA003"])) == []


def test_a_tutorial_step_naming_a_dataset_is_no_training_data_section(tmp_path):
    # "we first tokenize the dataset, [OpenText]": a step of the how-to, not what the model was trained on.
    root = make_repo(tmp_path / "r", {
        "README.md": ("# microLM\n\n## reproducing the training run\n\nTo reproduce Pebble-2 we first tokenize the dataset, in this case "
                      "[OpenText](https://huggingface.co/datasets/acme/opentext):\n\n```sh\npython data/opentext/prepare.py\n```\n\n"
                      "Then kick off training:\n\n```sh\ntorchrun --nproc_per_node=8 train.py config/train_pebble.py\n```\n"),
        "LICENSE": MIT, "train.py": TRAIN_PY, "data/opentext/prepare.py": "import numpy\n",
    })
    result, _ = _card(root)
    assert "training data" in _sections(result)


def test_the_models_licence_in_an_overview_is_no_data_licence(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": ("# Pebble\n\n## Model Description\nPebble is a 7B English language model.\n\n"
                      "- **License:** Apache 2.0\n- **Resources for more information:**\n"
                      "  - [Fully processed Pebble pretraining data](https://huggingface.co/datasets/acme/pebble-data)\n"),
        "LICENSE": MIT,
    })
    assert finding_tuples(lint(root, select=["DATA002", "DATA004"])) == [("DATA004", "README.md", 8)]


def test_audio_collected_from_the_internet_documents_nothing(tmp_path):
    # B7: a size and "collected from the internet" identify no source and document nothing.
    root = make_repo(tmp_path / "r", {
        "README.md": "# pebble-asr\n\nSpeech recognition models; see the [model card](model-card.md).\n",
        "model-card.md": ("# Model Card: Pebble ASR\n\n## Training Data\n\nThe models are trained on 680,000 hours of audio "
                          "and the corresponding transcripts collected from the internet.\n"),
        "LICENSE": MIT,
    })
    assert finding_tuples(lint(root, select=["DATA001", "DATA002"])) == [("DATA001", "model-card.md", 3),
                                                                       ("DATA002", "model-card.md", 3)]


def test_audio_from_a_named_corpus_is_documented(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": "# pebble-asr\n\nSpeech recognition models; see the [model card](model-card.md).\n",
        "model-card.md": ("# Model Card: Pebble ASR\n\n## Training Data\n\nThe models are trained on 960 hours of LibriSpeech "
                          "audio, collected from the internet by its authors.\n"),
        "LICENSE": MIT,
    })
    assert finding_tuples(lint(root, select=["DATA001", "DATA002"])) == []


def test_the_data_pipeline_of_an_adapter_example_does_not_prepare_undocumented_training_data(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": "# pebble\n\nA JAX library to sample from and fine-tune Pebble models.\n",
        "LICENSE": MIT,
        "pebble/sampler.py": "def sample(model, prompt):\n    return model(prompt)\n",
        "pebble/diffusion/pebble_diffusion_adapter/data/data.py": "def batches(rows):\n    return rows\n",
        "pebble/diffusion/pebble_diffusion_adapter/data/medqa/convert_medqa.py": "import json\n",
    })
    assert finding_tuples(lint(root, select=["DATA003"])) == [("DATA003", None, None)]
