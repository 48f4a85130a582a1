"""What the release documents about its training data: sources, licences, scale and preprocessing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from release_lint.detectors.card_content import (
    CardFacts,
    CardSection,
    card_facts,
    document_sections,
    first_filled,
    section_keys,
)
from release_lint.detectors.evidence import Evidence
from release_lint.detectors.files import data_cards, readme_documents
from release_lint.detectors.model_architecture import HUB_ID_RE
from release_lint.detectors.relative_links import SCHEME_RE, in_release, relative_target
from release_lint.mdparse import MarkdownDoc, extract_links
from release_lint.repo import Repo, detector
from release_lint.textindex import is_news_item, topics_in

@dataclass(frozen=True)
class DataSource:
    """A training-data source named precisely enough to find it.

    ``kind``: "metadata" (card ``datasets:`` / dataset card ``source_datasets:``), "url" (a link or
    bare URL in a data section), "hub-id" (``owner/name`` in code or link text), "known-name"
    (a well-known public corpus such as C4 or The Pile), "release-file" (a data file of the release the card
    describes) or "code" (``load_dataset("owner/name")`` in training or preprocessing code).
    """

    name: str
    path: str
    line: Optional[int]
    kind: str
    url: Optional[str] = None


@dataclass
class DataDocumentation:
    """What the release says about its training data (every fact with path and line).

    - ``data_cards``: paths of data cards / datasheets.
    - ``training_data_section``: the model card's filled training-data section, or None;
      ``training_data_heading``: the first such heading even when empty.
    - ``sources``: [DataSource] named sources; ``vague``: vague phrases found ("web data"...).
    - ``licences``: [Evidence] statements of data licences or terms.
    - ``scale``: [Evidence] sizes (tokens, examples, bytes) or mixture proportions.
    - ``preprocessing_code``: paths of preprocessing / filtering / dedup / tokenisation code.
    - ``preprocessing_docs``: [Evidence] documented preprocessing (sections or step descriptions).
    - ``datasheet_sections``: data card path -> {Gebru section key -> filled CardSection}.

    An Evidence ``kind`` says where the fact was read: "prose" (a line of a data section or data card),
    "front-matter" (a data card's metadata key), "section" (a filled preprocessing section; ``text`` its title),
    "licence-file" (a data licence file), "code-link" / "data-link" (preprocessing code at a fixed revision, a
    processed dataset, linked) or "release-file" (a card paragraph naming a data file of the release).
    """

    data_cards: List[str] = field(default_factory=list)
    training_data_section: Optional[CardSection] = None
    training_data_heading: Optional[CardSection] = None
    sources: List[DataSource] = field(default_factory=list)
    vague: List[Evidence] = field(default_factory=list)
    licences: List[Evidence] = field(default_factory=list)
    scale: List[Evidence] = field(default_factory=list)
    preprocessing_code: List[str] = field(default_factory=list)
    preprocessing_docs: List[Evidence] = field(default_factory=list)
    datasheet_sections: Dict[str, Dict[str, CardSection]] = field(default_factory=dict)
    released_data: List[Evidence] = field(default_factory=list)

    @property
    def documented(self) -> bool:
        # A card paragraph describing training data the release ships ("fine-tuned on ..., included as
        # `data/reviews.csv`") documents it as much as a section would (B1).
        return bool(self.data_cards or self.training_data_section or self.released_data)

    @property
    def vague_only(self) -> bool:
        """The only documentation is a card section that gives vague phrases ("publicly available sources", "web
        data") and perhaps a size, but no source, licence or processing: it documents nothing."""
        return (self.training_data_section is not None and not self.data_cards and not self.sources
                and bool(self.vague) and not self.licences and not self.preprocessing_docs)


VAGUE_SOURCE_RE = re.compile(
    r"\b(?:publicly|openly) available (?:data(?:sets?)?|sources?|text|corpora|information|web data)"
    r"|\b(?:public )?web data\b|\binternet data\b|\bdata (?:from|crawled from) the (?:web|internet)\b"
    r"|\b(?:collected|gathered|scraped|crawled|sourced|mined) from the (?:web|internet)\b"
    r"|\ba (?:mix|mixture|combination) of (?:licensed|public(?:ly available)?|proprietary|synthetic)\b"
    r"|\b(?:licensed|proprietary|in-house|internal) data(?:sets?)?\b|\b(?:various|diverse|multiple) (?:sources|datasets)\b"
    r"|\bthird[- ]party data\b|\bcurated (?:data|datasets)\b",
    re.IGNORECASE,
)
# Named public corpora. Distinctive names match in any case ("the pile", "fineweb-edu"); names that are also
# common words or benchmark names (MATH, GLUE, Alpaca, Dolly, OSCAR, ROOTS, C4) only as written.
KNOWN_CORPUS_RE = re.compile(
    r"\b(?:(?i:Common ?Crawl|The Pile|RedPajama(?:-V[12])?|SlimPajama|RefinedWeb|FineWeb(?:-Edu|-2)?|Dolma|OpenWebText2?|"
    r"BookCorpus|BooksCorpus|(?:English |German |French |multilingual )?Wikipedia|The Stack(?: v2)?|StarCoderData|"
    r"LAION-(?:400M|2B|5B)|ImageNet(?:-1[kK]|-21[kK])?|MS ?COCO|Conceptual Captions|LibriSpeech|Common Voice|"
    r"TinyStories|UltraChat|OpenAssistant|OASST1|Project Gutenberg|PG-19|S2ORC|peS2o|WikiText-103|OpenWebMath|"
    r"Proof-Pile|CodeSearchNet|The Stack Exchange|StackExchange)|"
    r"C4|mC4|OSCAR|ROOTS|CC3M|CC12M|Alpaca|Dolly|FLAN|SQuAD|GLUE|SuperGLUE|MultiNLI|GSM8K|MATH)\b"
)
_FILE_EXT_RE = re.compile(r"\.(?:py|md|json|ya?ml|txt|sh|cfg|toml|ipynb|csv|jsonl|parquet|arrow|bin|safetensors|pt)$", re.IGNORECASE)
_NOT_SOURCE_HOSTS_RE = re.compile(
    r"^https?://(?:www\.)?(?:creativecommons\.org|opensource\.org|spdx\.org|opendatacommons\.org|choosealicense\.com|"
    r"gnu\.org|img\.shields\.io|shields\.io|arxiv\.org|openreview\.net|aclanthology\.org)(?:/|$)"
    r"|^https?://(?:www\.)?(?:github|gitlab)\.com/[^/]+/[^/]+/(?:-/)?(?:issues|pull|pulls|discussions|merge_requests)\b",
    re.IGNORECASE,
)
_TOKENIZER_FILE_RE = re.compile(r"/[\w.-]*(?:vocab|merges|tokenizer|spiece|sentencepiece)[\w.-]*\.(?:json|txt|model)(?:[?#].*)?$",
                                re.IGNORECASE)
_CODE_SPAN_RE = re.compile(r"`([^`\n]{1,200})`")
# A bare short id is no licence statement: "MIT" is also an institute ("Midlands Institute of Technology (MIT)"),
# so it counts only as "MIT License" / "licensed under MIT" (both caught by the licence words).
DATA_LICENCE_RE = re.compile(
    r"\blicen[cs]es?\b|\blicen[cs]ed\s+(?:under|as|by|for)\b|\bterms\s+of\s+(?:use|service)\b|\bpublic\s+domain\b"
    r"|\b(?:CC[- ]?BY(?:[- ](?:SA|NC|ND))*(?:[- ]\d\.\d)?|CC0(?:[- ]1\.0)?|ODC[- ]By(?:[- ]1\.0)?|ODbL|PDDL|"
    r"CDLA[- ](?:Sharing|Permissive)(?:[- ][12]\.0)?|Apache[- ]2\.0|OpenRAIL)\b"
    r"|许可|协议|授权|使用条款",
    re.IGNORECASE,
)
DATA_SCALE_RE = re.compile(
    # "2.1B tokens", "11,038 unpublished books" (one word may qualify the unit), "3-trillion-token corpus".
    # Linear on a hostile line: the number is taken whole and never given back ((?=(...))\1, an atomic group;
    # nothing after it can start with a digit, comma or dot), at most 41 characters of it, and one run of spaces
    # or hyphens is tried around the optional unit, not two (a line of "1.1.1..." or "1" and 10,000 spaces
    # took seconds to minutes). Only ever searched, so the groups mean nothing.
    r"\b\d(?=([\d,.]{0,40}))\1[\s-]*(?:(?:[KMBT]\b|thousand|million|billion|trillion)[\s-]*)?(?:[a-z]+\s+)?"
    r"(?:tokens?|words|documents|docs|examples|samples|instances|sentences|pairs|conversations|dialogues|images|"
    r"image-text pairs|videos|hours|utterances|rows|records|files|pages|books|articles|repositories|problems|"
    r"questions|prompts|characters|lines|instructions|demonstrations|dialogs|turns|code files)\b"
    r"|\b\d(?=([\d,.]{0,40}))\2\s*(?:[KMGTP]i?B|bytes)\b|\b\d{1,3}(?:\.\d+)?\s?%",
    re.IGNORECASE,
)
PREPROCESSING_STEP_RE = re.compile(
    r"\b(?:de-?duplicat\w*|dedup\w*|near-duplicate|filter(?:ed|ing|s)?|tokeni[sz](?:ed|ation|ing|er)|"
    r"normali[sz](?:ed|ation|ing)|clean(?:ed|ing)|decontaminat\w*|language identification|minhash|"
    r"pre-?process(?:ed|ing)?|anonymi[sz](?:ed|ation)|pii removal|remov(?:e|es|ed|ing) (?:exact |near-)?duplicates)\b|去重|清洗|过滤|预处理|分词|脱敏",
    re.IGNORECASE,
)
_CODE_EXTENSIONS = (".py", ".sh", ".bash", ".ipynb", ".rs", ".go", ".scala", ".jl", ".r", ".js", ".ts", ".java",
                    ".cpp", ".cc", ".c", ".sql", ".awk", ".pl", ".rb", ".lua")
_PREPROCESS_NAME_RE = re.compile(
    r"pre[-_]?process|^prepare\.(?:py|ipynb|sh)$|prepare[-_]?(?:the[-_]?)?(?:data|dataset|corpus)|^prepare[-_]\w|[-_]prep(?:are|ro)?(?:[-_.]|$)|"
    r"data[-_]?prep|dedup|deduplicat|"
    r"(?:clean|filter)[-_]?(?:data|dataset|corpus|text)|(?:data|dataset|corpus|text|quality)[-_]?(?:clean|filter)|"
    r"train[-_]?tokeni[sz]er|tokeni[sz]e[-_]?(?:data|dataset|corpus)|build[-_]?(?:data|dataset|corpus)|make[-_]?dataset|"
    r"minhash|decontaminat|create[-_]?(?:data|datasets?|corpus)|format[-_]?convert|convert[-_]?(?:the[-_]?)?(?:data|datasets?|corpus)|"
    r"(?:^|[-_])encode(?:[-_](?:data|dataset|corpus))?\.",
    re.IGNORECASE,
)
_DATA_FOLDER_RE = re.compile(
    r"(?:^|/)(?:data|datasets?|data[-_]?pipeline|data[-_]?processing|data[-_]?prep|dataprep|preprocessing|"
    r"pre[-_]?process|curation)/",
    re.IGNORECASE,
)


def _as_names(value) -> List[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float)) and str(v).strip()]
    return []


def _scan_region(path: str, lines: Iterable[Tuple[int, str]], raw_lines: List[str], facts: DataDocumentation, repo: Repo) -> None:
    """Collect sources, vague phrases, licences, scale and preprocessing steps from data prose."""
    numbered = list(lines)
    region = {number for number, _t in numbered}
    for link in extract_links(raw_lines, 1):
        if link.line not in region:
            continue
        target = link.target
        if link.kind == "image" or not re.match(r"^https?://", target, re.IGNORECASE) or _NOT_SOURCE_HOSTS_RE.match(target) \
                or HUB_MODEL_PAGE_RE.match(target) or _TOKENIZER_FILE_RE.search(target):
            continue  # a Hub model page is a checkpoint or a base model, a vocabulary file a tokenizer: not training data
        name = link.text.strip() if link.kind not in ("bare", "autolink") and link.text.strip() else target
        facts.sources.append(DataSource(name, path, link.line, "url", target))
    for number, text in numbered:
        raw = raw_lines[number - 1] if number - 1 < len(raw_lines) else text
        for span in _CODE_SPAN_RE.findall(raw):
            candidate = span.strip().strip("\"'")
            if HUB_ID_RE.match(candidate) and not _FILE_EXT_RE.search(candidate) \
                    and not in_release(repo, candidate.split("/")[0]):
                facts.sources.append(DataSource(candidate, path, number, "hub-id"))
        for match in KNOWN_CORPUS_RE.finditer(text):
            facts.sources.append(DataSource(match.group(0), path, number, "known-name"))
        for match in VAGUE_SOURCE_RE.finditer(text):
            facts.vague.append(Evidence(path, number, "prose", match.group(0)))
        if DATA_LICENCE_RE.search(text):
            facts.licences.append(Evidence(path, number, "prose", text.strip()))
        if DATA_SCALE_RE.search(text):
            facts.scale.append(Evidence(path, number, "prose", text.strip()))
        if PREPROCESSING_STEP_RE.search(text):
            facts.preprocessing_docs.append(Evidence(path, number, "prose", text.strip()))


def named_sources(path: str, lines: Iterable[Tuple[int, str]], raw_lines: List[str], repo: Repo) -> List[DataSource]:
    """The data sources (links, Hub ids in code spans, public corpus names) that *lines* of *path* name."""
    found = DataDocumentation()
    _scan_region(path, lines, raw_lines, found, repo)
    return found.sources


def _merge(facts: DataDocumentation, found: DataDocumentation) -> None:
    facts.sources += found.sources
    facts.vague += found.vague
    facts.licences += found.licences
    facts.scale += found.scale
    facts.preprocessing_docs += found.preprocessing_docs


# A sentence about the training data: where a dataset link or corpus name outside a data section is a source.
# Not textindex's "training" topic: that one is about the training run (compute words such as "GPU hours"),
# this one about its data ("corpus", "dataset", "distilled").
TRAINING_DATA_CONTEXT_RE = re.compile(
    r"\b(?:(?:pre-?|post-?|re-?)?train(?:ed|ing|s)?|fine-?tun(?:ed|ing|es?)|instruction-tun\w*|distill\w*|corpus|corpora|"
    r"data ?(?:set|mix)s?|training data)\b|训练|微调|数据集|语料",
    re.IGNORECASE,
)
# ... unless it is about evaluation ("scores as follows on GLUE"): a benchmark is not training data. Wider than
# textindex's "evaluation" topic ("accuracy", "few-shot", "测试"), and it vetoes even a sentence that also names
# training, where the topic would say training: a benchmark named beside a training word is still not a source.
EVALUATION_CONTEXT_RE = re.compile(r"\b(?:scores?|scored|evaluat\w*|benchmark\w*|accuracy|results?|leaderboard|zero-shot|few-shot|"
                                   r"\d+-shot)\b|评测|评估|测评|基准|榜单|测试", re.IGNORECASE)
# The data of a fine-tuning example or a how-to ("By default, we use a small dataset from X to finetune",
# "该样例数据是从 X 采样", "You can find datasets like X") is the user's, not the released model's training data.
EXAMPLE_DATA_RE = re.compile(
    r"\b(?:example|sample|demo|toy|dummy) (?:data(?:sets?)?|corpus|files?)\b|\bby default\b|\byour own\b|\byou can\b|"
    r"\bcustom(?:i[sz]ed)? data(?:sets?)?\b|样例|示例|例子",
    re.IGNORECASE,
)
# An overview that says what the training data is ("The final training data comes from three sources:").
TRAINING_DATA_PHRASE_RE = re.compile(r"\b(?:(?:pre-?|post-?)?training|fine-?tuning) (?:data|dataset|datasets|corpus|corpora)\b"
                                     r"|训练数据|训练语料", re.IGNORECASE)
TRAINING_DATA_STATEMENT_RE = re.compile(r"\b(?:pre-?)?train(?:ed|s)? (?:[\w-]+ ){0,2}on\b", re.IGNORECASE)


def training_data_paragraphs(lines: Sequence[Tuple[int, str]]) -> List[Tuple[int, str]]:
    """The paragraphs (runs of consecutive lines) of a section that say what the training data is ("The final training
    data comes from three sources:", "we train on ..."), with their lists."""
    kept: List[Tuple[int, str]] = []
    paragraph: List[Tuple[int, str]] = []
    for number, text in list(lines) + [(-2, "")]:
        if text.strip() and (not paragraph or paragraph[-1][0] == number - 1):
            paragraph.append((number, text))
            continue
        joined = " ".join(t for _n, t in paragraph)
        if TRAINING_DATA_PHRASE_RE.search(joined) or TRAINING_DATA_STATEMENT_RE.search(joined):
            kept += paragraph
        paragraph = [(number, text)] if text.strip() else []
    return kept


# A model's page on a model hub (not a dataset, space or documentation page).
HUB_MODEL_PAGE_RE = re.compile(r"^https?://(?:www\.)?(?:huggingface\.co|hf\.co|modelscope\.cn/models)/"
                               r"(?!datasets/|spaces/|docs/|papers/|blog/|collections/|join|login|settings|models\b)"
                               r"[\w.-]+/[\w.-]+/?(?:$|[?#]|tree/|blob/|resolve/)", re.IGNORECASE)
# Links to a dataset's page identify a source wherever they are: the Hub, Kaggle, Zenodo, a /datasets/ path.
DATASET_PAGE_RE = re.compile(
    r"^https?://(?:[\w.-]+/)*?(?:datasets?/|kaggle\.com/datasets/|zenodo\.org/records?/|doi\.org/10\.5281/)",
    re.IGNORECASE,
)
_DATA_WORD_RE = re.compile(r"\b(?:data(?:sets?)?|corpus|corpora|tokens)\b|数据|语料", re.IGNORECASE)
# A file inside a dataset repository (an example image an inference snippet downloads) is not the dataset.
_DATASET_FILE_RE = re.compile(r"/resolve/|\.(?:png|jpe?g|gif|svg|webp|bmp|mp3|wav|flac|mp4)(?:[?#].*)?$", re.IGNORECASE)
# A table row whose key names the training data: "| Training data | acme/pebble-web |".
_DATA_ROW_RE = re.compile(r"^[ \t]*(?:\|[ \t]*)?\**(?:training|pre-?training|fine-?tuning)? ?(?:data(?:sets?)?|data ?mix(?:ture)?)\**\s*\|",
                          re.IGNORECASE)
_PLAIN_HUB_ID_RE = re.compile(r"(?<![\w/.-])([A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95})(?![\w/])")


def _news_and_evaluation_lines(card: "CardFacts") -> Set[int]:
    """Lines under news and evaluation headings: they name other releases and benchmarks, not this model's training data
    (news items and changelog entries talk about other releases: "**[2023/07/25]** Released X, pretrained on ...")."""
    news: Set[int] = set()
    for heading in card.doc.section_headings():
        if "news" in topics_in(heading.title) or "evaluation" in section_keys(heading.title):
            news.update(range(heading.line, heading.content_end + 1))
    return news


def _scan_card_mentions(card: "CardFacts", scanned: set, news: Set[int], facts: DataDocumentation, repo: Repo) -> None:
    """Sources named outside the data sections: dataset-page links and public corpora in a sentence about
    training ("fine-tuned on the [x](https://huggingface.co/datasets/x) dataset"), and "| Training data | ... |" rows."""
    prose = card.doc.prose(keep_code_spans=True)
    context = {number for number, text in prose if number not in scanned and number not in news
               and TRAINING_DATA_CONTEXT_RE.search(text) and not EVALUATION_CONTEXT_RE.search(text)
               and not is_news_item(text) and not EXAMPLE_DATA_RE.search(text)}
    rows = {number for number, text in prose if number not in scanned and _DATA_ROW_RE.match(text)}
    wanted = context | rows
    for link in card.doc.links():
        if link.line in wanted and link.kind != "image" and DATASET_PAGE_RE.match(link.target) \
                and not _DATASET_FILE_RE.search(link.target):
            name = link.text.strip() if link.kind not in ("bare", "autolink") and link.text.strip() else link.target
            facts.sources.append(DataSource(name, card.path, link.line, "url", link.target))
    for number, text in prose:
        if number in context:
            for match in KNOWN_CORPUS_RE.finditer(text):
                facts.sources.append(DataSource(match.group(0), card.path, number, "known-name"))
        if number in rows:
            for cell in text.split("|")[2:]:
                for match in _PLAIN_HUB_ID_RE.finditer(cell):
                    candidate = match.group(1)
                    if not _FILE_EXT_RE.search(candidate) and not candidate.lower().startswith(("http", "www.")):
                        facts.sources.append(DataSource(candidate, card.path, number, "hub-id"))
                for match in KNOWN_CORPUS_RE.finditer(cell):
                    facts.sources.append(DataSource(match.group(0), card.path, number, "known-name"))


# Data files a release may ship as its training data; .json/.txt count only inside a data folder (configs elsewhere).
_DATA_FILE_RE = re.compile(r"\.(?:csv|tsv|jsonl|ndjson|parquet|arrow|xlsx)$", re.IGNORECASE)
_DATA_FILE_IN_FOLDER_RE = re.compile(r"(?:^|/)(?:data|datasets?|corpus|corpora)/(?:[^/]+/)*[^/]+\.(?:json|txt)$", re.IGNORECASE)
MAX_DATA_PARAGRAPH_LINES = 40


def _released_data(card: "CardFacts", excluded: set, facts: DataDocumentation, repo: Repo) -> None:
    """A card paragraph about the training data that names a data file of the release (in a code span or a
    relative link): the data is released and described there, so it is documented and identified (B1)."""
    prose = card.doc.prose(keep_code_spans=True)
    targets: Dict[int, List[str]] = {}
    for link in card.doc.links():
        if link.kind != "image" and not SCHEME_RE.match(link.target):
            targets.setdefault(link.line, []).append(link.target)
    paragraph: List[Tuple[int, str]] = []
    for index, (number, text) in enumerate(prose + [(0, "")]):
        if text.strip() and number not in excluded and (not paragraph or paragraph[-1][0] == number - 1) \
                and len(paragraph) < MAX_DATA_PARAGRAPH_LINES:
            paragraph.append((number, text))
            continue
        joined = " ".join(t for _n, t in paragraph)
        if paragraph and TRAINING_DATA_CONTEXT_RE.search(joined) and not EVALUATION_CONTEXT_RE.search(joined):
            for line, line_text in paragraph:
                if EXAMPLE_DATA_RE.search(line_text):
                    continue  # the sample data of a fine-tuning example
                names = [span.strip().strip("\"'") for span in _CODE_SPAN_RE.findall(line_text)] + targets.get(line, [])
                for name in names:
                    path = repo.exists(name.lstrip("./")) and name.lstrip("./")
                    if path and (_DATA_FILE_RE.search(path) or _DATA_FILE_IN_FOLDER_RE.search(path)):
                        facts.released_data.append(Evidence(card.path, line, "release-file", f"released data {path}"))
                        if _PROCESSED_DATA_RE.search(line_text) or PREPROCESSING_STEP_RE.search(line_text):
                            # "cleaned training data (10,212 samples)": the processed data is released (B1)
                            facts.preprocessing_docs.append(Evidence(card.path, line, "release-file",
                                                                     f"released processed data {path}"))
                        facts.sources.append(DataSource(path, card.path, line, "release-file"))
        paragraph = [(number, text)] if text.strip() and number not in excluded else []


# What a licence sentence may be about: the data, or something else the release ships (the model, its code).
_OTHER_SUBJECT_RE = re.compile(r"\b(?:models?|weights|checkpoints?|code|codebase|software|repository|repo|project|"
                               r"scripts?|library|package)\b|模型|代码|权重", re.IGNORECASE)
_LINK_TARGET_RE = re.compile(r"\]\([^()\s]*\)|<https?://[^>\s]*>|https?://\S+")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?。])\s+(?=[A-Z\[`*(\u4e00-\u9fff])|(?<=。)")


def _data_terms_sentences(path: str, doc: MarkdownDoc, names: Sequence[str], skip: Set[int]) -> List[Evidence]:
    """Sentences anywhere in *doc* that state the data's licence or terms: the licence words follow a mention of the
    data (a data word or a named source) with no mention of the model or the code in between ("fine-tuned on a
    15K-record corpus ... released under CC-BY-SA", "For the dataset itself, see the Common Crawl terms of use").
    "The model, trained on X, is released under Apache 2.0" states the model's licence, not the data's. Lines in
    *skip* (the data sections, already read line by line) are left out."""
    named = re.compile("|".join(re.escape(n) for n in sorted({n for n in names if len(n) >= 3}, key=len, reverse=True)[:50])
                       or r"(?!)", re.IGNORECASE)
    found: List[Evidence] = []
    paragraph: List[Tuple[int, str]] = []
    for number, text in [(n, t) for n, t in doc.prose() if n not in skip] + [(-2, "")]:
        if text.strip() and not text.lstrip().startswith("#") and (not paragraph or paragraph[-1][0] == number - 1):
            paragraph.append((number, text))
            continue
        starts, joined = [], ""
        for line, line_text in paragraph:
            starts.append((len(joined), line))
            joined += _LINK_TARGET_RE.sub("]", line_text) + " "
        offset = 0
        for sentence in _SENTENCE_END_RE.split(joined):
            licence = DATA_LICENCE_RE.search(sentence)
            if licence:
                before = sentence[:licence.start()]
                mentions = [(m.end(), "data") for m in _DATA_WORD_RE.finditer(before)]
                mentions += [(m.end(), "data") for m in named.finditer(before)]
                mentions += [(m.end(), "other") for m in _OTHER_SUBJECT_RE.finditer(before)]
                if mentions and max(mentions)[1] == "data":
                    at = joined.find(sentence, offset) + licence.start()
                    line = max((ln for start, ln in starts if start <= at), default=paragraph[0][0])
                    found.append(Evidence(path, line, "prose", sentence.strip()[:300]))
            offset += len(sentence)
        paragraph = [(number, text)] if text.strip() and not text.lstrip().startswith("#") else []
    return found


# "We include the Stanford Alpaca dataset", "This repository ships the X corpus": the release says it carries the data.
_INCLUDED_DATA_RE = re.compile(
    r"\b(?:we|this (?:repo(?:sitory)?|release|project)) (?:also )?(?:include|includes|ship|ships|bundle|bundles|"
    r"contain|contains)\b(?: [^ .;:]+){0,6}? (?:data(?:sets?)?|corpus|corpora)\b", re.IGNORECASE)
_ROOT_DATA_FILE_RE = re.compile(r"^[^/]*data[^/]*\.(?:json|jsonl|csv|tsv|parquet)$", re.IGNORECASE)


def _included_data(card: "CardFacts", facts: DataDocumentation, repo: Repo) -> None:
    """A card sentence saying the release includes a named dataset, when the release carries data (a data file, or a
    DATA_LICENSE for it): the data is released and identified (B1), though no section describes it."""
    carries = any(e.kind == "licence-file" for e in facts.licences) or any(
        _DATA_FILE_RE.search(p) or _DATA_FILE_IN_FOLDER_RE.search(p) or _ROOT_DATA_FILE_RE.match(p) for p in repo.files)
    if not carries:
        return
    for number, text in card.doc.prose(keep_code_spans=True):
        if not _INCLUDED_DATA_RE.search(text) or EXAMPLE_DATA_RE.search(text):
            continue
        sources = named_sources(card.path, [(number, text)], card.doc.lines, repo)
        if sources:
            facts.released_data.append(Evidence(card.path, number, "release-file", f"included data: {text.strip()[:200]}"))
            facts.sources += sources


# "[data/](data) contains the raw data we used in our experiments", "the training data is in data/".
_USED_DATA_RE = re.compile(r"\b(?:raw |training |the |our )?data(?:sets?)? (?:that )?(?:we used|we use|used (?:in|for))\b"
                           r"|\btraining data\b", re.IGNORECASE)
MAX_LINKED_READMES = 10


def _folder_readme(repo: Repo, folder: str) -> Optional[str]:
    return repo.exists_ci(folder.rstrip("/") + "/README.md")


def _experiment_readme_data(card: "CardFacts", facts: DataDocumentation, repo: Repo) -> None:
    """The README of an experiment folder the card links ("follow the instructions in [examples/NLG/](examples/NLG)"),
    when that folder holds the release's training code, says a data folder of the release holds the data used
    ("[data/](data) contains the raw data we used"): the data is released and documented there (A3, B1). Its
    sub-folders (e2e/, dart/) name the sources."""
    from release_lint.detectors.entry_points import training_entry_points

    trained = [e.path for e in training_entry_points(repo)]
    readmes: List[str] = []
    for link in card.doc.links():
        resolved = relative_target(card.path, link.target, repo) if link.kind != "image" else None
        path = resolved[1] if resolved else None
        if not path or "/" not in path.rstrip("/"):
            continue
        readme = path if path.lower().endswith("readme.md") else _folder_readme(repo, path)
        folder = readme.rsplit("/", 1)[0] + "/" if readme else ""
        if readme and readme not in readmes and any(t.startswith(folder) for t in trained):
            readmes.append(readme)
    for readme in readmes[:MAX_LINKED_READMES]:
        doc = repo.markdown(readme)
        if doc is None:
            continue
        used = {n for n, text in doc.prose(keep_code_spans=True) if _USED_DATA_RE.search(text) and not EXAMPLE_DATA_RE.search(text)}
        for link in doc.links():
            if link.line not in used or link.kind == "image":
                continue
            resolved = relative_target(readme, link.target, repo)
            data_folder = resolved[1].rstrip("/") + "/" if resolved and resolved[1] else None
            if not data_folder:
                continue
            held = [p for p in repo.files if p.startswith(data_folder)
                    and (_DATA_FILE_RE.search(p) or _DATA_FILE_IN_FOLDER_RE.search(p))]
            if not held:
                continue
            facts.released_data.append(Evidence(readme, link.line, "release-file", f"released data {data_folder}"))
            parts = dict.fromkeys(p[len(data_folder):].split("/", 1)[0] for p in held if "/" in p[len(data_folder):])
            for name in parts or [data_folder.rstrip("/")]:
                facts.sources.append(DataSource(name, readme, link.line, "release-file"))


_LOAD_DATASET_RE = re.compile(r"\bload_dataset\(\s*[\"']([A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95})[\"']")
MAX_DATA_CODE_FILES = 20


def _datasets_in_code(repo: Repo, facts: DataDocumentation) -> None:
    """``load_dataset("owner/name")`` in training or preprocessing code identifies a Hub dataset (evidence kind code)."""
    from release_lint.detectors.code_and_docs import code_lines
    from release_lint.detectors.entry_points import training_entry_points

    paths = list(dict.fromkeys([e.path for e in training_entry_points(repo)] + facts.preprocessing_code))
    for path in paths[:MAX_DATA_CODE_FILES]:
        if not path.lower().endswith((".py", ".ipynb")) or "load_dataset" not in (repo.text(path) or ""):
            continue
        for number, line in code_lines(repo, path):
            if line.lstrip().startswith("#"):
                continue
            for match in _LOAD_DATASET_RE.finditer(line):
                facts.sources.append(DataSource(match.group(1), path, number, "code"))


_PROCESSED_DATA_RE = re.compile(r"\b(?:pre-?processed|processed|tokeni[sz]ed|deduplicated|filtered|cleaned)\b", re.IGNORECASE)
# External code pinned to a commit or a tag: github.com/o/r/blob/<sha or tag>/path.
_PINNED_CODE_RE = re.compile(r"^https?://(?:www\.)?(?:github\.com|gitlab\.com)/[^/]+/[^/]+/(?:-/)?(?:blob|tree)/"
                             r"(?:[0-9a-f]{7,40}|v?\d+(?:\.\d+)+)/([^?#]+)", re.IGNORECASE)


def _preprocessing_links(path: str, doc: MarkdownDoc, facts: DataDocumentation) -> None:
    """Preprocessing released elsewhere and linked (B1): the processed / tokenised dataset, or preprocessing code
    at a fixed commit or tag."""
    for link in doc.links():
        if link.kind == "image":
            continue
        pinned = _PINNED_CODE_RE.match(link.target)
        if pinned and _PREPROCESS_NAME_RE.search(pinned.group(1).rsplit("/", 1)[-1] or pinned.group(1)):
            facts.preprocessing_docs.append(Evidence(path, link.line, "code-link", f"linked preprocessing code {link.target}"))
        elif DATASET_PAGE_RE.match(link.target) and (_PROCESSED_DATA_RE.search(link.text or "")
                                                    or _PROCESSED_DATA_RE.search(link.target.replace("-", " ").replace("_", " "))):
            facts.preprocessing_docs.append(Evidence(path, link.line, "data-link", f"linked processed data {link.target}"))


# Tests and examples load data of their own; a loader there says nothing about the model's training data.
_NOT_PIPELINE_RE = re.compile(
    r"(?:^|/)(?:tests?|testing|examples?|samples?|demos?|docs?|notebooks?/examples?)/|(?:^|/)test_[^/]*$|_tests?\.[a-z]+$",
    re.IGNORECASE,
)


_FINE_TUNING_FOLDER_RE = re.compile(r"(?:^|/)(?:[^/]*[-_])?(?:fine[-_]?tun(?:e|ing)|finetune|sft|adapters?|lora)(?:[-_][^/]*)?/",
                                    re.IGNORECASE)
_EXAMPLE_FOLDER_RE = re.compile(r"^(?:[^/]+/)*?examples?/[^/]+/", re.IGNORECASE)


def preprocessing_code(repo: Repo) -> List[str]:
    """Code files (by name only, nothing is read) that prepare training data; tests and examples excluded, except
    files named for preprocessing (create_datasets.sh, format_converting_e2e.py) in an example folder that holds the
    release's own training code (examples/NLG/src/ft.py: the paper's experiments ship as examples)."""
    from release_lint.detectors.entry_points import training_entry_points

    trained = {match.group(0).lower() for entry in training_entry_points(repo)
               for match in [_EXAMPLE_FOLDER_RE.match(entry.path)] if match}
    found = []
    for path, lower in zip(repo.files, repo.lower_files()):
        if not lower.endswith(_CODE_EXTENSIONS):
            continue
        name = lower.rsplit("/", 1)[-1]
        if _NOT_PIPELINE_RE.search(lower):
            folder = _EXAMPLE_FOLDER_RE.match(lower)
            if folder and folder.group(0) in trained and not _NOT_PIPELINE_RE.search(lower[folder.end():]) \
                    and _PREPROCESS_NAME_RE.search(name):
                found.append(path)
            continue
        if _PREPROCESS_NAME_RE.search(name) or _DATA_FOLDER_RE.search(lower) or re.search(r"(?:^|/)scripts/data[^/]*/", lower):
            found.append(path)
    return found


@detector
def data_documentation(repo: Repo) -> DataDocumentation:
    """Everything the release documents about its training data; see :class:`DataDocumentation`."""
    facts = DataDocumentation(data_cards=data_cards(repo), preprocessing_code=preprocessing_code(repo))
    mentions = DataDocumentation()  # sources named in passing in the card; listed after the documented ones
    card = card_facts(repo)
    scanned: Set[int] = set()  # card lines read as data sections
    if card is not None:
        matter = card.doc.front_matter.mapping
        for name in _as_names(matter.get("datasets")):
            facts.sources.append(DataSource(name, card.path, card.doc.front_matter.line_of("datasets"), "metadata"))
        facts.training_data_heading = card.heading("training_data")
        facts.training_data_section = card.section("training_data")
        for section in card.sections.get("training_data", []):
            if section.filled:
                _scan_region(card.path, section.lines, card.doc.lines, facts, repo)
                scanned.update(number for number, _t in section.lines)
        # A training section ("Pretraining", "Training details"), or an overview saying what the training data is,
        # that names a source documents the data too.
        overviews = [s for s in card.sections.get("model_details", []) if TRAINING_DATA_PHRASE_RE.search(s.text)]
        for section in card.sections.get("training_procedure", []) + overviews:
            if not section.filled or any(number in scanned for number, _t in section.lines):
                continue
            found = DataDocumentation()
            if section.key == "model_details":  # only its paragraphs about the training data; a licence there is the model's
                _scan_region(card.path, training_data_paragraphs(section.lines), card.doc.lines, found, repo)
                found.licences = []
            else:
                _scan_region(card.path, section.lines, card.doc.lines, found, repo)
            # A training section links tools and papers too: a link is a source there only when it is a dataset
            # page or its line talks about data.
            data_lines = {n for n, text in section.lines if _DATA_WORD_RE.search(text)}
            examples = {n for n, text in section.lines if EXAMPLE_DATA_RE.search(text)}
            found.sources = [s for s in found.sources if s.line not in examples and
                             (s.kind != "url" or DATASET_PAGE_RE.match(s.url or "") or s.line in data_lines)]
            if found.sources:
                _merge(facts, found)
                scanned.update(number for number, _t in section.lines)
                if facts.training_data_heading is None:
                    facts.training_data_section = facts.training_data_section or section
        mentions = DataDocumentation()
        news = _news_and_evaluation_lines(card)
        _scan_card_mentions(card, scanned, news, mentions, repo)
        if not facts.documented:
            _released_data(card, news | scanned, facts, repo)
        if not facts.documented:
            _experiment_readme_data(card, facts, repo)
        _preprocessing_links(card.path, card.doc, facts)
        for section in card.sections.get("preprocessing", []):
            if section.filled:
                facts.preprocessing_docs.append(Evidence(card.path, section.line, "section", section.title))
    from release_lint.detectors.licenses import license_files

    for entry in license_files(repo):
        if entry.component == "data":  # DATA_LICENSE, LICENSE-DATA: the data's licence, stated by the release
            facts.licences.append(Evidence(entry.path, None, "licence-file", f"{entry.path} ({entry.id or 'unrecognised'})"))
    if card is not None and not facts.documented:
        _included_data(card, facts, repo)
    for path in facts.data_cards:
        doc = repo.markdown(path)
        if doc is None:
            continue
        matter = doc.front_matter.mapping
        for name in _as_names(matter.get("source_datasets")):
            if name.lower() not in ("original", "extended"):
                facts.sources.append(DataSource(name, path, doc.front_matter.line_of("source_datasets"), "metadata"))
        for key in ("license", "license_name", "license_link"):
            if _as_names(matter.get(key)):
                facts.licences.append(Evidence(path, doc.front_matter.line_of(key), "front-matter", f"{key}: {matter.get(key)}"))
        for key in ("size_categories", "dataset_info"):
            if matter.get(key):
                facts.scale.append(Evidence(path, doc.front_matter.line_of(key), "front-matter", key))
        _scan_region(path, doc.prose(), doc.lines, facts, repo)
        sheet = document_sections(doc, path, "datasheet")
        facts.datasheet_sections[path] = {key: s for key in sheet for s in [first_filled(sheet, key)] if s is not None}
        _preprocessing_links(path, doc, facts)
        pre = facts.datasheet_sections[path].get("preprocessing")
        if pre is not None:
            facts.preprocessing_docs.append(Evidence(path, pre.line, "section", pre.title))
    facts.sources += mentions.sources
    if not facts.sources:
        _datasets_in_code(repo, facts)
    facts.sources = list(dict.fromkeys(facts.sources))  # a name in link text and URL counts once per line
    if facts.sources and not facts.licences:
        # The data's terms stated outside the data section: an overview sentence, the License section.
        names = [s.name for s in facts.sources]
        for path in readme_documents(repo):
            doc = repo.markdown(path)
            if doc is not None:
                skip = scanned if card is not None and path == card.path else set()
                facts.licences += _data_terms_sentences(path, doc, names, skip)
    if not facts.sources and not facts.documented:
        # With no training data documented or named, the data code of a fine-tuning tool or adapter example
        # (finetune/utils/data/x.py, x_adapter/data/prepare_y.sh) prepares the user's or the example's data, not the
        # released model's training data (A12).
        facts.preprocessing_code = [p for p in facts.preprocessing_code if not _FINE_TUNING_FOLDER_RE.search(p)]
    return facts
