"""Notes, Key Takeaways and Related of an episode, written as edits of what the writer read.

``Annotating`` is the facade's part for these three; ``Library`` delegates to it. Each
write is one ``BEGIN IMMEDIATE`` transaction (the facade's ``_write``) and reports what it
changed (``_annotated``). Lists are saved item by item (``store.items``); Notes are merged
three ways when another writer changed them (``core.textmerge``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from contextlib import AbstractContextManager

from sqlalchemy.orm import Session

from reader.core import textmerge
from reader.library import importer
from reader.library.changes import Part
from reader.library.values import LibraryError, ListSaved, NotesSaved, RelatedLink, TakeawayItem
from reader.store import items, repo
from reader.store.models import EpisodeRow, RelatedRow

Write = Callable[..., AbstractContextManager[tuple[Session, EpisodeRow]]]


class Annotating:
    def __init__(self, write: Write, annotated: Callable[[str, Part], None]) -> None:
        self._write = write
        self._annotated = annotated

    def set_notes(self, episode_id: str, text: str, *, base: str | None = None) -> NotesSaved:
        """Store Notes. With ``base`` (the Notes as the writer read them), a change made
        elsewhere since is merged in, never overwritten (see ``core.textmerge``). Line
        breaks are stored as ``\n`` (a CR or CRLF becomes one)."""
        text = _newlines(text)
        base = _newlines(base) if base is not None else None
        with self._write(episode_id) as (_session, row):
            stored, merged = row.notes, False
            result = textmerge.Merged(text, False)
            if base is not None and stored not in (base, text):
                result = textmerge.merge(base, text, stored)
                merged = True
            if result.text != stored:
                row.notes, row.legacy_notes = result.text, False
                row.notes_version += 1
                row.notes_changed_at = repo.now()
                row.updated_at = repo.now()
            saved = NotesSaved(row.notes, row.notes_version, merged, result.conflict)
        self._annotated(episode_id, Part.NOTES)
        return saved

    def set_takeaways(self, episode_id: str, items: list[str]) -> None:
        """Make the takeaways exactly these (a script's replace; the window saves its edits
        with ``save_takeaways``)."""
        with self._write(episode_id) as (session, row):
            repo.set_takeaways(session, row, [i.strip() for i in items if i.strip()])
        self._annotated(episode_id, Part.TAKEAWAYS)

    def add_takeaway(self, episode_id: str, text: str, *,
                     highlight_id: int | None = None) -> TakeawayItem:
        """Append one takeaway (one row, in one transaction: parallel writers all land)."""
        text = text.strip()
        if not text:
            raise LibraryError("a takeaway needs some text")
        with self._write(episode_id) as (session, row):
            result = repo.takeaway_of(repo.add_takeaway(session, row, text, highlight_id))
        self._annotated(episode_id, Part.TAKEAWAYS)
        return result

    def save_takeaways(self, episode_id: str, known: Mapping[int, tuple[int, Hashable]],
                       drafts: Sequence[tuple[int, Hashable]]) -> ListSaved:
        """Store the window's edited list: ``drafts`` are (key, text) in the user's order,
        key a stored id or a negative key for a new item; ``known`` the stored id ->
        (version, text) of the items as the window last read them. Only the rows the user
        changed are written; see ``store.items``."""
        with self._write(episode_id) as (session, row):
            rows = repo.takeaway_rows(row)
            made, conflicts = items.save(
                rows, {i: items.Known(v, str(t)) for i, (v, t) in known.items()},
                [(key, str(text).strip()) for key, text in drafts if str(text).strip()])
            row.updated_at = repo.now()
            session.flush()
            saved = ListSaved([repo.takeaway_of(t) for t in rows.ordered()],
                              {key: r.id for key, r in made.items()}, conflicts)
        self._annotated(episode_id, Part.TAKEAWAYS)
        return saved

    def set_related(self, episode_id: str, links: list[RelatedLink]) -> None:
        with self._write(episode_id) as (session, row):
            repo.set_related(session, row, related_values(session, links))
        self._annotated(episode_id, Part.RELATED)

    def save_related(self, episode_id: str, known: Mapping[int, tuple[int, Hashable]],
                     drafts: Sequence[tuple[int, Hashable]]) -> ListSaved:
        """As ``save_takeaways``, for Related entries; a value is a ``RelatedLink`` (or its
        (text, episode id) pair in ``known``)."""
        with self._write(episode_id) as (session, row):
            rows = repo.related_rows(row)
            links = [v if isinstance(v, RelatedLink) else RelatedLink(*v)  # type: ignore[misc]
                     for _key, v in drafts]
            pairs = [(key, (link.text.strip(), link.episode_id))
                     for (key, _v), link in zip(drafts, links, strict=True) if link.text.strip()]
            values = related_values(session, [RelatedLink(t, e) for _k, (t, e) in pairs])
            made, conflicts = items.save(
                rows, {i: items.Known(v, (value.text, value.episode_id)
                                      if isinstance(value, RelatedLink) else value)
                       for i, (v, value) in known.items()},
                [(key, value) for (key, _pair), value in zip(pairs, values, strict=True)])
            row.updated_at = repo.now()
            session.flush()
            saved = ListSaved(related_links(session, rows.ordered()),
                              {key: r.id for key, r in made.items()}, conflicts)
        self._annotated(episode_id, Part.RELATED)
        return saved

    def add_related(self, episode_id: str, id_or_text: str) -> RelatedLink:
        """Add a link to another episode (by its id or exact title) or free text / URL."""
        text = id_or_text.strip()
        if not text:
            raise LibraryError("a related entry needs some text")
        with self._write(episode_id) as (session, row):
            target = importer.resolve(session, text)
            if target == episode_id:
                raise LibraryError(f"{episode_id}: an episode cannot be related to itself")
            new = items.add(repo.related_rows(row), (text, target))
            row.updated_at = repo.now()
            session.flush()
            link = related_links(session, [new])[0]
        self._annotated(episode_id, Part.RELATED)
        return link


def related_values(session: Session, links: list[RelatedLink]) -> list[tuple[str, str | None]]:
    known = repo.titles(session, [link.episode_id for link in links if link.episode_id])
    return [(link.text.strip(), link.episode_id if link.episode_id in known else None)
            for link in links if link.text.strip() or link.episode_id]

def related_links(session: Session, rows: list[RelatedRow]) -> list[RelatedLink]:
    titles = repo.titles(session, [r.target_id for r in rows if r.target_id])
    return [RelatedLink(titles.get(r.target_id, r.text) if r.target_id else r.text,
                        r.target_id if r.target_id in titles else None, r.id, r.version)
            for r in rows]


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
