"""ART007 on every high-signal credential format, placeholders left alone, and masking as a property of
every output (a secret quoted by any rule, a note, the verdict or an error never appears in full).

Every credential here is built at test time from a seeded generator: format-valid, obviously fake (it
belongs to no account), and never written literally in the project's files.
"""

from __future__ import annotations

import base64
import json
import os
import random
import string

import pytest

from release_lint import lint
from release_lint.credentials import redact
from release_lint.formats import available
from tests.conftest import finding_tuples, make_repo

ALNUM = string.ascii_letters + string.digits


def fake(alphabet: str, length: int, seed: str) -> str:
    """A random-looking body: upper, lower and digits mixed, as real tokens are."""
    generator = random.Random(seed)
    while True:
        body = "".join(generator.choice(alphabet) for _ in range(length))
        tests = [t for t in (str.islower, str.isupper, str.isdigit) if any(t(c) for c in alphabet)]
        if not all(any(t(c) for c in body) for t in tests):
            continue
        return body


def jwt(claims: dict, seed: str) -> str:
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.{fake(ALNUM + '-_', 43, seed)}"


HEX = "0123456789abcdef"
TOKENS = {
    "aws": "AKIA" + fake(string.ascii_uppercase + string.digits, 16, "aws"),
    "aws-secret": fake(ALNUM + "/+", 40, "aws-secret"),
    "ghp": "ghp_" + fake(ALNUM, 36, "ghp"),
    "gho": "gho_" + fake(ALNUM, 36, "gho"),
    "ghs": "ghs_" + fake(ALNUM, 36, "ghs"),
    "github_pat": "github_pat_" + fake(ALNUM, 22, "pat1") + "_" + fake(ALNUM, 59, "pat2"),
    "gitlab": "glpat-" + fake(ALNUM + "-_", 20, "gitlab"),
    "slack": "xoxb-" + fake(string.digits, 12, "s1") + "-" + fake(string.digits, 13, "s2") + "-" + fake(ALNUM, 24, "s3"),
    "slack-webhook": "https://hooks.slack.com/services/T" + fake(string.ascii_uppercase + string.digits, 10, "w1")
                     + "/B" + fake(string.ascii_uppercase + string.digits, 10, "w2") + "/" + fake(ALNUM, 24, "w3"),
    "stripe": "sk_live_" + fake(ALNUM, 24, "stripe"),
    "stripe-restricted": "rk_live_" + fake(ALNUM, 24, "rk"),
    "google": "AIza" + fake(ALNUM + "-_", 35, "google"),
    "openai": "sk-proj-" + fake(ALNUM, 20, "oa1") + "T3BlbkFJ" + fake(ALNUM, 20, "oa2"),
    "openai-legacy": "sk-" + fake(ALNUM, 20, "ol1") + "T3BlbkFJ" + fake(ALNUM, 20, "ol2"),
    "anthropic": "sk-ant-api03-" + fake(ALNUM + "-_", 93, "anthropic") + "AA",
    "huggingface": "hf_" + fake(ALNUM, 34, "hf"),
    "pypi": "pypi-AgEIcHlwaS5vcmc" + fake(ALNUM + "-_", 70, "pypi"),
    "npm": "npm_" + fake(ALNUM, 36, "npm"),
    "replicate": "r8_" + fake(ALNUM, 37, "replicate"),
    "groq": "gsk_" + fake(ALNUM, 52, "groq"),
    "kaggle-json": fake(HEX, 32, "kaggle1"),
    "kaggle-env": fake(HEX, 32, "kaggle2"),
    "jwt": jwt({"sub": "svc-ingest", "iat": 1700000000, "scope": "write"}, "jwt"),
    "env": fake(ALNUM, 18, "env"),
    "private-key": fake(ALNUM + "+/", 64, "pem"),
}
PEM = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + TOKENS["private-key"] + "\n-----END OPENSSH PRIVATE KEY-----\n"


def credential_files():
    t = TOKENS
    return {
        "scripts/aws.sh": f"export AWS_ACCESS_KEY_ID={t['aws']}\nexport AWS_SECRET_ACCESS_KEY={t['aws-secret']}\n",
        "configs/aws_credentials": f"[default]\naws_secret_access_key = {t['aws-secret']}\n",
        "ci/github.yml": f"token: {t['ghp']}\noauth: {t['gho']}\nserver: {t['ghs']}\nfine: {t['github_pat']}\n",
        "ci/gitlab.env.sh": f"GITLAB={t['gitlab']}\n",
        "notify.py": f"SLACK = '{t['slack']}'\nHOOK = \"{t['slack-webhook']}\"\n",
        "billing.toml": f"stripe = \"{t['stripe']}\"\nrestricted = \"{t['stripe-restricted']}\"\n",
        "maps.js": f"const key = '{t['google']}';\n",
        "eval/openai.yaml": f"key: {t['openai']}\nold: {t['openai-legacy']}\n",
        "eval/anthropic.py": f"client = Anthropic(api_key=\"{t['anthropic']}\")\n",
        "upload.ipynb": json.dumps({"cells": [{"source": [f"login(token='{t['huggingface']}')\n"]}]}),
        ".pypirc": f"[pypi]\nusername = __token__\npassword = {t['pypi']}\n",
        ".npmrc": f"//registry.npmjs.org/:_authToken={t['npm']}\n",
        "serve.sh": f"REPLICATE_API_TOKEN={t['replicate']} python serve.py\nGROQ_API_KEY={t['groq']} python judge.py\n",
        "kaggle.json": json.dumps({"username": "pebble-lab", "key": t["kaggle-json"]}),
        "download.sh": f"KAGGLE_KEY={t['kaggle-env']} kaggle datasets download x/y\n",
        "api/client.py": f"HEADERS = {{'Authorization': 'Bearer {t['jwt']}'}}\n",
        ".env.production": f"LOG_LEVEL=info\nDATABASE_PASSWORD={t['env']}\n",
        "deploy/id_ed25519": PEM,
    }


EXPECTED = [
    (".env.production", 2, "committed .env file: line 2 sets a secret (DATABASE_PASSWORD="),
    (".npmrc", 1, "npm token"),
    (".pypirc", 3, "PyPI token"),
    ("api/client.py", 1, "JSON Web Token"),
    ("billing.toml", 1, "Stripe live key"),
    ("billing.toml", 2, "Stripe live key"),
    ("ci/github.yml", 1, "GitHub token"),
    ("ci/github.yml", 2, "GitHub token"),
    ("ci/github.yml", 3, "GitHub token"),
    ("ci/github.yml", 4, "GitHub token"),
    ("ci/gitlab.env.sh", 1, "GitLab token"),
    ("configs/aws_credentials", 2, "AWS secret access key"),
    ("deploy/id_ed25519", 1, "private key block"),
    ("download.sh", 1, "Kaggle API key"),
    ("eval/anthropic.py", 1, "Anthropic API key"),
    ("eval/openai.yaml", 1, "OpenAI API key"),
    ("eval/openai.yaml", 2, "OpenAI API key"),
    ("kaggle.json", 1, "Kaggle API key"),
    ("maps.js", 1, "Google API key"),
    ("notify.py", 1, "Slack token"),
    ("notify.py", 2, "Slack webhook URL"),
    ("scripts/aws.sh", 1, "AWS access key id"),
    ("scripts/aws.sh", 2, "AWS secret access key"),
    ("serve.sh", 1, "Replicate token"),
    ("serve.sh", 2, "Groq API key"),
    ("upload.ipynb", 1, "Hugging Face token"),
]


def test_art007_finds_every_credential_format(tmp_path):
    result = lint(make_repo(tmp_path, credential_files()), select=["ART007"])
    assert finding_tuples(result) == [("ART007", path, line) for path, line, _ in EXPECTED]
    labels = sorted((f.path, f.line, f.message) for f in result.findings)
    for (path, line, label), (_, _, message) in zip(EXPECTED, labels):
        assert label in message, (path, message)
    everything = repr([(f.message, f.key, f.path) for f in result.findings])
    for name, token in TOKENS.items():
        assert token not in everything, name
    assert {f.message for f in result.findings if f.path == "maps.js"} == {
        f"Google API key {TOKENS['google'][:6]}…{TOKENS['google'][-2:]} on line 1 (masked)"}


def test_art007_silent_on_placeholders_and_examples(tmp_path):
    example_jwt = jwt({"sub": "1234567890", "name": "John Doe", "iat": 1516239022}, "example")
    repo = make_repo(tmp_path, {
        "README.md": (
            "# m\n\nSet `HF_TOKEN=<your_token>` or `huggingface-cli login --token hf_xxx`.\n"
            "export GITHUB_TOKEN=${GITHUB_TOKEN}\nexport NPM_TOKEN=npm_${NPM_TOKEN}\n"
            "SLACK_WEBHOOK=https://hooks.slack.com/services/XXXXXXXX/XXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX\n"
            "stripe: sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\nslack: xoxb-your-bot-token\n"
            "google: AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n"
            f"jwt.io's example: {example_jwt}\n"
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
            "groq: gsk_... replicate: r8_... gitlab: glpat-xxxxxxxxxxxxxxxxxxxx\n"
        ),
        "kaggle.json": json.dumps({"username": "you", "key": "0123456789abcdef0123456789abcdef"}),
        "data/vocab.json": json.dumps({"key": fake(HEX, 32, "not-kaggle")}),  # "key" outside kaggle.json is a word
        ".env": "GITHUB_TOKEN=${GITHUB_TOKEN}\nHF_TOKEN=<your_token>\nKAGGLE_KEY=xxxx\n",
    })
    assert finding_tuples(lint(repo, select=["ART007"])) == []


def test_redact_masks_every_recognised_credential_in_any_text():
    for name, token in TOKENS.items():
        if name in ("env", "private-key", "kaggle-json"):
            continue  # recognised by their place (a .env file, a key block, kaggle.json), not by shape
        text = {"aws-secret": f"aws_secret_access_key={token}", "kaggle-env": f"KAGGLE_KEY={token}"}.get(name, f"see {token}!")
        assert token not in redact(text), name
    assert redact("ghp_" + TOKENS["ghp"][4:] + "-notes.md") == TOKENS["ghp"][:6] + "…" + TOKENS["ghp"][-2:] + "-notes.md"
    assert redact("nothing to hide, hf_xxx") == "nothing to hide, hf_xxx"


def d20_repo(tmp_path):
    """Credentials quoted by rules other than ART007 (D20): a requirement URL (ENV002), a card placeholder
    (CARD007), a link target (CARD009), the CITATION.cff version (the verdict and MOF's release version), a
    symlink name (a note), an untracked file name (REL001)."""
    github, hf = TOKENS["ghp"], TOKENS["huggingface"]
    root = make_repo(tmp_path / "r", {
        "requirements.txt": f"git+https://{github}@github.com/example/private-lib.git\n",
        "README.md": f"# M\n\nToken: {{{{ {hf} }}}}\n\n[weights]({hf}.md)\n",
        "CITATION.cff": f"cff-version: 1.2.0\nmessage: m\ntitle: t\nauthors: [{{name: a}}]\nversion: \"{github}\"\n",
    })
    os.symlink("/etc/hostname", root / f"{github}-notes.md")
    (root / f"{TOKENS['slack']}.txt").write_text("untracked\n")
    return root, [github, hf, TOKENS["slack"]]


@pytest.mark.parametrize("output_format", available())
def test_no_output_format_prints_a_planted_secret(tmp_path, output_format, cli):
    root, planted = d20_repo(tmp_path)
    outcome = cli("--format", output_format, root)
    for secret in planted:
        assert secret not in outcome.output
        assert secret.replace("_", "\\_") not in outcome.output  # Markdown escapes it, still in full
    assert outcome.exit_code == 1
    # The secrets were quoted: the masked forms are there (the test does not pass by printing nothing).
    assert planted[0][:6] + "…" in outcome.output.replace("\\_", "_")


def test_every_string_of_the_result_is_masked(tmp_path):
    root, planted = d20_repo(tmp_path)
    result = lint(root)
    codes = {f.code for f in result.findings}
    assert {"ENV002", "CARD007", "CARD009", "ART007", "REL001"} <= codes
    text = repr([f.to_dict() for f in result.findings]) + repr([f.key for f in result.findings])
    text += repr(result.notes) + repr(result.extra) + repr(result.internal_errors)
    for secret in planted:
        assert secret not in text
    assert any(TOKENS["ghp"][:6] + "…" in note for note in result.notes)
    assert TOKENS["ghp"][:6] + "…" in json.dumps(result.extra["openness"]["mof"], ensure_ascii=False)


def test_cli_errors_are_masked(tmp_path, cli):
    root = make_repo(tmp_path / "r", {"README.md": "# m\n"})
    outcome = cli("--select", TOKENS["ghp"], root)
    assert outcome.exit_code == 2
    assert TOKENS["ghp"] not in outcome.output and TOKENS["ghp"][:6] + "…" in outcome.output
