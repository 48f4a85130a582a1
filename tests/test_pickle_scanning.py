"""ART001/ART002 on pickles judged like torch's safe loader: gadgets in every protocol and inside torch
zips and numpy object arrays are reported, real-shaped checkpoints stay silent, the walk is bounded.

No pickle is ever loaded here: payloads are written with ``pickle.dumps`` of objects whose ``__reduce__``
names the gadget, or as hand-written opcodes, and every test that holds one checks a marker file.
"""

from __future__ import annotations

import _compat_pickle
import builtins
import collections
import contextlib
import dataclasses
import enum
import io
import json
import os
import pickle
import struct
import sys
import tracemalloc
import types
import zipfile

import pytest

from release_lint import lint
from release_lint.detectors import pickles as pickles_module
from release_lint.detectors import weights as weights_module
from release_lint.detectors.pickles import looks_like_old_pickle, scan_pickle_bytes
from tests.conftest import finding_tuples, make_repo


class Gadget:
    """Unpickling this would call ``function(*arguments)``."""

    def __init__(self, function, *arguments):
        self.function, self.arguments = function, arguments

    def __reduce__(self):
        return (self.function, self.arguments)


def _gadgets(marker):
    import _posixsubprocess
    import cProfile
    import pdb
    import pkgutil
    import pydoc
    import runpy
    import shutil
    import subprocess
    import timeit
    import webbrowser

    touch = f"import pathlib; pathlib.Path({str(marker)!r}).touch()"
    return {
        "posix.system": Gadget(os.system, f"touch '{marker}'"),
        "subprocess.Popen": Gadget(subprocess.Popen, ["touch", str(marker)]),
        "builtins.eval": Gadget(builtins.eval, touch),
        "builtins.exec": Gadget(builtins.exec, touch),
        "builtins.getattr": Gadget(builtins.getattr, "os", "system"),
        "timeit.timeit": Gadget(timeit.timeit, touch),
        "pydoc.locate": Gadget(pydoc.locate, "os.system"),
        "pkgutil.resolve_name": Gadget(pkgutil.resolve_name, "os:system"),
        "cProfile.run": Gadget(cProfile.run, touch),
        "pdb.run": Gadget(pdb.run, touch),
        "_posixsubprocess.fork_exec": Gadget(_posixsubprocess.fork_exec, [b"touch"]),
        "runpy.run_path": Gadget(runpy.run_path, str(marker)),
        "webbrowser.open": Gadget(webbrowser.open, "https://example.org/"),
        "shutil.rmtree": Gadget(shutil.rmtree, str(marker)),
    }


GADGET_NAMES = sorted(_gadgets("m"))


def torch_zip(members, compress=False) -> bytes:
    """A zip laid out as torch.save writes it: {member name: bytes}, pickles first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr("archive/version", "3\n")
    return buffer.getvalue()


@pytest.mark.parametrize("gadget", GADGET_NAMES)
def test_art002_every_gadget_in_every_protocol_and_nested_in_torch_zips(tmp_path, gadget):
    marker = tmp_path / "payload-ran"
    payload = _gadgets(marker)[gadget]
    # A state dict with the payload as one of its values, as a tampered checkpoint holds it.
    files = {f"p{protocol}.pt": pickle.dumps({"embed.weight": [0.5], "bias": payload}, protocol=protocol)
             for protocol in range(0, 6)}
    files["zipped.bin"] = torch_zip({"archive/data.pkl": pickle.dumps(payload, protocol=2), "archive/data/0": b"\0" * 16})
    files["deflated.ckpt"] = torch_zip({"archive/data.pkl": pickle.dumps([payload], protocol=4)}, compress=True)
    repo = make_repo(tmp_path / "r", files)
    result = lint(repo, select=["ART002"])
    assert finding_tuples(result) == [("ART002", name, None) for name in sorted(files)]
    # Protocols 0-2 write Python 2's names (pickle's fix_imports): __builtin__.eval, commands.Popen.
    module, name = gadget.rsplit(".", 1)
    module, name = _compat_pickle.REVERSE_NAME_MAPPING.get(
        (module, name), (_compat_pickle.REVERSE_IMPORT_MAPPING.get(module, module), name))
    old_name = f"{module}.{name}"
    protocols = {f"p{protocol}.pt": protocol for protocol in range(0, 6)}
    protocols.update({"zipped.bin": 2, "deflated.ckpt": 4})
    for finding in result.findings:
        expected = old_name if protocols[finding.path] < 3 else gadget
        assert f"imports {expected}: loading it would run code" in finding.message
        assert finding.severity == "error"
    assert "(in archive/data.pkl)" in {f.path: f.message for f in result.findings}["zipped.bin"]
    assert not marker.exists(), "a pickle was loaded"


def test_protocol_0_and_1_pickles_named_like_weights_are_recognised_by_content(tmp_path):
    benign = {"embed.weight": [0.5, 0.25], "step": 3}
    repo = make_repo(tmp_path, {
        "model.pt": pickle.dumps(benign, protocol=0),
        "model.bin": pickle.dumps(benign, protocol=1),
        "last.ckpt": pickle.dumps(benign, protocol=0),
        "weights.dat": pickle.dumps(benign, protocol=1),
        # Look-alikes: text and raw bytes under the same names are not pickles.
        "vocab.bin": b"(hello world\nthis is not a pickle\n",
        "raw.pt": bytes(range(256)) * 4,
        "notes.dat": b"(0.5, 0.25)\n",
        "SHA256SUMS": "",
    })
    assert finding_tuples(lint(repo, select=["ART001", "ART002"])) == [
        ("ART001", "last.ckpt", None), ("ART001", "model.bin", None), ("ART001", "model.pt", None),
        ("ART001", "weights.dat", None),
    ]


def test_old_pickle_sniffing():
    assert looks_like_old_pickle(pickle.dumps({"a": 1}, protocol=0))
    assert looks_like_old_pickle(pickle.dumps(list(range(100)), protocol=1)[:200])  # cut, but long enough
    assert not looks_like_old_pickle(b"(x")
    assert not looks_like_old_pickle(b"Not a pickle at all, just prose.\n")
    assert not looks_like_old_pickle(pickle.dumps({"a": 1}, protocol=2))  # has a magic number instead


# --- STACK_GLOBAL and the simulated stack ------------------------------------------------


def test_stack_global_with_memoized_strings_is_resolved():
    # "os" and "system" are memoised, dropped from the stack, then fetched back with BINGET.
    crafted = (b"\x80\x04\x8c\x02os\x94\x8c\x06system\x94" + b"00" + b"h\x00h\x01\x93"
               + b"\x8c\x04true\x85R.")
    scan = scan_pickle_bytes(crafted)
    assert scan.unsafe == [("os", "system")] and scan.complete


def test_stack_global_is_not_fooled_by_strings_left_above_it():
    # The last two strings pushed are benign, but POPs leave "os" "system" for STACK_GLOBAL.
    crafted = (b"\x80\x04\x8c\x02os\x8c\x06system\x8c\x0bcollections\x8c\x0bOrderedDict" + b"00"
               + b"\x93\x8c\x04true\x85R.")
    scan = scan_pickle_bytes(crafted)
    assert scan.imports == [("os", "system")]
    assert scan.unsafe == [("os", "system")]


def test_stack_global_with_duplicated_and_long_strings():
    crafted = b"\x80\x04\x8c\x06timeitX\x06\x00\x00\x00timeit\x93N\x85R."  # BINUNICODE for the name
    assert scan_pickle_bytes(crafted).unsafe == [("timeit", "timeit")]
    dup = b"\x80\x04\x8c\x06timeit2\x93N\x85R."  # DUP: module and name are the same string
    assert scan_pickle_bytes(dup).unsafe == [("timeit", "timeit")]


def test_extension_codes_and_computed_names_are_reported():
    assert scan_pickle_bytes(b"\x80\x02\x82\x01N\x85R.").unsafe == [("?", "?")]
    assert scan_pickle_bytes(b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00K\x01K\x02\x93)R.").unsafe == [("?", "?")]


# --- real-shaped benign checkpoints ------------------------------------------------------


@contextlib.contextmanager
def fake_modules(**modules):
    """Stand-ins for torch, numpy and transformers (not installed for the tests) so that ``pickle.dumps``
    writes the same global references the real libraries do. Restored right after pickling."""
    saved = {name: sys.modules.get(name) for name in modules}
    try:
        for name, module in modules.items():
            sys.modules[name] = module
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def _module(name, **attributes):
    module = types.ModuleType(name)
    for attribute, value in attributes.items():
        value.__module__, value.__qualname__ = name, attribute
        setattr(module, attribute, value)
    return module


def _rebuild_tensor_v2(*arguments):
    raise AssertionError("never called")


class FloatStorage:
    pass


class StorageRef:
    def __init__(self, key, count):
        self.key, self.count = key, count


class FakeTensor:
    def __init__(self, key, count):
        self.key, self.count = key, count

    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor_v2, (StorageRef(self.key, self.count), 0, (self.count,), (1,), False,
                                     collections.OrderedDict()))


class TorchPickler(pickle.Pickler):
    """Writes storages as persistent ids, as torch.save does."""

    def persistent_id(self, obj):
        if isinstance(obj, StorageRef):
            return ("storage", FloatStorage, obj.key, "cpu", obj.count)
        return None


def _reconstruct(*arguments):
    raise AssertionError("never called")


class ndarray:  # noqa: N801 - numpy's name
    def __init__(self, values):
        self.values = values

    def __reduce__(self):
        return (_reconstruct, (ndarray, (0,), b"b"), (1, (len(self.values),), dtype("<f4"), False, b"\0" * 4 * len(self.values)))


class dtype:  # noqa: N801 - numpy's name
    def __init__(self, code):
        self.code = code

    def __reduce__(self):
        return (dtype, (self.code, False, True), (3, "<", None, None, None, -1, -1, 0))


class IntervalStrategy(enum.Enum):
    STEPS = "steps"
    EPOCH = "epoch"


class PartialState:
    """accelerate's process state, which recent Trainer versions keep on their arguments (and pickle with them)."""

    def __init__(self):
        self.backend, self.num_processes = None, 1


@dataclasses.dataclass
class TrainingArguments:
    output_dir: str = "out"
    learning_rate: float = 5e-5
    eval_strategy: IntervalStrategy = IntervalStrategy.STEPS
    distributed_state: object = dataclasses.field(default_factory=PartialState)


class StandardScaler:
    def __init__(self):
        self.mean_ = ndarray([0.5])


def _stand_ins():
    torch = _module("torch", FloatStorage=FloatStorage)
    torch_utils = _module("torch._utils", _rebuild_tensor_v2=_rebuild_tensor_v2)
    numpy = _module("numpy", ndarray=ndarray, dtype=dtype)
    multiarray = _module("numpy.core.multiarray", _reconstruct=_reconstruct)
    numpy_core = types.ModuleType("numpy.core")
    training_args = _module("transformers.training_args", TrainingArguments=TrainingArguments)
    trainer_utils = _module("transformers.trainer_utils", IntervalStrategy=IntervalStrategy)
    accelerate_state = _module("accelerate.state", PartialState=PartialState)
    sklearn = _module("sklearn.preprocessing._data", StandardScaler=StandardScaler)
    return fake_modules(**{
        "torch": torch, "torch._utils": torch_utils, "numpy": numpy, "numpy.core": numpy_core,
        "numpy.core.multiarray": multiarray, "transformers": types.ModuleType("transformers"),
        "transformers.training_args": training_args, "transformers.trainer_utils": trainer_utils,
        "accelerate": types.ModuleType("accelerate"), "accelerate.state": accelerate_state,
        "sklearn": types.ModuleType("sklearn"), "sklearn.preprocessing": types.ModuleType("sklearn.preprocessing"),
        "sklearn.preprocessing._data": sklearn,
    })


def torch_save_bytes(obj, protocol=2) -> bytes:
    buffer = io.BytesIO()
    with _stand_ins():
        TorchPickler(buffer, protocol=protocol).dump(obj)
    return buffer.getvalue()


def plain_dumps(obj, protocol) -> bytes:
    with _stand_ins():
        return pickle.dumps(obj, protocol=protocol)


def state_dict():
    return collections.OrderedDict((f"layers.{i}.weight", FakeTensor(str(i), 4)) for i in range(3))


@pytest.mark.parametrize("protocol", range(0, 6))
def test_art002_silent_on_real_shaped_checkpoints(tmp_path, protocol):
    rng_state = {"python": (3, tuple(range(8)), None), "numpy": ("MT19937", ndarray([1.0, 2.0]), 624, 0, 0.0),
                 "cpu": FakeTensor("rng", 8)}
    repo = make_repo(tmp_path, {
        "pytorch_model.bin": torch_zip({"archive/data.pkl": torch_save_bytes(state_dict(), protocol),
                                        "archive/data/0": b"\0" * 16}),
        "legacy.pt": torch_save_bytes(state_dict(), protocol),
        "arrays.pkl": plain_dumps({"mean": ndarray([0.5, 0.25]), "counts": collections.Counter(a=1)}, protocol),
        "checkpoint-500/training_args.bin": torch_zip({"training_args/data.pkl": torch_save_bytes(TrainingArguments(), protocol)}),
        "checkpoint-500/rng_state.pth": torch_zip({"rng_state/data.pkl": torch_save_bytes(rng_state, protocol)}),
        "checkpoint-500/optimizer.pt": torch_zip({"optimizer/data.pkl": torch_save_bytes(
            {"state": {0: {"exp_avg": FakeTensor("m", 4)}}, "param_groups": [{"lr": 1e-4, "params": [0]}]}, protocol)}),
    })
    assert finding_tuples(lint(repo, select=["ART002"])) == []
    scan = pickles_module.scan_pickle_bytes(torch_save_bytes(state_dict(), protocol))
    assert ("torch._utils", "_rebuild_tensor_v2") in scan.imports and scan.complete


def test_art002_unknown_class_is_a_warning_naming_it(tmp_path):
    repo = make_repo(tmp_path, {
        "preprocessing/scaler.pkl": plain_dumps(StandardScaler(), 4),
        "model.pt": torch_zip({"archive/data.pkl": torch_save_bytes(state_dict())}),
    })
    result = lint(repo, select=["ART002"])
    assert finding_tuples(result) == [("ART002", "preprocessing/scaler.pkl", None)]
    finding = result.findings[0]
    assert finding.severity == "warning"
    assert finding.message == ("preprocessing/scaler.pkl imports sklearn.preprocessing._data.StandardScaler, which "
                               "torch.load(weights_only=True) refuses: loading it runs that code")


def test_art002_configured_severity_wins_over_the_warning(tmp_path):
    from release_lint.config import Config

    repo = make_repo(tmp_path, {"scaler.pkl": plain_dumps(StandardScaler(), 2)})
    result = lint(repo, config=Config(severity={"ART002": "info"}), select=["ART002"])
    assert [(f.code, f.severity) for f in result.findings] == [("ART002", "info")]


# --- numpy object arrays -----------------------------------------------------------------


def npy_bytes(descr: str, shape, body: bytes) -> bytes:
    header = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode()
    header += b" " * (-(len(header) + 11) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + body


def npz_bytes(members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_numpy_object_arrays_are_reported_and_scanned(tmp_path):
    marker = tmp_path / "payload-ran"
    evil = pickle.dumps([1, Gadget(os.system, f"touch '{marker}'")], protocol=3)
    benign_objects = plain_dumps(ndarray([0.5]), 3)
    floats = npy_bytes("<f4", (2,), b"\0" * 8)
    repo = make_repo(tmp_path / "r", {
        "features.npy": npy_bytes("|O", (2,), evil),
        "labels.npy": npy_bytes("|O", (1,), benign_objects),
        "records.npy": npy_bytes([("id", "<i4"), ("meta", "|O")], (1,), benign_objects),  # structured, one object field
        "embeddings.npy": floats,
        "bundle.npz": npz_bytes({"weights.npy": floats, "extra.npy": npy_bytes("|O", (2,), evil)}),
        "plain.npz": npz_bytes({"weights.npy": floats}),
        "SHA256SUMS": "",
    })
    result = lint(repo, select=["ART001", "ART002"])
    assert finding_tuples(result) == [
        ("ART001", "bundle.npz", None), ("ART001", "features.npy", None), ("ART001", "labels.npy", None),
        ("ART001", "records.npy", None),
        ("ART002", "bundle.npz", None), ("ART002", "features.npy", None),
    ]
    messages = {(f.code, f.path): f.message for f in result.findings}
    assert messages[("ART002", "bundle.npz")] == "bundle.npz (in extra.npy) imports posix.system: loading it would run code"
    assert "array of Python objects" in messages[("ART001", "features.npy")]
    assert not marker.exists()


# --- bounds ------------------------------------------------------------------------------


def test_many_tiny_pickles_stop_at_the_opcode_bound(tmp_path):
    # D9: 18 MiB of "N." (nine million one-opcode pickles) used to take one pickletools pass each.
    repo = make_repo(tmp_path, {"model.pkl": b"N." * (9 * 1024 * 1024)})
    result = lint(repo, select=["ART002"])
    assert finding_tuples(result) == []
    assert result.notes == ["model.pkl: pickle scanned only partly (stopped after 1,000,000 opcodes); no unsafe import in the part read"]
    scan = weights_module.pickle_scans(weights_module.Repo(str(repo)))["model.pkl"]
    assert scan.opcodes == pickles_module.MAX_PICKLE_OPCODES_PER_FILE and not scan.complete


def test_run_bound_on_pickle_opcodes_is_noted_once(tmp_path, monkeypatch):
    monkeypatch.setattr(weights_module, "MAX_PICKLE_OPCODES_PER_RUN", 30)
    monkeypatch.setattr(pickles_module, "MAX_PICKLE_OPCODES_PER_FILE", 20)
    files = {f"shard-{i}.pkl": pickle.dumps(list(range(12)), protocol=2) for i in range(5)}  # 18 opcodes each
    repo = make_repo(tmp_path, files)
    result = lint(repo, select=["ART002"])
    assert finding_tuples(result) == []
    assert result.notes == [
        "shard-1.pkl: pickle scanned only partly (stopped after 12 opcodes); no unsafe import in the part read",
        "3 pickle file(s) not scanned, from shard-2.pkl on: the run's bound of 3,000,000 pickle opcodes was reached",
    ]


# --- safetensors headers (ART008) --------------------------------------------------------


def _safetensors(header: dict, data: bytes = b"\0" * 4) -> bytes:
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + data


def test_art008_non_string_dtype_is_a_finding_not_a_crash(tmp_path):
    # D15: a list or dict dtype raised TypeError (unhashable) inside ART008.
    repo = make_repo(tmp_path, {
        "a.safetensors": _safetensors({"t": {"dtype": ["F32"], "shape": [1], "data_offsets": [0, 4]}}),
        "b.safetensors": _safetensors({"t": {"dtype": {"F": 32}, "shape": [1], "data_offsets": [0, 4]}}),
        "good.safetensors": _safetensors({"t": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}),
    })
    result = lint(repo, select=["ART008"])
    assert not result.internal_errors
    assert [(f.path, f.message) for f in result.findings] == [
        ("a.safetensors", "a.safetensors: malformed safetensors header: tensor 't' has unknown dtype ['F32']"),
        ("b.safetensors", "b.safetensors: malformed safetensors header: tensor 't' has unknown dtype {'F': 32}"),
    ]


def test_art008_huge_safetensors_header_is_not_parsed(tmp_path):
    # A 100 MiB header (the format's maximum) used to be parsed whole: about 1 GB at peak.
    length = 100 * 1024 * 1024 - 16
    path = tmp_path / "r"
    repo = make_repo(path, {"README.md": "# m\n"}, commit=False)
    with open(path / "big.safetensors", "wb") as handle:
        handle.write(struct.pack("<Q", length) + b'{"t": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "p": "')
        handle.write(b"a" * (length - 80) + b'"' + b" " * 10 + b"}" + b"\0" * 4)
    tracemalloc.start()
    try:
        result = lint(repo, select=["ART008"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert finding_tuples(result) == []
    assert result.notes == ["big.safetensors: safetensors header of 104,857,584 bytes not checked (over the "
                            "16,777,216-byte bound; real headers are a few MB)"]
    assert peak < 64 * 1024 * 1024


def test_allow_list_is_exact_and_dotted_names_are_not_allowed_through_an_allowed_root():
    from release_lint.detectors.pickles import is_dangerous_global, is_safe_global

    assert is_safe_global("torch._utils", "_rebuild_tensor_v2") and is_safe_global("collections", "OrderedDict")
    assert is_safe_global("numpy.dtypes", "Float32DType")
    # An attribute walk from an allowed class reaches anything: torch's safe loader refuses it, so do we.
    dotted = b"OrderedDict.__init__.__doc__"
    walk = b"\x80\x04\x8c\x0bcollections\x8c" + bytes([len(dotted)]) + dotted + b"\x93."
    scan = scan_pickle_bytes(walk)
    assert scan.unknown == [("collections", "OrderedDict.__init__.__doc__")] and not scan.unsafe
    assert not is_safe_global("numpy.dtypes", "Float32DType.__init__")
    assert not is_safe_global("torch._utils", "_rebuild_tensor_v9") and not is_safe_global("torch.hub", "load")
    assert is_dangerous_global("os.path", "join") and is_dangerous_global("timeit", "timeit")
    assert not is_dangerous_global("collections", "OrderedDict")
