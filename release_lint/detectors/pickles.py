"""The static pickle scanner: what a pickle stream imports, found without loading it.

Nothing here loads a model: pickle streams are walked opcode by opcode with the stdlib
``pickletools`` (never ``pickle.load``) and judged against torch's safe-loader allow-list, zip archives
(torch checkpoints, .npz) are parsed from their local headers in a bounded prefix, and the object
arrays of NumPy files are found by their header.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from release_lint.repo import Repo

# How much of a pickle stream (or of a zip's data.pkl) is scanned. data.pkl of a 70B model is a few MB.
PICKLE_SCAN_BYTES = 16 * 1024 * 1024
# How much of a zip file is read to find its pickle member (torch writes data.pkl first).
ZIP_SCAN_BYTES = 32 * 1024 * 1024


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


class OpcodeBudget:
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


def scan_pickle_bytes(data: bytes, truncated: bool = False, budget: Optional[OpcodeBudget] = None) -> PickleScan:
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


def zip_pickle_members(repo: Repo, path: str):
    """The pickle members of a torch zip (``*/data.pkl`` first): (name, bytes (bounded), truncated)."""
    data = repo.head(path, ZIP_SCAN_BYTES)
    scanned = 0
    for name, method, _flags, start, csize in _zip_members(data):
        if name.endswith(".pkl") and scanned < MAX_PICKLE_MEMBERS:
            scanned += 1
            body, truncated = _member_body(data, method, start, csize, PICKLE_SCAN_BYTES)
            yield name, body, truncated


def zip_pickle_member(repo: Repo, path: str) -> Tuple[Optional[str], bytes, bool]:
    """The first pickle member of a torch zip: (name, its bytes (bounded), truncated)."""
    return next(zip_pickle_members(repo, path), (None, b"", False))


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


def npz_object_members(repo: Repo, path: str):
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

