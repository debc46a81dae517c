"""Repository functions: ORM rows in, plain values out.

Every function takes an open ``Session``; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, undefer

from reader.core.episode import Highlight, TakeawayItem
from reader.core.tags import unique
from reader.store import items
from reader.store.models import (
    EpisodeRow,
    HighlightRow,
    PendingWriteRow,
    RelatedRow,
    SupersededRow,
    TakeawayRow,
)


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class SummaryRow:
    id: str
    title: str
    show: str
    word_count: int
    annotated: bool
    source_path: str | None
    last_opened: datetime | None
    sample: bool


# Above this many ids, one pass over every row is cheaper than an IN list (and stays
# within SQLite's limit on bound parameters).
_FEW_IDS = 500


def summaries(session: Session, ids: Collection[str] | None = None) -> list[SummaryRow]:
    """Metadata of every episode (or of ``ids``), without loading a single transcript."""
    few = ids is not None and len(ids) <= _FEW_IDS

    def only(statement: Any, column: Any) -> Any:
        return statement.where(column.in_(list(ids or ()))) if few else statement

    annotated_ids = set(session.scalars(only(select(TakeawayRow.episode_id).distinct(), TakeawayRow.episode_id)))
    annotated_ids |= set(session.scalars(only(select(RelatedRow.episode_id).distinct(), RelatedRow.episode_id)))
    annotated_ids |= set(session.scalars(only(select(HighlightRow.episode_id).distinct(), HighlightRow.episode_id)))
    annotated_ids |= set(session.scalars(only(select(EpisodeRow.id).where(EpisodeRow.notes != ""), EpisodeRow.id)))
    rows = session.execute(only(
        select(
            EpisodeRow.id, EpisodeRow.title, EpisodeRow.show, EpisodeRow.word_count,
            EpisodeRow.source_path, EpisodeRow.last_opened, EpisodeRow.sample,
        ).order_by(EpisodeRow.title), EpisodeRow.id))
    if ids is not None and not few:
        wanted = set(ids)
        rows = [r for r in rows if r.id in wanted]  # type: ignore[assignment]
    return [
        SummaryRow(r.id, r.title, r.show, r.word_count, r.id in annotated_ids, r.source_path,
                   r.last_opened, r.sample)
        for r in rows
    ]


def transcripts(session: Session, episode_ids: Collection[str]) -> dict[str, str]:
    """The transcripts of ``episode_ids`` that are in the library, in one query."""
    if not episode_ids:
        return {}
    rows = session.execute(select(EpisodeRow.id, EpisodeRow.transcript)
                           .where(EpisodeRow.id.in_(list(episode_ids))))
    return {r.id: r.transcript for r in rows}


def get(session: Session, episode_id: str, *, full: bool = False) -> EpisodeRow | None:
    options = [undefer(EpisodeRow.transcript), undefer(EpisodeRow.source_text)] if full else []
    return session.get(EpisodeRow, episode_id, options=options)


def highlight_of(row: HighlightRow) -> Highlight:
    return Highlight(
        start=row.start, end=row.end, quote=row.quote, prefix=row.prefix, suffix=row.suffix,
        colour=row.colour, comment=row.comment, transcript_hash=row.transcript_hash,
        orphan=row.orphan, id=row.id, source_quote=row.source_quote, tags=tuple(row.tags.split()),
        author=row.author or "", version=row.version or 1,
    )


def highlight_row(episode_id: str, h: Highlight) -> HighlightRow:
    stamp = now()
    return HighlightRow(
        episode_id=episode_id, start=h.start, end=h.end, quote=h.quote, prefix=h.prefix,
        suffix=h.suffix, colour=h.colour, comment=h.comment, transcript_hash=h.transcript_hash,
        orphan=h.orphan, source_quote=h.source_quote, tags=" ".join(h.tags), created_at=stamp,
        updated_at=stamp,
    )


def merge_highlights(episode: EpisodeRow, kept: HighlightRow, merged: list[HighlightRow], h: Highlight) -> None:
    """``kept`` takes the place, colour and comment of ``h``; the ``merged`` rows go, and the
    takeaways promoted from them point at ``kept`` from now on."""
    kept.start, kept.end, kept.quote = h.start, h.end, h.quote
    kept.prefix, kept.suffix, kept.transcript_hash = h.prefix, h.suffix, h.transcript_hash
    kept.colour, kept.comment, kept.orphan, kept.source_quote = h.colour, h.comment, False, None
    kept.tags = " ".join(unique([*kept.tags.split(), *h.tags, *(t for r in merged for t in r.tags.split())]))
    kept.version += 1
    kept.updated_at = now()
    gone = {row.id for row in merged}
    for takeaway in episode.takeaways:
        if takeaway.highlight_id in gone:
            takeaway.highlight_id = kept.id
    episode.highlights = [row for row in episode.highlights if row.id not in gone]


def _takeaway_value(row: TakeawayRow) -> str:
    return row.text


def _set_takeaway(row: TakeawayRow, value: object) -> None:
    row.text = str(value)


def _quoted(value: object) -> str:
    text = value[0] if isinstance(value, tuple) else str(value)
    text = " ".join(str(text).split())
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


def takeaway_rows(row: EpisodeRow) -> items.ListRows[TakeawayRow]:
    return items.ListRows(row.takeaways, _takeaway_value, _set_takeaway,
                          lambda value: TakeawayRow(episode_id=row.id, text=str(value)), _quoted)


def _related_value(row: RelatedRow) -> tuple[str, str | None]:
    return (row.text, row.target_id)


def _set_related(row: RelatedRow, value: object) -> None:
    row.text, row.target_id = value  # type: ignore[misc]


def related_rows(row: EpisodeRow) -> items.ListRows[RelatedRow]:
    def make(value: object) -> RelatedRow:
        assert isinstance(value, tuple)
        text, target = value
        return RelatedRow(episode_id=row.id, text=text, target_id=target)

    return items.ListRows(row.related, _related_value, _set_related, make, _quoted)


def takeaway_of(row: TakeawayRow) -> TakeawayItem:
    return TakeawayItem(row.id, row.text, row.version, row.highlight_id, row.author or "")


def set_takeaways(session: Session, row: EpisodeRow, texts: list[str]) -> None:
    """Make the takeaways these texts: items that keep their text keep their row (and its
    link to a highlight); only rows that differ are written."""
    replace_list(takeaway_rows(row), list(texts))
    row.updated_at = now()


def add_takeaway(session: Session, row: EpisodeRow, text: str, highlight_id: int | None) -> TakeawayRow:
    new = items.add(takeaway_rows(row), text)
    new.highlight_id = highlight_id
    row.updated_at = now()
    session.flush()
    return new


def set_related(session: Session, row: EpisodeRow, links: list[tuple[str, str | None]]) -> None:
    replace_list(related_rows(row), list(links))
    row.updated_at = now()


def replace_list(rows: items.ListRows, values: list) -> None:
    """Rows for ``values`` in order, reusing the row of an equal value where there is one."""
    free: dict[object, list] = {}
    for r in rows.ordered():
        free.setdefault(rows.value_of(r), []).append(r)
    known = {r.id: items.Known(r.version, rows.value_of(r)) for r in rows.rows}
    drafts: list[tuple[int, object]] = []
    fresh = -1
    for value in values:
        if free.get(value):
            drafts.append((free[value].pop(0).id, value))
        else:
            drafts.append((fresh, value))
            fresh -= 1
    items.save(rows, known, drafts)


def set_highlights(session: Session, row: EpisodeRow, highlights: list[Highlight]) -> None:
    """Make the episode's highlights these; one with a known id is updated in place, so
    takeaways promoted from it stay linked."""
    existing = {h.id: h for h in row.highlights}
    stamp = now()
    kept: list[HighlightRow] = []
    for h in highlights:
        target = existing.get(h.id) if h.id is not None else None
        if target is None:
            kept.append(highlight_row(row.id, h))
            continue
        changed = (target.start, target.end, target.quote, target.orphan) != (
            h.start, h.end, h.quote, h.orphan)
        target.start, target.end, target.quote = h.start, h.end, h.quote
        target.prefix, target.suffix, target.orphan = h.prefix, h.suffix, h.orphan
        target.transcript_hash = h.transcript_hash
        target.colour, target.comment = h.colour, h.comment
        target.source_quote = h.source_quote
        target.tags = " ".join(h.tags)
        if changed:
            target.updated_at = stamp
        kept.append(target)
    row.highlights = kept
    row.updated_at = stamp


def keep_superseded(session: Session, episode_id: str, path: str | None, text: str) -> None:
    session.add(SupersededRow(episode_id=episode_id, source_path=path, note_text=text,
                              created_at=now()))


def superseded(session: Session, episode_id: str) -> list[tuple[datetime, str | None, str]]:
    rows = session.scalars(
        select(SupersededRow).where(SupersededRow.episode_id == episode_id)
        .order_by(SupersededRow.id)
    )
    return [(r.created_at, r.source_path, r.note_text) for r in rows]


def mark_opened(session: Session, episode_id: str, scroll_position: int) -> None:
    session.execute(
        update(EpisodeRow).where(EpisodeRow.id == episode_id)
        .values(last_opened=now(), scroll_position=scroll_position)
    )


def last_opened_id(session: Session) -> str | None:
    return session.scalar(
        select(EpisodeRow.id).where(EpisodeRow.last_opened.is_not(None))
        .order_by(EpisodeRow.last_opened.desc()).limit(1)
    )


def delete_episode(session: Session, episode_id: str) -> None:
    session.execute(delete(EpisodeRow).where(EpisodeRow.id == episode_id))


def count(session: Session) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(EpisodeRow)) or 0


def mark_stale(row: EpisodeRow, level: int) -> None:
    """Note that the index lacks ``level`` (annotations, or all) of this episode."""
    row.index_dirty = max(row.index_dirty or 0, level)
    row.index_generation = (row.index_generation or 0) + 1


def dirty(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(EpisodeRow.id, EpisodeRow.index_dirty).where(EpisodeRow.index_dirty > 0)
    )
    return {r.id: r.index_dirty for r in rows}


def mark_clean(session: Session, indexed: dict[str, int]) -> None:
    """Clear the flag of each episode still at the generation that was indexed."""
    for episode_id, generation in indexed.items():
        session.execute(
            update(EpisodeRow)
            .where(EpisodeRow.id == episode_id, EpisodeRow.index_generation == generation)
            .values(index_dirty=0))


def titles(session: Session, ids: list[str | None] | None = None) -> dict[str, str]:
    """Episode id -> title, for all episodes or for the given ids that exist."""
    statement = select(EpisodeRow.id, EpisodeRow.title)
    if ids is not None:
        wanted = [i for i in ids if i]
        if not wanted:
            return {}
        statement = statement.where(EpisodeRow.id.in_(wanted))
    return {r.id: r.title for r in session.execute(statement)}


def source_paths(session: Session) -> dict[str, str]:
    """Episode id -> the note file it was read from, for every episode read from a file of
    the user's (not the bundled samples)."""
    rows = session.execute(select(EpisodeRow.id, EpisodeRow.source_path)
                           .where(EpisodeRow.source_path.is_not(None), EpisodeRow.sample.is_(False)))
    return {r.id: r.source_path for r in rows}


def noted_videos(session: Session) -> list[tuple[str, str, str | None]]:
    """(episode id, source path, Video ID) of every episode that came from a file of the user's."""
    rows = session.execute(
        select(EpisodeRow.id, EpisodeRow.source_path, EpisodeRow.video_id)
        .where(EpisodeRow.source_path.is_not(None), EpisodeRow.sample.is_(False))
    )
    return [(r.id, r.source_path, r.video_id) for r in rows]


def sources(session: Session) -> list[tuple[str, float | None]]:
    """(source path, mtime when read) of every episode that came from a file of the user's."""
    rows = session.execute(
        select(EpisodeRow.source_path, EpisodeRow.source_mtime)
        .where(EpisodeRow.source_path.is_not(None), EpisodeRow.sample.is_(False))
    )
    return [(r.source_path, r.source_mtime) for r in rows]


def mark_samples(session: Session, episode_ids: Collection[str]) -> None:
    for row in session.scalars(select(EpisodeRow).where(EpisodeRow.id.in_(list(episode_ids)))):
        row.sample = True


def pending_write(session: Session, episode_id: str) -> str | None:
    row = session.get(PendingWriteRow, episode_id)
    return row.content_hash if row is not None else None


def set_pending_write(session: Session, episode_id: str, content_hash: str | None) -> None:
    row = session.get(PendingWriteRow, episode_id)
    if content_hash is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(PendingWriteRow(episode_id=episode_id, content_hash=content_hash))
    else:
        row.content_hash = content_hash


def highlight_id_free(session: Session, highlight_id: int) -> bool:
    return session.get(HighlightRow, highlight_id) is None
