"""Package metadata of the release, parsed once per run: the root ``pyproject.toml``.

Licences (``[project] license``), versions (``[project] version``, ``[tool.poetry] version``) and dependencies
(``[project] dependencies``) are all read from the one parse here.
"""

from __future__ import annotations

from release_lint.repo import Repo, detector, parse_toml


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
