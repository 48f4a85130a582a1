"""Artifacts: are the released weights safe to download, complete, and stored where git can serve them?"""

from __future__ import annotations

import json
import re

from release_lint.detectors.checksums import checksums
from release_lint.detectors.files import model_card
from release_lint.detectors.lfs import lfs_rules, lfs_tracked
from release_lint.detectors.pickles import UNRESOLVED
from release_lint.detectors.secrets import secrets
from release_lint.detectors.weights import (
    RUN_BOUND_ERROR,
    SHARD_INDEX_SUFFIXES,
    SHARD_NAME_RE,
    pickle_scans,
    safetensors_header_problem,
    shard_indexes,
    weight_files,
)
from release_lint.findings import Problem
from release_lint.registry import rule

SAFETENSORS = "https://huggingface.co/docs/safetensors/index"
PICKLE_DOCS = "https://docs.python.org/3/library/pickle.html"
HF_PICKLE = "https://huggingface.co/docs/hub/security-pickle"
GIT_LFS = "https://git-lfs.com/"
HF_LFS = "https://huggingface.co/docs/hub/repositories-getting-started#requirements"
MOF = "https://isitopen.ai/"
HF_SECRETS = "https://huggingface.co/docs/hub/security-secrets"
HF_REMOTE_CODE = "https://huggingface.co/docs/transformers/custom_models"


def _size_text(size: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


FORMAT_WORDS = {
    "pickle": "a pickle stream",
    "torch-zip": "a zip-based PyTorch checkpoint (pickle inside)",
    "lfs-pointer": "a Git LFS pointer to a pickle-based file (judged by its extension)",
    "numpy-object": "a NumPy array of Python objects (a pickle inside, run by numpy.load(allow_pickle=True))",
    "npz-object": "a NumPy archive holding an array of Python objects (a pickle inside, run by numpy.load(allow_pickle=True))",
}


@rule(
    code="ART001",
    name="pickle-weights",
    severity="warning",
    summary="Weights are published in a pickle-based format.",
    rationale=(
        "Loading a pickle (.bin, .pt, .pth, .ckpt, .pkl, .joblib, and the zip-based PyTorch format that holds a "
        "pickle) can run arbitrary code, so every user must trust the publisher and everyone who could alter the "
        "file. safetensors stores only tensors and metadata and loads without executing anything."
    ),
    fix=(
        "Publish the weights as safetensors (and drop or keep the pickle only for old loaders).\n"
        "Example:\n"
        "  from safetensors.torch import save_file\n"
        "  save_file(model.state_dict(), \"model.safetensors\")\n"
        "  # transformers: model.save_pretrained(out_dir, safe_serialization=True)"
    ),
    references=(SAFETENSORS, HF_PICKLE, PICKLE_DOCS),
)
def pickle_weights(ctx):
    for weight in weight_files(ctx.repo):
        if weight.is_pickle and not weight.is_training_state:
            yield Problem(f"{weight.path} is {FORMAT_WORDS[weight.format]}: loading it can execute code", path=weight.path)


@rule(
    code="ART002",
    name="pickle-unsafe-imports",
    severity="error",
    summary="A pickle file imports callables that a safe checkpoint loader would refuse.",
    rationale=(
        "A pickle names the functions to call while it is loaded. The file is judged as torch.load(weights_only=True) "
        "judges it: tensor rebuild functions, storages, dtypes, OrderedDict, numpy's array reconstructors and "
        "Hugging Face training-argument classes are what real checkpoints import; anything else is reported with its "
        "name. A known code-execution gadget (os.system, subprocess, eval/exec, runpy, timeit.timeit, pydoc.locate, "
        "pkgutil.resolve_name, cProfile.run, pdb.run, _posixsubprocess.fork_exec, a name computed at load time, ...: "
        "a list at least as wide as picklescan's) is an error; an unknown class (e.g. a scikit-learn estimator) is a "
        "warning, since loading it runs that class's code. Pickles are recognised by content whatever their protocol, "
        "inside zip-based torch checkpoints and in NumPy object arrays (.npy, .npz). The file is scanned statically, "
        "opcode by opcode, within a bound of opcodes per file and per run; it is never loaded."
    ),
    fix=(
        "Do not publish this file: regenerate the weights from a trusted state dict and save them as safetensors.\n"
        "Example:\n"
        "  state = torch.load(\"model.pt\", weights_only=True)  # refuses unexpected imports\n"
        "  safetensors.torch.save_file(state, \"model.safetensors\")"
    ),
    references=(HF_PICKLE, PICKLE_DOCS, "https://github.com/mmaitre314/picklescan",
                "https://pytorch.org/docs/stable/notes/serialization.html#weights-only"),
)
def pickle_unsafe_imports(ctx):
    not_scanned = []
    for path, scan in pickle_scans(ctx.repo).items():
        where = f" (in {scan.member})" if scan.member else ""
        if scan.unsafe:
            names = _global_names(scan.unsafe)
            yield Problem(f"{path}{where} imports {names}: loading it would run code", path=path)
        elif scan.unknown:
            names = _global_names(scan.unknown)
            yield Problem(f"{path}{where} imports {names}, which torch.load(weights_only=True) refuses: loading it "
                          "runs that code", path=path, severity="warning")
        elif scan.error == RUN_BOUND_ERROR:
            not_scanned.append(path)
        elif not scan.complete:
            ctx.repo.source.note(f"{path}: pickle scanned only partly ({scan.error or 'read limit reached'}); no unsafe import in the part read")
    if not_scanned:
        ctx.repo.source.note(f"{len(not_scanned)} pickle file(s) not scanned, from {not_scanned[0]} on: {RUN_BOUND_ERROR[len('not scanned: '):]}")


def _global_names(pairs) -> str:
    names = sorted({"a callable whose name is computed at load time" if (m, n) == UNRESOLVED else f"{m}.{n}"
                    for m, n in pairs})
    shown = ", ".join(names[:8])
    return shown + (f" and {len(names) - 8} more" if len(names) > 8 else "")


@rule(
    code="ART003",
    name="large-file-not-in-lfs",
    severity="error",
    summary="A large file is stored in git itself instead of Git LFS.",
    rationale=(
        "Large blobs in git history make every clone download them forever, and hosts refuse them (GitHub rejects "
        "files over 100 MB, the Hugging Face Hub requires LFS or Xet above 10 MB). Git LFS keeps a small pointer in "
        "git and the content on the LFS server."
    ),
    fix=(
        "Track the file with Git LFS (and rewrite history if it was already committed).\n"
        "Example:\n"
        "  git lfs track \"*.safetensors\"  # writes .gitattributes\n"
        "  git add .gitattributes model.safetensors\n"
        "  git lfs migrate import --include=\"*.safetensors\"  # if already in history"
    ),
    references=(GIT_LFS, HF_LFS, "https://docs.github.com/en/repositories/working-with-files/managing-large-files"),
    options={"threshold": (int, 10 * 1024 * 1024)},
    needs_git=True,
)
def large_file_not_in_lfs(ctx):
    threshold = ctx.options["threshold"]
    repo = ctx.repo
    for path in repo.files:
        size = repo.size(path)
        if size is None or size <= threshold or repo.is_lfs_pointer(path) or lfs_tracked(repo, path):
            continue
        yield Problem(
            f"{path} is {_size_text(size)} (over the {_size_text(threshold)} threshold) and no .gitattributes "
            "filter=lfs pattern covers it",
            path=path,
        )


def _large_file_threshold(ctx) -> int:
    """ART003's threshold as configured for this run."""
    from release_lint.registry import get_rule

    return ctx.config.options_for(get_rule("ART003"))["threshold"]


@rule(
    code="ART004",
    name="lfs-misconfigured",
    severity="warning",
    summary="Git LFS pointers or weight files do not match the LFS patterns of .gitattributes.",
    rationale=(
        "An LFS pointer that no filter=lfs pattern covers is served as a 130-byte text file instead of the weights; "
        "a weight file that no pattern covers in a repository that uses LFS is committed as a plain blob by the next "
        "`git add`."
    ),
    fix=(
        "Add a .gitattributes line that puts the file in LFS, e.g. `git lfs track \"*.bin\"`.\n"
        "Example .gitattributes:\n"
        "  *.safetensors filter=lfs diff=lfs merge=lfs -text\n"
        "  *.bin filter=lfs diff=lfs merge=lfs -text"
    ),
    references=(GIT_LFS, "https://git-scm.com/docs/gitattributes"),
)
def lfs_misconfigured(ctx):
    repo = ctx.repo
    weights = {w.path: w for w in weight_files(repo)}
    uses_lfs = any(r.lfs for r in lfs_rules(repo)) or any(w.lfs for w in weights.values())
    if not uses_lfs:
        return
    pointers = [w.path for w in weights.values() if w.lfs] + [
        p for p in repo.files if p not in weights and repo.is_lfs_pointer(p)
    ]
    for path in sorted(pointers):
        if not lfs_tracked(repo, path):
            yield Problem(f"{path} is a Git LFS pointer but no .gitattributes filter=lfs pattern covers it: "
                          "clones get the pointer text, not the file", path=path)
    large = _large_file_threshold(ctx)
    for path, weight in weights.items():
        # A weight over ART003's threshold is reported there; one finding per file is enough.
        if weight.lfs is None and weight.size and weight.size <= large and not lfs_tracked(repo, path):
            yield Problem(f"{path} is a weight file but no .gitattributes filter=lfs pattern covers it, "
                          "although this repository uses Git LFS", path=path)


@rule(
    code="ART005",
    name="checksums-missing",
    severity="info",
    summary="Weight files have no published checksums.",
    rationale=(
        "A checksum lets users verify that the weights they downloaded (from a mirror, a cache or a copy) are the "
        "ones released, and lets papers cite an exact artefact. Git LFS pointers carry a SHA-256 already."
    ),
    fix=(
        "Publish a SHA256SUMS file (or a checksum table in the model card) listing every weight file.\n"
        "Example:\n"
        "  sha256sum *.safetensors > SHA256SUMS"
    ),
    references=(MOF, "https://www.gnu.org/software/coreutils/manual/html_node/sha2-utilities.html"),
)
def checksums_missing(ctx):
    published = checksums(ctx.repo)
    for weight in weight_files(ctx.repo):
        if weight.is_model_parameters and not published.covers(weight.path):
            yield Problem(f"{weight.path}: no checksum published (looked for SHA256SUMS-style files, a digest next to "
                          "its name in the model card, an LFS pointer or a shard index)", path=weight.path)


LOAD_CALL_RE = re.compile(
    r"\b(?:from_pretrained|torch\.load|load_state_dict|load_file|safe_open|hf_hub_download|snapshot_download|"
    r"load_checkpoint|load_from_checkpoint|joblib\.load|tf\.keras\.models\.load_model|load_model)\s*\("
)
HUB_ID_RE = re.compile(r"""(?:from_pretrained|hf_hub_download|snapshot_download)\s*\(\s*(?:repo_id\s*=\s*)?["']([\w.-]+/[\w.-]+)["']""")
WEIGHTS_LINK_RE = re.compile(
    r"https?://(?:huggingface\.co/(?!datasets/|docs/|spaces/|blog/|papers/)[\w.-]+/[\w.-]+|(?:www\.)?zenodo\.org/|"
    r"figshare\.com/|osf\.io/|drive\.google\.com/|[\w.-]*dropbox\.com/|github\.com/[\w.-]+/[\w.-]+/releases|"
    r"[\w.-]+\.s3[\w.-]*\.amazonaws\.com/|storage\.googleapis\.com/|kaggle\.com/models/|modelscope\.cn/models/)"
)


@rule(
    code="ART006",
    name="weights-unavailable",
    severity="info",
    summary="The code loads weights that the release neither contains nor says where to download.",
    rationale=(
        "Inference or evaluation code that loads a checkpoint is only usable when the checkpoint can be obtained. "
        "The Model Openness Framework counts the final parameters as a component of every class."
    ),
    fix=(
        "Publish the weights in the release or link where to download them from the model card.\n"
        "Example:\n"
        "  ## Weights\n  Download from https://huggingface.co/example-lab/pebble-33m (model.safetensors, SHA-256 in SHA256SUMS)."
    ),
    references=(MOF,),
)
def weights_unavailable(ctx):
    from release_lint.detectors.entry_points import training_entry_points

    repo = ctx.repo
    if weight_files(repo) or shard_indexes(repo):
        return
    sources = repo.find_names("*.py", "*.ipynb")
    # Training code loads the *base* model or its own resume checkpoint, not the release's weights; and a
    # release with training code can produce the weights its other scripts load, unless they name a file.
    training = {e.path for e in training_entry_points(repo)}
    saved = _saved_weight_names(repo, sources) if training else set()
    loader = None
    for path in sources:
        text = repo.text(path) or ""
        if "load" not in text and "from_pretrained" not in text and "safe_open" not in text:
            continue  # cheap filter before the regexes
        if HUB_ID_RE.search(text):
            return  # loads from a named hub repository: that is where the weights are
        if loader is not None or path in training:
            continue
        for match in LOAD_CALL_RE.finditer(text):
            if training:
                literal = LOADED_FILE_RE.match(text, match.end())
                if literal is None or literal.group(1).rsplit("/", 1)[-1] in saved:
                    continue  # a variable (or the training output): the release's training code makes it
            loader = (path, text.count("\n", 0, match.start()) + 1, match.group(0).rstrip("( "))
            break
    if loader is None:
        return
    documents = [p for p in (model_card(repo),) if p] + [p for p in repo.root_files() if p.lower().endswith((".md", ".rst", ".txt"))]
    for path in dict.fromkeys(documents):
        text = repo.text(path) or ""
        if WEIGHTS_LINK_RE.search(text) or HUB_ID_RE.search(text):
            return
    path, line, call = loader
    yield Problem(
        f"{path} calls {call}() but the release has no weight files and no document links to them "
        "(looked for huggingface.co, Zenodo, GitHub releases, cloud-storage links and hub ids)",
        path=path,
        line=line,
    )


# A load whose first argument is a quoted file name, e.g. torch.load("checkpoints/best.pt").
LOADED_FILE_RE = re.compile(r"""\s*["']([^"'\n]{1,300})["']""")
SAVED_FILE_RE = re.compile(r"""["']([\w.-]+\.(?:pt|pth|ckpt|bin|safetensors|pkl|h5|keras|msgpack))["']""")


def _saved_weight_names(repo, sources):
    """File names the release's own code writes with a save call (torch.save(..., "ckpt.pt"))."""
    names = set()
    for path in sources:
        text = repo.text(path) or ""
        if "save" not in text:
            continue
        for line in text.split("\n"):
            if "save" in line:
                names.update(SAVED_FILE_RE.findall(line))
    return names


@rule(
    code="ART007",
    name="secret-in-release",
    severity="error",
    summary="A credential (API token, access key, private key, .env file) is committed in the release.",
    rationale=(
        "Anything published is copied within minutes by scrapers; a leaked Hugging Face, OpenAI, AWS or GitHub "
        "token gives its holder your account's rights. Removing the file later does not help: rotate the secret. "
        "The formats are the high-signal ones of detect-secrets and gitleaks: AWS access key ids and secret keys "
        "(next to their name), GitHub, GitLab, Slack (tokens and webhooks), Stripe live, Google API, OpenAI, "
        "Anthropic, Hugging Face, PyPI, npm, Replicate, Groq, Kaggle and Weights & Biases keys, JWTs, private key "
        "blocks and .env files with real values; placeholders (<your_token>, xxxx, ${VAR}, documentation examples) "
        "are left alone. Every report masks any credential it would print, whichever rule quoted it."
    ),
    fix=(
        "Revoke and rotate the credential now, then remove it from the files and from git history.\n"
        "Example:\n"
        "  # read it from the environment instead\n"
        "  token = os.environ[\"HF_TOKEN\"]\n"
        "  git filter-repo --replace-text expressions.txt  # purge it from history"
    ),
    references=(HF_SECRETS, "https://docs.github.com/en/code-security/secret-scanning/about-secret-scanning",
                "https://github.com/Yelp/detect-secrets", "https://github.com/gitleaks/gitleaks"),
)
def secret_in_release(ctx):
    for hit in secrets(ctx.repo):
        if hit.kind == "env-file":
            message = f"{hit.path} is a committed .env file: line {hit.line} sets a secret ({hit.label[len('.env file sets '):]}={hit.masked})"
        elif hit.kind == "private-key":
            message = f"{hit.label} ({hit.masked}) on line {hit.line}"
        else:
            message = f"{hit.label} {hit.masked} on line {hit.line} (masked)"
        yield Problem(message, path=hit.path, line=hit.line, key=f"{hit.path}#{hit.kind}:{hit.masked}")


@rule(
    code="ART008",
    name="shard-index-inconsistent",
    severity="error",
    summary="A sharded checkpoint's index and its shards disagree, or a safetensors header is malformed.",
    rationale=(
        "Loaders read `weight_map` of `*.safetensors.index.json` to find each tensor's shard: a missing shard fails "
        "the load after a long download, and an unlisted shard is dead weight or a sign the index is stale. A "
        "safetensors file starts with an 8-byte header length and a JSON header; if either is wrong the file cannot load."
    ),
    fix=(
        "Regenerate the index and shards together, and upload every shard the index names.\n"
        "Example:\n"
        "  model.save_pretrained(out_dir, max_shard_size=\"5GB\", safe_serialization=True)"
    ),
    references=(SAFETENSORS, "https://huggingface.co/docs/transformers/big_models"),
)
def shard_index_inconsistent(ctx):
    repo = ctx.repo
    for index in shard_indexes(repo):
        if index.error:
            yield Problem(f"{index.path}: {index.error}", path=index.path, line=index.error_line)
            continue
        for shard, line in sorted(index.shards.items()):
            if not repo.exists(shard):
                yield Problem(f"{index.path} maps tensors to {shard}, which is not in the release",
                              path=index.path, line=line, key=f"{index.path}#missing:{shard}")
        folder = index.path.rsplit("/", 1)[0] + "/" if "/" in index.path else ""
        index_name = index.path[len(folder):]
        suffix = next(x for x in SHARD_INDEX_SUFFIXES if index_name.lower().endswith(x))
        stem, extension = index_name[: -len(suffix)], suffix.split(".")[1]  # model.v2 / safetensors
        for path in repo.files:
            name = path[len(folder):] if path.startswith(folder) else None
            match = SHARD_NAME_RE.match(name) if name and "/" not in name else None
            if match and match.group("ext").lower() == extension.lower() and match.group("stem") == stem and path not in index.shards:
                yield Problem(f"{path} looks like a shard of {index.path} but its weight_map never names it",
                              path=path, key=f"{index.path}#unlisted:{path}")
    for weight in weight_files(repo):
        if weight.path.lower().endswith(".safetensors") and weight.lfs is None:
            problem = safetensors_header_problem(repo, weight.path)
            if problem:
                yield Problem(f"{weight.path}: malformed safetensors header: {problem}", path=weight.path)




@rule(
    code="ART009",
    name="remote-code-required",
    severity="info",
    summary="Loading the model needs trust_remote_code=True, and the model card does not say so.",
    rationale=(
        "An `auto_map` in config.json makes transformers import Python code (custom modeling_*.py files) from the "
        "repository, which only happens with trust_remote_code=True. Users should know before they run it, and pin "
        "a revision they reviewed."
    ),
    fix=(
        "Say in the model card that loading needs trust_remote_code=True, and which revision to pin.\n"
        "Example:\n"
        "  model = AutoModelForCausalLM.from_pretrained(\"org/model\", trust_remote_code=True, revision=\"v1.0\")"
    ),
    references=(HF_REMOTE_CODE,),
)
def remote_code_required(ctx):
    repo = ctx.repo
    card = model_card(repo)
    if card and "trust_remote_code" in (repo.text(card) or ""):
        return
    for name in ("config.json", "tokenizer_config.json", "preprocessor_config.json"):
        if not repo.exists(name):
            continue
        text = repo.text(name) or ""
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # nested deeper than the parser's recursion limit
            continue
        if isinstance(data, dict) and data.get("auto_map"):
            line = next((n for n, l in enumerate(text.split("\n"), 1) if '"auto_map"' in l), None)
            yield Problem(f"{name} has an auto_map, so loading needs trust_remote_code=True; the model card does not mention it",
                          path=name, line=line)
            return
    # A modeling_*.py without an auto_map is never imported by transformers (e.g. a copy kept for
    # reference, or code for the architecture's own package): it needs no trust_remote_code.
