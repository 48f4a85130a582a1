"""`--format markdown`: a report for pull-request comments and release notes."""

from __future__ import annotations

from release_lint.findings import Finding, Result
from release_lint.formats import markdown
from tests.conftest import make_repo


def test_report_groups_findings_by_area_with_fix_hints(cli, tmp_path):
    repo = make_repo(tmp_path / "repo", {
        "notes.txt": "x\n",
        ".release-lint.toml": 'select = ["LIC001", "CARD001"]\n',
    })
    result = cli("--format", "markdown", repo)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "## release-lint report",
        "",
        "2 findings: 2 errors, 0 warnings, 0 info.",
        "",
        "| area | error | warning | info | total |",
        "|---|---:|---:|---:|---:|",
        "| card | 1 | 0 | 0 | 1 |",
        "| licensing | 1 | 0 | 0 | 1 |",
        "",
        "### Card (1)",
        "",
        "- 🔴 **error** [CARD001 model-card-missing](https://github.com/release-lint/release-lint/blob/main/docs/rules.md#card001)"
        " at (repository): no model card (README.md at the root, MODEL\\_CARD.md, model\\_card.md or docs/model\\_card.md)",
        "  - Fix: Add README.md at the root (or MODEL\\_CARD.md) with YAML front matter and the core sections.",
        "",
        "### Licensing (1)",
        "",
        "- 🔴 **error** [LIC001 license-file-missing](https://github.com/release-lint/release-lint/blob/main/docs/rules.md#lic001)"
        " at (repository): no licence file (LICENSE, LICENCE, COPYING, LICENSE-\\*, LICENSES/) at the repository root",
        "  - Fix: Add a LICENSE file at the repository root with the full text of the licence.",
    ]


def test_clean_report_and_ignored_rules_with_reasons(cli, tmp_path):
    repo = make_repo(tmp_path / "repo", {
        "LICENSE": "MIT License\n",
        ".release-lint.toml": 'select = ["LIC001", "CARD001"]\n'
                              'ignore = [{code = "CARD001", reason = "the card lives on the Hub | see <link>"}]\n',
    })
    result = cli("--format", "markdown", repo)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "## release-lint report",
        "",
        "No findings: every rule that ran passed.",
        "",
        "### Rules ignored by configuration",
        "",
        "- **CARD001** model-card-missing (`CARD001`): the card lives on the Hub \\| see &lt;link&gt;",
    ]


def test_repository_text_cannot_break_the_markdown():
    hostile = Finding(code="LIC001", name="license-file-missing", severity="warning", area="licensing",
                      message="quoted: `x` | <img src=x> [link](javascript:1)\n# heading", path="a|b.md", line=2)
    text = markdown.render(Result(root="/r", findings=[hostile], rules_run=["LIC001"]))
    item = [line for line in text.splitlines() if line.startswith("- ")]
    assert item == [
        "- 🟡 **warning** [LIC001 license-file-missing](https://github.com/release-lint/release-lint/blob/main/docs/rules.md#lic001)"
        " at `a|b.md:2`: quoted: \\`x\\` \\| &lt;img src=x&gt; \\[link\\](javascript:1) \\# heading"
    ]
    assert not any(line.startswith("# ") for line in text.splitlines())


def test_control_and_bidi_characters_are_shown_escaped():
    hostile = Finding(code="LIC001", name="license-file-missing", severity="warning", area="licensing",
                      message="licence \x1b[2Jother\u202e ##[add-mask]x", path="w\u202eeights\x1b]0;T\x07.pkl")
    text = markdown.render(Result(root="/r", findings=[hostile], rules_run=["LIC001"]))
    item = [line for line in text.splitlines() if line.startswith("- ")]
    assert item == [
        "- 🟡 **warning** [LIC001 license-file-missing](https://github.com/release-lint/release-lint/blob/main/docs/rules.md#lic001)"
        " at `w\\u202eeights\\x1b]0;T\\x07.pkl`: licence \\\\x1b\\[2Jother\\\\u202e \\#\\\\\\#\\[add-mask\\]x"
    ]
