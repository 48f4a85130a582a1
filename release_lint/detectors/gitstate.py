"""Git facts about the release: HEAD, tags, uncommitted changes, declared versions.

Everything git goes through plain git processes (``repo.run_git``), with optional locks off so that
``git status`` never refreshes and rewrites the index of the repository under review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from release_lint.repo import Repo, detector, run_git

VERSION_TAG_RE = re.compile(r"^(?:[A-Za-z][\w.-]*?[-_/])?v?(\d+(?:\.\d+)*(?:[-.+]?[0-9A-Za-z.+-]*)?)$")


@dataclass
class GitState:
    """``available``: git could open the repository; ``head``: the commit linted (HEAD, or ``--rev``);
    ``rev``: the ``--rev`` given, if any; ``branch`` (None when detached); ``detached``; ``no_commits``;
    ``shallow``; ``tags_at_head`` [tag names]; ``latest_tag``: nearest tag reachable from ``head``
    (None in a shallow history that does not hold one); ``error``: why git facts are missing."""

    available: bool = False
    head: Optional[str] = None
    rev: Optional[str] = None
    branch: Optional[str] = None
    detached: bool = False
    no_commits: bool = False
    shallow: bool = False
    tags_at_head: List[str] = field(default_factory=list)
    latest_tag: Optional[str] = None
    error: Optional[str] = None


def _git(repo: Repo, *args: str) -> Optional[str]:
    """``git -C ROOT ARGS`` (optional locks off, see GIT_ENV): its output, or None when it failed.

    A plain git process, not GitPython: importing GitPython costs about 0.1 s, more than these few commands.
    """
    out = run_git(repo.root, *args)
    return out.decode("utf-8", "replace") if out is not None else None


@detector
def git_state(repo: Repo) -> GitState:
    """HEAD, branch, tags and shape of the history (see :class:`GitState`)."""
    state = GitState(rev=getattr(repo.source, "rev", None))
    if not repo.is_git:
        state.error = "not a git repository"
        return state
    shallow = _git(repo, "rev-parse", "--is-shallow-repository")
    if shallow is None:
        state.error = "git could not open the repository"
        return state
    state.available = True
    state.shallow = shallow.strip() == "true"
    if state.rev is not None:
        state.head = repo.source.commit_sha
    else:
        head = _git(repo, "rev-parse", "--verify", "--quiet", "HEAD")
        if not head:
            state.no_commits = True
            return state
        state.head = head.strip()
        branch = _git(repo, "symbolic-ref", "--quiet", "--short", "HEAD")
        state.detached = not branch
        if branch:
            state.branch = branch.strip()
    state.tags_at_head = sorted((_git(repo, "tag", "--points-at", state.head) or "").split())
    described = _git(repo, "describe", "--tags", "--abbrev=0", state.head)
    state.latest_tag = described.strip() if described else None
    return state


@detector
def uncommitted_changes(repo: Repo) -> List[Tuple[str, str]]:
    """``[(status, path)]`` of the work tree against HEAD, limited to the linted folder: status is
    ``modified``, ``added``, ``deleted``, ``renamed``, ``untracked`` or ``conflict``. Empty for ``--rev``."""
    if not repo.is_git or getattr(repo.source, "rev", None) is not None:
        return []
    output = _git(repo, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignore-submodules=none", "--", ".")
    if output is None:
        return []
    changes: List[Tuple[str, str]] = []
    records = output.split("\0")
    index = 0
    prefix = (_git(repo, "rev-parse", "--show-prefix") or "").strip()
    while index < len(records):
        record = records[index]
        index += 1
        if len(record) < 4:
            continue
        code, path = record[:2], record[3:]
        if "R" in code or "C" in code:
            index += 1  # the original path follows a rename or copy
        if path.startswith(prefix):
            path = path[len(prefix) :]
        if code == "??":
            status = "untracked"
        elif "U" in code or code in ("AA", "DD"):
            status = "conflict"
        elif "D" in code:
            status = "deleted"
        elif "R" in code:
            status = "renamed"
        elif "A" in code:
            status = "added"
        else:
            status = "modified"
        changes.append((status, path))
    return changes


# --- versions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclaredVersion:
    """A version stated somewhere: ``source`` (a path, or ``git tag``), ``line``, ``value`` as written."""

    source: str
    line: Optional[int]
    value: str


def version_from_tag(tag: str) -> Optional[str]:
    """The version a tag names (``v1.2.0`` -> ``1.2.0``, ``release-1.0`` -> ``1.0``), or None."""
    match = VERSION_TAG_RE.match(tag)
    return match.group(1) if match else None


def normalise_version(value: str) -> str:
    """PEP 440 normal form when it parses (``1.0`` == ``1.0.0``), else the lowercased text without ``v``."""
    from packaging.version import InvalidVersion, Version

    text = str(value).strip()
    try:
        release = Version(text)
        parts = list(release.release)
        while len(parts) > 1 and parts[-1] == 0:
            parts.pop()
        return ".".join(map(str, parts)) + str(release)[len(release.base_version) :]
    except InvalidVersion:
        return text.lower().lstrip("v")


def _line_of(lines: List[str], pattern: "re.Pattern[str]") -> Optional[int]:
    return next((n for n, line in enumerate(lines, 1) if pattern.search(line)), None)


@detector
def declared_versions(repo: Repo) -> List[DeclaredVersion]:
    """Versions the files declare: pyproject ``[project] version`` (not ``dynamic``), setup.cfg
    ``[metadata] version``, ``CITATION.cff`` ``version`` and the model card's front-matter ``version``."""
    from release_lint.detectors.files import model_card
    from release_lint.markdown import load_yaml

    found: List[DeclaredVersion] = []
    if repo.exists("pyproject.toml"):
        text = repo.text("pyproject.toml") or ""
        try:
            try:
                import tomllib
            except ImportError:  # Python < 3.11
                import tomli as tomllib
            project = tomllib.loads(text).get("project", {})
        except Exception:
            project = {}
        version = project.get("version") if isinstance(project, dict) else None
        if isinstance(version, str):
            line = _line_of(repo.lines("pyproject.toml"), re.compile(r"^\s*version\s*="))
            found.append(DeclaredVersion("pyproject.toml", line, version))
    if repo.exists("setup.cfg"):
        import configparser

        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(repo.text("setup.cfg") or "")
            version = parser.get("metadata", "version", fallback=None)
        except configparser.Error:
            version = None
        if version and not version.startswith(("attr:", "file:")):
            line = _line_of(repo.lines("setup.cfg"), re.compile(r"^\s*version\s*="))
            found.append(DeclaredVersion("setup.cfg", line, version.strip()))
    citation = repo.exists_ci("CITATION.cff")
    if citation and "/" not in citation:
        matter = load_yaml(repo.text(citation) or "")
        version = matter.mapping.get("version")
        if isinstance(version, (str, int, float)) and not isinstance(version, bool):
            found.append(DeclaredVersion(citation, matter.line_of("version"), str(version)))
    card = model_card(repo)
    if card:
        doc = repo.markdown(card)
        version = doc.front_matter.mapping.get("version") if doc else None
        if isinstance(version, (str, int, float)) and not isinstance(version, bool):
            found.append(DeclaredVersion(card, doc.front_matter.line_of("version"), str(version)))
    return found
