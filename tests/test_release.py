"""REL001-REL005: uncommitted changes, versions, changelog, citation."""

from __future__ import annotations

import os
import subprocess

import git
import pytest

from release_lint import lint
from tests.conftest import copy_fixture, finding_tuples, make_repo

REL = ["REL"]
CFF = 'cff-version: 1.2.0\nmessage: "Cite me"\ntitle: "Model"\nversion: {version}\nauthors:\n  - name: Lab\n'


def test_fixtures_release(tmp_path):
    weights_only = copy_fixture("weights-only", tmp_path / "w")
    assert finding_tuples(lint(weights_only, select=REL)) == [
        ("REL002", None, None), ("REL003", None, None), ("REL004", None, None),
    ]
    fully_open = copy_fixture("fully-open", tmp_path / "f")
    git.Repo(fully_open).create_tag("v1.0.0")
    assert finding_tuples(lint(fully_open, select=REL)) == []


# --- REL001 --------------------------------------------------------------------------------


def test_rel001_modified_and_untracked(tmp_path):
    repo = make_repo(tmp_path, {"README.md": "# m\n", "train.py": "x = 1\n", ".gitignore": "outputs/\n"})
    assert finding_tuples(lint(repo, select=["REL001"])) == []
    (repo / "train.py").write_text("x = 2\n")
    (repo / "notes.md").write_text("todo\n")
    (repo / "outputs").mkdir()
    (repo / "outputs" / "run.log").write_text("ignored\n")
    result = lint(repo, select=["REL001"])
    assert finding_tuples(result) == [("REL001", None, None)]
    assert result.findings[0].message == "the work tree differs from HEAD (1 modified, 1 untracked): train.py, notes.md"


def test_rel001_skipped_under_pre_commit(tmp_path, monkeypatch):
    repo = make_repo(tmp_path, {"README.md": "# m\n"})
    (repo / "README.md").write_text("# changed\n")
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert finding_tuples(lint(repo, select=["REL001"])) == []


def test_rel001_never_rewrites_the_index(tmp_path):
    repo = make_repo(tmp_path, {"README.md": "# m\n", "a.py": "x = 1\n"})
    index = repo / ".git" / "index"
    # Same content, new mtime: a plain `git status` would refresh the stat data and rewrite the index.
    os.utime(repo / "a.py", (1_000_000_000, 1_000_000_000))
    before = index.read_bytes()
    assert finding_tuples(lint(repo, select=["REL", "ART"])) == [("REL002", None, None), ("REL003", None, None), ("REL004", None, None)]
    assert index.read_bytes() == before
    subprocess.run(["git", "-C", str(repo), "status"], check=True, capture_output=True)
    assert index.read_bytes() != before, "control: git status with optional locks does refresh the index"


# --- REL002 --------------------------------------------------------------------------------


def test_rel002_files_disagree(tmp_path):
    repo = make_repo(tmp_path, {
        "pyproject.toml": '[project]\nname = "m"\nversion = "1.1.0"\n',
        "CITATION.cff": CFF.format(version="1.0.0"),
        "README.md": "---\nlicense: mit\nversion: 1.1\n---\n# m\n",
    })
    result = lint(repo, select=["REL002"])
    assert finding_tuples(result) == [("REL002", "CITATION.cff", 4)]
    assert result.findings[0].message == "CITATION.cff declares version 1.0.0 but pyproject.toml:3 declares 1.1.0"


def test_rel002_tag_on_head_disagrees(tmp_path):
    repo = make_repo(tmp_path, {"CITATION.cff": CFF.format(version="1.0.0")})
    git.Repo(repo).create_tag("v2.0")
    assert finding_tuples(lint(repo, select=["REL002"])) == [("REL002", "CITATION.cff", 4)]


def test_rel002_two_stale_files_and_a_disagreeing_tag(tmp_path):
    # pyproject was bumped to 2.0.0 and tagged v2.1.0 by mistake; CITATION.cff and the card still say 1.x.
    repo = make_repo(tmp_path, {
        "pyproject.toml": '[project]\nname = "m"\nversion = "2.0.0"\n',
        "CITATION.cff": CFF.format(version="1.0.0"),
        "README.md": "---\nlicense: mit\nversion: 1.1\n---\n# m\n",
    })
    git.Repo(repo).create_tag("v2.1.0")
    assert finding_tuples(lint(repo, select=["REL002"])) == [
        ("REL002", "CITATION.cff", 4), ("REL002", "README.md", 3), ("REL002", "pyproject.toml", 3)]


def test_rel002_files_behind_the_latest_tag(tmp_path):
    repo = make_repo(tmp_path, {"CITATION.cff": CFF.format(version="1.1.0")})
    handle = git.Repo(repo)
    handle.create_tag("v1.2.0")
    (repo / "x.py").write_text("x = 1\n")
    handle.git.add(A=True)
    handle.index.commit("after the tag")
    assert finding_tuples(lint(repo, select=["REL002"])) == [("REL002", "CITATION.cff", 4)]
    # Bumped ahead of the latest tag: the state just before tagging the next release.
    (repo / "CITATION.cff").write_text(CFF.format(version="1.3.0"))
    assert finding_tuples(lint(repo, select=["REL002"])) == []


@pytest.mark.parametrize("files,tag", [
    ({"pyproject.toml": '[project]\nversion = "1.0"\n', "CITATION.cff": CFF.format(version="1.0.0")}, "v1.0.0"),
    ({"setup.cfg": "[metadata]\nversion = 0.3.0\n"}, "release-0.3"),
    ({"pyproject.toml": '[project]\ndynamic = ["version"]\n'}, "v0.1.0"),
])
def test_rel002_silent_when_versions_agree(tmp_path, files, tag):
    repo = make_repo(tmp_path, files)
    git.Repo(repo).create_tag(tag)
    assert finding_tuples(lint(repo, select=["REL002"])) == []


def test_rel002_nothing_declares_a_version(tmp_path):
    repo = make_repo(tmp_path, {"README.md": "# m\n", "pyproject.toml": '[project]\nname = "m"\n'})
    git.Repo(repo).create_tag("nightly")  # not a version
    assert finding_tuples(lint(repo, select=["REL002"])) == [("REL002", None, None)]


# --- REL003 / REL004 / REL005 --------------------------------------------------------------


@pytest.mark.parametrize("name", ["CHANGELOG.md", "NEWS.rst", "HISTORY", "docs/changelog.md", "RELEASE_NOTES.md", "CHANGES.txt"])
def test_rel003_changelog_names(tmp_path, name):
    assert finding_tuples(lint(make_repo(tmp_path, {name: "# 1.0\n"}), select=["REL003"])) == []


@pytest.mark.parametrize("name", ["changelog.py", "src/CHANGELOG.md", "docs/releasing.md"])
def test_rel003_look_alikes(tmp_path, name):
    assert finding_tuples(lint(make_repo(tmp_path, {name: "x\n"}), select=["REL003"])) == [("REL003", None, None)]


@pytest.mark.parametrize("files", [
    {"CITATION.cff": CFF.format(version="1.0")},
    {"CITATION.bib": "@misc{m, title={M}}\n"},
    {"README.md": "# m\n\n## Citation\n\n```bibtex\n@article{lab2024,\n  title={M}\n}\n```\n"},
    {"README.md": "# m\n\n    @inproceedings{lab2024,\n      title={M}}\n"},
])
def test_rel004_citation_forms(tmp_path, files):
    assert finding_tuples(lint(make_repo(tmp_path, files), select=["REL004"])) == []


def test_rel004_fires_without_citation(tmp_path):
    repo = make_repo(tmp_path, {"README.md": "# m\n\n## Citation\n\nPlease cite our paper (coming soon). Email me@x.org\n"})
    assert finding_tuples(lint(repo, select=["REL004"])) == [("REL004", None, None)]


def test_rel005_invalid_yaml_and_missing_keys(tmp_path):
    broken = make_repo(tmp_path / "a", {"CITATION.cff": 'cff-version: 1.2.0\nmessage: "x"\ntitle: [unclosed\nauthors:\n  - name: L\n'})
    result = lint(broken, select=["REL005"])
    assert finding_tuples(result) == [("REL005", "CITATION.cff", 3)]
    assert "not valid YAML" in result.findings[0].message
    missing = make_repo(tmp_path / "b", {"CITATION.cff": 'cff-version: 1.2.0\ntitle: "M"\nauthors: []\n'})
    result = lint(missing, select=["REL005"])
    assert finding_tuples(result) == [("REL005", "CITATION.cff", 1), ("REL005", "CITATION.cff", 3)]
    assert [f.message for f in result.findings] == [
        "CITATION.cff: lacks the required key message", "CITATION.cff: authors: needs at least 1 item"]


def test_rel005_silent_on_valid_cff(tmp_path):
    assert finding_tuples(lint(make_repo(tmp_path, {"CITATION.cff": CFF.format(version="1.0")}), select=["REL005"])) == []


def test_an_overlong_tag_names_no_version():
    from release_lint.detectors.gitstate import version_from_tag

    assert version_from_tag("v1" + ".1" * 60) is None  # over the 100-character bound: no version, and no backtracking
    assert version_from_tag("release-" + "1." * 40 + "0") == "1." * 40 + "0"
