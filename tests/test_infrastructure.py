"""HW001-HW006: accelerator, count, compute, memory, parallelism and energy statements, with look-alikes."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from release_lint import lint
from release_lint.detectors.hardware import hardware_facts
from release_lint.detectors.hardware_statements import extract_hardware
from release_lint.repo import Repo
from tests.conftest import copy_fixture, finding_tuples, make_repo

HW = ["HW"]
CARD_STATEMENT = "The model was trained on 512 A100-80GB GPUs for 21 days (≈ 258k GPU hours) with FSDP."


def hw_findings(path):
    return finding_tuples(lint(path, select=HW))


def kinds(text):
    return sorted({s.kind for s in extract_hardware([(1, text)], "README.md")})


def test_weights_only_reports_every_infrastructure_gap_on_the_card(tmp_path):
    repo = copy_fixture("weights-only", tmp_path / "r")
    assert hw_findings(repo) == [(f"HW00{n}", "README.md", None) for n in range(1, 7)]


def test_fully_open_documents_infrastructure(tmp_path):
    repo = copy_fixture("fully-open", tmp_path / "r")
    assert hw_findings(repo) == []
    assert hardware_facts(Repo(str(repo))).level == "present"


def test_card_statement_satisfies_hw001_to_hw005(tmp_path):
    repo = copy_fixture("hw-card-statement", tmp_path / "r")
    assert hw_findings(repo) == [("HW006", "README.md", 12)]
    facts = hardware_facts(Repo(str(repo)))
    assert [(s.value, s.line) for s in facts.accelerators] == [("NVIDIA A100", 12)]
    assert [(s.number, s.accelerator) for s in facts.counts if s.accelerator] == [(512.0, "NVIDIA A100")]
    assert {s.value for s in facts.compute} == {"258k GPU hours", "21 days"}
    assert [(s.value, s.accelerator) for s in facts.memory] == [("80 GB", "NVIDIA A100")]
    assert [s.value for s in facts.parallelism] == ["FSDP"]
    assert facts.level == "present"
    assert facts.to_dict()["accelerator"][0] == {
        "kind": "accelerator", "value": "NVIDIA A100", "path": "README.md", "line": 12, "text": "A100-80GB",
        "accelerator": None, "number": None, "topic": "training",
    }


def test_h100_only_in_links_hashes_paths_and_wheels_is_not_documentation(tmp_path):
    repo = copy_fixture("hw-link-only", tmp_path / "r")
    assert hw_findings(repo) == [(f"HW00{n}", "README.md", None) for n in range(1, 7)]
    facts = hardware_facts(Repo(str(repo)))
    assert facts.all() == []
    assert facts.level == "absent"


def test_partial_statement_points_at_the_named_accelerator(tmp_path):
    make_repo(tmp_path, {"README.md": "# M\n\n## Hardware\n\nTrained on NVIDIA H100 GPUs.\n"})
    assert hw_findings(tmp_path) == [(f"HW00{n}", "README.md", 5) for n in range(2, 7)]
    message = lint(tmp_path, select=["HW002"]).findings[0].message
    assert message.startswith("NVIDIA H100 is named at README.md:5 but no number of accelerators")
    assert hardware_facts(Repo(str(tmp_path))).level == "partial"


def test_no_card_reports_repository_level(tmp_path):
    make_repo(tmp_path, {"train.py": "x\n"})
    assert hw_findings(tmp_path) == [(f"HW00{n}", None, None) for n in range(1, 7)]


def test_statements_in_docs_and_configs_count(tmp_path):
    make_repo(tmp_path, {
        "README.md": "# M\n",
        "docs/compute.md": "# Compute\n\nPre-training took 6.3e23 FLOPs on TPU v4-1024 (about 40 days of training).\n",
        "configs/launch.yaml": "num_nodes: 128\nsharding_strategy: full_shard\ntensor_model_parallel_size: 4\n",
        "scripts/job.sbatch": "#!/bin/bash\n#SBATCH --nodes=128\n#SBATCH --gres=gpu:a100:8\n",
        "REPORT.md": "# Report\n\nEach host has 512 GB of RAM. Training used 41 MWh (15 tCO2eq).\n",
    })
    assert hw_findings(tmp_path) == []


def test_single_accelerator_needs_no_distributed_setup(tmp_path):
    make_repo(tmp_path, {"README.md": "# M\n\nFine-tuned on a single RTX 4090 (24 GB of VRAM) for 3 hours of training.\n"
                                      "Emissions: 0.4 kg CO2eq.\n"})
    assert hw_findings(tmp_path) == []


def test_cpu_only(tmp_path):
    make_repo(tmp_path, {"README.md": "# M\n\nThis tiny model was trained CPU-only on a laptop.\n"})
    assert [c for c, _p, _l in hw_findings(tmp_path)] == ["HW003", "HW004", "HW006"]


def test_changelog_and_requirements_are_not_read(tmp_path):
    make_repo(tmp_path, {"README.md": "# M\n", "CHANGELOG.md": "# 1.1\n\n- Support 8x H100 80GB nodes with FSDP.\n",
                         "requirements.txt": "nvidia-cublas-cu12==12.1.3.1\ntorch==2.3.1\n"})
    assert [c for c, _p, _l in hw_findings(tmp_path)] == ["HW001", "HW002", "HW003", "HW004", "HW005", "HW006"]


def test_co2_front_matter_counts_as_energy(tmp_path):
    make_repo(tmp_path, {"README.md": "---\nco2_eq_emissions:\n  emissions: 1200\n---\n# M\n"})
    assert "HW006" not in [c for c, _p, _l in hw_findings(tmp_path)]
    assert [(s.value, s.line) for s in hardware_facts(Repo(str(tmp_path))).energy] == [("co2_eq_emissions", 2)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2048 H800 GPUs", ["accelerator", "count"]),
        ("8x A100", ["accelerator", "count"]),
        ("A100 x 8", ["accelerator", "count"]),
        ("64 nodes of 8 GPUs", ["count", "parallelism"]),
        ("TPU v4-512", ["accelerator", "count"]),
        ("2x AMD Instinct MI250X", ["accelerator", "count"]),
        ("Intel Gaudi2 accelerators", ["accelerator"]),
        ("an Apple M2 Max laptop", ["accelerator"]),
        ("NVIDIA T4", ["accelerator"]),
        ("9,200 GPU hours", ["compute"]),
        ("| GPU hours | 9,200 |", ["compute"]),
        ("3.1 × 10^23 FLOPs", ["compute"]),
        ("80 GB of GPU memory", ["memory"]),
        ("VRAM: 24 GB", ["memory"]),
        ("ZeRO-3 with tensor parallelism", ["parallelism"]),
        ("nodes are connected with InfiniBand", ["parallelism"]),
        ("Training consumed 2,900 kWh", ["energy"]),
        ("212 kg CO2eq", ["energy"]),
    ],
)
def test_statements(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "see https://example.org/h100/results and <https://x.org/?gpu=A100>",
        "[results](https://example.org/a100-benchmarks.html)",
        "checksum a9f3H100c2e1b7d4e8f0",
        "weights in configs/h100/serve.yaml",
        "we use v4 of the tokenizer",
        "the download needs 80GB of disk space",
        "pip install nvidia-cublas-cu12==12.1.3.1",
        "zero-shot accuracy on 3 tasks",
        "the T4 tokenizer and the L4 loss",
        "the graph has 12 nodes",
        "we report GPU hours in Table 3",
        "In 2023 many labs bought GPUs.",
        "the model card was written in 2 days",
        "the dataset is 2 TB of text",
    ],
)
def test_look_alikes_are_not_statements(text):
    assert kinds(text) == []


# --- properties -----------------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_extraction_never_raises(text):
    for statement in extract_hardware(enumerate(text.split("\n"), 1), "x.md"):
        assert statement.kind in ("accelerator", "count", "compute", "memory", "parallelism", "energy")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["512", " ", "A100", "-80GB", "GPU", "hours", "x", "8", "k", "TPU v4", "-", "FLOPs",
                                 "e23", "GB", "of", "memory", "https://", "/", "kWh", "CO2", "nodes", "\n", "trained"]),
                max_size=400))
def test_extraction_never_raises_on_near_misses(parts):
    extract_hardware(enumerate("".join(parts).split("\n"), 1), "x.md")


@pytest.mark.parametrize(
    "unit",
    ["512 ", "A100-", "1,", "x ", "GPU ", "of ", "TB ", "a" * 11 + "1 ", "[a](", "10^", "memory ", "-" * 20, "NVIDIA "],
)
def test_extraction_of_pathological_lines(unit):
    # Their cost is measured by bench/linearity.py (tests time nothing); here: they parse without error.
    lines = [(n, unit * 200) for n in range(1, 201)]
    assert isinstance(extract_hardware(lines, "x.md"), list)
