"""CITATION.cff checked against the official Citation File Format 1.2.0 JSON schema.

The schema is vendored unchanged in ``release_lint/data`` (CC-BY-4.0, see the README there) and applied
with ``jsonschema``; each error is reported with the key it concerns (``authors[0].orcid``) and the line
of that key in the YAML file.
"""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, List, Optional, Sequence, Union

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "data" / "cff-1.2.0.schema.json"
MAX_QUOTED = 120  # characters of a value quoted in a message


@dataclass(frozen=True)
class SchemaError:
    """One schema violation: ``where`` (``authors[0].orcid``, "" for the whole file), ``message`` and the
    1-based ``line`` of the key (or of the mapping that lacks a required key)."""

    where: str
    message: str
    line: Optional[int]
    validator: str


@functools.lru_cache(maxsize=1)
def _validator():
    import jsonschema

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    # No format checker: "uri" and "email" checks depend on optional packages, so results would vary by
    # installation; the schema's own patterns already pin dates, DOIs, ORCIDs and URLs.
    return jsonschema.validators.validator_for(schema)(schema)


def _as_json(value: Any) -> Any:
    """YAML values as the JSON the schema describes: unquoted dates (YAML timestamps) become ISO strings,
    as the CFF tools read them."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value


def _where(path: Sequence[Union[str, int]]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(root, path: Sequence[Union[str, int]]) -> Optional[int]:
    """The line of the YAML node at *path* (of the key, for a mapping entry), from the composed tree."""
    node, line = root, (root.start_mark.line + 1 if root is not None else None)
    for part in path:
        if node is None:
            break
        found = None
        if isinstance(part, int) and node.id == "sequence" and part < len(node.value):
            found = node.value[part]
            line = found.start_mark.line + 1
        elif node.id == "mapping":
            for key, value in node.value:
                if getattr(key, "value", None) == part:
                    found, line = value, key.start_mark.line + 1
                    break
        node = found
    return line


def _quoted(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 1] + "…"


def _describe(error) -> str:
    """A message of our own for the common validators; jsonschema's (with the value cut short) otherwise."""
    kind, instance = error.validator, error.instance
    if kind == "required":
        missing = [key for key in error.validator_value if isinstance(instance, dict) and key not in instance]
        return f"lacks the required key{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(key) for key in instance if key not in allowed)
        return f"{', '.join(repr(k) for k in extra)} {'is not a key' if len(extra) == 1 else 'are not keys'} of CFF 1.2.0 here"
    if kind == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return f"{_quoted(instance)} is not of type {expected}"
    if kind == "enum":
        choices = error.validator_value
        shown = ", ".join(repr(c) for c in choices[:8]) + (", …" if len(choices) > 8 else "")
        return f"{_quoted(instance)} is not one of {shown}"
    if kind == "pattern":
        return f"{_quoted(instance)} does not match the pattern {error.validator_value}"
    if kind == "minItems":
        return f"needs at least {error.validator_value} item{'s' if error.validator_value != 1 else ''}"
    if kind == "minLength":
        return "must not be empty"
    if kind == "const":
        return f"{_quoted(instance)} must be {error.validator_value!r}"
    message = error.message
    return message if len(message) <= 2 * MAX_QUOTED else message[: 2 * MAX_QUOTED - 1] + "…"


def _leaf_errors(error) -> list:
    """The errors to report for *error*: for anyOf/oneOf (an author is a person or an entity), those of the
    alternative the value came closest to: fewest errors, then the deepest, then not a mere type mismatch."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    branches: dict = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0] if sub.relative_schema_path else 0, []).append(sub)

    def rank(errors):
        return (len(errors), -max(len(e.absolute_path) for e in errors), all(e.validator == "type" for e in errors))

    closest = min(branches.values(), key=rank)
    return [leaf for sub in closest for leaf in _leaf_errors(sub)]


def cff_schema_errors(data: Any, text: str) -> List[SchemaError]:
    """Every way *data* (the parsed CITATION.cff, whose source is *text*) breaks the CFF 1.2.0 schema,
    in file order."""
    import yaml

    errors = sorted(_validator().iter_errors(_as_json(data)), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return []
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:  # parsed once already; this cannot fail, but a line is not worth a crash
        root = None
    found: List[SchemaError] = []
    for specific in (leaf for error in errors for leaf in _leaf_errors(error)):
        path = list(specific.absolute_path)
        if specific.validator == "additionalProperties" and isinstance(specific.instance, dict):
            allowed = set(specific.schema.get("properties", {}))
            extra = [key for key in specific.instance if key not in allowed]
            line = _line_of(root, path + extra[:1]) if root is not None else None
        else:
            line = _line_of(root, path) if root is not None else None
        found.append(SchemaError(_where(path), _describe(specific), line, str(specific.validator)))
    found = list(dict.fromkeys(found))
    found.sort(key=lambda e: (e.line or 0, e.where))
    return found
