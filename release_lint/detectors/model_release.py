"""Whether the release ships a model: model-card metadata of a model, or model files."""

from __future__ import annotations

from release_lint.detectors.weights import DATA_ARRAY_EXTENSIONS, MODEL_FOLDER_RE, WEIGHT_EXTENSIONS
from release_lint.repo import Repo

# Files that make a repository a model release: weights, plus exported model formats.
MODEL_FILE_EXTENSIONS = WEIGHT_EXTENSIONS + (".tflite", ".mlmodel", ".pb", ".nemo")


# Array files are as often analysis outputs or data as weights: alone they do not make a model repository.
# Formats that only ever hold a model count anywhere; other weight files at the root or in a model folder.
_MODEL_ONLY_EXTENSIONS = (".safetensors", ".gguf", ".ggml", ".onnx", ".tflite", ".mlmodel", ".nemo", ".llamafile")


def ships_model(repo: Repo, mapping: dict) -> bool:
    """Whether the release is a model repository (Hub-style): card metadata of a model, or model files:
    a model-only format (safetensors, GGUF, ONNX ...) anywhere, other weight files at the root or in a model
    folder (checkpoints/, models/ ...). NumPy arrays and a config.json / adapter_config.json without weights
    do not count: training-code repositories commit both. A README of a code-only repository is not a Hub card."""
    if any(key in mapping for key in ("pipeline_tag", "library_name", "model-index", "base_model")):
        return True
    for path in repo.lower_files():
        if not path.endswith(MODEL_FILE_EXTENSIONS) or path.endswith(DATA_ARRAY_EXTENSIONS):
            continue
        if path.endswith(_MODEL_ONLY_EXTENSIONS) or "/" not in path or MODEL_FOLDER_RE.search(path):
            return True
    return False
