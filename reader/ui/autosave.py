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

from PySide6.QtCore import QObject, QTimer, Signal

from reader.library import Library
from reader.library.changes import Part
from reader.library.edits import ListTracker, NotesTracker
from reader.library.open_episode import ListEdit, ListState, NotesEdit, OpenEpisode
from reader.library.values import ListSaved, NotesSaved, RelatedLink, SavedOffline, TakeawayItem
from reader.ui.workers import TaskRunner, describe_error

# Typing pauses this long before a save starts; with the write itself well under half a
# second, a note is in SQLite within a second after typing stops.
SAVE_DELAY_MS = 350

PART_NAMES = {Part.NOTES: "Notes", Part.TAKEAWAYS: "Takeaways", Part.RELATED: "Related"}


def _takeaway_value(item: object) -> object:
    assert isinstance(item, TakeawayItem)
    return item.text


def _related_value(link: object) -> object:
    assert isinstance(link, RelatedLink)
    return (link.text, link.episode_id)


class AutoSaver(QObject):
    """GUI-thread object. ``saved`` carries a status message; ``failed`` an error message.

    What is unsaved lives in the open-episode model (``OpenEpisode``), not here: the edits are
    recorded there as the user makes them, and taken from there when the timer fires."""

    saved = Signal(str)
    failed = Signal(str)
    pending_changed = Signal(bool)
    notes_saved = Signal(str, str, object)  # episode id, the text sent, NotesSaved
    list_saved = Signal(str, object, object)  # episode id, Part, ListSaved

    def __init__(self, library: Library, writer: TaskRunner, open_episode: OpenEpisode,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._writer = writer
        self._open = open_episode
        self._in_flight = 0
        # Used on the write thread only (inside the submitted tasks).
        self._list_trackers: dict[tuple[str, Part], ListTracker] = {}
        self._notes_trackers: dict[str, NotesTracker] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)

    @property
    def idle(self) -> bool:
        return not self._open.unsaved and self._in_flight == 0

    def notes_changed(self, text: str) -> None:
        self._open.edit_notes(text)
        self._edited()

    def takeaways_changed(self, texts: list[str], state: ListState) -> None:
        self._open.edit_takeaways(texts, state)
        self._edited()

    def related_changed(self, links: list[RelatedLink], state: ListState) -> None:
        self._open.edit_related(links, state)
        self._edited()

    def _edited(self) -> None:
        if self._open.unsaved:
            self._timer.start()
            self.pending_changed.emit(True)

    def flush(self) -> None:
        """Starts writing everything unsaved now (e.g. before switching episode or closing)."""
        self._timer.stop()
        for edit in self._open.take_unsaved():
            self._in_flight += 1
            if isinstance(edit, NotesEdit):
                self._submit_notes(edit)
            else:
                self._submit_list(edit)

    def _submit_notes(self, edit: NotesEdit) -> None:
        tracker = self._notes_trackers.setdefault(edit.episode_id, NotesTracker())
        episode_id = edit.episode_id

        def write() -> NotesSaved:  # on the write runner
            return tracker.save(lambda t, b: self._library.set_notes(episode_id, t, base=b),
                                edit.text, edit.base, edit.base_sequence, edit.sequence)

        self._writer.submit(write, on_done=lambda saved: self._on_notes_done(edit, saved),
                            on_error=lambda e: self._on_write_error(e, edit))

    def _submit_list(self, edit: ListEdit) -> None:
        seen, drafts = edit.state
        episode_id, part = edit.episode_id, edit.part
        tracker = self._list_trackers.setdefault((episode_id, part), ListTracker())
        save: Callable[..., ListSaved] = (self._library.save_takeaways if part is Part.TAKEAWAYS
                                          else self._library.save_related)
        value_of = _takeaway_value if part is Part.TAKEAWAYS else _related_value

        def write() -> ListSaved:  # on the write runner
            return tracker.save(lambda known, resolved: save(episode_id, known, resolved),
                                seen, drafts, value_of)

        self._writer.submit(write, on_done=lambda saved: self._on_list_done(edit, saved),
                            on_error=lambda e: self._on_write_error(e))

    def _on_notes_done(self, edit: NotesEdit, saved: NotesSaved) -> None:
        self._open.notes_stored(edit, saved)
        self.notes_saved.emit(edit.episode_id, edit.text, saved)
        self._done(Part.NOTES)

    def _on_list_done(self, edit: ListEdit, saved: ListSaved) -> None:
        self.list_saved.emit(edit.episode_id, edit.part, saved)
        self._done(edit.part)

    def _done(self, part: Part) -> None:
        self._in_flight -= 1
        self.saved.emit(f"{PART_NAMES[part]} saved at {datetime.now():%H:%M:%S}")
        if self.idle:
            self.pending_changed.emit(False)

    def _on_write_error(self, error: BaseException, edit: NotesEdit | None = None) -> None:
        self._in_flight -= 1
        if edit is not None:
            self._open.notes_not_stored(edit)
        if isinstance(error, SavedOffline):
            self.saved.emit("Kept on this computer: the team library's server does not answer")
        else:
            self.failed.emit(f"Not saved: {describe_error(error)}")
        if self.idle:
            self.pending_changed.emit(False)
