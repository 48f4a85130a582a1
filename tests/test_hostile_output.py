"""Nothing a repository contains can speak to the CI runner or the terminal.

A pull request's author controls file names and card text. This suite puts newlines, CRs, ``::``
workflow commands (``::error``, ``::add-mask::``, ``::stop-commands::``), the legacy ``##[...]``
form, ``%`` escapes, ANSI/OSC escape sequences, C1 controls and bidi overrides into file names,
a symlink's name (a stderr note) and model card values, runs the real CLI with every format, on
and off GitHub Actions, and reads stdout and stderr as the runner would (tests/runner_model.py):
the only workflow commands must be the annotations release-lint meant to write, and no output may
carry a raw control, escape or bidi character.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from release_lint.formats._inert import CONTROL_RE, inert
from tests.conftest import PROJECT_ROOT, make_repo
from tests.runner_model import meant, run_log

PICKLE = b"\x80\x02N."  # a pickle stream (None): ART001 and ART005 fire on each
HOSTILE_NAMES = [
    "x\n::error title=Forged::newline.pkl",
    "cr\r::error title=Forged::cr.pkl",
    "::add-mask::mask.pkl",
    "::stop-commands::pwned.pkl",
    "  ::warning title=Forged::indented.pkl",
    "100%0A::warning title=Forged::percent.pkl",
    "##[error]legacy.pkl",
    "\x1b[2J\x1b[Hclear.pkl",
    "osc\x1b]0;TITLE\x07.pkl",
    "c1\u009b31mcsi.pkl",
    "bidi\u202eexe.lmth\u202c.pkl",
    "iso\u2066late\u2069.pkl",
    "sep\u2028line.pkl",
]
BENIGN = [f"w{i:02}.pkl" for i in range(12)]  # enough findings for the github overflow lines
CARD = (
    "---\n"
    'license: "other\\e[2J\\e[3J"\n'
    'version: "1.0\\n::error title=Forged::from the card \\u202e ##[add-mask]x"\n'
    'license_name: "n\\r::warning::cr"\n'
    "license_link: \"LICENSE\\e]0;T\\a\\n::error::link\"\n"
    "---\n"
    "# Pebble\n\n"
    "Weights: see [the shards](\"weights\u202e.md\") and {{ \x1bc }}.\n"
)
CITATION = 'cff-version: 1.2.0\nmessage: m\ntitle: t\nauthors: [{name: a}]\nversion: "2.0\\n::error::cff"\n'
# Raw in no output: C0 but for the line feed, DEL, C1, the separators and every bidi control.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
MEANT_TITLE = re.compile(r"^(?:[A-Z]+\d{3} [a-z0-9-]+|release-lint: more findings|release-lint internal error)$")


@pytest.fixture(scope="module")
def hostile_repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile") / "repo"
    files = {name: PICKLE for name in HOSTILE_NAMES + BENIGN}
    files.update({"README.md": CARD, "CITATION.cff": CITATION, "LICENSE": "MIT License\n"})
    make_repo(root, files, commit=False)
    # git itself, not GitPython (which refuses some of these names in its index)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "commit", "--quiet", "-m", "hostile names"], cwd=root, check=True)
    os.symlink("/etc/hostname", root / "s\n::warning title=Forged::symlink.md")  # a note on stderr
    (root / "untracked \x1b[31mred\u202e.txt").write_text("x\n")  # REL001 lists it in its message
    return root


def run(root: Path, *args: str, actions: bool = False, summary: Path = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PRE_COMMIT"))}
    env.update(PYTHONPATH=str(PROJECT_ROOT), PYTHONIOENCODING="utf-8")
    if actions:
        env["GITHUB_ACTIONS"] = "true"
    if summary is not None:
        env["GITHUB_STEP_SUMMARY"] = str(summary)
    done = subprocess.run([sys.executable, "-m", "release_lint", *args, str(root)], stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=300, env=env, cwd=str(root.parent))
    assert done.returncode == 1, done.stderr.decode("utf-8", "replace")
    return done


def only_meant_commands(stream: str) -> list:
    """The commands the runner would run on *stream*: every one an annotation of ours, every
    stop-commands block closed by its own random token."""
    commands, _plain = run_log(stream)
    tokens = [c[2] for c in commands if c[0] == "stop-commands"]
    assert all(re.fullmatch(r"release-lint-[0-9a-f]{32}", token) for token in tokens), tokens
    assert sorted(c[0] for c in commands if c[0] in tokens) == sorted(tokens)  # each block was closed
    annotations = meant(commands)
    for name, properties, _message in annotations:
        assert name in ("error", "warning", "notice"), (name, properties)
        assert set(properties) <= {"file", "line", "title"}, properties
        assert MEANT_TITLE.match(properties.get("title", "")), properties
    return annotations


def assert_inert(text: str) -> None:
    found = RAW_CONTROL.search(text)
    assert found is None, f"raw {found.group()!r} in output near {text[max(0, found.start() - 40):found.end() + 40]!r}"


def test_the_repository_really_holds_the_hostile_names(hostile_repo):
    # The repository really holds the names (the rest of the suite would prove nothing otherwise).
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=hostile_repo, capture_output=True, check=True).stdout
    assert all(os.fsencode(name) in listed.split(b"\0") for name in HOSTILE_NAMES)


@pytest.mark.parametrize("output_format", ["text", "json", "github", "sarif", "markdown", "mof", "auto"])
@pytest.mark.parametrize("actions", [True, False], ids=["actions", "terminal"])
def test_every_format_writes_only_its_own_commands_and_no_raw_controls(hostile_repo, output_format, actions, tmp_path):
    summary = tmp_path / "summary.md"
    done = run(hostile_repo, "--format", output_format, "--no-color", actions=actions, summary=summary if actions else None)
    stdout, stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    for stream in (stdout, stderr):
        assert_inert(stream)
    assert "release-lint: note: s\\n::warning title=Forged::symlink.md: symlink points outside" in stderr
    assert only_meant_commands(stderr) == []
    if actions:  # the runner reads both streams
        annotations = only_meant_commands(stdout)
        if output_format in ("github", "auto"):
            titles = {props.get("title") for _name, props, _message in annotations}
            assert "ART001 pickle-weights" in titles and "release-lint: more findings" in titles
            # Files are named as the text report names them; the runner unescapes nothing else into them.
            files = {props["file"] for _name, props, _message in annotations if "file" in props}
            allowed = {inert(name) for name in HOSTILE_NAMES + BENIGN} | {"README.md", "CITATION.cff", "LICENSE"}
            assert files <= allowed and files & {inert(name) for name in HOSTILE_NAMES}, files
            for _name, _props, message in annotations:  # one line break, ours, before the fix hint
                assert not RAW_CONTROL.search(message.replace("\nFix: ", " Fix: ")), message
        else:
            assert annotations == []
        if output_format in ("github", "auto"):
            assert_inert(summary.read_text(encoding="utf-8"))
            assert summary.read_text(encoding="utf-8").startswith("## release-lint\n\n### Openness\n")
    else:
        assert not summary.exists()
    if output_format in ("json", "sarif"):
        document = json.loads(stdout)  # the exact data survives: escapes, not losses
        if output_format == "json":
            paths = {finding["path"] for finding in document["findings"]}
        else:
            paths = {unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
                     for r in document["runs"][0]["results"]}
        assert set(HOSTILE_NAMES) <= paths


def test_text_on_a_terminal_shows_names_escaped_on_one_line_each(hostile_repo):
    concise = run(hostile_repo, "--format", "text", "--select", "ART001").stdout.decode("utf-8")
    assert not CONTROL_RE.search(concise.replace("\n", ""))  # the one-screen report: escaped too
    assert "\\x1b[2J\\x1b[Hclear.pkl" in concise and "bidi\\u202eexe.lmth\\u202c.pkl" in concise
    text = run(hostile_repo, "--format", "full", "--select", "ART001").stdout.decode("utf-8")
    lines = [line for line in text.splitlines() if "ART001" in line]
    assert len(lines) == len(HOSTILE_NAMES) + len(BENIGN)
    assert "x\\n::error title=Forged::newline.pkl: ART001 [warning] x\\n::error title=Forged::newline.pkl is a " \
           "pickle stream" in text
    assert "\\x1b[2J\\x1b[Hclear.pkl: ART001" in text and "bidi\\u202eexe.lmth\\u202c.pkl: ART001" in text
    assert "c1\\x9b31mcsi.pkl: ART001" in text and "sep\\u2028line.pkl: ART001" in text


def test_github_overflow_lines_start_with_release_lint_inside_a_stop_commands_block(hostile_repo):
    out = run(hostile_repo, "--format", "github").stdout.decode("utf-8")
    commands, plain = run_log(out)
    overflow = [line for line in plain if " [" in line and not line.startswith("Found ")]
    assert overflow and all(line.startswith("release-lint: ") for line in overflow)
    start = out.index("::stop-commands::release-lint-")
    token = out[start:].split("\n", 1)[0].rsplit("::", 1)[1]
    assert out.index(f"::{token}::") > out.index(overflow[-1])


def test_sarif_uris_are_percent_encoded_references_that_decode_to_the_path(hostile_repo):
    document = json.loads(run(hostile_repo, "--format", "sarif", "--select", "ART001").stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]}
    assert "100%250A%3A%3Awarning%20title%3DForged%3A%3Apercent.pkl" in uris
    assert "x%0A%3A%3Aerror%20title%3DForged%3A%3Anewline.pkl" in uris
    assert all(re.fullmatch(r"[A-Za-z0-9\-._~/%!$&'()*+,;=@]+", uri) for uri in uris), uris
    assert {unquote(uri) for uri in uris} == set(HOSTILE_NAMES + BENIGN)
