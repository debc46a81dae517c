"""Saves annotations shortly after typing stops; there is no Save button.

Edits collapse per (episode, part): only the newest value is written. The write runs on the
window's single write runner, so saves keep their order and never overlap an import.

A save names what it was edited from (the Notes as read, the list items with their row
versions), so what another writer stored meanwhile is merged, never overwritten; the
answer (``notes_saved``, ``list_saved``) carries what is stored now, to show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from reader.library import EpisodeView, Library
from reader.library.edits import ListTracker, NotesTracker
from reader.library.values import ListSaved, NotesSaved, RelatedLink, TakeawayItem
from reader.ui.workers import TaskRunner, describe_error

# Typing pauses this long before a save starts; with the write itself well under half a
# second, a note is in SQLite within a second after typing stops.
SAVE_DELAY_MS = 350


class Part(Enum):
    NOTES = "Notes"
    TAKEAWAYS = "Takeaways"
    RELATED = "Related"


def _takeaway_value(item: object) -> object:
    assert isinstance(item, TakeawayItem)
    return item.text


def _related_value(link: object) -> object:
    assert isinstance(link, RelatedLink)
    return (link.text, link.episode_id)


class AutoSaver(QObject):
    """GUI-thread object. ``saved`` carries a status message; ``failed`` an error message."""

    saved = Signal(str)
    failed = Signal(str)
    pending_changed = Signal(bool)
    notes_saved = Signal(str, str, object)  # episode id, the text sent, NotesSaved
    list_saved = Signal(str, object, object)  # episode id, Part, ListSaved

    def __init__(self, library: Library, writer: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._writer = writer
        self._pending: dict[tuple[str, Part], Any] = {}
        # Notes handed to the writer and not yet confirmed, so a reload shows the newest.
        self._writing: dict[str, tuple[int, str]] = {}
        self._in_flight = 0
        self._sequence = 0  # notes saves submitted
        self._notes_base: dict[str, tuple[str, int]] = {}  # Notes as read, and after which save
        # Used on the write thread only (inside the submitted tasks).
        self._list_trackers: dict[tuple[str, Part], ListTracker] = {}
        self._notes_trackers: dict[str, NotesTracker] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)

    @property
    def idle(self) -> bool:
        return not self._pending and self._in_flight == 0

    def episode_loaded(self, episode: EpisodeView) -> str:
        """The Notes to show for a freshly read episode: typing not yet stored wins."""
        pending = self._pending.get((episode.id, Part.NOTES))
        if pending is not None:
            return str(pending)
        if episode.id in self._writing:
            return self._writing[episode.id][1]
        self._notes_base[episode.id] = (episode.notes, self._sequence)
        return episode.notes

    def notes_changed(self, episode_id: str, text: str) -> None:
        self._schedule(episode_id, Part.NOTES, text)

    def takeaways_changed(self, episode_id: str, state: tuple[dict[int, Any], list[Any]]) -> None:
        self._schedule(episode_id, Part.TAKEAWAYS, state)

    def related_changed(self, episode_id: str, state: tuple[dict[int, Any], list[Any]]) -> None:
        self._schedule(episode_id, Part.RELATED, state)

    def _schedule(self, episode_id: str, part: Part, value: Any) -> None:
        self._pending[(episode_id, part)] = value
        self._timer.start()
        self.pending_changed.emit(True)

    def flush(self) -> None:
        """Starts writing everything pending now (e.g. before switching episode or closing)."""
        self._timer.stop()
        pending, self._pending = self._pending, {}
        for (episode_id, part), value in pending.items():
            self._in_flight += 1
            if part is Part.NOTES:
                self._submit_notes(episode_id, value)
            else:
                self._submit_list(episode_id, part, value)

    def _submit_notes(self, episode_id: str, text: str) -> None:
        self._sequence += 1
        sequence = self._sequence
        base, base_sequence = self._notes_base.get(episode_id, (None, 0))
        tracker = self._notes_trackers.setdefault(episode_id, NotesTracker())
        self._writing[episode_id] = (sequence, text)

        def write() -> NotesSaved:  # on the write runner
            return tracker.save(lambda t, b: self._library.set_notes(episode_id, t, base=b),
                                text, base, base_sequence, sequence)

        self._writer.submit(write, on_done=lambda saved: self._on_notes_done(episode_id, text, sequence, saved),
                            on_error=lambda e: self._on_write_error(episode_id, e, sequence))

    def _submit_list(self, episode_id: str, part: Part, state: tuple[dict[int, Any], list[Any]]) -> None:
        seen, drafts = state
        tracker = self._list_trackers.setdefault((episode_id, part), ListTracker())
        save: Callable[..., ListSaved] = (self._library.save_takeaways if part is Part.TAKEAWAYS
                                          else self._library.save_related)
        value_of = _takeaway_value if part is Part.TAKEAWAYS else _related_value

        def write() -> ListSaved:  # on the write runner
            return tracker.save(lambda known, resolved: save(episode_id, known, resolved),
                                seen, drafts, value_of)

        self._writer.submit(write, on_done=lambda saved: self._on_list_done(episode_id, part, saved),
                            on_error=lambda e: self._on_write_error(episode_id, e))

    def _on_notes_done(self, episode_id: str, text: str, sequence: int, saved: NotesSaved) -> None:
        if self._writing.get(episode_id, (0, ""))[0] == sequence:
            del self._writing[episode_id]
        if sequence > self._notes_base.get(episode_id, ("", -1))[1]:
            self._notes_base[episode_id] = (saved.text, sequence)
        self.notes_saved.emit(episode_id, text, saved)
        self._done(Part.NOTES)

    def _on_list_done(self, episode_id: str, part: Part, saved: ListSaved) -> None:
        self.list_saved.emit(episode_id, part, saved)
        self._done(part)

    def _done(self, part: Part) -> None:
        self._in_flight -= 1
        self.saved.emit(f"{part.value} saved at {datetime.now():%H:%M:%S}")
        if self.idle:
            self.pending_changed.emit(False)

    def _on_write_error(self, episode_id: str, error: BaseException, sequence: int = -1) -> None:
        self._in_flight -= 1
        if sequence >= 0 and self._writing.get(episode_id, (0, ""))[0] == sequence:
            del self._writing[episode_id]
        self.failed.emit(f"Not saved: {describe_error(error)}")
        if self.idle:
            self.pending_changed.emit(False)
