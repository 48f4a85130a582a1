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

from release_lint.markdown import parse_markdown
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
])
def test_hub_edge_cases(text, expected):
    assert hub_metadata(text) == expected
    assert our_metadata(text) == expected


LINES = ["", "  ", "---", " ---", "--- ", "---\t", "...", "----", "license: mit", "tags: [a, b]", "# Title", "text",
         "- item", "nested: {a: 1}", "\t", "bad: 'open", "key: value ---"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=8), st.booleans())
def test_generated_documents_read_as_the_hub_reads_them(lines, final_newline):
    text = "\n".join(lines) + ("\n" if final_newline else "")
    assert our_metadata(text) == hub_metadata(text)
