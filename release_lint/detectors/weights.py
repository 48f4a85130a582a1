"""Weight files: which files hold weights and in which format (judged by magic bytes), their
safetensors headers, shard indexes, and what the pickle-based ones import (detectors/pickles.py).

Nothing here loads a model: a large file is judged by its size and first bytes only.
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from release_lint.detectors.lfs import LfsPointer, parse_lfs_pointer
from release_lint.detectors.pickles import (NPY_MAX_HEADER, PICKLE_SCAN_BYTES, OpcodeBudget, PickleScan,
                                            looks_like_old_pickle, npy_object_offset, npz_object_members,
                                            scan_pickle_bytes, zip_pickle_member, zip_pickle_members)
from release_lint.repo import Repo, detector

# Extensions that usually hold weights or serialised models.
PICKLE_EXTENSIONS = (".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle", ".joblib", ".dill")
OTHER_WEIGHT_EXTENSIONS = (".safetensors", ".gguf", ".ggml", ".h5", ".hdf5", ".keras", ".onnx", ".msgpack",
                           ".npz", ".npy", ".tflite", ".mlmodel", ".pb", ".nemo", ".mar", ".llamafile")
# Ambiguous names that are headed (first bytes read) to see whether they hold a pickle.
MAYBE_WEIGHT_EXTENSIONS = (".dat", ".model", ".weights", ".params", ".state", ".data", ".sav")
WEIGHT_EXTENSIONS = PICKLE_EXTENSIONS + OTHER_WEIGHT_EXTENSIONS
SAFETENSORS_MAX_HEADER = 100 * 1024 * 1024  # the safetensors library's own limit
# Headers parsed by ART008: real ones are a few MB at most (one entry per tensor); a larger one is
# reported as not checked rather than parsed into ten times its size in Python objects.
SAFETENSORS_PARSE_HEADER = 16 * 1024 * 1024
OLD_PICKLE_SNIFF_BYTES = 4096  # bytes parsed to recognise a protocol 0/1 pickle by content
SAFETENSORS_DTYPES = {"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32",
                      "F32", "F64", "I64", "U64", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64"}
SHARD_INDEX_SUFFIXES = (".safetensors.index.json", ".bin.index.json", ".pt.index.json", ".pth.index.json")
SHARD_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<index>\d{5})-of-(?P<total>\d{5})\.(?P<ext>[a-z]+)$", re.IGNORECASE)
MAX_SHARDS_PER_INDEX = 10_000  # distinct shard files one index may name (real ones name a few hundred)
JSON_STRING_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"')  # a JSON string token, escapes included; linear


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
            kind = "torch-zip" if zip_pickle_member(repo, path)[0] else "zip"
        elif kind == "zip" and extension == ".npz":
            kind = "npz-object" if next(npz_object_members(repo, path), None) else "zip"
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


# --- pickle scans of the weight files ----------------------------------------------------

MAX_PICKLE_OPCODES_PER_RUN = 3_000_000  # over every pickle of the run (per file: pickles.MAX_PICKLE_OPCODES_PER_FILE)


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
    budget = OpcodeBudget(MAX_PICKLE_OPCODES_PER_RUN)
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
        members = zip_pickle_members(repo, weight.path) if weight.format == "torch-zip" else npz_object_members(repo, weight.path)
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
