"""Intermediate checkpoints of the training run: checkpoint folders in the release, or documents that list them."""

from __future__ import annotations

import re
from typing import List

from release_lint.detectors.code_and_docs import documentation_files, markdown_lines, outside_skipped_folders
from release_lint.detectors.evidence import Evidence, clip
from release_lint.repo import Repo, detector

CHECKPOINT_FOLDER_RE = re.compile(
    r"(?:^|/)(?:checkpoint[-_]\d+|global[-_]?step[-_]?\d+|step[-_]?\d+|ckpt[-_]?\d+|iter_\d+|epoch[-_]?\d+|"
    r"checkpoints|intermediate[-_]checkpoints)/",
    re.IGNORECASE,
)
CHECKPOINT_TEXT_RE = re.compile(
    r"\b(?:intermediate|training|pre-?training|partially[- ]trained)\s+checkpoints\b|"
    r"revision\s*=\s*[\"'](?:step|global[-_]?step|ckpt|checkpoint|iter|stage)[\w-]*\d|"
    r"/tree/(?:step|global[-_]?step|ckpt|checkpoint|iter|stage)[\w-]*\d|"
    r"\bcheckpoints?\s+(?:every|at every|saved every|for every)\s+[\d,]+\s*(?:steps|tokens|iterations|B|M)\b",
    re.IGNORECASE,
)
NEGATION_RE = re.compile(r"\b(?:no|not|never|without|unavailable|withheld|won't|will not)\b", re.IGNORECASE)


@detector
def intermediate_checkpoints(repo: Repo) -> List[Evidence]:
    """Intermediate checkpoints listed: checkpoint folders in the release (``checkpoint-1000/``, ``step5000/``,
    ``global_step250/``; ``kind`` "folder", ``line`` None, one per folder) or card/doc lines that list them
    (``revision="step1000"``, ``/tree/step-1000`` links, "intermediate checkpoints", "checkpoints every 250
    steps"; ``kind`` "doc"). A line that denies them ("we do not release intermediate checkpoints") does not count.
    """
    found: List[Evidence] = []
    seen_folders = set()
    for path in repo.files:
        match = CHECKPOINT_FOLDER_RE.search(path)
        if match and outside_skipped_folders(path):
            folder = path[: match.end()]
            if folder not in seen_folders:
                seen_folders.add(folder)
                found.append(Evidence(folder.rstrip("/"), None, "folder", folder))
    for path in documentation_files(repo):
        for number, line, _fence in markdown_lines(repo, path):
            if CHECKPOINT_TEXT_RE.search(line) and not NEGATION_RE.search(line):
                found.append(Evidence(path, number, "doc", clip(line)))
                break
    return found
