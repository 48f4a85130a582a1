"""Where the release is: the folder release-lint lints when run from anywhere inside it.

Like git finding its top level and ruff finding its configuration, the release root is found by
walking up from the starting folder (PATH, or the current folder): the first folder that is a git
top level (holds ``.git``) or that marks a release on its own, by holding

- a release-lint configuration (``.release-lint.toml``, or ``pyproject.toml`` with a
  ``[tool.release-lint]`` table), or
- a model card: ``README.md`` opening with YAML front matter that has a Hugging Face card key
  (``license``, ``library_name``, ``pipeline_tag``, ``tags``, ``datasets``, ...; a documentation site's
  ``title:`` front matter does not count), or a file named ``MODEL_CARD.md`` / ``model_card.md`` /
  ``MODELCARD.md`` / ``modelcard.md``.

So ``docs/`` of a repository lints the repository, while a model's folder in a monorepo that holds its
own card is its own release. Outside git with no marker up to ``/``, the starting folder is the root.
Only names and the first bytes of two small files are read; nothing is run.
"""

from __future__ import annotations

import os
import re
import stat
from typing import Optional

CONFIG_FILE = ".release-lint.toml"
CARD_FILES = ("MODEL_CARD.md", "model_card.md", "MODELCARD.md", "modelcard.md")
_TOOL_TABLE_RE = re.compile(rb"^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*[\"']?release-lint[\"']?[ \t]*[\].]", re.MULTILINE)
_PEEK_BYTES = 64 * 1024  # enough for the front of a README and a pyproject.toml's tables
_CARD_KEY_RE = re.compile(
    rb"^(?:license|license_name|library_name|pipeline_tag|tags|datasets|language|base_model|model-index|"
    rb"model_name|metrics|widget|inference|co2_eq_emissions)[ \t]*:", re.MULTILINE)


def _head(path: str, size: int) -> bytes:
    """The first *size* bytes of a regular file (not a symlink, FIFO or device), else b''."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, size)
    except OSError:
        return b""
    finally:
        os.close(fd)


def has_config(folder: str) -> bool:
    if os.path.isfile(os.path.join(folder, CONFIG_FILE)):
        return True
    return bool(_TOOL_TABLE_RE.search(_head(os.path.join(folder, "pyproject.toml"), _PEEK_BYTES)))


def has_model_card(folder: str) -> bool:
    if any(os.path.isfile(os.path.join(folder, name)) for name in CARD_FILES):
        return True
    head = _head(os.path.join(folder, "README.md"), 4096).lstrip(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    first, _newline, rest = head.partition(b"\n")
    return first.rstrip(b"\r") == b"---" and bool(_CARD_KEY_RE.search(rest))


def is_git_top(folder: str) -> bool:
    return os.path.lexists(os.path.join(folder, ".git"))


def git_top(start: str) -> Optional[str]:
    """The nearest folder at or above *start* holding ``.git``, or None outside git."""
    folder = os.path.abspath(start)
    while True:
        if is_git_top(folder):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def find_root(start: str) -> str:
    """The release root for a run started in *start* (see the module's docstring)."""
    start = os.path.abspath(start)
    folder = start
    while True:
        if is_git_top(folder) or has_config(folder) or has_model_card(folder):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return start
        folder = parent
