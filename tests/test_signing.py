"""ART010 / ART011: model signatures made with the real `model-signing` package (a local EC key)."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil

import model_signing
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from release_lint import lint
from release_lint.config import Config
from release_lint.detectors.provenance import model_signatures
from release_lint.repo import Repo
from tests.conftest import FIXTURES, copy_fixture, finding_tuples, make_repo, write_files

RULES = ["ART010", "ART011"]


def sign(model_dir, tmp_path, signature="model.sig"):
    """Sign *model_dir* as `model_signing sign key` does, with a fresh elliptic-curve key."""
    key = ec.generate_private_key(ec.SECP256R1())
    key_file = tmp_path / "signing-key.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    model_signing.signing.Config().use_elliptic_key_signer(private_key=key_file).sign(model_dir, model_dir / signature)
    return key


def signed_fixture(tmp_path, name="fully-open"):
    root = tmp_path / "release"
    shutil.copytree(FIXTURES / name, root)
    sign(root, tmp_path)
    return root


def statement(root):
    bundle = json.loads((root / "model.sig").read_text())
    return json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))


def lfs_pointer(data: bytes) -> str:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{hashlib.sha256(data).hexdigest()}\nsize {len(data)}\n"


def test_a_fresh_signature_covers_the_release(tmp_path):
    root = signed_fixture(tmp_path)
    make_repo(root)
    names = {r["name"] for r in statement(root)["predicate"]["resources"]}
    assert {"model.safetensors", "config.json", "tokenizer_config.json", "generation_config.json"} <= names
    assert finding_tuples(lint(root, select=RULES)) == []


def test_tampered_shard_and_an_unsigned_shard_added_after_signing(tmp_path):
    root = tmp_path / "release"
    shutil.copytree(FIXTURES / "weights-only", root)
    (root / "model.safetensors").rename(root / "model-00001-of-00002.safetensors")
    index = {"metadata": {"total_size": 16}, "weight_map": {"embed.weight": "model-00001-of-00002.safetensors"}}
    (root / "model.safetensors.index.json").write_text(json.dumps(index, indent=2) + "\n")
    sign(root, tmp_path)
    # After signing: one shard's bytes change, a second shard is added and the index names it.
    shard = root / "model-00001-of-00002.safetensors"
    shard.write_bytes(shard.read_bytes()[:-1] + b"\x01")
    shutil.copy(shard, root / "model-00002-of-00002.safetensors")
    index["weight_map"]["lm_head.weight"] = "model-00002-of-00002.safetensors"
    (root / "model.safetensors.index.json").write_text(json.dumps(index, indent=2) + "\n")
    make_repo(root)
    result = lint(root, select=RULES)
    assert finding_tuples(result) == [
        ("ART010", "model-00001-of-00002.safetensors", None),
        ("ART010", "model-00002-of-00002.safetensors", None),
        ("ART010", "model.safetensors.index.json", None),
    ]
    messages = {f.path: f.message for f in result.findings}
    assert "is not covered by the signature model.sig" in messages["model-00002-of-00002.safetensors"]
    assert "(shard)" in messages["model-00002-of-00002.safetensors"]
    assert "but its content says" in messages["model-00001-of-00002.safetensors"]


def test_lfs_pointer_oids_are_compared_with_the_signed_digests(tmp_path):
    root = signed_fixture(tmp_path)
    real = (root / "model.safetensors").read_bytes()
    (root / ".gitattributes").write_text("*.safetensors filter=lfs diff=lfs merge=lfs -text\n")
    (root / "model.safetensors").write_text(lfs_pointer(real))
    make_repo(root)
    assert finding_tuples(lint(root, select=RULES)) == []  # the pointer names exactly the signed content

    (root / "model.safetensors").write_text(lfs_pointer(real + b"retrained"))
    result = lint(root, select=RULES)
    assert finding_tuples(result) == [("ART010", "model.safetensors", None)]
    assert "its LFS pointer says" in result.findings[0].message


def test_a_checksum_file_that_contradicts_the_signature(tmp_path):
    root = signed_fixture(tmp_path)
    sums = (root / "SHA256SUMS").read_text().replace("254f56c7", "00000000")
    (root / "SHA256SUMS").write_text(sums)
    make_repo(root)
    # The line stating the weights' digest contradicts the signed one (SHA256SUMS is not a model file: its own
    # bytes are not compared).
    result = lint(root, select=RULES)
    assert finding_tuples(result) == [("ART010", "SHA256SUMS", 1)]
    assert result.findings[0].message.startswith("model.safetensors: model.sig records sha256 254f56c74fbc…, but SHA256SUMS:1 says 00000000")


def test_a_signed_file_removed_from_the_release(tmp_path):
    root = signed_fixture(tmp_path)
    (root / "generation_config.json").unlink()
    make_repo(root)
    result = lint(root, select=RULES)
    assert finding_tuples(result) == [("ART010", "model.sig", None)]
    assert result.findings[0].message == "model.sig signs generation_config.json, which is not in the release"


def test_hashing_is_bounded_by_max_hash_bytes(tmp_path):
    root = signed_fixture(tmp_path, "weights-only")
    weights = root / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-1] + b"\x07")
    make_repo(root)
    assert finding_tuples(lint(root, select=RULES)) == [("ART010", "model.safetensors", None)]
    config = Config(options={"ART010": {"max_hash_bytes": 16}})
    assert finding_tuples(lint(root, config=config, select=RULES)) == []  # not read: nothing states its digest


def test_a_model_sig_that_is_not_a_bundle(tmp_path):
    root = tmp_path / "release"
    shutil.copytree(FIXTURES / "weights-only", root)
    write_files(root, {"model.sig": "-----BEGIN PGP SIGNATURE-----\nnot json\n"})
    make_repo(root)
    result = lint(root, select=RULES)
    assert finding_tuples(result) == [("ART010", "model.sig", None)]
    assert result.findings[0].message == "model.sig cannot be read as a model signature: not JSON"


def test_a_bundle_with_another_payload_is_reported(tmp_path):
    root = signed_fixture(tmp_path, "weights-only")
    bundle = json.loads((root / "model.sig").read_text())
    bundle["dsseEnvelope"]["payloadType"] = "text/plain"
    (root / "model.sig").write_text(json.dumps(bundle))
    make_repo(root)
    result = lint(root, select=RULES)
    assert finding_tuples(result) == [("ART010", "model.sig", None)]
    assert "not an in-toto statement" in result.findings[0].message


def test_other_sig_files_are_not_model_signatures(tmp_path):
    make_repo(tmp_path, {"release.tar.gz.sig": b"\x89\x01binary gpg", "notes.sig": '{"a": 1}'})
    assert model_signatures(Repo(str(tmp_path))) == []


def test_signature_in_a_subfolder_signs_that_folder(tmp_path):
    root = tmp_path / "release"
    shutil.copytree(FIXTURES / "weights-only", root / "model")
    sign(root / "model", tmp_path)
    write_files(root, {"README.md": "# Wrapper\n", "extra/model.safetensors": (root / "model" / "model.safetensors").read_bytes()})
    make_repo(root)
    signature = model_signatures(Repo(str(root)))[0]
    assert signature.folder == "model/" and "model/model.safetensors" in signature.resources
    assert finding_tuples(lint(root, select=RULES)) == [("ART010", "extra/model.safetensors", None)]


def test_unsigned_weights_get_an_info_finding(tmp_path, cli):
    root = tmp_path / "release"
    shutil.copytree(FIXTURES / "weights-only", root)
    make_repo(root)
    result = lint(root, select=RULES)
    assert finding_tuples(result) == [("ART011", None, None)]
    assert result.findings[0].severity == "info"
    assert result.findings[0].message == "no model signature: model.safetensors can't be checked against what you released"


def test_no_weights_no_suggestion(tmp_path):
    make_repo(tmp_path, {"README.md": "# A library\n", "train.py": "print('hi')\n", "config.json": "{}\n"})
    assert finding_tuples(lint(tmp_path, select=RULES)) == []


def test_explain_shows_the_signing_command(cli):
    for code in RULES:
        out = cli("--explain", code).output
        assert "model_signing sign key . --private_key signing-key.pem --signature model.sig" in out
    assert "does not verify the signature itself" in cli("--explain", "ART010").output


def test_the_signed_fully_open_fixture_is_covered(tmp_path):
    root = copy_fixture("fully-open", tmp_path / "r")  # ships a model.sig made with model-signing
    (signature,) = model_signatures(Repo(str(root)))
    assert signature.error is None and signature.method == "files" and "model.safetensors" in signature.resources
    assert finding_tuples(lint(root, select=RULES)) == []


def test_hostile_signatures_are_reported_not_crashed_on(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    payload = base64.b64encode(json.dumps({"predicateType": "https://model_signing/signature/v1.0", "predicate": {
        "resources": [7, {"name": "../../etc/passwd", "digest": "00"}, {"name": {"x": 1}}]}}).encode()).decode()
    bundle = {"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
              "dsseEnvelope": {"payloadType": "application/vnd.in-toto+json", "payload": payload}}
    make_repo(tmp_path / "a", {"model.sig": deep, "config.json": "{}\n"})
    make_repo(tmp_path / "b", {"model.sig": json.dumps(bundle), "config.json": "{}\n"})
    result = lint(tmp_path / "a", select=RULES)
    assert finding_tuples(result) == [("ART010", "model.sig", None)] and not result.internal_errors
    result = lint(tmp_path / "b", select=RULES)
    assert not result.internal_errors
    assert sorted(f.message for f in result.findings) == [
        "config.json (config) is not covered by the signature model.sig",
        "model.sig signs ../../etc/passwd, which is not in the release",
    ]


def test_checksum_files_are_read_with_the_shared_bounded_line_grammar(tmp_path):
    # A 60 KB line of spaces is no checksum line (it once stalled a lazy regex); the next line still counts.
    from release_lint.detectors.provenance import checksum_digests
    from release_lint.repo import Repo

    digest = "b" * 64
    make_repo(tmp_path, {"SHA256SUMS": "a" * 64 + " " * 60_000 + "x\n" + f"{digest}  model.safetensors\n"
                                       + f"SHA256 (tokenizer.json) = {'c' * 64}\nMD5 (config.json) = {'d' * 64}\n"})
    found = checksum_digests(Repo(str(tmp_path)))
    assert {path: (d.sha256, d.line) for path, d in found.items()} == {
        "model.safetensors": (digest, 2), "tokenizer.json": ("c" * 64, 3)}
