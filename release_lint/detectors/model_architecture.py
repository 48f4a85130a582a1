"""The model's architecture: standard ones configured or named, and network classes defined in code."""

from __future__ import annotations

import json
import re
from typing import List, Optional, Tuple

from release_lint.detectors.code_and_docs import (
    TEST_PATH, code_files, code_lines, config_files, documentation_files, first_code_match, markdown_lines,
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
_HUB_MODEL_ID_RE = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}$")
# An Auto class told to run the Hub repository's own modeling code: the architecture is that code, not the library's.
_REMOTE_CODE_RE = re.compile(r"trust_remote_code\s*=\s*True")
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


def _library_class_references(repo: Repo) -> List[Evidence]:
    """The first code file, and the first card/doc code line, that names a library model class (not when the
    call tells an Auto class to run the Hub repository's own code, ``trust_remote_code=True`` on any of its lines)."""
    found: List[Evidence] = []
    for path in code_files(repo)[:MAX_ARCHITECTURE_FILES]:
        if path.lower().endswith((".py", ".ipynb")) and not TEST_PATH.search(path):
            hit = first_code_match(repo, path, LIBRARY_MODEL_CLASS_RE, ("from_pretrained(", "from transformers"))
            if hit and not _REMOTE_CODE_RE.search(_call_text(code_lines(repo, path), hit[0]) or hit[1]):
                found.append(Evidence(path, hit[0], "library-class", clip(hit[1])))
                break
    for path in documentation_files(repo)[:20]:
        lines = None
        for number, line, in_fence in markdown_lines(repo, path):
            if in_fence and LIBRARY_MODEL_CLASS_RE.search(line):
                lines = lines or [(n, t) for n, t, _f in markdown_lines(repo, path)]
                if not _REMOTE_CODE_RE.search(_call_text(lines, number) or line):
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
        if isinstance(base, str) and _HUB_MODEL_ID_RE.match(base.strip()):
            found.append(Evidence(path, json_key_line(repo, path, "base_model_name_or_path"), "base-model", clip(base)))
    card = model_card(repo)
    doc = repo.markdown(card) if card else None
    if doc is not None:
        base = doc.front_matter.mapping.get("base_model")
        base = base[0] if isinstance(base, list) and base else base
        if isinstance(base, str) and _HUB_MODEL_ID_RE.match(base.strip()):
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


@detector
def model_definitions(repo: Repo) -> List[Evidence]:
    """Classes that define a network (subclasses of ``nn.Module``, ``PreTrainedModel``, ``keras.Model``,
    Flax/Equinox/Haiku modules...), one per file: ``kind`` "class", ``line`` the class statement."""
    found: List[Evidence] = []
    for path in code_files(repo):
        if not path.lower().endswith((".py", ".ipynb")) or TEST_PATH.search(path):
            continue
        hit = first_code_match(repo, path, NETWORK_CLASS_MULTILINE_RE, ("class",))
        if hit:
            found.append(Evidence(path, hit[0], "class", clip(hit[1])))
    return found
