"""The release's self-assessment in the Model Openness Tool's YAML format.

It follows the tool's schema (framework; release with name, version, producer, licences and
components, each with its licence and path) and can be submitted to the tool after review. Values
release-lint cannot know are left empty, and a comment at the top names them.
"""

from __future__ import annotations

from typing import Dict, List

import yaml

from release_lint import __version__
from release_lint.detectors.license_ids import all_of
from release_lint.findings import Result
from release_lint.formats._inert import inert
from release_lint.openness.frameworks import COMPONENTS

FRAMEWORK = {"name": "Model Openness Framework", "version": "1.0", "date": "2024-12-15"}


def _licence(entries: List[dict]) -> Dict[str, str]:
    ids = sorted({e["id"] for e in entries if e["id"]})
    paths = sorted({e["path"] for e in entries if e.get("path")})
    return {"name": all_of(ids) or "", "path": paths[0] if len(paths) == 1 else ", ".join(paths)}


def to_document(openness: dict) -> dict:
    mof = openness["mof"]
    facts = mof["release"]
    licences = mof["licenses"]
    weights_and_data = licences["weights"] or licences["data"]
    components = []
    for component in mof["components"]:
        if not component["present"]:
            continue
        entry = {"name": component["name"], "description": _description(component["name"]),
                 "license": component["license"] or "unlicensed"}
        if component["license_paths"]:
            entry["license_path"] = ", ".join(component["license_paths"])
        paths = list(dict.fromkeys(str(e).split(" ", 1)[0].split(":", 1)[0] for e in component["evidence"]))
        if paths:
            entry["component_path"] = ", ".join(paths[:3])
        components.append(entry)
    release = {
        "name": facts["name"],
        "version": facts["version"],
        "type": facts["type"],
        "architecture": "",
        "origin": facts["origin"],
        "producer": facts["producer"],
        "contact": "",
        "repository": facts["repository"],
        "huggingface": "",
        "license": {
            "distribution": _licence(licences["code"] + weights_and_data + licences["document"]),
            "code": _licence(licences["code"]),
            "data": _licence(weights_and_data),
            "document": _licence(licences["document"]),
        },
        "components": components,
    }
    return {"framework": dict(FRAMEWORK), "release": release}


def _description(name: str) -> str:
    return next(c.description for c in COMPONENTS if c.name == name)


def _inert_strings(value):
    """The document with every string made inert: YAML would print bidi overrides and some controls raw."""
    if isinstance(value, dict):
        return {key: _inert_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_inert_strings(item) for item in value]
    return inert(value) if isinstance(value, str) else value


def render(result: Result, **_options) -> str:
    openness = result.extra.get("openness")
    if not openness:
        return "# release-lint: the MOF self-assessment needs a full run (no --select)\n"
    document = to_document(openness)
    release = document["release"]
    unknown = [key for key in ("version", "type", "architecture", "origin", "producer", "contact", "repository", "huggingface")
               if not release[key]]
    header = [
        f"# Model Openness Framework self-assessment written by release-lint {__version__}.",
        f"# release-lint's verdict: {openness['mof']['class']}.",
        "# Components are listed when release-lint found them in the repository; check each one.",
    ]
    if unknown:
        header.append("# release-lint could not know these; fill them in: " + ", ".join(f"release.{k}" for k in unknown) + ".")
    header.append("# Add `date: YYYY-MM-DD` under release: with the release date.")
    body = yaml.safe_dump(_inert_strings(document), sort_keys=False, allow_unicode=True, default_flow_style=False,
                          width=1 << 30)  # never folded: no line may start with repository text
    return "\n".join(header) + "\n" + body
