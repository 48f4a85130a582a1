"""Licensing: which licence covers the release, and is it open source?"""

from __future__ import annotations

from release_lint.detectors.files import root_license_files
from release_lint.findings import Problem
from release_lint.registry import rule

MOF = "https://isitopen.ai/"
OSAID = "https://opensource.org/ai/open-source-ai-definition"


@rule(
    code="LIC001",
    name="license-file-missing",
    severity="error",
    summary="The release has no licence file at its root.",
    rationale=(
        "Without a licence nobody may legally use, modify or redistribute the code, weights or data, "
        "however public they are. The Model Openness Framework requires each released component to carry "
        "a licence, and the OSI Open Source AI Definition requires the freedoms to use, study, modify and share."
    ),
    fix=(
        "Add a LICENSE file at the repository root with the full text of the licence.\n"
        "Example (Apache-2.0):\n"
        "  curl -o LICENSE https://www.apache.org/licenses/LICENSE-2.0.txt\n"
        "For separate terms per component, add LICENSE-CODE and LICENSE-MODEL (or a REUSE LICENSES/ folder)."
    ),
    references=(MOF, OSAID, "https://reuse.software/spec/"),
)
def license_file_missing(ctx):
    if not root_license_files(ctx.repo):
        yield Problem("no licence file (LICENSE, LICENCE, COPYING, LICENSE-*, LICENSES/) at the repository root")
