"""Front matter and headings: exact values and lines; arbitrary input never raises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from release_lint.mdparse import load_yaml, parse_markdown, split_lines

CARD = """---
license: apache-2.0
datasets:
  - c4
---

# Title

Intro.

## Training data
Lines.

### Sources
More.

Evaluation
----------
| a | b |

```python
# not a heading
```
<h2>Citation</h2>
"""


def test_front_matter_and_key_lines():
    doc = parse_markdown(CARD)
    matter = doc.front_matter
    assert matter.present and matter.error is None
    assert matter.mapping == {"license": "apache-2.0", "datasets": ["c4"]}
    assert matter.key_lines == {"license": 2, "datasets": 3}
    assert (matter.start_line, matter.end_line) == (1, 5)


def test_headings_with_lines_and_bodies():
    doc = parse_markdown(CARD)
    assert [(h.level, h.title, h.line) for h in doc.headings] == [
        (1, "Title", 7), (2, "Training data", 11), (3, "Sources", 14), (2, "Evaluation", 17), (2, "Citation", 24),
    ]
    training = doc.headings[1]
    assert doc.body(training) == "Lines.\n"
    assert doc.content(training) == "Lines.\n\n### Sources\nMore.\n"


def test_invalid_yaml_reports_its_line():
    doc = parse_markdown("---\nlicense: mit\ntags: [a, b\n---\n# x\n")
    assert doc.front_matter.error is not None
    assert doc.front_matter.error_line == 4 or doc.front_matter.error_line == 3
    assert doc.front_matter.mapping == {}


def test_tab_indentation_is_an_error_with_line():
    doc = parse_markdown("---\nlicense: mit\ndatasets:\n\t- c4\n---\n")
    assert doc.front_matter.error_line == 4


def test_unclosed_front_matter():
    doc = parse_markdown("---\nlicense: mit\n# Title\n")
    assert doc.front_matter.error == "front matter opened with '---' on line 1 is never closed"


def test_python_tags_are_never_constructed():
    doc = parse_markdown("---\nx: !!python/object/apply:os.system ['echo pwned']\n---\n")
    assert "python/object" in doc.front_matter.error
    assert doc.front_matter.data is None


def test_alias_bomb_is_refused_before_construction():
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 12):
        bomb += f"{chr(97 + level)}: &{chr(97 + level)} [" + ", ".join([f"*{chr(96 + level)}"] * 10) + "]\n"
    doc = parse_markdown(bomb + "---\n")
    assert "too large" in doc.front_matter.error


def test_duplicate_keys_and_crlf_and_bom():
    doc = parse_markdown("\ufeff---\r\nlicense: mit\r\nlicense: apache-2.0\r\n---\r\n# T\r\n")
    assert doc.front_matter.duplicate_keys == [("license", 3)]
    assert doc.headings[0].line == 5


def test_non_mapping_and_empty_front_matter():
    assert parse_markdown("---\n- a\n- b\n---\n").front_matter.mapping == {}
    empty = parse_markdown("---\n---\n# T\n")
    assert empty.front_matter.present and empty.front_matter.error is None and empty.front_matter.data is None


def test_load_yaml_for_whole_files():
    parsed = load_yaml("cff-version: 1.2.0\ntitle: x\n")
    assert parsed.mapping == {"cff-version": "1.2.0", "title": "x"}
    assert parsed.key_lines == {"cff-version": 1, "title": 2}


def test_split_lines_counts_like_editors():
    assert split_lines("a\r\nb\rc\nd\u2028e") == ["a", "b", "c", "d\u2028e"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parsers_never_raise_on_arbitrary_text(text):
    doc = parse_markdown(text)
    for heading in doc.headings:
        assert 1 <= heading.line <= len(doc.lines)
    parse_markdown("---\n" + text + "\n---\n")
    load_yaml(text)


def test_pseudo_headings_end_the_body_above_never_a_section():
    doc = parse_markdown("# Card\n\n## Training\n\n**训练数据**：\nC4.\n\n**Hardware**:\n8 GPUs.\n\n## Usage\nRun it.\n")
    assert [(h.level, h.title, h.line, h.body_end, h.content_end) for h in doc.section_headings()] == [
        (1, "Card", 1, 2, 13), (2, "Training", 3, 4, 10), (7, "训练数据", 5, 7, 7), (7, "Hardware", 8, 10, 10),
        (2, "Usage", 11, 13, 13)]
    # Without pseudo-headings the parsed headings are returned as they are.
    plain = parse_markdown("# Card\n\nText.\n")
    assert plain.section_headings() == plain.headings
