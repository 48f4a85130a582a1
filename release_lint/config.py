"""Configuration: discovery, validation and command-line overrides.

Sources, first found wins: ``--config FILE``; ``.release-lint.toml`` at the linted root, else
``[tool.release-lint]`` in its ``pyproject.toml``; then the same in each folder above the root up to
the git top level (so a sub-folder release of a monorepo shares the repository's configuration).
Every mistake is an error naming the file, the key and the valid choices: a typo must never silently
disable a rule.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any, Dict, Optional, Tuple

from release_lint.discovery import CONFIG_FILE  # one name for discovery and loading
from release_lint.filereads import FileTooLarge, NotRegularFile, parse_toml, read_regular_file
from release_lint.findings import SEVERITIES
from release_lint.globs import MAX_EXCLUDE_PATTERNS, ignore_pattern_problem
from release_lint.profiles import PROFILES, profile_severities
from release_lint.repo import DEFAULT_MAX_BYTES

# A configuration file may raise the read cap this far and no further: it is often the repository's own.
MAX_READ_BYTES_LIMIT = 16 * 1024 * 1024


class ConfigError(Exception):
    """A configuration problem; the CLI prints it as one line and exits 2."""


@dataclass(frozen=True)
class Config:
    select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    ignore_reasons: Dict[str, str] = field(default_factory=dict)  # selector -> why it is ignored
    fail_on: str = "warning"
    exclude: Tuple[str, ...] = ()
    severity: Dict[str, str] = field(default_factory=dict)  # rule code -> severity, as configured
    profile: Optional[str] = None  # a target (see --list-profiles) whose required rules become errors
    options: Dict[str, Dict[str, Any]] = field(default_factory=dict)  # rule code -> {option: value}
    max_read_bytes: int = DEFAULT_MAX_BYTES
    baseline: Optional[str] = None  # baseline file; relative paths are relative to the config file
    bom: Dict[str, Any] = field(default_factory=dict)  # [tool.release-lint.bom]: what only the team can say
    root: Optional[str] = None  # a sub-folder release (absolute; configured relative to the config file)
    source: Optional[str] = None  # the file this came from, for messages

    def options_for(self, rule) -> dict:
        """A rule's options: its defaults, overridden by ``[tool.release-lint.options.CODE]``."""
        return {**rule.default_options(), **self.options.get(rule.code, {})}

    def severity_of(self, rule) -> str:
        """A rule's severity: configured explicitly, else raised by the profile, else its default."""
        if rule.code in self.severity:
            return self.severity[rule.code]
        if self.profile:
            return profile_severities(self.profile).get(rule.code, rule.severity)
        return rule.severity

    def with_overrides(self, **changes) -> "Config":
        """A copy with command-line values (those not None) taking precedence."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


MAX_CONFIG_BYTES = 1024 * 1024


def _read_config(path: str, root: Optional[str]) -> bytes:
    """A configuration file's bytes: a regular file of at most MAX_CONFIG_BYTES, opened without blocking.

    Found in the linted repository (*root* given), it is that repository's content: a symlink out of
    it is not followed, as for every other file.
    """
    if root is not None:
        real_root = os.path.realpath(root)
        if not os.path.realpath(path).startswith(real_root + os.sep):
            raise ConfigError(f"{path}: symlink points outside the repository; not read")
    try:
        return read_regular_file(path, MAX_CONFIG_BYTES)
    except NotRegularFile:
        raise ConfigError(f"{path}: not a regular file") from None
    except FileTooLarge:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES} bytes; not read as configuration") from None


def _load_toml(path: str, root: Optional[str] = None) -> dict:
    data = _read_config(path, root)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 text") from None
    try:
        return parse_toml(text)
    except ValueError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration ({exc.strerror or exc})") from None


def _short(value: Any) -> str:
    """repr of a configured value, cut so a huge or hostile value cannot flood the message."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _release_lint_table(source: str, data: dict) -> Any:
    """``[tool.release-lint]`` of a parsed pyproject.toml, or None; ``tool`` must be a table."""
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{source}: [tool] must be a table, got {_short(tool)}")
    return tool.get("release-lint")


def _config_folders(root: str):
    """*root*, then each folder above it up to its git top level (only *root* outside git)."""
    from release_lint.discovery import git_top

    folder = os.path.abspath(root)
    top = git_top(folder)
    yield folder
    while top is not None and folder != top and folder.startswith(top + os.sep):
        folder = os.path.dirname(folder)
        yield folder


def find_config(root: str, explicit: Optional[str] = None) -> Tuple[Optional[str], dict]:
    """The configuration file to use and its release-lint table (empty when there is none)."""
    if explicit:
        if not os.path.isfile(explicit):
            raise ConfigError(f"{explicit}: configuration file not found")
        data = _load_toml(explicit)
        if os.path.basename(explicit) == "pyproject.toml" or "tool" in data:
            table = _release_lint_table(explicit, data)
            data = {} if table is None else table
        return explicit, data
    for folder in _config_folders(root):
        dedicated = os.path.join(folder, CONFIG_FILE)
        if os.path.isfile(dedicated):
            return dedicated, _load_toml(dedicated, folder)
        pyproject = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(pyproject):
            table = _release_lint_table(pyproject, _load_toml(pyproject, folder))
            if table is not None:
                return pyproject, table
    return None, {}


def _where(source: str, key: str) -> str:
    table = "[tool.release-lint]" if source.endswith("pyproject.toml") else ""
    return f"{source}: {table + ' ' if table else ''}{key}"


def _string_list(source: str, key: str, value: Any) -> Tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{_where(source, key)}: expected a list of strings, got {_short(value)}")
    return tuple(part.strip() for item in value for part in item.split(",") if part.strip())


def _check_selectors(source: str, key: str, selectors: Tuple[str, ...]) -> None:
    _require_known_rules(_where(source, key), selectors)


def _require_known_rules(where: str, selectors: Tuple[str, ...]) -> None:
    """A ConfigError, named after *where*, for the first selector that names no rule."""
    from release_lint.registry import is_valid_selector

    for selector in selectors:
        if not is_valid_selector(selector):
            raise ConfigError(
                f"{where}: unknown rule {selector!r} "
                "(use a rule code such as LIC001, a prefix such as LIC, a rule name, or ALL; see --list-rules)"
            )


def _rule_or_error(source: str, key: str, code_or_name: str):
    from release_lint.registry import get_rule

    found = get_rule(code_or_name)
    if found is None:
        raise ConfigError(f"{_where(source, key)}: unknown rule {code_or_name!r} (see --list-rules)")
    return found


def _severity(source: str, key: str, value: Any) -> str:
    if value not in SEVERITIES:
        raise ConfigError(f"{_where(source, key)}: invalid value {_short(value)} (choose from: {', '.join(SEVERITIES)})")
    return value


def _parse_ignore(source: str, value: Any) -> Tuple[Tuple[str, ...], Dict[str, str]]:
    """`ignore` takes strings or tables ``{code = "HW003", reason = "..."}``."""
    if isinstance(value, (str, list)) and all(isinstance(v, str) for v in ([value] if isinstance(value, str) else value)):
        return _string_list(source, "ignore", value), {}
    if not isinstance(value, list):
        raise ConfigError(f"{_where(source, 'ignore')}: expected a list of rule codes or tables, got {_short(value)}")
    selectors, reasons = [], {}
    for item in value:
        if isinstance(item, str):
            selectors.extend(_string_list(source, "ignore", item))
        elif isinstance(item, dict):
            unknown = set(item) - {"code", "reason"}
            if unknown or not isinstance(item.get("code"), str):
                raise ConfigError(
                    f"{_where(source, 'ignore')}: each table needs a string 'code' and may have a 'reason' "
                    f"(got keys {sorted(item)})"
                )
            selectors.append(item["code"].strip())
            if item.get("reason") is not None:
                if not isinstance(item["reason"], str):
                    raise ConfigError(f"{_where(source, 'ignore')}: 'reason' must be a string")
                reasons[item["code"].strip()] = item["reason"]
        else:
            raise ConfigError(f"{_where(source, 'ignore')}: expected a rule code or a table, got {_short(item)}")
    return tuple(selectors), reasons


def _parse_options(source: str, value: Any) -> Dict[str, Dict[str, Any]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{_where(source, 'options')}: expected a table of rule tables")
    parsed: Dict[str, Dict[str, Any]] = {}
    for code_or_name, table in value.items():
        found = _rule_or_error(source, f"options.{code_or_name}", code_or_name)
        if not isinstance(table, dict):
            raise ConfigError(f"{_where(source, f'options.{code_or_name}')}: expected a table of option values")
        for option, option_value in table.items():
            if option not in found.options:
                choices = ", ".join(found.options) or "none"
                raise ConfigError(
                    f"{_where(source, f'options.{code_or_name}.{option}')}: unknown option for {found.code} "
                    f"(valid options: {choices})"
                )
            expected_type = found.options[option][0]
            if not isinstance(option_value, expected_type) or (expected_type is int and isinstance(option_value, bool)):
                raise ConfigError(
                    f"{_where(source, f'options.{code_or_name}.{option}')}: expected {expected_type.__name__}, "
                    f"got {_short(option_value)}"
                )
            parsed.setdefault(found.code, {})[option] = option_value
    return parsed


def check_profile(where: str, value: Any) -> str:
    if not isinstance(value, str) or value not in PROFILES:
        raise ConfigError(f"{where}: unknown profile {_short(value)} (choose from: {', '.join(PROFILES)})")
    return value


def _positive_int(source: str, key: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ConfigError(f"{_where(source, key)}: expected a positive whole number of bytes, got {_short(value)}")
    return value


def _read_cap(source: str, key: str, value: Any) -> int:
    value = _positive_int(source, key, value)
    if value > MAX_READ_BYTES_LIMIT:
        raise ConfigError(f"{_where(source, key)}: at most {MAX_READ_BYTES_LIMIT} bytes (16 MiB), got {_short(value)}")
    return value


def _exclude(source: str, key: str, value: Any) -> Tuple[str, ...]:
    """gitignore-style patterns, under the guard the walk applies to .gitignore files (a pattern with
    many ``*`` backtracks for hours on a long name), and at most MAX_EXCLUDE_PATTERNS of them (each is
    matched against every file)."""
    patterns = _string_list(source, key, value)
    if len(patterns) > MAX_EXCLUDE_PATTERNS:
        raise ConfigError(f"{_where(source, key)}: at most {MAX_EXCLUDE_PATTERNS} patterns, got {len(patterns)}")
    for pattern in patterns:
        problem = ignore_pattern_problem(pattern)
        if problem:
            raise ConfigError(f"{_where(source, key)}: {problem}: {_short(pattern)}")
    return patterns


def _baseline_path(source: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{_where(source, key)}: expected the path of a baseline file, got {_short(value)}")
    return os.path.join(os.path.dirname(source), value)


# SPDX 3.0.1 Dataset/DatasetType values.
DATASET_TYPES = ("audio", "categorical", "graph", "image", "noAssertion", "numeric", "other", "sensor", "structured",
                 "syntactic", "text", "timeseries", "timestamp", "video")


def _parse_bom(source: str, value: Any) -> Dict[str, Any]:
    """``[bom]``: supplier, supplier-url, download-location (strings), release-time (an ISO 8601 date or
    date-time), dataset-types ({dataset name = SPDX dataset type}), hash-max-bytes (whole number >= 0)."""
    import datetime

    if not isinstance(value, dict):
        raise ConfigError(f"{_where(source, 'bom')}: expected a table")
    parsed: Dict[str, Any] = {}
    for key, item in value.items():
        where = _where(source, f"bom.{key}")
        if key in ("supplier", "supplier-url", "download-location"):
            if not isinstance(item, str) or not item.strip():
                raise ConfigError(f"{where}: expected a non-empty string, got {_short(item)}")
            parsed[key] = item.strip()
        elif key == "release-time":
            if isinstance(item, (datetime.date, datetime.datetime)):
                item = item.isoformat()
            try:
                datetime.datetime.fromisoformat(str(item).replace("Z", "+00:00"))
            except ValueError:
                raise ConfigError(f"{where}: expected an ISO 8601 date or date-time, got {_short(item)}") from None
            parsed[key] = str(item)
        elif key == "dataset-types":
            if not isinstance(item, dict) or not all(v in DATASET_TYPES for v in item.values()):
                raise ConfigError(f"{where}: expected a table of dataset name = type (types: {', '.join(DATASET_TYPES)})")
            parsed[key] = dict(item)
        elif key == "hash-max-bytes":
            if not isinstance(item, int) or isinstance(item, bool) or item < 0:
                raise ConfigError(f"{where}: expected a whole number of bytes >= 0, got {_short(item)}")
            parsed[key] = item
        else:
            raise ConfigError(f"{where}: unknown key (valid keys: dataset-types, download-location, hash-max-bytes, "
                              "release-time, supplier, supplier-url)")
    return parsed


def _root_path(source: str, key: str, value: Any) -> str:
    """A sub-folder of the configuration file's folder: the release that folder's runs lint."""
    if not isinstance(value, str) or not value.strip() or os.path.isabs(value):
        raise ConfigError(f"{_where(source, key)}: expected a folder relative to the configuration file, got {_short(value)}")
    base = os.path.dirname(os.path.abspath(source))
    folder = os.path.normpath(os.path.join(base, value))
    if folder != base and not folder.startswith(base + os.sep):
        raise ConfigError(f"{_where(source, key)}: {value!r} is outside the configuration file's folder")
    return folder


# Key -> parser(source, key, value) -> (Config field, value). One entry per configuration key.
KEYS = {
    "select": lambda s, k, v: ("select", _string_list(s, k, v)),
    "fail-on": lambda s, k, v: ("fail_on", _severity(s, k, v)),
    "profile": lambda s, k, v: ("profile", check_profile(f"{_where(s, k)}", v)),
    "exclude": lambda s, k, v: ("exclude", _exclude(s, k, v)),
    "max-read-bytes": lambda s, k, v: ("max_read_bytes", _read_cap(s, k, v)),
    "options": lambda s, k, v: ("options", _parse_options(s, v)),
    "baseline": lambda s, k, v: ("baseline", _baseline_path(s, k, v)),
    "bom": lambda s, k, v: ("bom", _parse_bom(s, v)),
    "root": lambda s, k, v: ("root", _root_path(s, k, v)),
}


def parse_table(source: str, table: dict) -> Config:
    """Validate a release-lint table into a Config."""
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: the release-lint configuration must be a table")
    values: Dict[str, Any] = {"source": source}
    valid = sorted([*KEYS, "ignore", "severity"])
    for key, value in table.items():
        if key == "ignore":
            values["ignore"], values["ignore_reasons"] = _parse_ignore(source, value)
            _check_selectors(source, key, values["ignore"])
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{_where(source, 'severity')}: expected a table such as {{HW001 = \"info\"}}")
            values["severity"] = {
                _rule_or_error(source, f"severity.{name}", name).code: _severity(source, f"severity.{name}", level)
                for name, level in value.items()
            }
        elif key in KEYS:
            field_name, parsed = KEYS[key](source, key, value)
            values[field_name] = parsed
        else:
            raise ConfigError(f"{_where(source, key)}: unknown key (valid keys: {', '.join(valid)})")
    if "select" in values:
        _check_selectors(source, "select", values["select"])
    return Config(**values)


def load_config(root: str, explicit: Optional[str] = None) -> Config:
    source, table = find_config(root, explicit)
    if source is None:
        return Config()
    config = parse_table(source, table)
    if explicit is None and config.baseline:
        _check_baseline_inside(source, root, config.baseline)
    return config


def _check_baseline_inside(source: str, root: str, baseline: str) -> None:
    """A baseline named by the repository's own configuration hides findings: it must be a file of the
    repository (symlinks resolved), never one outside it. ``--baseline`` on the command line may name any."""
    real_root = os.path.realpath(root)
    if not os.path.realpath(baseline).startswith(real_root + os.sep):
        raise ConfigError(f"{_where(source, 'baseline')}: must name a file inside the repository "
                          "(use --baseline to name one elsewhere)")


def validate_cli_selectors(option: str, selectors: Tuple[str, ...]) -> None:
    """Command-line selectors get the same check as the file's, named after the option."""
    _require_known_rules(option, selectors)


def ignored_rules(config: Config):
    """Rules the ignore list switches off: ``[(rule, ignore selector, reason or None)]``.

    Only rules the select list would otherwise run; the selector shown is the most specific
    ignore entry that matches, and its reason comes from ``ignore = [{code=..., reason=...}]``.
    """
    from release_lint.registry import all_rules, select_rules, selector_matches

    enabled = {r.code for r in select_rules(config.select, config.ignore)}
    wanted = {r.code for r in select_rules(config.select, ())}
    found = []
    for candidate in all_rules():
        if candidate.code in wanted and candidate.code not in enabled:
            selector = max(config.ignore, key=lambda s: selector_matches(s, candidate))
            found.append((candidate, selector, config.ignore_reasons.get(selector)))
    return found
