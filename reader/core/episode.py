"""The episode: plain dataclasses shared by every layer (no I/O, no Qt)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

HIGHLIGHT_COLOURS: tuple[str, ...] = ("yellow", "green", "blue", "pink", "purple")
DEFAULT_COLOUR = "yellow"
CONTEXT_CHARS = 32


@dataclass
class Highlight:
    """A marked passage of a transcript.

    ``start``/``end`` are character offsets into ``Episode.transcript`` (Python ``str``
    indices). ``prefix``/``suffix`` hold up to 32 characters either side of the quote so the
    highlight can be re-anchored when the transcript changes.
    """

    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    colour: str = DEFAULT_COLOUR
    comment: str = ""
    transcript_hash: str = ""
    orphan: bool = False
    id: int | None = None
    # The quote as the note file wrote it, when re-anchoring placed the highlight on words
    # that differ (a fuzzy match): written back as the file had it, not silently changed.
    source_quote: str | None = None
    # The reader's tags (``ai-act``, no ``#``), written on a line of their own under the quote.
    tags: tuple[str, ...] = ()
    # Who made it (a team library's display name) and the stored version it was read at:
    # what the library knows about it, not what it is (left out of equality).
    author: str = field(default="", compare=False)
    version: int = field(default=1, compare=False)
    # Where the quote is spoken, as the exported ``## Highlights`` section links it
    # (``[12:34](https://www.youtube.com/watch?v=ID&t=754s)``): derived from the episode's
    # word times when a note is written, never stored, never part of what a highlight is.
    moment: str = field(default="", compare=False)

    @classmethod
    def at(cls, transcript: str, start: int, end: int, *, colour: str = DEFAULT_COLOUR,
           comment: str = "") -> Highlight:
        """A highlight of ``transcript[start:end]`` with its context captured."""
        if not 0 <= start < end <= len(transcript):
            raise ValueError(f"highlight range {start}..{end} is outside the transcript")
        return cls(
            start=start,
            end=end,
            quote=transcript[start:end],
            prefix=transcript[max(0, start - CONTEXT_CHARS):start],
            suffix=transcript[end:end + CONTEXT_CHARS],
            colour=colour,
            comment=comment,
            transcript_hash=text_hash(transcript),
        )


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start..end`` of ``text`` grown to whole words (a selection that ends inside a word
    takes the whole word) and without whitespace at either end; empty if only whitespace."""
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, start
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


@dataclass
class Episode:
    """One episode note as the user keeps it.

    ``layout`` is the parsed shape of the note it came from (see ``reader.core.note``); it
    lets ``render`` give back every untouched byte. It is ignored by ``==``.
    """

    title: str
    transcript: str
    source_url: str | None = None
    video_id: str | None = None
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    takeaways: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    front_matter: dict[str, Any] | None = None
    layout: Any = field(default=None, compare=False, repr=False)

    @property
    def episode_id(self) -> str:
        """The identity: the Video ID, or a stable hash of title and transcript."""
        if self.video_id:
            return self.video_id
        return stable_id(self.title, self.transcript)

    @property
    def show(self) -> str:
        return show_of(self.title)

    @property
    def word_count(self) -> int:
        return len(self.transcript.split())


def stable_id(title: str, transcript: str) -> str:
    digest = hashlib.sha256(f"{title}\n{transcript}".encode()).hexdigest()
    return f"h-{digest[:16]}"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(data: bytes) -> str:
    """The hash a file's bytes are recognised by (unchanged on disk or not)."""
    return hashlib.sha256(data).hexdigest()


def show_of(title: str) -> str:
    """The show's name: what follows the last ``|`` in a YouTube title ("… | Poki S03E18")."""
    if "|" not in title:
        return ""
    tail = title.rsplit("|", 1)[1].strip().strip(".").strip()
    # Drop an episode code such as S03E18 and decorative symbols.
    words = [w for w in tail.split() if not (w[:1] in "Ss" and w[1:3].isdigit())]
    name = " ".join(w for w in words if any(ch.isalnum() for ch in w))
    return name


def reading_minutes(word_count: int, words_per_minute: int = 230) -> int:
    return max(1, round(word_count / words_per_minute)) if word_count else 0


@dataclass(frozen=True)
class TakeawayItem:
    """A stored Key Takeaway: its row id, text, version and the highlight it came from."""

    id: int
    text: str
    version: int = 1
    highlight_id: int | None = None
    author: str = ""
