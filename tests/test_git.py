"""Git edge cases and ``--rev``: lint a tagged tree from git objects while the work tree differs."""

from __future__ import annotations

import pickle
import shutil
import subprocess

import git

from release_lint import lint
from release_lint.detectors.gitstate import git_state
from release_lint.repo import Repo
from tests.conftest import FIXTURES, copy_fixture, finding_tuples, make_repo

AREAS = ["ART", "COMM", "REL"]


def run(*args, cwd):
    subprocess.run(["git", *args], cwd=str(cwd), check=True, capture_output=True)


def test_not_a_git_repository(tmp_path, cli):
    make_repo(tmp_path, {"README.md": "# m\n", "big.bin": b"\0" * 10}, git_init=False)
    result = lint(tmp_path, select=["REL001", "ART003", "REL002"])
    assert finding_tuples(result) == [("REL002", None, None)]
    assert result.extra["skipped"] == [
        "ART003 large-file-not-in-lfs: needs a git repository",
        "REL001 uncommitted-changes: needs a git repository",
    ]
    verbose = cli("--select", "REL001,ART003", "--verbose", tmp_path)
    assert verbose.stderr.count("skipped REL001") == 1 and verbose.stderr.count("skipped ART003") == 1
    quiet = cli("--select", "REL001,ART003", tmp_path)
    assert "skipped" not in quiet.stderr and quiet.exit_code == 0


def test_repository_without_commits(tmp_path):
    repo = make_repo(tmp_path, {"README.md": "# m\n", "CITATION.cff": "cff-version: 1.2.0\n"}, commit=False)
    result = lint(repo, select=AREAS)
    assert not result.internal_errors
    assert ("REL001", None, None) in finding_tuples(result)  # everything is still uncommitted
    state = git_state(Repo(str(repo)))
    assert state.no_commits and state.head is None


def test_detached_head_with_tag(tmp_path):
    repo = copy_fixture("fully-open", tmp_path / "r")
    handle = git.Repo(repo)
    handle.create_tag("v1.0.0")
    handle.git.checkout(handle.head.commit.hexsha)
    state = git_state(Repo(str(repo)))
    assert state.detached and state.branch is None and state.tags_at_head == ["v1.0.0"]
    assert finding_tuples(lint(repo, select=AREAS)) == []


def test_shallow_clone_and_rev(tmp_path):
    origin = copy_fixture("fully-open", tmp_path / "origin")
    handle = git.Repo(origin)
    (origin / "NOTES.md").write_text("second commit\n")
    handle.git.add(A=True)
    handle.index.commit("second")
    handle.create_tag("v1.0.0")
    clone = tmp_path / "clone"
    run("clone", "--quiet", "--depth", "1", f"file://{origin}", str(clone), cwd=tmp_path)
    state = git_state(Repo(str(clone)))
    assert state.shallow and state.latest_tag == "v1.0.0"
    assert finding_tuples(lint(clone, select=AREAS)) == []
    assert finding_tuples(lint(clone, select=AREAS, rev="v1.0.0")) == []


def test_submodule_is_listed_not_descended(tmp_path):
    inner = make_repo(tmp_path / "inner", {"secret.py": "TOKEN = 'hf_" + "Qm7vKzP2rXw9LtB4nYc8HdJ6sFgA1eUoVi'\n"})
    outer = copy_fixture("fully-open", tmp_path / "outer")
    run("-c", "protocol.file.allow=always", "submodule", "--quiet", "add", f"file://{inner}", "vendor/inner", cwd=outer)
    git.Repo(outer).index.commit("add submodule")
    git.Repo(outer).create_tag("v1.0.0")
    for rev in (None, "v1.0.0"):
        repo = Repo(str(outer)) if rev is None else Repo(str(outer), source=_tree(outer, rev))
        assert repo.submodules == ["vendor/inner"]
        assert not any(f.startswith("vendor/inner/") for f in repo.files)
        assert finding_tuples(lint(outer, select=AREAS, rev=rev)) == []


def _tree(root, rev):
    from release_lint.gitsource import GitTreeSource

    return GitTreeSource(str(root), rev)


def test_git_worktree_checkout(tmp_path):
    main = copy_fixture("fully-open", tmp_path / "main")
    run("worktree", "add", "--quiet", "-b", "release", str(tmp_path / "linked"), cwd=main)
    git.Repo(main).create_tag("v1.0.0")
    linked = tmp_path / "linked"
    assert (linked / ".git").is_file()
    state = git_state(Repo(str(linked)))
    assert state.branch == "release" and state.tags_at_head == ["v1.0.0"]
    assert finding_tuples(lint(linked, select=AREAS)) == []
    (linked / "scratch.py").write_text("x = 1\n")
    assert finding_tuples(lint(linked, select=["REL001"])) == [("REL001", None, None)]


def test_path_with_spaces(tmp_path):
    repo = copy_fixture("fully-open", tmp_path / "my model repo")
    git.Repo(repo).create_tag("v1.0.0")
    (repo / "CONTRIBUTING.md").unlink()
    # model.sig (fully-open is signed) lists the removed file: ART010.
    assert finding_tuples(lint(repo, select=AREAS)) == [("ART010", "model.sig", None), ("COMM001", None, None),
                                                        ("REL001", None, None)]
    assert finding_tuples(lint(repo, select=AREAS, rev="v1.0.0")) == []


def test_rev_lints_the_tagged_tree_not_the_work_tree(tmp_path, cli):
    repo = copy_fixture("fully-open", tmp_path / "r")
    handle = git.Repo(repo)
    handle.create_tag("v1.0")
    # After the tag: a commit that breaks things, then uncommitted changes on top.
    (repo / "CONTRIBUTING.md").unlink()
    (repo / "model.bin").write_bytes(pickle.dumps({"w": [1.0]}, protocol=2))
    handle.git.add(A=True)
    handle.index.commit("after release")
    (repo / "CITATION.cff").write_text("cff-version: 1.2.0\ntitle: [broken\n")
    (repo / "untracked.txt").write_text("x\n")
    work_tree_files = sorted(p.name for p in repo.iterdir())
    index_before = (repo / ".git" / "index").read_bytes()

    assert finding_tuples(lint(repo, select=AREAS)) == [
        ("ART001", "model.bin", None), ("ART005", "model.bin", None),
        ("ART010", "model.bin", None), ("ART010", "model.sig", None),  # unsigned weights; signed CONTRIBUTING.md gone
        ("COMM001", None, None),
        ("REL001", None, None), ("REL005", "CITATION.cff", 2),  # the YAML error is reported where the flow is left open
    ]
    assert finding_tuples(lint(repo, select=AREAS, rev="v1.0")) == []
    head_rev = lint(repo, select=AREAS, rev="HEAD")
    assert finding_tuples(head_rev) == [("ART001", "model.bin", None), ("ART005", "model.bin", None),
                                        ("ART010", "model.bin", None), ("ART010", "model.sig", None), ("COMM001", None, None)]
    outcome = cli("--rev", "v1.0", "--select", "ART,COMM,REL", repo)
    assert outcome.exit_code == 0, outcome.output
    # Nothing was checked out or written.
    assert sorted(p.name for p in repo.iterdir()) == work_tree_files
    assert (repo / ".git" / "index").read_bytes() == index_before
    assert handle.head.commit.message == "after release"


def test_rev_reads_large_blobs_only_up_to_the_bound(tmp_path):
    from release_lint import gitsource

    blob = b"\x80\x02}q\x00." + b"\0" * (3 * gitsource.BATCH_READ_MAX)
    repo = make_repo(tmp_path, {"weights.pt": blob, ".release-lint.toml": "[options.ART003]\nthreshold = 1048576\n"})
    git.Repo(repo).create_tag("v1")
    source = gitsource.GitTreeSource(str(repo), "v1")
    view = Repo(str(repo), source=source)
    assert view.size("weights.pt") == len(blob)
    assert view.head("weights.pt", 16) == blob[:16]
    assert finding_tuples(lint(repo, select=["ART001", "ART003"], rev="v1")) == [
        ("ART001", "weights.pt", None), ("ART003", "weights.pt", None)]


def test_rev_symlink_is_not_followed(tmp_path):
    repo = make_repo(tmp_path, {"README.md": "# m\n"})
    (repo / "link.md").symlink_to("/etc/passwd")
    handle = git.Repo(repo)
    handle.git.add(A=True)
    handle.index.commit("symlink")
    view = Repo(str(repo), source=_tree(repo, "HEAD"))
    assert view.source.is_symlink("link.md") and view.text("link.md") is None


def test_unknown_rev_exits_2_with_one_line(tmp_path, cli):
    repo = make_repo(tmp_path, {"README.md": "# m\n"})
    outcome = cli("--rev", "v9.9", repo)
    assert outcome.exit_code == 2
    assert outcome.stderr.strip().splitlines() == [
        f"release-lint: error: unknown revision 'v9.9': no tag, branch or commit of that name in {repo}"]
    assert outcome.stdout == ""


def test_rev_outside_git_exits_2(tmp_path, cli):
    shutil.copytree(FIXTURES / "weights-only", tmp_path / "w")
    outcome = cli("--rev", "v1.0", tmp_path / "w")
    assert outcome.exit_code == 2
    assert outcome.stderr.strip() == f"release-lint: error: --rev v1.0: {tmp_path / 'w'} is not inside a git repository"


def test_every_git_process_gets_the_safe_settings(tmp_path):
    """Every git process release-lint starts (its own, and GitPython's `cat-file --batch` under --rev) carries
    the settings that switch off the repository's programs: a `git` first on PATH logs each command line."""
    import os
    import sys

    real_git = shutil.which("git")
    log = tmp_path / "git.log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "git").write_text(f"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\nexec '{real_git}' \"$@\"\n")
    (bin_dir / "git").chmod(0o755)
    root = make_repo(tmp_path / "r", {"README.md": "# m\n", "config.json": "{}\n", ".gitattributes": "*.md filter=Evil\n"})
    run("config", "filter.Evil.clean", "cat", cwd=root)
    (root / "README.md").write_text("# changed\n")
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", PYTHONPATH=str(FIXTURES.parent))
    for extra in ([], ["--rev", "HEAD"]):
        done = subprocess.run([sys.executable, "-m", "release_lint", "--format", "json", *extra, str(root)],
                              capture_output=True, env=env)
        assert done.returncode == 1, done.stderr
    commands = log.read_text().splitlines()
    ours = [c for c in commands if c != "version"]  # GitPython asks `git version` once, outside any repository
    assert any(" status " in c for c in ours) and any("cat-file --batch" in c for c in ours), commands
    for command in ours:
        for setting in ("core.fsmonitor=false", "protocol.allow=never", "core.hooksPath="):
            assert f"-c {setting}" in command, command
    status = next(c for c in ours if " status " in c)
    assert "-c filter.Evil.clean= -c filter.Evil.smudge= -c filter.Evil.process= -c filter.Evil.required=false" in status
