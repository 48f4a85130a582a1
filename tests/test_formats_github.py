"""`--format github`: workflow commands the runner parses back to exactly what we meant, the
per-level annotation cap, and the job summary."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from release_lint.findings import Finding, Result
from release_lint.formats import github
from tests.conftest import make_repo
from tests.runner_model import meant, parse_command, run_log

def finding(code="LIC001", severity="error", message="m", path=None, line=None, fix=None, name="license-file-missing"):
    return Finding(code=code, name=name, severity=severity, area="licensing", message=message, path=path, line=line,
                   fix=fix, key=path or ".")


def result_of(*findings) -> Result:
    return Result(root="/repo", findings=list(findings), rules_run=sorted({f.code for f in findings}))


# --- escaping ---------------------------------------------------------------------------------------

NASTY = st.text(alphabet=st.sampled_from(list("%:,\r\n=ab ::é%0A%25")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(message=NASTY, path=NASTY.filter(bool), title=NASTY, line=st.one_of(st.none(), st.integers(1, 10**6)))
def test_messages_and_properties_round_trip_through_the_runner_parser(message, path, title, line):
    text = github.command("warning", message, file=path, line=line, title=title)
    assert "\n" not in text and "\r" not in text  # one physical line: nothing can start a second command
    parsed = parse_command(text)
    assert parsed is not None
    name, properties, data = parsed
    assert name == "warning"
    assert data == message
    expected = {"file": path, "title": title}
    if line is not None:
        expected["line"] = str(line)
    # As the runner does: a property with an empty value is dropped, and the property list is trimmed.
    # (title is written last, so only its trailing spaces go).
    expected["title"] = title.rstrip(" ")
    assert properties == {key: value for key, value in expected.items() if value}


def test_known_escapes_match_the_runner_spelling():
    assert github.escape_data("100% a:b,c\r\nd") == "100%25 a:b,c%0D%0Ad"
    assert github.escape_property("100% a:b,c\r\nd") == "100%25 a%3Ab%2Cc%0D%0Ad"
    # Already-escaped-looking input is escaped again, so it comes back literally.
    assert parse_command(github.command("error", "%0A", title="%2C"))[1:] == ({"title": "%2C"}, "%0A")


def test_each_finding_is_one_annotation_with_file_line_and_title():
    rendered = github.render(result_of(
        finding(message="licence text: 50% match, closest MIT\n::error::fake", path="docs/LICENSE, old.txt", line=3,
                fix="Replace it.\nExample: ..."),
        finding(code="CARD001", name="model-card-missing", severity="warning", message="card", path="README.md"),
        finding(severity="info", message="repo-level"),
    ))
    lines = rendered.splitlines()
    assert [parse_command(line) for line in lines[:3]] == [
        ("error", {"file": "docs/LICENSE, old.txt", "line": "3", "title": "LIC001 license-file-missing"},
         # The message's own newline is shown escaped (repository text never breaks a line); ours is real.
         "licence text: 50% match, closest MIT\\n::error::fake\nFix: Replace it."),
        ("warning", {"file": "README.md", "title": "CARD001 model-card-missing"}, "card"),
        # Repository-level: no file, so GitHub shows it on the run summary.
        ("notice", {"title": "LIC001 license-file-missing"}, "repo-level"),
    ]
    assert lines[3:] == ["Found 3 findings: 1 error, 1 warning, 1 info."]


def test_at_most_ten_annotations_per_level_then_one_notice():
    findings = (
        [finding(message=f"e{i}", path=f"e{i:02}") for i in range(25)]
        + [finding(severity="warning", message=f"w{i}", path=f"w{i}") for i in range(3)]
        + [finding(severity="info", message=f"i{i}", path=f"i{i:02}") for i in range(12)]
    )
    commands, plain = run_log(github.render(result_of(*findings)))
    commands = meant(commands)
    levels = [c[0] for c in commands]
    assert levels.count("error") == 10 and levels.count("warning") == 3
    # 9 info findings plus the overflow notice: the runner keeps 10 notices.
    assert levels.count("notice") == 10
    assert [c[2] for c in commands if c[0] == "error"] == [f"e{i}" for i in range(10)]
    assert commands[-1][1] == {"title": "release-lint: more findings"}
    assert commands[-1][2].startswith("18 more release-lint findings are not shown as annotations")
    # The 18 others are still in the log, as plain lines that start with our name, then the summary line.
    assert len(plain) == 19
    assert plain[0] == "release-lint: e10: LIC001 [error] e10" and plain[-4:-1] == [
        "release-lint: i09: LIC001 [info] i9", "release-lint: i10: LIC001 [info] i10", "release-lint: i11: LIC001 [info] i11"]


def test_findings_on_a_line_take_the_slots_before_files_and_the_repository():
    findings = (
        [finding(message=f"repo{i}") for i in range(6)]
        + [finding(message=f"file{i}", path=f"f{i}.md") for i in range(3)]
        + [finding(message=f"line{i}", path=f"z{i}.md", line=i + 1) for i in range(5)]
    )
    commands, plain = run_log(github.render(result_of(*findings)))
    errors = [c[2] for c in meant(commands) if c[0] == "error"]
    assert errors == [f"line{i}" for i in range(5)] + [f"file{i}" for i in range(3)] + ["repo0", "repo1"]
    assert [line for line in plain if "[error]" in line] == [f"release-lint: .: LIC001 [error] repo{i}" for i in range(2, 6)]


def test_no_overflow_notice_when_everything_fits():
    lines = github.render(result_of(*[finding(message=str(i), path=str(i)) for i in range(10)])).splitlines()
    assert len(lines) == 11 and all(parse_command(line)[0] == "error" for line in lines[:10])


def test_long_messages_are_cut_to_the_runner_limit():
    name, _, data = parse_command(github.annotation(finding(message="x" * 5000)))
    assert len(data) == github.MAX_MESSAGE


# --- job summary --------------------------------------------------------------------------------------

def test_job_summary_counts_areas_and_links_every_finding():
    summary = github.job_summary(result_of(
        finding(message="a | b\nc", path="x.md", line=2),
        finding(code="CARD001", name="model-card-missing", severity="warning", message="no card"),
    ))
    assert "2 findings: 1 error, 1 warning, 0 info." in summary
    assert "| 🔴 error | 1 |" in summary and "| 🟡 warning | 1 |" in summary
    assert "| licensing | 1 | 1 | 0 | 2 |" in summary
    rows = [line for line in summary.splitlines() if "docs/rules.md#" in line]
    assert rows == [
        "| 🔴 error | [LIC001 license-file-missing](https://github.com/release-lint/release-lint/blob/main/docs/rules.md#lic001)"
        " | `x.md:2` | a \\| b c |",
        "| 🟡 warning | [CARD001 model-card-missing](https://github.com/release-lint/release-lint/blob/main/docs/rules.md#card001)"
        " | (repository) | no card |",
    ]


def test_job_summary_starts_with_the_openness_verdict(cli, tmp_path):
    repo = make_repo(tmp_path / "repo", {"README.md": "# Model\n", "LICENSE": "MIT License\n"})
    summary = tmp_path / "summary.md"
    cli("--format", "github", repo, env={"GITHUB_STEP_SUMMARY": str(summary)})  # a full run: the verdict is computed
    lines = summary.read_text(encoding="utf-8").splitlines()
    assert lines[:5] == ["## release-lint", "", "### Openness", "", "| area | grade | missing |"]
    verdict = next(i for i, line in enumerate(lines) if line.startswith("**Model Openness Framework:**"))
    osaid = next(i for i, line in enumerate(lines) if line.startswith("**OSI Open Source AI Definition:**"))
    counts = next(i for i, line in enumerate(lines) if line.endswith(" info.") and "findings:" in line)
    assert verdict < osaid < counts
    # Without a verdict (a narrowed run) the summary starts with the counts, as before.
    cli("--format", "github", "--select", "LIC001", repo, env={"GITHUB_STEP_SUMMARY": str(tmp_path / "s2.md")})
    assert (tmp_path / "s2.md").read_text(encoding="utf-8").startswith("## release-lint\n\nNo findings")


def test_job_summary_stays_under_the_size_limit():
    many = result_of(*[finding(message="é" * 500, path=f"f{i:05}") for i in range(5000)])
    summary = github.job_summary(many)
    assert len(summary.encode("utf-8")) <= github.SUMMARY_LIMIT < 1024 * 1024
    assert summary.rstrip().endswith("see the log).")
    small = github.job_summary(many, limit=20_000)
    assert len(small.encode("utf-8")) <= 20_000
    shown = small.count("| 🔴 error | [LIC001")
    assert 0 < shown < 5000 and f"… and {5000 - shown} more findings" in small


def test_cli_appends_the_job_summary_when_the_variable_is_set(cli, tmp_path):
    repo = make_repo(tmp_path / "repo", {"data.txt": "x\n"})
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    result = cli("--format", "github", "--select", "LIC001,CARD001", repo, env=env)
    assert result.exit_code == 1
    assert [parse_command(line)[0] for line in result.output.splitlines()[:2]] == ["error", "error"]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## release-lint\n")
    assert "docs/rules.md#card001" in text and "docs/rules.md#lic001" in text
    # Plain text output does not touch it (a local run with the variable left over).
    cli("--format", "text", "--select", "LIC001", repo, env=env)
    assert summary.read_text(encoding="utf-8") == text


def test_auto_format_is_annotations_plus_text_on_actions_only(cli, tmp_path):
    repo = make_repo(tmp_path / "repo", {"README.md": "# M\n"})
    summary = tmp_path / "summary.md"
    local = cli("--select", "LIC001", repo, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert not any(line.startswith("::") for line in local.output.splitlines())
    assert not summary.exists()
    on_actions = cli("--select", "LIC001", repo, env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    commands, plain = run_log(on_actions.output)
    assert [c[:2] for c in commands] == [
        ("error", {"title": "LIC001 license-file-missing"}),
        ("stop-commands", {}),  # then exactly the text report, where the runner runs no command
        (commands[1][2], {}),
    ]
    assert commands[1][2].startswith("release-lint-") and len(commands[1][2]) == len("release-lint-") + 32
    assert plain == local.output.splitlines()
    assert "LIC001" in summary.read_text(encoding="utf-8")


# --- the composite action -----------------------------------------------------------------------------

def _action():
    import yaml

    from tests.conftest import PROJECT_ROOT

    return yaml.safe_load((PROJECT_ROOT / "action.yml").read_text(encoding="utf-8"))


def test_action_is_composite_with_the_documented_inputs_and_no_inline_expressions():
    action = _action()
    assert set(action["inputs"]) == {"path", "args", "fail-on", "version", "cache"}
    assert action["inputs"]["path"]["default"] == "." and action["inputs"]["fail-on"]["default"] == "warning"
    assert action["runs"]["using"] == "composite"
    scripts = [step for step in action["runs"]["steps"] if "run" in step]
    for step in scripts:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"]  # inputs arrive as environment variables only
    key, install, run = scripts
    assert install["env"] == {"RELEASE_LINT_VERSION": "${{ inputs.version }}",
                              "PIP_CACHE_DIR": "${{ runner.temp }}/release-lint-pip-cache"}
    assert '"release-lint==$RELEASE_LINT_VERSION"' in install["run"] and '"$GITHUB_ACTION_PATH"' in install["run"]


def test_action_caches_pip_downloads_in_the_folder_pip_uses():
    steps = _action()["runs"]["steps"]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    install = next(step for step in steps if step.get("name") == "Install release-lint")
    assert cache["with"]["path"] == install["env"]["PIP_CACHE_DIR"]
    assert cache["with"]["key"] == "${{ steps.cache-key.outputs.key }}"
    assert steps.index(cache) < steps.index(install)


def _run_step(tmp_path, repo, args, fail_on="warning"):
    """The action's run step under bash, as the runner would run it, with this tree as the install."""
    import subprocess
    import sys

    from tests.conftest import PROJECT_ROOT

    runner_temp = tmp_path / "runner-temp"
    python = runner_temp / "release-lint-venv" / "bin" / "python"
    python.parent.mkdir(parents=True, exist_ok=True)
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    summary = tmp_path / "step-summary.md"
    env = {
        "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(PROJECT_ROOT),
        "RUNNER_TEMP": str(runner_temp), "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary),
        "INPUT_PATH": str(repo), "INPUT_ARGS": args, "INPUT_FAIL_ON": fail_on,
    }
    done = subprocess.run(["bash", "-e", "-c", _action()["runs"]["steps"][-1]["run"]], env=env, capture_output=True,
                          text=True, check=False)
    return done, summary


def test_action_run_step_annotates_and_writes_the_summary(tmp_path):
    repo = make_repo(tmp_path / "repo", {"README.md": "# Model\n"})
    sarif_file = tmp_path / "out dir" / "r.sarif"
    sarif_file.parent.mkdir()
    done, summary = _run_step(tmp_path, repo, f"--select 'LIC001, CARD001' --format sarif --output-file '{sarif_file}'")
    assert done.returncode == 1, done.stderr
    assert parse_command(done.stdout.splitlines()[0])[:2] == ("error", {"title": "LIC001 license-file-missing"})
    assert "docs/rules.md#lic001" in summary.read_text(encoding="utf-8")
    # Args with quotes and spaces arrive intact: SARIF in the file, annotations and text in the log.
    assert [r["ruleId"] for r in json.loads(sarif_file.read_text(encoding="utf-8"))["runs"][0]["results"]] == ["LIC001"]
    assert run_log(done.stdout)[1][-1] == "Found 1 finding: 1 error, 0 warnings, 0 info."
    passing, _ = _run_step(tmp_path, repo, "--select CARD001")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert _run_step(tmp_path, repo, "--select LIC001", fail_on="error")[0].returncode == 1
    # A hostile input is data, not shell.
    hostile, _ = _run_step(tmp_path, repo, "--select CARD001 $(touch pwned) `touch pwned2`")
    assert hostile.returncode == 2 and not (tmp_path / "pwned").exists() and not list(repo.glob("pwned*"))
