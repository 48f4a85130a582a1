"""The training recipe, found by reading files as text: entry points, model code, hyperparameters, seeds, checkpoints.

Nothing here imports or runs code from the repository. Python files, shell scripts and the code cells of
notebooks are scanned line by line with bounded, linear regular expressions; configuration files are
scanned for hyperparameter keys as text (so every fact keeps its line).

Every fact is an :class:`Evidence` ``(path, line, kind, text)``: ``path`` relative POSIX, ``line``
1-based or None (a fact about a file name), ``kind`` a short label, ``text`` the matched text (at most
200 characters). Detectors return lists of them in a stable order (path, then line).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

from release_lint.detectors.files import model_card
from release_lint.repo import Repo, detector
from release_lint.textindex import TABLE_DELIMITER_RE, document_context, family_hits, file_kind, lazy, register_family, text_index

MAX_SCANNED_FILES = 4000  # code/config files read by one scan; beyond that the rest is ignored (and noted)
MAX_LINE_CHARS = 4000  # longer lines (minified JSON, data) are cut before matching
MAX_NOTEBOOK_CELLS = 2000
MAX_DOC_FILES = 200

CODE_EXTENSIONS = (".py", ".ipynb", ".sh", ".bash", ".sbatch", ".slurm")
CONFIG_EXTENSIONS = (".yaml", ".yml", ".json", ".toml", ".gin", ".cfg", ".ini", ".conf", ".jsonnet")
# Folders that hold other people's code or environments, never the release's own recipe.
SKIPPED_FOLDERS = re.compile(
    r"(?:^|/)(?:node_modules|\.venv|venv|env|site-packages|\.tox|\.git|third_party|third-party|vendor|"
    r"external|__pycache__|\.ipynb_checkpoints|dist|build)/",
    re.IGNORECASE,
)
TEST_PATH = re.compile(r"(?:^|/)(?:tests?|testing)/|(?:^|/)test_[^/]*$|_test\.py$", re.IGNORECASE)
# Hugging Face files that describe the architecture, decoding or tokenizer, never the training run.
NOT_TRAINING_CONFIGS = {
    "generation_config.json",
    "tokenizer_config.json",
    "tokenizer.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "preprocessor_config.json",
    "processor_config.json",
    "feature_extractor_config.json",
    "image_processor_config.json",
    "chat_template.json",
    "vocab.json",
    "model.safetensors.index.json",
    "pytorch_model.bin.index.json",
    "adapter_config.json",
    "quantize_config.json",
    "modules.json",
    "sentence_bert_config.json",
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    ".pre-commit-config.yaml",
    "codecov.yml",
    "mkdocs.yml",
    ".readthedocs.yaml",
    "citation.cff",
    "environment.yml",
    "environment.yaml",
}
# Documents that are not about the training run (a changelog line "support H100" documents nothing).
NOT_RECIPE_DOCS = re.compile(
    r"^(?:changelog|changes|history|news|releases?|code_of_conduct|security|licen[cs]e|copying|contributing|"
    r"authors|maintainers|governance|support)(?:[-_.][\w.-]*)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Evidence:
    """One fact with where it was found: ``line`` is None when the fact is the file itself (its name)."""

    path: str
    line: Optional[int]
    kind: str
    text: str

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "kind": self.kind, "text": self.text}


def clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- reading code, notebooks and docs ----------------------------------------------------------------------


def _eligible(path: str) -> bool:
    return not SKIPPED_FOLDERS.search("/" + path)


def notebook_code_lines(text: str) -> List[Tuple[Optional[int], str]]:
    """The code-cell lines of a notebook as ``(line in the .ipynb file or None, source line)``.

    The notebook is parsed as JSON (never run); markdown and output cells are ignored. Each source line is
    located in the raw file by its JSON encoding, searching forward only, so the cost stays linear.
    Returns [] for anything that is not a notebook.
    """
    try:
        notebook = json.loads(text)
    except (ValueError, RecursionError):
        return []
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        # nbformat 3 kept cells under worksheets.
        sheets = notebook.get("worksheets") if isinstance(notebook, dict) else None
        cells = []
        if isinstance(sheets, list):
            for sheet in sheets[:10]:
                if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list):
                    cells.extend(sheet["cells"])
    raw_lines = text.replace("\r\n", "\n").split("\n")
    cursor = 0
    found: List[Tuple[Optional[int], str]] = []
    for cell in cells[:MAX_NOTEBOOK_CELLS]:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, str):
            pieces = source.splitlines()
        elif isinstance(source, list):
            pieces = [p for p in source if isinstance(p, str)]
        else:
            continue
        for piece in pieces:
            for code_line in piece.splitlines() or [""]:
                encoded = json.dumps(code_line, ensure_ascii=False)[1:-1]
                line_number = None
                if encoded.strip():
                    # Search a bounded window ahead: outputs between cells are skipped, never rescanned.
                    for index in range(cursor, min(len(raw_lines), cursor + 400)):
                        if encoded in raw_lines[index]:
                            line_number = index + 1
                            cursor = index + 1
                            break
                found.append((line_number, code_line[:MAX_LINE_CHARS]))
    return found


def code_lines(repo: Repo, path: str) -> List[Tuple[Optional[int], str]]:
    """``(line, text)`` pairs of a code file; for a notebook only its code cells (see notebook_code_lines)."""
    if path.lower().endswith(".ipynb"):
        text = repo.text(path)
        return notebook_code_lines(text) if text else []
    return [(number, line[:MAX_LINE_CHARS]) for number, line in enumerate(repo.lines(path), 1)]


def first_code_match(
    repo: Repo, path: str, pattern: "re.Pattern[str]", literals: Tuple[str, ...] = ()
) -> Optional[Tuple[Optional[int], str]]:
    """``(line, line text)`` of the first non-comment line of a code file matching *pattern*, or None.

    Plain files are searched as one string (one regex pass, no per-line loop), and only when one of the
    *literals* (substrings every match contains) occurs; notebooks are searched by code cell.
    """
    text = repo.text(path)
    if not text or (literals and not any(literal in text for literal in literals)):
        return None
    if path.lower().endswith(".ipynb"):
        for number, line in code_lines(repo, path):
            if not _is_comment(line) and pattern.search(line):
                return number, line
        return None
    for match in pattern.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        line = text[start : end if end >= 0 else len(text)]
        if not _is_comment(line):
            return text.count("\n", 0, start) + 1, line[:MAX_LINE_CHARS]
    return None


@detector
def code_files(repo: Repo) -> List[str]:
    """Python files, notebooks and shell/Slurm scripts of the release (vendored folders skipped), capped."""
    found = [f for f in repo.files if f.lower().endswith(CODE_EXTENSIONS) and _eligible(f)]
    if len(found) > MAX_SCANNED_FILES:
        repo.source.note(f"{len(found)} code files: only the first {MAX_SCANNED_FILES} were scanned for the training recipe")
        found = found[:MAX_SCANNED_FILES]
    return found


@detector
def config_files(repo: Repo) -> List[str]:
    """YAML/JSON/TOML/Gin/INI files that may hold a training configuration (Hugging Face model files excluded)."""
    found = []
    for path in repo.files:
        name = path.rsplit("/", 1)[-1].lower()
        if not name.endswith(CONFIG_EXTENSIONS) or name in NOT_TRAINING_CONFIGS or not _eligible(path):
            continue
        if name.startswith(".") and not name.startswith(".hydra"):
            continue  # tool settings (.pre-commit, .github workflows live under .github/ and are skipped below)
        if path.lower().startswith((".github/", ".gitlab/", ".circleci/")):
            continue
        found.append(path)
    return found[:MAX_SCANNED_FILES]


@detector
def documentation_files(repo: Repo) -> List[str]:
    """Markdown/RST documents about the model: the card first, then root documents, docs/, reports, papers.

    Changelogs, licences, codes of conduct and the like are left out: they do not document the run.
    """
    card = model_card(repo)
    found: List[str] = [card] if card else []
    doc_folder = re.compile(r"^(?:docs?|paper|papers|reports?|technical[-_]report|tech[-_]report|documentation)/", re.IGNORECASE)
    report_name = re.compile(r"(?:report|paper|training|model[-_]?card|hardware|compute|reproduc)", re.IGNORECASE)
    # Sub-projects document their own run next to their code: experiments/README.md, train/GUIDE.md.
    folder_guide = re.compile(r"^(?:readme|guide|usage|howto|instructions)$", re.IGNORECASE)
    for path in repo.files:
        lower = path.lower()
        if not lower.endswith((".md", ".markdown", ".mdx", ".rst")) or path == card or not _eligible(path):
            continue
        name = path.rsplit("/", 1)[-1]
        stem = name.rsplit(".", 1)[0]
        if NOT_RECIPE_DOCS.match(stem) or lower.startswith(".github/"):
            continue
        if "/" not in path or doc_folder.match(path) or report_name.search(name) \
                or (folder_guide.match(stem) and path.count("/") <= 3):
            found.append(path)
    return found[:MAX_DOC_FILES]


def markdown_lines(repo: Repo, path: str) -> Iterator[Tuple[int, str, bool]]:
    """``(line, text, in_code_fence)`` for every line of a Markdown document (fences as the shared parser sees them)."""
    doc = repo.markdown(path)
    if doc is None:
        return
    fenced = doc.fenced()
    for number, line in enumerate(doc.lines, 1):
        yield number, line[:MAX_LINE_CHARS], number in fenced


# --- entry points -----------------------------------------------------------------------------------------

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
LM_EVAL_CONFIG_RE = re.compile(r"^\s*(?:doc_to_text|doc_to_target|output_type|task_alias|metric_list)\s*:", re.MULTILINE)
LM_EVAL_CALL_RE = re.compile(r"\blm[-_]eval\b|\blm_eval\.simple_evaluate\(|\blighteval\b|\bopencompass\b|\bevalplus\b")
# "lm_eval --model hf --tasks ...", "python -m lm_eval ...", "lighteval accelerate ...", "opencompass configs/x.py",
# "evalplus.evaluate --dataset ...": a harness invoked with arguments at the start of a command.
DOCUMENTED_HARNESS_RE = re.compile(
    r"(?:^|[\s;&|$>])(?:(?:python3?|accelerate launch)\s+(?:-m\s+)?)?(?:lm[-_]eval|lighteval|opencompass|evalplus\.\w+)"
    r"\s+(?:[\w.:/-]+\s+)?--?(?:model|tasks?|datasets?|config|model_args|model[-_]path)\b"
)
INFER_NAME_RE = re.compile(
    r"^(?:generate|generation|gen|infer|inference|predict|prediction|serve|server|serving|sample|sampling|chat|"
    r"demo|app|run_inference|run_generation|cli_demo|web_demo|api)(?:[-_.\w]*)?\.(?:py|ipynb|sh)$",
    re.IGNORECASE,
)
USAGE_SNIPPET_RE = re.compile(
    r"from_pretrained\(|\bpipeline\(|\.generate\(|\.predict\(|load_state_dict\(|\bload_model\(|torch\.hub\.load\(|"
    r"\bvllm\b|\bollama\s+run\b|\bllama-cli\b|\bllama\.cpp\b|\bmlx_lm\b|SentenceTransformer\(|timm\.create_model\(|"
    r"open_clip\.create_model|keras\.models\.load_model\(|saved_model\.load\(|InferenceSession\(|"
    r"\bpython3?\s+(?:-m\s+)?[\w./-]*(?:generate|infer|predict|sample|chat|serve|demo)[\w./-]*"
)
NETWORK_CLASS_RE = re.compile(
    r"^\s*class\s+\w+\s*\([^)]*\b(?:nn\.Module|Module|PreTrainedModel|\w+PreTrainedModel|FlaxPreTrainedModel|"
    r"nn\.Layer|keras\.Model|tf\.keras\.Model|Model|LightningModule|eqx\.Module|hk\.Module|nnx\.Module|"
    r"linen\.Module|torch\.nn\.Module)\b"
)

NETWORK_CLASS_MULTILINE_RE = re.compile(NETWORK_CLASS_RE.pattern.replace(r"^\s*class", r"^[ \t]*class", 1).replace(r"[^)]*", r"[^)\n]*", 1), re.MULTILINE)


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


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
    reports = False
    for doc_path in documentation_files(repo)[:20]:
        doc = repo.markdown(doc_path) if doc_path.lower().endswith((".md", ".markdown", ".mdx")) else None
        if doc is None:
            continue
        named = {m.lower().replace(" ", "_") for m in _METRIC_NAME_RE.findall("\n".join(doc.lines))}
        if metrics & named:
            return True
        reports = reports or any(_RESULTS_HEADING_RE.search(h.title) for h in doc.headings)
    return not reports


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


def _config_json(repo: Repo, path: str) -> Optional[dict]:
    text = repo.text(path)
    if not text or len(text) > 512 * 1024:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _json_key_line(repo: Repo, path: str, key: str) -> Optional[int]:
    pattern = re.compile(r'"' + re.escape(key) + r'"\s*:')
    for number, line in enumerate(repo.lines(path), 1):
        if pattern.search(line):
            return number
    return None


# A transformers model class (LlamaForCausalLM, GPTNeoXForCausalLM, WhisperForConditionalGeneration) imported or
# loaded, or an Auto class loading a named Hub model: the architecture is the library's.
_HEAD = (r"(?:CausalLM|MaskedLM|Seq2SeqLM|SequenceClassification|TokenClassification|QuestionAnswering|MultipleChoice|"
         r"ConditionalGeneration|SpeechSeq2Seq|CTC|ImageClassification|ObjectDetection|SemanticSegmentation|"
         r"AudioClassification|PreTraining|Vision2Seq|ImageTextToText|MaskedImageModeling)")
# Hub models from before owner/name ids ("roberta-base", "gpt2-medium"): a literal naming one is no local path.
LEGACY_HUB_MODELS = ("bert", "roberta", "distilbert", "distilroberta", "gpt2", "t5", "xlm-roberta", "albert", "electra",
                     "bart", "xlnet", "camembert", "distilgpt2", "openai-gpt", "ctrl", "xlm-mlm")
LIBRARY_MODEL_CLASS_RE = re.compile(
    r"\bfrom\s+transformers\s+import\s+[^\n#]{0,300}?\b((?!Auto)[A-Z][A-Za-z0-9]{1,40}For" + _HEAD + r"|[A-Z][A-Za-z0-9]{1,40}LMHeadModel)\b"
    r"|\b((?!Auto)[A-Z][A-Za-z0-9]{1,40}For" + _HEAD + r"|[A-Z][A-Za-z0-9]{1,40}LMHeadModel)\.from_pretrained\("
    r"|\b(AutoModel(?:For" + _HEAD + r")?)\.from_pretrained\(\s*[\"'](?:[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}|"
    r"(?:" + "|".join(LEGACY_HUB_MODELS) + r")(?:-[\w.-]{1,40})?)[\"']"
)
_HUB_MODEL_ID_RE = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}$")
# An Auto class told to run the Hub repository's own modeling code: the architecture is that code, not the library's.
_REMOTE_CODE_RE = re.compile(r"trust_remote_code\s*=\s*True")
MAX_ARCHITECTURE_FILES = 200


MAX_CALL_LINES = 15  # a from_pretrained(...) call spread over lines, one argument a line


def _call_text(lines: List[Tuple[Optional[int], str]], number: Optional[int]) -> str:
    """The text of the call that starts on line *number* of *lines* (``(line, text)`` pairs), up to the line
    that closes its parentheses or MAX_CALL_LINES lines."""
    start = next((i for i, (n, _t) in enumerate(lines) if n == number), None)
    if start is None:
        return ""
    depth, taken = 0, []
    for _n, text in lines[start : start + MAX_CALL_LINES]:
        taken.append(text)
        depth += text.count("(") - text.count(")")
        if depth <= 0:
            break
    return "\n".join(taken)


def _library_class_references(repo: Repo) -> List[Evidence]:
    """The first code file, and the first card/doc code line, that names a library model class (not when the
    call tells an Auto class to run the Hub repository's own code, ``trust_remote_code=True`` on any of its lines)."""
    found: List[Evidence] = []
    for path in code_files(repo)[:MAX_ARCHITECTURE_FILES]:
        if path.lower().endswith((".py", ".ipynb")) and not TEST_PATH.search(path):
            hit = first_code_match(repo, path, LIBRARY_MODEL_CLASS_RE, ("from_pretrained(", "from transformers"))
            if hit and not _REMOTE_CODE_RE.search(_call_text(code_lines(repo, path), hit[0]) or hit[1]):
                found.append(Evidence(path, hit[0], "library-class", clip(hit[1])))
                break
    for path in documentation_files(repo)[:20]:
        lines = None
        for number, line, in_fence in markdown_lines(repo, path):
            if in_fence and LIBRARY_MODEL_CLASS_RE.search(line):
                lines = lines or [(n, t) for n, t, _f in markdown_lines(repo, path)]
                if not _REMOTE_CODE_RE.search(_call_text(lines, number) or line):
                    found.append(Evidence(path, number, "library-class", clip(line)))
                    break
    return found


def _hub_base_models(repo: Repo) -> List[Evidence]:
    """A Hub base model an adapter or a fine-tune names (``adapter_config.json`` ``base_model_name_or_path``, the
    card's ``base_model``): its architecture is the base model's. Local paths ("/home/me/base") name nothing."""
    found: List[Evidence] = []
    for path in repo.find_names("adapter_config.json"):
        data = _config_json(repo, path) if path.count("/") <= 2 else None
        base = data.get("base_model_name_or_path") if data else None
        if isinstance(base, str) and _HUB_MODEL_ID_RE.match(base.strip()):
            found.append(Evidence(path, _json_key_line(repo, path, "base_model_name_or_path"), "base-model", clip(base)))
    card = model_card(repo)
    doc = repo.markdown(card) if card else None
    if doc is not None:
        base = doc.front_matter.mapping.get("base_model")
        base = base[0] if isinstance(base, list) and base else base
        if isinstance(base, str) and _HUB_MODEL_ID_RE.match(base.strip()):
            found.append(Evidence(card, doc.front_matter.line_of("base_model"), "base-model", clip(base)))
    return found


@detector
def standard_architectures(repo: Repo) -> List[Evidence]:
    """References to a standard library architecture: a ``config.json`` with ``model_type`` and
    ``architectures`` (transformers; ``kind`` "transformers", ``text`` "gpt_neox: GPTNeoXForCausalLM") or with
    ``_class_name`` (diffusers; ``kind`` "diffusers"), and diffusers' ``model_index.json``.
    """
    found: List[Evidence] = []
    for path in repo.find_names("config.json", "model_index.json"):
        if not _eligible(path) or path.count("/") > 2:
            continue
        data = _config_json(repo, path)
        if data is None:
            continue
        architectures = data.get("architectures")
        if isinstance(data.get("model_type"), str) and isinstance(architectures, list) and architectures:
            text = f"{data['model_type']}: {', '.join(str(a) for a in architectures[:3])}"
            found.append(Evidence(path, _json_key_line(repo, path, "architectures"), "transformers", clip(text)))
        elif isinstance(data.get("_class_name"), str) and ("_diffusers_version" in data or path.endswith("model_index.json")):
            found.append(Evidence(path, _json_key_line(repo, path, "_class_name"), "diffusers", clip(data["_class_name"])))
    return found


@detector
def named_architectures(repo: Repo) -> List[Evidence]:
    """Standard architectures named rather than configured: a transformers model class in code or in the card's code
    (``kind`` "library-class"), or a Hub base model of an adapter or fine-tune (``kind`` "base-model")."""
    return _library_class_references(repo) + _hub_base_models(repo)


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


@detector
def model_definitions(repo: Repo) -> List[Evidence]:
    """Classes that define a network (subclasses of ``nn.Module``, ``PreTrainedModel``, ``keras.Model``,
    Flax/Equinox/Haiku modules...), one per file: ``kind`` "class", ``line`` the class statement."""
    found: List[Evidence] = []
    for path in code_files(repo):
        if not path.lower().endswith((".py", ".ipynb")) or TEST_PATH.search(path):
            continue
        hit = first_code_match(repo, path, NETWORK_CLASS_MULTILINE_RE, ("class",))
        if hit:
            found.append(Evidence(path, hit[0], "class", clip(hit[1])))
    return found


# --- hyperparameters and seeds ----------------------------------------------------------------------------

# Canonical hyperparameter -> pattern over a normalised key (lowercase, "-" and spaces turned into "_",
# scope prefixes such as "optimizer." or "train." removed).
HYPERPARAMETER_KEYS: Dict[str, "re.Pattern[str]"] = {  # lazily compiled (textindex.lazy)
    "learning_rate": lazy(r"^(?:\w+_)?(?:lr|learning_rate|lr0|learningrate)$"),
    "batch_size": lazy(r"^(?:\w+_)?(?:batch_size|batchsize|bsz|batch_size_per_(?:gpu|device)|train_micro_batch_size_per_gpu|gradient_accumulation_steps|grad_accum(?:_steps)?|accumulate_grad_batches|tokens_per_batch|batch_tokens)$"),
    "warmup": lazy(r"^(?:\w+_)?warm_?up(?:_\w+)?$"),
    "weight_decay": lazy(r"^(?:\w+_)?(?:weight_decay|wd|l2_reg(?:ularization)?)$"),
    "duration": lazy(
        r"^(?:(?:max|num|total|n)_)?(?:(?:train|training)_)?(?:steps|iters|iterations|epochs)$|"
        r"^(?:(?:max|num|total)_)?(?:train|training)_tokens$|^(?:total_tokens|train_epochs|lr_decay_iters)$"
    ),
    "optimizer": lazy(r"^(?:optimizer|optimiser|optim|optimizer_name|optimizer_type|adam_beta1|adam_beta2|beta1|beta2|betas|adam_epsilon|adam_eps|momentum)$"),
    "schedule": lazy(r"^(?:lr_scheduler(?:_type)?|scheduler|schedule|lr_schedule|lr_decay_style|decay_lr|lr_decay|lr_decay_iters|decay_style|cosine_decay|min_lr_ratio)$"),
    "clipping": lazy(r"^(?:max_grad_norm|grad_clip|gradient_clipping|clip_grad|clip_grad_norm|grad_norm_clip|gradient_clip_val)$"),
    "seed": lazy(r"^(?:\w+_)?(?:seed|random_seed|rng_seed)$"),
}
# Keys a decoding or evaluation script also has; a training configuration needs one of the others too.
NOT_TRAINING_SPECIFIC = {"batch_size", "seed"}
# `key: value`, `key = value`, `"key": value`, `- key: value`, `| key | value |`, `scope.key = value`.
ASSIGNMENT_RE = lazy(r"""^\s*(?:[-*+]\s+)?(?:\*\*)?["']?([A-Za-z_][\w.\-/]{0,80}?)["']?(?:\*\*)?\s*(?::(?!:)|=(?!=))\s*(.{0,60})""")
PYTHON_LITERAL_RE = lazy(r"""^(?:[-+]?\.?\d|["'\[({]|True\b|False\b)""")
TABLE_ROW_RE = lazy(r"^\s*\|\s*(?:\*\*)?([A-Za-z][A-Za-z0-9 _./()-]{0,60}?)(?:\*\*)?\s*\|\s*([^|\s][^|]{0,200})\|")
CLI_FLAG_RE = lazy(r"(?<![\w-])--?([A-Za-z][\w.-]{0,60})(?:[ =]+)([^\s\\-][^\s\\]{0,60}|-?\d[^\s\\]{0,40})")
KWARG_RE = lazy(r"\b([A-Za-z_]\w{0,60})\s*=\s*(?:[-+]?\d|\(|\[|[\"'](?:adam|sgd|cosine|linear|lion|adafactor|constant))", re.IGNORECASE)
# Keys inside one-line JSON or YAML flow mappings: `{"lr": 3e-4, "wd": 0.1}`, `{lr: 3e-4}`.
INLINE_KEY_RE = lazy(r"""[{,]\s*["']?([A-Za-z_][\w.\-]{0,60})["']?\s*:""")
ARGPARSE_RE = lazy(r"""add_argument\(\s*["']-?-?([A-Za-z][\w-]{0,60})["']""")
OPTIMIZER_VALUE_RE = lazy(r"\b(?:torch\.optim\.\w+|optax\.\w+|AdamW|Adafactor|Lion|Sophia|Muon|DistributedFusedAdam)\b")
SEED_CALL_RE = lazy(
    r"\b(?:torch\.manual_seed|torch\.cuda\.manual_seed_all|set_seed|seed_everything|np\.random\.seed|random\.seed|"
    r"tf\.random\.set_seed|jax\.random\.PRNGKey|jax\.random\.key|keras\.utils\.set_random_seed)\(\s*[^)\s]"
)
SEED_PROSE_RE = lazy(r"(?<![-\w])(?:random\s+)?seeds?\b[^.\n]{0,40}?\b\d+\b|\b\d+\s+(?:random\s+)?seeds\b", re.IGNORECASE)
PYTHON_CONFIG_PATH_RE = lazy(r"(?:^|/)(?:configs?|conf|hparams|hyperparameters|recipes|experiments)/|(?:config|hparams|hyperparam\w*|args|arguments|settings)[^/]*\.py$", re.IGNORECASE)
CONFIG_TREE_RE = lazy(r"^(.*?(?:^|/)(?:configs?|conf|hparams|hyperparameters|recipes|experiments|hydra)/)", re.IGNORECASE)


def normalise_key(key: str) -> str:
    key = key.strip().strip("*`_ ").lower()
    key = re.sub(r"[\s\-]+", "_", key)
    key = re.sub(r"\(.*?\)", "", key).strip("_")
    # Scoped names: `optimizer.lr`, `train/learning_rate`, `TrainLoop.learning_rate` -> the last part.
    for separator in (".", "/"):
        if separator in key:
            key = key.rsplit(separator, 1)[-1]
    return key


@lru_cache(maxsize=4096)
def hyperparameter_of(key: str) -> Optional[str]:
    """The canonical hyperparameter a key names (``"train_batch_size"`` -> ``"batch_size"``), or None."""
    normal = normalise_key(key)
    if not normal or len(normal) > 60:
        return None
    for canonical, pattern in HYPERPARAMETER_KEYS.items():
        if pattern.match(normal):
            return canonical
    return None


@dataclass(frozen=True)
class HyperparameterKey:
    name: str  # canonical, e.g. "learning_rate"
    line: int
    text: str


# Masked keywords (textindex.mask) that every hyperparameter key, optimiser value or prose statement holds:
# the per-line patterns run only on lines holding one of them.
HYPERPARAMETER_KEYWORDS = (
    "lr", "learning", "batch", "bsz", "accum", "warm", "decay", "wd", "l#_reg", "step", "iter", "epoch", "token",
    "optim", "adam", "beta", "eps", "momentum", "schedul", "clip", "grad", "seed", "sgd", "lion", "adafactor",
    "sophia", "muon", "optax",
)
register_family("hyperparameters", HYPERPARAMETER_KEYWORDS)
# Prose and bold bullets: "a learning rate of 2e-4", "effective batch-size of 4M tokens", "**Learning rate:** 3e-4",
# "2,000 warmup steps", "for 3 epochs". Bounded: short alternations, no nested repetition.
_PROSE_NAME = (
    r"(?:(?:peak|initial|base|max(?:imum)?|global|effective|total|micro|per[- ]device)[ \t-])?"
    r"(?:learning[ -]rates?|batch[ -]sizes?|warm-?up(?:[ -]steps)?|weight[ -]decay|gradient[ -]clipping|lr)"
)
PROSE_HYPERPARAMETER_RE = lazy(
    r"(?<![\w-])(" + _PROSE_NAME + r")(?:[ \t]*\*\*)?[ \t]*(?:of|=|:|：|is|was|was set to|set to|to)?[ \t]*(?:\*\*)?[ \t]*"
    r"(?:~|≈|about[ \t]|around[ \t])?[ \t]*\d"
    r"|(?<![\w.])\d[\d,.]{0,9}[ \t]?[kKM]?[ \t]+(warm-?up[ -]steps|epochs|training[ -]steps|optimi[sz]er[ -]steps)\b",
    re.IGNORECASE,
)
PROSE_WORDS = ("learning ", "learning-", "batch ", "batch-", "warmup", "warm-up", "decay", "clipping", "lr ", "lr:",
               "lr=", "epochs", "steps")
MAX_TABLE_ROWS = 200
MAX_PARSED_LINES = 50_000
_PARSED_KEYS: Dict[Tuple[str, str], List[Tuple[str, str]]] = {}  # (style, line) -> [(key, quoted text)]
# Contexts whose hyperparameters are not the training run's (a `--batch_size` in a serving example).
NOT_TRAINING_TOPICS = {"inference", "evaluation", "deployment", "support", "news", "link"}


def _hyperparameter_line(line: str, number: int, style: str, found: List["HyperparameterKey"]) -> None:
    """The keys of one line that holds a hyperparameter keyword (see extract_hyperparameter_keys)."""
    candidates: List[str] = []
    stripped = line.strip()
    if not stripped or (stripped.startswith("#") and style != "markdown"):
        return
    if style in ("config", "python", "markdown"):
        match = ASSIGNMENT_RE.match(line)
        value = match.group(2).strip() if match else ""
        if match and (style == "config" or (style == "markdown" and value) or PYTHON_LITERAL_RE.match(value)):
            candidates.append(match.group(1))
    if style == "markdown":
        row = TABLE_ROW_RE.match(line)
        if row:
            candidates.append(row.group(1))
        lower = line.lower()
        if any(word in lower for word in PROSE_WORDS):
            for match in PROSE_HYPERPARAMETER_RE.finditer(line):
                candidates.append(match.group(1) or match.group(2))
    if style in ("python", "shell", "markdown"):
        candidates.extend(m.group(1) for m in CLI_FLAG_RE.finditer(line))
    if style == "python":
        candidates.extend(m.group(1) for m in KWARG_RE.finditer(line))
        candidates.extend(m.group(1) for m in ARGPARSE_RE.finditer(line))
    if style == "config" and "{" in line:
        candidates.extend(m.group(1) for m in INLINE_KEY_RE.finditer(line))
    names: List[str] = []
    if style == "config" and ":" in line and OPTIMIZER_VALUE_RE.search(line):
        names.append("optimizer")
    for candidate in candidates:
        canonical = hyperparameter_of(candidate)
        if canonical and canonical not in names:  # one key per hyperparameter and line
            names.append(canonical)
    if names:
        quoted = clip(line)
        found.extend(HyperparameterKey(name, number, quoted) for name in names)


def _cells(row: str) -> List[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return [cell.strip() for cell in row.split("|")]


def _column_table(texts: List[str], index: int, number_of, found: List["HyperparameterKey"]) -> List[int]:
    """A table whose header row (``texts[index]``) names hyperparameter columns: one key per column that has
    a number in some body row, at that row ("| Model | LR | Batch size |" over "| 1B | 3e-4 | 2M |").
    Returns the 0-based indexes of the rows the keys were found at."""
    columns = {position: hyperparameter_of(cell) for position, cell in enumerate(_cells(texts[index])[:40])}
    columns = {position: name for position, name in columns.items() if name}
    rows: List[int] = []
    if not columns:
        return rows
    seen = set()
    for row_index in range(index + 2, min(len(texts), index + 2 + MAX_TABLE_ROWS)):
        row = texts[row_index][:MAX_LINE_CHARS]
        if "|" not in row:  # GFM body rows need no leading pipe ("Llama 2|7B|...|3.0 x 10^-4")
            break
        cells = _cells(row)
        for position, name in columns.items():
            if name not in seen and position < len(cells) and any(c.isdigit() for c in cells[position]):
                seen.add(name)
                found.append(HyperparameterKey(name, number_of(row_index), clip(row)))
                rows.append(row_index)
    return rows


def extract_hyperparameter_keys(lines: Iterable[Tuple[Optional[int], str]], *, style: str) -> List[HyperparameterKey]:
    """Hyperparameter keys named in *lines* (``(line, text)`` pairs), read as *style*:

    - ``"config"`` (YAML/JSON/TOML/Gin/INI): ``key: value`` / ``key = value`` lines, plus an optimiser class as a value;
    - ``"python"``: module-level or dataclass assignments, keyword arguments with literal values, argparse flags;
    - ``"shell"``: command-line flags with a value (``--lr 3e-4``);
    - ``"markdown"`` (*lines* the whole document): key-value table rows, tables whose header row names
      hyperparameter columns, list items and ``key: value`` lines, prose ("a learning rate of 2e-4"), flags
      inside code; a key whose context (sentence, paragraph, table, section) is about inference, evaluation,
      deployment, requirements or news is left out.

    Only lines holding a hyperparameter keyword (textindex family "hyperparameters") are parsed. Pure and
    linear: every regex is anchored or bounded, lines are cut at MAX_LINE_CHARS. Never raises.
    """
    numbered = [(number, raw) for number, raw in lines if number is not None]
    texts = [raw for _number, raw in numbered]
    hits = family_hits(texts, "hyperparameters")
    if style != "markdown":
        return _keys_from_hits(hits, style, texts, lambda position: numbered[position - 1][0])
    from release_lint.mdparse import fenced_line_numbers

    context = document_context(texts, fenced_line_numbers(texts))
    return _keys_from_hits(hits, style, texts, lambda position: numbered[position - 1][0], context)


def _keys_from_hits(hits: List[Tuple[int, str]], style: str, texts: List[str], number_of, context=None) -> List[HyperparameterKey]:
    """The keys in *hits* (``(position in texts, line)``, 1-based, the lines holding a hyperparameter keyword);
    for Markdown also column tables under a hit header row, and only keys whose *context* (a textindex
    DocumentContext over *texts*) is not about something other than training."""
    found: List[HyperparameterKey] = []
    positions: List[int] = []
    for position, line in hits:
        number = number_of(position)
        cached = _PARSED_KEYS.get((style, line))
        if cached is not None:
            found.extend(HyperparameterKey(name, number, text) for name, text in cached)
        else:
            before = len(found)
            _hyperparameter_line(line, number, style, found)
            if len(line) <= 400 and len(_PARSED_KEYS) < MAX_PARSED_LINES:  # repeated lines: parsed once per process
                _PARSED_KEYS[(style, line)] = [(key.name, key.text) for key in found[before:]]
        positions.extend([position] * (len(found) - len(positions)))
    if style != "markdown" or not hits:
        return found
    for position, line in hits:
        if line.lstrip().startswith("|") and position < len(texts) and TABLE_DELIMITER_RE.match(texts[position][:MAX_LINE_CHARS]):
            rows = _column_table(texts, position - 1, lambda index: number_of(index + 1), found)
            positions.extend(row + 1 for row in rows)
    kept = [(key, at) for key, at in zip(found, positions) if context is None or context.context(at).topic not in NOT_TRAINING_TOPICS]
    return [key for key, _at in sorted(kept, key=lambda pair: pair[0].line)]


def is_training_configuration(names: Iterable[str]) -> bool:
    """Two or more distinct hyperparameters, at least one that only training has (not batch size or seed)."""
    distinct = set(names)
    return len(distinct) >= 2 and bool(distinct - NOT_TRAINING_SPECIFIC)


@dataclass(frozen=True)
class HyperparameterSource:
    """A file (or a config tree) that holds a training configuration.

    ``path``/``line``: the file and the line of its first training-specific key (None for a binary
    ``training_args.bin``); ``kind``: "config" (YAML/JSON/TOML/Gin/INI), "config-tree" (a Hydra/OmegaConf folder
    whose files together hold the configuration; ``path`` is its first file), "python" (a Python config or
    argument defaults), "script" (flags in a launch script), "card" (a hyperparameter table or list in
    Markdown), "trainer-state" (``trainer_state.json`` / ``training_args.json`` / ``training_args.bin``);
    ``names``: the canonical hyperparameters found, sorted.
    """

    path: str
    line: Optional[int]
    kind: str
    names: Tuple[str, ...]
    text: str

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "kind": self.kind, "names": list(self.names), "text": self.text}


@dataclass
class RecipeFacts:
    """Every hyperparameter key seen (``keys``: path -> keys) and the files that amount to a configuration."""

    sources: List[HyperparameterSource] = field(default_factory=list)
    keys: Dict[str, List[HyperparameterKey]] = field(default_factory=dict)
    seeds: List[Evidence] = field(default_factory=list)


def _first_specific(keys: List[HyperparameterKey]) -> HyperparameterKey:
    return next((k for k in keys if k.name not in NOT_TRAINING_SPECIFIC), keys[0])


def _record_keys(facts: "RecipeFacts", path: str, keys: List[HyperparameterKey], kind: str) -> None:
    """Keep a file's hyperparameter keys; it is a source when they make a training configuration."""
    if not keys:
        return
    facts.keys[path] = keys
    names = {k.name for k in keys}
    if is_training_configuration(names):
        first = _first_specific(keys)
        facts.sources.append(HyperparameterSource(path, first.line, kind, tuple(sorted(names)), first.text))


@detector
def recipe_facts(repo: Repo) -> RecipeFacts:
    """Hyperparameter sources and seed statements (see :class:`HyperparameterSource`, :class:`RecipeFacts`).

    ``seeds`` are :class:`Evidence` with ``kind`` "config" (a seed key), "code" (``torch.manual_seed(...)``,
    ``set_seed(...)``...) or "doc" (a seed stated in prose).
    """
    facts = RecipeFacts()
    trees: Dict[str, List[Tuple[str, List[HyperparameterKey]]]] = {}
    index = text_index(repo)
    for path in config_files(repo):
        name = path.rsplit("/", 1)[-1].lower()
        if file_kind(repo, path) != "config":
            continue  # evaluation results, lock and generated files hold no training configuration
        # Only the lines holding a hyperparameter keyword, from the run's one pass over the file.
        hits = index.hits(path, "hyperparameters")
        if name in ("trainer_state.json", "training_args.json"):
            keys = extract_hyperparameter_keys(hits, style="config")
            facts.keys[path] = keys
            line = keys[0].line if keys else 1
            facts.sources.append(HyperparameterSource(path, line, "trainer-state", tuple(sorted({k.name for k in keys})), name))
            continue
        keys = extract_hyperparameter_keys(hits, style="config")
        if not keys:
            continue
        facts.keys[path] = keys
        names = {k.name for k in keys}
        if is_training_configuration(names):
            first = _first_specific(keys)
            facts.sources.append(HyperparameterSource(path, first.line, "config", tuple(sorted(names)), first.text))
            continue
        tree = CONFIG_TREE_RE.match(path)
        if tree:
            trees.setdefault(tree.group(1), []).append((path, keys))
    # Hydra / OmegaConf trees spread one configuration over folders (optimizer/adamw.yaml, trainer/default.yaml).
    for _root, members in sorted(trees.items()):
        names = {k.name for _path, keys in members for k in keys}
        if is_training_configuration(names):
            path, keys = next(((p, ks) for p, ks in members if any(k.name not in NOT_TRAINING_SPECIFIC for k in ks)), members[0])
            first = _first_specific(keys)
            facts.sources.append(HyperparameterSource(path, first.line, "config-tree", tuple(sorted(names)), first.text))
    for path in repo.find_names("training_args.bin"):
        facts.sources.append(HyperparameterSource(path, None, "trainer-state", (), "training_args.bin (binary; not read)"))

    training_paths = {e.path for e in training_entry_points(repo)}
    for path in code_files(repo):
        lower = path.lower()
        is_python = lower.endswith((".py", ".ipynb"))
        # Seeds and keyword arguments in a decoding or evaluation script say nothing about the training run.
        if TEST_PATH.search(path) or (is_python and path not in training_paths and not PYTHON_CONFIG_PATH_RE.search(path)):
            continue
        lines = code_lines(repo, path)
        keys = extract_hyperparameter_keys(lines, style="python" if is_python else "shell")
        for number, line in lines:
            if number is not None and is_python and SEED_CALL_RE.search(line) and not _is_comment(line):
                facts.seeds.append(Evidence(path, number, "code", clip(line)))
                break
        _record_keys(facts, path, keys, "python" if is_python else "script")

    for path in documentation_files(repo):
        # The document's lines holding a hyperparameter keyword (seeds included), from the run's one pass.
        hits = index.hits(path, "hyperparameters")
        doc = repo.markdown(path) if hits else None
        if doc is None:
            continue
        keys = _keys_from_hits(hits, "markdown", doc.lines, lambda position: position, index.context(path))
        for number, line in hits:
            if "seed" in line.lower() and SEED_PROSE_RE.search(line):
                facts.seeds.append(Evidence(path, number, "doc", clip(line)))
                break
        _record_keys(facts, path, keys, "card")

    documents = set(documentation_files(repo))
    for path, keys in facts.keys.items():
        if path in documents:
            continue  # a `--seed 7` in a usage example is not the run's seed; prose seeds were taken above
        seed = next((k for k in keys if k.name == "seed"), None)
        if seed is not None:
            facts.seeds.append(Evidence(path, seed.line, "config", seed.text))
    facts.sources.sort(key=lambda s: (s.path, s.line or 0))
    facts.seeds.sort(key=lambda e: (e.path, e.line or 0))
    return facts


# --- launch documentation and checkpoints -----------------------------------------------------------------

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
                if not _is_comment(line) and SCRIPT_RUNNER_RE.search(line) and name_re.search(line):
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
            if not _is_comment(line) and command_runs(repo, line[:MAX_LINE_CHARS]) == "training":
                found.append(Evidence(path, number, "script", clip(line)))
                break
    return found


CHECKPOINT_FOLDER_RE = re.compile(
    r"(?:^|/)(?:checkpoint[-_]\d+|global[-_]?step[-_]?\d+|step[-_]?\d+|ckpt[-_]?\d+|iter_\d+|epoch[-_]?\d+|"
    r"checkpoints|intermediate[-_]checkpoints)/",
    re.IGNORECASE,
)
CHECKPOINT_TEXT_RE = re.compile(
    r"\b(?:intermediate|training|pre-?training|partially[- ]trained)\s+checkpoints\b|"
    r"revision\s*=\s*[\"'](?:step|global[-_]?step|ckpt|checkpoint|iter|stage)[\w-]*\d|"
    r"/tree/(?:step|global[-_]?step|ckpt|checkpoint|iter|stage)[\w-]*\d|"
    r"\bcheckpoints?\s+(?:every|at every|saved every|for every)\s+[\d,]+\s*(?:steps|tokens|iterations|B|M)\b",
    re.IGNORECASE,
)
NEGATION_RE = re.compile(r"\b(?:no|not|never|without|unavailable|withheld|won't|will not)\b", re.IGNORECASE)


@detector
def intermediate_checkpoints(repo: Repo) -> List[Evidence]:
    """Intermediate checkpoints listed: checkpoint folders in the release (``checkpoint-1000/``, ``step5000/``,
    ``global_step250/``; ``kind`` "folder", ``line`` None, one per folder) or card/doc lines that list them
    (``revision="step1000"``, ``/tree/step-1000`` links, "intermediate checkpoints", "checkpoints every 250
    steps"; ``kind`` "doc"). A line that denies them ("we do not release intermediate checkpoints") does not count.
    """
    found: List[Evidence] = []
    seen_folders = set()
    for path in repo.files:
        match = CHECKPOINT_FOLDER_RE.search(path)
        if match and _eligible(path):
            folder = path[: match.end()]
            if folder not in seen_folders:
                seen_folders.add(folder)
                found.append(Evidence(folder.rstrip("/"), None, "folder", folder))
    for path in documentation_files(repo):
        for number, line, _fence in markdown_lines(repo, path):
            if CHECKPOINT_TEXT_RE.search(line) and not NEGATION_RE.search(line):
                found.append(Evidence(path, number, "doc", clip(line)))
                break
    return found
