"""Credentials committed to the release: API tokens, access keys, private keys, .env files.

One bounded pass over the text files (binary files, weight files and files over the read limit are
skipped), with the well-known token shapes of ``release_lint.credentials`` rather than entropy guesses,
so placeholders such as ``hf_xxx``, ``sk-...`` or ``<your-token>`` stay silent. Secrets are masked here,
at the source: the full value never leaves this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

from release_lint.credentials import credentials_in, is_placeholder, mask
from release_lint.detectors.weights import WEIGHT_EXTENSIONS
from release_lint.repo import Repo, detector

# Files never worth scanning for text secrets (binary formats; weights are judged elsewhere).
SKIP_EXTENSIONS = WEIGHT_EXTENSIONS + (
    ".npz", ".npy", ".tflite", ".pb", ".png", ".jpg", ".jpeg", ".gif", ".webp",
    ".ico", ".pdf", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".tar", ".7z", ".whl", ".so", ".dylib",
    ".dll", ".exe", ".parquet", ".arrow", ".wav", ".mp3", ".flac", ".mp4", ".woff", ".woff2", ".ttf",
    ".model", ".spm",
)
MAX_SCAN_BYTES = 1024 * 1024  # larger text files are data, not configuration

ENV_FILE_RE = re.compile(r"^\.env(?:\.[\w-]+)?$")
ENV_TEMPLATE_SUFFIXES = (".example", ".sample", ".template", ".dist", ".defaults", ".tpl", ".in")
ENV_ASSIGNMENT_RE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
SECRET_NAME_RE = re.compile(r"(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIAL)", re.IGNORECASE)


@dataclass(frozen=True)
class SecretHit:
    """A credential found: ``path``, ``line``, ``kind`` (a ``credentials.SHAPES`` kind such as huggingface,
    aws-secret, slack, or env-file), ``label`` (human name) and ``masked`` (e.g. ``hf_ab…yz``; never the value)."""

    path: str
    line: int
    kind: str
    label: str
    masked: str


def _private_key_has_body(lines: List[str], index: int) -> bool:
    following = "".join(lines[index + 1 : index + 4]).strip()
    return len(re.sub(r"[^A-Za-z0-9+/=]", "", following)) >= 40 and "..." not in following


MAX_HITS_PER_FILE = 100  # a file of thousands of tokens is reported by its first hundred


def _scan_text(path: str, text: str) -> List[SecretHit]:
    hits: List[SecretHit] = []
    name = path.rsplit("/", 1)[-1]
    counted, line = 0, 1  # lines counted incrementally: matches of one shape come in order
    for shape, match in credentials_in(text, name):
        if len(hits) >= MAX_HITS_PER_FILE:
            break
        secret = match.group("secret")
        if match.start() < counted:
            counted, line = 0, 1
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if shape.kind == "private-key":
            following = text[match.end() : match.end() + 400].split("\n")
            if _private_key_has_body(following, 0):
                hits.append(SecretHit(path, line, shape.kind, shape.label, secret))
            continue
        hits.append(SecretHit(path, line, shape.kind, shape.label, mask(secret, shape.prefix)))
    return hits


def _env_file_hit(path: str, text: str) -> Optional[SecretHit]:
    """A committed .env file holding at least one real-looking value for a secret-like name."""
    for number, line in enumerate(text.split("\n"), 1):
        match = ENV_ASSIGNMENT_RE.match(line)
        if not match or line.lstrip().startswith("#"):
            continue
        name, value = match.group(1), match.group(2).strip("'\"")
        if SECRET_NAME_RE.search(name) and len(value) >= 8 and not value.startswith(("<", "${", "$(")) and not is_placeholder(value, 0):
            return SecretHit(path, number, "env-file", f".env file sets {name}", mask(value, 0))
    return None


@detector
def secrets(repo: Repo) -> List[SecretHit]:
    """Every credential in the release's text files: ``[SecretHit]`` sorted by path and line.

    Text files up to ``MAX_SCAN_BYTES`` are scanned once; binary files (a NUL byte early on) and files
    with binary or weight extensions are skipped without being read.
    """
    hits: List[SecretHit] = []
    for path, lower_name in zip(repo.files, repo.lower_names()):
        if lower_name.endswith(SKIP_EXTENSIONS) or repo.source.is_symlink(path):
            continue
        size = repo.size(path)
        if size is None or size == 0 or size > MAX_SCAN_BYTES:
            continue
        # Not cached: most files are read by no other rule, and 100k cached texts cost 100 MB.
        text = repo.scan_text(path)
        if text is None:
            continue
        found = _scan_text(path, text)
        if len(found) >= MAX_HITS_PER_FILE:
            repo.source.note(f"{path}: only its first {MAX_HITS_PER_FILE} credentials are reported")
        name = path.rsplit("/", 1)[-1]
        if ENV_FILE_RE.match(name) and not name.endswith(ENV_TEMPLATE_SUFFIXES) and not found:
            env_hit = _env_file_hit(path, text)
            if env_hit:
                found.append(env_hit)
        hits.extend(found)
    return sorted(set(hits), key=lambda h: (h.path, h.line, h.kind, h.masked))
