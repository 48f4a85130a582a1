"""Data documentation: where the training data came from, how it was processed, under what terms."""

from __future__ import annotations

from release_lint.detectors.card_content import DATASHEET_NAMES, DATASHEET_SECTIONS
from release_lint.detectors.data_documentation import data_documentation
from release_lint.findings import Problem
from release_lint.registry import rule

DATASHEETS = "https://arxiv.org/abs/1803.09010"
HF_DATASET_CARDS = "https://huggingface.co/docs/hub/datasets-cards"
HF_CARD_SPEC = "https://github.com/huggingface/hub-docs/blob/main/modelcard.md"
OSAID = "https://opensource.org/ai/open-source-ai-definition"
FMTI = "https://crfm.stanford.edu/fmti/"
MOF = "https://isitopen.ai/"


def _where(facts):
    """(path, line) of the data documentation a finding is about: the card's training-data section, else a data card,
    else the card line that describes the released data."""
    section = facts.training_data_section or facts.training_data_heading
    if section is not None:
        return section.path, section.line
    if facts.data_cards:
        return facts.data_cards[0], None
    if facts.released_data:  # the card paragraph that describes the released data
        return facts.released_data[0].path, facts.released_data[0].line
    return None, None


def _names(items, limit=5):
    names = list(dict.fromkeys(item.name for item in items))
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


@rule(
    code="DATA001",
    name="data-documentation-missing",
    severity="error",
    summary="The release documents its training data nowhere: no data card and no training-data section in the model card.",
    rationale=(
        "The Open Source AI Definition requires detailed information about the training data, the Model "
        "Openness Framework lists a data card as a Class III component (it is the component most releases "
        "miss), and Model Cards for Model Reporting has a Training Data section."
    ),
    fix=(
        "Add a 'Training data' section to the model card or a DATA_CARD.md that names the sources, their licences and size.\n"
        "Example:\n  ## Training data\n  2.1B tokens: [allenai/c4](https://huggingface.co/datasets/allenai/c4) (en, ODC-By-1.0)."
    ),
    references=(OSAID, MOF, DATASHEETS),
)
def data_documentation_missing(ctx):
    facts = data_documentation(ctx.repo)
    if facts.documented and not facts.vague_only:
        return
    if facts.vague_only:
        section = facts.training_data_section
        vague = ", ".join(f"'{v}'" for v in dict.fromkeys(e.text for e in facts.vague))
        yield Problem(f"the training-data section '{section.title}' in {section.path} only gives a size and vague "
                      f"phrases ({vague}): it names no source and no processing, so it documents nothing a reader can find",
                      section.path, section.line)
        return
    heading = facts.training_data_heading
    if heading is not None:
        yield Problem(f"the training-data section '{heading.title}' in {heading.path} is empty or only template "
                      f"placeholders, and there is no data card (DATA_CARD.md, DATASHEET.md, data/README.md, docs/data*.md)",
                      heading.path, heading.line)
    else:
        yield Problem("no data card (DATA_CARD.md, DATASHEET.md, data/README.md, datasets/*/README.md, docs/data*.md) "
                      "and no training-data section in the model card")


@rule(
    code="DATA002",
    name="data-sources-unidentified",
    severity="warning",
    summary="No training data source is identified: no datasets metadata, no dataset names with links or identifiers.",
    rationale=(
        "OSAID asks for a listing of all publicly available training data and where to obtain it; the Foundation "
        "Model Transparency Index scores vague descriptions such as 'publicly available sources' or 'web data' as "
        "not disclosing the sources. A source is identified by a Hub id, a URL or DOI, or the name of a public corpus."
    ),
    fix=(
        "Name every source with a Hub id, URL or DOI, and list the Hub ids under `datasets:` in the card's front matter.\n"
        "Example:\n  datasets: [HuggingFaceFW/fineweb-edu]\n  ## Training data\n"
        "  - [FineWeb-Edu](https://huggingface.co/datasets/HuggingFaceFW/fineweb-edu), sample-10BT"
    ),
    references=(OSAID, FMTI, HF_CARD_SPEC),
)
def data_sources_unidentified(ctx):
    facts = data_documentation(ctx.repo)
    if facts.sources:
        return
    path, line = _where(facts)
    vague = list(dict.fromkeys(e.text for e in facts.vague))
    if vague:
        detail = "; it only says " + ", ".join(f"'{v}'" for v in vague[:3]) + ", which does not identify a source"
    else:
        detail = ""
    if path is None:
        message = "no training data source is named anywhere (no `datasets:` metadata, no data card, no training-data section)"
    else:
        message = f"the data documentation ({path}) names no identifiable source (no dataset id, link, DOI or corpus name){detail}"
    yield Problem(message, path, line)


@rule(
    code="DATA003",
    name="data-preprocessing-unreleased",
    severity="warning",
    summary="Neither data preprocessing code (cleaning, filtering, deduplication, tokenisation) nor documented preprocessing steps are in the release.",
    rationale=(
        "OSAID lists the code used for processing and filtering the data among the required components, and "
        "the Model Openness Framework counts data preprocessing code in Class I; without it the training data "
        "cannot be rebuilt from its sources."
    ),
    fix=(
        "Release the data pipeline (e.g. data/preprocess.py) or document each step in the data card's Preprocessing section.\n"
        "Example:\n  data/preprocess.py   # normalise, language-filter, MinHash-deduplicate, tokenise"
    ),
    references=(OSAID, MOF, DATASHEETS),
)
def data_preprocessing_unreleased(ctx):
    facts = data_documentation(ctx.repo)
    if facts.preprocessing_code or facts.preprocessing_docs:
        return
    yield Problem("no data preprocessing code (preprocess*, *dedup*, *filter*data*, train_tokenizer*, code under data/ or "
                  "preprocessing/) and no documented preprocessing steps (a Preprocessing section or a description of "
                  "filtering, deduplication or tokenisation in the data documentation)")


@rule(
    code="DATA004",
    name="data-license-unstated",
    severity="warning",
    summary="Training data sources are named but their licences or terms of use are not stated.",
    rationale=(
        "Whether a model can be shared depends on the terms of its data: the NeurIPS checklist asks for the "
        "licence of every existing asset, the FMTI for the data's licence status, and Datasheets for Datasets "
        "for licence and terms of use under Distribution."
    ),
    fix=(
        "State each source's licence or terms next to it in the training-data section or data card.\n"
        "Example:\n  | Source | Licence |\n  |---|---|\n  | allenai/c4 | ODC-By-1.0 |"
    ),
    references=(DATASHEETS, FMTI, "https://neurips.cc/public/guides/PaperChecklist"),
)
def data_license_unstated(ctx):
    facts = data_documentation(ctx.repo)
    if not facts.sources or facts.licences:
        return
    first = next((s for s in facts.sources if s.kind != "metadata"), facts.sources[0])
    yield Problem(f"training data sources are named ({_names(facts.sources)}) but no licence or terms of use is stated "
                  f"for them in the training-data section or data card", first.path, first.line, key="data-license")


@rule(
    code="DATA005",
    name="datasheet-incomplete",
    severity="info",
    summary="The data card lacks sections of Datasheets for Datasets (motivation, composition, collection, preprocessing, uses, distribution, maintenance).",
    rationale=(
        "Datasheets for Datasets (Gebru et al.) organises dataset documentation in seven question groups; the "
        "OSAI index grades a datasheet as open only when it is comprehensive. Hugging Face dataset-card "
        "headings (Dataset Structure, Source Data, Licensing Information...) count as their equivalents."
    ),
    fix=(
        "Add the missing sections to the data card, each answering the datasheet's questions.\n"
        "Example:\n  ## Collection process\n  Downloaded from the Hub on 2024-05-02 (revision f54c09f); no new data collected."
    ),
    references=(DATASHEETS, HF_DATASET_CARDS),
)
def datasheet_incomplete(ctx):
    facts = data_documentation(ctx.repo)
    for path in facts.data_cards:
        present = facts.datasheet_sections.get(path, {})
        missing = [DATASHEET_NAMES[key] for key in DATASHEET_SECTIONS if key not in present]
        if missing:
            yield Problem(f"data card {path} lacks datasheet sections: " + ", ".join(missing), path, None, key=f"{path}#datasheet")


@rule(
    code="DATA006",
    name="data-scale-unstated",
    severity="info",
    summary="The data documentation gives no size of the training data (tokens, examples, bytes) or mixture proportions.",
    rationale=(
        "The FMTI scores disclosure of data size, and Datasheets for Datasets asks how many instances there are; "
        "the size and the mixture proportions are what someone reproducing the training run needs first."
    ),
    fix=(
        "State the amount of training data and the share of each source.\n"
        "Example:\n  2.1 billion tokens: TinyStories 70%, FineWeb-Edu 30%."
    ),
    references=(FMTI, DATASHEETS),
)
def data_scale_unstated(ctx):
    facts = data_documentation(ctx.repo)
    if not facts.documented or facts.scale:
        return
    path, line = _where(facts)
    yield Problem(f"the data documentation ({path}) states no size (tokens, examples, documents, bytes) and no mixture "
                  f"proportions", path, line)
