"""Card metadata read exactly as the Hugging Face Hub reads it.

``huggingface_hub`` (test extra only; its ``repocard.metadata_load`` works offline) is the oracle: for
every Markdown file of the fixtures and for generated documents, release-lint's front matter must give
the metadata the Hub's parser gives: the same mapping, none, or a failure.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from release_lint.mdparse import parse_markdown
from tests.conftest import FIXTURES

repocard = pytest.importorskip("huggingface_hub.repocard")

NOT_A_MAPPING, INVALID = "not a mapping", "invalid YAML"


def hub_metadata(text: str):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "README.md")
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        try:
            return repocard.metadata_load(path)
        except ValueError:
            return NOT_A_MAPPING
        except yaml.YAMLError:
            return INVALID


def our_metadata(text: str):
    matter = parse_markdown(text).front_matter
    if not matter.present or (matter.error and "is never closed" in matter.error):
        return None  # an unclosed block is reported (CARD002) but, like the Hub, read as no metadata
    if matter.error:
        return INVALID
    if matter.data is None:
        return None
    return matter.data if isinstance(matter.data, dict) else NOT_A_MAPPING


CARD_FILES = sorted(p for p in FIXTURES.rglob("*.md"))


@pytest.mark.parametrize("path", CARD_FILES, ids=[str(p.relative_to(FIXTURES)) for p in CARD_FILES])
def test_every_fixture_card_reads_as_the_hub_reads_it(path: Path):
    text = path.read_text(encoding="utf-8")
    assert our_metadata(text) == hub_metadata(text)


def test_the_fixtures_hold_cards_with_metadata():
    # The comparison above means something only if many fixture cards carry metadata.
    assert sum(isinstance(hub_metadata(p.read_text(encoding="utf-8")), dict) for p in CARD_FILES) >= 15


@pytest.mark.parametrize("text, expected", [
    ("\n\n---\nlicense: mit\n---\n# M\n", {"license": "mit"}),  # leading blank lines: the Hub reads it
    ("  \n ---\nlicense: mit\n---\n", {"license": "mit"}),
    ("---\nlicense: mit\n...\n# M\n", None),  # `...` does not close front matter on the Hub
    ("---\nlicense: mit\n---   \n# M\n", {"license": "mit"}),
    ("---\nlicense: mit\n ---\n# M\n", None),  # an indented `---` does not close it
    ("--- \nlicense: mit\n---\n", None),  # nor does `--- ` open it
    ("# M\n---\nlicense: mit\n---\n", None),
    ("---\n---\nlicense: mit\n---\n", {"license": "mit"}),
    ("---\n\t\n---\n# M\n", "invalid YAML"),  # a blank-looking block that is not valid YAML
    ("---\nlicense: mit\n---\t\n# M\n", {"license": "mit"}),
])
def test_hub_edge_cases(text, expected):
    assert hub_metadata(text) == expected
    assert our_metadata(text) == expected


# Lines a card may start with. Tabs are left out: on some tab-holding blocks (" ---" then a tab line,
# "---<tab>" inside the block) PyYAML's C loader (release-lint) and its Python loader (the Hub) disagree:
# that is YAML parsing, not front matter finding, which the explicit cases above cover with tabs.
LINES = ["", "  ", "---", " ---", "--- ", "...", "----", "license: mit", "tags: [a, b]", "# Title", "text",
         "- item", "nested: {a: 1}", "bad: 'open", "key: value ---"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=8), st.booleans())
def test_generated_documents_read_as_the_hub_reads_them(lines, final_newline):
    text = "\n".join(lines) + ("\n" if final_newline else "")
    assert our_metadata(text) == hub_metadata(text)


def test_a_card_after_blank_lines_is_checked_with_its_own_line_numbers(tmp_path):
    # The Hub reads front matter after blank lines; so do the card rules, and lines stay exact.
    from release_lint import lint
    from tests.conftest import copy_fixture, finding_tuples

    plain = copy_fixture("card-bad-model-index", tmp_path / "plain")
    shifted = copy_fixture("card-bad-model-index", tmp_path / "shifted")
    readme = shifted / "README.md"
    readme.write_text("\n\n" + readme.read_text(encoding="utf-8"), encoding="utf-8")
    before = [t for t in finding_tuples(lint(plain, select=["CARD002", "CARD003", "CARD008"]))]
    after = [t for t in finding_tuples(lint(shifted, select=["CARD002", "CARD003", "CARD008"]))]
    assert [code for code, _p, _l in before].count("CARD008") == 5
    assert after == [(code, path, line + 2 if line else line) for code, path, line in before]


MODEL_INDEX = """---
license: mit
model-index:
- name: pebble
  results:
  - task: {type: text-generation}
    dataset: {type: tinystories, name: TinyStories}
    metrics:
    - {type: perplexity, value: 7.1}
{extra}---
# M
"""
DEFECTS = [
    "    source: {name: Paper}\n",  # a source needs a url
    "- results: []\n",  # a model without a name
    "- name: second\n",  # a model without results
    "- name: second\n  results:\n  - task: text-generation\n    dataset: {type: d, name: D}\n    metrics: []\n",
    "- name: second\n  results:\n  - task: {type: t}\n    dataset: {type: d}\n    metrics: [{type: acc, value: 1}]\n",
    "- name: second\n  results:\n  - task: {type: t}\n    dataset: {type: d, name: D}\n    metrics: [{value: 1}]\n",
    "- name: second\n  results:\n  - task: {type: t}\n    dataset: {type: d, name: D}\n",
]


def hub_reads_model_index(mapping) -> bool:
    from huggingface_hub.repocard_data import model_index_to_eval_results

    try:
        model_index_to_eval_results(mapping["model-index"])
    except (KeyError, TypeError, ValueError):
        return False
    return True


@pytest.mark.parametrize("text", [MODEL_INDEX.replace("{extra}", "")] + [MODEL_INDEX.replace("{extra}", d) for d in DEFECTS]
                         + [p.read_text(encoding="utf-8") for p in CARD_FILES if "model-index:" in p.read_text(encoding="utf-8")])
def test_model_index_is_judged_as_the_hub_reads_it(text):
    # Whatever the Hub cannot turn into evaluation results, release-lint reports (CARD008); a model-index
    # the Hub reads whole may still draw a report only for values it leaves empty.
    from release_lint.detectors.model_index import model_index_problems

    doc = parse_markdown(text)
    problems = model_index_problems(doc)
    if not hub_reads_model_index(doc.front_matter.mapping):
        assert problems
    else:
        assert all(problem.reason == "must be a non-empty value" for problem in problems)


def test_model_index_cases_cover_both_outcomes():
    texts = [MODEL_INDEX.replace("{extra}", "")] + [MODEL_INDEX.replace("{extra}", d) for d in DEFECTS]
    outcomes = [hub_reads_model_index(parse_markdown(t).front_matter.mapping) for t in texts]
    assert outcomes == [True] + [False] * len(DEFECTS)


def test_a_dataset_card_after_blank_lines_is_a_data_card(tmp_path):
    from release_lint.detectors.files import data_cards
    from release_lint.repo import Repo
    from tests.conftest import make_repo

    card = "---\nlicense: cc-by-4.0\ntask_categories: [text-generation]\n---\n# Corpus\n"
    make_repo(tmp_path, {"corpus/README.md": "\n\n" + card, "other/README.md": "\n# Other\n---\nx: 1\n---\n"})
    assert data_cards(Repo(str(tmp_path))) == ["corpus/README.md"]
