"""Golden outputs of every example repository in ``fixtures/``: what a refactoring must not change.

    python -m tests.golden --update        # rewrite tests/data/golden/*.json from the current code
    python -m tests.golden --update NAME   # only fixtures/NAME

Each golden file holds, for one fixture linted as a committed git repository: every finding (code,
severity, path, line, key and its SARIF fingerprint), the notes, and the openness verdict. A change that
alters one of them on purpose regenerates the files in the same commit and says why in its message.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import List

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT_ROOT / "fixtures"
GOLDEN = PROJECT_ROOT / "tests" / "data" / "golden"


def fixture_names() -> List[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def snapshot(name: str, workspace: Path) -> dict:
    """The golden document of ``fixtures/<name>``, linted from a fresh committed copy in *workspace*."""
    from release_lint import lint
    from release_lint.formats.sarif import fingerprint
    from tests.conftest import copy_fixture

    root = copy_fixture(name, workspace / name)
    result = lint(str(root))
    return {
        "fixture": name,
        "findings": [
            {"code": f.code, "severity": f.severity, "path": f.path, "line": f.line, "key": f.key,
             "fingerprint": fingerprint(f)}
            for f in sorted(result.findings, key=lambda f: (f.code, f.path or "", f.line or 0, f.key or ""))
        ],
        "internal_errors": [e.code for e in result.internal_errors],
        "notes": [note.replace(str(root), "<root>") for note in result.notes],
        "openness": result.extra.get("openness"),
    }


def render(document: dict) -> str:
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def update(names: List[str]) -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    workspace = Path(tempfile.mkdtemp(prefix="golden-"))
    try:
        for name in names:
            (GOLDEN / f"{name}.json").write_text(render(snapshot(name, workspace)), encoding="utf-8")
            print(f"wrote tests/data/golden/{name}.json")
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if not arguments or arguments[0] != "--update":
        sys.exit(__doc__)
    update(arguments[1:] or fixture_names())
