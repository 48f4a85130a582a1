"""One fact and where it was found: Evidence (relative POSIX path, 1-based line or None, kind, text), shared by the detectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Evidence:
    """One fact with where it was found: ``line`` is None when the fact is the file itself (its name)."""

    path: str
    line: Optional[int]
    kind: str
    text: str

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "kind": self.kind, "text": self.text}


def clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
