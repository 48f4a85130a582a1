"""Package metadata of the release, parsed once per run: ``pyproject.toml`` and ``CITATION.cff``.

Licences (``[project] license``), versions (``[project] version``, ``[tool.poetry] version``) and dependencies
(``[project] dependencies``) are all read from the one parse here.
"""

from __future__ import annotations

from typing import Optional, Tuple

from release_lint.filereads import parse_toml
from release_lint.mdparse import FrontMatter, load_yaml
from release_lint.repo import Repo, detector


@detector
def pyproject(repo: Repo) -> dict:
    """The root ``pyproject.toml`` as data; ``{}`` when there is none or it is not valid TOML (a broken file
    declares nothing, and reading it is not these rules' business)."""
    if not repo.exists("pyproject.toml"):
        return {}
    try:
        data = parse_toml(repo.text("pyproject.toml") or "")
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


@detector
def citation_cff(repo: Repo) -> Optional[Tuple[str, FrontMatter]]:
    """``(path, parsed YAML)`` of the release's ``CITATION.cff`` (any case), or None. Licences, versions, the
    MOF authors and REL005 all read this one parse."""
    path = repo.exists_ci("CITATION.cff")
    if not path:
        return None
    return path, load_yaml(repo.text(path) or "")
