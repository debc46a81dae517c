"""Plain values the library facade hands out; safe to pass between threads."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from reader.core.episode import Highlight, TakeawayItem
from reader.core.worddiff import OffsetMap
from reader.store.repo import SummaryRow

# The file names an import takes for notes; other files in a folder are passed over.
NOTE_SUFFIXES = (".md", ".markdown", ".txt")


@dataclass(frozen=True)
class EpisodeSummary(SummaryRow):
    """One row of the episode list (metadata only, never the transcript): the store's row
    and whether its note is still on disk."""

    source_missing: bool = False


@dataclass(frozen=True)
class RelatedLink:
    """A Related entry: another episode of the library (``episode_id``) or free text / URL.

    ``id`` and ``version`` name the stored row (None for one not stored yet); two links are
    equal when they point at the same thing, whichever row holds them.
    """

    text: str
    episode_id: str | None = None
    id: int | None = field(default=None, compare=False)
    version: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ListSaved:
    """What saving an edited list did: the list as now stored (with what others added),
    the row ids given to new items (draft key -> id), and one line per conflict resolved
    by keeping both texts."""

    items: list[TakeawayItem] | list[RelatedLink]
    new_ids: dict[int, int]
    conflicts: list[str]


@dataclass(frozen=True)
class NotesSaved:
    """The Notes as stored after a save, their version, and whether another writer's edit
    had to be merged in (``conflict``: the edits overlapped and both texts were kept)."""

    text: str
    version: int
    merged: bool = False
    conflict: bool = False


@dataclass
class EpisodeView:
    """An episode as the window shows it."""

    id: str
    title: str
    show: str
    transcript: str
    notes: str
    takeaways: list[str]
    related: list[RelatedLink]
    highlights: list[Highlight]
    source_url: str | None
    source_path: str | None
    scroll_position: int = 0
    notes_version: int = 1
    word_count: int = 0
    takeaway_items: list[TakeawayItem] = field(default_factory=list)
    video_id: str | None = None  # the YouTube video its moments link to
    duration: float | None = None  # its real length (seconds) when the user gave it
    tags: list[str] = field(default_factory=list)  # the episode's own (its highlights have theirs)


@dataclass
class ImportProgress:
    done: int
    total: int
    path: str


class ImportOutcome(Enum):
    """What importing one note did."""

    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"  # both changed: the library's annotations kept, the file's set aside


@dataclass
class Reloaded:
    """An episode someone is reading, read again after an import changed it. Its
    ``scroll_position`` is the reader's place carried to the same words of the new transcript,
    by the word diff the import made once (``moves``; None when the transcript is unchanged)."""

    episode: EpisodeView
    carried_from: int  # the place in the old transcript that ``scroll_position`` carries
    moves: OffsetMap | None = None

    @classmethod
    def carried(cls, episode: EpisodeView, place: int, moves: OffsetMap | None) -> Reloaded:
        """``episode`` as read again, ``place`` of the old transcript carried into it."""
        reloaded = cls(episode, place, moves)
        episode.scroll_position = reloaded.carry(place)
        return reloaded

    def carry(self, offset: int) -> int:
        """An offset of the old transcript at the same words of the new one."""
        length = len(self.episode.transcript)
        if self.moves is None:
            return min(offset, length)
        return max(0, min(self.moves.range(offset, offset)[0], length))


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    # Files in the folders passed over: not notes by their name (pictures, scripts), and
    # notes that are no episodes (no "## Transcript" section).
    not_notes: int = 0
    not_episodes: int = 0
    # Episodes timed from the subtitle file beside their note, and subtitle files that
    # could not be used (path, reason): the note itself was imported all the same.
    timed: list[str] = field(default_factory=list)
    subtitle_problems: list[tuple[str, str]] = field(default_factory=list)
    # The episodes being read (``reading`` of the import) that it changed, read again.
    reloaded: dict[str, Reloaded] = field(default_factory=dict)

    @property
    def passed_over(self) -> int:
        return self.not_notes + self.not_episodes

    def passed_over_said(self) -> str:
        """What in the folders was passed over, said as what it is ("" when nothing was)."""
        parts = []
        if self.not_notes:
            parts.append(_count(self.not_notes, "file that is not a note", "files that are not notes")
                         + f" (notes end in {', '.join(NOTE_SUFFIXES)})")
        if self.not_episodes:
            parts.append(_count(self.not_episodes, "note", "notes") + " with no '## Transcript' section")
        return " and ".join(parts)

    def add(self, outcome: ImportOutcome, episode_id: str) -> None:
        """Files ``episode_id`` under its outcome."""
        {ImportOutcome.IMPORTED: self.imported, ImportOutcome.UPDATED: self.updated,
         ImportOutcome.UNCHANGED: self.unchanged,
         ImportOutcome.CONFLICT: self.conflicts}[outcome].append(episode_id)


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


class LibraryError(Exception):
    """Something the user can act on; the message is one clear line."""


class EpisodeNotFound(LibraryError):
    pass


class IndexNotReady(LibraryError):
    """The search index is being opened or rebuilt on the index thread; ask again when it is."""


class WriteBackRefused(LibraryError):
    pass


class DatabaseUnusable(LibraryError):
    """The database file exists but cannot be used; it is left untouched."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class ServerUnreachable(LibraryError):
    """A team library's server does not answer (down, no network); nothing was written."""


class SavedOffline(ServerUnreachable):
    """The server did not answer; the edit was kept on this computer, to be sent when it does."""


class EditConflict(LibraryError):
    """A write based on an older version of what another writer has changed since: refused,
    with both texts, so the user picks (theirs is kept until then)."""

    def __init__(self, message: str, *, theirs: str, mine: str, author: str = "",
                 version: int = 0) -> None:
        super().__init__(message)
        self.theirs = theirs
        self.mine = mine
        self.author = author
        self.version = version


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
