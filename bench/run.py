"""Benchmark release-lint against the physical floor on synthetic model repositories.

    python bench/run.py                       # 1k, 10k and 100k files (a few minutes)
    python bench/run.py --sizes 1000,10000    # quick
    python bench/run.py --profile 10000       # also print a cProfile of one in-process run

For each size it builds a git repository in a temporary folder: files in deep trees (about 5% Markdown
with front matter, 5% YAML), a 2 GB sparse weight file, a 20 MB README and a 2,000-line requirements file,
all committed, plus a few untracked files. Then, several runs each (median after one warm-up):

- release-lint: the whole process, ``sys.executable -m release_lint --exit-zero --format json ROOT``,
  with every installed rule; wall time and peak resident memory (from ``os.wait4``);
- floor: what any tool must do to lint that release: one ``git ls-files -z`` (the index), plus reading
  exactly the bytes the rules read (measured by recording every read of the ``Repo`` in one in-process
  run), with ``os.read`` from this process. No interpreter start-up is included in the floor.
- release floor: the same, but listing the set of files release-lint lints (tracked, plus untracked
  unignored, minus tracked files deleted from the work tree): two git processes at once, which cost a
  walk of the work tree and an lstat per tracked file that the index alone does not.
- untracked: ``git ls-files --others --exclude-standard`` alone; release-lint lists untracked, unignored
  files as part of the release, which costs a walk of the work tree that the floor above does not pay.
- peers where installed (``reuse lint``).

Also: start-up of ``release-lint --version`` and of a bare interpreter, and the slowest rules
(``--timings``). Timings are for reading, never asserted: the tests do not time anything.
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional, Tuple

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GIT_ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.org",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.org", LC_ALL="C")
WEIGHT_BYTES = 2 * 1024 ** 3
README_BYTES = 20 * 1024 ** 2
REQUIREMENT_LINES = 2000


# --- building the repositories ----------------------------------------------------------------------
def _git(root: str, *args: str, stdin: Optional[bytes] = None) -> bytes:
    return subprocess.run(["git", "-C", root, *args], input=stdin, stdout=subprocess.PIPE, check=True,
                          env=GIT_ENV).stdout


def _markdown(index: int) -> str:
    return (f"---\ntitle: page {index}\ntags: [a, b]\n---\n# Page {index}\n\nSome text about part {index}.\n\n"
            f"## Usage\n\nRun `python -m pkg.mod{index}`.\n\n## Notes\n\n- one\n- two\n")


def _yaml(index: int) -> str:
    return f"run: {index}\noptimizer:\n  name: adamw\n  lr: 3.0e-4\n  betas: [0.9, 0.95]\nbatch_size: 32\nsteps: {index * 10}\n"


def _python(index: int) -> str:
    return f'"""Module {index}."""\n\nimport os\n\n\ndef f{index}(x):\n    return x + {index}\n'


def _big_readme() -> bytes:
    head = ("---\nlicense: apache-2.0\ndatasets: [allenai/c4]\npipeline_tag: text-generation\n---\n"
            "# Bench Model\n\n## Training data\n\nC4, filtered.\n\n## Training procedure\n\nAdamW.\n\n")
    paragraph = ("This paragraph repeats to make the model card large; it mentions A100 GPUs, 3e-4 learning "
                 "rates and the Apache-2.0 licence so that text-scanning rules have something to look at.\n\n")
    out = io.StringIO()
    out.write(head)
    section = 0
    while out.tell() < README_BYTES:
        section += 1
        out.write(f"## Section {section}\n\n" + paragraph * 40)
    return out.getvalue().encode()[:README_BYTES]


def build_repo(root: str, files: int, seed: int = 0) -> Dict[str, int]:
    """A committed git repository with *files* tracked files (the special ones included)."""
    rng = random.Random(seed)
    os.makedirs(root)
    _git(root, "init", "-q")
    special = {
        "README.md": _big_readme(),
        "LICENSE": b"Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\n",
        "requirements.txt": "".join(f"package-{i}=={i % 7}.{i % 13}.{i % 5}\n" for i in range(REQUIREMENT_LINES)).encode(),
        "config.json": json.dumps({"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32}).encode(),
        ".gitignore": b"*.log\n/outputs/\n__pycache__/\n",
    }
    for name, content in special.items():
        with open(os.path.join(root, name), "wb") as handle:
            handle.write(content)
    with open(os.path.join(root, "model.safetensors"), "wb") as handle:
        handle.truncate(WEIGHT_BYTES)  # sparse: no blocks on disk, reads return zeros
    remaining = files - len(special) - 1
    counts = {"markdown": 0, "yaml": 0, "python": 0, "other": 0}
    # A deep tree of about one folder per 12 files, each folder 1 to 8 levels below the root.
    folders = [""]
    while len(folders) < max(1, remaining // 12):
        parent = rng.choice(folders)
        if parent.count("/") < 8:
            folders.append(f"{parent}/pkg{len(folders)}" if parent else f"pkg{len(folders)}")
    made_dirs = set()
    for index in range(remaining):
        parts = [p for p in rng.choice(folders).split("/") if p]
        kind = index % 20
        if kind == 0:
            name, text, counts["markdown"] = f"page{index}.md", _markdown(index), counts["markdown"] + 1
        elif kind == 1:
            name, text, counts["yaml"] = f"conf{index}.yaml", _yaml(index), counts["yaml"] + 1
        elif kind < 14:
            name, text, counts["python"] = f"mod{index}.py", _python(index), counts["python"] + 1
        else:
            name, text, counts["other"] = f"data{index}.txt", f"row {index}\n" * 4, counts["other"] + 1
        folder = os.path.join(root, *parts)
        if folder not in made_dirs:
            os.makedirs(folder, exist_ok=True)
            made_dirs.add(folder)
        with open(os.path.join(folder, name), "w") as handle:
            handle.write(text)
    # Storing 2 GB of zeros: hash once and deflate at level 1 (a few seconds; the object is ~2 MB).
    _git(root, "-c", "core.bigFileThreshold=1m", "-c", "core.compression=1", "add", "-A")
    _git(root, "commit", "-q", "-m", "bench")
    for name in ("notes-untracked.md", "scratch-untracked.py"):  # untracked, unignored: part of the release
        with open(os.path.join(root, name), "w") as handle:
            handle.write("# untracked\n")
    with open(os.path.join(root, "ignored.log"), "w") as handle:
        handle.write("ignored\n")
    counts["tracked"] = int(_git(root, "ls-files", "-z").count(b"\0"))
    return counts


# --- measuring ---------------------------------------------------------------------------------------
OLD_SOURCE = ""  # --old: a folder holding another version's release_lint package


_PYCACHE: List[str] = []


def _env(source: str = "") -> dict:
    """The environment of measured processes: the checkout first on the path, and bytecode cached (in a
    temporary folder, not in the checkout) as an installed package has it: with PYTHONDONTWRITEBYTECODE set,
    every run would compile every module again, which no installed release-lint does."""
    env = dict(os.environ)
    env["PYTHONPATH"] = (source or PROJECT_ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not _PYCACHE:
        _PYCACHE.append(tempfile.mkdtemp(prefix="release-lint-pycache-"))
        atexit.register(shutil.rmtree, _PYCACHE[0], True)
    env["PYTHONPYCACHEPREFIX"] = _PYCACHE[0]
    return env


TIME_BINARY = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def timed_process(argv: List[str], cwd: Optional[str] = None, source: str = "") -> Tuple[float, float, int, bytes, bytes]:
    """Wall seconds, CPU seconds (user + system), peak RSS in KiB, stdout and stderr of one run of *argv*
    (*source*: another checkout of release_lint first on the path). CPU time is reported too because wall
    time on a shared machine also counts waiting for a core.

    The peak comes from /usr/bin/time when installed: a child forked from this (large) process would
    otherwise start its high-water mark at this process's size. Else from ``os.wait4``.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(suffix=".rss") as rss_file:
        wrapped = [TIME_BINARY, "-f", "%M", "-o", rss_file.name, *argv] if TIME_BINARY else argv
        started = time.perf_counter()
        # From a neutral folder by default: `python -m` puts the working directory first on the path.
        process = subprocess.Popen(wrapped, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                   cwd=cwd or tempfile.gettempdir(), env=_env(source))
        _pid, _status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(_status)
        peak_kib = usage.ru_maxrss
        if TIME_BINARY:
            with open(rss_file.name) as handle:
                numbers = [line for line in handle.read().split() if line.isdigit()]
            peak_kib = int(numbers[-1]) if numbers else peak_kib
        out.seek(0)
        err.seek(0)
        return elapsed, usage.ru_utime + usage.ru_stime, peak_kib, out.read(), err.read()


READS_PROBE = r"""
import json, sys
from release_lint import worktree as worktree_module
from release_lint.api import lint
reads = []
original_read, original_size = worktree_module.WorkTree.read, worktree_module.WorkTree.size
def read(self, relative, limit):
    data = original_read(self, relative, limit)
    reads.append([relative, limit, len(data) if data is not None else None])
    return data
worktree_module.WorkTree.read = read
lint(sys.argv[1])
print(json.dumps(reads))
"""


def recorded_reads(root: str) -> List[Tuple[str, int, Optional[int]]]:
    """Every read the rules make through the repository view: (path, cap asked, bytes returned)."""
    done = subprocess.run([sys.executable, "-c", READS_PROBE, root], stdout=subprocess.PIPE, check=True, env=_env())
    return [tuple(r) for r in json.loads(done.stdout)]


RELEASE_LISTING = (["ls-files", "-z", "-c", "-o", "--exclude-standard"], ["ls-files", "-z", "-d"])


def floor_once(root: str, reads: List[Tuple[str, int, Optional[int]]], release: bool = False) -> float:
    """Index floor: one `git ls-files -z`. Release floor (*release*): the listing of the same set of
    files release-lint lints (tracked, plus untracked unignored, minus deleted), as two git processes
    at once, as fast as git can give it. Both plus the same reads."""
    started = time.perf_counter()
    if release:
        processes = [subprocess.Popen(["git", "-C", root, *args], stdout=subprocess.PIPE, env=GIT_ENV)
                     for args in RELEASE_LISTING]
        for process in processes:
            process.communicate()
    else:
        subprocess.run(["git", "-C", root, "ls-files", "-z"], stdout=subprocess.PIPE, check=True, env=GIT_ENV)
    for path, _limit, got in {r[0]: r for r in reads}.values():
        if got is None:
            continue
        fd = os.open(os.path.join(root, path), os.O_RDONLY)
        try:
            remaining = got
            while remaining > 0:
                chunk = os.read(fd, min(remaining, 1 << 20))
                if not chunk:
                    break
                remaining -= len(chunk)
        finally:
            os.close(fd)
    return time.perf_counter() - started


def median_of(runs: int, function) -> Tuple[float, list]:
    function()  # warm-up: the page cache, git's index
    samples = [function() for _ in range(runs)]
    return statistics.median(s[0] if isinstance(s, tuple) else s for s in samples), samples


def profile_in_process(root: str, top: int = 25) -> str:
    sys.path.insert(0, PROJECT_ROOT)
    from release_lint.api import lint

    profiler = cProfile.Profile()
    profiler.enable()
    lint(root)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def startup(runs: int) -> Tuple[float, float]:
    version = median_of(runs, lambda: timed_process([sys.executable, "-m", "release_lint", "--version"]))[0]
    bare = median_of(runs, lambda: timed_process([sys.executable, "-c", "pass"]))[0]
    return version, bare


def bench_size(base: str, files: int, runs: int, profile: bool) -> dict:
    root = os.path.join(base, f"repo-{files}")
    started = time.perf_counter()
    counts = build_repo(root, files)
    built = time.perf_counter() - started

    lint_argv = [sys.executable, "-m", "release_lint", "--exit-zero", "--format", "json", root]
    samples = []
    timed_process(lint_argv)  # warm-up
    for _ in range(runs):
        elapsed, _cpu, rss, out, err = timed_process(lint_argv)
        samples.append((elapsed, rss))
    lint_median = statistics.median(s[0] for s in samples)
    old_median = None
    if OLD_SOURCE:
        timed_process(lint_argv, source=OLD_SOURCE)
        old_median = statistics.median(timed_process(lint_argv, source=OLD_SOURCE)[0] for _ in range(runs))
    peak_kib = max(s[1] for s in samples)
    report = json.loads(out)

    reads = recorded_reads(root)
    floor_median = median_of(runs, lambda: floor_once(root, reads))[0]
    release_floor_median = median_of(runs, lambda: floor_once(root, reads, release=True))[0]
    untracked_argv = ["git", "-C", root, "ls-files", "-z", "--others", "--exclude-standard"]
    untracked_median = median_of(runs, lambda: timed_process(untracked_argv))[0]

    _e, _c, _r, _o, stats_err = timed_process([sys.executable, "-m", "release_lint", "--exit-zero", "--quiet",
                                           "--timings", root])
    rule_lines = [line.strip() for line in stats_err.decode(errors="replace").splitlines() if " ms  " in line]

    peers = {}
    if shutil.which("reuse"):
        peers["reuse lint"] = median_of(max(1, runs // 2), lambda: timed_process(["reuse", "--root", root, "lint"]))[0]

    paths_read = [r[0] for r in reads]
    result = {
        "files": counts["tracked"],
        "counts": counts,
        "build_s": built,
        "lint_s": lint_median,
        "lint_samples": [s[0] for s in samples],
        "old_lint_s": old_median,
        "peak_mib": peak_kib / 1024,
        "floor_s": floor_median,
        "untracked_walk_s": untracked_median,
        "release_floor_s": release_floor_median,
        "ratio": lint_median / floor_median if floor_median else float("inf"),
        "release_ratio": lint_median / release_floor_median if release_floor_median else float("inf"),
        "files_read": len(set(paths_read)),
        "reads": len(paths_read),
        "bytes_read": sum(r[2] or 0 for r in {r[0]: r for r in reads}.values()),
        "read_twice": sorted({p for p in paths_read if paths_read.count(p) > 1}) if len(paths_read) < 5000 else [],
        "findings": len(report.get("findings", [])),
        "notes": report.get("notes", []),
        "slowest_rules": rule_lines[:5],
        "peers": peers,
    }
    if profile:
        result["profile"] = profile_in_process(root)
    return result


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of tracked files")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (median reported)")
    parser.add_argument("--profile", default="", help="comma-separated sizes to also profile in-process")
    parser.add_argument("--keep", action="store_true", help="keep the built repositories (path printed)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--old", default="", help="a folder holding another version's release_lint package, timed too")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    global OLD_SOURCE
    OLD_SOURCE = args.old
    profiled = {int(s) for s in args.profile.split(",") if s.strip()}

    version_s, bare_s = startup(args.runs)
    print(f"start-up: release-lint --version {version_s * 1000:.0f} ms (target < 150 ms); "
          f"bare `python -c pass` {bare_s * 1000:.0f} ms", flush=True)
    base = tempfile.mkdtemp(prefix="release-lint-bench-")
    results = []
    try:
        for size in sizes:
            result = bench_size(base, size, args.runs, size in profiled)
            results.append(result)
            print(f"\n{result['files']} tracked files ({result['counts']['markdown']} Markdown, "
                  f"{result['counts']['yaml']} YAML; built in {result['build_s']:.1f} s)")
            print(f"  release-lint  {result['lint_s'] * 1000:8.0f} ms   peak {result['peak_mib']:.0f} MiB   "
                  f"{result['findings']} findings")
            if result["old_lint_s"] is not None:
                print(f"  old version   {result['old_lint_s'] * 1000:8.0f} ms   (--old)")
            print(f"  floor         {result['floor_s'] * 1000:8.0f} ms   git ls-files + {result['files_read']} files, "
                  f"{result['bytes_read'] / 1024 ** 2:.1f} MiB read")
            print(f"  release floor {result['release_floor_s'] * 1000:8.0f} ms   the same files as release-lint lists "
                  "(+ untracked, - deleted) + the same reads")
            print(f"  ratio         {result['ratio']:8.1f} x index floor, {result['release_ratio']:.1f} x release floor")
            print(f"  untracked walk{result['untracked_walk_s'] * 1000:8.0f} ms   (git ls-files --others --exclude-standard)")
            if result["read_twice"]:
                print(f"  READ TWICE: {', '.join(result['read_twice'][:10])}")
            for name, seconds in result["peers"].items():
                print(f"  {name:<14}{seconds * 1000:8.0f} ms")
            for line in result["slowest_rules"]:
                print(f"  rule {line}")
            if "profile" in result:
                print(result["profile"])
        if len(results) > 1:
            first, last = results[0], results[-1]
            growth = (last["lint_s"] / first["lint_s"]) / (last["files"] / first["files"])
            print(f"\ngrowth: time x{last['lint_s'] / first['lint_s']:.1f} for files x{last['files'] / first['files']:.0f}"
                  f" (1.0 per file would be linear in files; {growth:.2f} of linear)")
        if args.json:
            print(json.dumps({"startup_s": version_s, "bare_python_s": bare_s,
                              "sizes": [{k: v for k, v in r.items() if k != "profile"} for r in results]}, indent=2))
    finally:
        if args.keep:
            print(f"\nrepositories kept in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
