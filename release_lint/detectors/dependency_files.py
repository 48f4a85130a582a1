"""Dependency specification files, read as text: requirements files, lock files, pyproject, setup, conda
environments, Pipfiles and containers, and the pins they hold.

Requirement files are parsed with ``packaging.requirements.Requirement`` (PEP 508) after pip's own line
handling (continuations, comments, ``-r``/``-c``/``-e``, per-requirement ``--hash`` options, bare URLs).
Nothing is installed, imported or executed. Every fact keeps its path and 1-based line.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from release_lint.detectors.evidence import Evidence, clip
from release_lint.mdparse import split_lines
from release_lint.detectors.metadata import pyproject
from release_lint.repo import Repo, detector

MAX_REQUIREMENT_LINES = 20_000
MAX_LINE_CHARS = 4000
INCLUDE_DEPTH = 5

REQUIREMENT_NAME_RE = re.compile(r"^(?:[\w.-]*requirements[\w.-]*|constraints[\w.-]*)\.(?:txt|in|pip)$", re.IGNORECASE)
LOCK_FILE_RE = re.compile(
    r"^(?:poetry\.lock|uv\.lock|pipfile\.lock|pdm\.lock|pixi\.lock|conda-lock\.ya?ml|[\w.-]+\.conda-lock\.ya?ml|"
    r"requirements[\w.-]*\.lock|conda-[\w-]+\.lock|[\w.-]*explicit[\w.-]*\.txt)$",
    re.IGNORECASE,
)
CONDA_ENV_RE = re.compile(r"^(?:environment|env|conda|conda[-_]env)[\w.-]*\.ya?ml$", re.IGNORECASE)
DOCKERFILE_RE = re.compile(r"^(?:dockerfile|containerfile)(?:\.[\w.-]+)?$|\.dockerfile$|^singularity(?:\.def)?$|\.def$|^apptainer", re.IGNORECASE)
# Installer tools: their version does not change what the model computes.
INSTALLER_TOOLS = {"pip", "setuptools", "wheel", "uv", "pip-tools"}
COMMENT_RE = re.compile(r"(?:^|(?<=\s))#")  # where a comment starts: one look-behind per `#`, linear
# (?<!\s): a run of spaces is tried from its start only, not from each of its spaces (quadratic on long lines).
PER_REQUIREMENT_OPTION_RE = re.compile(r"(?<!\s)\s+--(?:hash|config-settings|global-option|install-option)(?:=|\s+)\S+")
ARCHIVE_RE = re.compile(r"\.(?:whl|tar\.gz|tgz|tar\.bz2|zip)(?:[#?].*)?$", re.IGNORECASE)
VCS_COMMIT_RE = re.compile(r"^(?:git|hg|svn|bzr)\+.*@[0-9a-f]{7,40}(?:[#?].*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class RequirementLine:
    """One logical line of a requirements file.

    ``line``: the first physical line (continuations are joined); ``text``: the line without comment and
    ``--hash`` options; ``kind``: "requirement", "url" (a bare URL or path to an archive or VCS checkout),
    "editable" (``-e``), "include" (``-r``), "constraint" (``-c``), "option" (``--index-url``...) or
    "invalid" (not PEP 508); ``name``: canonical project name or None; ``specifier``: e.g. "==2.3.1";
    ``marker``: the environment marker or ""; ``pinned``: exactly one version (``==`` without a wildcard,
    ``===``), an archive file, a VCS URL at a commit, or a local editable path; ``target``: the referenced
    file or URL for include/constraint/editable/url.
    """

    line: int
    text: str
    kind: str
    name: Optional[str] = None
    specifier: str = ""
    marker: str = ""
    pinned: bool = False
    target: Optional[str] = None


def _logical_lines(text: str) -> List[Tuple[int, str]]:
    """pip's reading: join lines ending in a backslash, then drop comments; keep the first line number."""
    joined: List[Tuple[int, str]] = []
    pending: Optional[Tuple[int, str]] = None
    for number, raw in enumerate(split_lines(text)[:MAX_REQUIREMENT_LINES], 1):
        continues = raw.rstrip().endswith("\\")  # decided before the cut, which may drop the backslash
        raw = raw[:MAX_LINE_CHARS]
        if continues:
            raw = raw.rstrip()
            raw = raw[:-1] if raw.endswith("\\") else raw
        if pending is not None:
            # A logical line is cut at MAX_LINE_CHARS as it grows, not after: joining a thousand long
            # continuation lines must not build (and rescan) a megabyte line.
            current = (pending[0], (pending[1] + " " + raw.strip())[:MAX_LINE_CHARS])
        else:
            current = (number, raw)
        if continues:
            pending = current
            continue
        pending = None
        joined.append(current)
    if pending is not None:
        joined.append(pending)
    cleaned = []
    for number, line in joined:
        comment = COMMENT_RE.search(line)
        line = (line[: comment.start()] if comment else line).strip()
        if line:
            cleaned.append((number, line[:MAX_LINE_CHARS]))
    return cleaned


def _url_pinned(url: str) -> bool:
    url = url.strip()
    return bool(ARCHIVE_RE.search(url) or VCS_COMMIT_RE.match(url))


def _option_value(line: str, short: str, long: str) -> Optional[str]:
    match = re.match(rf"^(?:{short}\s*|{long}(?:=|\s+))(\S.*)$", line)
    return match.group(1).strip() if match else None


def parse_requirements(text: str) -> List[RequirementLine]:
    """Parse a pip requirements file into :class:`RequirementLine` records. Never raises; linear in the text."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    parsed: List[RequirementLine] = []
    for number, line in _logical_lines(text):
        if line.startswith("-"):
            for kind, short, long in (("include", "-r", "--requirement"), ("constraint", "-c", "--constraint"), ("editable", "-e", "--editable")):
                value = _option_value(line, short, long)
                if value is not None:
                    if kind == "editable":
                        local = not re.match(r"^[a-z][\w+.-]*://|^(?:git|hg|svn|bzr)\+", value, re.IGNORECASE)
                        egg = re.search(r"#egg=([\w.-]+)", value)
                        name = canonicalize_name(egg.group(1)) if egg else None
                        parsed.append(RequirementLine(number, line, kind, name, pinned=local or _url_pinned(value), target=value))
                    else:
                        parsed.append(RequirementLine(number, line, kind, target=value.split()[0]))
                    break
            else:
                parsed.append(RequirementLine(number, line, "option"))
            continue
        requirement_text = PER_REQUIREMENT_OPTION_RE.sub("", " " + line).strip()
        if re.match(r"^(?:[a-z][\w+.-]*://|(?:git|hg|svn|bzr)\+|\.{0,2}/)", requirement_text, re.IGNORECASE) or ARCHIVE_RE.search(requirement_text.split(";")[0]):
            target = requirement_text.split(";")[0].strip()
            egg = re.search(r"#egg=([\w.-]+)", target)
            name = canonicalize_name(egg.group(1)) if egg else None
            parsed.append(RequirementLine(number, requirement_text, "url", name, pinned=_url_pinned(target), target=target))
            continue
        try:
            requirement = Requirement(requirement_text)
        except (InvalidRequirement, ValueError, RecursionError):
            parsed.append(RequirementLine(number, requirement_text, "invalid"))
            continue
        name = canonicalize_name(requirement.name)
        marker = str(requirement.marker) if requirement.marker else ""
        if requirement.url:
            parsed.append(RequirementLine(number, requirement_text, "url", name, "", marker, _url_pinned(requirement.url), requirement.url))
            continue
        specifiers = list(requirement.specifier)
        pinned = any(s.operator == "===" or (s.operator == "==" and not s.version.endswith(".*")) for s in specifiers)
        parsed.append(RequirementLine(number, requirement_text, "requirement", name, str(requirement.specifier), marker, pinned))
    return parsed


@dataclass(frozen=True)
class RequirementFile:
    """A requirements file and its parsed lines; ``included_by`` is the file that named it with -r/-c, if any."""

    path: str
    lines: Tuple[RequirementLine, ...]
    included_by: Optional[str] = None

    @property
    def unpinned(self) -> List[RequirementLine]:
        """Named requirements (and URLs) with no exact version; installer tools (pip, setuptools) left out."""
        return [
            r for r in self.lines
            if r.kind in ("requirement", "url", "editable") and not r.pinned and (r.name or "") not in INSTALLER_TOOLS
        ]


def resolve_include(base: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


@detector
def requirement_files(repo: Repo) -> List[RequirementFile]:
    """Every requirements file (``requirements*.txt|in``, ``*-requirements.txt``, ``constraints*.txt``,
    files under a ``requirements/`` folder) and the files they include with -r/-c, parsed."""
    queue: List[Tuple[str, Optional[str], int]] = []
    for path in repo.files:
        name = path.rsplit("/", 1)[-1]
        in_folder = "/requirements/" in "/" + path.lower() and name.lower().endswith((".txt", ".in"))
        if (REQUIREMENT_NAME_RE.match(name) or in_folder) and not LOCK_FILE_RE.match(name):
            queue.append((path, None, 0))
    seen: Dict[str, RequirementFile] = {}
    while queue:
        path, parent, depth = queue.pop(0)
        if path in seen or not repo.exists(path):
            continue
        text = repo.text(path)
        if text is None:
            continue
        parsed = RequirementFile(path, tuple(parse_requirements(text)), parent)
        seen[path] = parsed
        if depth < INCLUDE_DEPTH:
            for line in parsed.lines:
                if line.kind in ("include", "constraint") and line.target and "://" not in line.target:
                    queue.append((resolve_include(path, line.target), path, depth + 1))
    return sorted(seen.values(), key=lambda f: f.path)


@detector
def lock_files(repo: Repo) -> List[str]:
    """Lock files that pin the whole environment (poetry.lock, uv.lock, Pipfile.lock, pdm.lock, pixi.lock,
    conda-lock.yml, rye's requirements*.lock, conda explicit specs)."""
    return [p for p in repo.files if LOCK_FILE_RE.match(p.rsplit("/", 1)[-1])]


PYPROJECT_DEPENDENCY_HEADER_RE = re.compile(
    r"^\s*\[(?:tool\.poetry(?:\.group\.[\w-]+)?\.dependencies|project\.optional-dependencies|dependency-groups|"
    r"tool\.pixi\.(?:pypi-)?dependencies|tool\.pdm\.dev-dependencies)\]\s*$"
)


def first_matching_line(repo: Repo, path: str, pattern: "re.Pattern[str]") -> Optional[int]:
    for number, line in enumerate(repo.lines(path), 1):
        if pattern.search(line[:MAX_LINE_CHARS]):
            return number
    return None


def _pyproject_dependencies_line(repo: Repo, path: str) -> Optional[int]:
    table = ""
    for number, line in enumerate(repo.lines(path), 1):
        header = re.match(r"^\s*\[([^\]]+)\]\s*$", line)
        if header:
            table = header.group(1).strip()
            if PYPROJECT_DEPENDENCY_HEADER_RE.match(line):
                return number
            continue
        if table == "project" and re.match(r"^\s*dependencies\s*=\s*\[\s*(?:[\"']|$)", line):
            return number
    return None


MAX_PYPROJECT_DEPENDENCIES = 500


@detector
def pyproject_versionless(repo: Repo) -> Tuple[List[Tuple[Optional[int], str]], int]:
    """``([(line, requirement)...] without any version, number of requirements)`` of the root pyproject's
    ``[project] dependencies``. Only requirements with no version at all count: a library states ranges on
    purpose, but "torch" alone pins nothing."""
    from packaging.requirements import InvalidRequirement, Requirement

    data = pyproject(repo)
    if not data:
        return [], 0
    text = repo.text("pyproject.toml") or ""
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    dependencies = project.get("dependencies")
    if not isinstance(dependencies, list):
        return [], 0
    items = [d for d in dependencies[:MAX_PYPROJECT_DEPENDENCIES] if isinstance(d, str)]
    lines = repo.lines("pyproject.toml")
    start = _pyproject_dependencies_line(repo, "pyproject.toml") or 1
    versionless = []
    for item in items:
        try:
            requirement = Requirement(item[:MAX_LINE_CHARS])
        except InvalidRequirement:
            continue
        if requirement.url or str(requirement.specifier):
            continue
        quoted = (f'"{item}"', f"'{item}'")
        line = next((n for n in range(start, min(len(lines), start + 2000) + 1)
                     if any(q in lines[n - 1] for q in quoted)), None)
        versionless.append((line, item))
    return versionless, len(items)


@detector
def dependency_specs(repo: Repo) -> List[Evidence]:
    """Dependency specifications: ``kind`` "requirements", "lock", "pyproject", "setup.py", "setup.cfg",
    "conda", "pipfile", "container" (Dockerfile/Containerfile/Singularity), "devcontainer", "nix". ``line`` is
    where the dependencies start when it matters (pyproject table, ``install_requires``), else None."""
    found: List[Evidence] = []
    for requirements in requirement_files(repo):
        if any(r.kind != "option" for r in requirements.lines):
            found.append(Evidence(requirements.path, None, "requirements", requirements.path))
    found.extend(Evidence(p, None, "lock", p) for p in lock_files(repo))
    for path in repo.files:
        name = path.rsplit("/", 1)[-1]
        lower = name.lower()
        if lower == "pyproject.toml":
            line = _pyproject_dependencies_line(repo, path)
            if line:
                found.append(Evidence(path, line, "pyproject", clip(repo.lines(path)[line - 1])))
        elif lower in ("setup.py", "setup.cfg"):
            line = first_matching_line(repo, path, re.compile(r"\binstall_requires\b"))
            if line:
                found.append(Evidence(path, line, lower, clip(repo.lines(path)[line - 1])))
        elif CONDA_ENV_RE.match(name) and "/.github/" not in "/" + path:
            line = first_matching_line(repo, path, re.compile(r"^dependencies\s*:"))
            if line:
                found.append(Evidence(path, line, "conda", "dependencies:"))
        elif lower == "pipfile":
            found.append(Evidence(path, None, "pipfile", name))
        elif DOCKERFILE_RE.search(name) and (not lower.endswith(".def") or first_matching_line(repo, path, re.compile(r"^\s*Bootstrap\s*:", re.IGNORECASE))):
            found.append(Evidence(path, None, "container", name))
        elif path.startswith(".devcontainer/") and lower.endswith((".json", "dockerfile")):
            found.append(Evidence(path, None, "devcontainer", path))
        elif lower in ("flake.nix", "shell.nix", "pixi.toml"):
            found.append(Evidence(path, None, "nix" if lower.endswith(".nix") else "pixi", name))
    return sorted(found, key=lambda e: (e.path, e.line or 0))


# --- conda environment files ----------------------------------------------------------------------------------

CONDA_ITEM_RE = re.compile(r"^\s*-\s+([A-Za-z0-9_][\w.:/-]*)\s*(.*?)\s*(?:#.*)?$")


def conda_unpinned(repo: Repo, path: str) -> Tuple[List[Tuple[int, str]], int]:
    """``([(line, item)...] unpinned, number of items)`` for a conda environment file (its pip: sub-list too).

    A conda item is pinned by ``=X.Y[.Z]``/``==X.Y[.Z]`` (optionally with a build string); pip items follow PEP 508.
    """
    from packaging.requirements import InvalidRequirement, Requirement

    unpinned: List[Tuple[int, str]] = []
    total = 0
    in_dependencies = False
    pip_indent: Optional[int] = None
    for number, line in enumerate(repo.lines(path)[:MAX_REQUIREMENT_LINES], 1):
        line = line[:MAX_LINE_CHARS]
        if re.match(r"^\S", line):
            in_dependencies = line.startswith("dependencies:")
            pip_indent = None
            continue
        item = CONDA_ITEM_RE.match(line)
        if not in_dependencies or not item:
            continue
        indent = len(line) - len(line.lstrip())
        text = (item.group(1) + item.group(2)).strip()
        if text.rstrip(":") == "pip" and text.endswith(":"):
            pip_indent = indent
            continue
        if pip_indent is not None and indent > pip_indent:
            total += 1
            try:
                requirement = Requirement(text)
                pinned = bool(requirement.url) or any(s.operator in ("==", "===") and not s.version.endswith(".*") for s in requirement.specifier)
                name = requirement.name.lower()
            except (InvalidRequirement, ValueError):
                pinned, name = True, ""  # -r lines and URLs: not a named dependency
            if not pinned and name not in INSTALLER_TOOLS:
                unpinned.append((number, text))
            continue
        pip_indent = None
        total += 1
        name = re.split(r"[=<>!~ ]", text.split("::")[-1], 1)[0].lower()
        if name in INSTALLER_TOOLS:
            continue
        if not re.search(r"(?<![<>!~])==?\s*\d+(?:\.\d+)+", text):
            unpinned.append((number, text))
    return unpinned, total


@detector
def conda_environment_files(repo: Repo) -> List[str]:
    return [e.path for e in dependency_specs(repo) if e.kind == "conda"]
