"""Whose annotations win when a note is imported again: the file's or the library's."""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from reader.core import highlights_md
from reader.core import tags as tagging
from reader.core.episode import Episode


class Annotations(NamedTuple):
    notes: str
    takeaways: tuple[str, ...]
    related: tuple[str, ...]
    highlights: tuple[highlights_md.HighlightKey, ...]
    tags: tuple[str, ...] = ()  # the episode's, case-folded and sorted: their order is the note's own

    @property
    def empty(self) -> bool:
        return not (self.notes.strip() or self.takeaways or self.related or self.highlights or self.tags)


def annotations_of(episode: Episode) -> Annotations:
    return Annotations(
        episode.notes.strip(),
        tuple(episode.takeaways),
        tuple(episode.related),
        tuple(sorted(highlights_md.key(h) for h in episode.highlights)),
        tag_set(tagging.of_episode(episode)),
    )


def tag_set(tags: list[str]) -> tuple[str, ...]:
    return tuple(sorted({t.casefold() for t in tags}))


class Outcome(Enum):
    TAKE_FILE = "file"  # only the file changed them (or the library has none)
    KEEP_LIBRARY = "library"  # only the library changed them, or both agree
    CONFLICT = "conflict"  # both changed them differently: the library wins, the file is kept aside


def decide(base: Annotations | None, library: Annotations | None, file: Annotations) -> Outcome:
    """A three-way decision against ``base``, the annotations of the file as last read or written."""
    if library is None or library.empty:
        return Outcome.TAKE_FILE
    if file == library:
        return Outcome.KEEP_LIBRARY
    if base is not None and library == base:
        return Outcome.TAKE_FILE
    if base is not None and file == base:
        return Outcome.KEEP_LIBRARY
    if file.empty:
        return Outcome.KEEP_LIBRARY
    return Outcome.CONFLICT
