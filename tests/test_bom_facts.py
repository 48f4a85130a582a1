"""BOM facts, the [bom] configuration table, REL006 bom-incomplete and the bom profile."""

from __future__ import annotations

import pytest

from release_lint import lint
from release_lint.config import ConfigError, load_config
from release_lint.detectors.bom import bom_facts, parse_energy
from release_lint.detectors.hyperparameters import HyperparameterKey
from release_lint.repo import Repo
from tests.conftest import copy_fixture, finding_tuples, make_repo

COMPLETE = ('[bom]\nsupplier = "Example Lab"\nrelease-time = 2024-06-01\n'
            'download-location = "https://huggingface.co/example-lab/pebble-33m"\n'
            'dataset-types = { "roneneldan/TinyStories" = "text", "HuggingFaceFW/fineweb-edu" = "text" }\n')


@pytest.mark.parametrize("text, expected", [
    ("Training used about 2,900 kWh, measured with CodeCarbon", [("energy", 2900.0, "kWh")]),
    ("| Energy | 1.5 MWh |", [("energy", 1500.0, "kWh")]),
    ("Carbon emitted: 12.5 tCO2eq", [("co2", 12.5, "tCO2eq")]),
    ("212 kg CO2eq on the French grid", [("co2", 0.212, "tCO2eq")]),
    ("CO2 emissions: 300 g", [("co2", 0.0003, "tCO2eq")]),
    ("no figures here", []),
])
def test_energy_statements_in_kwh_and_tco2eq(text, expected):
    assert [(k, pytest.approx(v), u) for k, v, u in parse_energy(text)] == expected


@pytest.mark.parametrize("name, text, expected", [
    ("learning_rate", "learning_rate: 6.0e-4", ("learning_rate", "6.0e-4")),
    ("learning_rate", "| learning rate | 6e-4, cosine schedule |", ("learning rate", "6e-4, cosine schedule")),
    ("batch_size", "--batch_size 128 \\", ("batch_size", "128")),
    ("seed", "split(test_size=0.1, shuffle=True, seed=42)", ("seed", "42")),
    ("optimizer", "optimizer:", None),
])
def test_hyperparameter_values(name, text, expected):
    assert HyperparameterKey(name, 1, text).value == expected


def test_facts_name_their_source_lines(tmp_path):
    root = copy_fixture("fully-open", tmp_path / "r")
    facts = bom_facts(Repo(str(root)))
    assert (facts.task.value, facts.task.where) == ("text-generation", "README.md:6")
    assert (facts.architecture.value, facts.architecture.where) == ("GPTNeoXForCausalLM", "config.json:2")
    assert [(d.name, d.role, d.line) for d in facts.datasets] == [
        ("roneneldan/TinyStories", "training", 8), ("HuggingFaceFW/fineweb-edu", "training", 9),
        ("roneneldan/TinyStories", "testing", 25)]
    assert [(m.type, m.line) for m in facts.metrics] == [("perplexity", 29), ("accuracy", 31)]
    assert facts.considerations["use_cases"].line == 50 and facts.considerations["out_of_scope"].line == 54
    assert [(e.kind, e.line, e.activity) for e in facts.energy] == [("co2", 13, "other"), ("energy", 107, "training"),
                                                                     ("co2", 107, "training")]


def test_bom_table_is_validated(tmp_path):
    cases = {
        "[bom]\nowner = 'x'\n": "bom.owner: unknown key",
        "[bom]\ndataset-types = { c4 = 'prose' }\n": "bom.dataset-types: expected a table of dataset name = type",
        "[bom]\nrelease-time = 'last spring'\n": "bom.release-time: expected an ISO 8601 date or date-time",
        "[bom]\nhash-max-bytes = -1\n": "bom.hash-max-bytes: expected a whole number of bytes >= 0",
        "[bom]\nsupplier = ''\n": "bom.supplier: expected a non-empty string",
        "bom = 3\n": "bom: expected a table",
    }
    for text, message in cases.items():
        (tmp_path / ".release-lint.toml").write_text(text)
        with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
            load_config(str(tmp_path))
    (tmp_path / ".release-lint.toml").write_text(COMPLETE)
    assert load_config(str(tmp_path)).bom["release-time"] == "2024-06-01"


def test_rel006_is_silent_unless_a_complete_bom_is_asked_for(tmp_path):
    root = copy_fixture("fully-open", tmp_path / "r")
    assert finding_tuples(lint(root, select=["REL006"])) == []


def test_bom_profile_turns_the_gaps_into_errors(tmp_path, cli):
    root = copy_fixture("fully-open", tmp_path / "r")
    from release_lint.config import Config

    result = lint(root, config=Config(profile="bom"), select=["REL006"])
    assert finding_tuples(result) == [("REL006", None, None)] * 3 + [("REL006", "README.md", 8), ("REL006", "README.md", 9)]
    assert {f.severity for f in result.findings} == {"error"}
    out = cli("--profile", "bom", "--select", "REL006", root)
    assert out.exit_code == 1 and "no supplier" in out.output


def test_a_bom_table_runs_rel006_and_a_complete_one_silences_it(tmp_path):
    root = copy_fixture("fully-open", tmp_path / "r")
    (root / ".release-lint.toml").write_text('[bom]\nsupplier = "Example Lab"\n')
    result = lint(root, select=["REL006"])
    assert finding_tuples(result) == [("REL006", None, None)] * 2 + [("REL006", "README.md", 8), ("REL006", "README.md", 9)]
    assert {f.severity for f in result.findings} == {"warning"}
    (root / ".release-lint.toml").write_text(COMPLETE)
    assert finding_tuples(lint(root, select=["REL006"])) == []


def test_rel006_names_unlicensed_unversioned_releases(tmp_path):
    make_repo(tmp_path, {"README.md": "# Tiny\n\nA model.\n", "model.safetensors": b"x" * 64,
                         ".release-lint.toml": COMPLETE})
    messages = [f.message for f in lint(tmp_path, select=["REL006"]).findings]
    assert messages == [
        "no declared licence (SPDX hasDeclaredLicense, CycloneDX licenses): add `license` to the model card",
        "no licence file to conclude a licence from (SPDX hasConcludedLicense): add a LICENSE file",
        "no version (SPDX packageVersion, CycloneDX version): tag the release or state `version` in the model card, "
        "CITATION.cff or pyproject.toml",
    ]


def test_energy_activity_is_the_training_topic_of_its_line(tmp_path):
    # The line's training words are textindex's (Chinese included), not a second list.
    readme = "# P\n\n## 环境影响\n\n训练耗电约 1,200 kWh。\n\nInference used 30 kWh.\n"
    facts = bom_facts(Repo(str(make_repo(tmp_path / "r", {"README.md": readme}))))
    assert [(e.kind, e.line, e.value, e.activity) for e in facts.energy] == [("energy", 5, 1200.0, "training"),
                                                                              ("energy", 7, 30.0, "other")]
