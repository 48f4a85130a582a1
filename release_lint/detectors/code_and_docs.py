"""The release's code, configuration and documentation files, and their lines (notebooks by code cell)."""

from __future__ import annotations

import json
import re
from typing import Iterator, List, Optional, Tuple

from release_lint.detectors.files import model_card
from release_lint.repo import Repo, detector

MAX_SCANNED_FILES = 4000  # code/config files read by one scan; beyond that the rest is ignored (and noted)
MAX_LINE_CHARS = 4000  # longer lines (minified JSON, data) are cut before matching
MAX_NOTEBOOK_CELLS = 2000
MAX_DOC_FILES = 200

CODE_EXTENSIONS = (".py", ".ipynb", ".sh", ".bash", ".sbatch", ".slurm")
CONFIG_EXTENSIONS = (".yaml", ".yml", ".json", ".toml", ".gin", ".cfg", ".ini", ".conf", ".jsonnet")
# Folders that hold other people's code or environments, never the release's own recipe.
SKIPPED_FOLDERS = re.compile(
    r"(?:^|/)(?:node_modules|\.venv|venv|env|site-packages|\.tox|\.git|third_party|third-party|vendor|"
    r"external|__pycache__|\.ipynb_checkpoints|dist|build)/",
    re.IGNORECASE,
)
TEST_PATH = re.compile(r"(?:^|/)(?:tests?|testing)/|(?:^|/)test_[^/]*$|_test\.py$", re.IGNORECASE)
# Hugging Face files that describe the architecture, decoding or tokenizer, never the training run.
NOT_TRAINING_CONFIGS = {
    "generation_config.json",
    "tokenizer_config.json",
    "tokenizer.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "preprocessor_config.json",
    "processor_config.json",
    "feature_extractor_config.json",
    "image_processor_config.json",
    "chat_template.json",
    "vocab.json",
    "model.safetensors.index.json",
    "pytorch_model.bin.index.json",
    "adapter_config.json",
    "quantize_config.json",
    "modules.json",
    "sentence_bert_config.json",
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    ".pre-commit-config.yaml",
    "codecov.yml",
    "mkdocs.yml",
    ".readthedocs.yaml",
    "citation.cff",
    "environment.yml",
    "environment.yaml",
}
# Documents that are not about the training run (a changelog line "support H100" documents nothing).
NOT_RECIPE_DOCS = re.compile(
    r"^(?:changelog|changes|history|news|releases?|code_of_conduct|security|licen[cs]e|copying|contributing|"
    r"authors|maintainers|governance|support)(?:[-_.][\w.-]*)?$",
    re.IGNORECASE,
)


def outside_skipped_folders(path: str) -> bool:
    return not SKIPPED_FOLDERS.search("/" + path)


def is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def notebook_code_lines(text: str) -> List[Tuple[Optional[int], str]]:
    """The code-cell lines of a notebook as ``(line in the .ipynb file or None, source line)``.

    The notebook is parsed as JSON (never run); markdown and output cells are ignored. Each source line is
    located in the raw file by its JSON encoding, searching forward only, so the cost stays linear.
    Returns [] for anything that is not a notebook.
    """
    try:
        notebook = json.loads(text)
    except (ValueError, RecursionError):
        return []
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        # nbformat 3 kept cells under worksheets.
        sheets = notebook.get("worksheets") if isinstance(notebook, dict) else None
        cells = []
        if isinstance(sheets, list):
            for sheet in sheets[:10]:
                if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list):
                    cells.extend(sheet["cells"])
    raw_lines = text.replace("\r\n", "\n").split("\n")
    cursor = 0
    found: List[Tuple[Optional[int], str]] = []
    for cell in cells[:MAX_NOTEBOOK_CELLS]:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, str):
            pieces = source.splitlines()
        elif isinstance(source, list):
            pieces = [p for p in source if isinstance(p, str)]
        else:
            continue
        for piece in pieces:
            for code_line in piece.splitlines() or [""]:
                encoded = json.dumps(code_line, ensure_ascii=False)[1:-1]
                line_number = None
                if encoded.strip():
                    # Search a bounded window ahead: outputs between cells are skipped, never rescanned.
                    for index in range(cursor, min(len(raw_lines), cursor + 400)):
                        if encoded in raw_lines[index]:
                            line_number = index + 1
                            cursor = index + 1
                            break
                found.append((line_number, code_line[:MAX_LINE_CHARS]))
    return found


def code_lines(repo: Repo, path: str) -> List[Tuple[Optional[int], str]]:
    """``(line, text)`` pairs of a code file; for a notebook only its code cells (see notebook_code_lines)."""
    if path.lower().endswith(".ipynb"):
        text = repo.text(path)
        return notebook_code_lines(text) if text else []
    return [(number, line[:MAX_LINE_CHARS]) for number, line in enumerate(repo.lines(path), 1)]


def first_code_match(
    repo: Repo, path: str, pattern: "re.Pattern[str]", literals: Tuple[str, ...] = ()
) -> Optional[Tuple[Optional[int], str]]:
    """``(line, line text)`` of the first non-comment line of a code file matching *pattern*, or None.

    Plain files are searched as one string (one regex pass, no per-line loop), and only when one of the
    *literals* (substrings every match contains) occurs; notebooks are searched by code cell.
    """
    text = repo.text(path)
    if not text or (literals and not any(literal in text for literal in literals)):
        return None
    if path.lower().endswith(".ipynb"):
        for number, line in code_lines(repo, path):
            if not is_comment(line) and pattern.search(line):
                return number, line
        return None
    for match in pattern.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        line = text[start : end if end >= 0 else len(text)]
        if not is_comment(line):
            return text.count("\n", 0, start) + 1, line[:MAX_LINE_CHARS]
    return None


@detector
def code_files(repo: Repo) -> List[str]:
    """Python files, notebooks and shell/Slurm scripts of the release (vendored folders skipped), capped."""
    found = [f for f in repo.files if f.lower().endswith(CODE_EXTENSIONS) and outside_skipped_folders(f)]
    if len(found) > MAX_SCANNED_FILES:
        repo.source.note(f"{len(found)} code files: only the first {MAX_SCANNED_FILES} were scanned for the training recipe")
        found = found[:MAX_SCANNED_FILES]
    return found


@detector
def config_files(repo: Repo) -> List[str]:
    """YAML/JSON/TOML/Gin/INI files that may hold a training configuration (Hugging Face model files excluded)."""
    found = []
    for path in repo.files:
        name = path.rsplit("/", 1)[-1].lower()
        if not name.endswith(CONFIG_EXTENSIONS) or name in NOT_TRAINING_CONFIGS or not outside_skipped_folders(path):
            continue
        if name.startswith(".") and not name.startswith(".hydra"):
            continue  # tool settings (.pre-commit, .github workflows live under .github/ and are skipped below)
        if path.lower().startswith((".github/", ".gitlab/", ".circleci/")):
            continue
        found.append(path)
    return found[:MAX_SCANNED_FILES]


@detector
def documentation_files(repo: Repo) -> List[str]:
    """Markdown/RST documents about the model: the card first, then root documents, docs/, reports, papers.

    Changelogs, licences, codes of conduct and the like are left out: they do not document the run.
    """
    card = model_card(repo)
    found: List[str] = [card] if card else []
    doc_folder = re.compile(r"^(?:docs?|paper|papers|reports?|technical[-_]report|tech[-_]report|documentation)/", re.IGNORECASE)
    report_name = re.compile(r"(?:report|paper|training|model[-_]?card|hardware|compute|reproduc)", re.IGNORECASE)
    # Sub-projects document their own run next to their code: experiments/README.md, train/GUIDE.md.
    folder_guide = re.compile(r"^(?:readme|guide|usage|howto|instructions)$", re.IGNORECASE)
    for path in repo.files:
        lower = path.lower()
        if not lower.endswith((".md", ".markdown", ".mdx", ".rst")) or path == card or not outside_skipped_folders(path):
            continue
        name = path.rsplit("/", 1)[-1]
        stem = name.rsplit(".", 1)[0]
        if NOT_RECIPE_DOCS.match(stem) or lower.startswith(".github/"):
            continue
        if "/" not in path or doc_folder.match(path) or report_name.search(name) \
                or (folder_guide.match(stem) and path.count("/") <= 3):
            found.append(path)
    return found[:MAX_DOC_FILES]


def markdown_lines(repo: Repo, path: str) -> Iterator[Tuple[int, str, bool]]:
    """``(line, text, in_code_fence)`` for every line of a Markdown document (fences as the shared parser sees them)."""
    doc = repo.markdown(path)
    if doc is None:
        return
    fenced = doc.fenced()
    for number, line in enumerate(doc.lines, 1):
        yield number, line[:MAX_LINE_CHARS], number in fenced
