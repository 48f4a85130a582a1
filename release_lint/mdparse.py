"""Markdown parsing shared by rules: YAML front matter and headings, with line numbers.

Pure functions over text: they never raise on any input (property-tested) and run
in time linear in the text. YAML is parsed with a safe loader only: tags such as
``!!python/object`` are rejected, never constructed, and alias expansion is bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

MAX_YAML_NODES = 50_000  # after alias expansion; real model cards have a few hundred
MAX_YAML_DEPTH = 64


@dataclass
class FrontMatter:
    """The YAML block between ``---`` lines at the top of a Markdown file."""

    present: bool = False
    data: Any = None  # the parsed value (a dict for valid metadata)
    error: Optional[str] = None
    error_line: Optional[int] = None  # 1-based line in the file
    start_line: int = 0  # line of the opening ``---``
    end_line: int = 0  # line of the closing ``---``
    key_lines: Dict[str, int] = field(default_factory=dict)  # top-level key -> line
    duplicate_keys: List[Tuple[str, int]] = field(default_factory=list)

    @property
    def mapping(self) -> dict:
        """The metadata as a dict, or an empty dict when absent or not a mapping."""
        return self.data if isinstance(self.data, dict) and not self.error else {}

    def line_of(self, key: str) -> Optional[int]:
        return self.key_lines.get(key)


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    line: int  # 1-based line of the heading
    body_start: int  # first line after the heading
    body_end: int  # last line before the next heading of any level
    content_end: int  # last line before the next heading of the same or a higher level


@dataclass
class MarkdownDoc:
    text: str
    lines: List[str]
    front_matter: FrontMatter
    headings: List[Heading]
    _cache: Dict[object, object] = field(default_factory=dict, repr=False, compare=False)

    def body(self, heading: Heading) -> str:
        """Text directly under *heading*, up to the next heading of any level."""
        return "\n".join(self.lines[heading.body_start - 1 : heading.body_end])

    def content(self, heading: Heading) -> str:
        """Text under *heading* including its sub-sections."""
        return "\n".join(self.lines[heading.body_start - 1 : heading.content_end])

    def find(self, pattern: "re.Pattern[str]") -> List[Heading]:
        """Headings whose title matches *pattern* (use re.IGNORECASE)."""
        return [h for h in self.headings if pattern.search(h.title)]

    @property
    def body_start_line(self) -> int:
        """First line after the front matter."""
        return self.front_matter.end_line + 1 if self.front_matter.present else 1

    def prose(self, *, keep_code_spans: bool = False) -> List[Tuple[int, str]]:
        """:func:`prose_lines` of the body, computed once per document (several rules read it)."""
        key = ("prose", keep_code_spans)
        if key not in self._cache:
            self._cache[key] = prose_lines(self.lines, self.body_start_line, keep_code_spans=keep_code_spans)
        return self._cache[key]

    def fenced(self) -> FrozenSet[int]:
        """Line numbers inside fenced code blocks of the body (fence lines included), computed once."""
        if "fenced" not in self._cache:
            self._cache["fenced"] = fenced_line_numbers(self.lines, self.body_start_line)
        return self._cache["fenced"]

    def section_headings(self) -> List[Heading]:
        """Headings plus bold pseudo-headings (a paragraph that is only ``**Training Data**``), in line order,
        computed once. A pseudo-heading has level 7: it ends the body of the heading above it, never a section."""
        if "section_headings" not in self._cache:
            self._cache["section_headings"] = with_pseudo_headings(self.lines, self.headings, self.body_start_line)
        return self._cache["section_headings"]

    def links(self) -> List["Link"]:
        """:func:`extract_links` of the body, computed once per document."""
        if "links" not in self._cache:
            self._cache["links"] = extract_links(self.lines, self.body_start_line)
        return self._cache["links"]


def split_lines(text: str) -> List[str]:
    """Lines as editors count them: LF, CRLF and lone CR end a line; nothing else does."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# Every pattern here runs in time linear in the line: no two unbounded quantifiers can compete for
# the same characters (a 1 MiB line of spaces or brackets must not take minutes). Closing `#`s and
# `</hN>` are removed with string operations for that reason.
# Up to 3 spaces at the top level; deeper when the fence sits in a list item ("1. Run:" then "    ```python").
_FENCE_RE = re.compile(r"^( {0,12})(`{3,}|~{3,})")
MAX_TOP_FENCE_INDENT = 3
_ATX_OPEN_RE = re.compile(r" {0,3}(#{1,6})(?:[ \t]|$)")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LIST_OR_QUOTE_RE = re.compile(r"^ {0,3}(?:[-*+>]|\d+[.)])(?:\s|$)")
_HTML_OPEN_RE = re.compile(r"\s*<h([1-6])\b[^>]*>", re.IGNORECASE)
# Link text and target stop at the next bracket or parenthesis, so each character is scanned a bounded
# number of times however many `[` or `](` a line repeats.
_INLINE_MARKUP_RE = re.compile(r"[*_`]+|<[^<>]{0,200}>|\[([^\[\]]{0,500})\]\([^()]{0,2000}\)")


def _atx_heading(line: str) -> Optional[Tuple[int, str]]:
    """(level, raw title) of an ATX heading line, or None."""
    match = _ATX_OPEN_RE.match(line)
    if not match:
        return None
    content = line[match.end(1) :].strip(" \t")
    without_closing = content.rstrip("#")
    if not without_closing:
        content = ""  # `## ##`: only a closing sequence
    elif without_closing != content and without_closing[-1] in " \t":
        content = without_closing.rstrip(" \t")  # `## Title ##`
    return len(match.group(1)), content


def _html_heading(line: str) -> Optional[Tuple[int, str]]:
    """(level, raw title) of a line starting with ``<h1>`` .. ``<h6>``, or None."""
    match = _HTML_OPEN_RE.match(line)
    if not match:
        return None
    rest = line[match.end() :]
    close = rest.lower().find(f"</h{match.group(1)}>")
    return int(match.group(1)), rest[:close] if close >= 0 else rest


def _clean_title(title: str) -> str:
    title = _INLINE_MARKUP_RE.sub(lambda m: m.group(1) or "", title)
    return " ".join(title.split())


def _fence_step(fence: Optional[str], line: str) -> Tuple[Optional[str], bool]:
    """One line of CommonMark fence tracking: (the open fence after *line*, whether *line* is code).

    A fence opens with three or more backticks or tildes and closes on the same character, at least
    as many times, indented at most 3 spaces more than the opening one; fence lines themselves count as
    code. The state keeps the opening indentation in front of the fence characters. A fence indented
    more than 3 spaces is taken as a list item's fence (indented code blocks holding ``` are rarer).
    """
    match = _FENCE_RE.match(line)
    if fence is None:
        return (match.group(1) + match.group(2), True) if match else (None, False)
    marker = fence.lstrip(" ")
    if match and match.group(2)[0] == marker[0] and len(match.group(2)) >= len(marker) \
            and len(match.group(1)) <= len(fence) - len(marker) + MAX_TOP_FENCE_INDENT:
        return None, True
    return fence, True


def fenced_line_numbers(lines: List[str], first_line: int = 1) -> FrozenSet[int]:
    """Line numbers inside fenced code blocks, fence lines included."""
    fence: Optional[str] = None
    found = set()
    for index in range(max(first_line, 1) - 1, len(lines)):
        fence, in_code = _fence_step(fence, lines[index][:MAX_SCAN_LINE])
        if in_code:
            found.add(index + 1)
    return frozenset(found)


def _with_section_ends(found: List[Tuple[int, str, int]], last_line: int) -> List[Heading]:
    """Headings from their ``(level, title, line)`` in line order, each with where its body ends (before the
    next heading of any level) and its section ends (before the next heading of the same or a higher level).
    The section ends are found in one backward pass with a stack of the later headings that can still end an
    earlier one (levels increasing to the top), so the work stays linear however many headings a card holds."""
    ends: List[int] = [0] * len(found)
    open_after: List[Tuple[int, int]] = []  # (level, line)
    for position in range(len(found) - 1, -1, -1):
        level, _title, line = found[position]
        while open_after and open_after[-1][0] > level:
            open_after.pop()
        ends[position] = (open_after[-1][1] if open_after else last_line + 1) - 1
        open_after.append((level, line))
    headings = []
    for position, (level, title, line) in enumerate(found):
        next_any = found[position + 1][2] if position + 1 < len(found) else last_line + 1
        headings.append(Heading(level, title, line, line + 1, next_any - 1, ends[position]))
    return headings


def _heading_at(lines: List[str], index: int, previous_plain: Optional[int]) -> Optional[Tuple[int, str, int]]:
    """(level, raw title, line) of the heading line *index* makes: an ATX heading, a setext underline of the
    paragraph line *previous_plain*, or an ``<hN>`` heading; None when it makes none."""
    line = lines[index]
    atx = _atx_heading(line)
    if atx:
        return atx[0], atx[1], index + 1
    setext = _SETEXT_RE.match(line)
    if setext and previous_plain is not None and (setext.group(1)[0] == "=" or len(setext.group(1)) >= 2):
        return (1 if setext.group(1)[0] == "=" else 2), lines[previous_plain], previous_plain + 1
    html = _html_heading(line)
    if html:
        return html[0], html[1], index + 1
    return None


def parse_headings(lines: List[str], first_line: int = 1) -> List[Heading]:
    """ATX (``## Title``), setext (``Title`` over ``===``) and ``<h2>`` headings outside code fences.

    *first_line* is the 1-based line where the Markdown body starts (after front matter).
    """
    found: List[Tuple[int, str, int]] = []  # (level, title, line)
    fence: Optional[str] = None
    previous_plain: Optional[int] = None  # index of a paragraph line that may underline into a heading
    for index in range(first_line - 1, len(lines)):
        line = lines[index]
        fence, in_code = _fence_step(fence, line)
        if in_code:
            previous_plain = None
            continue
        heading = _heading_at(lines, index, previous_plain)
        if heading:
            found.append((heading[0], _clean_title(heading[1]), heading[2]))
            previous_plain = None
            continue
        stripped = line.strip()
        is_paragraph = bool(stripped) and not line.startswith(("    ", "\t")) and not _LIST_OR_QUOTE_RE.match(line)
        # Only a paragraph line directly above `===` / `---` becomes a setext heading.
        previous_plain = index if is_paragraph else None

    return _with_section_ends(found, len(lines))


_CLOSING_RE = re.compile(r"---[ \t]*")

PSEUDO_HEADING_LEVEL = 7
# A whole line of bold text, the colon inside or after it: "**Training Data**", "__Data:__", "**Hardware**:",
# "**训练数据**：" (a full-width colon).
_PSEUDO_HEADING_RE = re.compile(r"^ {0,3}(\*\*|__)([^*_\n]{1,80}?)\1[ \t]*[:：]?[ \t]*$")


def with_pseudo_headings(lines: List[str], headings: List[Heading], first_line: int = 1) -> List[Heading]:
    """*headings* plus bold pseudo-headings: a line that is only bold text and starts a paragraph (after a blank
    line or a heading), outside code fences. Many real cards use them instead of Markdown headings."""
    starts = {h.line for h in headings}
    found: List[Tuple[int, str, int]] = [(h.level, h.title, h.line) for h in headings]
    fence: Optional[str] = None
    previous_blank = True
    for index in range(max(first_line, 1) - 1, len(lines)):
        line = lines[index][:MAX_SCAN_LINE]
        fence, in_code = _fence_step(fence, line)
        if not in_code and previous_blank and index + 1 not in starts:
            match = _PSEUDO_HEADING_RE.match(line)
            if match and match.group(2).strip():
                found.append((PSEUDO_HEADING_LEVEL, " ".join(match.group(2).split()), index + 1))
        previous_blank = in_code is False and (not line.strip() or index + 1 in starts)
    if len(found) == len(headings):
        return headings
    found.sort(key=lambda item: item[2])
    return _with_section_ends(found, len(lines))


def parse_front_matter(lines: List[str]) -> FrontMatter:
    """Find and parse YAML front matter; every failure becomes ``error`` with a line, never an exception.

    Found as the Hugging Face Hub finds a card's metadata (``huggingface_hub.repocard``): the first line
    that is not blank holds ``---`` alone (after any whitespace) and ends with a line break; the block
    ends at the first later line, not the one right after, that starts with ``---`` followed by nothing
    but spaces or tabs (the line right after closes an empty block only when no later line does).
    ``...`` does not close it (the Hub would show no metadata).
    """
    opening = 0
    while opening < len(lines) and not lines[opening].lstrip("\ufeff").strip():
        opening += 1
    if opening >= len(lines) - 1 or lines[opening].lstrip("\ufeff").lstrip() != "---":
        return FrontMatter()
    start_line = opening + 1
    end = None
    for index in range(opening + 2, len(lines)):
        if _CLOSING_RE.fullmatch(lines[index]):
            end = index
            break
    if end is None and _CLOSING_RE.fullmatch(lines[opening + 1]):
        end = opening + 1  # "---" twice: empty (the Hub reads no metadata either)
    if end is None:
        return FrontMatter(present=True, error=f"front matter opened with '---' on line {start_line} is never closed",
                           error_line=start_line, start_line=start_line, end_line=len(lines))
    matter = FrontMatter(present=True, start_line=start_line, end_line=end + 1)
    block = "\n".join(lines[opening + 1 : end])
    if not block:
        return matter
    # Parsed even when blank: a lone tab is invalid YAML to the Hub's parser, and so here.
    _load_yaml_into(block, matter, line_offset=start_line + 1)
    return matter


def load_yaml(text: str) -> FrontMatter:
    """Parse a whole YAML document (e.g. CITATION.cff, a Hydra config) with the same safety as front matter."""
    matter = FrontMatter(present=True, start_line=1, end_line=len(split_lines(text)))
    if text.strip():
        _load_yaml_into(text, matter, line_offset=1)
    return matter


def _load_yaml_into(block: str, matter: FrontMatter, line_offset: int) -> None:
    import yaml  # imported on first use: about 13 ms

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = None
    try:
        loader = loader_class(block)  # raises UnicodeEncodeError (a ValueError) on lone surrogates
        node = loader.get_single_node()
        if node is None:
            return
        problem = _check_tree(node, matter, line_offset)
        if problem:
            matter.error, matter.error_line = problem
            return
        matter.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        context = str(exc.context or "")
        # An unclosed bracket or quote is noticed lines later; point at where it was opened.
        if exc.context_mark is not None and ("flow" in context or "quoted scalar" in context):
            opened = exc.context_mark.line + line_offset
            message += f" ({context.strip()} opened on line {opened})"
            mark = exc.context_mark
        matter.error = message
        matter.error_line = (mark.line + line_offset) if mark is not None else line_offset
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError) as exc:
        matter.error = f"invalid YAML: {type(exc).__name__}"
        matter.error_line = line_offset
    finally:
        if loader is not None:
            loader.dispose()


def _check_tree(root, matter: FrontMatter, line_offset: int) -> Optional[Tuple[str, int]]:
    """Bound the size and depth of a composed YAML tree, and note keys and their lines.

    Aliases are counted every time they are used, so an alias bomb is caught here
    before anything is constructed.
    """
    import yaml

    budget = MAX_YAML_NODES
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        budget -= 1
        if budget < 0:
            return (f"YAML is too large or expands too much (more than {MAX_YAML_NODES} nodes)", root.start_mark.line + line_offset)
        if depth > MAX_YAML_DEPTH:
            return (f"YAML nests deeper than {MAX_YAML_DEPTH} levels", node.start_mark.line + line_offset)
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, value_node in node.value:
                if node is root and isinstance(key_node, yaml.ScalarNode):
                    line = key_node.start_mark.line + line_offset
                    if key_node.value in seen:
                        matter.duplicate_keys.append((key_node.value, line))
                    else:
                        matter.key_lines[key_node.value] = line
                if isinstance(key_node, yaml.ScalarNode):
                    seen.add(key_node.value)
                stack.append((key_node, depth + 1))
                stack.append((value_node, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
    return None


def parse_markdown(text: str) -> MarkdownDoc:
    lines = split_lines(text.lstrip("\ufeff"))
    matter = parse_front_matter(lines)
    first = matter.end_line + 1 if matter.present else 1
    return MarkdownDoc(text=text, lines=lines, front_matter=matter, headings=parse_headings(lines, first))


# --- prose lines and links ---------------------------------------------------------------------
# Lines longer than this are cut before regex scanning, so a pathological line stays cheap.
MAX_SCAN_LINE = 20_000

_BACKTICKS_RE = re.compile(r"`+")
_COMMENT_OPEN = "<!--"
_COMMENT_CLOSE = "-->"


@dataclass(frozen=True)
class Link:
    """A link in Markdown: ``[text](target)``, ``![alt](src)``, ``[ref]: target``, ``<a href>``, a bare URL."""

    target: str
    line: int  # 1-based
    text: str = ""
    kind: str = "inline"  # inline | image | reference | html | autolink | bare


def code_span_ranges(line: str) -> List[Tuple[int, int]]:
    """(start, end) of inline code spans: a backtick run closed by the next run of the same length."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS_RE.finditer(line)]
    by_length: Dict[int, List[int]] = {}
    for position, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(position)
    cursor: Dict[int, int] = {}  # length -> index into by_length[length] already consumed
    spans = []
    position = 0
    while position < len(runs):
        start, end = runs[position]
        length = end - start
        candidates = by_length[length]
        index = cursor.get(length, 0)
        while index < len(candidates) and candidates[index] <= position:
            index += 1
        cursor[length] = index
        if index < len(candidates):
            closing = candidates[index]
            spans.append((start, runs[closing][1]))
            position = closing + 1
        else:
            position += 1
    return spans


def strip_code_spans(line: str, replacement: str = " ") -> str:
    """*line* with inline code spans replaced by *replacement* (positions are not kept)."""
    spans = code_span_ranges(line)
    if not spans:
        return line
    out, last = [], 0
    for start, end in spans:
        out.append(line[last:start])
        out.append(replacement)
        last = end
    out.append(line[last:])
    return "".join(out)


def prose_lines(lines: List[str], first_line: int = 1, *, keep_code_spans: bool = False) -> List[Tuple[int, str]]:
    """(line number, text) of lines outside fenced code blocks, with HTML comments removed.

    Inline code spans are blanked unless *keep_code_spans*. Lines are cut at ``MAX_SCAN_LINE``
    characters. Indented code blocks are not recognised (they are rare in cards and hard to tell
    from list continuations).
    """
    out: List[Tuple[int, str]] = []
    fence: Optional[str] = None
    in_comment = False
    for index in range(max(first_line, 1) - 1, len(lines)):
        line = lines[index][:MAX_SCAN_LINE]
        if in_comment:
            close = line.find(_COMMENT_CLOSE)
            if close < 0:
                continue
            line = line[close + len(_COMMENT_CLOSE) :]
            in_comment = False
        else:
            fence, in_code = _fence_step(fence, line)
            if in_code:
                continue
        # Remove complete comments, then note one left open.
        pieces = []
        rest = line
        while True:
            open_at = rest.find(_COMMENT_OPEN)
            if open_at < 0:
                pieces.append(rest)
                break
            pieces.append(rest[:open_at])
            close = rest.find(_COMMENT_CLOSE, open_at + len(_COMMENT_OPEN))
            if close < 0:
                in_comment = True
                break
            rest = rest[close + len(_COMMENT_CLOSE) :]
        text = "".join(pieces)
        if not keep_code_spans:
            text = strip_code_spans(text)
        out.append((index + 1, text))
    return out


# One level of nested brackets in the text, so `[![badge](img)](link)` is seen whole.
_LINK_TEXT = r"(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*"
_INLINE_LINK_RE = re.compile(
    r"(!?)\[(" + _LINK_TEXT + r")\]\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
# A CommonMark link reference definition: label, destination, optional title, then nothing else on the line. A line
# with more after the destination ("[1]: [Paper](url): notes") is paragraph text whose inline links parse normally.
_REFERENCE_DEF_RE = re.compile(
    r"^ {0,3}\[([^\]]{1,999})\]:[ \t]*(<[^<>\n]*>|[^\s<]\S*)(?:[ \t]+(\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*$")
# Labels of the Markdown comment idiom ("[//]: # (note)", "[comment]: <> (note)").
_COMMENT_LABELS = frozenset({"//", "/", "#", "comment", "_", "//:", "todo"})
# Where a reference is used: "[text][label]", "[label][]" or a shortcut "[label]" (not followed by "(" or ":").
_REFERENCE_USE_RE = re.compile(r"\[([^\[\]]{1,999})\](?:\[([^\[\]]{0,999})\]|(?![(:]))")


def _label(text: str) -> str:
    return " ".join(text.lower().split())
_HTML_LINK_RE = re.compile(r"<(?:a|img|source|video|audio)\b[^>]{0,2000}?\b(href|src)\s*=\s*(\"[^\"]*\"|'[^']*')", re.IGNORECASE)
_AUTOLINK_RE = re.compile(r"<((?:https?|ftp)://[^\s<>]+|mailto:[^\s<>]+)>", re.IGNORECASE)
_BARE_URL_RE = re.compile(r"\bhttps?://[^\s<>()\[\]\"'`|]+", re.IGNORECASE)


def _unwrap(target: str) -> str:
    target = target.strip()
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1].strip()
    return target


def extract_links(lines: List[str], first_line: int = 1) -> List[Link]:
    """Links with their lines, outside code fences, inline code and HTML comments; never raises.

    Bare URLs (GitHub autolinks them) are returned with ``kind="bare"`` and trailing
    sentence punctuation removed.
    """
    links: List[Link] = []
    prose = prose_lines(lines, first_line)
    # A definition nothing refers to renders nothing: with a title or a comment label it is the comment idiom
    # ("[//]: <br> (note)") and carries no link; a plain unused one ("[roadmap]: ROADMAP.md") is still checked.
    used = set()
    for _number, text in prose:
        if not _REFERENCE_DEF_RE.match(text):
            for use in _REFERENCE_USE_RE.finditer(text):
                used.add(_label(use.group(2) or use.group(1)))
    for number, text in prose:
        taken: List[Tuple[int, int]] = []
        definition = _REFERENCE_DEF_RE.match(text)
        if definition:
            label = _label(definition.group(1))
            if label in used or (definition.group(3) is None and label not in _COMMENT_LABELS):
                links.append(Link(_unwrap(definition.group(2)), number, definition.group(1), "reference"))
            taken.append(definition.span())
        for match in _INLINE_LINK_RE.finditer(text):
            link_text = match.group(2)
            links.append(Link(_unwrap(match.group(3)), number, link_text, "image" if match.group(1) else "inline"))
            taken.append(match.span())
            for inner in _INLINE_LINK_RE.finditer(link_text):  # the badge image inside a link
                links.append(Link(_unwrap(inner.group(3)), number, inner.group(2), "image" if inner.group(1) else "inline"))
        for match in _HTML_LINK_RE.finditer(text):
            links.append(Link(match.group(2)[1:-1].strip(), number, "", "html"))
            taken.append(match.span())
        for match in _AUTOLINK_RE.finditer(text):
            links.append(Link(match.group(1), number, match.group(1), "autolink"))
            taken.append(match.span())
        for match in _BARE_URL_RE.finditer(text):
            if any(start <= match.start() < end for start, end in taken):
                continue
            url = match.group(0).rstrip(".,;:!?*_~")
            links.append(Link(url, number, url, "bare"))
    return links
