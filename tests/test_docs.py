"""The rule reference and the README's rule table are generated from the rules' metadata and kept current."""

from __future__ import annotations

from release_lint.registry import all_rules
from release_lint.ruledocs import reference_markdown, rules_table
from tests.conftest import PROJECT_ROOT


def test_docs_rules_md_is_current():
    expected = reference_markdown(all_rules())
    actual = (PROJECT_ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert actual == expected, "regenerate with: python -m release_lint.ruledocs > docs/rules.md"


def test_readme_rule_table_is_current():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
    table = readme[readme.index(start) + len(start) : readme.index(end)]
    assert table == rules_table(all_rules()), "regenerate with: python -m release_lint.ruledocs --table"


def test_every_rule_has_an_anchor_in_the_reference():
    reference = (PROJECT_ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"\n### {rule.code}\n" in reference
        assert rule.doc_url.endswith(f"docs/rules.md#{rule.code.lower()}")
