"""Tags the reader gives highlights and episodes (``reader.core.tags`` says what a tag is).

A highlight's tags are stored with it and written on a line under its quote; an episode's
replace the ones its note was read with, written back onto its ``**Tags:**`` line (or out of
its YAML, for one removed from there). Takeaways and Notes carry the ``#tags`` typed in them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager

from sqlalchemy import select
from sqlalchemy.orm import Session

from reader.core import tags as tagging
from reader.core.episode import Highlight
from reader.library.changes import Changes, Part
from reader.library.values import LibraryError
from reader.store import repo
from reader.store.models import INDEX_ANNOTATIONS, EpisodeRow, HighlightRow, TakeawayRow


def checked(tags: Iterable[str]) -> list[str]:
    """The tags as kept (no "#"), each once; a LibraryError naming the first that is no tag."""
    out = []
    for text in tags:
        tag = tagging.normalise(text)
        if tag is None:
            raise LibraryError(f"{text!r} is not a tag: use letters, digits, _, - and /, not only digits")
        out.append(tag)
    return tagging.unique(out)


class Tagging:
    def __init__(self, transaction: Callable[[], AbstractContextManager[Session]],
                 report: Callable[[Changes], None]) -> None:
        self._transaction = transaction
        self._report = report

    def tag_highlights(self, highlights: Sequence[tuple[str, int]], add: Iterable[str] = (),
                       remove: Iterable[str] = ()) -> list[Highlight]:
        """Add and remove tags on these highlights (episode id, highlight id), in one
        transaction; returns them as stored."""
        added, removed = checked(add), checked(remove)
        wanted: dict[str, set[int]] = {}
        for episode_id, highlight_id in highlights:
            wanted.setdefault(episode_id, set()).add(highlight_id)
        done: list[Highlight] = []
        with self._transaction() as session:
            for episode_id, ids in wanted.items():
                row = session.get(EpisodeRow, episode_id)
                if row is None:
                    raise LibraryError(f"{episode_id}: no such episode in the library")
                found = {h.id: h for h in row.highlights if h.id in ids}
                missing = ids - set(found)
                if missing:
                    raise LibraryError(f"{episode_id}: no highlight {min(missing)}")
                stamp = repo.now()
                for h in found.values():
                    kept = [t for t in h.tags.split() if not tagging.has(removed, t)]
                    new = " ".join(tagging.unique([*kept, *added]))
                    if new != h.tags:
                        h.tags = new
                        h.version += 1
                        h.updated_at = row.updated_at = stamp
                    done.append(repo.highlight_of(h))
                repo.mark_stale(row, INDEX_ANNOTATIONS)
        self._report(Changes.of(wanted, Part.HIGHLIGHTS | Part.LIST_COLUMNS))
        return done

    def set_highlight_tags(self, episode_id: str, highlight_id: int, tags: Iterable[str]) -> Highlight:
        wanted = checked(tags)
        with self._transaction() as session:
            found = session.get(HighlightRow, highlight_id)
            if found is None or found.episode_id != episode_id:
                raise LibraryError(f"{episode_id}: no highlight {highlight_id}")
            if found.tags.split() != wanted:
                found.tags = " ".join(wanted)
                found.version += 1
                found.updated_at = repo.now()
                episode = session.get(EpisodeRow, episode_id)
                assert episode is not None
                episode.updated_at = found.updated_at
                repo.mark_stale(episode, INDEX_ANNOTATIONS)
            result = repo.highlight_of(found)
        self._report(Changes.of([episode_id], Part.HIGHLIGHTS | Part.LIST_COLUMNS))
        return result

    def set_episode_tags(self, episode_id: str, tags: Iterable[str]) -> list[str]:
        wanted = checked(tags)
        with self._transaction() as session:
            row = session.get(EpisodeRow, episode_id)
            if row is None:
                raise LibraryError(f"{episode_id}: no such episode in the library")
            if tagging.parse(row.tags) != wanted:
                row.tags = " ".join(wanted)
                row.updated_at = repo.now()
        self._report(Changes.of([episode_id], Part.TAGS))
        return wanted


def library_tags(session: Session) -> list[str]:
    """Every tag of the library (episodes', highlights', #tags in takeaways and Notes), most
    used first: what tag fields complete from."""
    counts: dict[str, int] = {}
    spelling: dict[str, str] = {}

    def count(found: Iterable[str]) -> None:
        for tag in found:
            counts[tag.casefold()] = counts.get(tag.casefold(), 0) + 1
            spelling.setdefault(tag.casefold(), tag)

    for (text,) in session.execute(select(EpisodeRow.tags).where(EpisodeRow.tags != "")):
        count(tagging.parse(text))
    for (text,) in session.execute(select(HighlightRow.tags).where(HighlightRow.tags != "")):
        count(text.split())
    for (text,) in session.execute(select(HighlightRow.comment).where(HighlightRow.comment.contains("#"))):
        count(tagging.in_text(text))
    for (text,) in session.execute(select(TakeawayRow.text).where(TakeawayRow.text.contains("#"))):
        count(tagging.in_text(text))
    for (text,) in session.execute(select(EpisodeRow.notes).where(EpisodeRow.notes.contains("#"))):
        count(tagging.in_text(text))
    return [spelling[k] for k in sorted(counts, key=lambda k: (-counts[k], k))]
