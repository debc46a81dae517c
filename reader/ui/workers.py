"""Background work whose results come back to the GUI thread through signals.

The window owns two runners: one *write* runner (a single thread: SQLite and Whoosh each allow
one writer, and queued saves keep their order) and one *read* runner for search, hit ranges and
loading episodes, so reading never waits behind an import.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]

# The runners' work is mostly pure Python (Whoosh, SQLAlchemy) and holds the GIL; the GUI thread
# then waits up to the switch interval for every hand-over, and painting a transcript hands over
# once per Python callback (highlighter, delegates). Measured with suggestions computing behind
# an open (benchmarks/bench_window.py): 5 ms (CPython's default) → opening a 60 KB episode
# 35-60 ms, 600 KB 97-105 ms; 1 ms → 25-31 ms and 61-72 ms. Background work slows by ~1 %.
GUI_SWITCH_INTERVAL_S = 0.001


def share_gil_with_gui() -> None:
    """Makes background threads hand the GIL back to the GUI thread sooner (process-wide)."""
    if sys.getswitchinterval() > GUI_SWITCH_INTERVAL_S:
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


@dataclass
class _Outcome:
    result: Any
    error: BaseException | None
    on_done: Callback | None
    on_error: Callable[[BaseException], None] | None


class TaskRunner(QObject):
    """Runs callables one at a time on its own thread.

    ``submit`` may be called from the GUI thread only; ``on_done``/``on_error`` run on the GUI
    thread. ``busy_changed`` tells whether work is queued or running.
    """

    busy_changed = Signal(bool)
    _finished = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        share_gil_with_gui()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._pending = 0
        self._closed = False
        self._finished.connect(self._on_finished)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def submit(self, function: Callable[..., Any], *args: Any, on_done: Callback | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> Future[Any] | None:
        if self._closed:
            return None
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        future = self._executor.submit(function, *args)
        future.add_done_callback(lambda f: self._report(f, on_done, on_error))
        return future

    def _report(self, future: Future[Any], on_done: Callback | None,
                on_error: Callable[[BaseException], None] | None) -> None:
        """Runs on the worker thread: hand the outcome to the GUI thread."""
        error = future.exception()
        outcome = _Outcome(None if error else future.result(), error, on_done, on_error)
        try:
            self._finished.emit(outcome)
        except RuntimeError:  # the runner was deleted while the task ran
            pass

    @Slot(object)
    def _on_finished(self, outcome: _Outcome) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        if outcome.error is not None:
            if outcome.on_error is not None:
                outcome.on_error(outcome.error)
            else:
                log.error("background task failed", exc_info=outcome.error)
        elif outcome.on_done is not None:
            outcome.on_done(outcome.result)

    def shutdown(self) -> None:
        """Waits for queued work to finish (the GUI thread blocks; call on close only)."""
        self._closed = True
        self._executor.shutdown(wait=True)


class ProgressRelay(QObject):
    """Carries progress reports from a worker thread to the GUI thread.

    ``report`` may be called from any thread; ``cancelled`` is read by the worker.
    """

    progressed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()

    def report(self, *values: Any) -> None:
        self.progressed.emit(values[0] if len(values) == 1 else values)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()


def describe_error(error: BaseException) -> str:
    """One line a user can read: our LibraryError messages as they are, others with their kind."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if type(error).__module__.startswith("reader."):
        return message or type(error).__name__
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
