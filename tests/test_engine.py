"""The rule engine: selection, inline suppression, rules that raise, the registry's metadata."""

from __future__ import annotations

import dataclasses

import pytest

from release_lint import registry
from release_lint.engine import run_rules
from release_lint.config import Config
from release_lint.findings import Problem
from release_lint.registry import Rule, all_rules, get_rule, select_rules
from release_lint.repo import Repo
from tests.conftest import finding_tuples, make_repo


def line_rule(check):
    """A rule built for the test, run through the real engine without touching the registry."""
    return Rule(code="CARD900", name="test-rule", area="card", severity="warning", summary="s", rationale="r",
                fix="f", references=(), check=check)


def todo_lines(ctx):
    for path in ctx.repo.files:
        for number, line in enumerate(ctx.repo.lines(path), 1):
            if "TODO" in line:
                yield Problem(f"TODO left in {path}", path=path, line=number)


def test_inline_suppression_on_the_line_and_the_line_before(tmp_path):
    make_repo(tmp_path, {
        "README.md": (
            "TODO one\n"
            "TODO two <!-- release-lint: disable=CARD900 -->\n"
            "<!-- release-lint: disable=test-rule -->\n"
            "TODO four\n"
            "TODO five <!-- release-lint: disable=LIC001 -->\n"
        ),
        "config.yaml": "lr: 1  # TODO tune  # release-lint: disable=CARD900, LIC001\n",
    })
    result = run_rules(Repo(str(tmp_path)), Config(), [line_rule(todo_lines)])
    assert finding_tuples(result) == [("CARD900", "README.md", 1), ("CARD900", "README.md", 5)]


def test_a_rule_that_raises_is_reported_and_others_still_run(tmp_path):
    def broken(ctx):
        raise KeyError("boom")
        yield  # pragma: no cover

    repo = Repo(str(make_repo(tmp_path)))
    result = run_rules(repo, Config(), [line_rule(broken), get_rule("LIC001")])
    assert [f.code for f in result.findings] == ["LIC001"]
    assert [(e.code, e.error) for e in result.internal_errors] == [("CARD900", "KeyError: 'boom'")]
    assert result.exit_code() == 2
    assert result.exit_code(exit_zero=True) == 2


def test_cli_reports_a_crashing_rule_with_exit_2(tmp_path, cli, monkeypatch):
    def broken(ctx):
        raise RuntimeError("rule bug")

    monkeypatch.setitem(registry._RULES, "LIC001", dataclasses.replace(get_rule("LIC001"), check=broken))
    result = cli("--select", "LIC001,CARD001", tmp_path)
    assert result.exit_code == 2
    assert "release-lint: internal error in rule LIC001 (license-file-missing): RuntimeError: rule bug" in result.output
    assert "CARD001" in result.output  # the other rule still ran
    assert "Traceback" not in result.output
    assert "Traceback" in cli("--debug", tmp_path).output


@pytest.mark.parametrize(
    "select, ignore, expected",
    [
        ((), (), {"LIC001", "CARD001"}),
        (("LIC",), (), {"LIC001"}),
        (("LIC001",), (), {"LIC001"}),
        (("model-card-missing",), (), {"CARD001"}),
        (("ALL",), ("CARD",), {"LIC001"}),
        (("CARD001",), ("CARD",), {"CARD001"}),  # the more specific selector wins
        (("CARD",), ("CARD001",), set()),
        (("LIC00",), ("license-file-missing",), set()),
    ],
)
def test_selection_by_code_prefix_and_name(select, ignore, expected):
    chosen = {r.code for r in select_rules(select, ignore)} & {"LIC001", "CARD001"}
    assert chosen == expected


def test_every_rule_has_complete_metadata():
    rules = all_rules()
    assert rules, "no rules registered"
    for rule in rules:
        assert registry.CODE_RE.match(rule.code) and registry.NAME_RE.match(rule.name)
        assert rule.area == registry.AREAS[rule.prefix]
        assert rule.summary.endswith(".") and rule.rationale and rule.fix
        assert rule.fix.splitlines()[0].endswith("."), f"{rule.code}: the first line of fix must be a sentence"
        assert all(ref.startswith("https://") for ref in rule.references), rule.code
    assert len({r.name for r in rules}) == len(rules)


def test_registering_bad_metadata_is_refused():
    with pytest.raises(ValueError):
        registry.rule(code="XX001", name="x", severity="error", summary="", rationale="", fix="")
    with pytest.raises(ValueError):
        registry.rule(code="LIC900", name="Not_Kebab", severity="error", summary="", rationale="", fix="")
    with pytest.raises(ValueError):
        registry.rule(code="LIC900", name="ok-name", severity="fatal", summary="", rationale="", fix="")


@pytest.mark.parametrize("summary", [
    "",
    "No full stop",
    "Two sentences. Here is the second.",
    "A summary that runs on " + "and on " * 30 + "past two hundred characters.",
])
def test_a_summary_must_be_one_short_sentence(summary):
    with pytest.raises(ValueError, match="one sentence"):
        registry.rule(code="LIC900", name="ok-name", severity="error", summary=summary, rationale="r", fix="f.")


@pytest.mark.parametrize("reference", ["http://isitopen.ai/", "https://example.org/not-in-the-table"])
def test_a_reference_must_be_a_canonical_url_of_the_table(reference):
    with pytest.raises(ValueError, match="references.py"):
        registry.rule(code="LIC900", name="ok-name", severity="error", summary="One sentence.", rationale="r",
                      fix="f.", references=[reference])


def test_a_known_variant_of_a_reference_is_recorded_as_its_canonical_url():
    from release_lint.references import REFERENCES

    assert registry.canonical_references("LIC900", ["https://osai-index.eu", REFERENCES["MOT"]]) == (
        "https://osai-index.eu/", "https://isitopen.ai/")


def test_each_source_has_one_url_and_every_table_entry_is_cited():
    from release_lint.references import REFERENCES, VARIANTS

    assert len(set(REFERENCES.values())) == len(REFERENCES)
    assert all(url.startswith("https://") for url in REFERENCES.values())
    cited = {ref for r in all_rules() for ref in r.references}
    assert sorted(set(REFERENCES.values()) - cited) == []
    assert not set(VARIANTS) & set(REFERENCES.values())


def test_every_rule_code_the_frameworks_and_profiles_name_exists():
    from release_lint.openness.evaluator import APPLIES_WHEN
    from release_lint.openness.frameworks import AREA_CHECKS, COMPONENT_RULES, COMPONENTS, FACT_CHECKS, \
        LICENCE_RULES, OSAID_DATA_CHECKS
    from release_lint.openness.mof import COMPONENT_EVIDENCE
    from release_lint.profiles import PROFILES

    named = {check.rule for checks in AREA_CHECKS.values() for check in checks}
    named |= {check.stands_for for checks in FACT_CHECKS.values() for check in checks}
    named |= {code for codes in COMPONENT_RULES.values() for code in codes} | set(LICENCE_RULES)
    named |= {code for _name, code in OSAID_DATA_CHECKS} | set(APPLIES_WHEN) | set(COMPONENT_EVIDENCE)
    named |= {code for _description, codes in PROFILES.values() for code in codes}
    assert sorted(code for code in named if get_rule(code) is None) == []
    assert set(COMPONENT_RULES) <= {c.name for c in COMPONENTS}


def test_finding_key_grammar():
    from release_lint.findings import finding_key

    assert finding_key(None) == "."
    assert finding_key("README.md") == "README.md"
    assert finding_key("README.md", "link:docs/a.md") == "README.md#link:docs/a.md"
    assert finding_key("model.safetensors.index.json", "missing", 3) == "model.safetensors.index.json#missing#3"


def test_the_engine_keys_a_problem_without_key_by_its_path(tmp_path):
    root = make_repo(tmp_path / "r", {"a.py": "x = 1  # TODO\n"})

    def repository_level(ctx):
        yield Problem("nothing here")

    found = run_rules(Repo(str(root)), Config(), [line_rule(todo_lines)]).findings
    assert [(f.path, f.key) for f in found] == [("a.py", "a.py")]
    found = run_rules(Repo(str(root)), Config(), [line_rule(repository_level)]).findings
    assert [(f.path, f.key) for f in found] == [(None, ".")]


def test_keys_do_not_repeat_the_message(tmp_path):
    """A key part that covers most of the message was built from it: rewording would break baselines. Quoted
    repository text (a link target, a placeholder, a licence id) is identity and may appear in both."""
    from release_lint import lint
    from tests.conftest import copy_fixture
    from tests.golden import fixture_names

    offenders = set()
    for name in fixture_names():
        for finding in lint(str(copy_fixture(name, tmp_path / name))).findings:
            parts = [p for part in (finding.key or "").split("#")[1:] for p in (part, *part.split(":"))]
            if any(len(part) >= 0.6 * len(finding.message) and part in finding.message for part in parts):
                offenders.add(finding.code)
    assert offenders == set()
