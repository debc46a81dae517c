"""The search index kept in step with SQLite: opened lazily, repaired, updated in bulk.

Whoosh is imported only here and only when the index is first needed, so starting the
window or the command line does not pay for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from reader.library.values import IndexNotReady, LibraryError
from reader.store import repo
from reader.store.models import INDEX_ALL

if TYPE_CHECKING:
    from reader.search import AnnotationDoc, IndexDoc, SearchIndex

T = TypeVar("T")
INDEX_DIR = "index"
MERGE_EVERY = 16  # small index commits between merges of their segments
BULK_REINDEX = 200  # new transcripts from which a full rebuild is faster than adding them


class IndexKeeper:
    """Owns the library's search index. Reads may come from any thread, writes from one."""

    def __init__(self, data_dir: Path, sessions: sessionmaker[Session],
                 transaction: Callable[[], AbstractContextManager[Session]]) -> None:
        self._directory = data_dir / INDEX_DIR
        self._sessions = sessions
        self._transaction = transaction
        self._index: SearchIndex | None = None
        # The window reads (search) on one thread and writes on another; opening or
        # rebuilding the index must happen once.
        self._index_lock = threading.RLock()
        self._commits_since_merge = 0
        self._read_at: dict[str, int] = {}  # episode -> the index generation its rows were read at
        # Annotation syncs skipped because the index was busy on another thread (being opened
        # or rebuilt): episode -> level. Whoever holds the index next catches them up.
        self._missed: dict[str, int] = {}
        self._missed_lock = threading.Lock()
        # True in the window: only the index thread opens, checks and rebuilds the index.
        self.readers_wait = False

    @property
    def is_open(self) -> bool:
        return self._index is not None

    def close(self) -> None:
        with self._index_lock:
            if self._index is not None:
                self._index.close()
                self._index = None

    def delete(self, episode_id: str) -> None:
        if self._index is not None:
            with self._index_lock:
                self._index.delete(episode_id)

    def index(self) -> SearchIndex:
        """The Whoosh index, opened on first use (Whoosh stays off the start-up path).

        Opening brings it up to date: rebuilt from SQLite when missing or damaged, else
        every episode the index still lacks (``index_dirty``) is indexed.
        """
        with self._index_lock:
            if self._index is not None and self._index.needs_rebuild:
                for _ in self.rebuild(if_needed=True):  # damage a reader ran into
                    pass
            if self._index is None:
                from reader.search import SearchIndex

                if self._directory.exists() and not self._directory.is_dir():
                    raise LibraryError(
                        f"{self._directory} is a file, not the search index folder; move it "
                        "away and the index is built again from the library")
                try:
                    index = SearchIndex.open(self._directory)
                except OSError as exc:
                    raise LibraryError(f"{self._directory}: the search index cannot be opened "
                                       f"({exc.strerror or exc})") from None
                self._index = index
                if index.needs_rebuild:
                    # Another process may have been rebuilding it while we waited: then
                    # there is nothing left to do.
                    for _ in self.rebuild(if_needed=True):
                        pass
                else:
                    with self._sessions() as session:
                        stale = repo.dirty(session)
                    self.sync(stale)
            index = self._index
        self._catch_up()
        return index

    def documents(self, episode_ids: list[str] | None = None
                   ) -> Iterator[tuple[IndexDoc, AnnotationDoc]]:
        from reader.search import AnnotationDoc, IndexDoc

        with self._sessions() as session:
            ids = episode_ids if episode_ids is not None else list(repo.titles(session))
            for episode_id in ids:
                row = repo.get(session, episode_id, full=True)
                if row is None:
                    continue
                self._read_at[row.id] = row.index_generation
                yield (
                    IndexDoc(row.id, row.title, row.transcript),
                    AnnotationDoc(
                        row.id, row.title, row.notes, tuple(t.text for t in row.takeaways),
                        tuple((h.id, h.comment) for h in row.highlights if h.comment),
                    ),
                )
                session.expunge_all()

    def rebuild(self, *, if_needed: bool = False) -> Iterator[tuple[int, int]]:
        """Rebuild the index from SQLite, yielding (done, total); with ``if_needed``, not
        when the index turns out complete once the write lock is ours."""
        from reader.search import IndexUnavailable, SearchIndex

        with self._index_lock:
            try:
                if self._index is None:
                    self._index = SearchIndex.open(self._directory)
                with self._sessions() as session:
                    total = repo.count(session)
                self._read_at = {}
                yield from self._index.rebuild(self.documents(), total, if_needed=if_needed)
            except IndexUnavailable as exc:
                raise LibraryError(f"the search index cannot be rebuilt now ({exc})") from None
            with self._transaction() as session:
                repo.mark_clean(session, self._read_at)
        self._catch_up()

    def sync(self, stale: dict[str, int],
              progress: Callable[[int, int], None] | None = None) -> None:
        """Give the open index what it lacks of these episodes, then mark them clean."""
        if self._index is None or not stale:
            return
        with self._index_lock:
            self._sync_guarded(stale, progress)

    def sync_unless_busy(self, stale: dict[str, int]) -> None:
        """``sync`` for a save: when another thread holds the index (opening or rebuilding
        it, which can take minutes), the save does not wait; the episodes stay marked and
        that thread indexes them once it is done."""
        if self._index is None or not stale:
            return
        with self._missed_lock:  # noted before trying the lock: see _catch_up
            for episode_id, level in stale.items():
                self._missed[episode_id] = max(level, self._missed.get(episode_id, 0))
        if self._index_lock.acquire(blocking=False):
            try:
                self._sync_guarded(self._take_missed())
            finally:
                self._index_lock.release()

    def _take_missed(self) -> dict[str, int]:
        with self._missed_lock:
            missed, self._missed = self._missed, {}
        return missed

    def _catch_up(self) -> None:
        """Index what saves skipped while this thread held the index. Checked after the lock
        is let go: a save that noted an episode after this check finds the lock free."""
        while self._missed:
            with self._index_lock:
                self._sync_guarded(self._take_missed())

    def _sync_guarded(self, stale: dict[str, int],
                      progress: Callable[[int, int], None] | None = None) -> None:
        from reader.search import IndexUnavailable

        if self._index is None or not stale:
            return
        try:
            self._sync_locked(stale, progress)
        except IndexUnavailable:
            # The database has the change; the episodes stay marked and the index
            # catches up when it is next opened or written.
            pass

    def _sync_locked(self, stale: dict[str, int],
                     progress: Callable[[int, int], None] | None = None) -> None:
        assert self._index is not None
        full = [i for i, level in stale.items() if level >= INDEX_ALL]
        annotations_only = [i for i, level in stale.items() if level < INDEX_ALL]
        if len(full) >= BULK_REINDEX:
            # Many new transcripts: a rebuild on both cores beats one long commit.
            for done, total in self.rebuild():
                if progress is not None:
                    progress(done, total)
            return
        self._read_at = {}
        if full:
            for done in self._index.add_or_update_many(self.documents(full)):
                if progress is not None:
                    progress(done, len(full))
        for _doc, annotation_doc in self.documents(annotations_only):
            self._index.update_annotations(annotation_doc)
        with self._transaction() as session:
            repo.mark_clean(session, {i: self._read_at[i] for i in stale if i in self._read_at})
        # Each small commit leaves a segment behind; fold them now and then so searching
        # does not slow down over a long session of typing.
        self._commits_since_merge += 1
        if len(full) > 1 or self._commits_since_merge >= MERGE_EVERY:
            self._index.merge()
            self._commits_since_merge = 0

    def query(self, ask: Callable[[SearchIndex], T]) -> T:
        """Ask the index; one found damaged on the way is rebuilt and asked again.

        With ``readers_wait`` (the window), a reader never opens, checks or rebuilds the
        index (all of which write SQLite): it gets ``IndexNotReady`` until the index thread
        has done so (``index()``), and asks again then.
        """
        from reader.search import IndexUnavailable

        if self.readers_wait:
            ready = self._index
            if ready is None or ready.needs_rebuild:
                raise IndexNotReady("the search index is being prepared")
            try:
                return ask(ready)
            except IndexUnavailable as exc:
                if ready.needs_rebuild:
                    raise IndexNotReady(f"the search index is being rebuilt ({exc})") from None
                raise LibraryError(f"search is unavailable right now ({exc})") from None
        try:
            index = self.index()
        except IndexUnavailable as exc:
            raise LibraryError(f"search is unavailable right now ({exc})") from None
        try:
            return ask(index)
        except IndexUnavailable as exc:
            if not index.needs_rebuild:
                raise LibraryError(f"search is unavailable right now ({exc})") from None
        for _ in self.rebuild():
            pass
        try:
            return ask(index)
        except IndexUnavailable as exc:
            raise LibraryError(f"search is unavailable right now ({exc})") from None
