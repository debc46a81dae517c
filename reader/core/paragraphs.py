"""Readable paragraphs for a transcript, with an exact map back to the original offsets.

A transcript arrives as one paragraph of 12-22 thousand words. The window shows it as
paragraphs of about ``target_words`` words, breaks at stage markers such as ``[Muziek]``, and
shows YouTube's bleep ``[&nbsp;__&nbsp;]`` as ``[ __ ]``. Everything the user marks or searches
is stored as offsets into the ORIGINAL transcript, so the view text is built from pieces and
:class:`ParagraphedText` converts offsets both ways.

Qt counts positions in UTF-16 code units; Python in code points. :class:`Utf16Map` converts
between the two for text with characters outside the Basic Multilingual Plane (emoji).

Pure Python, no Qt: this module is imported by the window and tested on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

PARAGRAPH_BREAK = "\n\n"
DEFAULT_TARGET_WORDS = 135
MIN_TARGET_WORDS = 40
MAX_TARGET_WORDS = 400

_TOKEN = re.compile(r"\S+")
_NBSP_ENTITY = re.compile(r"&nbsp;", re.IGNORECASE)
# A stage direction: a bracketed word with letters only, e.g. [Muziek], [Applaus], [Gelach].
_MARKER = re.compile(r"\[[^\W\d_][^\]\s]*\]")
# Words after which a new paragraph reads naturally (the auto-subtitles carry no punctuation,
# but capitalise the first word of many turns and these discourse starters).
_STARTERS = frozenset({"ja", "nee", "oké", "oke", "ok", "nou", "maar", "dus", "goed", "kijk"})


@dataclass(frozen=True)
class Piece:
    """A stretch of the view built from ``original[orig_start:orig_end]``.

    ``copied`` pieces are the same text on both sides (offsets map one to one); other pieces
    were replaced (a paragraph break, a bleep, odd whitespace) and map only at their ends.
    """

    orig_start: int
    orig_end: int
    view_start: int
    view_end: int
    copied: bool


@dataclass
class ParagraphedText:
    """The view text of a transcript and the offset map between view and original."""

    original: str
    text: str
    pieces: list[Piece]
    paragraphs: list[tuple[int, int]]  # (view_start, view_end) of each paragraph
    _orig_starts: list[int] = field(init=False, repr=False)
    _view_starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._orig_starts = [p.orig_start for p in self.pieces]
        self._view_starts = [p.view_start for p in self.pieces]

    def _piece_by_orig(self, offset: int) -> Piece:
        return self.pieces[max(0, bisect_right(self._orig_starts, offset) - 1)]

    def _piece_by_view(self, offset: int) -> Piece:
        return self.pieces[max(0, bisect_right(self._view_starts, offset) - 1)]

    def to_view(self, offset: int, *, end: bool = False) -> int:
        """The view offset of an original offset.

        An offset strictly inside a replaced piece maps to the piece's start, or to its end when
        ``end`` is true, so that a range never loses the characters it touches.
        """
        if not self.pieces:
            return 0
        offset = min(max(offset, 0), len(self.original))
        piece = self._piece_by_orig(offset)
        if offset >= piece.orig_end:
            return piece.view_end
        if piece.copied or offset == piece.orig_start:
            return piece.view_start + (offset - piece.orig_start if piece.copied else 0)
        return piece.view_end if end else piece.view_start

    def to_original(self, offset: int, *, end: bool = False) -> int:
        """The original offset of a view offset (the inverse of :meth:`to_view`)."""
        if not self.pieces:
            return 0
        offset = min(max(offset, 0), len(self.text))
        piece = self._piece_by_view(offset)
        if offset >= piece.view_end:
            return piece.orig_end
        if piece.copied or offset == piece.view_start:
            return piece.orig_start + (offset - piece.view_start if piece.copied else 0)
        return piece.orig_end if end else piece.orig_start

    def range_to_view(self, start: int, end: int) -> tuple[int, int]:
        return self.to_view(start), self.to_view(end, end=True)

    def range_to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.to_original(start), self.to_original(end, end=True)


def paragraphize(transcript: str, target_words: int = DEFAULT_TARGET_WORDS) -> ParagraphedText:
    """Split ``transcript`` into readable paragraphs of about ``target_words`` words.

    A paragraph ends after a run of stage markers once it has a few words, or near
    ``target_words`` before a word that starts a turn (a capital or a starter such as "Ja"),
    and at the latest at ``target_words * 1.15``. Existing line breaks are kept as breaks.
    """
    target = min(max(int(target_words), MIN_TARGET_WORDS), MAX_TARGET_WORDS)
    low, high = round(target * 0.85), round(target * 1.15)
    min_before_marker = max(12, target // 6)

    builder = _Builder(transcript)
    tokens = list(_TOKEN.finditer(transcript))
    words_in_paragraph = 0
    previous_end = 0
    for index, match in enumerate(tokens):
        start, token = match.start(), match.group()
        gap = transcript[previous_end:start]
        is_marker = _MARKER.fullmatch(token) is not None
        previous_marker = index > 0 and _MARKER.fullmatch(tokens[index - 1].group()) is not None
        if index == 0:
            builder.copy_or_replace(0, start, _plain_gap(gap))
        else:
            should_break = (
                "\n" in gap or "\r" in gap
                or (previous_marker and not is_marker and words_in_paragraph >= min_before_marker)
                or (words_in_paragraph >= low and not is_marker and _starts_turn(token))
                or words_in_paragraph >= high
            )
            if should_break:
                builder.paragraph_break(previous_end, start)
                words_in_paragraph = 0
            else:
                builder.copy_or_replace(previous_end, start, _plain_gap(gap))
        shown = _NBSP_ENTITY.sub(" ", token)
        builder.copy_or_replace(start, match.end(), shown)
        if not is_marker:
            words_in_paragraph += 1
        previous_end = match.end()
    builder.copy_or_replace(previous_end, len(transcript), _plain_gap(transcript[previous_end:]))
    return builder.result()


def _plain_gap(gap: str) -> str:
    """Whitespace as shown inside a paragraph: spaces stay, anything else reads as one space."""
    return gap if gap == " " * len(gap) else " "


def _starts_turn(token: str) -> bool:
    first = token[:1]
    if first.isupper() and token not in {"Ai", "AI", "I"}:
        return True
    return token.lower() in _STARTERS


class _Builder:
    """Accumulates view text and pieces, merging neighbouring copied pieces."""

    def __init__(self, original: str) -> None:
        self._original = original
        self._parts: list[str] = []
        self._pieces: list[Piece] = []
        self._view_length = 0
        self._paragraphs: list[tuple[int, int]] = []
        self._paragraph_start = 0

    def copy_or_replace(self, start: int, end: int, shown: str) -> None:
        if start == end and not shown:
            return
        copied = shown == self._original[start:end]
        view_start, view_end = self._view_length, self._view_length + len(shown)
        last = self._pieces[-1] if self._pieces else None
        if copied and last is not None and last.copied and last.orig_end == start:
            self._pieces[-1] = Piece(last.orig_start, end, last.view_start, view_end, True)
        else:
            self._pieces.append(Piece(start, end, view_start, view_end, copied))
        self._parts.append(shown)
        self._view_length = view_end

    def paragraph_break(self, start: int, end: int) -> None:
        self._paragraphs.append((self._paragraph_start, self._view_length))
        self.copy_or_replace(start, end, PARAGRAPH_BREAK)
        self._paragraph_start = self._view_length

    def result(self) -> ParagraphedText:
        if self._view_length > self._paragraph_start or not self._paragraphs:
            self._paragraphs.append((self._paragraph_start, self._view_length))
        return ParagraphedText(
            original=self._original,
            text="".join(self._parts),
            pieces=self._pieces,
            paragraphs=self._paragraphs,
        )


class Utf16Map:
    """Converts between Python string indices and Qt (UTF-16) positions of one text."""

    def __init__(self, text: str) -> None:
        # Indices of characters that take two UTF-16 code units.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # The Qt position just after each astral character, for the inverse lookup.
        self._astral_qt = [i + n + 2 for n, i in enumerate(self._astral)]

    @property
    def identity(self) -> bool:
        return not self._astral

    def to_qt(self, index: int) -> int:
        if not self._astral:
            return index
        return index + bisect_right(self._astral, index - 1)

    def from_qt(self, position: int) -> int:
        if not self._astral:
            return position
        # Astral characters that end at or before ``position`` each add one extra unit; a
        # position inside a surrogate pair rounds down to the character's start.
        before = bisect_right(self._astral_qt, position)
        index = position - before
        if before < len(self._astral) and self._astral[before] < index:
            index = self._astral[before]
        return index
