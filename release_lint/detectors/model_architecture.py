"""The model's architecture: standard ones configured or named, and network classes defined in code."""

from __future__ import annotations

import json
import re
from typing import List, Optional, Tuple

from release_lint.detectors.code_and_docs import (
    MAX_LINE_CHARS, TEST_PATH, code_files, code_lines, config_files, documentation_files, first_code_match, is_comment, markdown_lines,
    outside_skipped_folders,
)
from release_lint.detectors.evidence import Evidence, clip
from release_lint.detectors.files import model_card
from release_lint.repo import Repo, detector
from release_lint.textindex import first_line


def config_json(repo: Repo, path: str) -> Optional[dict]:
    """A JSON config file's top-level object (at most 512 KiB), or None."""
    text = repo.text(path)
    if not text or len(text) > 512 * 1024:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def json_key_line(repo: Repo, path: str, key: str) -> Optional[int]:
    """The line of a JSON file where *key* is first given a value."""
    return first_line(repo.lines(path), re.compile(r'"' + re.escape(key) + r'"\s*:'))


# A transformers model class (LlamaForCausalLM, GPTNeoXForCausalLM, WhisperForConditionalGeneration) imported or
# loaded, or an Auto class loading a named Hub model: the architecture is the library's.
_HEAD = (r"(?:CausalLM|MaskedLM|Seq2SeqLM|SequenceClassification|TokenClassification|QuestionAnswering|MultipleChoice|"
         r"ConditionalGeneration|SpeechSeq2Seq|CTC|ImageClassification|ObjectDetection|SemanticSegmentation|"
         r"AudioClassification|PreTraining|Vision2Seq|ImageTextToText|MaskedImageModeling)")
# Hub models from before owner/name ids ("roberta-base", "gpt2-medium"): a literal naming one is no local path.
LEGACY_HUB_MODELS = ("bert", "roberta", "distilbert", "distilroberta", "gpt2", "t5", "xlm-roberta", "albert", "electra",
                     "bart", "xlnet", "camembert", "distilgpt2", "openai-gpt", "ctrl", "xlm-mlm")
LIBRARY_MODEL_CLASS_RE = re.compile(
    r"\bfrom\s+transformers\s+import\s+[^\n#]{0,300}?\b((?!Auto)[A-Z][A-Za-z0-9]{1,40}For" + _HEAD + r"|[A-Z][A-Za-z0-9]{1,40}LMHeadModel)\b"
    r"|\b((?!Auto)[A-Z][A-Za-z0-9]{1,40}For" + _HEAD + r"|[A-Z][A-Za-z0-9]{1,40}LMHeadModel)\.from_pretrained\("
    r"|\b(AutoModel(?:For" + _HEAD + r")?)\.from_pretrained\(\s*[\"'](?:[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}|"
    r"(?:" + "|".join(LEGACY_HUB_MODELS) + r")(?:-[\w.-]{1,40})?)[\"']"
)
# A Hub repository id, "owner/name" (models and datasets alike).
HUB_ID_RE = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}$")
_LEGACY_HUB_MODEL_RE = re.compile(r"^(?:" + "|".join(LEGACY_HUB_MODELS) + r")(?:-[\w.-]{1,40})?$")
# An Auto class told to run the Hub repository's own modeling code: the architecture is that code, not the library's.
_REMOTE_CODE_RE = re.compile(r"trust_remote_code\s*=\s*True")
# Model series whose Hub repositories load with transformers' own classes (Pythia is GPT-NeoX, TinyLlama is Llama):
# trust_remote_code=True changes nothing for them.
_NATIVE_FAMILY_RE = re.compile(
    r"^(?:meta-)?(?:pythia|gpt-neox|gpt-j|gpt2|opt|bloomz?|llama|tinyllama|mistral|mixtral|t5|flan-t5|bert|roberta|"
    r"gemma)(?:[-_.\d]|$)", re.IGNORECASE,
)
_QUOTED_RE = re.compile(r"[\"']([^\"'\n]{1,200})[\"']")
MAX_ARCHITECTURE_FILES = 200


MAX_CALL_LINES = 15  # a from_pretrained(...) call spread over lines, one argument a line


def _call_text(lines: List[Tuple[Optional[int], str]], number: Optional[int]) -> str:
    """The text of the call that starts on line *number* of *lines* (``(line, text)`` pairs), up to the line
    that closes its parentheses or MAX_CALL_LINES lines."""
    start = next((i for i, (n, _t) in enumerate(lines) if n == number), None)
    if start is None:
        return ""
    depth, taken = 0, []
    for _n, text in lines[start : start + MAX_CALL_LINES]:
        taken.append(text)
        depth += text.count("(") - text.count(")")
        if depth <= 0:
            break
    return "\n".join(taken)


def _is_hub_model(name: str) -> bool:
    return bool(HUB_ID_RE.match(name) or _LEGACY_HUB_MODEL_RE.match(name))


def _runs_remote_code(call: str, hub_model: Optional[str]) -> bool:
    """Whether the call asks for the Hub repository's own code (``trust_remote_code=True``) for a model that
    transformers does not implement itself."""
    if not _REMOTE_CODE_RE.search(call):
        return False
    series = (hub_model or "").rsplit("/", 1)[-1]
    return not _NATIVE_FAMILY_RE.match(series)


def _quoted_hub_model(text: str) -> Optional[str]:
    after = text[text.find("from_pretrained(") :] if "from_pretrained(" in text else text
    return next((m.group(1) for m in _QUOTED_RE.finditer(after) if _is_hub_model(m.group(1))), None)


# An Auto class loading a model whose id a variable holds: ``AutoModelForCausalLM.from_pretrained(model_name, ...)``.
_AUTO_CALL_NAME_RE = re.compile(
    r"\bAutoModel(?:For" + _HEAD + r")?\.from_pretrained\(\s*([A-Za-z_]\w{0,60})\s*[,)]"
)
MAX_CALLS_PER_FILE = 10
MAX_NAME_HOPS = 3  # parameter -> its default constant -> the constant's string: how far a Hub id is followed
MAX_CONSTANT_LOOKUPS = 20


def _assigned(name: str, top_level: bool) -> "re.Pattern[str]":
    """``name = "value"``, ``name: str = OTHER`` (an assignment or a parameter default); *top_level*: only an
    assignment at the start of a line (a module constant)."""
    start = r"^" if top_level else r"(?<![\w.])"
    return re.compile(
        start + re.escape(name) + r"[ \t]*(?::[ \t]*[\w\[\], .|]{1,60})?=[ \t]*"
        r"(?:([\"'])(?P<literal>[^\"'\n]{1,200})\1|(?P<name>[A-Za-z_]\w{0,60})\b(?![ \t]*[.(\[]))",
        re.MULTILINE,
    )


class _ModuleConstants:
    """Module-level assignments (``NAME = "value"``) of the release's Python files, looked up by name: each name
    once per run, and at most MAX_CONSTANT_LOOKUPS names, since one look-up may read every file."""

    def __init__(self, repo: Repo, paths: List[str]):
        self.repo, self.paths = repo, paths
        self.found: dict = {}

    def find(self, name: str) -> Optional["re.Match[str]"]:
        if name not in self.found:
            if len(self.found) >= MAX_CONSTANT_LOOKUPS:
                return None
            pattern = _assigned(name, top_level=True)
            texts = (self.repo.text(path) or "" for path in self.paths)
            self.found[name] = next((m for m in (pattern.search(t) for t in texts if name in t) if m), None)
        return self.found[name]


def _resolve_hub_model(text: str, name: str, constants: _ModuleConstants) -> Optional[str]:
    """The Hub model id a variable of *text* holds: through its assignment or parameter default in the same
    file, then through a module constant of any Python file of the release ("EleutherAI/pythia-6.9b" for
    ``model_name`` whose default is ``DEFAULT_INPUT_MODEL``), at most MAX_NAME_HOPS names deep."""
    for _hop in range(MAX_NAME_HOPS):
        match = _assigned(name, top_level=False).search(text) or constants.find(name)
        if match is None:
            return None
        if match.group("literal") is not None:
            value = match.group("literal").strip()
            return value if _is_hub_model(value) else None
        if match.group("name") in (name, "None", "True", "False"):
            return None
        name = match.group("name")
    return None


def _library_class_in_file(repo: Repo, path: str, constants: _ModuleConstants) -> Optional[Evidence]:
    """A library model class in one code file: named (``LlamaForCausalLM``), or an Auto class loading a Hub model
    given literally or held in a variable; not when the call runs a non-library model's remote code."""
    lines: Optional[List[Tuple[Optional[int], str]]] = None
    hit = first_code_match(repo, path, LIBRARY_MODEL_CLASS_RE, ("from_pretrained(", "from transformers"))
    if hit:
        lines = code_lines(repo, path)
        call = _call_text(lines, hit[0]) or hit[1]
        if not _runs_remote_code(call, _quoted_hub_model(call)):
            return Evidence(path, hit[0], "library-class", clip(hit[1]))
    text = repo.text(path) or ""
    if "from_pretrained(" not in text or path.lower().endswith(".ipynb"):
        return None
    for tried, match in enumerate(_AUTO_CALL_NAME_RE.finditer(text)):
        if tried >= MAX_CALLS_PER_FILE:
            break
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        line = text[start : end if end >= 0 else len(text)][:MAX_LINE_CHARS]
        if is_comment(line):
            continue
        hub_model = _resolve_hub_model(text, match.group(1), constants)
        if hub_model is None:
            continue
        number = text.count("\n", 0, start) + 1
        lines = lines or code_lines(repo, path)
        if not _runs_remote_code(_call_text(lines, number) or line, hub_model):
            return Evidence(path, number, "library-class", clip(f"{line.strip()} [{match.group(1)}: {hub_model}]"))
    return None


def _library_class_references(repo: Repo) -> List[Evidence]:
    """The first code file, and the first card/doc code line, that names a library model class (not when the
    call tells an Auto class to run the Hub repository's own code, ``trust_remote_code=True`` on any of its
    lines, for a model transformers does not implement itself)."""
    found: List[Evidence] = []
    scanned = [p for p in code_files(repo)[:MAX_ARCHITECTURE_FILES]
               if p.lower().endswith((".py", ".ipynb")) and not TEST_PATH.search(p)]
    constants = _ModuleConstants(repo, [p for p in scanned if p.lower().endswith(".py")])
    for path in scanned:
        evidence = _library_class_in_file(repo, path, constants)
        if evidence:
            found.append(evidence)
            break
    for path in documentation_files(repo)[:20]:
        lines = None
        for number, line, in_fence in markdown_lines(repo, path):
            if in_fence and LIBRARY_MODEL_CLASS_RE.search(line):
                lines = lines or [(n, t) for n, t, _f in markdown_lines(repo, path)]
                if not _runs_remote_code(_call_text(lines, number) or line, _quoted_hub_model(line)):
                    found.append(Evidence(path, number, "library-class", clip(line)))
                    break
    return found


def _hub_base_models(repo: Repo) -> List[Evidence]:
    """A Hub base model an adapter or a fine-tune names (``adapter_config.json`` ``base_model_name_or_path``, the
    card's ``base_model``): its architecture is the base model's. Local paths ("/home/me/base") name nothing."""
    found: List[Evidence] = []
    for path in repo.find_names("adapter_config.json"):
        data = config_json(repo, path) if path.count("/") <= 2 else None
        base = data.get("base_model_name_or_path") if data else None
        if isinstance(base, str) and HUB_ID_RE.match(base.strip()):
            found.append(Evidence(path, json_key_line(repo, path, "base_model_name_or_path"), "base-model", clip(base)))
    card = model_card(repo)
    doc = repo.markdown(card) if card else None
    if doc is not None:
        base = doc.front_matter.mapping.get("base_model")
        base = base[0] if isinstance(base, list) and base else base
        if isinstance(base, str) and HUB_ID_RE.match(base.strip()):
            found.append(Evidence(card, doc.front_matter.line_of("base_model"), "base-model", clip(base)))
    return found


@detector
def standard_architectures(repo: Repo) -> List[Evidence]:
    """References to a standard library architecture: a ``config.json`` with ``model_type`` and
    ``architectures`` (transformers; ``kind`` "transformers", ``text`` "gpt_neox: GPTNeoXForCausalLM") or with
    ``_class_name`` (diffusers; ``kind`` "diffusers"), and diffusers' ``model_index.json``.
    """
    found: List[Evidence] = []
    for path in repo.find_names("config.json", "model_index.json"):
        if not outside_skipped_folders(path) or path.count("/") > 2:
            continue
        data = config_json(repo, path)
        if data is None:
            continue
        architectures = data.get("architectures")
        if isinstance(data.get("model_type"), str) and isinstance(architectures, list) and architectures:
            text = f"{data['model_type']}: {', '.join(str(a) for a in architectures[:3])}"
            found.append(Evidence(path, json_key_line(repo, path, "architectures"), "transformers", clip(text)))
        elif isinstance(data.get("_class_name"), str) and ("_diffusers_version" in data or path.endswith("model_index.json")):
            found.append(Evidence(path, json_key_line(repo, path, "_class_name"), "diffusers", clip(data["_class_name"])))
    return found


# Architecture families of the common libraries (transformers model types, llama.cpp/GGUF architecture names).
KNOWN_ARCHITECTURES = frozenset({
    "llama", "mistral", "mixtral", "falcon", "gpt2", "gpt_neox", "gptneox", "gptj", "mpt", "qwen", "qwen2", "qwen2_moe",
    "gemma", "gemma2", "phi", "phi2", "phi3", "starcoder", "starcoder2", "bloom", "t5", "bert", "roberta", "stablelm",
    "cohere", "command-r", "deepseek", "deepseek2", "internlm2", "baichuan", "chatglm", "olmo", "opt", "gpt_bigcode",
})
_ARCHITECTURE_KEY_RE = re.compile(r"^(?:architecture|model_type|arch)\s*:\s*[\"']?([\w.-]{1,40})[\"']?\s*$", re.MULTILINE)
MAX_MANIFEST_CHARS = 64 * 1024


def _manifest_architectures(repo: Repo) -> List[Evidence]:
    """A model manifest (YAML at the release's top, e.g. ``manifest.yaml``) whose top-level ``architecture`` key
    names a known architecture family ("architecture: llama" beside its dimensions)."""
    for path in config_files(repo):
        if path.count("/") > 1 or not path.lower().endswith((".yaml", ".yml")):
            continue
        text = repo.text(path)
        match = _ARCHITECTURE_KEY_RE.search(text[:MAX_MANIFEST_CHARS]) if text else None
        if match and match.group(1).lower() in KNOWN_ARCHITECTURES:
            return [Evidence(path, text.count("\n", 0, match.start()) + 1, "manifest", clip(match.group(0)))]
    return []


@detector
def named_architectures(repo: Repo) -> List[Evidence]:
    """Standard architectures named rather than configured: a transformers model class in code or in the card's code
    (``kind`` "library-class"), a Hub base model of an adapter or fine-tune (``kind`` "base-model"), or a model
    manifest's known architecture family (``kind`` "manifest")."""
    return _library_class_references(repo) + _hub_base_models(repo) + _manifest_architectures(repo)


NETWORK_CLASS_RE = re.compile(
    r"^\s*class\s+\w+\s*\([^)]*\b(?:nn\.Module|Module|PreTrainedModel|\w+PreTrainedModel|FlaxPreTrainedModel|"
    r"nn\.Layer|keras\.Model|tf\.keras\.Model|Model|LightningModule|eqx\.Module|hk\.Module|nnx\.Module|"
    r"linen\.Module|torch\.nn\.Module)\b"
)

NETWORK_CLASS_MULTILINE_RE = re.compile(NETWORK_CLASS_RE.pattern.replace(r"^\s*class", r"^[ \t]*class", 1).replace(r"[^)]*", r"[^)\n]*", 1), re.MULTILINE)


# TensorFlow 1 builds the network into a graph: weights created inside variable scopes, by plain functions or by a
# class with no framework base (``class PebbleModel(object)``). Importing tensorflow, restoring a checkpoint or
# creating optimiser slots outside any scope defines no network.
_TF1_SCOPE_RE = re.compile(r"^([ \t]*)with[ \t]+(?:tf\.|tf\.compat\.v1\.)?variable_scope\(")
_TF1_WEIGHTS_RE = re.compile(
    r"\btf\.(?:compat\.v1\.)?(?:get_variable|Variable|layers\.(?:dense|conv[123]d|conv2d_transpose|separable_conv2d|"
    r"batch_normalization))\("
)
_DEFINITION_RE = re.compile(r"^(?:def|class)[ \t]+\w")


def _graph_definition(repo: Repo, path: str) -> Optional[Tuple[Optional[int], str]]:
    """``(line, text)`` of the top-level function or class (else the ``with`` line) that creates TensorFlow 1
    weights inside a ``tf.variable_scope`` block, or None. One pass; a block ends at the first non-blank line
    indented no deeper than its ``with``."""
    text = repo.text(path)
    if not text or "variable_scope" not in text:
        return None
    definition: Optional[Tuple[Optional[int], str]] = None
    scope: Optional[Tuple[int, Optional[int], str]] = None  # indent, line and text of the outermost open scope
    for number, line in code_lines(repo, path):
        stripped = line.strip()
        if not stripped or is_comment(line):
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        if scope is not None and indent <= scope[0]:
            scope = None
        if _DEFINITION_RE.match(line):
            definition = (number, line)
        elif indent == 0 and not stripped.startswith(("@", ")")):
            definition = None  # module-level code between definitions belongs to none of them
        if scope is None:
            opened = _TF1_SCOPE_RE.match(line)
            if opened:
                scope = (indent, number, line)
                # "with tf.variable_scope('w'): w = tf.get_variable(...)" on one line
                if not _TF1_WEIGHTS_RE.search(line[opened.end() :]):
                    continue
        if scope is not None and _TF1_WEIGHTS_RE.search(line):
            return definition if definition is not None and scope[0] > 0 else (scope[1], scope[2])
    return None


@detector
def model_definitions(repo: Repo) -> List[Evidence]:
    """Networks defined in code, one per file: classes deriving from ``nn.Module``, ``PreTrainedModel``,
    ``keras.Model``, Flax/Equinox/Haiku modules... (``kind`` "class", ``line`` the class statement), else
    TensorFlow 1 graph code that creates weights in variable scopes (``kind`` "graph", ``line`` the top-level
    function or class that does)."""
    found: List[Evidence] = []
    for path in code_files(repo):
        if not path.lower().endswith((".py", ".ipynb")) or TEST_PATH.search(path):
            continue
        hit = first_code_match(repo, path, NETWORK_CLASS_MULTILINE_RE, ("class",))
        if hit:
            found.append(Evidence(path, hit[0], "class", clip(hit[1])))
            continue
        graph = _graph_definition(repo, path)
        if graph:
            found.append(Evidence(path, graph[0], "graph", clip(graph[1])))
    return found
