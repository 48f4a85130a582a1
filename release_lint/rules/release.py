"""Release hygiene: is what is linted what will be tagged, versioned, cited and described?"""

from __future__ import annotations

import os
import re

from release_lint.detectors.card_content import citation_entry
from release_lint.detectors.files import find_project_document
from release_lint.detectors.metadata import citation_cff
from release_lint.detectors.gitstate import declared_versions, git_state, normalise_version, uncommitted_changes, version_from_tag
from release_lint.findings import Problem
from release_lint.registry import rule

CFF = "https://citation-file-format.github.io/"
GITHUB_CITATION = "https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-citation-files"
KEEP_A_CHANGELOG = "https://keepachangelog.com/en/1.1.0/"
SEMVER = "https://semver.org/"
CHANGELOG_STEMS = r"changelog|changes|news|history|releases?|release[-_]notes"
MAX_CFF_ERRORS = 20  # a CITATION.cff wrong everywhere is reported by its first twenty problems
SHOWN_CHANGES = 5


@rule(
    code="REL001",
    name="uncommitted-changes",
    severity="warning",
    summary="The work tree has uncommitted or untracked files: what is linted is not what will be tagged.",
    rationale=(
        "A tag records a commit, not the work tree. Modified or untracked files pass the lint here but are missing "
        "or different in the release people download. Not reported under pre-commit (PRE_COMMIT=1), where staged "
        "changes are expected, nor with --rev, which lints a commit."
    ),
    fix=(
        "Commit (or discard) the changes before tagging, or ignore generated files in .gitignore.\n"
        "Example:\n  git status --short\n  git add -A && git commit -m \"Prepare v1.0\"\n  git tag v1.0"
    ),
    references=("https://git-scm.com/docs/git-status",),
    needs_git=True,
)
def uncommitted_changes_rule(ctx):
    if os.environ.get("PRE_COMMIT") == "1":
        return
    changes = uncommitted_changes(ctx.repo)
    if not changes:
        return
    counts = {}
    for status, _path in changes:
        counts[status] = counts.get(status, 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    shown = ", ".join(path for _status, path in changes[:SHOWN_CHANGES])
    more = f" and {len(changes) - SHOWN_CHANGES} more" if len(changes) > SHOWN_CHANGES else ""
    yield Problem(f"the work tree differs from HEAD ({summary}): {shown}{more}")


@rule(
    code="REL002",
    name="version-inconsistent",
    severity="warning",
    summary="The versions declared in the release files and the latest tag disagree, or nothing declares a version.",
    rationale=(
        "Users cite, pin and report bugs against a version. When pyproject.toml, CITATION.cff, the model card and "
        "the git tag disagree, nobody knows which weights a number refers to."
    ),
    fix=(
        "Declare one version and tag the release with it.\n"
        "Example:\n  CITATION.cff:  version: 1.1.0\n  pyproject.toml:  version = \"1.1.0\"\n  git tag v1.1.0"
    ),
    references=(SEMVER, CFF, "https://packaging.python.org/en/latest/specifications/version-specifiers/"),
)
def version_inconsistent(ctx):
    repo = ctx.repo
    declared = declared_versions(repo)
    first = declared[0] if declared else None
    for other in declared[1:]:
        if normalise_version(other.value) != normalise_version(first.value):
            yield Problem(
                f"{other.source} declares version {other.value} but {first.source}"
                f"{':' + str(first.line) if first.line else ''} declares {first.value}",
                path=other.source, line=other.line, key=f"{other.source}#version",
            )
    state = git_state(repo) if repo.is_git else None
    head_tags = [(t, version_from_tag(t)) for t in (state.tags_at_head if state else [])]
    head_tags = [(t, v) for t, v in head_tags if v]
    latest = state.latest_tag if state else None
    if first is None:
        if not head_tags and not (latest and version_from_tag(latest)):
            yield Problem("no version declared (looked in pyproject.toml, setup.cfg, CITATION.cff, the model card's "
                          "front matter and git tags)")
        return
    wanted = normalise_version(first.value)
    if head_tags:
        if not any(normalise_version(v) == wanted for _t, v in head_tags):
            tags = ", ".join(t for t, _v in head_tags)
            yield Problem(f"the linted commit is tagged {tags} but {first.source} declares version {first.value}",
                          path=first.source, line=first.line, key=f"{first.source}#tag")
    elif latest and version_from_tag(latest):
        from packaging.version import InvalidVersion, Version

        try:
            behind = Version(version_from_tag(latest)) > Version(first.value)
        except InvalidVersion:
            behind = False
        if behind:
            yield Problem(f"{first.source} declares version {first.value}, older than the latest tag {latest}: "
                          "was the version bumped?", path=first.source, line=first.line, key=f"{first.source}#tag")


@rule(
    code="REL003",
    name="changelog-missing",
    severity="info",
    summary="The release has no changelog.",
    rationale=(
        "A changelog tells users what changed between releases (new weights, fixed data, changed licence) and "
        "whether results obtained with an older version still hold."
    ),
    fix=(
        "Add CHANGELOG.md with one section per release.\n"
        "Example:\n  # Changelog\n  ## 1.0.0 - 2024-06-10\n  - First public release."
    ),
    references=(KEEP_A_CHANGELOG,),
)
def changelog_missing(ctx):
    if find_project_document(ctx.repo, CHANGELOG_STEMS) is not None:
        return
    yield Problem("no CHANGELOG, CHANGES, NEWS, HISTORY or RELEASES file at the root or in docs/")


@rule(
    code="REL004",
    name="citation-missing",
    severity="warning",
    summary="The release says nowhere how to cite it.",
    rationale=(
        "Researchers credit and reproduce what they can cite. A CITATION.cff file is read by GitHub ('Cite this "
        "repository'), Zenodo and reference managers; a BibTeX block in the README is the minimum."
    ),
    fix=(
        "Add CITATION.cff at the root (or a BibTeX block in the README).\n"
        "Example:\n  cff-version: 1.2.0\n  message: \"If you use this model, please cite it as below.\"\n"
        "  title: \"My Model\"\n  version: 1.0.0\n  authors:\n    - name: My Lab"
    ),
    references=(CFF, GITHUB_CITATION),
)
def citation_missing(ctx):
    repo = ctx.repo
    for name in ("CITATION.cff", "CITATION.bib", "CITATION", "CITATION.md", "CITATION.txt"):
        if repo.exists_ci(name) and "/" not in repo.exists_ci(name):
            return
    if citation_entry(repo) is not None:
        return
    yield Problem("no CITATION.cff, CITATION.bib or BibTeX entry in the README")


CFF_REQUIRED_KEYS = ("cff-version", "message", "title", "authors")  # required by every CFF version


@rule(
    code="REL005",
    name="citation-invalid",
    severity="error",
    summary="CITATION.cff is not valid YAML or does not follow the Citation File Format 1.2.0 schema.",
    rationale=(
        "GitHub, Zenodo and reference managers ignore a CITATION.cff they cannot parse, so the release is cited "
        "wrongly or not at all. The file is validated against the official CFF 1.2.0 JSON schema (vendored, CC-BY-4.0): "
        "cff-version, message, title and authors are required, keys are a fixed set, and dates, DOIs, ORCIDs, URLs "
        "and licence ids have set shapes. Each error names its key and line."
    ),
    fix=(
        "Fix CITATION.cff as each message says (check with `cffconvert --validate`).\n"
        "Example:\n  cff-version: 1.2.0\n  message: \"Please cite this model as below.\"\n  title: \"My Model\"\n"
        "  authors:\n    - family-names: Doe\n      given-names: Jane"
    ),
    references=(CFF, "https://github.com/citation-file-format/citation-file-format/blob/main/schema-guide.md",
                "https://github.com/citation-file-format/citation-file-format/blob/main/schema.json"),
)
def citation_invalid(ctx):
    from release_lint.detectors.citation import cff_schema_errors

    repo = ctx.repo
    path = repo.exists_ci("CITATION.cff")
    if not path or "/" in path:
        return
    text = repo.text(path)
    if text is None:
        yield Problem(f"{path} is not a text file", path=path)
        return
    matter = citation_cff(repo)[1]  # the one parse every reader of CITATION.cff shares
    if matter.error:
        yield Problem(f"{path} is not valid YAML: {matter.error}", path=path, line=matter.error_line)
        return
    if not isinstance(matter.data, dict):
        yield Problem(f"{path} is not a YAML mapping of keys", path=path, line=1)
        return
    declared = str(matter.data.get("cff-version", "")).strip()
    if re.fullmatch(r"1\.[01]\.\d+", declared):
        # Files of an earlier CFF version (1.0.x, 1.1.x) follow their own schema, not 1.2.0's: only the keys
        # every version requires are checked.
        for key in CFF_REQUIRED_KEYS:
            if key not in matter.data:
                yield Problem(f"{path}: lacks the required key {key!r} (CFF {declared})", path=path, line=1,
                              key=f"{path}#{key}:required")
        return
    errors = cff_schema_errors(matter.data, text)
    for error in errors[:MAX_CFF_ERRORS]:
        where = f"{error.where}: " if error.where else ""
        yield Problem(f"{path}: {where}{error.message}", path=path, line=error.line,
                      key=f"{path}#{error.where or '.'}:{error.validator}")
    if len(errors) > MAX_CFF_ERRORS:
        repo.source.note(f"{path}: {len(errors) - MAX_CFF_ERRORS} more CFF schema errors not reported")