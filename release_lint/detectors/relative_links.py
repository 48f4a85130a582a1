"""Relative links inside the release: its file tree, and the links of its documents that resolve to nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Tuple

from release_lint.detectors.files import data_cards, model_card
from release_lint.repo import Repo, detector

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
    return repo.exists(path) or repo.is_dir(path)

SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
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
    if not raw or raw.startswith(("#", "//", "?")) or SCHEME_RE.match(raw) or "{{" in raw or "{%" in raw:
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
