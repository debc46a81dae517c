"""Saves annotations shortly after typing stops; there is no Save button.

Edits collapse per (episode, kind): only the newest value is written. The write runs on the
window's single write runner, so saves keep their order and never overlap an import.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from reader.library import Library, RelatedLink
from reader.ui.workers import TaskRunner, describe_error

# Typing pauses this long before a save starts; with the write itself well under half a
# second, a note is in SQLite within a second after typing stops.
SAVE_DELAY_MS = 350


class AutoSaver(QObject):
    """GUI-thread object. ``saved`` carries a status message; ``failed`` an error message."""

    saved = Signal(str)
    failed = Signal(str)
    pending_changed = Signal(bool)

    def __init__(self, library: Library, writer: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._writer = writer
        self._pending: dict[tuple[str, str], Any] = {}
        # Values handed to the writer and not yet confirmed, so a reload sees the newest.
        self._writing: dict[tuple[str, str], Any] = {}
        self._in_flight = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)

    @property
    def idle(self) -> bool:
        return not self._pending and self._in_flight == 0

    def notes_changed(self, episode_id: str, text: str) -> None:
        self._schedule(episode_id, "notes", text)

    def takeaways_changed(self, episode_id: str, items: list[str]) -> None:
        self._schedule(episode_id, "takeaways", list(items))

    def related_changed(self, episode_id: str, links: list[RelatedLink]) -> None:
        self._schedule(episode_id, "related", list(links))

    def _schedule(self, episode_id: str, kind: str, value: Any) -> None:
        self._pending[(episode_id, kind)] = value
        self._timer.start()
        self.pending_changed.emit(True)

    def flush(self) -> None:
        """Starts writing everything pending now (e.g. before switching episode or closing)."""
        self._timer.stop()
        pending, self._pending = self._pending, {}
        for key, value in pending.items():
            episode_id, kind = key
            self._in_flight += 1
            self._writing[key] = value
            self._writer.submit(self._writer_for(kind), episode_id, value,
                                on_done=lambda _r, k=key, v=value: self._on_write_done(k, v),
                                on_error=lambda e, k=key, v=value: self._on_write_error(k, v, e))

    def unsaved(self, episode_id: str) -> dict[str, Any]:
        """Values of ``episode_id`` newer than what SQLite may hold yet, by kind."""
        newest = {kind: value for (eid, kind), value in self._writing.items() if eid == episode_id}
        newest.update({kind: value for (eid, kind), value in self._pending.items() if eid == episode_id})
        return newest

    def _forget(self, key: tuple[str, str], value: Any) -> None:
        if key in self._writing and self._writing[key] is value:
            del self._writing[key]

    def _writer_for(self, kind: str) -> Callable[[str, Any], None]:
        return {"notes": self._library.set_notes, "takeaways": self._library.set_takeaways,
                "related": self._library.set_related}[kind]

    def _on_write_done(self, key: tuple[str, str], value: Any) -> None:
        self._in_flight -= 1
        self._forget(key, value)
        kind = key[1]
        what = {"notes": "Notes", "takeaways": "Takeaways", "related": "Related"}[kind]
        self.saved.emit(f"{what} saved at {datetime.now():%H:%M:%S}")
        if self.idle:
            self.pending_changed.emit(False)

    def _on_write_error(self, key: tuple[str, str], value: Any, error: BaseException) -> None:
        self._in_flight -= 1
        self._forget(key, value)
        self.failed.emit(f"Not saved: {describe_error(error)}")
        if self.idle:
            self.pending_changed.emit(False)
