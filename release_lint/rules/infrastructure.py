"""Infrastructure and compute: on what, on how many, for how long, with how much memory and energy."""

from __future__ import annotations

from release_lint.detectors.files import model_card
from release_lint.detectors.hardware import HardwareFacts, hardware_facts
from release_lint.findings import Problem
from release_lint.registry import rule

FMTI = "https://crfm.stanford.edu/fmti/"
NEURIPS = "https://neurips.cc/public/guides/PaperChecklist"
HF_CARDS = "https://huggingface.co/docs/hub/model-cards"
HF_CO2 = "https://huggingface.co/docs/hub/model-cards-co2"
MOF = "https://arxiv.org/abs/2403.13784"
OSAI = "https://osai-index.eu"
EXAMPLE = "  Trained on 512 NVIDIA A100-80GB GPUs (64 nodes of 8, NVLink + InfiniBand) for 21 days (about 258k GPU hours) with FSDP."


def _left_out(facts: HardwareFacts, kind: str) -> str:
    """Why statements of *kind* that were found do not count: " (left out: README.md:12 NVIDIA A100, about
    support; ...)", or "" when none was found."""
    skipped = [s for s in facts.not_training if s.kind == kind]
    if not skipped:
        return ""
    shown = "; ".join(f"{s.path}:{s.line} {s.value}, {_ABOUT.get(s.topic, 'not about training')}" for s in skipped[:2])
    more = f"; {len(skipped) - 2} more" if len(skipped) > 2 else ""
    return f" (left out, not about training: {shown}{more})"


_ABOUT = {"inference": "about inference", "evaluation": "about evaluation", "deployment": "about deployment",
          "support": "about requirements or support", "news": "a news item", "link": "a link title",
          None: "no training context"}


def _missing(ctx, facts: HardwareFacts, what: str) -> Problem:
    """*what* is missing, reported where it belongs: at the first accelerator statement (card first), which
    the message names, else at the model card."""
    card = model_card(ctx.repo)
    named = sorted(facts.accelerators, key=lambda s: (s.path != card, s.path, s.line))
    if named:
        first = named[0]
        return Problem(f"{first.value} is named at {first.path}:{first.line} but " + what, path=first.path, line=first.line)
    return Problem(what, path=card, line=None)


@rule(
    code="HW001",
    name="hardware-undocumented",
    severity="error",
    summary="No accelerator type is named for training.",
    rationale=(
        "The hardware decides what a rerun costs and whether it is possible at all. The Foundation Model "
        "Transparency Index, the NeurIPS checklist, the Hugging Face card template (Environmental Impact: "
        "Hardware Type) and the OSAI index (hardware architecture) ask for it."
    ),
    fix="Name the accelerators used for training in the model card (or say it was CPU only).\nExample:\n" + EXAMPLE,
    references=(FMTI, NEURIPS, HF_CARDS, OSAI),
)
def hardware_undocumented(ctx):
    facts = hardware_facts(ctx.repo)
    if not facts.accelerators:
        yield Problem(
            "no accelerator type named (NVIDIA A100/H100/V100..., AMD MI250X/MI300X, Google TPU v4/v5e, Intel Gaudi, "
            "Apple M-series or 'CPU only') for training in the card, docs, reports, configs or launch scripts"
            + _left_out(facts, "accelerator"),
            path=model_card(ctx.repo),
        )


@rule(
    code="HW002",
    name="accelerator-count-unstated",
    severity="warning",
    summary="The number of accelerators or nodes used for training is not stated.",
    rationale=(
        "The type alone does not say what a rerun needs; the Foundation Model Transparency Index counts hardware as "
        "disclosed only with type and count (\"800 NVIDIA H100\")."
    ),
    fix="State how many accelerators (or nodes of how many) trained the model.\nExample:\n" + EXAMPLE,
    references=(FMTI, NEURIPS),
)
def accelerator_count_unstated(ctx):
    facts = hardware_facts(ctx.repo)
    if facts.counts or (facts.accelerators and all(s.value == "CPU only" for s in facts.accelerators)):
        return
    yield _missing(ctx, facts, "no number of accelerators or nodes is stated for training (\"512 A100 GPUs\", \"8x H100\", "
                   "\"64 nodes of 8 GPUs\", \"TPU v4-512\")" + _left_out(facts, "count"))


@rule(
    code="HW003",
    name="compute-unstated",
    severity="warning",
    summary="The compute budget of training is not stated.",
    rationale=(
        "GPU/TPU hours, FLOPs or wall-clock time with the hardware tell readers what the model cost and whether they "
        "can reproduce it; the Foundation Model Transparency Index (compute usage, development duration), the "
        "NeurIPS checklist and the Hugging Face template (Hours used) ask for it."
    ),
    fix="State the compute: accelerator hours, FLOPs, or training time on the named hardware.\nExample:\n" + EXAMPLE,
    references=(FMTI, NEURIPS, HF_CARDS),
)
def compute_unstated(ctx):
    facts = hardware_facts(ctx.repo)
    if facts.compute:
        return
    yield _missing(ctx, facts, "no compute budget is stated (GPU/TPU hours, FLOPs, or training time with the hardware)"
                   + _left_out(facts, "compute"))


@rule(
    code="HW004",
    name="memory-unstated",
    severity="warning",
    summary="No accelerator or system memory figure is given.",
    rationale=(
        "Whether a model can be trained or run on given hardware depends on memory; the NeurIPS checklist asks for "
        "the memory of the compute workers, and users need the memory the model needs to run."
    ),
    fix="State the accelerator memory (e.g. A100-80GB) and the memory needed to train or run the model.\n"
        "Example:\n  Trained on A100-80GB GPUs; inference needs about 16 GB of GPU memory in bf16.",
    references=(NEURIPS,),
)
def memory_unstated(ctx):
    facts = hardware_facts(ctx.repo)
    if facts.memory:
        return
    yield _missing(ctx, facts, "no accelerator or system memory figure is stated (\"A100-80GB\", \"24 GB of GPU memory\")")


@rule(
    code="HW005",
    name="distributed-setup-undocumented",
    severity="info",
    summary="The parallelism, interconnect or node layout of multi-accelerator training is not described.",
    rationale=(
        "Data, tensor, pipeline or expert parallelism, ZeRO/FSDP sharding and the interconnect change both the "
        "result and the cost of a rerun; the OSAI index grades the hardware architecture as open only when it is "
        "fully documented. Training on a single accelerator needs none of this."
    ),
    fix="Describe how training was distributed: parallelism, sharding, node layout and interconnect.\nExample:\n" + EXAMPLE,
    references=(OSAI, MOF),
)
def distributed_setup_undocumented(ctx):
    facts = hardware_facts(ctx.repo)
    if facts.parallelism:
        return
    if facts.counts and all(s.number == 1 for s in facts.counts):
        return  # a single accelerator: nothing to distribute
    if any(s.value == "CPU only" for s in facts.accelerators) and not facts.counts:
        return
    yield _missing(ctx, facts, "no parallelism (data/tensor/pipeline parallel, ZeRO, FSDP), interconnect or node layout is described")


@rule(
    code="HW006",
    name="energy-unreported",
    severity="info",
    summary="No energy use or carbon emissions are reported.",
    rationale=(
        "Energy and emissions are part of what a model cost; the Foundation Model Transparency Index asks for both "
        "and the Hugging Face Hub reads them from the card's co2_eq_emissions metadata."
    ),
    fix="Report the energy (kWh) or emissions (kg/t CO2eq), ideally as co2_eq_emissions in the card's front matter.\n"
        "Example:\n  co2_eq_emissions:\n    emissions: 212000\n    source: CodeCarbon\n    training_type: pre-training\n"
        "    hardware_used: 64 x NVIDIA A100-80GB",
    references=(HF_CO2, FMTI),
)
def energy_unreported(ctx):
    facts = hardware_facts(ctx.repo)
    if facts.energy:
        return
    yield _missing(ctx, facts, "no energy or emissions figure is reported (co2_eq_emissions metadata, kWh, t CO2eq)")
