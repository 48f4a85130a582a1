"""The model card's content: sections by heading synonyms, placeholders, score tables and the parsed card.

Section names follow the Hugging Face model card template (huggingface_hub ``modelcard_template.md``),
Mitchell et al. "Model Cards for Model Reporting" and Gebru et al. "Datasheets for Datasets".
Other areas read the card through :func:`card_facts` (sections by :data:`CARD_SECTIONS` key, each with its
path and line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from release_lint.detectors.files import model_card, readme_documents
from release_lint.mdparse import Heading, MarkdownDoc
from release_lint.repo import Repo, detector

# --- section synonyms ----------------------------------------------------------------------------
# Heading titles in other languages, by section key (whole-title patterns, like the English ones below).
CARD_SECTIONS_OTHER_LANGUAGES: Dict[str, Tuple[str, ...]] = {
    "training_data": (r"(?:预)?训练数据(?:集)?", r"(?:微调)?数据(?:集)?", r"数据来源", r"训练语料", r"(?:预)?训练数据(?:及|和|与)?(?:来源|说明)"),
    "preprocessing": (r"数据(?:预)?处理", r"数据清洗", r"(?:数据)?预处理"),
    "license": (r"(?:开源)?(?:许可证?|协议)", r"许可(?:协议)?"),
    "citation": (r"引用(?:说明|信息)?",),
    "limitations": (r"(?:模型)?局限性?", r"(?:模型)?局限性?(?:与|和|及)(?:风险|偏见|偏差)", r"(?:风险|偏见)(?:与|和|及)局限性?"),
    "training_procedure": (r"(?:模型)?(?:预)?训练(?:参数|超参数?|细节|过程|方法|配置|设置)", r"(?:全参数?|lora )?微调(?:参数|方法|细节)?"),
    "intended_use": (r"(?:预期)?用途", r"使用场景", r"适用(?:场景|范围)"),
    "evaluation": (r"benchmark ?结果", r"(?:模型)?(?:评测|评估|测评)(?:结果)?", r"基准(?:测试)?(?:结果)?"),
}

# Section key -> heading titles (regular expressions matched against the WHOLE normalised title:
# lower case, "&" -> "and", numbering, emoji, "[optional]" and trailing ":" removed).
CARD_SECTIONS: Dict[str, Tuple[str, ...]] = {
    "model_details": (r"model (?:details|description|summary|overview|information)", r"overview", r"about(?: the model)?"),
    "intended_use": (
        r"(?:intended |primary |direct |downstream )?uses?", r"intended uses? and limitations",
        r"(?:direct|downstream|intended|primary) use(?:s| cases?)?", r"use cases?", r"intended purpose", r"(?:model|evaluated) uses?",
        # "Who can use Pebble?", "Potential use cases": the audience or the uses under another name.
        r"who (?:can|should) use(?: [^ ]{1,40}){0,3}", r"(?:potential|possible|example) use ?cases?",
    ) + CARD_SECTIONS_OTHER_LANGUAGES["intended_use"],
    "out_of_scope": (r"out[- ]of[- ]scope(?: uses?| use cases)?", r"misuse(?:,? malicious use)?(?: and out[- ]of[- ]scope use)?",
                     r"prohibited uses?"),
    "limitations": (
        r"(?:known )?limitations?", r"bias(?:es)?(?:,? risks?,? and limitations| and limitations| and risks)?",
        r"risks?(?: and limitations)?", r"limitations? and (?:biases|bias|risks)", r"intended uses? and limitations",
        r"ethical considerations?(?: and limitations)?", r"caveats(?: and recommendations)?", r"ethics and safety",
        r"safety", r"responsible ai(?: considerations)?", r"performance and limitations", r"broader implications",
        r"(?:known )?(?:issues|risks) and (?:risks|issues|limitations|biases)", r"known issues",
    ) + CARD_SECTIONS_OTHER_LANGUAGES["limitations"],
    "training_data": (
        r"(?:pre-?|post-?)?training data(?:sets?)?", r"(?:pre-?)?training (?:corpus|corpora|mixture|dataset|datasets)",
        r"fine-?tuning data(?:sets?)?", r"training and evaluation data", r"data(?:sets?)?", r"data sources",
        r"training data sources", r"data(?:set)? (?:card|details|summary)",
        r"(?:(?:pre-?)?training )?data ?(?:mix|mixture|composition)", r"(?:pre-?)?training data (?:mix|mixture|composition)",
        r"(?:training )?data(?:set)? release",
    ) + CARD_SECTIONS_OTHER_LANGUAGES["training_data"],
    "training_procedure": (
        r"training(?: procedure| details| hyperparameters| setup| recipe| configuration| process)?",
        r"(?:pre-?|fine-?)training(?: procedure| details| setup)?", r"hyperparameters", r"fine-?tuning(?: procedure| details)?",
        r"reproduc(?:ing|e|tion of)(?: the)? training(?: run| results)?", r"how to (?:re)?train(?: [^ ]{1,40}){0,2}",
    ) + CARD_SECTIONS_OTHER_LANGUAGES["training_procedure"],
    "preprocessing": (
        r"(?:data )?pre-?processing(?:,? cleaning,? (?:and |or )?labell?ing|/cleaning/labell?ing| and cleaning| and filtering)?",
        r"data (?:processing|cleaning|filtering|pipeline|curation)", r"(?:data )?filtering", r"de-?duplication",
        r"data collection and processing", r"data generation(?: process| pipeline)?",
    ) + CARD_SECTIONS_OTHER_LANGUAGES["preprocessing"],
    "evaluation": (
        r"(?:model )?(?:evaluation|evaluations|eval)(?: results| and results| setup| details| metrics)?",
        r"results", r"benchmarks?(?: results| scores)?", r"performance(?: and limitations)?", r"baselines?(?: results)?",
        r"(?:benchmark|evaluation|eval|zero-shot|few-shot) (?:scores?|results|performance)", r"(?:evaluation|results)/[^/]{1,40}", r"quantitative analyses", r"evaluation data, metrics and results",
    ) + CARD_SECTIONS_OTHER_LANGUAGES["evaluation"],
    "environmental_impact": (r"environmental impact", r"carbon (?:emissions|footprint)", r"co2 emissions", r"energy (?:use|usage|consumption)"),
    "compute_infrastructure": (
        r"(?:training |compute )?infrastructure", r"compute(?: resources)?", r"training compute", r"hardware and software",
    ),
    "hardware": (r"(?:training )?hardware(?: requirements| used)?",),
    "software": (r"software(?: dependencies)?",),
    "technical_specifications": (r"technical specifications?", r"model architecture(?: and objective)?", r"architecture"),
    "citation": CARD_SECTIONS_OTHER_LANGUAGES["citation"] + (r"citations?(?: information| details| info)?", r"cite(?: this| us)?", r"citing(?: [^ ]{1,40}){0,3}", r"how to cite", r"bibtex(?: entry)?(?: and citation info(?:rmation)?)?"),
    "get_started": (
        r"how to get started(?: with the model)?", r"getting started", r"quick ?start", r"usage", r"how to use(?: the model)?",
        r"example usage", r"inference",
    ),
    "license": (r"licen[cs]e(?: and terms)?", r"licen[cs]ing(?: information)?", r"terms of use") + CARD_SECTIONS_OTHER_LANGUAGES["license"],
    "contact": (r"(?:model card )?contact", r"model card authors?", r"maintainers?", r"authors?"),
}
# Key -> keys whose headings may sit under it and still count as its content.
CARD_SUBSECTIONS: Dict[str, FrozenSet[str]] = {
    "training_procedure": frozenset({"preprocessing", "hardware", "software", "compute_infrastructure"}),
    "intended_use": frozenset({"out_of_scope"}),
    "technical_specifications": frozenset({"compute_infrastructure", "hardware", "software"}),
    "compute_infrastructure": frozenset({"hardware", "software"}),
}
# The sections CARD004 asks for, with the names used in messages.
CORE_CARD_SECTIONS: Dict[str, str] = {
    "intended_use": "intended use",
    "limitations": "limitations / bias and risks",
    "training_data": "training data",
    "training_procedure": "training procedure",
    "evaluation": "evaluation",
    "citation": "citation",
}

# Datasheets for Datasets (Gebru et al.) question groups, with Hugging Face dataset-card equivalents.
DATASHEET_SECTIONS: Dict[str, Tuple[str, ...]] = {
    "motivation": (r"motivation", r"purpose", r"curation rationale", r"dataset summary", r"dataset description", r"summary"),
    "composition": (
        r"composition", r"(?:dataset|data) (?:structure|composition|contents|fields|instances|splits|statistics)",
        r"data (?:mixture|mix)", r"contents", r"statistics", r"data (?:mixture|mix) and statistics",
    ),
    "collection": (
        r"(?:data )?collection(?: process)?", r"source data", r"data sources?", r"sources", r"initial data collection(?: and normali[sz]ation)?",
        r"data collection and processing", r"collection and processing",
    ),
    "preprocessing": CARD_SECTIONS["preprocessing"] + (r"annotations?", r"labell?ing", r"cleaning", r"processing"),
    "uses": (r"uses?", r"intended uses?", r"considerations for using the data", r"use cases?", r"out[- ]of[- ]scope uses?", r"direct use"),
    "distribution": (r"distribution", r"licen[cs]ing(?: information)?", r"licen[cs]e", r"access", r"availability", r"terms of use"),
    "maintenance": (r"maintenance", r"maintainers?", r"dataset curators", r"contact", r"updates", r"versioning"),
}
DATASHEET_NAMES: Dict[str, str] = {
    "motivation": "motivation", "composition": "composition", "collection": "collection process",
    "preprocessing": "preprocessing/cleaning/labelling", "uses": "uses", "distribution": "distribution",
    "maintenance": "maintenance",
}

_OPTIONAL_RE = re.compile(r"[\[(]optional[\])]", re.IGNORECASE)
_TITLE_END = ":.!?*_-"  # with whitespace, dropped from the end of a title


def normalise_title(title: str) -> str:
    """Lower case, "&" -> "and", without numbering ("3.2"), emoji, "[optional]" or a trailing colon.

    Whitespace is folded before the spaces around "/" go, and the end is trimmed by a loop: a regex run of spaces
    or dots that must reach the end (or a "/") is retried from every character of a long run (quadratic)."""
    text = _OPTIONAL_RE.sub(" ", re.sub(r"[*_`]+", "", title.lower()).replace("&", " and ").replace("/", " / "))
    text = re.sub(r"^[^a-z0-9\u4e00-\u9fff]+", "", text)  # keeps a Chinese title's first character
    text = re.sub(r"^(?:\d+(?:\.\d+)*|[a-z]\.)[.)]?\s+", "", text)
    end = len(text)
    while end and (text[end - 1].isspace() or text[end - 1] in _TITLE_END):
        end -= 1
    text = " ".join(text[:end].split()).replace(" / ", "/").replace(" /", "/").replace("/ ", "/")
    return text.replace(" , ", ", ").strip()


def _compile(table: Dict[str, Sequence[str]]) -> Dict[str, "re.Pattern[str]"]:
    return {key: re.compile("(?:" + "|".join(patterns) + r")\Z") for key, patterns in table.items()}


_CARD_PATTERNS = _compile(CARD_SECTIONS)
_DATASHEET_PATTERNS = _compile(DATASHEET_SECTIONS)


def section_keys(title: str, table: str = "card") -> FrozenSet[str]:
    """The section keys a heading title stands for (several for "Intended uses & limitations")."""
    normal = normalise_title(title)
    patterns = _CARD_PATTERNS if table == "card" else _DATASHEET_PATTERNS
    return frozenset(key for key, pattern in patterns.items() if pattern.match(normal))


# --- placeholders ------------------------------------------------------------------------------
PLACEHOLDER_RE = re.compile(
    r"\[More Information Needed\]|\bMore information needed(?: for further recommendations)?"
    # The Hub template's default recommendation, left in when the section was never written.
    r"|\b(?:Users (?:\([^()\n]{0,40}\) )?)?should be made aware of the risks, biases,? and limitations of the model\b"
    r"|\b(?:TODO|TBD|TBA|FIXME)\b"
    r"|\blorem ipsum\b"
    r"|<\s*(?:insert|add|your)\b[^<>\n]{0,200}>|\[\s*(?:insert|add your|your)\b[^\[\]\n]{0,200}\]"
    r"|\{\{[^{}\n]{0,200}\}\}",
    re.IGNORECASE,
)
_UPPER_ONLY = {"todo", "tbd", "tba", "fixme"}  # "todo list" in prose is not a placeholder


_QUOTES = {"'": "'", '"': '"', "\u2018": "\u2019", "\u201c": "\u201d"}


def _quoted(text: str, match: "re.Match[str]") -> bool:
    """The placeholder word stands in quotes: the text talks about it ("occurrences of 'lorem ipsum'")."""
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    return before in _QUOTES and _QUOTES[before] == after


def placeholders_in(text: str, *, mentions: bool = True) -> List[str]:
    """Template placeholders in one line of prose (code spans should already be removed). With ``mentions=False``
    a placeholder word in quotes is the subject of the sentence, not a gap left in it (not in YAML, where a
    quoted "TODO" is a value left unfilled)."""
    found = []
    for match in PLACEHOLDER_RE.finditer(text):
        word = match.group(0)
        if word.lower() in _UPPER_ONLY and word != word.upper():
            continue
        if not mentions and _quoted(text, match):
            continue
        found.append(word)
    return found


_MARKUP_RE = re.compile(r"[\s|*_#>`~=+\-:.,;()\[\]]+")
_LIST_MARK_RE = re.compile(r"^\s*(?:[-*+>]|\d+[.)])\s+")


def is_substantive(line: str) -> bool:
    """Whether a prose line says something: not blank, markup, a placeholder or a bare "Label:"."""
    text = PLACEHOLDER_RE.sub(" ", line)
    bare = _LIST_MARK_RE.sub("", text).strip()
    bare = re.sub(r"^[*_]+|[*_]+$", "", bare).strip()
    if not _MARKUP_RE.sub("", bare):
        return False
    if bare.rstrip("*_ ").endswith(":") and len(bare) < 80:  # "**Developed by:**" left unfilled
        return False
    return True


# --- sections --------------------------------------------------------------------------------
@dataclass(frozen=True)
class CardSection:
    """A recognised section of a Markdown document.

    ``lines`` are the section's own (line number, text) pairs: its body and sub-sections, minus
    sub-sections that are other recognised sections, with fenced code blocks and HTML comments removed
    (inline code is kept).
    ``filled`` is False when nothing but blanks, markup, labels or template placeholders is left.
    """

    key: str
    path: str
    heading: Heading
    filled: bool
    lines: Tuple[Tuple[int, str], ...]

    @property
    def line(self) -> int:
        return self.heading.line

    @property
    def title(self) -> str:
        return self.heading.title

    @property
    def text(self) -> str:
        return "\n".join(text for _n, text in self.lines)


def document_sections(doc: MarkdownDoc, path: str, table: str = "card") -> Dict[str, List[CardSection]]:
    """Every heading of *doc* recognised by *table* ("card" or "datasheet"): key -> sections in order."""
    headings = doc.section_headings()  # bold pseudo-headings ("**Training Data**") count as sections too
    keys_of = [section_keys(h.title, table) for h in headings]
    prose = dict(doc.prose(keep_code_spans=True))
    found: Dict[str, List[CardSection]] = {}
    heading_lines = {h.line for h in headings}
    for index, heading in enumerate(headings):
        for key in sorted(keys_of[index]):
            allowed = {key} | CARD_SUBSECTIONS.get(key, frozenset())
            excluded: Set[int] = set()  # lines of subsections about something else (a set: one lookup per line)
            for sub_index in range(index + 1, len(headings)):
                sub = headings[sub_index]
                if sub.line > heading.content_end:
                    break
                if keys_of[sub_index] and not keys_of[sub_index] & allowed:
                    excluded.update(range(sub.line, sub.content_end + 1))
            own = tuple(
                (number, prose[number])
                for number in range(heading.body_start, heading.content_end + 1)
                if number in prose and number not in heading_lines and number not in excluded
            )
            code = _has_code_block(doc, heading.body_start, heading.content_end, excluded)
            filled = code or any(is_substantive(text) for _n, text in own)
            found.setdefault(key, []).append(CardSection(key, path, heading, filled, own))
    return found


def _has_code_block(doc: MarkdownDoc, start: int, end: int, excluded: Set[int]) -> bool:
    """A fenced block with something in it (a BibTeX entry, a usage snippet) is content."""
    fenced = doc.fenced()
    for number in range(start, min(end, len(doc.lines)) + 1):
        if number not in fenced or number in excluded:
            continue
        stripped = doc.lines[number - 1].strip()
        if stripped and not stripped.startswith(("```", "~~~")) and not PLACEHOLDER_RE.fullmatch(stripped):
            return True
    return False


def first_filled(sections: Dict[str, List[CardSection]], key: str) -> Optional[CardSection]:
    return next((s for s in sections.get(key, []) if s.filled), None)


# Words that make a table a table of scores: metric names and common benchmark names (data: extend freely).
SCORE_TABLE_WORDS = (
    r"accuracy", r"acc", r"score", r"scores", r"loss", r"f1", r"bleu", r"rouge(?:-?l)?", r"wer", r"cer", r"perplexity", r"ppl",
    r"exact match", r"pass@\d+", r"auc", r"top-?[15]", r"zero-shot", r"few-shot", r"\d+-shot", r"benchmarks?",
    r"hellaswag", r"arc(?:-[ec])?", r"mmlu", r"piqa", r"winogrande", r"gsm8k", r"humaneval", r"lambada", r"boolq",
    r"imagenet", r"librispeech", r"squad", r"glue", r"fid", r"clip ?score", r"准确率", r"得分", r"评测",
)
SCORE_WORD_RE = re.compile(r"(?<![a-z0-9])(?:" + "|".join(SCORE_TABLE_WORDS) + r")(?![a-z0-9])", re.IGNORECASE)
_TABLE_LINE_RE = re.compile(r"^\s{0,3}\|")
TABLE_RULE_RE = re.compile(r"^[\s|:\-]+$")
_SCORE_CELL_RE = re.compile(r"\|\s*[<>~]?\d{1,3}(?:\.\d+)?\s?%?\s*(?:\([^()|]{0,20}\)\s*)?(?=\|)")


def score_table_line(doc: MarkdownDoc) -> Optional[int]:
    """The first line of a results table anywhere in the document's prose: a Markdown table whose header row, or
    the sentence just above it, names a metric or benchmark, and one of whose body rows holds a score cell
    ("| 52.1 |", "| 61.3% |"). A hyperparameter table ("| Learning rate | 3e-4 |") names no metric."""
    prose = doc.prose()
    previous: Tuple[int, str] = (0, "")
    index = 0
    while index < len(prose):
        number, text = prose[index]
        if not _TABLE_LINE_RE.match(text):
            if text.strip():
                previous = (number, text)
            index += 1
            continue
        header, rows, last = text, [], number
        index += 1
        while index < len(prose) and prose[index][0] == last + 1 and _TABLE_LINE_RE.match(prose[index][1]):
            last, row = prose[index]
            if not TABLE_RULE_RE.match(row):
                rows.append(row)
            index += 1
        named = SCORE_WORD_RE.search(header) or (previous[0] >= number - 2 and SCORE_WORD_RE.search(previous[1]))
        if named and any(_SCORE_CELL_RE.search(row + "|") for row in rows):
            return number
        previous = (0, "")
    return None


@dataclass
class Placeholder:
    path: str
    line: int
    found: Tuple[str, ...]  # the placeholder texts on that line
    text: str  # the line, stripped


def document_placeholders(doc: MarkdownDoc, path: str) -> List[Placeholder]:
    """Placeholders in front matter lines and prose lines (never in code blocks, code spans or comments)."""
    out = []
    matter = doc.front_matter
    if matter.present:
        for number in range(2, matter.end_line):
            line = doc.lines[number - 1] if number - 1 < len(doc.lines) else ""
            if line.lstrip().startswith("#"):
                continue  # a YAML comment is invisible on the Hub, like an HTML comment in the body
            hits = placeholders_in(line.split(" #", 1)[0])
            if hits:
                out.append(Placeholder(path, number, tuple(hits), line.strip()))
    roadmaps = _roadmap_headings(doc)
    for number, text in doc.prose():
        hits = placeholders_in(text, mentions=False)
        if hits and number not in roadmaps:
            out.append(Placeholder(path, number, tuple(hits), doc.lines[number - 1].strip()))
    return out


_ROADMAP_TITLE_RE = re.compile(r"^(?:todo|to ?do(?: list)?|todos|roadmap|tbd|planned|coming soon)$", re.IGNORECASE)
_TASK_ITEM_RE = re.compile(r"^\s{0,3}[-*+]\s+\[[ xX]\]\s")


def _roadmap_headings(doc: MarkdownDoc) -> Set[int]:
    """Lines of "## TODO" / "## Roadmap" headings whose body opens with a task list ("- [ ] ..."): a plan
    for the reader, not a template left unfilled."""
    found: Set[int] = set()
    for heading in doc.headings:
        if not _ROADMAP_TITLE_RE.match(normalise_title(heading.title)):
            continue
        intro = 0  # a sentence or two may open the plan ("Here are some things we plan to work on:")
        for number in range(heading.body_start, min(heading.body_end, heading.body_start + 8) + 1):
            text = doc.lines[number - 1] if number - 1 < len(doc.lines) else ""
            if not text.strip():
                continue
            if _TASK_ITEM_RE.match(text):
                found.add(heading.line)
                break
            intro += 1
            if intro > 2 or placeholders_in(text):
                break
    return found


@dataclass
class CardFacts:
    """The model card: its path, parsed document, recognised sections and placeholders.

    ``sections``: key of :data:`CARD_SECTIONS` -> every heading recognised as that section, in order
    (filled or not). Use :meth:`section` for the first filled one.
    """

    path: str
    doc: MarkdownDoc
    sections: Dict[str, List[CardSection]]
    placeholders: List[Placeholder]

    def section(self, key: str) -> Optional[CardSection]:
        return first_filled(self.sections, key)

    def heading(self, key: str) -> Optional[CardSection]:
        """The first heading recognised as *key*, even an empty one (to point at it)."""
        return next(iter(self.sections.get(key, [])), None)


@detector
def card_facts(repo: Repo) -> Optional[CardFacts]:
    """The model card parsed (see :class:`CardFacts`), or None without a readable card."""
    path = model_card(repo)
    if path is None:
        return None
    doc = repo.markdown(path)
    if doc is None:
        return None
    return CardFacts(path, doc, document_sections(doc, path), document_placeholders(doc, path))


# A BibTeX entry opening ("@article{", "@misc {"). An entry type is required: a decorator or an e-mail address in a
# code block is no citation, nor is a fence declared as BibTeX that holds only "TBD". Indentation only before the "@":
# "^\s*" would rescan a run of blank lines from each of them (quadratic).
BIBTEX_RE = re.compile(r"^[ \t]*@(?:article|misc|inproceedings|conference|techreport|software|dataset|book|inbook|online"
                       r"|unpublished|phdthesis|mastersthesis|incollection|proceedings|manual)[ \t]*\{", re.IGNORECASE | re.MULTILINE)


@detector
def citation_entry(repo: Repo) -> Optional[Tuple[str, int]]:
    """(path, line) of the first BibTeX entry in the model card or a root README, under whatever heading ("How do
    I cite it?", "License"), or None. The one reading of "the release says how to cite it" in documents."""
    for path in readme_documents(repo):
        text = repo.text(path) or ""
        match = BIBTEX_RE.search(text)
        if match:
            return path, text.count("\n", 0, match.start()) + 1
    return None


@detector
def companion_sections(repo: Repo) -> Dict[str, List[CardSection]]:
    """Sections of the root README when a separate file (model_card.md) is the card: the README still holds the
    citation or the results that the card does not repeat. Empty when README.md is the card."""
    card = model_card(repo)
    readme = repo.exists_ci("README.md")
    if not card or not readme or readme == card or "/" in readme:
        return {}
    doc = repo.markdown(readme)
    return document_sections(doc, readme) if doc is not None else {}
