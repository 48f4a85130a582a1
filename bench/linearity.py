"""How the cost of each text parser grows with its input: 10x the input should cost about 10x the time.

    python bench/linearity.py            # every case; exits 1 when one grows faster than GROWTH_LIMIT

Each case is a pathological motif (the shapes that once made a parser backtrack or loop) repeated into a
small and a ten times larger input. The tests run the same inputs for correctness only and time nothing;
this script is where their speed is measured.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from release_lint.detectors.bom import _clean, parse_energy  # noqa: E402
from release_lint.detectors.card_content import normalise_title  # noqa: E402
from release_lint.detectors.data_documentation import _DATA_ROW_RE, DATA_SCALE_RE  # noqa: E402
from release_lint.detectors.dependency_files import PER_REQUIREMENT_OPTION_RE, parse_requirements  # noqa: E402
from release_lint.detectors.entry_points import LM_EVAL_CONFIG_RE  # noqa: E402
from release_lint.detectors.environment import SPEC_STRING_RE  # noqa: E402
from release_lint.rules.licensing import _README_CLAUSE_RES  # noqa: E402
from release_lint.detectors.hardware_statements import extract_hardware  # noqa: E402
from release_lint.detectors.hyperparameters import extract_hyperparameter_keys  # noqa: E402
from release_lint.mdparse import extract_links, parse_markdown  # noqa: E402
from release_lint.textindex import TABLE_DELIMITER_RE  # noqa: E402

GROWTH_LIMIT = 30  # 10x the input in under 30x the time: linear with room for noise, far from quadratic


def _links(unit, repeats):
    extract_links([unit * repeats])


def _bom_text(unit, repeats):
    _clean(unit * repeats)


def _data_scale(unit, repeats):
    DATA_SCALE_RE.search("1" + unit * repeats + "x")


def _titles(unit, repeats):
    normalise_title("a" + unit * repeats + "x")


def _pseudo_headings(unit, repeats):
    parse_markdown("**a**" + unit * repeats + "x").section_headings()


def _requirements(unit, repeats):
    parse_requirements(unit * repeats)


def _hardware(unit, repeats):
    extract_hardware([(n, unit * 200) for n in range(1, repeats + 1)], "x.md")


def _hyperparameters(unit, repeats):
    lines = [(n, unit * 4) for n in range(1, repeats + 1)]
    extract_hyperparameter_keys(lines, style="python")
    extract_hyperparameter_keys(lines, style="markdown")


def _config_lines(unit, repeats):
    LM_EVAL_CONFIG_RE.search(unit * repeats)
    PER_REQUIREMENT_OPTION_RE.sub("", unit * repeats)


def _version_pins_and_thresholds(unit, repeats):
    list(SPEC_STRING_RE.finditer("a" + unit * repeats))
    _README_CLAUSE_RES["user threshold"].search(unit * repeats)


def _energy(unit, repeats):
    parse_energy(unit * repeats)


def _table_lines(unit, repeats):
    _DATA_ROW_RE.match(unit * repeats)
    TABLE_DELIMITER_RE.match(unit * repeats)


CASES = [
    *[("energy / CO2", _energy, unit, 1_000) for unit in ("1", "1,", "1.5 ")],
    *[("table rows", _table_lines, unit, 1_000) for unit in (" ", "| ", " -")],
    *[("config lines", _config_lines, unit, 5_000) for unit in (" " * 20 + "\n", " ", " \t")],
    *[("pins, thresholds", _version_pins_and_thresholds, unit, 2_000) for unit in (" ", "1", "[]")],
    *[("links", _links, unit, 5_000) for unit in ("[", "[a](", "``", "![", "<!--")],
    *[("pseudo-heading", _pseudo_headings, unit, 1_000) for unit in (" ", "\t")],
    *[("data scale", _data_scale, unit, 5_000) for unit in ("1.", "1,", " ", "-", " 1")],
    *[("heading titles", _titles, unit, 20_000) for unit in (".", " ", "-", " / ", "[optional] ")],
    *[("BOM card text", _bom_text, unit, 20_000) for unit in ("[", "[a](", "](", "a_")],
    *[("requirements", _requirements, unit, 200)
      for unit in ("torch==2.3.1 \\\n", "a" * 100 + "\n", "x[" * 50 + "\n", "-r " + "a/" * 50 + "\n", "# " + "=" * 100 + "\n")],
    *[("hardware", _hardware, unit, 20)
      for unit in ("512 ", "A100-", "1,", "x ", "GPU ", "of ", "TB ", "a" * 11 + "1 ", "[a](", "10^", "memory ", "-" * 20, "NVIDIA ")],
    *[("hyperparameters", _hyperparameters, unit, 100)
      for unit in ("lr: " * 50, "--lr=" * 50, "a" * 200 + " = 1", "| " + "x " * 100 + "|", "learning_rate=(" * 40, "-" * 200 + ":")],
]


def cost(function, unit, repeats) -> float:
    started = time.perf_counter()
    function(unit, repeats)
    return time.perf_counter() - started


def main() -> int:
    worst = 0.0
    print(f"{'parser':<16} {'motif':<24} {'small s':>9} {'10x s':>9} {'growth':>7}")
    for name, function, unit, repeats in CASES:
        small = cost(function, unit, repeats)
        large = cost(function, unit, repeats * 10)
        growth = large / max(small, 0.0005)
        worst = max(worst, growth)
        print(f"{name:<16} {unit[:22]!r:<24} {small:9.4f} {large:9.4f} {growth:7.1f}")
    print(f"worst growth for 10x the input: {worst:.1f}x (limit {GROWTH_LIMIT}x)")
    return 0 if worst <= GROWTH_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
