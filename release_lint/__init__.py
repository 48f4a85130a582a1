"""release-lint: is a model release open and reproducible, or only open weights?

Library use::

    import release_lint
    result = release_lint.lint("path/to/model-repo")
    for finding in result:
        print(finding.code, finding.path, finding.line, finding.message)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from release_lint.findings import Finding, Result

if TYPE_CHECKING:
    from release_lint.api import lint
    from release_lint.config import Config

__version__ = "0.1.0"

__all__ = ["__version__", "lint", "Finding", "Result", "Config"]


def __getattr__(name: str) -> Any:
    # `lint` and `Config` load the engine and the repository view: imported when first asked for, so that
    # `import release_lint` (and `release-lint --version`) stays cheap.
    if name == "lint":
        from release_lint.api import lint

        return lint
    if name == "Config":
        from release_lint.config import Config

        return Config
    raise AttributeError(f"module 'release_lint' has no attribute {name!r}")
