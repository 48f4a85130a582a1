"""Where the release keeps its well-known documents."""

from __future__ import annotations

import re
from typing import List, Optional

from release_lint.repo import Repo, detector

# LICENSE, LICENCE, COPYING with any extension and LICENSE-* / *-LICENSE / *_LICENSE variants.
# Also "<Name> LICENSE AGREEMENT" (words separated by spaces), as some model releases name their licence.
LICENSE_NAME_RE = re.compile(
    r"^(?:(?:un)?licen[cs]e|copying|copyright)(?:[-_.][\w.-]*)?$|^[\w.-]+[-_](?:licen[cs]e|copying)(?:\.[\w]+)?$"
    r"|^[\w.-]+(?: [\w.-]+){0,4} licen[cs]e(?: agreement| terms)?(?:\.(?:txt|md|rst))?$",
    re.IGNORECASE,
)
# A badge or picture named license.svg is no licence text.
_NOT_LICENSE_TEXT_RE = re.compile(r"\.(?:svg|png|jpe?g|gif|webp|ico|bmp)$", re.IGNORECASE)
NAMED_MODEL_CARD_RE = re.compile(r"^[\w.-]{1,100}[-_]model[-_]?card\.md$", re.IGNORECASE)
MODEL_CARD_NAMES = ("README.md", "MODEL_CARD.md", "model_card.md", "model-card.md", "MODELCARD.md", "modelcard.md")


def is_license_name(name: str) -> bool:
    return bool(LICENSE_NAME_RE.match(name)) and not _NOT_LICENSE_TEXT_RE.search(name)


@detector
def root_license_files(repo: Repo) -> List[str]:
    """Licence files at the root, and the files of a REUSE-style ``LICENSES/`` folder."""
    found = [f for f in repo.root_files() if is_license_name(f)]
    found += [f for f in repo.files if f.lower().startswith("licenses/") and f.count("/") == 1]
    return found


@detector
def model_card(repo: Repo) -> Optional[str]:
    """The model card: a separate MODEL_CARD.md / model_card.md / model-card.md at the root unless README.md is a
    Hub card (it has YAML front matter); else README.md at the root, or a model card under docs/."""
    found = [hit for hit in (repo.exists_ci(name) for name in MODEL_CARD_NAMES) if hit and "/" not in hit]
    if len(found) == 1 and found[0].lower() == "readme.md":
        # "<Name>_Model_Card.md" beside a code README (several diffusion and speech releases name it so).
        found += sorted(f for f in repo.root_files() if NAMED_MODEL_CARD_RE.match(f))[:1]
    readme = next((f for f in found if f.lower() == "readme.md"), None)
    separate = next((f for f in found if f.lower() != "readme.md"), None)
    if readme and separate and not repo.head(readme, 8).lstrip(b"\xef\xbb\xbf").startswith(b"---"):
        return separate  # a GitHub README beside a card file: the card file is what describes the model
    if found:
        return found[0]
    under_docs = repo.glob("docs/model_card.md", "docs/model-card.md", "docs/modelcard.md", "docs/**/model_card.md", "docs/**/model-card.md")
    return under_docs[0] if under_docs else None


# GitHub looks for community documents (CONTRIBUTING, SECURITY, ...) at the root, in .github/ and in docs/.
PROJECT_DOC_FOLDERS = ("", ".github/", "docs/")


def find_project_document(repo: Repo, stem: str) -> Optional[str]:
    """A project document whose name is *stem* (a regex, e.g. ``contributing``) with an optional text
    extension, at the root, in ``.github/`` or in ``docs/`` (the first found, in that order)."""
    wanted = re.compile(rf"^(?:{stem})(?:\.(?:md|markdown|rst|txt|adoc))?$", re.IGNORECASE)
    for folder in PROJECT_DOC_FOLDERS:
        for path in repo.glob(folder + "*"):  # the folder's own files, ignoring case, in path order
            if path.lower().startswith(folder) and wanted.match(path[len(folder):]):
                return path
    return None


def readme_documents(repo: Repo) -> List[str]:
    """The model card and the root READMEs: where a reader looks for links, citations and instructions."""
    card = model_card(repo)
    return list(dict.fromkeys([p for p in (card,) if p] + [p for p in repo.root_files() if p.lower().startswith("readme")]))


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
