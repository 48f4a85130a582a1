"""Model card: the document that tells people what the model is, how it was made and its limits."""

from __future__ import annotations

import re

from release_lint.detectors.card_content import (
    CORE_CARD_SECTIONS,
    SCORE_WORD_RE,
    TABLE_RULE_RE,
    card_facts,
    citation_entry,
    companion_sections,
    document_placeholders,
    first_filled,
    normalise_title,
    score_table_line,
)
from release_lint.detectors.data_documentation import data_documentation, named_sources, training_data_paragraphs
from release_lint.detectors.files import data_cards, model_card
from release_lint.detectors.model_index import model_index_has_results, model_index_problems
from release_lint.detectors.model_release import ships_model
from release_lint.detectors.relative_links import broken_relative_links, relative_target
from release_lint.findings import Problem, finding_key
from release_lint.registry import rule

HF_CARDS = "https://huggingface.co/docs/hub/model-cards"
MODEL_CARDS_PAPER = "https://arxiv.org/abs/1810.03993"


@rule(
    code="CARD001",
    name="model-card-missing",
    severity="error",
    summary="The release has no model card.",
    rationale=(
        "A model card documents intended use, training data, training procedure, evaluation and limitations "
        "(Mitchell et al., Model Cards for Model Reporting). The Model Openness Framework lists it as a "
        "component of every class, and the Hugging Face Hub reads its metadata from the card's front matter."
    ),
    fix=(
        "Add README.md at the root (or MODEL_CARD.md) with YAML front matter and the core sections.\n"
        "Example:\n"
        "  ---\n  license: apache-2.0\n  datasets: [allenai/c4]\n  pipeline_tag: text-generation\n  ---\n"
        "  # My Model\n  ## Intended use\n  ## Training data\n  ## Training procedure\n  ## Evaluation\n"
        "  ## Limitations\n  ## Citation"
    ),
    references=(HF_CARDS, MODEL_CARDS_PAPER),
)
def model_card_missing(ctx):
    if model_card(ctx.repo) is None:
        yield Problem("no model card (README.md at the root, MODEL_CARD.md, model_card.md or docs/model_card.md)")


# --- CARD002-CARD009 ---------------------------------------------------------------------------

HF_CARD_SPEC = "https://github.com/huggingface/hub-docs/blob/main/modelcard.md"
HF_CARD_TEMPLATE = "https://github.com/huggingface/huggingface_hub/blob/main/src/huggingface_hub/templates/modelcard_template.md"
HF_MODEL_INDEX = "https://huggingface.co/docs/hub/model-cards#evaluation-results"
MOF = "https://isitopen.ai/"

# Hub pipeline tags of models that read or write natural language.
LANGUAGE_TASKS = frozenset({
    "text-generation", "text2text-generation", "fill-mask", "translation", "summarization", "question-answering",
    "table-question-answering", "token-classification", "text-classification", "zero-shot-classification",
    "sentence-similarity", "feature-extraction", "conversational", "automatic-speech-recognition", "text-to-speech",
    "text-to-audio", "image-text-to-text", "visual-question-answering", "document-question-answering",
    "text-ranking",
})
LANGUAGE_MODEL_RE = re.compile(r"\b(?:large )?language models?\b|\bLLMs?\b|\bchat(?:bot| model)\b", re.IGNORECASE)
FINE_TUNE_RE = re.compile(
    r"\bfine-?tuned\s+(?:version\s+|variant\s+|checkpoint\s+)?(?:of|from)\b|\bfine-?tune\s+of\b|\bis\s+a\s+fine-?tuned\b"
    r"|\bquanti[sz]ed\s+(?:version|variant)\s+of\b|\b(?:LoRA|QLoRA|PEFT)\s+adapter\s+(?:for|of|on)\b"
    r"|\b(?:continued|further)\s+pre-?training\s+(?:of|from)\b|\binstruction-?tuned\s+(?:version\s+)?of\b",
    re.IGNORECASE,
)
PAPER_RE = re.compile(
    r"arxiv\.org/(?:abs|pdf)/|\barxiv:\s*\d{4}\.\d{4,5}|doi\.org/10\.|\bdoi:\s*10\.\d{4,}|openreview\.net/(?:forum|pdf)"
    r"|aclanthology\.org/|proceedings\.neurips\.cc|papers\.nips\.cc|proceedings\.mlr\.press|dl\.acm\.org/doi"
    r"|ieeexplore\.ieee\.org|(?:bio|med)rxiv\.org|huggingface\.co/papers/"
    r"|@(?:article|inproceedings|techreport|phdthesis|incollection)\s*\{|\beprint\s*=",
    re.IGNORECASE,
)
# A link `[text](target)`: text without brackets or line breaks, at most 300 characters, so every `[`
# scans only up to the next bracket (a run of 5,000 `[` used to rescan the rest of the card from each).
LINK_RE = re.compile(r"\[([^\[\]\n]{0,300})\]\([^)\s]+")
PAPER_LINK_TEXT_RE = re.compile(r"\b(?:technical report|tech report|paper|preprint|white ?paper)\b", re.IGNORECASE)
NUMBER_RESULT_RE = re.compile(r"\b\d+\.\d+\b|\b\d+(?:\.\d+)?\s?%")
TABLE_ROW_RE = re.compile(r"^\s*\|.*\d.*\|")
# Numbers that are no scores: link targets and bare URLs (an arXiv id "2212.04356"), arXiv ids in text.
_NOT_SCORE_TEXT_RE = re.compile(r"\]\([^()\s]{0,500}\)|https?://\S{1,500}|\barxiv:\s*\d{4}\.\d{4,5}", re.IGNORECASE)
# The settings an evaluation was run with ("guidance scales (1.5, 2.0, 3.0)", "temperature 0.7"): their numbers are
# scores only when the paragraph also names a metric or benchmark.
_SETTING_RE = re.compile(r"\b(?:guidance|scales?|steps?|temperature|top-?[pk]|beams?|seeds?|resolution|learning rate|"
                         r"batch size|epochs?|versions?|v\d)\b", re.IGNORECASE)
# A heading about training ("multi-GPU training", "Training CLIP", "微调") whose section runs the training entry
# point documents the procedure under another name.
_TRAINING_TITLE_RE = re.compile(r"\b(?:train\w*|pre-?train\w*|fine-?tun\w*|finetun\w*)\b|训练|微调", re.IGNORECASE)
MAX_SECTION_LINES = 400
# A heading about fine-tuning only (no pre-training or training named beside it).
_FINE_TUNING_ONLY_RE = re.compile(r"^(?!.*\b(?:pre-?)?training\b|.*预训练)(?:.*\bfine-?tun\w*|.*\bfinetun\w*|.*微调)", re.IGNORECASE)
SECTION_EXAMPLES = {
    "intended_use": "'Intended use', 'Uses', 'Direct use'",
    "limitations": "'Limitations', 'Bias, Risks, and Limitations'",
    "training_data": "'Training data', 'Training dataset'",
    "training_procedure": "'Training procedure', 'Training details', 'Training hyperparameters'",
    "evaluation": "'Evaluation', 'Results', 'Benchmarks'",
    "citation": "'Citation', 'How to cite'",
}


def _paragraph_has_score(text: str) -> bool:
    """A paragraph of an evaluation section reports a score: a decimal or a percentage that is no link target or
    arXiv id, and not only the settings of the run ("guidance scales (1.5, 2.0)") unless a metric is named too."""
    text = _NOT_SCORE_TEXT_RE.sub(" ", text)
    if not NUMBER_RESULT_RE.search(text):
        return False
    return not _SETTING_RE.search(text) or bool(SCORE_WORD_RE.search(text))


def _reports_scores(lines) -> bool:
    """Whether a section's own (line, text) pairs hold a table row with a number or a paragraph with a score."""
    paragraph, last = [], None
    for number, text in list(lines) + [(None, "")]:
        if TABLE_ROW_RE.match(text) and not TABLE_RULE_RE.match(text):
            return True
        if text.strip() and (last is None or number == last + 1 or not paragraph):
            paragraph.append(text)
        else:
            if paragraph and _paragraph_has_score(" ".join(paragraph)):
                return True
            paragraph = [text] if text.strip() else []
        last = number
    return False


def _links_results_document(repo, facts, section) -> bool:
    """The evaluation section links a Markdown document of the release that holds a results table (EVAL.md)."""
    own = {number for number, _t in section.lines}
    for link in facts.doc.links():
        if link.line not in own or link.kind == "image":
            continue
        found = relative_target(facts.path, link.target, repo)
        path = found[1] if found else None
        if path and path.lower().endswith((".md", ".markdown")) and repo.exists(path):
            doc = repo.markdown(path)
            if doc is not None and score_table_line(doc) is not None:
                return True
    return False


def _training_data_described(repo) -> bool:
    """A section under another heading ("Pretraining", "Training Details", "Overview") that the data documentation
    takes as the training-data section, where a source is named in a paragraph saying what the model was trained on
    ("we train on [x]", "| Training Data | [x] |"), not only in a tutorial step ("first tokenize [x]")."""
    facts = data_documentation(repo)
    section = facts.training_data_section
    if section is not None:
        described = {number for number, _t in training_data_paragraphs(section.lines)}
        if any(source.path == section.path and source.line in described for source in facts.sources):
            return True
    return _data_heading_describes_training_data(repo)


_OWN_BLOB_RE = re.compile(r"^https?://(?:www\.)?github\.com/[^/]+/[^/]+/blob/[^/]+/([^?#]+)", re.IGNORECASE)


def _links_data_card(repo, facts) -> bool:
    """The card links the release's data card ("[Dataset](docs/Data.md)", or its blob URL on GitHub): the training
    data is documented on its own page."""
    cards = set(data_cards(repo))
    if not cards:
        return False
    for link in facts.doc.links():
        resolved = relative_target(facts.path, link.target, repo)
        blob = _OWN_BLOB_RE.match(link.target)
        if (resolved and resolved[1] in cards) or (blob and blob.group(1) in cards):
            return True
    return False


_DATA_TITLE_RE = re.compile(r"\b(?:data(?:sets?)?|corpus|corpora)\b")


def _data_heading_describes_training_data(repo) -> bool:
    """A heading about the data under another name ("Dataset Limitations", "Data and biases") with a paragraph that
    says what the training data is and names its source ("the Pile, GPT-J's pre-training corpus, ...")."""
    card = card_facts(repo)
    if card is None:
        return False
    prose = dict(card.doc.prose(keep_code_spans=True))
    for heading in card.doc.section_headings():
        if not _DATA_TITLE_RE.search(normalise_title(heading.title)):
            continue
        end = min(heading.content_end, heading.body_start + MAX_SECTION_LINES)
        lines = [(n, prose[n]) for n in range(heading.body_start, end + 1) if n in prose]
        if named_sources(card.path, training_data_paragraphs(lines), card.doc.lines, repo):
            return True
    return False


def _training_launched_under_training_heading(facts, repo) -> bool:
    """A heading about training ("multi-GPU training", "Training and Finetuning", "Training CLIP") whose section
    shows the command that runs the release's training entry point, or a distributed launcher (torchrun, srun ...)
    that runs no inference entry point: the procedure, documented under another name."""
    from release_lint.detectors.entry_points import LAUNCHER_RE, command_runs

    headings = facts.doc.section_headings()
    title = facts.doc.headings[0] if facts.doc.headings and facts.doc.headings[0].level == 1 else None
    for heading in headings:
        if heading == title or not _TRAINING_TITLE_RE.search(normalise_title(heading.title)):
            continue  # the document's title ("Pebble-33M fine-tune") heads everything, not a section
        chain = [h for h in headings if h.line <= heading.line <= h.content_end and h != title]
        if any(_FINE_TUNING_ONLY_RE.search(normalise_title(h.title)) for h in chain):
            continue  # "模型微调 > 单机训练": a guide to fine-tuning the release, not how the release was trained
        end = min(heading.content_end, heading.body_start + MAX_SECTION_LINES)
        for text in facts.doc.lines[heading.body_start - 1 : end]:
            runs = command_runs(repo, text[:2000])
            if runs == "training" or runs is None and LAUNCHER_RE.search(text[:2000]):
                return True
    return False


def _usable_card(ctx):
    """The card facts when the card exists and its front matter parsed (CARD002 reports otherwise)."""
    facts = card_facts(ctx.repo)
    if facts is None or facts.doc.front_matter.error:
        return None
    return facts


def _filled(value) -> bool:
    if value is None:
        return False
    if isinstance(value, (str, list, dict)):
        return bool(value) and value != "[More Information Needed]"
    return True


@rule(
    code="CARD002",
    name="front-matter-invalid",
    severity="error",
    summary="The model card's YAML front matter does not parse as a mapping of metadata keys.",
    rationale=(
        "The Hugging Face Hub reads license, datasets, language, base_model and evaluation results from the "
        "card's YAML front matter and rejects a push whose metadata does not parse; a broken block silently "
        "drops every field, and duplicate keys keep only one of their values."
    ),
    fix=(
        "Fix the YAML between the two '---' lines so it parses to a mapping (indent with spaces, close brackets and quotes).\n"
        "Example:\n  ---\n  license: apache-2.0\n  datasets:\n    - allenai/c4\n  ---"
    ),
    references=(HF_CARD_SPEC, "https://yaml.org/spec/1.2.2/"),
)
def front_matter_invalid(ctx):
    facts = card_facts(ctx.repo)
    if facts is None:
        return
    matter = facts.doc.front_matter
    if not matter.present:
        return
    if matter.error:
        line_text = facts.doc.lines[matter.error_line - 1] if matter.error_line and matter.error_line <= len(facts.doc.lines) else ""
        hint = "; YAML does not allow tabs for indentation" if "\t" in line_text else ""
        yield Problem(f"front matter of {facts.path} does not parse: {matter.error}{hint}", facts.path, matter.error_line)
        return
    if matter.data is not None and not isinstance(matter.data, dict):
        kind = "a list" if isinstance(matter.data, list) else f"a single {type(matter.data).__name__} value"
        yield Problem(f"front matter of {facts.path} is {kind}, not a mapping of metadata keys", facts.path, matter.start_line + 1)
    for key, line in matter.duplicate_keys:
        yield Problem(f"front matter key '{key}' appears more than once (first on line {matter.line_of(key)}); "
                      f"YAML keeps only one value", facts.path, line, key=f"{facts.path}#duplicate:{key}")




def _says_fine_tune(facts, repo) -> bool:
    if repo.exists("adapter_config.json") or "base_model_relation" in facts.doc.front_matter.mapping:
        return True
    placeholder_lines = {p.line for p in facts.placeholders}
    return any(FINE_TUNE_RE.search(text) for number, text in facts.doc.prose()
               if number not in placeholder_lines)


@rule(
    code="CARD003",
    name="metadata-incomplete",
    severity="warning",
    summary="The model card's metadata lacks fields the Hub and readers rely on (datasets, language, pipeline_tag or library_name, base_model; a missing licence is LIC005).",
    rationale=(
        "The Hub's model card specification uses `license` for filtering and legal notices, `datasets` to link "
        "the training data, `language` for language models, `pipeline_tag`/`library_name` for the inference "
        "widget and code snippets, and `base_model` to connect a fine-tune, adapter or quantisation to its "
        "parent (whose licence and data it inherits)."
    ),
    fix=(
        "Add the missing keys to the card's YAML front matter.\n"
        "Example:\n  ---\n  license: apache-2.0\n  language: [en]\n  datasets: [allenai/c4]\n"
        "  pipeline_tag: text-generation\n  library_name: transformers\n  base_model: EleutherAI/pythia-160m\n  ---"
    ),
    references=(HF_CARD_SPEC, HF_CARDS),
)
def metadata_incomplete(ctx):
    facts = _usable_card(ctx)
    if facts is None:
        return
    repo = ctx.repo
    mapping = facts.doc.front_matter.mapping
    if not facts.doc.front_matter.present and not ships_model(repo, mapping):
        return  # the README of a code repository, not a Hub card: Hub metadata means nothing there
    missing = []  # `license` is LIC005's to report, with its own fix
    if ships_model(repo, mapping) and not _filled(mapping.get("datasets")):
        missing.append("datasets (Hub ids of the training data)")
    is_language_model = str(mapping.get("pipeline_tag", "")).lower() in LANGUAGE_TASKS or any(
        LANGUAGE_MODEL_RE.search(line) for line in facts.doc.lines[facts.doc.body_start_line - 1 :][:2000])
    if is_language_model and not _filled(mapping.get("language")):
        missing.append("language (ISO 639-1 codes of the languages it handles)")
    if not _filled(mapping.get("pipeline_tag")) and not _filled(mapping.get("library_name")):
        missing.append("pipeline_tag or library_name")
    if not _filled(mapping.get("base_model")) and _says_fine_tune(facts, repo):
        missing.append("base_model (the card describes a fine-tune, adapter or quantisation)")
    if missing:
        where = "front matter" if facts.doc.front_matter.present else "front matter (the card has none)"
        yield Problem(f"{facts.path} {where} lacks: " + "; ".join(missing), facts.path,
                      1 if facts.doc.front_matter.present else None)


@rule(
    code="CARD004",
    name="card-section-missing",
    severity="warning",
    summary="The model card lacks a core section (intended use, limitations, training data, training procedure, evaluation or citation).",
    rationale=(
        "Model Cards for Model Reporting (Mitchell et al.) and the Hugging Face card template ask for intended "
        "use, limitations and risks, training data, training procedure, evaluation and citation; the Model "
        "Openness Framework and the OSAI index grade a card without them as partial. A heading left with only "
        "template text counts as missing."
    ),
    fix=(
        "Add the section under a heading the Hub template uses, with real content.\n"
        "Example:\n  ## Limitations\n  The model invents facts and reproduces stereotypes of its web training data."
    ),
    references=(HF_CARD_TEMPLATE, MODEL_CARDS_PAPER),
)
def card_section_missing(ctx):
    facts = _usable_card(ctx)
    if facts is None:
        return
    repo = ctx.repo
    empty = {}  # heading line -> (heading, [(key, name)]): one heading may stand for two sections
    companion = companion_sections(repo)
    for key, name in CORE_CARD_SECTIONS.items():
        if facts.section(key) is not None or first_filled(companion, key) is not None:
            continue  # in the card, or in the README beside a separate card file
        if key == "citation" and (repo.exists_ci("CITATION.cff") or repo.exists_ci("CITATION.bib")
                                  or citation_entry(repo) is not None):
            continue  # a citation file, or a BibTeX entry under another heading (a FAQ question, the License section)
        if key == "evaluation" and (model_index_has_results(facts.doc.front_matter.mapping)
                                    or score_table_line(facts.doc) is not None):
            continue  # results in the metadata, or a results table under another heading
        if key == "training_data" and (_training_data_described(repo) or _links_data_card(repo, facts)):
            continue  # a training section ("Pretraining", "Training details") that says what the model was trained on
        if key == "training_procedure" and _training_launched_under_training_heading(facts, repo):
            continue
        heading = facts.heading(key)
        if heading is not None:
            empty.setdefault(heading.line, (heading, []))[1].append((key, name))
        else:
            yield Problem(f"no {name} section in {facts.path} (looked for headings such as {SECTION_EXAMPLES[key]})",
                          facts.path, None, key=f"{facts.path}#section-{key}")
    for line, (heading, sections) in sorted(empty.items()):
        names = " and ".join(name for _key, name in sections)
        keys = "+".join(key for key, _name in sections)
        yield Problem(f"{names} section '{heading.title}' in {facts.path} is empty or only template placeholders",
                      facts.path, line, key=f"{facts.path}#section-{keys}")


@rule(
    code="CARD005",
    name="evaluation-results-missing",
    severity="warning",
    summary="The model card reports no evaluation results: no model-index results and no numbers in an evaluation section.",
    rationale=(
        "Evaluation results are a required component of the Model Openness Framework's Class III and the "
        "'quantitative analyses' of Model Cards for Model Reporting; the Hub shows `model-index` results on the "
        "model page. Without numbers a reader cannot compare the release or check a claim."
    ),
    fix=(
        "Add `model-index` results to the front matter or a results table under an Evaluation heading.\n"
        "Example:\n  ## Evaluation\n  | Benchmark | Metric | Score |\n  |---|---|---|\n  | HellaSwag (0-shot) | accuracy | 27.9% |"
    ),
    references=(HF_MODEL_INDEX, MODEL_CARDS_PAPER),
)
def evaluation_results_missing(ctx):
    facts = _usable_card(ctx)
    if facts is None or model_index_has_results(facts.doc.front_matter.mapping):
        return
    for section in facts.sections.get("evaluation", []):
        if _reports_scores(section.lines) or _links_results_document(ctx.repo, facts, section):
            return
    if score_table_line(facts.doc) is not None:
        return  # a results table in the introduction or under another heading still reports results
    heading = facts.heading("evaluation")
    if heading is not None:
        yield Problem(f"evaluation section '{heading.title}' in {facts.path} gives no results (no table or scores), "
                      f"and the front matter has no model-index results", facts.path, heading.line)
    else:
        yield Problem(f"{facts.path} has no evaluation results: no model-index in the front matter and no "
                      f"Evaluation/Results section with scores", facts.path, None)


@rule(
    code="CARD006",
    name="technical-report-missing",
    severity="info",
    summary="The model card links no paper, technical report or arXiv id.",
    rationale=(
        "The Model Openness Framework lists a technical report (Class III) and a research paper (Class I) as "
        "components; a paper describes choices a card cannot, and the Hub turns arXiv links into paper pages."
    ),
    fix=(
        "Link the paper or technical report from the card (arXiv, DOI or a PDF in the release).\n"
        "Example:\n  Technical report: [Pebble](https://arxiv.org/abs/2406.01234)"
    ),
    references=("https://huggingface.co/docs/hub/paper-pages", MOF),
)
def technical_report_missing(ctx):
    facts = _usable_card(ctx)
    if facts is None:
        return
    repo = ctx.repo
    text = facts.doc.text
    if PAPER_RE.search(text) or any(PAPER_LINK_TEXT_RE.search(m.group(1)) for m in LINK_RE.finditer(text)):
        return
    tags = facts.doc.front_matter.mapping.get("tags")
    if isinstance(tags, list) and any(str(t).lower().startswith(("arxiv:", "doi:")) for t in tags):
        return
    citation = repo.exists_ci("CITATION.cff")
    if citation and PAPER_RE.search(repo.text(citation) or ""):
        return
    if repo.glob("docs/**/*.pdf", "paper/**/*.pdf", "papers/**/*.pdf", "*report*.pdf", "*paper*.pdf", "technical_report/**/*.pdf"):
        return
    yield Problem(f"{facts.path} links no paper or technical report (looked for arXiv ids, DOIs, OpenReview/ACL/"
                  f"NeurIPS links, a 'paper'/'technical report' link, CITATION.cff and PDFs under docs/ or paper/)",
                  facts.path, None)


@rule(
    code="CARD007",
    name="placeholder-text",
    severity="warning",
    summary="The model card or data card still contains template placeholders such as [More Information Needed] or TODO.",
    rationale=(
        "The Hugging Face card template renders every unfilled field as '[More Information Needed]'; a card that "
        "keeps them, or TODO/TBD/lorem ipsum notes, looks complete in a file listing but tells the reader "
        "nothing. Text in code blocks, inline code and HTML comments is not checked."
    ),
    fix=(
        "Replace each placeholder with the information, or delete the field if it does not apply.\n"
        "Example:\n  - **Developed by:** [More Information Needed]   ->   - **Developed by:** Example Lab"
    ),
    references=(HF_CARD_TEMPLATE,),
)
def placeholder_text(ctx):
    facts = card_facts(ctx.repo)
    documents = []
    if facts is not None:
        documents.append((facts.path, facts.placeholders))
    for path in data_cards(ctx.repo):
        if facts is not None and path == facts.path:
            continue
        doc = ctx.repo.markdown(path)
        if doc is not None:
            documents.append((path, document_placeholders(doc, path)))
    for path, placeholders in documents:
        seen = {}
        for item in placeholders:
            seen[item.text] = seen.get(item.text, 0) + 1
            shown = ", ".join(f"'{text}'" for text in dict.fromkeys(item.found))
            yield Problem(f"template placeholder {shown} left in {path}", path, item.line,
                          key=f"{path}#placeholder:{item.text[:80]}:{seen[item.text]}")


@rule(
    code="CARD008",
    name="model-index-invalid",
    severity="error",
    summary="The card's model-index metadata is not of the Hub's shape (name, results with task, dataset and metrics).",
    rationale=(
        "The Hub reads evaluation results from `model-index` in the Papers-with-Code format and rejects or "
        "ignores entries without task.type, dataset.type/name or metrics[].type/value; a malformed block means "
        "the published results do not show up where people compare models."
    ),
    fix=(
        "Give every model-index entry a name and results with task.type, dataset.type, dataset.name and metrics with type and value.\n"
        "Example:\n  model-index:\n    - name: my-model\n      results:\n        - task: {type: text-generation}\n"
        "          dataset: {type: allenai/c4, name: C4}\n          metrics:\n            - {type: perplexity, value: 7.4}"
    ),
    references=(HF_MODEL_INDEX, HF_CARD_SPEC),
)
def model_index_invalid(ctx):
    facts = _usable_card(ctx)
    if facts is None:
        return
    for problem in model_index_problems(facts.doc):
        yield Problem(f"{problem.message} in {facts.path}", facts.path, problem.line, key=finding_key(facts.path, problem.place))


@rule(
    code="CARD009",
    name="broken-relative-link",
    severity="warning",
    summary="A relative link in the README, model card, data card or docs points to a file or folder not in the release.",
    rationale=(
        "A link to a file that was renamed or never committed (LICENCE for LICENSE, a docs page left out of the "
        "release) breaks on GitHub and the Hub, and a broken `license_link` leaves the licence undiscoverable. "
        "Anchors and external URLs are not checked."
    ),
    fix=(
        "Point the link at the file's path in the release (paths are case-sensitive) or add the file.\n"
        "Example:\n  [licence](LICENCE)   ->   [licence](LICENSE)"
    ),
    references=("https://docs.github.com/en/repositories/working-with-files/using-files/working-with-non-code-files#relative-links",
                HF_CARD_SPEC),
)
def broken_relative_link(ctx):
    for link, hints in broken_relative_links(ctx.repo):
        if link.resolved is None:
            why = "leaves the repository"
        elif link.resolved == link.target.split("#", 1)[0].split("?", 1)[0].strip("/"):
            why = "names a file or folder that is not in the release"
        else:
            why = f"resolves to '{link.resolved}', which is not in the release"
        hint = f" (did you mean '{hints[0]}'?)" if hints else ""
        yield Problem(f"link to '{link.target}' {why}{hint}", link.path, link.line, key=f"{link.path}#link:{link.target}")
