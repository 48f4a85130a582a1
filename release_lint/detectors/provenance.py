"""Provenance facts: the SHA-256 digests a release states for its files, and model signatures.

Digests come from what the release already says, never from reading a large file: a Git LFS pointer's
``oid`` is the SHA-256 of the content it stands for, and GNU/BSD checksum files (``SHA256SUMS``,
``*.sha256``) list digests by name. A file's own bytes are hashed only when it is small enough (the
caller gives the bound).

Model signatures are OpenSSF model-signing files (``model.sig``): a Sigstore bundle whose DSSE envelope
carries an in-toto statement listing each signed file's name and digest
(https://github.com/sigstore/model-transparency, https://github.com/in-toto/attestation). Only the
statement is read; no signature is verified here (that needs the signer's key or Sigstore's services).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from release_lint.detectors.checksums import checksums
from release_lint.detectors.lfs import parse_lfs_pointer
from release_lint.detectors.weights import shard_indexes, weight_files
from release_lint.repo import Repo, detector

SIGSTORE_BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle"
IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"
MODEL_SIGNING_PREDICATE = "https://model_signing/signature/"
MAX_SIGNATURE_BYTES = 32 * 1024 * 1024  # a statement lists one line per file: thousands of shards fit easily
SIGNATURE_NAME_RE = re.compile(r"(?:^|/)(?:model\.sig|[^/]*\.sigstore(?:\.json)?|[^/]*\.sig)$", re.IGNORECASE)

# Files a loader reads besides the weights: signing them matters as much (a swapped tokenizer or
# config changes what the model does).
TOKENIZER_NAMES = frozenset({
    "tokenizer.json", "tokenizer_config.json", "tokenizer.model", "special_tokens_map.json", "added_tokens.json",
    "vocab.json", "vocab.txt", "merges.txt", "spiece.model", "sentencepiece.bpe.model", "sentencepiece.model",
})
CONFIG_NAMES = frozenset({
    "config.json", "generation_config.json", "adapter_config.json", "preprocessor_config.json",
    "model_index.json", "params.json", "processor_config.json", "chat_template.json", "chat_template.jinja",
})


@dataclass(frozen=True)
class StatedDigest:
    """A file's SHA-256 as the release states it: ``source`` "lfs-pointer", "checksum-file" or "content"
    (hashed here), ``path``/``line`` where it is stated (the file itself for a pointer or its bytes)."""

    sha256: str
    source: str
    path: str
    line: Optional[int] = None


@detector
def checksum_digests(repo: Repo) -> Dict[str, StatedDigest]:
    """``{file path: StatedDigest}`` for every SHA-256 listed in a checksum file (GNU ``<hex>  name``
    or BSD ``SHA256 (name) = <hex>``), names resolved from the checksum file's folder: the lines
    checksums.checksums (ART005) reads, kept to SHA-256 digests."""
    return {target: StatedDigest(digest, "checksum-file", path, number)
            for target, (digest, path, number) in checksums(repo).sha256.items()}


def lfs_digest(repo: Repo, path: str) -> Optional[StatedDigest]:
    """The SHA-256 a Git LFS pointer file states for the content it stands for, or None."""
    pointer = parse_lfs_pointer(repo.head(path, 1024)) if repo.is_lfs_pointer(path) else None
    return StatedDigest(pointer.oid[len("sha256:"):], "lfs-pointer", path) if pointer else None


def stated_digest(repo: Repo, path: str, hash_limit: int = 0) -> Optional[StatedDigest]:
    """What the release says *path*'s SHA-256 is: its LFS pointer, else a checksum file, else (for a
    file of at most *hash_limit* bytes) its own bytes hashed. None when nothing says it. Memoised per run:
    ART010 and the BOM formats ask for the same files."""
    memo = repo.memo.setdefault(stated_digest, {})
    if (path, hash_limit) not in memo:
        memo[(path, hash_limit)] = _stated_digest(repo, path, hash_limit)
    return memo[(path, hash_limit)]


def _stated_digest(repo: Repo, path: str, hash_limit: int) -> Optional[StatedDigest]:
    found = lfs_digest(repo, path) or checksum_digests(repo).get(path)
    if found is not None:
        return found
    size = repo.size(path)
    if size is not None and size <= hash_limit:
        data = repo.source.read(path, size) if size > repo.max_bytes else repo.read_bytes(path)
        if data is not None and len(data) == size:
            return StatedDigest(hashlib.sha256(data).hexdigest(), "content", path)
    return None


@detector
def released_model_files(repo: Repo) -> Dict[str, str]:
    """``{path: role}`` of the files a model's users load: "weights" (not training state), "shard"
    (named by a shard index), "tokenizer", "config" (including shard indexes)."""
    found: Dict[str, str] = {}
    for weight in weight_files(repo):
        if weight.is_model_parameters:
            found[weight.path] = "weights"
    for index in shard_indexes(repo):
        found[index.path] = "config"
        for shard in index.shards:
            if repo.exists(shard):
                found[shard] = "shard"
    for path, lower in zip(repo.files, repo.lower_names()):
        if lower in TOKENIZER_NAMES or lower.startswith("tokenizer.model.") or lower.endswith(".tiktoken"):
            found.setdefault(path, "tokenizer")
        elif lower in CONFIG_NAMES:
            found.setdefault(path, "config")
    return dict(sorted(found.items()))


@dataclass
class ModelSignature:
    """A model-signing signature file: ``folder`` the model folder it signs (its own folder),
    ``resources`` {path in the release: (algorithm, hex digest)}, ``method`` "files" or "shards",
    ``error`` why the statement could not be read (then ``resources`` is empty)."""

    path: str
    folder: str
    resources: Dict[str, tuple] = field(default_factory=dict)
    method: Optional[str] = None
    hash_type: Optional[str] = None
    ignore_paths: List[str] = field(default_factory=list)
    error: Optional[str] = None


def _statement(bundle) -> dict:
    """The in-toto statement inside a Sigstore bundle's DSSE envelope; ValueError when it is not one."""
    if not isinstance(bundle, dict) or not str(bundle.get("mediaType", "")).startswith(SIGSTORE_BUNDLE_TYPE):
        raise ValueError("not a Sigstore bundle (no mediaType application/vnd.dev.sigstore.bundle...)")
    envelope = bundle.get("dsseEnvelope")
    if not isinstance(envelope, dict):
        raise ValueError("the bundle has no DSSE envelope (dsseEnvelope)")
    if envelope.get("payloadType") != IN_TOTO_PAYLOAD_TYPE:
        raise ValueError(f"the envelope's payloadType is {envelope.get('payloadType')!r}, not an in-toto statement")
    try:
        statement = json.loads(base64.b64decode(str(envelope.get("payload", "")), validate=True))
    except (ValueError, TypeError, RecursionError):
        raise ValueError("the envelope's payload is not base64-encoded JSON") from None
    if not isinstance(statement, dict) or not str(statement.get("predicateType", "")).startswith(MODEL_SIGNING_PREDICATE):
        raise ValueError("the statement is not a model-signing statement (predicateType https://model_signing/signature/...)")
    return statement


def parse_signature(repo: Repo, path: str) -> Optional[ModelSignature]:
    """The signature at *path*, or None when the file is not a Sigstore bundle (other ``.sig`` files)."""
    folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    signature = ModelSignature(path, folder)
    size = repo.size(path)
    if size is None or size > MAX_SIGNATURE_BYTES:
        signature.error = f"larger than {MAX_SIGNATURE_BYTES // (1024 * 1024)} MiB; not read"
        return signature
    data = repo.source.read(path, size) if size > repo.max_bytes else repo.read_bytes(path)
    try:
        bundle = json.loads((data or b"").decode("utf-8"))
    except (ValueError, RecursionError):
        return None if path.rsplit("/", 1)[-1].lower() != "model.sig" else _failed(signature, "not JSON")
    if not isinstance(bundle, dict) or "mediaType" not in bundle:
        return None if path.rsplit("/", 1)[-1].lower() != "model.sig" else _failed(signature, "not a Sigstore bundle")
    try:
        statement = _statement(bundle)
    except ValueError as exc:
        return _failed(signature, str(exc))
    predicate = statement.get("predicate") if isinstance(statement.get("predicate"), dict) else {}
    serialization = predicate.get("serialization") if isinstance(predicate.get("serialization"), dict) else {}
    signature.method = str(serialization.get("method") or "") or None
    signature.hash_type = str(serialization.get("hash_type") or "") or None
    ignored = serialization.get("ignore_paths")
    signature.ignore_paths = [str(p) for p in ignored] if isinstance(ignored, list) else []
    resources = predicate.get("resources")
    if not isinstance(resources, list):
        return _failed(signature, "the statement lists no resources")
    for resource in resources:
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            continue
        name = resource["name"]
        if signature.method == "shards":
            name = name.rsplit(":", 2)[0]  # "file:start:end": a byte range of the file
        algorithm = str(resource.get("algorithm") or signature.hash_type or "")
        signature.resources.setdefault(folder + name, (algorithm, str(resource.get("digest", "")).lower()))
    return signature


def _failed(signature: ModelSignature, reason: str) -> ModelSignature:
    signature.error = reason
    return signature


@detector
def model_signatures(repo: Repo) -> List[ModelSignature]:
    """Every model-signing signature in the release (``model.sig``, or a ``.sig`` / ``.sigstore.json``
    file holding a Sigstore bundle), in path order."""
    found = []
    for path in repo.files:
        if SIGNATURE_NAME_RE.search(path):
            signature = parse_signature(repo, path)
            if signature is not None:
                found.append(signature)
    return found
