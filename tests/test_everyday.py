"""Everyday use (issue 15): root discovery, the one-screen report, composable options, progress, colour."""

from __future__ import annotations

import io
import json
import re

import pytest

from release_lint import progress
from release_lint.api import lint
from tests.conftest import PROJECT_ROOT, copy_fixture, make_repo, write_files

CARD = "---\nlicense: mit\n---\n\n# Model\n\nA small model.\n"
MIT = "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy.\n"
ROOT_CONFIG = '[project]\nname = "m"\n\n[tool.release-lint]\nselect = ["LIC001", "CARD001", "CARD003"]\n'


def _json(result):
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def _codes(document):
    return [(f["code"], f["path"], f["line"]) for f in document["findings"]]


# --- 1. root and configuration discovery -------------------------------------------------------------


def test_run_from_a_subfolder_lints_the_repository_root_with_its_configuration(cli, tmp_path, monkeypatch):
    # docs/README.md has a documentation site's front matter, not a model card's: docs/ is not a release.
    repo = make_repo(tmp_path / "repo", {"pyproject.toml": ROOT_CONFIG, "README.md": CARD, "LICENSE": MIT,
                                         "docs/README.md": "---\ntitle: Guide\nnav_order: 2\n---\n# Guide\n"})
    monkeypatch.chdir(repo / "docs")
    from_docs = _json(cli("--format", "json"))
    assert from_docs["root"] == str(repo)
    # Paths are relative to the root: CARD003 (front matter lacks keys) points at README.md line 1.
    assert _codes(from_docs) == [("CARD003", "README.md", 1)]
    assert _json(cli("--format", "json", repo / "docs"))["root"] == str(repo)
    assert _json(cli("--format", "json", "."))["root"] == str(repo)


def test_outside_git_the_nearest_folder_with_a_card_or_configuration_is_the_root(cli, tmp_path):
    make_repo(tmp_path / "release", {"README.md": CARD, "LICENSE": MIT, "src/pkg/model.py": "x = 1\n"}, git_init=False)
    assert _json(cli("--format", "json", "--select", "LIC001", tmp_path / "release" / "src" / "pkg"))["root"] == str(
        tmp_path / "release")
    make_repo(tmp_path / "configured", {".release-lint.toml": "select = ['LIC001']\n", "notes/a.md": "# A\n"},
              git_init=False)
    document = _json(cli("--format", "json", tmp_path / "configured" / "notes"))
    assert (document["root"], _codes(document)) == (str(tmp_path / "configured"), [("LIC001", None, None)])


def test_a_model_folder_with_its_own_card_is_its_own_release_and_root_selects_one(cli, tmp_path, monkeypatch):
    repo = make_repo(tmp_path / "mono", {
        "pyproject.toml": ROOT_CONFIG, "README.md": "# Models of the lab\n", "LICENSE": MIT,
        "models/a/README.md": CARD, "models/a/LICENSE": MIT, "models/a/src/train.py": "x = 1\n",
        "models/b/notes.md": "# B\n",
    })
    # From inside models/a: that folder holds a card, so it is the release; the root's configuration applies.
    monkeypatch.chdir(repo / "models" / "a" / "src")
    document = _json(cli("--format", "json"))
    assert (document["root"], _codes(document)) == (str(repo / "models" / "a"), [("CARD003", "README.md", 1)])
    # --root marks a sub-folder release that discovery would not find (no card of its own).
    document = _json(cli("--format", "json", "--root", repo / "models" / "b"))
    assert (document["root"], _codes(document)) == (str(repo / "models" / "b"), [("CARD001", None, None),
                                                                               ("LIC001", None, None)])
    assert cli("--root", repo / "models" / "b", repo).exit_code == 2


def test_configured_root_names_the_release_of_a_monorepo(cli, tmp_path, monkeypatch):
    repo = make_repo(tmp_path / "mono", {
        ".release-lint.toml": "root = 'models/a'\nselect = ['LIC001', 'CARD001']\n",
        "models/a/README.md": "# A\n", "models/a/LICENSE": MIT, "tools/x.py": "x = 1\n",
    })
    monkeypatch.chdir(repo / "tools")
    document = _json(cli("--format", "json"))
    assert (document["root"], _codes(document)) == (str(repo / "models" / "a"), [])
    make_repo(tmp_path / "bad", {".release-lint.toml": "root = '../elsewhere'\n"})
    result = cli(tmp_path / "bad")
    assert result.exit_code == 2 and "root: '../elsewhere' is outside the configuration file's folder" in result.output


def test_show_settings_prints_root_configuration_and_resolved_settings(cli, tmp_path, monkeypatch):
    repo = make_repo(tmp_path / "repo", {
        "pyproject.toml": ROOT_CONFIG.replace(
            'select = ["LIC001", "CARD001", "CARD003"]',
            'select = ["LIC", "CARD"]\nignore = [{ code = "CARD003", reason = "front matter comes later" }]'),
        "README.md": CARD, "docs/x.md": "# X\n"})
    monkeypatch.chdir(repo / "docs")
    result = cli("--show-settings", "--extend-ignore", "LIC002", "--fail-on", "error")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"root: {repo}",
        f"configuration: {repo / 'pyproject.toml'}",
        "settings:",
        '  select = ["LIC", "CARD"]',
        '  ignore = ["CARD003", "LIC002"]',
        '  ignore-reasons = {"CARD003": "front matter comes later"}',
        '  fail-on = "error"',
        "  profile = none",
        "  exclude = []",
        "  severity = {}",
        "  options = {}",
        "  max-read-bytes = 1048576",
        "  baseline = none",
        "  root = none",
    ]


def test_show_settings_refuses_an_unknown_selected_rule(cli, tmp_path):
    # The settings shown are the run's: a --select the run would refuse is refused here too.
    repo = make_repo(tmp_path / "repo", {"README.md": CARD})
    result = cli("--show-settings", "--select", "NOPE999", repo)
    assert result.exit_code == 2 and "--select: unknown rule 'NOPE999'" in result.output


# --- 2. the one-screen report ---------------------------------------------------------------------------


def test_readme_shows_the_default_report_as_it_prints(cli, tmp_path):
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    intro = "`release-lint fixtures/weights-only` (a bundled example of a weights-only release) prints, and exits 1:"
    shown = readme.split(intro, 1)[1].split("```\n", 2)[1]
    result = cli(copy_fixture("weights-only", tmp_path / "w"))
    assert result.exit_code == 1 and result.output == shown


def test_weights_only_report_fits_one_screen_errors_first_and_folded(cli, tmp_path):
    repo = copy_fixture("weights-only", tmp_path / "w")
    result = cli(repo)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) <= 40 and max(len(line) for line in lines) <= 100
    document = _json(cli("--format", "json", repo))
    # Nothing a user needs is lost: every rule that found something is on a line of its own.
    listed = [m.group(1) for m in (re.match(r"^  [a-z ]{14}  ([A-Z]+\d{3}) ", line) for line in lines) if m]
    assert sorted(listed) == sorted({f["code"] for f in document["findings"]})
    # Errors first, then warnings, then info; the summary is the last line.
    headings = [line for line in lines if re.match(r"^(Errors|Warnings|Info) \(\d+\)$", line)]
    counts = document["counts"]
    assert headings == [f"Errors ({counts['error']})", f"Warnings ({counts['warning']})", f"Info ({counts['info']})"]
    severity_of = {f["code"]: f["severity"] for f in document["findings"]}
    ranks = [("error", "warning", "info").index(severity_of[code]) for code in listed]
    assert ranks == sorted(ranks)
    # The six missing card sections are one folded line (continued on an indented line).
    card004 = [i for i, line in enumerate(lines) if " CARD004 " in line]
    assert len(card004) == 1
    folded = " ".join(lines[card004[0]: card004[0] + 2])
    for section in ("citation", "evaluation", "intended use", "limitations", "training data", "training procedure"):
        assert section in folded
    assert "CARD004   README.md: (6) no ... section: citation, evaluation, intended use," in folded
    assert lines[-1].startswith(f"Found {len(document['findings'])} findings: {counts['error']} errors")
    assert "Openness: licensing present, data absent, recipe absent, environment absent, infrastructure absent" in lines


def test_statistics_counts_findings_per_rule_and_timings_moved(cli, tmp_path):
    repo = copy_fixture("weights-only", tmp_path / "w")
    result = cli("--statistics", "--select", "CARD004,CARD005,DATA001", repo)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "6  CARD004   card-section-missing               [warning]",
        "1  CARD005   evaluation-results-missing         [warning]",
        "1  DATA001   data-documentation-missing         [error]",
    ]
    timed = cli("--timings", "--select", "CARD004", repo)
    assert re.search(r"^ +\d+\.\d ms  CARD004$", timed.output, re.MULTILINE)


def test_list_rules_as_json(cli):
    rules = json.loads(cli("--list-rules", "--output-format", "json").output)
    assert rules[0] == {"code": "LIC001", "name": "license-file-missing", "area": "licensing", "severity": "error",
                        "summary": rules[0]["summary"]}
    assert len({r["code"] for r in rules}) == len(rules) > 50


# --- 3. progress ---------------------------------------------------------------------------------------


def test_run_status_says_what_the_run_did(tmp_path):
    repo = make_repo(tmp_path / "r", {"README.md": CARD, "LICENSE": MIT, "train.py": "x = 1\n"})
    status = progress.RunStatus()
    result = lint(str(repo), select=["LIC001", "CARD003"], status=status)
    assert status.describe() == f"linting, 3 files listed, {len(status.repo._bytes)} read, rule 2/2 CARD003"
    assert status.repo._bytes and result.rules_run == ["LIC001", "CARD003"]


def test_progress_line_shows_the_status_then_erases_itself(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    status = progress.RunStatus()
    status.stage = "listing files"
    stream = io.StringIO()
    line = progress.ProgressLine(status, stream)
    with line:
        for _ in range(500):  # until the thread has drawn once (a wait, not a timing assertion)
            if line.shown:
                break
            line._stop.wait(0.01)
    written = stream.getvalue()
    assert written.startswith("\r\033[Krelease-lint: listing files") and written.endswith("\r\033[K")


def test_progress_is_not_shown_when_stderr_is_not_a_terminal(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    repo = make_repo(tmp_path / "r", {"README.md": CARD, "LICENSE": MIT})
    assert "\r" not in cli("--select", "LIC001", repo).output


# --- 4. configuration that composes ---------------------------------------------------------------------


def test_extend_ignore_adds_to_configured_ignores_and_keeps_their_reasons(cli, tmp_path):
    repo = copy_fixture("weights-only", tmp_path / "w")
    write_files(repo, {".release-lint.toml": "ignore = [{ code = 'HW003', reason = 'compute is in the report' }]\n"})
    result = cli("--extend-ignore", "COMM,HW005", "--show-ignored", "--format", "full", repo)
    assert "HW003 " not in result.output.split("Ignored rules")[0] and "COMM00" not in result.output.split("Ignored")[0]
    ignored = result.output.split("Ignored rules")[1].splitlines()
    assert "  HW003 compute-unstated: compute is in the report (ignored by 'HW003')" in ignored
    assert "  COMM001 contributing-guide-missing: no reason given (ignored by 'COMM')" in ignored
    codes = {f["code"] for f in _json(cli("--format", "json", "--extend-ignore", "HW005", repo))["findings"]}
    assert {"HW003", "HW005"}.isdisjoint(codes) and "HW004" in codes
    # --ignore still replaces the configured list.
    replaced = {f["code"] for f in _json(cli("--format", "json", "--ignore", "HW005", repo))["findings"]}
    assert "HW003" in replaced and "HW005" not in replaced


def test_extend_select_adds_to_the_configured_selection(cli, tmp_path):
    repo = copy_fixture("weights-only", tmp_path / "w")
    write_files(repo, {".release-lint.toml": "select = ['DATA001']\n"})
    document = _json(cli("--format", "json", "--extend-select", "HW001", repo))
    assert sorted({f["code"] for f in document["findings"]}) == ["DATA001", "HW001"]
    result = cli("--extend-select", "NOPE123", repo)
    assert result.exit_code == 2 and "--extend-select: unknown rule 'NOPE123'" in result.output


@pytest.mark.parametrize("args, env, coloured", [
    ((), {}, False),
    ((), {"FORCE_COLOR": "1"}, True),
    ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    (("--color", "always"), {"NO_COLOR": "1"}, True),
    (("--color", "always", "--no-color"), {}, False),
    (("--color", "never"), {"FORCE_COLOR": "1"}, False),
    ((), {"TERM": "dumb"}, False),
])
def test_colour_choice_and_environment(cli, tmp_path, args, env, coloured):
    repo = make_repo(tmp_path / "r", {"README.md": "# M\n"})
    env = {"FORCE_COLOR": None, "NO_COLOR": None, "TERM": None, **env}  # None: unset for the run
    assert ("\033[" in cli(*args, "--select", "LIC001", repo, env=env).output) is coloured


@pytest.mark.parametrize("export", ["mof", "sarif", "json"])
def test_exports_to_a_file_keep_the_exit_code_of_the_findings(cli, tmp_path, export):
    repo = copy_fixture("weights-only", tmp_path / "w")
    out = tmp_path / f"report.{export}"
    assert cli(repo).exit_code == 1
    assert cli("--format", export, "--output-file", out, repo).exit_code == 1
    assert out.read_text(encoding="utf-8").strip()
    assert cli("--format", export, "--output-file", out, "--exit-zero", repo).exit_code == 0
    assert cli("--format", export, "--output-file", out, "--fail-on", "error", "--select", "REL", repo).exit_code == 0


def test_folding_keeps_every_place_a_user_must_visit():
    from release_lint.findings import Finding, Result
    from release_lint.formats import text

    def finding(code, path, line, message):
        return Finding(code, "rule-name", "info", "artifacts", message, path, line)

    result = Result(root=".", findings=[
        finding("ART005", "a.safetensors", None, "a.safetensors: no checksum published (looked for SHA256SUMS)"),
        finding("ART005", "b.safetensors", None, "b.safetensors: no checksum published (looked for SHA256SUMS)"),
        finding("ART002", "x.pt", None, "x.pt is a pickle"),
        finding("ART002", "y.ckpt", None, "y.ckpt may run code when loaded"),
        finding("ART009", "README.md", 4, "link to w.bin is broken"),
        finding("ART009", "README.md", 9, "link to v.bin is broken"),
    ])
    assert text.render(result, quiet=True).splitlines() == [
        "Info (6)",
        "  artifacts  ART002    x.pt: is a pickle",
        "             ART002    y.ckpt: may run code when loaded",
        "             ART005    (2) no checksum published: a.safetensors, b.safetensors",
        "             ART009    README.md:4,9: (2) link to ... is broken: w.bin, v.bin",
    ]


# --- 5. a light install ------------------------------------------------------------------------------


def test_git_library_is_imported_only_when_the_run_needs_git(tmp_path):
    import subprocess
    import sys

    plain = make_repo(tmp_path / "plain", {"README.md": CARD, "LICENSE": MIT}, git_init=False)
    script = ("import sys\nfrom release_lint.cli import main\n"
              "try:\n    main(args=['--exit-zero', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
              "print('git' in sys.modules, 'licensedcode' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script, str(plain)], capture_output=True, text=True, check=True,
                          cwd=PROJECT_ROOT)
    assert done.stdout.splitlines()[-1] == "False False"
