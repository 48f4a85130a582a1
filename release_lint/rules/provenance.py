"""Provenance: does a model signature cover what the release ships, with the digests the release states?"""

from __future__ import annotations

from release_lint.detectors.provenance import model_signatures, released_model_files, stated_digest
from release_lint.detectors.weights import weight_files
from release_lint.findings import Problem
from release_lint.registry import rule

MODEL_SIGNING = "https://github.com/sigstore/model-transparency"
OPENSSF_MODEL_SIGNING = "https://openssf.org/projects/model-signing/"
IN_TOTO_STATEMENT = "https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md"
SIGSTORE_BUNDLE = "https://docs.sigstore.dev/about/bundle/"
SIGN_EXAMPLE = (
    "  pip install model-signing\n"
    "  model_signing sign key . --private_key signing-key.pem --signature model.sig\n"
    "  # or keyless, with Sigstore: model_signing sign sigstore . --signature model.sig"
)
DEFAULT_HASH_BYTES = 64 * 1024 * 1024


def _where(stated) -> str:
    if stated.source == "lfs-pointer":
        return "its LFS pointer"
    if stated.source == "checksum-file":
        return f"{stated.path}:{stated.line}"
    return "its content"


@rule(
    code="ART010",
    name="signature-coverage",
    severity="error",
    summary="The model signature (model.sig) leaves a weight, shard, tokenizer or config file unsigned, or records a digest the release contradicts.",
    rationale=(
        "An OpenSSF model-signing signature is a Sigstore bundle whose in-toto statement lists every signed file "
        "with its SHA-256. Verification (`model_signing verify`) fails on any file the statement does not list, and "
        "a file whose digest changed after signing was tampered with or the signature is stale. This rule reads the "
        "statement offline and compares it with the release: every weight file, every shard a shard index names, "
        "the tokenizer and config files must be listed, every listed file must still be in the release, and the "
        "digests of the listed model files must match what the release states (Git "
        "LFS pointer oids, SHA256SUMS-style checksum files, or the bytes of files up to `max_hash_bytes`). It does "
        "not verify the signature itself: no key, certificate or transparency log is consulted, so a clean result "
        "says the statement matches the files, not who signed it. Run `model_signing verify` for that."
    ),
    fix=(
        "Sign the release again after its last change, from the folder that holds every model file.\n"
        "Example:\n" + SIGN_EXAMPLE
    ),
    references=(MODEL_SIGNING, OPENSSF_MODEL_SIGNING, SIGSTORE_BUNDLE, IN_TOTO_STATEMENT),
    options={"max_hash_bytes": (int, DEFAULT_HASH_BYTES)},
)
def signature_coverage(ctx):
    repo = ctx.repo
    signatures = model_signatures(repo)
    if not signatures:
        return
    limit = max(0, ctx.options["max_hash_bytes"])
    readable = []
    for signature in signatures:
        if signature.error:
            yield Problem(f"{signature.path} cannot be read as a model signature: {signature.error}",
                          path=signature.path, key=f"{signature.path}#unreadable")
        else:
            readable.append(signature)
    if not readable:
        return
    signed = {path: (signature, entry) for signature in readable for path, entry in signature.resources.items()}
    model_files = released_model_files(repo)
    for path, role in model_files.items():
        if path in signed:
            continue
        owner = next((s for s in readable if path.startswith(s.folder)), readable[0])
        yield Problem(f"{path} ({role}) is not covered by the signature {owner.path}",
                      path=path, key=f"{owner.path}#unsigned:{path}")
    for path, (signature, (algorithm, digest)) in sorted(signed.items()):
        if path.rsplit("/", 1)[-1] in signature.ignore_paths:
            continue
        if not repo.exists(path):
            if not repo.is_dir(path.rstrip("/")):
                yield Problem(f"{signature.path} signs {path}, which is not in the release",
                              path=signature.path, key=f"{signature.path}#missing:{path}")
            continue
        if path not in model_files or algorithm.lower() != "sha256" or signature.method == "shards":
            # Digests are compared for the files a loader reads; other algorithms, or digests of byte
            # ranges, are not stated anywhere to compare with.
            continue
        stated = stated_digest(repo, path, limit)
        if stated is not None and stated.sha256 != digest:
            yield Problem(f"{path}: {signature.path} records sha256 {digest[:12]}…, but {_where(stated)} says "
                          f"{stated.sha256[:12]}… (changed after signing, or a stale signature)",
                          path=stated.path, line=stated.line,
                          key=f"{signature.path}#digest:{path}")


@rule(
    code="ART011",
    name="model-unsigned",
    severity="info",
    summary="The release ships weights but no model signature (model.sig).",
    rationale=(
        "A signature lets users check that the weights, tokenizer and config they downloaded are the ones you "
        "released, whoever mirrored them. OpenSSF model signing writes one file, model.sig, listing every file's "
        "SHA-256 in a signed in-toto statement; release-lint then checks its coverage (ART010)."
    ),
    fix="Sign the model files with OpenSSF model signing and ship model.sig with them.\nExample:\n" + SIGN_EXAMPLE,
    references=(MODEL_SIGNING, OPENSSF_MODEL_SIGNING),
)
def model_unsigned(ctx):
    if model_signatures(ctx.repo):
        return
    weights = [w.path for w in weight_files(ctx.repo) if w.is_model_parameters]
    if weights:
        more = f" and {len(weights) - 1} more" if len(weights) > 1 else ""
        yield Problem(f"no model signature: {weights[0]}{more} can't be checked against what you released")


@rule(
    code="REL006",
    name="bom-incomplete",
    severity="warning",
    summary="A field the CycloneDX ML-BOM or SPDX 3 AI and Dataset profiles ask for is not stated (checked with --profile bom or a [tool.release-lint.bom] table).",
    rationale=(
        "An AI bill of materials (`--format cyclonedx`, `--format spdx3`) is built from what the release states; "
        "release-lint never invents a value. Some fields only the team can give: the supplier, the release time, "
        "the download location and each dataset's type come from `[tool.release-lint.bom]`. Others come from the "
        "release: a version, a declared licence (the card's `license`), a licence file to conclude from, a SHA-256 "
        "per weight file (LFS pointer, SHA256SUMS, or hashed when small). This rule runs when you ask for a complete "
        "BOM, with `--profile bom` (which makes its findings errors) or a `[tool.release-lint.bom]` table."
    ),
    fix=(
        "State the missing field in the release, or in [tool.release-lint.bom] for what only the team knows.\n"
        "Example:\n"
        "  [tool.release-lint.bom]\n"
        "  supplier = \"Example Lab\"\n"
        "  supplier-url = \"https://example.org\"\n"
        "  release-time = 2025-06-01T00:00:00Z\n"
        "  download-location = \"https://huggingface.co/example-lab/pebble-33m\"\n"
        "  dataset-types = { \"roneneldan/TinyStories\" = \"text\" }"
    ),
    references=("https://cyclonedx.org/capabilities/mlbom/", "https://spdx.github.io/spdx-spec/v3.0.1/model/AI/AI/",
                "https://spdx.github.io/spdx-spec/v3.0.1/model/Dataset/Dataset/"),
)
def bom_incomplete(ctx):
    if ctx.config.profile != "bom" and not ctx.config.bom:
        return
    from release_lint.detectors.bom import bom_facts

    for gap in bom_facts(ctx.repo, ctx.config.bom).gaps:
        yield Problem(gap.message, path=gap.path, line=gap.line, key=f"bom#{gap.field}")
