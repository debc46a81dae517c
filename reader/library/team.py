"""A team library: several clients on one PostgreSQL database.

Three things make it one library instead of several that happen to share tables:

- **Who and what.** Every write session records, in the transaction of the write itself, one
  ``changes`` row per episode it touched (which parts, which client, whose name), and stamps
  new annotations with the author's name. Nothing in the facade's write paths has to
  remember to do it: the ORM's flush says what is new, changed and gone.
- **Hearing of it.** The row's insert is followed by ``pg_notify`` in the same transaction, so
  other clients are woken when it commits (not before); a client that missed a notification
  (it was offline, the listening connection dropped) still finds the rows by their ``seq``:
  ``ChangeLog.since`` is the truth, NOTIFY only says "look now", and a poll every few
  seconds stands in for it when listening is not possible.
- **Its own index.** Each client's Whoosh index is a local cache. The last ``seq`` it holds
  is kept beside it (``SeenSeq``), so an index opened after a day away is brought up to date
  from the rows since, never rebuilt for a change.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from reader.files import atomic_write
from reader.library.changes import Changes, Part
from reader.store.models import (
    ChangeRow,
    EpisodeRow,
    HighlightRow,
    RelatedRow,
    TakeawayRow,
    WordTimesRow,
)

CHANNEL = "reader_changes"
POLL_SECONDS = 1.0  # without NOTIFY (or between notifications): how often to look anyway
# Episode columns whose change other clients must hear of, and as what. The rest (where the
# index stands, the reader's scroll place) are this client's business.
_EPISODE_COLUMNS = {
    "notes": Part.NOTES, "tags": Part.TAGS, "transcript": Part.TRANSCRIPT,
    "title": Part.LIST_COLUMNS, "show": Part.LIST_COLUMNS, "word_count": Part.LIST_COLUMNS,
    "source_path": Part.LIST_COLUMNS | Part.SOURCE, "source_text": Part.SOURCE,
    "duration": Part.TIMES, "media_path": Part.TIMES,
    # The lists, when rows left them by their cascade rather than a delete of their own.
    "highlights": Part.HIGHLIGHTS | Part.LIST_COLUMNS, "takeaways": Part.TAKEAWAYS | Part.LIST_COLUMNS,
    "related": Part.RELATED | Part.LIST_COLUMNS,
}
_ROW_PARTS: dict[type, Part] = {HighlightRow: Part.HIGHLIGHTS, TakeawayRow: Part.TAKEAWAYS,
                                RelatedRow: Part.RELATED, WordTimesRow: Part.TIMES}


def stamp_authors(sessions: sessionmaker[Session], author: Callable[[], str]) -> None:
    """Make every flush of ``sessions`` sign new annotations (and changed Notes) with
    ``author()``: a local library too, so a copy into a team library keeps who wrote what."""

    @event.listens_for(sessions, "before_flush")
    def _stamp(session: Session, _context: Any, _instances: Any) -> None:
        name = author()
        for obj in session.new:
            if isinstance(obj, (HighlightRow, TakeawayRow, RelatedRow)) and not obj.author:
                obj.author = name
        for obj in session.dirty:
            if isinstance(obj, EpisodeRow) and inspect(obj).attrs.notes.history.has_changes():
                obj.notes_author = name


def log_changes(sessions: sessionmaker[Session], client: str, author: Callable[[], str],
                *, notify: bool) -> None:
    """Make every flush of ``sessions`` log the episodes it touched in ``changes`` (and
    NOTIFY, on PostgreSQL), in the transaction of the flush."""

    @event.listens_for(sessions, "after_flush")
    def _log(session: Session, _context: Any) -> None:
        touched: dict[str, Part] = {}

        def add(episode_id: str | None, part: Part) -> None:
            if episode_id and part:
                touched[episode_id] = touched.get(episode_id, Part.NONE) | part

        for obj in session.new:
            if isinstance(obj, EpisodeRow):
                add(obj.id, Part.ADDED | Part.TRANSCRIPT | Part.LIST_COLUMNS | Part.annotations())
            elif type(obj) in _ROW_PARTS:
                add(obj.episode_id, _ROW_PARTS[type(obj)] | Part.LIST_COLUMNS)
        for obj in session.deleted:
            if isinstance(obj, EpisodeRow):
                add(obj.id, Part.REMOVED | Part.LIST_COLUMNS)
            elif type(obj) in _ROW_PARTS:
                add(obj.episode_id, _ROW_PARTS[type(obj)] | Part.LIST_COLUMNS)
        for obj in session.dirty:
            if not session.is_modified(obj):
                continue
            state = inspect(obj)
            if isinstance(obj, EpisodeRow):
                part = Part.NONE
                for column, meaning in _EPISODE_COLUMNS.items():
                    if state.attrs[column].history.has_changes():
                        part |= meaning
                add(obj.id, part)
            elif type(obj) in _ROW_PARTS:
                add(obj.episode_id, _ROW_PARTS[type(obj)])
        if not touched:
            return
        name = author()
        connection = session.connection()
        connection.execute(insert(ChangeRow), [
            {"episode_id": episode_id, "parts": part.value, "client": client, "author": name}
            for episode_id, part in touched.items()])
        if notify:
            connection.execute(text("SELECT pg_notify(:channel, :client)"),
                               {"channel": CHANNEL, "client": client})


@dataclass(frozen=True)
class Change:
    seq: int
    episode_id: str
    parts: Part
    author: str


class ChangeLog:
    """The ``changes`` rows other clients wrote."""

    def __init__(self, sessions: sessionmaker[Session], client: str) -> None:
        self._sessions = sessions
        self._client = client

    def latest(self) -> int:
        with self._sessions() as session:
            return int(session.scalar(select(func.coalesce(func.max(ChangeRow.seq), 0))) or 0)

    def since(self, seq: int, limit: int = 5000) -> list[Change]:
        """Other clients' changes after ``seq``, oldest first (at most ``limit``)."""
        with self._sessions() as session:
            rows = session.execute(
                select(ChangeRow.seq, ChangeRow.episode_id, ChangeRow.parts, ChangeRow.client,
                       ChangeRow.author)
                .where(ChangeRow.seq > seq).order_by(ChangeRow.seq).limit(limit)).all()
        # Our own rows are read too, only so the sequence moves past them.
        return [Change(r.seq, r.episode_id, Part(r.parts) if r.client != self._client
                       else Part.NONE, r.author) for r in rows]


def as_changes(changes: Iterable[Change]) -> Changes:
    out: dict[str, Part] = {}
    for change in changes:
        if change.parts:
            out[change.episode_id] = out.get(change.episode_id, Part.NONE) | change.parts
    return Changes(out)


class SeenSeq:
    """The last change this client's index and window took in, kept in the data folder per
    library (a JSON map of the library's address to the sequence number)."""

    def __init__(self, path: Path, library: str) -> None:
        self._path = path
        self._library = library

    def get(self) -> int | None:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        value = data.get(self._library) if isinstance(data, dict) else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def set(self, seq: int) -> None:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                data = {}
        except (OSError, ValueError):
            data = {}
        data[self._library] = seq
        self._path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self._path, json.dumps(data, indent=1), durable=False)


class Listener:
    """Waits for NOTIFY on a connection of its own; ``wait`` returns when one came or
    ``timeout`` passed (and at once, False, when the connection is gone)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Any = None

    def wait(self, timeout: float) -> bool:
        if self._connection is None:
            raw = self._engine.raw_connection()
            connection: Any = raw.driver_connection
            connection.autocommit = True
            connection.execute(f"LISTEN {CHANNEL}")
            self._connection = (raw, connection)
        _raw, connection = self._connection
        try:
            for _note in connection.notifies(timeout=timeout, stop_after=1):
                return True
        except Exception:
            self.close()
            raise
        return False

    def close(self) -> None:
        if self._connection is not None:
            raw, _ = self._connection
            self._connection = None
            try:
                raw.invalidate()
            except Exception:  # the connection is already gone
                pass


class Watcher(threading.Thread):
    """Calls ``poll`` whenever another client may have changed something: at a NOTIFY, and
    every ``POLL_SECONDS`` anyway. ``on_status(online, message)`` hears when the server stops
    and starts answering."""

    def __init__(self, engine: Engine, poll: Callable[[], object],
                 on_status: Callable[[bool, str], None]) -> None:
        super().__init__(name="team-library-watcher", daemon=True)
        self._listener = Listener(engine)
        self._poll = poll
        self._on_status = on_status
        self._stop_event = threading.Event()
        self._online: bool | None = None

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=10)
        self._listener.close()

    def run(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        while not self._stop_event.is_set():
            try:
                self._poll()
                self._status(True, "")
                self._listener.wait(POLL_SECONDS)
            except (SQLAlchemyError, OSError) as exc:
                self._listener.close()
                self._status(False, _first_line(exc))
                self._stop_event.wait(POLL_SECONDS)
            except Exception as exc:  # psycopg's own errors when the server goes away
                if type(exc).__module__.split(".")[0] != "psycopg":
                    raise
                self._listener.close()
                self._status(False, _first_line(exc))
                self._stop_event.wait(POLL_SECONDS)

    def _status(self, online: bool, message: str) -> None:
        if online != self._online:
            self._online = online
            self._on_status(online, message)


def new_client_id() -> str:
    return str(uuid.uuid4())


def _first_line(exc: BaseException) -> str:
    text_ = str(getattr(exc, "orig", None) or exc).strip()
    return text_.splitlines()[0] if text_ else type(exc).__name__
