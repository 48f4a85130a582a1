"""The library is typed: ``py.typed`` ships, and ``mypy --strict`` passes on the public API and sees
``release_lint.lint()`` return a :class:`Result` of typed :class:`Finding` s."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

mypy_api = pytest.importorskip("mypy.api")

USER_CODE = '''\
import release_lint

result = release_lint.lint("model-repo", select=["LIC", "CARD"])
reveal_type(result)
reveal_type(result.findings[0].line)
errors: int = result.counts()["error"]
for finding in result:
    reveal_type(finding)
'''


def _mypy(tmp_path: Path, *args: str) -> str:
    stdout, stderr, status = mypy_api.run(["--strict", "--cache-dir", str(tmp_path / "mypy-cache"), *args])
    assert status in (0, 1), stderr
    return stdout


def test_py_typed_ships_with_the_package():
    assert (PROJECT_ROOT / "release_lint" / "py.typed").is_file()
    assert '"py.typed"' in (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_public_api_passes_mypy_strict_and_lint_returns_result(tmp_path, monkeypatch):
    monkeypatch.chdir(PROJECT_ROOT)  # mypy finds release_lint here (installed, it finds py.typed)
    public = ["release_lint/__init__.py", "release_lint/api.py", "release_lint/findings.py"]
    assert _mypy(tmp_path, "--follow-imports=silent", *public).strip().endswith("Success: no issues found in 3 source files")
    user = tmp_path / "user.py"
    user.write_text(USER_CODE, encoding="utf-8")
    output = _mypy(tmp_path, "--follow-imports=silent", str(user))
    assert 'Revealed type is "release_lint.findings.Result"' in output
    assert re.search(r'user\.py:5: note: Revealed type is "(?:(?:builtins\.)?int \| None|Union\[builtins\.int, None\])"', output)
    assert 'Revealed type is "release_lint.findings.Finding"' in output
    assert " error: " not in output.replace("note:", "")
