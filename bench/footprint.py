"""Installed footprint and first-run time of release-lint in a fresh virtualenv.

    python bench/footprint.py            # install this checkout and its runtime dependencies
    python bench/footprint.py --keep     # also print the virtualenv's path and keep it

Creates a virtualenv in a temporary folder, ``pip install``s the project from this checkout (not
editable, so the installed files are what a user gets), then reports:

- the size on disk of every installed distribution except the virtualenv's own pip and setuptools
  (files listed in each distribution's RECORD, plus byte-code pip compiled for them): release-lint and
  its runtime dependencies, the number the issue's 30 MB target is about;
- the install time (downloads come from pip's cache after the first run);
- the time of the first run (``release-lint fixtures/weights-only``: a cold interpreter, nothing
  imported before) and of a second one, and of ``release-lint --version``.

Timings are for reading, never asserted: the tests do not time anything.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = {"pip", "setuptools", "wheel"}  # what `python -m venv` brings; not release-lint's footprint

SIZES = r"""
import json, os, sys
from importlib import metadata
sizes = {}
for dist in metadata.distributions():
    name = dist.metadata["Name"]
    total = 0
    folders = set()
    for item in dist.files or ():
        path = str(item.locate())
        if os.path.isfile(path):
            total += os.path.getsize(path)
            folders.add(os.path.dirname(path))
    # byte-code compiled at install time is not in RECORD: count each package folder's __pycache__
    for folder in folders:
        cache = os.path.join(folder, "__pycache__")
        if os.path.isdir(cache) and not any(os.path.dirname(str(f.locate())) == cache for f in dist.files or ()):
            total += sum(os.path.getsize(os.path.join(cache, n)) for n in os.listdir(cache))
    sizes[name] = total
json.dump(sizes, sys.stdout)
"""


def _timed(command, **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the virtualenv and print its path")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="release-lint-footprint-")
    venv = os.path.join(workdir, "venv")
    try:
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        python = os.path.join(venv, "bin", "python")
        build = os.path.join(workdir, "src")  # a copy, so the build leaves nothing in the checkout
        shutil.copytree(ROOT, build, ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__"))
        install = _timed([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", build])
        # the licence index must be in the installed package: without it no licence text is identified
        subprocess.run([python, "-c", "from release_lint.detectors.license_ids import license_index as i; "
                        "assert i()['licenses'], 'licence index missing from the installed package'"], check=True)
        sizes = json.loads(subprocess.run([python, "-c", SIZES], check=True, capture_output=True, text=True).stdout)
        ours = {name: size for name, size in sizes.items() if name.lower() not in BASE}
        print("installed distributions (release-lint and its runtime dependencies):")
        for name, size in sorted(ours.items(), key=lambda item: -item[1]):
            print(f"  {size / 1e6:8.2f} MB  {name}")
        print(f"  {sum(ours.values()) / 1e6:8.2f} MB  total (pip and setuptools of the virtualenv not counted)")
        print(f"install: {install:.1f} s")
        command = [os.path.join(venv, "bin", "release-lint"), "--exit-zero", os.path.join(ROOT, "fixtures", "weights-only")]
        print(f"first run on fixtures/weights-only: {_timed(command):.2f} s")
        print(f"second run: {_timed(command):.2f} s")
        print(f"release-lint --version: {_timed([command[0], '--version']):.2f} s")
        if args.keep:
            print(f"virtualenv kept: {venv}")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
