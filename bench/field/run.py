"""Field test: re-run release-lint on real public model repositories and compare with a hand-made audit.

    python bench/field/run.py --mirrors DIR            # re-run the tool on every listed repository
    python bench/field/run.py                          # figures from the recorded verdicts only
    RELEASE_LINT_FIELD_MIRRORS=DIR python bench/field/run.py
    python bench/field/run.py --mirrors DIR --only karpathy/nanoGPT --keep OUT   # keep the checked-out trees

The repositories themselves are never part of this project. ``DIR`` holds git mirrors of them, one per
repository, found as ``DIR/owner+name/repo``, ``DIR/owner+name``, ``DIR/owner/name`` or
``DIR/owner/name.git`` (bare or not). For each repository of ``repos.toml`` the listed commit is written
into a temporary folder from git objects (no checkout, no hooks, no filters, nothing of the repository is
run; blobs missing from a partial mirror are written as empty files and counted), release-lint runs on it (or on the
listed ``subdir``) with ``--format json --exit-zero``, and its area grades and error/warning findings are
compared with ``verdicts.csv``:

- grade agreement: area grades equal to the audit's grade;
- missing-vs-not agreement: both say ``absent``, or both say something else;
- false-alarm rate: error/warning findings judged false alarms, over all error/warning findings, on the
  repositories marked ``fully_open``;
- what changed since the audit: grades that moved (towards the audit or away from it), false alarms gone,
  misses found, correct findings lost (regressions), and new findings the audit has not judged yet.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
AREAS = ("licensing", "data", "recipe", "environment", "infrastructure")
SEVERE = ("error", "warning")
SECTION_RE = re.compile(r"\bno (.+?) section\b")


def load_repos(path: Path = HERE / "repos.toml") -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["repo"]


def load_verdicts(path: Path = HERE / "verdicts.csv") -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def find_git_dir(mirrors: Path, name: str) -> Path | None:
    owner, repo = name.split("/", 1)
    for candidate in (mirrors / f"{owner}+{repo}" / "repo", mirrors / f"{owner}+{repo}",
                      mirrors / owner / repo, mirrors / owner / f"{repo}.git"):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
        if (candidate / ".git").is_dir():
            return candidate / ".git"
    return None


def git(git_dir: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    # Only plumbing commands on the object database: no work tree, no hooks, no filters, no pager.
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0"}
    return subprocess.run(["git", "--git-dir", str(git_dir), *args], env=env, capture_output=True, **kwargs)


def write_tree(git_dir: Path, commit: str, destination: Path) -> list[str]:
    """Write the tree of ``commit`` into ``destination``; return the paths whose blobs the mirror lacks."""
    listing = git(git_dir, "ls-tree", "-r", "-z", "--full-tree", commit, check=True).stdout
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, sha = meta.split()
        path = raw_path.decode("utf-8", "surrogateescape")
        if path.startswith("/") or ".." in Path(path).parts:
            continue
        entries.append((mode.decode(), kind.decode(), sha.decode(), path))
    missing = []
    with subprocess.Popen(["git", "--git-dir", str(git_dir), "cat-file", "--batch"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE) as batch:
        for mode, kind, sha, path in entries:
            target = destination / path
            if kind == "commit":  # a submodule: an empty folder, as git archive writes it
                target.mkdir(parents=True, exist_ok=True)
                continue
            batch.stdin.write(sha.encode() + b"\n")
            batch.stdin.flush()
            header = batch.stdout.readline().split()
            if len(header) < 3:  # "<sha> missing": a partial mirror left this (large) blob out
                missing.append(path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(b"")  # keep the path, so links and file lists stay as in the real tree
                continue
            data = batch.stdout.read(int(header[2]))
            batch.stdout.read(1)
            target.parent.mkdir(parents=True, exist_ok=True)
            if mode == "120000":
                target.symlink_to(data.decode("utf-8", "surrogateescape"))
            else:
                target.write_bytes(data)
        batch.stdin.close()
    return missing


def run_tool(root: Path) -> dict:
    completed = subprocess.run([sys.executable, "-m", "release_lint", "--format", "json", "--exit-zero", str(root)],
                               cwd=PROJECT, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"release-lint failed on {root}: {completed.stderr[-500:]}")
    return json.loads(completed.stdout)


def finding_item(finding: dict) -> str:
    where = finding.get("path") or "-"
    if finding.get("line"):
        where += f":{finding['line']}"
    return f"{finding['code']} {where}"


def observed(document: dict, placeholders: frozenset[str] = frozenset()) -> dict[str, str]:
    """item -> what the tool says: 'grade:AREA' -> grade; 'CODE path:line [section]' -> severity.

    Findings about a placeholder (a blob the mirror lacked, written empty) say nothing about the real
    repository and are left out."""
    items = {f"grade:{area}": document["openness"]["areas"][area]["grade"] for area in AREAS}
    for finding in document["findings"]:
        if finding["severity"] in SEVERE and finding.get("path") not in placeholders:
            item = finding_item(finding)
            section = SECTION_RE.search(finding["message"]) if finding["code"] == "CARD004" else None
            if section:  # one CARD004 finding per missing section, all on the same path and line
                item += f" [{section.group(1)}]"
            while item in items:  # any other same-place findings stay apart
                item += "+"
            items[item] = finding["severity"]
    return items


# Findings that report something missing: their path and line only say where the tool anchors the
# report (the card, the first hardware statement, the first data source), not what is wrong.
ANCHORED_CODES = frozenset({"CARD004", "CARD005", "DATA001", "DATA002", "DATA004", "ENV001",
                            "HW001", "HW002", "HW003", "HW004"})


def split_item(item: str) -> tuple[str, str, str]:
    """'CODE path:line [section]' -> (code, path without line, section)."""
    code, _, rest = item.rstrip("+").partition(" ")
    where, _, section = rest.partition(" [")
    return code, re.sub(r":\d+$", "", where), section


def match_moved(recorded: list[dict], today: dict[str, str]) -> dict[str, str]:
    """Judged finding item -> today's item when the same finding only moved (see README "Matching").

    A judged finding the tool no longer reports at its item is paired, one to one and in file order, with an
    unjudged finding of today that has the same code (and CARD004 section) and either the same path (only
    the line moved) or, for a code in ANCHORED_CODES or a judged item without a path (``CODE -``, which
    includes the audit's misses), any path of the same repository."""
    judged = {r["item"] for r in recorded}
    fresh = [item for item in today if item not in judged and not item.startswith("grade:")]
    pairs: dict[str, str] = {}
    for row in recorded:
        item = row["item"]
        if item.startswith("grade:") or item in today:
            continue
        code, path, section = split_item(item)
        for same_path in (True, False):
            candidate = next((new for new in fresh if split_item(new)[0] == code and split_item(new)[2] == section
                              and (split_item(new)[1] == path if same_path else code in ANCHORED_CODES or path == "-")),
                             None)
            if candidate:
                pairs[item] = candidate
                fresh.remove(candidate)
                break
    return pairs


def figures(rows: list[dict], repos: list[dict]) -> dict:
    fully_open = {r["name"] for r in repos if r.get("fully_open")}
    grades = [r for r in rows if r["item"].startswith("grade:")]
    agree = sum(r["tool_says"] == r["audit_says"] for r in grades)
    absent_agree = sum((r["tool_says"] == "absent") == (r["audit_says"] == "absent") for r in grades)
    severe = [r for r in rows if not r["item"].startswith("grade:") and r["tool_says"] in SEVERE
              and r["repository"] in fully_open]
    false_alarms = sum(r["judgement"] == "false-alarm" for r in severe)
    all_findings = [r for r in rows if not r["item"].startswith("grade:")]
    return {
        "repositories": len({r["repository"] for r in rows}),
        "grade_cells": len(grades),
        "grade_agreement": agree / len(grades) if grades else 0.0,
        "missing_vs_not_agreement": absent_agree / len(grades) if grades else 0.0,
        "fully_open_findings": len(severe),
        "fully_open_false_alarms": false_alarms,
        "fully_open_false_alarm_rate": false_alarms / len(severe) if severe else 0.0,
        "findings_judged": sum(r["tool_says"] in SEVERE for r in all_findings),
        # Only findings the tool still reports: a false alarm that went away is no longer one.
        "false_alarms_all": sum(r["judgement"] == "false-alarm" and r["tool_says"] in SEVERE for r in all_findings),
        "misses_all": sum(r["judgement"] == "miss" for r in all_findings),
    }


def rerun(mirrors: Path, repos: list[dict], verdicts: list[dict], keep: Path | None) -> tuple[list[dict], list[str]]:
    """Re-run the tool; return the verdict rows with today's tool output, and the disagreements."""
    by_repo: dict[str, list[dict]] = {}
    for row in verdicts:
        by_repo.setdefault(row["repository"], []).append(row)
    rows, notes = [], []
    for repo in repos:
        name = repo["name"]
        git_dir = find_git_dir(mirrors, name)
        if git_dir is None:
            print(f"note: {name}: no mirror under the given folder, skipped")
            continue
        with tempfile.TemporaryDirectory(prefix="field-") as tmp:
            tree = (keep / name.replace("/", "+")) if keep else Path(tmp) / "tree"
            tree.mkdir(parents=True, exist_ok=True)
            missing = write_tree(git_dir, repo["commit"], tree)
            if missing:
                print(f"note: {name}: {len(missing)} blob(s) absent from the mirror, written as empty files")
            subdir = repo.get("subdir", "")
            inside = frozenset(p[len(subdir) + 1:] if subdir else p for p in missing)
            today = observed(run_tool(tree / subdir), inside)
        recorded = by_repo.get(name, [])
        moved = match_moved(recorded, today)
        judged = {r["item"] for r in recorded} | set(moved.values())
        for row in recorded:
            now = today.get(moved.get(row["item"], row["item"]), "-")
            if row["item"] in moved:
                notes.append(f"{name}: {row['item']}: same finding, reported at {moved[row['item']].split(' ', 1)[1]}")
            item, audit, before = row["item"], row["audit_says"], row["tool_says"]
            if item.startswith("grade:"):
                if now != before:
                    verdict = "now equal to the audit" if now == audit else "still differs" if before != audit else "REGRESSION"
                    notes.append(f"{name}: {item} was {before}, now {now} (audit {audit}): {verdict}")
                rows.append({**row, "tool_says": now})
                continue
            judgement = row["judgement"]
            if before != "-" and now == "-":
                if judgement == "false-alarm":
                    notes.append(f"{name}: {item}: false alarm gone")
                else:
                    notes.append(f"{name}: {item}: correct finding gone, REGRESSION (now a miss)")
                    judgement = "miss"
            elif before == "-" and now != "-":
                notes.append(f"{name}: {item}: miss now found")
                judgement = "correct"
            rows.append({**row, "tool_says": now, "judgement": judgement})
        for item, severity in sorted(today.items()):
            if item not in judged:
                notes.append(f"{name}: new {severity} {item}, not judged by the audit: judge it and add it to verdicts.csv")
    return rows, notes


def print_figures(result: dict) -> None:
    print(f"repositories judged: {result['repositories']}")
    print(f"area grades equal to the audit: {result['grade_agreement']:.1%} of {result['grade_cells']}")
    print(f"missing-vs-not agreement: {result['missing_vs_not_agreement']:.1%}")
    print(f"false alarms among error/warning findings on fully open releases: "
          f"{result['fully_open_false_alarms']}/{result['fully_open_findings']} "
          f"= {result['fully_open_false_alarm_rate']:.1%}")
    print(f"all repositories: {result['false_alarms_all']} false alarms among {result['findings_judged']} "
          f"error/warning findings; {result['misses_all']} misses")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, default=os.environ.get("RELEASE_LINT_FIELD_MIRRORS"),
                        help="folder of git mirrors (or RELEASE_LINT_FIELD_MIRRORS); without it, recorded figures")
    parser.add_argument("--only", action="append", help="owner/name to re-run (repeatable)")
    parser.add_argument("--keep", type=Path, help="write the trees here instead of a temporary folder")
    args = parser.parse_args(argv)
    repos = load_repos()
    verdicts = load_verdicts()
    if args.only:
        repos = [r for r in repos if r["name"] in args.only]
        verdicts = [v for v in verdicts if v["repository"] in args.only]
    if not args.mirrors:
        # Rows judged after the audit (judged_at set) are findings of a later tool: left out here.
        print("recorded audit (no mirrors given):")
        print_figures(figures([v for v in verdicts if not v.get("judged_at")], repos))
        return 0
    rows, notes = rerun(Path(args.mirrors), repos, verdicts, args.keep)
    print("today's tool against the recorded audit:")
    print_figures(figures(rows, repos))
    heldout = {r["name"] for r in repos if r.get("heldout")}
    if heldout and any(r["repository"] in heldout for r in rows):
        print("\nof which the repositories the tool was tuned on:")
        print_figures(figures([r for r in rows if r["repository"] not in heldout], repos))
        print("\nof which the held-out sample (judged before the tool was tuned on it; fixes made since count here):")
        print_figures(figures([r for r in rows if r["repository"] in heldout], repos))
    known = sum(r["item"].startswith("grade:") and r["tool_says"] != r["audit_says"] for r in rows)
    print(f"\n{known} area grade(s) differ from the audit (as recorded); changes since the audit: {len(notes)}")
    for note in notes:
        print(f"  {note}")
    print_standing(rows, repos)
    return 0


def print_standing(rows: list[dict], repos: list[dict]) -> None:
    """What is still wrong today: grades that differ, false alarms still reported, misses still missed."""
    fully_open = {r["name"] for r in repos if r.get("fully_open")}
    grades = [r for r in rows if r["item"].startswith("grade:") and r["tool_says"] != r["audit_says"]]
    alarms = [r for r in rows if not r["item"].startswith("grade:") and r["judgement"] == "false-alarm"
              and r["tool_says"] in SEVERE]
    misses = [r for r in rows if not r["item"].startswith("grade:") and r["judgement"] == "miss"]
    print(f"\nstanding: {len(grades)} grade(s) differ, {len(alarms)} false alarm(s) still reported, "
          f"{len(misses)} miss(es)")
    for label, chosen in (("grade differs", grades), ("false alarm", alarms), ("miss", misses)):
        for row in chosen:
            mark = " (fully open)" if row["repository"] in fully_open else ""
            print(f"  {label}: {row['repository']}{mark}: {row['item']} tool {row['tool_says']}, "
                  f"audit {row['audit_says']}: {row['evidence']}")


if __name__ == "__main__":
    sys.exit(main())
