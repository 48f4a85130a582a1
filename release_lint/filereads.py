"""Bounded reads of one file, and turning its bytes into text or TOML.

A read never blocks (FIFOs, devices are refused) and never takes more than the cap it is given.
"""

from __future__ import annotations

import os
import stat
import sys
from typing import Optional

def read_capped(fd: int, limit: int) -> bytes:
    """At most *limit* bytes from the open file *fd*, read in bounded chunks."""
    chunks, remaining = [], limit
    while remaining > 0:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


class NotRegularFile(ValueError):
    """A FIFO, a device, a folder: never read (a FIFO would block, /dev/zero never ends)."""


class FileTooLarge(ValueError):
    """A file over the reader's cap: refused whole rather than read in part."""


def read_regular_file(path: str, limit: int) -> bytes:
    """The whole of *path*, a regular file of at most *limit* bytes, opened without blocking (for the
    configuration and baseline files named outside the file listing). Raises NotRegularFile,
    FileTooLarge or OSError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile("not a regular file")
        data = read_capped(fd, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileTooLarge(f"larger than {limit} bytes")
    return data


def parse_toml(text: str) -> dict:
    """*text* as TOML (tomllib, or tomli before Python 3.11); raises ValueError when it is not valid TOML."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11 only
        import tomli as tomllib
    return tomllib.loads(text)  # TOMLDecodeError is a ValueError


def decode_text(data: bytes) -> Optional[str]:
    """Decode file bytes as text, or None for binary data.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are recognised; undecodable
    bytes are replaced. A NUL byte in the first 8 KiB of non-UTF-16 data means binary.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", "replace")
