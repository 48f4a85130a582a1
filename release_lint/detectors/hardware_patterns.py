"""What hardware statements look like, as data: the patterns of accelerators, counts, compute, memory,
parallelism and energy, the patterns that clean a line before matching, the keywords that let a line reach the
patterns (:data:`HARDWARE_KEYWORDS`, registered with the run's text index), and the tables of other languages
(:data:`LANGUAGES`). Extraction is :mod:`release_lint.detectors.hardware_statements`.
"""

from __future__ import annotations

import re

from release_lint.textindex import lazy, register_family

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

DIGIT_RE = lazy(r"\d")
ACCELERATOR_WORDS = ("gaudi", "trainium", "inferentia", "silicon", "titan", "cerebras", "trillium")
PARALLELISM_WORDS = (
    "parallel", "nvlink", "nvswitch", "infiniband", "roce", "deepspeed", "megatron", "zero", "node", "strategy",
    "distributed_type", "sharding", "fsdp", "ddp", "hsdp", "gspmd", "pjit", "=",
)
MEMORY_UNITS = ("gb", "gib", "tb", "tib", "mb", "mib")
COUNT_UNITS = ("gpu", "tpu", "accelerator", "chip", "device", "card", "node", "host", "machine", "server")

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

DURATION_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "few", "several")
