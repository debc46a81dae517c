"""What Markdown in a note means for its sections, and how Notes text is kept inside its own.

A note's sections start at its real level-2 ATX headings: top-level ``## …`` lines as a
CommonMark parser (markdown-it-py) reads them, so a ``## `` line in a code fence, an HTML
block or a list is not a section. Only the block structure is parsed (no inline rules): a
60 KB note takes under a millisecond.

Notes are free Markdown, so what the user types must not end the Notes section when written
into the file. Two escapes do it, and reading undoes them exactly:
- a line that would be a level-2 heading (``## Mijn kop``, or one that already starts with
  backslashes before ``##``) gets one more backslash after its indentation (``\\## Mijn kop``);
- Notes that leave a code fence or an HTML block open (which would swallow every section
  after them) are followed by the line that closes it and by ``CLOSED_MARK``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt

CLOSED_MARK = "<!-- transcript-reader: closes what the Notes above left open -->"
_HEADING_LIKE = re.compile(r"^( {0,3})(\\*)(##(?:[ \t].*)?)$")
_ESCAPED = re.compile(r"^( {0,3})\\(\\*##(?:[ \t].*)?)$")
_PROBE = "## probe"
_HTML_CLOSERS = (
    (re.compile(r"^ {0,3}<(script|pre|style|textarea)(?:\s|>|$)", re.IGNORECASE), None),
    (re.compile(r"^ {0,3}<!--"), "-->"),
    (re.compile(r"^ {0,3}<\?"), "?>"),
    (re.compile(r"^ {0,3}<!\[CDATA\["), "]]>"),
    (re.compile(r"^ {0,3}<![A-Za-z]"), ">"),
)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark")
    parser.core.ruler.disable("inline")  # headings are block structure: skip inline parsing
    return parser


def _parse_input(lines: list[str]) -> str:
    # One parser line per line of ours: a lone CR would be a line break to the parser.
    return "".join(line.rstrip("\r\n").replace("\r", " ") + "\n" for line in lines)


_COLUMN_ZERO_H2 = re.compile(r"##(?:[ \t]|\r?\n|$)")
# What can make a "## " line at the start of a line no heading: a code fence or an HTML
# block around it. Without either, every such line is one (an ATX heading ends any list,
# quote or paragraph above it), and the parser need not run (a note of 90 KB: ~1 ms saved).
_MAY_HIDE = re.compile(r"^ {0,3}(?:```|~~~|<)", re.MULTILINE)


def section_heading_lines(lines: list[str]) -> set[int]:
    """Indices of the lines that are real top-level ``##`` headings."""
    candidates = {i for i, line in enumerate(lines) if line.lstrip(" ").startswith("##")}
    if not candidates:
        return set()
    at_column_zero = {i for i in candidates if _COLUMN_ZERO_H2.match(lines[i])}
    if at_column_zero == candidates and not any(_MAY_HIDE.match(line) for line in lines):
        return at_column_zero
    tokens = _parser().parse(_parse_input(lines))
    return {t.map[0] for t in tokens
            if t.type == "heading_open" and t.tag == "h2" and t.markup == "##" and t.level == 0
            and t.map is not None}


def ends_open(lines: list[str]) -> bool:
    """Whether a heading after these lines (and a blank line) would be swallowed."""
    return _closer("".join(_parse_input(lines))) is not None


def _closer(text: str) -> str | None:
    """The line that closes a fence or HTML block ``text`` leaves open, None if none is."""
    document = text + ("\n" if text and not text.endswith("\n") else "") + "\n" + _PROBE + "\n"
    probe_line = document.count("\n") - 1
    tokens = _parser().parse(document)
    if any(t.type == "heading_open" and t.level == 0 and t.map and t.map[0] == probe_line
           for t in tokens):
        return None
    opened = next((t for t in reversed(tokens) if t.level == 0 and t.map
                   and t.map[0] <= probe_line < t.map[1]), None)
    if opened is None:
        return None
    if opened.type == "fence":
        return opened.markup
    if opened.type == "html_block":
        first = opened.content.split("\n", 1)[0]
        for pattern, closer in _HTML_CLOSERS:
            if match := pattern.match(first):
                return closer if closer is not None else f"</{match.group(1).lower()}>"
    return None


def encode_notes(text: str) -> str:
    """Notes as they go into the file (``text`` uses ``\\n`` line breaks)."""
    lines = [f"{m.group(1)}\\{m.group(2)}{m.group(3)}" if (m := _HEADING_LIKE.match(line)) else line
             for line in text.split("\n")]
    encoded = "\n".join(lines)
    for _ in range(8):  # a closed fence can reveal an HTML block still open, and so on
        closer = _closer(encoded)
        if closer is None:
            break
        encoded = f"{encoded}\n{closer}"
    else:
        return encoded
    if encoded != "\n".join(lines):
        encoded = f"{encoded}\n{CLOSED_MARK}"
    return encoded


def decode_notes(text: str) -> str:
    """The Notes the user typed, from the Notes section's text."""
    lines = text.split("\n")
    if lines and lines[-1] == CLOSED_MARK:
        lines.pop()
        while lines and _closer("\n".join(lines[:-1])) == lines[-1]:
            lines.pop()
    return "\n".join(m.group(1) + m.group(2) if (m := _ESCAPED.match(line)) else line
                     for line in lines)
