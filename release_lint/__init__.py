"""release-lint: is a model release open and reproducible, or only open weights?

Library use::

    import release_lint
    result = release_lint.lint("path/to/model-repo")
    for finding in result:
        print(finding.code, finding.path, finding.line, finding.message)
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Iterable, Optional, Union

from release_lint.findings import Finding, Result

if TYPE_CHECKING:
    from release_lint.config import Config
    from release_lint.progress import RunStatus
    from release_lint.repo import Repo

__version__ = "0.1.0"

__all__ = ["__version__", "lint", "Finding", "Result", "Config"]


def lint(
    path: Union[str, "os.PathLike[str]"] = ".",
    *,
    config: Optional[Config] = None,
    config_file: Optional[str] = None,
    select: Optional[Iterable[str]] = None,
    ignore: Optional[Iterable[str]] = None,
    repo: Optional[Repo] = None,
    baseline: Optional[str] = None,
    rev: Optional[str] = None,
    verdict: Optional[bool] = None,
    bom: bool = False,
    staged: bool = False,
    status: Optional[RunStatus] = None,
) -> Result:
    """Lint the release at *path* and return its :class:`Result`; see :func:`release_lint.api.lint`."""
    # Imported here so `release-lint --version` stays cheap.
    from release_lint.api import lint as _lint

    return _lint(os.fspath(path), config=config, config_file=config_file, select=select, ignore=ignore, repo=repo,
                 baseline=baseline, rev=rev, verdict=verdict, bom=bom, staged=staged, status=status)


def __getattr__(name: str) -> Any:
    if name == "Config":  # the configuration imports the repository view: loaded when asked for
        from release_lint.config import Config

        return Config
    raise AttributeError(f"module 'release_lint' has no attribute {name!r}")
