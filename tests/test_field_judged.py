"""Findings of the field test (bench/field) judged after the audit: each case is an invented repository
shaped like the real one, with the exact findings and grades a careful reader gives, and a realistic
look-alike that must still fire."""

from __future__ import annotations

from pathlib import Path

from release_lint import lint
from tests.conftest import finding_tuples, grades_of, make_repo

LICENSES = Path(__file__).resolve().parent / "data" / "licenses"
MIT = (LICENSES / "mit.txt").read_text(encoding="utf-8")


def _licence(name: str) -> str:
    return (LICENSES / name).read_text(encoding="utf-8")


def _select(result, *prefixes):
    return [t for t in finding_tuples(result) if t[0].startswith(prefixes)]


# --- LIC010: what the release calls open source ----------------------------------------------------------
CLAIM_README = """# Pebble-70B

Pebble-70B is a 70B-parameter mixture-of-experts language model.
Our evaluations show that Pebble-70B outperforms other open-source models and comes close to leading closed models.

## Run it

PebbleHub is an open-source platform for serving models; run Pebble-70B there as shown below.
The launcher supports [FSDP](https://blog.example.org/2021/07/open-source/fsdp/) and DeepSpeed.
We measured tool use on our open-source Chinese evaluation benchmark, where Pebble-Chat does well.
"""


def test_other_open_source_models_is_a_claim_and_platforms_links_and_benchmarks_are_not(tmp_path):
    # "outperforms *other* open-source models" counts the release among them (line 4); an open-source platform,
    # "open-source" inside a link's address and an open-source benchmark are other things (lines 8-10).
    root = make_repo(tmp_path / "r", {"LICENSE": _licence("llama-style-community.txt"), "README.md": CLAIM_README})
    assert _select(lint(root), "LIC010") == [("LIC010", "README.md", 4)]


def test_comparisons_with_open_source_models_stay_silent(tmp_path):
    readme = CLAIM_README.replace("outperforms other open-source models", "outperforms open-source models")
    root = make_repo(tmp_path / "r", {"LICENSE": _licence("llama-style-community.txt"), "README.md": readme})
    assert _select(lint(root), "LIC010") == []


# --- LIC009: restrictions stated in the README beside a separate model card, or by naming a research licence -
def test_restrictions_stated_in_the_readme_beside_a_model_card_file(tmp_path):
    # The card file is the model card; the README beside it states the RAIL use-based restrictions.
    files = {
        "LICENSE": _licence("creativeml-openrail-m.txt"),
        "README.md": ("# pebble-diffusion\n\nLatent text-to-image diffusion.\n\n## Weights\n\n"
                      "The weights are released under [a licence with use-based restrictions to prevent misuse](LICENSE); "
                      "see the [model card](Pebble_Diffusion_Model_Card.md).\n"),
        "Pebble_Diffusion_Model_Card.md": ("# Pebble Diffusion v1 Model Card\n\n- **License:** [CreativeML OpenRAIL-M](LICENSE)\n\n"
                                           "## Uses\n\nResearch on generative models.\n"),
    }
    root = make_repo(tmp_path / "r", files)
    assert _select(lint(root), "LIC009") == []
    # Without the README's sentence nothing states them.
    files["README.md"] = "# pebble-diffusion\n\nLatent text-to-image diffusion; see the [model card](Pebble_Diffusion_Model_Card.md).\n"
    root = make_repo(tmp_path / "s", files)
    assert _select(lint(root), "LIC009") == [("LIC009", "LICENSE", None)]


def test_readme_naming_a_research_licence_states_research_only(tmp_path):
    files = {
        "LICENSE": MIT,
        "Pebble RESEARCH LICENSE AGREEMENT": _licence("research-only.txt"),
        "README.md": ("# Pebble\n\n## License Agreement\n\nThe code is under the [MIT License](LICENSE).\n\n"
                      "- Pebble-2B is licensed under the [Pebble RESEARCH LICENSE AGREEMENT](./Pebble%20RESEARCH%20LICENSE%20AGREEMENT). "
                      "For commercial use, please contact us.\n"),
    }
    root = make_repo(tmp_path / "r", files)
    assert _select(lint(root), "LIC009") == []
    files["README.md"] = ("# Pebble\n\n## License Agreement\n\nThe code is under the [MIT License](LICENSE); "
                          "the weights under [this agreement](./Pebble%20RESEARCH%20LICENSE%20AGREEMENT).\n")
    root = make_repo(tmp_path / "s", files)
    assert _select(lint(root), "LIC009") == [("LIC009", "Pebble RESEARCH LICENSE AGREEMENT", None)]


# --- hardware: link titles, requirement tables and inference logs are no training statements (A1) ---------
YI_LIKE_README = """# Pebble

Pebble-6B and Pebble-34B are bilingual language models.

## Quick start - local inference

### Perform inference in terminal

```
llama_init: found device: Apple M2 Pro
llama_init: compute buffer total size = 159.19 MiB
```

## Fine-tuning

### Hardware Setup

For Pebble-6B, a node with 4 GPUs is recommended; for Pebble-34B, a node with 8 GPUs.

## 部署

### 硬件要求

|模型          |最低显存 | 推荐GPU示例            |
|:-------------|:--------|:----------------------|
| Pebble-6B    | 15 GB   | 1 x RTX 4090 (24 GB)  |
| Pebble-34B   | 72 GB   | 4 x A800 (80 GB)      |

## Learning hub

| Deliverable | Date | Author |
|---|---|---|
| [单卡 3 小时训练 Pebble-6B 大模型 Agent](https://blog.example.org/p/1) | 2024-01-22 | [someone](https://example.org/u) |
| [Fine-tuning Pebble in 3 hours on a single GPU](https://blog.example.org/p/2) | 2024-01-15 | [other](https://example.org/v) |
"""


def test_blog_link_titles_requirement_tables_and_inference_logs_are_not_training_hardware(tmp_path):
    # Only the fine-tuning setup (4 or 8 GPUs) is about training: no accelerator type, no compute (HW001, HW003);
    # the requirement table states memory, so HW004 is silent.
    root = make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": YI_LIKE_README})
    result = lint(root)
    assert _select(result, "HW00") == [("HW001", "README.md", None), ("HW003", "README.md", None),
                                       ("HW005", "README.md", None), ("HW006", "README.md", None)]
    assert grades_of(result)["infrastructure"] == "partial"


def test_training_time_stated_in_prose_still_counts(tmp_path):
    # The same words outside a link's title are a statement about the release's own fine-tuning.
    readme = YI_LIKE_README.replace(
        "For Pebble-6B, a node with 4 GPUs is recommended;",
        "我们在单卡 A800 上训练 Pebble-6B 约 3 小时。For Pebble-6B, a node with 4 GPUs is recommended;")
    root = make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": readme})
    result = lint(root)
    assert _select(result, "HW00") == [("HW005", "README.md", 18), ("HW006", "README.md", 18)]
    assert grades_of(result)["infrastructure"] == "present"


# --- hardware: "8 × 80GB A100 GPUs" gives the count and the memory --------------------------------------
def _finetune_repo(tmp_path, sentence):
    readme = "# Pebble-7B\n\nA 7B language model; see [fine-tuning](finetune/README.md).\n"
    guide = ("# Instruction fine-tuning\n\nWe run the fine-tuning tasks on a node with " + sentence
             + " distributed by FSDP. The whole run took 20 hours.\n")
    return make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": readme, "finetune/README.md": guide})


def test_memory_before_the_accelerator_name_is_its_memory(tmp_path):
    result = lint(_finetune_repo(tmp_path, "8 × 80GB A100 GPUs"))
    assert _select(result, "HW00") == [("HW006", "finetune/README.md", 3)]
    facts = result.extra["openness"]["areas"]["infrastructure"]["grade"]
    assert facts == "present"


def test_accelerators_without_a_memory_figure_still_fire_hw004(tmp_path):
    result = lint(_finetune_repo(tmp_path, "8 A100 GPUs"))
    assert _select(result, "HW00") == [("HW004", "finetune/README.md", 3), ("HW006", "finetune/README.md", 3)]


def test_count_is_not_read_from_inside_an_accelerator_name():
    from release_lint.detectors.hardware_statements import extract_hardware

    counts = [s.value for s in extract_hardware([(1, "We fine-tuned on a node with 8 × 80GB A100 GPUs.")], "README.md")
              if s.kind == "count"]
    assert counts == ["8"]


# --- environment: a card's "Framework versions" list as the only specification (A4) ----------------------
TRAINER_CARD = """---
license: apache-2.0
---

# pebble-asr-tiny

A fine-tune of acme/pebble-asr on acme/speech-no, trained with `run.sh`.

## Training procedure

### Framework versions

- Transformers 4.26.0
- Pytorch 1.13.0+cu117
- Datasets 2.7.1
- Tokenizers 0.13.2
"""
RUN_SH = 'python run_asr.py --learning_rate="3e-6" --per_device_train_batch_size="64" --max_steps="5000" --do_train\n'


def _asr_repo(tmp_path, imports):
    script = imports + "\n\ndef main(trainer: Seq2SeqTrainer):\n    trainer.train()\n"
    return make_repo(tmp_path / "r", {"README.md": TRAINER_CARD, "run.sh": RUN_SH, "run_asr.py": script})


def test_versions_list_that_leaves_out_what_the_training_code_imports_is_unpinned(tmp_path):
    # The list pins four frameworks; the script also imports evaluate and jiwer, named nowhere: ENV002 at the
    # list, environment partial (as the audit graded the real Whisper fine-tune).
    imports = "import os\nimport evaluate\nimport jiwer\nimport torch\nfrom transformers import Seq2SeqTrainer"
    result = lint(_asr_repo(tmp_path, imports))
    assert _select(result, "ENV") == [("ENV002", "README.md", 11), ("ENV004", None, None)]
    assert "evaluate (run_asr.py:2), jiwer (run_asr.py:3)" in next(f.message for f in result.findings if f.code == "ENV002")
    assert grades_of(result)["environment"] == "partial"


def test_versions_list_that_covers_the_training_imports_stays_silent(tmp_path):
    imports = "import os\nimport datasets\nimport torch\nfrom transformers import Seq2SeqTrainer"
    result = lint(_asr_repo(tmp_path, imports))
    assert _select(result, "ENV") == [("ENV004", None, None)]
    assert grades_of(result)["environment"] == "present"


# --- COMM001: "open an issue or submit a pull request" is every repository's way in, not a guide -----------
def _contribution_repo(tmp_path, body):
    readme = ("# pebble-motivation\n\nA FLAN-style model fine-tuned to write motivational replies.\n\n"
              "## Contribution\n\n" + body + "\n\n## License\n\nMIT.\n")
    return make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": readme})


def test_a_welcome_with_issue_and_pull_request_is_no_contributing_guide(tmp_path):
    body = ("Contributions are welcome! If you have suggestions for improvements or new features, please open an "
            "issue or submit a pull request.")
    assert _select(lint(_contribution_repo(tmp_path, body)), "COMM001") == [("COMM001", None, None)]


def test_a_section_that_says_how_to_work_is_a_contributing_guide(tmp_path):
    body = ("Fork the repository and work on a branch; run `pytest` and `ruff check` before you open a pull request. "
            "Please discuss large changes in an issue first.")
    assert _select(lint(_contribution_repo(tmp_path, body)), "COMM001") == []


# --- TRAIN007: an Auto class told to run the Hub repository's own code, over several lines ------------------
def _demo_repo(tmp_path, remote_code):
    extra = "        trust_remote_code=True,\n" if remote_code else ""
    demo = ("import torch\nfrom transformers import AutoModelForCausalLM, AutoTokenizer\n\n\ndef init_model():\n"
            "    model = AutoModelForCausalLM.from_pretrained(\n        \"acme/pebble-13b-chat\",\n"
            "        torch_dtype=torch.float16,\n        device_map=\"auto\",\n" + extra + "    )\n"
            "    return model\n")
    readme = "# Pebble 2\n\nRun `python cli_demo.py` to chat with Pebble-13B-Chat.\n"
    return make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": readme, "cli_demo.py": demo})


def test_auto_class_running_remote_code_over_several_lines_is_no_standard_architecture(tmp_path):
    # The model code lives on the Hub, not in the release (Baichuan2 shape): TRAIN007 fires.
    assert _select(lint(_demo_repo(tmp_path, True)), "TRAIN007") == [("TRAIN007", None, None)]


def test_auto_class_on_a_named_hub_model_without_remote_code_stays_silent(tmp_path):
    assert _select(lint(_demo_repo(tmp_path, False)), "TRAIN007") == []


# --- TRAIN004: metric code counts when it is run, and when it measures what the release reports -------------
FINETUNE_PY = '''import functools

from rouge_chinese import Rouge
from transformers import Seq2SeqTrainer


def compute_metrics(eval_preds, tokenizer):
    scores = Rouge().get_scores("a b", "a c")
    return {"rouge-l": scores[0]["rouge-l"]["f"], "bleu-4": 0.0}


def main(model, args, train_dataset, val_dataset, tokenizer):
    trainer = Seq2SeqTrainer(model=model, args=args, train_dataset=train_dataset, eval_dataset=val_dataset,
                             compute_metrics=functools.partial(compute_metrics, tokenizer=tokenizer))
    trainer.train()
'''
SFT_YAML = "training_args:\n  learning_rate: 5.0e-5\n  per_device_train_batch_size: 4\n  max_steps: 3000\n  seed: 42\n"


def _glm_like_repo(tmp_path, results):
    readme = ("# Pebble-9B\n\nPebble-9B is a bilingual chat model.\n\n## Evaluation Results\n\n" + results + "\n\n"
              "## Fine-tuning\n\nRun `python finetune/finetune.py data/ acme/pebble-9b finetune/configs/sft.yaml`.\n")
    return make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": readme, "finetune/finetune.py": FINETUNE_PY,
                                      "finetune/configs/sft.yaml": SFT_YAML})


def test_fine_tuning_metrics_are_no_evaluation_code_for_benchmark_results(tmp_path):
    # The README reports benchmarks; the fine-tuning script only scores ROUGE/BLEU on the user's validation
    # data (GLM-4 shape): no code for the reported results.
    results = "| Model | MMLU | GSM8K |\n|---|---|---|\n| Pebble-9B | 72.4 | 79.6 |"
    assert _select(lint(_glm_like_repo(tmp_path, results)), "TRAIN004") == [("TRAIN004", None, None)]


def test_fine_tuning_metrics_that_the_card_reports_are_evaluation_code(tmp_path):
    results = "On the validation split of our dialogue data the fine-tuned model reaches ROUGE-L 31.2 and BLEU-4 12.5."
    assert _select(lint(_glm_like_repo(tmp_path, results)), "TRAIN004") == []


def _notebook(cells):
    import json

    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                                  "source": cell} for cell in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def _sft_notebook_repo(tmp_path, passes_metrics):
    trainer = ("trainer = SFTTrainer(\n    model=model,\n    train_dataset=data['train'],\n    eval_dataset=data['test'],\n"
               + ("    compute_metrics=compute_metrics,\n" if passes_metrics else "") + "    args=training_args,\n)\n"
               "trainer.train()\n")
    metrics = ("import evaluate\n\nmetric_em = evaluate.load(\"exact_match\")\n\n\ndef compute_metrics(eval_pred):\n"
               "    predictions, labels = eval_pred\n    return metric_em.compute(predictions=predictions, references=labels)\n")
    cells = ["from trl import SFTTrainer\nfrom transformers import TrainingArguments\n",
             "training_args = TrainingArguments(output_dir='./results', learning_rate=1e-5, num_train_epochs=2)\n"]
    cells += [metrics, trainer] if passes_metrics else [trainer, metrics]
    readme = "# pebble-tiny-finetune\n\nFine-tuning Pebble-1B with LoRA; see `pebble-finetune.ipynb`.\n"
    return make_repo(tmp_path / "r", {"README.md": readme, "pebble-finetune.ipynb": _notebook(cells)})


def test_a_metric_function_that_nothing_runs_is_no_evaluation_code(tmp_path):
    # compute_metrics is defined after training and never passed or called (tinyLlama-finetune shape).
    assert _select(lint(_sft_notebook_repo(tmp_path, False)), "TRAIN004") == [("TRAIN004", None, None)]


def test_a_metric_function_passed_to_the_trainer_is_evaluation_code(tmp_path):
    assert _select(lint(_sft_notebook_repo(tmp_path, True)), "TRAIN004") == []


# --- TRAIN006: random.sample in a data script is no sampling from a model ---------------------------------
def _data_prep_repo(tmp_path, script):
    readme = "# pebble-data-prep\n\nMix the sources with `python mix_and_split.py --out data/`.\n"
    return make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": readme, "mix_and_split.py": script})


def test_random_sample_in_a_data_script_is_no_inference_code(tmp_path):
    script = ("import random\n\n\ndef split(n, k):\n    valid = set(random.sample(range(n), k))\n"
              "    return [i for i in range(n) if i not in valid]\n")
    assert _select(lint(_data_prep_repo(tmp_path, script)), "TRAIN006") == [("TRAIN006", None, None)]


def test_a_documented_script_that_samples_from_the_model_is_inference_code(tmp_path):
    script = "def run(model, prompt):\n    return model.sample(prompt, max_tokens=64)\n"
    assert _select(lint(_data_prep_repo(tmp_path, script)), "TRAIN006") == []


# --- TRAIN004: a documented evaluation command of the release's own program (open_clip shape, A10) ---------
def _clip_like_repo(tmp_path, heading):
    readme = ("# pebble-clip\n\nTraining code for contrastive image-text models.\n\n## Training\n\n```bash\n"
              "python -m pebble_train.main --train-data data/train.csv --epochs 32 --lr 5e-4 --batch-size 256\n```\n\n"
              f"## {heading}\n\n### On a local checkpoint\n\n```bash\npython -m pebble_train.main \\\\\n"
              "    --val-data=/path/to/val.csv \\\\\n    --pretrained /path/to/epoch_32.pt\n```\n")
    train = "def train_one_epoch(model, data, opt):\n    for batch in data:\n        loss = model(batch)\n        loss.backward()\n        opt.step()\n"
    return make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": readme, "src/pebble_train/__init__.py": "",
                                      "src/pebble_train/main.py": "from pebble_train.train import train_one_epoch\n",
                                      "src/pebble_train/train.py": train})


def test_documented_evaluation_command_of_the_release_is_evaluation_code(tmp_path):
    assert _select(lint(_clip_like_repo(tmp_path, "Evaluation / Zero-Shot")), "TRAIN004") == []


def test_the_same_command_outside_an_evaluation_section_is_not(tmp_path):
    assert _select(lint(_clip_like_repo(tmp_path, "Resuming a run")), "TRAIN004") == [("TRAIN004", None, None)]


# --- TRAIN006: a documented training program that ends by sampling from the model (llm.c shape) -----------
def _sampling_trainer_repo(tmp_path, sample_line):
    readme = ("# pebble.c\n\nRun `python train_pebble.py`: it trains for 40 steps, evaluates the validation loss and "
              "samples some text.\n")
    train = ("def main(model, opt, data):\n    for x, y in data:\n        loss = model(x, y)\n        loss.backward()\n"
             "        opt.step()\n" + sample_line)
    return make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": readme, "train_pebble.py": train})


def test_training_program_that_samples_from_its_model_shows_how_to_run_it(tmp_path):
    result = lint(_sampling_trainer_repo(tmp_path, "    print(model.generate(x, max_new_tokens=64))\n"))
    assert _select(result, "TRAIN006") == []


def test_training_program_that_only_evaluates_still_fires_train006(tmp_path):
    result = lint(_sampling_trainer_repo(tmp_path, "    print(model.evaluate(data))\n"))
    assert _select(result, "TRAIN006") == [("TRAIN006", None, None)]


def _rail_repo(tmp_path, disclaimer):
    readme = ("# PebbleCoder-15B-GPTQ\n\nA 4-bit quantisation of PebbleCoder-15B.\n\n## Disclaimer\n\n" + disclaimer + "\n")
    return make_repo(tmp_path / "r", {"LICENSE": _licence("bigscience-openrail-m.txt"), "README.md": readme})


def test_a_disclaimer_restricting_use_in_its_own_words_states_the_restrictions(tmp_path):
    # WizardCoder-GPTQ shape: "restricted for academic research purposes only and cannot be used commercially".
    disclaimer = ("The resources of this project, including code, data and model weights, are restricted for academic "
                  "research purposes only and cannot be used for commercial purposes.")
    assert _select(lint(_rail_repo(tmp_path, disclaimer)), "LIC009") == []


def test_a_disclaimer_that_restricts_nothing_still_fires_lic009(tmp_path):
    disclaimer = "The outputs can be used for research and commercial purposes; we accept no liability for them."
    assert _select(lint(_rail_repo(tmp_path, disclaimer)), "LIC009") == [("LIC009", "LICENSE", None)]


def _run_py_repo(tmp_path, call):
    readme = "# Pebble-314B\n\nDownload the weights into `checkpoints/`, then run\n\n```shell\npython run.py\n```\n"
    run_py = ("from runners import InferenceRunner, sample_from_model\n\n\ndef main(runner: InferenceRunner):\n"
              "    gen = runner.run()\n    print(" + call + ")\n")
    return make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": readme, "run.py": run_py,
                                      "runners.py": "class InferenceRunner:\n    pass\n"})


def test_documented_script_calling_a_sampling_function_is_inference_code(tmp_path):
    # grok-1 shape: run.py prints sample_from_model(gen, prompt, ...).
    assert _select(lint(_run_py_repo(tmp_path, "sample_from_model(gen, 'The answer is', max_len=100)")), "TRAIN006") == []


def test_documented_script_that_only_loads_still_fires_train006(tmp_path):
    assert _select(lint(_run_py_repo(tmp_path, "gen")), "TRAIN006") == [("TRAIN006", None, None)]


# --- LIC003: the README's own 协议 section puts the weights under conditions (Baichuan2 shape, A8) -----------
def _xieyi_repo(tmp_path, section):
    readme = "# Pebble 2\n\nPebble 2 是新一代开源大语言模型。\n\n# 声明、协议、引用\n\n## 声明\n\n请勿将模型用于危害社会的用途。\n\n## 协议\n\n" + section
    return make_repo(tmp_path / "r", {"LICENSE": (LICENSES / "apache-2.0.txt").read_text(encoding="utf-8"),
                                      "README.md": readme})


def test_model_licence_conditions_in_the_readme_xieyi_section_are_restrictive(tmp_path):
    section = ("社区使用 Pebble 2 模型需要遵循 [Apache 2.0](LICENSE) 和《Pebble 2 模型社区许可协议》。如果您计划将 Pebble 2 "
               "模型用于商业目的，请您确认您的主体符合以下情况：\n"
               "  1. 您或您的关联方的服务或产品的日均用户活跃量（DAU）低于100万。\n"
               "  2. 您或您的关联方不是云服务提供商。\n")
    result = lint(_xieyi_repo(tmp_path, section))
    assert _select(result, "LIC003") == [("LIC003", "README.md", 13)]
    assert grades_of(result)["licensing"] == "partial"


def test_a_xieyi_section_without_conditions_stays_silent(tmp_path):
    section = "本仓库的代码和 Pebble 2 模型权重均以 [Apache 2.0](LICENSE) 协议开源，可免费商用。\n"
    result = lint(_xieyi_repo(tmp_path, section))
    assert _select(result, "LIC003") == []
    assert grades_of(result)["licensing"] == "present"


# --- HW002: a heading naming model variants ("Pretrained Models") is no training context (Llama 2 shape, A1) ---
LLAMA_LIKE_CARD = ("# Pebble 2 model card\n\n## Hardware and Software\n\n"
                   "Pretraining used a cumulative 3.3M GPU hours of computation on hardware of type A100-80GB.\n")


def _llama_like_repo(tmp_path, section):
    readme = ("# Pebble 2\n\n## Inference\n\nDifferent models need different model-parallel values.\n\n" + section)
    return make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": readme, "MODEL_CARD.md": LLAMA_LIKE_CARD,
                                      "example_text_completion.py": "def main(ckpt_dir):\n    pass\n",
                                      "train.py": "def main(model, opt):\n    opt.step()\n"})


def test_inference_command_under_a_pretrained_models_heading_is_no_training_count(tmp_path):
    section = ("### Pretrained Models\n\nThese models are not fine-tuned for chat.\n\n```\n"
               "torchrun --nproc_per_node 1 example_text_completion.py --ckpt_dir pebble-2-7b/\n```\n")
    result = lint(_llama_like_repo(tmp_path, section))
    assert _select(result, "HW002") == [("HW002", "MODEL_CARD.md", 5)]
    assert grades_of(result)["infrastructure"] == "partial"


def test_a_launch_command_under_a_pretraining_heading_still_counts(tmp_path):
    section = ("### Pretraining\n\nWe pretrained the models with\n\n```\n"
               "torchrun --nnodes 8 --nproc_per_node 8 train.py --config pebble-2-7b.yaml\n```\n")
    result = lint(_llama_like_repo(tmp_path, section))
    assert _select(result, "HW002") == []


# --- ENV002: [project] dependencies that are nearly all bare names (bark shape) ------------------------------
def test_pyproject_dependencies_mostly_without_versions_are_unpinned(tmp_path):
    deps = '["boto3", "encodec", "huggingface-hub>=0.14.1", "numpy", "scipy", "torch", "transformers"]'
    root = make_repo(tmp_path / "r", {"README.md": "# pebble-tts\n",
                                      "pyproject.toml": f'[project]\nname = "pebble-tts"\nversion = "0.0.1a"\ndependencies = {deps}\n'})
    assert _select(lint(root), "ENV002") == [("ENV002", "pyproject.toml", 4)]


def test_pyproject_ranges_with_one_bare_name_stay_a_librarys_choice(tmp_path):
    deps = '["numpy<2", "torch~=2.3", "transformers>=4.40,<5", "rich"]'
    root = make_repo(tmp_path / "r", {"README.md": "# pebble-tts\n",
                                      "pyproject.toml": f'[project]\nname = "pebble-tts"\nversion = "0.0.1a"\ndependencies = {deps}\n'})
    assert _select(lint(root), "ENV002") == []


# --- TRAIN004: a held-out set scored by model.evaluate() or a notebook's own accuracy() -------------------
def _keras_repo(tmp_path, last_cell):
    cells = ["import tensorflow as tf\nfrom transformers import TFAutoModelForSequenceClassification\n",
             "classifier.compile(optimizer='adam', loss=tf.keras.losses.SparseCategoricalCrossentropy(), metrics=['accuracy'])\n"
             "history = classifier.fit(train_dataset, epochs=3)\n", last_cell]
    return make_repo(tmp_path / "r", {"README.md": "# pebble-sentiment\nFine-tuned RoBERTa on tweets.\n",
                                      "Model/main.ipynb": _notebook(cells)})


def test_keras_evaluate_on_the_test_split_is_evaluation_code(tmp_path):
    assert _select(lint(_keras_repo(tmp_path, "classifier.evaluate(test_dataset)\n")), "TRAIN004") == []


def test_a_notebook_that_only_fits_still_fires_train004(tmp_path):
    assert _select(lint(_keras_repo(tmp_path, "classifier.save('my_model')\n")), "TRAIN004") == [("TRAIN004", None, None)]


def test_a_notebooks_own_top_k_accuracy_is_evaluation_code(tmp_path):
    # CLIP shape: the prompt-engineering notebook measures zero-shot ImageNet top-1/top-5 accuracy.
    cell = ("def accuracy(output, target, topk=(1,)):\n    pred = output.topk(max(topk), 1, True, True)[1].t()\n"
            "    correct = pred.eq(target.view(1, -1).expand_as(pred))\n"
            "    return [float(correct[:k].reshape(-1).float().sum(0)) for k in topk]\n")
    readme = "# pebble-clip\n\nZero-shot image classification; see `notebooks/zero_shot.ipynb` for ImageNet accuracy.\n"
    root = make_repo(tmp_path / "r", {"README.md": readme, "notebooks/zero_shot.ipynb": _notebook([cell])})
    assert _select(lint(root), "TRAIN004") == []


# --- TRAIN002: a column table whose body rows have no leading pipe (Llama 2 model card shape, A5) -----------
def _card_table_repo(tmp_path, header, rows):
    card = ("# Pebble 2 model card\n\n" + header + "\n" + "|".join(["---"] * (header.count("|") - 1)) + "\n" + rows +
            "\n\nAll models are trained with a global batch-size of 4M tokens.\n")
    return make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": "# Pebble 2\n\nSee MODEL_CARD.md.\n", "MODEL_CARD.md": card})


def test_learning_rate_column_of_a_table_without_leading_pipes_is_read(tmp_path):
    rows = "Pebble 2|7B|2.0T|3.0 x 10<sup>-4</sup>\nPebble 2|70B|2.0T|1.5 x 10<sup>-4</sup>"
    result = lint(_card_table_repo(tmp_path, "||Params|Tokens|LR|", rows))
    assert _select(result, "TRAIN002") == []
    assert grades_of(result)["recipe"] == "partial"


def test_a_table_without_hyperparameter_columns_still_fires_train002(tmp_path):
    rows = "Pebble 2|7B|2.0T|4k\nPebble 2|70B|2.0T|4k"
    result = lint(_card_table_repo(tmp_path, "||Params|Tokens|Context Length|", rows))
    assert _select(result, "TRAIN002") == [("TRAIN002", None, None)]


# --- LIC003 / B6: the licence text is only in the gating prompt of a quantised copy (GGUF card shape, A8) ------
def _gated_card_repo(tmp_path, prompt):
    import yaml

    matter = yaml.safe_dump({"base_model": "acme/pebble-3-1b-instruct", "tags": ["gguf"], "extra_gated_prompt": prompt},
                            allow_unicode=True, sort_keys=False)
    readme = "---\n" + matter + "---\n\n# pebble-3-1b-instruct-Q4_K_M-GGUF\n\nConverted to GGUF with llama.cpp.\n"
    return make_repo(tmp_path / "r", {"README.md": readme})


def test_licence_text_in_the_gating_prompt_is_the_releases_licence(tmp_path):
    result = lint(_gated_card_repo(tmp_path, _licence("llama-style-community.txt")))
    assert _select(result, "LIC001", "LIC003", "LIC005") == [("LIC001", None, None), ("LIC003", "README.md", 5),
                                                            ("LIC005", "README.md", 1)]
    assert grades_of(result)["licensing"] == "partial"


def test_a_short_gating_note_is_no_licence(tmp_path):
    result = lint(_gated_card_repo(tmp_path, "Please share your contact details to access this model."))
    assert _select(result, "LIC001", "LIC003", "LIC005") == [("LIC001", None, None), ("LIC005", "README.md", 1)]
    assert grades_of(result)["licensing"] == "absent"


# --- TRAIN007: a model manifest naming a known architecture family (GGUF collection shape) -----------------
def _manifest_repo(tmp_path, architecture):
    manifest = (f"id: pebble-13b\nparent_id: acme/pebble-13b\narchitecture: {architecture}\nobject: model\n"
                "config:\n  vocab_size: 32000\n  context_size: 2048\n  embedding_size: 5120\n  hidden_layer_size: 40\n"
                "variants:\n  Q4_K_M:\n    dtype: Q4_K_M\n    backend: llama-backend\n")
    return make_repo(tmp_path / "r", {"README.md": "# Pebble 13B GGUF\n\nQuantised variants of acme/pebble-13b.\n",
                                      "manifest.yaml": manifest})


def test_manifest_naming_a_known_architecture_is_a_standard_architecture(tmp_path):
    assert _select(lint(_manifest_repo(tmp_path, "llama")), "TRAIN007") == []


def test_manifest_naming_an_unknown_architecture_still_fires_train007(tmp_path):
    assert _select(lint(_manifest_repo(tmp_path, "pebblenet")), "TRAIN007") == [("TRAIN007", None, None)]
