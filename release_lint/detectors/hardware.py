"""Infrastructure statements of the release: accelerator type, count, compute budget, memory, parallelism and
energy, read from the model card (front matter included), documents under docs/, technical-report Markdown,
configuration files and launch scripts — never from requirement or lock files, where ``nvidia-cublas-cu12``
names a wheel, not the hardware.

Each statement carries the topic of its context (textindex: sentence, paragraph, table, headings; for a launch
script whether it runs a training entry point; for a config whether it is a training configuration). An
accelerator, count or compute statement counts for HW001-HW003 only when that topic is training: hardware in
news items, link titles, requirements (outside a training section), inference commands or evaluation results is
not training infrastructure. The statements themselves are found by
:mod:`release_lint.detectors.hardware_statements`; :func:`hardware_facts` reads the release once per run and
returns :class:`HardwareFacts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from release_lint.detectors.code_and_docs import code_files, config_files, documentation_files
from release_lint.detectors.entry_points import TRAIN_NAME_RE, command_runs
from release_lint.detectors.hardware_statements import (
    KINDS, MAX_STATEMENTS_PER_FILE, TRAINING_KINDS, HardwareStatement, parse_statements,
)
from release_lint.detectors.hyperparameters import recipe_facts
from release_lint.repo import Repo, detector
from release_lint.textindex import decide_topic, file_kind, text_index

MAX_STATEMENTS_PER_RUN = 20_000
# Lines mentioning hardware that are parsed, per file and per run: far more than any release needs to state
# its infrastructure, and what keeps a documentation tree that mentions GPUs on every page from costing seconds.
MAX_PARSED_PER_FILE = 300
MAX_PARSED_PER_RUN = 1500


@dataclass
class HardwareFacts:
    """The statements that count, by kind (each list ordered by path, then line): accelerators, counts and
    compute only when their context is about training; ``not_training`` keeps the ones left out."""

    accelerators: List[HardwareStatement] = field(default_factory=list)
    counts: List[HardwareStatement] = field(default_factory=list)
    compute: List[HardwareStatement] = field(default_factory=list)
    memory: List[HardwareStatement] = field(default_factory=list)
    parallelism: List[HardwareStatement] = field(default_factory=list)
    energy: List[HardwareStatement] = field(default_factory=list)
    not_training: List[HardwareStatement] = field(default_factory=list)

    @property
    def level(self) -> str:
        """"present" (accelerator type, count and compute of training all stated), "partial" (some of them)
        or "absent" — the grade the openness verdict gives the infrastructure area (HW001-HW003)."""
        if self.accelerators and self.counts and self.compute:
            return "present"
        if self.accelerators or self.counts or self.compute:
            return "partial"
        return "absent"

    def all(self) -> List[HardwareStatement]:
        return self.accelerators + self.counts + self.compute + self.memory + self.parallelism + self.energy

    def to_dict(self) -> dict:
        out = {kind: [s.to_dict() for s in getattr(self, _LIST[kind])] for kind in KINDS}
        out["level"] = self.level
        return out


_LIST = {"accelerator": "accelerators", "count": "counts", "compute": "compute", "memory": "memory",
         "parallelism": "parallelism", "energy": "energy"}


def hardware_sources(repo: Repo) -> List[str]:
    """The files read for statements: documentation (card first), config files, shell/Slurm launch scripts."""
    scripts = [p for p in code_files(repo) if p.lower().endswith((".sh", ".bash", ".sbatch", ".slurm"))]
    return documentation_files(repo) + config_files(repo) + scripts


def _words_of(path: str) -> str:
    return re.sub(r"[/_.\-]+", " ", path)


@detector
def _script_topics(repo: Repo) -> dict:
    return {}


def script_topic(repo: Repo, path: str) -> Optional[str]:
    """What a launch script is about: "training" when it runs a training entry point (``srun python
    train.py``, ``torchrun ... -m pkg.pretrain``) or its path says so, "inference" when it runs only
    generate/chat/serve/demo entry points; else None."""
    topics = _script_topics(repo)
    if path not in topics:
        name = path.rsplit("/", 1)[-1]
        topic = "training" if TRAIN_NAME_RE.match(name) else command_runs(repo, repo.text(path) or "")
        topics[path] = topic or decide_topic([_words_of(path)])
    return topics[path]


def config_topic(repo: Repo, path: str) -> Optional[str]:
    """What a config file is about: its path's words ("configs/train.yaml", "serve/config.yaml"), else
    "training" when it holds hyperparameter keys (a training configuration), else None."""
    topic = decide_topic([_words_of(path)])
    if topic is None and recipe_facts(repo).keys.get(path):
        topic = "training"
    return topic


def _file_statements(repo: Repo, path: str, kind: str, hits: List[Tuple[int, str]], limit: int) -> List[HardwareStatement]:
    if kind == "doc":
        context = text_index(repo).context(path)
        if context is None:
            return []

        def paragraph_of(number: int) -> str:
            first, last = context.paragraph(number)
            return "\n".join(context.lines[first - 1 : last])

        def topic_of(number: int, _raw: str) -> Optional[str]:
            return context.context(number).topic

        return parse_statements(hits, path, paragraph_of, topic_of, limit)
    lines = dict(hits)
    if kind == "script":
        def topic_of(number: int, raw: str) -> Optional[str]:
            line = command_runs(repo, raw) if not raw.lstrip().startswith("#") else None
            return line or script_topic(repo, path)

        def paragraph_of(number: int) -> str:
            # A script's prose is its comment block ("# on 8X A100 ... / # => training time ... 24 hours").
            return _comment_block(repo.lines(path), number) or lines.get(number, "")

        return parse_statements(hits, path, paragraph_of, topic_of, limit)

    def config_topic_of(number: int, raw: str) -> Optional[str]:
        return config_topic(repo, path)
    # Configs have no prose paragraphs: a line is its own paragraph.
    return parse_statements(hits, path, lambda number: lines.get(number, ""), config_topic_of, limit)


MAX_COMMENT_BLOCK = 20  # lines each way: a script's comment block is read as one paragraph, bounded


def _comment_block(lines: List[str], number: int) -> str:
    """The run of plain comment lines (not ``#!`` or ``#SBATCH``) around line *number*, or "" when that
    line is not one."""
    def is_comment(index: int) -> bool:
        text = lines[index].lstrip() if 0 <= index < len(lines) else ""
        return text.startswith("#") and not text.startswith(("#!", "#SBATCH", "#PBS", "#$"))

    index = number - 1
    if not is_comment(index):
        return ""
    first = last = index
    while first - 1 >= max(0, index - MAX_COMMENT_BLOCK) and is_comment(first - 1):
        first -= 1
    while last + 1 <= index + MAX_COMMENT_BLOCK and is_comment(last + 1):
        last += 1
    return "\n".join(lines[first : last + 1])


@detector
def hardware_facts(repo: Repo) -> HardwareFacts:
    """Every infrastructure statement in the release, as :class:`HardwareFacts` (see its ``level``).

    Each file is read once through the run's text index; only its lines holding a hardware keyword are
    parsed. Evaluation results, data, lock and generated files are not read. The model card's
    ``co2_eq_emissions`` front-matter key is an "energy" statement at the key's line.
    """
    facts = HardwareFacts()
    statements: List[HardwareStatement] = []
    index = text_index(repo)
    budget = MAX_PARSED_PER_RUN
    for path in hardware_sources(repo):
        kind = file_kind(repo, path)
        if kind not in ("doc", "script", "config"):
            continue
        if len(statements) >= MAX_STATEMENTS_PER_RUN or budget <= 0:
            repo.source.note(f"more than {MAX_PARSED_PER_RUN} lines mention hardware (or more than {MAX_STATEMENTS_PER_RUN} "
                             f"statements): the rest of the release was not read for hardware statements, from {path} on")
            break
        hits = index.hits(path, "hardware")
        if len(hits) > min(MAX_PARSED_PER_FILE, budget):
            if len(hits) > MAX_PARSED_PER_FILE:
                repo.source.note(f"{path}: {len(hits)} lines mention hardware; only the first {MAX_PARSED_PER_FILE} were parsed")
            hits = hits[: min(MAX_PARSED_PER_FILE, budget)]
        budget -= len(hits)
        if hits:
            statements.extend(_file_statements(repo, path, kind, hits, MAX_STATEMENTS_PER_FILE))
        if kind == "doc" and path.lower().endswith((".md", ".markdown", ".mdx")):
            doc = repo.markdown(path)
            if doc is not None and doc.front_matter.mapping.get("co2_eq_emissions") not in (None, "", {}, []):
                line = doc.front_matter.line_of("co2_eq_emissions") or 1
                statements.append(HardwareStatement("energy", "co2_eq_emissions", path, line, "co2_eq_emissions", topic="training"))
    for statement in sorted(statements, key=lambda s: (s.path, s.line)):
        if statement.kind in TRAINING_KINDS and statement.topic != "training":
            facts.not_training.append(statement)
        else:
            getattr(facts, _LIST[statement.kind]).append(statement)
    return facts
