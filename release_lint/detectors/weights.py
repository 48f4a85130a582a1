"""Weight files: their format judged by magic bytes, LFS pointers and patterns, shard indexes, checksums.

Nothing here loads a model: pickle streams are walked opcode by opcode with the stdlib
``pickletools`` (never ``pickle.load``) and judged against torch's safe-loader allow-list, zip archives are parsed from their local headers
in a bounded prefix, and a large file is judged by its size and first bytes only.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from release_lint.globs import glob_regex
from release_lint.repo import Repo, detector

# Extensions that usually hold weights or serialised models.
PICKLE_EXTENSIONS = (".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle", ".joblib", ".dill")
OTHER_WEIGHT_EXTENSIONS = (".safetensors", ".gguf", ".ggml", ".h5", ".hdf5", ".keras", ".onnx", ".msgpack",
                           ".npz", ".npy", ".tflite", ".mlmodel", ".pb", ".nemo", ".mar", ".llamafile")
# Ambiguous names that are headed (first bytes read) to see whether they hold a pickle.
MAYBE_WEIGHT_EXTENSIONS = (".dat", ".model", ".weights", ".params", ".state", ".data", ".sav")
WEIGHT_EXTENSIONS = PICKLE_EXTENSIONS + OTHER_WEIGHT_EXTENSIONS
# How much of a pickle stream (or of a zip's data.pkl) is scanned. data.pkl of a 70B model is a few MB.
PICKLE_SCAN_BYTES = 16 * 1024 * 1024
# How much of a zip file is read to find its pickle member (torch writes data.pkl first).
ZIP_SCAN_BYTES = 32 * 1024 * 1024
SAFETENSORS_MAX_HEADER = 100 * 1024 * 1024  # the safetensors library's own limit
# Headers parsed by ART008: real ones are a few MB at most (one entry per tensor); a larger one is
# reported as not checked rather than parsed into ten times its size in Python objects.
SAFETENSORS_PARSE_HEADER = 16 * 1024 * 1024
OLD_PICKLE_SNIFF_BYTES = 4096  # bytes parsed to recognise a protocol 0/1 pickle by content
SAFETENSORS_DTYPES = {"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32",
                      "F32", "F64", "I64", "U64", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64"}
SHARD_INDEX_SUFFIXES = (".safetensors.index.json", ".bin.index.json", ".pt.index.json", ".pth.index.json")
SHARD_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<index>\d{5})-of-(?P<total>\d{5})\.(?P<ext>[a-z]+)$", re.IGNORECASE)
MAX_LFS_RULES = 50_000  # filter lines read from .gitattributes files (`*.ext` ones cost a dict entry)
MAX_LFS_GLOBS = 1_000  # other patterns, each matched against every weight file
MAX_SHARDS_PER_INDEX = 10_000  # distinct shard files one index may name (real ones name a few hundred)
JSON_STRING_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"')  # a JSON string token, escapes included; linear

@dataclass(frozen=True)
class LfsPointer:
    oid: str  # "sha256:<hex>"
    size: Optional[int]


@dataclass
class WeightFile:
    """One weight file of the release.

    ``format``: "safetensors", "pickle", "torch-zip" (a zip holding a pickle), "zip", "gguf", "hdf5",
    "numpy", "numpy-object" / "npz-object" (an array of Python objects: a pickle), "onnx", "other", or "lfs-pointer" when the work tree holds only the pointer (then
    ``lfs`` has its oid and size and the format is judged by the extension: ``pickle_by_name``).
    """

    path: str
    format: str
    size: Optional[int]
    lfs: Optional[LfsPointer] = None

    @property
    def is_training_state(self) -> bool:
        """Pickled training leftovers, not parameters: Trainer's ``training_args.bin``, optimizer,
        scheduler, scaler and RNG states. Still scanned for unsafe imports; not weights to convert."""
        return bool(TRAINING_STATE_RE.search(self.path))

    @property
    def is_model_parameters(self) -> bool:
        """Parameters the release ships, to checksum and sign: not training state, and not a NumPy array
        left in an analysis or data folder (training-code repositories commit those; at the root or in a
        model folder an array is taken for weights)."""
        if self.is_training_state:
            return False
        if self.path.lower().endswith(DATA_ARRAY_EXTENSIONS):
            return "/" not in self.path or bool(MODEL_FOLDER_RE.search(self.path))
        return True

    @property
    def is_pickle(self) -> bool:
        if self.format == "lfs-pointer":
            return self.path.lower().endswith(PICKLE_EXTENSIONS)
        return self.format in ("pickle", "torch-zip", "numpy-object", "npz-object")


_ALL_WEIGHT_SUFFIXES = WEIGHT_EXTENSIONS + MAYBE_WEIGHT_EXTENSIONS
# NumPy arrays are weights only at the root or in a model folder; elsewhere they are data or results.
DATA_ARRAY_EXTENSIONS = (".npy", ".npz")
MODEL_FOLDER_RE = re.compile(r"(?:^|/)[^/]*(?:model|checkpoint|ckpt|weight|pretrained|export)[^/]*/", re.IGNORECASE)
TRAINING_STATE_RE = re.compile(
    r"(?:^|/)(?:training_args\.bin|(?:optimizer|scheduler|scaler)(?:_\w+)?\.(?:pt|pth|bin)|rng_state(?:_\d+)?\.pth)$",
    re.IGNORECASE,
)


def _name_extension(name: str) -> str:
    """The weight extension a lower-cased file name ends with, or ""."""
    if not name.endswith(_ALL_WEIGHT_SUFFIXES):  # most files: one C-level test
        return ""
    for suffix in WEIGHT_EXTENSIONS + MAYBE_WEIGHT_EXTENSIONS:
        if name.endswith(suffix):
            return suffix
    return ""


def parse_lfs_pointer(data: bytes) -> Optional[LfsPointer]:
    """The oid and size of a Git LFS pointer file (spec v1), or None."""
    text = data.decode("utf-8", "replace")
    oid = re.search(r"^oid (sha256:[0-9a-f]{64})$", text, re.MULTILINE)
    size = re.search(r"^size (\d+)$", text, re.MULTILINE)
    if not oid:
        return None
    return LfsPointer(oid.group(1), int(size.group(1)) if size else None)


def sniff_format(head: bytes, size: Optional[int]) -> str:
    """The format of a file from its first bytes (at least 16 are needed)."""
    if len(head) >= 9 and size is not None:
        (length,) = struct.unpack("<Q", head[:8])
        if 2 <= length <= min(size - 8, SAFETENSORS_MAX_HEADER) and head[8:9] == b"{":
            return "safetensors"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"GGUF") or head[:4] in (b"lmgg", b"fmgg", b"tjgg"):
        return "gguf"
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return "hdf5"
    if head.startswith(b"\x93NUMPY"):
        return "numpy"
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        return "pickle"
    return "other"


@detector
def weight_files(repo: Repo) -> List[WeightFile]:
    """Every weight file: ``[WeightFile(path, format, size, lfs)]`` in path order.

    Candidates are chosen by name (weight extensions, plus ambiguous ones such as ``.dat`` that are
    kept only when their magic bytes say pickle/zip/safetensors); each is judged by its first 16 bytes.
    """
    found = []
    for path, name in zip(repo.files, repo.lower_names()):
        extension = _name_extension(name)
        if not extension or path.lower().endswith(".index.json"):
            continue
        size = repo.size(path)
        if size is None:
            continue
        if repo.is_lfs_pointer(path):
            pointer = parse_lfs_pointer(repo.head(path, 1024))
            found.append(WeightFile(path, "lfs-pointer", size, pointer))
            continue
        head = repo.head(path, 16)
        kind = sniff_format(head, size)
        if kind == "zip" and extension in PICKLE_EXTENSIONS + (".nemo", ".mar") + MAYBE_WEIGHT_EXTENSIONS:
            kind = "torch-zip" if _zip_pickle_member(repo, path)[0] else "zip"
        elif kind == "zip" and extension == ".npz":
            kind = "npz-object" if next(_npz_object_members(repo, path), None) else "zip"
        elif kind == "numpy" and npy_object_offset(repo.head(path, 12 + NPY_MAX_HEADER)) is not None:
            kind = "numpy-object"
        if kind == "other":
            if extension in (".pkl", ".pickle", ".joblib", ".dill") and size > 0:
                kind = "pickle"  # protocol 0/1 pickles have no magic number
            elif extension in PICKLE_EXTENSIONS + MAYBE_WEIGHT_EXTENSIONS and looks_like_old_pickle(
                    repo.head(path, OLD_PICKLE_SNIFF_BYTES)):
                kind = "pickle"  # torch.load reads a protocol 0/1 pickle named .pt/.bin/.ckpt all the same
            elif extension == ".onnx":
                kind = "onnx"
        if extension in MAYBE_WEIGHT_EXTENSIONS and kind not in ("pickle", "torch-zip", "safetensors", "gguf"):
            continue
        found.append(WeightFile(path, kind, size))
    return found


# --- pickle scanning ---------------------------------------------------------------------
#
# A pickle is judged the way torch's safe loader (torch.load(weights_only=True)) judges it: the
# globals a real checkpoint needs are allowed, every other import is reported. The deny-list does not
# decide *whether* an import is reported, only how strongly: a known code-execution gadget is
# "dangerous", anything else outside the allow-list is "unknown" (a class whose code runs at load time).

# What checkpoints import: torch's weights_only allow-list (tensor rebuild functions, storages, dtypes,
# layouts, quantisation schemes, Size/device/Parameter), the stdlib containers it accepts, numpy's
# array reconstructors (numpy arrays and rng_state.pth), and the training-argument classes and enums
# that Trainer's training_args.bin holds. (module, names); "*" means every name of the module.
TORCH_STORAGES = tuple(f"{kind}Storage" for kind in (
    "Bool", "Byte", "Char", "Short", "Int", "Long", "Half", "Float", "Double", "BFloat16", "ComplexFloat",
    "ComplexDouble", "QInt8", "QUInt8", "QInt32", "QUInt4x2", "QUInt2x4", "Untyped"))
TORCH_DTYPES = (
    "bool", "uint8", "int8", "int16", "short", "int32", "int", "int64", "long", "uint16", "uint32", "uint64",
    "float16", "half", "bfloat16", "float32", "float", "float64", "double", "complex32", "chalf", "complex64",
    "cfloat", "complex128", "cdouble", "qint8", "quint8", "qint32", "quint4x2", "quint2x4", "float8_e4m3fn",
    "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e8m0fnu", "float4_e2m1fn_x2")
TORCH_LAYOUTS_AND_SCHEMES = (
    "strided", "sparse_coo", "sparse_csr", "sparse_csc", "sparse_bsr", "sparse_bsc", "_mkldnn", "jagged",
    "per_tensor_affine", "per_channel_affine", "per_tensor_symmetric", "per_channel_symmetric",
    "per_channel_affine_float_qparams", "contiguous_format", "channels_last", "channels_last_3d",
    "preserve_format")
NUMPY_RECONSTRUCTORS = ("_reconstruct", "scalar")
SAFE_GLOBALS: Dict[str, Tuple[str, ...]] = {
    "torch": TORCH_STORAGES + TORCH_DTYPES + TORCH_LAYOUTS_AND_SCHEMES + ("Size", "Tensor", "device"),
    "torch._utils": (
        "_rebuild_tensor", "_rebuild_tensor_v2", "_rebuild_tensor_v3", "_rebuild_parameter",
        "_rebuild_parameter_with_state", "_rebuild_qtensor", "_rebuild_sparse_tensor", "_rebuild_nested_tensor",
        "_rebuild_meta_tensor_no_storage", "_rebuild_wrapper_subclass", "_rebuild_device_tensor_from_numpy",
        "_rebuild_device_tensor_from_cpu_tensor"),
    "torch._tensor": ("_rebuild_from_type_v2",),
    "torch.nn.parameter": ("Parameter",),
    "torch.serialization": ("_get_layout",),
    "torch.storage": ("UntypedStorage", "TypedStorage"),
    "collections": ("OrderedDict", "Counter", "defaultdict", "deque"),
    "builtins": ("set", "frozenset", "bytearray", "bytes", "complex", "slice", "range", "object", "list",
                 "dict", "tuple", "int", "float", "str", "bool"),
    "__builtin__": ("set", "frozenset", "bytearray", "complex", "slice", "object", "list", "dict", "tuple",
                    "int", "long", "float", "str", "unicode", "bool"),
    "copy_reg": ("_reconstructor",),  # protocol 0/1 objects: cls and base are imported (and judged) separately
    "copyreg": ("_reconstructor",),
    "_codecs": ("encode",),  # how protocol 2 writes bytes
    "numpy": ("ndarray", "dtype"),
    "numpy.core.multiarray": NUMPY_RECONSTRUCTORS,
    "numpy._core.multiarray": NUMPY_RECONSTRUCTORS,
    "numpy.dtypes": ("*",),  # numpy 2's dtype classes (Float32DType...)
    "numpy.random._pickle": ("__randomstate_ctor", "__bit_generator_ctor", "__generator_ctor"),
    "transformers.training_args": ("TrainingArguments", "OptimizerNames", "ParallelMode"),
    "transformers.training_args_seq2seq": ("Seq2SeqTrainingArguments",),
    "transformers.trainer_utils": ("IntervalStrategy", "SaveStrategy", "HubStrategy", "SchedulerType",
                                   "FSDPOption", "EvaluationStrategy"),
    "transformers.trainer_pt_utils": ("AcceleratorConfig",),
    "transformers.debug_utils": ("DebugOption",),
    "accelerate.utils.dataclasses": ("DistributedType",),
    "accelerate.state": ("PartialState", "AcceleratorState"),  # Trainer keeps its process state on its arguments
    "trl.trainer.sft_config": ("SFTConfig",),
    "trl.trainer.dpo_config": ("DPOConfig", "FDivergenceType"),
    "trl.trainer.grpo_config": ("GRPOConfig",),
    "trl.trainer.reward_config": ("RewardConfig",),
}

# Known code-execution gadgets, at least as wide as picklescan's list: they make a finding "dangerous".
# Modules are matched exactly or as a parent package ("os" covers "os.path").
_EVAL_BUILTINS = ("eval", "exec", "execfile", "compile", "open", "__import__", "getattr", "setattr", "delattr",
                  "globals", "locals", "vars", "input", "breakpoint", "apply", "memoryview", "file", "reload",
                  "aiter", "anext")
DANGEROUS_GLOBALS: Dict[str, Tuple[str, ...]] = {
    **{module: ("*",) for module in (
        "os", "posix", "nt", "subprocess", "_posixsubprocess", "_winapi", "pty", "commands", "popen2",
        "socket", "_socket", "ssl", "runpy", "shutil", "webbrowser", "asyncio", "multiprocessing", "_multiprocessing",
        "concurrent", "threading", "_thread", "signal", "ctypes", "_ctypes", "code", "codeop", "importlib", "imp",
        "zipimport", "marshal", "pickle", "_pickle", "cPickle", "dill", "cloudpickle", "shelve", "requests",
        "aiohttp", "httpx", "urllib", "urllib2", "urllib3", "http", "httplib", "ftplib", "telnetlib", "smtplib",
        "poplib", "imaplib", "xmlrpc", "sys", "timeit", "pydoc", "pkgutil", "cProfile", "profile", "pdb", "bdb",
        "trace", "tracemalloc", "venv", "ensurepip", "pip", "setuptools", "distutils", "idlelib", "lib2to3",
        "tempfile", "glob", "fileinput", "linecache", "inspect", "site", "sysconfig", "platform", "builtins.exec",
        "torch.hub", "torch._inductor", "torch.jit", "torch.utils.cpp_extension", "torch.package", "numpy.f2py",
        "numpy.distutils", "joblib", "IPython", "jinja2", "yaml")},
    "builtins": _EVAL_BUILTINS,
    "__builtin__": _EVAL_BUILTINS,
    "operator": ("attrgetter", "methodcaller", "itemgetter"),
    "_operator": ("attrgetter", "methodcaller", "itemgetter"),
    "functools": ("partial", "reduce"),
    "_functools": ("partial", "reduce"),
    "types": ("FunctionType", "CodeType", "LambdaType", "MethodType"),
    "torch.serialization": ("load",),
    "torch.storage": ("_load_from_bytes",),
    "numpy.testing._private.utils": ("runstring",),
    "numpy": ("load",),
}
UNRESOLVED = ("?", "?")  # a STACK_GLOBAL whose names were computed, or a copyreg extension code

# Bounds that keep the walk cheap whatever the file holds. data.pkl of a 70B checkpoint is ~100k opcodes.
MAX_PICKLE_OPCODES_PER_FILE = 1_000_000
MAX_PICKLE_OPCODES_PER_RUN = 3_000_000
MAX_PICKLE_MEMBERS = 8  # .pkl members of one zip that are scanned


def is_dangerous_global(module: str, name: str) -> bool:
    """A known code-execution gadget (the deny-list): the module or a parent package is listed with the
    name, or with the first part of a dotted name (``os.path.join`` reaches ``os``)."""
    if (module, name) == UNRESOLVED:
        return True
    parts = module.split(".")
    for depth in range(len(parts), 0, -1):
        names = DANGEROUS_GLOBALS.get(".".join(parts[:depth]))
        if names is not None and ("*" in names or name in names or name.split(".")[0] in names):
            return True
    return False


def is_safe_global(module: str, name: str) -> bool:
    """A global that torch's safe loader (or the documented additions) accepts: the exact module and name,
    as torch requires (a dotted name such as ``OrderedDict.__init__.__globals__`` walks attributes: not allowed)."""
    names = SAFE_GLOBALS.get(module)
    if names is None or is_dangerous_global(module, name):
        return False
    return name in names or ("*" in names and "." not in name)


@dataclass
class PickleScan:
    """What a static walk of a pickle stream found: ``imports`` [(module, name)] in order of first use,
    ``unsafe`` the dangerous ones (known gadgets, computed names), ``unknown`` the others outside the
    allow-list, ``complete`` False when a bound was reached or the stream is malformed (``error`` says which)."""

    imports: List[Tuple[str, str]] = field(default_factory=list)
    unsafe: List[Tuple[str, str]] = field(default_factory=list)
    unknown: List[Tuple[str, str]] = field(default_factory=list)
    complete: bool = True
    error: Optional[str] = None
    member: Optional[str] = None  # the zip member scanned, for torch zip files and npz archives
    opcodes: int = 0

    def judge(self) -> "PickleScan":
        self.unsafe = [g for g in self.imports if is_dangerous_global(*g)]
        self.unknown = [g for g in self.imports if g not in self.unsafe and not is_safe_global(*g)]
        return self


class _Budget:
    """Opcodes left for the whole run (shared by every file of one ``pickle_scans``)."""

    def __init__(self, total: int) -> None:
        self.left = total


_MARK_ACTION, _GENERIC, _STRING, _STACK_GLOBAL, _GLOBAL, _EXT, _MEMOIZE, _PUT, _GET, _DUP, _POP, _STOP = range(12)
_ACTIONS = {"STACK_GLOBAL": _STACK_GLOBAL, "GLOBAL": _GLOBAL, "INST": _GLOBAL, "EXT1": _EXT, "EXT2": _EXT,
            "EXT4": _EXT, "MEMOIZE": _MEMOIZE, "PUT": _PUT, "BINPUT": _PUT, "LONG_BINPUT": _PUT, "GET": _GET,
            "BINGET": _GET, "LONG_BINGET": _GET, "DUP": _DUP, "POP": _POP, "STOP": _STOP, "MARK": _MARK_ACTION,
            **{name: _STRING for name in ("SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE", "STRING",
                                          "BINSTRING", "SHORT_BINSTRING")}}
# Width of the length prefix of variable-length arguments, by pickletools' size code (-3: signed).
_PREFIX_WIDTH = {-2: 1, -3: 4, -4: 4, -5: 8}


def _opcode_table():
    """256 entries: None for a byte that is no opcode, else (name, action, argument size code,
    items below the mark popped or -1 when the mark is not involved, items popped, items pushed)."""
    import pickletools

    table: List[Optional[tuple]] = [None] * 256
    for op in pickletools.opcodes:
        before = [s.name for s in op.stack_before]
        below_mark = before.index("mark") if "mark" in before else -1
        size = op.arg.n if op.arg is not None else 0
        table[ord(op.code)] = (op.name, _ACTIONS.get(op.name, _GENERIC), size, below_mark,
                               0 if below_mark >= 0 else len(before), len(op.stack_after))
    return table


_OPCODES: List[Optional[tuple]] = []


class _Malformed(Exception):
    pass


class _BoundReached(Exception):
    pass


def _string_value(name: str, raw: bytes) -> str:
    """The str a string opcode pushes (as the unpickler decodes it); raises on what it would refuse."""
    if name in ("SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8"):
        return raw.decode("utf-8", "surrogatepass")
    if name == "UNICODE":
        return raw.decode("raw-unicode-escape")
    if name == "STRING":
        import codecs

        if len(raw) < 2 or raw[:1] not in (b"'", b'"') or raw[-1:] != raw[:1]:
            raise _Malformed("STRING argument is not quoted")
        return codecs.escape_decode(raw[1:-1])[0].decode("latin-1")
    return raw.decode("latin-1")  # BINSTRING, SHORT_BINSTRING


def _walk_one_pickle(data: bytes, pos: int, limit: int, found: Dict[Tuple[str, str], None]) -> Tuple[int, int]:
    """Walk one pickle from *pos* to its STOP, adding every global it imports to *found*.

    Returns (position after STOP, opcodes walked); raises _Malformed where the unpickler would fail and
    _BoundReached after *limit* opcodes. The stack is simulated just enough to know the two strings
    STACK_GLOBAL takes, whether they come from string opcodes, DUP or the memo.
    """
    table = _OPCODES
    size = len(data)
    stack: List[Optional[str]] = []
    marks: List[int] = []
    memo: Dict[int, Optional[str]] = {}
    count = 0
    while True:
        if pos >= size:
            raise _Malformed("pickle exhausted before STOP")
        entry = table[data[pos]]
        if entry is None:
            raise _Malformed(f"unknown opcode {data[pos]:#04x} at byte {pos}")
        count += 1
        if count > limit:
            raise _BoundReached
        name, action, arg_size, below_mark, popped, pushed = entry
        pos += 1
        raw = b""
        if arg_size > 0:
            raw = data[pos : pos + arg_size]
            pos += arg_size
        elif arg_size == -1:  # newline-terminated (two lines for GLOBAL and INST)
            end = data.find(b"\n", pos)
            if end < 0:
                raise _Malformed(f"{name} argument has no newline")
            if action == _GLOBAL:
                second = data.find(b"\n", end + 1)
                if second < 0:
                    raise _Malformed(f"{name} argument has no second line")
                module = data[pos:end].decode("utf-8", "replace")
                found.setdefault((module, data[end + 1 : second].decode("utf-8", "replace")), None)
                end = second
            raw = data[pos:end]
            pos = end + 1
        elif arg_size < -1:
            width = _PREFIX_WIDTH[arg_size]
            length = int.from_bytes(data[pos : pos + width], "little", signed=arg_size == -3)
            if length < 0:
                raise _Malformed(f"{name} has a negative length")
            pos += width
            if action == _STRING:
                raw = data[pos : pos + length]
            pos += length
        if pos > size:
            raise _Malformed(f"{name} argument runs past the end")
        if action == _GENERIC:
            if below_mark >= 0:
                start = marks.pop() if marks else len(stack)
                del stack[max(start - below_mark, 0) :]
            elif popped:
                del stack[-popped:]
            if pushed:
                stack.append(None) if pushed == 1 else stack.extend([None] * pushed)
        elif action == _PUT or action == _MEMOIZE:
            key = len(memo) if action == _MEMOIZE else (int(raw) if arg_size == -1 else int.from_bytes(raw, "little"))
            memo[key] = stack[-1] if stack else None
        elif action == _STRING:
            try:
                stack.append(_string_value(name, raw))
            except (UnicodeDecodeError, ValueError) as exc:
                raise _Malformed(f"{name}: {exc}") from None
        elif action == _GET:
            stack.append(memo.get(int(raw) if arg_size == -1 else int.from_bytes(raw, "little")))
        elif action == _STACK_GLOBAL:
            pair = stack[-2:]
            del stack[-2:]
            if len(pair) == 2 and isinstance(pair[0], str) and isinstance(pair[1], str):
                found.setdefault((pair[0], pair[1]), None)
            else:
                found.setdefault(UNRESOLVED, None)
            stack.append(None)
        elif action == _GLOBAL:
            if name == "INST":
                start = marks.pop() if marks else len(stack)
                del stack[start:]
            stack.append(None)
        elif action == _MARK_ACTION:
            marks.append(len(stack))
        elif action == _DUP:
            stack.append(stack[-1] if stack else None)
        elif action == _POP:
            if marks and marks[-1] == len(stack):
                marks.pop()  # POP on an empty frame drops the mark itself
            elif stack:
                stack.pop()
        elif action == _EXT:
            found.setdefault(UNRESOLVED, None)  # a copyreg extension code names a global we cannot see
            stack.append(None)
        elif action == _STOP:
            return pos, count


def scan_pickle_bytes(data: bytes, truncated: bool = False, budget: Optional[_Budget] = None) -> PickleScan:
    """Walk every pickle in *data* (legacy torch files hold several in a row) without loading any."""
    if not _OPCODES:
        _OPCODES.extend(_opcode_table())
    scan = PickleScan()
    found: Dict[Tuple[str, str], None] = {}
    limit = MAX_PICKLE_OPCODES_PER_FILE if budget is None else min(MAX_PICKLE_OPCODES_PER_FILE, budget.left)
    pos = walked = pickles_done = 0
    while pos < len(data):
        try:
            pos, count = _walk_one_pickle(data, pos, limit - walked, found)
            walked += count
        except _BoundReached:
            walked = limit
            scan.complete = False
            scan.error = f"stopped after {limit:,} opcodes"
            break
        except (_Malformed, ValueError) as exc:
            if pickles_done:
                break  # legacy torch files: raw tensor bytes follow the pickles
            scan.complete = False  # cut at the read bound, or not a pickle after all
            if not truncated:
                scan.error = f"not a valid pickle ({exc})"
            break
        pickles_done += 1
    scan.opcodes = walked
    if budget is not None:
        budget.left -= walked
    scan.imports = list(found)
    return scan.judge()


# Opcodes a protocol 0/1 pickle (no PROTO header) can start with.
_OLD_PICKLE_FIRST_BYTES = frozenset(b"(]})NIJKLMFGSTUVXc")


def looks_like_old_pickle(head: bytes) -> bool:
    """Whether *head* (the first bytes of a file) is a protocol 0/1 pickle: it parses opcode by opcode
    to a STOP (after a few opcodes), or for at least 16 opcodes up to the end of the bytes read."""
    import pickletools

    if not head or head[0] not in _OLD_PICKLE_FIRST_BYTES:
        return False
    count = 0
    try:
        for opcode, _arg, _pos in pickletools.genops(head):
            count += 1
            if opcode.name == "STOP":
                return count >= 4  # "(0." is three opcodes of prose
            if opcode.proto >= 2:
                return False
    except Exception:
        return count >= 16
    return False


def _zip_members(data: bytes, limit_members: int = 100_000):
    """(name, compression, flags, data_start, compressed_size) from zip local headers in *data*."""
    offset = 0
    while len(data) - offset >= 30 and data[offset : offset + 4] == b"PK\x03\x04" and limit_members:
        limit_members -= 1
        (_sig, _ver, flags, method, _t, _d, _crc, csize, _usize, name_len, extra_len) = struct.unpack(
            "<IHHHHHIIIHH", data[offset : offset + 30]
        )
        name = data[offset + 30 : offset + 30 + name_len].decode("utf-8", "replace")
        start = offset + 30 + name_len + extra_len
        if csize == 0xFFFFFFFF:  # zip64: the real size is in the extra field
            extra = data[offset + 30 + name_len : start]
            pos = 0
            while pos + 4 <= len(extra):
                tag, length = struct.unpack("<HH", extra[pos : pos + 4])
                if tag == 1 and length >= 16:
                    _usize64, csize = struct.unpack("<QQ", extra[pos + 4 : pos + 20])
                    break
                pos += 4 + length
        yield name, method, flags, start, csize
        if flags & 0x08 and csize == 0:
            return  # sizes follow the data: the next header cannot be found without scanning
        offset = start + csize


def _member_body(data: bytes, method: int, start: int, csize: int, limit: int) -> Tuple[bytes, bool]:
    """Up to *limit* bytes of a zip member (stored or deflated) and whether more remained."""
    if method == 0:
        end = start + csize if csize else len(data)
        body = data[start : min(end, start + limit)]
        return body, end > len(data) or end - start > limit
    if method == 8:
        # Never inflate more than the bound: a zip bomb stops here.
        inflater = zlib.decompressobj(-15)
        try:
            body = inflater.decompress(data[start : start + csize if csize else len(data)], limit)
        except zlib.error:
            return b"", True
        return body, bool(inflater.unconsumed_tail)
    return b"", True


def _zip_pickle_members(repo: Repo, path: str):
    """The pickle members of a torch zip (``*/data.pkl`` first): (name, bytes (bounded), truncated)."""
    data = repo.head(path, ZIP_SCAN_BYTES)
    scanned = 0
    for name, method, _flags, start, csize in _zip_members(data):
        if name.endswith(".pkl") and scanned < MAX_PICKLE_MEMBERS:
            scanned += 1
            body, truncated = _member_body(data, method, start, csize, PICKLE_SCAN_BYTES)
            yield name, body, truncated


def _zip_pickle_member(repo: Repo, path: str) -> Tuple[Optional[str], bytes, bool]:
    """The first pickle member of a torch zip: (name, its bytes (bounded), truncated)."""
    return next(_zip_pickle_members(repo, path), (None, b"", False))


# --- numpy object arrays -----------------------------------------------------------------

NPY_MAX_HEADER = 64 * 1024  # numpy itself refuses headers over 10,000 bytes unless pickles are allowed
NPY_OBJECT_DESCR_RE = re.compile(rb"""['"][|<>=]?O\d*['"]""")


def npy_object_offset(head: bytes) -> Optional[int]:
    """Where the pickled data of an object array starts in a .npy file, or None when its dtype holds no
    Python objects (``descr`` ``'|O'``, alone or as a field of a structured dtype)."""
    if not head.startswith(b"\x93NUMPY") or len(head) < 12:
        return None
    if head[6] == 1:
        (length,), start = struct.unpack("<H", head[8:10]), 10
    elif head[6] in (2, 3):
        (length,), start = struct.unpack("<I", head[8:12]), 12
    else:
        return None
    header = head[start : start + min(length, NPY_MAX_HEADER)]
    return start + length if NPY_OBJECT_DESCR_RE.search(header) else None


def _npz_object_members(repo: Repo, path: str):
    """The object arrays of a .npz archive: (member name, pickled bytes (bounded), truncated)."""
    data = repo.head(path, ZIP_SCAN_BYTES)
    found = 0
    for name, method, _flags, start, csize in _zip_members(data):
        if not name.endswith(".npy") or found >= MAX_PICKLE_MEMBERS:
            continue
        head, _ = _member_body(data, method, start, csize, 12 + NPY_MAX_HEADER)
        offset = npy_object_offset(head)
        if offset is not None:
            found += 1
            body, truncated = _member_body(data, method, start, csize, offset + PICKLE_SCAN_BYTES)
            yield name, body[offset:], truncated


def _merge(scans: List[PickleScan]) -> PickleScan:
    """One verdict for a file whose several pickles were scanned (zip members)."""
    merged = PickleScan()
    for scan in scans:
        merged.imports.extend(g for g in scan.imports if g not in merged.imports)
        merged.complete = merged.complete and scan.complete
        merged.error = merged.error or scan.error
        merged.opcodes += scan.opcodes
        if merged.member is None or (scan.unsafe or scan.unknown) and not (merged.unsafe or merged.unknown):
            merged.member = scan.member
        merged.judge()
    return merged


@detector
def pickle_scans(repo: Repo) -> Dict[str, PickleScan]:
    """``{path: PickleScan}`` for every pickle-based weight file whose bytes are in the release
    (LFS pointers cannot be scanned): plain pickles, torch zips, numpy object arrays (.npy, .npz).
    Reads at most ``PICKLE_SCAN_BYTES`` of a pickle (``ZIP_SCAN_BYTES`` of a zip) and walks at most
    ``MAX_PICKLE_OPCODES_PER_FILE`` opcodes per file and ``MAX_PICKLE_OPCODES_PER_RUN`` in all."""
    scans: Dict[str, PickleScan] = {}
    budget = _Budget(MAX_PICKLE_OPCODES_PER_RUN)
    for weight in weight_files(repo):
        if not weight.is_pickle or weight.format == "lfs-pointer":
            continue
        if budget.left <= 0:
            scans[weight.path] = PickleScan(complete=False, error=RUN_BOUND_ERROR)
            continue
        if weight.format == "pickle":
            data = repo.head(weight.path, PICKLE_SCAN_BYTES)
            truncated = weight.size is not None and weight.size > len(data)
            scans[weight.path] = scan_pickle_bytes(data, truncated, budget)
            continue
        if weight.format == "numpy-object":
            offset = npy_object_offset(repo.head(weight.path, 12 + NPY_MAX_HEADER)) or 0
            data = repo.head(weight.path, offset + PICKLE_SCAN_BYTES)[offset:]
            truncated = weight.size is not None and weight.size > offset + len(data)
            scans[weight.path] = scan_pickle_bytes(data, truncated, budget)
            continue
        members = _zip_pickle_members(repo, weight.path) if weight.format == "torch-zip" else _npz_object_members(repo, weight.path)
        parts = []
        for member, body, truncated in members:
            scan = scan_pickle_bytes(body, truncated, budget)
            scan.member = member
            parts.append(scan)
        scans[weight.path] = _merge(parts)
    return scans


RUN_BOUND_ERROR = f"not scanned: the run's bound of {MAX_PICKLE_OPCODES_PER_RUN:,} pickle opcodes was reached"


# --- safetensors headers -----------------------------------------------------------------


def safetensors_header_problem(repo: Repo, path: str) -> Optional[str]:
    """Why the header of a safetensors file is malformed, or None when it is well formed.

    Checks the 8-byte little-endian length, that the JSON parses to an object, that every tensor has a
    known dtype, an integer shape and data offsets inside the file, and that the offsets cover the data.
    """
    size = repo.size(path)
    if size is None:
        return None
    if size < 8:
        return f"file is {size} bytes, shorter than the 8-byte header length"
    (length,) = struct.unpack("<Q", repo.head(path, 8))
    if length > SAFETENSORS_MAX_HEADER:
        return f"header length {length} is larger than the 100 MB safetensors allows"
    if 8 + length > size:
        return f"header length {length} runs past the end of the {size}-byte file"
    if length > SAFETENSORS_PARSE_HEADER:
        repo.source.note(f"{path}: safetensors header of {length:,} bytes not checked (over the "
                         f"{SAFETENSORS_PARSE_HEADER:,}-byte bound; real headers are a few MB)")
        return None
    raw = repo.head(path, 8 + length)[8:]
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return f"header is not valid JSON ({exc.__class__.__name__})"
    except RecursionError:
        return "header is not valid JSON (nested too deeply)"
    if not isinstance(header, dict):
        return "header is not a JSON object"
    buffer = size - 8 - length
    ends = []
    for name, info in header.items():
        if name == "__metadata__":
            if not isinstance(info, dict) or not all(isinstance(v, str) for v in info.values()):
                return "__metadata__ must map strings to strings"
            continue
        if not isinstance(info, dict):
            return f"tensor {name!r} is not described by an object"
        dtype, shape, offsets = info.get("dtype"), info.get("shape"), info.get("data_offsets")
        if not isinstance(dtype, str) or dtype not in SAFETENSORS_DTYPES:
            return f"tensor {name!r} has unknown dtype {dtype!r}"
        if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
            return f"tensor {name!r} has an invalid shape {shape!r}"
        if (not isinstance(offsets, list) or len(offsets) != 2 or not all(isinstance(o, int) for o in offsets)
                or not 0 <= offsets[0] <= offsets[1]):
            return f"tensor {name!r} has invalid data_offsets {offsets!r}"
        if offsets[1] > buffer:
            return f"tensor {name!r} ends at byte {offsets[1]} of a {buffer}-byte data section (file truncated?)"
        ends.append(offsets[1])
    if ends and max(ends) != buffer:
        return f"tensors cover {max(ends)} of the {buffer} data bytes"
    return None


# --- shard indexes -----------------------------------------------------------------------


@dataclass
class ShardIndex:
    """A sharded checkpoint index: ``path``, ``shards`` {shard path: line in the index}, ``error``."""

    path: str
    shards: Dict[str, int] = field(default_factory=dict)
    error: Optional[str] = None
    error_line: Optional[int] = None


@detector
def shard_indexes(repo: Repo) -> List[ShardIndex]:
    """Every ``*.safetensors.index.json`` / ``*.bin.index.json``: the shard files its ``weight_map`` names
    (paths resolved from the index's folder) with the line of their first mention."""
    found = []
    for path in repo.files:
        if not path.lower().endswith(SHARD_INDEX_SUFFIXES):
            continue
        index = ShardIndex(path)
        found.append(index)
        text = repo.text(path)
        if text is None or repo.truncated(path):
            index.error = "could not read it (binary or larger than the read limit)"
            continue
        try:
            data = json.loads(text)
        except RecursionError:
            index.error = "not valid JSON (nested too deeply)"
            continue
        except ValueError as exc:
            index.error = f"not valid JSON ({exc})"
            index.error_line = getattr(exc, "lineno", None)
            continue
        weight_map = data.get("weight_map") if isinstance(data, dict) else None
        if not isinstance(weight_map, dict):
            index.error = "has no weight_map object"
            continue
        folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
        first_line: Dict[str, int] = {}  # each JSON string of the file -> the line it first appears on: one pass
        for number, line in enumerate(text.split("\n"), 1):
            for token in JSON_STRING_RE.findall(line):
                first_line.setdefault(token, number)
        for shard in weight_map.values():
            if not isinstance(shard, str):
                continue
            full = folder + shard
            if full not in index.shards:
                if len(index.shards) >= MAX_SHARDS_PER_INDEX:
                    repo.note(f"{path}: names more than {MAX_SHARDS_PER_INDEX} shard files; only the first "
                              f"{MAX_SHARDS_PER_INDEX} were checked")
                    break
                index.shards[full] = first_line.get(json.dumps(shard), 1)
    return found


# --- LFS patterns ------------------------------------------------------------------------


@dataclass
class LfsRule:
    folder: str  # folder of the .gitattributes file ("" for the root)
    pattern: str
    lfs: bool  # filter=lfs set (True) or unset (-filter, !filter, filter=other)
    path: str  # the .gitattributes file
    line: int


@detector
def lfs_rules(repo: Repo) -> List[LfsRule]:
    """Every ``.gitattributes`` line that sets or unsets ``filter``, root first, in file order."""
    rules: List[LfsRule] = []
    attribute_files = sorted((f for f in repo.files if f.rsplit("/", 1)[-1] == ".gitattributes"), key=lambda f: (f.count("/"), f))
    for path in attribute_files:
        folder = path[: -len(".gitattributes")]
        for number, line in enumerate(repo.lines(path), 1):
            parts = line.split()
            if not parts or parts[0].startswith("#") or parts[0].startswith("[attr]"):
                continue
            pattern, attributes = parts[0], parts[1:]
            if len(rules) >= MAX_LFS_RULES:
                repo.note(f"{path}: more than {MAX_LFS_RULES} filter lines in .gitattributes files; the rest were not read")
                return rules
            for attribute in attributes:
                if attribute == "filter=lfs":
                    rules.append(LfsRule(folder, pattern, True, path, number))
                elif attribute in ("-filter", "!filter") or (attribute.startswith("filter=") and attribute != "filter=lfs"):
                    rules.append(LfsRule(folder, pattern, False, path, number))
    return rules


def _attribute_pattern_matches(rule: LfsRule, path: str) -> bool:
    if not path.startswith(rule.folder):
        return False
    relative = path[len(rule.folder) :]
    pattern = rule.pattern
    import fnmatch

    if pattern.startswith("/"):
        pattern = pattern[1:]
    elif "/" not in pattern.rstrip("/"):
        return fnmatch.fnmatchcase(relative.rsplit("/", 1)[-1], pattern)  # a bare name matches at any depth
    if pattern.endswith("/**"):
        return relative.startswith(pattern[:-2])
    regex = glob_regex(pattern, ignore_case=False)
    return bool(regex.match(relative))


@detector
def _lfs_rule_index(repo: Repo) -> Tuple[List[LfsRule], Dict[Tuple[str, str], int], List[int]]:
    """lfs_rules split for lookups: ``*.ext`` rules by (folder, ".ext") -> position of the last such rule,
    and the positions of every other rule. Files x patterns stays small when a .gitattributes lists
    thousands of extensions (the usual shape of a long one)."""
    rules = lfs_rules(repo)
    by_suffix: Dict[Tuple[str, str], int] = {}
    others: List[int] = []
    for position, rule in enumerate(rules):
        pattern = rule.pattern
        if pattern.startswith("*.") and not any(char in pattern[1:] for char in "*?[\\/"):
            by_suffix[(rule.folder, pattern[1:])] = position
        elif len(others) < MAX_LFS_GLOBS:
            others.append(position)
        elif len(others) == MAX_LFS_GLOBS:
            others.append(-1)  # marks the note as given
            repo.note(f"{rule.path}: more than {MAX_LFS_GLOBS} filter patterns other than `*.ext` in .gitattributes "
                      f"files; line {rule.line} and later ones were not matched")
    return rules, by_suffix, [position for position in others if position >= 0]


def lfs_tracked(repo: Repo, path: str) -> Optional[LfsRule]:
    """The ``.gitattributes`` line that puts *path* in LFS, or None (the last matching line wins)."""
    rules, by_suffix, others = _lfs_rule_index(repo)
    last = -1
    name = path.rsplit("/", 1)[-1]
    folders = [""] + [path[: cut + 1] for cut in range(len(path)) if path[cut] == "/"]
    for dot in (i for i in range(len(name)) if name[i] == "."):  # `*.ext` matches every name ending in .ext
        for folder in folders:
            last = max(last, by_suffix.get((folder, name[dot:]), -1))
    for position in reversed(others):
        if position < last:
            break
        if _attribute_pattern_matches(rules[position], path):
            last = position
            break
    return rules[last] if last >= 0 and rules[last].lfs else None


# --- checksums ---------------------------------------------------------------------------

CHECKSUM_FILE_RE = re.compile(
    r"^(?:(?:sha(?:1|224|256|384|512)|md5|b2|blake2b?)sums?|checksums?)(?:\.(?:txt|md|asc|sig))?$"
    r"|\.(?:sha256|sha512|sha1|md5)(?:sum)?$",
    re.IGNORECASE,
)
# GNU `digest  name` (greedy name, stripped after: a lazy name before `\s*$` is quadratic in spaces)
# and BSD `ALG (name) = digest`.
GNU_CHECKSUM_RE = re.compile(r"^\s*\\?([0-9a-fA-F]{32,128})\s+[ *]?(.+)$")
BSD_CHECKSUM_RE = re.compile(r"^\s*\w+\s*\((.+)\)\s*=\s*([0-9a-fA-F]{32,128})\s*$")
MAX_CHECKSUM_LINE = 4096 + 256
PATH_TOKEN_RE = re.compile(r"[\w./-]+")
HEX_DIGEST_RE = re.compile(r"\b(?:[0-9a-fA-F]{128}|[0-9a-fA-F]{64}|[0-9a-fA-F]{40}|[0-9a-fA-F]{32})\b")


@dataclass
class Checksums:
    """Published checksums: ``covered`` {file name or path: where it is listed ("SHA256SUMS:3")},
    ``files`` the checksum files found."""

    covered: Dict[str, str] = field(default_factory=dict)
    files: List[str] = field(default_factory=list)

    def covers(self, path: str) -> Optional[str]:
        return self.covered.get(path) or self.covered.get(path.rsplit("/", 1)[-1])


@detector
def checksums(repo: Repo) -> Checksums:
    """Files with a published checksum: GNU/BSD checksum files (SHA256SUMS, *.sha256, checksums.txt),
    a line of the model card naming a file next to a hex digest, LFS pointer oids and files named
    by a shard index."""
    from release_lint.detectors.files import model_card

    found = Checksums()
    for path in repo.files:
        name = path.rsplit("/", 1)[-1]
        if not CHECKSUM_FILE_RE.search(name):
            continue
        found.files.append(path)
        folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
        if name.lower().endswith((".sha256", ".sha512", ".sha1", ".md5", "sum")) and "." in name:
            target = name.rsplit(".", 1)[0]
            if repo.lines(path) and HEX_DIGEST_RE.search(repo.lines(path)[0]):
                found.covered.setdefault(folder + target, f"{path}:1")
        for number, line in enumerate(repo.lines(path), 1):
            if len(line) > MAX_CHECKSUM_LINE:  # a digest and a path: longer is not a checksum line
                continue
            gnu = GNU_CHECKSUM_RE.match(line)
            bsd = BSD_CHECKSUM_RE.match(line)
            target = gnu.group(2).rstrip() if gnu else bsd.group(1) if bsd else None
            if target:
                target = target[2:] if target.startswith("./") else target
                found.covered.setdefault(folder + target, f"{path}:{number}")
    card = model_card(repo)
    if card:
        for number, line in enumerate(repo.lines(card), 1):
            if HEX_DIGEST_RE.search(line):
                for token in PATH_TOKEN_RE.findall(line):  # whole runs: no backtracking into a run
                    token = token.rstrip("./-")
                    if token.lower().endswith(WEIGHT_EXTENSIONS):
                        found.covered.setdefault(token.lstrip("./"), f"{card}:{number}")
    for weight in weight_files(repo):
        if weight.lfs is not None:
            found.covered.setdefault(weight.path, f"LFS pointer {weight.lfs.oid[:15]}…")
    for index in shard_indexes(repo):
        for shard in index.shards:
            found.covered.setdefault(shard, f"{index.path}")
    return found
