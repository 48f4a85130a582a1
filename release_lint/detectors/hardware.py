"""Infrastructure statements: accelerator type, count, compute budget, memory, parallelism and energy.

Statements are read from the model card (front matter included), documents under docs/, technical-report
Markdown, configuration files and launch scripts — never from requirement or lock files, where
``nvidia-cublas-cu12`` names a wheel, not the hardware. Before matching, each line loses its URLs and link
targets, path-like tokens and hash-like tokens, so "H100" inside a link or a digest does not count; "v4"
counts only as a TPU version, and a size counts as memory only next to a memory word (not "disk space").

:func:`extract_hardware` is a pure, linear function over ``(line, text)`` pairs; :func:`hardware_facts`
applies it to the release once per run and returns :class:`HardwareFacts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Tuple

from release_lint.detectors.training import MAX_LINE_CHARS, code_files, config_files, documentation_files
from release_lint.repo import Repo, detector

KINDS = ("accelerator", "count", "compute", "memory", "parallelism", "energy")
MAX_PARAGRAPH_LINES = 40
MAX_LINES_PER_FILE = 20_000
MAX_STATEMENTS_PER_FILE = 1000  # enough to grade any real document; bounds pathological inputs

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
ACCELERATOR_RE = re.compile(
    r"(?<![A-Za-z0-9_/.])(?P<vendor>(?:NVIDIA|AMD|Google|Intel|Tesla|Instinct|AWS)[ \t]+){0,2}"
    rf"(?P<name>{_NVIDIA}|{_AMD}|{_TPU}|{_OTHER}|(?P<short>{_NVIDIA_SHORT}))"
    rf"(?:{_MEMORY_SUFFIX})?(?:s|'s)?(?![A-Za-z0-9_])",
    re.IGNORECASE,
)
CPU_ONLY_RE = re.compile(
    r"\bCPU[- ]only\b|\bonly[ \t]+(?:on[ \t]+)?(?:a[ \t]+)?CPUs?\b|\btrained[ \t]+(?:entirely[ \t]+)?on[ \t]+(?:a[ \t]+|the[ \t]+)?CPUs?\b|"
    r"\bwithout[ \t]+(?:a[ \t]+|any[ \t]+)?GPUs?\b",
    re.IGNORECASE,
)
WORD_NUMBERS = {
    "a single": 1, "single": 1, "one": 1, "two": 2, "three": 3, "four": 4, "eight": 8, "sixteen": 16,
    "a pair of": 2, "thirty-two": 32, "sixty-four": 64,
}
_NUMBER = r"(?P<num>\d[\d,]{0,9}(?:\.\d+)?[ \t]?[kK]?|a single|single|one|two|three|four|eight|sixteen|thirty-two|sixty-four|a pair of)"
COUNT_BEFORE_RE = re.compile(
    _NUMBER + r"[ \t]*(?:x|×|\*)?[ \t]*(?:(?:NVIDIA|AMD|Google|Intel|Habana|AWS|Cloud|Tesla|Instinct|Apple)[ \t]+){0,3}$",
    re.IGNORECASE,
)
COUNT_AFTER_RE = re.compile(r"^[ \t]*(?:GPUs?|TPUs?|chips?|accelerators?|cards?)?[ \t]*(?:x|×|\*)[ \t]*(?P<num>\d{1,6})\b", re.IGNORECASE)
GENERIC_COUNT_RE = re.compile(
    r"(?<![\w.,])(?P<num>\d[\d,]{0,9}[ \t]?[kK]?)[ \t]*(?:x[ \t]*)?-?[ \t]*(?:(?!(?:GB|GiB|MB|MiB|TB|TiB|of|or|and|in|per)\b)[A-Za-z][\w-]{0,20}[ \t]+){0,2}?"
    r"(?P<unit>GPUs|TPUs|GPU|TPU|accelerators?|TPU[ \t]chips|chips|devices|cards|nodes|hosts|machines|servers)\b"
    r"(?![ \t-]*(?:hours?|hrs|days?|weeks?|months?|years?|memory|RAM|VRAM|kernels?|utili[sz]ation|time|seconds|minutes|budget|type|model|driver)\b)",
    re.IGNORECASE,
)
SELF_EVIDENT_UNITS = {"gpus", "tpus", "gpu", "tpu", "accelerator", "accelerators", "tpu chips"}
ACCELERATOR_CONTEXT_RE = re.compile(r"\b(?:GPUs?|TPUs?|accelerators?|CUDA|NVIDIA|AMD Instinct|Gaudi)\b", re.IGNORECASE)
LAUNCH_COUNT_RE = re.compile(
    r"--(?P<key>nnodes|num[-_]nodes|nodes|nproc[-_]per[-_]node|num[-_]gpus|gpus|gpus[-_]per[-_]node|ntasks[-_]per[-_]node|"
    r"num[-_]processes|num[-_]machines)[ \t=]+(?P<num>\d{1,6})\b|--gres[ \t=]+gpu(?::[\w-]+)?:(?P<gres>\d{1,4})\b",
    re.IGNORECASE,
)
CONFIG_COUNT_RE = re.compile(
    r"^\s*[\"']?(?P<key>num_nodes|nnodes|nodes|num_machines|gpus_per_node|nproc_per_node|num_processes|num_gpus|n_gpus|"
    r"world_size|devices|tpu_cores|num_accelerators)[\"']?\s*[:=]\s*(?P<num>\d{1,6})\s*,?\s*(?:#.*)?$",
    re.IGNORECASE,
)
_ACCEL_UNIT = r"(?:GPU|TPU|accelerator|chip|device|node|core|A100|H100|H800|H200|V100|B200|MI250X?|MI300X?|TPU[ \t-]?v\w{1,3})"
COMPUTE_HOURS_RE = re.compile(
    r"(?P<num>\d[\d,]{0,12}(?:\.\d+)?[ \t]*(?:k|K|M|thousand|million|billion)?)[ \t]*(?:[A-Za-z-]{1,12}[ \t]+)?"
    + _ACCEL_UNIT + r"s?[ \t-]*(?P<unit>hours?|hrs|days?|years?)\b",
    re.IGNORECASE,
)
COMPUTE_HOURS_AFTER_RE = re.compile(
    _ACCEL_UNIT + r"s?[ \t-]*hours?(?:[ \t]+used)?[ \t*]*[:|=][ \t*|]*(?:~|≈|about[ \t]+)?\d|\bhours[ \t]+used\W{0,12}\d",
    re.IGNORECASE,
)
FLOPS_RE = re.compile(
    r"\d[\d.,]{0,12}[ \t]*(?:[x×·*][ \t]*10[ \t]*\^?[ \t]*\{?[ \t]*\d{1,2}\}?|[eE]\+?\d{1,2})[ \t]*(?:total[ \t]+|training[ \t]+)?FLOP(?:s|S)?\b|"
    r"\d[\d.,]{0,12}[ \t]*(?:ZFLOPs?|EFLOPs?|zetta-?FLOPs?|exa-?FLOPs?|petaflop(?:/s)?[- ]days?|PF(?:LOP)?(?:/?s)?[- ]days?)\b|"
    r"\bFLOPs?\b[^\d\n]{0,20}\d[\d.,]{0,12}[ \t]*(?:[x×·*][ \t]*10[ \t]*\^?[ \t]*\{?\d{1,2}|[eE]\+?\d{1,2})",
    re.IGNORECASE,
)
DURATION_RE = re.compile(
    r"(?<![\w.,])(?P<num>\d[\d.,]{0,8}|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few|several)[ \t-]*"
    r"(?P<unit>minutes?|mins|hours?|hrs|days?|weeks?|months?)\b",
    re.IGNORECASE,
)
TRAINING_WORD_RE = re.compile(r"\b(?:train|trained|training|pre-?train\w*|fine-?tun\w*|run (?:takes|took)|wall[- ]clock)\b", re.IGNORECASE)
_MEMORY_WORDS = r"(?:memory|RAM|VRAM|HBM\d?e?)"
_MEMORY_QUALIFIERS = r"(?:GPU|CPU|system|host|device|accelerator|unified|total|peak|video|DDR\d|high-bandwidth|or|and|per[ \t]+GPU)"
MEMORY_RE = re.compile(
    r"(?<![\w.-])(?P<num>\d[\d.,]{0,8})[ \t]?(?P<unit>GB|GiB|TB|TiB|MB|MiB)\b(?:[ \t]+of)?[ \t]+(?:" + _MEMORY_QUALIFIERS + r"[ \t]+){0,3}"
    + _MEMORY_WORDS + r"\b|"
    r"(?<![\w.-])(?P<num2>\d[\d.,]{0,8})[ \t]?(?P<unit2>GB|GiB)[ \t-]*(?:GPU|VRAM|RAM|HBM\d?e?)s?\b|"
    r"\b(?:GPU[ \t]+|CPU[ \t]+|system[ \t]+|host[ \t]+|peak[ \t]+)?" + _MEMORY_WORDS
    + r"(?:[ \t]+(?:usage|requirements?|needed|required|footprint|per[ \t]+GPU))?[ \t*]*(?:[:|=]|of|is|was|needs|needed|required)?[ \t*|]*"
    r"(?:about|~|≈|at least|up to|roughly)?[ \t]*(?P<num3>\d[\d.,]{0,8})[ \t]?(?P<unit3>GB|GiB|TB|TiB|MB|MiB)\b",
    re.IGNORECASE,
)
# "8 GPUs (80 GB each)", "24 GB per GPU": a size tied to each device is its memory.
MEMORY_EACH_RE = re.compile(
    r"(?<![\w.-])(?P<num>\d[\d.,]{0,8})[ \t]?(?P<unit>GB|GiB|TB|TiB)[ \t]+(?:each|per[ \t]+(?:GPU|TPU|device|card|accelerator|chip))\b",
    re.IGNORECASE,
)
# "32 x 8 x A100": nodes times accelerators per node is a node layout.
NODE_LAYOUT_RE = re.compile(
    r"(?<![\w.])\d{1,5}[ \t]*[x×][ \t]*\d{1,3}[ \t]*[x×][ \t]*(?:(?:NVIDIA|AMD|Google)[ \t]+)?(?:" + _NVIDIA + "|" + _AMD + r"|TPU)",
    re.IGNORECASE,
)
PARALLELISM_RE = re.compile(
    r"\b(?:data|tensor|pipeline|expert|sequence|context|model|fully[ \t]+sharded[ \t]+data)[ \t-]+parallel(?:ism)?\b|"
    r"\bDistributedDataParallel\b|\bNVLink\b|\bNVSwitch\b|\bInfiniBand\b|\bRoCE\b|\bDeepSpeed\b|\bMegatron(?:-LM|-Core)?\b|"
    r"\bzero[_ -](?:optimization|stage)\b|\bnodes[ \t]+of[ \t]+\d+|\b\d+[ \t]+(?:GPUs|TPUs|accelerators)[ \t]+(?:per|each)[ \t]+node\b|"
    r"\bgpus_per_node\b|\btensor_model_parallel_size\b|\bpipeline_model_parallel_size\b|--nnodes\b|--nproc[-_]per[-_]node\b|"
    r"\b(?:strategy|distributed_type|sharding_strategy)[\"']?\s*[:=]\s*[\"']?(?:fsdp|ddp|deepspeed|megatron|full_shard|hybrid_shard)",
    re.IGNORECASE,
)
PARALLELISM_CASED_RE = re.compile(r"\b(?:FSDP2?|DDP|ZeRO(?:-?[123]|\+\+)?|HSDP|GSPMD|pjit)\b|\b(?:TP|PP|DP|EP|CP)[ \t]*=[ \t]*\d")
ENERGY_RE = re.compile(
    r"(?<![\w.])\d[\d.,]{0,12}[ \t]*(?:k|M|G)Wh\b|"
    r"(?<![\w.])\d[\d.,]{0,12}[ \t]*(?:t|kg|g|tons?|tonnes?|metric[ \t]+tons?)[ \t]*(?:of[ \t]+)?CO2(?:e|eq|-eq|[ \t]+equivalent)?\b|"
    r"\btCO2(?:e|eq)?\b[^\n]{0,3}|"
    r"\b(?:CO2|carbon)(?:[ \t]+(?:emitted|emissions|footprint))?[ \t*]*(?:[:|=]|of|was)[ \t*|]*(?:about|~|≈)?[ \t]*\d[\d.,]{0,12}[ \t]*(?:t|kg|g|tons?|tonnes?|tCO2\w*)\b",
    re.IGNORECASE,
)
# Cleaning: links, URLs, paths and digests are not statements about the hardware.
URL_RE = re.compile(r"<?(?:https?|ftp)://[^\s)>\]]*>?|\bwww\.[^\s)>\]]*", re.IGNORECASE)
LINK_TARGET_RE = re.compile(r"\]\([^)\s]{0,2000}(?:[ \t][^)]{0,200})?\)")
TOKEN_RE = re.compile(r"\S+")
PATH_END_RE = re.compile(r"\.\w{1,5}[`'\")\],.;:]*$")
WHEEL_RE = re.compile(r"^[`'\"(]*nvidia-|-cu\d{2,3}\b", re.IGNORECASE)
ALNUM_RUN_RE = re.compile(r"[A-Za-z0-9]{12,}")
INSTALL_LINE_RE = re.compile(r"^\s*(?:[-*>$]\s+)?(?:pip3?|uv[ \t]+pip|conda|mamba|poetry|apt(?:-get)?)[ \t]+(?:install|add)\b|^\s*[\w.\[\]-]+[ \t]*(?:==|>=|~=|<=)[ \t]*\d", re.IGNORECASE)


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

    def to_dict(self) -> dict:
        return {
            "kind": self.kind, "value": self.value, "path": self.path, "line": self.line, "text": self.text,
            "accelerator": self.accelerator, "number": self.number,
        }


@dataclass
class HardwareFacts:
    """All statements found, by kind (each list ordered by path, then line)."""

    accelerators: List[HardwareStatement] = field(default_factory=list)
    counts: List[HardwareStatement] = field(default_factory=list)
    compute: List[HardwareStatement] = field(default_factory=list)
    memory: List[HardwareStatement] = field(default_factory=list)
    parallelism: List[HardwareStatement] = field(default_factory=list)
    energy: List[HardwareStatement] = field(default_factory=list)

    @property
    def level(self) -> str:
        """"present" (accelerator type, count and compute all stated), "partial" (some infrastructure fact)
        or "absent" — the grade the openness verdict gives the infrastructure area."""
        if self.accelerators and self.counts and self.compute:
            return "present"
        if self.accelerators or self.counts or self.compute or self.memory or self.parallelism:
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


DIGIT_RE = re.compile(r"\d")
ACCELERATOR_WORDS = ("gaudi", "trainium", "inferentia", "silicon", "titan", "cerebras", "trillium")
PARALLELISM_WORDS = (
    "parallel", "nvlink", "nvswitch", "infiniband", "roce", "deepspeed", "megatron", "zero", "node", "strategy",
    "distributed_type", "sharding", "fsdp", "ddp", "hsdp", "gspmd", "pjit", "=",
)
MEMORY_UNITS = ("gb", "gib", "tb", "tib", "mb", "mib")
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
        count_match = COUNT_BEFORE_RE.search(text[max(0, match.start() - 60) : match.start()])
        after = COUNT_AFTER_RE.match(text[match.end() : match.end() + 40])
        tpu_slice = match.group("slice") or match.group("slice2")
        count = count_match.group("num") if count_match else after.group("num") if after else tpu_slice
        if count and _number(count) and not (count_match and re.fullmatch(r"(?:19|20)\d\d", count.strip())):
            add("count", count.strip(), number, match.group(0), label, _number(count))


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
    if "wh" in lower or "co2" in lower or "carbon" in lower:
        for match in ENERGY_RE.finditer(text):
            add("energy", match.group(0).strip(), number, match.group(0))


def extract_hardware(lines: Iterable[Tuple[int, str]], path: str) -> List[HardwareStatement]:
    """Hardware statements in *lines* (``(line number, text)`` pairs of one file). Pure; never raises on any
    text; linear in its length (lines are cut at MAX_LINE_CHARS, every pattern is bounded)."""
    found: List[HardwareStatement] = []
    paragraph: List[Tuple[int, str]] = []

    def add(kind, value, line, text, accelerator=None, number=None):
        found.append(HardwareStatement(kind, value, path, line, " ".join(text.split())[:200], accelerator, number))

    def flush():
        # Wall-clock time counts as compute only with the hardware and training in the same paragraph.
        if not paragraph:
            return
        joined = " ".join(text for _n, text in paragraph)
        if (ACCELERATOR_CONTEXT_RE.search(joined) or ACCELERATOR_RE.search(joined)) and TRAINING_WORD_RE.search(joined):
            for number, text in paragraph:
                for match in DURATION_RE.finditer(text):
                    before = text[max(0, match.start() - 12) : match.start()].lower()
                    if re.search(r"(?:gpu|tpu|chip|node)[ \t-]*$", before):
                        continue
                    add("compute", match.group(0), number, text)
        paragraph.clear()

    for number, raw in lines:
        if len(found) >= MAX_STATEMENTS_PER_FILE or number > MAX_LINES_PER_FILE:
            break
        text = clean_line(raw)
        if not text.strip() or len(paragraph) >= MAX_PARAGRAPH_LINES:
            flush()
            if not text.strip():
                continue
        paragraph.append((number, text))
        lower = text.lower()
        has_digit = DIGIT_RE.search(text) is not None
        # Cheap substring tests first: most lines of a document state nothing about hardware.
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
    flush()
    return found


def hardware_sources(repo: Repo) -> List[str]:
    """The files read for statements: documentation (card first), config files, shell/Slurm launch scripts."""
    scripts = [p for p in code_files(repo) if p.lower().endswith((".sh", ".bash", ".sbatch", ".slurm"))]
    return documentation_files(repo) + config_files(repo) + scripts


@detector
def hardware_facts(repo: Repo) -> HardwareFacts:
    """Every infrastructure statement in the release, as :class:`HardwareFacts` (see its ``level``).

    The model card's ``co2_eq_emissions`` front-matter key is an "energy" statement at the key's line.
    """
    facts = HardwareFacts()
    statements: List[HardwareStatement] = []
    for path in hardware_sources(repo):
        statements.extend(extract_hardware(enumerate(repo.lines(path), 1), path))
        if path.lower().endswith((".md", ".markdown", ".mdx")):
            doc = repo.markdown(path)
            if doc is not None and doc.front_matter.mapping.get("co2_eq_emissions") not in (None, "", {}, []):
                line = doc.front_matter.line_of("co2_eq_emissions") or 1
                statements.append(HardwareStatement("energy", "co2_eq_emissions", path, line, "co2_eq_emissions"))
    for statement in sorted(statements, key=lambda s: (s.path, s.line)):
        getattr(facts, _LIST[statement.kind]).append(statement)
    return facts
