"""One pass over the text of the files the statement detectors read, and the context of every line they keep.

Most lines of a release say nothing about hardware or hyperparameters, and most of the rest repeat each other
(evaluation results, configs that differ only in their numbers). So each file is read once, its lines are
lower-cased with digits masked and runs of blanks folded, and every *distinct* masked line is classified once
per run by the literal keywords of each family (``hardware``, ``hyperparameters``; other detectors register
theirs with :func:`register_family`). A family's detailed patterns then run only on lines holding one of its
keywords, so the cost grows with files and matches, not with lines. The keywords of a family must be a
superset: every statement its patterns can find contains one of them (in masked form).

Every kept line can be asked for its :class:`Context`: the heading path above it (ATX/setext headings of any
level and bold pseudo-headings such as ``**Training Data**``), its paragraph, the header row of its table,
and the topic that context is about (training, or something else: inference, evaluation, deployment,
support/requirements, news, a link title). The topic words are data (:data:`TOPIC_WORDS`), so more languages
can be added.

Files that cannot hold these statements (evaluation results, data files, lock files, generated JSON) are
classified once by :func:`file_kind` and skipped by the detectors that do not need them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from release_lint.mdparse import Heading, parse_headings, with_pseudo_headings
from release_lint.repo import Repo, detector

MAX_LINE_CHARS = 4000  # longer lines are cut before matching (minified JSON, data)
MAX_SCANNED_LINES = 200_000  # lines of one file that are classified; the rest is ignored (noted)
MAX_HIT_LINES = 5_000  # lines of one file, per family, handed to the detailed patterns (noted)
MAX_DISTINCT_LINES = 200_000  # distinct masked lines remembered per run (then lines are classified uncached)
MAX_REMEMBERED_CHARS = 400  # longer lines are classified every time: they rarely repeat, and memory stays bounded
MAX_CONTEXT_LINES = 40  # lines walked up or down to find a paragraph, a table header or a bold heading

_MASK = str.maketrans("0123456789\t", "########## ")


class LazyPattern:
    """A regular expression compiled on first use, so importing a detector costs no compilation.

    After the first call its ``search``/``match``/``finditer``/... are the compiled pattern's own methods.
    """

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self.flags = flags

    def compiled(self) -> "re.Pattern[str]":
        compiled = re.compile(self.pattern, self.flags)
        for name in ("search", "match", "fullmatch", "finditer", "findall", "sub", "split"):
            setattr(self, name, getattr(compiled, name))
        self.compiled = lambda: compiled  # type: ignore[method-assign]
        return compiled

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.compiled(), name)


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)


# --- keyword families ------------------------------------------------------------------------------------

FAMILIES: Dict[str, Tuple[str, ...]] = {}


def register_family(name: str, keywords: Iterable[str]) -> None:
    """Declare the literal keywords of a statement family, in masked form (lower case, digits as ``#``,
    tabs and runs of spaces as one space). Every statement the family's patterns find must contain one."""
    FAMILIES[name] = tuple(dict.fromkeys(k for k in keywords if k))
    _CLASSIFIER.clear()


def mask(text: str) -> str:
    """Lower case, digits as ``#``, tabs as spaces, runs of spaces as one: the form keywords are written in."""
    masked = text.lower().translate(_MASK)
    while "  " in masked:
        masked = masked.replace("    ", " ").replace("  ", " ")
    return masked


class _Classifier:
    """Distinct masked line -> the families whose keywords it holds, remembered for the whole run."""

    def __init__(self) -> None:
        self.seen: Dict[str, FrozenSet[str]] = {}

    def clear(self) -> None:
        self.seen.clear()

    def families(self, masked: str) -> FrozenSet[str]:
        found = self.seen.get(masked)
        if found is None:
            found = frozenset(name for name, words in FAMILIES.items() if any(word in masked for word in words))
            if len(masked) <= MAX_REMEMBERED_CHARS and len(self.seen) < MAX_DISTINCT_LINES:
                self.seen[masked] = found
        return found


_CLASSIFIER = _Classifier()
_NONE: FrozenSet[str] = frozenset()


def classify_lines(lines: Sequence[str], masked_lines: Optional[Sequence[str]] = None) -> List[FrozenSet[str]]:
    """The families of each line (same order)."""
    if masked_lines is None:
        masked_lines = [mask(line[:MAX_LINE_CHARS]) for line in lines]
    families = _CLASSIFIER.families
    return [families(m) if m.strip() else _NONE for m in masked_lines]


def family_hits(lines: Sequence[str], family: str, first: int = 1) -> List[Tuple[int, str]]:
    """``(line number, text)`` of the lines holding a keyword of *family* (numbers start at *first*)."""
    return [(first + i, lines[i][:MAX_LINE_CHARS]) for i, fams in enumerate(classify_lines(lines)) if family in fams]


def first_line(lines: List[str], pattern: "re.Pattern[str]", start: int = 1, stop: Optional[int] = None) -> Optional[int]:
    """The number (1-based) of the first line from *start* to *stop* (both included) that *pattern* finds."""
    end = min(len(lines), stop or len(lines))
    for number in range(max(start, 1), end + 1):
        if pattern.search(lines[number - 1]):
            return number
    return None


# --- what kind of file ------------------------------------------------------------------------------------

DOC_SUFFIXES = (".md", ".markdown", ".mdx", ".rst")
SCRIPT_SUFFIXES = (".sh", ".bash", ".sbatch", ".slurm")
DATA_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".tsv", ".parquet", ".arrow", ".txt.gz", ".npy", ".npz", ".pkl")
LOCK_NAMES = {"package-lock.json", "yarn.lock", "poetry.lock", "pipfile.lock", "pdm.lock", "uv.lock", "cargo.lock",
              "composer.lock", "gemfile.lock", "pnpm-lock.yaml", "conda-lock.yml", "conda-lock.yaml"}
GENERATED_NAMES = {"tokenizer.json", "vocab.json", "merges.txt", "special_tokens_map.json", "added_tokens.json",
                   "model.safetensors.index.json", "pytorch_model.bin.index.json"}
# Result files of evaluation runs: by folder, by name, or by their first bytes.
# Folders that hold results only, and folders that often do (their JSON files are checked by their first bytes).
_RESULT_FOLDER_RE = lazy(r"(?:^|/)(?:results?|eval[-_]?results?|evaluation[-_]?results?|eval[-_]?outputs?|"
                         r"predictions?|leaderboards?|scores?)/", re.IGNORECASE)
_MAYBE_RESULT_FOLDER_RE = lazy(r"(?:^|/)(?:outputs?|generations?|logs?|runs?|samples?)/", re.IGNORECASE)
_RESULT_NAME_RE = lazy(r"(?:^|[-_.])(?:results?|metrics?|scores?|predictions?|preds|leaderboard|evals?|evaluation|"
                       r"outputs?|samples?|generations?)(?:[-_.][^/]*)?\.jsonl?$", re.IGNORECASE)
_RESULT_HEAD_RE = lazy(r'"(?:results|acc|acc_norm|exact_match|f1|em|pass@1|rouge\w*|bleu|accuracy|perplexity|'
                       r'score|scores|metrics)"\s*:', re.IGNORECASE)


@detector
def _file_kinds(repo: Repo) -> Dict[str, str]:
    return {}


def file_kind(repo: Repo, path: str) -> str:
    """What *path* is, decided once per run: "doc", "script", "config", "eval-result", "data", "lock",
    "generated" or "other". Only "doc", "script" and "config" can hold hardware or hyperparameter statements
    of the release (an evaluation result names the GPU it was scored on, not the one that trained)."""
    kinds = _file_kinds(repo)
    kind = kinds.get(path)
    if kind is None:
        kind = kinds[path] = _kind_of(repo, path)
    return kind


def _kind_of(repo: Repo, path: str) -> str:
    lower = path.lower()
    name = lower.rsplit("/", 1)[-1]
    if name in LOCK_NAMES or name.endswith(".lock"):
        return "lock"
    if name in GENERATED_NAMES:
        return "generated"
    if lower.endswith(DOC_SUFFIXES):
        return "doc"
    if lower.endswith(SCRIPT_SUFFIXES):
        return "script"
    if lower.endswith(DATA_SUFFIXES):
        return "data"
    if lower.endswith((".json", ".yaml", ".yml")):
        if lower.endswith(".json"):
            if _RESULT_NAME_RE.search(name) or _RESULT_FOLDER_RE.search(lower):
                return "eval-result"
            if _MAYBE_RESULT_FOLDER_RE.search(lower):
                # Uncached: the whole file is not needed, and caching thousands of result files costs memory.
                head = (repo.source.read(path, 2048) or b"").decode("utf-8", "replace")
                if _RESULT_HEAD_RE.search(head):
                    return "eval-result"
        return "config"
    if lower.endswith((".toml", ".gin", ".cfg", ".ini", ".conf", ".jsonnet")):
        return "config"
    return "other"


# --- topics -----------------------------------------------------------------------------------------------

# Topic -> words (lower case). Latin-script words match whole words (a prefix ending in "*" matches any ending;
# a phrase matches as a substring); other scripts match as substrings. "hardware" is a weak training topic: a
# Hardware or Compute section of a release describes the training run unless it also names another topic.
TOPIC_WORDS: Dict[str, Tuple[str, ...]] = {
    "training": (
        "train", "trained", "training", "trains", "pretrain*", "pre-train*", "finetun*", "fine-tun*", "sft",
        "gpu hours", "gpu-hours", "tpu hours", "gpu·hours", "wall-clock", "wall clock", "run takes", "run took",
        "训练", "预训练", "微调", "训练时间", "耗时",
    ),
    "hardware": (
        "hardware", "compute", "compute infrastructure", "infrastructure", "environmental impact", "carbon",
        "emissions", "technical specifications", "hours used", "cluster", "co2_eq_emissions", "hardware_used",
        "硬件", "算力", "显卡", "计算资源",
    ),
    "inference": (
        "inference", "infer", "serve", "serving", "server", "generate", "generation", "chat", "demo", "usage",
        "quickstart", "quick start", "getting started", "how to use", "run the model", "running the model",
        "predict", "prediction", "sampling", "推理", "使用", "快速开始",
    ),
    "evaluation": ("eval", "evaluate", "evaluation", "evaluations", "benchmark*", "results", "leaderboard", "评测", "评估"),
    "deployment": ("deploy", "deployment", "deploying", "production", "docker", "kubernetes", "部署"),
    "support": (
        "requirements", "requirement", "supported", "support matrix", "compatibility", "compatible", "ci",
        "installation", "install", "prerequisites", "system requirements", "环境", "安装", "要求",
    ),
    "news": ("news", "changelog", "update", "updates", "release notes", "what's new", "whats new", "announcement",
             "announcements", "blog", "新闻", "更新", "动态", "公告"),
}
_TOPIC_ORDER = ("training", "inference", "evaluation", "deployment", "support", "news", "hardware")
# A date after at most a few marks: "- 2025-03", "**[2023/07/25]**", "🔥 2024.05".
_DATE_ITEM_RE = lazy(r"^\s*\W{0,6}(?:19|20)\d\d[-./]\d\d?(?:[-./]\d\d?)?\b")
TABLE_DELIMITER_RE = lazy(r"^[ \t]*(?:\|[ \t]*)?:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")


_WORD_RE = lazy(r"[a-z][a-z'-]{0,40}")
_TOPIC_INDEX: List[object] = []  # [word -> topics, (prefix, topic) pairs, all prefixes, (substring, topic) pairs]


def _topic_index() -> List[object]:
    """One table for every topic: whole words, word prefixes ("pretrain*"), and substrings (phrases and
    words of other scripts), built on first use."""
    if not _TOPIC_INDEX:
        words: Dict[str, set] = {}
        prefixes: List[Tuple[str, str]] = []
        substrings: List[Tuple[str, str]] = []
        for topic in _TOPIC_ORDER:
            for word in TOPIC_WORDS[topic]:
                if not word.isascii() or not re.fullmatch(r"[a-z'-]+\*?", word):
                    substrings.append((word, topic))
                elif word.endswith("*"):
                    prefixes.append((word[:-1], topic))
                else:
                    words.setdefault(word, set()).add(topic)
        _TOPIC_INDEX.extend([words, prefixes, tuple(p for p, _t in prefixes), substrings])
    return _TOPIC_INDEX


def topics_in(text: str) -> List[str]:
    """The topics *text* names, in :data:`_TOPIC_ORDER`: one tokenising pass, then dictionary look-ups (a
    regex alternation over every topic word would cost microseconds per character)."""
    words, prefixes, all_prefixes, substrings = _topic_index()
    lower = text.lower()[:MAX_LINE_CHARS]
    found = set()
    for token in set(_WORD_RE.findall(lower)):
        parts = [token] + token.split("-") if "-" in token else (token,)
        for part in parts:
            topics = words.get(part)
            if topics:
                found.update(topics)
            if part.startswith(all_prefixes):
                found.update(topic for prefix, topic in prefixes if part.startswith(prefix))
    for substring, topic in substrings:
        if topic not in found and substring in lower:
            found.add(topic)
    return [topic for topic in _TOPIC_ORDER if topic in found]


# "Pretrained Models", "Fine-tuned Chat Models": a heading naming model variants is about the models, not about
# training them (the commands under it run inference).
_MODEL_VARIANT_RE = lazy(r"\b(?:pre-?trained|fine-?tuned|finetuned|instruction-tuned)\s+(?:[\w-]+\s+){0,2}?"
                         r"(?:models?|checkpoints?|weights)\b", re.IGNORECASE)


# Topics that say what kind of statement a level holds, not which activity it is about: a level naming only these
# leaves the decision to the outer levels. Requirements under a training heading are the training's hardware;
# hardware named with no activity anywhere counts as training, requirements with none stay requirements.
_QUALIFYING_TOPICS = ("support", "hardware")


def decide_topic(levels: Iterable[str]) -> Optional[str]:
    """The topic of a statement from its context, innermost level first (sentence, paragraph, table header,
    headings from the nearest out). The first level that names an activity decides: training wins over the
    others there; "support" (requirements) and the weak "hardware" topic leave the decision to outer levels,
    and when none decides, "support" stays and "hardware" counts as training."""
    topic = _level_topic(levels)
    return "training" if topic == "hardware" else topic


def _weaker(first: Optional[str], second: Optional[str]) -> Optional[str]:
    """Of two qualifying topics (or None), the one that wins when no level names an activity: "support"."""
    return "support" if "support" in (first, second) else first or second


def _level_topic(levels: Iterable[str], prose: bool = False) -> Optional[str]:
    """As :func:`decide_topic`, but gives the qualifying topic itself ("support" or "hardware") when no level
    names an activity: an outer level that does decides ("compute buffer" in the log of an inference example,
    "requirements" in a fine-tuning section). In *prose* (a sentence or paragraph) the news words are ordinary
    words ("each step we update the weights"): news is told by headings and dated items only."""
    qualified: Optional[str] = None
    for text in levels:
        if not text:
            continue
        found = topics_in(text)
        if prose and "news" in found:
            found = [topic for topic in found if topic != "news"]
        if not found:
            continue
        if "training" in found:
            return "training"
        strong = [t for t in found if t not in _QUALIFYING_TOPICS]
        if strong:
            return strong[0]
        for topic in found:
            qualified = _weaker(qualified, topic)
    return qualified


@dataclass(frozen=True)
class Context:
    """Where a line sits: ``headings`` the heading path (outermost first), ``paragraph`` its first and last
    line, ``table_header`` the header row of its table (None outside tables), ``topic`` what the context is
    about ("training", "inference", "evaluation", "deployment", "support", "news", "link" or None)."""

    headings: Tuple[str, ...] = ()
    paragraph: Tuple[int, int] = (0, 0)
    table_header: Optional[str] = None
    topic: Optional[str] = None


def is_news_item(line: str) -> bool:
    """A line that starts with a date ("- 2025-03: added ...", "**[2023/07/25]** Released ...") is a news item."""
    return bool(_DATE_ITEM_RE.match(line))


class DocumentContext:
    """Context of lines of one Markdown/RST document (``lines``: the whole document, 1-based numbers).

    *headings* are the Markdown parser's, bold pseudo-headings included (``MarkdownDoc.section_headings``).
    One pass over the document (on first use) finds paragraphs and tables; topics are decided once per
    paragraph and heading path, so asking for the context of many lines stays linear.
    """

    def __init__(self, lines: Sequence[str], headings: Sequence[Heading]):
        self.lines = lines
        self.headings = list(headings)  # in line order
        self._cache: Dict[int, Context] = {}
        self._topics: Dict[object, Optional[str]] = {}
        self._prepared = False

    def _line(self, number: int) -> str:
        return self.lines[number - 1][:MAX_LINE_CHARS] if 1 <= number <= len(self.lines) else ""

    def _prepare(self) -> None:
        """Paragraph of every line (blank lines and headings end one; a paragraph is cut every
        MAX_CONTEXT_LINES lines), table header of every table row, heading path of every heading."""
        self._prepared = True
        count = len(self.lines)
        heading_lines = {heading.line for heading in self.headings}
        start = [0] * (count + 2)
        end = [0] * (count + 2)
        self.table_headers: Dict[int, int] = {}
        first = 0
        header = 0
        for number in range(1, count + 1):
            stripped = self.lines[number - 1][:MAX_LINE_CHARS].strip()
            if not stripped or number in heading_lines:
                if first:
                    for n in range(first, number):
                        end[n] = number - 1
                first = 0
                start[number] = end[number] = number
            else:
                if first and number - first >= MAX_CONTEXT_LINES:
                    for n in range(first, number):
                        end[n] = number - 1
                    first = 0
                if not first:
                    first = number
                start[number] = first
            if stripped.startswith("|"):
                if not header and number < count and TABLE_DELIMITER_RE.match(self.lines[number][:MAX_LINE_CHARS]):
                    header = number
                if header:
                    self.table_headers[number] = header
            else:
                header = 0
        if first:
            for n in range(first, count + 1):
                end[n] = count
        self._start, self._end = start, end
        self._heading_lines = [heading.line for heading in self.headings]
        self._paths: List[Tuple[str, ...]] = []
        path: List[Tuple[int, str]] = []
        for heading in self.headings:
            # A bold pseudo-heading has the deepest level, so any heading after one ends it.
            while path and path[-1][0] >= heading.level:
                path.pop()
            path.append((heading.level, heading.title))
            self._paths.append(tuple(title for _level, title in path))

    def paragraph(self, number: int) -> Tuple[int, int]:
        if not self._prepared:
            self._prepare()
        if not 1 <= number <= len(self.lines):
            return number, number
        return self._start[number], self._end[number]

    def table_header(self, number: int) -> Optional[str]:
        """The header row of the table *number* is in (the row above the ``|---|`` delimiter)."""
        if not self._prepared:
            self._prepare()
        header = self.table_headers.get(number)
        return self._line(header) if header else None

    def heading_path(self, number: int) -> List[str]:
        """Titles of the headings above *number*, outermost first; a bold pseudo-heading in the section
        (``**Training Data**`` alone on a paragraph's line) is the innermost."""
        if not self._prepared:
            self._prepare()
        index = bisect_right(self._heading_lines, number) - 1
        return list(self._paths[index]) if index >= 0 else []

    def _topic(self, key: Tuple[str, object], levels: List[str]) -> Optional[str]:
        if key not in self._topics:
            self._topics[key] = _level_topic(levels, prose=key[0] == "paragraph")
        return self._topics[key]

    def context(self, number: int) -> Context:
        found = self._cache.get(number)
        if found is not None:
            return found
        line = self._line(number)
        first, last = self.paragraph(number)
        header = self.table_header(number)
        headings = self.heading_path(number)
        if is_news_item(line):
            topic: Optional[str] = "news"
        else:
            # Innermost first; the paragraph's and the headings' topics are decided once each. A level that
            # names only hardware or requirements leaves the decision to the outer ones; if none decides,
            # requirements stay requirements and hardware counts as training. Requirements count for an
            # activity only in its section: the document's title ("# Pebble training toolkit") is no section.
            qualified: Optional[str] = None
            topic = _level_topic([line], prose=True)
            title = headings[:1] if headings and self.headings[0].level == 1 and headings[0] == self.headings[0].title else []
            sections = headings[len(title):]
            for key, levels in (
                (("paragraph", first), lambda: [" ".join(self._line(n) for n in range(first, last + 1))] if last > first else []),
                (("header", header), lambda: [header] if header else []),
                (("sections", tuple(sections)), lambda: [_MODEL_VARIANT_RE.sub(" ", h) for h in reversed(sections)]),
                (("title", tuple(title)), lambda: [_MODEL_VARIANT_RE.sub(" ", h) for h in title]),
            ):
                if topic not in (None,) + _QUALIFYING_TOPICS:
                    break
                qualified = _weaker(qualified, topic)
                if key[0] == "title" and qualified == "support":
                    break
                topic = self._topic(key, levels())
            if topic in (None,) + _QUALIFYING_TOPICS:
                qualified = _weaker(qualified, topic)
                topic = "training" if qualified == "hardware" else qualified
        found = self._cache[number] = Context(tuple(headings), (first, last), header, topic)
        return found


def document_context(lines: Sequence[str]) -> DocumentContext:
    """Context for a Markdown document given as lines, its headings found by the Markdown parser (which finds
    code fences itself)."""
    as_list = list(lines)
    return DocumentContext(as_list, with_pseudo_headings(as_list, parse_headings(as_list)))


def repo_document_context(repo: Repo, path: str) -> Optional[DocumentContext]:
    """Context of a Markdown document of the release, from its parsed headings (cached by the repository)."""
    doc = repo.markdown(path)
    if doc is None:
        return None
    return DocumentContext(doc.lines, doc.section_headings())


# --- the per-run index ------------------------------------------------------------------------------------


@dataclass
class FileText:
    """The lines of one file that hold a keyword of some family: ``hits[family]`` = ``[(line, text), ...]``."""

    path: str
    kind: str
    hits: Dict[str, List[Tuple[int, str]]] = field(default_factory=dict)
    lines_scanned: int = 0


class TextIndex:
    """Files of one run, each read and classified once (see the module docstring)."""

    def __init__(self, repo: Repo):
        self.repo = repo
        self.files: Dict[str, FileText] = {}
        self.contexts: Dict[str, Optional[DocumentContext]] = {}

    def file(self, path: str) -> FileText:
        found = self.files.get(path)
        if found is None:
            found = self.files[path] = self._scan(path)
        return found

    def hits(self, path: str, family: str) -> List[Tuple[int, str]]:
        return self.file(path).hits.get(family, [])

    def context(self, path: str) -> Optional["DocumentContext"]:
        """The :class:`DocumentContext` of a Markdown document of the release (built once per run)."""
        if path not in self.contexts:
            self.contexts[path] = repo_document_context(self.repo, path)
        return self.contexts[path]

    def _scan(self, path: str) -> FileText:
        repo = self.repo
        kind = file_kind(repo, path)
        entry = FileText(path, kind)
        if kind not in ("doc", "script", "config"):
            return entry
        # Documents, scripts and YAML are cached (other rules read them too: cards, launch scripts, lm-eval task
        # configs); the rest is
        # read without caching, so thousands of configs do not stay in memory.
        cached = kind in ("doc", "script") or path.lower().endswith((".yaml", ".yml")) or path.rsplit("/", 1)[-1] == "config.json"
        text = repo.text(path) if cached else repo.scan_text(path)
        if not text:
            return entry
        doc = repo.markdown(path) if kind == "doc" else None
        lines = doc.lines if doc is not None else text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if len(lines) > MAX_SCANNED_LINES:
            repo.source.note(f"{path}: {len(lines)} lines; only the first {MAX_SCANNED_LINES} were read for statements")
            lines = lines[:MAX_SCANNED_LINES]
        # One lower/translate over the whole text is far cheaper than one per line; long lines are cut after.
        masked_lines = text.lower().translate(_MASK).replace("\r\n", "\n").replace("\r", "\n").split("\n")[: len(lines)]
        if len(masked_lines) != len(lines):
            masked_lines = [line.lower().translate(_MASK) for line in lines]
        entry.lines_scanned = len(lines)
        families = _CLASSIFIER.families
        hits = entry.hits
        for index, masked_line in enumerate(masked_lines):
            if not masked_line:
                continue
            if len(masked_line) > MAX_LINE_CHARS:
                masked_line = masked_line[:MAX_LINE_CHARS]
            if "  " in masked_line:
                masked_line = mask(masked_line)
            for family in families(masked_line):
                found = hits.setdefault(family, [])
                if len(found) < MAX_HIT_LINES:
                    found.append((index + 1, lines[index][:MAX_LINE_CHARS]))
                elif len(found) == MAX_HIT_LINES:
                    found.append((0, ""))  # sentinel: noted once below
        for family, found in hits.items():
            if found and found[-1][0] == 0:
                found.pop()
                repo.source.note(f"{path}: more than {MAX_HIT_LINES} lines mention {family}; "
                                 f"only the first {MAX_HIT_LINES} were read")
        return entry


@detector
def text_index(repo: Repo) -> TextIndex:
    """The run's :class:`TextIndex` (one per repository view)."""
    return TextIndex(repo)
