"""Recipe and hardware classes first seen on the held-out field sample (bench/field, rows judged at 673d165):
an Auto class loading a Hub model whose id a constant holds (TRAIN007), TensorFlow 1 graph code (TRAIN007, with the
reproducers in test_field_heldout.py), training requirements in a training section (HW002), and launch scripts
whose names only begin like an inference word (TRAIN006). Each fix has an invented case that failed before it
and a realistic look-alike that keeps the old finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from release_lint import lint
from release_lint.detectors.hardware import hardware_facts
from release_lint.detectors.model_architecture import model_definitions
from release_lint.repo import Repo
from tests.conftest import findings_of, make_repo
from tests.real_release_repos import MIT


# --- TRAIN007: AutoModel*.from_pretrained on a Hub id held in a constant ---------------------------------------
# Seen on an instruction fine-tune: the default input model is a module constant of consts.py, the loader's
# parameter defaults to it, and the call passes trust_remote_code=True although the model (Pythia, GPT-NeoX) is
# one transformers implements itself.

LOADER = (
    "from transformers import AutoModelForCausalLM, AutoTokenizer\n\n"
    "from .consts import DEFAULT_BASE_MODEL\n\n\n"
    "def load_model(base_model_path: str = DEFAULT_BASE_MODEL, *, checkpointing: bool = False):\n"
    "    model = AutoModelForCausalLM.from_pretrained(\n"
    "        base_model_path, trust_remote_code=True, use_cache=not checkpointing\n"
    "    )\n"
    "    return model\n"
)
TRAINER = (
    "import torch\n\nfrom .loader import load_model\n\n\n"
    "def train(rows):\n"
    "    model = load_model()\n"
    "    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-6)\n"
    "    for row in rows:\n"
    "        model(**row).loss.backward()\n"
    "        optimizer.step()\n"
)


def _instruction_tune(tmp_path: Path, base_model: str) -> Path:
    return make_repo(tmp_path / "r", {
        "README.md": "# pebble-chat\n\nRun `python -m tuning.trainer` to fine-tune the base model.\n",
        "LICENSE": MIT,
        "tuning/__init__.py": "",
        "tuning/consts.py": f'DEFAULT_BASE_MODEL = "{base_model}"\nDEFAULT_SEED = 42\n',
        "tuning/loader.py": LOADER,
        "tuning/trainer.py": TRAINER,
    })


@pytest.mark.parametrize("base_model", ["EleutherAI/pythia-2.8b", "meta-llama/Llama-2-7b-hf"])
def test_auto_class_on_a_library_model_held_in_a_constant(tmp_path, base_model):
    assert findings_of(lint(_instruction_tune(tmp_path, base_model)), "TRAIN007") == []


@pytest.mark.parametrize("base_model", [
    "acme/pebble-7b",  # a model of its own: trust_remote_code=True runs the Hub repository's code
    "./checkpoints/pebble-base",  # a local path names no Hub model
], ids=["remote-code", "local-path"])
def test_auto_class_on_remote_code_or_a_local_path_still_fires(tmp_path, base_model):
    assert findings_of(lint(_instruction_tune(tmp_path, base_model)), "TRAIN007") == [("TRAIN007", None, None)]


def test_a_loader_parameter_without_a_default_names_no_model(tmp_path):
    root = _instruction_tune(tmp_path, "EleutherAI/pythia-2.8b")
    loader = root / "tuning" / "loader.py"
    loader.write_text(LOADER.replace("base_model_path: str = DEFAULT_BASE_MODEL", "base_model_path: str"), encoding="utf-8")
    assert findings_of(lint(root), "TRAIN007") == [("TRAIN007", None, None)]


# --- TRAIN007: TensorFlow 1 graph code (evidence, and look-alikes beside test_field_heldout's) -------------------

TF1_MODEL = (
    "import tensorflow as tf\n\n\n"
    "def layer_norm(x, scope):\n"
    "    with tf.variable_scope(scope):\n"
    "        gain = tf.get_variable('g', [x.shape[-1].value], initializer=tf.ones_initializer())\n"
    "        mean, variance = tf.nn.moments(x, [-1], keep_dims=True)\n"
    "        return gain * (x - mean) * tf.rsqrt(variance + 1e-5)\n"
)
# Optimiser slots are variables too, but no variable scope builds a network around them.
TF1_OPTIMIZER = (
    "import tensorflow as tf\n\n\n"
    "class PebbleAdam(tf.train.Optimizer):\n"
    "    def apply_gradients(self, grads_and_vars, global_step=None, name=None):\n"
    "        for grad, param in grads_and_vars:\n"
    "            m = tf.get_variable(name=param.op.name + '/adam_m', shape=param.shape.as_list(), trainable=False)\n"
    "            param.assign_sub(0.001 * m)\n"
)
# A variable scope that only names the input pipeline's ops creates no weights.
TF1_INPUT_PIPELINE = (
    "import tensorflow as tf\n\n\n"
    "def input_fn(files, batch_size):\n"
    "    with tf.variable_scope('input'):\n"
    "        dataset = tf.data.TFRecordDataset(files)\n"
    "        return dataset.batch(batch_size)\n"
)


def _tf1_repo(tmp_path: Path, files: dict) -> Path:
    return make_repo(tmp_path / "r", {"README.md": "# pebble\n\nRun `python sample.py`.\n", "LICENSE": MIT,
                                      "sample.py": "import tensorflow as tf\nprint(tf.__version__)\n", **files})


def test_tensorflow1_weights_in_a_scope_are_a_graph_definition_at_their_function(tmp_path):
    root = _tf1_repo(tmp_path, {"src/model.py": TF1_MODEL, "src/optimization.py": TF1_OPTIMIZER})
    assert [(e.path, e.line, e.kind, e.text) for e in model_definitions(Repo(str(root)))] == [
        ("src/model.py", 4, "graph", "def layer_norm(x, scope):")]
    assert findings_of(lint(root), "TRAIN007") == []


def test_tensorflow1_optimizer_slots_and_input_scopes_are_no_model_definition(tmp_path):
    root = _tf1_repo(tmp_path, {"src/optimization.py": TF1_OPTIMIZER, "src/inputs.py": TF1_INPUT_PIPELINE})
    assert model_definitions(Repo(str(root))) == []
    assert findings_of(lint(root), "TRAIN007") == [("TRAIN007", None, None)]


# --- HW002: requirements stated for running the training are training hardware --------------------------------
# Seen as a list item of a "Getting Started with Training" section: "a single-node cluster with 8 A100 GPUs ...
# (where supported)". The word "supported" made the line a statement about requirements.

TRAINING_SECTION = (
    "# pebble-chat\n\n"
    "## {heading}\n\n"
    "- Start a single-node cluster with 8 A100 GPUs (the instance types appear only where supported).\n"
    "- Open `train.py` and run it; when training finishes the model is saved under `out/`.\n"
)
TRAIN_PY = "import torch\nloss = torch.zeros(1, requires_grad=True)\nloss.backward()\n"


def _hardware_repo(tmp_path: Path, readme: str) -> Path:
    return make_repo(tmp_path / "r", {"README.md": readme, "LICENSE": MIT, "train.py": TRAIN_PY})


def test_requirements_in_a_training_section_state_the_training_hardware(tmp_path):
    root = _hardware_repo(tmp_path, TRAINING_SECTION.format(heading="Getting Started with Training"))
    facts = hardware_facts(Repo(str(root)))
    assert [(s.value, s.line, s.topic) for s in facts.counts] == [("8", 5, "training"), ("8 gpus", 5, "training")]
    assert facts.not_training == []
    assert findings_of(lint(root), "HW00") == [("HW003", "README.md", 5), ("HW004", "README.md", 5),
                                          ("HW005", "README.md", 5), ("HW006", "README.md", 5)]


def test_a_requirements_heading_inside_a_fine_tuning_section_counts(tmp_path):
    readme = ("# pebble-chat\n\n## Fine-tuning\n\n### Requirements\n\n"
              "A node with 8 A100 GPUs with 80 GB of memory each.\n")
    facts = hardware_facts(Repo(str(_hardware_repo(tmp_path, readme))))
    assert [(s.kind, s.value, s.topic) for s in facts.accelerators + facts.counts] == [
        ("accelerator", "NVIDIA A100", "training"), ("count", "8", "training"), ("count", "8 gpus", "training")]
    assert facts.not_training == []


def test_requirements_for_inference_or_under_the_title_only_stay_aside(tmp_path):
    # The title names training, but it is no section: the CI machines are a support matrix.
    readme = ("# Pebble training kit\n\n## Inference\n\n### Requirements\n\n"
              "Serving the 12B model needs a node with 8 A100 GPUs where supported.\n\n"
              "## Requirements\n\nOur CI machines use 2 H100 GPUs.\n")
    root = _hardware_repo(tmp_path, readme)
    facts = hardware_facts(Repo(str(root)))
    assert facts.accelerators == facts.counts == []
    assert [(s.value, s.line, s.topic) for s in facts.not_training] == [
        ("NVIDIA A100", 7, "inference"), ("8", 7, "inference"), ("8 gpus", 7, "inference"),
        ("NVIDIA H100", 11, "support"), ("2", 11, "support"), ("2 gpus", 11, "support")]
    assert [code for code, _path, _line in findings_of(lint(root), "HW00")] == [
        "HW001", "HW002", "HW003", "HW004", "HW005", "HW006"]


# --- TRAIN006: a name that only begins like an inference word ----------------------------------------------------
# Seen on a data pipeline whose container launch scripts are apptainer_run_*.sh: "app" began the name.

def _pipeline_repo(tmp_path: Path, scripts: dict) -> Path:
    return make_repo(tmp_path / "r", {
        "README.md": "# pebble-data\n\nThe pipeline that builds the Pebble web corpus: `bash scripts/run_dedup.sh`.\n",
        "LICENSE": MIT,
        "pipeline/dedup.py": "def dedup(docs):\n    return list(dict.fromkeys(docs))\n",
        **scripts,
    })


def test_container_launch_scripts_are_no_inference_code(tmp_path):
    root = _pipeline_repo(tmp_path, {
        "scripts/apptainer_run_dedup.sh": "apptainer exec pebble.sif python -m pipeline.dedup\n",
        "pipeline/samplers.py": "import random\n\ndef shard_sampler(shards, k):\n    return random.sample(shards, k)\n",
        "pipeline/applications.py": "APPS = ['dedup']\n",
    })
    assert findings_of(lint(root), "TRAIN006") == [("TRAIN006", None, None)]


@pytest.mark.parametrize("name", ["app.py", "chat_cli.py", "generate2.py", "predictor.py", "sampler.py"])
def test_inference_scripts_named_by_their_first_word_still_count(tmp_path, name):
    root = _pipeline_repo(tmp_path, {f"pebble/{name}": "def run(model, prompt):\n    return model(prompt)\n"})
    assert findings_of(lint(root), "TRAIN006") == []
