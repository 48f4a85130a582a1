"""Hostile repositories: nothing in a repository may crash release-lint, hang it, make it read what it
must not, or change a byte.

Every case checks two layers:
- the repository view (``Repo``), read as aggressively as any rule could (every file through every
  read method), with the exact outcome the core guarantees (what is listed, what is read, the notes);
- the whole CLI in its own process with every installed rule, so rule areas added later are covered
  too: exit 0 or 1 (never 2), no traceback, valid JSON, no internal error, within a timeout.
Both run against a snapshot of every file, folder, symlink and the git index taken before and compared after.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import os
import pickle
import socket
import stat
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Dict, List, Optional

import git
import pytest

from release_lint.mdparse import load_yaml
from release_lint.repo import DEFAULT_MAX_BYTES, MAX_DOCUMENT_BYTES, Repo
from tests.conftest import PROJECT_ROOT, make_repo

CLI_TIMEOUT = 120  # seconds; a hang (a FIFO opened for reading, a regex blow-up) fails instead of blocking


# --- helpers ---------------------------------------------------------------------------------------
def snapshot(root: Path) -> Dict[str, tuple]:
    """Type, mode, mtime and content hash of everything under *root*, .git included; never follows links."""
    state: Dict[str, tuple] = {}
    for directory, folders, files in os.walk(root):
        for name in folders + files:
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, root)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                state[relative] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256()
                try:
                    with open(path, "rb") as handle:
                        for block in iter(lambda: handle.read(1 << 20), b""):
                            digest.update(block)
                except PermissionError:  # only when not root: the mode and mtime still count
                    pass
                state[relative] = ("file", info.st_mode, info.st_mtime_ns, info.st_size, digest.hexdigest())
            elif stat.S_ISDIR(info.st_mode):
                state[relative] = ("dir", info.st_mode, info.st_mtime_ns)
            else:  # FIFO, socket: only their metadata, never opened
                state[relative] = ("special", info.st_mode, info.st_mtime_ns)
    return state


def run_cli(root: Path, *args: str, expect_exit=(0, 1)) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), PYTHONIOENCODING="utf-8")  # strict UTF-8 output
    return subprocess.run(
        [sys.executable, "-m", "release_lint", *args, str(root)],
        stdin=subprocess.DEVNULL, capture_output=True, timeout=CLI_TIMEOUT, env=env, cwd=str(root.parent),
    )


def lint_all_rules(root: Path) -> dict:
    """The whole CLI, every rule: exit 0 or 1, no traceback, JSON, no internal error, nothing changed."""
    before = snapshot(root)
    done = run_cli(root, "--format", "json")
    assert snapshot(root) == before, "linting changed the repository"
    stderr = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert done.returncode in (0, 1), stderr
    document = json.loads(done.stdout)
    assert document["internal_errors"] == [], document["internal_errors"]
    return document


class ReadSpy:
    """Records which paths ``os.open`` opened and how many bytes ``os.read`` returned from each."""

    def __init__(self, monkeypatch):
        self.opened: List[str] = []
        self.bytes_read: Dict[str, int] = {}
        self._fds: Dict[int, str] = {}
        real_open, real_read, real_close = os.open, os.read, os.close

        def spy_open(path, flags, *rest, **kwargs):
            fd = real_open(path, flags, *rest, **kwargs)
            self.opened.append(os.fsdecode(path))
            self._fds[fd] = os.fsdecode(path)
            return fd

        def spy_read(fd, size):
            data = real_read(fd, size)
            if fd in self._fds:
                self.bytes_read[self._fds[fd]] = self.bytes_read.get(self._fds[fd], 0) + len(data)
            return data

        def spy_close(fd):
            self._fds.pop(fd, None)
            return real_close(fd)

        monkeypatch.setattr(os, "open", spy_open)
        monkeypatch.setattr(os, "read", spy_read)
        monkeypatch.setattr(os, "close", spy_close)

    def opened_under(self, folder: Path) -> List[str]:
        prefix = os.path.realpath(folder) + os.sep
        return [p for p in self.opened if os.path.realpath(p).startswith(prefix) or p.startswith(str(folder) + os.sep)]


@pytest.fixture
def spy(monkeypatch):
    return ReadSpy(monkeypatch)


def read_everything(repo: Repo) -> Dict[str, Optional[str]]:
    """Every file through every read method, twice, as the greediest rule would; the texts."""
    texts = {}
    for _ in range(2):
        for path in repo.files:
            repo.size(path)
            repo.head(path, 64)
            repo.is_lfs_pointer(path)
            repo.truncated(path)
            repo.read_bytes(path, 16)
            texts[path] = repo.text(path)
            repo.lines(path)
            if path.lower().endswith((".md", ".markdown")):
                repo.markdown(path)
            if path.lower().endswith((".yaml", ".yml", ".cff")) and texts[path] is not None:
                load_yaml(texts[path])
    return texts


def guarded(root: Path, **kwargs) -> Repo:
    """A Repo built and fully read, with the repository snapshot compared around it."""
    before = snapshot(root)
    repo = Repo(str(root), **kwargs)
    read_everything(repo)
    assert snapshot(root) == before, "reading changed the repository"
    return repo


# --- symlinks --------------------------------------------------------------------------------------
@pytest.mark.parametrize("use_git", [True, False], ids=["git", "walk"])
def test_symlink_loops_are_listed_and_never_followed(tmp_path, use_git):
    root = make_repo(tmp_path / "r", {"README.md": "# m\n", "docs/guide.md": "# g\n"}, commit=False, git_init=use_git)
    os.symlink("b.md", root / "a.md")
    os.symlink("a.md", root / "b.md")
    os.symlink("self.md", root / "self.md")
    os.symlink(".", root / "here")  # a folder link to its own folder
    os.symlink("..", root / "docs" / "up")
    if use_git:
        git.Repo(root).git.add(A=True)
    repo = guarded(root)
    assert repo.files == ["README.md", "a.md", "b.md", "docs/guide.md", "docs/up", "here", "self.md"]
    for looping in ("a.md", "b.md", "self.md"):
        assert repo.text(looping) is None and repo.size(looping) is None
    # `here` and `docs/up` resolve to folders inside the repository: listed, not descended, not read.
    assert repo.text("here") is None and repo.text("docs/up") is None
    assert repo.notes == [
        "a.md: cannot read (Too many levels of symbolic links)",
        "b.md: cannot read (Too many levels of symbolic links)",
        "self.md: cannot read (Too many levels of symbolic links)",
    ]
    lint_all_rules(root)


@pytest.mark.parametrize("use_git", [True, False], ids=["git", "walk"])
def test_symlinks_out_of_the_repository_are_never_opened(tmp_path, spy, use_git):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("TOP SECRET OUTSIDE TEXT\n")
    (outside / "card.md").write_text("---\nlicense: mit\n---\n# Outside\n")
    root = make_repo(tmp_path / "r", {"README.md": "# m\n"}, commit=False, git_init=use_git)
    os.symlink(outside / "secret.txt", root / "LICENSE")  # absolute
    os.symlink("../outside/card.md", root / "MODEL_CARD.md")  # relative
    os.symlink("LICENSE", root / "COPYING")  # inside, but to a link that leaves
    os.symlink(str(outside), root / "data")  # a folder outside
    os.symlink("/etc/passwd", root / "passwd.txt")
    if use_git:
        git.Repo(root).git.add(A=True)
    repo = guarded(root)
    assert repo.files == ["COPYING", "LICENSE", "MODEL_CARD.md", "README.md", "data", "passwd.txt"]
    for leaving in ("COPYING", "LICENSE", "MODEL_CARD.md", "data", "passwd.txt"):
        assert repo.text(leaving) is None and repo.size(leaving) is None and repo.head(leaving) == b""
        assert repo.markdown(leaving) is None
    assert repo.text("README.md") == "# m\n"
    assert repo.notes == [f"{p}: symlink points outside the repository; not read"
                          for p in ("COPYING", "LICENSE", "MODEL_CARD.md", "data", "passwd.txt")]
    document = lint_all_rules(root)
    assert "TOP SECRET" not in json.dumps(document)
    assert spy.opened_under(outside) == [] and "/etc/passwd" not in spy.opened


# --- special files ---------------------------------------------------------------------------------
def test_fifos_and_sockets_are_never_opened(tmp_path, spy, monkeypatch):
    root = make_repo(tmp_path / "r", {"README.md": "# m\n", "LICENSE": "MIT\n", "notes.md": "# n\n"})
    monkeypatch.chdir(root)  # bind the socket by a short relative name (AF_UNIX paths are short)
    # Tracked files replaced in the work tree: git still lists them, as a FIFO and a socket.
    os.remove("README.md")
    os.mkfifo("README.md")
    os.remove("LICENSE")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind("LICENSE")
        os.mkfifo("untracked-pipe.md")  # an untracked FIFO: git does not list it
        repo = guarded(root)
        assert repo.files == ["LICENSE", "README.md", "notes.md"]
        for special in ("LICENSE", "README.md"):
            assert repo.text(special) is None and repo.size(special) is None and repo.head(special) == b""
        assert repo.notes == []
        assert [p for p in spy.opened if p.endswith(("README.md", "LICENSE", "untracked-pipe.md"))] == []
        lint_all_rules(root)  # would block forever on opening the FIFO for reading
    finally:
        server.close()


def test_fifo_in_a_folder_that_is_not_git_is_not_listed(tmp_path):
    root = make_repo(tmp_path / "r", {"README.md": "# m\n"}, git_init=False)
    os.mkfifo(root / "LICENSE")
    repo = guarded(root)
    assert repo.files == ["README.md"]
    lint_all_rules(root)


# --- permissions -----------------------------------------------------------------------------------
def test_permission_denied_on_files_is_noted_once(tmp_path, monkeypatch):
    """Simulated at the boundary (os.open raising), so it also holds when the tests run as root."""
    root = make_repo(tmp_path / "r", {"README.md": "# m\n", "secret.md": "# s\n", "private/a.yaml": "a: 1\n"})
    real_open = os.open

    def refusing_open(path, flags, *rest, **kwargs):
        if os.path.basename(path) in ("secret.md", "a.yaml"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *rest, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    repo = guarded(root)
    assert repo.text("secret.md") is None and repo.text("private/a.yaml") is None
    assert repo.text("README.md") == "# m\n"
    assert repo.notes == ["private/a.yaml: permission denied; not read", "secret.md: permission denied; not read"]


def test_unlistable_folder_is_noted_once_when_walking(tmp_path, monkeypatch):
    root = make_repo(tmp_path / "r", {"README.md": "# m\n", "private/a.md": "# a\n", "open/b.md": "# b\n"}, git_init=False)
    real_scandir = os.scandir

    def refusing_scandir(path="."):
        if os.path.basename(os.fspath(path)) == "private":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    repo = guarded(root)
    assert repo.files == ["README.md", "open/b.md"]
    assert repo.notes == ["private/: cannot list folder (Permission denied)"]


# Real modes, as a user who cannot read the files (the tests drop root to user nobody for it):
# tests/test_hostile_defects.py::test_d26_unreadable_files_and_folders_are_noted_as_a_user_who_cannot_read_them


# --- encodings -------------------------------------------------------------------------------------
CARD = "---\nlicense: mit\ndatasets: [c4]\n---\n# Modèle\n\n## Données d'entraînement\n\nC4.\n"


def test_non_utf8_utf16_and_bom_markdown(tmp_path):
    files = {
        "latin1.md": CARD.encode("latin-1"),
        "utf16le.md": CARD.encode("utf-16-le").join([b"\xff\xfe", b""]),
        "utf16be.md": CARD.encode("utf-16-be").join([b"\xfe\xff", b""]),
        "bom.md": b"\xef\xbb\xbf" + CARD.encode("utf-8"),
        "nobom16.md": CARD.encode("utf-16-le"),  # no BOM: NUL bytes, so treated as binary
        "README.md": b"---\nlicense: mit\n---\n\xff\xfe\xfd garbage \xc3\x28\n# T\xe9l\xe9\n",
    }
    root = make_repo(tmp_path / "r", files)
    repo = guarded(root)
    for name in ("utf16le.md", "utf16be.md", "bom.md"):
        doc = repo.markdown(name)
        assert doc.front_matter.mapping == {"license": "mit", "datasets": ["c4"]}, name
        assert [(h.level, h.title, h.line) for h in doc.headings] == [(1, "Modèle", 5), (2, "Données d'entraînement", 7)]
    latin = repo.markdown("latin1.md")
    assert latin.front_matter.mapping == {"license": "mit", "datasets": ["c4"]}
    assert [h.title for h in latin.headings] == ["Mod\ufffdle", "Donn\ufffdes d'entra\ufffdnement"]
    assert repo.text("nobom16.md") is None and repo.markdown("nobom16.md") is None
    assert repo.markdown("README.md").headings[0].title == "T\ufffdl\ufffd"
    assert repo.notes == []
    lint_all_rules(root)


# --- size ------------------------------------------------------------------------------------------
def test_huge_readme_and_single_line_file_are_read_only_up_to_the_cap(tmp_path, spy):
    root = make_repo(tmp_path / "r", {"LICENSE": "MIT\n"})
    section = "## Training data\n\n" + "C4, filtered and deduplicated. " * 30 + "\n\n"
    with open(root / "README.md", "w") as handle:  # 50 MB, untracked: part of the release all the same
        handle.write("---\nlicense: mit\n---\n# Big\n\n")
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(section)
    with open(root / "one-line.md", "w") as handle:  # 5 MB, no newline at all
        handle.write("# " + "[a](" * (5 * 1024 * 1024 // 4))
    repo = guarded(root)
    readme, one_line = (str(root / "README.md")), str(root / "one-line.md")
    # One 64-byte magic-number peek (uncached by design: a weight's head must not cost 1 MiB), then one
    # capped read, cached: every later read, peeks included, is served from it.
    for path in (readme, one_line):
        assert (spy.bytes_read[path], spy.opened.count(path)) == (64 + DEFAULT_MAX_BYTES, 2)
    # A small file is read whole at its first peek, and once only.
    assert (spy.bytes_read[str(root / "LICENSE")], spy.opened.count(str(root / "LICENSE"))) == (4, 1)
    assert repo.truncated("README.md") and repo.size("README.md") > 50 * 1024 * 1024
    # Documents are analysed up to MAX_DOCUMENT_BYTES (at a line end when there is one), and the user is told.
    assert len(repo.lines("one-line.md")) == 1 and len(repo.text("one-line.md")) == MAX_DOCUMENT_BYTES
    assert len(repo.text("README.md").encode()) <= MAX_DOCUMENT_BYTES and repo.text("README.md").endswith("\n")
    assert "README.md: larger than 256 KiB; only the first 256 KiB were analysed" in repo.notes
    assert repo.markdown("README.md").front_matter.mapping == {"license": "mit"}
    assert repo.markdown("one-line.md").headings[0].level == 1
    lint_all_rules(root)


# --- front matter ----------------------------------------------------------------------------------
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))


def _front(yaml_text: str) -> str:
    return f"---\n{yaml_text}---\n# Model\n"


@pytest.mark.parametrize("yaml_text, error, line", [
    (ALIAS_BOMB, "YAML is too large or expands too much (more than 50000 nodes)", 2),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", "exceeded maximum nesting depth (while increasing flow level opened on line 2)", 2),
    ("a: " + "{b: " * 100 + "1" + "}" * 100 + "\n", "YAML nests deeper than 64 levels", 2),
    # 1.4 MB of keys: the card is analysed up to MAX_DOCUMENT_BYTES, where the front matter is still open.
    ("".join(f"k{i}: {i}\n" for i in range(100_000)), "front matter opened with '---' on line 1 is never closed", 1),
    # Many keys within the document cap still hit the node budget.
    ("".join(f"k{i}: [1, 2, 3]\n" for i in range(13_000)), "YAML is too large or expands too much (more than 50000 nodes)", 2),
], ids=["alias-bomb", "flow-nesting-5000", "nesting-100", "100k-keys", "13k-lists"])
def test_front_matter_bombs_are_refused(tmp_path, yaml_text, error, line):
    root = make_repo(tmp_path / "r", {"README.md": _front(yaml_text), "LICENSE": "MIT\n"})
    matter = guarded(root, max_bytes=4 * 1024 * 1024).markdown("README.md").front_matter
    assert (matter.error, matter.error_line, matter.mapping) == (error, line, {})
    lint_all_rules(root)


def test_python_tags_are_never_constructed(tmp_path):
    marker = tmp_path / "constructed"
    tags = (f"!!python/object/apply:os.system [\"touch {marker}\"]", "!!python/name:os.system", "!!python/object:os.stat_result {}")
    root = make_repo(tmp_path / "r", {"LICENSE": "MIT\n", "CITATION.cff": f"cff-version: 1.2.0\nrun: {tags[0]}\n",
                                      **{f"card{i}.md": _front(f"license: mit\nx: {tag}\n") for i, tag in enumerate(tags)}})
    repo = guarded(root)
    for i in range(3):
        matter = repo.markdown(f"card{i}.md").front_matter
        assert matter.mapping == {} and matter.error_line == 3 and "constructor" in matter.error
    assert load_yaml(repo.text("CITATION.cff")).error_line == 2
    lint_all_rules(root)
    assert not marker.exists()


# --- configuration ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name, text, message", [
    ("pyproject.toml", '[project]\nname = "m"\n[tool.release-lint\nselect = ["LIC"]\n',
     "invalid TOML: Expected ']' at the end of a table declaration (at line 3, column 19)"),
    (".release-lint.toml", 'select = ["LIC"\nfail-on = "error"\n', "invalid TOML: Unclosed array (at line 2, column 1)"),
    (".release-lint.toml", 'select = "LIC"\nselect = "CARD"\n', "invalid TOML: Cannot overwrite a value (at line 2, column 16)"),
    (".release-lint.toml", b'select = "\xff"\n', "invalid TOML: not UTF-8 text"),
], ids=["pyproject-table", "unclosed-array", "duplicate-key", "not-utf8"])
def test_malformed_toml_exits_2_naming_file_and_line(tmp_path, name, text, message):
    root = make_repo(tmp_path / "r", {name: text, "README.md": "# m\n", "LICENSE": "MIT\n"})
    before = snapshot(root)
    done = run_cli(root)
    assert snapshot(root) == before
    assert done.returncode == 2
    assert done.stderr.decode() == f"release-lint: error: {root / name}: {message}\n"


@pytest.mark.parametrize("text, message", [
    ("tool = 1\n", "[tool] must be a table, got 1"),
    ('[tool]\nrelease-lint = "strict"\n', "the release-lint configuration must be a table"),
    ("[[tool.release-lint]]\nselect = []\n", "the release-lint configuration must be a table"),
], ids=["tool-not-a-table", "release-lint-a-string", "array-of-tables"])
def test_pyproject_with_tables_of_the_wrong_type_exits_2(tmp_path, text, message):
    root = make_repo(tmp_path / "r", {"pyproject.toml": text, "LICENSE": "MIT\n"})
    done = run_cli(root)
    assert (done.returncode, done.stderr.decode()) == (2, f"release-lint: error: {root / 'pyproject.toml'}: {message}\n")


def test_configuration_files_are_read_as_safely_as_the_rest(tmp_path):
    outside = tmp_path / "outside.toml"
    outside.write_text('select = ["LIC"]\n')
    root = make_repo(tmp_path / "r", {"README.md": "# m\n", "LICENSE": "MIT\n"})
    config = root / ".release-lint.toml"
    cases = [
        (lambda: os.symlink(outside, config), f"{config}: symlink points outside the repository; not read"),
        (lambda: open(config, "wb").truncate(2 * 1024 ** 3), f"{config}: larger than 1048576 bytes; not read as configuration"),
        (lambda: config.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n"), f"{config}: invalid TOML: nested too deeply"),
    ]
    for make, message in cases:
        make()
        before = snapshot(root)
        done = run_cli(root)
        assert snapshot(root) == before
        assert (done.returncode, done.stderr.decode()) == (2, f"release-lint: error: {message}\n")
        os.remove(config)
    os.mkfifo(config)  # not a regular file: not a configuration, and never opened (it would block)
    os.mkfifo(root / "pyproject.toml")
    lint_all_rules(root)


def test_malformed_json_configs_do_not_crash_any_rule(tmp_path):
    files = {
        "README.md": "---\nlicense: mit\n---\n# m\n",
        "LICENSE": "MIT\n",
        "config.json": "{\"model_type\": \"llama\", \"hidden_size\": ",  # truncated
        "generation_config.json": "[" * 100_000 + "]" * 100_000,  # deeper than json's recursion limit
        "tokenizer_config.json": '{"max_len": NaN, "n": 1e999999, "big": ' + "9" * 5000 + "}",
        "preprocessor_config.json": "\"just a string\"",
        "adapter_config.json": b"\xff\xfe{\x00}\x00",  # UTF-16 with a BOM
        "model.safetensors.index.json": "{" + ", ".join(f'"k{i}": {i}' for i in range(100_000)) + "}",
        "configs/train.json": "{\"a\": 1, \"a\": 2}",
        "special_tokens_map.json": "",
    }
    root = make_repo(tmp_path / "r", files)
    guarded(root)
    lint_all_rules(root)


# --- names -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("use_git", [True, False], ids=["git", "walk"])
def test_file_names_with_newlines_spaces_and_other_scripts(tmp_path, use_git):
    names = ["line\nbreak.md", "with space.md", "naïve/模型 card.md", "tab\there.md", "-rf.md", "--version.md",
             "quote\"d.md", "back\\slash.md", "emoji-\U0001F916.md", " leading.md"]
    root = make_repo(tmp_path / "r", {name: f"# {i}\n" for i, name in enumerate(names)}, git_init=use_git)
    bad = os.fsencode(str(root)) + b"/bad-\xff\xfe.md"  # not UTF-8: read by its bytes, printed escaped
    with open(bad, "wb") as handle:
        handle.write(b"# bad\n")
    if use_git:
        git.Repo(root).git.add(A=True)
    repo = guarded(root)
    assert repo.files == sorted(names + ["bad-\udcff\udcfe.md"])
    for i, name in enumerate(names):
        assert repo.text(name) == f"# {i}\n"
        assert repo.markdown(name).headings[0].title == str(i)
    assert repo.text("bad-\udcff\udcfe.md") == "# bad\n"
    assert repo.notes == []
    lint_all_rules(root)


def test_names_that_are_not_utf8_are_printed_escaped(tmp_path):
    root = make_repo(tmp_path / "r", {"README.md": "# m\n", "LICENSE": "MIT\n"})
    nested = tmp_path / "r" / os.fsdecode(b"vendor-\xff")
    make_repo(nested, {"f.txt": "x"})  # a nested repository: noted by name
    document = lint_all_rules(root)
    assert document["notes"] == ["vendor-\\xff/: a nested git repository that is not a submodule; not linted"]
    assert run_cli(root).stderr.decode() == (
        "release-lint: note: vendor-\\xff/: a nested git repository that is not a submodule; not linted\n")


# --- git states ------------------------------------------------------------------------------------
PATHOLOGICAL_IGNORES = "\n".join([
    "/".join(["**"] * 40) + "/zzz",
    "*" * 5000 + ".bak",
    "[" * 1000,
    "\\",
    "!" * 100,
    "[!" + "a-" * 500 + "]",
    "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b",
    "**/" * 200 + "x",
    "?" * 3000,
    "!/README.md",
    "*.log",
]) + "\n"


@pytest.mark.parametrize("use_git", [True, False], ids=["git", "walk"])
def test_pathological_gitignore(tmp_path, monkeypatch, use_git):
    # git's own matcher runs for hours on line 7 against the long name: release-lint gives git a
    # deadline, then walks the folder with the patterns it can match in linear time.
    monkeypatch.setenv("RELEASE_LINT_GIT_TIMEOUT", "3")
    deep = "/".join(["a"] * 60) + "/" + "a" * 200 + ".md"
    files = {".gitignore": PATHOLOGICAL_IGNORES, "README.md": "# m\n", "LICENSE": "MIT\n", deep: "# deep\n",
             "debug.log": "noise\n", "sub/.gitignore": PATHOLOGICAL_IGNORES + "*\n", "sub/x.txt": "x"}
    root = make_repo(tmp_path / "r", files, commit=False, git_init=use_git)
    repo = guarded(root)
    assert repo.files == [".gitignore", "LICENSE", "README.md", deep]
    # git skips the lone backslash (line 4) silently. The walk also skips the patterns its regular
    # expressions could not match in linear time (7: 27 stars; 9: 3000 characters), and says so once per file.
    skipped = "invalid or too complex pattern on line 4, 7, 9; skipped"
    timed_out = ["git did not list the files within 3 s (a pathological .gitignore pattern?); "
                 "listed files by walking the folder"]
    assert repo.notes == (timed_out if use_git else []) + [f".gitignore: {skipped}", f"sub/.gitignore: {skipped}"]
    assert not repo.is_git
    assert lint_all_rules(root)["notes"] == repo.notes


def test_folders_nested_deeper_than_the_recursion_limit(tmp_path):
    """The walk is iterative: shown with a recursion limit lower than the tree is deep (a tree deeper
    than Python's default limit would also break shutil.rmtree, and so pytest's clean-up)."""
    depth = 300
    deep = "/".join(["d"] * depth) + "/card.md"
    files = {"README.md": "# m\n", "a.txt": "x", "a/b.txt": "x", deep: "# deep\n",
             **{f"many/f{i}/.gitignore": "*.log\n" for i in range(300)}, **{f"many/f{i}/x.log": "x" for i in range(300)}}
    root = make_repo(tmp_path / "r", files, git_init=False)  # the walk, with a .gitignore in 300 folders
    before = snapshot(root)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + depth // 2)
    try:
        repo = Repo(str(root))
    finally:
        sys.setrecursionlimit(limit)
    read_everything(repo)
    assert snapshot(root) == before
    assert repo.files == sorted(["README.md", deep, "a.txt", "a/b.txt", *(f"many/f{i}/.gitignore" for i in range(300))])
    assert repo.files.index("a.txt") < repo.files.index("a/b.txt")  # sorted as git sorts, not in walk order
    assert repo.text(deep) == "# deep\n" and repo.notes == []
    lint_all_rules(root)


def test_repository_without_commits(tmp_path):
    root = make_repo(tmp_path / "r", {"README.md": "# m\n", "LICENSE": "MIT\n"}, commit=False)
    git.Repo(root).git.add("README.md")  # staged, never committed; LICENSE only untracked
    repo = guarded(root)
    assert repo.is_git and repo.files == ["LICENSE", "README.md"]
    lint_all_rules(root)


def test_shallow_clone(tmp_path):
    origin = make_repo(tmp_path / "origin", {"README.md": "# m\n", "LICENSE": "MIT\n"})
    (origin / "CHANGELOG.md").write_text("# 2\n")
    git.Repo(origin).git.add(A=True)
    git.Repo(origin).index.commit("second")
    git.Git(str(tmp_path)).clone("--depth", "1", f"file://{origin}", "clone")
    root = tmp_path / "clone"
    assert (root / ".git" / "shallow").exists()
    repo = guarded(root)
    assert repo.is_git and repo.files == ["CHANGELOG.md", "LICENSE", "README.md"]
    lint_all_rules(root)


def test_corrupt_index_falls_back_to_a_walk(tmp_path):
    root = make_repo(tmp_path / "r", {"README.md": "# m\n", "LICENSE": "MIT\n", ".gitignore": "*.log\n"})
    (root / "debug.log").write_text("x")
    (root / ".git" / "index").write_bytes(b"DIRC\x00\x00\x00\x02garbage" + os.urandom(64))
    repo = guarded(root)
    assert not repo.is_git
    assert repo.files == [".gitignore", "LICENSE", "README.md"]
    assert repo.notes == ["git could not read the index (is .git/index corrupt?); listed files by walking the folder"]
    document = lint_all_rules(root)
    assert document["notes"] == repo.notes


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving the repository to another user (so git refuses it) needs root")
def test_repository_git_refuses_to_read_is_walked_with_a_note(tmp_path):
    root = make_repo(tmp_path / "r", {"README.md": "# m\n", "LICENSE": "MIT\n", ".gitignore": "*.log\n"})
    (root / "debug.log").write_text("x")
    for folder, _dirs, names in os.walk(root):
        for name in [*names, *_dirs, "."]:
            os.lchown(os.path.join(folder, name), 65534, 65534)  # "dubious ownership" for git run as root
    repo = guarded(root)
    assert not repo.is_git and repo.files == [".gitignore", "LICENSE", "README.md"]
    assert repo.notes == ["git cannot read this repository (owned by another user? see git's safe.directory); "
                          "listed files by walking the folder"]
    assert lint_all_rules(root)["notes"] == repo.notes


def test_nested_repository_is_noted_not_descended(tmp_path):
    root = make_repo(tmp_path / "r", {"README.md": "# m\n"})
    make_repo(root / "third_party" / "lib", {"LICENSE": "GPL\n"})
    repo = guarded(root)
    assert repo.files == ["README.md"]
    assert repo.notes == ["third_party/lib/: a nested git repository that is not a submodule; not linted"]
    lint_all_rules(root)


# --- executable payloads ---------------------------------------------------------------------------
def _evil_pickle(marker: Path) -> bytes:
    """Protocol-0 pickle whose load calls os.system: built by hand, never by pickling a live object."""
    return f"cos\nsystem\n(S'touch {marker}'\ntR.".encode()


def test_pickles_are_never_loaded(tmp_path, monkeypatch):
    marker = tmp_path / "unpickled"
    payload = _evil_pickle(marker)
    files = {"README.md": "---\nlicense: mit\nlibrary_name: pytorch\n---\n# m\n", "LICENSE": "MIT\n",
             "pytorch_model.bin": payload, "model.pkl": payload, "optimizer.pt": payload, "data/train.pickle": payload,
             "scaler.joblib": payload}
    root = make_repo(tmp_path / "r", files)

    def refuse(*_args, **_kwargs):
        raise AssertionError("something tried to unpickle a file of the repository")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)
    repo = guarded(root)
    assert repo.head("model.pkl", 3) == b"cos"
    assert repo.text("model.pkl") == payload.decode()  # no NUL byte: it is text to the core, and only text
    lint_all_rules(root)
    assert not marker.exists()


def test_zip_bomb_named_pt_is_never_expanded(tmp_path, monkeypatch, spy):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open(zipfile.ZipInfo("archive/data.pkl"), "w", force_zip64=True) as member:
            zeros = bytes(16 * 1024 * 1024)
            for _ in range(16):  # 256 MiB expanded (256 times the read cap), about 1 MB stored
                member.write(zeros)
    root = make_repo(tmp_path / "r", {"README.md": "# m\n", "LICENSE": "MIT\n", "model.pt": buffer.getvalue(),
                                      "nested/model.pt": buffer.getvalue()})
    expanded = []
    real_decompressobj = zlib.decompressobj

    class CountingDecompressor:
        def __init__(self, *args, **kwargs):
            self._inner = real_decompressobj(*args, **kwargs)

        def decompress(self, data, max_length=0):
            out = self._inner.decompress(data, max_length)
            expanded.append(len(out))
            return out

        def __getattr__(self, name):
            return getattr(self._inner, name)

    monkeypatch.setattr(zlib, "decompressobj", CountingDecompressor)
    monkeypatch.setattr(zlib, "decompress", lambda *a, **k: (_ for _ in ()).throw(AssertionError("zlib.decompress")))
    guarded(root)
    assert sum(expanded) <= DEFAULT_MAX_BYTES
    assert spy.bytes_read[str(root / "model.pt")] <= DEFAULT_MAX_BYTES + 64  # one capped read and a peek
    lint_all_rules(root)
