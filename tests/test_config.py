"""Configuration discovery, precedence and every error case."""

from __future__ import annotations

import pytest

from release_lint import lint
from release_lint.config import ConfigError, load_config
from tests.conftest import finding_tuples, make_repo


CORE = ["LIC001", "CARD001"]


def codes(result):
    """Codes of the two core rules found: these tests are about configuration, not other rules."""
    return [code for code, _path, _line in finding_tuples(result) if code in CORE]


def test_no_configuration_means_defaults(tmp_path):
    config = load_config(str(tmp_path))
    assert config.source is None and config.fail_on == "warning" and config.select == ()


def test_pyproject_table_is_read(tmp_path):
    make_repo(tmp_path, {"pyproject.toml": '[project]\nname = "m"\n\n[tool.release-lint]\nignore = ["CARD"]\n'})
    assert codes(lint(tmp_path)) == ["LIC001"]


def test_dedicated_file_wins_over_pyproject(tmp_path):
    make_repo(tmp_path, {
        "pyproject.toml": '[tool.release-lint]\nignore = ["CARD"]\n',
        ".release-lint.toml": 'ignore = ["LIC"]\n',
    })
    assert codes(lint(tmp_path)) == ["CARD001"]


def test_explicit_config_file_wins(tmp_path):
    make_repo(tmp_path, {".release-lint.toml": 'ignore = ["LIC"]\n', "other.toml": 'ignore = ["license-file-missing"]\nselect = ["LIC", "CARD"]\n'})
    assert codes(lint(tmp_path, config_file=str(tmp_path / "other.toml"))) == ["CARD001"]


def test_explicit_pyproject_uses_its_tool_table(tmp_path):
    make_repo(tmp_path, {"conf/pyproject.toml": '[tool.release-lint]\nselect = ["CARD001"]\n'})
    assert codes(lint(tmp_path, config_file=str(tmp_path / "conf/pyproject.toml"))) == ["CARD001"]


def test_command_line_overrides_the_file(tmp_path, cli):
    make_repo(tmp_path, {".release-lint.toml": 'select = ["LIC001"]\nfail-on = "error"\n[severity]\nLIC001 = "warning"\n'})
    assert codes(lint(tmp_path)) == ["LIC001"]
    assert codes(lint(tmp_path, select=["CARD001"])) == ["CARD001"]
    # LIC001 was lowered to a warning and the file fails only on errors...
    assert cli(tmp_path).exit_code == 0
    # ...but --fail-on on the command line takes precedence.
    assert cli("--fail-on", "warning", tmp_path).exit_code == 1


def test_severity_override_changes_the_finding(tmp_path):
    make_repo(tmp_path, {".release-lint.toml": '[severity]\nmodel-card-missing = "info"\n'})
    severities = {f.code: f.severity for f in lint(tmp_path, select=CORE)}
    assert severities == {"CARD001": "info", "LIC001": "error"}


def test_exclude_leaves_paths_out(tmp_path):
    make_repo(tmp_path, {"LICENSE": "MIT\n", "README.md": "# m\n", ".release-lint.toml": 'exclude = ["LICENSE", "vendor/"]\n'})
    assert codes(lint(tmp_path)) == ["LIC001"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("slect = ['LIC']\n", "slect: unknown key (valid keys: baseline, bom, exclude, fail-on, ignore, max-read-bytes, options, profile, root, select, severity)"),
        ("select = ['LIC999']\n", "select: unknown rule 'LIC999'"),
        ("select = 'LIC, NOPE'\n", "select: unknown rule 'NOPE'"),
        ("ignore = ['licence-file-missing']\n", "ignore: unknown rule 'licence-file-missing'"),
        ("ignore = [{code = 'LIC001', why = 'x'}]\n", "ignore: each table needs a string 'code'"),
        ("ignore = [3]\n", "ignore: expected a rule code or a table, got 3"),
        ("select = [1, 2]\n", "select: expected a list of strings, got [1, 2]"),
        ("fail-on = 'fatal'\n", "fail-on: invalid value 'fatal' (choose from: error, warning, info)"),
        ("exclude = 5\n", "exclude: expected a list of strings, got 5"),
        ("max-read-bytes = -1\n", "max-read-bytes: expected a positive whole number of bytes, got -1"),
        ("[severity]\nHW999 = 'info'\n", "severity.HW999: unknown rule 'HW999'"),
        ("[severity]\nLIC001 = 'loud'\n", "severity.LIC001: invalid value 'loud' (choose from: error, warning, info)"),
        ("severity = 'info'\n", "severity: expected a table"),
        ("[options.LIC001]\nthreshold = 3\n", "options.LIC001.threshold: unknown option for LIC001 (valid options: none)"),
        ("[options.NOPE001]\n", "options.NOPE001: unknown rule 'NOPE001'"),
        ("select = [\n", "invalid TOML"),
    ],
)
def test_configuration_errors_name_file_key_and_choices(tmp_path, content, message):
    make_repo(tmp_path, {".release-lint.toml": content})
    with pytest.raises(ConfigError) as caught:
        load_config(str(tmp_path))
    assert str(caught.value).startswith(str(tmp_path / ".release-lint.toml") + ": ")
    assert message in str(caught.value)


def test_invalid_toml_reports_the_line(tmp_path, cli):
    make_repo(tmp_path, {"pyproject.toml": '[project]\nname = "m"\nversion = \n'})
    result = cli(tmp_path)
    assert result.exit_code == 2
    assert f"{tmp_path / 'pyproject.toml'}: invalid TOML: " in result.output
    assert "line 3" in result.output


def test_pyproject_key_errors_name_the_table(tmp_path):
    make_repo(tmp_path, {"pyproject.toml": '[tool.release-lint]\nfail_on = "error"\n'})
    with pytest.raises(ConfigError, match=r"pyproject.toml: \[tool.release-lint\] fail_on: unknown key"):
        load_config(str(tmp_path))


def test_missing_explicit_config(cli, tmp_path):
    result = cli("--config", tmp_path / "nope.toml", tmp_path)
    assert result.exit_code == 2
    assert "nope.toml: configuration file not found" in result.output


def test_ignore_with_reason(tmp_path):
    make_repo(tmp_path, {".release-lint.toml": 'ignore = [{code = "CARD001", reason = "card lives on the Hub"}]\n'})
    config = load_config(str(tmp_path))
    assert config.ignore == ("CARD001",)
    assert config.ignore_reasons == {"CARD001": "card lives on the Hub"}
    assert codes(lint(tmp_path)) == ["LIC001"]


def test_configuration_is_looked_for_above_the_root_up_to_the_git_top_level_only(tmp_path):
    # Above a sub-folder release: the repository's configuration applies.
    repo = make_repo(tmp_path / "outer" / "repo", {".release-lint.toml": "select = ['LIC001']\n",
                                                   "models/a/README.md": "# A\n"})
    found = load_config(str(repo / "models" / "a"))
    assert (found.source, found.select) == (str(repo / ".release-lint.toml"), ("LIC001",))
    # Never above the git top level, and outside git only the root itself.
    (tmp_path / "outer" / ".release-lint.toml").write_text("select = ['CARD001']\n", encoding="utf-8")
    assert load_config(str(repo)).select == ("LIC001",)
    (repo / ".release-lint.toml").unlink()
    assert load_config(str(repo)).source is None
    plain = tmp_path / "outer" / "plain" / "sub"
    plain.mkdir(parents=True)
    assert load_config(str(plain)).source is None
