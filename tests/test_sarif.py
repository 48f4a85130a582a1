"""`--format sarif`: every document validates against the OASIS SARIF 2.1.0 schema, every enabled
rule is described, repository-level findings get a real location, fingerprints ignore lines."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest

from release_lint.api import lint
from release_lint.config import parse_table
from release_lint.detectors.files import is_license_name
from release_lint.findings import Finding, InternalError, Result
from release_lint.formats import sarif
from release_lint.registry import all_rules, get_rule
from tests.conftest import FIXTURES, TEST_DATA, copy_fixture, make_repo


SCHEMA_PATH = TEST_DATA / "sarif" / "sarif-schema-2.1.0.json"
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
        if path.name.upper().startswith(("LICENSE", "README")) or is_license_name(path.name):  # "X LICENSE AGREEMENT"
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


# --- where alerts land, and how many --------------------------------------------------------------

PICKLE = b"\x80\x02N."


def uris(document, code=None):
    return [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]
            if code is None or r["ruleId"] == code]


def test_a_subfolder_run_names_files_from_the_repository_root(validator, tmp_path, cli):
    repo = make_repo(tmp_path / "repo", {
        "README.md": "# Models\n",
        "models/pebble/README.md": "---\nlicense: mit\n---\n# Pebble\n",
        "models/pebble/model.pkl": PICKLE,
    })
    sub = repo / "models" / "pebble"
    document = validated(validator, sarif.to_document(lint(str(sub), select=["LIC001", "ART001"])))
    assert sorted(uris(document)) == ["models/pebble/README.md", "models/pebble/model.pkl"]
    assert document["runs"][0]["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repo.resolve().as_uri() + "/"}}
    # The same from the CLI, and from a tag read out of git objects.
    git_repo = __import__("git").Repo(repo)
    git_repo.create_tag("v1")
    for extra in ((), ("--rev", "v1")):
        out = tmp_path / "out.sarif"
        cli("--format", "sarif", "--output-file", out, "--select", "ART001", *extra, sub)
        assert uris(validated(validator, json.loads(out.read_text(encoding="utf-8")))) == ["models/pebble/model.pkl"]


def test_uris_are_percent_encoded_uri_references(validator, tmp_path):
    names = ["my model.pkl", "weights#1.pkl", "%41.pkl", "a?b.pkl", "A.pkl", "c:d.pkl", "ünï.pkl"]
    repo = make_repo(tmp_path / "repo", {name: PICKLE for name in names}, commit=False)  # GitPython refuses c:d.pkl
    document = validated(validator, sarif.to_document(lint(str(repo), select=["ART001"])))
    assert sorted(uris(document)) == sorted([
        "my%20model.pkl", "weights%231.pkl", "%2541.pkl", "a%3Fb.pkl", "A.pkl", "c%3Ad.pkl", "%C3%BCn%C3%AF.pkl"])


def test_category_only_when_asked(validator, cli, empty_repo, tmp_path):
    assert "automationDetails" not in sarif.to_document(lint(str(empty_repo), select=["LIC001"]))["runs"][0]
    out = tmp_path / "out.sarif"
    cli("--format", "sarif", "--output-file", out, "--sarif-category", "release-lint/models", "--select", "LIC001",
        empty_repo)
    run = validated(validator, json.loads(out.read_text(encoding="utf-8")))["runs"][0]
    assert run["automationDetails"] == {"id": "release-lint/models/"}


def test_security_rules_and_precision(validator, empty_repo):
    document = validated(validator, sarif.to_document(lint(str(empty_repo)), rules=all_rules()))
    descriptors = {d["id"]: d["properties"] for d in document["runs"][0]["tool"]["driver"]["rules"]}
    assert {code for code, props in descriptors.items() if "security-severity" in props} == {"ART002", "ART007"}
    assert {code for code, props in descriptors.items() if "security" in props["tags"]} == {"ART002", "ART007"}
    assert descriptors["ART002"]["security-severity"] == "9.3" and descriptors["ART007"]["security-severity"] == "8.8"
    assert all(props["precision"] in ("very-high", "high", "medium", "low") for props in descriptors.values())
    assert (descriptors["LIC001"]["precision"], descriptors["HW003"]["precision"], descriptors["LIC002"]["precision"]) == (
        "very-high", "medium", "high")


def _many(code: str, severity: str, count: int, name: str = "x"):
    return [Finding(code=code, name=name, severity=severity, area="artifacts", message=f"{code} on f{i:05}.pkl",
                    path=f"f{i:05}.pkl", key=f"f{i:05}.pkl") for i in range(count)]


def test_one_rule_on_many_files_is_merged_beyond_the_threshold(validator, tmp_path):
    repo = make_repo(tmp_path / "repo", {f"shard-{i:03}.pkl": PICKLE for i in range(sarif.MERGE_AFTER + 20)})
    document = validated(validator, sarif.to_document(lint(str(repo), select=["ART001"])))
    results = document["runs"][0]["results"]
    assert len(results) == sarif.MERGE_AFTER
    merged = results[-1]
    assert merged["message"]["text"].startswith(
        "21 findings of ART001 merged into one result (--format json lists each): shard-099.pkl, shard-100.pkl, ")
    assert "shard-118.pkl and 1 more. The first: shard-099.pkl is a pickle stream" in merged["message"]["text"]
    assert merged["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "shard-099.pkl"
    assert merged["partialFingerprints"]["releaseLint/v1"] == "ART001::merged"
    notes = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == [
        "ART001: 120 findings; the first 99 are results of their own, the other 21 are merged into one result "
        "(--format json lists every finding)."]


def test_results_are_capped_most_severe_first_with_a_notification(validator):
    findings = _many("ART005", "info", 30) + _many("ART001", "warning", 30) + [
        Finding(code="LIC001", name="license-file-missing", severity="error", area="licensing", message="no licence")]
    result = Result(root="/repo", findings=findings, rules_run=["LIC001", "ART001", "ART005"])
    document = validated(validator, sarif.to_document(result, max_results=40))
    results = document["runs"][0]["results"]
    assert len(results) == 40
    assert [r["ruleId"] for r in results] == ["LIC001"] + ["ART001"] * 30 + ["ART005"] * 9
    notes = [n["message"]["text"] for n in document["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    assert notes == ["21 findings were left out to keep the run at GitHub's limit of 25000 results, the least severe "
                     "first: ART005 (21) (--format json lists every finding)."]
    # Without a cap, nothing is cut and every finding has its result.
    assert len(sarif.to_document(result)["runs"][0]["results"]) == 61
