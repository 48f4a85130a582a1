"""Community and governance: can people contribute, report problems and reach the maintainers safely?"""

from __future__ import annotations

import re
from release_lint.detectors.files import find_project_document, readme_documents
from release_lint.findings import Problem
from release_lint.registry import rule

GITHUB_HEALTH = "https://docs.github.com/en/communities/setting-up-your-project-for-healthy-contributions"
MOF = "https://isitopen.ai/"
CONTRIBUTOR_COVENANT = "https://www.contributor-covenant.org/"
SECURITY_POLICY = "https://docs.github.com/en/code-security/getting-started/adding-a-security-policy-to-your-repository"
ISSUE_LINK_RE = re.compile(
    r"https?://[^\s)>\]]+/(?:issues|discussions|-/issues)\b|https?://(?:discord\.gg|discord\.com/invite|"
    r"[\w.-]*discourse[\w.-]*|discuss\.[\w.-]+|forum\.[\w.-]+|[\w.-]+\.zulipchat\.com|join\.slack\.com)/?",
    re.IGNORECASE,
)


# A README section about contributing ("## Contributing", "How to contribute") answers COMM001 when its body says
# how: what to run, what to sign, how to work. "Contributions welcome! Open an issue or submit a pull request"
# does not: that is every repository's way in, not a guide.
CONTRIBUTING_HEADING_RE = re.compile(r"^\W{0,4}(?:contribut(?:ing|ions?|e)|how to contribute|contributor(?:s|'s)? guide)\b",
                                     re.IGNORECASE)
CONTRIBUTION_HOW_RE = re.compile(
    r"\b(?:fork|branch|pytest|tests?|lint\w*|pre-commit|style guide|code style|"
    r"CLA|contributor licen[cs]e agreement|sign[- ]off|DCO|discuss\w*|e-?mail|before (?:large|major|big) changes)\b",
    re.IGNORECASE)


def _readme_contributing_section(repo):
    """(path, line) of a README "Contributing" section whose body says how to contribute, or None."""
    for path in readme_documents(repo):
        doc = repo.markdown(path)
        if doc is None:
            continue
        for heading in doc.headings:
            body = doc.content(heading)[:5000]
            # A section that sends the reader to a CONTRIBUTING file defers to it: that file is the guide.
            if CONTRIBUTING_HEADING_RE.match(heading.title) and CONTRIBUTION_HOW_RE.search(body) \
                    and not re.search(r"contributing\.(?:md|rst|txt)", body, re.IGNORECASE):
                return path, heading.line
    return None


@rule(
    code="COMM001",
    name="contributing-guide-missing",
    severity="warning",
    summary="The release has no contributing guide.",
    rationale=(
        "A contributing guide says how to propose changes, run the tests and evaluations, and what a good pull "
        "request contains; without one, outside improvements to an open model rarely arrive."
    ),
    fix=(
        "Add CONTRIBUTING.md at the root (or in .github/ or docs/), or a 'Contributing' section in the README that says "
        "how to propose changes.\n"
        "Example:\n  # Contributing\n  Open an issue first for large changes. Run `pytest` and `python evaluate.py` and report both."
    ),
    references=(GITHUB_HEALTH, MOF),
)
def contributing_guide_missing(ctx):
    if find_project_document(ctx.repo, "contributing") is None and _readme_contributing_section(ctx.repo) is None:
        yield Problem("no CONTRIBUTING(.md/.rst) at the root, in .github/ or in docs/")  # nor a README section saying how


@rule(
    code="COMM002",
    name="issue-channel-missing",
    severity="info",
    summary="There is no issue template and the README links to no issue tracker or forum.",
    rationale=(
        "Users who find a bug, a harmful output or a data problem need to know where to report it; issue "
        "templates also ask for the versions and prompts that make a report reproducible."
    ),
    fix=(
        "Add an issue template under .github/ISSUE_TEMPLATE/ or link the issue tracker or forum from the README.\n"
        "Example:\n  Report problems on the [issue tracker](https://github.com/org/model/issues)."
    ),
    references=("https://docs.github.com/en/communities/using-templates-to-encourage-useful-issues-and-pull-requests",),
)
def issue_channel_missing(ctx):
    repo = ctx.repo
    if any(p.lower().startswith(".github/issue_template") for p in repo.files):
        return
    documents = readme_documents(repo)
    if any(ISSUE_LINK_RE.search(repo.text(p) or "") for p in documents):
        return
    yield Problem("no .github/ISSUE_TEMPLATE/ and no link to an issue tracker or discussion forum in "
                  + (", ".join(documents) if documents else "a README"))


@rule(
    code="COMM003",
    name="code-of-conduct-missing",
    severity="info",
    summary="The release has no code of conduct.",
    rationale="A code of conduct states how contributors are expected to behave and who enforces it.",
    fix=(
        "Add CODE_OF_CONDUCT.md, for example the Contributor Covenant, with a contact address.\n"
        "Example:\n  curl -o CODE_OF_CONDUCT.md https://www.contributor-covenant.org/version/2/1/code_of_conduct/code_of_conduct.md"
    ),
    references=(CONTRIBUTOR_COVENANT, GITHUB_HEALTH),
)
def code_of_conduct_missing(ctx):
    if find_project_document(ctx.repo, "code[_-]of[_-]conduct") is None:
        yield Problem("no CODE_OF_CONDUCT(.md) at the root, in .github/ or in docs/")


@rule(
    code="COMM004",
    name="security-policy-missing",
    severity="info",
    summary="The release has no security policy saying where to report vulnerabilities or harmful behaviour.",
    rationale=(
        "SECURITY.md tells people how to report a vulnerability in the code or a harmful behaviour of the model "
        "privately, before it is exploited or spread."
    ),
    fix=(
        "Add SECURITY.md with a private reporting channel and a response time.\n"
        "Example:\n  Report vulnerabilities or harmful outputs to security@example.org; we answer within 3 working days."
    ),
    references=(SECURITY_POLICY,),
)
def security_policy_missing(ctx):
    if find_project_document(ctx.repo, "security") is None:
        yield Problem("no SECURITY(.md) at the root, in .github/ or in docs/")
