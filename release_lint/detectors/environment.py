"""The software environment's stated versions, read as text: the deep-learning framework and accelerator stack
(pins, lock files, container base images, prose) and the Python version. The specification files themselves
are read by :mod:`release_lint.detectors.dependency_files`; nothing is installed, imported or executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

from release_lint.detectors.code_and_docs import documentation_files
from release_lint.detectors.dependency_files import (
    CONDA_ENV_RE, DOCKERFILE_RE, MAX_LINE_CHARS, REQUIREMENT_NAME_RE, first_matching_line, requirement_files,
)
from release_lint.detectors.evidence import Evidence, clip
from release_lint.repo import Repo, detector

# --- framework and accelerator-stack versions -----------------------------------------------------------------

# Canonical project name -> what it is called in messages.
FRAMEWORK_PACKAGES = {
    "torch": "PyTorch", "pytorch": "PyTorch", "jax": "JAX", "jaxlib": "JAX", "flax": "Flax", "tensorflow": "TensorFlow",
    "tensorflow-gpu": "TensorFlow", "tf-nightly": "TensorFlow", "keras": "Keras", "transformers": "Transformers",
    "deepspeed": "DeepSpeed", "megatron-core": "Megatron", "megatron-lm": "Megatron", "accelerate": "Accelerate",
    "lightning": "Lightning", "pytorch-lightning": "Lightning", "paddlepaddle": "PaddlePaddle",
    "paddlepaddle-gpu": "PaddlePaddle", "mxnet": "MXNet", "mlx": "MLX", "diffusers": "Diffusers", "peft": "PEFT",
    "trl": "TRL", "vllm": "vLLM", "cudatoolkit": "CUDA", "pytorch-cuda": "CUDA", "cuda-version": "CUDA",
    "cuda-toolkit": "CUDA", "cudnn": "cuDNN", "nccl": "NCCL",
}
NVIDIA_WHEEL_RE = re.compile(r"^nvidia-(cudnn|nccl|cuda-runtime|cuda-nvcc|cublas)[\w-]*-cu\d+$")
PROSE_VERSION_RE = re.compile(
    r"(?<![\w./-])(PyTorch|torch|JAX|jaxlib|TensorFlow|Transformers|DeepSpeed|Megatron(?:-LM|-Core)?|Flax|Keras|CUDA|"
    r"ROCm|cuDNN|NCCL|Lightning|PaddlePaddle|MXNet|vLLM)(?:[ \t]+version)?[ \t]*(?:==|=|:|[ \t]v|[ \t])[ \t]*v?(\d+(?:\.\d+)+)\b",
    re.IGNORECASE,
)
# One run of spaces before the operator (the extras' spaces belong to them): two adjacent \s* runs around an
# optional group try every split of a long run of spaces.
SPEC_STRING_RE = re.compile(r"""(?<![\w.-])([A-Za-z][\w.-]{0,40})\s*(?:\[[^\]]{0,80}\]\s*)?(===|==|~=|=)\s*v?(\d+(?:\.\d+)+(?:[\w.+-]{0,30}))""")
IMAGE_RE = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)", re.IGNORECASE)
IMAGE_LABELS = {"pytorch": "PyTorch", "tensorflow": "TensorFlow", "jax": "JAX", "cuda": "CUDA", "rocm": "ROCm"}
TAG_STACK_RE = re.compile(r"(cuda|cudnn|rocm|pytorch|torch)[_-]?v?(\d+(?:\.\d+)*)", re.IGNORECASE)
NGC_RE = re.compile(r"nvcr\.io/nvidia/(pytorch|tensorflow|jax|nemo)[^:]*:(\d{2}\.\d{2})", re.IGNORECASE)
LOCAL_CUDA_RE = re.compile(r"\+cu(\d{2,3})\b")


@dataclass(frozen=True)
class FrameworkVersion:
    """A stated version: ``name`` as called in messages ("PyTorch", "CUDA"...), ``version`` as written,
    ``source`` "pin" (a requirement/lock/conda pin), "container" (a base image tag) or "doc" (prose or a comment)."""

    name: str
    version: str
    path: str
    line: Optional[int]
    source: str

    def to_dict(self) -> dict:
        return {"name": self.name, "version": self.version, "path": self.path, "line": self.line, "source": self.source}


PROSE_LABELS = {
    "pytorch": "PyTorch", "torch": "PyTorch", "jax": "JAX", "jaxlib": "JAX", "tensorflow": "TensorFlow",
    "transformers": "Transformers", "deepspeed": "DeepSpeed", "megatron": "Megatron", "megatron-lm": "Megatron",
    "megatron-core": "Megatron", "flax": "Flax", "keras": "Keras", "cuda": "CUDA", "rocm": "ROCm", "cudnn": "cuDNN",
    "nccl": "NCCL", "lightning": "Lightning", "paddlepaddle": "PaddlePaddle", "mxnet": "MXNet", "vllm": "vLLM",
}


def _prose_versions(path: str, lines) -> List[FrameworkVersion]:
    found = []
    for number, line in lines:
        for match in PROSE_VERSION_RE.finditer(line[:MAX_LINE_CHARS]):
            found.append(FrameworkVersion(PROSE_LABELS[match.group(1).lower()], match.group(2), path, number, "doc"))
    return found


def _spec_versions(path: str, lines) -> List[FrameworkVersion]:
    found = []
    for number, line in lines:
        for match in SPEC_STRING_RE.finditer(line[:MAX_LINE_CHARS]):
            name = match.group(1).lower().replace("_", "-")
            label = FRAMEWORK_PACKAGES.get(name)
            if label:
                found.append(FrameworkVersion(label, match.group(3), path, number, "pin"))
    return found


def _image_versions(image: str, path: str, line: int) -> List[FrameworkVersion]:
    """Versions in a base image: ``pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel``, ``nvidia/cuda:12.1.0-devel``,
    ``rocm/pytorch:rocm6.0_ubuntu20.04_py3.9_pytorch_2.1.1``, ``nvcr.io/nvidia/pytorch:24.01-py3`` (an NGC release)."""
    found: List[FrameworkVersion] = []
    ngc = NGC_RE.search(image)
    if ngc:
        return [FrameworkVersion(f"NGC {ngc.group(1).lower()} container", ngc.group(2), path, line, "container")]
    repository, _, tag = image.partition(":")
    last = repository.rsplit("/", 1)[-1].lower()
    label = next((IMAGE_LABELS[k] for k in IMAGE_LABELS if k in last), None)
    leading = re.match(r"v?(\d+\.\d+(?:\.\d+)?)", tag)
    if label and leading:
        found.append(FrameworkVersion(label, leading.group(1), path, line, "container"))
    for match in TAG_STACK_RE.finditer(tag):
        name = {"cudnn": "cuDNN", "rocm": "ROCm", "cuda": "CUDA"}.get(match.group(1).lower(), "PyTorch")
        found.append(FrameworkVersion(name, match.group(2), path, line, "container"))
    return found


@detector
def framework_versions(repo: Repo) -> List[FrameworkVersion]:
    """Versions of the deep-learning framework and accelerator stack that the release states: exact pins in
    requirement files (``torch==2.3.1``; ``+cu121`` local versions and ``nvidia-*-cu12`` wheels give CUDA),
    pyproject/setup/conda/Pipfile/lock files, container base images (``pytorch/pytorch:2.1.0-cuda12.1-...``,
    ``nvcr.io/nvidia/pytorch:24.01-py3``), and prose in docs or requirement comments ("CUDA 12.1")."""
    found: List[FrameworkVersion] = []
    for requirements in requirement_files(repo):
        for requirement in requirements.lines:
            if requirement.kind != "requirement" or not requirement.name:
                continue
            exact = [s for s in requirement.specifier.split(",") if s.startswith(("==", "===", "~="))]
            label = FRAMEWORK_PACKAGES.get(requirement.name)
            wheel = NVIDIA_WHEEL_RE.match(requirement.name)
            if wheel and exact:
                label = {"cudnn": "cuDNN", "nccl": "NCCL"}.get(wheel.group(1), "CUDA")
            if label and exact:
                version = exact[0].lstrip("=~")
                found.append(FrameworkVersion(label, version, requirements.path, requirement.line, "pin"))
                cuda = LOCAL_CUDA_RE.search(version)
                if cuda:
                    found.append(FrameworkVersion("CUDA", cuda.group(1), requirements.path, requirement.line, "pin"))
        # Comments often say what the pins were tested with ("# Python 3.11, CUDA 12.1").
        lines = [(n, l) for n, l in enumerate(repo.lines(requirements.path), 1) if "#" in l]
        found.extend(_prose_versions(requirements.path, [(n, l[l.index("#"):]) for n, l in lines]))
    for path in repo.files:
        name = path.rsplit("/", 1)[-1]
        lower = name.lower()
        if lower in ("pyproject.toml", "setup.py", "setup.cfg", "pipfile") or CONDA_ENV_RE.match(name):
            found.extend(_spec_versions(path, enumerate(repo.lines(path), 1)))
        elif lower in ("poetry.lock", "uv.lock", "pdm.lock"):
            current = None
            for number, line in enumerate(repo.lines(path), 1):
                match = re.match(r'^name\s*=\s*"([^"]+)"', line)
                if match:
                    current = match.group(1).lower()
                    continue
                match = re.match(r'^version\s*=\s*"([^"]+)"', line)
                if match and current in FRAMEWORK_PACKAGES:
                    found.append(FrameworkVersion(FRAMEWORK_PACKAGES[current], match.group(1), path, number, "pin"))
                    current = None
        elif DOCKERFILE_RE.search(name):
            for number, line in enumerate(repo.lines(path), 1):
                image = IMAGE_RE.match(line)
                if image:
                    found.extend(_image_versions(image.group(1), path, number))
                elif "install" in line:
                    found.extend(_spec_versions(path, [(number, line)]))
    for path in documentation_files(repo):
        found.extend(_prose_versions(path, enumerate(repo.lines(path), 1)))
    return sorted(set(found), key=lambda v: (v.path, v.line or 0, v.name))


# --- Python version ---------------------------------------------------------------------------------------------

PYTHON_PROSE_RE = re.compile(r"\b(?:Python|CPython|py)[ \t]*(?:version[ \t]*)?(?:>=|==|~=|≥|=|:|[ \t]v)?[ \t]*(3\.\d{1,2})(?![\d])", re.IGNORECASE)
PYTHON_KEY_PATTERNS = (
    ("pyproject.toml", re.compile(r"^\s*(?:requires-python|python)\s*=\s*[\"'][^\"']*\d")),
    ("setup.py", re.compile(r"\bpython_requires\s*=|Programming Language :: Python :: 3\.\d")),
    ("setup.cfg", re.compile(r"^\s*python_requires\s*=|Programming Language :: Python :: 3\.\d")),
    ("pipfile", re.compile(r"^\s*python_(?:full_)?version\s*=")),
    ("runtime.txt", re.compile(r"python-?3\.\d")),
    (".tool-versions", re.compile(r"^\s*python\s+3\.\d")),
    (".python-version", re.compile(r"^\s*(?:cpython-|pypy)?3\.\d")),
)
DOCKER_PYTHON_RE = re.compile(r"^\s*FROM\s+\S*python:3\.\d|python3\.\d{1,2}\b|\bpy3\d{1,2}\b|\bpython=3\.\d", re.IGNORECASE)
CONDA_PYTHON_RE = re.compile(r"^\s*-\s+python\s*(?:=|==|>=|<|~=)\s*3")
WORKFLOW_PYTHON_RE = re.compile(r"python-version\s*:\s*[\"'\[]*3\.\d")


@detector
def python_version_statements(repo: Repo) -> List[Evidence]:
    """Where the Python version is stated: ``kind`` "file" (.python-version, runtime.txt, .tool-versions),
    "pyproject"/"setup"/"pipfile" (requires-python, python_requires, classifiers, python_version), "conda"
    (``- python=3.10``), "container" (``FROM python:3.11``), "ci" (``python-version:`` in a workflow) or "doc"
    (prose such as "Python 3.10" in the card, docs or a requirements comment). Path and line of each."""
    found: List[Evidence] = []
    keyed = dict(PYTHON_KEY_PATTERNS)
    for path in repo.files:
        name = path.rsplit("/", 1)[-1]
        lower = name.lower()
        pattern = None
        kind = "file"
        if lower in keyed:
            pattern = keyed[lower]
            kind = {"pyproject.toml": "pyproject", "setup.py": "setup", "setup.cfg": "setup", "pipfile": "pipfile"}.get(lower, "file")
        elif CONDA_ENV_RE.match(name):
            pattern, kind = CONDA_PYTHON_RE, "conda"
        elif DOCKERFILE_RE.search(name):
            pattern, kind = DOCKER_PYTHON_RE, "container"
        elif path.startswith(".github/workflows/") and lower.endswith((".yml", ".yaml")):
            pattern, kind = WORKFLOW_PYTHON_RE, "ci"
        elif REQUIREMENT_NAME_RE.match(name):
            pattern, kind = re.compile(r"#.*" + PYTHON_PROSE_RE.pattern, re.IGNORECASE), "doc"
        if pattern is None:
            continue
        line = first_matching_line(repo, path, pattern)
        if line:
            found.append(Evidence(path, line, kind, clip(repo.lines(path)[line - 1])))
    for path in documentation_files(repo):
        line = first_matching_line(repo, path, PYTHON_PROSE_RE)
        if line:
            found.append(Evidence(path, line, "doc", clip(repo.lines(path)[line - 1])))
    return sorted(found, key=lambda e: (e.path, e.line or 0))
