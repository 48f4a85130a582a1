"""Property-based tests of every parser of the core: arbitrary input never raises, and input built to
make a backtracking parser slow (a short motif repeated to fill a line, a file or a YAML block) is parsed
in time linear in its size.

"Linear" is not timed here (tests time nothing; `bench/linearity.py` measures how cost grows): each
adversarial input is large enough that a quadratic parser would take minutes to hours (100 KB in-process,
1 MiB — the read cap — in a child process whose timeout is only a safety net against a hang).
Rule areas add their own parsers (requirements, CITATION.cff, hardware and hyperparameter extraction)
with the same helpers: ``assert_linear_in_process`` and ``MOTIF_ALPHABET``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from release_lint.config import ConfigError, KEYS, _load_toml, parse_table
from release_lint.filereads import decode_text
from release_lint.mdparse import load_yaml, parse_markdown, split_lines
from tests.conftest import PROJECT_ROOT

# Characters that Markdown, YAML and the title cleaner treat specially, plus a few ordinary ones.
MOTIF_ALPHABET = list("#-=`~*_[]()<>/!&|{}:,?'\"\\%@ \t\rhH123a") + ["\n", "\ufeff", "\u00e9", "\u2028"]
MARKDOWN_TEXT = st.text(alphabet=st.sampled_from(MOTIF_ALPHABET) | st.characters(), max_size=400)
FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- never raise -----------------------------------------------------------------------------------
@FUZZ
@given(MARKDOWN_TEXT)
def test_markdown_never_raises_and_headings_are_consistent(text):
    for candidate in (text, "---\n" + text + "\n---\n# T\n", "\ufeff" + text):
        doc = parse_markdown(candidate)
        total = len(doc.lines)
        for heading in doc.headings:
            assert 1 <= heading.level <= 6
            assert doc.body_start_line <= heading.line <= total
            assert heading.body_start == heading.line + 1
            assert heading.line <= heading.body_end <= heading.content_end <= total
            assert "\n" not in heading.title and heading.title == heading.title.strip()
            doc.body(heading)
            doc.content(heading)
        matter = doc.front_matter
        if matter.present:
            assert matter.error is None or 1 <= matter.error_line <= max(total, 1)
            assert all(matter.start_line < line < matter.end_line for line in matter.key_lines.values())


YAML_TEXT = st.text(alphabet=st.sampled_from(list("-:?[]{},&*!|>'\"#%@ \n\tab1.")) | st.characters(), max_size=300)


@FUZZ
@given(YAML_TEXT)
def test_load_yaml_never_raises(text):
    parsed = load_yaml(text)
    if parsed.error is not None:
        assert parsed.mapping == {} and isinstance(parsed.error_line, int)
    for key, line in parsed.key_lines.items():
        assert 1 <= line <= len(split_lines(text))


@FUZZ
@given(st.binary(max_size=600))
def test_decode_text_never_raises(data):
    text = decode_text(data)
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        assert text is not None
    elif b"\0" in data[:8192]:
        assert text is None
    else:
        assert text == data.decode("utf-8", "replace")


@FUZZ
@given(st.lists(st.sampled_from(["a", "\r", "\n", "\r\n", "\u2028", "\x0b", "\x85"]), max_size=200).map("".join))
def test_split_lines_never_raises_and_counts_only_cr_and_lf(text):
    lines = split_lines(text)
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    assert "\n".join(lines) == normalised and len(lines) == normalised.count("\n") + 1


TOML_SCALARS = st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.floats(allow_nan=True), st.none())
TOML_VALUES = st.recursive(
    TOML_SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
CONFIG_KEYS = st.sampled_from([*KEYS, "ignore", "severity", "unknown"]) | st.text(max_size=10)
RULE_KEYS = st.sampled_from(["LIC001", "CARD001", "license-file-missing", "LIC", "ALL", "NOPE999"]) | st.text(max_size=8)
CONFIG_TABLES = st.dictionaries(
    CONFIG_KEYS,
    TOML_VALUES | st.dictionaries(RULE_KEYS, TOML_VALUES, max_size=3)
    | st.lists(st.sampled_from(["LIC", "CARD001", "x", "LIC001,CARD"]) | st.fixed_dictionaries(
        {"code": st.sampled_from(["LIC001", "bogus"])}, optional={"reason": TOML_SCALARS}), max_size=3),
    max_size=5,
)


@FUZZ
@given(CONFIG_TABLES)
def test_config_tables_only_raise_config_error(table):
    try:
        config = parse_table("pyproject.toml", table)
    except ConfigError as exc:
        assert str(exc).startswith("pyproject.toml") and len(str(exc)) < 600
    else:
        assert config.source == "pyproject.toml"


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("[]{}=\"'.,#\n abc1tool-release-lint")) | st.characters(), max_size=200))
def test_toml_text_only_raises_config_error(text):
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False, encoding="utf-8", errors="surrogatepass") as handle:
        handle.write(text)
    try:
        _load_toml(handle.name)
    except ConfigError as exc:
        assert str(exc).startswith(handle.name)
    finally:
        os.unlink(handle.name)


PATH_PARTS = st.sampled_from(["a", "b", "A", "a.b", "é", " ", "-"])
RELEASE_PATHS = st.lists(st.lists(PATH_PARTS, min_size=1, max_size=4).map("/".join), max_size=20)


@FUZZ
@given(RELEASE_PATHS, st.lists(PATH_PARTS, min_size=1, max_size=4).map("/".join))
def test_repo_folder_and_case_lookups_agree_with_a_scan(files, probe):
    """The indexes behind is_dir, exists_ci and glob give what a scan of every path would."""
    from release_lint.repo import Repo

    class Listed:  # a source listing *files*, nothing on disk
        is_git, submodules, notes = False, [], []

        def list_files(self):
            return sorted(set(files))

    repo = Repo("/nonexistent", source=Listed())
    for candidate in (probe, probe + "/", "/" + probe):
        wanted = candidate.strip("/") + "/"
        assert repo.is_dir(candidate) == any(f.startswith(wanted) for f in repo.files)
    for name in (probe, probe.split("/")[0], probe.upper()):
        assert repo.exists_ci(name) == next((f for f in repo.files if f.lower() == name.lower()), None)
    assert repo.root_files() == [f for f in repo.files if "/" not in f]
    from release_lint.globs import glob_regex

    for pattern in (probe, probe + "/**", probe + "/*", "**/" + probe, probe.upper() + "/**/*", probe + "/*.b"):
        brute = [f for f in repo.files if glob_regex(pattern).match(f)]
        assert repo.glob(pattern) == brute, pattern


# --- long repeated input ---------------------------------------------------------------------------
# Tests time nothing: bench/linearity.py measures how cost grows with these inputs. Here every parse of a
# 100 KB repetition must finish and return a document (a quadratic parser makes this suite crawl visibly).


def assert_linear_in_process(parse, text: str) -> None:
    assert parse(text) is not None


def tile(motif: str, size: int) -> str:
    return motif * (size // len(motif) + 1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(MOTIF_ALPHABET), min_size=1, max_size=6),
       st.sampled_from(["", "# ", "## a ", "<h2>", "  <H3 id=x>", "Title\n", "- ", "> "]),
       st.sampled_from(["", "\n===", "\n---", " ##", "</h2>"]))
def test_repeated_motifs_parse_in_linear_time(motif, prefix, suffix):
    """A motif repeated into one 100 KB line (as a heading, an HTML heading, a setext title...)."""
    text = prefix + tile(motif.replace("\n", " ").replace("\r", " "), 100_000) + suffix
    assert_linear_in_process(parse_markdown, text)
    assert_linear_in_process(parse_markdown, tile(prefix + motif + suffix + "\n", 100_000))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("-:?[]{},&*!|>'\"# \nab")), min_size=1, max_size=6))
def test_repeated_yaml_motifs_load_in_linear_time(motif):
    assert_linear_in_process(load_yaml, tile(motif, 100_000))
    assert_linear_in_process(parse_markdown, "---\n" + tile(motif, 100_000) + "\n---\n")


# One MiB (the read cap) of each family that made a backtracking heading parser quadratic, in a child
# process so a regression fails on the timeout instead of hanging the suite.
PATHOLOGICAL = {
    "atx-spaces-inside": "'# a' + ' ' * N + 'b'",
    "atx-closing-hashes": "'# a' + ' #' * (N // 2) + 'x'",
    "html-spaces": "'<h1>' + ' ' * N + 'x'",
    "open-brackets": "'# ' + '[' * N",
    "link-openers": "'# ' + '[a](' * (N // 4)",
    "angle-brackets": "'# ' + '<a' * (N // 2)",
    "setext-long-title": "'x' + ' ' * N + 'y\\n==='",
    "backtick-runs": "'`' * N",
    "unclosed-front-matter": "'---\\n' + 'a: [' * (N // 4)",
    "yaml-flow-commas": "'---\\na: [' + 'b, ' * (N // 3) + ']\\n---\\n'",
    "yaml-anchors": "'---\\n' + ''.join(f'k{i}: &a{i} x\\n' for i in range(N // 16)) + '---\\n'",
    "yaml-quotes": "'---\\na: \\'' + \"''\" * (N // 2) + \"'\\n---\\n\"",
}


@pytest.mark.parametrize("expression", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_one_mebibyte_pathological_markdown_parses_in_linear_time(expression):
    code = (
        "from release_lint.mdparse import parse_markdown\n"
        f"N = 1024 * 1024\ntext = {expression}\nparse_markdown(text)\nprint('ok')\n"
    )
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, env=env)
    assert done.stdout == b"ok\n", done.stderr.decode()


# --- exclude patterns: accepted ones match in linear time, the rest are configuration errors ------------
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.sampled_from(list("*?[]!\\/a.b-")), min_size=1, max_size=40), min_size=1, max_size=4))
def test_exclude_patterns_are_accepted_and_matched_fast_or_refused(patterns):
    """A pattern the configuration accepts is matched against a long name with a CPU bound; anything else
    (too many `*`, an invalid pattern) is a ConfigError, never another exception."""
    from release_lint.repo import Repo

    try:
        config = parse_table(".release-lint.toml", {"exclude": patterns})
    except ConfigError as exc:
        assert str(exc).startswith(".release-lint.toml: exclude: ")
        return

    class Listed:  # one long name, nothing on disk
        is_git, submodules, notes = False, [], []

        def list_files(self):
            return ["a" * 200, "a/" * 100 + "b", "a.b"]

    assert_linear_in_process(lambda _text: Repo("/nonexistent", source=Listed(), exclude=config.exclude), "")
