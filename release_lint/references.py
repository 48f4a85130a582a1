"""The sources rules cite, each with one canonical URL. The registry refuses a rule whose references are not
here, so one source is never cited under two spellings; a new source is one line in this table."""

from __future__ import annotations

from typing import Dict

REFERENCES: Dict[str, str] = {
    # Openness frameworks and indexes
    "MOF_PAPER": "https://arxiv.org/abs/2403.13784",  # The Model Openness Framework (paper)
    "MOT": "https://isitopen.ai/",  # the Model Openness Tool
    "OSAID": "https://opensource.org/ai/open-source-ai-definition",
    "OSD": "https://opensource.org/osd",
    "OSAI_INDEX": "https://osai-index.eu/",
    "FMTI": "https://crfm.stanford.edu/fmti/",
    "NEURIPS_CHECKLIST": "https://neurips.cc/public/guides/PaperChecklist",
    "PWC_RELEASING_CODE": "https://github.com/paperswithcode/releasing-research-code",
    # Cards and datasheets
    "DATASHEETS": "https://arxiv.org/abs/1803.09010",
    "MODEL_CARDS_PAPER": "https://arxiv.org/abs/1810.03993",
    "HF_MODEL_CARDS": "https://huggingface.co/docs/hub/model-cards",
    "HF_MODEL_INDEX": "https://huggingface.co/docs/hub/model-cards#evaluation-results",
    "HF_CO2": "https://huggingface.co/docs/hub/model-cards-co2",
    "HF_DATASET_CARDS": "https://huggingface.co/docs/hub/datasets-cards",
    "HF_CARD_SPEC": "https://github.com/huggingface/hub-docs/blob/main/modelcard.md",
    "HF_CARD_TEMPLATE": "https://github.com/huggingface/huggingface_hub/blob/main/src/huggingface_hub/templates/modelcard_template.md",
    "HF_PAPER_PAGES": "https://huggingface.co/docs/hub/paper-pages",
    "YAML_1_2": "https://yaml.org/spec/1.2.2/",
    "GITHUB_RELATIVE_LINKS": "https://docs.github.com/en/repositories/working-with-files/using-files/working-with-non-code-files#relative-links",
    # Licences
    "SPDX_LICENSES": "https://spdx.org/licenses/",
    "SPDX_EXPRESSIONS": "https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/",
    "HF_LICENSES": "https://huggingface.co/docs/hub/repositories-licenses",
    "REUSE": "https://reuse.software/spec/",
    "RAIL": "https://www.licenses.ai/",
    # Artefacts, signatures, bills of materials
    "SAFETENSORS": "https://huggingface.co/docs/safetensors/index",
    "PYTHON_PICKLE": "https://docs.python.org/3/library/pickle.html",
    "HF_PICKLE": "https://huggingface.co/docs/hub/security-pickle",
    "PICKLESCAN": "https://github.com/mmaitre314/picklescan",
    "TORCH_WEIGHTS_ONLY": "https://pytorch.org/docs/stable/notes/serialization.html#weights-only",
    "HF_BIG_MODELS": "https://huggingface.co/docs/transformers/big_models",
    "HF_REMOTE_CODE": "https://huggingface.co/docs/transformers/custom_models",
    "GIT_LFS": "https://git-lfs.com/",
    "HF_LFS": "https://huggingface.co/docs/hub/repositories-getting-started#requirements",
    "GITHUB_LARGE_FILES": "https://docs.github.com/en/repositories/working-with-files/managing-large-files",
    "GITATTRIBUTES": "https://git-scm.com/docs/gitattributes",
    "SHA2_UTILITIES": "https://www.gnu.org/software/coreutils/manual/html_node/sha2-utilities.html",
    "MODEL_SIGNING": "https://github.com/sigstore/model-transparency",
    "OPENSSF_MODEL_SIGNING": "https://openssf.org/projects/model-signing/",
    "IN_TOTO_STATEMENT": "https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md",
    "SIGSTORE_BUNDLE": "https://docs.sigstore.dev/about/bundle/",
    "CYCLONEDX_MLBOM": "https://cyclonedx.org/capabilities/mlbom/",
    "SPDX3_AI": "https://spdx.github.io/spdx-spec/v3.0.1/model/AI/AI/",
    "SPDX3_DATASET": "https://spdx.github.io/spdx-spec/v3.0.1/model/Dataset/Dataset/",
    # Secrets
    "HF_SECRETS": "https://huggingface.co/docs/hub/security-secrets",
    "GITHUB_SECRET_SCANNING": "https://docs.github.com/en/code-security/secret-scanning/about-secret-scanning",
    "GITLEAKS": "https://github.com/gitleaks/gitleaks",
    "DETECT_SECRETS": "https://github.com/Yelp/detect-secrets",
    # Environment
    "PIP_REQUIREMENTS": "https://pip.pypa.io/en/stable/reference/requirements-file-format/",
    "PEP_508": "https://peps.python.org/pep-0508/",
    "VERSION_SPECIFIERS": "https://packaging.python.org/en/latest/specifications/version-specifiers/",
    "REQUIRES_PYTHON": "https://packaging.python.org/en/latest/specifications/core-metadata/#requires-python",
    # Community and release
    "GITHUB_HEALTHY_CONTRIBUTIONS": "https://docs.github.com/en/communities/setting-up-your-project-for-healthy-contributions",
    "GITHUB_ISSUE_TEMPLATES": "https://docs.github.com/en/communities/using-templates-to-encourage-useful-issues-and-pull-requests",
    "GITHUB_SECURITY_POLICY": "https://docs.github.com/en/code-security/getting-started/adding-a-security-policy-to-your-repository",
    "CONTRIBUTOR_COVENANT": "https://www.contributor-covenant.org/",
    "CFF": "https://citation-file-format.github.io/",
    "CFF_SCHEMA_GUIDE": "https://github.com/citation-file-format/citation-file-format/blob/main/schema-guide.md",
    "CFF_SCHEMA": "https://github.com/citation-file-format/citation-file-format/blob/main/schema.json",
    "GITHUB_CITATION": "https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-citation-files",
    "KEEP_A_CHANGELOG": "https://keepachangelog.com/en/1.1.0/",
    "SEMVER": "https://semver.org/",
    "GIT_STATUS": "https://git-scm.com/docs/git-status",
}

CANONICAL = frozenset(REFERENCES.values())

# Other spellings of a source in the table that rule modules still use: the registry records the canonical URL.
# Remove an entry once no rule module spells it this way.
VARIANTS: Dict[str, str] = {
    "https://osai-index.eu": REFERENCES["OSAI_INDEX"],
}
