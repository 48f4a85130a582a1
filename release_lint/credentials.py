"""Credential shapes, their masking, and the redaction every output passes through.

The token formats are the high-signal ones that detect-secrets and gitleaks look for (fixed prefixes or a
key name next to the value), not entropy guesses, so placeholders (``hf_xxx``, ``<your_token>``,
``${VAR}``, documentation examples) stay silent. The same table serves two purposes: the secrets detector
(ART007) reports each credential in the release, and ``redact`` masks any credential in any string a
report prints, whichever rule quoted it. This module imports nothing from the project, so the lowest
layer (``findings``) can use it.

Specs and references: https://github.com/Yelp/detect-secrets, https://github.com/gitleaks/gitleaks
(config/gitleaks.toml), each vendor's token documentation.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, overload

_B = r"(?<![A-Za-z0-9])"  # not in the middle of a longer word or token
_E = r"(?![A-Za-z0-9_-])"  # for alphabets with "-" and "_": the whole run is the token
_A = r"(?![A-Za-z0-9])"  # for alphanumeric bodies: "ghp_...-notes.md" still ends the token at "-"


@dataclass(frozen=True)
class Shape:
    """One credential format: ``kind`` (stable id), ``label`` (human name), ``pattern`` (the secret is
    group "secret"), ``prefix`` (length of its fixed, non-secret prefix; -1 when the match is only a
    header such as a private key's) and ``markers`` (literal substrings one of which a text must hold)."""

    kind: str
    label: str
    pattern: "re.Pattern[str]"
    prefix: int
    markers: Tuple[str, ...]


SHAPES: List[Shape] = [
    Shape("huggingface", "Hugging Face token", re.compile(_B + r"(?P<secret>hf_[A-Za-z0-9]{30,40})" + _A), 3, ("hf_",)),
    Shape("anthropic", "Anthropic API key",
          re.compile(_B + r"(?P<secret>sk-ant-(?:api|admin|sid)\d\d-[A-Za-z0-9_-]{40,120})" + _E), 7, ("sk-ant-",)),
    Shape("openai", "OpenAI API key",
          re.compile(_B + r"(?P<secret>sk-(?!ant-)(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,200})" + _E), 3, ("sk-",)),
    Shape("aws", "AWS access key id",
          re.compile(r"(?<![A-Z0-9])(?P<secret>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[0-9A-Z]{16})(?![A-Z0-9])"), 4,
          ("AKIA", "ASIA", "ABIA", "ACCA", "A3T")),
    # A secret access key has no prefix: it counts only next to its name (as detect-secrets' AWS plugin does).
    Shape("aws-secret", "AWS secret access key",
          re.compile(r"(?i:aws_?secret_?(?:access_?)?key|secretaccesskey)[\"']?\s*[:=]\s*[\"']?"
                     r"(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"), 0,
          ("aws_secret", "AWS_SECRET", "awsSecret", "AwsSecret", "SecretAccessKey", "secretAccessKey")),
    Shape("github", "GitHub token", re.compile(_B + r"(?P<secret>gh[pousr]_[A-Za-z0-9]{36,255})" + _A), 4,
          ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    Shape("github", "GitHub token", re.compile(_B + r"(?P<secret>github_pat_[A-Za-z0-9_]{60,255})" + _A), 11,
          ("github_pat_",)),
    Shape("gitlab", "GitLab token", re.compile(_B + r"(?P<secret>glpat-[A-Za-z0-9_-]{20,255})" + _E), 6, ("glpat-",)),
    Shape("slack", "Slack token", re.compile(_B + r"(?P<secret>xox[baprse]-[0-9]{6,15}(?:-[0-9]{6,15}){0,3}-[A-Za-z0-9]{8,64})" + _E), 5,
          ("xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-", "xoxe-")),
    Shape("slack-webhook", "Slack webhook URL",
          re.compile(r"(?P<secret>https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9+/_-]{20,120})"), 24,
          ("hooks.slack.com",)),
    Shape("stripe", "Stripe live key", re.compile(_B + r"(?P<secret>(?:sk|rk)_live_[A-Za-z0-9]{20,247})" + _A), 8,
          ("_live_",)),
    Shape("google", "Google API key", re.compile(_B + r"(?P<secret>AIza[0-9A-Za-z_-]{35})" + _E), 4, ("AIza",)),
    Shape("pypi", "PyPI token", re.compile(_B + r"(?P<secret>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,500})" + _E), 5,
          ("pypi-AgEI",)),
    Shape("npm", "npm token", re.compile(_B + r"(?P<secret>npm_[A-Za-z0-9]{36})" + _A), 4, ("npm_",)),
    Shape("replicate", "Replicate token", re.compile(_B + r"(?P<secret>r8_[A-Za-z0-9]{37})" + _A), 3, ("r8_",)),
    Shape("groq", "Groq API key", re.compile(_B + r"(?P<secret>gsk_[A-Za-z0-9]{52})" + _A), 4, ("gsk_",)),
    Shape("kaggle", "Kaggle API key",
          re.compile(r"(?:KAGGLE_KEY[\"']?\s*[:=]\s*|\"key\"\s*:\s*)[\"']?(?P<secret>[0-9a-f]{32})(?![0-9a-fA-F])"), 0,
          ("KAGGLE_KEY", '"key"')),
    Shape("wandb", "Weights & Biases API key",
          re.compile(r"(?:WANDB_API_KEY|wandb\.login\s*\(\s*key)\s*[=:]?\s*['\"]?(?P<secret>[0-9a-f]{40})(?![0-9a-fA-F])"), 0,
          ("WANDB_API_KEY", "wandb.login")),
    Shape("jwt", "JSON Web Token",
          re.compile(_B + r"(?P<secret>eyJ[A-Za-z0-9_-]{8,2048}\.eyJ[A-Za-z0-9_-]{8,2048}\.[A-Za-z0-9_-]{16,1024})" + _E), 3,
          ("eyJ",)),
    Shape("private-key", "private key block",
          re.compile(r"-----BEGIN (?P<secret>(?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----"), -1,
          ("PRIVATE KEY",)),
]
# Shapes that count only in a file of this name (a kaggle.json "key" is a credential; elsewhere it is a word).
FILE_ONLY_MARKERS: Dict[str, Tuple[str, str]] = {"kaggle": ('"key"', "kaggle.json")}

PLACEHOLDER_WORDS = ("xxxx", "your", "example", "placeholder", "dummy", "redacted", "changeme", "token_here",
                     "fake", "sample", "insert", "replace", "abcdefghij", "1234567890", "0000000000")

# The one literal prefilter: a single C-level pass; texts without any marker skip every pattern. Every
# quantifier above is bounded, so a pattern costs at most a constant per marker occurrence: linear.
ANY_MARKER_RE = re.compile("|".join(sorted({re.escape(m) for shape in SHAPES for m in shape.markers}, key=len, reverse=True)))


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


def _example_jwt(token: str) -> bool:
    """The token of jwt.io's and RFC 7519's examples (subject 1234567890 / John Doe)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, IndexError):
        return True  # not a decodable JWT: not a credential either
    return not isinstance(claims, dict) or claims.get("sub") == "1234567890" or claims.get("name") == "John Doe"


def _hex_placeholder(secret: str) -> bool:
    """Hex keys (Kaggle, W&B) have no letters to mix cases: judge them by their variety of digits."""
    return len(set(secret)) <= 5 or any(word in secret for word in ("0123456789", "abcdef0", "deadbeef"))


def credentials_in(text: str, file_name: str = "") -> Iterator[Tuple[Shape, "re.Match[str]"]]:
    """Every credential in *text*: (shape, match), placeholders left out. Private-key headers are
    yielded as they are (whether a key body follows is the caller's question)."""
    if not ANY_MARKER_RE.search(text):
        return
    for shape in SHAPES:
        if not any(marker in text for marker in shape.markers):
            continue
        only = FILE_ONLY_MARKERS.get(shape.kind)
        for match in shape.pattern.finditer(text):
            secret = match.group("secret")
            if only and match.group(0).startswith(only[0]) and file_name != only[1]:
                continue
            if shape.kind == "jwt":
                if _example_jwt(secret):
                    continue
            elif shape.kind in ("kaggle", "wandb"):
                if _hex_placeholder(secret):
                    continue
            elif shape.prefix >= 0 and is_placeholder(secret, shape.prefix):
                continue
            yield shape, match


def map_strings(value: Any, function: Callable[[str], Any]) -> Any:
    """*value* (nested dicts, lists, tuples, dataclasses and strings) with *function* applied to every string
    in it, keys included: one walk for every step that rewrites what a report may print."""
    if isinstance(value, str):
        return function(value)
    if isinstance(value, dict):
        return {map_strings(k, function): map_strings(v, function) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(map_strings(v, function) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: map_strings(getattr(value, f.name), function)
                                             for f in dataclasses.fields(value) if f.init})
    return value


def redact_tree(value: Any) -> Any:
    """*value* (e.g. the openness verdict or the bill-of-materials facts) with every string redacted."""
    return map_strings(value, redact)


@overload
def redact(text: str) -> str: ...
@overload
def redact(text: None) -> None: ...
def redact(text: Optional[str]) -> Optional[str]:
    """*text* with every credential the secrets detector recognises masked (``hf_ab…yz``).

    Every string a report prints passes through here, whichever rule produced it.
    """
    if not text or not ANY_MARKER_RE.search(text):
        return text
    spans = sorted({(m.start("secret"), m.end("secret"), shape.prefix) for shape, m in credentials_in(text)
                    if shape.prefix >= 0})
    if not spans:
        return text
    merged: List[List[int]] = []
    for start, end, prefix in spans:
        if merged and start < merged[-1][1]:  # overlapping shapes: mask their union
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, prefix])
    pieces, position = [], 0
    for start, end, prefix in merged:
        pieces.append(text[position:start])
        pieces.append(mask(text[start:end], prefix))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
