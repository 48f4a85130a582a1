"""`--staged` (and the default under pre-commit): the release is git's index, the snapshot the next
commit will hold, read from git objects without writing anything; untracked files and unstaged
edits are not part of it. Under pre-commit at pre-push, the pushed ref is linted instead."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from release_lint.api import lint
from release_lint.gitsource import GitIndexSource
from release_lint.repo import Repo
from tests.conftest import finding_tuples, make_repo

MIT = "MIT License\n\nCopyright (c) 2026 Someone\n"
CARD = "# Pebble\n\nA small model.\n"
TOKEN = "hf_" + "Qm7vKzP2rXw9LtB4nYc8HdJ6sFgA1eUoVi"  # the shape of a Hugging Face token, invented
RULES = ["LIC001", "CARD001", "ART007"]


def git(repo: Path, *args: str, env=None) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env=env).stdout


def git_dir_state(repo: Path) -> dict:
    """Every file under .git with its size and modification time: what "writes nothing" compares."""
    state = {}
    for folder, _dirs, files in os.walk(repo / ".git"):
        for name in files:
            path = Path(folder) / name
            info = path.stat()
            state[str(path.relative_to(repo))] = (info.st_size, info.st_mtime_ns)
    return state


def test_an_unstaged_licence_is_missing_from_the_staged_release(tmp_path):
    repo = make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": CARD})
    git(repo, "rm", "--quiet", "--cached", "LICENSE")  # the commit would drop it; the file stays on disk
    assert (repo / "LICENSE").exists()
    assert finding_tuples(lint(repo, select=RULES)) == []  # the work tree still has it
    assert finding_tuples(lint(repo, select=RULES, staged=True)) == [("LIC001", None, None)]
    # The snapshot is what gets committed: the work tree's differences are not its findings.
    assert finding_tuples(lint(repo, select=["REL001"])) == [("REL001", None, None)]
    assert finding_tuples(lint(repo, select=["REL001"], staged=True)) == []


def test_staged_content_is_linted_not_the_edited_work_tree_and_untracked_files_are_left_out(tmp_path):
    repo = make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": CARD, "train.py": "print('train')\n"})
    # A token staged, then removed from the work tree only: the commit would still publish it.
    (repo / "train.py").write_text(f"TOKEN = '{TOKEN}'\n")
    git(repo, "add", "train.py")
    (repo / "train.py").write_text("import os\nTOKEN = os.environ['HF_TOKEN']\n")
    # An untracked file holding a token is not part of the commit.
    (repo / "scratch").mkdir()
    (repo / "scratch" / "token.txt").write_text(f"{TOKEN}\n")
    assert finding_tuples(lint(repo, select=RULES)) == [("ART007", "scratch/token.txt", 1)]
    staged = lint(repo, select=RULES, staged=True)
    assert finding_tuples(staged) == [("ART007", "train.py", 1)]
    assert TOKEN not in staged.findings[0].message


def test_reading_the_index_writes_nothing(tmp_path):
    repo = make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": CARD, "data/a.txt": "a\n"})
    (repo / "README.md").write_text(CARD + "\nMore.\n")  # stat info differs from the index: a refresh would write
    (repo / "new.txt").write_text("new\n")
    git(repo, "add", "--intent-to-add", "new.txt")  # staged as the empty blob, which is not in the object store
    before = git_dir_state(repo)
    result = lint(repo, staged=True)
    assert not result.internal_errors
    assert git_dir_state(repo) == before  # no index refresh, no object, no lock
    source = GitIndexSource(str(repo))
    view = Repo(str(repo), source=source)
    assert view.files == ["LICENSE", "README.md", "data/a.txt", "new.txt"]
    assert view.read_bytes("new.txt") == b"" and view.text("README.md") == CARD  # the staged README
    source.close()


def test_subfolder_and_an_alternate_index_file(tmp_path):
    repo = make_repo(tmp_path / "r", {"models/pebble/LICENSE": MIT, "models/pebble/README.md": CARD, "README.md": CARD})
    # git commit -a / git commit PATH run the hook with GIT_INDEX_FILE naming a temporary index.
    env = dict(os.environ, GIT_INDEX_FILE=str(repo / ".git" / "next-index"))
    git(repo, "read-tree", "HEAD", env=env)
    git(repo, "rm", "--quiet", "--cached", "models/pebble/LICENSE", env=env)
    sub = repo / "models" / "pebble"
    assert finding_tuples(lint(sub, select=RULES, staged=True)) == []  # the real index still has it
    old = os.environ.get("GIT_INDEX_FILE")
    os.environ["GIT_INDEX_FILE"] = os.path.join(".git", "next-index")  # relative, as a hook may see it
    cwd = os.getcwd()
    try:
        os.chdir(repo)
        result = lint(sub, select=RULES, staged=True)
    finally:
        os.chdir(cwd)
        if old is None:
            os.environ.pop("GIT_INDEX_FILE", None)
        else:
            os.environ["GIT_INDEX_FILE"] = old
    assert finding_tuples(result) == [("LIC001", None, None)]


def test_pre_commit_environment_selects_the_index_or_the_pushed_ref(cli, tmp_path):
    repo = make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": CARD})
    good = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "rm", "--quiet", "--cached", "LICENSE")
    args = ("--select", "LIC001", "--format", "full", repo)
    assert cli(*args).exit_code == 0  # by hand: the work tree
    at_commit = cli(*args, env={"PRE_COMMIT": "1"})
    assert at_commit.exit_code == 1 and at_commit.output.startswith(".: LIC001 [error] no licence file")
    assert cli("--staged", *args).exit_code == 1
    git(repo, "commit", "--quiet", "--no-verify", "-m", "drop the licence")
    bad = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "tag", "v0.9", good)
    (repo / "LICENSE").unlink()  # the work tree now lacks it, the old tag has it
    pushed_old_tag = cli(*args, env={"PRE_COMMIT": "1", "PRE_COMMIT_FROM_REF": "0" * 40, "PRE_COMMIT_TO_REF": good,
                                     "PRE_COMMIT_LOCAL_BRANCH": "refs/tags/v0.9"})
    assert pushed_old_tag.exit_code == 0, pushed_old_tag.output
    (repo / "LICENSE").write_text(MIT)  # back on disk, untracked: the pushed commit still lacks it
    assert cli(*args, env={"PRE_COMMIT": "1", "PRE_COMMIT_TO_REF": bad}).exit_code == 1
    # A first push to an empty remote: pre-commit gives only the local ref.
    assert cli(*args, env={"PRE_COMMIT": "1", "PRE_COMMIT_LOCAL_BRANCH": "refs/tags/v0.9"}).exit_code == 0
    both = cli("--staged", "--rev", "HEAD", *args)
    assert both.exit_code == 2 and "--rev and --staged" in both.output


def test_staged_outside_git_is_an_error(cli, tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    outcome = cli("--staged", folder)
    assert outcome.exit_code == 2 and "is not inside a git repository" in outcome.output


def test_reading_the_index_runs_no_program_of_the_repository_config(tmp_path):
    repo = make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": CARD})
    marker = tmp_path / "fsmonitor-ran"
    program = tmp_path / "fsmonitor.sh"
    program.write_text(f"#!/bin/sh\ntouch '{marker}'\n")
    program.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(program))  # git runs it whenever it reads the index
    git(repo, "ls-files", "-s")
    assert marker.exists()  # the trap is real
    marker.unlink()
    assert finding_tuples(lint(repo, select=RULES, staged=True)) == []
    assert not marker.exists()
