"""False-alarm classes first seen on the held-out field sample (bench/field, rows judged at 673d165 on
repositories the tool was not tuned on). Each class has an invented reproducer, marked xfail(strict=True):
it states the findings a careful auditor expects, so it turns red (XPASS) when a detector change fixes the
class, and whoever fixed it must remove the mark. Each class also has a realistic look-alike that fires
today and must keep firing after the fix.

Findings are compared exactly as (code, path, line) for the rules of the class.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from release_lint import lint
from tests.conftest import findings_of, grade_of, make_repo
from tests.real_release_repos import CARD_WITHOUT_CITATION as CARD, MIT


# --- DATA004: the data's terms are stated, but outside the training-data section or data card ------------
# Seen on a data release whose License section sends the dataset to the crawl's terms of use, and on an
# instruction fine-tune whose overview sentence gives the corpus licence next to its link.

CORPUS_README = (
    "# pebble-corpus\n\nThe pipeline that builds the Pebble web corpus.\n\n"
    "## Dataset\n\nThe corpus holds 2B documents from 12 [Common Crawl](https://commoncrawl.org) snapshots, "
    "filtered by language and deduplicated with MinHash.\n\n"
    "## License\n\nThe code is released under the MIT License.{data_terms}\n"
)
DEDUP_PY = "def dedup(docs):\n    return list(dict.fromkeys(docs))\n"


def test_data_terms_in_the_license_section(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": CORPUS_README.format(data_terms=" For the dataset itself, see the "
                                                     "[Common Crawl terms of use](https://commoncrawl.org/terms-of-use)."),
        "LICENSE": MIT,
        "pipeline/dedup.py": DEDUP_PY,
    })
    result = lint(root)
    assert findings_of(result, "DATA") == []
    assert grade_of(result, "data") == "present"


def test_license_section_about_the_code_only_still_asks_for_the_data_terms(tmp_path):
    root = make_repo(tmp_path / "r", {
        "README.md": CORPUS_README.format(data_terms=" Contributions are accepted under the same terms."),
        "LICENSE": MIT,
        "pipeline/dedup.py": DEDUP_PY,
    })
    result = lint(root)
    assert findings_of(result, "DATA") == [("DATA004", "README.md", 7)]
    assert grade_of(result, "data") == "partial"


def _instruction_tune(tmp_path: Path, overview: str) -> Path:
    return make_repo(tmp_path / "r", {
        "README.md": f"# pebble-chat\n\n{overview}\n\n## Training\n\nRun `python train.py`.\n",
        "LICENSE": MIT,
        "data/README.md": ("# Moved\n\nThe instruction data is now hosted at "
                           "[acme/pebble-instruct](https://huggingface.co/datasets/acme/pebble-instruct).\n"),
        "preprocess.py": "def clean(rows):\n    return [r for r in rows if r['response']]\n",
        "train.py": "import torch\nloss = torch.zeros(1, requires_grad=True)\nloss.backward()\n",
    })


def test_corpus_licence_in_the_overview_sentence(tmp_path):
    root = _instruction_tune(tmp_path, (
        "Pebble-chat is fine-tuned from [acme/pebble-base](https://huggingface.co/acme/pebble-base) on "
        "[acme/pebble-instruct](https://huggingface.co/datasets/acme/pebble-instruct), instruction records "
        "written by our staff and released under CC-BY-SA 3.0."))
    result = lint(root)
    assert findings_of(result, "DATA") == [("DATA005", "data/README.md", None), ("DATA006", "data/README.md", None)]
    assert grade_of(result, "data") == "present"


def test_model_licence_in_the_overview_sentence_still_asks_for_the_data_terms(tmp_path):
    # The licence in this sentence is the model's, not the corpus'.
    root = _instruction_tune(tmp_path, (
        "Pebble-chat, released under the Apache License 2.0, is fine-tuned on "
        "[acme/pebble-instruct](https://huggingface.co/datasets/acme/pebble-instruct), instruction records "
        "written by our staff."))
    result = lint(root)
    assert findings_of(result, "DATA") == [("DATA004", "data/README.md", 3), ("DATA005", "data/README.md", None),
                                      ("DATA006", "data/README.md", None)]
    assert grade_of(result, "data") == "partial"


# --- CARD004 [citation]: a BibTeX entry under a heading that does not say "Citation" ----------------------
# Seen as a FAQ question ("How do I cite ...?") and as a sentence with BibTeX inside the License section.
# REL004 finds the BibTeX in both cases; CARD004 still reports the citation section missing.

BIBTEX = ("```bibtex\n@article{pebble2025,\n  title={Pebble: a small language model},\n  author={Doe, Jane},\n"
          "  year={2025}\n}\n```\n")


def _card_result(tmp_path: Path, tail: str):
    return lint(make_repo(tmp_path / "r", {"README.md": CARD + tail, "LICENSE": MIT}))


def test_bibtex_under_a_faq_question(tmp_path):
    result = _card_result(tmp_path, "## FAQ\n\n#### How do I cite Pebble?\n\nPlease use:\n\n" + BIBTEX)
    assert findings_of(result, "CARD004", "REL004") == []


def test_bibtex_inside_the_license_section(tmp_path):
    result = _card_result(tmp_path, "## License\n\nMIT, see `LICENSE`.\n\nTo cite Pebble, please use:\n\n" + BIBTEX)
    assert findings_of(result, "CARD004", "REL004") == []


def test_faq_without_a_citation_still_fires(tmp_path):
    result = _card_result(tmp_path, "## FAQ\n\n#### Can I use Pebble commercially?\n\nYes, under the MIT License.\n")
    assert findings_of(result, "CARD004", "REL004") == [("CARD004", "README.md", None), ("REL004", None, None)]


# --- TRAIN007: a TensorFlow 1 graph-building model definition ---------------------------------------------
# Seen on two code releases whose network is built in tf.variable_scope blocks, as module functions or as a
# plain class (no nn.Module, keras.Model or Flax base).

TF1_FUNCTIONS = (
    "import tensorflow as tf\n\n\n"
    "def dense(x, scope, n_out):\n"
    "    with tf.variable_scope(scope):\n"
    "        w = tf.get_variable('w', [x.shape[-1].value, n_out])\n"
    "        b = tf.get_variable('b', [n_out], initializer=tf.zeros_initializer())\n"
    "        return tf.matmul(x, w) + b\n\n\n"
    "def model(hparams, tokens, scope='model'):\n"
    "    with tf.variable_scope(scope):\n"
    "        wte = tf.get_variable('wte', [hparams.n_vocab, hparams.n_embd])\n"
    "        h = tf.gather(wte, tokens)\n"
    "        for layer in range(hparams.n_layer):\n"
    "            h = h + dense(tf.nn.relu(dense(h, 'fc%d' % layer, 4 * hparams.n_embd)), 'proj%d' % layer, hparams.n_embd)\n"
    "        return tf.matmul(h, wte, transpose_b=True)\n"
)
TF1_PLAIN_CLASS = (
    "import tensorflow as tf\n\n\n"
    "class PebbleModel(object):\n"
    "    \"\"\"The Pebble encoder, built into the default graph.\"\"\"\n\n"
    "    def __init__(self, config, input_ids):\n"
    "        with tf.variable_scope('pebble'):\n"
    "            table = tf.get_variable('embeddings', [config.vocab_size, config.hidden_size])\n"
    "            h = tf.nn.embedding_lookup(table, input_ids)\n"
    "            for i in range(config.num_layers):\n"
    "                h = tf.layers.dense(h, config.hidden_size, activation=tf.nn.relu, name='layer_%d' % i)\n"
    "            self.sequence_output = h\n"
)
CHECKPOINT_HELPER = (
    "import tensorflow as tf\n\n\n"
    "def restore(sess, path):\n"
    "    saver = tf.train.Saver()\n"
    "    saver.restore(sess, path)\n"
)
NO_TRAINING = [("TRAIN001", None, None), ("TRAIN002", None, None), ("TRAIN004", None, None),
               ("TRAIN005", None, None), ("TRAIN008", "README.md", None)]


def _tf1_release(tmp_path: Path, model_code: str):
    return lint(make_repo(tmp_path / "r", {
        "README.md": "# pebble\n\nRun `python sample.py` to sample from the released checkpoint.\n",
        "LICENSE": MIT,
        "src/model.py": model_code,
        "sample.py": "import model\nprint(model)\n",
    }))


@pytest.mark.parametrize("model_code", [TF1_FUNCTIONS, TF1_PLAIN_CLASS], ids=["functions", "plain-class"])
def test_tensorflow1_model_definition(tmp_path, model_code):
    assert findings_of(_tf1_release(tmp_path, model_code), "TRAIN") == NO_TRAINING


def test_tensorflow_checkpoint_helper_is_no_model_definition(tmp_path):
    assert findings_of(_tf1_release(tmp_path, CHECKPOINT_HELPER), "TRAIN") == sorted(
        NO_TRAINING + [("TRAIN007", None, None)], key=lambda t: (t[0], t[1] or "", t[2] or 0))
