"""Time and peak memory of release-lint on each hostile repository of tests/hostile_cases.py.

    python bench/hostile.py            # every case
    python bench/hostile.py D5 D8      # cases whose name starts with these

Each case is built in a temporary folder and linted once by the whole CLI in its own process
(``--format json``, every rule), under a 1 GiB address-space limit and 30 s of CPU. Printed per case:
wall time, CPU time and peak resident memory (``os.wait4``), the exit code and the finding codes. The
target is under 5 s and 500 MB each; a row over it is marked ``OVER``. Nothing here is asserted by
the tests: they check what each run produces, and the bound holds by design (linear parsers, caps).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import List

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from tests.hostile_cases import CASES, describe, run_limited  # noqa: E402

TARGET_SECONDS = 5.0
TARGET_MB = 500.0


def main(prefixes: List[str]) -> int:
    chosen = [name for name in CASES if not prefixes or any(name.startswith(p) for p in prefixes)]
    print(f"{'case':34} {'exit':>4} {'wall s':>7} {'cpu s':>7} {'peak MB':>8}  findings")
    over = 0
    for name in chosen:
        folder = tempfile.mkdtemp(prefix="hostile-")
        try:
            root = Path(folder) / "repo"
            root.mkdir()
            extra = CASES[name](root)
            run = run_limited([*extra, "--format", "json", str(root)], cwd=folder)
            try:
                codes = describe(json.loads(run.stdout))
            except ValueError:
                codes = run.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
                codes = codes[0][:60]
            flag = "OVER" if run.seconds > TARGET_SECONDS or run.peak_mb > TARGET_MB or run.exit_code is None else ""
            over += bool(flag)
            print(f"{name:34} {run.exit_code if run.exit_code is not None else 'kill':>4} {run.seconds:7.2f} "
                  f"{run.cpu_seconds:7.2f} {run.peak_mb:8.1f}  {codes} {flag}", flush=True)
        finally:
            for directory, folders, _files in os.walk(folder):
                for sub in folders:
                    os.chmod(os.path.join(directory, sub), 0o755)
            shutil.rmtree(folder, ignore_errors=True)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
