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
