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
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

PARAGRAPH_BREAK = "\n\n"
DEFAULT_TARGET_WORDS = 135
MIN_TARGET_WORDS = 40
MAX_TARGET_WORDS = 400

_TOKEN = re.compile(r"\S+")
_SPLIT = re.compile(r"(\s+)")
# Whitespace that is not a plain space: line breaks, tabs, no-break spaces.
_ODD_SPACE = re.compile(r"[^\S ]")
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
_NBSP_ENTITY = re.compile(r"&nbsp;", re.IGNORECASE)
# A stage direction: a bracketed word with letters only, e.g. [Muziek], [Applaus], [Gelach].
_MARKER = re.compile(r"\[[^\W\d_][^\]\s]*\]")
_MARKER_TOKEN = re.compile(r"(?<!\S)\[[^\W\d_][^\]\s]*\](?!\S)")  # a whole token
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
    # Names shown otherwise than written (the glossary's canonical name for a variant),
    # as pieces; the view shows the original on hover.
    names: list[Piece] = field(default_factory=list)
    _orig_starts: list[int] = field(init=False, repr=False)
    _view_starts: list[int] = field(init=False, repr=False)
    _name_starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._orig_starts = [p.orig_start for p in self.pieces]
        self._view_starts = [p.view_start for p in self.pieces]
        self._name_starts = [p.view_start for p in self.names]

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

    def name_at(self, offset: int) -> Piece | None:
        """The renamed piece that holds view ``offset``, if any."""
        index = bisect_right(self._name_starts, offset) - 1
        if index >= 0 and offset < self.names[index].view_end:
            return self.names[index]
        return None


def paragraphize(transcript: str, target_words: int = DEFAULT_TARGET_WORDS,
                 names: Sequence[tuple[int, int, str]] = (), pauses: Sequence[int] = ()) -> ParagraphedText:
    """Split ``transcript`` into readable paragraphs of about ``target_words`` words.

    ``names`` (start, end, shown), sorted and apart, show ``transcript[start:end]`` as
    ``shown`` (a glossary's canonical name); a paragraph break inside one is not made.

    ``pauses``: the offsets of words said after a long pause (from the episode's subtitles);
    a paragraph ends before one once it has a third of ``target_words``.

    A paragraph ends after a run of stage markers once it has a few words, or near
    ``target_words`` before a word that starts a turn (a capital or a starter such as "Ja"),
    and at the latest at ``target_words * 1.15``. Existing line breaks are kept as breaks.

    The window calls this on every open, so it avoids a Python step per word: markers, line
    breaks and other rare things are found with regular expressions over the whole text, and
    each paragraph jumps straight to its ``low`` word before looking for a turn (a 600 KB
    transcript: ~25 ms instead of ~330 ms).
    """
    target = min(max(int(target_words), MIN_TARGET_WORDS), MAX_TARGET_WORDS)
    low, high = round(target * 0.85), round(target * 1.15)
    min_before_marker = max(12, target // 6)

    if transcript and transcript[0] != " " and transcript[-1] != " " and "  " not in transcript \
            and not _ODD_SPACE.search(transcript):
        # The usual transcript: words and single spaces. str.split is ~10x faster than re.
        tokens = transcript.split(" ")
        token_starts = list(accumulate(map((1).__add__, map(len, tokens)), initial=0))
        token_starts.pop()
        lead = ""
    else:
        parts = _SPLIT.split(transcript)  # token, gap, token, ..., token ("" at either end)
        tokens = parts[0::2]
        lead = ""
        if len(tokens) > 1 and tokens[0] == "":
            lead = parts[1]
        if tokens and tokens[-1] == "" and len(tokens) > 1:
            tokens.pop()
        if lead:
            tokens = tokens[1:]
        if not tokens or tokens == [""]:
            builder = _Builder(transcript)
            builder.copy_or_replace(0, len(transcript), _plain_gap(transcript))
            return builder.result()
        token_starts = list(accumulate(map(len, parts[2:] if lead else parts), initial=len(lead)))[0::2]
        del token_starts[len(tokens):]  # the empty "token" after trailing whitespace
    count = len(tokens)

    def token_at(offset: int) -> int:
        return bisect_right(token_starts, offset) - 1

    markers = [token_at(m.start()) for m in _MARKER_TOKEN.finditer(transcript)]
    marker_set = set(markers)
    # Gaps with whitespace other than spaces: a line break (always a paragraph break) or a
    # tab and the like (shown as one space). Gap i follows token i; -1 is the leading gap.
    odd_gaps: dict[int, bool] = {}
    for m in _ODD_SPACE.finditer(transcript):
        gap = token_at(m.start())
        odd_gaps[gap] = odd_gaps.get(gap, False) or m.group() in "\r\n"
    line_breaks = sorted(g + 1 for g, is_break in odd_gaps.items() if is_break and 0 <= g < count - 1)
    pause_tokens = sorted({k for k in map(token_at, pauses) if 0 < k < count})
    min_before_pause = max(20, target // 3)

    def words_between(first: int, stop: int) -> int:
        return (stop - first) - (bisect_left(markers, stop) - bisect_left(markers, first))

    def token_after_words(first: int, words: int) -> int:
        """The first token index ``k`` with ``words`` words in ``first..k-1``."""
        k = first + words
        while k < count:
            have = words_between(first, k)
            if have >= words:
                return k
            k += words - have
        return count

    breaks: list[int] = []
    first = 0
    while True:
        index = bisect_right(line_breaks, first)
        best = line_breaks[index] if index < len(line_breaks) else count
        best = min(best, token_after_words(first, high))
        j = bisect_left(markers, first)
        while j < len(markers) and markers[j] < best:
            k = markers[j] + 1
            j += 1
            while j < len(markers) and markers[j] == k:
                k, j = k + 1, j + 1
            if first < k < best and words_between(first, k) >= min_before_marker:
                best = k
                break
        p = bisect_right(pause_tokens, first)
        while p < len(pause_tokens) and pause_tokens[p] < best:
            k = pause_tokens[p]
            p += 1
            if k not in marker_set and words_between(first, k) >= min_before_pause:
                best = k
                break
        k = max(token_after_words(first, low), first + 1)
        while k < best:
            if k not in marker_set and _starts_turn(tokens[k]):
                best = k
                break
            k += 1
        if best >= count:
            break
        breaks.append(best)
        first = best

    # Edits: (original start, end, shown, is a paragraph break); the rest is copied as it is.
    edits: list[tuple[int, int, str, bool]] = []
    if lead and _plain_gap(lead) != lead:
        edits.append((0, len(lead), " ", False))
    break_set = set(breaks)
    for gap, _is_break in odd_gaps.items():
        if 0 <= gap < count - 1 and gap + 1 not in break_set:
            edits.append((token_starts[gap] + len(tokens[gap]), token_starts[gap + 1], " ", False))
    for k in breaks:
        edits.append((token_starts[k - 1] + len(tokens[k - 1]), token_starts[k], PARAGRAPH_BREAK, True))
    for m in _NBSP_ENTITY.finditer(transcript):
        k = token_at(m.start())
        if k >= 0 and (not edits or edits[-1][0] != token_starts[k]):
            edits.append((token_starts[k], token_starts[k] + len(tokens[k]),
                          _NBSP_ENTITY.sub(" ", tokens[k]), False))
    for start, stop, shown in names:
        if 0 <= start < stop <= len(transcript):
            edits.append((start, stop, shown, False))
    last_end = token_starts[-1] + len(tokens[-1])
    trailing = transcript[last_end:]
    if trailing and _plain_gap(trailing) != trailing:
        edits.append((last_end, len(transcript), " ", False))
    # A name first where it starts with another edit, and the edits inside it left out.
    renamed = {(start, stop) for start, stop, _shown in names}
    edits.sort(key=lambda e: (e[0], (e[0], e[1]) not in renamed, e[1]))

    builder = _Builder(transcript)
    position = 0
    for start, stop, shown, is_break in edits:
        if start < position:
            continue  # a token with two entities, or a gap inside a name: edited once
        builder.copy_or_replace(position, start, transcript[position:start])
        if is_break:
            builder.paragraph_break(start, stop)
        else:
            builder.copy_or_replace(start, stop, shown, name=(start, stop) in renamed)
        position = stop
    builder.copy_or_replace(position, len(transcript), transcript[position:])
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
        self._names: list[Piece] = []

    def copy_or_replace(self, start: int, end: int, shown: str, *, name: bool = False) -> None:
        if start == end and not shown:
            return
        copied = shown == self._original[start:end]
        view_start, view_end = self._view_length, self._view_length + len(shown)
        last = self._pieces[-1] if self._pieces else None
        if copied and last is not None and last.copied and last.orig_end == start:
            self._pieces[-1] = Piece(last.orig_start, end, last.view_start, view_end, True)
        else:
            self._pieces.append(Piece(start, end, view_start, view_end, copied))
            if name and not copied:
                self._names.append(self._pieces[-1])
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
            names=self._names,
        )


class Utf16Map:
    """Converts between Python string indices and Qt (UTF-16) positions of one text."""

    def __init__(self, text: str) -> None:
        # Indices of characters that take two UTF-16 code units.
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
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
