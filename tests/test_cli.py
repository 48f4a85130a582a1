"""The command line end to end: exit codes, formats, listing and explaining rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jsonschema

from release_lint import __version__
from tests.conftest import copy_fixture, make_repo

JSON_SCHEMA = {
    "type": "object",
    "required": ["tool", "version", "root", "findings", "counts"],
    "properties": {
        "tool": {"const": "release-lint"},
        "version": {"type": "string"},
        "root": {"type": "string"},
        "counts": {
            "type": "object",
            "required": ["error", "warning", "info"],
            "properties": {k: {"type": "integer", "minimum": 0} for k in ("error", "warning", "info")},
        },
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "name", "severity", "area", "message", "path", "line", "fix"],
                "properties": {
                    "code": {"type": "string", "pattern": "^[A-Z]+[0-9]{3}$"},
                    "name": {"type": "string", "pattern": "^[a-z0-9-]+$"},
                    "severity": {"enum": ["error", "warning", "info"]},
                    "area": {"type": "string"},
                    "message": {"type": "string", "minLength": 1},
                    "path": {"type": ["string", "null"]},
                    "line": {"type": ["integer", "null"], "minimum": 1},
                    "fix": {"type": ["string", "null"]},
                },
            },
        },
    },
}


CORE = ("--select", "LIC001,CARD001")


def test_empty_folder_reports_missing_licence_and_card(cli, tmp_path):
    result = cli(*CORE, tmp_path)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Errors (2)",
        "  licensing  LIC001    no licence file at the repository root",
        "  card       CARD001   no model card",
        "Fix hints: --verbose (or --output-format full); a rule in full: --explain CODE.",
        "Found 2 findings: 2 errors, 0 warnings, 0 info.",
    ]
    full = cli("--verbose", *CORE, tmp_path).output.splitlines()
    assert full[0].startswith(".: CARD001 [error] no model card")
    assert full[1].startswith("  fix: Add README.md at the root")
    assert full[2].startswith(".: LIC001 [error] no licence file")
    assert full[-1] == "Found 2 findings: 2 errors, 0 warnings, 0 info."
    assert cli("--output-format", "full", *CORE, tmp_path).output.splitlines() == full


def test_json_output_is_valid_and_stable(cli, tmp_path):
    result = cli("--format", "json", *CORE, tmp_path)
    assert result.exit_code == 1
    document = json.loads(result.output)
    jsonschema.validate(document, JSON_SCHEMA)
    assert document["version"] == __version__
    assert document["root"] == str(tmp_path)
    assert [(f["code"], f["path"], f["line"]) for f in document["findings"]] == [("CARD001", None, None), ("LIC001", None, None)]
    assert document["counts"] == {"error": 2, "warning": 0, "info": 0}


def test_exit_zero_and_fail_on(cli, tmp_path):
    assert cli("--exit-zero", *CORE, tmp_path).exit_code == 0
    # Both findings are errors: failing only on errors still fails.
    assert cli("--fail-on", "error", *CORE, tmp_path).exit_code == 1
    make_repo(tmp_path, {"README.md": "# Model\n", "LICENSE": "MIT License\n"})
    assert cli("--select", "LIC001,CARD001", tmp_path).exit_code == 0


def test_clean_run_says_so(cli, tmp_path):
    make_repo(tmp_path, {"README.md": "# Model\n", "LICENSE": "MIT License\n"})
    result = cli("--select", "LIC001", "--select", "CARD001", tmp_path)
    assert result.exit_code == 0
    assert result.output == "All checks passed: no findings.\n"


def test_quiet_prints_findings_only(cli, tmp_path):
    result = cli("--quiet", *CORE, tmp_path)
    assert result.output.splitlines() == [
        "Errors (2)",
        "  licensing  LIC001    no licence file at the repository root",
        "  card       CARD001   no model card",
    ]
    assert cli("--quiet", "--format", "full", *CORE, tmp_path).output.splitlines() == [
        ".: CARD001 [error] no model card (README.md at the root, MODEL_CARD.md, model_card.md or docs/model_card.md)",
        ".: LIC001 [error] no licence file (LICENSE, LICENCE, COPYING, LICENSE-*, LICENSES/) at the repository root",
    ]


def test_usage_errors_exit_2_with_one_line(cli, tmp_path):
    for args, expected in [
        (("--format", "xml", tmp_path), "'xml' is not one of 'auto', 'cyclonedx', 'full', 'github', 'json'"),
        (("--select", "NOPE999", tmp_path), "--select: unknown rule 'NOPE999'"),
        (("--ignore", "made-up-rule", tmp_path), "--ignore: unknown rule 'made-up-rule'"),
        (("--explain", "XYZ123",), "unknown rule 'XYZ123'"),
        ((tmp_path / "missing",), "missing: no such file or directory"),
    ]:
        result = cli(*args)
        assert result.exit_code == 2, args
        assert expected in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_list_rules_and_explain(cli):
    listed = cli("--list-rules")
    assert listed.exit_code == 0
    rows = {line.split()[0]: line.split()[1:4] for line in listed.output.splitlines()}
    assert rows["LIC001"] == ["license-file-missing", "licensing", "error"]
    assert rows["CARD001"] == ["model-card-missing", "card", "error"]
    explained = cli("--explain", "LIC001")
    assert explained.exit_code == 0
    assert explained.output.startswith("LIC001 license-file-missing\nArea: licensing    Default severity: error\n")
    assert "Why it matters:" in explained.output and "How to fix:" in explained.output
    assert "https://opensource.org/ai/open-source-ai-definition" in explained.output
    assert cli("--explain", "model-card-missing").output.startswith("CARD001 model-card-missing\n")


def test_no_colour_unless_a_terminal(cli, tmp_path, monkeypatch):
    # CliRunner's stdout is not a TTY: no escape codes (unless FORCE_COLOR, which CI may set).
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert "\033[" not in cli(tmp_path).output


def test_subprocess_version_and_module_entry_point(tmp_path):
    done = subprocess.run([sys.executable, "-m", "release_lint", "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stdout.strip() == f"release-lint {__version__}"


def test_subprocess_lints_weights_only_fixture(tmp_path):
    repo = copy_fixture("weights-only", tmp_path / "repo")
    env = dict(os.environ, NO_COLOR="1")
    done = subprocess.run(
        [sys.executable, "-m", "release_lint", "--format", "json", "--select", "LIC001,CARD001", str(repo)],
        capture_output=True, text=True, check=False, env=env,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["findings"] == []


def test_subprocess_config_error_has_no_traceback(tmp_path):
    make_repo(tmp_path, {".release-lint.toml": "slect = ['LIC']\n"})
    done = subprocess.run([sys.executable, "-m", "release_lint", str(tmp_path)], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"release-lint: error: {tmp_path / '.release-lint.toml'}: slect: unknown key "
        "(valid keys: baseline, bom, exclude, fail-on, ignore, max-read-bytes, options, profile, root, select, severity)"
    ]
