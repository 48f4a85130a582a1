"""Statements in context (issue 12, classes A1, A3 launch scripts, A5, A9) and the one-pass text index (issue 13).

Every repository here is invented; each reproduces a failure class of real-repo-failures: hardware named in
news, link titles, requirements or inference commands is not training infrastructure; a Slurm script that runs
the training entry point documents the training hardware; hyperparameters in column tables and prose count;
Chinese hardware statements count. The last tests pin the design of the text index: the per-line parsers run
only on lines that hold a keyword of their family, and evaluation results are never parsed.
"""

from __future__ import annotations

import json

from release_lint import lint, textindex
from release_lint.detectors import hardware_statements, hyperparameters
from release_lint.detectors.hardware import hardware_facts
from release_lint.detectors.hardware_statements import extract_hardware
from release_lint.detectors.hyperparameters import extract_hyperparameter_keys, recipe_facts
from release_lint.repo import Repo
from release_lint.textindex import FAMILIES, classify_lines, file_kind, mask
from tests.conftest import finding_tuples, make_repo

MIT = "MIT License\n\nCopyright (c) 2025 Pebble Labs\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n"
MODEL = "import torch.nn as nn\n\n\nclass Pebble(nn.Module):\n    def forward(self, x):\n        return x\n"
TRAIN = "def train(model, opt, batches):\n    for batch in batches:\n        loss = model(batch)\n        loss.backward()\n        opt.step()\n"
GENERATE = "import argparse\n\nparser = argparse.ArgumentParser()\nparser.add_argument('--ckpt')\n"


def grades(path):
    return {area: facts["grade"] for area, facts in lint(path).extra["openness"]["areas"].items()}


def hw(path):
    return finding_tuples(lint(path, select=["HW"]))


# --- A1: hardware statements not about training ---------------------------------------------------------

C1A_README = """# Pebble-7B

Pebble-7B is a 7B-parameter language model.

## Training

Pre-training took about 50k GPU hours on H100 GPUs.

## Running the model

Serve it on two nodes:

```bash
torchrun --nnodes 2 --nproc-per-node 8 generate.py --ckpt ./weights
```
"""


def test_inference_launcher_flags_are_not_a_training_count(tmp_path):
    make_repo(tmp_path, {"LICENSE": MIT, "README.md": C1A_README, "generate.py": GENERATE, "model.py": MODEL})
    assert hw(tmp_path) == [("HW002", "README.md", 7), ("HW004", "README.md", 7), ("HW006", "README.md", 7)]
    facts = hardware_facts(Repo(str(tmp_path)))
    assert [(s.kind, s.value, s.line) for s in facts.accelerators + facts.compute] == [
        ("accelerator", "NVIDIA H100", 7), ("compute", "50k GPU hours", 7)]
    assert [(s.value, s.line, s.topic) for s in facts.not_training] == [
        ("nnodes=2", 14, "inference"), ("nproc-per-node=8", 14, "inference")]
    assert grades(tmp_path)["infrastructure"] == "partial"


C1B_README = """# pebble-trainer

A library for training transformer models.

## News

- 2025-03: added kernels for AMD MI300X accelerators.
- [Blog post: scaling out on Intel Gaudi2](https://example.org/blog/gaudi)

## Requirements

Our CI machines use NVIDIA A100 and H100 cards.

## Multi-node example

Example environment for one machine with 8 GPUs per node:

```bash
GPUS_PER_NODE=8
```
"""


def test_news_link_titles_requirements_and_examples_are_not_training_hardware(tmp_path):
    make_repo(tmp_path, {"LICENSE": MIT, "README.md": C1B_README, "model.py": MODEL, "train.py": TRAIN})
    assert [code for code, _path, _line in hw(tmp_path)] == ["HW001", "HW002", "HW003", "HW004", "HW006"]
    facts = hardware_facts(Repo(str(tmp_path)))
    assert [(s.value, s.line, s.topic) for s in facts.not_training] == [
        ("AMD Instinct MI300X", 7, "news"), ("Intel Gaudi2", 8, "link"), ("NVIDIA A100", 12, "support"),
        ("NVIDIA H100", 12, "support"), ("8 gpus", 16, None), ("GPUS_PER_NODE=8", 19, None)]
    assert grades(tmp_path)["infrastructure"] == "absent"


def test_a_training_command_in_a_usage_section_still_counts(tmp_path):
    readme = "# M\n\n## Usage\n\n```bash\ntorchrun --nnodes 4 --nproc-per-node 8 train.py --config c.yaml\n```\n"
    make_repo(tmp_path, {"README.md": readme, "train.py": TRAIN})
    facts = hardware_facts(Repo(str(tmp_path)))
    assert [(s.value, s.line, s.topic) for s in facts.counts] == [("nnodes=4", 6, "training"), ("nproc-per-node=8", 6, "training")]


def test_evaluation_results_name_the_scoring_gpu_not_the_training_one(tmp_path):
    result = json.dumps({"results": {"hellaswag": {"acc": 0.41}}, "config": {"device": "NVIDIA H100 80GB", "num_gpus": 8}}, indent=1)
    make_repo(tmp_path, {"README.md": "# M\n", "results/pebble/hellaswag.json": result})
    assert [code for code, _p, _l in hw(tmp_path)] == ["HW001", "HW002", "HW003", "HW004", "HW005", "HW006"]
    assert file_kind(Repo(str(tmp_path)), "results/pebble/hellaswag.json") == "eval-result"


# --- A3: launch scripts that run the training entry point -------------------------------------------------

SLURM = "#!/bin/bash\n#SBATCH --nodes=8\n#SBATCH --gres=gpu:8\nsrun python {entry} --config configs/pebble.yaml\n"


def test_slurm_script_running_training_states_the_count(tmp_path):
    make_repo(tmp_path, {"README.md": "# Pebble-1B\n\nThe training run is described in `experiments/`.\n",
                         "train.py": TRAIN, "experiments/launch.slurm": SLURM.format(entry="train.py")})
    facts = hardware_facts(Repo(str(tmp_path)))
    assert [(s.value, s.path, s.line, s.topic) for s in facts.counts] == [
        ("nodes=8", "experiments/launch.slurm", 2, "training"), ("gres=8", "experiments/launch.slurm", 3, "training")]
    assert "HW002" not in [code for code, _p, _l in hw(tmp_path)]


def test_slurm_script_running_training_documents_the_launch(tmp_path):
    make_repo(tmp_path, {"README.md": "# Pebble-1B\n", "train.py": TRAIN, "experiments/launch.slurm": SLURM.format(entry="train.py")})
    assert finding_tuples(lint(tmp_path, select=["TRAIN003"])) == []
    make_repo(tmp_path / "serve", {"README.md": "# Pebble-1B\n", "train.py": TRAIN, "generate.py": GENERATE,
                                   "experiments/serve.slurm": SLURM.format(entry="generate.py")})
    assert finding_tuples(lint(tmp_path / "serve", select=["TRAIN003"])) == [("TRAIN003", "train.py", None)]


def test_slurm_script_running_inference_states_no_training_count(tmp_path):
    make_repo(tmp_path, {"README.md": "# Pebble-1B\n", "train.py": TRAIN, "generate.py": GENERATE,
                         "experiments/serve.slurm": SLURM.format(entry="generate.py")})
    facts = hardware_facts(Repo(str(tmp_path)))
    assert facts.counts == []
    assert [(s.value, s.topic) for s in facts.not_training] == [("nodes=8", "inference"), ("gres=8", "inference")]


# --- A9: Chinese statements -----------------------------------------------------------------------------

A9_README = "# Pebble 微调实验\n\n- **硬件**：RTX 4090（24GB 显存），单卡\n- **耗时**：训练约 6 小时\n"


def test_chinese_hardware_count_and_training_time(tmp_path):
    make_repo(tmp_path, {"LICENSE": MIT, "README.md": A9_README, "model.py": MODEL, "train.py": TRAIN})
    assert hw(tmp_path) == [("HW006", "README.md", 3)]
    facts = hardware_facts(Repo(str(tmp_path)))
    assert [(s.kind, s.value, s.line) for s in facts.all()] == [
        ("accelerator", "NVIDIA RTX 4090", 3), ("count", "单卡", 3), ("compute", "6 小时", 4), ("memory", "24 GB", 3)]
    assert grades(tmp_path)["infrastructure"] == "present"


def test_chinese_count_before_the_accelerator():
    found = extract_hardware(enumerate("## 训练\n\n我们使用 8张A100 训练了 3天。".split("\n"), 1), "README.md")
    assert [(s.kind, s.value, s.number, s.topic) for s in found] == [
        ("accelerator", "NVIDIA A100", None, "training"), ("count", "8", 8.0, "training"), ("compute", "3天", None, "training")]


def test_chinese_hardware_in_an_inference_section_does_not_count():
    found = extract_hardware(enumerate("## 推理部署\n\n单卡 RTX 4090 即可运行。".split("\n"), 1), "README.md")
    assert {s.topic for s in found} == {"inference"}


# --- A5: hyperparameters in column tables and prose -----------------------------------------------------

D_README = """# Pebble

| Model | Params | Tokens | LR | Batch size |
|---|---|---|---|---|
| Pebble-1B | 1B | 300B | 3e-4 | 2M tokens |
| Pebble-7B | 7B | 1T | 1.5e-4 | 4M tokens |

Every run used a cosine learning-rate schedule with 2,000 warmup steps and an effective batch-size of 4M tokens.
"""


def test_column_table_and_prose_hyperparameters(tmp_path):
    make_repo(tmp_path, {"LICENSE": MIT, "README.md": D_README})
    codes = [code for code, _p, _l in finding_tuples(lint(tmp_path, select=["TRAIN"]))]
    assert codes == ["TRAIN001", "TRAIN004", "TRAIN005", "TRAIN006", "TRAIN007", "TRAIN008"]  # TRAIN002 is silent
    facts = recipe_facts(Repo(str(tmp_path)))
    assert [(k.name, k.line) for k in facts.keys["README.md"]] == [
        ("learning_rate", 5), ("batch_size", 5), ("warmup", 8), ("batch_size", 8)]
    assert [(s.path, s.line, s.kind, s.names) for s in facts.sources] == [
        ("README.md", 5, "card", ("batch_size", "learning_rate", "warmup"))]
    assert grades(tmp_path)["recipe"] == "partial"


def test_hyperparameters_of_an_evaluation_or_serving_context_do_not_count():
    doc = ("# M\n\n## Evaluation\n\n| Task | Batch size | LR |\n|---|---|---|\n| hellaswag | 8 | 0 |\n\n"
           "## Serving\n\nRun with a batch size of 16 and a learning rate of 0.\n")
    assert extract_hyperparameter_keys(enumerate(doc.split("\n"), 1), style="markdown") == []


def test_prose_and_bold_bullet_hyperparameters():
    doc = "## Training\n\n- **Learning rate:** 3e-4\n- We trained for 3 epochs with weight decay of 0.1.\n"
    keys = extract_hyperparameter_keys(enumerate(doc.split("\n"), 1), style="markdown")
    assert [(k.name, k.line) for k in keys] == [("learning_rate", 3), ("duration", 4), ("weight_decay", 4)]


# --- the text index -------------------------------------------------------------------------------------


def _filler(count):
    return [f"Lorem ipsum quux {i} zorp." for i in range(count)]


def test_per_line_parsers_run_only_on_prefilter_hits(tmp_path, monkeypatch):
    filler = _filler(400)
    assert not any(classify_lines(filler))  # the filler holds no keyword of any family
    hardware_lines = ["Trained on 64 A100 GPUs for 6 days.", "FSDP with 8 nodes."]
    hparam_lines = ["learning_rate: 3.0e-4", "warmup_steps: 2000"]
    readme = "\n".join(["# M", ""] + filler[:200] + hardware_lines + filler[200:]) + "\n"
    config = "\n".join(filler[:200] + hparam_lines + filler[200:]) + "\n"
    evaluation = json.dumps({"results": {"a": {"acc": 0.5}}, "config": {"num_gpus": 8, "learning_rate": 1e-4}}, indent=1)
    make_repo(tmp_path, {"README.md": readme, "configs/train.yaml": config, "results/run1/a.json": evaluation})
    hardware_calls, hparam_calls = [], []
    original_hw, original_hp = hardware_statements._line_statements, hyperparameters._hyperparameter_line

    def count_hw(raw, number, add, paragraph_ok):
        hardware_calls.append(raw)
        return original_hw(raw, number, add, paragraph_ok)

    def count_hp(line, number, style, found):
        hparam_calls.append(line)
        return original_hp(line, number, style, found)

    monkeypatch.setattr(hardware_statements, "_line_statements", count_hw)
    monkeypatch.setattr(hyperparameters, "_hyperparameter_line", count_hp)
    # Lines parsed by earlier tests are remembered for the process: start from empty memories.
    monkeypatch.setattr(hardware_statements, "_PARSED", {})
    monkeypatch.setattr(hyperparameters, "_PARSED_KEYS", {})
    repo = Repo(str(tmp_path))
    facts = hardware_facts(repo)
    recipe = recipe_facts(repo)
    assert sorted(set(hardware_calls)) == sorted(hardware_lines)
    assert sorted(set(hparam_calls)) == sorted(hparam_lines)
    assert [s.value for s in facts.accelerators] == ["NVIDIA A100"]
    assert [(s.path, s.names) for s in recipe.sources] == [("configs/train.yaml", ("learning_rate", "warmup"))]


def test_keywords_cover_what_the_parsers_find():
    # Every statement of the detector tests holds a keyword of its family in masked form.
    for text in ("2048 H800 GPUs", "8x A100", "TPU v4-512", "an Apple M2 Max laptop", "3.1 × 10^23 FLOPs",
                 "VRAM: 24 GB", "TP = 4", "212 kg CO2eq", "Training consumed 2,900 kWh", "单卡", "训练约 6 小时"):
        assert any(word in mask(text) for word in FAMILIES["hardware"]), text
    for text in ("LR (peak) | 3e-4", "train-batch-size: 8", "l2_reg: 0.1", "optimizer = AdamW", "seed: 1"):
        assert any(word in mask(text) for word in FAMILIES["hyperparameters"]), text


def test_file_kinds(tmp_path):
    files = {"results/m/task.json": '{"results": {"t": {"acc": 1}}}', "eval_results.json": "{}",
             "package-lock.json": "{}", "poetry.lock": "", "tokenizer.json": "{}", "configs/train.yaml": "lr: 1\n",
             "data/train.jsonl": "{}\n", "scripts/run.slurm": "srun true\n", "docs/guide.md": "# G\n",
             "configs/ds.json": '{"train_micro_batch_size_per_gpu": 4}', "outputs/run1/scores.jsonl": "{}\n",
             "outputs/run1/metrics_log.json": '{"acc": 0.5}', "outputs/run1/config.json": '{"lr": 0.1, "epochs": 3}',
             "runs/a/stats.json": '{"results": {"t": {"acc": 1}}}'}
    make_repo(tmp_path, files)
    repo = Repo(str(tmp_path))
    assert {path: file_kind(repo, path) for path in files} == {
        "results/m/task.json": "eval-result", "eval_results.json": "eval-result", "package-lock.json": "lock",
        "poetry.lock": "lock", "tokenizer.json": "generated", "configs/train.yaml": "config", "data/train.jsonl": "data",
        "scripts/run.slurm": "script", "docs/guide.md": "doc", "configs/ds.json": "config",
        "outputs/run1/scores.jsonl": "data", "outputs/run1/metrics_log.json": "eval-result", "outputs/run1/config.json": "config",
        "runs/a/stats.json": "eval-result"}


def test_hit_cap_is_noted(tmp_path, monkeypatch):
    monkeypatch.setattr(textindex, "MAX_HIT_LINES", 3)
    make_repo(tmp_path, {"README.md": "# M\n", "configs/train.yaml": "".join(f"num_gpus_{i}: 8\n" for i in range(10))})
    result = lint(tmp_path, select=["HW002"])
    assert "configs/train.yaml: more than 3 lines mention hardware; only the first 3 were read" in result.notes


def test_version_is_answered_without_importing_the_cli(tmp_path):
    import subprocess
    import sys

    probe = ("import sys; sys.argv = ['release-lint', '--version']; from release_lint.__main__ import main; main(); "
             "print(sorted(m for m in ('click', 'yaml', 'git', 'typing', 'release_lint.cli', 'release_lint.findings', "
             "'release_lint.detectors.hardware') if m in sys.modules))")
    root = str(__import__("pathlib").Path(__file__).resolve().parent.parent)
    out = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True).stdout
    assert out == f"release-lint {__import__('release_lint').__version__}\n[]\n"


def test_a_script_running_a_compiled_training_program_states_its_hardware_in_its_comment_block(tmp_path):
    # A C/CUDA training program built by make and run by mpirun: its launch script's header comments say on
    # what and for how long it trains; the same header over a sampling program says nothing about training.
    header = ("#!/bin/bash\n# pebble-1B on 8X A100 80GB\n# => training time 20,000 steps * 1.5s => 8.3 hours\n"
              "make {program}\n")
    make_repo(tmp_path / "train", {"README.md": "# pebble\n", "train_pebble.cu": "int main() {}\n",
                                   "scripts/run_1b.sh": header.format(program="train_pebblecu")
                                   + "mpirun -np 8 ./train_pebblecu -i data/tokens.bin\n"})
    make_repo(tmp_path / "sample", {"README.md": "# pebble\n", "sample_pebble.cu": "int main() {}\n",
                                    "scripts/run_1b.sh": header.format(program="sample_pebblecu")
                                    + "mpirun -np 8 ./sample_pebblecu -i prompts.txt\n"})
    trained = hardware_facts(Repo(str(tmp_path / "train")))
    assert [(s.path, s.line, s.value) for s in trained.compute] == [("scripts/run_1b.sh", 3, "8.3 hours")]
    assert trained.level == "present"
    sampled = hardware_facts(Repo(str(tmp_path / "sample")))
    assert sampled.level == "absent" and sampled.compute == []


def test_an_accelerator_variant_named_by_its_memory_states_that_memory(tmp_path):
    # "A100-SXM4-80G" and "H100-80G" say how much memory each device has (HW004 stays silent); a model
    # named "Pebble-80G" or "A100" alone says nothing of memory.
    stated = "# Pebble\n\n## Training\n\nFine-tuned on 8 A100-SXM4-80G GPUs, then on 4 H100-80G cards.\n"
    silent = "# Pebble\n\n## Training\n\nFine-tuned Pebble-80G on 8 A100 GPUs.\n"
    make_repo(tmp_path / "stated", {"README.md": stated})
    make_repo(tmp_path / "silent", {"README.md": silent})
    memory = hardware_facts(Repo(str(tmp_path / "stated"))).memory
    assert [(s.line, s.value) for s in memory] == [(5, "80 GB"), (5, "80 GB")]
    assert hardware_facts(Repo(str(tmp_path / "silent"))).memory == []
    assert ("HW004", "README.md", 5) in finding_tuples(lint(tmp_path / "silent", select=["HW004"]))
    assert finding_tuples(lint(tmp_path / "stated", select=["HW004"])) == []


def test_context_headings_are_the_markdown_parsers():
    """A document's heading path comes from the Markdown parser: setext headings and bold pseudo-headings that
    open a paragraph count; bold text inside a paragraph and ``#`` lines in code do not."""
    lines = ("Pebble\n======\n\n**Training**\nWe used 8 A100 GPUs.\n**Serving** is cheap.\n\n```\n# Usage\n```\n"
             "\nIt took 2 days.\n").split("\n")
    context = textindex.document_context(lines)
    assert [context.heading_path(n) for n in (5, 6, 12)] == [["Pebble", "Training"]] * 3
    assert context.paragraph(5) == (5, 6) and context.context(12).topic == "training"


def test_dated_announcements_are_news_wherever_they_stand(tmp_path):
    """One news-item rule for every detector (textindex.is_news_item): a date after a few marks ("**[2023/07/25]**",
    "🔥 2024.05") opens a news item, and an announcements heading (公告, "Update") is a news section."""
    readme = ("# Pebble-7B\n\n**[2023/07/25]** Pebble-1 released, trained on 64 H100 GPUs.\n\n"
              "## 公告\n\nPebble-2 发布，32 张 A800。\n\n## Update\n\nPebble-3 came out, on 16 MI300X accelerators.\n\n"
              "## Training\n\nWe trained on 8 A100 GPUs.\n")
    make_repo(tmp_path, {"README.md": readme, "train.py": TRAIN})
    facts = hardware_facts(Repo(str(tmp_path)))
    assert [(s.value, s.line) for s in facts.accelerators] == [("NVIDIA A100", 15)]
    assert {(s.line, s.topic) for s in facts.not_training} == {(3, "news"), (7, "news"), (11, "news")}


def test_news_words_in_a_sentence_are_ordinary_words():
    from release_lint.textindex import document_context

    lines = ["# Pebble", "", "## Training", "", "Each step we update the weights with AdamW (learning rate 3e-4,",
             "batch size 512) on 8 A100 GPUs.", "", "## Updates", "", "We added the 7B model with 8 A100 GPUs."]
    context = document_context(lines)
    assert [context.context(n).topic for n in (5, 6, 10)] == ["training", "training", "news"]
