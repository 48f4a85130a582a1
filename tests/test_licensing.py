"""Licensing: licence identification on real texts, declarations, and rules LIC002-LIC011 (exact findings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from release_lint import lint
from release_lint.detectors import license_ids
from release_lint.detectors.licenses import LicenseStatement, declared_licenses, license_files, release_license
from release_lint.repo import Repo
from tests.conftest import copy_fixture, finding_tuples, make_repo

DATA = Path(__file__).parent / "data" / "licenses"
LIC = ["LIC"]


def text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def card(front_matter: str, body: str = "# Model\n\nA small model.\n") -> str:
    return f"---\n{front_matter}---\n\n{body}"


@pytest.mark.parametrize("name, expected, category", [
    ("mit.txt", "MIT", "open-source"),
    ("mit.md", "MIT", "open-source"),
    ("apache-2.0.txt", "Apache-2.0", "open-source"),
    ("apache-2.0-no-appendix.txt", "Apache-2.0", "open-source"),
    ("bsd-3-clause.txt", "BSD-3-Clause", "open-source"),
    ("gpl-3.0.txt", "GPL-3.0-only", "open-source"),
    ("cc-by-4.0.md", "CC-BY-4.0", "open-content"),
    ("cc-by-nc-4.0.txt", "CC-BY-NC-4.0", "restricted"),
    ("bigscience-openrail-m.txt", "LicenseRef-scancode-bigscience-open-rail-m", "restricted"),
    ("creativeml-openrail-m.txt", "LicenseRef-scancode-stable-diffusion-2022-08-22", "restricted"),
    ("llama-style-community.txt", "LicenseRef-scancode-llama-3.1-license-2024", "restricted"),
])
def test_real_licence_texts_are_identified(name, expected, category):
    found = license_ids.identify_text(text(name))
    assert found.license_id == expected
    assert found.confidence >= 0.88
    assert license_ids.license_info(expected).category == category


def test_home_made_licence_is_unrecognised_not_misnamed():
    found = license_ids.identify_text(text("research-only.txt"))
    assert found.license_id is None and found.confidence < 0.5
    assert license_ids.clause_types(text("research-only.txt")) == ("research-only",)


def test_near_identical_creative_commons_variants_are_told_apart():
    # CC BY-ND and BY-NC-ND share 98% of their bigrams; the distinguishing ones decide. The index holds
    # each text's word pairs, not the text: a text with a preamble is compared by its word pairs.
    preamble = license_ids.bigrams(license_ids.words("Licence of the Example Lab model weights"))
    sizes = dict(license_ids._reference_sizes())
    for key in ("cc-by-nd-4.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-4.0", "cc-by-sa-4.0"):
        reference = license_ids.load_reference(key)
        found = license_ids.identify_bigrams(reference.grams | preamble, sizes[key])
        assert found.license_id == reference.license_id


# --- the shipped licence index ----------------------------------------------------------------------


def _index_builder():
    import importlib.util

    path = Path(__file__).parent.parent / "scripts" / "build_license_index.py"
    spec = importlib.util.spec_from_file_location("build_license_index", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_licence_index_records_its_source_and_covers_every_reference():
    index = license_ids.license_index()
    assert (index["format"], index["source"], index["source_license"]) == (1, "licensedcode-data", "CC-BY-4.0")
    # The dev extra pins the database version the index was built from.
    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"licensedcode-data=={index["source_version"]}"' in pyproject
    assert sorted(index["licenses"]) == sorted(license_ids.REFERENCE_KEYS)
    apache = index["licenses"]["apache-2.0"]
    assert (apache["id"], apache["category"]) == ("Apache-2.0", "Permissive")
    assert 0 < len(apache["opening"]) <= license_ids.OPENING_WORDS and set(apache["opening"]) <= set(apache["pairs"])
    notice = (Path(license_ids.index_path()).parent / "NOTICE.md").read_text(encoding="utf-8")
    assert "CC-BY-4.0" in notice and "nexB Inc." in notice


def test_shipped_licence_index_matches_a_rebuild_from_the_database():
    builder = _index_builder()
    folder = builder.database_dir()
    if folder is None:
        pytest.skip("licensedcode-data (the dev extra) is not installed")
    rebuilt = builder.build_index(folder, builder.source_version())
    assert rebuilt == license_ids.license_index()


def test_identification_needs_no_licence_database_installed(tmp_path):
    # The runtime reads only the shipped index: with `licensedcode` unimportable, texts are still named.
    import subprocess
    import sys

    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'licensedcode':\n"
        "            raise ImportError('blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "from release_lint.detectors import license_ids\n"
        "print(license_ids.identify_text(sys.stdin.read()).license_id)\n"
    )
    root = Path(__file__).parent.parent
    done = subprocess.run([sys.executable, "-c", script], input=text("gpl-3.0.txt"), capture_output=True,
                          text=True, cwd=root, check=True)
    assert done.stdout.strip() == "GPL-3.0-only"
    assert "licensedcode" not in root.joinpath("pyproject.toml").read_text(encoding="utf-8").split("[project.optional-dependencies]")[0]


def test_two_verdicts_stay_apart():
    cc_by = license_ids.license_info("CC-BY-4.0")
    assert (cc_by.osi_approved, cc_by.mof_open) == (False, True)
    apache = license_ids.license_info("Apache-2.0")
    assert (apache.osi_approved, apache.mof_open) == (True, True)
    llama = license_ids.license_info(license_ids.canonical_id("llama3.1"))
    assert (llama.osi_approved, llama.mof_open, llama.restrictions) == (False, False, ("user threshold", "acceptable-use policy"))


@pytest.mark.parametrize("value, expected", [
    ("Apache 2.0", "Apache-2.0"), ("Apache License, Version 2.0", "Apache-2.0"), ("MIT license", "MIT"),
    ("GPLv3", "GPL-3.0-only"), ("CC BY-NC 4.0", "CC-BY-NC-4.0"), ("BSD 3-Clause", "BSD-3-Clause"),
])
def test_free_text_names_map_to_spdx(value, expected):
    assert license_ids.free_text_id(value) == expected


def test_license_files_detector_shape(tmp_path):
    repo_path = make_repo(tmp_path, {"LICENSE-CODE": text("mit.txt"), "LICENSE-MODEL": text("cc-by-nc-4.0.txt"),
                                     "vendor/lib/COPYING": text("gpl-3.0.txt"), "README.md": "# m\n"})
    found = {e.path: e for e in license_files(Repo(str(repo_path)))}
    assert sorted(found) == ["LICENSE-CODE", "LICENSE-MODEL", "vendor/lib/COPYING"]
    model = found["LICENSE-MODEL"]
    assert (model.id, model.component, model.root, model.terms.osi_approved, model.terms.mof_open,
            model.terms.restrictions) == ("CC-BY-NC-4.0", "weights", True, False, False, ("non-commercial",))
    assert (found["vendor/lib/COPYING"].id, found["vendor/lib/COPYING"].root) == ("GPL-3.0-only", False)


def test_declared_licences_with_sources_and_lines(tmp_path):
    repo_path = make_repo(tmp_path, {
        "README.md": card("license: apache-2.0\n", "# M\n\n## License\n\nCode: MIT license. Weights: Apache 2.0.\n"),
        "pyproject.toml": '[project]\nname = "m"\nlicense = "MIT"\nclassifiers = ["License :: OSI Approved :: MIT License"]\n',
        "package.json": '{\n  "name": "m",\n  "license": "MIT"\n}\n',
        "CITATION.cff": "cff-version: 1.2.0\nlicense: Apache-2.0\n",
        "setup.cfg": "[metadata]\nname = m\nlicense = MIT\n",
    })
    declared = [(d.source, d.line, d.kind, d.id) for d in declared_licenses(Repo(str(repo_path)))]
    assert declared == [
        ("README.md", 2, "card", "Apache-2.0"),
        ("pyproject.toml", 3, "spdx", "MIT"),
        ("pyproject.toml", 4, "classifier", "MIT"),
        ("setup.cfg", 3, "spdx", "MIT"),
        ("package.json", 3, "spdx", "MIT"),
        ("CITATION.cff", 2, "spdx", "Apache-2.0"),
        ("README.md", 9, "readme", "MIT"),
        ("README.md", 9, "readme", "Apache-2.0"),
    ]


def test_release_license_per_component(tmp_path):
    repo_path = copy_fixture("licensing-dual-stated", tmp_path / "r")
    cover = release_license(Repo(str(repo_path)))
    assert [c.id for c in cover.code if c.source == "file"] == ["Apache-2.0"]
    assert [c.id for c in cover.weights if c.source == "file"] == ["LicenseRef-scancode-bigscience-open-rail-m"]
    assert cover.statement == LicenseStatement("README.md", 20)


# --- rules on fixtures ----------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["fully-open", "weights-only"])
def test_clean_fixtures_have_no_licensing_findings(tmp_path, fixture):
    assert finding_tuples(lint(copy_fixture(fixture, tmp_path / fixture), select=LIC)) == []


def test_llama_style_fixture(tmp_path):
    result = lint(copy_fixture("llama-style-licence", tmp_path / "r"), select=LIC)
    assert finding_tuples(result) == [("LIC003", "LICENSE", None), ("LIC010", "README.md", 16)]
    lic003 = next(f for f in result.findings if f.code == "LIC003")
    assert "Llama 3.1 Community License" in lic003.message and "user threshold, acceptable-use policy" in lic003.message


def test_dual_licence_without_statement(tmp_path):
    result = lint(copy_fixture("licensing-dual-unclear", tmp_path / "r"), select=LIC)
    assert finding_tuples(result) == [("LIC003", "LICENSE-MODEL", None), ("LIC007", "README.md", None),
                                      ("LIC009", "LICENSE-MODEL", None)]


def test_dual_licence_with_statement(tmp_path):
    result = lint(copy_fixture("licensing-dual-stated", tmp_path / "r"), select=LIC)
    assert finding_tuples(result) == [("LIC003", "LICENSE-MODEL", None)]


# --- rules on small repositories ------------------------------------------------------------------------


def test_lic002_unrecognised_research_only_licence(tmp_path):
    make_repo(tmp_path, {"LICENSE": text("research-only.txt"),
                         "README.md": card("license: other\nlicense_name: pebble-research\nlicense_link: LICENSE\n",
                                           "# M\n\n## License\n\nFor research purposes only.\n")})
    result = lint(tmp_path, select=LIC)
    assert finding_tuples(result) == [("LIC002", "LICENSE", None), ("LIC003", "LICENSE", None)]
    assert "looks custom" in next(f for f in result.findings if f.code == "LIC002").message


def test_lic002_reports_every_unrecognised_licence_file(tmp_path):
    # Split licences, both home-made: each file is reported on its own; the recognised MIT one is not.
    weights_terms = text("research-only.txt").replace("Pebble Research Model Licence", "Pebble Weights Terms")
    make_repo(tmp_path, {"LICENSE-CODE": text("mit.txt"), "LICENSE-DATA": text("research-only.txt"),
                         "LICENSE-WEIGHTS": weights_terms,
                         "README.md": card("license: other\nlicense_name: pebble-research\nlicense_link: LICENSE-WEIGHTS\n",
                                           "# M\n\n## License\n\nCode MIT; weights and data for research purposes only.\n")})
    result = lint(tmp_path, select=["LIC002"])
    assert finding_tuples(result) == [("LIC002", "LICENSE-DATA", None), ("LIC002", "LICENSE-WEIGHTS", None)]


def test_lic003_points_at_the_card_line_when_only_the_card_declares(tmp_path):
    # No licence file: the non-commercial licence is known from the card's `license:` line.
    make_repo(tmp_path, {"README.md": card("library_name: diffusers\nlicense: cc-by-nc-4.0\n")})
    assert finding_tuples(lint(tmp_path, select=["LIC003"])) == [("LIC003", "README.md", 3)]


def test_lic003_one_finding_per_licence_family(tmp_path):
    # The file and the card name the same licence: reported once, on the file.
    make_repo(tmp_path, {"LICENSE": text("cc-by-nc-4.0.txt"), "README.md": card("license: cc-by-nc-4.0\n")})
    assert finding_tuples(lint(tmp_path, select=["LIC003"])) == [("LIC003", "LICENSE", None)]


def test_lic003_two_licence_families_two_findings(tmp_path):
    make_repo(tmp_path, {"LICENSE": text("research-only.txt"), "README.md": card("license: cc-by-nc-4.0\n")})
    assert finding_tuples(lint(tmp_path, select=["LIC003"])) == [("LIC003", "LICENSE", None), ("LIC003", "README.md", 2)]


def test_lic004_card_disagrees_with_licence_file(tmp_path):
    make_repo(tmp_path, {"LICENSE": text("mit.txt"), "README.md": card("license: apache-2.0\n")})
    result = lint(tmp_path, select=["LIC004"])
    assert finding_tuples(result) == [("LIC004", "README.md", 2)]
    assert "LICENSE (MIT)" in result.findings[0].message


def test_lic004_card_says_mit_licence_is_llama(tmp_path):
    make_repo(tmp_path, {"LICENSE": text("llama-style-community.txt"), "README.md": card("license: mit\n")})
    assert finding_tuples(lint(tmp_path, select=["LIC004"])) == [("LIC004", "README.md", 2)]


def test_lic004_silent_when_declarations_agree_with_some_licence_file(tmp_path):
    make_repo(tmp_path, {"LICENSE-CODE": text("apache-2.0.txt"), "LICENSE-MODEL": text("cc-by-nc-4.0.txt"),
                         "README.md": card("license: cc-by-nc-4.0\n"),
                         "pyproject.toml": '[project]\nname = "m"\nlicense = "Apache-2.0"\n'})
    assert finding_tuples(lint(tmp_path, select=["LIC004"])) == []


def test_lic005_card_without_licence(tmp_path):
    make_repo(tmp_path, {"LICENSE": text("mit.txt"), "README.md": card("library_name: transformers\n")})
    assert finding_tuples(lint(tmp_path, select=["LIC005"])) == [("LIC005", "README.md", 1)]


def test_lic006_other_without_name_and_link(tmp_path):
    make_repo(tmp_path, {"LICENSE": text("research-only.txt"),
                         "README.md": card("library_name: transformers\nlicense: other\nlicense_link: LICENSE.md\n")})
    result = lint(tmp_path, select=["LIC006"])
    assert finding_tuples(result) == [("LIC006", "README.md", 3)]
    assert "no `license_name`" in result.findings[0].message and "points to no file" in result.findings[0].message


def test_lic006_silent_with_name_and_link(tmp_path):
    make_repo(tmp_path, {"LICENSE": text("research-only.txt"),
                         "README.md": card("license: other\nlicense_name: pebble-research\nlicense_link: LICENSE\n")})
    assert finding_tuples(lint(tmp_path, select=["LIC006"])) == []


def test_lic008_free_text_and_deprecated_ids(tmp_path):
    make_repo(tmp_path, {"LICENSE": text("apache-2.0.txt"), "README.md": card("license: Apache 2.0\n"),
                         "pyproject.toml": '[project]\nname = "m"\nlicense = "GPL-2.0"\n',
                         "CITATION.cff": "cff-version: 1.2.0\nlicense: Apache-2.0\n"})
    result = lint(tmp_path, select=["LIC008"])
    assert finding_tuples(result) == [("LIC008", "README.md", 2), ("LIC008", "pyproject.toml", 3)]
    messages = sorted(f.message for f in result.findings)
    assert "use 'Apache-2.0'" in messages[0] and "use 'GPL-2.0-only'" in messages[1]


def test_lic008_silent_on_valid_ids_and_hf_ids(tmp_path):
    make_repo(tmp_path, {"LICENSE": text("llama-style-community.txt"), "README.md": card("license: llama3.1\n"),
                         "pyproject.toml": '[project]\nname = "m"\nlicense = "Apache-2.0 OR MIT"\n'})
    assert finding_tuples(lint(tmp_path, select=["LIC008"])) == []


def test_lic009_restrictions_not_stated(tmp_path):
    make_repo(tmp_path, {"LICENSE": text("cc-by-nc-4.0.txt"), "README.md": card("license: cc-by-nc-4.0\n")})
    assert finding_tuples(lint(tmp_path, select=["LIC009"])) == [("LIC009", "LICENSE", None)]


def test_lic009_silent_when_readme_states_restrictions(tmp_path):
    make_repo(tmp_path, {"LICENSE": text("cc-by-nc-4.0.txt"),
                         "README.md": card("license: cc-by-nc-4.0\n", "# M\n\n## License\n\nNon-commercial use only.\n")})
    assert finding_tuples(lint(tmp_path, select=["LIC009"])) == []


def test_lic010_ignores_look_alike_phrases(tmp_path):
    body = ("# M\n\nBuilt with open-source libraries such as PyTorch.\n\nThis model is not open source: "
            "it is open weights.\n\n```\n# an open source claim inside code is not a claim\n```\n")
    make_repo(tmp_path, {"LICENSE": text("cc-by-nc-4.0.txt"), "README.md": card("license: cc-by-nc-4.0\n", body)})
    assert finding_tuples(lint(tmp_path, select=["LIC010"])) == []


def test_lic010_claim_with_restricted_weights(tmp_path):
    make_repo(tmp_path, {"LICENSE": text("cc-by-nc-4.0.txt"),
                         "README.md": card("license: cc-by-nc-4.0\n", "# M\n\nA fully open model for everyone.\n")})
    assert finding_tuples(lint(tmp_path, select=["LIC010"])) == [("LIC010", "README.md", 7)]


def test_lic011_llama_fine_tune_relicensed_as_apache(tmp_path):
    make_repo(tmp_path, {"LICENSE": text("apache-2.0.txt"),
                         "README.md": card("license: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\n")})
    assert finding_tuples(lint(tmp_path, select=["LIC011"])) == [("LIC011", "README.md", 2)]


def test_lic011_silent_for_permissive_base_and_matching_family(tmp_path):
    make_repo(tmp_path / "a", {"LICENSE": text("apache-2.0.txt"),
                               "README.md": card("license: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\n")})
    make_repo(tmp_path / "b", {"LICENSE": text("llama-style-community.txt"),
                               "README.md": card("license: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n")})
    assert finding_tuples(lint(tmp_path / "a", select=["LIC011"])) == []
    assert finding_tuples(lint(tmp_path / "b", select=["LIC011"])) == []


# --- every finding counted, lines asserted (mutation survivors of the `first` / `noline` kinds) ----------------


def test_lic004_card_and_package_metadata_both_disagree(tmp_path):
    # The licence file is MIT; the card and pyproject both say Apache-2.0: each declaration is reported.
    make_repo(tmp_path, {"LICENSE": text("mit.txt"), "README.md": card("license: apache-2.0\n"),
                         "pyproject.toml": '[project]\nname = "m"\nlicense = "Apache-2.0"\n'})
    assert finding_tuples(lint(tmp_path, select=["LIC004"])) == [("LIC004", "README.md", 2), ("LIC004", "pyproject.toml", 3)]


def test_lic006_two_custom_licences_both_unexplained(tmp_path):
    # Custom code and weights licences listed in the card, neither named: one finding per listed value.
    make_repo(tmp_path, {"LICENSE": text("research-only.txt"),
                         "README.md": card("library_name: transformers\nlicense:\n- other\n- acme-weights-licence\n")})
    result = lint(tmp_path, select=["LIC006"])
    assert finding_tuples(result) == [("LIC006", "README.md", 3), ("LIC006", "README.md", 3)]
    assert sorted("`license: other`" in f.message for f in result.findings) == [False, True]


def test_lic009_two_restrictive_licences_each_reported(tmp_path):
    # Llama-style weights and non-commercial data: both restriction sets are missing from the README.
    make_repo(tmp_path, {"LICENSE": text("llama-style-community.txt"), "LICENSE-DATA": text("cc-by-nc-4.0.txt"),
                         "README.md": card("license: llama3.1\n", "# M\n\n## License\n\nSee LICENSE and LICENSE-DATA.\n")})
    assert finding_tuples(lint(tmp_path, select=["LIC009"])) == [("LIC009", "LICENSE", None), ("LIC009", "LICENSE-DATA", None)]


def test_lic009_points_at_the_card_line_when_only_the_card_declares(tmp_path):
    make_repo(tmp_path, {"README.md": card("library_name: diffusers\nlicense: cc-by-nc-4.0\n")})
    assert finding_tuples(lint(tmp_path, select=["LIC009"])) == [("LIC009", "README.md", 3)]


def test_lic010_every_claim_is_reported(tmp_path):
    body = "# M\n\nA fully open model for everyone.\n\n## Why\n\nWe believe open source models help research.\n"
    make_repo(tmp_path, {"LICENSE": text("cc-by-nc-4.0.txt"), "README.md": card("license: cc-by-nc-4.0\n", body)})
    assert finding_tuples(lint(tmp_path, select=["LIC010"])) == [("LIC010", "README.md", 7), ("LIC010", "README.md", 11)]


def test_lic011_two_restrictive_base_models_two_findings(tmp_path):
    # A merge of a Llama and a Gemma checkpoint relicensed as Apache-2.0: both bases are reported.
    make_repo(tmp_path, {"LICENSE": text("apache-2.0.txt"),
                         "README.md": card("license: apache-2.0\nbase_model:\n- meta-llama/Llama-3.1-8B\n- google/gemma-2-9b\n")})
    result = lint(tmp_path, select=["LIC011"])
    assert finding_tuples(result) == [("LIC011", "README.md", 2), ("LIC011", "README.md", 2)]
    assert sorted(f.key for f in result.findings) == ["README.md#base-model#google/gemma-2-9b",
                                                      "README.md#base-model#meta-llama/Llama-3.1-8B"]


def test_lic006_findings_on_one_line_have_distinct_keys(tmp_path):
    """Two unexplained licences on one card line must stay two alerts (keys feed SARIF fingerprints)."""
    repo = make_repo(tmp_path, {
        "README.md": "---\nlicense:\n- other\n- acme-weights-licence\n---\n# Acme\n",
        "LICENSE": "Acme internal terms: use at your own risk.\n",
    })
    findings = lint(repo, select=["LIC006"]).findings
    assert finding_tuples(lint(repo, select=["LIC006"])) == [("LIC006", "README.md", 2), ("LIC006", "README.md", 2)]
    assert sorted(f.key for f in findings) == ["README.md#license:acme-weights-licence", "README.md#license:other"]


def test_lic006_license_link_resolved_from_the_card_folder(tmp_path):
    """A card under docs/ links `../LICENSE-MODEL`: that file exists; `LICENSE-MODEL` next to the card does not."""
    card = "---\nlicense: other\nlicense_name: acme\nlicense_link: {link}\n---\n# Acme\n"
    good = make_repo(tmp_path / "a", {"docs/model_card.md": card.format(link="../LICENSE-MODEL"), "LICENSE-MODEL": "Acme terms\n"})
    assert finding_tuples(lint(good, select=["LIC006"])) == []
    bad = make_repo(tmp_path / "b", {"docs/model_card.md": card.format(link="LICENSE-MODEL"), "LICENSE-MODEL": "Acme terms\n"})
    assert finding_tuples(lint(bad, select=["LIC006"])) == [("LIC006", "docs/model_card.md", 2)]
