"""Hostile repositories, one builder per case, shared by tests/test_hostile_defects.py (which asserts what
each run must produce) and bench/hostile.py (which prints the time and memory of each run).

Each builder makes the repository in an empty folder *root* and returns the extra command-line arguments
of its run. The sizes are those of the probe's reproductions or larger: on the quadratic code they replace
each took from 30 s to hours of CPU; linear, each run takes about a second.
"""

from __future__ import annotations

import json
import os
import resource
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, NamedTuple, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Limits of every measured run: a safety net that turns a regression into a failed run, not a hung
# suite. They are resource limits of the child process, not timings asserted by a test.
ADDRESS_SPACE = 1024 ** 3
CPU_SECONDS = 30
TIMEOUT = 60

GIT_ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org", LC_ALL="C")


class Run(NamedTuple):
    exit_code: Optional[int]  # None: killed by the timeout
    seconds: float
    cpu_seconds: float
    peak_mb: float
    stdout: bytes
    stderr: bytes


# The CLI, run so that it writes its own peak resident memory (VmHWM) to the file named first on exit:
# a forked child's ru_maxrss starts at the size of the process it was forked from (here, pytest).
_REPORT_PEAK = """
import atexit, runpy, sys
out = sys.argv.pop(1)
def report():
    try:
        with open("/proc/self/status") as status:
            peak = [line.split()[1] for line in status if line.startswith("VmHWM:")]
        with open(out, "w") as handle:
            handle.write(peak[0] if peak else "")
    except OSError:
        pass
atexit.register(report)
sys.argv[0] = "release-lint"
runpy.run_module("release_lint", run_name="__main__", alter_sys=True)
"""


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run_limited(args: List[str], cwd: str, env: Optional[dict] = None) -> Run:
    """``python -m release_lint ARGS`` in its own process under the limits above; its wall time, CPU time
    and peak resident memory (``os.wait4``). Output is strict UTF-8, as on many CI runners."""
    env = dict(env if env is not None else os.environ, PYTHONPATH=str(PROJECT_ROOT), PYTHONIOENCODING="utf-8")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".hwm") as hwm:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-c", _REPORT_PEAK, hwm.name, *args], cwd=cwd, env=env,
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=err, preexec_fn=_limits)
        status: Optional[int] = None
        while True:
            pid, waited, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                status = waited
                break
            if time.perf_counter() - started > TIMEOUT:
                process.kill()
                _pid, _waited, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        process.returncode = 0  # reaped by os.wait4: Popen must not wait for it again
        out.seek(0)
        err.seek(0)
        code = None if status is None else os.waitstatus_to_exitcode(status)
        reported = hwm.read().strip()
        peak_kb = int(reported) if reported.isdigit() else usage.ru_maxrss  # ru_maxrss counts the parent's too
        return Run(code, seconds, usage.ru_utime + usage.ru_stime, peak_kb / 1024, out.read(), err.read())


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, stdout=subprocess.PIPE, env=GIT_ENV,
                          stdin=subprocess.DEVNULL).stdout.decode()


def write(root: Path, files: Dict[str, object]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def committed(root: Path, files: Dict[str, object]) -> None:
    write(root, files)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial")


def big_reads(root: Path) -> None:
    """Lets one file of several MiB be read whole (the configuration's cap is 16 MiB)."""
    write(root, {".release-lint.toml": "max-read-bytes = 8388608\n"})


# --- D4-D13: quadratic work on small inputs ---------------------------------------------------------
def card_open_brackets(root: Path) -> List[str]:  # D4, CARD006
    write(root, {"README.md": "# M\n" + "[" * 20_000 + "\n" + "some prose about the model. " * 7_000 + "\n"})
    return []


def many_headings(root: Path) -> List[str]:  # D5
    headings = "#\n" * 131_000
    write(root, {"README.md": headings, "docs/a.md": headings})
    return []


def many_recognised_sections(root: Path) -> List[str]:  # D6
    write(root, {"README.md": "## Uses\n" * 32_000, "DATASHEET.md": "## Uses\n" * 32_000})
    return []


def long_checksum_lines(root: Path) -> List[str]:  # D7
    big_reads(root)
    write(root, {"SHA256SUMS": "ab" * 32 + "  f" + " " * 2_000_000 + "x\n",
                 "README.md": "# M\n\n" + "ab" * 32 + " " + "a" * 200_000 + "\n"})
    return []


def one_line_shard_index(root: Path) -> List[str]:  # D8
    big_reads(root)
    shards = ",".join(f'"{i:x}":"s{i:x}"' for i in range(250_000))
    write(root, {"model.safetensors.index.json": '{"weight_map":{' + shards + "}}"})
    return []


def exclude_backtracking(root: Path) -> List[str]:  # D10
    write(root, {"a" * 200: "x\n", ".release-lint.toml": 'exclude = ["' + "*a" * 26 + '*b"]\n'})
    return []


def many_classifiers(root: Path) -> List[str]:  # D11
    big_reads(root)
    classifiers = ",\n".join(f'"License :: OSI Approved :: MIT License {i}"' for i in range(40_000))
    write(root, {"pyproject.toml": '[project]\nname = "x"\nclassifiers = [\n' + classifiers + "\n]\n"})
    return []


def continued_requirements(root: Path) -> List[str]:  # D12
    big_reads(root)
    write(root, {"requirements.txt": ("x" + " " * 3_990 + "y \\\n") * 1_000})
    return []


def lfs_patterns_by_weights(root: Path) -> List[str]:  # D13
    big_reads(root)
    patterns = "".join(f"*.ext{i} filter=lfs diff=lfs merge=lfs -text\n" for i in range(44_000))
    files: Dict[str, object] = {".gitattributes": patterns}
    for i in range(1_500):
        files[f"w/s{i}.safetensors"] = b"\x08\0\0\0\0\0\0\0{}      "
    write(root, files)
    return []


# --- D3, D16, D24: what the repository's content and configuration can make it read ----------------
def baseline_dev_zero(root: Path) -> List[str]:  # D3: named on the command line, which may name any file
    committed(root, {"README.md": "# m\n"})
    return ["--baseline", os.devnull.replace("null", "zero")]


def baseline_fifo(root: Path) -> List[str]:  # D3
    committed(root, {"README.md": "# m\n", ".release-lint.toml": 'baseline = "known.json"\n'})
    os.mkfifo(root / "known.json")
    return []


def deep_json(root: Path) -> List[str]:  # D16
    nested = "[" * 100_000 + "]" * 100_000
    header = b'{"t": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    write(root, {"package.json": nested, "config.json": nested, "model.safetensors.index.json": nested,
                 "x.safetensors": struct.pack("<Q", len(header)) + header})
    return []


def sparse_two_gib_readme(root: Path) -> List[str]:  # D24: the highest cap the configuration may set
    write(root, {".release-lint.toml": "max-read-bytes = 16777216\n", "README.md": "---\nlicense: mit\n---\n"})
    with open(root / "README.md", "r+b") as handle:
        handle.truncate(2 * 1024 ** 3)
    return []


CASES: Dict[str, Callable[[Path], List[str]]] = {
    "D3-baseline-dev-zero": baseline_dev_zero,
    "D3-baseline-fifo": baseline_fifo,
    "D4-card-open-brackets": card_open_brackets,
    "D5-many-headings": many_headings,
    "D6-many-recognised-sections": many_recognised_sections,
    "D7-long-checksum-lines": long_checksum_lines,
    "D8-one-line-shard-index": one_line_shard_index,
    "D10-exclude-backtracking": exclude_backtracking,
    "D11-many-classifiers": many_classifiers,
    "D12-continued-requirements": continued_requirements,
    "D13-lfs-patterns-by-weights": lfs_patterns_by_weights,
    "D16-deep-json": deep_json,
    "D24-sparse-two-gib-readme": sparse_two_gib_readme,
}


def describe(document: dict) -> str:
    """A short account of a JSON report: its findings' codes, for the bench's table."""
    codes = sorted({f["code"] for f in document.get("findings", [])})
    return json.dumps(codes)
