"""Accuracy and cost of licence identification on the texts in tests/data/licenses.

Run from the project root: ``python bench/licenses.py``. Prints, per text, the identified id, the
confidence and the time; then the cold cost (first identification in a fresh process) and warm cost.
Also measures every database reference text against its own near neighbours (CC variants).
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

started = time.perf_counter()
from release_lint.detectors import license_ids  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "data", "licenses")


def main() -> None:
    print(f"import: {1000 * (time.perf_counter() - started):.1f} ms")
    for name in sorted(os.listdir(DATA)):
        with open(os.path.join(DATA, name), encoding="utf-8") as handle:
            text = handle.read()
        begin = time.perf_counter()
        found = license_ids.identify_text(text)
        elapsed = 1000 * (time.perf_counter() - begin)
        info = license_ids.license_info(found.license_id) if found.license_id else None
        print(f"{name:32} {str(found.license_id):48} {found.confidence:.3f} {found.method:9} closest={found.closest}"
              f" {found.closest_score:.3f} {elapsed:6.1f} ms  {info.category if info else '-'}"
              f" {','.join(info.restrictions) if info else ','.join(license_ids.clause_types(text))}")
    # Discrimination between near-identical database texts: each against the others.
    keys = ["cc-by-4.0", "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cc-by-sa-4.0", "cc-by-nd-4.0", "cc-by-nc-nd-4.0",
            "bigscience-open-rail-m", "bigcode-open-rail-m-v1", "stable-diffusion-2022-08-22", "mit", "mit-0", "isc"]
    refs = [license_ids.load_reference(k) for k in keys]
    worst = max((license_ids._dice(a.grams, b.grams), a.key, b.key) for a in refs for b in refs if a is not b)
    print(f"closest pair of distinct references: {worst[1]} ~ {worst[2]} dice={worst[0]:.3f}")


if __name__ == "__main__":
    main()


def cross_check() -> None:
    """Each near-identical database text, rewrapped, must be identified as itself."""
    import textwrap

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts"))
    from build_license_index import database_dir  # the source database: the dev extra installs it

    for key in ["cc-by-4.0", "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cc-by-sa-4.0", "cc-by-nd-4.0", "cc-by-nc-nd-4.0",
                "cc-by-3.0", "cc-by-nc-3.0", "bigscience-open-rail-m", "bigcode-open-rail-m-v1", "bigscience-rail-1.0",
                "llama-2-license-2023", "mit-0", "isc", "bsd-simplified", "mpl-2.0", "lgpl-3.0", "agpl-3.0", "odbl-1.0",
                "cdla-permissive-2.0", "cc0-1.0", "unlicense", "gpl-2.0"]:
        path = os.path.join(database_dir(), key + ".LICENSE")
        raw = open(path, encoding="utf-8").read()
        body = raw[raw.find("\n---", 3) + 4:]
        text = "\n\n".join(textwrap.fill(" ".join(p.split()), 66) for p in body.split("\n\n"))
        found = license_ids.identify_text("Copyright 2024 Example Lab\n\n" + text)
        ok = found.license_id == license_ids.load_reference(key).license_id
        print(f"  {'ok ' if ok else 'BAD'} {key:28} -> {found.license_id} {found.confidence}")


if __name__ == "__main__":
    cross_check()
