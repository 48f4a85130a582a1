"""``python -m release_lint`` and the ``release-lint`` command.

``--version`` is answered before the command-line library is imported, so it costs little more than
starting Python.
"""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from release_lint import __version__

        sys.stdout.write(f"release-lint {__version__}\n")
        return
    from release_lint.cli import main as cli_main

    cli_main()


if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    main()
