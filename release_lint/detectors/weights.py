"""Weight files: their format judged by magic bytes, LFS pointers and patterns, shard indexes, checksums.

Nothing here loads a model: pickle streams are walked opcode by opcode with the stdlib
``pickletools`` (never ``pickle.load``), zip archives are parsed from their local headers
in a bounded prefix, and a large file is judged by its size and first bytes only.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from release_lint.repo import Repo, detector, glob_regex

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
SAFETENSORS_DTYPES = {"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32",
                      "F32", "F64", "I64", "U64", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64"}
SHARD_INDEX_SUFFIXES = (".safetensors.index.json", ".bin.index.json", ".pt.index.json", ".pth.index.json")
SHARD_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<index>\d{5})-of-(?P<total>\d{5})\.(?P<ext>[a-z]+)$", re.IGNORECASE)
MAX_LFS_RULES = 50_000  # filter lines read from .gitattributes files (`*.ext` ones cost a dict entry)
MAX_LFS_GLOBS = 1_000  # other patterns, each matched against every weight file
MAX_SHARDS_PER_INDEX = 10_000  # distinct shard files one index may name (real ones name a few hundred)
JSON_STRING_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"')  # a JSON string token, escapes included; linear

# Callables whose import by a pickle means arbitrary code at load time. (module, name); name "*"
# means every name in the module. Modules are matched exactly or as a parent package.
UNSAFE_GLOBALS: Dict[str, Tuple[str, ...]] = {
    "os": ("*",), "posix": ("*",), "nt": ("*",), "subprocess": ("*",), "pty": ("*",), "commands": ("*",),
    "socket": ("*",), "runpy": ("*",), "shutil": ("*",), "webbrowser": ("*",), "asyncio": ("*",),
    "multiprocessing": ("*",), "ctypes": ("*",), "code": ("*",), "importlib": ("*",), "marshal": ("*",),
    "pickle": ("*",), "_pickle": ("*",), "dill": ("*",), "cloudpickle": ("*",), "requests": ("*",),
    "urllib": ("*",), "http": ("*",), "httplib": ("*",), "ftplib": ("*",), "telnetlib": ("*",), "sys": ("*",),
    "builtins": ("eval", "exec", "execfile", "compile", "open", "__import__", "getattr", "setattr",
                 "delattr", "globals", "locals", "vars", "input", "breakpoint", "apply", "memoryview"),
    "__builtin__": ("eval", "exec", "execfile", "compile", "open", "__import__", "getattr", "setattr",
                    "delattr", "globals", "locals", "vars", "input", "breakpoint", "apply", "file"),
    "operator": ("attrgetter", "methodcaller", "itemgetter"),
    "functools": ("partial", "reduce"),
    "types": ("FunctionType", "CodeType", "LambdaType", "MethodType"),
    "torch.hub": ("*",), "torch.serialization": ("load",), "numpy.testing._private.utils": ("runstring",),
}


@dataclass(frozen=True)
class LfsPointer:
    oid: str  # "sha256:<hex>"
    size: Optional[int]


@dataclass
class WeightFile:
    """One weight file of the release.

    ``format``: "safetensors", "pickle", "torch-zip" (a zip holding a pickle), "zip", "gguf", "hdf5",
    "numpy", "onnx", "other", or "lfs-pointer" when the work tree holds only the pointer (then
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
    def is_pickle(self) -> bool:
        if self.format == "lfs-pointer":
            return self.path.lower().endswith(PICKLE_EXTENSIONS)
        return self.format in ("pickle", "torch-zip")


_ALL_WEIGHT_SUFFIXES = WEIGHT_EXTENSIONS + MAYBE_WEIGHT_EXTENSIONS
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
        if kind == "other":
            if extension in (".pkl", ".pickle", ".joblib", ".dill") and size > 0:
                kind = "pickle"  # protocol 0/1 pickles have no magic number
            elif extension == ".onnx":
                kind = "onnx"
        if extension in MAYBE_WEIGHT_EXTENSIONS and kind not in ("pickle", "torch-zip", "safetensors", "gguf"):
            continue
        found.append(WeightFile(path, kind, size))
    return found


# --- pickle scanning ---------------------------------------------------------------------


@dataclass
class PickleScan:
    """What a static walk of a pickle stream found: ``imports`` [(module, name)], ``unsafe`` the subset
    that can run code, ``complete`` False when the bound was reached or the stream is malformed."""

    imports: List[Tuple[str, str]] = field(default_factory=list)
    unsafe: List[Tuple[str, str]] = field(default_factory=list)
    complete: bool = True
    error: Optional[str] = None
    member: Optional[str] = None  # the zip member scanned, for torch zip files


def is_unsafe_global(module: str, name: str) -> bool:
    parts = module.split(".")
    for depth in range(len(parts), 0, -1):
        names = UNSAFE_GLOBALS.get(".".join(parts[:depth]))
        if names is not None and ("*" in names or name in names or name.split(".")[0] in names):
            return True
    return False


def scan_pickle_bytes(data: bytes, truncated: bool = False) -> PickleScan:
    """Walk every pickle in *data* (legacy torch files hold several in a row) without loading any."""
    import io
    import pickletools

    scan = PickleScan()
    stream = io.BytesIO(data)
    strings: List[object] = []  # values pushed, enough to resolve STACK_GLOBAL's two strings
    memo: Dict[int, object] = {}
    pickles_done = 0
    while stream.tell() < len(data):
        try:
            for opcode, arg, _pos in pickletools.genops(stream):
                name = opcode.name
                if name in ("GLOBAL", "INST"):
                    module, _, attribute = str(arg).partition(" ")
                    scan.imports.append((module, attribute))
                elif name == "STACK_GLOBAL":
                    pair = strings[-2:]
                    if len(pair) == 2 and all(isinstance(v, str) for v in pair):
                        scan.imports.append((pair[0], pair[1]))
                    else:
                        scan.imports.append(("?", "?"))  # names built in a way we do not follow
                elif name in ("SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE", "STRING",
                              "BINSTRING", "SHORT_BINSTRING"):
                    strings.append(arg if isinstance(arg, str) else str(arg))
                elif name == "MEMOIZE":
                    memo[len(memo)] = strings[-1] if strings else None
                elif name in ("PUT", "BINPUT", "LONG_BINPUT"):
                    memo[int(arg)] = strings[-1] if strings else None
                elif name in ("GET", "BINGET", "LONG_BINGET"):
                    strings.append(memo.get(int(arg)))
                elif name not in ("PROTO", "FRAME"):
                    strings.append(None)
                if len(strings) > 64:
                    del strings[:-8]
        except Exception as exc:
            if pickles_done:
                break  # legacy torch files: raw tensor bytes follow the pickles
            scan.complete = False  # cut at the read bound, or not a pickle after all
            if not truncated:
                scan.error = f"{type(exc).__name__}: {exc}"
            break
        pickles_done += 1
    scan.unsafe = [(m, n) for m, n in scan.imports if m == "?" or is_unsafe_global(m, n)]
    return scan


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


def _zip_pickle_member(repo: Repo, path: str) -> Tuple[Optional[str], bytes, bool]:
    """The pickle member of a torch zip (``*/data.pkl``): (name, its bytes (bounded), truncated)."""
    data = repo.head(path, ZIP_SCAN_BYTES)
    for name, method, _flags, start, csize in _zip_members(data):
        if not name.endswith(".pkl"):
            continue
        if method == 0:
            end = start + csize if csize else len(data)
            body = data[start : min(end, start + PICKLE_SCAN_BYTES)]
            return name, body, end > len(data) or end - start > PICKLE_SCAN_BYTES
        if method == 8:
            # Never inflate more than the bound: a zip bomb stops here.
            inflater = zlib.decompressobj(-15)
            try:
                body = inflater.decompress(data[start : start + csize if csize else len(data)], PICKLE_SCAN_BYTES)
            except zlib.error:
                return name, b"", True
            return name, body, bool(inflater.unconsumed_tail)
        return name, b"", True
    return None, b"", False


@detector
def pickle_scans(repo: Repo) -> Dict[str, PickleScan]:
    """``{path: PickleScan}`` for every pickle-based weight file whose bytes are in the release
    (LFS pointers cannot be scanned). Reads at most ``PICKLE_SCAN_BYTES`` (``ZIP_SCAN_BYTES`` for zips)."""
    scans: Dict[str, PickleScan] = {}
    for weight in weight_files(repo):
        if weight.format == "pickle":
            data = repo.head(weight.path, PICKLE_SCAN_BYTES)
            truncated = weight.size is not None and weight.size > len(data)
            scans[weight.path] = scan_pickle_bytes(data, truncated)
        elif weight.format == "torch-zip":
            member, body, truncated = _zip_pickle_member(repo, weight.path)
            scan = scan_pickle_bytes(body, truncated)
            scan.member = member
            scans[weight.path] = scan
    return scans


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
    raw = repo.head(path, 8 + length)[8:]
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return f"header is not valid JSON ({exc.__class__.__name__})"
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
        if dtype not in SAFETENSORS_DTYPES:
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
