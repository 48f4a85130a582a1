"""The repository view: which files are the release, and safe reads."""

from __future__ import annotations

import os
import socket

import git
import pytest

from release_lint import lint
from release_lint.filereads import decode_text
from release_lint.repo import Repo
from tests.conftest import make_repo


def test_git_lists_tracked_and_untracked_unignored(tmp_path):
    make_repo(tmp_path, {"README.md": "# m\n", ".gitignore": "*.log\nbuild/\n", "old.txt": "x"})
    (tmp_path / "new.py").write_text("print(1)\n")
    (tmp_path / "debug.log").write_text("noise\n")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "out.bin").write_bytes(b"\0")
    os.remove(tmp_path / "old.txt")  # deleted in the work tree: not part of the release any more
    repo = Repo(str(tmp_path))
    assert repo.is_git
    assert repo.files == [".gitignore", "README.md", "new.py"]


def test_walk_outside_git_honours_gitignore(tmp_path):
    make_repo(tmp_path, {
        "README.md": "# m\n",
        ".gitignore": "*.ckpt\n/outputs/\n",
        "sub/.gitignore": "secret.txt\n",
        "sub/secret.txt": "x",
        "sub/keep.txt": "x",
        "outputs/run.json": "{}",
        "model.ckpt": b"\0",
        ".git/config": "not a real git dir entry",
    }, git_init=False)
    repo = Repo(str(tmp_path))
    assert not repo.is_git
    assert repo.files == [".gitignore", "README.md", "sub/.gitignore", "sub/keep.txt"]


def test_subfolder_of_a_git_repository(tmp_path):
    make_repo(tmp_path, {"models/a/README.md": "# a\n", "models/b/README.md": "# b\n"})
    assert Repo(str(tmp_path / "models" / "a")).files == ["README.md"]


def test_symlink_outside_the_repository_is_never_read(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("SECRET OUTSIDE TEXT\n")
    root = make_repo(tmp_path / "repo", {"README.md": "# m\n"}, commit=False)
    os.symlink(outside, root / "LICENSE")
    os.symlink(root / "README.md", root / "CARD.md")  # inside: fine
    repo = Repo(str(root))
    assert "LICENSE" in repo.files
    assert repo.text("LICENSE") is None
    assert repo.size("LICENSE") is None
    assert repo.notes == ["LICENSE: symlink points outside the repository; not read"]
    assert repo.text("CARD.md") == "# m\n"


def test_fifo_and_socket_are_never_opened(tmp_path):
    root = make_repo(tmp_path, {"README.md": "# m\n"}, git_init=False)
    os.mkfifo(root / "pipe.md")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(root / "sock.md"))
        repo = Repo(str(root))
        # The walk lists regular files and symlinks only.
        assert repo.files == ["README.md"]
        repo.files.append("pipe.md")
        repo._file_set.add("pipe.md")
        assert repo.text("pipe.md") is None  # would block forever if opened for reading
    finally:
        server.close()


def test_reads_are_capped_and_cached(tmp_path):
    root = make_repo(tmp_path, {"big.md": "a" * 5000, "README.md": "# m\n"})
    repo = Repo(str(root), max_bytes=1024)
    assert len(repo.text("big.md")) == 1024
    assert repo.truncated("big.md") and not repo.truncated("README.md")
    (root / "README.md").write_text("changed\n")
    assert repo.text("README.md") == "changed\n"
    (root / "README.md").write_text("changed again\n")
    assert repo.text("README.md") == "changed\n"  # read once per run


def test_binary_and_encodings():
    assert decode_text(b"\x00\x01weights") is None
    assert decode_text("caf\u00e9".encode("latin-1")) == "caf\ufffd"
    assert decode_text(b"\xef\xbb\xbf# Title") == "# Title"
    assert decode_text("# Titre \u00e9".encode("utf-16")) == "# Titre \u00e9"


def test_non_utf8_readme_does_not_crash(tmp_path, cli):
    make_repo(tmp_path, {"README.md": b"---\nlicense: mit\n---\n# Mod\xe8le\n\xff\xfe\n", "LICENSE": b"MIT\n"})
    result = cli("--select", "LIC001,CARD001", tmp_path)
    assert result.exit_code == 0, result.output
    repo = Repo(str(tmp_path))
    assert repo.markdown("README.md").front_matter.mapping == {"license": "mit"}
    assert repo.markdown("README.md").headings[0].title == "Mod\ufffdle"


def test_find_helpers_ignore_case(tmp_path):
    make_repo(tmp_path, {"License.TXT": "x", "docs/Model_Card.md": "x", "src/train.py": "x", "train.py": "x"})
    repo = Repo(str(tmp_path))
    assert repo.exists_ci("license.txt") == "License.TXT"
    assert repo.find_names("train*.py") == ["src/train.py", "train.py"]
    assert repo.find_names("*.py", under="src") == ["src/train.py"]
    assert repo.glob("docs/**/model_card.md") == ["docs/Model_Card.md"]
    assert repo.glob("*.py") == ["train.py"]
    assert repo.glob("**/*.py") == ["src/train.py", "train.py"]


def test_lfs_pointer_is_recognised(tmp_path):
    pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "a" * 64 + "\nsize 123456789\n"
    make_repo(tmp_path, {"model.safetensors": pointer, "README.md": "version https://git-lfs.github.com/spec/v1"})
    repo = Repo(str(tmp_path))
    assert repo.is_lfs_pointer("model.safetensors")
    assert repo.is_lfs_pointer("README.md")  # same prefix and small: judged by content
    assert not repo.is_lfs_pointer("missing.bin")


def test_submodules_are_listed_not_descended(tmp_path):
    inner = make_repo(tmp_path / "inner", {"LICENSE": "MIT\n"})
    outer = make_repo(tmp_path / "outer", {"README.md": "# m\n"})
    repo = git.Repo(outer)
    repo.git.execute(["git", "-c", "protocol.file.allow=always", "submodule", "add", str(inner), "vendor/inner"])
    view = Repo(str(outer))
    assert view.submodules == ["vendor/inner"]
    assert "vendor/inner/LICENSE" not in view.files
    assert ".gitmodules" in view.files


def test_missing_path_is_a_clear_error(tmp_path):
    from release_lint.repo import RepoError

    with pytest.raises(RepoError, match="no such file or directory"):
        lint(tmp_path / "nope")
    (tmp_path / "file").write_text("x")
    with pytest.raises(RepoError, match="not a directory"):
        lint(tmp_path / "file")


def test_linting_changes_nothing(tmp_path):
    root = make_repo(tmp_path, {"README.md": "# m\n", "LICENSE": "MIT\n"})
    (root / "untracked.txt").write_text("x")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    lint(root)
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert before == after


def test_exclude_patterns_given_to_repo_directly_are_guarded(tmp_path):
    """The API can pass `exclude` without the configuration's check: a backtracking or invalid pattern is
    skipped with a note, never matched for hours or raised."""
    make_repo(tmp_path, {"a" * 200: "x\n", "keep.md": "# k\n", "vendor/x.md": "# v\n"})
    repo = Repo(str(tmp_path), exclude=["*a" * 26 + "*b", "\\", "vendor/"])
    assert repo.files == ["a" * 200, "keep.md"]
    assert repo.notes == [
        "exclude pattern '" + "*a" * 26 + "*b': pattern with more than 3 '*' (other than '**' folders); skipped",
        "exclude pattern '\\\\': invalid pattern; skipped",
    ]
