"""Baselines (`--write-baseline`, `--baseline`, `baseline =`) and `--show-ignored`."""

from __future__ import annotations

import json

from release_lint.api import lint
from release_lint.baseline import apply_baseline, document
from release_lint.findings import Finding, Result
from tests.conftest import finding_tuples, make_repo

CORE = ("--select", "LIC001,CARD001")


def test_write_then_use_a_baseline(cli, tmp_path):
    repo = make_repo(tmp_path / "repo", {"notes.txt": "x\n"})
    baseline = tmp_path / "baseline.json"
    written = cli(*CORE, "--write-baseline", baseline, repo)
    assert written.exit_code == 0
    assert "wrote 2 findings to the baseline" in written.output
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert [(row["code"], row["path"], row["key"]) for row in data["findings"]] == [
        ("CARD001", None, "."), ("LIC001", None, ".")]

    known = cli(*CORE, "--baseline", baseline, repo)
    assert known.exit_code == 0
    assert "All checks passed: no findings." in known.output
    assert f"baseline {baseline}: 2 known findings hidden; 0 baseline entries no longer found" in known.output

    # The card gets written; a licence is still missing (known), and the CARD001 entry is stale.
    (repo / "README.md").write_text("# Model\n", encoding="utf-8")
    fixed = cli(*CORE, "--format", "json", "--baseline", baseline, repo)
    assert fixed.exit_code == 0
    report = json.loads(fixed.stdout)
    assert report["findings"] == []
    assert report["baseline"] == {"file": str(baseline), "hidden": 1, "stale": 1}
    assert f"baseline {baseline}: 1 known finding hidden; 1 baseline entry no longer found (rewrite it" in fixed.stderr


def test_new_findings_are_reported_and_configured_baseline_is_relative_to_the_config(cli, tmp_path):
    repo = make_repo(tmp_path / "repo", {"README.md": "# Model\n"})
    assert cli(*CORE, "--write-baseline", repo / "known.json", repo).exit_code == 0  # knows LIC001 only
    (repo / "README.md").unlink()
    (repo / ".release-lint.toml").write_text('baseline = "known.json"\nselect = ["LIC001", "CARD001"]\n')
    result = lint(str(repo))
    assert finding_tuples(result) == [("CARD001", None, None)]
    assert result.extra["baseline"] == {"file": str(repo / "known.json"), "hidden": 1, "stale": 0}
    # An explicit empty baseline switches the configured one off.
    assert finding_tuples(lint(str(repo), baseline="")) == [("CARD001", None, None), ("LIC001", None, None)]
    # Writing a baseline ignores the configured one: it records every finding.
    assert cli("--write-baseline", tmp_path / "all.json", repo).exit_code == 0
    assert len(json.loads((tmp_path / "all.json").read_text())["findings"]) == 2


def _finding(line, key="README.md#training-data", code="CARD001"):
    return Finding(code=code, name="x", severity="warning", area="card", message=f"at {line}", path="README.md",
                   line=line, key=key)


def test_matching_ignores_lines_and_messages_but_not_keys(tmp_path):
    baseline = tmp_path / "b.json"
    baseline.write_text(json.dumps(document([_finding(3), _finding(9, key="README.md#evaluation")])))
    moved = Result(root="/r", findings=[_finding(40), _finding(41, key="README.md#limitations")], rules_run=["CARD001"])
    apply_baseline(moved, str(baseline))
    assert [(f.key, f.line) for f in moved.findings] == [("README.md#limitations", 41)]
    assert moved.extra["baseline"] == {"file": str(baseline), "hidden": 1, "stale": 1}


def test_duplicates_count_and_rules_not_run_are_not_stale(tmp_path):
    baseline = tmp_path / "b.json"
    baseline.write_text(json.dumps(document([_finding(1), _finding(2, code="LIC001", key="README.md")])))
    twice = Result(root="/r", findings=[_finding(1), _finding(5)], rules_run=["CARD001"])  # LIC001 not selected
    apply_baseline(twice, str(baseline))
    assert [f.line for f in twice.findings] == [5]  # one entry hides one finding
    assert twice.extra["baseline"]["stale"] == 0


def test_bad_baselines_are_usage_errors(cli, tmp_path):
    repo = make_repo(tmp_path / "repo", {"README.md": "# M\n"})
    cases = {
        "missing.json": None,
        "garbage.json": "{not json",
        "other.json": json.dumps({"tool": "ruff", "findings": []}),
        "rows.json": json.dumps({"tool": "release-lint", "baseline_version": 1, "findings": [{"code": 1}]}),
    }
    for name, content in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_text(content)
        result = cli(*CORE, "--baseline", path, repo)
        assert result.exit_code == 2, name
        assert result.output.startswith(f"release-lint: error: {path}: "), result.output
        assert "Traceback" not in result.output
    result = cli(*CORE, repo, "--config", _config(tmp_path, "baseline = 3\n"))
    assert result.exit_code == 2 and "baseline: expected the path of a baseline file, got 3" in result.output


def _config(tmp_path, text):
    path = tmp_path / "cfg.toml"
    path.write_text(text)
    return path


def test_show_ignored_lists_rules_with_their_reasons(cli, tmp_path):
    repo = make_repo(tmp_path / "repo", {
        "README.md": "# M\n",
        "pyproject.toml": '[tool.release-lint]\nselect = ["LIC001", "CARD001"]\n'
                          'ignore = [{code = "LIC001", reason = "licence is in the parent repository"}]\n',
    })
    result = cli("--show-ignored", repo)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "All checks passed: no findings.",
        "Ignored rules (1):",
        "  LIC001 license-file-missing: licence is in the parent repository (ignored by 'LIC001')",
    ]
    # From the command line (it replaces the configured list), without a reason.
    assert cli("--show-ignored", "--ignore", "CARD001", repo).output.splitlines()[-1] == (
        "  CARD001 model-card-missing: no reason given (ignored by 'CARD001')")
    # A prefix entry names every rule it switches off.
    plain = make_repo(tmp_path / "plain", {"README.md": "# M\n", ".release-lint.toml": 'ignore = ["LIC"]\n'})
    listed = cli("--show-ignored", plain).output.splitlines()
    assert "  LIC001 license-file-missing: no reason given (ignored by 'LIC')" in listed
    assert not any(line.startswith("  CARD") for line in listed)
    # Without the flag nothing is listed; with nothing ignored it says so.
    assert "Ignored rules" not in cli(repo).output
    bare = make_repo(tmp_path / "bare", {"README.md": "# M\n"})
    assert cli("--show-ignored", "--select", "CARD001", bare).output.splitlines()[-1] == "Ignored rules: none."
