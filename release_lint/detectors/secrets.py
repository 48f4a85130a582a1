"""Credentials committed to the release: API tokens, access keys, private keys, .env files.

One bounded pass over the text files (binary files, weight files and files over the read limit are
skipped), with well-known token shapes rather than entropy guesses, so placeholders such as
``hf_xxx``, ``sk-...`` or ``<your-token>`` stay silent. Secrets are masked here, at the source: the
full value never leaves this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

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

# (kind, label, regex with the secret as group "secret", how many leading characters are its fixed prefix)
_B = r"(?<![A-Za-z0-9_-])"  # not in the middle of a longer token
_E = r"(?![A-Za-z0-9_-])"
PATTERNS: List[Tuple[str, str, "re.Pattern[str]", int]] = [
    ("huggingface", "Hugging Face token", re.compile(_B + r"(?P<secret>hf_[A-Za-z0-9]{30,40})" + _E), 3),
    ("anthropic", "Anthropic API key", re.compile(_B + r"(?P<secret>sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{40,120})" + _E), 7),
    ("openai", "OpenAI API key",
     re.compile(_B + r"(?P<secret>sk-(?!ant-)(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,200})" + _E), 3),
    ("aws", "AWS access key id", re.compile(r"(?<![A-Z0-9])(?P<secret>(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})(?![A-Z0-9])"), 4),
    ("github", "GitHub token", re.compile(_B + r"(?P<secret>gh[pousr]_[A-Za-z0-9]{36,255})" + _E), 4),
    ("github", "GitHub token", re.compile(_B + r"(?P<secret>github_pat_[A-Za-z0-9_]{60,255})" + _E), 11),
    ("wandb", "Weights & Biases API key",
     re.compile(r"(?:WANDB_API_KEY|wandb\.login\s*\(\s*key)\s*[=:]?\s*['\"]?(?P<secret>[0-9a-f]{40})(?![0-9a-fA-F])"), 0),
    ("private-key", "private key block",
     re.compile(r"-----BEGIN (?P<secret>(?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----"), -1),
]
PLACEHOLDER_WORDS = ("xxxx", "your", "example", "placeholder", "dummy", "redacted", "changeme", "token_here",
                     "fake", "sample", "insert", "replace", "abcdefghij", "1234567890", "0000000000")
ENV_FILE_RE = re.compile(r"^\.env(?:\.[\w-]+)?$")
ENV_TEMPLATE_SUFFIXES = (".example", ".sample", ".template", ".dist", ".defaults", ".tpl", ".in")
ENV_ASSIGNMENT_RE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
SECRET_NAME_RE = re.compile(r"(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIAL)", re.IGNORECASE)


@dataclass(frozen=True)
class SecretHit:
    """A credential found: ``path``, ``line``, ``kind`` (huggingface, openai, anthropic, aws, github,
    wandb, private-key, env-file), ``label`` (human name) and ``masked`` (e.g. ``hf_ab…yz``; never the value)."""

    path: str
    line: int
    kind: str
    label: str
    masked: str


def mask(secret: str, prefix_length: int) -> str:
    """Keep the fixed prefix, two characters after it and the last two: ``hf_ab…yz``."""
    if prefix_length < 0:
        return secret  # a private key's header ("RSA PRIVATE KEY") is not the secret
    keep = prefix_length + 2
    if len(secret) <= keep + 6:
        return secret[:prefix_length] + "…"
    return f"{secret[:keep]}…{secret[-2:]}"


def is_placeholder(secret: str, prefix_length: int) -> bool:
    body = secret[max(prefix_length, 0) :]
    lowered = body.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return True
    if len(set(lowered)) <= 5:  # hf_aaaaaaaa..., sk-.................
        return True
    classes = sum(any(test(c) for c in body) for test in (str.islower, str.isupper, str.isdigit))
    if classes < 2:  # random tokens mix cases and digits; words and runs of one class do not
        return True
    # Real tokens are random: long runs of one character class read like words (sk-my-secret-key-goes-here).
    if prefix_length >= 0 and "-" in body and all(part.isalpha() and part.islower() for part in body.split("-") if part):
        return True
    return False


def _private_key_has_body(lines: List[str], index: int) -> bool:
    following = "".join(lines[index + 1 : index + 4]).strip()
    return len(re.sub(r"[^A-Za-z0-9+/=]", "", following)) >= 40 and "..." not in following


# Substrings one of which must be in a text for the pattern to be tried: a cheap C-level filter.
MARKERS = {
    "huggingface": ("hf_",), "anthropic": ("sk-ant-",), "openai": ("sk-",), "aws": ("AKIA", "ASIA", "ABIA", "ACCA"),
    "github": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), "wandb": ("WANDB_API_KEY", "wandb.login"),
    "private-key": ("PRIVATE KEY",),
}


# Any marker at all: one C-level pass that lets the many files without one skip the per-kind checks.
ANY_MARKER_RE = re.compile("|".join(re.escape(m) for markers in MARKERS.values() for m in markers))


def _scan_text(path: str, text: str) -> List[SecretHit]:
    hits: List[SecretHit] = []
    if not ANY_MARKER_RE.search(text):
        return hits
    for kind, label, pattern, prefix_length in PATTERNS:
        if not any(marker in text for marker in MARKERS[kind]):
            continue
        for match in pattern.finditer(text):
            secret = match.group("secret")
            line = text.count("\n", 0, match.start()) + 1
            if kind == "private-key":
                following = text[match.end() : match.end() + 400].split("\n")
                if _private_key_has_body(following, 0):
                    hits.append(SecretHit(path, line, kind, label, secret))
                continue
            if is_placeholder(secret, prefix_length):
                continue
            hits.append(SecretHit(path, line, kind, label, mask(secret, prefix_length)))
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
        name = path.rsplit("/", 1)[-1]
        if ENV_FILE_RE.match(name) and not name.endswith(ENV_TEMPLATE_SUFFIXES) and not found:
            env_hit = _env_file_hit(path, text)
            if env_hit:
                found.append(env_hit)
        hits.extend(found)
    return sorted(set(hits), key=lambda h: (h.path, h.line, h.kind, h.masked))
