"""Invented repositories reproducing how release-lint misjudged real public model releases.

Each entry is a small repository written here (never copied from a real release) shaped like a failure class
seen on real releases: data documented under a "Pretraining" heading, an install command as the only
environment specification, a stray ``.npy`` file, an Apache notice instead of the full text, and so on.
``tests/test_real_releases.py`` asserts their exact grades and findings.
"""

from __future__ import annotations

import io
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
MIT = (DATA / "licenses" / "mit.txt").read_text(encoding="utf-8").replace("2024 Example Lab and contributors",
                                                                           "2025 Pebble Labs")

MODEL_PY = '''import torch.nn as nn


class Pebble(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.proj = nn.Linear(width, width)

    def forward(self, x):
        return self.proj(x)
'''

TRAIN_PY = '''import torch

from model import Pebble


def train(batches, steps=10):
    model = Pebble()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    for _step, (x, y) in zip(range(steps), batches):
        loss = torch.nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model
'''

GENERATE_PY = '''import argparse


def main():
    parser = argparse.ArgumentParser(description="Generate text with a Pebble checkpoint.")
    parser.add_argument("--ckpt", required=True, help="checkpoint folder")
    args = parser.parse_args()
    print("loading", args.ckpt)


if __name__ == "__main__":
    main()
'''

EVALUATE_PY = '''def evaluate(model, batches):
    scores = [float(model(x).mean()) for x in batches]
    return sum(scores) / max(len(scores), 1)
'''

CONFIG_YAML = """learning_rate: 3.0e-4
batch_size: 256
warmup_steps: 2000
max_steps: 100000
weight_decay: 0.1
seed: 1234
"""

APACHE_NOTICE = """Copyright 2025 Pebble Labs

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
"""


def npy_bytes() -> bytes:
    """A NumPy .npy file holding two float64 zeros, written by hand (format version 1.0)."""
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"
    header += " " * (63 - len(header)) + "\n"  # magic(6)+version(2)+len(2)+header = 64 bytes
    out = io.BytesIO()
    out.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode("latin-1"))
    out.write(b"\x00" * 16)
    return out.getvalue()


FENCE = "```"

REPOS = {
    # A1: hardware named for inference only (branch speed owns the fix).
    "C1a-inference-count": {
        "LICENSE": MIT,
        "README.md": f"""# Pebble-7B

Pebble-7B is a 7B-parameter language model.

## Training

Pre-training took about 50k GPU hours on H100 GPUs.

## Running the model

Serve it on two nodes:

{FENCE}bash
torchrun --nnodes 2 --nproc-per-node 8 generate.py --ckpt ./weights
{FENCE}
""",
        "generate.py": GENERATE_PY,
        "model.py": MODEL_PY,
    },
    "C1b-support-matrix": {
        "LICENSE": MIT,
        "README.md": f"""# pebble-trainer

A library for training transformer models.

## News

- 2025-03: added kernels for AMD MI300X accelerators.
- [Blog post: scaling out on Intel Gaudi2](https://example.org/blog/gaudi)

## Requirements

Our CI machines use NVIDIA A100 and H100 cards.

## Multi-node example

Example environment for one machine with 8 GPUs per node:

{FENCE}bash
GPUS_PER_NODE=8
{FENCE}
""",
        "model.py": MODEL_PY,
        "train.py": TRAIN_PY,
    },
    # A2: training data under "Pretraining" / "Data mix" headings and in the card's introduction.
    "A1a-data-heading": {
        "LICENSE": MIT,
        "README.md": """# Pebble-1B

## Pretraining

Pebble-1B was pretrained on 300B tokens of [acme/pebble-web](https://huggingface.co/datasets/acme/pebble-web)
(released under CC-BY-4.0). We deduplicated the corpus with MinHash before tokenisation.

## Data mix

| Subset | Tokens (B) |
|---|---|
| acme/pebble-web | 250 |
| acme/pebble-code | 50 |
""",
        "preprocess.py": "def dedup(docs):\n    return list(dict.fromkeys(docs))\n",
    },
    "A1b-data-intro-sentence": {
        "README.md": """---
license: mit
base_model: acme/pebble-base
tags:
- generated_from_trainer
---

# pebble-chat

This model is a fine-tuned version of [acme/pebble-base](https://huggingface.co/acme/pebble-base) on the [acme/recipes-qa](https://huggingface.co/datasets/acme/recipes-qa) dataset.

## Training and evaluation data

More information needed
""",
        "adapter_config.json": '{"base_model_name_or_path": "acme/pebble-base", "r": 8, "lora_alpha": 16}\n',
    },
    # A3: documentation and a Slurm launch script in a sub-folder.
    "B-nested-docs": {
        "LICENSE": MIT,
        "README.md": "# Pebble-1B\n\nThe training run is described in `experiments/`.\n",
        "evaluate.py": EVALUATE_PY,
        "model.py": MODEL_PY,
        "requirements.txt": "torch==2.3.1\nnumpy==1.26.4\n",
        "train.py": TRAIN_PY,
        "configs/pebble.yaml": CONFIG_YAML,
        "experiments/README.md": """# The Pebble-1B run

Launch with `sbatch experiments/launch.slurm`.
Pebble-1B was trained on 64 A100 80GB GPUs (8 nodes) for 6 days.
""",
        "experiments/launch.slurm": """#!/bin/bash
#SBATCH --nodes=8
#SBATCH --gres=gpu:8
srun python train.py --config configs/pebble.yaml
""",
    },
    # A4: the environment stated only by an install command and a sentence of versions.
    "G-env-in-docs": {
        "LICENSE": MIT,
        "README.md": f"""# pebble

## Install

{FENCE}
pip install torch numpy tokenizers
{FENCE}

Tested with PyTorch 2.3.1 and CUDA 12.1.
""",
        "model.py": MODEL_PY,
        "train.py": TRAIN_PY,
    },
    # A5: hyperparameters in a column table and in prose (branch speed owns the fix).
    "D-hparam-table": {
        "LICENSE": MIT,
        "README.md": """# Pebble

| Model | Params | Tokens | LR | Batch size |
|---|---|---|---|---|
| Pebble-1B | 1B | 300B | 3e-4 | 2M tokens |
| Pebble-7B | 7B | 1T | 1.5e-4 | 4M tokens |

Every run used a cosine learning-rate schedule with 2,000 warmup steps and an effective batch-size of 4M tokens.
""",
    },
    # A6: a stray NumPy array and an adapter config without weights do not make a model repository.
    "F3a-stray-npy": {
        "LICENSE": MIT,
        "README.md": "# pebble-train\n\nTraining code for Pebble.\n",
        "train.py": TRAIN_PY,
        "analysis/outputs/scores.npy": npy_bytes(),
    },
    "F3b-adapter-config-no-weights": {
        ".gitignore": "*.safetensors\n*.bin\n",
        "LICENSE": MIT,
        "README.md": "# pebble-sft\n\nOur LoRA fine-tuning experiment. Weights are not included.\n",
        "adapter_config.json": '{"base_model_name_or_path": "/home/me/models/pebble-base", "r": 16, "lora_alpha": 32}\n',
        "train_lora.py": TRAIN_PY,
    },
    # A7: the standard Apache-2.0 notice as the licence file.
    "F1-apache-notice": {
        "LICENSE": APACHE_NOTICE,
        "README.md": "# pebble-tools\n\nScripts for Pebble.\n",
        "train.py": TRAIN_PY,
    },
    # A8: a non-commercial weight licence stated next to a download table.
    "F2-readme-weight-licence": {
        "LICENSE": MIT,
        "README.md": """# pebble-inference

## Downloads

| Name | Download |
|---|---|
| Pebble 7B | https://example.org/pebble-7b.tar |
| Pebble XL | https://example.org/pebble-xl.tar |

Note:
- `pebble-xl.tar` may only be used for non-commercial research, under the [Pebble Research License](https://example.org/prl.md).

## License

This library is licensed under the MIT License.
""",
        "generate.py": GENERATE_PY,
    },
    # A9: statements in Chinese.
    "A3-non-english": {
        "LICENSE": MIT,
        "README.md": "# Pebble 微调实验\n\n- **硬件**：RTX 4090（24GB 显存），单卡\n- **耗时**：训练约 6 小时\n",
        "model.py": MODEL_PY,
        "train.py": TRAIN_PY,
    },
    # A10: an evaluation-harness command documented in EVAL.md.
    "E-eval-harness-doc": {
        "EVAL.md": f"""# Evaluation

The scores below were obtained with lm-evaluation-harness:

{FENCE}bash
lm_eval --model hf --model_args pretrained=acme/pebble-1b --tasks hellaswag,arc_easy
{FENCE}

| Task | acc |
|---|---|
| hellaswag | 0.41 |
""",
        "LICENSE": MIT,
        "README.md": "# Pebble-1B\n\nTrain with `python train.py --config configs/pebble.yaml`.\n",
        "model.py": MODEL_PY,
        "train.py": TRAIN_PY,
        "configs/pebble.yaml": CONFIG_YAML,
    },
    # A11: "MIT" in an institution's name.
    "H1-mit-institution": {
        "README.md": """---
license: apache-2.0
library_name: transformers
---

# pebble-scan

## Training data

- [ScanSet](https://example.org/scanset): collected by the Midlands Institute of Technology (MIT) imaging lab.

All images were de-identified and deduplicated before training.
""",
        "config.json": '{"model_type": "pebble-vision", "architectures": ["PebbleForImageClassification"]}\n',
    },
    # A12: a library's example data loader and its test.
    "H2-incidental-data-code": {
        "LICENSE": MIT,
        "README.md": "# pebble-lib\n\nA JAX library to sample from and fine-tune Pebble models. Weights are downloaded separately.\n",
        "pebble/sampler.py": "def sample(model, prompt):\n    return model(prompt)\n",
        "pebble/examples/qa/data/loader.py": "def load(path):\n    return open(path).read().splitlines()\n",
        "pebble/examples/qa/data/loader_test.py": "from loader import load\n",
    },
    # A13: model_card.md beside a short README.
    "A2-secondary-model-card": {
        "LICENSE": MIT,
        "README.md": "# pebble\n\nCode and weights for Pebble. For details see our [model card](./model_card.md).\n",
        "model_card.md": """# Pebble model card

## Training data

Pebble was trained on [acme/pebble-web](https://huggingface.co/datasets/acme/pebble-web), 40 GB of web text,
filtered for language and deduplicated. The corpus is released under CC-BY-4.0.
""",
    },
}

# --- Part B: the decided grade definitions, each shown by a small repository -------------------------------
DATA_CARD_B1 = """# Pebble data card

## Sources

Pebble-1B was trained on [acme/pebble-web](https://huggingface.co/datasets/acme/pebble-web), 300B tokens of web text.

## Preprocessing

Documents were language-filtered and deduplicated with MinHash (see prepare_data.py).
"""
PREPARE_DATA_PY = "def prepare(docs):\n    return sorted(set(d.strip() for d in docs if d.strip()))\n"

DEFINITIONS = {
    # B1: data present needs the data's licence too.
    "B1-data-no-licence": {
        "LICENSE": MIT, "README.md": "# Pebble-1B\n\nSee DATA_CARD.md for the training data.\n",
        "DATA_CARD.md": DATA_CARD_B1, "prepare_data.py": PREPARE_DATA_PY,
    },
    "B1-data-with-licence": {
        "LICENSE": MIT, "README.md": "# Pebble-1B\n\nSee DATA_CARD.md for the training data.\n",
        "DATA_CARD.md": DATA_CARD_B1 + "\n## Licence\n\nLicense: ODC-By 1.0\n", "prepare_data.py": PREPARE_DATA_PY,
    },
    # B1: processed data released elsewhere and linked counts as preprocessing.
    "B1-linked-processed-data": {
        "LICENSE": MIT,
        "README.md": """# Pebble-1B

## Training data

Pebble-1B was trained on [acme/pebble-web](https://huggingface.co/datasets/acme/pebble-web) (ODC-By 1.0).
The tokenised training set is released as [acme/pebble-web-tokenized](https://huggingface.co/datasets/acme/pebble-web-tokenized).
""",
    },
    # B2: pinned inference requirements, no training code.
    "B2-inference-environment": {
        "LICENSE": MIT, "README.md": "# Pebble-7B\n\nRun `python inference/generate.py --ckpt DIR`.\n",
        "inference/generate.py": GENERATE_PY, "inference/requirements.txt": "torch==2.4.1\ntransformers==4.46.3\n",
    },
    # B3: the training framework as a pinned submodule (the gitlink is added by the test).
    "B3-pinned-submodule": {
        "LICENSE": MIT,
        "README.md": f"""# Pebble-1B

Train with the pinned trainer:

{FENCE}bash
python trainer/run.py configs/pebble-1b.yml
{FENCE}
""",
        ".gitmodules": '[submodule "trainer"]\n\tpath = trainer\n\turl = https://github.com/acme/trainer.git\n',
        "configs/pebble-1b.yml": "lr: 3.0e-4\nbatch_size: 512\ntrain_iters: 100000\nwarmup: 2000\n",
    },
    # B5: a Hub card without `license:` beside an OSI licence file.
    "B5-hub-card-no-licence": {
        "LICENSE": MIT,
        "README.md": "---\nlibrary_name: transformers\npipeline_tag: text-generation\n---\n\n# Pebble-1B\n\nA small model.\n",
        "config.json": '{"model_type": "pebble"}\n',
    },
    # B6: the licence stated only in the README.
    "B6-readme-licence-only": {
        "README.md": "# pebble-tools\n\nScripts for Pebble.\n\n## License\n\nThis project is released under Apache 2.0.\n",
        "train.py": TRAIN_PY,
    },
    # B7: a training-data section of scale and vague phrases.
    "B7-vague-data": {
        "LICENSE": MIT,
        "README.md": "---\nlicense: mit\nlibrary_name: transformers\n---\n\n# Pebble-7B\n\n## Training Data\n\n"
                     "2T tokens gathered from publicly available sources on the web.\n",
        "config.json": '{"model_type": "pebble"}\n',
    },
    # B8: weights and data released elsewhere and linked.
    "B8-linked-components": {
        "LICENSE": MIT,
        "README.md": """# pebble-train

Training code for Pebble-7B.

- Weights: [acme/pebble-7b](https://huggingface.co/acme/pebble-7b)
- Data: [acme/pebble-mix](https://huggingface.co/datasets/acme/pebble-mix)
""",
        "model.py": MODEL_PY, "train.py": TRAIN_PY,
    },
    # B9: the MIT text with an added restriction.
    "B9-modified-mit": {
        "LICENSE": MIT.replace("MIT License", "Modified MIT License") + (
            "\nAdditional terms: the Software may not be used to train models that compete with Pebble Labs'\n"
            "products, and any redistribution must keep this paragraph.\n"),
        "README.md": "# pebble-tools\n\nScripts for Pebble.\n",
        "train.py": TRAIN_PY,
    },
}

# A9 (data and licence part): statements in Chinese.
CHINESE = {
    "A9-chinese-data": {
        "LICENSE": MIT,
        "README.md": """# Pebble 中文模型

## 训练数据

我们使用 [acme/pebble-zh](https://huggingface.co/datasets/acme/pebble-zh) 数据集（CC-BY-4.0 许可）进行预训练，共 50B tokens。

数据经过去重和质量过滤。
""",
    },
    "A9-chinese-licence-only": {
        "README.md": "# Pebble 工具\n\n## 开源协议\n\n本项目代码采用 Apache 2.0 协议开源。\n",
        "train.py": TRAIN_PY,
    },
    "A9-chinese-restricted-weights": {
        "LICENSE": MIT,
        "README.md": "# Pebble\n\n代码采用 MIT 协议。模型权重仅供学术研究使用，禁止商用。\n",
        "generate.py": GENERATE_PY,
    },
}


# A card with every section but the citation (the citation tests add one in other places).
CARD_WITHOUT_CITATION = (
    "# Pebble-1B\n\nPebble-1B is a 1B-parameter language model.\n\n"
    "## Intended use\n\nResearch on small language models.\n\n"
    "## Limitations\n\nIt makes factual errors and reflects the biases of web text.\n\n"
    "## Training data\n\n300B tokens of [acme/pebble-web](https://huggingface.co/datasets/acme/pebble-web).\n\n"
    "## Training procedure\n\nAdamW, learning rate 3e-4, batch size 512, 100k steps.\n\n"
    "## Evaluation\n\n| Task | acc |\n|---|---|\n| hellaswag | 0.41 |\n\n"
)
