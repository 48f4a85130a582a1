"""Git facts about the release: HEAD, tags, uncommitted changes, declared versions.

Everything git goes through GitPython (imported on first use), with optional locks off so that
``git status`` never refreshes and rewrites the index of the repository under review, and with the
repository's own programs switched off (``gitcalls.git_command``): no fsmonitor hook, no filter.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from release_lint.detectors.metadata import citation_cff, pyproject
from release_lint.gitcalls import GIT_ENV, driver_overrides, git_command, run_git, safe_gitpython
from release_lint.repo import Repo, detector
from release_lint.textindex import first_line

MAX_VERSION_TAG_CHARS = 100
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


@detector
def open_git_repo(repo: Repo):
    """A GitPython ``Repo`` for the release (the ``--rev`` source's own, else found from the root), or None."""
    existing = getattr(repo.source, "git_repo", None)
    if existing is not None:
        return existing
    import git

    try:
        opened = git.Repo(repo.root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    return safe_gitpython(opened)


def _git(repo: Repo, gitrepo, *args: str, config: Tuple[str, ...] = ()) -> Optional[str]:
    import git

    try:
        return gitrepo.git.execute(git_command(repo.root, *args, config=config), env=GIT_ENV)
    except git.GitCommandError:
        return None


@detector
def git_state(repo: Repo) -> GitState:
    """HEAD, branch, tags and shape of the history (see :class:`GitState`)."""
    state = GitState(rev=getattr(repo.source, "rev", None))
    if not repo.is_git:
        state.error = "not a git repository"
        return state
    gitrepo = open_git_repo(repo)
    if gitrepo is None:
        state.error = "git could not open the repository"
        return state
    state.available = True
    state.shallow = os.path.exists(os.path.join(gitrepo.git_dir, "shallow")) or bool(
        (_git(repo, gitrepo, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    )
    if state.rev is not None:
        state.head = repo.source.commit_sha
    else:
        head = _git(repo, gitrepo, "rev-parse", "--verify", "--quiet", "HEAD")
        if not head:
            state.no_commits = True
            return state
        state.head = head.strip()
        state.detached = gitrepo.head.is_detached
        if not state.detached:
            state.branch = gitrepo.active_branch.name
    state.tags_at_head = sorted((_git(repo, gitrepo, "tag", "--points-at", state.head) or "").split())
    described = _git(repo, gitrepo, "describe", "--tags", "--abbrev=0", state.head)
    state.latest_tag = described.strip() if described else None
    return state


@detector
def uncommitted_changes(repo: Repo) -> List[Tuple[str, str]]:
    """``[(status, path)]`` of the work tree against HEAD, limited to the linted folder: status is
    ``modified``, ``added``, ``deleted``, ``renamed``, ``untracked`` or ``conflict``. Empty for ``--rev``."""
    if not repo.is_git or getattr(repo.source, "rev", None) is not None:
        return []
    gitrepo = open_git_repo(repo)
    if gitrepo is None:
        return []
    # git status compares a file whose stat data changed by running its clean filter: every filter the
    # configuration defines is switched off, so such a file is compared as it is on disk. Submodules are
    # compared by commit only ("dirty" ignored): their work trees would be checked by a git status run
    # inside each, under filters of their own configuration.
    overrides = driver_overrides(repo.root)
    if overrides is None:
        repo.source.note("the repository's git configuration defines filters release-lint cannot switch off; "
                         "uncommitted changes were not checked")
        return []
    output = _git(repo, gitrepo, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignore-submodules=dirty",
                  "--", ".", config=tuple(overrides))
    if output is None:
        return []
    changes: List[Tuple[str, str]] = []
    worktree_only: List[str] = []  # modified in the work tree, not in the index
    records = output.split("\0")
    index = 0
    prefix = (_git(repo, gitrepo, "rev-parse", "--show-prefix") or "").strip()
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
            if code[1] == "D" and not repo.source.really_gone(path):  # in a folder git could not read: noted
                continue
        elif "R" in code:
            status = "renamed"
        elif "A" in code:
            status = "added"
        else:
            status = "modified"
        changes.append((status, path))
        if code == " M":
            worktree_only.append(path)
    return _drop_unfiltered(repo, changes, worktree_only, overrides)


def _drop_unfiltered(repo: Repo, changes: List[Tuple[str, str]], worktree_only: List[str], overrides: List[str]):
    """*changes* without the files git could only compare unfiltered: a work-tree-only modification of a
    file under a filter the configuration defines (git-lfs content against its pointer) is not a change
    git can confirm without running the filter. One note says how many were left unchecked."""
    filters = {o[len("filter."):-len(".clean=")] for o in overrides if o.startswith("filter.") and o.endswith(".clean=")}
    if not filters or not worktree_only:
        return changes
    listing = run_git(repo.root, "check-attr", "-z", "--stdin", "filter",
                      input=b"".join(os.fsencode(path) + b"\0" for path in worktree_only))
    if listing is None:
        return changes
    fields = os.fsdecode(listing).split("\0")
    unchecked = {fields[i]: fields[i + 2] for i in range(0, len(fields) - 2, 3) if fields[i + 2] in filters}
    kept = [(status, path) for status, path in changes if not (status == "modified" and path in unchecked)]
    if len(kept) < len(changes):
        count = len(changes) - len(kept)
        repo.source.note(f"{count} file{'' if count == 1 else 's'} under a git filter ({', '.join(sorted(set(unchecked.values())))}) "
                         "may have changed; not checked, because release-lint never runs the repository's filters")
    return kept


# --- versions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclaredVersion:
    """A version stated somewhere: ``source`` (a path, or ``git tag``), ``line``, ``value`` as written."""

    source: str
    line: Optional[int]
    value: str


def version_from_tag(tag: str) -> Optional[str]:
    """The version a tag names (``v1.2.0`` -> ``1.2.0``, ``release-1.0`` -> ``1.0``), or None."""
    # A version tag is short; the pattern's optional parts backtrack on a long run of ".1" (a hostile tag name).
    match = VERSION_TAG_RE.match(tag) if len(tag) <= MAX_VERSION_TAG_CHARS else None
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


_VERSION_KEY_RE = re.compile(r"^\s*version\s*=")

# Dynamic versions: the version lives in a module (``__version__ = "1.2.0"``) or a file that the packaging
# metadata names (setup.cfg ``attr:``/``file:``, pyproject ``[tool.setuptools.dynamic]``, hatch's version path).
_DUNDER_VERSION_RE = re.compile(r"""^\s*__version__\s*(?::\s*str\s*)?=\s*["']([^"'\s]{1,64})["']""")
_VERSION_TEXT_RE = re.compile(r"^\s*v?(\d+(?:\.\d+){0,3}(?:[.-]?(?:a|b|rc|dev|post)\d*)?)\s*$", re.IGNORECASE)


def _module_paths(repo: Repo, dotted: str) -> List[str]:
    """Files that may hold module *dotted* (``pkg.version``): flat and ``src/`` layouts, module or package."""
    base = dotted.replace(".", "/")
    return [p for prefix in ("", "src/") for p in (f"{prefix}{base}.py", f"{prefix}{base}/__init__.py") if repo.exists(p)]


_STRING_CONSTANT_RE = re.compile(r"""^([A-Za-z_]\w{0,63})\s*(?::\s*str\s*)?=\s*["']([^"'\\]{0,64})["']\s*(?:#.*)?$""")
_ASSIGNMENT_RE = re.compile(r"^([A-Za-z_]\w{0,63})\s*(?::\s*str\s*)?=(?!=)")
_FORMAT_CALL_RE = re.compile(r"""^["']([^"'{}]{0,40}(?:\{\d?\}[^"'{}]{0,40}){1,8})["']\.format\(([\w\s,]{1,200})\)$""")
_FSTRING_RE = re.compile(r"""^f["']((?:[^"'{}]|\{[A-Za-z_]\w{0,63}\}){1,200})["']$""")
_CONCATENATION_RE = re.compile(r"""^(?:[A-Za-z_]\w{0,63}|["'][^"'\\]{0,40}["'])(?:\s*\+\s*(?:[A-Za-z_]\w{0,63}|["'][^"'\\]{0,40}["'])){1,8}$""")


def _computed_string(expression: str, constants: dict) -> Optional[str]:
    """The value of a version built from the module's string constants, read as text and never evaluated:
    ``"{0}.{1}.{2}".format(_MAJOR, _MINOR, _PATCH)``, ``f"{_MAJOR}.{_MINOR}"``, ``_MAJOR + "." + _MINOR`` or a
    plain name (``VERSION = __version__``). None when any part is not a known string constant."""
    if expression in constants:
        return constants[expression]
    fmt = _FORMAT_CALL_RE.match(expression)
    if fmt:
        names = [name.strip() for name in fmt.group(2).split(",") if name.strip()]
        if not all(name in constants for name in names):
            return None
        values = [constants[name] for name in names]
        fields = iter(range(len(values)))
        try:
            return re.sub(r"\{(\d?)\}", lambda m: values[int(m.group(1)) if m.group(1) else next(fields)], fmt.group(1))
        except (IndexError, StopIteration):
            return None
    fstring = _FSTRING_RE.match(expression)
    if fstring:
        names = re.findall(r"\{(\w+)\}", fstring.group(1))
        if not all(name in constants for name in names):
            return None
        return re.sub(r"\{(\w+)\}", lambda m: constants[m.group(1)], fstring.group(1))
    if _CONCATENATION_RE.match(expression):
        # Split on "+" outside quotes only: BASE + "+" + "cu118" has three parts.
        parts = [part.strip() for part in re.findall(r"""["'][^"']*["']|[^+"']+""", expression) if part.strip()]
        if not all(part[:1] in "\"'" or part in constants for part in parts):
            return None
        return "".join(part[1:-1] if part[:1] in "\"'" else constants[part] for part in parts)
    return None


def _version_in_module(repo: Repo, path: str, name: str = "__version__") -> List[DeclaredVersion]:
    """The string the module assigns to *name* (``__version__`` unless the reference names another attribute):
    a literal, or a value built from the module's own string constants (see ``_computed_string``)."""
    constants: dict = {}
    for number, line in enumerate(repo.lines(path)[:2000], 1):
        if name == "__version__":
            match = _DUNDER_VERSION_RE.match(line)
            if match:
                return [DeclaredVersion(path, number, match.group(1))]
        literal = _STRING_CONSTANT_RE.match(line)
        if literal:
            constants[literal.group(1)] = literal.group(2)
            if literal.group(1) == name and _VERSION_TEXT_RE.match(literal.group(2)):
                return [DeclaredVersion(path, number, literal.group(2))]  # RELEASE = "2.1.0"
        assignment = _ASSIGNMENT_RE.match(line)
        if assignment and assignment.group(1) == name:
            expression = line[assignment.end():].split("#", 1)[0].strip()[:200]
            value = _computed_string(expression, constants)
            if value and _VERSION_TEXT_RE.match(value):
                return [DeclaredVersion(path, number, value)]
    return []


def _dynamic_version(repo: Repo, kind: str, target: str) -> List[DeclaredVersion]:
    """The version an ``attr: pkg.__version__`` or ``file: VERSION`` reference resolves to, read as text."""
    if kind == "attr":
        # ``pkg.__version__`` or ``pkg.version.VERSION``: the module, then the attribute it holds.
        module, _, attribute = target.rpartition(".") if "." in target else (target, "", "__version__")
        for path in _module_paths(repo, module):
            hit = _version_in_module(repo, path, attribute or "__version__")
            if hit:
                return hit
    elif kind == "file":
        path = target.split(",")[0].strip().lstrip("./")
        lines = repo.lines(path) if repo.exists(path) else []
        match = _VERSION_TEXT_RE.match(lines[0]) if lines else None
        if match:
            return [DeclaredVersion(path, 1, match.group(1))]
    return []


def _pyproject_dynamic_version(repo: Repo, text: str, data: Optional[dict] = None) -> List[DeclaredVersion]:
    for pattern, kind in ((r"""^\s*version\s*=\s*\{\s*attr\s*=\s*["']([\w.]+)["']""", "attr"),
                          (r"""^\s*version\s*=\s*\{\s*file\s*=\s*\[?\s*["']([^"']+)["']""", "file")):
        match = re.search(pattern, text, re.MULTILINE)
        if match:
            return _dynamic_version(repo, kind, match.group(1))
    hatch = re.search(r"""^\[tool\.hatch\.version\]\s*\n(?:[^\[]*\n)?\s*path\s*=\s*["']([^"']+\.py)["']""", text, re.MULTILINE)
    if hatch and repo.exists(hatch.group(1)):
        return _version_in_module(repo, hatch.group(1))
    # flit (and setuptools' default) take ``__version__`` from the module named like the project (or by
    # ``[tool.flit.module] name``): "pebble-lib" -> pebble_lib/__init__.py or src/pebble_lib/__init__.py.
    data = data or {}
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    flit = tool.get("flit") if isinstance(tool.get("flit"), dict) else {}
    module = flit.get("module") if isinstance(flit.get("module"), dict) else {}
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    for name in (module.get("name"), project.get("name")):
        if isinstance(name, str) and re.fullmatch(r"[A-Za-z_][\w.-]{0,100}", name):
            for path in _module_paths(repo, re.sub(r"[-.]+", "_", name)):
                hit = _version_in_module(repo, path)
                if hit:
                    return hit
    return []


def _setup_py_version(repo: Repo) -> List[DeclaredVersion]:
    """setup.py's literal ``version="1.2.0"``, or ``__version__`` of a module it names (``from pkg import
    __version__``, ``open("pkg/version.py")``, ``os.path.join("pkg", "__init__.py")``); setup.py is never run."""
    lines = repo.lines("setup.py")[:2000]
    text = "\n".join(lines)
    literal = re.search(r"""\bversion\s*=\s*["'](\d[^"'\s]{0,40})["']""", text)
    if literal:
        return [DeclaredVersion("setup.py", text.count("\n", 0, literal.start()) + 1, literal.group(1))]
    candidates: List[str] = []
    for module in re.findall(r"^\s*from\s+([\w.]+)\s+import\s+[^\n]*__version__", text, re.MULTILINE):
        candidates += _module_paths(repo, module)
    candidates += [p.lstrip("./") for p in re.findall(r"""["']([\w./-]{1,200}\.py)["']""", text)]
    for joined in re.findall(r"os\.path\.join\(([^()]{1,300})\)", text):
        parts = re.findall(r"""["']([\w.-]+)["']""", joined)
        if parts and parts[-1].endswith(".py"):
            candidates.append("/".join(parts))
    for path in dict.fromkeys(candidates):
        if path != "setup.py" and repo.exists(path):
            hit = _version_in_module(repo, path)
            if hit:
                return hit
    return []


@detector
def declared_versions(repo: Repo) -> List[DeclaredVersion]:
    """Versions the files declare: pyproject ``[project] version`` (or its dynamic source), setup.cfg
    ``[metadata] version`` (``attr:`` and ``file:`` resolved), setup.py's version or the ``__version__`` of the
    module it names, ``CITATION.cff`` ``version`` and the model card's front-matter ``version``."""
    from release_lint.detectors.files import model_card

    found: List[DeclaredVersion] = []
    if repo.exists("pyproject.toml"):
        text = repo.text("pyproject.toml") or ""
        data = pyproject(repo)
        project = data.get("project", {})
        version = project.get("version") if isinstance(project, dict) else None
        tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
        poetry = tool.get("poetry") if isinstance(tool.get("poetry"), dict) else {}
        if isinstance(version, str):
            line = first_line(repo.lines("pyproject.toml"), _VERSION_KEY_RE)
            found.append(DeclaredVersion("pyproject.toml", line, version))
        elif isinstance(project, dict) and "version" in (project.get("dynamic") or []):
            found.extend(_pyproject_dynamic_version(repo, text, data))
        elif isinstance(poetry.get("version"), str) and poetry["version"].strip():
            # Poetry before PEP 621 support declares the version under [tool.poetry].
            lines = repo.lines("pyproject.toml")
            section = first_line(lines, re.compile(r"^\s*\[tool\.poetry\]\s*$")) or 0
            line = first_line(lines, _VERSION_KEY_RE, section + 1)
            found.append(DeclaredVersion("pyproject.toml", line, poetry["version"].strip()))
    if repo.exists("setup.cfg"):
        import configparser

        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(repo.text("setup.cfg") or "")
            version = parser.get("metadata", "version", fallback=None)
        except configparser.Error:
            version = None
        if version and not version.startswith(("attr:", "file:")):
            line = first_line(repo.lines("setup.cfg"), _VERSION_KEY_RE)
            found.append(DeclaredVersion("setup.cfg", line, version.strip()))
        elif version:
            kind, _, target = version.partition(":")
            found.extend(_dynamic_version(repo, kind.strip(), target.strip()))
    if repo.exists("setup.py") and not found:
        found.extend(_setup_py_version(repo))
    cff = citation_cff(repo)
    if cff and "/" not in cff[0]:
        citation, matter = cff
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
