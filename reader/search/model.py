"""Plain values that cross the search package's boundary (no Whoosh types leak out)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IndexDoc:
    """The transcript document of one episode."""

    episode_id: str
    title: str
    transcript: str


@dataclass(frozen=True)
class AnnotationDoc:
    """The user's annotations for one episode; indexed apart from the transcript so that an
    annotation edit re-indexes a few hundred bytes, not 60 KB."""

    episode_id: str
    title: str
    notes: str = ""
    takeaways: tuple[str, ...] = ()
    comments: tuple[tuple[int, str], ...] = ()  # (highlight id, comment text)

    @property
    def is_empty(self) -> bool:
        return not (self.notes.strip() or any(t.strip() for t in self.takeaways)
                    or any(c.strip() for _, c in self.comments))


@dataclass(frozen=True)
class Snippet:
    field: str  # "transcript", "title", "notes", "takeaways", "comment"
    text: str  # ~30 words around the best hits (plain text)
    ranges: tuple[tuple[int, int], ...]  # hit ranges within `text`
    offset: int  # where `text` starts in its field (transcript: char offset), -1 if n/a
    highlight_id: int | None = None  # for a hit in a highlight comment


@dataclass(frozen=True)
class SearchResult:
    episode_id: str
    title: str
    score: float
    snippets: tuple[Snippet, ...]
    best_offset: int  # char offset in the transcript of the best hit, -1 if none
    hit_count: int = 0  # hits in the transcript (what find in the episode will step through)


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int  # number of matching episodes
    results: tuple[SearchResult, ...]
    # With no match: queries with a word replaced by the nearest words the library has.
    did_you_mean: tuple[str, ...] = ()


class IndexUnavailable(Exception):
    """The index cannot be used right now (busy writer, or damaged and awaiting a rebuild)."""
