"""Edits made while a team library's server could not be reached, kept on this computer.

A small SQLite file in the client's folder holds them in the order they were made until the
server answers again; then they are sent in that order, each as the write it would have been
(Notes with the text they were edited from, so what others stored meanwhile is merged in;
list edits with the versions they were based on). Edits of one episode's Notes, or of one of
its lists, made one after another offline are one entry: the newest text, based on what was
last read from the server. An entry that cannot be sent without overwriting someone else's
newer edit is kept, marked, with both texts: never dropped.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

QUEUE_FILE = "offline.sqlite3"
# Kinds of entry; one entry per episode for the first three (the newest edit, on the oldest base).
NOTES = "notes"
TAKEAWAYS = "takeaways"
RELATED = "related"
HIGHLIGHT = "add_highlight"
HIGHLIGHT_EDIT = "update_highlight"
HIGHLIGHT_DELETE = "delete_highlight"
TAKEAWAY = "add_takeaway"
COALESCED = (NOTES, TAKEAWAYS, RELATED)


@dataclass(frozen=True)
class Entry:
    id: int
    episode_id: str
    kind: str
    args: dict[str, Any]
    conflict: str | None  # why it could not be sent (and the other text), when it could not


class OfflineQueue:
    def __init__(self, folder: Path) -> None:
        self.path = folder / QUEUE_FILE
        self._lock = threading.Lock()
        folder.mkdir(parents=True, exist_ok=True)
        with self._connection() as db:
            db.execute("CREATE TABLE IF NOT EXISTS edits (id INTEGER PRIMARY KEY, "
                       "episode_id TEXT NOT NULL, kind TEXT NOT NULL, args TEXT NOT NULL, "
                       "made_at TEXT NOT NULL, conflict TEXT)")

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock, closing(sqlite3.connect(self.path, timeout=15)) as db:
            db.execute("PRAGMA synchronous=FULL")
            with db:  # one transaction
                yield db

    def add(self, episode_id: str, kind: str, args: dict[str, Any]) -> None:
        """Keep one edit. A Notes or list edit replaces a waiting one of the same episode,
        keeping the base that one was made from (the last thing read from the server)."""
        with self._connection() as db:
            if kind in COALESCED:
                row = db.execute("SELECT id, args FROM edits WHERE episode_id = ? AND kind = ? "
                                 "AND conflict IS NULL", (episode_id, kind)).fetchone()
                if row is not None:
                    waiting = _decode(row[1])
                    kept = {"base": waiting["base"]} if kind == NOTES else {"known": waiting["known"]}
                    db.execute("UPDATE edits SET args = ? WHERE id = ?",
                               (_encode({**args, **kept}), row[0]))
                    return
            db.execute("INSERT INTO edits (episode_id, kind, args, made_at) VALUES (?, ?, ?, ?)",
                       (episode_id, kind, _encode(args), datetime.now(UTC).isoformat()))

    def waiting(self) -> list[Entry]:
        """The entries still to send, oldest first."""
        with self._connection() as db:
            rows = db.execute("SELECT id, episode_id, kind, args, conflict FROM edits "
                              "WHERE conflict IS NULL ORDER BY id").fetchall()
        return [Entry(r[0], r[1], r[2], _decode(r[3]), r[4]) for r in rows]

    def conflicts(self) -> list[Entry]:
        with self._connection() as db:
            rows = db.execute("SELECT id, episode_id, kind, args, conflict FROM edits "
                              "WHERE conflict IS NOT NULL ORDER BY id").fetchall()
        return [Entry(r[0], r[1], r[2], _decode(r[3]), r[4]) for r in rows]

    def sent(self, entry: Entry) -> None:
        with self._connection() as db:
            db.execute("DELETE FROM edits WHERE id = ?", (entry.id,))

    def refused(self, entry: Entry, why: str) -> None:
        with self._connection() as db:
            db.execute("UPDATE edits SET conflict = ? WHERE id = ?", (why, entry.id))

    def __len__(self) -> int:
        with self._connection() as db:
            return int(db.execute("SELECT COUNT(*) FROM edits WHERE conflict IS NULL").fetchone()[0])


def _encode(args: dict[str, Any]) -> str:
    return json.dumps(args, default=_tuple_safe, ensure_ascii=False)


def _tuple_safe(value: object) -> object:
    raise TypeError(f"cannot keep {type(value).__name__} in the offline queue")


def _decode(text: str) -> dict[str, Any]:
    value = json.loads(text)
    assert isinstance(value, dict)
    return value
