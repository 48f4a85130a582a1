"""ENV001-ENV004: dependency specification, pins, framework and Python versions."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from release_lint import lint
from release_lint.detectors.dependency_files import parse_requirements, requirement_files
from release_lint.detectors.environment import framework_versions
from release_lint.repo import Repo
from tests.conftest import copy_fixture, finding_tuples, make_repo

ENV = ["ENV"]


def env_findings(path):
    return finding_tuples(lint(path, select=ENV))


def test_weights_only_has_no_environment(tmp_path):
    repo = copy_fixture("weights-only", tmp_path / "r")
    assert env_findings(repo) == [("ENV001", None, None), ("ENV003", None, None), ("ENV004", None, None)]


def test_fully_open_environment_is_complete(tmp_path):
    repo = copy_fixture("fully-open", tmp_path / "r")
    assert env_findings(repo) == []


def test_markers_hashes_continuations_and_includes_are_pinned(tmp_path):
    repo = copy_fixture("env-markers-hashes", tmp_path / "r")
    assert env_findings(repo) == []
    files = {f.path: f for f in requirement_files(Repo(str(repo)))}
    assert sorted(files) == ["requirements.txt", "requirements/base.txt"]
    kinds = [(r.line, r.kind, r.name, r.pinned) for r in files["requirements.txt"].lines]
    assert kinds == [
        (2, "option", None, False),
        (3, "option", None, False),
        (4, "include", None, False),
        (5, "editable", None, True),
        (7, "requirement", "torch", True),
        (10, "requirement", "torch", True),
        (11, "url", "flash-attn", True),
        (12, "url", "pebble-kernels", True),
        (13, "requirement", "transformers", True),
    ]
    assert files["requirements.txt"].lines[4].marker == 'sys_platform == "linux"'
    assert [(r.line, r.name) for r in files["requirements/base.txt"].lines] == [(1, "numpy"), (2, "pyyaml")]


def test_unpinned_requirements_one_finding_per_file(tmp_path):
    repo = copy_fixture("env-unpinned", tmp_path / "r")
    result = lint(repo, select=["ENV002"])
    assert finding_tuples(result) == [("ENV002", "requirements.txt", 3)]
    message = result.findings[0].message
    assert message.startswith("6 of 8 requirements have no exact version")
    assert "torch>=2.0 (line 3), transformers (line 4), datasets~=2.20 (line 5), numpy==1.26.* (line 6)" in message
    assert message.endswith("and 1 more")
    assert "accelerate" not in message and "pip (line" not in message


def test_max_listed_option(tmp_path):
    make_repo(tmp_path, {"requirements.txt": "a\nb\nc\n", "pyproject.toml": "[tool.release-lint.options.ENV002]\nmax_listed = 1\n"})
    message = lint(tmp_path, select=["ENV002"]).findings[0].message
    assert message.endswith("a (line 1) and 2 more")


@pytest.mark.parametrize("lock", ["poetry.lock", "uv.lock", "Pipfile.lock", "conda-lock.yml", "requirements.lock"])
def test_lock_file_silences_unpinned(tmp_path, lock):
    make_repo(tmp_path, {"requirements.txt": "torch>=2\n", lock: "# lock\n"})
    assert "ENV002" not in [c for c, _p, _l in env_findings(tmp_path)]


def test_constraints_file_pins_requirements(tmp_path):
    make_repo(tmp_path, {"requirements.txt": "-c constraints.txt\ntorch\nnumpy\n", "constraints.txt": "torch==2.3.1\n"})
    result = lint(tmp_path, select=["ENV002"])
    assert finding_tuples(result) == [("ENV002", "requirements.txt", 3)]
    assert result.findings[0].message.startswith("1 of 2 requirement has")


def test_conda_environment_unpinned(tmp_path):
    env = (
        "name: pebble\nchannels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pytorch=2.3.1\n  - numpy\n"
        "  - pip\n  - pip:\n    - transformers==4.44.2\n    - datasets>=2\n"
    )
    make_repo(tmp_path, {"environment.yml": env})
    result = lint(tmp_path, select=ENV)
    assert finding_tuples(result) == [("ENV002", "environment.yml", 6)]
    assert "numpy (line 6), datasets>=2 (line 10)" in result.findings[0].message


@pytest.mark.parametrize(
    "files",
    [
        {"pyproject.toml": '[project]\nname = "x"\ndependencies = [\n  "torch",\n]\n'},
        {"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.10"\n'},
        {"setup.py": "setup(install_requires=['torch'])\n"},
        {"Dockerfile": "FROM python:3.11\n"},
        {".devcontainer/devcontainer.json": "{}\n"},
        {"flake.nix": "{}\n"},
        {"Pipfile": "[packages]\n"},
        {"requirements/train.txt": "torch==2.3.1\n"},
        {"docs/install.md": "pip install torch\n"},  # a weak specification (real-repo class A4); ENV002 flags the pin
    ],
)
def test_dependency_specifications(tmp_path, files):
    make_repo(tmp_path, files)
    assert "ENV001" not in [c for c, _p, _l in env_findings(tmp_path)]


@pytest.mark.parametrize(
    "files",
    [
        {"pyproject.toml": "[tool.black]\nline-length = 100\n"},  # tool settings, no dependencies
        {"requirements.txt": "# nothing yet\n--index-url https://pypi.org/simple\n"},
        {"docs/install.md": "pip install -e .\n"},  # installs the project itself: names no dependency
    ],
)
def test_dependency_look_alikes(tmp_path, files):
    make_repo(tmp_path, files)
    assert ("ENV001", None, None) in env_findings(tmp_path)


@pytest.mark.parametrize(
    "files, expected",
    [
        ({"requirements.txt": "torch==2.1.0+cu121\n"}, {("PyTorch", "2.1.0+cu121"), ("CUDA", "121")}),
        ({"Dockerfile": "FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel\n"}, {("PyTorch", "2.1.0"), ("CUDA", "12.1"), ("cuDNN", "8")}),
        ({"Dockerfile": "FROM nvcr.io/nvidia/pytorch:24.01-py3\n"}, {("NGC pytorch container", "24.01")}),
        ({"README.md": "# M\n\nTested with JAX 0.4.30 and CUDA 12.3.\n"}, {("JAX", "0.4.30"), ("CUDA", "12.3")}),
        ({"environment.yml": "dependencies:\n  - pytorch=2.3.1\n  - pytorch-cuda=12.1\n"}, {("PyTorch", "2.3.1"), ("CUDA", "12.1")}),
        ({"uv.lock": '[[package]]\nname = "torch"\nversion = "2.4.0"\n'}, {("PyTorch", "2.4.0")}),
    ],
)
def test_framework_versions(tmp_path, files, expected):
    make_repo(tmp_path, files)
    assert {(v.name, v.version) for v in framework_versions(Repo(str(tmp_path)))} == expected


@pytest.mark.parametrize(
    "files",
    [
        {"requirements.txt": "torch>=2.0\ntransformers\n"},  # ranges are not stated versions
        {"config.json": '{"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "transformers_version": "4.44.2"}'},
        {"README.md": "# M\n\nWorks with PyTorch.\n"},
    ],
)
def test_framework_version_look_alikes(tmp_path, files):
    make_repo(tmp_path, files)
    assert ("ENV003", None, None) in env_findings(tmp_path)


@pytest.mark.parametrize(
    "files",
    [
        {".python-version": "3.11\n"},
        {"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.10"\n'},
        {"environment.yml": "dependencies:\n  - python=3.10\n"},
        {"Dockerfile": "FROM python:3.11-slim\n"},
        {"README.md": "# M\n\nRequires Python 3.10 or newer.\n"},
        {".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: '3.11'\n"},
    ],
)
def test_python_version_statements(tmp_path, files):
    make_repo(tmp_path, files)
    assert "ENV004" not in [c for c, _p, _l in env_findings(tmp_path)]


def test_python_version_look_alike(tmp_path):
    make_repo(tmp_path, {"README.md": "# M\n\nWritten in Python. Uses numpy 3.1 features.\n", "requirements.txt": "numpy==1.26.4\n"})
    assert ("ENV004", None, None) in env_findings(tmp_path)


# --- properties -----------------------------------------------------------------------------------------------

REQUIREMENT_ALPHABET = st.sampled_from(list("abc-_.=<>!~;@#[], \\\n\"'/:+*0123456789") + ["-r ", "-e ", "--hash=sha256:", "git+https://", "python_version", " and "])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=500), st.lists(REQUIREMENT_ALPHABET, max_size=200).map("".join)))
def test_requirement_parsing_never_raises(text):
    for line in parse_requirements(text):
        assert line.line >= 1
        assert line.kind in ("requirement", "url", "editable", "include", "constraint", "option", "invalid")


@pytest.mark.parametrize("unit", ["torch==2.3.1 \\\n", "a" * 100 + "\n", "x[" * 50 + "\n", "-r " + "a/" * 50 + "\n", "# " + "=" * 100 + "\n"])
def test_requirement_parsing_of_pathological_files(unit):
    # Their cost is measured by bench/linearity.py (tests time nothing); here: every line is accounted for.
    lines = list(parse_requirements(unit * 2000))
    assert all(1 <= line.line <= 2000 for line in lines)
    assert bool(lines) is not unit.startswith("#")  # comment lines are no requirement


def test_unpinned_requirements_in_two_files_and_a_conda_environment(tmp_path):
    # Training and serving requirements plus a conda environment, none locked: one finding per file.
    env = "name: pebble\ndependencies:\n  - python=3.11\n  - pytorch\n"
    make_repo(tmp_path, {"requirements.txt": "torch==2.3.1\ntransformers>=4.40\n",
                         "requirements-serve.txt": "fastapi\nuvicorn==0.30.1\n", "environment.yml": env})
    assert finding_tuples(lint(tmp_path, select=["ENV002"])) == [
        ("ENV002", "environment.yml", 4), ("ENV002", "requirements-serve.txt", 1), ("ENV002", "requirements.txt", 2)]


def test_an_unpinned_install_command_is_a_weak_specification(tmp_path):
    # ENV001 is satisfied by the documented install command (A4), and ENV002 says it pins nothing.
    make_repo(tmp_path, {"docs/install.md": "pip install torch\n"})
    assert [f for f in env_findings(tmp_path) if f[0] in ("ENV001", "ENV002")] == [("ENV002", "docs/install.md", 1)]
