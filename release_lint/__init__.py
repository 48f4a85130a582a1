"""release-lint: is a model release open and reproducible, or only open weights?

Library use::

    import release_lint
    result = release_lint.lint("path/to/model-repo")
    for finding in result:
        print(finding.code, finding.path, finding.line, finding.message)
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing alone costs more than the rest of `--version`
if TYPE_CHECKING:
    from typing import Any

    from release_lint.api import lint
    from release_lint.config import Config
    from release_lint.findings import Finding, Result

__version__ = "0.1.0"

__all__ = ["__version__", "lint", "Finding", "Result", "Config"]


def __getattr__(name: str) -> Any:
    # Everything but the version is imported when first asked for, so that `import release_lint` (and
    # `release-lint --version`) stays as cheap as starting Python.
    if name == "lint":
        from release_lint.api import lint

        return lint
    if name == "Config":
        from release_lint.config import Config

        return Config
    if name in ("Finding", "Result"):
        from release_lint import findings

        return getattr(findings, name)
    raise AttributeError(f"module 'release_lint' has no attribute {name!r}")
