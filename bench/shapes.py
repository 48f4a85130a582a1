"""release-lint against the floor on repositories shaped like real releases, side by side in one run.

    python bench/shapes.py                     # every shape, 3 interleaved runs each (about a minute)
    python bench/shapes.py --shapes eval-heavy,hub-lfs --runs 5
    python bench/shapes.py --extra PATH ...    # also real repositories (plain folders), e.g. fetched mirrors

Each shape is built as a plain folder (no git) in a temporary directory:

- ``eval-heavy``: a research repository with 1,800 evaluation-result JSON files (each naming the GPU, the
  batch size and dozens of scores), docs, configs and code (about 2,000 files);
- ``framework``: a large training framework: 1,000 Python modules, a 200-page Markdown documentation tree
  whose pages mention GPUs, nodes and hyperparameters on many lines, configs and launch scripts;
- ``configs-slurm``: 300 YAML training configs and 150 Slurm scripts (``#SBATCH --gres=gpu:8``, torchrun);
- ``hub-lfs``: a Hub-style model repository: a model card with front matter, config and tokenizer files,
  four LFS pointer shards and a 1 GB sparse safetensors file;
- ``small``: the median real repository (about 30 files);
- ``synthetic-10k``: 10,000 short .py/.md/.yaml/.json/.txt files.

Per shape, interleaved (floor, release-lint, floor, ...), the median of the runs:

- floor: one Python process that lists the files (``os.walk``) and reads every file under 1 MiB with a text
  extension a linter could need: the least any linter written in Python must do;
- release-lint: the whole process, ``python -m release_lint --exit-zero --format json DIR``, all rules and
  the verdict; peak resident memory from ``/usr/bin/time`` (or ``os.wait4``).

Then start-up (``--version`` and ``--list-rules`` against ``python -c pass``) and the modules that cost
most to import (``python -X importtime``). Timings are printed, never asserted: the tests time nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
from typing import Callable, Dict, List, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import timed_process  # noqa: E402  (same folder)

TEXT_SUFFIXES = (".md", ".markdown", ".rst", ".txt", ".py", ".ipynb", ".sh", ".bash", ".slurm", ".sbatch", ".yaml",
                 ".yml", ".json", ".toml", ".cfg", ".ini", ".cff", ".gin", "license", "licence", "copying", "makefile")
FLOOR = r"""
import os, sys
root = sys.argv[1]
suffixes = tuple(sys.argv[2].split(","))
total = 0
for folder, dirs, files in os.walk(root):
    for name in files:
        path = os.path.join(folder, name)
        if name.lower().endswith(suffixes) and os.path.getsize(path) < 1 << 20:
            with open(path, "rb") as handle:
                total += len(handle.read())
print(total)
"""
MIT = "MIT License\n\nCopyright (c) 2025 Bench Labs\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n"
TRAIN = "import torch\n\n\ndef train(model, opt, data):\n    for batch in data:\n        loss = model(batch)\n        loss.backward()\n        opt.step()\n"


def _write(root: str, files: Dict[str, str]) -> None:
    for path, text in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as handle:
            handle.write(text)


def _readme(title: str) -> str:
    return (f"# {title}\n\n{title} is a language model.\n\n## Training\n\nTrained on 64 NVIDIA A100 80GB GPUs (8 nodes) "
            "for 6 days, about 9,200 GPU hours, with FSDP.\n\n| Hyperparameter | Value |\n|---|---|\n| learning rate | 3e-4 |\n"
            "| batch size | 512 |\n| warmup steps | 2000 |\n\n## Usage\n\n```bash\npython generate.py --ckpt out\n```\n")


ENV_INFO = ("PyTorch version: 2.1.0+cu121\nIs debug build: False\nCUDA used to build PyTorch: 12.1\nOS: Ubuntu 22.04.3 LTS "
            "(x86_64)\nPython version: 3.10.13\nIs CUDA available: True\nGPU models and configuration: \n"
            + "".join(f"GPU {i}: NVIDIA A100-SXM4-80GB\n" for i in range(8))
            + "Nvidia driver version: 535.104.05\nCPU: AMD EPYC 7763 64-Core Processor, 2 sockets, 128 cores\n"
            "Versions of relevant libraries: numpy==1.26.2, torch==2.1.0, triton==2.1.0\n")


def _eval_json(rng: random.Random, model: int, task: int) -> str:
    """An lm-evaluation-harness style result file: scores, the task's configuration in prose, logged samples
    with their prompts, and the environment report that names the GPUs it was scored on."""
    scores = {f"subtask_{i}": {"acc,none": rng.random(), "acc_stderr,none": rng.random() / 10, "acc_norm,none": rng.random(),
                               "alias": f" - subtask {i}"} for i in range(20)}
    configs = {f"subtask_{i}": {
        "task": f"subtask_{i}", "dataset_path": f"bench/task{task}", "test_split": "test", "num_fewshot": task % 5,
        "description": f"The following are multiple choice questions (with answers) about topic {i} of task {task}.\n\n",
        "doc_to_text": "{{question.strip()}}\nA. {{choices[0]}}\nB. {{choices[1]}}\nAnswer:", "doc_to_target": "answer",
        "metric_list": [{"metric": "acc", "aggregation": "mean", "higher_is_better": True}],
        "generation_kwargs": {"until": ["\n\n"], "do_sample": False, "temperature": 0.0, "max_gen_toks": 256},
        "metadata": {"version": 1.0}} for i in range(6)}
    samples = [{"doc_id": n, "prompt": f"Question {n}: after {rng.randint(2, 90)} days a train leaves station {n} "
                f"at {rng.randint(1, 12)} pm; how many hours until it arrives {rng.randint(10, 900)} km away?",
                "target": str(rng.randint(1, 20)), "resps": [[f"{rng.random():.4f}"]], "acc": rng.randint(0, 1)}
               for n in range(40)]
    return json.dumps({
        "results": scores, "configs": configs, "samples": samples,
        "config": {"model": "hf", "model_args": f"pretrained=bench/model-{model},dtype=bfloat16", "batch_size": "auto",
                   "device": "cuda:0", "num_gpus": 8, "limit": None, "bootstrap_iters": 100000},
        "n-shot": {f"subtask_{i}": task % 5 for i in range(20)},
        "git_hash": f"{rng.getrandbits(64):016x}", "date": 1700000000 + task, "pretty_env_info": ENV_INFO,
        "transformers_version": "4.36.2", "total_evaluation_time_seconds": str(rng.random() * 1000),
    }, indent=2)


def _doc_page(index: int) -> str:
    lines = [f"# Guide {index}", "", "## Multi-node training", ""]
    for n in range(60):
        lines.append(f"Part {n} explains how the pieces of section {index} fit together, with an example of its output.")
        if n % 3 == 0:  # every third paragraph states hardware and hyperparameters
            lines.append(f"Step {n}: launch on {n % 8 + 1} nodes with 8 GPUs each, global batch size {256 * (n + 1)} "
                         f"and a learning rate of {n + 1}e-4; the run takes {n + 2} hours on A100 GPUs.")
        lines.append("")
    lines += ["## Serving", "", "```bash", "torchrun --nproc-per-node 8 serve.py --tp 8", "```", ""]
    return "\n".join(lines)


def _config(index: int) -> str:
    return (f"# experiment {index}\nmodel:\n  hidden_size: {1024 + index}\n  num_layers: 24\noptimizer:\n  name: adamw\n"
            f"  lr: {index + 1}.0e-4\n  weight_decay: 0.1\n  betas: [0.9, 0.95]\nscheduler:\n  name: cosine\n  warmup_steps: 2000\n"
            f"trainer:\n  num_nodes: {index % 16 + 1}\n  devices: 8\n  max_steps: {100000 + index}\n  precision: bf16\n"
            f"  gradient_clip_val: 1.0\ndata:\n  batch_size: 32\n  seq_len: 2048\n")


def _slurm(index: int) -> str:
    return (f"#!/bin/bash\n#SBATCH --job-name=run-{index}\n#SBATCH --nodes={index % 16 + 1}\n#SBATCH --gres=gpu:8\n"
            "#SBATCH --ntasks-per-node=1\n#SBATCH --time=72:00:00\nexport GPUS_PER_NODE=8\n"
            f"srun torchrun --nnodes {index % 16 + 1} --nproc-per-node 8 train.py --config configs/exp{index}.yaml\n")


def build_eval_heavy(root: str) -> None:
    rng = random.Random(1)
    files = {"README.md": _readme("EvalBench"), "LICENSE": MIT, "train.py": TRAIN, "requirements.txt": "torch==2.3.1\n"}
    for model in range(30):
        for task in range(60):
            files[f"results/model-{model}/task-{task}.json"] = _eval_json(rng, model, task)
    for index in range(100):
        files[f"src/evalbench/mod{index}.py"] = f"def f{index}(x):\n    return x * {index}\n"
    for index in range(50):
        files[f"docs/page{index}.md"] = f"# Page {index}\n\nEvaluated with batch size 16 on one H100 GPU.\n"
        files[f"configs/task{index}.yaml"] = f"task: t{index}\nnum_fewshot: 5\nbatch_size: 16\n"
    _write(root, files)


def build_framework(root: str) -> None:
    files = {"README.md": _readme("Trainer"), "LICENSE": MIT, "train.py": TRAIN, "requirements.txt": "torch==2.3.1\n"}
    for index in range(1000):
        files[f"trainer/pkg{index // 50}/mod{index}.py"] = (
            f'"""Module {index}."""\n\nimport torch\n\n\nclass Block{index}(torch.nn.Module):\n'
            f"    def forward(self, x, lr=3e-4, batch_size=8):\n        return x * {index}\n")
    for index in range(200):
        files[f"docs/guide/section{index // 20}/page{index}.md"] = _doc_page(index)
    for index in range(100):
        files[f"configs/exp{index}.yaml"] = _config(index)
    for index in range(40):
        files[f"scripts/launch{index}.sh"] = _slurm(index)
    _write(root, files)


def build_configs_slurm(root: str) -> None:
    files = {"README.md": _readme("Configs"), "LICENSE": MIT, "train.py": TRAIN}
    for index in range(300):
        files[f"configs/exp{index}.yaml"] = _config(index)
    for index in range(150):
        files[f"slurm/run{index}.slurm"] = _slurm(index)
    for index in range(50):
        files[f"src/mod{index}.py"] = f"def f{index}(x):\n    return x\n"
    _write(root, files)


def build_hub_lfs(root: str) -> None:
    card = ("---\nlicense: apache-2.0\nlibrary_name: transformers\npipeline_tag: text-generation\ndatasets: [acme/web]\n---\n"
            + _readme("HubModel"))
    vocab = {f"tok{i}": i for i in range(50000)}
    files = {"README.md": card, "config.json": json.dumps({"model_type": "llama", "architectures": ["LlamaForCausalLM"]}),
             "tokenizer.json": json.dumps({"model": {"vocab": vocab}}), "tokenizer_config.json": "{}",
             "generation_config.json": "{}", ".gitattributes": "*.safetensors filter=lfs diff=lfs merge=lfs -text\n"}
    for shard in range(1, 5):
        files[f"model-0000{shard}-of-00004.safetensors"] = (
            "version https://git-lfs.github.com/spec/v1\noid sha256:" + f"{shard:064x}" + "\nsize 4976698672\n")
    _write(root, files)
    with open(os.path.join(root, "consolidated.safetensors"), "wb") as handle:
        handle.truncate(1 << 30)  # sparse


def build_small(root: str) -> None:
    files = {"README.md": _readme("Small"), "LICENSE": MIT, "train.py": TRAIN, "requirements.txt": "torch==2.3.1\n",
             "configs/train.yaml": _config(1), "scripts/train.sh": _slurm(1)}
    for index in range(24):
        files[f"src/small/mod{index}.py"] = f"def f{index}(x):\n    return x\n"
    _write(root, files)


def build_synthetic(root: str, count: int = 10_000) -> None:
    files = {"README.md": _readme("Synthetic"), "LICENSE": MIT}
    for index in range(count - 2):
        kind = index % 5
        folder = f"pkg{index % 97}/sub{index % 7}"
        if kind == 0:
            files[f"{folder}/m{index}.py"] = f"def f{index}(x):\n    return x + {index}\n"
        elif kind == 1:
            files[f"{folder}/p{index}.md"] = f"# Page {index}\n\nSome text about part {index}.\n"
        elif kind == 2:
            files[f"{folder}/c{index}.yaml"] = f"run: {index}\nlr: 3.0e-4\nbatch_size: 32\n"
        elif kind == 3:
            files[f"{folder}/d{index}.json"] = json.dumps({"id": index, "value": index * 2})
        else:
            files[f"{folder}/t{index}.txt"] = f"row {index}\n"
    _write(root, files)


SHAPES: Dict[str, Callable[[str], None]] = {
    "eval-heavy": build_eval_heavy, "framework": build_framework, "configs-slurm": build_configs_slurm,
    "hub-lfs": build_hub_lfs, "small": build_small, "synthetic-10k": build_synthetic,
}


def count_files(root: str) -> int:
    return sum(len(files) for _folder, _dirs, files in os.walk(root))


def measure(root: str, runs: int, old: str = "") -> dict:
    """Medians of *runs* interleaved runs of the floor, release-lint (wall and CPU) and, with *old* (a folder
    holding another version's ``release_lint`` package), that version; peak memory."""
    floor_argv = [sys.executable, "-c", FLOOR, root, ",".join(TEXT_SUFFIXES)]
    lint_argv = [sys.executable, "-m", "release_lint", "--exit-zero", "--format", "json", root]
    timed_process(floor_argv)  # warm the page cache
    timed_process(lint_argv)
    floors, lints, olds, peaks, old_peaks = [], [], [], [], []
    out = b"{}"
    for _ in range(runs):
        floors.append(timed_process(floor_argv)[:2])
        wall, cpu, rss, out, _err = timed_process(lint_argv)
        lints.append((wall, cpu))
        peaks.append(rss)
        if old:
            wall, cpu, rss, _out, _err = timed_process(lint_argv, source=old)
            olds.append((wall, cpu))
            old_peaks.append(rss)
    report = json.loads(out or b"{}")
    result = {"floor_s": statistics.median(w for w, _c in floors), "floor_cpu_s": statistics.median(c for _w, c in floors),
              "lint_s": statistics.median(w for w, _c in lints), "lint_cpu_s": statistics.median(c for _w, c in lints),
              "peak_mib": max(peaks) / 1024, "findings": len(report.get("findings", [])), "notes": report.get("notes", [])}
    if old:
        result.update(old_s=statistics.median(w for w, _c in olds), old_cpu_s=statistics.median(c for _w, c in olds),
                      old_peak_mib=max(old_peaks) / 1024)
    return result


def startup(runs: int) -> Dict[str, float]:
    found = {}
    for name, argv in (("python -c pass", [sys.executable, "-c", "pass"]),
                       ("--version", [sys.executable, "-m", "release_lint", "--version"]),
                       ("--list-rules", [sys.executable, "-m", "release_lint", "--list-rules"])):
        timed_process(argv)
        found[name] = statistics.median(timed_process(argv)[0] for _ in range(runs))
    return found


def import_costs(root: str, top: int = 8) -> List[Tuple[int, str]]:
    """The release_lint modules (and libraries) with the highest cumulative import time in a full run."""
    err = timed_process([sys.executable, "-X", "importtime", "-m", "release_lint", "--exit-zero", root])[4]
    rows = []
    for line in err.decode(errors="replace").splitlines():
        if line.startswith("import time:") and "|" in line:
            _self, cumulative, name = line[len("import time:"):].split("|")
            if cumulative.strip().isdigit() and not name.startswith("   "):
                rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:top]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated shapes: " + ", ".join(SHAPES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--extra", nargs="*", default=[], help="more folders (real repositories) to measure")
    parser.add_argument("--old", default="", help="a folder holding another version's release_lint package, "
                        "measured side by side (e.g. `git archive COMMIT release_lint | tar -x -C DIR`)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    base = tempfile.mkdtemp(prefix="release-lint-shapes-")
    results = []
    try:
        targets = []
        for name in [s for s in args.shapes.split(",") if s]:
            root = os.path.join(base, name)
            os.makedirs(root)
            SHAPES[name](root)
            targets.append((name, root))
        targets += [(os.path.basename(os.path.abspath(p)) + " (extra)", p) for p in args.extra]
        print(f"{'shape':<16}{'files':>7} | {'wall: floor':>11}{'release-lint':>13}{'ratio':>7} | "
              f"{'CPU: floor':>10}{'release-lint':>13}{'ratio':>7} | {'peak':>8}", flush=True)
        for name, root in targets:
            result = measure(root, args.runs, args.old)
            result.update(shape=name, files=count_files(root))
            results.append(result)
            print(f"{name:<16}{result['files']:>7} | {result['floor_s']:>10.2f}s{result['lint_s']:>12.2f}s"
                  f"{result['lint_s'] / result['floor_s']:>6.1f}x | {result['floor_cpu_s']:>9.2f}s{result['lint_cpu_s']:>12.2f}s"
                  f"{result['lint_cpu_s'] / result['floor_cpu_s']:>6.1f}x | {result['peak_mib']:>4.0f} MiB", flush=True)
            if args.old:
                print(f"{'  old version':<16}{'':>7} | {'':>11}{result['old_s']:>12.2f}s{result['old_s'] / result['floor_s']:>6.1f}x | "
                      f"{'':>10}{result['old_cpu_s']:>12.2f}s{result['old_cpu_s'] / result['floor_cpu_s']:>6.1f}x | "
                      f"{result['old_peak_mib']:>4.0f} MiB", flush=True)
            for note in result["notes"][:3]:
                print(f"{'':<16}note: {note}")
        costs = startup(max(args.runs, 5))
        bare = costs["python -c pass"]
        print("\nstart-up: " + ", ".join(f"{k} {v * 1000:.0f} ms ({v / bare:.1f}x)" for k, v in costs.items()))
        small = dict(targets).get("small") or targets[0][1]
        print("import cost of a full run (cumulative, -X importtime): "
              + ", ".join(f"{name} {us / 1000:.0f} ms" for us, name in import_costs(small)))
        if args.json:
            print(json.dumps({"shapes": results, "startup_s": costs}, indent=2))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
