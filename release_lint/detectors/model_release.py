"""Whether the release ships a model: model-card metadata of a model, or model files."""

from __future__ import annotations

import re

from release_lint.detectors.weights import DATA_ARRAY_EXTENSIONS, WEIGHT_EXTENSIONS
from release_lint.repo import Repo

# Files that make a repository a model release: weights, plus exported model formats.
MODEL_FILE_EXTENSIONS = WEIGHT_EXTENSIONS + (".tflite", ".mlmodel", ".pb", ".nemo")


# Array files are as often analysis outputs or data as weights: alone they do not make a model repository.
# The tiny model a test suite loads is a fixture of the tests, not a released model.
_TEST_FOLDER_RE = re.compile(r"(?:^|/)(?:tests?|testing|test[-_]?fixtures|fixtures|test[-_]?data)/", re.IGNORECASE)


def ships_model(repo: Repo, mapping: dict) -> bool:
    """Whether the release is a model repository (Hub-style): card metadata of a model, or a model file
    (checkpoint, safetensors, GGUF, ONNX ...) anywhere but in a test folder (tests/, test_fixtures/), an example's
    checkpoint included. NumPy arrays and a config.json / adapter_config.json without weights do not count:
    training-code repositories commit both. A README of a code-only repository is not a Hub card."""
    if any(key in mapping for key in ("pipeline_tag", "library_name", "model-index", "base_model")):
        return True
    return any(path.endswith(MODEL_FILE_EXTENSIONS) and not path.endswith(DATA_ARRAY_EXTENSIONS)
               and not _TEST_FOLDER_RE.search(path) for path in repo.lower_files())
