"""Rebuild ``release_lint/data/license-index.json.gz`` from ScanCode's licence database.

The matcher in ``release_lint.detectors.license_ids`` compares a licence file with the texts of
``REFERENCE_KEYS`` as sets of word pairs. Shipping the whole database (the ``licensedcode-data``
package, 169 MB installed) for about 60 texts made every install heavy, so the texts are reduced here,
at development time, to what the matcher reads: per licence its id, name, ScanCode category, the size
of the database file (the matcher's size pre-filter), the set of word pairs (bigrams) of its normalised
text and the pairs of its opening words (the matcher's cheap pre-filter). Sets of word pairs identify a
text without being a copy of it.

Usage, from the project root with the ``dev`` extra installed (``pip install -e '.[dev]'``)::

    python scripts/build_license_index.py          # rewrite the shipped index
    python scripts/build_license_index.py --check  # exit 1 when the shipped index differs from a rebuild
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from typing import Dict, Optional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from release_lint.detectors import license_ids  # noqa: E402

INDEX_PATH = os.path.join(ROOT, "release_lint", "data", license_ids.INDEX_NAME)
SOURCE_PACKAGE = "licensedcode-data"
_FIELD_RE = re.compile(r"^(key|short_name|name|category|spdx_license_key):\s*(.*?)\s*$")


def database_dir() -> Optional[str]:
    """The ``licenses`` folder of the installed licensedcode-data package, or None."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("licensedcode")
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = os.path.join(location, "data", "licenses")
        if os.path.isdir(candidate):
            return candidate
    return None


def source_version() -> str:
    from importlib.metadata import version

    return version(SOURCE_PACKAGE)


def read_license(folder: str, key: str) -> Dict[str, object]:
    """One database licence: the fields of its YAML front matter (read by regex) and its body's words."""
    path = os.path.join(folder, key + ".LICENSE")
    with open(path, encoding="utf-8") as handle:
        raw = handle.read()
    fields: Dict[str, str] = {}
    text = raw
    if raw.startswith("---"):
        end = raw.find("\n---", 3)
        if end > 0:
            for line in raw[3:end].splitlines():
                match = _FIELD_RE.match(line)
                if match:
                    fields.setdefault(match.group(1), match.group(2))
            text = raw[end + 4 :]
    head = license_ids.words(text[:1500])
    opening = {f"{a} {b}" for a, b in zip(head, head[1 : license_ids.OPENING_WORDS + 1])}
    return {
        "id": fields.get("spdx_license_key") or f"LicenseRef-scancode-{key}",
        "name": fields.get("name", key),
        "category": fields.get("category", ""),
        "size": os.stat(path).st_size,
        "pairs": sorted(license_ids.bigrams(license_ids.words(text))),
        "opening": sorted(opening),
    }


def build_index(folder: str, version: str) -> Dict[str, object]:
    licenses = {}
    for key in license_ids.REFERENCE_KEYS:
        if os.path.exists(os.path.join(folder, key + ".LICENSE")):
            licenses[key] = read_license(folder, key)
    return {
        "format": license_ids.INDEX_FORMAT,
        "source": SOURCE_PACKAGE,
        "source_version": version,
        "source_license": "CC-BY-4.0",
        "licenses": licenses,
    }


def encode(index: Dict[str, object]) -> bytes:
    """Deterministic bytes: sorted keys and a zero gzip timestamp, so a rebuild is byte-identical."""
    data = json.dumps(index, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return gzip.compress(data, compresslevel=9, mtime=0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped index instead of writing it")
    args = parser.parse_args(argv)
    folder = database_dir()
    if folder is None:
        print(f"build_license_index: {SOURCE_PACKAGE} is not installed (pip install -e '.[dev]')", file=sys.stderr)
        return 2
    index = build_index(folder, source_version())
    if args.check:
        with gzip.open(INDEX_PATH, "rt", encoding="utf-8") as handle:
            shipped = json.load(handle)
        if shipped != index:
            print(f"build_license_index: {INDEX_PATH} differs from a rebuild; run this script", file=sys.stderr)
            return 1
        print(f"build_license_index: shipped index matches {SOURCE_PACKAGE} {index['source_version']}")
        return 0
    os.makedirs(os.path.dirname(INDEX_PATH), exist_ok=True)
    with open(INDEX_PATH, "wb") as handle:
        handle.write(encode(index))
    print(f"build_license_index: wrote {len(index['licenses'])} licences from {SOURCE_PACKAGE} "
          f"{index['source_version']} ({os.path.getsize(INDEX_PATH)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
