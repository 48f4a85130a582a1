"""Licensing: which licence covers the release, and is it open source?"""

from __future__ import annotations

import functools
import re

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


SPDX_LIST = "https://spdx.org/licenses/"
HF_LICENSES = "https://huggingface.co/docs/hub/repositories-licenses"
HF_CARD = "https://huggingface.co/docs/hub/model-cards"
OSD = "https://opensource.org/osd"
OSAI_INDEX = "https://osai-index.eu/"
COMPONENTS = ("weights", "code", "data", "documentation")


def _facts(ctx):
    """The licence detectors, imported on first use so listing rules stays cheap."""
    from release_lint.detectors import licenses

    return licenses


def _label(entry_id, name=None):
    return f"{name} ({entry_id})" if name and name != entry_id else str(entry_id)


@rule(
    code="LIC002",
    name="license-unrecognized",
    severity="warning",
    summary="A licence file matches no known licence text, or is a known text with terms added.",
    rationale=(
        "A custom or heavily edited licence cannot be classified by users, package indexes or the Model "
        "Openness Tool, which match licences by SPDX identifier; its terms must be stated plainly."
    ),
    fix=(
        "Use a standard licence text unchanged, or state the custom licence's terms and give it an identifier.\n"
        "Example: keep the unmodified Apache-2.0 text in LICENSE, or in the model card front matter:\n"
        "  license: other\n  license_name: pebble-research-licence\n  license_link: LICENSE"
    ),
    references=(SPDX_LIST, HF_LICENSES, MOF),
)
def license_unrecognized(ctx):
    for entry in _facts(ctx).license_files(ctx.repo):
        if entry.id is None:
            closest = f" (closest: {entry.closest}, similarity {entry.confidence:.0%})" if entry.closest else ""
            clauses = f"; it states {', '.join(entry.clauses)} terms" if entry.clauses else ""
            yield Problem(f"{entry.path} matches no known licence text{closest}: it looks custom{clauses}, so its "
                          "terms must be stated in the README and the model card", path=entry.path)
        elif entry.added_lines:
            # B9: a standard text with terms added is that licence with modifications; OSI approval covers the
            # unmodified text only.
            added = entry.added_lines
            span = f"line {added[0][0]}" if len(added) == 1 else f"lines {added[0][0]}-{added[-1][0]}"
            yield Problem(f"{entry.path} is the {entry.id} text with modifications: {span} add terms the standard "
                          f"licence does not have ({added[0][1][:100]!r}), so it is not the OSI-approved {entry.id}",
                          path=entry.path, line=added[0][0], key=f"{entry.path}#modified")


def _release_licences(ctx):
    """(id or None, terms, path, line, component, statement) for the licences covering the release as a whole;
    statement: the README sentence that states the terms, when a sentence does."""
    facts = _facts(ctx)
    seen = []
    for entry in facts.license_files(ctx.repo):
        if entry.root:
            seen.append((entry.id, entry.terms, entry.path, None, entry.component, None))
    for entry in facts.declared_licenses(ctx.repo):
        if entry.kind in ("card", "gating") and entry.id:
            seen.append((entry.id, facts.describe_license(entry.id), entry.source, entry.line, None, None))
    return seen


@rule(
    code="LIC003",
    name="license-not-open-source",
    severity="warning",
    summary="The release's licence is not an OSI-approved open source licence.",
    rationale=(
        "Open weights are not open source: the Open Source Definition forbids discrimination against persons, "
        "groups or fields of endeavour, so use restrictions, non-commercial clauses and user thresholds make a "
        "licence non-open. The OSI Open Source AI Definition requires OSI-approved terms for code and parameters."
    ),
    fix=(
        "Release code and weights under an OSI-approved licence, or describe the release as open weights, not open source.\n"
        "Example: LICENSE with the Apache-2.0 text and `license: apache-2.0` in the model card."
    ),
    references=(OSAID, OSD, MOF),
)
def license_not_open_source(ctx):
    from release_lint.detectors.license_ids import family_of

    reported = set()
    covering = _release_licences(ctx)
    if not any(not terms.osi_approved and (license_id or terms.restrictions) for license_id, terms, *_where in covering):
        # Nothing else is restrictive: a README sentence that restricts a distributed artefact is (A8).
        from dataclasses import replace

        from release_lint.detectors.licenses import restrictive_statements

        for statement in restrictive_statements(ctx.repo)[:1]:
            terms = replace(_facts(ctx).describe_license(statement.id), restrictions=statement.restrictions)
            covering.append((statement.id, terms, statement.path, statement.line, None, statement.text))
    for license_id, terms, path, line, component, sentence in covering:
        if terms.osi_approved:
            continue
        if license_id is None and not terms.restrictions:
            continue  # an unrecognised licence without restriction clauses: LIC002 says so
        if terms.mof_open and component in ("data", "documentation"):
            continue  # an open content licence is the right kind for data and documentation
        family = family_of(license_id) if license_id else path
        if family in reported:
            continue
        reported.add(family)
        what = _label(license_id, terms.name) if license_id else f"the custom licence in {path}"
        if sentence:
            what = f"terms stated in {path}:{line} ({sentence[:120]!r})"
        if terms.restrictions:
            why = f"it carries {', '.join(terms.restrictions)}"
        elif terms.mof_open:
            why = "it is an open content licence (open in the Model Openness Framework's sense, fit for data and documentation) but not OSI-approved for code or weights"
        else:
            why = "it is not on the OSI-approved list"
        yield Problem(f"the release is licensed under {what}, which is not an OSI-approved open source licence: {why}",
                      path=path, line=line, key=f"{path}#{family}")


@rule(
    code="LIC004",
    name="license-mismatch",
    severity="error",
    summary="A declared licence disagrees with the licence file.",
    rationale=(
        "When the model card or package metadata names one licence and the LICENSE file holds another, users "
        "cannot tell which terms apply, and hubs and indexes show the wrong one."
    ),
    fix=(
        "Make the declaration name the licence whose text the licence file holds (or ship the declared text).\n"
        "Example: LICENSE holds MIT, so the model card front matter says `license: mit`."
    ),
    references=(HF_LICENSES, SPDX_LIST),
)
def license_mismatch(ctx):
    from release_lint.detectors.license_ids import family_of

    facts = _facts(ctx)
    files = [e for e in facts.license_files(ctx.repo) if e.root and e.id]
    if not files:
        return
    families = {family_of(e.id) for e in files}
    shown = ", ".join(f"{e.path} ({e.id})" for e in files)
    for entry in facts.declared_licenses(ctx.repo):
        if entry.kind not in ("card", "spdx") or not entry.id:
            continue
        if family_of(entry.id) in families:
            continue
        yield Problem(f"{entry.source} declares {entry.field}: {entry.value!r} ({entry.id}) but the licence "
                      f"file says otherwise: {shown}", path=entry.source, line=entry.line,
                      key=f"{entry.source}#{entry.field}")


@rule(
    code="LIC005",
    name="model-card-license-missing",
    severity="warning",
    summary="The model card front matter declares no licence.",
    rationale=(
        "Hubs, search filters and openness tools read the licence from the model card metadata; the Hugging "
        "Face model card specification defines a `license` key for it."
    ),
    fix=(
        "Add a `license` key to the model card's YAML front matter.\n"
        "Example:\n  ---\n  license: apache-2.0\n  ---"
    ),
    references=(HF_CARD, HF_LICENSES),
)
def model_card_license_missing(ctx):
    from release_lint.detectors.files import model_card

    card = model_card(ctx.repo)
    doc = ctx.repo.markdown(card) if card else None
    if doc is None or doc.front_matter.error:
        return
    if doc.front_matter.mapping.get("license") in (None, "", []):
        from release_lint.detectors.model_release import ships_model

        if not doc.front_matter.present and not ships_model(ctx.repo, {}):
            return  # a code repository's README: its LICENSE file is the declaration, Hub metadata does not apply
        where = "its front matter has no `license` key" if doc.front_matter.present else "it has no YAML front matter"
        yield Problem(f"the model card {card} declares no licence: {where}", path=card,
                      line=doc.front_matter.start_line if doc.front_matter.present else None)


def _link_resolves(repo, document: str, link: str) -> bool:
    """A URL, or a relative link (resolved from the card's folder, as CARD009 resolves links) to a file of the release."""
    from release_lint.detectors.relative_links import in_release, relative_target

    target = relative_target(document, link, repo)
    return target is None or (target[1] is not None and in_release(repo, target[1]))


@rule(
    code="LIC006",
    name="license-other-unexplained",
    severity="warning",
    summary="The model card says `license: other` (or an unknown id) without naming and linking the licence.",
    rationale=(
        "The Hugging Face card specification asks for `license_name` and `license_link` with `license: other`, "
        "so that readers can find the terms; without them the licence is effectively unknown."
    ),
    fix=(
        "Add `license_name` and a `license_link` to the licence text (a file in the repository or a URL).\n"
        "Example:\n  license: other\n  license_name: deepseek-license\n  license_link: LICENSE-MODEL"
    ),
    references=(HF_CARD, HF_LICENSES),
)
def license_other_unexplained(ctx):
    from release_lint.detectors.license_ids import HF_FAMILY_IDS

    for entry in _facts(ctx).declared_licenses(ctx.repo):
        if entry.kind != "card":
            continue
        value = entry.value.lower()
        if entry.id and value not in ("other", "unknown") or value in HF_FAMILY_IDS:
            continue
        missing = []
        if not entry.license_name:
            missing.append("no `license_name`")
        link = str(entry.license_link or "").strip()
        if not link:
            missing.append("no `license_link`")
        elif not _link_resolves(ctx.repo, entry.source, link):
            missing.append(f"`license_link: {link}` points to no file in the repository")
        if missing:
            yield Problem(f"{entry.source} says `license: {entry.value}` with {' and '.join(missing)}: readers "
                          "cannot tell which licence applies", path=entry.source, line=entry.line,
                          key=f"{entry.source}#license:{entry.value}")


@rule(
    code="LIC007",
    name="component-licenses-unclear",
    severity="warning",
    summary="Code, weights and data carry different licences and nothing says which covers which.",
    rationale=(
        "The Model Openness Framework licenses each component (code, parameters, data, documentation) separately; "
        "when a release ships several licences, users must be told which one applies to which component."
    ),
    fix=(
        "Add a License section to the README that names the licence of each component.\n"
        "Example:\n  ## License\n  The code is released under Apache-2.0 (LICENSE-CODE); the model weights under "
        "the OpenRAIL-M licence (LICENSE-MODEL)."
    ),
    references=(MOF, "https://reuse.software/spec/"),
)
def component_licenses_unclear(ctx):
    from release_lint.detectors.files import model_card
    from release_lint.detectors.license_ids import family_of

    facts = _facts(ctx)
    files = [e for e in facts.license_files(ctx.repo) if e.root]
    kinds = {family_of(e.id) if e.id else e.path for e in files}
    card_ids = [e for e in facts.declared_licenses(ctx.repo) if e.kind == "card"]
    if len(card_ids) > 1:
        kinds.update(family_of(e.id) if e.id else e.value for e in card_ids)
    if len(kinds) < 2:
        return
    if facts.release_license(ctx.repo).statement is not None:
        return
    names = ", ".join(f"{e.path} ({e.id or 'unrecognised'})" for e in files)
    card = model_card(ctx.repo)
    yield Problem(f"the release carries different licences ({names}) but no README licence section says which "
                  "covers the code, the weights and the data", path=card)


@rule(
    code="LIC008",
    name="license-id-invalid",
    severity="warning",
    summary="A declared licence identifier is not a valid, current SPDX identifier.",
    rationale=(
        "Tools match licences by exact SPDX identifier (the Model Openness Tool counts 'Apache 2.0' with a space "
        "as no licence); deprecated identifiers such as GPL-2.0 are ambiguous about 'or later'."
    ),
    fix=(
        "Replace the free text or deprecated identifier with the SPDX identifier suggested in the message.\n"
        "Example: license = \"Apache-2.0\" instead of \"Apache 2.0\"; GPL-3.0-only instead of GPL-3.0."
    ),
    references=(SPDX_LIST, "https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/", HF_LICENSES),
)
def license_id_invalid(ctx):
    from release_lint.detectors import license_ids as ids

    for entry in _facts(ctx).declared_licenses(ctx.repo):
        if entry.kind not in ("card", "spdx") or not entry.spdx_field:
            continue  # free-text fields (setuptools' license=, [project] license.text) are no SPDX expressions
        value = entry.value
        if entry.kind == "card" and (value.lower() in ("other", "unknown") or value.lower() in ids.HF_FAMILY_IDS
                                        or value.lower() in ids.HF_LICENSE_IDS):
            continue
        problem = _expression_problem(value, ids)
        if problem:
            yield Problem(f"{entry.source} {entry.field}: {value!r} {problem}", path=entry.source,
                          line=entry.line, key=f"{entry.source}#{entry.field}#{value}")


_EXPRESSION_TOKEN_RE = re.compile(r"\(|\)|[^\s()]+")


def _expression_problem(value, ids):
    """What is wrong with an SPDX licence expression, with a suggestion; None when it is valid and current."""
    syntax = _expression_syntax_problem(value)
    if syntax:
        return f"is not a valid SPDX licence expression: {syntax}"
    tokens = _EXPRESSION_TOKEN_RE.findall(value)
    operands = [t for t in tokens if t not in ("(", ")", "AND", "OR", "WITH")]
    if not operands:
        return "is not a licence identifier"
    for position, token in enumerate(tokens):
        if token in ("(", ")", "AND", "OR") or token.startswith(("LicenseRef-", "DocumentRef-")):
            continue
        if position and tokens[position - 1] == "WITH":
            continue  # an exception id
        if token == "WITH":
            continue
        spdx = ids.spdx_licenses().get(token.rstrip("+").lower())
        if spdx is None:
            suggestion = ids.free_text_id(value)
            hint = f"; use {suggestion!r}" if suggestion else ""
            return f"is not a valid SPDX identifier or expression ({token!r} is unknown){hint}"
        if spdx.deprecated_id or token.endswith("+"):
            replacement = ids.deprecated_replacement(token)
            hint = f"; use {replacement!r}" if replacement else ""
            return f"uses the deprecated SPDX identifier {token!r}{hint}"
    return None


@functools.lru_cache(maxsize=1)
def _spdx_licensing():
    """license-expression's parser loaded with the SPDX licence and exception list (about 0.3 s, once)."""
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


def _expression_syntax_problem(value):
    """The grammar error of an SPDX licence expression (SPDX spec annex D), parsed with license-expression;
    None when it parses. Unknown and deprecated ids are judged afterwards, with suggestions."""
    import license_expression as spdx

    depth = 0
    for position, char in enumerate(value, 1):
        depth += (char == "(") - (char == ")")
        if depth < 0:
            return f"the ')' at character {position} closes no '('"
    if depth:
        return f"{depth} '(' never closed"
    try:
        _spdx_licensing().parse(value, validate=False, strict=True)
    except spdx.ExpressionParseError as exc:
        token = getattr(exc, "token_string", None) or ""
        code = getattr(exc, "error_code", None)
        if code == spdx.PARSE_INVALID_SYMBOL_AS_EXCEPTION:
            return f"{token!r} after WITH is not an SPDX licence exception"
        if code == spdx.PARSE_INVALID_EXCEPTION:
            return f"{token!r} is a licence exception, which may only follow WITH"
        if code == spdx.PARSE_INVALID_OPERATOR_SEQUENCE:
            return f"{token!r} stands where a licence id is expected"
        if code == spdx.PARSE_INVALID_SYMBOL_SEQUENCE:
            return f"{token!r} follows another licence id without AND, OR or WITH between them"
        if token in ("AND", "OR", "WITH"):
            return f"{token} has no {'exception' if token == 'WITH' else 'licence'} after it"
        return spdx.PARSE_ERRORS.get(code, str(exc)).rstrip(".")
    except spdx.ExpressionError as exc:
        operator = str(exc).split(" ", 1)[0]
        if operator in ("AND", "OR"):
            return f"{operator} needs a licence on each side"
        return None  # a malformed id: reported below with a suggestion
    return None


_README_CLAUSE_RES = {
    "non-commercial": re.compile(r"non-?commercial|commercial use|commercially", re.IGNORECASE),
    "no-derivatives": re.compile(r"derivative|modif", re.IGNORECASE),
    "use restrictions": re.compile(r"use restrictions|restricted uses?|restrictions on (?:the )?use|attachment a|"
                                   r"(?:may|must|can) ?not (?:be )?use|prohibited uses?|use-based|"
                                   r"restricted (?:to|for) (?:\w+ ){0,2}(?:research|non-?commercial)", re.IGNORECASE),
    "acceptable-use policy": re.compile(r"acceptable[- ]use|prohibited[- ]use", re.IGNORECASE),
    "user threshold": re.compile(r"monthly active users|\bMAU\b|(?<!\d)\d+ million (?:monthly )?users", re.IGNORECASE),
    "research-only": re.compile(r"research(?: purposes)? only|research use|for research|research licen[cs]e", re.IGNORECASE),
    "source-available terms": re.compile(r"source[- ]available|production use|competing", re.IGNORECASE),
}


# Hub card metadata shown to a user who requests access to a gated model.
GATING_KEYS = ("extra_gated_prompt", "extra_gated_heading", "extra_gated_description")


@rule(
    code="LIC009",
    name="use-restrictions-undocumented",
    severity="warning",
    summary="The licence restricts use but the README does not say so.",
    rationale=(
        "Users read the README, not the licence: acceptable-use policies, RAIL use restrictions, non-commercial "
        "and research-only clauses decide whether they may use the model at all, so the README must state them."
    ),
    fix=(
        "State the licence's restrictions in plain words in the README (a License or Restrictions section).\n"
        "Example:\n  ## License\n  Llama 3.1 Community License: use must follow Meta's acceptable use policy; "
        "services with more than 700 million monthly active users need a separate licence."
    ),
    references=(OSAID, OSAI_INDEX, "https://www.licenses.ai/"),
)
def use_restrictions_undocumented(ctx):
    from release_lint.detectors.files import model_card

    facts = _facts(ctx)
    readme = model_card(ctx.repo) or ctx.repo.exists_ci("README.md")
    body = ""
    # A separate model-card file does not hide the README beside it: a restriction stated in either is stated.
    for path in dict.fromkeys((readme, ctx.repo.exists_ci("README.md"))):
        doc = ctx.repo.markdown(path) if path else None
        if doc is None:
            continue
        body += "\n" + "\n".join(doc.lines[doc.body_start_line - 1 :])
        # The Hub shows the gating prompt to every user before the download: restrictions stated there are stated.
        matter = doc.front_matter.mapping
        body += "".join("\n" + matter[key] for key in GATING_KEYS if isinstance(matter.get(key), str))
    sources = []
    for entry in facts.license_files(ctx.repo):
        if entry.terms.restrictions:
            sources.append((entry.path, None, entry.id or "a custom licence", entry.terms.restrictions))
    for declared in facts.declared_licenses(ctx.repo):
        if declared.kind == "card" and declared.id:
            terms = facts.describe_license(declared.id)
            if terms.restrictions:
                sources.append((declared.source, declared.line, declared.id, terms.restrictions))
    seen = set()
    for path, line, license_id, restrictions in sources:
        missing = tuple(r for r in restrictions if not _README_CLAUSE_RES[r].search(body))
        if not missing or (license_id, missing) in seen:
            continue
        seen.add((license_id, missing))
        where = f"the README ({readme})" if readme else "no README"
        yield Problem(f"{license_id} carries {', '.join(missing)} but {where} does not state "
                      f"{'them' if len(missing) > 1 else 'it'}", path=path, line=line, key=f"{path}#restrictions:{license_id}")


_CLAIM_RE = re.compile(r"\b(?:fully[- ]open(?:[- ]source)?|open[- ]source)\b", re.IGNORECASE)
_NEGATED_CLAIM_RE = re.compile(r"\b(?:not|n't|never|nor|no longer|rather than|instead of)\b[^.;]{0,30}$", re.IGNORECASE)
# "an open-source platform", "our open-source Chinese evaluation benchmark": something else is open source.
_OTHER_THINGS_RE = re.compile(r"^[\s-]*(?:[\w-]+\s+){0,2}?(?:librar|tool|framework|package|software|project|communit|ecosystem|"
                              r"dataset|alternative|implementation|contribut|licen[cs]e|initiative|definition|AI definition|"
                              r"platform|benchmark)", re.IGNORECASE)
# Link targets and bare URLs ("engineering.example.com/2021/open-source/fsdp/") are addresses, not prose.
_ADDRESS_RE = re.compile(r"\]\([^)\s]{0,2000}\)|<?https?://[^\s)>]{0,2000}", re.IGNORECASE)


# "outperforms open-source chat models", "compared with existing open source models": other releases, not a claim.
_COMPARISON_RE = re.compile(r"\b(?:outperform\w*|surpass\w*|beats?|than|compared (?:to|with)|versus|vs\.?|existing|"
                            r"among|best|leading|most|many|several|popular)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
# "outperforms *other* open-source models": the release counts itself among them, so it is a claim after all.
_OTHER_RE = re.compile(r"\bother\s+$", re.IGNORECASE)


# "... over all the open-source models", "Comparing X with the Open-Source Models": open-source models in the plural
# after a comparison word of the same sentence are the releases compared with, not this one.
_COMPARED_PLURAL_RE = re.compile(r"^\s+(?:[\w-]+\s+){0,2}?(?:models|llms|baselines|counterparts|competitors|systems|alternatives)\b",
                                 re.IGNORECASE)
_COMPARISON_WORD_RE = re.compile(r"\b(?:over|against|with|compar\w*|versus|vs\.?|than|advantage|outperform\w*|surpass\w*|"
                                 r"beats?|ahead of|relative to)\b", re.IGNORECASE)


def _claims(doc):
    """(line number, quoted claim) for prose lines calling the release open source (code and comments skipped)."""
    for number, text in doc.prose(keep_code_spans=True):
        if "://" in text or "](" in text:
            text = _ADDRESS_RE.sub(lambda m: " " * len(m.group(0)), text)  # same length: positions stay
        for match in _CLAIM_RE.finditer(text):
            before = text[max(0, match.start() - 80): match.start()]
            if _NEGATED_CLAIM_RE.search(text[: match.start()]) or _OTHER_THINGS_RE.match(text[match.end():]):
                continue
            if not _OTHER_RE.search(before) and (
                    _COMPARISON_RE.search(before)
                    or (_COMPARED_PLURAL_RE.match(text[match.end():]) and _COMPARISON_WORD_RE.search(before))):
                continue
            yield number, _sentence(doc.lines, number, match.start())
            break


_SENTENCE_END_RE = re.compile(r"[.!?](?=\s|$)")
MAX_QUOTE = 200


def _sentence(lines, number, position):
    """The sentence around ``position`` of line ``number``, following it onto the next lines of its paragraph."""
    line = lines[number - 1]
    starts = [m.end() for m in _SENTENCE_END_RE.finditer(line, 0, position)]
    text = line[starts[-1] if starts else 0:]
    offset = position - (starts[-1] if starts else 0)
    following = number
    while True:
        end = _SENTENCE_END_RE.search(text, offset)
        if end is not None:
            text = text[: end.end()]
            break
        if following >= len(lines) or not lines[following].strip() or len(text) > MAX_QUOTE:
            break
        text += " " + lines[following].strip()
        following += 1
    text = " ".join(text.split()).lstrip("-*> ")
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1].rstrip() + "…"


@rule(
    code="LIC010",
    name="open-source-claim-unsupported",
    severity="error",
    summary="The release calls itself open source while a licence covering its weights or code is not OSI-approved.",
    rationale=(
        "Calling a release under a restrictive model licence 'open source' is open-washing: the OSI Open Source AI "
        "Definition requires OSI-approved terms for code and parameters, and the European Open Source AI Index "
        "documents how such claims mislead users and regulators."
    ),
    fix=(
        "Call the release 'open weights' (or name its licence) instead of 'open source', or relicense it under an OSI-approved licence.\n"
        "Example: \"Pebble-33M is an open-weights model released under the Llama 3.1 Community License.\""
    ),
    references=(OSAID, OSAI_INDEX, MOF),
)
def open_source_claim_unsupported(ctx):
    from release_lint.detectors.files import model_card

    facts = _facts(ctx)
    cover = facts.release_license(ctx.repo)
    blocking = []
    for component in ("weights", "code"):
        for item in cover.of(component):
            if item.id is not None:
                if not facts.describe_license(item.id).osi_approved:
                    blocking.append((item.id, item.path, component))
            elif item.source == "file":
                entry = next(e for e in facts.license_files(ctx.repo) if e.path == item.path)
                if entry.terms.restrictions:
                    blocking.append((f"the custom licence in {item.path}", item.path, component))
    if not blocking:
        return
    files = {e.path for e in facts.license_files(ctx.repo)}
    blocking.sort(key=lambda item: item[1] not in files)  # name the licence file before a declaration
    license_id, where, component = blocking[0]
    readme = model_card(ctx.repo) or ctx.repo.exists_ci("README.md")
    doc = ctx.repo.markdown(readme) if readme else None
    if doc is None:
        return
    for number, quote in list(_claims(doc))[:3]:
        yield Problem(f"{readme} claims {quote!r} but the {component} are covered by {license_id} ({where}), which is "
                      "not an OSI-approved open source licence", path=readme, line=number, key=f"{readme}#claim#{quote}")


# Base-model families known to carry a restrictive licence: (repo id pattern, family, licence name).
# Extend with care: only families whose every checkpoint carries that licence.
BASE_MODEL_FAMILIES = (
    (re.compile(r"^meta-llama/", re.IGNORECASE), "llama", "a Llama community licence"),
    (re.compile(r"^google/(?:code|recurrent|pali|shield|med|txt|data)?gemma", re.IGNORECASE), "gemma", "the Gemma Terms of Use"),
    (re.compile(r"^bigscience/bloom", re.IGNORECASE), "openrail", "the BigScience RAIL licence"),
    (re.compile(r"^bigcode/starcoder(?:base)?(?:-|$)", re.IGNORECASE), "openrail", "the BigCode OpenRAIL-M licence"),
    (re.compile(r"^(?:CompVis|runwayml)/stable-diffusion-v1|^stabilityai/stable-diffusion-(?:2|xl)", re.IGNORECASE),
     "openrail", "a CreativeML OpenRAIL licence"),
    (re.compile(r"^tiiuae/falcon-180b", re.IGNORECASE), "falcon", "the Falcon-180B TII licence"),
)


@rule(
    code="LIC011",
    name="base-model-license-conflict",
    severity="warning",
    summary="A fine-tune declares a more permissive licence than its base model's family carries.",
    rationale=(
        "A model derived from a restrictively licensed base model stays bound by the base licence (Llama, Gemma "
        "and RAIL licences say so); declaring Apache-2.0 or MIT for it misleads users about their rights."
    ),
    fix=(
        "Declare the base model's licence (and ship its text), or name both in the model card.\n"
        "Example for a meta-llama base:\n  license: llama3.1\n  base_model: meta-llama/Llama-3.1-8B"
    ),
    references=(HF_CARD, OSAI_INDEX),
)
def base_model_license_conflict(ctx):
    from release_lint.detectors.files import model_card
    from release_lint.detectors.license_ids import family_of

    card = model_card(ctx.repo)
    doc = ctx.repo.markdown(card) if card else None
    if doc is None:
        return
    base = doc.front_matter.mapping.get("base_model")
    bases = [str(b) for b in (base if isinstance(base, list) else [base]) if b]
    declared = [e for e in _facts(ctx).declared_licenses(ctx.repo) if e.kind == "card" and e.id]
    for model in bases:
        for pattern, family, licence in BASE_MODEL_FAMILIES:
            if not pattern.search(model):
                continue
            for entry in declared:
                if family_of(entry.id) != family and _facts(ctx).describe_license(entry.id).mof_open:
                    base_line = doc.front_matter.key_lines.get("base_model")
                    yield Problem(f"{card} declares `license: {entry.value}` but its base model {model} (line "
                                  f"{base_line}) is released under {licence}, which binds derivatives",
                                  path=card, line=entry.line, key=f"{card}#base-model#{model}")
