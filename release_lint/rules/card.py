"""Model card: the document that tells people what the model is, how it was made and its limits."""

from __future__ import annotations

from release_lint.detectors.files import model_card
from release_lint.findings import Problem
from release_lint.registry import rule

HF_CARDS = "https://huggingface.co/docs/hub/model-cards"
MODEL_CARDS_PAPER = "https://arxiv.org/abs/1810.03993"


@rule(
    code="CARD001",
    name="model-card-missing",
    severity="error",
    summary="The release has no model card.",
    rationale=(
        "A model card documents intended use, training data, training procedure, evaluation and limitations "
        "(Mitchell et al., Model Cards for Model Reporting). The Model Openness Framework lists it as a "
        "component of every class, and the Hugging Face Hub reads its metadata from the card's front matter."
    ),
    fix=(
        "Add README.md at the root (or MODEL_CARD.md) with YAML front matter and the core sections.\n"
        "Example:\n"
        "  ---\n  license: apache-2.0\n  datasets: [allenai/c4]\n  pipeline_tag: text-generation\n  ---\n"
        "  # My Model\n  ## Intended use\n  ## Training data\n  ## Training procedure\n  ## Evaluation\n"
        "  ## Limitations\n  ## Citation"
    ),
    references=(HF_CARDS, MODEL_CARDS_PAPER),
)
def model_card_missing(ctx):
    if model_card(ctx.repo) is None:
        yield Problem("no model card (README.md at the root, MODEL_CARD.md, model_card.md or docs/model_card.md)")
