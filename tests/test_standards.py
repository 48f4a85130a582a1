"""Standards checked with their own tools: SPDX licence expressions parsed by license-expression (LIC008)
and CITATION.cff validated against the official CFF 1.2.0 JSON schema (REL005)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from release_lint import lint
from tests.conftest import finding_tuples, make_repo

MIT = (Path(__file__).parent / "data" / "licenses" / "mit.txt").read_text(encoding="utf-8")


# --- LIC008: SPDX expression grammar -----------------------------------------------------


@pytest.mark.parametrize("expression, problem", [
    ("MIT AND", "AND needs a licence on each side"),
    ("(MIT", "1 '(' never closed"),
    ("MIT OR Apache-2.0)", "the ')' at character 18 closes no '('"),
    ("GPL-2.0-only WITH Made-Up-Exception", "'Made-Up-Exception' after WITH is not an SPDX licence exception"),
    ("MIT OR OR Apache-2.0", "'OR' stands where a licence id is expected"),
    ("MIT Apache-2.0", "'Apache-2.0' follows another licence id without AND, OR or WITH between them"),
    ("Classpath-exception-2.0", "'Classpath-exception-2.0' is a licence exception, which may only follow WITH"),
    ("GPL-2.0-only WITH", "WITH has no exception after it"),
])
def test_lic008_expression_syntax_errors_are_reported_exactly(tmp_path, expression, problem):
    make_repo(tmp_path, {"LICENSE": MIT, "pyproject.toml": f'[project]\nname = "m"\nlicense = "{expression}"\n'})
    result = lint(tmp_path, select=["LIC008"])
    assert finding_tuples(result) == [("LIC008", "pyproject.toml", 3)]
    assert result.findings[0].message == (
        f"pyproject.toml project.license: {expression!r} is not a valid SPDX licence expression: {problem}")


def test_lic008_silent_on_valid_expressions_with_exceptions_and_refs(tmp_path):
    make_repo(tmp_path, {
        "LICENSE": MIT,
        "pyproject.toml": '[project]\nname = "m"\nlicense = "(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0"\n',
        "package.json": json.dumps({"name": "m", "license": "Apache-2.0 WITH LLVM-exception OR LicenseRef-pebble"}),
        "CITATION.cff": "cff-version: 1.2.0\nlicense: BSD-3-Clause\n",
    })
    assert finding_tuples(lint(tmp_path, select=["LIC008"])) == []


# --- REL005: the CFF 1.2.0 schema --------------------------------------------------------

# Six schema errors of the kinds real CITATION.cff files carry: a misspelt key, an ORCID without its URL,
# an impossible date, a "doi:" prefix, a licence that is no SPDX id, an author given by a bare "name".
SIX_ERRORS = """\
cff-version: 1.2.0
message: "If you use this model, please cite it."
title: Pebble 33M
authors:
  - family-names: Doe
    given-names: Jane
    orcid: 0000-0001-2345-6789
  - name: Pebble Lab
    website: 42
date-released: "2024-13-01"
doi: "doi:10.5281/zenodo.1234567"
licence: Apache-2.0
license: Apache 2
"""


def test_rel005_reports_every_schema_error_with_its_key_and_line(tmp_path):
    result = lint(make_repo(tmp_path, {"CITATION.cff": SIX_ERRORS}), select=["REL005"])
    assert finding_tuples(result) == [("REL005", "CITATION.cff", line) for line in (7, 9, 10, 11, 12, 13)]
    assert [f.message for f in result.findings] == [
        "CITATION.cff: authors[0].orcid: '0000-0001-2345-6789' does not match the pattern "
        "https://orcid\\.org/[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]{1}",
        "CITATION.cff: authors[1].website: 42 is not of type string",
        "CITATION.cff: date-released: '2024-13-01' does not match the pattern "
        "^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$",
        "CITATION.cff: doi: 'doi:10.5281/zenodo.1234567' does not match the pattern "
        "^10\\.\\d{4,9}(\\.\\d+)?/[A-Za-z0-9:/_;\\-\\.\\(\\)\\[\\]\\\\]+$",
        "CITATION.cff: 'licence' is not a key of CFF 1.2.0 here",
        "CITATION.cff: license: 'Apache 2' is not one of '0BSD', 'AAL', 'Abstyles', 'Adobe-2006', 'Adobe-Glyph', "
        "'ADSL', 'AFL-1.1', 'AFL-1.2', …",
    ]


def test_rel005_silent_on_a_complete_real_shaped_citation(tmp_path):
    valid = """\
cff-version: 1.2.0
message: "If you use this model, please cite it as below."
type: software
title: "Pebble 33M: a small language model"
version: 1.0
date-released: 2024-05-17
doi: 10.5281/zenodo.1234567
license: Apache-2.0
repository-code: "https://github.com/example-lab/pebble"
keywords: [language model, open weights]
authors:
  - family-names: Doe
    given-names: Jane
    orcid: "https://orcid.org/0000-0001-2345-6789"
    affiliation: Example Lab
  - name: Example Lab
    website: "https://example.org"
identifiers:
  - type: doi
    value: 10.5281/zenodo.1234567
  - type: url
    value: "https://huggingface.co/example-lab/pebble-33m"
preferred-citation:
  type: article
  title: "Pebble: small models, open recipes"
  authors:
    - family-names: Doe
      given-names: Jane
  journal: "Journal of Open Models"
  year: 2024
"""
    assert finding_tuples(lint(make_repo(tmp_path, {"CITATION.cff": valid}), select=["REL005"])) == []


def test_rel005_caps_a_file_wrong_everywhere_and_notes_the_rest(tmp_path):
    keys = "".join(f"unknown-key-{i}: x\n" for i in range(30))
    cff = 'cff-version: 1.2.0\nmessage: m\ntitle: t\nauthors:\n' + "".join(f"  - nickname: n{i}\n" for i in range(30)) + keys
    result = lint(make_repo(tmp_path, {"CITATION.cff": cff}), select=["REL005"])
    assert len(result.findings) == 20
    assert [f.line for f in result.findings] == list(range(5, 25))
    assert result.notes == ["CITATION.cff: 11 more CFF schema errors not reported"]


def test_rel005_judges_an_earlier_cff_version_by_the_keys_every_version_requires(tmp_path):
    # CFF 1.1.0 files (common in older releases) are not 1.2.0 files: the 1.2.0 schema would reject their
    # cff-version alone. They are held to the keys every version requires.
    old = ("cff-version: 1.1.0\nmessage: If you use this software, please cite it as below.\n"
           "title: pebble\nauthors:\n  - family-names: Doe\n    given-names: Jane\nversion: 1.0\n"
           "date-released: 2021-05-01\n")
    make_repo(tmp_path / "ok", {"CITATION.cff": old})
    make_repo(tmp_path / "no-title", {"CITATION.cff": old.replace("title: pebble\n", "")})
    make_repo(tmp_path / "new", {"CITATION.cff": old.replace("1.1.0", "1.2.0") + "notes: draft\n"})
    assert finding_tuples(lint(tmp_path / "ok", select=["REL005"])) == []
    assert finding_tuples(lint(tmp_path / "no-title", select=["REL005"])) == [("REL005", "CITATION.cff", 1)]
    # Declaring 1.2.0, the file is held to the 1.2.0 schema, whose keys are a fixed set.
    assert finding_tuples(lint(tmp_path / "new", select=["REL005"])) == [("REL005", "CITATION.cff", 9)]
