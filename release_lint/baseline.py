"""Baselines: adopt release-lint on an existing repository without fixing everything first.

``--write-baseline FILE`` records today's findings as (rule code, path, key) — the key is the
rule's stable logical key, never the line number, which shifts with every edit. ``--baseline
FILE`` (or ``baseline =`` in the configuration) then hides those known findings and reports only
new ones, and the run says how many it hid and how many baseline entries no longer occur (fixed
since, so the baseline can be rewritten smaller).

File format (JSON, sorted, one entry per finding so a diff shows what changed)::

    {"tool": "release-lint", "baseline_version": 1,
     "findings": [{"code": "LIC001", "path": null, "key": ".", "message": "..."}]}

``message`` is for the human reading the file; matching ignores it.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Iterable, List, Optional, Tuple

from release_lint.config import ConfigError
from release_lint.filereads import read_regular_file
from release_lint.findings import Finding, Result

BASELINE_VERSION = 1
MAX_BASELINE_BYTES = 32 * 1024 * 1024

Entry = Tuple[str, Optional[str], str]  # (code, path, key)


def entry_of(finding: Finding) -> Entry:
    return (finding.code, finding.path, finding.key or finding.path or ".")


def document(findings: Iterable[Finding]) -> dict:
    rows = sorted(
        ({"code": f.code, "path": f.path, "key": entry_of(f)[2], "message": f.message} for f in findings),
        key=lambda row: (row["code"], row["path"] or "", row["key"], row["message"]),
    )
    return {"tool": "release-lint", "baseline_version": BASELINE_VERSION, "findings": rows}


def write_baseline(result: Result, path: str) -> int:
    """Write every finding of *result* to *path*; return how many were written."""
    text = json.dumps(document(result.findings), indent=2, ensure_ascii=False) + "\n"
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the baseline ({exc.strerror or exc})") from None
    return len(result.findings)


def read_baseline(path: str) -> List[Entry]:
    """The entries of a baseline file; a missing or malformed file is a ConfigError (exit 2).

    Only a regular file is read (a FIFO or /dev/zero named as the baseline must not hang the run or
    fill the memory), at most MAX_BASELINE_BYTES of it, and no error quotes its content.
    """
    try:
        data = json.loads(read_regular_file(path, MAX_BASELINE_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: baseline file not found (create it with --write-baseline {path})") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{path}: not a release-lint baseline ({exc})") from None
    except RecursionError:
        raise ConfigError(f"{path}: not a release-lint baseline (nested too deeply)") from None
    if not isinstance(data, dict) or data.get("tool") != "release-lint" or not isinstance(data.get("findings"), list):
        raise ConfigError(f"{path}: not a release-lint baseline (expected an object with tool and findings)")
    if data.get("baseline_version") != BASELINE_VERSION:
        raise ConfigError(f"{path}: unsupported baseline_version (expected {BASELINE_VERSION})")
    entries = []
    for number, row in enumerate(data["findings"], 1):
        if (
            not isinstance(row, dict)
            or not isinstance(row.get("code"), str)
            or not isinstance(row.get("key"), str)
            or not (row.get("path") is None or isinstance(row.get("path"), str))
        ):
            raise ConfigError(f"{path}: findings[{number - 1}] needs a string code and key and a string or null path")
        entries.append((row["code"], row["path"], row["key"]))
    return entries


def apply_baseline(result: Result, path: str) -> None:
    """Drop the findings recorded in the baseline at *path* and say what happened.

    Matching counts: a baseline listing one (code, path, key) hides one such finding. Entries of
    rules that did not run this time (``--select``, ``--ignore``) are neither hidden nor stale.
    """
    known = Counter(read_baseline(path))
    remaining = Counter(known)
    kept = []
    for finding in result.findings:
        entry = entry_of(finding)
        if remaining[entry] > 0:
            remaining[entry] -= 1
        else:
            kept.append(finding)
    hidden = len(result.findings) - len(kept)
    ran = set(result.rules_run)
    stale = sum(count for (code, _path, _key), count in remaining.items() if code in ran and count > 0)
    result.findings[:] = kept
    result.extra["baseline"] = {"file": path, "hidden": hidden, "stale": stale}
    result.extra.setdefault("json", {})["baseline"] = dict(result.extra["baseline"])
    entries = "entry" if stale == 1 else "entries"
    result.notes.append(
        f"baseline {path}: {hidden} known finding{'' if hidden == 1 else 's'} hidden; "
        f"{stale} baseline {entries} no longer found"
        + (" (rewrite it with --write-baseline to drop them)" if stale else "")
    )
