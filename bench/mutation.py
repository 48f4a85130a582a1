"""Mutation check of the test suite: does some test fail when a rule's feature is removed or made noisy?

    PYTHONPATH=$PWD python bench/mutation.py                    # every rule, every mutation (~20 min)
    PYTHONPATH=$PWD python bench/mutation.py LIC003 CARD        # some codes or code prefixes
    PYTHONPATH=$PWD python bench/mutation.py --kinds remove     # one kind of mutation

For each rule and each kind of mutation it runs pytest on ``tests/test_precision.py`` and the rule's area
module (``tests/test_<area>.py``) with that rule's ``check`` replaced in the registry:

- ``remove``: the check yields nothing (the feature removed): some firing test must fail;
- ``repo``:   the check yields one repository-level finding on every repository: some silent test must fail;
- ``files``:  the check yields one finding on every file of the release: some silent test must fail;
- ``first``:  only the first finding of the real check is kept: some test must count every finding;
- ``noline``: the real check's findings lose their line numbers: some test must assert the lines.

A mutation "survives" when every selected test still passes. The replacement is done by this same module
loaded as a pytest plugin (``-p bench.mutation``) reading ``RELEASE_LINT_MUTANT=CODE:KIND``; nothing in
``release_lint/`` changes. The run prints one line per rule and a table of survivors at the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KINDS = ("remove", "repo", "files")
# Finer mutations, run on request (--kinds first,noline): an equivalent mutant (a rule that never reports
# more than one finding, or never a line) survives them by design, so read their survivors by hand.
FINE_KINDS = ("first", "noline")
ENV_VAR = "RELEASE_LINT_MUTANT"


def _mutant_check(kind: str, original):
    from release_lint.findings import Problem

    if kind == "first":
        return lambda ctx: iter(list(original(ctx) or ())[:1])
    if kind == "noline":
        return lambda ctx: iter([dataclasses.replace(p, line=None) for p in original(ctx) or ()])
    if kind == "remove":
        return lambda ctx: iter(())
    if kind == "repo":
        return lambda ctx: iter([Problem("mutant finding on the repository")])
    if kind == "files":
        return lambda ctx: iter([Problem("mutant finding on a file", path=p, key=p) for p in ctx.repo.files])
    raise ValueError(f"unknown mutation kind {kind!r}")


def pytest_configure(config):  # pytest plugin hook: install the mutant named by the environment
    wanted = os.environ.get(ENV_VAR)
    if not wanted:
        return
    code, kind = wanted.split(":")
    from release_lint import registry

    registry.all_rules()  # load every rule module before replacing one
    original = registry._RULES[code]
    registry._RULES[code] = dataclasses.replace(original, check=_mutant_check(kind, original.check))


def run_one(code: str, area: str, kind: str) -> bool:
    """True when the mutant is killed (some test failed)."""
    tests = ["tests/test_precision.py", f"tests/test_{area}.py"]
    env = dict(os.environ, **{ENV_VAR: f"{code}:{kind}"})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH", "")]))
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "bench.mutation",
               "-m", "not precommit", *tests]
    completed = subprocess.run(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"pytest failed to run for {code}:{kind} (exit {completed.returncode})")
    return completed.returncode == 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("codes", nargs="*", help="rule codes or code prefixes (default: all)")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, of {', '.join(KINDS + FINE_KINDS)}")
    args = parser.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    sys.path.insert(0, str(PROJECT_ROOT))
    from release_lint.registry import all_rules

    rules = [r for r in all_rules() if not args.codes or any(r.code.startswith(c.upper()) for c in args.codes)]
    survivors = []
    for rule in rules:
        started = time.perf_counter()
        outcome = []
        for kind in kinds:
            killed = run_one(rule.code, rule.area, kind)
            outcome.append(f"{kind}={'killed' if killed else 'SURVIVED'}")
            if not killed:
                survivors.append((rule.code, rule.name, kind))
        print(f"{rule.code:9} {rule.name:34} {' '.join(outcome)}  ({time.perf_counter() - started:.0f} s)", flush=True)
    print(f"\n{len(survivors)} surviving mutation(s) of {len(rules) * len(kinds)}")
    for code, name, kind in survivors:
        print(f"  {code:9} {name:34} {kind}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
