"""Training recipe: the code, configuration and checkpoints that let someone re-run and check the training."""

from __future__ import annotations

from release_lint.detectors.files import model_card
from release_lint.detectors.checkpoints import intermediate_checkpoints
from release_lint.detectors.entry_points import (
    evaluation_entry_points,
    inference_entry_points,
    launch_instructions,
    training_entry_points,
)
from release_lint.detectors.hyperparameters import recipe_facts
from release_lint.detectors.model_architecture import model_definitions, named_architectures, standard_architectures
from release_lint.findings import Problem
from release_lint.registry import rule

MOF = "https://arxiv.org/abs/2403.13784"
OSAID = "https://opensource.org/ai/open-source-ai-definition"
PWC = "https://github.com/paperswithcode/releasing-research-code"
NEURIPS = "https://neurips.cc/public/guides/PaperChecklist"
HF_CARDS = "https://huggingface.co/docs/hub/model-cards"


@rule(
    code="TRAIN001",
    name="training-code-missing",
    severity="error",
    summary="The release has no training code.",
    rationale=(
        "Weights alone cannot be studied or reproduced: the Model Openness Framework lists training code as a "
        "Class II component, and the OSI Open Source AI Definition requires the complete code used to train the "
        "system. Inference scripts such as generate.py do not count."
    ),
    fix=(
        "Publish the training entry point (for example train.py or scripts/pretrain.sh) with the code it needs.\n"
        "Example layout:\n  train.py              # builds the model, optimiser and data loader, runs the loop\n"
        "  configs/train.yaml    # the hyperparameters of the released run"
    ),
    references=(MOF, OSAID, PWC),
)
def training_code_missing(ctx):
    from release_lint.detectors.entry_points import external_training_code

    # B3: a trainer pinned as a submodule (or linked at a commit or tag), with the run's configs, is the training code.
    if not training_entry_points(ctx.repo) and not external_training_code(ctx.repo):
        yield Problem(
            "no training code: looked for train*/pretrain*/finetune*/sft*/run_clm* scripts, training folders, and "
            "Python files or notebooks that step an optimiser (.backward(), optimizer.step(), Trainer(...), jax.grad, optax)"
        )


@rule(
    code="TRAIN002",
    name="hyperparameters-missing",
    severity="error",
    summary="No training configuration with the hyperparameters of the run.",
    rationale=(
        "Learning rate, batch size, schedule, warmup, weight decay, optimiser, duration and seed decide what the "
        "weights are. The OSI Open Source AI Definition asks for the training code \"including arguments and "
        "settings used\"; the NeurIPS checklist and the Hugging Face card template ask for the hyperparameters. "
        "A Hugging Face config.json or generation_config.json describes the architecture and decoding, not the run."
    ),
    fix=(
        "Add the configuration of the released run (YAML/JSON/TOML, Hydra/Gin, training_args.json) or a "
        "hyperparameter table in the model card.\n"
        "Example configs/train.yaml:\n  optimizer: {name: adamw, learning_rate: 3.0e-4, weight_decay: 0.1}\n"
        "  schedule: {name: cosine, warmup_steps: 2000}\n  training: {global_batch_size: 512, max_steps: 100000, seed: 1234}"
    ),
    references=(OSAID, NEURIPS, HF_CARDS),
)
def hyperparameters_missing(ctx):
    if recipe_facts(ctx.repo).sources:
        return
    architecture_only = [e.path for e in standard_architectures(ctx.repo)]
    note = f" ({', '.join(architecture_only[:2])} describes the architecture, not the training run)" if architecture_only else ""
    yield Problem(
        "no training hyperparameters: looked for config files, argument defaults, trainer_state.json/"
        "training_args.json and a hyperparameter table, list or sentence in the card or docs holding at least two of learning rate, "
        f"batch size, warmup, weight decay, steps/epochs, optimiser, schedule{note}"
    )


@rule(
    code="TRAIN003",
    name="training-launch-undocumented",
    severity="warning",
    summary="Training code exists but no document shows how to run it.",
    rationale=(
        "A training script is only reproducible when people know the command, launcher and configuration it was "
        "run with. The Papers with Code release checklist asks for the exact training command in the README."
    ),
    fix=(
        "Show the command that trained the released model in the README (or docs/), with its launcher and config.\n"
        "Example:\n  ## Reproducing the training run\n  ```bash\n"
        "  torchrun --nnodes 8 --nproc-per-node 8 train.py --config configs/train.yaml\n  ```"
    ),
    references=(PWC,),
)
def training_launch_undocumented(ctx):
    entries = training_entry_points(ctx.repo)
    if not entries or launch_instructions(ctx.repo):
        return
    first = entries[0]
    yield Problem(
        f"{first.path} trains the model but no README or doc names it or a launcher (torchrun, deepspeed, "
        "accelerate launch, sbatch) and no Makefile target runs training",
        path=first.path,
        line=first.line,
    )


@rule(
    code="TRAIN004",
    name="evaluation-code-missing",
    severity="warning",
    summary="The release has no evaluation code for its reported results.",
    rationale=(
        "Reported scores can only be checked with the code that produced them: the Model Openness Framework lists "
        "evaluation code as a Class II component and the Papers with Code checklist asks for evaluation scripts."
    ),
    fix=(
        "Publish the evaluation script or harness configuration that produced the reported numbers.\n"
        "Example:\n  python evaluate.py --checkpoint model.safetensors --config configs/eval.yaml\n"
        "  lm_eval --model hf --model_args pretrained=. --tasks hellaswag"
    ),
    references=(MOF, PWC),
)
def evaluation_code_missing(ctx):
    if not evaluation_entry_points(ctx.repo):
        yield Problem(
            "no evaluation code: looked for eval*/evaluate*/benchmark* scripts, eval/ or benchmarks/ folders, "
            "lm-evaluation-harness task configs and scripts that run lm-eval, lighteval or OpenCompass"
        )


@rule(
    code="TRAIN005",
    name="seed-unstated",
    severity="info",
    summary="No random seed is stated in the configuration, code or documentation.",
    rationale=(
        "Without the seed a rerun cannot be compared with the release run; the NeurIPS checklist and the ML "
        "reproducibility checklist ask for seeds and the variance across them."
    ),
    fix=(
        "State the random seed(s) of the run in the training configuration or the model card.\n"
        "Example: `seed: 1234` in configs/train.yaml, or `| seed | 1234 |` in the hyperparameter table."
    ),
    references=(NEURIPS,),
)
def seed_unstated(ctx):
    if not recipe_facts(ctx.repo).seeds:
        yield Problem("no random seed: looked for seed keys in configs, seeding calls (torch.manual_seed, set_seed, "
                      "jax.random.PRNGKey) in code and a stated seed in the card or docs")


@rule(
    code="TRAIN006",
    name="inference-code-missing",
    severity="warning",
    summary="The release shows no way to run the model.",
    rationale=(
        "People need to load and run the weights to use or test them: the Model Openness Framework lists inference "
        "code as a Class II component and the Hugging Face card template has a \"How to get started\" section."
    ),
    fix=(
        "Add an inference script or a usage snippet in the README that loads the released weights.\n"
        "Example:\n  ```python\n  from transformers import AutoModelForCausalLM\n"
        "  model = AutoModelForCausalLM.from_pretrained(\"org/model\")\n  ```"
    ),
    references=(MOF, HF_CARDS),
)
def inference_code_missing(ctx):
    if not inference_entry_points(ctx.repo):
        yield Problem(
            "no inference code: looked for generate*/infer*/predict*/serve* scripts, a usage code block in the card "
            "or docs, and a config.json that a standard library (transformers, diffusers) loads"
        )


@rule(
    code="TRAIN007",
    name="architecture-code-missing",
    severity="warning",
    summary="Neither a model definition nor a standard library architecture is given.",
    rationale=(
        "The architecture is the first component of the Model Openness Framework: weights are meaningless without "
        "the code that defines the network, or a reference to a library class that does (config.json with "
        "model_type and architectures)."
    ),
    fix=(
        "Publish the model definition (modeling_*.py / model.py) or a config.json naming a library architecture.\n"
        "Example config.json:\n  {\"model_type\": \"llama\", \"architectures\": [\"LlamaForCausalLM\"], ...}"
    ),
    references=(MOF,),
)
def architecture_code_missing(ctx):
    if not model_definitions(ctx.repo) and not standard_architectures(ctx.repo) and not named_architectures(ctx.repo):
        yield Problem(
            "no model definition: looked for Python classes deriving from nn.Module, PreTrainedModel, keras.Model or "
            "Flax/Equinox/Haiku modules, TensorFlow 1 code creating weights in variable scopes, a config.json with "
            "model_type and architectures, a transformers model class (LlamaForCausalLM, AutoModel* on a Hub model "
            "named in the call or in a constant) and a Hub base model in adapter_config.json or the card"
        )


@rule(
    code="TRAIN008",
    name="intermediate-checkpoints-unlisted",
    severity="info",
    summary="No intermediate checkpoints are listed.",
    rationale=(
        "Checkpoints from key stages of training let others study training dynamics and resume or branch the run; "
        "the Model Openness Framework's Class I (open science) asks for them."
    ),
    fix=(
        "List the intermediate checkpoints (folders, hub revisions or links) in the model card.\n"
        "Example:\n  ## Intermediate checkpoints\n  | Step | Revision |\n  |---|---|\n  | 1000 | `step-1000` |"
    ),
    references=(MOF,),
)
def intermediate_checkpoints_unlisted(ctx):
    if not intermediate_checkpoints(ctx.repo):
        yield Problem(
            "no intermediate checkpoints: looked for checkpoint-*/step*/global_step* folders and for checkpoint "
            "revisions, /tree/step-* links or an 'intermediate checkpoints' list in the card and docs",
            path=model_card(ctx.repo),
        )
