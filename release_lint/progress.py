"""What a run is doing, for a progress line on a terminal.

The engine updates a :class:`RunStatus` (plain attribute writes, cheap enough for every rule); the CLI's
:class:`ProgressLine` thread shows it on stderr once the run has lasted ``DELAY`` seconds, only when
stderr is a terminal, and erases it when the run ends, so CI logs and pipes never see it.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Optional, TextIO

DELAY = 1.0  # seconds before anything is shown: short runs stay quiet
INTERVAL = 0.2  # seconds between refreshes


class RunStatus:
    """The stage of a run: listing files, then running rules (with how many files were read)."""

    def __init__(self) -> None:
        self.stage = "starting"
        self.repo: Optional[Any] = None  # the Repo once its files are listed
        self.rules_done = 0
        self.rules_total = 0
        self.rule = ""

    def describe(self) -> str:
        parts = [self.stage]
        repo = self.repo
        if repo is not None:
            parts.append(f"{len(repo.files)} files listed")
            parts.append(f"{len(getattr(repo, '_bytes', ()))} read")
        if self.rules_total:
            parts.append(f"rule {self.rules_done}/{self.rules_total} {self.rule}".rstrip())
        return ", ".join(parts)


class ProgressLine:
    """A background thread redrawing one status line on *stream* (a terminal) until stopped."""

    def __init__(self, status: RunStatus, stream: TextIO, width: int = 79) -> None:
        self.status = status
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.shown = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="release-lint-progress", daemon=True)

    def __enter__(self) -> "ProgressLine":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        if self.shown:
            self.stream.write("\r\033[K")  # erase the line: the report follows on a clean screen
            self.stream.flush()

    def _run(self) -> None:
        if self._stop.wait(DELAY):
            return
        last = ""
        while not self._stop.is_set():
            line = ("release-lint: " + self.status.describe())[: self.width]
            if line != last:
                self.stream.write("\r\033[K" + line)
                self.stream.flush()
                self.shown, last = True, line
            self._stop.wait(INTERVAL)
