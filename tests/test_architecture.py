"""The layers import one way: the import contract in pyproject.toml holds, and it places every module."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import release_lint

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def test_import_contract_is_kept():
    # `lint-imports` is the console script of import-linter; its click command is run with this interpreter so the
    # check needs no PATH (the project is analysed from the root, where pyproject.toml names the contract), and
    # without its cache, which it would write into the checkout.
    run = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
                          "--no-cache"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 1 kept, 0 broken." in run.stdout


def test_every_module_of_the_package_has_a_layer():
    """A new top-level module must be placed in the order, or the contract says nothing about it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
    placed = {name.strip() for layer in contract["layers"] for name in layer.split("|")}
    modules = {f"release_lint.{m.name}" for m in pkgutil.iter_modules(release_lint.__path__)} - {"release_lint.__main__"}
    assert sorted(modules - placed) == []
    assert sorted(placed - modules) == []
