"""The hostile repositories of the independent probe (issue 18), one test per reproduction.

Payloads (D1, D2 and the other ways git can run a program of the repository) write a marker file outside
the repository; the test asserts it was never written. Hangs and crashes (D3-D13, D16, D24) run the whole
CLI in its own process under a 1 GiB address-space limit and 30 s of CPU (tests/hostile_cases.py): a
regression fails on the limit instead of hanging the suite. Nothing asserts a duration. Each run's wall
time, CPU time and peak memory is recorded in ``hostile-measurements.txt`` in pytest's base temporary
folder (printed with ``-s``); ``python bench/hostile.py`` prints the same table.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import tempfile
from pathlib import Path
from typing import List, Tuple

import pytest

from tests.hostile_cases import CASES, Run, committed, git, run_limited, write

MEASURED: List[Tuple[str, Run]] = []


@pytest.fixture(scope="module", autouse=True)
def measurement_table(tmp_path_factory):
    yield
    rows = [f"{'case':44} {'exit':>4} {'wall s':>7} {'cpu s':>7} {'peak MB':>8}"]
    for name, run in MEASURED:
        code = "kill" if run.exit_code is None else str(run.exit_code)
        rows.append(f"{name:44} {code:>4} {run.seconds:7.2f} {run.cpu_seconds:7.2f} {run.peak_mb:8.1f}")
    table = "\n".join(rows) + "\n"
    (tmp_path_factory.getbasetemp() / "hostile-measurements.txt").write_text(table)
    print("\n" + table)


def lint(name: str, root: Path, *args: str, env=None) -> Run:
    run = run_limited([*args, str(root)], cwd=str(root.parent), env=env)
    MEASURED.append((name, run))
    return run


def report(name: str, root: Path, *args: str) -> dict:
    """The JSON report of a run that must end normally: exit 0 or 1, no traceback, no internal error."""
    run = lint(name, root, "--format", "json", *args)
    stderr = run.stderr.decode("utf-8", "replace")
    assert run.exit_code in (0, 1), (run.exit_code, stderr[-2000:])
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr[-2000:]
    document = json.loads(run.stdout.decode("utf-8"))  # strict: the report is valid UTF-8
    assert document["internal_errors"] == []
    return document


def notes(run_or_stderr) -> List[str]:
    text = run_or_stderr.stderr.decode("utf-8", "replace") if isinstance(run_or_stderr, Run) else run_or_stderr
    return [line[len("release-lint: note: "):] for line in text.splitlines() if line.startswith("release-lint: note: ")]


def findings(document: dict, code: str) -> List[Tuple[str, str, int]]:
    return sorted((f["code"], f["path"], f["line"]) for f in document["findings"] if f["code"] == code)


def strings_of(value) -> str:
    """Every string in a JSON value, one per line."""
    if isinstance(value, dict):
        return "\n".join(strings_of(k) + "\n" + strings_of(v) for k, v in value.items())
    if isinstance(value, list):
        return "\n".join(strings_of(v) for v in value)
    return value if isinstance(value, str) else ""


def error_line(run: Run) -> str:
    """The one line a refused run prints; it must be exactly one, with exit 2."""
    lines = run.stderr.decode("utf-8", "replace").splitlines()
    assert run.exit_code == 2 and len(lines) == 1 and run.stdout == b"", (run.exit_code, lines)
    return lines[0]


def shell_payload(marker: Path) -> str:
    return f"touch '{marker}'; cat"


# --- 1. git never runs a program of the repository (D1, D2 and the other mechanisms) -----------------
def stat_dirty(root: Path, name: str = "README.md") -> None:
    """Make git re-read *name* on the next status (same content, older mtime)."""
    os.utime(root / name, (978307200, 978307200))


def test_d1_fsmonitor_of_the_repository_never_runs(tmp_path):
    root, marker = tmp_path / "r", tmp_path / "PWNED-fsmonitor"
    committed(root, {"README.md": "# m\n"})
    git(root, "config", "core.fsmonitor", f"touch '{marker}'; echo")
    report("D1-fsmonitor", root)
    assert not marker.exists()


def test_d2_clean_filter_of_the_repository_never_runs(tmp_path):
    root, marker = tmp_path / "r", tmp_path / "PWNED-clean"
    committed(root, {"README.md": "# m\n", ".gitattributes": "* filter=evil\n"})
    git(root, "config", "filter.evil.clean", shell_payload(marker))
    git(root, "config", "filter.evil.required", "true")  # a filter that fails stops git, unless switched off
    stat_dirty(root)
    document = report("D2-clean-filter", root)
    assert not marker.exists()
    assert findings(document, "REL001") == []  # README.md is unchanged; compared without the filter


def test_process_filter_of_the_repository_never_runs(tmp_path):
    root, marker = tmp_path / "r", tmp_path / "PWNED-process"
    committed(root, {"README.md": "# m\n", ".gitattributes": "*.md filter=Long-Running\n"})
    git(root, "config", "filter.Long-Running.process", f"sh -c \"touch '{marker}'\"")
    stat_dirty(root)
    report("process-filter", root)
    assert not marker.exists()


def test_textconv_and_hooks_of_the_repository_never_run(tmp_path):
    root, marker = tmp_path / "r", tmp_path / "PWNED-hook"
    committed(root, {"README.md": "# m\n", ".gitattributes": "*.md diff=evil\n"})
    git(root, "config", "diff.evil.textconv", f"sh -c \"touch '{marker}'\"")
    hooks = root / "hooks"
    hooks.mkdir()
    for name in ("post-index-change", "post-checkout", "reference-transaction", "pre-auto-gc", "fsmonitor-watchman"):
        (hooks / name).write_text(f"#!/bin/sh\ntouch '{marker}'\n")
        (hooks / name).chmod(0o755)
    git(root, "config", "core.hooksPath", str(hooks))
    (root / "README.md").write_text("# changed\n")
    document = report("textconv-and-hooks", root)
    assert not marker.exists()
    assert findings(document, "REL001") == [("REL001", None, None)]  # the change is still seen


def test_partial_clone_never_fetches_through_the_repository_ssh_command(tmp_path):
    """``--rev`` reads blobs; a partial clone's missing blob would be fetched with core.sshCommand."""
    root, marker = tmp_path / "r", tmp_path / "PWNED-ssh"
    committed(root, {"README.md": "# m\n", "config.json": '{"model_type": "x"}\n'})
    blob = git(root, "rev-parse", "HEAD:config.json").strip()
    (root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    for key, value in (("core.repositoryformatversion", "1"), ("extensions.partialClone", "origin"),
                       ("remote.origin.url", "ssh://example.invalid/x.git"), ("remote.origin.promisor", "true"),
                       ("core.sshCommand", f"touch '{marker}'; false")):
        git(root, "config", key, value)
    report("partial-clone-ssh", root, "--rev", "HEAD")
    assert not marker.exists()


def test_filtered_file_git_cannot_compare_is_noted_not_reported(tmp_path):
    """With the filter switched off, a git-lfs file on disk differs from its pointer in the index: that is
    not a change release-lint can confirm, so it is noted instead of reported by REL001."""
    root, marker = tmp_path / "r", tmp_path / "PWNED-lfs"
    committed(root, {"README.md": "# m\n", ".gitattributes": "*.bin filter=lfs\n", "w.bin": "pointer\n"})
    git(root, "config", "filter.lfs.clean", shell_payload(marker))
    (root / "w.bin").write_text("the real content\n")
    run = lint("filtered-file", root, "--format", "json")
    document = json.loads(run.stdout)
    assert not marker.exists()
    assert findings(document, "REL001") == []
    assert "1 file under a git filter (lfs) may have changed; not checked, because release-lint never runs " \
           "the repository's filters" in notes(run)


# --- 2. bounded work: every case of hostile_cases.py ends normally within the limits ----------------
EXPECTED = {  # case -> (rule whose findings are compared, exact findings, notes expected)
    "D4-card-open-brackets": ("CARD006", [("CARD006", "README.md", None)], []),
    "D5-many-headings": ("CARD004", [("CARD004", "README.md", None)] * 6, []),
    "D6-many-recognised-sections": ("DATA005", [("DATA005", "DATASHEET.md", None)], []),
    "D7-long-checksum-lines": ("ART005", [], []),
    "D8-one-line-shard-index": ("ART008", [("ART008", "model.safetensors.index.json", 1)] * 10_000,
                                ["model.safetensors.index.json: names more than 10000 shard files; only the first "
                                 "10000 were checked"]),
    "D11-many-classifiers": ("LIC003", [], ["pyproject.toml: more than 100 licence classifiers; only the first 100 "
                                            "were read"]),
    "D12-continued-requirements": ("ENV002", [("ENV002", "requirements.txt", 1002)], []),
    "D13-lfs-patterns-by-weights": ("ART004", sorted(("ART004", f"w/s{i}.safetensors", None) for i in range(1_500)), []),
    "D16-deep-json": ("ART008", [("ART008", "model.safetensors.index.json", None), ("ART008", "x.safetensors", None)], []),
    "D24-sparse-two-gib-readme": ("CARD003", [("CARD003", "README.md", 1)],
                                  ["README.md: larger than 256 KiB; only the first 256 KiB were analysed"]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_case_ends_normally_within_the_limits(tmp_path, name):
    root = tmp_path / "repo"
    root.mkdir()
    extra = CASES[name](root)
    if name == "D7-long-checksum-lines":  # the checksum file still covers the weight named after the long line
        with open(root / "SHA256SUMS", "a") as handle:
            handle.write("cd" * 32 + "  model.safetensors\n")
        write(root, {"model.safetensors": b"\x08\0\0\0\0\0\0\0{}      "})
    if name == "D12-continued-requirements":
        with open(root / "requirements.txt", "a") as handle:
            handle.write("\ntorch>=2.0\n")
    code, expected, expected_notes = EXPECTED[name]
    run = lint(name, root, "--format", "json", *extra)
    assert run.exit_code in (0, 1), (run.exit_code, run.stderr[-2000:])
    document = json.loads(run.stdout.decode("utf-8"))
    assert document["internal_errors"] == []
    assert findings(document, code) == expected
    assert notes(run) == expected_notes


def test_d5_headings_are_linear():
    """Direct check of the parser behind D5 and D6: section ends are right for 131,000 headings."""
    from release_lint.mdparse import parse_markdown

    doc = parse_markdown("#\n" * 131_000)
    assert len(doc.headings) == 131_000
    assert [(h.line, h.body_end, h.content_end) for h in doc.headings[:2]] == [(1, 1, 1), (2, 2, 2)]
    nested = parse_markdown("# a\n## b\ntext\n### c\n## d\n# e\n")
    assert [(h.title, h.body_end, h.content_end) for h in nested.headings] == [
        ("a", 1, 5), ("b", 3, 4), ("c", 4, 4), ("d", 5, 5), ("e", 7, 7)]


def test_d8_suppression_comments_are_searched_once_per_file(tmp_path, monkeypatch):
    """engine._suppressed used to search the finding's line once per finding: 10,000 findings on one line."""
    from release_lint import api, engine

    calls = []
    real = engine.SUPPRESS_RE

    class Counting:
        def search(self, line):
            calls.append(len(line))
            return real.search(line)

    monkeypatch.setattr(engine, "SUPPRESS_RE", Counting())
    shards = ",".join(f'"{i}":"s{i}" ' for i in range(500))
    write(tmp_path, {"model.safetensors.index.json": '{"weight_map":{' + shards + '}, "x": "release-lint: disable=ART005"}\n'})
    result = api.lint(str(tmp_path), select=["ART008"])
    assert len(result.findings) == 500
    assert len(calls) == 1


# --- 3. the repository's configuration cannot widen what is read (D3, D19, D24) ---------------------
def test_d3_baseline_that_is_a_fifo_is_refused(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    CASES["D3-baseline-fifo"](root)
    line = error_line(lint("D3-baseline-fifo", root))
    assert line == f"release-lint: error: {root}/known.json: not a release-lint baseline (not a regular file)"


def test_d3_baseline_that_is_a_device_is_refused(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    extra = CASES["D3-baseline-dev-zero"](root)
    line = error_line(lint("D3-baseline-dev-zero", root, *extra))
    assert line == f"release-lint: error: {extra[1]}: not a release-lint baseline (not a regular file)"


def test_d19_configured_baseline_outside_the_repository_is_refused(tmp_path):
    root, outside = tmp_path / "repo", tmp_path / "outside"
    outside.mkdir()
    (outside / "b.json").write_text('{"tool":"release-lint","findings":[],"baseline_version":"TOP-SECRET"}')
    committed(root, {"notes.md": "# m\n", ".release-lint.toml": 'baseline = "../outside/b.json"\n'})
    line = error_line(lint("D19-baseline-outside", root))
    assert line == (f"release-lint: error: {root}/.release-lint.toml: baseline: must name a file inside the "
                    "repository (use --baseline to name one elsewhere)")
    os.symlink(outside / "b.json", root / "b.json")  # nor through a symlink
    (root / ".release-lint.toml").write_text('baseline = "b.json"\n')
    assert "must name a file inside the repository" in error_line(lint("D19-baseline-symlink", root))


def test_d19_baseline_errors_do_not_echo_its_content(tmp_path):
    root, outside = tmp_path / "repo", tmp_path / "outside"
    outside.mkdir()
    (outside / "b.json").write_text('{"tool":"release-lint","findings":[],"baseline_version":"TOP-SECRET"}')
    committed(root, {"notes.md": "# m\n"})
    line = error_line(lint("D19-baseline-cli", root, "--baseline", str(outside / "b.json")))
    assert line == f"release-lint: error: {outside}/b.json: unsupported baseline_version (expected 1)"


def test_command_line_baseline_outside_the_repository_is_allowed(tmp_path):
    root, outside = tmp_path / "repo", tmp_path / "outside"
    outside.mkdir()
    (outside / "b.json").write_text(json.dumps({"tool": "release-lint", "baseline_version": 1, "findings": [
        {"code": "LIC001", "path": None, "key": "."}]}))
    committed(root, {"notes.md": "# m\n"})
    document = report("baseline-cli-outside", root, "--baseline", str(outside / "b.json"))
    assert findings(document, "LIC001") == []
    assert document["baseline"] == {"file": str(outside / "b.json"), "hidden": 1, "stale": 0}


def test_d24_read_cap_from_the_configuration_has_a_maximum(tmp_path):
    root = tmp_path / "repo"
    committed(root, {"README.md": "# m\n", ".release-lint.toml": "max-read-bytes = 4611686018427387904\n"})
    line = error_line(lint("D24-huge-read-cap", root))
    assert line == (f"release-lint: error: {root}/.release-lint.toml: max-read-bytes: at most 16777216 bytes "
                    "(16 MiB), got 4611686018427387904")


# --- 4. no crash on any input (D10, D14, D16, D17, D18) ---------------------------------------------
def test_d10_backtracking_exclude_pattern_is_a_configuration_error(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    CASES["D10-exclude-backtracking"](root)
    line = error_line(lint("D10-exclude-backtracking", root))
    assert line == (f"release-lint: error: {root}/.release-lint.toml: exclude: pattern with more than 3 '*' "
                    "(other than '**' folders): '" + "*a" * 26 + "*b'")


def test_d17_invalid_exclude_pattern_is_a_configuration_error(tmp_path):
    root = tmp_path / "repo"
    committed(root, {"README.md": "# m\n", ".release-lint.toml": 'exclude = ["\\\\"]\n'})
    line = error_line(lint("D17-invalid-exclude", root))
    assert line == f"release-lint: error: {root}/.release-lint.toml: exclude: invalid pattern: '\\\\'"


def test_too_many_exclude_patterns_is_a_configuration_error(tmp_path):
    root = tmp_path / "repo"
    patterns = ", ".join(f'"dir{i}/"' for i in range(300))
    committed(root, {"README.md": "# m\n", ".release-lint.toml": f"exclude = [{patterns}]\n"})
    line = error_line(lint("too-many-excludes", root))
    assert line == f"release-lint: error: {root}/.release-lint.toml: exclude: at most 256 patterns, got 300"


def test_d14_names_that_are_not_utf8_are_escaped_in_the_verdict(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / os.fsdecode(b"train_\xff.py")).write_text("loss.backward()\noptimizer.step()\n")
    document = report("D14-non-utf8-name", root)
    assert "train_\\xff.py" in strings_of(document["openness"])
    for output_format in ("text", "markdown", "mof", "sarif", "github"):
        run = lint(f"D14-non-utf8-name-{output_format}", root, "--format", output_format)
        assert run.exit_code in (0, 1) and b"Traceback" not in run.stderr, run.stderr[-2000:]
        run.stdout.decode("utf-8")  # strict


def test_d16_deeply_nested_json_is_malformed_json_not_a_crash(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    CASES["D16-deep-json"](root)
    document = report("D16-deep-json-messages", root)
    messages = sorted(f["message"] for f in document["findings"] if f["code"] == "ART008")
    assert messages == ["model.safetensors.index.json: not valid JSON (nested too deeply)",
                        "x.safetensors: malformed safetensors header: header is not valid JSON (RecursionError)"]


def test_d16_deeply_nested_baseline_is_a_configuration_error(tmp_path):
    root = tmp_path / "repo"
    committed(root, {"README.md": "# m\n", "b.json": "[" * 100_000 + "]" * 100_000})
    line = error_line(lint("D16-deep-baseline", root, "--baseline", str(root / "b.json")))
    assert line == f"release-lint: error: {root}/b.json: not a release-lint baseline (nested too deeply)"


def test_d18_rev_with_a_corrupt_tree_is_one_line_exit_2(tmp_path):
    root = tmp_path / "repo"
    committed(root, {"docs/g.md": "# g\n"})
    tree = git(root, "rev-parse", "HEAD:docs").strip()
    obj = root / ".git" / "objects" / tree[:2] / tree[2:]
    obj.chmod(0o644)
    obj.write_bytes(b"\x00not a zlib stream at all, just forty bytes")
    head = git(root, "rev-parse", "HEAD").strip()
    line = error_line(lint("D18-corrupt-tree", root, "--rev", "HEAD"))
    assert line.startswith(f"release-lint: error: --rev HEAD: git cannot read the tree of commit {head[:12]} (")
    assert "Traceback" not in line and "GitCommandError" not in line


# --- 6. nothing vanishes silently (D26), as a user who cannot read everything ------------------------
def _unprivileged(function, *args):
    """Run ``function(*args)`` as user nobody when the tests run as root (root reads whatever the mode),
    in a forked child that has everything imported already; its JSON-able result is returned."""
    if os.geteuid() != 0:
        return function(*args)
    nobody = pwd.getpwnam("nobody")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root for good, run, send the result back
        code = 0
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            os.environ["HOME"] = os.path.dirname(args[0])
            payload = json.dumps({"result": function(*args)}).encode()
        except BaseException as exc:  # reported to the parent, which fails the test
            payload = json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode()
            code = 1
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = json.loads(pipe.read() or b'{"error": "no result"}')
    os.waitpid(pid, 0)
    assert "error" not in data, data.get("error")
    return data["result"]


def _make_unreadable(folder: str, use_git: bool) -> str:
    root = os.path.join(folder, "r")
    files = {"README.md": "# m\n", "secret.md": "# s\n", "private/train.py": "loss.backward()\n"}
    if use_git:
        committed(Path(root), files)
    else:
        os.makedirs(root)
        write(Path(root), files)
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        for directory, folders, names in os.walk(folder):
            for name in [*folders, *names]:
                os.lchown(os.path.join(directory, name), nobody.pw_uid, nobody.pw_gid)
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    os.chmod(os.path.join(root, "secret.md"), 0)
    os.chmod(os.path.join(root, "private"), 0)
    return root


def _lint_unreadable(root: str) -> dict:
    from click.testing import CliRunner

    from release_lint.cli import main
    from release_lint.repo import Repo

    repo = Repo(root)
    texts = {path: repo.text(path) for path in repo.files}
    done = CliRunner().invoke(main, ["--format", "json", root], catch_exceptions=False)
    document = json.loads(done.stdout)
    return {"files": repo.files, "notes": repo.notes, "texts": texts, "exit": done.exit_code,
            "train001": [f["code"] for f in document["findings"] if f["code"] == "TRAIN001"],
            "internal_errors": document["internal_errors"], "stderr_notes": notes(done.stderr)}


@pytest.mark.parametrize("use_git", [True, False], ids=["git", "walk"])
def test_d26_unreadable_files_and_folders_are_noted_as_a_user_who_cannot_read_them(tmp_path, use_git):
    if os.geteuid() == 0:  # imports everything the unprivileged child will need (it cannot read them)
        committed(tmp_path / "warm", {"README.md": "# m\n", "train.py": "loss.backward()\n"})
        _lint_unreadable(str(tmp_path / "warm"))
    folder = tempfile.mkdtemp(prefix="release-lint-perm-")  # not under pytest's root-only folder
    os.chmod(folder, 0o755)
    try:
        root = _make_unreadable(folder, use_git)
        seen = _unprivileged(_lint_unreadable, root)
    finally:
        for directory, folders, _files in os.walk(folder):
            for name in folders:
                os.chmod(os.path.join(directory, name), 0o755)
        shutil.rmtree(folder, ignore_errors=True)
    assert seen["texts"]["README.md"] == "# m\n" and seen["texts"]["secret.md"] is None
    assert seen["internal_errors"] == [] and seen["exit"] == 1
    if use_git:  # git lists the tracked file from its index; reading it is refused, with a note
        assert seen["files"] == ["README.md", "private/train.py", "secret.md"]
        assert seen["notes"] == ["private/: cannot list folder (Permission denied); its untracked files were not linted",
                                 "private/train.py: permission denied; not read", "secret.md: permission denied; not read"]
        assert seen["train001"] == []  # the training script is part of the release, though unreadable
    else:
        assert seen["files"] == ["README.md", "secret.md"]
        assert seen["notes"] == ["private/: cannot list folder (Permission denied)", "secret.md: permission denied; not read"]
    assert set(seen["notes"]) <= set(seen["stderr_notes"])

