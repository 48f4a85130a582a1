"""LIC001 and CARD001: each fires where it should and stays silent where it should not."""

from __future__ import annotations

import pytest

from release_lint import lint
from tests.conftest import copy_fixture, finding_tuples, make_repo

CORE = ["LIC001", "CARD001"]


@pytest.mark.parametrize("name", ["LICENSE", "LICENCE.md", "license.txt", "COPYING", "LICENSE-MODEL", "LICENSE_CODE.txt",
                                  "MODEL-LICENSE", "UNLICENSE", "LICENSES/Apache-2.0.txt"])
def test_licence_file_names_satisfy_lic001(tmp_path, name):
    make_repo(tmp_path, {name: "licence text\n", "README.md": "# m\n"})
    assert finding_tuples(lint(tmp_path, select=CORE)) == []


@pytest.mark.parametrize("name", ["docs/LICENSE", "license_check.sh.bak/x", "licensing-notes.txt", "LICENSES.md.d/x"])
def test_lic001_fires_without_a_root_licence(tmp_path, name):
    make_repo(tmp_path, {name: "text\n", "README.md": "# m\n"})
    assert finding_tuples(lint(tmp_path, select=CORE)) == [("LIC001", None, None)]


@pytest.mark.parametrize("name", ["README.md", "readme.md", "MODEL_CARD.md", "model_card.md", "docs/model_card.md"])
def test_model_card_locations_satisfy_card001(tmp_path, name):
    make_repo(tmp_path, {name: "# Model\n", "LICENSE": "MIT\n"})
    assert finding_tuples(lint(tmp_path, select=CORE)) == []


@pytest.mark.parametrize("name", ["README.rst", "docs/README.md", "notes/model_card.md"])
def test_card001_fires_without_a_card(tmp_path, name):
    make_repo(tmp_path, {name: "# Model\n", "LICENSE": "MIT\n"})
    assert finding_tuples(lint(tmp_path, select=CORE)) == [("CARD001", None, None)]


@pytest.mark.parametrize("fixture", ["weights-only", "fully-open"])
def test_fixtures_have_licence_and_card(tmp_path, fixture):
    repo = copy_fixture(fixture, tmp_path / fixture)
    assert finding_tuples(lint(repo, select=CORE)) == []
