"""What the GitHub Actions runner makes of a step's output: a model of actions/runner's
``ActionCommandManager.TryProcessCommand`` for the tests.

Each line (split at CR, LF or CRLF, as .NET's ReadLine does) is tried as a workflow command:
first the ``::name props::data`` form, which must start the line once leading white space is
trimmed, then the legacy ``##[name props]data`` form, found anywhere in the line. Only
registered command names count (case-insensitive). ``::stop-commands::TOKEN`` pauses command
processing until a line that parses as the command ``TOKEN``.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

REGISTERED = {"set-env", "set-output", "save-state", "add-mask", "add-path", "add-matcher", "remove-matcher",
              "debug", "warning", "error", "notice", "group", "endgroup", "echo", "stop-commands"}
_DATA_UNESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
_PROPERTY_UNESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))
_LEGACY_UNESCAPES = (("%3B", ";"), ("%0D", "\r"), ("%0A", "\n"), ("%5D", "]"), ("%25", "%"))

Command = Tuple[str, Dict[str, str], str]


def _unescape(text: str, table) -> str:
    for escaped, raw in table:
        text = text.replace(escaped, raw)
    return text


def parse_command(line: str, registered=None) -> Optional[Command]:
    """(command, properties, message) of a ``::`` workflow command line, None for any other line.

    Without *registered*, any name counts (to read back what a formatter wrote)."""
    line = line.lstrip()
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    head, data = line[2:end], line[end + 2:]
    name, _, props = head.partition(" ")
    if registered is not None and name.lower() not in registered:
        return None
    properties = {}
    for pair in filter(None, props.strip().split(",")):
        key, _, value = pair.partition("=")
        if key and value:
            properties[key] = _unescape(value, _PROPERTY_UNESCAPES)
    return name.lower(), properties, _unescape(data, _DATA_UNESCAPES)


def parse_legacy(line: str, registered) -> Optional[Command]:
    start = line.find("##[")
    if start < 0:
        return None
    end = line.find("]", start)
    if end < 0:
        return None
    name, _, props = line[start + 3:end].partition(" ")
    if name.lower() not in registered:
        return None
    properties = {}
    for pair in filter(None, props.split(";")):
        key, _, value = pair.partition("=")
        if key and value:
            properties[key] = _unescape(value, _LEGACY_UNESCAPES)
    return name.lower(), properties, _unescape(line[end + 1:], _LEGACY_UNESCAPES)


def run_log(output: str) -> Tuple[List[Command], List[str]]:
    """(the commands the runner would run, in order; the lines it would print as plain log)."""
    registered = set(REGISTERED)
    commands: List[Command] = []
    plain: List[str] = []
    stop_token: Optional[str] = None
    for line in re.split(r"\r\n|\r|\n", output):
        command = parse_command(line, registered) or parse_legacy(line, registered)
        if stop_token is not None:
            if command is not None and command[0] == stop_token:
                registered.discard(stop_token)
                stop_token = None
                commands.append(command)
            else:
                plain.append(line)
            continue
        if command is None:
            plain.append(line)
            continue
        commands.append(command)
        if command[0] == "stop-commands" and command[2]:
            stop_token = command[2].lower()
            registered.add(stop_token)
    if plain and plain[-1] == "":
        plain.pop()  # the text after the final newline
    return commands, plain


def meant(commands: List[Command]) -> List[Command]:
    """The commands without the stop-commands pairs that fence plain text."""
    tokens = {c[2].lower() for c in commands if c[0] == "stop-commands"}
    return [c for c in commands if c[0] != "stop-commands" and c[0] not in tokens]
