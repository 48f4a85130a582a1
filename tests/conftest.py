"""Shared test helpers: real git repositories in temporary folders, the real CLI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Dict, Optional, Union

import git
import pytest
from click.testing import CliRunner

from release_lint.cli import main

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT_ROOT / "fixtures"
# Schemas and texts the tests need, vendored with their licences (tests read nothing outside the project).
TEST_DATA = PROJECT_ROOT / "tests" / "data"


def write_files(root: Path, files: Dict[str, Union[str, bytes]]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def make_repo(root: Path, files: Optional[Dict[str, Union[str, bytes]]] = None, *, commit: bool = True, git_init: bool = True) -> Path:
    """A real git repository at *root* holding *files*, committed unless told otherwise."""
    root.mkdir(parents=True, exist_ok=True)
    write_files(root, files or {})
    if git_init:
        repo = git.Repo.init(root)
        with repo.config_writer() as config:
            config.set_value("user", "name", "Test")
            config.set_value("user", "email", "test@example.org")
            config.set_value("commit", "gpgsign", "false")
        if commit:
            repo.git.add(A=True)
            repo.index.commit("initial")
    return root


def copy_fixture(name: str, destination: Path, *, git_init: bool = True) -> Path:
    """A committed git repository holding a copy of ``fixtures/<name>``."""
    shutil.copytree(FIXTURES / name, destination)
    return make_repo(destination, git_init=git_init)


def finding_tuples(result):
    """(code, path, line) of every finding, sorted: what tests compare exactly."""
    return sorted(((f.code, f.path, f.line) for f in result.findings), key=lambda t: (t[0], t[1] or "", t[2] or 0))


def findings_of(result, *prefixes):
    """The exact (code, path, line) findings of the rules whose code starts with one of *prefixes*."""
    return [t for t in finding_tuples(result) if t[0].startswith(prefixes)]


def grades_of(result):
    """Area -> grade of a result's openness verdict."""
    return {area: facts["grade"] for area, facts in result.extra["openness"]["areas"].items()}


def grade_of(result, area):
    return grades_of(result)[area]


@pytest.fixture
def cli():
    """Run the CLI in-process: ``cli("--format", "json", path)`` -> click Result."""
    runner = CliRunner()

    def invoke(*args: str, env: Optional[dict] = None):
        return runner.invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)

    return invoke


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch, tmp_path_factory):
    """Keep the user's global git configuration out of the tests."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    os.environ.pop("GIT_INDEX_FILE", None)
