"""`--format sarif`: every document validates against the OASIS SARIF 2.1.0 schema, every enabled
rule is described, repository-level findings get a real location, fingerprints ignore lines."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest

from release_lint.api import lint
from release_lint.config import parse_table
from release_lint.findings import Finding, InternalError, Result
from release_lint.formats import sarif
from release_lint.registry import all_rules, get_rule
from tests.conftest import FIXTURES, SHARED_REFERENCE, copy_fixture, make_repo


SCHEMA_PATH = SHARED_REFERENCE / "sarif" / "sarif-schema-2.1.0.json"
FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def validated(validator, document: dict) -> dict:
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    return document


def results_by_rule(document):
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    return {rules[r["ruleIndex"]]["id"]: r for r in run["results"]}


def test_the_schema_rejects_what_it_should(validator, empty_repo):
    # The oracle is real: a result without a message, or a line 0, is refused.
    document = sarif.to_document(lint(str(empty_repo), select=["LIC001"]))
    del document["runs"][0]["results"][0]["message"]
    assert list(validator.iter_errors(document))
    document = sarif.to_document(lint(str(empty_repo), select=["LIC001"]))
    document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert list(validator.iter_errors(document))


@pytest.fixture
def empty_repo(tmp_path):
    """A release with neither licence nor card: LIC001 and CARD001 fire."""
    return make_repo(tmp_path / "empty", {"notes.txt": "weights are elsewhere\n"})


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_every_fixture_gives_a_valid_document_describing_every_enabled_rule(validator, tmp_path, name):
    repo = copy_fixture(name, tmp_path / name)
    result = lint(str(repo))  # every rule
    document = validated(validator, json.loads(sarif.render(result)))
    run = document["runs"][0]
    described = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert described == result.rules_run and set(described) >= {"LIC001", "CARD001"}
    for descriptor in run["tool"]["driver"]["rules"]:
        rule = get_rule(descriptor["id"])
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.rationale[:1024] or len(rule.rationale) > 1024
        assert descriptor["helpUri"] == rule.doc_url
        assert rule.fix.splitlines()[0] in descriptor["help"]["text"]
        assert rule.fix.splitlines()[0] in descriptor["help"]["markdown"]
        assert descriptor["defaultConfiguration"]["level"] == sarif.LEVELS[rule.severity]
    for item in run["results"]:
        assert run["tool"]["driver"]["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
    assert len(run["results"]) == len(result.findings)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixtures_stripped_of_card_and_licence_anchor_repository_findings(validator, tmp_path, name):
    repo = tmp_path / name
    shutil.copytree(FIXTURES / name, repo)
    for path in list(repo.iterdir()):
        if path.name.upper().startswith(("LICENSE", "README")):
            path.unlink()
    make_repo(repo)
    document = validated(validator, sarif.to_document(lint(str(repo), select=["LIC001", "CARD001"])))
    found = results_by_rule(document)
    assert sorted(found) == ["CARD001", "LIC001"]
    # No card or README left: anchored on pyproject.toml when there is one, else on README.md,
    # the file the fix creates.
    anchor = "pyproject.toml" if (repo / "pyproject.toml").exists() else "README.md"
    for item in found.values():
        assert item["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": anchor, "uriBaseId": "%SRCROOT%"}
        assert item["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
        assert f"concerns the repository as a whole; it is shown on {anchor}" in item["message"]["text"]
        assert item["level"] == "error"


def test_repository_findings_are_anchored_on_the_model_card_else_pyproject(validator, tmp_path):
    card = make_repo(tmp_path / "card", {"MODEL_CARD.md": "# M\n", "pyproject.toml": "[project]\nname='m'\n"})
    location = results_by_rule(validated(validator, sarif.to_document(lint(str(card), select=["LIC001"]))))["LIC001"]
    assert location["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "MODEL_CARD.md"
    project = make_repo(tmp_path / "project", {"pyproject.toml": "[project]\nname='m'\n"})
    found = results_by_rule(validated(validator, sarif.to_document(lint(str(project), select=["LIC001", "CARD001"]))))
    assert {code: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for code, r in found.items()} == {
        "LIC001": "pyproject.toml", "CARD001": "pyproject.toml"}


def synthetic(line: int, key: str = "README.md#training-data") -> Result:
    rule = get_rule("CARD001")
    findings = [
        Finding(code="CARD001", name=rule.name, severity="warning", area="card", message="section missing: a, b",
                path="README.md", line=line, fix=rule.fix, key=key),
        Finding(code="LIC001", name="license-file-missing", severity="info", area="licensing",
                message="file-level", path="weights/LICENSE", line=None, key="weights/LICENSE"),
    ]
    return Result(root="/repo", findings=findings, rules_run=["LIC001", "CARD001"],
                  internal_errors=[InternalError("LIC001", "license-file-missing", "ValueError: boom")])


def test_file_findings_fingerprints_and_internal_errors(validator):
    document = validated(validator, sarif.to_document(synthetic(line=12)))
    found = results_by_rule(document)
    card = found["CARD001"]
    assert card["level"] == "warning"
    assert card["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "README.md", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 12}}
    assert found["LIC001"]["level"] == "note"
    assert found["LIC001"]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    # The line moved: same alert. Another key: another alert.
    moved = results_by_rule(sarif.to_document(synthetic(line=40)))["CARD001"]
    assert moved["partialFingerprints"] == card["partialFingerprints"]
    other = results_by_rule(sarif.to_document(synthetic(line=12, key="README.md#evaluation")))["CARD001"]
    assert other["partialFingerprints"]["primaryLocationLineHash"] != card["partialFingerprints"]["primaryLocationLineHash"]
    assert card["partialFingerprints"]["releaseLint/v1"] == "CARD001:README.md:README.md#training-data"
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "ValueError: boom" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_configured_severity_is_the_default_level(validator, empty_repo):
    config = parse_table("pyproject.toml", {"severity": {"LIC001": "info"}})
    document = validated(validator, sarif.to_document(lint(str(empty_repo), config=config, select=["LIC001"]), config=config))
    run = document["runs"][0]
    assert run["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] == "note"
    assert run["results"][0]["level"] == "note"


def test_cli_writes_sarif_to_a_file_and_text_to_the_console(cli, validator, tmp_path, empty_repo):
    out = tmp_path / "out" / "release-lint.sarif"
    out.parent.mkdir()
    result = cli("--format", "sarif", "--output-file", out, "--verbose", "--select", "LIC001,CARD001", empty_repo)
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(".: CARD001 [error] no model card")
    assert result.output.splitlines()[-1] == "Found 2 findings: 2 errors, 0 warnings, 0 info."
    document = validated(validator, json.loads(out.read_text(encoding="utf-8")))
    assert sorted(results_by_rule(document)) == ["CARD001", "LIC001"]
    # Every enabled rule, even without findings: here all of them.
    everything = tmp_path / "all.sarif"
    cli("--format", "sarif", "--output-file", everything, empty_repo)
    rules = json.loads(everything.read_text(encoding="utf-8"))["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in all_rules()]  # a git repository: git rules run too
