"""Repository text made inert before a terminal or a CI runner reads it.

File names, card values and link targets reach our messages verbatim, and a pull request's author
controls them. Printed raw, a newline starts a line of its own (a GitHub workflow command such as
``::error`` or ``::stop-commands::``), an escape sequence clears the screen or retitles the
terminal, and a bidirectional override makes a line read differently than it is. Every format
that a person or a runner reads passes paths and messages through :func:`inert`, which shows each
such character escaped (``\\n``, ``\\x1b``, ``\\u202e``) instead of sending it.
"""

from __future__ import annotations

import re

from release_lint.findings import printable

# C0 controls (newline, CR, ESC, BEL...), DEL, C1 controls (CSI U+009B, NEL U+0085...), the line and
# paragraph separators, and the bidirectional marks, embeddings, overrides and isolates
# (Unicode UAX #9; "Trojan Source", CVE-2021-42574).
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
CONTROL_RE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_JSON_RAW_RE = re.compile(f"[{_BEYOND_C0}]")  # json.dumps escapes C0 itself; its own newlines are layout
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
LEGACY_COMMAND = "##["  # actions/runner still runs `##[name]data` found anywhere in a line


def _shown(match: "re.Match[str]") -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text):
    """*text* with every control, separator and bidi character shown escaped (None stays None), and
    the GitHub runner's legacy command prefix ``##[`` (matched anywhere in a line) shown as ``#\\#[``.

    Undecodable bytes of a file name (lone surrogates) are shown as ``\\xff`` too (``printable``),
    so the result always encodes as UTF-8.
    """
    if text is None:
        return None
    text = printable(str(text))
    if CONTROL_RE.search(text):
        text = CONTROL_RE.sub(_shown, text)
    return text.replace(LEGACY_COMMAND, "#\\#[") if LEGACY_COMMAND in text else text


def inert_json(dumped: str) -> str:
    """A ``json.dumps(..., ensure_ascii=False)`` document with the characters json leaves raw (DEL,
    C1, separators, bidi) written as ``\\uXXXX`` escapes, and ``##[`` as ``#\\u0023[``: the same data,
    nothing for a terminal or a runner to act on. These can only occur inside JSON strings, where the
    escape is exact; and no line of indented JSON starts with a string, so none reads as ``::command``."""
    dumped = _JSON_RAW_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
    return dumped.replace(LEGACY_COMMAND, "#\\u0023[")  # only strings can hold it: the same text, escaped
