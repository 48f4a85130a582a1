"""The field test's records (bench/field) stay readable: every verdict row has the documented columns and
values and names a listed repository and commit, so a bad merge or a hand edit cannot skew the figures."""

from __future__ import annotations

import csv
from pathlib import Path

from release_lint.filereads import parse_toml

FIELD = Path(__file__).resolve().parent.parent / "bench" / "field"
COLUMNS = ["repository", "commit", "item", "tool_says", "audit_says", "judgement", "evidence", "judged_at"]
GRADES = {"absent", "partial", "present", "-"}


def test_every_verdict_row_is_well_formed():
    repos = {r["name"]: r["commit"] for r in parse_toml((FIELD / "repos.toml").read_text(encoding="utf-8"))["repo"]}
    with (FIELD / "verdicts.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == COLUMNS
        rows = list(reader)
    assert rows
    for number, row in enumerate(rows, 2):
        assert len(row) in (7, 8), f"line {number}: {len(row)} fields"
        repository, commit, item, tool_says, audit_says, judgement, evidence = row[:7]
        assert repos.get(repository) == commit, f"line {number}: {repository} {commit} is not in repos.toml"
        assert judgement in ("correct", "false-alarm", "miss"), f"line {number}: {judgement}"
        assert evidence.strip(), f"line {number}: no evidence"
        if item.startswith("grade:"):
            assert item.split(":", 1)[1] in ("licensing", "data", "recipe", "environment", "infrastructure")
            assert tool_says in GRADES and audit_says in GRADES - {"-"}, f"line {number}"
        else:
            assert tool_says in ("error", "warning", "info", "-"), f"line {number}: {tool_says}"
            assert audit_says in ("should fire", "should not fire"), f"line {number}: {audit_says}"
