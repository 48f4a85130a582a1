"""The software environment, read as text: dependency specifications, requirement pins, framework, CUDA and
Python versions.

Requirement files are parsed with ``packaging.requirements.Requirement`` (PEP 508) after pip's own line
handling (continuations, comments, ``-r``/``-c``/``-e``, per-requirement ``--hash`` options, bare URLs).
Nothing is installed, imported or executed. Every fact keeps its path and 1-based line.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from release_lint.detectors.code_and_docs import documentation_files
from release_lint.detectors.entry_points import training_entry_points
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
PER_REQUIREMENT_OPTION_RE = re.compile(r"\s+--(?:hash|config-settings|global-option|install-option)(?:=|\s+)\S+")
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


def _first_line(repo: Repo, path: str, pattern: "re.Pattern[str]") -> Optional[int]:
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
            line = _first_line(repo, path, re.compile(r"\binstall_requires\b"))
            if line:
                found.append(Evidence(path, line, lower, clip(repo.lines(path)[line - 1])))
        elif CONDA_ENV_RE.match(name) and "/.github/" not in "/" + path:
            line = _first_line(repo, path, re.compile(r"^dependencies\s*:"))
            if line:
                found.append(Evidence(path, line, "conda", "dependencies:"))
        elif lower == "pipfile":
            found.append(Evidence(path, None, "pipfile", name))
        elif DOCKERFILE_RE.search(name) and (not lower.endswith(".def") or _first_line(repo, path, re.compile(r"^\s*Bootstrap\s*:", re.IGNORECASE))):
            found.append(Evidence(path, None, "container", name))
        elif path.startswith(".devcontainer/") and lower.endswith((".json", "dockerfile")):
            found.append(Evidence(path, None, "devcontainer", path))
        elif lower in ("flake.nix", "shell.nix", "pixi.toml"):
            found.append(Evidence(path, None, "nix" if lower.endswith(".nix") else "pixi", name))
    return sorted(found, key=lambda e: (e.path, e.line or 0))


# --- dependencies stated in documents (a weak specification) ---------------------------------------------------
# "pip install torch==2.1 numpy", "python -m pip install ...", "conda install -c x pkg", "!pip install" in a notebook
# cell copied to a README. The command names the packages; only `name==version` (conda `name=version`) pins one.
INSTALL_COMMAND_RE = re.compile(
    r"^\s*(?:(?:[-*+]|\d+[.)])\s+)?(`)?(?:[$>]\s*|!|%)?(?:sudo\s+)?(?:(?:python3?|py)\s+-m\s+)?(?:pip3?|uv\s+pip|conda|mamba|micromamba)\s+install\s+(.{1,1000})$",
    re.IGNORECASE,
)
_INSTALL_OPTION_WITH_VALUE = {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
                              "--extra-index-url", "-f", "--find-links", "--channel", "-n", "--name", "-p", "--prefix"}
_PACKAGE_TOKEN_RE = re.compile(r"^[A-Za-z][\w.-]{0,80}(?:\[[\w,.-]{0,80}\])?(?:(?:==|>=|<=|~=|!=|=|<|>)[\w.*+!,<>=-]{1,60})?$")
# A section that lists the versions used: "### Framework versions" with "- Transformers 4.44.2" items.
VERSIONS_HEADING_RE = re.compile(r"^(?:framework|software|library|package)s? versions?$|^(?:software|tested|training) environment$",
                                 re.IGNORECASE)
_FRAMEWORK_NAME_RE = re.compile(r"\b(?:py)?torch\b|\btensorflow\b|\bjax\b|\bflax\b|\bkeras\b|\btransformers\b|"
                                r"\bdiffusers\b|\bmxnet\b|\bpaddle\w*\b|\bmindspore\b", re.IGNORECASE)
_VERSION_ITEM_RE = re.compile(r"^\s*[-*+]\s+\**[A-Za-z][\w .-]{0,40}?\**:?\s+v?\d+(?:\.\d+)+")


@dataclass(frozen=True)
class DocumentedDependencies:
    """Dependencies stated in a document: an install command (``kind`` "install-command") or a list of the
    versions used (``kind`` "versions-list"). ``unpinned`` are the packages named without an exact version."""

    path: str
    line: int
    kind: str
    text: str
    packages: Tuple[str, ...]
    unpinned: Tuple[str, ...]


def _install_packages(arguments: str, conda: bool) -> Tuple[List[str], List[str]]:
    packages, unpinned = [], []
    tokens = arguments.split("#", 1)[0].replace("\\", " ").split()
    skip = False
    for token in tokens:
        token = token.strip("\"'")
        if skip:
            skip = False
            continue
        if token in ("&&", "||", ";", "|"):
            break
        if token.startswith("-"):
            skip = token in _INSTALL_OPTION_WITH_VALUE
            continue
        if not _PACKAGE_TOKEN_RE.match(token) or token in (".",):
            continue
        packages.append(token)
        if "==" not in token and not (conda and re.search(r"(?<![<>=!~])=\d", token)):
            unpinned.append(token)
    return packages, unpinned


@detector
def documented_dependencies(repo: Repo) -> List[DocumentedDependencies]:
    """Install commands in the card, the root and sub-project documents and shell scripts, and "Framework versions"
    lists: what a release without a requirements file says its environment is."""
    found: List[DocumentedDependencies] = []
    documents = documentation_files(repo)
    scripts = [p for p in repo.files if p.lower().endswith((".sh", ".bash")) and p.count("/") <= 2][:50]
    for path in list(dict.fromkeys(documents + scripts)):
        for number, line in enumerate(repo.lines(path)[:MAX_REQUIREMENT_LINES], 1):
            match = INSTALL_COMMAND_RE.match(line[:MAX_LINE_CHARS])
            if not match:
                continue
            conda = bool(re.search(r"\b(?:conda|mamba|micromamba)\s+install", line, re.IGNORECASE))
            arguments = match.group(2).split("`", 1)[0] if match.group(1) else match.group(2)  # "- `pip install x` for y"
            packages, unpinned = _install_packages(arguments, conda)
            if packages:
                found.append(DocumentedDependencies(path, number, "install-command", clip(line.strip()),
                                                    tuple(packages), tuple(unpinned)))
    for path in documents:
        doc = repo.markdown(path) if path.lower().endswith((".md", ".markdown", ".mdx")) else None
        if doc is None:
            continue
        for heading in doc.section_headings():
            if not VERSIONS_HEADING_RE.match(heading.title.strip().rstrip(":")):
                continue
            items = [doc.lines[n - 1] for n in range(heading.body_start, min(heading.body_end, len(doc.lines)) + 1)
                     if _VERSION_ITEM_RE.match(doc.lines[n - 1][:MAX_LINE_CHARS])]
            # A list naming only an add-on ("- PEFT 0.10.0", the adapter card template) does not say what the
            # model was trained with: it must name a framework.
            if items and any(_FRAMEWORK_NAME_RE.search(item) for item in items):
                found.append(DocumentedDependencies(path, heading.line, "versions-list", heading.title,
                                                    tuple(clip(i.strip(" -*+")) for i in items[:20]), ()))
    return found


# Import names of the packages a "Framework versions" list names by their display names.
_LISTED_IMPORT_NAMES = {"pytorch": "torch", "scikit-learn": "sklearn", "pillow": "PIL", "opencv": "cv2", "pyyaml": "yaml"}
_IMPORT_RE = re.compile(r"^(?:import|from)[ \t]+([A-Za-z_]\w{0,60})")
MAX_IMPORT_LINES = 2000  # imports sit at the top of a training script
MAX_IMPORT_FILES = 10


def unlisted_imports(repo: Repo, listed: Tuple[str, ...]) -> List[Evidence]:
    """Third-party packages the training scripts (.py) import that the versions-list items *listed* ("Pytorch
    1.13.0+cu117", "Datasets 2.7.1") do not name: one record per package, at its first import."""
    import sys

    named = set()
    for item in listed:
        word = item.split()[0].strip("*").lower() if item.split() else ""
        named.add(_LISTED_IMPORT_NAMES.get(word, word.replace("-", "_")))
    local = {p.rsplit("/", 1)[-1][:-3] for p in repo.files if p.endswith(".py")}
    local |= {part for p in repo.files for part in p.split("/")[:-1]}
    stdlib = set(getattr(sys, "stdlib_module_names", ())) | {"__future__"}
    found: Dict[str, Evidence] = {}
    paths = [e.path for e in training_entry_points(repo) if e.path.endswith(".py")]
    for path in list(dict.fromkeys(paths))[:MAX_IMPORT_FILES]:
        for number, line in enumerate(repo.lines(path)[:MAX_IMPORT_LINES], 1):
            match = _IMPORT_RE.match(line)
            if not match:
                continue
            module = match.group(1)
            if module in stdlib or module in local or module.lower() in named or module in found:
                continue
            found[module] = Evidence(path, number, "import", module)
    return list(found.values())


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


# --- framework and accelerator-stack versions -----------------------------------------------------------------

# Canonical project name -> what it is called in messages.
FRAMEWORK_PACKAGES = {
    "torch": "PyTorch", "pytorch": "PyTorch", "jax": "JAX", "jaxlib": "JAX", "flax": "Flax", "tensorflow": "TensorFlow",
    "tensorflow-gpu": "TensorFlow", "tf-nightly": "TensorFlow", "keras": "Keras", "transformers": "Transformers",
    "deepspeed": "DeepSpeed", "megatron-core": "Megatron", "megatron-lm": "Megatron", "accelerate": "Accelerate",
    "lightning": "Lightning", "pytorch-lightning": "Lightning", "paddlepaddle": "PaddlePaddle",
    "paddlepaddle-gpu": "PaddlePaddle", "mxnet": "MXNet", "mlx": "MLX", "diffusers": "Diffusers", "peft": "PEFT",
    "trl": "TRL", "vllm": "vLLM", "cudatoolkit": "CUDA", "pytorch-cuda": "CUDA", "cuda-version": "CUDA",
    "cuda-toolkit": "CUDA", "cudnn": "cuDNN", "nccl": "NCCL",
}
NVIDIA_WHEEL_RE = re.compile(r"^nvidia-(cudnn|nccl|cuda-runtime|cuda-nvcc|cublas)[\w-]*-cu\d+$")
PROSE_VERSION_RE = re.compile(
    r"(?<![\w./-])(PyTorch|torch|JAX|jaxlib|TensorFlow|Transformers|DeepSpeed|Megatron(?:-LM|-Core)?|Flax|Keras|CUDA|"
    r"ROCm|cuDNN|NCCL|Lightning|PaddlePaddle|MXNet|vLLM)(?:[ \t]+version)?[ \t]*(?:==|=|:|[ \t]v|[ \t])[ \t]*v?(\d+(?:\.\d+)+)\b",
    re.IGNORECASE,
)
SPEC_STRING_RE = re.compile(r"""(?<![\w.-])([A-Za-z][\w.-]{0,40})\s*(?:\[[^\]]{0,80}\])?\s*(===|==|~=|=)\s*v?(\d+(?:\.\d+)+(?:[\w.+-]{0,30}))""")
IMAGE_RE = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)", re.IGNORECASE)
IMAGE_LABELS = {"pytorch": "PyTorch", "tensorflow": "TensorFlow", "jax": "JAX", "cuda": "CUDA", "rocm": "ROCm"}
TAG_STACK_RE = re.compile(r"(cuda|cudnn|rocm|pytorch|torch)[_-]?v?(\d+(?:\.\d+)*)", re.IGNORECASE)
NGC_RE = re.compile(r"nvcr\.io/nvidia/(pytorch|tensorflow|jax|nemo)[^:]*:(\d{2}\.\d{2})", re.IGNORECASE)
LOCAL_CUDA_RE = re.compile(r"\+cu(\d{2,3})\b")


@dataclass(frozen=True)
class FrameworkVersion:
    """A stated version: ``name`` as called in messages ("PyTorch", "CUDA"...), ``version`` as written,
    ``source`` "pin" (a requirement/lock/conda pin), "container" (a base image tag) or "doc" (prose or a comment)."""

    name: str
    version: str
    path: str
    line: Optional[int]
    source: str

    def to_dict(self) -> dict:
        return {"name": self.name, "version": self.version, "path": self.path, "line": self.line, "source": self.source}


PROSE_LABELS = {
    "pytorch": "PyTorch", "torch": "PyTorch", "jax": "JAX", "jaxlib": "JAX", "tensorflow": "TensorFlow",
    "transformers": "Transformers", "deepspeed": "DeepSpeed", "megatron": "Megatron", "megatron-lm": "Megatron",
    "megatron-core": "Megatron", "flax": "Flax", "keras": "Keras", "cuda": "CUDA", "rocm": "ROCm", "cudnn": "cuDNN",
    "nccl": "NCCL", "lightning": "Lightning", "paddlepaddle": "PaddlePaddle", "mxnet": "MXNet", "vllm": "vLLM",
}


def _prose_versions(path: str, lines) -> List[FrameworkVersion]:
    found = []
    for number, line in lines:
        for match in PROSE_VERSION_RE.finditer(line[:MAX_LINE_CHARS]):
            found.append(FrameworkVersion(PROSE_LABELS[match.group(1).lower()], match.group(2), path, number, "doc"))
    return found


def _spec_versions(path: str, lines) -> List[FrameworkVersion]:
    found = []
    for number, line in lines:
        for match in SPEC_STRING_RE.finditer(line[:MAX_LINE_CHARS]):
            name = match.group(1).lower().replace("_", "-")
            label = FRAMEWORK_PACKAGES.get(name)
            if label:
                found.append(FrameworkVersion(label, match.group(3), path, number, "pin"))
    return found


def _image_versions(image: str, path: str, line: int) -> List[FrameworkVersion]:
    """Versions in a base image: ``pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel``, ``nvidia/cuda:12.1.0-devel``,
    ``rocm/pytorch:rocm6.0_ubuntu20.04_py3.9_pytorch_2.1.1``, ``nvcr.io/nvidia/pytorch:24.01-py3`` (an NGC release)."""
    found: List[FrameworkVersion] = []
    ngc = NGC_RE.search(image)
    if ngc:
        return [FrameworkVersion(f"NGC {ngc.group(1).lower()} container", ngc.group(2), path, line, "container")]
    repository, _, tag = image.partition(":")
    last = repository.rsplit("/", 1)[-1].lower()
    label = next((IMAGE_LABELS[k] for k in IMAGE_LABELS if k in last), None)
    leading = re.match(r"v?(\d+\.\d+(?:\.\d+)?)", tag)
    if label and leading:
        found.append(FrameworkVersion(label, leading.group(1), path, line, "container"))
    for match in TAG_STACK_RE.finditer(tag):
        name = {"cudnn": "cuDNN", "rocm": "ROCm", "cuda": "CUDA"}.get(match.group(1).lower(), "PyTorch")
        found.append(FrameworkVersion(name, match.group(2), path, line, "container"))
    return found


@detector
def framework_versions(repo: Repo) -> List[FrameworkVersion]:
    """Versions of the deep-learning framework and accelerator stack that the release states: exact pins in
    requirement files (``torch==2.3.1``; ``+cu121`` local versions and ``nvidia-*-cu12`` wheels give CUDA),
    pyproject/setup/conda/Pipfile/lock files, container base images (``pytorch/pytorch:2.1.0-cuda12.1-...``,
    ``nvcr.io/nvidia/pytorch:24.01-py3``), and prose in docs or requirement comments ("CUDA 12.1")."""
    found: List[FrameworkVersion] = []
    for requirements in requirement_files(repo):
        for requirement in requirements.lines:
            if requirement.kind != "requirement" or not requirement.name:
                continue
            exact = [s for s in requirement.specifier.split(",") if s.startswith(("==", "===", "~="))]
            label = FRAMEWORK_PACKAGES.get(requirement.name)
            wheel = NVIDIA_WHEEL_RE.match(requirement.name)
            if wheel and exact:
                label = {"cudnn": "cuDNN", "nccl": "NCCL"}.get(wheel.group(1), "CUDA")
            if label and exact:
                version = exact[0].lstrip("=~")
                found.append(FrameworkVersion(label, version, requirements.path, requirement.line, "pin"))
                cuda = LOCAL_CUDA_RE.search(version)
                if cuda:
                    found.append(FrameworkVersion("CUDA", cuda.group(1), requirements.path, requirement.line, "pin"))
        # Comments often say what the pins were tested with ("# Python 3.11, CUDA 12.1").
        lines = [(n, l) for n, l in enumerate(repo.lines(requirements.path), 1) if "#" in l]
        found.extend(_prose_versions(requirements.path, [(n, l[l.index("#"):]) for n, l in lines]))
    for path in repo.files:
        name = path.rsplit("/", 1)[-1]
        lower = name.lower()
        if lower in ("pyproject.toml", "setup.py", "setup.cfg", "pipfile") or CONDA_ENV_RE.match(name):
            found.extend(_spec_versions(path, enumerate(repo.lines(path), 1)))
        elif lower in ("poetry.lock", "uv.lock", "pdm.lock"):
            current = None
            for number, line in enumerate(repo.lines(path), 1):
                match = re.match(r'^name\s*=\s*"([^"]+)"', line)
                if match:
                    current = match.group(1).lower()
                    continue
                match = re.match(r'^version\s*=\s*"([^"]+)"', line)
                if match and current in FRAMEWORK_PACKAGES:
                    found.append(FrameworkVersion(FRAMEWORK_PACKAGES[current], match.group(1), path, number, "pin"))
                    current = None
        elif DOCKERFILE_RE.search(name):
            for number, line in enumerate(repo.lines(path), 1):
                image = IMAGE_RE.match(line)
                if image:
                    found.extend(_image_versions(image.group(1), path, number))
                elif "install" in line:
                    found.extend(_spec_versions(path, [(number, line)]))
    for path in documentation_files(repo):
        found.extend(_prose_versions(path, enumerate(repo.lines(path), 1)))
    return sorted(set(found), key=lambda v: (v.path, v.line or 0, v.name))


# --- Python version ---------------------------------------------------------------------------------------------

PYTHON_PROSE_RE = re.compile(r"\b(?:Python|CPython|py)[ \t]*(?:version[ \t]*)?(?:>=|==|~=|≥|=|:|[ \t]v)?[ \t]*(3\.\d{1,2})(?![\d])", re.IGNORECASE)
PYTHON_KEY_PATTERNS = (
    ("pyproject.toml", re.compile(r"^\s*(?:requires-python|python)\s*=\s*[\"'][^\"']*\d")),
    ("setup.py", re.compile(r"\bpython_requires\s*=|Programming Language :: Python :: 3\.\d")),
    ("setup.cfg", re.compile(r"^\s*python_requires\s*=|Programming Language :: Python :: 3\.\d")),
    ("pipfile", re.compile(r"^\s*python_(?:full_)?version\s*=")),
    ("runtime.txt", re.compile(r"python-?3\.\d")),
    (".tool-versions", re.compile(r"^\s*python\s+3\.\d")),
    (".python-version", re.compile(r"^\s*(?:cpython-|pypy)?3\.\d")),
)
DOCKER_PYTHON_RE = re.compile(r"^\s*FROM\s+\S*python:3\.\d|python3\.\d{1,2}\b|\bpy3\d{1,2}\b|\bpython=3\.\d", re.IGNORECASE)
CONDA_PYTHON_RE = re.compile(r"^\s*-\s+python\s*(?:=|==|>=|<|~=)\s*3")
WORKFLOW_PYTHON_RE = re.compile(r"python-version\s*:\s*[\"'\[]*3\.\d")


@detector
def python_version_statements(repo: Repo) -> List[Evidence]:
    """Where the Python version is stated: ``kind`` "file" (.python-version, runtime.txt, .tool-versions),
    "pyproject"/"setup"/"pipfile" (requires-python, python_requires, classifiers, python_version), "conda"
    (``- python=3.10``), "container" (``FROM python:3.11``), "ci" (``python-version:`` in a workflow) or "doc"
    (prose such as "Python 3.10" in the card, docs or a requirements comment). Path and line of each."""
    found: List[Evidence] = []
    keyed = dict(PYTHON_KEY_PATTERNS)
    for path in repo.files:
        name = path.rsplit("/", 1)[-1]
        lower = name.lower()
        pattern = None
        kind = "file"
        if lower in keyed:
            pattern = keyed[lower]
            kind = {"pyproject.toml": "pyproject", "setup.py": "setup", "setup.cfg": "setup", "pipfile": "pipfile"}.get(lower, "file")
        elif CONDA_ENV_RE.match(name):
            pattern, kind = CONDA_PYTHON_RE, "conda"
        elif DOCKERFILE_RE.search(name):
            pattern, kind = DOCKER_PYTHON_RE, "container"
        elif path.startswith(".github/workflows/") and lower.endswith((".yml", ".yaml")):
            pattern, kind = WORKFLOW_PYTHON_RE, "ci"
        elif REQUIREMENT_NAME_RE.match(name):
            pattern, kind = re.compile(r"#.*" + PYTHON_PROSE_RE.pattern, re.IGNORECASE), "doc"
        if pattern is None:
            continue
        line = _first_line(repo, path, pattern)
        if line:
            found.append(Evidence(path, line, kind, clip(repo.lines(path)[line - 1])))
    for path in documentation_files(repo):
        line = _first_line(repo, path, PYTHON_PROSE_RE)
        if line:
            found.append(Evidence(path, line, "doc", clip(repo.lines(path)[line - 1])))
    return sorted(found, key=lambda e: (e.path, e.line or 0))
