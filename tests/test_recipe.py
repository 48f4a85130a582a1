"""TRAIN001-TRAIN008: training, evaluation and inference code, hyperparameters, seeds, checkpoints."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from release_lint import lint
from release_lint.detectors.code_and_docs import notebook_code_lines
from release_lint.detectors.entry_points import training_entry_points
from release_lint.detectors.hyperparameters import extract_hyperparameter_keys, hyperparameter_of, recipe_facts
from release_lint.repo import Repo
from tests.conftest import copy_fixture, finding_tuples, make_repo

TRAIN = ["TRAIN"]
README = "# Model\n"


def train_findings(path):
    return finding_tuples(lint(path, select=TRAIN))


def codes(path):
    return [code for code, _path, _line in train_findings(path)]


# --- acceptance -----------------------------------------------------------------------------------------------


def test_weights_only_reports_missing_recipe(tmp_path):
    repo = copy_fixture("weights-only", tmp_path / "r")
    assert train_findings(repo) == [
        ("TRAIN001", None, None),
        ("TRAIN002", None, None),
        ("TRAIN004", None, None),
        ("TRAIN005", None, None),
        ("TRAIN008", "README.md", None),
    ]


def test_fully_open_has_a_complete_recipe(tmp_path):
    repo = copy_fixture("fully-open", tmp_path / "r")
    assert train_findings(repo) == []


def test_inference_only_repo_is_not_training(tmp_path):
    # generate.py with argparse defaults (seed, batch size) and a transformers config.json: inference, not training.
    repo = copy_fixture("recipe-inference-only", tmp_path / "r")
    assert train_findings(repo) == [
        ("TRAIN001", None, None),
        ("TRAIN002", None, None),
        ("TRAIN004", None, None),
        ("TRAIN005", None, None),
        ("TRAIN008", "README.md", None),
    ]
    message = next(f.message for f in lint(repo, select=["TRAIN002"]).findings)
    assert "config.json describes the architecture" in message


def test_hydra_config_tree_and_module_launch(tmp_path):
    repo = copy_fixture("recipe-hydra", tmp_path / "r")
    assert train_findings(repo) == [
        ("TRAIN004", None, None),
        ("TRAIN005", None, None),
        ("TRAIN006", None, None),
        ("TRAIN008", "README.md", None),
    ]
    sources = recipe_facts(Repo(str(repo))).sources
    assert [(s.path, s.line, s.kind) for s in sources] == [
        ("conf/optimizer/adamw.yaml", 1, "config"),
        ("conf/trainer/default.yaml", 1, "config"),
    ]


def test_notebook_that_trains(tmp_path):
    repo = copy_fixture("recipe-notebook", tmp_path / "r")
    assert train_findings(repo) == [
        ("TRAIN004", None, None),
        ("TRAIN006", None, None),  # (no TRAIN007: AutoModelForCausalLM loads the named Hub model example-lab/pebble-33m)
        ("TRAIN008", "README.md", None),
    ]
    view = Repo(str(repo))
    # The code cell's line in the .ipynb file; the markdown cell of explore.ipynb does not count.
    assert [(e.path, e.line, e.kind) for e in training_entry_points(view)] == [("notebooks/experiment.ipynb", 42, "code")]
    assert [(s.path, s.kind, s.names) for s in recipe_facts(view).sources] == [
        ("notebooks/experiment.ipynb", "python", ("learning_rate", "weight_decay"))
    ]


# --- TRAIN001 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, text",
    [
        ("train.py", "print('hi')\n"),
        ("scripts/pretrain_llama.sh", "torchrun pretrain.py\n"),
        ("sft.py", "\n"),
        ("run_clm.py", "\n"),
        ("src/pebble/training/loop.py", "def step(): pass\n"),
        ("src/pebble/engine.py", "import torch\n\nloss = compute()\nloss.backward()\n"),
        ("lab/fit.py", "import jax\ngrads = jax.grad(loss_fn)(params)\n"),
        ("lab/hf.py", "trainer = Trainer(model=model, args=args)\ntrainer.train()\n"),
    ],
)
def test_training_entry_points_found(tmp_path, path, text):
    make_repo(tmp_path, {path: text, "README.md": README})
    assert "TRAIN001" not in codes(tmp_path)


@pytest.mark.parametrize(
    "path, text",
    [
        ("generate.py", "with torch.no_grad():\n    out = model.generate(**inputs)\n"),
        ("serve.py", "app = FastAPI()\n"),
        ("tests/test_train_step.py", "loss.backward()\n"),
        ("lab/notes.py", "# loss.backward() would go here\n"),
        ("data/train.jsonl", '{"text": "hello"}\n'),
        ("trainer_state.json", '{"log_history": []}\n'),
    ],
)
def test_training_look_alikes_do_not_count(tmp_path, path, text):
    make_repo(tmp_path, {path: text, "README.md": README})
    assert "TRAIN001" in codes(tmp_path)


# --- TRAIN002 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, text",
    [
        ("configs/train.yaml", "optimizer:\n  lr: 3.0e-4\n  weight_decay: 0.1\n"),
        ("ds_config.json", '{"train_batch_size": 512, "optimizer": {"type": "AdamW", "params": {"lr": 3e-4}}}\n'),
        ("pyproject.toml", "[tool.train]\nlearning_rate = 3e-4\nmax_steps = 1000\n"),
        ("configs/base.gin", "train.learning_rate = 0.001\ntrain.num_train_steps = 1000\n"),
        ("config/train_gpt2.py", "learning_rate = 6e-4\nmax_iters = 600000\n"),
        ("training_args.json", '{"output_dir": "out"}\n'),
        ("trainer_state.json", '{"log_history": []}\n'),
        ("README.md", "# M\n\n## Training hyperparameters\n\n- learning_rate: 2e-05\n- train_batch_size: 8\n- num_epochs: 3\n"),
        ("README.md", "# M\n\n| Hyperparameter | Value |\n|---|---|\n| Learning rate | 1e-4 |\n| Warmup | 500 steps |\n"),
        ("scripts/launch.sh", "torchrun main.py --lr 3e-4 --max_steps 1000\n"),
    ],
)
def test_hyperparameter_sources(tmp_path, path, text):
    files = {"README.md": README, path: text}
    make_repo(tmp_path, files)
    assert "TRAIN002" not in codes(tmp_path)


@pytest.mark.parametrize(
    "files",
    [
        {"config.json": json.dumps({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096,
                                    "initializer_range": 0.02, "rms_norm_eps": 1e-5})},
        {"generation_config.json": '{"max_new_tokens": 256, "temperature": 0.7, "seed": 3}'},
        {"tokenizer_config.json": '{"model_max_length": 2048}'},
        {"configs/eval.yaml": "batch_size: 32\nseed: 1234\n"},  # batch size and seed alone: decoding or eval
        {"infer.py": "learning_rate = 1e-4\nwarmup_steps = 10\n"},  # not a training entry nor a config module
        {"README.md": "# M\n\nWe used a learning rate that worked well.\n"},
    ],
)
def test_hyperparameter_look_alikes(tmp_path, files):
    make_repo(tmp_path, {"README.md": README, **files})
    assert "TRAIN002" in codes(tmp_path)


def test_hydra_values_spread_over_a_tree_count_together(tmp_path):
    make_repo(tmp_path, {"README.md": README, "conf/optimizer/adam.yaml": "lr: 1e-3\n", "conf/trainer/default.yaml": "max_epochs: 10\n"})
    assert "TRAIN002" not in codes(tmp_path)
    sources = recipe_facts(Repo(str(tmp_path))).sources
    assert [(s.path, s.line, s.kind) for s in sources] == [("conf/optimizer/adam.yaml", 1, "config-tree")]


def test_single_keys_outside_a_config_tree_do_not_add_up(tmp_path):
    make_repo(tmp_path, {"README.md": README, "a/one.yaml": "lr: 1e-3\n", "b/two.yaml": "max_epochs: 10\n"})
    assert "TRAIN002" in codes(tmp_path)


@pytest.mark.parametrize(
    "key, canonical",
    [("lr", "learning_rate"), ("optimizer.lr", "learning_rate"), ("Learning rate", "learning_rate"),
     ("per_device_train_batch_size", "batch_size"), ("global-batch-size", "batch_size"), ("warmup_ratio", "warmup"),
     ("num_train_epochs", "duration"), ("lr_scheduler_type", "schedule"), ("data_seed", "seed"),
     ("hidden_size", None), ("max_new_tokens", None), ("temperature", None), ("dropout", None)],
)
def test_hyperparameter_names(key, canonical):
    assert hyperparameter_of(key) == canonical


# --- TRAIN003 -------------------------------------------------------------------------------------------------


def test_launch_undocumented_points_at_the_script(tmp_path):
    make_repo(tmp_path, {"README.md": "# M\n\nWeights only.\n", "scripts/train.py": "loss.backward()\n"})
    assert ("TRAIN003", "scripts/train.py", None) in train_findings(tmp_path)


def test_launch_undocumented_points_at_the_optimiser_line(tmp_path):
    # No train* name: the entry point is found by its code, and the finding names the line that steps the optimiser.
    loop = ("import torch\n\n\ndef fit(model, batches, optimizer):\n    for batch in batches:\n"
            "        loss = model(**batch).loss\n        loss.backward()\n        optimizer.step()\n")
    make_repo(tmp_path, {"README.md": "# M\n\nWeights only.\n", "src/loop.py": loop})
    assert [t for t in train_findings(tmp_path) if t[0] == "TRAIN003"] == [("TRAIN003", "src/loop.py", 7)]


@pytest.mark.parametrize(
    "readme, extra",
    [
        ("# M\n\n```\npython scripts/train.py --config c.yaml\n```\n", {}),
        ("# M\n\nRun `accelerate launch main.py`.\n", {}),
        ("# M\n", {"Makefile": "train:\n\tpython scripts/train.py\n"}),
        ("# M\n", {"docs/training.md": "# Training\n\n    bash scripts/train.py\n"}),
    ],
)
def test_launch_documented(tmp_path, readme, extra):
    make_repo(tmp_path, {"README.md": readme, "scripts/train.py": "loss.backward()\n", **extra})
    assert "TRAIN003" not in codes(tmp_path)


# --- TRAIN004, TRAIN005, TRAIN006, TRAIN007, TRAIN008 -----------------------------------------------------------


@pytest.mark.parametrize(
    "path, text",
    [("eval.py", "\n"), ("scripts/benchmark_mmlu.py", "\n"), ("evals/tasks.yaml", "task: x\n"),
     ("tasks/my_task.yaml", "task: stories\ndataset_path: x\noutput_type: generate_until\ndoc_to_text: '{{text}}'\n"),
     ("scripts/score.sh", "lm_eval --model hf --model_args pretrained=. --tasks hellaswag\n")],
)
def test_evaluation_found(tmp_path, path, text):
    make_repo(tmp_path, {"README.md": README, path: text})
    assert "TRAIN004" not in codes(tmp_path)


def test_evaluation_look_alike(tmp_path):
    make_repo(tmp_path, {"README.md": "# M\n\nWe evaluate on HellaSwag.\n", "configs/evaluation_notes.txt": "x\n"})
    assert "TRAIN004" in codes(tmp_path)


@pytest.mark.parametrize(
    "files",
    [{"configs/train.yaml": "seed: 7\n"}, {"README.md": "# M\n\nAll runs use random seed 17.\n"},
     {"train.py": "import torch\ntorch.manual_seed(0)\n"}],
)
def test_seed_found(tmp_path, files):
    make_repo(tmp_path, {"README.md": README, **files})
    assert "TRAIN005" not in codes(tmp_path)


def test_seed_in_a_sampling_script_is_not_the_training_seed(tmp_path):
    make_repo(tmp_path, {"README.md": README, "sample.py": "import torch\ntorch.manual_seed(0)\n"})
    assert "TRAIN005" in codes(tmp_path)


@pytest.mark.parametrize(
    "files",
    [{"predict.py": "\n"}, {"README.md": "# M\n\n```python\npipe = pipeline('text-generation', model='org/m')\n```\n"},
     {"config.json": '{"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"]}'}],
)
def test_inference_found(tmp_path, files):
    make_repo(tmp_path, {"README.md": README, **files})
    assert "TRAIN006" not in codes(tmp_path)


def test_inference_usage_mentioned_outside_code_does_not_count(tmp_path):
    make_repo(tmp_path, {"README.md": "# M\n\nLoad it with from_pretrained() as usual.\n"})
    assert "TRAIN006" in codes(tmp_path)


@pytest.mark.parametrize(
    "files, fires",
    [
        ({"modeling_pebble.py": "class PebbleModel(PreTrainedModel):\n    pass\n"}, False),
        ({"net.py": "import flax.linen as nn\nclass MLP(nn.Module):\n    pass\n"}, False),
        ({"diffusion/config.json": '{"_class_name": "UNet2DModel", "_diffusers_version": "0.27.0"}'}, False),
        ({"config.json": '{"hidden_size": 512}'}, True),  # no model_type/architectures: no library reference
        ({"utils.py": "class Config(dict):\n    pass\n"}, True),
    ],
)
def test_architecture(tmp_path, files, fires):
    make_repo(tmp_path, {"README.md": README, **files})
    assert ("TRAIN007" in codes(tmp_path)) is fires


@pytest.mark.parametrize(
    "files, fires",
    [
        ({"checkpoints/step-1000/model.safetensors": b"x"}, False),
        ({"README.md": "# M\n\n```python\nAutoModel.from_pretrained('org/m', revision=\"step1000\")\n```\n"}, False),
        ({"README.md": "# M\n\nIntermediate checkpoints are on the [hub](https://hf.co/org/m/tree/step-500).\n"}, False),
        ({"README.md": "# M\n\nWe do not release intermediate checkpoints.\n"}, True),
        ({"README.md": "# M\n\nThe final checkpoint is model.safetensors.\n"}, True),
    ],
)
def test_intermediate_checkpoints(tmp_path, files, fires):
    make_repo(tmp_path, {"README.md": README, **files})
    assert (("TRAIN008", "README.md", None) in train_findings(tmp_path)) is fires


# --- properties -----------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000), st.sampled_from(["config", "python", "shell", "markdown"]))
def test_hyperparameter_extraction_never_raises(text, style):
    keys = extract_hyperparameter_keys(enumerate(text.split("\n"), 1), style=style)
    assert all(k.line >= 1 for k in keys)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=3000))
def test_notebook_parsing_never_raises(text):
    notebook_code_lines(text)
    notebook_code_lines(json.dumps({"cells": [{"cell_type": "code", "source": text}]}))


@pytest.mark.parametrize(
    "unit",
    ["lr: " * 50, "--lr=" * 50, "a" * 200 + " = 1", "| " + "x " * 100 + "|", "learning_rate=(" * 40, "-" * 200 + ":"],
)
def test_hyperparameter_extraction_of_pathological_lines(unit):
    # Their cost is measured by bench/linearity.py (tests time nothing); here: they parse without error.
    lines = [(n, unit * 4) for n in range(1, 1001)]
    extract_hyperparameter_keys(lines, style="python")
    extract_hyperparameter_keys(lines, style="markdown")


def test_a_longer_fence_holding_a_shorter_one_ends_where_commonmark_ends_it(tmp_path):
    """````` ... ``` ... ````` is one code block: the prose after it is not a usage snippet."""
    card = "# M\n\n`````\n```\n`````\n\nLoad it with from_pretrained() as usual.\n"
    make_repo(tmp_path, {"README.md": card})
    assert [f for f in train_findings(tmp_path) if f[0] == "TRAIN006"] == [("TRAIN006", None, None)]
