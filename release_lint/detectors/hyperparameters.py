"""Hyperparameters and seeds of the training run, read from configs, code and documents (the recipe's facts)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Dict, Iterable, List, Optional, Tuple

from release_lint.detectors.code_and_docs import (
    MAX_LINE_CHARS, TEST_PATH, code_files, code_lines, config_files, documentation_files, is_comment,
)
from release_lint.detectors.entry_points import training_entry_points
from release_lint.detectors.evidence import Evidence, clip
from release_lint.repo import Repo, detector
from release_lint.textindex import TABLE_DELIMITER_RE, document_context, family_hits, file_kind, lazy, register_family, text_index

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

    @cached_property
    def value(self) -> Optional[Tuple[str, str]]:
        """(key as written, value) the line gives this hyperparameter: a table's first two cells, ``key: value`` /
        ``key = value``, ``--key value`` or ``key=value``; None when it gives none (``optimizer:`` opening a block).
        Read once, when first asked (the bills of materials ask)."""
        stripped = self.text.strip()
        pairs = []
        if stripped.startswith("|"):
            cells = [c.strip().strip("*") for c in stripped.strip("|").split("|")]
            if len(cells) > 1:
                pairs.append((cells[0], cells[1]))
        for regex in _PAIR_RES:
            pairs += [(m.group(1), m.group(2)) for m in regex.finditer(stripped)]
        for key, value in pairs:
            value = value.strip().rstrip(",").strip().strip("\"'")
            if value and not value.endswith(("{", "[", "(")) and hyperparameter_of(key) == self.name:
                return key, value
        return None


# A key and its value as a line gives them (HyperparameterKey.value; the line is clipped, so these stay cheap).
_PAIR_RES = (
    re.compile(r"^\s*[-*+]?\s*(?:\*\*)?[\"']?([\w.\-/]+)[\"']?(?:\*\*)?\s*(?::(?!:)|=(?!=))\s*([^\s#][^#]*?)\s*,?\s*(?:#.*)?$"),
    re.compile(r"(?<![\w-])--?([A-Za-z][\w.-]*)(?:[ =]+)([^\s\\-][^\s\\]*)"),
    re.compile(r"\b([A-Za-z_]\w*)\s*=\s*([^\s,()]+)"),
)


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
    context = document_context(texts)
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


def _record_keys(facts: "RecipeFacts", path: str, keys: List[HyperparameterKey], kind: str) -> bool:
    """Keep a file's hyperparameter keys; it is a source (True) when they make a training configuration."""
    if not keys:
        return False
    facts.keys[path] = keys
    names = {k.name for k in keys}
    if not is_training_configuration(names):
        return False
    first = _first_specific(keys)
    facts.sources.append(HyperparameterSource(path, first.line, kind, tuple(sorted(names)), first.text))
    return True


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
        if not keys or _record_keys(facts, path, keys, "config"):
            continue  # no keys, or a whole training configuration in one file
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
            if number is not None and is_python and SEED_CALL_RE.search(line) and not is_comment(line):
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
