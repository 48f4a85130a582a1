"""ART001-ART009: weights, pickles, LFS, checksums, secrets, shard indexes, remote code."""

from __future__ import annotations

import io
import json
import os
import pickle
import struct
import zipfile

import pytest

from release_lint import lint
from release_lint.config import Config
from release_lint.detectors import pickles as pickles_module
from release_lint.detectors.pickles import scan_pickle_bytes
from release_lint.formats import available, render
from release_lint.worktree import WorkTree
from tests.conftest import copy_fixture, finding_tuples, make_repo

ART = ["ART"]
LFS_ATTRIBUTES = "*.bin filter=lfs diff=lfs merge=lfs -text\n*.safetensors filter=lfs diff=lfs merge=lfs -text\n"


def safetensors_bytes(tensors=None, metadata=None) -> bytes:
    """A valid safetensors file of float32 tensors {name: n_values}."""
    tensors = tensors or {"embed.weight": 4}
    header, offset = {}, 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, count in tensors.items():
        header[name] = {"dtype": "F32", "shape": [count], "data_offsets": [offset, offset + 4 * count]}
        offset += 4 * count
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + b"\0" * offset


def lfs_pointer(content: bytes = b"weights") -> str:
    import hashlib

    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{hashlib.sha256(content).hexdigest()}\nsize 123456789\n"


def torch_zip(pickle_bytes: bytes, compress: bool = False) -> bytes:
    """The layout torch.save writes: archive/data.pkl first, then tensor storages."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        archive.writestr("archive/data.pkl", pickle_bytes)
        archive.writestr("archive/byteorder", "little")
        archive.writestr("archive/data/0", b"\0" * 64)
        archive.writestr("archive/version", "3\n")
    return buffer.getvalue()


# Opcodes of a typical torch state dict: imports torch._utils._rebuild_tensor_v2 and collections.OrderedDict.
BENIGN_TORCH_PICKLE = (
    b"\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01X\x0c\x00\x00\x00embed.weightq\x02"
    b"ctorch._utils\n_rebuild_tensor_v2\nq\x03(X\x01\x00\x00\x000q\x04K\x00K\x04\x85q\x05tq\x06Rq\x07s."
)


class RunsShell:
    """Loading a pickle of this object would run a shell command that creates *marker*."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch '{self.marker}'",))


# --- ART001 --------------------------------------------------------------------------------


def test_art001_pickle_formats_by_magic_and_lfs_pointer(tmp_path):
    repo = make_repo(tmp_path, {
        "pytorch_model.bin": pickle.dumps({"w": [1.0, 2.0]}, protocol=2),
        "checkpoints/last.ckpt": torch_zip(BENIGN_TORCH_PICKLE),
        "weights.pt": lfs_pointer(),
        ".gitattributes": "*.pt filter=lfs diff=lfs merge=lfs -text\n*.bin filter=lfs diff=lfs merge=lfs -text\n"
                          "*.ckpt filter=lfs diff=lfs merge=lfs -text\n",
        "scaler.joblib": b"(dp0\nS'mean'\np1\nF0.5\ns.",  # protocol 0: no magic number, judged by name
        "SHA256SUMS": "",
    })
    assert finding_tuples(lint(repo, select=["ART001"])) == [
        ("ART001", "checkpoints/last.ckpt", None),
        ("ART001", "pytorch_model.bin", None),
        ("ART001", "scaler.joblib", None),
        ("ART001", "weights.pt", None),
    ]


def test_training_state_pickles_are_not_weights_but_are_still_scanned(tmp_path):
    class Payload:
        def __reduce__(self):
            return (os.system, ("true",))

    repo = make_repo(tmp_path, {
        "training_args.bin": pickle.dumps({"learning_rate": 1e-4}, protocol=4),
        "checkpoint-500/optimizer.pt": torch_zip(BENIGN_TORCH_PICKLE),
        "checkpoint-500/rng_state.pth": pickle.dumps(Payload(), protocol=2),
        "model.safetensors": safetensors_bytes(),
        "SHA256SUMS": "",
    })
    assert finding_tuples(lint(repo, select=["ART001", "ART005"])) == [("ART005", "model.safetensors", None)]
    assert finding_tuples(lint(repo, select=["ART002"])) == [("ART002", "checkpoint-500/rng_state.pth", None)]


def test_art001_silent_on_look_alikes(tmp_path):
    repo = make_repo(tmp_path, {
        "model.bin": safetensors_bytes(),  # safetensors bytes under a .bin name
        "model.safetensors": safetensors_bytes(),
        "tokenizer.model": b"\n\x0e\n\x05<unk>\x15\x00\x00\x00\x00\x18\x02",  # sentencepiece protobuf
        "ggml-model.bin": b"GGUF\x03\x00\x00\x00" + b"\0" * 32,
        "archive.zip": torch_zip(b"not used"),  # a plain zip is not a weight file
        "notes.dat": b"plain data, not a pickle\n",
    })
    assert finding_tuples(lint(repo, select=["ART001"])) == []


# --- ART002 --------------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", range(0, pickle.HIGHEST_PROTOCOL + 1))
def test_art002_reports_os_system_without_loading(tmp_path, protocol):
    marker = tmp_path / "payload-ran"
    payload = pickle.dumps({"weight": [0.1], "x": RunsShell(marker)}, protocol=protocol)
    repo = make_repo(tmp_path / "r", {"model.pkl": payload, "README.md": "# m\n"})
    result = lint(repo, select=["ART002"])
    assert finding_tuples(result) == [("ART002", "model.pkl", None)]
    assert "posix.system" in result.findings[0].message or "nt.system" in result.findings[0].message
    assert not marker.exists(), "the pickle was loaded"


@pytest.mark.parametrize("compress", [False, True])
def test_art002_scans_data_pkl_inside_torch_zip(tmp_path, compress):
    marker = tmp_path / "payload-ran"
    payload = pickle.dumps(RunsShell(marker), protocol=2)
    repo = make_repo(tmp_path / "r", {"model.pt": torch_zip(payload, compress=compress),
                                      "clean.pt": torch_zip(BENIGN_TORCH_PICKLE, compress=compress)})
    result = lint(repo, select=["ART002"])
    assert finding_tuples(result) == [("ART002", "model.pt", None)]
    assert "(in archive/data.pkl)" in result.findings[0].message
    assert not marker.exists()


def test_art002_silent_on_state_dicts(tmp_path):
    import collections

    repo = make_repo(tmp_path, {
        "a.bin": BENIGN_TORCH_PICKLE,
        "b.pkl": pickle.dumps(collections.OrderedDict(w=[1.0]), protocol=4),
        "c.pt": torch_zip(BENIGN_TORCH_PICKLE),
    })
    assert finding_tuples(lint(repo, select=["ART002"])) == []


def test_art002_every_unsafe_pickle_is_reported(tmp_path):
    # A tampered release: the weights and the fitted scaler beside them both carry a payload.
    payload = pickle.dumps(RunsShell(tmp_path / "payload-ran"), protocol=4)
    repo = make_repo(tmp_path / "r", {"pytorch_model.bin": torch_zip(payload), "preprocessing/scaler.pkl": payload,
                                      "clean.pt": torch_zip(BENIGN_TORCH_PICKLE)})
    assert finding_tuples(lint(repo, select=["ART002"])) == [("ART002", "preprocessing/scaler.pkl", None),
                                                           ("ART002", "pytorch_model.bin", None)]
    assert not (tmp_path / "payload-ran").exists()


def test_art002_legacy_torch_file_with_several_pickles_and_raw_data(tmp_path):
    # Legacy torch.save: magic number, protocol, sys info, the object, storage keys, then raw bytes.
    evil = pickle.dumps(RunsShell(tmp_path / "m"), protocol=2)
    legacy = b"".join(pickle.dumps(x, protocol=2) for x in (0x1950A86A20F9469CFC6C, 1001, {"little_endian": True})) + evil
    legacy += pickle.dumps(["0"], protocol=2) + b"\x00\x01\x02\xff" * 64
    scan = scan_pickle_bytes(legacy)
    assert scan.unsafe == [("posix", "system")] or scan.unsafe == [("nt", "system")]
    assert scan.complete


def test_art002_stack_global_built_from_computed_names_is_flagged():
    # STACK_GLOBAL whose module/name do not come straight from string opcodes: cannot be resolved statically.
    crafted = b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00K\x01K\x02\x93)R."
    assert scan_pickle_bytes(crafted).unsafe == [("?", "?")]


def test_zip_bomb_member_is_inflated_only_up_to_the_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(pickles_module, "PICKLE_SCAN_BYTES", 1024 * 1024)
    bomb = b"\x80\x02" + b"N0" * (32 * 1024 * 1024)  # 64 MiB inflated, ~64 KiB deflated
    repo_path = make_repo(tmp_path, {"model.pt": torch_zip(bomb, compress=True)})
    from release_lint.repo import Repo

    repo = Repo(str(repo_path))
    name, body, truncated = pickles_module.zip_pickle_member(repo, "model.pt")
    assert name == "archive/data.pkl" and len(body) == 1024 * 1024 and truncated


# --- ART003 --------------------------------------------------------------------------------


def test_art003_sparse_5gb_file_is_judged_without_being_read(tmp_path, monkeypatch):
    repo = make_repo(tmp_path, {"README.md": "# m\n", ".gitattributes": "*.safetensors filter=lfs\n"})
    huge = repo / "weights" / "model-5gb.bin"
    huge.parent.mkdir()
    with open(huge, "wb") as handle:
        handle.write(b"\x80\x02}q\x00.")  # a tiny pickle at the start, then 5 GB of holes
        handle.truncate(5 * 1024 ** 3)
    lfs_covered = repo / "model.safetensors"
    with open(lfs_covered, "wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    reads = []
    original = WorkTree.read

    def recording_read(self, relative, limit):
        reads.append((relative, limit))
        return original(self, relative, limit)

    monkeypatch.setattr(WorkTree, "read", recording_read)
    result = lint(repo, select=ART)
    assert finding_tuples(result) == [
        ("ART001", "weights/model-5gb.bin", None),
        ("ART003", "weights/model-5gb.bin", None),  # model.safetensors is as large but covered by LFS
        # no ART004 for it: a weight over ART003's threshold is reported once, by ART003
        ("ART005", "model.safetensors", None),
        ("ART005", "weights/model-5gb.bin", None),
        ("ART008", "model.safetensors", None),  # 20 MiB of zeros: header length 0 is malformed
        ("ART011", None, None),  # no model signature
    ]
    assert "5.0 GiB" in next(f.message for f in result.findings if f.code == "ART003")
    assert max(limit for path, limit in reads if path == "weights/model-5gb.bin") <= pickles_module.PICKLE_SCAN_BYTES


def test_art003_threshold_option_and_lfs_pointer(tmp_path):
    repo = make_repo(tmp_path, {
        ".release-lint.toml": "[options.ART003]\nthreshold = 1000\n",
        "data/tokens.npy": b"\x93NUMPY" + b"\0" * 5000,
        "small.txt": "x" * 999,
        "model.bin": lfs_pointer(),
        ".gitattributes": "*.bin filter=lfs diff=lfs merge=lfs -text\n",
    })
    assert finding_tuples(lint(repo, select=["ART003"])) == [("ART003", "data/tokens.npy", None)]
    assert finding_tuples(lint(repo, select=["ART003"], config=Config())) == []  # default 10 MiB


def test_art003_every_large_file_is_reported(tmp_path):
    repo = make_repo(tmp_path, {
        ".release-lint.toml": "[options.ART003]\nthreshold = 1000\n",
        "data/tokens.npy": b"\x93NUMPY" + b"\0" * 5000,
        "assets/demo.wav": b"RIFF" + b"\0" * 3000,
        "model.safetensors": safetensors_bytes({"embed.weight": 1024}),
        ".gitattributes": "*.safetensors filter=lfs diff=lfs merge=lfs -text\n",
    })
    assert finding_tuples(lint(repo, select=["ART003"])) == [("ART003", "assets/demo.wav", None),
                                                           ("ART003", "data/tokens.npy", None)]


def test_art003_needs_git(tmp_path):
    make_repo(tmp_path, {"big.bin": b"\0" * 2000, ".release-lint.toml": "[options.ART003]\nthreshold = 1000\n"}, git_init=False)
    result = lint(tmp_path, select=["ART003"])
    assert finding_tuples(result) == []
    assert result.extra["skipped"] == ["ART003 large-file-not-in-lfs: needs a git repository"]


# --- ART004 --------------------------------------------------------------------------------


def test_art004_pointer_without_pattern_and_weight_outside_lfs(tmp_path):
    repo = make_repo(tmp_path, {
        ".gitattributes": "*.safetensors filter=lfs diff=lfs merge=lfs -text\n",
        "model.safetensors": lfs_pointer(),
        "optimizer.bin": lfs_pointer(b"other"),  # pointer, but *.bin is not an LFS pattern
        "extra/adapter.pt": torch_zip(BENIGN_TORCH_PICKLE),  # real file in a repo that uses LFS
    })
    assert finding_tuples(lint(repo, select=["ART004"])) == [("ART004", "extra/adapter.pt", None), ("ART004", "optimizer.bin", None)]


def test_art004_silent_when_patterns_cover_and_when_lfs_unused(tmp_path):
    covered = make_repo(tmp_path / "a", {
        ".gitattributes": "*.safetensors filter=lfs diff=lfs merge=lfs -text\n",
        "sub/.gitattributes": "*.pt filter=lfs diff=lfs merge=lfs -text\n",
        "model.safetensors": lfs_pointer(),
        "sub/x.pt": lfs_pointer(b"x"),
        "nested/deep/y.safetensors": safetensors_bytes(),
    })
    assert finding_tuples(lint(covered, select=["ART004"])) == []
    unused = make_repo(tmp_path / "b", {"model.safetensors": safetensors_bytes(), "x.pt": torch_zip(BENIGN_TORCH_PICKLE)})
    assert finding_tuples(lint(unused, select=["ART004"])) == []
    unset = make_repo(tmp_path / "c", {".gitattributes": "*.bin filter=lfs\nsmall.bin -filter\n", "small.bin": pickle.dumps(1)})
    assert finding_tuples(lint(unset, select=["ART004"])) == [("ART004", "small.bin", None)]


# --- ART005 --------------------------------------------------------------------------------


def test_art005_checksum_sources(tmp_path):
    digest = "a" * 64
    repo = make_repo(tmp_path, {
        "README.md": f"# m\n\n| file | sha256 |\n|---|---|\n| model-00001-of-00002.safetensors | {digest} |\n",
        "model-00001-of-00002.safetensors": safetensors_bytes(),
        "onnx/model.onnx": b"\x08\x07\x12\x07pytorch",
        "onnx/SHA256SUMS": f"{digest} *model.onnx\n",
        "gguf/model.gguf": b"GGUF\x03\x00\x00\x00",
        "gguf/model.gguf.sha256": f"{digest}  model.gguf\n",
        "lfs.bin": lfs_pointer(),
        "unlisted.pt": torch_zip(BENIGN_TORCH_PICKLE),
        "bsd/w.h5": b"\x89HDF\r\n\x1a\n",
        "bsd/CHECKSUMS.txt": f"SHA256 (w.h5) = {digest}\n",
    })
    assert finding_tuples(lint(repo, select=["ART005"])) == [("ART005", "unlisted.pt", None)]


def test_fixtures_artifacts(tmp_path):
    assert finding_tuples(lint(copy_fixture("weights-only", tmp_path / "w"), select=ART)) == [
        ("ART005", "model.safetensors", None), ("ART011", None, None)]
    assert finding_tuples(lint(copy_fixture("fully-open", tmp_path / "f"), select=ART)) == []


# --- ART006 --------------------------------------------------------------------------------

INFERENCE = "import torch\n\nmodel = Net()\nmodel.load_state_dict(torch.load('checkpoints/best.pt'))\n"


def test_art006_code_loads_weights_that_are_nowhere(tmp_path):
    repo = make_repo(tmp_path, {"README.md": "# Net\n\nRun `python infer.py`.\n", "infer.py": INFERENCE})
    assert finding_tuples(lint(repo, select=["ART006"])) == [("ART006", "infer.py", 4)]


@pytest.mark.parametrize("extra", [
    {"README.md": "# Net\n\nDownload the checkpoint from https://zenodo.org/records/123456.\n"},
    {"README.md": "# Net\n\nWeights: https://huggingface.co/example-lab/net\n"},
    {"demo.py": "m = AutoModel.from_pretrained('example-lab/net')\n"},
    {"checkpoints/best.pt": torch_zip(BENIGN_TORCH_PICKLE)},
])
def test_art006_silent_when_weights_are_present_or_linked(tmp_path, extra):
    files = {"README.md": "# Net\n", "infer.py": INFERENCE}
    files.update(extra)
    assert finding_tuples(lint(make_repo(tmp_path, files), select=["ART006"])) == []


def test_art006_dataset_link_is_not_a_weights_link(tmp_path):
    repo = make_repo(tmp_path, {"README.md": "Data: https://huggingface.co/datasets/org/data\n", "infer.py": INFERENCE})
    assert finding_tuples(lint(repo, select=["ART006"])) == [("ART006", "infer.py", 4)]


# --- ART007 --------------------------------------------------------------------------------

# Assembled at run time so this test file itself holds no token-shaped string.
HF = "hf_" + "Qm7vKzP2rXw9LtB4nYc8HdJ6sFgA1eUoVi"
OPENAI = "sk-" + "proj-" + "T3BlbkFJx9Kq2LmN7pR4sV8wZ1bC5dF0gH3jK6"
ANTHROPIC = "sk-ant-" + "api03-" + "x7Kp2QmV9LrT4wN8bY1cZ5dF0gH3jK6sA2eU7iO4pR9tW1yB6nM3vC8xL5zQ0"
AWS = "AKIA" + "Z3QX7LM2PW9KR4TB"
GITHUB = "ghp_" + "R8bK2mQ7xW4nL9vT3pZ6cY1dF5gH0jS2aE8u"
WANDB = "3f9c2a7b1e8d4c6a0b5f9e2d7c1a8b3e6f4d0c9a"
PEM = "-----BEGIN RSA PRIVATE KEY-----\n" + "MIIEowIBAAKCAQEAu3Vq8Kx9Lm2Tq7Wz4Nb1Pc6Rd0Sf5Hg3Jk8Lm2Qn7Vx4Zy1" + "\n-----END RSA PRIVATE KEY-----\n"
ALL_SECRETS = [HF, OPENAI, ANTHROPIC, AWS, GITHUB, WANDB]


def secrets_repo(tmp_path):
    return make_repo(tmp_path, {
        "README.md": "# m\n",
        "upload.py": f"from huggingface_hub import login\nlogin(token=\"{HF}\")\n",
        "configs/api.yaml": f"openai_key: {OPENAI}\nanthropic_key: '{ANTHROPIC}'\n",
        "scripts/sync.sh": f"export AWS_ACCESS_KEY_ID={AWS}\ngit clone https://{GITHUB}@github.com/org/repo\n",
        "train.ipynb": json.dumps({"cells": [{"source": [f"%env WANDB_API_KEY={WANDB}\n"]}]}),
        "deploy/id_rsa": PEM,
        ".env": "HF_HUB_CACHE=/data/cache\nDB_PASSWORD=Tr0ub4dor-3xQ\n",
    })


def test_art007_finds_each_kind_and_masks_it(tmp_path):
    result = lint(secrets_repo(tmp_path), select=["ART007"])
    assert finding_tuples(result) == [
        ("ART007", ".env", 2),
        ("ART007", "configs/api.yaml", 1),
        ("ART007", "configs/api.yaml", 2),
        ("ART007", "deploy/id_rsa", 1),
        ("ART007", "scripts/sync.sh", 1),
        ("ART007", "scripts/sync.sh", 2),
        ("ART007", "train.ipynb", 1),
        ("ART007", "upload.py", 2),
    ]
    messages = {f.path + ":" + str(f.line): f.message for f in result.findings}
    assert messages["upload.py:2"] == "Hugging Face token hf_Qm…Vi on line 2 (masked)"
    assert "sk-ant-ap…Q0" in messages["configs/api.yaml:2"] and "OpenAI" in messages["configs/api.yaml:1"]
    assert "Tr0ub4dor" not in messages[".env:2"] and "DB_PASSWORD" in messages[".env:2"]


@pytest.mark.parametrize("output_format", available())
def test_art007_secrets_never_appear_in_any_output_format(tmp_path, output_format, cli):
    repo = secrets_repo(tmp_path)
    result = lint(repo, select=["ART007"])
    rendered = render(output_format, result, color=False, quiet=False, config=Config())
    rendered += repr([f.to_dict() for f in result.findings]) + repr([f.key for f in result.findings])
    outcome = cli("--format", output_format, "--select", "ART007", repo)
    for secret in ALL_SECRETS + ["Tr0ub4dor-3xQ", "MIIEowIBAAKCAQEA"]:
        assert secret not in rendered
        assert secret not in outcome.output
    assert outcome.exit_code == 1


def test_art007_silent_on_placeholders(tmp_path):
    repo = make_repo(tmp_path, {
        "README.md": (
            "# m\n\nLog in with `huggingface-cli login --token hf_xxx` or set HF_TOKEN=<your-token>.\n"
            "export OPENAI_API_KEY=sk-...\nOPENAI_API_KEY=sk-your-openai-api-key-goes-here\n"
            "AWS example: AKIAIOSFODNN7EXAMPLE\nhf_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n"
            "ghp_" + "x" * 36 + "\n"
            "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n"
        ),
        "config.py": "HF_TOKEN = os.environ['HF_TOKEN']\nWANDB_API_KEY = os.getenv('WANDB_API_KEY')\nrisk-assessment-for-large-models = 1\n",
        ".env.example": "HF_TOKEN=\nDB_PASSWORD=changeme-please\n",
        ".env": "HF_HOME=/data/hf\nTOKENIZERS_PARALLELISM=false\n",
        "weights.safetensors": safetensors_bytes() + HF.encode(),  # binary formats are not scanned
    })
    assert finding_tuples(lint(repo, select=["ART007"])) == []


# --- ART008 --------------------------------------------------------------------------------


def shard_index(shards):
    weight_map = {f"layers.{i}.weight": shard for i, shard in enumerate(shards)}
    return json.dumps({"metadata": {"total_size": 32}, "weight_map": weight_map}, indent=2)


def test_art008_missing_and_unlisted_shards_and_bad_headers(tmp_path):
    repo = make_repo(tmp_path, {
        "model.safetensors.index.json": shard_index(["model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors"]),
        "model-00001-of-00003.safetensors": safetensors_bytes(),
        "model-00003-of-00003.safetensors": safetensors_bytes(),
        "broken.safetensors": struct.pack("<Q", 10) + b"{not json}" + b"\0" * 8,
        "truncated.safetensors": safetensors_bytes({"w": 8})[:-4],
        "huge-header.safetensors": struct.pack("<Q", 10 ** 6) + b"{}",
    })
    result = lint(repo, select=["ART008"])
    assert finding_tuples(result) == [
        ("ART008", "broken.safetensors", None),
        ("ART008", "huge-header.safetensors", None),
        ("ART008", "model-00003-of-00003.safetensors", None),
        ("ART008", "model.safetensors.index.json", 7),
        ("ART008", "truncated.safetensors", None),
    ]
    text = {f.path: f.message for f in result.findings}
    assert "model-00002-of-00003.safetensors, which is not in the release" in text["model.safetensors.index.json"]
    assert "not valid JSON" in text["broken.safetensors"]
    assert "runs past the end" in text["huge-header.safetensors"]


def test_art008_silent_on_consistent_shards(tmp_path):
    repo = make_repo(tmp_path, {
        "pytorch_model.bin.index.json": shard_index(["pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin"]),
        "pytorch_model-00001-of-00002.bin": lfs_pointer(b"1"),
        "pytorch_model-00002-of-00002.bin": lfs_pointer(b"2"),
        "model.safetensors.index.json": shard_index(["model-00001-of-00001.safetensors"]),
        "model-00001-of-00001.safetensors": safetensors_bytes({"a": 2, "b": 3}, metadata={"format": "pt"}),
        "other-00001-of-00002.safetensors": safetensors_bytes(),  # another checkpoint's shard name
    })
    assert finding_tuples(lint(repo, select=["ART008"])) == []


# --- ART009 --------------------------------------------------------------------------------

AUTO_MAP_CONFIG = '{\n  "model_type": "pebble",\n  "auto_map": {\n    "AutoModelForCausalLM": "modeling_pebble.PebbleForCausalLM"\n  }\n}\n'


def test_art009_auto_map_and_custom_code(tmp_path):
    repo = make_repo(tmp_path / "a", {"README.md": "# m\n", "config.json": AUTO_MAP_CONFIG, "modeling_pebble.py": "class X: pass\n"})
    assert finding_tuples(lint(repo, select=["ART009"])) == [("ART009", "config.json", 3)]
    # Custom modeling code that no auto_map names is never imported by transformers.
    custom = make_repo(tmp_path / "b", {"README.md": "# m\n", "config.json": "{}", "modeling_pebble.py": "class X: pass\n"})
    assert finding_tuples(lint(custom, select=["ART009"])) == []


def test_art009_silent_when_the_card_says_so_or_no_remote_code(tmp_path):
    said = make_repo(tmp_path / "a", {
        "README.md": "# m\n\n```python\nAutoModelForCausalLM.from_pretrained('org/m', trust_remote_code=True)\n```\n",
        "config.json": AUTO_MAP_CONFIG,
    })
    assert finding_tuples(lint(said, select=["ART009"])) == []
    plain = make_repo(tmp_path / "b", {"README.md": "# m\n", "config.json": '{"model_type": "gpt2"}', "model.py": "x = 1\n",
                                       "src/modeling_utils.py": "x = 1\n"})
    assert finding_tuples(lint(plain, select=["ART009"])) == []


def test_art008_unlisted_shard_of_an_index_with_dots_in_its_name(tmp_path):
    index = '{"weight_map": {"a": "model.v2-00001-of-00002.safetensors", "b": "model.v2-00002-of-00002.safetensors"}}'
    repo = make_repo(tmp_path, {
        "model.v2.safetensors.index.json": index,
        "model.v2-00001-of-00002.safetensors": safetensors_bytes(),
        "model.v2-00002-of-00002.safetensors": safetensors_bytes(),
        "model.v2-00003-of-00002.safetensors": safetensors_bytes(),
    })
    assert finding_tuples(lint(repo, select=["ART008"])) == [("ART008", "model.v2-00003-of-00002.safetensors", None)]


def test_arrays_outside_model_folders_are_not_weights_to_checksum_or_sign(tmp_path):
    # A training-code repository's result array is data; the same array at the root or under a model
    # folder is taken for weights (ART005: no checksum, ART011: no signature).
    array = b"\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }" + b" " * 53 + b"\n" + b"\0" * 16
    make_repo(tmp_path / "data", {"train.py": "import torch\n", "analysis/outputs/scores.npy": array})
    make_repo(tmp_path / "model", {"train.py": "import torch\n", "checkpoints/final/embeddings.npy": array})
    assert finding_tuples(lint(tmp_path / "data", select=["ART005", "ART011"])) == []
    assert finding_tuples(lint(tmp_path / "model", select=["ART005", "ART011"])) == [
        ("ART005", "checkpoints/final/embeddings.npy", None), ("ART011", None, None)]
