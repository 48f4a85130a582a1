"""Training, evaluation and inference entry points, external training code, and how training is launched."""

from __future__ import annotations

import re
from typing import FrozenSet, List, Optional, Set, Tuple

from release_lint.detectors.code_and_docs import (
    MAX_LINE_CHARS, TEST_PATH, code_files, code_lines, config_files, documentation_files, first_code_match, is_comment,
    markdown_lines,
)
from release_lint.detectors.evidence import Evidence, clip
from release_lint.detectors.model_architecture import standard_architectures
from release_lint.repo import Repo, detector
from release_lint.textindex import lazy

TRAIN_NAME_RE = re.compile(
    r"^(?:train|training|trainer|pretrain|pre_train|pre-train|finetune|fine_tune|fine-tune|finetuning|sft|dpo|rlhf|"
    r"ppo|grpo|run_clm|run_mlm|run_seq2seq|run_glue|run_summarization|run_translation|run_train|run_pretrain|"
    r"run_finetune|run_sft)(?:[-_.\w]*)?\.(?:py|ipynb|sh|bash|sbatch|slurm)$",
    re.IGNORECASE,
)
TRAIN_FOLDER_RE = re.compile(r"(?:^|/)(?:train|training|trainer|trainers|pretrain|pretraining|finetune|finetuning|sft)/[^/]+\.py$", re.IGNORECASE)
# Code that builds an optimiser and steps it; checked per line outside comments.
TRAIN_CODE_RE = re.compile(
    r"\.backward\(|\boptimi[sz]er\.step\(|\bopt\.step\(|\b(?:Seq2Seq|SFT|DPO|PPO|GRPO|Reward|ORPO|KTO)?Trainer\(|"
    r"\btrainer\.(?:fit|train)\(|\bjax\.(?:value_and_grad|grad)\(|\boptax\.[a-z]|\bGradientTape\(|"
    r"\bmodel\.fit\(|\bdeepspeed\.initialize\(|\bxm\.optimizer_step\(|\bnnx\.Optimizer\(|\beqx\.filter_grad\(",
)
TRAIN_CODE_LITERALS = (
    ".backward(", ".step(", "Trainer(", "trainer.", "jax.", "optax.", "GradientTape(", ".fit(", "deepspeed.initialize(",
    "Optimizer(", "filter_grad(", "optimizer_step(",
)
EVAL_NAME_RE = re.compile(
    r"^(?:eval|evals|evaluate|evaluation|evaluator|run_eval|run_evaluation|benchmark|benchmarks|bench|"
    r"test_model|score|lm_eval|lm_harness|validate)(?:[-_.\w]*)?\.(?:py|ipynb|sh|bash|sbatch|slurm)$"
    r"|^[\w.-]*[-_](?:eval|evaluate|evaluation|benchmark)\.(?:py|ipynb|sh)$",
    re.IGNORECASE,
)
EVAL_FOLDER_RE = re.compile(r"(?:^|/)(?:eval|evals|evaluation|evaluations|benchmark|benchmarks)/[^/]+\.(?:py|ipynb|sh|yaml|yml|json)$", re.IGNORECASE)
# lm-evaluation-harness task configs, and code or scripts that drive the harness.
# [ \t]*, not \s*: with MULTILINE, \s* runs on over every following blank line from each line start (quadratic).
LM_EVAL_CONFIG_RE = re.compile(r"^[ \t]*(?:doc_to_text|doc_to_target|output_type|task_alias|metric_list)\s*:", re.MULTILINE)
LM_EVAL_CALL_RE = re.compile(r"\blm[-_]eval\b|\blm_eval\.simple_evaluate\(|\blighteval\b|\bopencompass\b|\bevalplus\b")
# "lm_eval --model hf --tasks ...", "python -m lm_eval ...", "lighteval accelerate ...", "opencompass configs/x.py",
# "evalplus.evaluate --dataset ...": a harness invoked with arguments at the start of a command.
DOCUMENTED_HARNESS_RE = re.compile(
    r"(?:^|[\s;&|$>])(?:(?:python3?|accelerate launch)\s+(?:-m\s+)?)?(?:lm[-_]eval|lighteval|opencompass|evalplus\.\w+)"
    r"\s+(?:[\w.:/-]+\s+)?--?(?:model|tasks?|datasets?|config|model_args|model[-_]path)\b"
)
# The word must end where the name's first word ends ("app.py", "chat_cli.py", "generate2.py"): "apptainer_run.sh",
# "genlip_task.py" or a data loader's "samplers.py" only begin with the same letters.
INFER_NAME_RE = re.compile(
    r"^(?:generate|generation|gen|infer|inference|predict|predictor|predicting|prediction|serve|server|serving|sample|sampler|"
    r"sampling|chat|chatbot|demo|app|run_inference|run_generation|cli_demo|web_demo|api)(?:[-_.\d][-_.\w]*)?\.(?:py|ipynb|sh)$",
    re.IGNORECASE,
)
USAGE_SNIPPET_RE = re.compile(
    r"from_pretrained\(|\bpipeline\(|\.generate\(|\.predict\(|load_state_dict\(|\bload_model\(|torch\.hub\.load\(|"
    r"\bvllm\b|\bollama\s+run\b|\bllama-cli\b|\bllama\.cpp\b|\bmlx_lm\b|SentenceTransformer\(|timm\.create_model\(|"
    r"open_clip\.create_model|keras\.models\.load_model\(|saved_model\.load\(|InferenceSession\(|"
    r"\bpython3?\s+(?:-m\s+)?[\w./-]*(?:generate|infer|predict|sample|chat|serve|demo)[\w./-]*"
)


@detector
def training_entry_points(repo: Repo) -> List[Evidence]:
    """Where training happens: ``kind`` "name" (a file named like train*/pretrain*/finetune*/sft*/run_clm*,
    or a .py under a train/training/finetune folder; ``line`` None) or "code" (the first line of a code file
    or notebook code cell that steps an optimiser: ``.backward(``, ``optimizer.step(``, ``Trainer(``,
    ``trainer.fit(``, ``jax.grad``, ``optax``...; ``line`` that line). Tests are not entry points.
    """
    return _scripts(repo, TRAIN_NAME_RE, TRAIN_FOLDER_RE, "code", TRAIN_CODE_RE, TRAIN_CODE_LITERALS, (".py", ".ipynb"))


_SUBMODULE_RE = re.compile(r"^\s*path\s*=\s*(\S+)\s*$|^\s*url\s*=\s*(\S+)\s*$", re.MULTILINE)
_TRAINING_FRAMEWORK_RE = re.compile(r"train|megatron|nemo|neox|foundry|torchtitan|fairseq|nanotron|levanter|maxtext|olmo|"
                                    r"axolotl|trl\b|llama[-_]?factory|t5x|praxis|paxml", re.IGNORECASE)
# github.com/owner/repo/tree/<commit or tag>: a framework at a fixed revision.
_PINNED_REPO_LINK_RE = re.compile(r"https?://(?:www\.)?(?:github|gitlab)\.com/[\w.-]+/([\w.-]+)/(?:-/)?(?:tree|commit|releases/tag)/"
                                  r"([0-9a-f]{7,40}|v?\d+(?:\.\d+)+)\b", re.IGNORECASE)


@detector
def external_training_code(repo: Repo) -> List[Evidence]:
    """Training code kept outside the release but pinned (B3): a git submodule (its gitlink pins a commit) or a link
    to a training framework at a fixed commit or tag, each counted only when the run's configs are in the release
    and the framework is a trainer (its name) or the docs run a command inside the submodule. ``kind``
    "submodule" or "pinned-link"; the text says "external, pinned at ...". Nothing is fetched."""
    if not config_files(repo):
        return []
    found: List[Evidence] = []
    documents = documentation_files(repo)
    doc_lines = [line[:MAX_LINE_CHARS] for p in documents[:20] for line in repo.lines(p)[:5000]]
    if repo.exists(".gitmodules"):
        text = repo.text(".gitmodules") or ""
        paths = [m.group(1) for m in _SUBMODULE_RE.finditer(text) if m.group(1)]
        urls = [m.group(2) for m in _SUBMODULE_RE.finditer(text) if m.group(2)]
        pinned = set(repo.submodules)
        for index, path in enumerate(paths):
            url = urls[index] if index < len(urls) else ""
            if path not in pinned:
                continue  # no gitlink: nothing pins the revision
            # A command on one line that runs something inside the submodule ("python trainer/run.py ...").
            launch = re.compile(r"\b(?:python3?|bash|sh|torchrun|deepspeed|accelerate launch)[ \t]+(?:[^\s]+[ \t]+){0,6}?"
                                + re.escape(path.rstrip("/")) + "/")
            launched = any(launch.search(line) for line in doc_lines if path.rstrip("/") + "/" in line)
            if launched or _TRAINING_FRAMEWORK_RE.search(path + " " + url):
                found.append(Evidence(".gitmodules", _line(text, path), "submodule",
                                      f"external, pinned at the gitlink commit of {path} ({url})"))
    for path in documents[:20]:
        cloned: Optional[Tuple[int, str]] = None  # (line, repository name) of the last `git clone`
        for number, line in enumerate(repo.lines(path)[:5000], 1):
            for match in _PINNED_REPO_LINK_RE.finditer(line):
                if _TRAINING_FRAMEWORK_RE.search(match.group(1)) and re.search(r"\btrain", line, re.IGNORECASE):
                    found.append(Evidence(path, number, "pinned-link", f"external, pinned at {match.group(2)}: {match.group(0)}"))
            # `git clone <url>` then `git checkout <tag or commit>` within a few lines (or `git clone -b <tag>`).
            clone = _GIT_CLONE_RE.search(line[:MAX_LINE_CHARS])
            if clone:
                name = clone.group(2).rstrip("/").rsplit("/", 1)[-1]
                cloned = (number, name[:-4] if name.endswith(".git") else name)
                tag = clone.group(1)
            else:
                checkout = _GIT_CHECKOUT_RE.search(line[:MAX_LINE_CHARS])
                tag = checkout.group(1) if checkout and cloned and number - cloned[0] <= 5 else None
            if tag and cloned and _PINNED_REVISION_RE.match(tag) and _TRAINING_FRAMEWORK_RE.search(cloned[1]):
                found.append(Evidence(path, number, "pinned-checkout", f"external, pinned at {tag}: {cloned[1]}"))
                cloned = None
    return found


_GIT_CLONE_RE = re.compile(r"\bgit\s+clone\s+(?:--depth[ =]\d+\s+)?(?:(?:-b|--branch)[ =](\S{1,100})\s+)?"
                           r"((?:https?://|git@)[\w.@:/-]{1,300})")
_GIT_CHECKOUT_RE = re.compile(r"\bgit\s+(?:checkout|switch\s+--detach|reset\s+--hard)\s+(?:tags/)?(\S{1,100})")
# A revision that pins: a tag like v1.0 / 1.2.3 or a commit id (not a branch name such as main).
_PINNED_REVISION_RE = re.compile(r"^(?:v?\d+(?:\.\d+)+(?:[-.]?\w+)?|[0-9a-f]{7,40})$", re.IGNORECASE)


def _line(text: str, needle: str) -> Optional[int]:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def _scripts(repo: Repo, name_re, folder_re, kind: str, code_re, literals, code_suffixes=None) -> List[Evidence]:
    """Code files (tests excluded) named like *name_re* or under a *folder_re* folder (``kind`` "name", no
    line), else whose code first matches *code_re* (``kind`` *kind*, that line)."""
    found: List[Evidence] = []
    for path in code_files(repo):
        name = path.rsplit("/", 1)[-1]
        if TEST_PATH.search(path):
            continue
        if name_re.match(name) or folder_re.search(path):
            found.append(Evidence(path, None, "name", name))
            continue
        if code_suffixes and not path.lower().endswith(code_suffixes):
            continue
        hit = first_code_match(repo, path, code_re, literals)
        if hit:
            found.append(Evidence(path, hit[0], kind, clip(hit[1])))
    return found


# Code that computes an evaluation metric: Hugging Face evaluate/datasets metrics, the Trainer's evaluation,
# scikit-learn scores, WER/BLEU libraries. Found in notebooks and training scripts that report the card's score.
METRIC_CODE_RE = re.compile(
    # (model.evaluate(test_data): Keras and other trainers score a held-out set; def accuracy(output, target): a
    # notebook's own top-k accuracy)
    r"\bevaluate\.load\(|\bload_metric\(|\bdef compute_metrics\(|\b\w+\.evaluate\(|\bdef (?:top_?k_)?accuracy\(|"
    r"\b(?:accuracy|f1|precision|recall|roc_auc|balanced_accuracy|matthews_corrcoef)_score\(|"
    r"\bclassification_report\(|\bjiwer\.(?:wer|cer|compute_measures)\(|\bsacrebleu\.\w+\(|\bcorpus_bleu\(|"
    r"\btorchmetrics\.\w+\("
)
METRIC_CODE_LITERALS = ("evaluate.load(", "load_metric(", "compute_metrics(", ".evaluate(", "_score(", "classification_report(",
                        "accuracy(",
                        "jiwer.", "sacrebleu.", "corpus_bleu(", "torchmetrics.")


# Calls that run an evaluation (a compute_metrics function alone is only defined).
_METRIC_RUN_RE = re.compile(r"compute_metrics\s*=|\.evaluate\(|_score\(|\bclassification_report\(|\bjiwer\.\w+\(|"
                            r"\bsacrebleu\.\w+\(|\bcorpus_bleu\(|\btorchmetrics\.\w+\(")
# Metric names as code and cards write them ("exact_match", "Exact Match", "ROUGE-L", "BLEU-4").
_METRIC_NAME_RE = re.compile(r"\b(wer|cer|bleu|rouge|meteor|chrf|accuracy|f1|exact[_ ]match|perplexity|auc|mcc|iou)",
                             re.IGNORECASE)
_RESULTS_HEADING_RE = re.compile(r"evaluat|benchmark|results?\b|performance|评测|评估|性能", re.IGNORECASE)


def _metric_code_counts(repo: Repo, path: str) -> bool:
    """Whether the metric code of *path* is the evaluation code of the release: a ``compute_metrics`` defined
    but never passed to a trainer nor called, with no other metric run, is not (a notebook's leftover cell);
    nor is code whose metrics the documentation never names while it reports results under an evaluation
    heading (a fine-tuning script scoring ROUGE on the user's data, beside a card of benchmark tables)."""
    text = "\n".join(line for _n, line in code_lines(repo, path))
    if "def compute_metrics(" in text and text.count("compute_metrics") == 1 and not _METRIC_RUN_RE.search(text):
        return False
    metrics = {m.lower().replace(" ", "_") for m in _METRIC_NAME_RE.findall(text)}
    if not metrics:
        return True
    named, reports = _documented_metrics(repo)
    return bool(metrics & named) or not reports


@detector
def _documented_metrics(repo: Repo) -> Tuple[FrozenSet[str], bool]:
    """The metric names the documentation uses, and whether it reports results under an evaluation heading:
    read once per run, not once per code file that computes a metric."""
    named: Set[str] = set()
    reports = False
    for doc_path in documentation_files(repo)[:20]:
        doc = repo.markdown(doc_path) if doc_path.lower().endswith((".md", ".markdown", ".mdx")) else None
        if doc is None:
            continue
        named.update(m.lower().replace(" ", "_") for m in _METRIC_NAME_RE.findall("\n".join(doc.lines)))
        reports = reports or any(_RESULTS_HEADING_RE.search(h.title) for h in doc.headings)
    return frozenset(named), reports


@detector
def evaluation_entry_points(repo: Repo) -> List[Evidence]:
    """Evaluation code: ``kind`` "name" (eval*/evaluate*/benchmark* scripts, files under eval/ or benchmarks/),
    "lm-eval-config" (an lm-evaluation-harness task YAML) or "harness" (a script or notebook line that drives
    lm-eval, lighteval, OpenCompass or EvalPlus). ``line`` is None for names.
    """
    found = _scripts(repo, EVAL_NAME_RE, EVAL_FOLDER_RE, "harness", LM_EVAL_CALL_RE,
                     ("lm-eval", "lm_eval", "lighteval", "opencompass", "evalplus"))
    if not found:
        # No evaluation script by name: a notebook or a training script that computes a metric is the evaluation code,
        # when it runs the metric and measures what the release reports.
        for path in code_files(repo):
            if path.lower().endswith((".py", ".ipynb")) and not TEST_PATH.search(path):
                hit = first_code_match(repo, path, METRIC_CODE_RE, METRIC_CODE_LITERALS)
                if hit and _metric_code_counts(repo, path):
                    found.append(Evidence(path, hit[0], "metric-code", clip(hit[1])))
    for path in config_files(repo):
        if EVAL_FOLDER_RE.search(path) and path.lower().endswith((".yaml", ".yml")):
            found.append(Evidence(path, None, "name", path.rsplit("/", 1)[-1]))
            continue
        if path.lower().endswith((".yaml", ".yml")):
            text = repo.text(path) or ""
            match = LM_EVAL_CONFIG_RE.search(text)
            if match:
                found.append(Evidence(path, text.count("\n", 0, match.start()) + 1, "lm-eval-config", clip(match.group(0))))
    # A harness command documented in the card or docs runs public evaluation code with stated arguments: that is
    # the evaluation code (and what TRAIN004's own fix asks for).
    for path in documentation_files(repo):
        for number, line, _in_code in markdown_lines(repo, path):
            match = DOCUMENTED_HARNESS_RE.search(line.replace("`", " "))
            if match:
                found.append(Evidence(path, number, "documented-harness", clip(line.strip(" `$"))))
                break
    if not found:
        found.extend(_documented_evaluation_commands(repo))
    return sorted(found, key=lambda e: (e.path, e.line or 0))


# A command in a code block under an evaluation heading that runs the release's own code ("### Evaluating a
# checkpoint" / `python -m pkg.main --val-data ...`): the release documents how it evaluates.
_EVAL_HEADING_RE = re.compile(r"\beval\w*|\bbenchmark\w*|评测|评估", re.IGNORECASE)
_RUN_RE = re.compile(r"^\s*(?:\$\s*)?(?:python3?|torchrun|accelerate\s+launch)\b[^\n]{0,200}?(?:\s-m\s+([A-Za-z_][\w.]{0,100})|"
                     r"\s([\w./-]{1,200}\.py))\b")


def _runs_release_code(repo: Repo, match: "re.Match[str]") -> bool:
    module, script = match.group(1), match.group(2)
    if script:
        return repo.exists(script.lstrip("./"))
    tail = module.replace(".", "/")
    return any(f == tail + ".py" or f.endswith("/" + tail + ".py") or f.endswith(tail + "/__main__.py")
               for f in code_files(repo))


def _documented_evaluation_commands(repo: Repo) -> List[Evidence]:
    found: List[Evidence] = []
    for path in documentation_files(repo)[:20]:
        doc = repo.markdown(path) if path.lower().endswith((".md", ".markdown", ".mdx")) else None
        if doc is None or not any(_EVAL_HEADING_RE.search(h.title) for h in doc.headings):
            continue
        for number, line, in_fence in markdown_lines(repo, path):
            match = _RUN_RE.match(line) if in_fence else None
            if match and _under_heading(doc.headings, number, _EVAL_HEADING_RE) and _runs_release_code(repo, match):
                found.append(Evidence(path, number, "documented-command", clip(line.strip(" `$"))))
                return found
    return found


def _under_heading(headings, number: int, pattern: "re.Pattern[str]") -> bool:
    """Whether line *number* sits in the section of a heading whose title matches *pattern* (any level)."""
    return any(h.line < number <= h.content_end and pattern.search(h.title) for h in headings)


@detector
def inference_entry_points(repo: Repo) -> List[Evidence]:
    """How to run the model: ``kind`` "name" (generate*/infer*/predict*/serve*/sample*/chat*/demo* scripts),
    "usage-snippet" (a fenced code block in the card or docs that loads or runs the model; ``line`` that line)
    or "library" (a standard architecture config, see :func:`standard_architectures`).
    """
    found: List[Evidence] = []
    for path in code_files(repo):
        name = path.rsplit("/", 1)[-1]
        if INFER_NAME_RE.match(name) and not TEST_PATH.search(path):
            found.append(Evidence(path, None, "name", name))
    for path in documentation_files(repo):
        for number, line, in_fence in markdown_lines(repo, path):
            if in_fence and USAGE_SNIPPET_RE.search(line):
                found.append(Evidence(path, number, "usage-snippet", clip(line)))
                break
    found.extend(Evidence(e.path, e.line, "library", e.text) for e in standard_architectures(repo))
    if not found:
        found.extend(_documented_inference_scripts(repo))
    return found


# `python run.py`, `python3 -m scripts/x.py` in a document: the script it runs, whatever its name.
DOCUMENTED_SCRIPT_RE = re.compile(r"\bpython3?\s+(?:-[uBO]\s+)?([\w./-]{1,200}\.py)\b")
# Code that produces outputs from a model: sampling, generation, prediction, transcription.
# (random.sample, np.random.sample and df.sample draw from data, not from a model.)
INFERENCE_CALL_RE = re.compile(r"(?<!random)(?<!\bdf)\.sample\(|\.(?:generate|predict|transcribe|infer|inference|chat|complete)\(|"
                               r"(?<![\w.])(?:sample_from_model|generate_text|generate_tokens|generate)\(")
MAX_DOCUMENTED_SCRIPTS = 20


# A documented training program that ends by generating text from the model it trained ("train for 40 steps ...
# and sample some text") also shows how to run the model.
TRAINING_SAMPLES_RE = re.compile(r"(?<!random)(?<!\bdf)\.sample\(|\.generate\(")


def _documented_inference_scripts(repo: Repo) -> List[Evidence]:
    """Scripts the card or docs run (``python run.py``) whose code samples or generates from the model (``kind``
    "documented-script", ``line`` the call). A training entry point counts only when no other script does, and
    only by generating or sampling (its evaluation's predict() runs no model for a user)."""
    training = {e.path for e in training_entry_points(repo)}
    scripts: List[str] = []
    for path in documentation_files(repo)[:20]:
        for _number, line, _fence in markdown_lines(repo, path):
            for match in DOCUMENTED_SCRIPT_RE.finditer(line):
                script = match.group(1).lstrip("./")
                if repo.exists(script) and script not in scripts:
                    scripts.append(script)
    found: List[Evidence] = []
    for script in [s for s in scripts if s not in training][:MAX_DOCUMENTED_SCRIPTS]:
        hit = first_code_match(repo, script, INFERENCE_CALL_RE, (".sample(", "generate", ".predict(", ".transcribe(",
                                                                  ".infer(", ".inference(", ".chat(", ".complete(",
                                                                  "sample_from_model("))
        if hit:
            found.append(Evidence(script, hit[0], "documented-script", clip(hit[1])))
    for script in ([s for s in scripts if s in training] if not found else [])[:MAX_DOCUMENTED_SCRIPTS]:
        hit = first_code_match(repo, script, TRAINING_SAMPLES_RE, (".sample(", ".generate("))
        if hit:
            found.append(Evidence(script, hit[0], "documented-script", clip(hit[1])))
            break
    return found


LAUNCHER_RE = re.compile(
    r"\b(?:torchrun|deepspeed|accelerate\s+launch|python3?\s+-m\s+torch\.distributed\.(?:launch|run)|composer|"
    r"tune\s+run|lightning\s+run|axolotl|llamafactory-cli|litgpt\s+(?:pretrain|finetune)|sbatch|srun|mpirun|"
    r"colossalai\s+run|fairseq-train|t5x\.train|nanotron)\b"
)
SCRIPT_RUNNER_RE = re.compile(r"\b(?:python3?|torchrun|deepspeed|accelerate|srun|mpirun|bash|sh)\b")
MAX_LAUNCH_SCRIPTS = 50
MAKE_TARGET_RE = re.compile(r"^([A-Za-z][\w.-]*)\s*:(?!=)")


# A command in a launch script or document: the script or module it runs.
_COMMAND_TARGET_RE = lazy(r"(?<![\w.-])([\w./-]{1,200}\.(?:py|sh|ipynb))\b|(?<!\S)-m[ \t]+([\w.]{1,200})")
# A compiled training program run from the release (`mpirun -np 8 ./train_gpt2cu`, `./build/pretrain`).
_EXECUTABLE_TRAIN_RE = lazy(r"(?<![\w.-])\.{1,2}/(?:[\w.-]{1,100}/){0,4}((?:train|pretrain|finetune)[\w-]{0,60})(?![\w./-])",
                            re.IGNORECASE)
LAUNCH_SCRIPT_SUFFIXES = (".sh", ".bash", ".sbatch", ".slurm")


@detector
def _training_entry_names(repo: Repo) -> frozenset:
    return frozenset(e.path.rsplit("/", 1)[-1].lower() for e in training_entry_points(repo))


def command_runs(repo: Repo, text: str) -> Optional[str]:
    """"training" when *text* (a command, a script) runs a training entry point (``srun python train.py``,
    ``torchrun -m pkg.pretrain``, a script the release trains with), "inference" when it runs only
    generate/chat/serve/demo entry points, else None."""
    entries = _training_entry_names(repo)
    runs = set()
    if _EXECUTABLE_TRAIN_RE.search(text[:200_000]):
        return "training"
    for match in _COMMAND_TARGET_RE.finditer(text[:200_000]):
        target = (match.group(1) or match.group(2).replace(".", "/") + ".py").rsplit("/", 1)[-1]
        if TRAIN_NAME_RE.match(target) or target.lower() in entries:
            return "training"
        if INFER_NAME_RE.match(target):
            runs.add("inference")
    return "inference" if runs else None


@detector
def launch_instructions(repo: Repo) -> List[Evidence]:
    """Documentation that shows how to start training: a line in the card or docs that names a training
    entry point file (``python train.py``, ``bash scripts/pretrain.sh``, ``notebooks/Train.ipynb``) or a
    launcher (torchrun, deepspeed, accelerate launch, sbatch...) — ``kind`` "command" / "launcher" —,
    Makefile targets whose name mentions training (``kind`` "make-target") and launch scripts that run a
    training entry point (``kind`` "script", see :func:`launch_scripts`). Paths and lines as found.
    """
    entries = training_entry_points(repo)
    names = {e.path.rsplit("/", 1)[-1].lower() for e in entries} | {e.path.lower() for e in entries}
    # `python -m pkg.train` runs src/pkg/train.py.
    for entry in entries:
        if entry.path.lower().endswith(".py") and "/" in entry.path:
            module = entry.path[:-3].lower()
            module = module[4:] if module.startswith("src/") else module
            names.add(module.replace("/", "."))
    found: List[Evidence] = []
    name_re = None
    if names:
        alternatives = "|".join(sorted(re.escape(n) for n in names))
        name_re = re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])", re.IGNORECASE)
    for path in documentation_files(repo):
        for number, line, _fence in markdown_lines(repo, path):
            if name_re is not None and name_re.search(line):
                found.append(Evidence(path, number, "command", clip(line)))
                break
            if LAUNCHER_RE.search(line):
                found.append(Evidence(path, number, "launcher", clip(line)))
                break
    # A launch script (run.sh, scripts/finetune.slurm) that runs a training entry point documents the launch with
    # every argument, even when no README names it.
    if name_re is not None:
        entry_paths = {e.path for e in entries}
        shells = [p for p in code_files(repo) if p.lower().endswith((".sh", ".bash", ".sbatch", ".slurm"))
                  and p not in entry_paths and not TEST_PATH.search(p)]
        for path in shells[:MAX_LAUNCH_SCRIPTS]:
            for number, line in enumerate(repo.lines(path)[:2000], 1):
                line = line[:MAX_LINE_CHARS]
                if not is_comment(line) and SCRIPT_RUNNER_RE.search(line) and name_re.search(line):
                    found.append(Evidence(path, number, "script", clip(line)))
                    break
    for path in repo.find_names("Makefile", "makefile", "GNUmakefile", "justfile", "Justfile"):
        for number, line in enumerate(repo.lines(path), 1):
            target = MAKE_TARGET_RE.match(line)
            if target and re.search(r"train|finetune|sft|pretrain", target.group(1), re.IGNORECASE):
                found.append(Evidence(path, number, "make-target", clip(line)))
                break
    found.extend(launch_scripts(repo))
    return found


@detector
def launch_scripts(repo: Repo) -> List[Evidence]:
    """Committed shell/Slurm scripts that run a training entry point (``srun python train.py --config ...``):
    ``kind`` "script", ``line`` the first such command (comments and ``#SBATCH`` lines are not commands)."""
    found: List[Evidence] = []
    for path in code_files(repo):
        if not path.lower().endswith(LAUNCH_SCRIPT_SUFFIXES) or TEST_PATH.search(path):
            continue
        text = repo.text(path) or ""
        if "." not in text:
            continue
        for number, line in enumerate(text.split("\n")[:2000], 1):
            if not is_comment(line) and command_runs(repo, line[:MAX_LINE_CHARS]) == "training":
                found.append(Evidence(path, number, "script", clip(line)))
                break
    return found
