"""Hardware statements in text: accelerator type, count, compute budget, memory, parallelism and energy.

Before matching, each line loses its URLs and link targets, path-like tokens and hash-like tokens, so "H100"
inside a link or a digest does not count; "v4" counts only as a TPU version, and a size counts as memory only
next to a memory word (not "disk space"). Only lines that hold a hardware keyword are parsed (the patterns are
data: :mod:`release_lint.detectors.hardware_patterns`), and each statement of a kind that must be about training
carries the topic of its context, given by the caller.

:func:`extract_hardware` is a pure, linear function over the ``(line, text)`` pairs of one file;
:func:`parse_statements` parses the keyword hits of one file with the context the caller gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

from release_lint.detectors.code_and_docs import MAX_LINE_CHARS
from release_lint.detectors.hardware_patterns import (
    ACCELERATOR_CONTEXT_RE, ACCELERATOR_RE, ACCELERATOR_WORDS, ALNUM_RUN_RE, COMPUTE_HOURS_AFTER_RE, COMPUTE_HOURS_RE,
    CONFIG_COUNT_RE, COUNT_AFTER_RE, COUNT_BEFORE_RE, COUNT_UNITS, CPU_ONLY_RE, DIGIT_RE, DURATION_RE, DURATION_WORDS,
    ENERGY_RE, FLOPS_RE, GENERIC_COUNT_RE, INSTALL_LINE_RE, LANGUAGES, LAUNCH_COUNT_RE, LINK_TARGET_RE, MEMORY_EACH_RE,
    MEMORY_RE, MEMORY_UNITS, MEMORY_VARIANT_RE, NODE_LAYOUT_RE, PARALLELISM_CASED_RE, PARALLELISM_RE, PARALLELISM_WORDS,
    PATH_END_RE, SELF_EVIDENT_UNITS, TOKEN_RE, TRAINING_WORD_RE, URL_RE, WHEEL_RE, WORD_NUMBERS,
)
from release_lint.textindex import MAX_REMEMBERED_CHARS, document_context, family_hits, lazy

KINDS = ("accelerator", "count", "compute", "memory", "parallelism", "energy")
MAX_LINES_PER_FILE = 20_000
MAX_STATEMENTS_PER_FILE = 1000  # enough to grade any real document; bounds pathological inputs
# Kinds that count only when the statement is about training (HW001-HW003); memory, parallelism and energy
# figures count wherever the release states them (HW004 also asks for the memory needed to run the model).
TRAINING_KINDS = ("accelerator", "count", "compute")


@dataclass(frozen=True)
class HardwareStatement:
    """One statement: ``kind`` in KINDS; ``value`` normalised ("NVIDIA A100", "512", "258k GPU hours",
    "80 GB", "FSDP", "2,900 kWh"); ``path``/``line`` where it is; ``text`` the matched text; ``accelerator``
    the accelerator a count or memory figure is attached to, if any; ``number`` the count (for "count")."""

    kind: str
    value: str
    path: str
    line: int
    text: str
    accelerator: Optional[str] = None
    number: Optional[float] = None
    # What its context is about ("training", "inference", "news", "link"...; None when nothing says), for the
    # kinds that count only when about training (accelerator, count, compute); None for the others.
    topic: Optional[str] = None

    def to_dict(self) -> dict:
        return {
            "kind": self.kind, "value": self.value, "path": self.path, "line": self.line, "text": self.text,
            "accelerator": self.accelerator, "number": self.number, "topic": self.topic,
        }


def clean_line(line: str) -> str:
    """The line without URLs, link targets, path-like, wheel-like and digest-like tokens (replaced by spaces)."""
    line = line[:MAX_LINE_CHARS]
    if INSTALL_LINE_RE.match(line):
        return ""
    line = URL_RE.sub(" ", line)
    line = LINK_TARGET_RE.sub("] ", line)

    def blank(match: "re.Match[str]") -> str:
        token = match.group(0)
        # Paths (two slashes, or a slash and a file extension) and CUDA wheels name no hardware.
        if "/" in token and (token.count("/") >= 2 or PATH_END_RE.search(token)):
            return " "
        return " " if WHEEL_RE.search(token) else token

    lower = line.lower()
    if "/" in line or "-cu" in lower or "nvidia-" in lower:
        line = TOKEN_RE.sub(blank, line)
    parts = []
    last = 0
    for match in ALNUM_RUN_RE.finditer(line):
        run = match.group(0)
        if any(c.isdigit() for c in run) and any(c.isalpha() for c in run):
            parts.append(line[last : match.start()])
            parts.append(" ")
            last = match.end()
    parts.append(line[last:])
    return "".join(parts)


def _number(text: str) -> Optional[float]:
    text = text.strip().lower()
    if text in WORD_NUMBERS:
        return float(WORD_NUMBERS[text])
    factor = 1000.0 if text.endswith("k") else 1.0
    digits = text.rstrip("k").strip().replace(",", "")
    try:
        return float(digits) * factor
    except ValueError:
        return None


def _accelerator_label(match: "re.Match[str]") -> str:
    name = " ".join(match.group("name").split())
    upper = name.upper()
    if upper.startswith("MI"):
        return "AMD Instinct " + upper
    if "TPU" in upper or upper.startswith("TRILLIUM"):  # not V100: TPU names always say TPU
        version = re.search(r"v(\d\w?)", name, re.IGNORECASE)
        return f"Google TPU v{version.group(1).lower()}" if version else "Google TPU v6e"
    if "GAUDI" in upper:
        return "Intel " + name[name.upper().index("GAUDI"):]
    if upper.startswith(("TRAINIUM", "INFERENTIA")):
        return "AWS " + name
    if upper.startswith(("APPLE", "M1", "M2", "M3", "M4")):
        return name if upper.startswith("APPLE") else "Apple " + name
    if upper.startswith("CEREBRAS"):
        return name
    return "NVIDIA " + upper.replace("TITAN", "Titan")


def has_accelerator_digits(lower: str) -> bool:
    """A cheap gate before MEMORY_VARIANT_RE: a digit right after a letter (a100, h100, mi300)."""
    return any(mark in lower for mark in ("a100", "a800", "h100", "h200", "h800", "v100", "p100", "a6000", "l40", "mi"))


def _accelerators(text: str, number: int, add) -> None:
    for match in ACCELERATOR_RE.finditer(text):
        if match.group("short"):
            near = text[max(0, match.start() - 10) : match.end() + 12]
            if not re.search(r"NVIDIA|GPU", near, re.IGNORECASE):
                continue
        label = _accelerator_label(match)
        add("accelerator", label, number, match.group(0))
        if match.group("mem"):
            add("memory", f"{match.group('mem')} GB", number, match.group(0), label)
        before = text[max(0, match.start() - 60) : match.start()]
        count_match = COUNT_BEFORE_RE.search(before)
        after = COUNT_AFTER_RE.match(text[match.end() : match.end() + 40])
        tpu_slice = match.group("slice") or match.group("slice2")
        count = count_match.group("num") if count_match else after.group("num") if after else tpu_slice
        if not count and not before.isascii():
            count = _language_count_before(before)  # "8张A100"
        value = _number(count) or _language_number(count.strip()) if count else None
        if value and not (count_match and re.fullmatch(r"(?:19|20)\d\d", count.strip())):
            add("count", count.strip(), number, match.group(0), label, value)


def _figures(text: str, lower: str, number: int, add) -> None:
    """Counts, compute, memory and energy: statements that need a number."""
    if any(unit in lower for unit in COUNT_UNITS):
        context = None
        for match in GENERIC_COUNT_RE.finditer(text):
            unit = " ".join(match.group("unit").lower().split())
            if unit not in SELF_EVIDENT_UNITS:
                if context is None:
                    context = bool(ACCELERATOR_CONTEXT_RE.search(text) or ACCELERATOR_RE.search(text))
                if not context:
                    continue
            value = _number(match.group("num"))
            if value:
                add("count", f"{match.group('num').strip()} {unit}", number, match.group(0), number=value)
    if "--" in text:
        for match in LAUNCH_COUNT_RE.finditer(text):
            value = match.group("num") or match.group("gres")
            add("count", f"{match.group('key') or 'gres'}={value}", number, match.group(0), number=float(value))
    config = CONFIG_COUNT_RE.match(text)
    if config:
        add("count", f"{config.group('key')}={config.group('num')}", number, config.group(0), number=float(config.group("num")))
    regexes = []
    if "hour" in lower or "day" in lower or "year" in lower or "hrs" in lower:
        regexes.append(COMPUTE_HOURS_RE)
    if "hour" in lower:
        regexes.append(COMPUTE_HOURS_AFTER_RE)
    if "flop" in lower or "pf" in lower:
        regexes.append(FLOPS_RE)
    for regex in regexes:
        for match in regex.finditer(text):
            add("compute", match.group(0).strip(), number, match.group(0))
    if any(unit in lower for unit in MEMORY_UNITS):
        for match in MEMORY_RE.finditer(text):
            num = match.group("num") or match.group("num2") or match.group("num3")
            unit = match.group("unit") or match.group("unit2") or match.group("unit3")
            add("memory", f"{num} {unit}", number, match.group(0))
        if "each" in lower or "per" in lower:
            for match in MEMORY_EACH_RE.finditer(text):
                add("memory", f"{match.group('num')} {match.group('unit')}", number, match.group(0))
    if "g" in lower and has_accelerator_digits(lower):
        for match in MEMORY_VARIANT_RE.finditer(text):
            add("memory", f"{match.group('num') or match.group('num2') or match.group('num3')} GB", number, match.group(0))
    if "wh" in lower or "co2" in lower or "carbon" in lower:
        for match in ENERGY_RE.finditer(text):
            add("energy", match.group(0).strip(), number, match.group(0))


_LANGUAGE_RES: dict = {}


def _language_re(language: str, kind: str) -> "re.Pattern[str]":
    key = (language, kind)
    if key not in _LANGUAGE_RES:
        _LANGUAGE_RES[key] = re.compile(LANGUAGES[language][kind], re.IGNORECASE)
    return _LANGUAGE_RES[key]


def _language_number(text: str) -> Optional[float]:
    for table in LANGUAGES.values():
        if text in table["numbers"]:
            return float(table["numbers"][text])
    return None


def _other_languages(text: str, number: int, add, paragraph_ok) -> None:
    """Statements in the languages of :data:`LANGUAGES` (only lines with non-ASCII text get here)."""
    for language in LANGUAGES:
        for match in _language_re(language, "count").finditer(text):
            value = _number(match.group("num")) or _language_number(match.group("num"))
            if value:
                add("count", match.group(0).strip(), number, match.group(0), number=value)
        for match in _language_re(language, "compute").finditer(text):
            add("compute", match.group(0).strip(), number, match.group(0))
        durations = list(_language_re(language, "duration").finditer(text))
        if durations and paragraph_ok():
            for match in durations:
                add("compute", match.group(0).strip(), number, text, span=match.group(0))


def _language_count_before(before: str) -> Optional[str]:
    for language in LANGUAGES:
        match = _language_re(language, "count_before").search(before)
        if match:
            return match.group("num")
    return None


def _line_statements(raw: str, number: int, add, paragraph_ok) -> None:
    """Every statement in one line that holds a hardware keyword. *paragraph_ok()* says whether the line's
    paragraph names both hardware and training (wall-clock durations count only then)."""
    text = clean_line(raw)
    if not text.strip():
        return
    lower = text.lower()
    has_digit = DIGIT_RE.search(text) is not None
    # Cheap substring tests first: most lines that hold a keyword still state nothing about hardware.
    if has_digit or any(word in lower for word in ACCELERATOR_WORDS):
        _accelerators(text, number, add)
    if ("cpu" in lower or "without" in lower) and CPU_ONLY_RE.search(text):
        add("accelerator", "CPU only", number, CPU_ONLY_RE.search(text).group(0))
    if has_digit:
        _figures(text, lower, number, add)
    if has_digit and ("x" in lower or "×" in text):
        for match in NODE_LAYOUT_RE.finditer(text):
            add("parallelism", match.group(0).strip(), number, match.group(0))
    if any(word in lower for word in PARALLELISM_WORDS):
        for regex in (PARALLELISM_RE, PARALLELISM_CASED_RE):
            for match in regex.finditer(text):
                add("parallelism", match.group(0).strip(), number, match.group(0))
    if has_digit or any(word in lower for word in DURATION_WORDS):
        durations = [m for m in DURATION_RE.finditer(text)
                     if not re.search(r"(?:gpu|tpu|chip|node)[ \t-]*$", text[max(0, m.start() - 12) : m.start()].lower())]
        if durations and paragraph_ok():
            for match in durations:
                add("compute", match.group(0), number, text, span=match.group(0))
    if not text.isascii():
        _other_languages(text, number, add, paragraph_ok)


def parse_statements(
    hits: Iterable[Tuple[int, str]], path: str, paragraph_of, topic_of, limit: int = MAX_STATEMENTS_PER_FILE
) -> List[HardwareStatement]:
    """Statements in the *hits* of one file (``(line, text)`` of the lines holding a hardware keyword).

    *paragraph_of(line)* gives the text of the line's paragraph; *topic_of(line, text)* what its context is
    about (see textindex.Context). A statement inside a link's text is about the link ("link").
    """
    found: List[HardwareStatement] = []
    paragraph_cache: dict = {}

    for number, raw in hits:
        if len(found) >= limit:
            break
        line_topic: list = []

        def topic() -> Optional[str]:
            if not line_topic:
                line_topic.append(topic_of(number, raw))
            return line_topic[0]

        def add(kind, value, line, text, accelerator=None, number=None, span=None, _raw=raw):
            quoted = " ".join(text.split())[:200]
            about = None
            if kind in TRAINING_KINDS:  # only these must be about training: the context is read for them alone
                # *span*: the matched words when *text* quotes the whole line (a duration in a link's title)
                about = "link" if "](" in _raw and _in_link(_raw, span or text) else topic()
            found.append(HardwareStatement(kind, value, path, line, quoted, accelerator, number, about))

        def paragraph_ok(_number=number) -> bool:
            text = paragraph_of(_number)
            if text not in paragraph_cache:
                cleaned = " ".join(clean_line(part) for part in text.split("\n"))
                paragraph_cache[text] = bool(
                    (ACCELERATOR_CONTEXT_RE.search(cleaned) or ACCELERATOR_RE.search(cleaned) or "卡" in cleaned)
                    and (TRAINING_WORD_RE.search(cleaned) or any(_language_re(lang, "training").search(cleaned) for lang in LANGUAGES))
                )
            return paragraph_cache[text]

        cached = _PARSED.get(raw)
        if cached is not None:
            for kind, value, text, accelerator, count, span in cached:
                add(kind, value, number, text, accelerator, count, span)
            continue
        recorded: list = []
        consulted: list = []

        def record(kind, value, line, text, accelerator=None, number=None, span=None, _add=add, _recorded=recorded):
            _recorded.append((kind, value, text, accelerator, number, span))
            _add(kind, value, line, text, accelerator, number, span)

        def checked(_ok=paragraph_ok, _consulted=consulted) -> bool:
            _consulted.append(True)
            return _ok()

        _line_statements(raw, number, record, checked)
        # A line's statements depend on the line alone unless its paragraph was consulted: parse it once per run.
        if not consulted and len(raw) <= MAX_REMEMBERED_CHARS and len(_PARSED) < MAX_PARSED_LINES:
            _PARSED[raw] = recorded
    return found[:limit]


# Distinct line -> its statements ``(kind, value, text, accelerator, number, span)``: repeated lines (the same
# `#SBATCH --gres=gpu:8` in 150 scripts, the same config keys in 300 configs) are parsed once per process.
_PARSED: dict = {}
MAX_PARSED_LINES = 50_000


_LINK_TEXT_RE = lazy(r"\[([^\[\]]{0,300})\]\([^()\s]{0,2000}\)")


def _in_link(raw: str, text: str) -> bool:
    """Whether *text* occurs in *raw* only inside the text of Markdown links."""
    text = text.strip()
    if not text or text not in raw:
        return False
    return text not in _LINK_TEXT_RE.sub(" ", raw[:MAX_LINE_CHARS])


def extract_hardware(lines: Iterable[Tuple[int, str]], path: str) -> List[HardwareStatement]:
    """Hardware statements in *lines* (``(line number, text)`` pairs of one whole file), each with the topic
    of its context (headings, paragraph, table; see textindex). Pure; never raises on any text; the detailed
    patterns run only on lines that hold a hardware keyword, and every pattern is bounded."""
    numbered: List[Tuple[int, str]] = []
    for number, text in lines:
        if number > MAX_LINES_PER_FILE:
            break
        numbered.append((number, text))
    texts = [text for _number, text in numbered]
    position = {number: index for index, (number, _text) in enumerate(numbered)}
    context = document_context(texts)
    hits = [(numbered[i - 1][0], text) for i, text in family_hits(texts, "hardware")]

    def paragraph_of(number: int) -> str:
        first, last = context.paragraph(position[number] + 1)
        return "\n".join(texts[first - 1 : last])

    def topic_of(number: int, _raw: str) -> Optional[str]:
        return context.context(position[number] + 1).topic

    return parse_statements(hits, path, paragraph_of, topic_of)
