"""Model cards and data documentation: sections by heading synonyms, placeholders, links,
``model-index`` shape, data card discovery and training-data source extraction.

Section names follow the Hugging Face model card template (huggingface_hub ``modelcard_template.md``),
Mitchell et al. "Model Cards for Model Reporting" and Gebru et al. "Datasheets for Datasets".
Other areas (hardware/compute, the openness verdict) reuse :data:`CARD_SECTIONS`,
:func:`card_sections` and :func:`data_documentation`; every fact carries its path and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

from release_lint.detectors.files import model_card
from release_lint.markdown import Heading, MarkdownDoc, extract_links
from release_lint.detectors.weights import DATA_ARRAY_EXTENSIONS, MODEL_FOLDER_RE, WEIGHT_EXTENSIONS
from release_lint.repo import Repo, detector

# Files that make a repository a model release: weights, plus exported model formats.
MODEL_FILE_EXTENSIONS = WEIGHT_EXTENSIONS + (".tflite", ".mlmodel", ".pb", ".nemo")


# Array files are as often analysis outputs or data as weights: alone they do not make a model repository.
# Formats that only ever hold a model count anywhere; other weight files at the root or in a model folder.
_MODEL_ONLY_EXTENSIONS = (".safetensors", ".gguf", ".ggml", ".onnx", ".tflite", ".mlmodel", ".nemo", ".llamafile")


def ships_model(repo: Repo, mapping: dict) -> bool:
    """Whether the release is a model repository (Hub-style): card metadata of a model, or model files:
    a model-only format (safetensors, GGUF, ONNX ...) anywhere, other weight files at the root or in a model
    folder (checkpoints/, models/ ...). NumPy arrays and a config.json / adapter_config.json without weights
    do not count: training-code repositories commit both. A README of a code-only repository is not a Hub card."""
    if any(key in mapping for key in ("pipeline_tag", "library_name", "model-index", "base_model")):
        return True
    for path in repo.lower_files():
        if not path.endswith(MODEL_FILE_EXTENSIONS) or path.endswith(DATA_ARRAY_EXTENSIONS):
            continue
        if path.endswith(_MODEL_ONLY_EXTENSIONS) or "/" not in path or MODEL_FOLDER_RE.search(path):
            return True
    return False

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
        r"(?:(?:pre-?)?training )?data (?:mix|mixture|composition)", r"(?:pre-?)?training data (?:mix|mixture|composition)",
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
        r"results", r"benchmarks?(?: results| scores)?", r"performance(?: and limitations)?",
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

_OPTIONAL_RE = re.compile(r"\s*[\[(]optional[\])]\s*", re.IGNORECASE)


def normalise_title(title: str) -> str:
    """Lower case, "&" -> "and", without numbering ("3.2"), emoji, "[optional]" or a trailing colon."""
    text = _OPTIONAL_RE.sub(" ", re.sub(r"[*_`]+", "", title.lower()).replace("&", " and ").replace("/", " / "))
    text = re.sub(r"^[^a-z0-9\u4e00-\u9fff]+", "", text)  # keeps a Chinese title's first character
    text = re.sub(r"^(?:\d+(?:\.\d+)*|[a-z]\.)[.)]?\s+", "", text)
    text = re.sub(r"[\s:.!?*_\-]+$", "", text)
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"\s+", " ", text)
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


def placeholders_in(text: str) -> List[str]:
    """Template placeholders in one line of prose (code spans should already be removed)."""
    found = []
    for match in PLACEHOLDER_RE.finditer(text):
        word = match.group(0)
        if word.lower() in _UPPER_ONLY and word != word.upper():
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
    r"accuracy", r"acc", r"score", r"scores", r"f1", r"bleu", r"rouge(?:-?l)?", r"wer", r"cer", r"perplexity", r"ppl",
    r"exact match", r"pass@\d+", r"auc", r"top-?[15]", r"zero-shot", r"few-shot", r"\d+-shot", r"benchmarks?",
    r"hellaswag", r"arc(?:-[ec])?", r"mmlu", r"piqa", r"winogrande", r"gsm8k", r"humaneval", r"lambada", r"boolq",
    r"imagenet", r"librispeech", r"squad", r"glue", r"fid", r"clip ?score", r"准确率", r"得分", r"评测",
)
_SCORE_WORD_RE = re.compile(r"(?<![a-z0-9])(?:" + "|".join(SCORE_TABLE_WORDS) + r")(?![a-z0-9])", re.IGNORECASE)
_TABLE_LINE_RE = re.compile(r"^\s{0,3}\|")
_TABLE_RULE_RE = re.compile(r"^[\s|:\-]+$")
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
            if not _TABLE_RULE_RE.match(row):
                rows.append(row)
            index += 1
        named = _SCORE_WORD_RE.search(header) or (previous[0] >= number - 2 and _SCORE_WORD_RE.search(previous[1]))
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
        hits = placeholders_in(text)
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
        for number in range(heading.body_start, min(heading.body_end, heading.body_start + 5) + 1):
            text = doc.lines[number - 1] if number - 1 < len(doc.lines) else ""
            if text.strip():
                if _TASK_ITEM_RE.match(text):
                    found.add(heading.line)
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


@detector
def card_sections(repo: Repo) -> Dict[str, CardSection]:
    """Section key -> the first FILLED section of the model card with that key.

    Keys are those of :data:`CARD_SECTIONS` (e.g. "training_data", "compute_infrastructure",
    "hardware", "environmental_impact"); a heading whose body is empty or only template
    placeholders is absent here. Each value gives ``path``, ``line`` (the heading), ``title``
    and its own ``lines`` [(line, text)].
    """
    facts = card_facts(repo)
    if facts is None:
        return {}
    return {key: facts.section(key) for key in facts.sections if facts.section(key) is not None}


# --- model-index -------------------------------------------------------------------------------
def model_index_problems(doc: MarkdownDoc, limit: int = 20) -> List[Tuple[str, int]]:
    """(message, line) for each way ``model-index`` departs from the Hub's shape; [] when fine or absent.

    Hub shape: a list of {name, results: [{task: {type}, dataset: {type, name}, metrics:
    [{type, value}], source?: {url}}]}.
    """
    matter = doc.front_matter
    if not matter.present or matter.error or "model-index" not in matter.mapping:
        return []
    import yaml

    block = "\n".join(doc.lines[matter.start_line : matter.end_line - 1])  # blank lines may precede it
    try:
        root = yaml.compose(block, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception:  # already parsed once without error; be safe anyway
        return []
    offset = matter.start_line + 1
    problems: List[Tuple[str, int]] = []

    def line_of(node) -> int:
        return node.start_mark.line + offset

    def mapping(node) -> Optional[Dict[str, object]]:
        if not isinstance(node, yaml.MappingNode):
            return None
        return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}

    def scalar_present(node) -> bool:
        return isinstance(node, yaml.ScalarNode) and node.value.strip() != "" and node.tag != "tag:yaml.org,2002:null"

    def need(container: Dict[str, object], keys: Iterable[str], where: str, at) -> None:
        for key in keys:
            if key not in container:
                problems.append((f"{where} lacks '{key}'", line_of(at)))
            elif not scalar_present(container[key]):
                problems.append((f"{where}.{key} must be a non-empty value", line_of(container[key])))

    top = mapping(root) or {}
    index_node = top.get("model-index")
    if not isinstance(index_node, yaml.SequenceNode):
        return [("model-index must be a list of models, each with 'name' and 'results'", line_of(index_node) if index_node is not None else offset)]
    if not index_node.value:
        return [("model-index is an empty list", line_of(index_node))]
    for m, model_node in enumerate(index_node.value):
        where = f"model-index[{m}]"
        model = mapping(model_node)
        if model is None:
            problems.append((f"{where} must be a mapping with 'name' and 'results'", line_of(model_node)))
            continue
        need(model, ["name"], where, model_node)
        results = model.get("results")
        if not isinstance(results, yaml.SequenceNode) or not results.value:
            problems.append((f"{where}.results must be a non-empty list", line_of(results if results is not None else model_node)))
            continue
        for r, result_node in enumerate(results.value):
            rwhere = f"{where}.results[{r}]"
            result = mapping(result_node)
            if result is None:
                problems.append((f"{rwhere} must be a mapping with 'task', 'dataset' and 'metrics'", line_of(result_node)))
                continue
            for part, required in (("task", ["type"]), ("dataset", ["type", "name"])):
                node = result.get(part)
                content = mapping(node) if node is not None else None
                if node is None:
                    problems.append((f"{rwhere} lacks '{part}'", line_of(result_node)))
                elif content is None:
                    problems.append((f"{rwhere}.{part} must be a mapping", line_of(node)))
                else:
                    need(content, required, f"{rwhere}.{part}", node)
            metrics = result.get("metrics")
            if not isinstance(metrics, yaml.SequenceNode) or not metrics.value:
                problems.append((f"{rwhere}.metrics must be a non-empty list", line_of(metrics if metrics is not None else result_node)))
            else:
                for k, metric_node in enumerate(metrics.value):
                    metric = mapping(metric_node)
                    if metric is None:
                        problems.append((f"{rwhere}.metrics[{k}] must be a mapping with 'type' and 'value'", line_of(metric_node)))
                    else:
                        need(metric, ["type", "value"], f"{rwhere}.metrics[{k}]", metric_node)
            source = result.get("source")
            if source is not None:
                content = mapping(source)
                if content is None:
                    problems.append((f"{rwhere}.source must be a mapping with 'url'", line_of(source)))
                else:
                    need(content, ["url"], f"{rwhere}.source", source)
            if len(problems) >= limit:
                return problems[:limit]
    return problems[:limit]


def model_index_has_results(mapping: dict) -> bool:
    """At least one metric with a value in ``model-index``."""
    models = mapping.get("model-index")
    if not isinstance(models, list):
        return False
    for model in models:
        for result in (model.get("results") or []) if isinstance(model, dict) else []:
            for metric in (result.get("metrics") or []) if isinstance(result, dict) else []:
                if isinstance(metric, dict) and metric.get("value") not in (None, ""):
                    return True
    return False


# --- links -------------------------------------------------------------------------------------
@detector
def release_tree(repo: Repo) -> Dict[str, FrozenSet[str]]:
    """Folder ("" for the root) -> names of the files and folders directly in it, built once."""
    tree: Dict[str, set] = {"": set()}
    for path in repo.files:
        parts = path.split("/")
        for depth in range(len(parts)):
            folder = "/".join(parts[:depth])
            tree.setdefault(folder, set()).add(parts[depth])
    return {folder: frozenset(names) for folder, names in tree.items()}


def in_release(repo: Repo, path: str) -> bool:
    """Whether *path* (no trailing slash) is a file or folder of the release; case-sensitive like GitHub."""
    folder, _, name = path.rpartition("/")
    return name in release_tree(repo).get(folder, frozenset())

_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_HUB_PATH_RE = re.compile(r"^(?:blob|resolve|tree|raw)/[^/]+/")  # Hub "blob/main/LICENSE" style


def link_documents(repo: Repo) -> List[str]:
    """Markdown files whose links CARD009 checks: root *.md, the card, data cards, docs/**."""
    docs = [f for f in repo.root_files() if f.lower().endswith((".md", ".markdown"))]
    card = model_card(repo)
    for extra in ([card] if card else []) + data_cards(repo) + repo.glob("docs/**/*.md", "docs/**/*.markdown"):
        if extra not in docs:
            docs.append(extra)
    return docs[:500]


@dataclass
class RelativeLink:
    """A relative link and what it resolves to; ``resolved`` None when it leaves the repository."""

    path: str  # the document holding the link
    line: int
    target: str  # as written
    resolved: Optional[str]


def relative_target(document: str, target: str, repo: Repo) -> Optional[Tuple[str, Optional[str]]]:
    """("as written", resolved path or None) for a link to check; None for anchors, URLs and the like."""
    from urllib.parse import unquote

    raw = target.strip()
    if not raw or raw.startswith(("#", "//", "?")) or _SCHEME_RE.match(raw) or "{{" in raw or "{%" in raw:
        return None
    path = unquote(raw.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None
    if path.startswith("/"):
        # GitHub resolves "/x" from the repository root, the Hub from the site root
        # ("/datasets/x"): check only when the first folder is the release's own.
        first = path.lstrip("/").split("/", 1)[0]
        if not first or not in_release(repo, first):
            return None
        base_parts: List[str] = []
        path = path.lstrip("/")
    else:
        base_parts = document.split("/")[:-1]
        hub = _HUB_PATH_RE.match(path)
        if hub and not base_parts:
            path = path[hub.end() :]
    parts = list(base_parts)
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return raw, None
            parts.pop()
        else:
            parts.append(part)
    return raw, "/".join(parts)


@detector
def broken_relative_links(repo: Repo) -> List[Tuple[RelativeLink, List[str]]]:
    """(link, close matches) for relative links in the README, card, data cards and docs that
    resolve to no file or folder of the release (or leave it); plus a relative card ``license_link``."""
    import difflib

    broken: List[Tuple[RelativeLink, List[str]]] = []

    def check(document: str, line: int, target: str) -> None:
        found = relative_target(document, target, repo)
        if found is None:
            return
        written, resolved = found
        if resolved is not None and (resolved == "" or in_release(repo, resolved)):
            return
        hints: List[str] = []
        if resolved and len(broken) < 100:  # hints are for people; a flood of broken links gets none
            folder, _, name = resolved.rpartition("/")
            siblings = sorted(n for n in release_tree(repo).get(folder, frozenset()) if abs(len(n) - len(name)) <= 3)
            close = difflib.get_close_matches(name, siblings, n=1, cutoff=0.75)
            hints = [(folder + "/" if folder else "") + c for c in close]
        broken.append((RelativeLink(document, line, written, resolved), hints))

    for document in link_documents(repo):
        doc = repo.markdown(document)
        if doc is None:
            continue
        for link in doc.links():
            if link.kind in ("bare", "autolink"):
                continue
            check(document, link.line, link.target)
        if document == model_card(repo):
            license_link = doc.front_matter.mapping.get("license_link")
            if isinstance(license_link, str):
                check(document, doc.front_matter.line_of("license_link") or 1, license_link)
    return broken


# --- data documentation ------------------------------------------------------------------------
DATASET_CARD_KEYS = frozenset({
    "task_categories", "size_categories", "source_datasets", "annotations_creators", "language_creators",
    "dataset_info", "pretty_name", "task_ids", "multilinguality", "paperswithcode_id",
})
_DATA_CARD_GLOBS = (
    "data_card.md", "datacard.md", "data-card.md", "datasheet.md", "datasheets.md", "dataset_card.md",
    "docs/data_card.md", "docs/datacard.md", "docs/data-card.md", "docs/datasheet*.md", "docs/data*.md",
    "data/README.md", "data/*/README.md", "data/datasheet.md", "data/data_card.md", "datasets/*/README.md",
    "dataset/README.md",
)


_EVALUATION_DATA_RE = re.compile(r"\b(?:evaluation|eval|test|benchmark|validation)(?: data| sets?| datasets?| splits?)\b|"
                                 r"\bfor evaluation\b|评测数据|测试(?:数据|集)", re.IGNORECASE)
_TRAINING_WORD_RE = re.compile(r"\b(?:train\w*|pre-?train\w*|fine-?tun\w*)\b|训练|微调", re.IGNORECASE)


def _about_evaluation_data(repo: Repo, path: str) -> bool:
    """A data/README.md whose title or opening lines say it is about evaluation or test data (and never training):
    it documents the benchmark, not the training data."""
    doc = repo.markdown(path)
    if doc is None:
        return False
    opening = [text for _n, text in doc.prose()[:40] if text.strip()][:4]
    text = " ".join(opening)
    return bool(_EVALUATION_DATA_RE.search(text)) and not _TRAINING_WORD_RE.search(text)


@detector
def data_cards(repo: Repo) -> List[str]:
    """Data cards: DATA_CARD.md, DATASHEET.md, data/README.md, data/*/README.md, datasets/*/README.md, docs/data*.md,
    or any README.md / root Markdown file whose front matter is Hugging Face dataset-card metadata."""
    found = [path for path in repo.glob(*_DATA_CARD_GLOBS) if not _about_evaluation_data(repo, path)]
    candidates = [f for f in repo.files if f.lower().endswith("readme.md") and f.count("/") <= 2]
    candidates += [f for f in repo.root_files() if f.lower().endswith(".md")]
    for path in candidates[:200]:
        if path in found:
            continue
        head = repo.head(path, 256).lstrip(b"\xef\xbb\xbf").lstrip()  # blank lines may precede it, as on the Hub
        if not head.startswith(b"---"):
            continue
        doc = repo.markdown(path)
        if doc is not None and DATASET_CARD_KEYS & set(doc.front_matter.mapping):
            found.append(path)
    return sorted(found)


@dataclass(frozen=True)
class Evidence:
    """A fact found in the documentation: where it is and what it says."""

    path: str
    line: Optional[int]
    text: str


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
_HUB_ID_RE = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}$")
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
    r"\b\d[\d,.]*[\s-]*(?:[KMBT]\b|thousand|million|billion|trillion)?[\s-]*(?:[a-z]+\s+)?"
    r"(?:tokens?|words|documents|docs|examples|samples|instances|sentences|pairs|conversations|dialogues|images|"
    r"image-text pairs|videos|hours|utterances|rows|records|files|pages|books|articles|repositories|problems|"
    r"questions|prompts|characters|lines|instructions|demonstrations|dialogs|turns|code files)\b"
    r"|\b\d[\d,.]*\s*(?:[KMGTP]i?B|bytes)\b|\b\d{1,3}(?:\.\d+)?\s?%",
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
    r"minhash|decontaminat",
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
            if _HUB_ID_RE.match(candidate) and not _FILE_EXT_RE.search(candidate) \
                    and not in_release(repo, candidate.split("/")[0]):
                facts.sources.append(DataSource(candidate, path, number, "hub-id"))
        for match in KNOWN_CORPUS_RE.finditer(text):
            facts.sources.append(DataSource(match.group(0), path, number, "known-name"))
        for match in VAGUE_SOURCE_RE.finditer(text):
            facts.vague.append(Evidence(path, number, match.group(0)))
        if DATA_LICENCE_RE.search(text):
            facts.licences.append(Evidence(path, number, text.strip()))
        if DATA_SCALE_RE.search(text):
            facts.scale.append(Evidence(path, number, text.strip()))
        if PREPROCESSING_STEP_RE.search(text):
            facts.preprocessing_docs.append(Evidence(path, number, text.strip()))


def _merge(facts: DataDocumentation, found: DataDocumentation) -> None:
    facts.sources += found.sources
    facts.vague += found.vague
    facts.licences += found.licences
    facts.scale += found.scale
    facts.preprocessing_docs += found.preprocessing_docs


# A sentence about the training data: where a dataset link or corpus name outside a data section is a source.
TRAINING_DATA_CONTEXT_RE = re.compile(
    r"\b(?:(?:pre-?|post-?|re-?)?train(?:ed|ing|s)?|fine-?tun(?:ed|ing|es?)|instruction-tun\w*|distill\w*|corpus|corpora|"
    r"data ?(?:set|mix)s?|training data)\b|训练|微调|数据集|语料",
    re.IGNORECASE,
)
# ... unless it is about evaluation ("scores as follows on GLUE"): a benchmark is not training data.
EVALUATION_CONTEXT_RE = re.compile(r"\b(?:scores?|scored|evaluat\w*|benchmark\w*|accuracy|results?|leaderboard|zero-shot|few-shot|"
                                   r"\d+-shot)\b|评测|评估|测评|基准|榜单|测试", re.IGNORECASE)
# News items and changelog entries talk about other releases: "**[2023/07/25]** Released X, pretrained on ...".
NEWS_HEADING_RE = re.compile(r"\b(?:news|updates?|changelog|release notes|announcements?|what'?s new)\b|更新|新闻|动态|公告",
                             re.IGNORECASE)
_NEWS_ITEM_RE = re.compile(r"^\W{0,6}\d{4}[/.-]\d{1,2}(?:[/.-]\d{1,2})?\b")
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
    """Lines under news and evaluation headings: they name other releases and benchmarks, not this model's training data."""
    news: Set[int] = set()
    for heading in card.doc.section_headings():
        if NEWS_HEADING_RE.search(heading.title) or "evaluation" in section_keys(heading.title):
            news.update(range(heading.line, heading.content_end + 1))
    return news


def _scan_card_mentions(card: "CardFacts", scanned: set, facts: DataDocumentation, repo: Repo) -> None:
    """Sources named outside the data sections: dataset-page links and public corpora in a sentence about
    training ("fine-tuned on the [x](https://huggingface.co/datasets/x) dataset"), and "| Training data | ... |" rows."""
    prose = card.doc.prose(keep_code_spans=True)
    news = _news_and_evaluation_lines(card)
    context = {number for number, text in prose if number not in scanned and number not in news
               and TRAINING_DATA_CONTEXT_RE.search(text) and not EVALUATION_CONTEXT_RE.search(text)
               and not _NEWS_ITEM_RE.match(text)}
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
        if link.kind != "image" and not _SCHEME_RE.match(link.target):
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
                names = [span.strip().strip("\"'") for span in _CODE_SPAN_RE.findall(line_text)] + targets.get(line, [])
                for name in names:
                    path = repo.exists(name.lstrip("./")) and name.lstrip("./")
                    if path and (_DATA_FILE_RE.search(path) or _DATA_FILE_IN_FOLDER_RE.search(path)):
                        facts.released_data.append(Evidence(card.path, line, f"released data {path}"))
                        facts.sources.append(DataSource(path, card.path, line, "release-file"))
        paragraph = [(number, text)] if text.strip() and number not in excluded else []


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
            facts.preprocessing_docs.append(Evidence(path, link.line, f"linked preprocessing code {link.target}"))
        elif DATASET_PAGE_RE.match(link.target) and (_PROCESSED_DATA_RE.search(link.text or "")
                                                    or _PROCESSED_DATA_RE.search(link.target.replace("-", " ").replace("_", " "))):
            facts.preprocessing_docs.append(Evidence(path, link.line, f"linked processed data {link.target}"))


# Tests and examples load data of their own; a loader there says nothing about the model's training data.
_NOT_PIPELINE_RE = re.compile(
    r"(?:^|/)(?:tests?|testing|examples?|samples?|demos?|docs?|notebooks?/examples?)/|(?:^|/)test_[^/]*$|_tests?\.[a-z]+$",
    re.IGNORECASE,
)


def preprocessing_code(repo: Repo) -> List[str]:
    """Code files (by name only, nothing is read) that prepare training data; tests and examples excluded."""
    found = []
    for path, lower in zip(repo.files, repo.lower_files()):
        if not lower.endswith(_CODE_EXTENSIONS) or _NOT_PIPELINE_RE.search(lower):
            continue
        name = lower.rsplit("/", 1)[-1]
        if _PREPROCESS_NAME_RE.search(name) or _DATA_FOLDER_RE.search(lower) or re.search(r"(?:^|/)scripts/data[^/]*/", lower):
            found.append(path)
    return found


@detector
def data_documentation(repo: Repo) -> DataDocumentation:
    """Everything the release documents about its training data; see :class:`DataDocumentation`."""
    facts = DataDocumentation(data_cards=data_cards(repo), preprocessing_code=preprocessing_code(repo))
    mentions = DataDocumentation()  # sources named in passing in the card; listed after the documented ones
    card = card_facts(repo)
    if card is not None:
        matter = card.doc.front_matter.mapping
        for name in _as_names(matter.get("datasets")):
            facts.sources.append(DataSource(name, card.path, card.doc.front_matter.line_of("datasets"), "metadata"))
        facts.training_data_heading = card.heading("training_data")
        facts.training_data_section = card.section("training_data")
        scanned = set()
        for section in card.sections.get("training_data", []):
            if section.filled:
                _scan_region(card.path, section.lines, card.doc.lines, facts, repo)
                scanned.update(number for number, _t in section.lines)
        # A training section ("Pretraining", "Training details") that names a source documents the data too.
        for section in card.sections.get("training_procedure", []):
            if not section.filled or any(number in scanned for number, _t in section.lines):
                continue
            found = DataDocumentation()
            _scan_region(card.path, section.lines, card.doc.lines, found, repo)
            # A training section links tools and papers too: a link is a source there only when it is a dataset
            # page or its line talks about data.
            data_lines = {n for n, text in section.lines if _DATA_WORD_RE.search(text)}
            found.sources = [s for s in found.sources if s.kind != "url" or DATASET_PAGE_RE.match(s.url or "")
                             or s.line in data_lines]
            if found.sources:
                _merge(facts, found)
                scanned.update(number for number, _t in section.lines)
                if facts.training_data_heading is None:
                    facts.training_data_section = facts.training_data_section or section
        mentions = DataDocumentation()
        _scan_card_mentions(card, scanned, mentions, repo)
        if not facts.documented:
            _released_data(card, _news_and_evaluation_lines(card) | scanned, facts, repo)
        _preprocessing_links(card.path, card.doc, facts)
        for section in card.sections.get("preprocessing", []):
            if section.filled:
                facts.preprocessing_docs.append(Evidence(card.path, section.line, section.title))
    from release_lint.detectors.licenses import license_files

    for entry in license_files(repo):
        if entry["component"] == "data":  # DATA_LICENSE, LICENSE-DATA: the data's licence, stated by the release
            facts.licences.append(Evidence(entry["path"], None, f"{entry['path']} ({entry['id'] or 'unrecognised'})"))
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
                facts.licences.append(Evidence(path, doc.front_matter.line_of(key), f"{key}: {matter.get(key)}"))
        for key in ("size_categories", "dataset_info"):
            if matter.get(key):
                facts.scale.append(Evidence(path, doc.front_matter.line_of(key), key))
        _scan_region(path, doc.prose(), doc.lines, facts, repo)
        sheet = document_sections(doc, path, "datasheet")
        facts.datasheet_sections[path] = {key: s for key in sheet for s in [first_filled(sheet, key)] if s is not None}
        _preprocessing_links(path, doc, facts)
        pre = facts.datasheet_sections[path].get("preprocessing")
        if pre is not None:
            facts.preprocessing_docs.append(Evidence(path, pre.line, pre.title))
    facts.sources += mentions.sources
    if not facts.sources:
        _datasets_in_code(repo, facts)
    facts.sources = list(dict.fromkeys(facts.sources))  # a name in link text and URL counts once per line
    return facts
