"""This client's side of a team library: other clients' changes taken in (its own search
index, the window's change reports), and the edits made while the server was away sent out.

The library facade owns one when it is opened on a PostgreSQL URL and hands it what it needs:
the index keeper, how to report changes, and how to send one queued edit (``send``: the
facade's own write, without the offline queue around it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from reader.library import offline, team
from reader.library.changes import Changes, Part
from reader.library.values import EditConflict, LibraryError, SavedOffline, ServerUnreachable
from reader.store.models import INDEX_ALL, INDEX_ANNOTATIONS

if TYPE_CHECKING:
    from reader.library.index_upkeep import IndexKeeper


class TeamClient:
    def __init__(self, engine: Engine, sessions: sessionmaker[Session], client_id: str,
                 folder: Path, library: str, keeper: IndexKeeper,
                 report: Callable[[Changes], None], send: Callable[[offline.Entry], None]) -> None:
        self._engine = engine
        self._keeper = keeper
        self._report = report
        self._send = send
        self._library = library  # its address, for messages (no password)
        self._log = team.ChangeLog(sessions, client_id)
        self._seen = team.SeenSeq(folder / "seen.json", library)
        self._seen_seq = self._seen.get()
        self.queue = offline.OfflineQueue(folder)
        self._watcher: team.Watcher | None = None
        self._status_listeners: list[Callable[[bool, str], None]] = []
        self._remote_listeners: list[Callable[[Changes], None]] = []
        self._online: bool | None = None  # as the watcher last found the server
        self._sending = threading.Lock()
        self._polling = threading.Lock()

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    # -- other clients' changes ------------------------------------------------------------

    def prepare(self) -> None:
        """Open the index and index what other clients changed since it last saw a change;
        a new index (built from the rows) starts from the latest."""
        latest = self._log.latest()
        self._keeper.index()
        if self._seen_seq is None:
            self._seen_seq = latest
            self._seen.set(latest)
        self.poll_changes()

    def poll_changes(self, *, report: bool = True) -> Changes:
        """What other clients changed since last asked: indexed here (in the index's own
        time when it is busy) and reported as this client's own writes are."""
        with self._polling:  # the watcher's thread and the index thread both ask
            start = self._seen_seq if self._seen_seq is not None else self._log.latest()
            found = self._log.since(start)
            if not found:
                self._seen_seq = start
                return Changes()
            changes = team.as_changes(found)
            removed = changes.touching(Part.REMOVED)
            for episode_id in removed:
                self._keeper.delete(episode_id)
            indexed = Part.annotations() | Part.ADDED | Part.TRANSCRIPT
            self._keeper.sync_unless_busy({
                episode_id: INDEX_ALL if part & (Part.ADDED | Part.TRANSCRIPT) else INDEX_ANNOTATIONS
                for episode_id, part in changes.episodes.items()
                if episode_id not in removed and part & indexed})
            self._seen_seq = found[-1].seq
            self._seen.set(self._seen_seq)
        if report:
            self._report(changes)
            for listener in list(self._remote_listeners):
                listener(changes)
        return changes

    def subscribe_remote(self, listener: Callable[[Changes], None]) -> None:
        self._remote_listeners.append(listener)

    def on_server_status(self, listener: Callable[[bool, str], None]) -> None:
        self._status_listeners.append(listener)

    def watch(self) -> None:
        if self._watcher is None:
            self._watcher = team.Watcher(self._engine, self._keep_up, self._server_status)
            self._watcher.start()

    def _keep_up(self) -> None:
        """The watcher's round: send what waits from offline, then take in others' changes."""
        if len(self.queue):
            self.send_offline_edits()
        self.poll_changes()

    def _server_status(self, online: bool, message: str) -> None:
        self._online = online
        for listener in list(self._status_listeners):
            listener(online, message)

    # -- edits made while the server was away ----------------------------------------------

    @contextmanager
    def offline(self, episode_id: str, kind: str, args: dict[str, object]) -> Iterator[None]:
        """A write that, when the server does not answer, is kept in the offline queue
        (``SavedOffline`` says so) instead of failing. Edits waiting from before are sent
        first, so the server gets them in the order they were made."""
        if len(self.queue) and self._online is not False:
            self.send_offline_edits()
        if len(self.queue):
            self.queue.add(episode_id, kind, args)
            raise SavedOffline(self._message())
        try:
            yield
        except ServerUnreachable as exc:
            self.queue.add(episode_id, kind, args)
            raise SavedOffline(self._message()) from exc

    def _message(self) -> str:
        return (f"{self._library}: the server cannot be reached; the edit is kept on this "
                "computer and sent when the server answers again")

    def send_offline_edits(self) -> int:
        """Send the waiting edits, oldest first; returns how many went. Stops at the first
        the server does not take for being away (the rest wait)."""
        if not self._sending.acquire(blocking=False):
            return 0
        sent = 0
        try:
            for entry in self.queue.waiting():
                try:
                    self._send(entry)
                except ServerUnreachable:
                    break
                except EditConflict as exc:
                    self.queue.refused(entry, f"{exc} (theirs: {exc.theirs!r}; yours: {exc.mine!r})")
                except LibraryError as exc:  # the episode or highlight is gone since
                    self.queue.refused(entry, str(exc))
                else:
                    self.queue.sent(entry)
                    sent += 1
        finally:
            self._sending.release()
        return sent


def list_args(known: Mapping[int, tuple[int, Hashable]],
              drafts: Sequence[tuple[int, Hashable]]) -> dict[str, object]:
    """A list edit as the offline queue keeps it (JSON: no int keys, no tuples)."""
    return {"known": [[i, v, t] for i, (v, t) in known.items()],
            "drafts": [[k, t] for k, t in drafts]}


def list_edit(args: dict[str, object]) -> tuple[dict[int, tuple[int, Hashable]], list[tuple[int, Hashable]]]:
    """(known, drafts) of a list edit ``list_args`` kept."""
    known_rows = args["known"]
    draft_rows = args["drafts"]
    assert isinstance(known_rows, list) and isinstance(draft_rows, list)
    return ({i: (v, _hashable(t)) for i, v, t in known_rows},
            [(k, _hashable(t)) for k, t in draft_rows])


def _hashable(value: object) -> Hashable:
    """A list value read back from the queue's JSON as the tuple it was."""
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    assert isinstance(value, Hashable)
    return value
