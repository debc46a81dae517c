"""The word → time map of an episode, one row each (see reader.store.models.WordTimesRow)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from reader.store.models import WordTimesRow
from reader.store.repo import now


def put(session: Session, episode_id: str, source_path: str, words: int, matched: float, data: bytes) -> None:
    session.merge(WordTimesRow(episode_id=episode_id, source_path=source_path, words=words,
                               matched=matched, data=data, created_at=now()))


def get(session: Session, episode_id: str) -> WordTimesRow | None:
    return session.get(WordTimesRow, episode_id)
