"""Infrastructure statements: accelerator type, count, compute budget, memory, parallelism and energy.

Statements are read from the model card (front matter included), documents under docs/, technical-report
Markdown, configuration files and launch scripts — never from requirement or lock files, where
``nvidia-cublas-cu12`` names a wheel, not the hardware. Before matching, each line loses its URLs and link
targets, path-like tokens and hash-like tokens, so "H100" inside a link or a digest does not count; "v4"
counts only as a TPU version, and a size counts as memory only next to a memory word (not "disk space").

Only lines that hold a hardware keyword (:data:`HARDWARE_KEYWORDS`, from the run's text index) are parsed.
Each statement carries the topic of its context (textindex: sentence, paragraph, table, headings; for a launch
script whether it runs a training entry point; for a config whether it is a training configuration). An
accelerator, count or compute statement counts for HW001-HW003 only when that topic is training: hardware in
news items, link titles, requirements, inference commands or evaluation results is not training
infrastructure. Chinese statements are read from the tables of :data:`LANGUAGES`.

:func:`extract_hardware` is a pure, linear function over the ``(line, text)`` pairs of one file;
:func:`hardware_facts` reads the release once per run and returns :class:`HardwareFacts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Tuple

from release_lint.detectors.code_and_docs import MAX_LINE_CHARS, code_files, config_files, documentation_files
from release_lint.detectors.entry_points import TRAIN_NAME_RE, command_runs
from release_lint.detectors.hyperparameters import recipe_facts
from release_lint.repo import Repo, detector
from release_lint.textindex import (
    MAX_REMEMBERED_CHARS, decide_topic, document_context, family_hits, file_kind, lazy, register_family, text_index,
)

KINDS = ("accelerator", "count", "compute", "memory", "parallelism", "energy")
MAX_LINES_PER_FILE = 20_000
MAX_STATEMENTS_PER_FILE = 1000  # enough to grade any real document; bounds pathological inputs
MAX_STATEMENTS_PER_RUN = 20_000
# Lines mentioning hardware that are parsed, per file and per run: far more than any release needs to state
# its infrastructure, and what keeps a documentation tree that mentions GPUs on every page from costing seconds.
MAX_PARSED_PER_FILE = 300
MAX_PARSED_PER_RUN = 1500
# Kinds that count only when the statement is about training (HW001-HW003); memory, parallelism and energy
# figures count wherever the release states them (HW004 also asks for the memory needed to run the model).
TRAINING_KINDS = ("accelerator", "count", "compute")

_NVIDIA = (
    r"GB200|GH200|B200|B100|H200|H100|H800|H20|A100|A800|V100|P100|A6000|A5000|A4000|L40S|L40|"
    r"RTX[ \t]?(?:A|PRO[ \t])?\d{4}(?:[ \t]?Ti)?|GTX[ \t]?\d{3,4}(?:[ \t]?Ti)?|Titan[ \t](?:RTX|Xp|X|V)"
)
_NVIDIA_SHORT = r"T4|L4|A10G|A10|A30|A40|K80|P40"  # too short to trust without "NVIDIA" or "GPU" next to them
_AMD = r"MI(?:50|60|100|210|250X?|300[AX]?|325X|355X)"
_TPU = r"(?:Cloud[ \t]+)?TPU[ \t-]?v(?:2|3|4|5e|5p|5|6e)(?:[ \t-]?(?:lite|pod))?(?:-(?P<slice>\d{1,5}))?|v(?:2|3|4|5e|5p|6e)(?:-(?P<slice2>\d{1,5}))?[ \t]+(?:Cloud[ \t]+)?TPUs?|Trillium[ \t]+TPUs?"
_OTHER = (
    r"(?:Intel[ \t]+)?(?:Habana[ \t]+)?Gaudi[ \t-]?[123]?|Trainium\d?|Inferentia\d?|Cerebras[ \t]+(?:CS-[123]|WSE-?[123])|"
    r"Apple[ \t]+(?:Silicon|M[1-4](?:[ \t]+(?:Pro|Max|Ultra))?)|M[1-4][ \t]+(?:Pro|Max|Ultra)"
)
_MEMORY_SUFFIX = r"(?:[ \t-]*(?:SXM\d?|PCIe|NVL|HBM\d?e?))*[ \t-]*\(?(?P<mem>\d{2,3})[ \t]?GB\)?"
ACCELERATOR_RE = lazy(
    r"(?<![A-Za-z0-9_/.])(?P<vendor>(?:NVIDIA|AMD|Google|Intel|Tesla|Instinct|AWS)[ \t]+){0,2}"
    rf"(?P<name>{_NVIDIA}|{_AMD}|{_TPU}|{_OTHER}|(?P<short>{_NVIDIA_SHORT}))"
    rf"(?:{_MEMORY_SUFFIX})?(?:s|'s)?(?![A-Za-z0-9_])",
    re.IGNORECASE,
)
CPU_ONLY_RE = lazy(
    r"\bCPU[- ]only\b|\bonly[ \t]+(?:on[ \t]+)?(?:a[ \t]+)?CPUs?\b|\btrained[ \t]+(?:entirely[ \t]+)?on[ \t]+(?:a[ \t]+|the[ \t]+)?CPUs?\b|"
    r"\bwithout[ \t]+(?:a[ \t]+|any[ \t]+)?GPUs?\b",
    re.IGNORECASE,
)
WORD_NUMBERS = {
    "a single": 1, "single": 1, "one": 1, "two": 2, "three": 3, "four": 4, "eight": 8, "sixteen": 16,
    "a pair of": 2, "thirty-two": 32, "sixty-four": 64,
}
_NUMBER = r"(?P<num>\d[\d,]{0,9}(?:\.\d+)?[ \t]?[kK]?|a single|single|one|two|three|four|eight|sixteen|thirty-two|sixty-four|a pair of)"
COUNT_BEFORE_RE = lazy(
    # "8 × 80GB A100": the memory may sit between the count and the name when a multiplication sign says so
    _NUMBER + r"[ \t]*(?:(?:x|×|\*)[ \t]*\d{2,3}[ \t]?GB[ \t]+|(?:x|×|\*)?[ \t]*)(?:(?:NVIDIA|AMD|Google|Intel|Habana|AWS|Cloud|Tesla|Instinct|Apple)[ \t]+){0,3}$",
    re.IGNORECASE,
)
COUNT_AFTER_RE = lazy(r"^[ \t]*(?:GPUs?|TPUs?|chips?|accelerators?|cards?)?[ \t]*(?:x|×|\*)[ \t]*(?P<num>\d{1,6})\b", re.IGNORECASE)
GENERIC_COUNT_RE = lazy(
    r"(?<![\w.,])(?P<num>\d[\d,]{0,9}[ \t]?[kK]?)[ \t]*(?:x[ \t]*)?-?[ \t]*(?:(?!(?:GB|GiB|MB|MiB|TB|TiB|of|or|and|in|per)\b)[A-Za-z][\w-]{0,20}[ \t]+){0,2}?"
    r"(?P<unit>GPUs|TPUs|GPU|TPU|accelerators?|TPU[ \t]chips|chips|devices|cards|nodes|hosts|machines|servers)\b"
    r"(?![ \t-]*(?:hours?|hrs|days?|weeks?|months?|years?|memory|RAM|VRAM|kernels?|utili[sz]ation|time|seconds|minutes|budget|type|model|driver)\b)",
    re.IGNORECASE,
)
SELF_EVIDENT_UNITS = {"gpus", "tpus", "gpu", "tpu", "accelerator", "accelerators", "tpu chips"}
ACCELERATOR_CONTEXT_RE = lazy(r"\b(?:GPUs?|TPUs?|accelerators?|CUDA|NVIDIA|AMD Instinct|Gaudi)\b", re.IGNORECASE)
LAUNCH_COUNT_RE = lazy(
    r"--(?P<key>nnodes|num[-_]nodes|nodes|nproc[-_]per[-_]node|num[-_]gpus|gpus|gpus[-_]per[-_]node|ntasks[-_]per[-_]node|"
    r"num[-_]processes|num[-_]machines)[ \t=]+(?P<num>\d{1,6})\b|--gres[ \t=]+gpu(?::[\w-]+)?:(?P<gres>\d{1,4})\b",
    re.IGNORECASE,
)
CONFIG_COUNT_RE = lazy(
    r"^\s*[\"']?(?P<key>num_nodes|nnodes|nodes|num_machines|gpus_per_node|nproc_per_node|num_processes|num_gpus|n_gpus|"
    r"world_size|devices|tpu_cores|num_accelerators)[\"']?\s*[:=]\s*(?P<num>\d{1,6})\s*,?\s*(?:#.*)?$",
    re.IGNORECASE,
)
_ACCEL_UNIT = r"(?:GPU|TPU|accelerator|chip|device|node|core|A100|H100|H800|H200|V100|B200|MI250X?|MI300X?|TPU[ \t-]?v\w{1,3})"
COMPUTE_HOURS_RE = lazy(
    r"(?P<num>\d[\d,]{0,12}(?:\.\d+)?[ \t]*(?:k|K|M|thousand|million|billion)?)[ \t]*(?:[A-Za-z-]{1,12}[ \t]+)?"
    + _ACCEL_UNIT + r"s?[ \t-]*(?P<unit>hours?|hrs|days?|years?)\b",
    re.IGNORECASE,
)
COMPUTE_HOURS_AFTER_RE = lazy(
    _ACCEL_UNIT + r"s?[ \t-]*hours?(?:[ \t]+used)?[ \t*]*[:|=][ \t*|]*(?:~|≈|about[ \t]+)?\d|\bhours[ \t]+used\W{0,12}\d",
    re.IGNORECASE,
)
FLOPS_RE = lazy(
    r"\d[\d.,]{0,12}[ \t]*(?:[x×·*][ \t]*10[ \t]*\^?[ \t]*\{?[ \t]*\d{1,2}\}?|[eE]\+?\d{1,2})[ \t]*(?:total[ \t]+|training[ \t]+)?FLOP(?:s|S)?\b|"
    r"\d[\d.,]{0,12}[ \t]*(?:ZFLOPs?|EFLOPs?|zetta-?FLOPs?|exa-?FLOPs?|petaflop(?:/s)?[- ]days?|PF(?:LOP)?(?:/?s)?[- ]days?)\b|"
    r"\bFLOPs?\b[^\d\n]{0,20}\d[\d.,]{0,12}[ \t]*(?:[x×·*][ \t]*10[ \t]*\^?[ \t]*\{?\d{1,2}|[eE]\+?\d{1,2})",
    re.IGNORECASE,
)
DURATION_RE = lazy(
    r"(?<![\w.,])(?P<num>\d[\d.,]{0,8}|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few|several)[ \t-]*"
    r"(?P<unit>minutes?|mins|hours?|hrs|days?|weeks?|months?)\b",
    re.IGNORECASE,
)
TRAINING_WORD_RE = lazy(r"\b(?:train|trained|training|pre-?train\w*|fine-?tun\w*|run (?:takes|took)|wall[- ]clock)\b", re.IGNORECASE)
_MEMORY_WORDS = r"(?:memory|RAM|VRAM|HBM\d?e?|显存|内存)"
_MEMORY_QUALIFIERS = r"(?:GPU|CPU|system|host|device|accelerator|unified|total|peak|video|DDR\d|high-bandwidth|or|and|per[ \t]+GPU)"
MEMORY_RE = lazy(
    r"(?<![\w.-])(?P<num>\d[\d.,]{0,8})[ \t]?(?P<unit>GB|GiB|TB|TiB|MB|MiB)\b(?:[ \t]+of)?[ \t]+(?:" + _MEMORY_QUALIFIERS + r"[ \t]+){0,3}"
    + _MEMORY_WORDS + r"\b|"
    r"(?<![\w.-])(?P<num2>\d[\d.,]{0,8})[ \t]?(?P<unit2>GB|GiB)[ \t-]*(?:GPU|VRAM|RAM|HBM\d?e?)s?\b|"
    r"\b(?:GPU[ \t]+|CPU[ \t]+|system[ \t]+|host[ \t]+|peak[ \t]+)?" + _MEMORY_WORDS
    + r"(?:[ \t]+(?:usage|requirements?|needed|required|footprint|per[ \t]+GPU))?[ \t*]*(?:[:|=]|of|is|was|needs|needed|required)?[ \t*|]*"
    r"(?:about|~|≈|at least|up to|roughly)?[ \t]*(?P<num3>\d[\d.,]{0,8})[ \t]?(?P<unit3>GB|GiB|TB|TiB|MB|MiB)\b",
    re.IGNORECASE,
)
# "A100-SXM4-80G", "H100-80G": an accelerator's product name that carries its memory in G states that memory
# (with GB, "A100 80GB", "A100-SXM4-80GB", it is read with the accelerator itself); so does a size in GB right
# before the name ("8 × 80GB A100 GPUs").
MEMORY_VARIANT_RE = lazy(
    r"\b(?:" + _NVIDIA + "|" + _AMD + r")(?:-(?:SXM\d?|PCIe|NVL)-(?P<num>\d{2,3})G|-(?P<num2>\d{2,3})G)\b|"
    r"(?<![\w.])(?P<num3>\d{2,3})[ \t]?GB[ \t]+(?:NVIDIA[ \t]+|AMD[ \t]+(?:Instinct[ \t]+)?)?(?:" + _NVIDIA + "|" + _AMD
    + r")(?:s|'s)?(?![A-Za-z0-9_])",
    re.IGNORECASE,
)
# "8 GPUs (80 GB each)", "24 GB per GPU": a size tied to each device is its memory.
MEMORY_EACH_RE = lazy(
    r"(?<![\w.-])(?P<num>\d[\d.,]{0,8})[ \t]?(?P<unit>GB|GiB|TB|TiB)[ \t]+(?:each|per[ \t]+(?:GPU|TPU|device|card|accelerator|chip))\b",
    re.IGNORECASE,
)
# "32 x 8 x A100": nodes times accelerators per node is a node layout.
NODE_LAYOUT_RE = lazy(
    r"(?<![\w.])\d{1,5}[ \t]*[x×][ \t]*\d{1,3}[ \t]*[x×][ \t]*(?:(?:NVIDIA|AMD|Google)[ \t]+)?(?:" + _NVIDIA + "|" + _AMD + r"|TPU)",
    re.IGNORECASE,
)
PARALLELISM_RE = lazy(
    r"\b(?:data|tensor|pipeline|expert|sequence|context|model|fully[ \t]+sharded[ \t]+data)[ \t-]+parallel(?:ism)?\b|"
    r"\bDistributedDataParallel\b|\bNVLink\b|\bNVSwitch\b|\bInfiniBand\b|\bRoCE\b|\bDeepSpeed\b|\bMegatron(?:-LM|-Core)?\b|"
    r"\bzero[_ -](?:optimization|stage)\b|\bnodes[ \t]+of[ \t]+\d+|\b\d+[ \t]+(?:GPUs|TPUs|accelerators)[ \t]+(?:per|each)[ \t]+node\b|"
    r"\bgpus_per_node\b|\btensor_model_parallel_size\b|\bpipeline_model_parallel_size\b|--nnodes\b|--nproc[-_]per[-_]node\b|"
    r"\b(?:strategy|distributed_type|sharding_strategy)[\"']?\s*[:=]\s*[\"']?(?:fsdp|ddp|deepspeed|megatron|full_shard|hybrid_shard)",
    re.IGNORECASE,
)
PARALLELISM_CASED_RE = lazy(r"\b(?:FSDP2?|DDP|ZeRO(?:-?[123]|\+\+)?|HSDP|GSPMD|pjit)\b|\b(?:TP|PP|DP|EP|CP)[ \t]*=[ \t]*\d")
ENERGY_RE = lazy(
    r"(?<![\w.])\d[\d.,]{0,12}[ \t]*(?:k|M|G)Wh\b|"
    r"(?<![\w.])\d[\d.,]{0,12}[ \t]*(?:t|kg|g|tons?|tonnes?|metric[ \t]+tons?)[ \t]*(?:of[ \t]+)?CO2(?:e|eq|-eq|[ \t]+equivalent)?\b|"
    r"\btCO2(?:e|eq)?\b[^\n]{0,3}|"
    r"\b(?:CO2|carbon)(?:[ \t]+(?:emitted|emissions|footprint))?[ \t*]*(?:[:|=]|of|was)[ \t*|]*(?:about|~|≈)?[ \t]*\d[\d.,]{0,12}[ \t]*(?:t|kg|g|tons?|tonnes?|tCO2\w*)\b",
    re.IGNORECASE,
)
# Cleaning: links, URLs, paths and digests are not statements about the hardware.
URL_RE = lazy(r"<?(?:https?|ftp)://[^\s)>\]]*>?|\bwww\.[^\s)>\]]*", re.IGNORECASE)
LINK_TARGET_RE = lazy(r"\]\([^)\s]{0,2000}(?:[ \t][^)]{0,200})?\)")
TOKEN_RE = lazy(r"\S+")
PATH_END_RE = lazy(r"\.\w{1,5}[`'\")\],.;:]*$")
WHEEL_RE = lazy(r"^[`'\"(]*nvidia-|-cu\d{2,3}\b", re.IGNORECASE)
ALNUM_RUN_RE = lazy(r"[A-Za-z0-9]{12,}")
INSTALL_LINE_RE = lazy(r"^\s*(?:[-*>$]\s+)?(?:pip3?|uv[ \t]+pip|conda|mamba|poetry|apt(?:-get)?)[ \t]+(?:install|add)\b|^\s*[\w.\[\]-]+[ \t]*(?:==|>=|~=|<=)[ \t]*\d", re.IGNORECASE)


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


DIGIT_RE = lazy(r"\d")
ACCELERATOR_WORDS = ("gaudi", "trainium", "inferentia", "silicon", "titan", "cerebras", "trillium")
PARALLELISM_WORDS = (
    "parallel", "nvlink", "nvswitch", "infiniband", "roce", "deepspeed", "megatron", "zero", "node", "strategy",
    "distributed_type", "sharding", "fsdp", "ddp", "hsdp", "gspmd", "pjit", "=",
)
MEMORY_UNITS = ("gb", "gib", "tb", "tib", "mb", "mib")


def has_accelerator_digits(lower: str) -> bool:
    """A cheap gate before MEMORY_VARIANT_RE: a digit right after a letter (a100, h100, mi300)."""
    return any(mark in lower for mark in ("a100", "a800", "h100", "h200", "h800", "v100", "p100", "a6000", "l40", "mi"))
COUNT_UNITS = ("gpu", "tpu", "accelerator", "chip", "device", "card", "node", "host", "machine", "server")


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


# --- the prefilter: every statement the patterns above can find holds one of these keywords --------------
# Masked form (see textindex.mask): lower case, digits as "#", blanks folded to one space.
_MEMORY_KEYWORDS = tuple(f"#{sep}{unit}" for unit in ("gb", "gib", "tb", "tib", "mb", "mib") for sep in ("", " "))
HARDWARE_KEYWORDS = (
    # accelerator names (digits masked) and vendors
    "gpu", "tpu", "nvidia", "cuda", "a###", "h##", "b###", "v###", "p###", "l##", "rtx", "gtx", "titan", "mi##",
    "gaudi", "trainium", "inferentia", "cerebras", "trillium", "apple", "m# pro", "m# max", "m# ultra", "cpu",
    # count units, launcher flags and config keys
    "accelerator", "chip", "device", "card", "node", "host", "machine", "server", "nproc", "ntask", "process",
    "gres", "world_size",
    # compute, durations, energy
    "hour", "hrs", "day", "year", "week", "month", "min", "flop", "pf", "kwh", "mwh", "gwh", "co#", "carbon",
    # parallelism
    "parallel", "nvlink", "nvswitch", "infiniband", "roce", "deepspeed", "megatron", "zero", "strategy",
    "distributed_type", "fsdp", "ddp", "hsdp", "gspmd", "pjit",
    "tp=", "tp =", "pp=", "pp =", "dp=", "dp =", "ep=", "ep =", "cp=", "cp =",
) + _MEMORY_KEYWORDS

# Statements in other languages: the patterns are data, one table per language (Chinese first: a large share
# of public releases state their hardware in it). ``numbers``: number words; ``count_before``: a count right
# before an accelerator name ("8张A100"); ``count``: a count with its own unit ("单卡", "8 张 GPU");
# ``compute``: accelerator hours ("1000 GPU小时"); ``duration``: wall-clock time, which counts as compute with
# hardware and training in the same paragraph ("训练约 6 小时"); ``training``: training words.
LANGUAGES = {
    "zh": {
        "numbers": {"单": 1, "一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                    "九": 9, "十": 10, "十六": 16, "三十二": 32, "六十四": 64},
        "count_before": r"(?P<num>\d{1,5}|[单一两二三四五六七八九十]{1,3})[ \t]*(?:张|块|台)[ \t]*(?:NVIDIA[ \t]+)?$",
        "count": r"(?<![A-Za-z0-9_.])(?P<num>\d{1,5}|[单一两二三四五六七八九十]{1,3})[ \t]*(?:张|块|台|个)?[ \t]*(?:卡|GPU|显卡|加速卡|节点)(?![时小])",
        "compute": r"\d[\d,.]{0,12}[ \t]*(?:万|千)?[ \t]*(?:GPU|TPU|卡)[ \t]*(?:小时|时|天)",
        "duration": r"(?P<num>\d[\d.,]{0,8}|[一二两三四五六七八九十半几]{1,3})[ \t]*个?[ \t]*(?P<unit>分钟|小时|天|周|个月)",
        "training": r"训练|微调|耗时",
        "keywords": ("卡", "张", "块", "台", "节点", "小时", "分钟", "天", "周", "个月", "显存", "内存"),
    },
}
register_family("hardware", HARDWARE_KEYWORDS + tuple(k for table in LANGUAGES.values() for k in table["keywords"]))
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


DURATION_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "few", "several")


def _statements(
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
    fenced: frozenset = frozenset()
    if path.lower().endswith((".md", ".markdown", ".mdx")):
        from release_lint.mdparse import fenced_line_numbers

        fenced = fenced_line_numbers(texts)  # positions in texts, as the context below counts them
    context = document_context(texts, fenced)
    hits = [(numbered[i - 1][0], text) for i, text in family_hits(texts, "hardware")]

    def paragraph_of(number: int) -> str:
        first, last = context.paragraph(position[number] + 1)
        return "\n".join(texts[first - 1 : last])

    def topic_of(number: int, _raw: str) -> Optional[str]:
        return context.context(position[number] + 1).topic

    return _statements(hits, path, paragraph_of, topic_of)


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

        return _statements(hits, path, paragraph_of, topic_of, limit)
    lines = dict(hits)
    if kind == "script":
        def topic_of(number: int, raw: str) -> Optional[str]:
            line = command_runs(repo, raw) if not raw.lstrip().startswith("#") else None
            return line or script_topic(repo, path)

        def paragraph_of(number: int) -> str:
            # A script's prose is its comment block ("# on 8X A100 ... / # => training time ... 24 hours").
            return _comment_block(repo.lines(path), number) or lines.get(number, "")

        return _statements(hits, path, paragraph_of, topic_of, limit)

    def config_topic_of(number: int, raw: str) -> Optional[str]:
        return config_topic(repo, path)
    # Configs have no prose paragraphs: a line is its own paragraph.
    return _statements(hits, path, lambda number: lines.get(number, ""), config_topic_of, limit)


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
