"""The pre-commit hooks, run by the real pre-commit against a snapshot of this checkout.

The first run builds the hook's environment with pip (from PyPI), so these tests are slow and
marked ``precommit``; deselect them locally with ``-m 'not precommit'``. CI runs them.
"""

from __future__ import annotations

import os
import shutil
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT_ROOT, make_repo

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
GOOD = {"README.md": "# Model\n\nA small model.\n", "LICENSE": "MIT License\n\nCopyright (c) 2026 Someone\n"}
BAD = {"README.md": "# Model\n\nA small model.\n", "weights.txt": "x\n"}  # no licence
STABLE_RULES = '[tool.release-lint]\nselect = ["LIC001", "CARD001"]\n'


def _env(home: Path) -> dict:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1")
    env.pop("PYTHONPATH", None)  # the hook must run the release-lint pre-commit installed, not this tree
    return env


def _run(args, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*PRE_COMMIT, *args], cwd=cwd, env=_env(home), capture_output=True, text=True,
                          timeout=900, check=False)


def test_manifest_is_valid_and_declares_whole_repository_hooks(tmp_path):
    done = _run(["validate-manifest", str(PROJECT_ROOT / ".pre-commit-hooks.yaml")], PROJECT_ROOT, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = {hook["id"]: hook for hook in yaml.safe_load((PROJECT_ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"release-lint", "release-lint-pre-push"}
    for hook in hooks.values():
        assert (hook["entry"], hook["language"], hook["pass_filenames"], hook["always_run"]) == (
            "release-lint", "python", False, True)
    assert hooks["release-lint-pre-push"]["stages"] == ["pre-push"]
    assert "pre-push" not in hooks["release-lint"]["stages"]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """This checkout as pre-commit sees a hook repository: a git repo with every file committed
    (uncommitted and new files included, which try-repo on the working tree would miss)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    snapshot = tmp_path_factory.mktemp("hook") / "release-lint"
    for relative in filter(None, listed):
        source = PROJECT_ROOT / relative
        if source.is_file():
            (snapshot / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / relative)
    make_repo(snapshot)
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=snapshot, capture_output=True, text=True, check=True).stdout.strip()
    return snapshot, rev


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    """One store for the module, so the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.mark.precommit
def test_try_repo_fails_on_a_repository_without_licence_and_passes_once_it_has_one(tmp_path, hook_repo, pre_commit_home):
    snapshot, rev = hook_repo
    bad = make_repo(tmp_path / "bad", {**BAD, "pyproject.toml": STABLE_RULES})
    done = _run(["try-repo", str(snapshot), "release-lint", "--ref", rev, "--all-files"], bad, pre_commit_home)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "release-lint" in output and "Failed" in output
    assert "LIC001    no licence file" in output
    assert "CARD001" not in output

    good = make_repo(tmp_path / "good", {**GOOD, "pyproject.toml": STABLE_RULES})
    done = _run(["try-repo", str(snapshot), "release-lint", "--ref", rev, "--all-files"], good, pre_commit_home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def _config(snapshot: Path, rev: str, hook_id: str, args) -> str:
    return yaml.safe_dump({"repos": [{"repo": str(snapshot), "rev": rev, "hooks": [{"id": hook_id, "args": args}]}]})


@pytest.mark.precommit
def test_configured_hook_passes_args_through(tmp_path, hook_repo, pre_commit_home):
    snapshot, rev = hook_repo
    # No licence and no card; the hook args select only the card rule.
    repo = make_repo(tmp_path / "repo", {"weights.txt": "x\n"})
    (repo / ".pre-commit-config.yaml").write_text(_config(snapshot, rev, "release-lint", ["--select", "CARD001"]))
    subprocess.run(["git", "add", ".pre-commit-config.yaml"], cwd=repo, check=True)
    assert _run(["validate-config"], repo, pre_commit_home).returncode == 0
    done = _run(["run", "--all-files"], repo, pre_commit_home)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "CARD001   no model card" in output and "LIC001" not in output


@pytest.mark.precommit
def test_pre_push_hook_runs_only_at_the_pre_push_stage(tmp_path, hook_repo, pre_commit_home):
    snapshot, rev = hook_repo
    repo = make_repo(tmp_path / "repo", {"README.md": "# Model\n"})  # no licence
    config = yaml.safe_load(_config(snapshot, rev, "release-lint-pre-push", ["--select", "LIC001"]))
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    subprocess.run(["git", "add", ".pre-commit-config.yaml"], cwd=repo, check=True)
    at_commit = _run(["run", "--all-files"], repo, pre_commit_home)
    assert at_commit.returncode == 0, at_commit.stdout + at_commit.stderr  # nothing to run at commit time
    at_push = _run(["run", "--hook-stage", "pre-push", "--all-files"], repo, pre_commit_home)
    output = at_push.stdout + at_push.stderr
    assert at_push.returncode == 1, output
    assert "release-lint (before push)" in output and "LIC001    no licence file" in output


# --- the hooks gate what is committed and pushed, not the work tree --------------------------------

HF_TOKEN = "hf_" + "Qm7vKzP2rXw9LtB4nYc8HdJ6sFgA1eUoVi"  # the shape of a Hugging Face token, invented


def _git(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    """git as a user runs it, with the installed hooks (and their pre-commit store) in effect."""
    return subprocess.run(["git", *args], cwd=repo, env=_env(home), capture_output=True, text=True, timeout=900,
                          check=False)


def _hooked_repo(path: Path, snapshot: Path, rev: str, home: Path, args) -> Path:
    """A committed release (licence and card) whose pre-commit and pre-push hooks run release-lint."""
    config = {"repos": [{"repo": str(snapshot), "rev": rev, "hooks": [
        {"id": "release-lint", "args": args}, {"id": "release-lint-pre-push", "args": args}]}]}
    repo = make_repo(path, {**GOOD, ".pre-commit-config.yaml": yaml.safe_dump(config)})
    installed = _run(["install", "--hook-type", "pre-commit", "--hook-type", "pre-push"], repo, home)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return repo


def _head(repo: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.precommit
def test_commit_that_unstages_the_licence_is_refused(tmp_path, hook_repo, pre_commit_home):
    snapshot, rev = hook_repo
    repo = _hooked_repo(tmp_path / "repo", snapshot, rev, pre_commit_home, ["--select", "LIC001"])
    before = _head(repo)
    assert _git(repo, pre_commit_home, "rm", "--quiet", "--cached", "LICENSE").returncode == 0
    assert (repo / "LICENSE").exists()  # left on disk, untracked: the work tree still looks licensed
    done = _git(repo, pre_commit_home, "commit", "-m", "drop the licence")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "LIC001    no licence file" in output
    assert _head(repo) == before


@pytest.mark.precommit
def test_untracked_token_file_does_not_block_an_unrelated_commit(tmp_path, hook_repo, pre_commit_home):
    snapshot, rev = hook_repo
    repo = _hooked_repo(tmp_path / "repo", snapshot, rev, pre_commit_home, ["--select", "LIC001,ART007"])
    (repo / "notes").mkdir()
    (repo / "notes" / "token.txt").write_text(f"HF_TOKEN={HF_TOKEN}\n")  # never added
    (repo / "README.md").write_text(GOOD["README.md"] + "\nTrained on a laptop.\n")
    assert _git(repo, pre_commit_home, "add", "README.md").returncode == 0
    done = _git(repo, pre_commit_home, "commit", "-m", "card: training note")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "release-lint" in done.stdout + done.stderr and "Passed" in done.stdout + done.stderr
    # Staged, the same token is refused.
    assert _git(repo, pre_commit_home, "add", "notes/token.txt").returncode == 0
    staged = _git(repo, pre_commit_home, "commit", "-m", "notes")
    output = staged.stdout + staged.stderr
    assert staged.returncode == 1 and re.search(r"ART007 +notes/token\.txt:1: ", output), output


@pytest.mark.precommit
def test_push_of_a_commit_or_tag_without_licence_is_refused(tmp_path, hook_repo, pre_commit_home):
    snapshot, rev = hook_repo
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    repo = _hooked_repo(tmp_path / "repo", snapshot, rev, pre_commit_home, ["--select", "LIC001"])
    branch = subprocess.run(["git", "symbolic-ref", "--short", "HEAD"], cwd=repo, capture_output=True, text=True,
                            check=True).stdout.strip()
    assert _git(repo, pre_commit_home, "remote", "add", "origin", str(remote)).returncode == 0
    first = _git(repo, pre_commit_home, "push", "--quiet", "origin", branch)
    assert first.returncode == 0, first.stdout + first.stderr  # licensed: the push goes out
    # A commit without the licence made past the commit hook; the file stays on disk, untracked.
    assert _git(repo, pre_commit_home, "rm", "--quiet", "--cached", "LICENSE").returncode == 0
    assert _git(repo, pre_commit_home, "commit", "--quiet", "--no-verify", "-m", "drop the licence").returncode == 0
    pushed = _git(repo, pre_commit_home, "push", "origin", branch)
    output = pushed.stdout + pushed.stderr
    assert pushed.returncode != 0, output
    assert "release-lint (before push)" in output and "LIC001    no licence file" in output
    remote_head = subprocess.run(["git", "rev-parse", branch], cwd=remote, capture_output=True, text=True,
                                 check=True).stdout.strip()
    assert remote_head != _head(repo)
    # The same commit as a release tag: refused too.
    assert _git(repo, pre_commit_home, "tag", "v1.0").returncode == 0
    tagged = _git(repo, pre_commit_home, "push", "origin", "v1.0")
    assert tagged.returncode != 0 and "LIC001    no licence file" in tagged.stdout + tagged.stderr
    listed = subprocess.run(["git", "tag"], cwd=remote, capture_output=True, text=True, check=True).stdout
    assert "v1.0" not in listed
