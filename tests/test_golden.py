"""Every example repository gives, byte for byte, its recorded findings, keys, fingerprints and verdict.

When a change alters them on purpose: ``python -m tests.golden --update`` and say why in the commit.
"""

from __future__ import annotations

import pytest

from tests.golden import GOLDEN, fixture_names, render, snapshot


@pytest.mark.parametrize("name", fixture_names())
def test_fixture_output_matches_its_golden_file(name, tmp_path):
    golden = GOLDEN / f"{name}.json"
    assert golden.is_file(), f"no golden file for fixtures/{name}: run python -m tests.golden --update {name}"
    assert render(snapshot(name, tmp_path)) == golden.read_text(encoding="utf-8")


def test_every_golden_file_has_its_fixture():
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == fixture_names()
