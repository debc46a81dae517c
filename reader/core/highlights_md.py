"""The ``## Highlights`` section: one blockquote a highlight, readable in Obsidian.

    > ==the quoted words== <!-- green -->
    > — the reader's comment

``==…==`` is Obsidian's highlight mark; the colour rides in an HTML comment that Obsidian's
reading view hides, and is left out for the default colour. Highlights are separated by a
blank line. In a timed episode the quote is followed by the moment it is spoken, a link that
opens the video there (``≈`` in its text when the time is estimated):

    > ==the quoted words== [12:34](https://www.youtube.com/watch?v=ID&t=754s) <!-- green -->

Tags go on a line of their own between the quote and the comment, as Obsidian tags:

    > ==the quoted words==
    > #ai-act #regulation
    > — the reader's comment

The link is derived data: reading a section drops it, and what a highlight is (``key``)
leaves it out, so a section whose highlights did not change is kept byte for byte.
"""

from __future__ import annotations

import re

from reader.core import tags as tagging
from reader.core.episode import DEFAULT_COLOUR, HIGHLIGHT_COLOURS, Highlight

_COLOUR = re.compile(r"\s*<!--\s*([a-z]+)\s*-->\s*$")
_DASH = "— "
_TAGS_LINE = re.compile(r"#[\w/-]+(?:[ \t]+#[\w/-]+)*[ \t]*")
# The moment link after a quote: [12:34] or [≈1:02:03], to a video at whole seconds.
MOMENT = re.compile(r"\s\[≈?\d+:\d\d(?::\d\d)?\]\(https?://[^\s()]+[?&]t=\d+s?\)$")


def moment_link(stamp: str, url: str, *, approximate: bool = False) -> str:
    """The link written after a quote: ``[12:34](url)``, ``[≈12:34](url)`` when estimated."""
    return f"[{'≈' if approximate else ''}{stamp}]({url})"


HighlightKey = tuple[str, str, str, tuple[str, ...]]


def key(highlight: Highlight) -> HighlightKey:
    """What of a highlight the note carries (its offsets it does not)."""
    return (highlight.quote, highlight.comment, highlight.colour, tuple(highlight.tags))


def render(highlights: list[Highlight]) -> str:
    blocks: list[str] = []
    for h in sorted(highlights, key=lambda h: (h.start, h.end)):
        quote_lines = h.quote.split("\n")
        quote_lines[0] = "==" + quote_lines[0]
        quote_lines[-1] += "=="
        if h.moment:
            quote_lines[-1] += f" {h.moment}"
        if h.colour != DEFAULT_COLOUR:
            quote_lines[-1] += f" <!-- {h.colour} -->"
        lines = [f"> {q}".rstrip() for q in quote_lines]
        if h.tags:
            lines.append(f"> {tagging.hashtags(h.tags)}")
        if h.comment:
            # Comment lines are written exactly (trailing spaces are a Markdown line break).
            comment_lines = h.comment.split("\n")
            comment_lines[0] = _DASH + comment_lines[0]
            lines += [f"> {c}" if c else ">" for c in comment_lines]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _blockquotes(content: str) -> list[list[str]]:
    quotes: list[list[str]] = []
    current: list[str] | None = None
    for line in content.split("\n"):
        if line.startswith(">"):
            text = line[1:]
            text = text[1:] if text.startswith(" ") else text
            if current is None:
                current = []
                quotes.append(current)
            current.append(text)
        else:
            current = None
    return quotes


def parse(content: str) -> list[Highlight]:
    """Highlights from the section's text; offsets are unknown (-1) until anchored."""
    found: list[Highlight] = []
    for block in _blockquotes(content):
        colour = DEFAULT_COLOUR
        quote_end = len(block) - 1
        for i, line in enumerate(block):
            if (line.startswith(_DASH) or line == _DASH.rstrip()) and i > 0:
                quote_end = i - 1
                break
        quote_lines = block[: quote_end + 1]
        comment_lines = block[quote_end + 1:]
        found_tags: list[str] = []
        if len(quote_lines) > 1 and _TAGS_LINE.fullmatch(quote_lines[-1]) \
                and _closes_quote(quote_lines[:-1]):
            found_tags = tagging.parse(quote_lines.pop())
        last = quote_lines[-1]
        match = _COLOUR.search(last)
        if match and match.group(1) in HIGHLIGHT_COLOURS:
            colour = match.group(1)
            last = last[: match.start()]
        moment = MOMENT.search(last)
        if moment and last[: moment.start()].endswith("=="):
            last = last[: moment.start()]
        quote_lines[-1] = last
        quote = "\n".join(quote_lines)
        if quote.startswith("==") and quote.endswith("==") and len(quote) >= 4:
            quote = quote[2:-2]
        if comment_lines:
            comment_lines[0] = comment_lines[0][len(_DASH):]  # also a bare "—" whose space went
        comment = "\n".join(comment_lines)
        if quote.strip():
            found.append(Highlight(start=-1, end=-1, quote=quote, colour=colour, comment=comment,
                                   tags=tuple(found_tags)))
    return found


def _closes_quote(lines: list[str]) -> bool:
    """Whether these lines are a whole ``==quote==`` (with its moment and colour): a line of
    ``#tags`` after them is the highlight's tags, not the quote's last line."""
    last = lines[-1]
    if match := _COLOUR.search(last):
        last = last[: match.start()]
    if moment := MOMENT.search(last):
        last = last[: moment.start()]
    return lines[0].startswith("==") and last.endswith("==") and len("\n".join(lines)) >= 4
