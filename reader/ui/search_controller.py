"""Searching off the GUI thread: debounced, and results of outdated requests dropped.

Each request takes a generation number; a newer request makes older ones stale, and a stale
request is skipped before it starts and dropped if it finishes anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from reader.library import IndexNotReady, Library
from reader.ui.workers import TaskRunner, describe_error

SEARCH_DELAY_MS = 220
FIND_DELAY_MS = 150


class IndexGate(QObject):
    """Has the index runner open (or rebuild) the search index; searches that found it not
    ready yet wait here and run again once it is. GUI-thread object."""

    failed = Signal(str)

    def __init__(self, library: Library, indexer: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._indexer = indexer
        self._waiting: list[Callable[[], None]] = []
        self._preparing = False

    def prepare(self) -> None:
        if not self._preparing:
            self._preparing = True
            self._indexer.submit(self._library.prepare_index, on_done=self._on_ready,
                                on_error=self._on_failed)

    def when_ready(self, retry: Callable[[], None]) -> None:
        self._waiting.append(retry)
        self.prepare()

    def _on_ready(self, _result: object) -> None:
        self._preparing = False
        waiting, self._waiting = self._waiting, []
        for retry in waiting:
            retry()

    def _on_failed(self, error: BaseException) -> None:
        self._preparing = False
        self._waiting = []
        self.failed.emit(describe_error(error))


class _Latest(QObject):
    """Runs the newest of a stream of requests on ``runner``; drops the rest. A request
    that finds the index not ready runs again when the gate says it is."""

    def __init__(self, runner: TaskRunner, gate: IndexGate | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._gate = gate
        self.generation = 0

    def run(self, work: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[str], None]) -> None:
        self.generation += 1
        mine = self.generation

        def task() -> Any:  # worker thread: skip work nobody waits for any more
            return work() if mine == self.generation else None

        def done(result: Any) -> None:
            if mine == self.generation and result is not None:
                on_done(result)

        def failed(error: BaseException) -> None:
            if mine != self.generation:
                return
            if isinstance(error, IndexNotReady) and self._gate is not None:
                self._gate.when_ready(
                    lambda: self.run(work, on_done, on_error) if mine == self.generation else None)
            else:
                on_error(describe_error(error))

        self._runner.submit(task, on_done=done, on_error=failed)

    def cancel(self) -> None:
        self.generation += 1


class LibrarySearch(QObject):
    """Ranked results across the library as the user types."""

    results_ready = Signal(object)  # SearchResults, or None when the query was cleared
    failed = Signal(str)

    def __init__(self, library: Library, reader: TaskRunner, gate: IndexGate | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._latest = _Latest(reader, gate, self)
        self._query = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def query_edited(self, query: str) -> None:
        self._query = query
        self._timer.start()

    def search_now(self, query: str) -> None:
        self._query = query
        self._timer.stop()
        self._on_timer_timeout()

    def _on_timer_timeout(self) -> None:
        query = self._query.strip()
        if not query:
            self._latest.cancel()
            self.results_ready.emit(None)  # nothing to search: clear the results
            return
        self._latest.run(lambda: self._library.search(query), self.results_ready.emit,
                         self.failed.emit)


class EpisodeHits(QObject):
    """Hit ranges in the open episode: from the index (stemmed) or a plain find."""

    hits_ready = Signal(str, object, int)  # episode id, [(start, end)], preferred offset
    failed = Signal(str)

    def __init__(self, library: Library, reader: TaskRunner, gate: IndexGate | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._latest = _Latest(reader, gate, self)
        self._pending: tuple[str, str, int] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FIND_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def find_edited(self, text: str, episode_id: str, from_offset: int) -> None:
        """Plain find as the user types (debounced)."""
        self._pending = (text, episode_id, from_offset)
        self._timer.start()

    def index_hits(self, query: str, episode_id: str, best_offset: int) -> None:
        """Every hit of a library query in this episode, as the index analyses it."""
        self._timer.stop()
        self._pending = None
        self._latest.run(lambda: self._library.hits(query, episode_id),
                         lambda ranges: self.hits_ready.emit(episode_id, ranges, best_offset),
                         self.failed.emit)

    def cancel(self) -> None:
        self._timer.stop()
        self._pending = None
        self._latest.cancel()

    def _on_timer_timeout(self) -> None:
        if self._pending is None:
            return
        text, episode_id, offset = self._pending
        self._pending = None
        if not text.strip():
            self._latest.cancel()
            self.hits_ready.emit(episode_id, [], -1)
            return
        self._latest.run(lambda: self._library.find_in_episode(text, episode_id),
                         lambda ranges: self.hits_ready.emit(episode_id, ranges, offset),
                         self.failed.emit)
