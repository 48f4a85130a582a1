"""release-lint: is a model release open and reproducible, or only open weights?

Library use::

    import release_lint
    result = release_lint.lint("path/to/model-repo")
    for finding in result:
        print(finding.code, finding.path, finding.line, finding.message)
"""

__version__ = "0.1.0"

__all__ = ["__version__", "lint"]


def lint(path=".", **options):
    """Lint the repository at *path*; see :func:`release_lint.api.lint`."""
    # Imported here so `release-lint --version` stays cheap.
    from release_lint.api import lint as _lint

    return _lint(path, **options)
