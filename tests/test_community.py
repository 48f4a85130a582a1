"""COMM001-COMM004: contributing guide, issue channel, code of conduct, security policy."""

from __future__ import annotations

import pytest

from release_lint import lint
from tests.conftest import copy_fixture, finding_tuples, make_repo

COMM = ["COMM"]


def test_fixtures_community(tmp_path):
    assert finding_tuples(lint(copy_fixture("weights-only", tmp_path / "w"), select=COMM)) == [
        ("COMM001", None, None), ("COMM002", None, None), ("COMM003", None, None), ("COMM004", None, None),
    ]
    assert finding_tuples(lint(copy_fixture("fully-open", tmp_path / "f"), select=COMM)) == []


@pytest.mark.parametrize("folder", ["", ".github/", "docs/"])
def test_health_files_where_github_looks(tmp_path, folder):
    repo = make_repo(tmp_path, {
        "README.md": "# m\n",
        f"{folder}CONTRIBUTING.rst": "How to contribute\n",
        f"{folder}code_of_conduct.md": "Be kind\n",
        f"{folder}SECURITY.md": "Report to security@example.org\n",
        ".github/ISSUE_TEMPLATE/bug.yml": "name: Bug\n",
    })
    assert finding_tuples(lint(repo, select=COMM)) == []


def test_look_alike_names_do_not_count(tmp_path):
    repo = make_repo(tmp_path, {
        "README.md": "# m\n\nWe track issues internally. See the issues section below.\n",
        "src/CONTRIBUTING.md": "nested too deep\n",
        "CONTRIBUTORS.md": "Alice\n",
        "docs/conduct-notes.md": "x\n",
        "security_utils.py": "x = 1\n",
        ".github/workflows/issues.yml": "on: issues\n",
    })
    assert finding_tuples(lint(repo, select=COMM)) == [
        ("COMM001", None, None), ("COMM002", None, None), ("COMM003", None, None), ("COMM004", None, None),
    ]


@pytest.mark.parametrize("readme", [
    "Report bugs at https://github.com/org/model/issues.\n",
    "Questions: https://huggingface.co/org/model/discussions\n",
    "Join us on https://discord.gg/abcdef\n",
    "Bugs: <https://gitlab.com/org/model/-/issues>\n",
])
def test_comm002_issue_links(tmp_path, readme):
    repo = make_repo(tmp_path, {"README.md": "# m\n\n" + readme})
    assert ("COMM002", None, None) not in finding_tuples(lint(repo, select=COMM))
