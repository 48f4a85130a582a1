"""CARD002-CARD009, the card detector (sections, placeholders, links, model-index) and the Markdown link parser."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from release_lint import lint
from release_lint.detectors.card_content import (
    card_facts,
    document_sections,
    normalise_title,
    placeholders_in,
    section_keys,
)
from release_lint.mdparse import code_span_ranges, extract_links, parse_markdown, prose_lines, split_lines
from release_lint.repo import Repo
from tests.conftest import copy_fixture, make_repo

CARD = ["CARD"]
LICENSE = "MIT License\n"


def card_findings(repo, select=CARD):
    return sorted_tuples(lint(repo, select=select))


def sorted_tuples(result):
    """Like conftest.finding_tuples, but a repository-level line (None) sorts before line numbers
    instead of failing to compare with them."""
    return sorted(((f.code, f.path, f.line) for f in result.findings), key=lambda t: (t[0], t[1] or "", t[2] or 0))


# --- acceptance: the shared fixtures ---------------------------------------------------------------
def test_weights_only_card_findings(tmp_path):
    repo = copy_fixture("weights-only", tmp_path / "r")
    assert card_findings(repo) == [
        ("CARD003", "README.md", 1),  # datasets (weights shipped) and language (text-generation)
        ("CARD004", "README.md", None),  # citation
        ("CARD004", "README.md", None),  # evaluation
        ("CARD004", "README.md", None),  # intended use ("Usage" is how to run it, not intended use)
        ("CARD004", "README.md", None),  # limitations
        ("CARD004", "README.md", None),  # training data
        ("CARD004", "README.md", None),  # training procedure
        ("CARD005", "README.md", None),
        ("CARD006", "README.md", None),
    ]
    result = lint(repo, select=["CARD003", "CARD004"])
    messages = sorted(f.message for f in result.findings)
    assert "datasets" in messages[0] and "language" in messages[0] and "license" not in messages[0]
    assert [m.split(" section")[0] for m in messages[1:]] == [
        "no citation", "no evaluation", "no intended use", "no limitations / bias and risks", "no training data",
        "no training procedure",
    ]


def test_fully_open_has_no_card_findings(tmp_path):
    repo = copy_fixture("fully-open", tmp_path / "r")
    assert card_findings(repo) == []


def test_card_with_linked_datasets_is_clean(tmp_path):
    repo = copy_fixture("card-linked-datasets", tmp_path / "r")
    assert card_findings(repo, ["CARD", "DATA"]) == []


# --- CARD002 front-matter-invalid ----------------------------------------------------------------
def test_broken_yaml_fixture_points_at_the_unclosed_bracket(tmp_path):
    repo = copy_fixture("card-broken-yaml", tmp_path / "r")
    result = lint(repo, select=CARD)
    assert sorted_tuples(result) == [("CARD002", "README.md", 8)]
    assert "flow sequence opened on line 8" in result.findings[0].message


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("---\nlicense: mit\nlanguage:\n\t- en\n---\n# M\n", 4, "tabs"),
        ("---\r\nlicense: mit\r\ntitle: \"Pebble\r\nx: 1\r\n---\r\n# M\r\n", 3, "quoted scalar"),
        ("\ufeff---\nlicense: mit\n  extra: indented\n---\n# M\n", 3, "mapping values"),
        ("---\nlicense: mit\n# never closed\n", 1, "never closed"),
        ("---\n- license\n- mit\n---\n# M\n", 2, "a list, not a mapping"),
        ("---\njust a sentence\n---\n# M\n", 2, "single str"),
        ("---\nlicense: mit\ntags: [a]\nlicense: apache-2.0\n---\n# M\n", 4, "more than once"),
    ],
)
def test_card002_cases(tmp_path, text, line, words):
    make_repo(tmp_path, {"README.md": text.encode("utf-8"), "LICENSE": LICENSE})
    result = lint(tmp_path, select=["CARD002"])
    assert sorted_tuples(result) == [("CARD002", "README.md", line)]
    assert words in result.findings[0].message


def test_card002_every_duplicated_key_is_reported(tmp_path):
    # A card merged from two templates: `license` and `tags` both appear twice, each reported at its repeat.
    text = "---\nlicense: mit\ntags: [text-generation]\nlibrary_name: transformers\nlicense: apache-2.0\ntags: [llama]\n---\n# M\n"
    make_repo(tmp_path, {"README.md": text, "LICENSE": LICENSE})
    result = lint(tmp_path, select=["CARD002"])
    assert sorted_tuples(result) == [("CARD002", "README.md", 5), ("CARD002", "README.md", 6)]
    assert sorted(f.key for f in result.findings) == ["README.md#duplicate:license", "README.md#duplicate:tags"]


@pytest.mark.parametrize("text", ["# M\n", "---\n---\n# M\n", "\ufeff---\r\nlicense: mit\r\n---\r\n# M\r\n", "Text\n\n---\n\nMore\n"])
def test_card002_silent_on_valid_or_absent_front_matter(tmp_path, text):
    make_repo(tmp_path, {"README.md": text.encode("utf-8"), "LICENSE": LICENSE})
    assert card_findings(tmp_path, ["CARD002"]) == []


def test_invalid_front_matter_silences_the_metadata_rules(tmp_path):
    repo = copy_fixture("card-broken-yaml", tmp_path / "r")
    assert card_findings(repo, ["CARD003", "CARD008"]) == []


# --- CARD003 metadata-incomplete -----------------------------------------------------------------
def test_fine_tune_without_base_model(tmp_path):
    repo = copy_fixture("card-finetune", tmp_path / "r")
    result = lint(repo, select=["CARD003"])
    assert sorted_tuples(result) == [("CARD003", "README.md", 1)]
    message = result.findings[0].message
    assert "base_model" in message and "pipeline_tag or library_name" in message
    assert "datasets" not in message and "license" not in message


def test_fine_tune_with_base_model_is_silent(tmp_path):
    repo = copy_fixture("card-finetune", tmp_path / "r")
    readme = (repo / "README.md").read_text()
    readme = readme.replace("license: apache-2.0\n", "license: apache-2.0\nbase_model: distilbert/distilbert-base-uncased\n"
                                                    "pipeline_tag: text-classification\nlanguage: [en]\n", 1)
    (repo / "README.md").write_text(readme)
    assert card_findings(repo, ["CARD003"]) == []


def test_template_finetuned_from_placeholder_is_not_a_fine_tune_claim(tmp_path):
    card = ("---\nlicense: mit\nlibrary_name: timm\ndatasets: [ILSVRC/imagenet-1k]\n---\n# M\n"
            "- **Finetuned from model [optional]:** [More Information Needed]\n")
    make_repo(tmp_path, {"README.md": card, "LICENSE": LICENSE, "model.safetensors": b"\0"})
    assert card_findings(tmp_path, ["CARD003"]) == []


def test_adapter_config_means_base_model_is_needed(tmp_path):
    card = "---\nlicense: mit\nlibrary_name: peft\ndatasets: [tatsu-lab/alpaca]\n---\n# Adapter\n"
    make_repo(tmp_path, {"README.md": card, "LICENSE": LICENSE, "adapter_config.json": "{}\n"})
    result = lint(tmp_path, select=["CARD003"])
    assert sorted_tuples(result) == [("CARD003", "README.md", 1)]
    assert "base_model" in result.findings[0].message


def test_card_without_front_matter_lists_everything(tmp_path):
    make_repo(tmp_path, {"README.md": "# An LLM\n\nA small language model.\n", "LICENSE": LICENSE, "model.safetensors": b"\0"})
    result = lint(tmp_path, select=["CARD003"])
    assert sorted_tuples(result) == [("CARD003", "README.md", None)]
    message = result.findings[0].message
    for field in ("datasets", "language", "pipeline_tag or library_name"):
        assert field in message
    # The missing licence is LIC005's finding alone (it used to be reported twice).
    assert "license" not in message
    assert sorted_tuples(lint(tmp_path, select=["CARD003", "LIC005"])) == [("CARD003", "README.md", None),
                                                                          ("LIC005", "README.md", None)]


def test_image_model_does_not_need_language(tmp_path):
    card = "---\nlicense: mit\npipeline_tag: image-classification\ndatasets: [ILSVRC/imagenet-1k]\n---\n# Vision\n"
    make_repo(tmp_path, {"README.md": card, "LICENSE": LICENSE, "model.safetensors": b"\0"})
    assert card_findings(tmp_path, ["CARD003"]) == []


# --- CARD004 card-section-missing, CARD005, CARD007: the Hub template with placeholders left ------
def test_hub_template_card(tmp_path):
    repo = copy_fixture("card-hub-template", tmp_path / "r")
    assert card_findings(repo) == [
        ("CARD004", "README.md", 51),  # Bias, Risks, and Limitations: placeholder + template recommendation
        ("CARD004", "README.md", 69),  # Training Details: only placeholders once Training Data is set aside
        ("CARD004", "README.md", 71),  # Training Data
        ("CARD004", "README.md", 106),  # Citation [optional]
        ("CARD005", "README.md", 85),  # Evaluation has text but no scores ("TBD")
        ("CARD006", "README.md", None),
    ] + [("CARD007", "README.md", line) for line in (26, 34, 35, 45, 49, 53, 57, 73, 79, 83, 91, 99, 103, 104, 110)]


def test_placeholders_in_code_comments_and_lowercase_prose_are_ignored(tmp_path):
    repo = copy_fixture("card-hub-template", tmp_path / "r")
    lines = (repo / "README.md").read_text().splitlines()
    # Line 21 (HTML comment), 65 (code block) and 114 (lowercase "todo", `TODO` in code) hold look-alikes.
    assert "TODO" in lines[20] and "TODO" in lines[64] and "`TODO`" in lines[113]
    reported = {line for code, _p, line in card_findings(repo, ["CARD007"])}
    assert not reported & {21, 65, 114}


def test_todo_in_training_script_is_not_a_card_placeholder(tmp_path):
    repo = copy_fixture("card-linked-datasets", tmp_path / "r")
    assert "TODO" in (repo / "scripts" / "tokenize_corpus.py").read_text()
    assert card_findings(repo, ["CARD007"]) == []


def test_placeholders_in_front_matter_and_data_card(tmp_path):
    card = "---\nlicense: TBD\nlibrary_name: transformers\n---\n# M\n\nText.\n"
    data = "# Data\n\nLorem ipsum dolor sit amet.\n\nSources: <insert the list of sources>\n"
    make_repo(tmp_path, {"README.md": card, "DATA_CARD.md": data, "LICENSE": LICENSE})
    assert card_findings(tmp_path, ["CARD007"]) == [("CARD007", "DATA_CARD.md", 3), ("CARD007", "DATA_CARD.md", 5),
                                                    ("CARD007", "README.md", 2)]


def test_card004_uses_synonyms_at_any_level(tmp_path):
    card = ("---\nlicense: mit\n---\n# M\n### 1. Intended Uses & Limitations\nFor research only; it hallucinates.\n"
            "#### Pre-training data:\nThe Pile.\n##### TRAINING HYPERPARAMETERS\nlr 3e-4.\n"
            "Benchmarks\n----------\nMMLU 25.1.\n<h2>How to cite</h2>\n\n```bibtex\n@misc{m}\n```\n")
    make_repo(tmp_path, {"README.md": card, "LICENSE": LICENSE})
    assert card_findings(tmp_path, ["CARD004", "CARD005"]) == []


def test_citation_cff_and_model_index_satisfy_sections(tmp_path):
    repo = copy_fixture("card-finetune", tmp_path / "r")
    found = card_findings(repo, ["CARD004"])
    # citation; intended use and limitations (one heading, one finding); training data
    assert found == [("CARD004", "README.md", None), ("CARD004", "README.md", 40), ("CARD004", "README.md", 44)]
    (repo / "CITATION.cff").write_text("cff-version: 1.2.0\ntitle: x\n")
    assert card_findings(repo, ["CARD004"]) == found[1:]


def test_card005_scores_in_text_count_and_integers_alone_do_not(tmp_path):
    base = "---\nlicense: mit\n---\n# M\n## Evaluation\n"
    make_repo(tmp_path / "a", {"README.md": base + "We evaluated on 3 benchmarks and it did well.\n", "LICENSE": LICENSE})
    make_repo(tmp_path / "b", {"README.md": base + "Accuracy on SST-2: 91.3%.\n", "LICENSE": LICENSE})
    assert card_findings(tmp_path / "a", ["CARD005"]) == [("CARD005", "README.md", 5)]
    assert card_findings(tmp_path / "b", ["CARD005"]) == []


# --- CARD006 technical-report-missing ------------------------------------------------------------
@pytest.mark.parametrize("extra", [
    "See arXiv:2401.12345.", "[Technical report](https://example.org/report)", "DOI: https://doi.org/10.5281/zenodo.1234",
    "[paper](https://openreview.net/forum?id=abc)",
])
def test_card006_silent_with_a_paper(tmp_path, extra):
    make_repo(tmp_path, {"README.md": f"---\nlicense: mit\n---\n# M\n\n{extra}\n", "LICENSE": LICENSE})
    assert card_findings(tmp_path, ["CARD006"]) == []


def test_card006_silent_with_pdf_in_docs_and_fires_on_blog_link(tmp_path):
    make_repo(tmp_path / "a", {"README.md": "# M\n", "LICENSE": LICENSE, "docs/report.pdf": b"%PDF-1.7\n"})
    make_repo(tmp_path / "b", {"README.md": "# M\n\nRead our [blog post](https://example.org/blog).\n", "LICENSE": LICENSE})
    assert card_findings(tmp_path / "a", ["CARD006"]) == []
    assert card_findings(tmp_path / "b", ["CARD006"]) == [("CARD006", "README.md", None)]


# --- CARD008 model-index-invalid -----------------------------------------------------------------
def test_model_index_shape_problems_name_each_level():
    from release_lint.detectors.model_index import model_index_problems

    card = ("---\nmodel-index:\n- name: m\n  results:\n  - task: text\n    dataset: {type: c4}\n    metrics: []\n"
            "    source: https://x\n  - dataset: {type: c4, name: C4}\n    metrics: [x, {type: acc}]\n  - plain\n"
            "- results: {}\n- just-a-name\n---\n")
    assert [(p.entry, p.reason, p.line) for p in model_index_problems(parse_markdown(card))] == [
        ("model-index[0].results[0].task", "must be a mapping", 5),
        ("model-index[0].results[0].dataset", "lacks 'name'", 6),
        ("model-index[0].results[0].metrics", "must be a non-empty list", 7),
        ("model-index[0].results[0].source", "must be a mapping with 'url'", 8),
        ("model-index[0].results[1]", "lacks 'task'", 9),
        ("model-index[0].results[1].metrics[0]", "must be a mapping with 'type' and 'value'", 10),
        ("model-index[0].results[1].metrics[1]", "lacks 'value'", 10),
        ("model-index[0].results[2]", "must be a mapping with 'task', 'dataset' and 'metrics'", 11),
        ("model-index[1]", "lacks 'name'", 12),
        ("model-index[1].results", "must be a non-empty list", 12),
        ("model-index[2]", "must be a mapping with 'name' and 'results'", 13),
    ]


def test_model_index_problems_with_lines(tmp_path):
    repo = copy_fixture("card-bad-model-index", tmp_path / "r")
    result = lint(repo, select=CARD)
    assert sorted_tuples(result) == [("CARD004", "README.md", None)] * 5 + [
        ("CARD006", "README.md", None),
        ("CARD008", "README.md", 11),  # task is a string
        ("CARD008", "README.md", 13),  # dataset without name
        ("CARD008", "README.md", 18),  # second metric without value
        ("CARD008", "README.md", 19),  # model without name
        ("CARD008", "README.md", 19),  # and with empty results
    ]
    messages = [f.message for f in result.findings if f.code == "CARD008"]
    assert "model-index[0].results[0].dataset lacks 'name'" in messages[1]
    assert "metrics[1] lacks 'value'" in messages[2]
    # Keyed by the place in model-index, not by the message: rewording a reason keeps baselines matching.
    assert [f.key for f in result.findings if f.code == "CARD008"] == [
        "README.md#model-index[0].results[0].task", "README.md#model-index[0].results[0].dataset.name",
        "README.md#model-index[0].results[0].metrics[1].value", "README.md#model-index[1].name",
        "README.md#model-index[1].results"]


def test_model_index_not_a_list(tmp_path):
    card = "---\nlicense: mit\nmodel-index:\n  name: x\n---\n# M\n"
    make_repo(tmp_path, {"README.md": card, "LICENSE": LICENSE})
    assert card_findings(tmp_path, ["CARD008"]) == [("CARD008", "README.md", 4)]


def test_valid_model_index_in_fully_open_and_trainer_card(tmp_path):
    repo = copy_fixture("card-finetune", tmp_path / "r")
    assert card_findings(repo, ["CARD008", "CARD005"]) == []


# --- CARD009 broken-relative-link ----------------------------------------------------------------
def test_broken_links_fixture(tmp_path):
    repo = copy_fixture("card-broken-links", tmp_path / "r")
    result = lint(repo, select=["CARD009"])
    assert sorted_tuples(result) == [
        ("CARD009", "README.md", 4),  # license_link: LICENSE.txt
        ("CARD009", "README.md", 13),  # LICENCE for LICENSE
        ("CARD009", "README.md", 14),  # docs/usage.md
        ("CARD009", "README.md", 30),  # ../configs/base.yaml leaves the repository
        ("CARD009", "README.md", 30),  # ./docs/training.md
        ("CARD009", "README.md", 33),  # reference definition [roadmap]: ROADMAP.md
        ("CARD009", "docs/faq.md", 5),  # ../CONTRIBUTING.md
        ("CARD009", "docs/faq.md", 6),  # ../assets/images/
    ]
    by_line = {f.line: f.message for f in result.findings if f.path == "README.md"}
    assert "did you mean 'LICENSE'" in by_line[13]
    assert len({f.key for f in result.findings}) == len(result.findings)


def test_links_are_fine_once_targets_exist(tmp_path):
    repo = copy_fixture("card-broken-links", tmp_path / "r")
    for name in ("LICENSE.txt", "LICENCE", "docs/usage.md", "docs/training.md", "ROADMAP.md", "CONTRIBUTING.md",
                 "assets/images/a.png"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("x\n")
    readme = (repo / "README.md").read_text().replace(" and [the config](../configs/base.yaml)", "")
    (repo / "README.md").write_text(readme)
    assert card_findings(repo, ["CARD009"]) == []


def test_links_are_case_sensitive_like_github(tmp_path):
    make_repo(tmp_path, {"README.md": "# M\n\n[licence](license)\n", "LICENSE": LICENSE})
    assert card_findings(tmp_path, ["CARD009"]) == [("CARD009", "README.md", 3)]


# --- the detector's section table ----------------------------------------------------------------
@pytest.mark.parametrize("title, keys", [
    ("Intended use", {"intended_use"}), ("Uses", {"intended_use"}), ("Direct Use", {"intended_use"}),
    ("Limitations", {"limitations"}), ("Bias, Risks, and Limitations", {"limitations"}),
    ("Intended uses & limitations", {"intended_use", "limitations"}),
    ("Training Data", {"training_data"}), ("2.1 Pre-training data:", {"training_data"}),
    ("Training Procedure", {"training_procedure"}), ("Training details", {"training_procedure"}),
    ("Training Hyperparameters", {"training_procedure"}), ("Evaluation", {"evaluation"}), ("Results", {"evaluation"}),
    ("Benchmarks", {"evaluation"}), ("Environmental Impact", {"environmental_impact"}),
    ("Compute Infrastructure", {"compute_infrastructure"}), ("Hardware", {"hardware"}), ("Citation [optional]", {"citation"}),
    ("How to Get Started with the Model", {"get_started"}), ("🚀 Quick start", {"get_started"}),
    ("Preprocessing [optional]", {"preprocessing"}),
    ("Evaluation data", set()), ("Testing Data, Factors & Metrics", set()), ("Training results", set()),
    ("Model training data centre tour", set()),
])
def test_section_keys(title, keys):
    assert section_keys(title) == keys


def test_normalise_title():
    assert normalise_title("  3.2. **Training & Evaluation Data:** ") == "training and evaluation data"
    assert [normalise_title(t) for t in ("Uses [optional] and Limits", "Training Data (Optional):", "Compute / Hardware",
                                         "a. Results , Scores ...", "Evaluation\u3000--  ")] == [
        "uses and limits", "training data", "compute/hardware", "results, scores", "evaluation"]


def test_card_facts_give_filled_sections_with_lines(tmp_path):
    repo = copy_fixture("fully-open", tmp_path / "r")
    facts = card_facts(Repo(str(repo)))
    sections = {key: facts.section(key) for key in facts.sections if facts.section(key) is not None}
    assert {key: section.line for key, section in sections.items()} == {
        "model_details": 44, "intended_use": 50, "out_of_scope": 54, "limitations": 58, "training_data": 64,
        "training_procedure": 76, "preprocessing": 78, "compute_infrastructure": 98, "environmental_impact": 105,
        "evaluation": 109, "get_started": 119, "license": 147, "citation": 157,
    }
    assert any("64 NVIDIA A100" in text for _n, text in sections["compute_infrastructure"].lines)
    assert all(section.path == "README.md" and section.filled for section in sections.values())


def test_subsection_of_another_key_does_not_fill_its_parent():
    doc = parse_markdown("# M\n## Training details\n### Training data\nC4.\n### Training procedure\n[More Information Needed]\n")
    sections = document_sections(doc, "README.md")
    assert [s.filled for s in sections["training_procedure"]] == [False, False]
    assert [s.filled for s in sections["training_data"]] == [True]


def test_placeholders_in():
    assert placeholders_in("- **Paper:** [More Information Needed]") == ["[More Information Needed]"]
    assert placeholders_in("Results: TBD; TODO add MMLU; Lorem ipsum") == ["TBD", "TODO", "Lorem ipsum"]
    assert placeholders_in("a todo list app; tbd later; {{ model_id }}") == ["{{ model_id }}"]
    assert placeholders_in("Contact <insert email here> or [your name]") == ["<insert email here>", "[your name]"]


# --- Markdown helpers added for links --------------------------------------------------------------
LINKS = """# T
See [a](LICENCE "title") and ![b](img.png) [![badge](badge.svg)](https://x.example/z_(a)) `[no](code)`
<!-- [c](comment)
still comment [d](x) --> after [e](<with space.md>)
```
[f](fenced)
```
[ref]: docs/x.md
<a href="docs/y.md">y</a> visit https://example.org/path. or <https://auto.example>
"""


def test_extract_links_kinds_and_lines():
    found = [(link.kind, link.target, link.line) for link in extract_links(split_lines(LINKS))]
    assert found == [
        ("inline", "LICENCE", 2), ("image", "img.png", 2), ("inline", "https://x.example/z_(a)", 2), ("image", "badge.svg", 2),
        ("inline", "with space.md", 4), ("reference", "docs/x.md", 8), ("html", "docs/y.md", 9),
        ("autolink", "https://auto.example", 9), ("bare", "https://example.org/path", 9),
    ]


def test_prose_lines_skip_fences_and_comments():
    lines = split_lines("a `code` b\n```\nin fence\n```\nc <!-- x --> d\n")
    assert prose_lines(lines) == [(1, "a   b"), (5, "c  d"), (6, "")]
    assert prose_lines(lines, keep_code_spans=True)[0] == (1, "a `code` b")


def test_code_span_ranges():
    assert code_span_ranges("a `` b ` c `` d ` e") == [(2, 13)]
    assert code_span_ranges("``` unclosed") == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("[]()<>!`#-*_: \n\t\"'/.ahx~=|") + ["http://", "<!--", "-->", "```", "TODO"]),
                max_size=200).map("".join))
def test_link_parser_never_raises(text):
    lines = split_lines(text)
    for link in extract_links(lines):
        assert 1 <= link.line <= len(lines)
    prose_lines(lines)
    doc = parse_markdown(text)
    document_sections(doc, "README.md")
    document_sections(doc, "DATA_CARD.md", "datasheet")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_card_helpers_never_raise_on_arbitrary_text(text):
    placeholders_in(text)
    section_keys(text)
    extract_links(split_lines(text))


_YAML_BITS = ["model-index:", "\n", "  - ", "name: x", "results:", "task:", "type: t", "dataset:", "metrics:", "value: 1",
              "source:", "url:", "    ", "[", "]", "{", "}", ": ", "TODO", "\t", "'", "&a ", "*a", "!!python/object ", "-"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_YAML_BITS), max_size=60).map("".join))
def test_front_matter_checks_never_raise(block):
    from release_lint.detectors.card_content import document_placeholders
    from release_lint.detectors.model_index import model_index_problems

    doc = parse_markdown("---\n" + block + "\n---\n# M\n")
    for problem in model_index_problems(doc):
        assert isinstance(problem.message, str) and problem.line >= 1
    document_placeholders(doc, "README.md")


def test_pathological_lines_hold_no_link():
    # Speed on these lines is measured by bench/linearity.py; here: they parse, and hold no link.
    for line in ("[" * 50_000, "`" * 10_000 + "x" + "``" * 5_000, "![" * 30_000 + "](", "<!--" * 20_000):
        assert list(extract_links([line])) == []


def test_code_block_holding_only_a_placeholder_does_not_fill_a_section(tmp_path):
    card = "---\nlicense: mit\n---\n# M\n## Citation\n\n```bibtex\nTBD\n```\n"
    make_repo(tmp_path / "a", {"README.md": card, "LICENSE": LICENSE})
    make_repo(tmp_path / "b", {"README.md": card.replace("TBD", "@misc{m, title={M}}"), "LICENSE": LICENSE})
    assert ("CARD004", "README.md", 5) in card_findings(tmp_path / "a", ["CARD004"])
    assert ("CARD004", "README.md", 5) not in card_findings(tmp_path / "b", ["CARD004"])


# --- CARD001 model-card-missing ----------------------------------------------------------------------
CODE_ONLY_RELEASE = {
    "LICENSE": LICENSE,
    "train.py": "import torch\n\ndef main():\n    pass\n",
    "requirements.txt": "torch==2.3.1\n",
    "configs/base.yaml": "lr: 3.0e-4\nseed: 1234\n",
}


def test_card001_fires_when_only_look_alikes_exist(tmp_path):
    # A README below the root, a usage page under docs/ and a plain-text readme are not the model card.
    repo = make_repo(tmp_path, {
        **CODE_ONLY_RELEASE,
        "scripts/README.md": "# Scripts\n\nRun `python train.py`.\n",
        "docs/usage.md": "# Usage\n\nLoad the weights.\n",
        "docs/model_card.txt": "Model card draft\n",
    })
    assert card_findings(repo) == [("CARD001", None, None)]
    (finding,) = lint(repo, select=["CARD001"]).findings
    assert "no model card" in finding.message and "MODEL_CARD.md" in finding.message


@pytest.mark.parametrize("card_path", [
    "README.md", "readme.md", "MODEL_CARD.md", "model_card.md", "docs/model_card.md", "docs/en/model-card.md",
])
def test_card001_silent_with_a_card_where_it_is_looked_for(tmp_path, card_path):
    card = (
        "---\nlicense: mit\nlibrary_name: transformers\npipeline_tag: image-classification\n---\n\n# Tiny ViT\n"
    )
    repo = make_repo(tmp_path, {**CODE_ONLY_RELEASE, card_path: card})
    # No CARD001, and the found file is the card every other card rule reads (a bare card: all sections
    # missing, no datasets, no results, no paper).
    assert card_findings(repo) == [("CARD003", card_path, 1)] + [("CARD004", card_path, None)] * 6 + [
        ("CARD005", card_path, None), ("CARD006", card_path, None),
    ]
