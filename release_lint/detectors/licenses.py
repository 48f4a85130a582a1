"""Which licences the release carries and declares, and what they cover (shared by LIC rules and the verdict).

Three detectors, memoised per run:

- :func:`license_files` -- every licence file, identified from its text.
- :func:`declared_licenses` -- every licence the release *declares* (model card, package metadata,
  CITATION.cff, README licence section), with its source line.
- :func:`release_license` -- what covers the weights, the code, the data and the documentation.

Identification itself (texts, ids, classification) lives in :mod:`release_lint.detectors.license_ids`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Tuple

from release_lint.detectors import license_ids as ids
from release_lint.detectors.files import is_license_name, model_card
from release_lint.detectors.metadata import citation_cff, pyproject
from release_lint.repo import Repo, detector
from release_lint.textindex import first_line

MAX_LICENSE_FILES = 50
COMPONENT_NAME_RES = (
    ("code", re.compile(r"code|software|source", re.IGNORECASE)),
    ("weights", re.compile(r"model|weight|param|checkpoint", re.IGNORECASE)),
    ("data", re.compile(r"data", re.IGNORECASE)),
    ("documentation", re.compile(r"doc", re.IGNORECASE)),
)
# Words a README uses for each component when it says which licence covers what.
COMPONENT_WORD_RES = {
    "code": re.compile(r"\b(?:code|software|source|scripts?|implementation)\b|代码", re.IGNORECASE),
    "weights": re.compile(r"\b(?:weights?|model|parameters|checkpoints?)\b|权重|模型", re.IGNORECASE),
    "data": re.compile(r"\b(?:data|datasets?|corpus)\b|数据", re.IGNORECASE),
    "documentation": re.compile(r"\b(?:documentation|docs|model card|paper)\b", re.IGNORECASE),
}
LICENSE_HEADING_RE = re.compile(r"\blicen[cs](?:e|es|ing)\b|\bterms of use\b|许可|协议|授权", re.IGNORECASE)
CARD_OTHER_IDS = ("other", "unknown")
# Trove classifiers that name one licence (others, such as "BSD License", are too vague to compare).
CLASSIFIER_IDS = {
    "apache software license": "Apache-2.0",
    "mit license": "MIT",
    "gnu general public license v3 (gplv3)": "GPL-3.0-only",
    "gnu general public license v3 or later (gplv3+)": "GPL-3.0-or-later",
    "gnu general public license v2 (gplv2)": "GPL-2.0-only",
    "gnu lesser general public license v3 (lgplv3)": "LGPL-3.0-only",
    "gnu affero general public license v3": "AGPL-3.0-only",
    "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
    "isc license (iscl)": "ISC",
    "the unlicense (unlicense)": "Unlicense",
}


# A line whose word pairs are mostly absent from the identified licence was added to it (B9: "Modified MIT").
ADDED_LINE_MIN_WORDS = 4
ADDED_LINE_NEW_SHARE = 0.6
MAX_ADDED_LINES = 50
ADDED_MIN_WORDS = 12
MAX_ADDED_TERMS_LINES = 40  # more than this appended is another document (bundled licences), not a clause
THIRD_PARTY_NOTICE_RE = re.compile(
    r"\b(?:contains?|includes?) (?:code|software|files|portions) (?:from|of)\b|\bthird[- ]party\b|\bportions of (?:this|the) "
    r"(?:code|software)\b|^\s*copyright\b|\bnotices? at the top\b|\blicen[cs]es used in\b",
    re.IGNORECASE,
)


_NAME_LIST_RE = re.compile(r"^[\w .,'&()-]{1,300}$")
# Words of a clause, not of a name: a capitalised or upper-case line that holds one ("THE WEIGHTS MAY NOT BE USED
# FOR COMMERCIAL PURPOSES,") states terms, however much it looks like a list of names.
_CLAUSE_WORD_RE = re.compile(r"\b(?:may|must|shall|not|only|without|permitted|prohibited|granted|use|used|commercial)\b",
                             re.IGNORECASE)


# "(c)" opens a copyright line only before a year or "Copyright", not as an enumerated clause ("(c) You may not").
COPYRIGHT_START_RE = re.compile(r"^\W*(?:copyright\b|©|\(c\)\s*(?:copyright\b|(?:19|20)\d\d))", re.IGNORECASE)


def is_name_list(line: str) -> bool:
    """A line of names ("Nicholas Carlini, Rohan Taori, and others"): no sentence punctuation, no word of a
    clause, mostly capitalised words."""
    if not _NAME_LIST_RE.match(line.strip()) or _CLAUSE_WORD_RE.search(line):
        return False
    words = [w for w in re.split(r"[\s,]+", line.strip()) if w and w.lower() not in ("and", "et", "al", "al.", "others")]
    return bool(words) and sum(w[:1].isupper() for w in words) >= 0.8 * len(words)


def added_lines(text: str, license_id: Optional[str]) -> List[tuple]:
    """(line, text) of the lines of a licence file that the identified licence's text does not have: terms added
    to a standard licence. Copyright and blank lines are ignored."""
    if not license_id:
        return []
    reference = next((r for key, _size in ids._reference_sizes() for r in [ids.load_reference(key)]
                      if r is not None and r.license_id == license_id), None)
    if reference is None:
        return []
    found = []
    in_copyright = False
    for number, line in enumerate(text.splitlines()[:2000], 1):
        # A copyright holder list wrapping over several lines ("Copyright (c) 2021 A, B,\nC, D") is copyright.
        in_copyright = bool(COPYRIGHT_START_RE.match(line)) or (in_copyright and is_name_list(line))
        if in_copyright:
            continue
        tokens = ids.words(line)
        if len(tokens) < ADDED_LINE_MIN_WORDS:
            continue
        if number <= 5 and len(tokens) < 8 and "license" in tokens:
            continue  # a title ("BSD 3-Clause License", "The MIT License (MIT)")
        grams = ids.bigrams(tokens)
        new = [g for g in grams if g not in reference.grams]
        if len(new) >= ADDED_LINE_NEW_SHARE * len(grams):
            found.append((number, line.strip()))
            if len(found) >= MAX_ADDED_LINES:
                break
    # One rewrapped or reworded line is not a modification; a sentence or more of new terms is. Notices of
    # bundled third-party code appended after the licence ("This repository also contains code from ...",
    # their own licence texts) are no change to its terms.
    if any(THIRD_PARTY_NOTICE_RE.search(text) for _n, text in found) or len(found) > MAX_ADDED_TERMS_LINES:
        return []
    return found if sum(len(ids.words(text)) for _n, text in found) >= ADDED_MIN_WORDS else []


def component_of(path: str) -> Optional[str]:
    """The component a licence file's name says it covers (LICENSE-CODE -> code), None for a plain LICENSE."""
    name = path.rsplit("/", 1)[-1]
    stem = re.sub(r"(?i)licen[cs]e|copying|\.(?:txt|md|rst)$", "", name)
    for component, pattern in COMPONENT_NAME_RES:
        if pattern.search(stem):
            return component
    return None


@dataclass(frozen=True)
class LicenseTerms:
    """What a licence means for its users."""

    name: Optional[str]
    category: str  # open-source | open-content | restricted | unknown
    osi_approved: bool
    mof_open: bool  # open in the Model Openness Framework's sense
    restrictions: Tuple[str, ...]  # ("non-commercial", "use restrictions", ...)


UNKNOWN_TERMS = LicenseTerms(None, "unknown", False, False, ())


def describe_license(license_id: Optional[str]) -> LicenseTerms:
    if license_id is None:
        return UNKNOWN_TERMS
    info = ids.license_info(license_id)
    return LicenseTerms(info.name, info.category, bool(info.osi_approved), bool(info.mof_open), info.restrictions)


@dataclass(frozen=True)
class LicenseFile:
    """A licence file of the release and the licence its text was identified as."""

    path: str
    root: bool  # at the root, or in a REUSE LICENSES/ folder: it covers the release, not a sub-component
    component: Optional[str]  # weights | code | data | documentation, from the name; None for a plain LICENSE
    id: Optional[str]  # None: unrecognised
    confidence: float
    method: str  # text | signature | filename | none
    closest: Optional[str]  # best reference id even when below the threshold
    clauses: Tuple[str, ...]  # restriction clauses found in the text
    terms: LicenseTerms  # of the id; of the clauses when the text is unrecognised
    added_lines: Tuple[Tuple[int, str], ...]  # (line, text) added to a standard text


@detector
def license_files(repo: Repo) -> List[LicenseFile]:
    """Every licence file of the release (sorted by path), identified from its text.

    Licence files: LICENSE / LICENCE / COPYING (any case and extension) and their ``-*`` / ``*-`` variants
    anywhere (sub-component licences are reported per path), and every file of a REUSE ``LICENSES/`` folder.
    """
    found = []
    for path in repo.files:
        name = path.rsplit("/", 1)[-1]
        in_reuse_folder = path.lower().startswith("licenses/") and path.count("/") == 1
        if not (is_license_name(name) or in_reuse_folder):
            continue
        text = repo.text(path)
        if text is None:
            continue
        result = ids.identify_text(text)
        license_id, confidence, method = result.license_id, result.confidence, result.method
        if license_id is None and in_reuse_folder:
            named = ids.canonical_id(name.rsplit(".", 1)[0])  # REUSE names each file by its SPDX id
            if named:
                license_id, confidence, method = named, 0.8, "filename"
        clauses = ids.clause_types(text)
        terms = describe_license(license_id)
        if license_id is None:
            terms = replace(terms, restrictions=clauses, category="restricted" if clauses else "unknown")
        found.append(LicenseFile(
            path=path, root="/" not in path or in_reuse_folder, component=component_of(path), id=license_id,
            confidence=confidence, method=method, closest=result.closest, clauses=clauses, terms=terms,
            added_lines=tuple(added_lines(text, license_id)) if method == "text" else ()))
        if len(found) >= MAX_LICENSE_FILES:
            repo.source.note(f"more than {MAX_LICENSE_FILES} licence files: only the first were identified")
            break
    return found


MAX_LICENSE_CLASSIFIERS = 100  # a package declares one or two
_QUOTED_RE = re.compile(r""""([^"\\\n]*)"|'([^'\n]*)'""")


def _quoted_string_lines(lines: List[str]) -> Dict[str, int]:
    """Each quoted string of a TOML file -> the line it first appears on (one pass over the file)."""
    found: Dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        for double, single in _QUOTED_RE.findall(line):
            found.setdefault(double or single, number)
    return found


@dataclass(frozen=True)
class DeclaredLicense:
    """A licence the release declares, where it says so."""

    source: str  # the file
    line: Optional[int]
    field: str  # license, project.license, classifiers, section 'License', ...
    value: str  # as written
    kind: str  # card | gating (the card's gating prompt) | spdx (pyproject, setup.cfg, setup.py, package.json,
    #            CITATION.cff) | classifier | readme
    id: Optional[str]  # canonical id (SPDX id, LicenseRef-..., OpenMDW-1.0); None: other, unknown, invalid
    spdx_field: bool = True  # False: a free-text field (setuptools' license=, [project] license.text)
    # A card's license_name and license_link, as the front matter has them, and their lines.
    license_name: object = None
    license_name_line: Optional[int] = None
    license_link: object = None
    license_link_line: Optional[int] = None
    components: Tuple[str, ...] = ()  # a README line: the components it names


def _declared(source: str, line: Optional[int], field: str, value: str, kind: str,
              spdx_field: bool = True) -> DeclaredLicense:
    value = str(value).strip()
    canonical = ids.canonical_id(value) if value else None
    if canonical is None and kind in ("free-text", "readme"):
        canonical = ids.free_text_id(value)
    return DeclaredLicense(source, line, field, value, kind, canonical, spdx_field=spdx_field)


def _card_declarations(repo: Repo, found: List[DeclaredLicense]) -> None:
    card = model_card(repo)
    doc = repo.markdown(card) if card else None
    if doc is None:
        return
    mapping = doc.front_matter.mapping
    lines = doc.front_matter.key_lines
    value = mapping.get("license")
    values = value if isinstance(value, list) else ([value] if value is not None else [])
    for item in values:
        text = str(item).strip()
        lower = text.lower()
        canonical = None if lower in CARD_OTHER_IDS else ids.canonical_id(text)
        if canonical is None and lower == "other" and mapping.get("license_name"):
            canonical = ids.license_name_id(str(mapping.get("license_name")))
        found.append(DeclaredLicense(card, lines.get("license"), "license", text, "card", canonical,
                                     license_name=mapping.get("license_name"),
                                     license_name_line=lines.get("license_name"),
                                     license_link=mapping.get("license_link"),
                                     license_link_line=lines.get("license_link")))


MIN_GATED_LICENCE_CHARS = 500  # a licence text, not a one-line access note
MAX_GATED_LICENCE_CHARS = 100_000  # licence texts are far shorter; bounds the identification's work


def _gating_declarations(repo: Repo, found: List[DeclaredLicense]) -> None:
    """A Hub card without ``license`` whose gating prompt is the licence text itself (a quantised copy of a gated
    model keeps the original's prompt): the licence every user accepts before downloading (kind "gating")."""
    card = model_card(repo)
    doc = repo.markdown(card) if card else None
    if doc is None or doc.front_matter.mapping.get("license") is not None:
        return
    prompt = doc.front_matter.mapping.get("extra_gated_prompt")
    if not isinstance(prompt, str) or not MIN_GATED_LICENCE_CHARS <= len(prompt) <= MAX_GATED_LICENCE_CHARS:
        return
    license_id = ids.identify_text(prompt).license_id
    if license_id:
        first = next((line.strip(" #") for line in prompt.splitlines() if line.strip()), "")[:120]
        found.append(DeclaredLicense(card, doc.front_matter.key_lines.get("extra_gated_prompt"), "extra_gated_prompt",
                                     first, "gating", license_id))


def _card_and_readme(repo: Repo) -> List[str]:
    """The card and the README: a separate model_card.md is the card, the README still states the code's licence."""
    return list(dict.fromkeys(p for p in (model_card(repo), repo.exists_ci("README.md")) if p))


def _readme_declarations(repo: Repo, found: List[DeclaredLicense]) -> None:
    for readme in _card_and_readme(repo):
        _licence_sections(repo, readme, found)


def _licence_sections(repo: Repo, readme: str, found: List[DeclaredLicense]) -> None:
    doc = repo.markdown(readme)
    if doc is None:
        return
    for heading in doc.find(LICENSE_HEADING_RE):
        for number in range(heading.body_start, heading.content_end + 1):
            line = doc.lines[number - 1]
            for license_id in ids.free_text_ids(line):
                found.append(DeclaredLicense(
                    readme, number, f"section {heading.title!r}", line.strip(), "readme", license_id,
                    components=tuple(c for c, p in COMPONENT_WORD_RES.items() if p.search(line))))


def _package_declarations(repo: Repo, found: List[DeclaredLicense]) -> None:
    if repo.exists("pyproject.toml"):
        text = repo.text("pyproject.toml") or ""
        lines = text.splitlines()
        data = pyproject(repo)
        project = data.get("project") if isinstance(data.get("project"), dict) else {}
        section = first_line(lines, re.compile(r"^\s*\[project\]")) or 1
        value = project.get("license")
        line = first_line(lines, re.compile(r"^\s*license\s*="), section)
        if isinstance(value, str):
            found.append(_declared("pyproject.toml", line, "project.license", value, "spdx"))
        elif isinstance(value, dict) and isinstance(value.get("text"), str):
            found.append(_declared("pyproject.toml", line, "project.license.text", value["text"], "spdx", spdx_field=False))
        classifiers = project.get("classifiers")
        licence_classifiers = [c for c in classifiers if isinstance(c, str) and c.startswith("License ::")] if isinstance(
            classifiers, list) else []
        if len(licence_classifiers) > MAX_LICENSE_CLASSIFIERS:
            repo.note(f"pyproject.toml: more than {MAX_LICENSE_CLASSIFIERS} licence classifiers; only the first "
                      f"{MAX_LICENSE_CLASSIFIERS} were read")
        quoted_lines = _quoted_string_lines(lines) if licence_classifiers else {}
        for classifier in licence_classifiers[:MAX_LICENSE_CLASSIFIERS]:
            leaf = classifier.split("::")[-1].strip().lower()
            found.append(DeclaredLicense("pyproject.toml", quoted_lines.get(classifier), "classifiers",
                                         classifier.strip(), "classifier", CLASSIFIER_IDS.get(leaf)))
    # setuptools' ``license`` is the free-text ``License:`` field of the core metadata; only ``license_expression``
    # (PEP 639) is an SPDX expression, so only that one is held to SPDX syntax (spdx_field).
    for path, field_name, pattern in (
            ("setup.cfg", "license", r"^\s*license\s*=\s*(.*\S)\s*$"),
            ("setup.cfg", "license_expression", r"^\s*license_expression\s*=\s*(.*\S)\s*$"),
            ("setup.py", "license", r"""\blicense\s*=\s*["']([^"']+)["']"""),
            ("setup.py", "license_expression", r"""\blicense_expression\s*=\s*["']([^"']+)["']""")):
        if repo.exists(path):
            lines = repo.lines(path)
            for index, line in enumerate(lines):
                match = re.search(pattern, line)
                if match:
                    found.append(_declared(path, index + 1, field_name, match.group(1), "spdx",
                                           spdx_field=field_name == "license_expression"))
                    break
    if repo.exists("package.json"):
        text = repo.text("package.json") or ""
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # nested deeper than the parser's recursion limit
            data = None
        if isinstance(data, dict) and isinstance(data.get("license"), str):
            line = first_line(text.splitlines(), re.compile(r'"license"\s*:'))
            found.append(_declared("package.json", line, "license", data["license"], "spdx"))
    cff = citation_cff(repo)
    if cff:
        citation, matter = cff
        value = matter.mapping.get("license")
        for item in value if isinstance(value, list) else ([value] if isinstance(value, str) else []):
            found.append(_declared(citation, matter.key_lines.get("license"), "license", item, "spdx"))


@detector
def declared_licenses(repo: Repo) -> List[DeclaredLicense]:
    """Every licence the release declares (model card, the licence text of its gating prompt, package metadata,
    CITATION.cff, README licence section lines, which also name the components they cover), in that order."""
    found: List[DeclaredLicense] = []
    _card_declarations(repo, found)
    _gating_declarations(repo, found)
    _package_declarations(repo, found)
    _readme_declarations(repo, found)
    return found


@dataclass(frozen=True)
class LicenseCover:
    """A licence that covers one component, and where the release says so."""

    id: Optional[str]
    path: str
    line: Optional[int]
    source: str  # file | card | package | readme


@dataclass(frozen=True)
class LicenseStatement:
    """A README line that says which licence covers what."""

    path: str
    line: int


@dataclass(frozen=True)
class LicenseCoverage:
    """What covers each component of the release (see :func:`release_license`)."""

    weights: Tuple[LicenseCover, ...]
    code: Tuple[LicenseCover, ...]
    data: Tuple[LicenseCover, ...]
    documentation: Tuple[LicenseCover, ...]
    statement: Optional[LicenseStatement]

    def of(self, component: str) -> Tuple[LicenseCover, ...]:
        """The covers of ``weights``, ``code``, ``data`` or ``documentation``."""
        covers: Tuple[LicenseCover, ...] = getattr(self, component)
        return covers


@detector
def release_license(repo: Repo) -> LicenseCoverage:
    """What covers each component of the release, when the release says so.

    Sources: component licence files (LICENSE-CODE, LICENSE-MODEL, ...), the card's ``license`` (weights),
    package metadata (code), README licence-section lines that name a component and a licence; a plain root
    LICENSE covers every component nothing more specific covers. ``statement`` is the first README line that
    names two components, or one component and a licence, i.e. says which licence covers what.
    """
    covers: Dict[str, List[LicenseCover]] = {"weights": [], "code": [], "data": [], "documentation": []}
    general: List[LicenseCover] = []
    for file in license_files(repo):
        if not file.root:
            continue
        cover = LicenseCover(file.id, file.path, None, "file")
        (covers[file.component] if file.component else general).append(cover)
    statement = None
    for entry in declared_licenses(repo):
        if entry.kind in ("card", "gating") and entry.id:
            covers["weights"].append(LicenseCover(entry.id, entry.source, entry.line, "card"))
        elif entry.kind in ("spdx", "classifier") and entry.id and entry.source != "CITATION.cff":
            covers["code"].append(LicenseCover(entry.id, entry.source, entry.line, "package"))
        elif entry.kind == "readme":
            for component in entry.components:
                covers[component].append(LicenseCover(entry.id, entry.source, entry.line, "readme"))
            if entry.components and statement is None and entry.line is not None:
                statement = LicenseStatement(entry.source, entry.line)
    for listed in covers.values():
        if not any(c.source == "file" for c in listed):
            listed.extend(general)
    return LicenseCoverage(statement=statement, **{component: tuple(listed) for component, listed in covers.items()})


# --- restrictive terms stated in prose ---------------------------------------------------------------------------
# Terms that restrict use, as README prose states them. Patterns are data: add a language by adding its phrases.
RESTRICTIVE_TERMS = {
    "non-commercial": (
        r"\bnon-?commercial\b", r"\bnot (?:be used )?for commercial (?:use|purposes)\b", r"\bno commercial use\b",
        r"非商业", r"禁止商用", r"不得(?:用于)?商(?:业|用)", r"不可商用",
    ),
    "research-only": (
        r"\b(?:for )?(?:academic |non-commercial )?research (?:use |purposes )?only\b", r"\bonly (?:be used )?for (?:academic )?research\b",
        r"仅(?:可|能)?(?:供|限|用于)(?:学术)?研究",
    ),
    # Commercial use only below a number of users ("日均用户活跃量（DAU）低于100万", "700 million monthly active users").
    "user threshold": (
        r"\b(?:daily|monthly) active users\b", r"\b(?:DAU|MAU)\b", r"(?:日均|月)?用户活跃量|日活跃用户|月活跃用户",
    ),
}
_RESTRICTIVE_RES = {kind: re.compile("|".join(patterns), re.IGNORECASE) for kind, patterns in RESTRICTIVE_TERMS.items()}
# What a restriction must be about to concern the release: a model file, weights, a checkpoint, the model.
_ARTEFACT_RE = re.compile(
    r"\.(?:tar|zip|pt|pth|ckpt|safetensors|bin|gguf|onnx|h5)\b|\b(?:weights?|checkpoints?|models?|parameters)\b|权重|模型",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RestrictiveStatement:
    """A README or card sentence that restricts use of a distributed artefact."""

    path: str
    line: int
    text: str
    restrictions: Tuple[str, ...]
    id: Optional[str]  # a licence the sentence names that is not OSI-approved


@detector
def restrictive_statements(repo: Repo) -> List[RestrictiveStatement]:
    """Sentences of the README or card that restrict use of a distributed artefact ("`pebble-xl.tar` may only be
    used for non-commercial research"), wherever they are."""
    found: List[RestrictiveStatement] = []
    documents = _card_and_readme(repo)
    for path in documents:
        doc = repo.markdown(path)
        if doc is None:
            continue
        for number, text in doc.prose(keep_code_spans=True):
            restrictions = tuple(kind for kind, pattern in _RESTRICTIVE_RES.items() if pattern.search(text))
            if not restrictions or not _ARTEFACT_RE.search(text):
                continue
            named = [i for i in ids.free_text_ids(text) if not describe_license(i).osi_approved]
            found.append(RestrictiveStatement(path, number, text.strip()[:300], restrictions, named[0] if named else None))
            if len(found) >= 20:
                return found
    # A sub-project's README or a doc page states its own licence in a licence section (A8): those lines count too;
    # so does the licence section of the README itself, read by paragraph (the conditions of a Chinese 协议 section
    # are list items under the sentence that names the model).
    nested = [p for p in repo.files if p.lower().endswith((".md", ".markdown")) and "/" in p and p not in documents
              and (p.rsplit("/", 1)[-1].lower().startswith("readme") or p.lower().startswith("docs/"))]
    seen = {(f.path, f.line) for f in found}
    for path in documents + nested[:MAX_NESTED_LICENCE_DOCUMENTS]:
        doc = repo.markdown(path)
        if doc is None:
            continue
        for heading in doc.find(LICENSE_HEADING_RE):
            # Paragraph by paragraph: a sentence wrapped over two lines still states its terms.
            paragraph: List[Tuple[int, str]] = []
            for number in range(heading.body_start, heading.content_end + 2):
                line = doc.lines[number - 1] if number <= heading.content_end else ""
                if line.strip() and not line.lstrip().startswith("#") and len(paragraph) < 20:  # a heading ends one
                    paragraph.append((number, line.strip()))
                    continue
                text = " ".join(t for _n, t in paragraph)[:2000]
                start = paragraph[0][0] if paragraph else number
                paragraph = []
                named = [i for i in ids.free_text_ids(text) if not describe_license(i).osi_approved]
                restrictions = tuple(kind for kind, pattern in _RESTRICTIVE_RES.items() if pattern.search(text))
                restrictions += tuple(r for i in named for r in describe_license(i).restrictions if r not in restrictions)
                if not restrictions or not _ARTEFACT_RE.search(text) or (path, start) in seen:
                    continue
                found.append(RestrictiveStatement(path, start, text[:300], tuple(dict.fromkeys(restrictions)),
                                                  named[0] if named else None))
                if len(found) >= 20:
                    return found
    return found


MAX_NESTED_LICENCE_DOCUMENTS = 50
