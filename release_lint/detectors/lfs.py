"""Git LFS: pointer files (spec v1) and the ``.gitattributes`` lines that put files in LFS."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from release_lint.globs import glob_regex
from release_lint.repo import Repo, detector

MAX_LFS_RULES = 50_000  # filter lines read from .gitattributes files (`*.ext` ones cost a dict entry)
MAX_LFS_GLOBS = 1_000  # other patterns, each matched against every weight file


@dataclass(frozen=True)
class LfsPointer:
    oid: str  # "sha256:<hex>"
    size: Optional[int]


def parse_lfs_pointer(data: bytes) -> Optional[LfsPointer]:
    """The oid and size of a Git LFS pointer file (spec v1), or None."""
    text = data.decode("utf-8", "replace")
    oid = re.search(r"^oid (sha256:[0-9a-f]{64})$", text, re.MULTILINE)
    size = re.search(r"^size (\d+)$", text, re.MULTILINE)
    if not oid:
        return None
    return LfsPointer(oid.group(1), int(size.group(1)) if size else None)


# --- LFS patterns ------------------------------------------------------------------------


@dataclass
class LfsRule:
    folder: str  # folder of the .gitattributes file ("" for the root)
    pattern: str
    lfs: bool  # filter=lfs set (True) or unset (-filter, !filter, filter=other)
    path: str  # the .gitattributes file
    line: int


@detector
def lfs_rules(repo: Repo) -> List[LfsRule]:
    """Every ``.gitattributes`` line that sets or unsets ``filter``, root first, in file order."""
    rules: List[LfsRule] = []
    attribute_files = sorted((f for f in repo.files if f.rsplit("/", 1)[-1] == ".gitattributes"), key=lambda f: (f.count("/"), f))
    for path in attribute_files:
        folder = path[: -len(".gitattributes")]
        for number, line in enumerate(repo.lines(path), 1):
            parts = line.split()
            if not parts or parts[0].startswith("#") or parts[0].startswith("[attr]"):
                continue
            pattern, attributes = parts[0], parts[1:]
            if len(rules) >= MAX_LFS_RULES:
                repo.note(f"{path}: more than {MAX_LFS_RULES} filter lines in .gitattributes files; the rest were not read")
                return rules
            for attribute in attributes:
                if attribute == "filter=lfs":
                    rules.append(LfsRule(folder, pattern, True, path, number))
                elif attribute in ("-filter", "!filter") or (attribute.startswith("filter=") and attribute != "filter=lfs"):
                    rules.append(LfsRule(folder, pattern, False, path, number))
    return rules


def _attribute_pattern_matches(rule: LfsRule, path: str) -> bool:
    if not path.startswith(rule.folder):
        return False
    relative = path[len(rule.folder) :]
    pattern = rule.pattern
    import fnmatch

    if pattern.startswith("/"):
        pattern = pattern[1:]
    elif "/" not in pattern.rstrip("/"):
        return fnmatch.fnmatchcase(relative.rsplit("/", 1)[-1], pattern)  # a bare name matches at any depth
    if pattern.endswith("/**"):
        return relative.startswith(pattern[:-2])
    regex = glob_regex(pattern, ignore_case=False)
    return bool(regex.match(relative))


@detector
def _lfs_rule_index(repo: Repo) -> Tuple[List[LfsRule], Dict[Tuple[str, str], int], List[int]]:
    """lfs_rules split for lookups: ``*.ext`` rules by (folder, ".ext") -> position of the last such rule,
    and the positions of every other rule. Files x patterns stays small when a .gitattributes lists
    thousands of extensions (the usual shape of a long one)."""
    rules = lfs_rules(repo)
    by_suffix: Dict[Tuple[str, str], int] = {}
    others: List[int] = []
    for position, rule in enumerate(rules):
        pattern = rule.pattern
        if pattern.startswith("*.") and not any(char in pattern[1:] for char in "*?[\\/"):
            by_suffix[(rule.folder, pattern[1:])] = position
        elif len(others) < MAX_LFS_GLOBS:
            others.append(position)
        elif len(others) == MAX_LFS_GLOBS:
            others.append(-1)  # marks the note as given
            repo.note(f"{rule.path}: more than {MAX_LFS_GLOBS} filter patterns other than `*.ext` in .gitattributes "
                      f"files; line {rule.line} and later ones were not matched")
    return rules, by_suffix, [position for position in others if position >= 0]


def lfs_tracked(repo: Repo, path: str) -> Optional[LfsRule]:
    """The ``.gitattributes`` line that puts *path* in LFS, or None (the last matching line wins)."""
    rules, by_suffix, others = _lfs_rule_index(repo)
    last = -1
    name = path.rsplit("/", 1)[-1]
    folders = [""] + [path[: cut + 1] for cut in range(len(path)) if path[cut] == "/"]
    for dot in (i for i in range(len(name)) if name[i] == "."):  # `*.ext` matches every name ending in .ext
        for folder in folders:
            last = max(last, by_suffix.get((folder, name[dot:]), -1))
    for position in reversed(others):
        if position < last:
            break
        if _attribute_pattern_matches(rules[position], path):
            last = position
            break
    return rules[last] if last >= 0 and rules[last].lfs else None

