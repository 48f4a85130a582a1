"""Dependencies stated in documents, a weak specification: install commands in the card, docs and shell
scripts, "Framework versions" lists, and the imports of the training scripts such a list leaves out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Tuple

from release_lint.detectors.code_and_docs import documentation_files
from release_lint.detectors.dependency_files import MAX_LINE_CHARS, MAX_REQUIREMENT_LINES
from release_lint.detectors.entry_points import training_entry_points
from release_lint.detectors.evidence import Evidence, clip
from release_lint.repo import Repo, detector

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
