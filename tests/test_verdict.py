"""The openness verdict: area grades, MOF class, OSAID checklist, the MOF self-assessment and profiles."""

from __future__ import annotations

import json
import re
import shutil

import jsonschema
import pytest
import yaml

from release_lint import lint
from release_lint.profiles import PROFILES, profile_severities
from release_lint.openness.frameworks import COMPONENTS
from tests.conftest import FIXTURES, TEST_DATA, copy_fixture, make_repo

MOF_SCHEMA = json.loads((TEST_DATA / "mot" / "mof_schema.json").read_text(encoding="utf-8"))


def openness(path):
    return lint(path).extra["openness"]


def grades(verdict):
    return {name: area["grade"] for name, area in verdict["areas"].items()}


def test_weights_only_is_open_weights_not_open_source(tmp_path):
    verdict = openness(copy_fixture("weights-only", tmp_path / "r"))
    assert grades(verdict) == {"licensing": "present", "data": "absent", "recipe": "absent",
                               "environment": "absent", "infrastructure": "absent"}
    mof = verdict["mof"]
    assert mof["class"] == "Unclassified"
    assert mof["next"] == {"class": "Class III - Open Model", "met": 3, "required": 6, "percent": 50,
                           "missing": ["Evaluation results", "Data card", "Technical report"]}
    osaid = verdict["osaid"]
    assert osaid["meets"] is False
    assert osaid["verdict"].startswith("open weights, not open source: data information: no data documentation")
    assert [(r["requirement"], r["met"]) for r in osaid["requirements"]] == [
        ("data information", False), ("code", False), ("parameters", True)]


def test_fully_open_reaches_class_one_and_meets_osaid(tmp_path):
    verdict = openness(copy_fixture("fully-open", tmp_path / "r"))
    assert set(grades(verdict).values()) == {"present"}
    assert verdict["mof"]["class"] == "Class I - Open Science"
    assert verdict["mof"]["next"] is None
    assert all(c["counts"] for c in verdict["mof"]["components"] if c["name"] != "Sample model outputs")
    assert verdict["osaid"] == {
        "definition": "OSI Open Source AI Definition 1.0", "meets": True,
        "verdict": "meets the OSI Open Source AI Definition 1.0",
        "requirements": verdict["osaid"]["requirements"]}
    assert all(r["met"] for r in verdict["osaid"]["requirements"])
    # Evidence points at real files and lines.
    assert verdict["areas"]["recipe"]["evidence"][0] == "train.py"
    assert "configs/train.yaml:7" in verdict["areas"]["recipe"]["evidence"]
    assert verdict["areas"]["infrastructure"]["evidence"][0].startswith("README.md:18 accelerator: NVIDIA A100")


def test_llama_style_licence_with_full_code_is_unclassified(tmp_path):
    verdict = openness(copy_fixture("llama-style-licence", tmp_path / "r"))
    components = {c["name"]: c for c in verdict["mof"]["components"]}
    weights = components["Model parameters (Final)"]
    assert weights["present"] and not weights["license_open"] and not weights["counts"]
    assert weights["license"] == "LicenseRef-scancode-llama-3.1-license-2024"
    assert components["Training code"]["present"]
    assert verdict["mof"]["class"] == "Unclassified"
    assert "Model parameters (Final)" in verdict["mof"]["next"]["missing"]
    assert verdict["osaid"]["verdict"].startswith("open weights, not open source:")
    assert "parameters: parameters are not under OSI-approved terms (LicenseRef-scancode-llama-3.1-license-2024)" in verdict["osaid"]["verdict"]
    assert grades(verdict)["licensing"] == "partial"


def _fully_open_variant(tmp_path, edit):
    root = tmp_path / "r"
    shutil.copytree(FIXTURES / "fully-open", root)
    edit(root)
    return make_repo(root)


def test_class_two_without_intermediate_checkpoints(tmp_path):
    def drop_checkpoints(root):
        card = (root / "README.md").read_text(encoding="utf-8")
        start = card.index("## Intermediate checkpoints")
        (root / "README.md").write_text(card[:start] + card[card.index("## Checksums"):], encoding="utf-8")
        config = (root / "configs" / "train.yaml").read_text(encoding="utf-8")
        (root / "configs" / "train.yaml").write_text(config.replace("  checkpoint_every: 250\n", ""), encoding="utf-8")

    verdict = openness(_fully_open_variant(tmp_path, drop_checkpoints))
    assert verdict["mof"]["class"] == "Class II - Open Tooling"
    assert verdict["mof"]["next"]["missing"] == ["Model parameters (Intermediate)"]


def test_research_paper_stands_in_for_the_technical_report(tmp_path):
    def no_report_wording(root):
        card = (root / "README.md").read_text(encoding="utf-8")
        (root / "README.md").write_text(card.replace("Technical report: ", "Paper: "), encoding="utf-8")

    verdict = openness(_fully_open_variant(tmp_path, no_report_wording))
    assert verdict["mof"]["class"] == "Class I - Open Science"


def test_partial_recipe_and_infrastructure(tmp_path):
    repo = make_repo(tmp_path, {
        "README.md": "# Tiny\n\nTrained on 8 NVIDIA H100 GPUs.\n\nRun `python train.py`.\n",
        "LICENSE": (FIXTURES / "fully-open" / "LICENSE").read_text(),
        "train.py": "import torch\nopt = torch.optim.AdamW(model.parameters())\nloss.backward()\nopt.step()\n",
    })
    verdict = openness(repo)
    assert grades(verdict)["recipe"] == "partial"
    assert [c["check"] for c in verdict["areas"]["recipe"]["checks"] if not c["passed"]] == ["hyperparameters", "evaluation code"]
    assert grades(verdict)["infrastructure"] == "partial"
    assert [c["check"] for c in verdict["areas"]["infrastructure"]["checks"] if not c["passed"]] == ["compute budget"]


def test_text_output_shows_the_verdict_after_the_findings(cli, tmp_path):
    repo = copy_fixture("weights-only", tmp_path / "r")
    output = cli("--no-color", "--output-format", "full", repo).output.splitlines()
    start = output.index("Openness")
    assert output[start + 1:start + 8] == [
        "  licensing       present",
        "  data            absent",
        "  recipe          absent",
        "  environment     absent",
        "  infrastructure  absent",
        "  Model Openness Framework: Unclassified; towards Class III - Open Model: 3/6 required components "
        "(missing or not openly licensed: Evaluation results, Data card, Technical report)",
        output[start + 7],
    ]
    assert output[start + 7].startswith("  OSI Open Source AI Definition: open weights, not open source: ")
    assert "Openness" not in cli("--select", "LIC", repo).output  # a narrowed run gives no verdict


def test_json_and_markdown_carry_the_verdict(cli, tmp_path):
    repo = copy_fixture("fully-open", tmp_path / "r")
    document = json.loads(cli("--format", "json", repo).output)
    assert set(document["openness"]) == {"areas", "mof", "osaid"}
    assert document["openness"]["areas"]["licensing"]["grade"] == "present"
    markdown = cli("--format", "markdown", repo).output
    assert "| licensing | present | - |" in markdown
    assert "**Model Openness Framework:** Class I - Open Science" in markdown


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_mof_self_assessment_validates_against_the_tool_schema(cli, tmp_path, name):
    repo = copy_fixture(name, tmp_path / name)
    output = cli("--format", "mof", repo).output
    document = yaml.safe_load(output)
    jsonschema.Draft7Validator(MOF_SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["framework"] == {"name": "Model Openness Framework", "version": "1.0", "date": "2024-12-15"}
    names = {c.name for c in COMPONENTS}
    assert all(c["name"] in names for c in document["release"]["components"])
    assert output.startswith("# Model Openness Framework self-assessment written by release-lint")


def test_mof_self_assessment_of_the_fully_open_fixture(cli, tmp_path):
    document = yaml.safe_load(cli("--format", "mof", copy_fixture("fully-open", tmp_path / "r")).output)
    release = document["release"]
    assert (release["name"], release["version"], release["producer"]) == ("Pebble-33M", "1.0.0", "Example Lab")
    assert release["license"]["code"] == {"name": "Apache-2.0", "path": "LICENSE"}
    components = {c["name"]: c for c in release["components"]}
    assert len(components) == 16  # every component but sample outputs
    assert components["Training code"] == {"name": "Training code", "description": "Code used for training the model",
                                           "license": "Apache-2.0", "license_path": "LICENSE", "component_path": "train.py"}
    assert components["Datasets"]["license"] == "CDLA-Sharing-1.0 AND ODC-By-1.0"


def test_profile_turns_required_rules_into_errors(cli, tmp_path):
    repo = copy_fixture("weights-only", tmp_path / "r")
    severities = {f.code: f.severity for f in lint(repo)}
    assert severities["CARD005"] == "warning" and severities["CARD006"] == "info"
    from release_lint.config import Config

    raised = {f.code: f.severity for f in lint(repo, config=Config(profile="mof-class-3"))}
    assert raised["CARD005"] == "error" and raised["CARD006"] == "error"
    assert raised["COMM001"] == "warning"  # not part of the target
    # An explicit severity still wins over the profile.
    kept = {f.code: f.severity for f in lint(repo, config=Config(profile="mof-class-3", severity={"CARD006": "info"}))}
    assert kept["CARD006"] == "info"
    # Through the CLI and the configuration file.
    result = cli("--profile", "mof-class-3", "--fail-on", "error", "--select", "CARD006", "--verbose", repo)
    assert result.exit_code == 1 and "CARD006 [error]" in result.output
    (repo / ".release-lint.toml").write_text('profile = "osaid"\n')
    assert "TRAIN001 [error]" in cli("--select", "TRAIN001", "--verbose", repo).output
    (repo / ".release-lint.toml").write_text('profile = "mof-class-4"\n')
    bad = cli(repo)
    assert bad.exit_code == 2
    assert "profile: unknown profile 'mof-class-4' (choose from: mof-class-3, mof-class-2, mof-class-1, osaid, bom)" in bad.output


def test_profiles_are_cumulative_and_listed(cli):
    three, two, one = (set(profile_severities(p)) for p in ("mof-class-3", "mof-class-2", "mof-class-1"))
    assert three < two < one
    listed = cli("--list-profiles").output
    for name in PROFILES:
        assert re.search(rf"^{name}$", listed, re.MULTILINE)


def test_licensing_is_absent_without_licence_file_or_declaration(tmp_path):
    """LIC005 is silent when there is no card: that silence is not a licence declared."""
    empty = make_repo(tmp_path / "empty", {"notes.txt": "weights elsewhere\n"})
    assert grades(openness(empty))["licensing"] == "absent"
    card_only = make_repo(tmp_path / "card", {"README.md": "---\nlicense: apache-2.0\n---\n# M\n",
                                              "model.safetensors": (FIXTURES / "weights-only" / "model.safetensors").read_bytes()})
    verdict = openness(card_only)
    assert grades(verdict)["licensing"] == "partial"
    assert [c["check"] for c in verdict["areas"]["licensing"]["checks"] if not c["passed"]] == ["licence file at the root"]


def test_a_silent_rule_with_nothing_to_judge_is_not_applicable_not_a_pass(tmp_path):
    """LIC005 is silent both when the card declares a licence and when there is no card licence to judge (a code
    repository's README): only the first is a pass; the second leaves the check out of the licensing grade."""
    from release_lint.config import Config
    from release_lint.openness.evaluator import Evaluator, Outcome
    from release_lint.repo import Repo

    card_check = "licence declared in the model card"
    cases = {
        "code-readme": ("# tool\n\nA training library.\n", Outcome.NOT_APPLICABLE),
        "card-with-licence": ("---\nlicense: mit\n---\n# model\n", Outcome.PASS),
        "card-without-licence": ("---\nlanguage: en\n---\n# model\n", Outcome.FAIL),
    }
    for name, (readme, expected) in cases.items():
        root = make_repo(tmp_path / name, {"README.md": readme, "LICENSE": "MIT License\n"})
        assert Evaluator(Repo(str(root)), Config()).outcome("LIC005") is expected, name
        checks = {c["check"]: c["passed"] for c in openness(str(root))["areas"]["licensing"]["checks"]}
        if expected is Outcome.NOT_APPLICABLE:
            assert card_check not in checks
        else:
            assert checks[card_check] is (expected is Outcome.PASS)
