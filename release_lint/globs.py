"""Path globs and gitignore-style patterns: matched in time that stays bounded on hostile patterns.

``glob_regex`` serves the rules' globs and ``.gitattributes``; ``ignore_pattern_problem`` refuses the
patterns (of a .gitignore walked outside git, of the configuration's ``exclude``) pathspec would
match with catastrophic backtracking.
"""

from __future__ import annotations

import fnmatch
import re
from functools import lru_cache
from typing import Optional, Tuple

# Bounds on .gitignore patterns matched by the walk outside git (see WorkTree._ignore_spec).
MAX_IGNORE_PATTERN = 1024
MAX_IGNORE_STARS = 3
STAR_RUN_RE = re.compile(r"\*{3,}")
_DOUBLE_STAR_SEGMENT_RE = re.compile(r"(?<![^/])\*\*(?![^/])")  # `**` as a whole path segment
MAX_EXCLUDE_PATTERNS = 256  # `exclude` patterns of the configuration, each matched against every file


def ignore_pattern_problem(pattern: str) -> Optional[str]:
    """Why a gitignore-style *pattern* is not matched (too long, too many ``*``, invalid), or None.

    pathspec turns patterns into backtracking regular expressions, so a hostile pattern
    (``*a*a*a*a*a*b``, five thousand ``*``) could take hours on a long name, where git's own
    matcher does not. Runs of ``*`` count as one (as in git); a pattern with more than
    MAX_IGNORE_STARS single ``*`` or longer than MAX_IGNORE_PATTERN is refused.
    """
    import pathspec

    line = STAR_RUN_RE.sub("*", pattern)
    if len(line) > MAX_IGNORE_PATTERN:
        return f"pattern longer than {MAX_IGNORE_PATTERN} characters"
    if _DOUBLE_STAR_SEGMENT_RE.sub("", line).count("*") > MAX_IGNORE_STARS:
        return f"pattern with more than {MAX_IGNORE_STARS} '*' (other than '**' folders)"
    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except Exception:  # pathspec's own error types differ between versions
        return "invalid pattern"
    return None


@lru_cache(maxsize=512)
def names_regex(patterns: Tuple[str, ...]) -> "re.Pattern[str]":
    """One regex for several lower-cased file-name globs (fnmatch syntax)."""
    return re.compile("|".join(fnmatch.translate(p.lower()) for p in patterns))


@lru_cache(maxsize=512)
def literal_folder(pattern: str) -> str:
    """The lower-cased folders a glob starts with before any wildcard: `Docs/**/x.md` -> `docs/`."""
    pattern = pattern.lower()
    wildcard = min((i for i in (pattern.find("*"), pattern.find("?"), pattern.find("[")) if i >= 0), default=len(pattern))
    return pattern[: pattern.rfind("/", 0, wildcard) + 1]


@lru_cache(maxsize=512)
def glob_regex(pattern: str, ignore_case: bool = True) -> "re.Pattern[str]":
    """A regex for a path glob: ``*`` and ``?`` stay within a folder, ``**/`` spans any number of them.

    Shared by :meth:`Repo.glob` (case-insensitive) and ``.gitattributes`` matching (case-sensitive).
    """
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        else:
            char = pattern[index]
            out.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
            index += 1
    return re.compile("".join(out) + r"\Z", re.IGNORECASE if ignore_case else 0)
