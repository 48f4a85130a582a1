"""Environment: the software a rerun needs — dependencies, their versions, the framework and Python."""

from __future__ import annotations

import re

from release_lint.detectors.dependency_files import (
    conda_environment_files,
    conda_unpinned,
    dependency_specs,
    lock_files,
    pyproject_versionless,
    requirement_files,
    resolve_include,
)
from release_lint.detectors.environment import framework_versions, python_version_statements
from release_lint.detectors.install_commands import documented_dependencies, unlisted_imports
from release_lint.findings import Problem
from release_lint.registry import rule

# The packages whose version decides what a model computes.
_NUMERIC_FRAMEWORKS = {"torch", "jax", "jaxlib", "tensorflow", "tensorflow-gpu", "paddlepaddle", "paddlepaddle-gpu", "mxnet", "mlx"}

PWC = "https://github.com/paperswithcode/releasing-research-code"
PIP_FORMAT = "https://pip.pypa.io/en/stable/reference/requirements-file-format/"
PEP508 = "https://peps.python.org/pep-0508/"
FMTI = "https://crfm.stanford.edu/fmti/"
HF_CARDS = "https://huggingface.co/docs/hub/model-cards"


@rule(
    code="ENV001",
    name="environment-missing",
    severity="error",
    summary="The release has no dependency specification.",
    rationale=(
        "Code without its environment rarely runs a year later. The Papers with Code checklist puts the "
        "specification of dependencies first; a requirements file, lock file or container image is the minimum."
    ),
    fix=(
        "Add a dependency specification: requirements.txt, pyproject.toml dependencies with a lock file, environment.yml or a Dockerfile.\n"
        "Example requirements.txt:\n  torch==2.3.1\n  transformers==4.44.2"
    ),
    references=(PWC, PIP_FORMAT),
)
def environment_missing(ctx):
    # An install command or a versions list in the docs is a weak specification, but one: ENV002 judges its pins.
    if not dependency_specs(ctx.repo) and not documented_dependencies(ctx.repo):
        yield Problem(
            "no dependency specification: looked for requirements*.txt, pyproject.toml/setup.py dependencies, "
            "environment.yml, Pipfile, poetry.lock, uv.lock, conda-lock, Dockerfile/Containerfile, .devcontainer and Nix flakes"
        )


def _summary(unpinned, total, listed, lacking="no exact version"):
    named = ", ".join(f"{text} (line {line})" for line, text in unpinned[:listed])
    more = f" and {len(unpinned) - listed} more" if len(unpinned) > listed else ""
    noun = "requirement has" if len(unpinned) == 1 else "requirements have"
    return f"{len(unpinned)} of {total} {noun} {lacking} and there is no lock file: {named}{more}"


@rule(
    code="ENV002",
    name="dependencies-unpinned",
    severity="warning",
    summary="Requirements have no exact versions and no lock file pins them.",
    rationale=(
        "A range such as torch>=2.0 installs a different stack every month; numerics, defaults and APIs change. "
        "Exact pins (==) or a lock file make the environment of the release reproducible."
    ),
    fix=(
        "Pin every requirement to the version used for the release (==), or commit a lock file.\n"
        "Example: `pip freeze > requirements.txt`, `pip-compile --generate-hashes`, `uv lock` or `poetry lock`."
    ),
    references=(PIP_FORMAT, PEP508, PWC),
    options={"max_listed": (int, 5)},
)
def dependencies_unpinned(ctx):
    if lock_files(ctx.repo):
        return
    listed = max(1, int(ctx.options.get("max_listed", 5)))
    files = requirement_files(ctx.repo)
    by_path = {f.path: f for f in files}
    for requirements in files:
        # Names pinned by a constraints file this file applies (-c) count as pinned.
        constrained = set()
        for line in requirements.lines:
            if line.kind == "constraint" and line.target:
                target = by_path.get(resolve_include(requirements.path, line.target))
                if target is not None:
                    constrained.update(r.name for r in target.lines if r.pinned and r.name)
        unpinned = [(r.line, r.text) for r in requirements.unpinned if r.name not in constrained or r.name is None]
        if not unpinned:
            continue
        total = sum(1 for r in requirements.lines if r.kind in ("requirement", "url", "editable"))
        yield Problem(_summary(unpinned, total, listed), path=requirements.path, line=unpinned[0][0], key=requirements.path)
    for path in conda_environment_files(ctx.repo):
        unpinned, total = conda_unpinned(ctx.repo, path)
        if unpinned:
            yield Problem(_summary(unpinned, total, listed), path=path, line=unpinned[0][0], key=path)
    if not files:
        # The package metadata is then the only specification: when no dependency has a version at all, or the
        # deep-learning framework itself has none, nothing that decides the numerics is pinned (ranges with a bare
        # helper or two are a library's deliberate choice, judged as such).
        versionless, total = pyproject_versionless(ctx.repo)
        bare_framework = any(re.match(r"[A-Za-z0-9_.-]+", text).group(0).lower() in _NUMERIC_FRAMEWORKS
                             for _line, text in versionless if re.match(r"[A-Za-z0-9_.-]+", text))
        if versionless and (len(versionless) == total or bare_framework):
            yield Problem(_summary(versionless, total, listed, "no version at all")
                          + " ([project] dependencies)", path="pyproject.toml", line=versionless[0][0], key="pyproject.toml")
    if not dependency_specs(ctx.repo):
        # Only documents state the environment: their install commands are the specification to pin.
        commands = [d for d in documented_dependencies(ctx.repo) if d.kind == "install-command"]
        loose = [d for d in commands if d.unpinned]
        if loose:
            names = list(dict.fromkeys(name for d in loose for name in d.unpinned))
            shown = ", ".join(names[:listed]) + (f" and {len(names) - listed} more" if len(names) > listed else "")
            yield Problem(f"the environment is stated only as install commands in documents, and {len(names)} "
                          f"package(s) have no exact version: {shown} (first at {loose[0].path}:{loose[0].line}); "
                          f"there is no requirements or lock file", path=loose[0].path, line=loose[0].line,
                          key=f"{loose[0].path}#install")
        lists = [d for d in documented_dependencies(ctx.repo) if d.kind == "versions-list"]
        if lists and not commands:
            # A card's "Framework versions" list pins a few frameworks; a package the training code also imports
            # is named nowhere, so it has no version: the environment cannot be rebuilt from the list.
            first = lists[0]
            missing = unlisted_imports(ctx.repo, tuple(p for d in lists for p in d.packages))
            if missing:
                shown = ", ".join(f"{e.text} ({e.path}:{e.line})" for e in missing[:listed])
                more = f" and {len(missing) - listed} more" if len(missing) > listed else ""
                yield Problem(f"the environment is stated only as the '{first.text}' list at {first.path}:{first.line}, "
                              f"and the training code imports {len(missing)} package(s) it does not name, so with no "
                              f"version: {shown}{more}; there is no requirements or lock file",
                              path=first.path, line=first.line, key=f"{first.path}#versions")


@rule(
    code="ENV003",
    name="framework-versions-unstated",
    severity="info",
    summary="Neither the deep-learning framework nor the accelerator stack version is stated.",
    rationale=(
        "Results depend on the framework (PyTorch, JAX, TensorFlow, Transformers, DeepSpeed, Megatron) and on "
        "CUDA/ROCm, cuDNN and NCCL. The Foundation Model Transparency Index and the Hugging Face card template "
        "(Technical Specifications: Software) ask for them."
    ),
    fix=(
        "Pin the framework in the requirements or state the versions in the card.\n"
        "Example: `torch==2.3.1` in requirements.txt, or \"Software: PyTorch 2.3.1, CUDA 12.1, NCCL 2.20\" in the card."
    ),
    references=(FMTI, HF_CARDS),
)
def framework_versions_unstated(ctx):
    if not framework_versions(ctx.repo):
        yield Problem(
            "no framework or accelerator-stack version: looked for exact pins of torch/jax/tensorflow/transformers/"
            "deepspeed/megatron, CUDA/ROCm/cuDNN/NCCL versions in requirements, lock files, container images and docs"
        )


@rule(
    code="ENV004",
    name="python-version-unstated",
    severity="info",
    summary="The Python version is not stated.",
    rationale=(
        "Packages, wheels and even numerical results differ between Python versions; pinned requirements only "
        "install on the versions they were resolved for."
    ),
    fix=(
        "State the Python version: requires-python in pyproject.toml, a .python-version file, python= in environment.yml, or the container base image.\n"
        "Example: `echo 3.11 > .python-version`"
    ),
    references=("https://packaging.python.org/en/latest/specifications/core-metadata/#requires-python", PWC),
)
def python_version_unstated(ctx):
    if not python_version_statements(ctx.repo):
        yield Problem(
            "no Python version: looked for .python-version, runtime.txt, requires-python/python_requires, "
            "environment.yml, Pipfile, container base images, CI workflows and the card or docs"
        )
