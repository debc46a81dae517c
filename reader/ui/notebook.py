"""The Notebook tab's behaviour: loading, filtering, opening, copying, exporting and tagging.

GUI-thread object. The items are read on the read runner when the tab is first shown (and
the analysis for free text made there too); afterwards a change report names the episodes
whose items are read again, so a save never reloads the whole library's annotations.
Filtering runs on the GUI thread: for 20,000 items it is a few milliseconds.
"""

from __future__ import annotations

import gc
from itertools import groupby
from operator import attrgetter
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from reader.config import Settings, save_settings
from reader.core.episode import Highlight
from reader.core.tags import hashtags
from reader.export.files import safe_filename
from reader.files import atomic_write
from reader.library import Library
from reader.library.changes import Changes, Part
from reader.library.notebook import HIGHLIGHT, Notebook, NotebookItem, counted, grouped
from reader.ui.widgets.notebook_panel import NotebookPanel
from reader.ui.widgets.tag_edit import TagsDialog
from reader.ui.workers import TaskRunner, describe_error

# What a change must touch for the Notebook to read its episode's items again.
# (Not LIST_COLUMNS: opening an episode or scrolling it reports that, and changes no item.)
NOTEBOOK_PARTS = (Part.HIGHLIGHTS | Part.TAKEAWAYS | Part.NOTES | Part.TAGS | Part.ADDED | Part.REMOVED
                  | Part.TRANSCRIPT)
TYPING_PAUSE_MS = 120


class NotebookController(QObject):
    message = Signal(str)
    open_highlight = Signal(str, int)  # episode id, highlight id
    open_annotation = Signal(str, str, str)  # episode id, "notes" or "takeaways", the words to show
    loaded = Signal()  # the items are in (the first time and after every change)
    highlights_tagged = Signal(object)  # [(episode id, Highlight)] as stored
    exported = Signal(str)  # the note written

    def __init__(self, library: Library, reader: TaskRunner, writer: TaskRunner, panel: NotebookPanel,
                 settings: Settings, window: QWidget) -> None:
        super().__init__(window)
        self._library = library
        self._reader = reader
        self._writer = writer
        self._panel = panel
        self._settings = settings
        self._window = window
        self.notebook: Notebook | None = None
        self._loading = False
        self._stale: set[str] = set()
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.apply)
        panel.filter_changed.connect(self.apply)
        panel.query_edited.connect(self._typing.start)  # filter once a word is typed, not on every key
        panel.item_activated.connect(self.open)
        panel.copy_requested.connect(self.copy_selection)
        panel.export_requested.connect(self.export)
        panel.tag_requested.connect(self.tag_selection)

    # -- loading ------------------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        if self.notebook is None and not self._loading:
            self._loading = True
            self._stale.clear()
            self._reader.submit(self._read_all, on_done=self._on_loaded, on_error=self._on_failed)

    def _read_all(self) -> Notebook:
        """(Read thread.) The Notebook of the whole library. Python's cyclic garbage collector is
        held off while it is built and its objects are frozen out of later collections: a
        full collection set off by its ~150,000 new objects held the GIL, and so the window's
        thread, 100–150 ms (20,000 highlights)."""
        gc.disable()
        try:
            notebook = Notebook(self._library.notebook())
            gc.freeze()
        finally:
            gc.enable()
        return notebook

    def _on_loaded(self, notebook: Notebook) -> None:
        self._loading = False
        self.notebook = notebook
        self._offer_choices()
        self.apply()
        if self._stale:
            self._reload_stale()
        self.loaded.emit()

    def _on_failed(self, error: BaseException) -> None:
        self._loading = False
        self.message.emit(f"The notebook could not be read: {describe_error(error)}")

    def library_changed(self, changes: Changes) -> None:
        touched = changes.touching(NOTEBOOK_PARTS)
        if not touched:
            return
        self._stale.update(touched)
        if self.notebook is not None and not self._loading:
            self._reload_stale()

    def _reload_stale(self) -> None:
        ids = sorted(self._stale)
        self._stale.clear()
        self._loading = True
        self._reader.submit(self._library.notebook, ids,
                            on_done=lambda items: self._on_part_loaded(ids, items), on_error=self._on_failed)

    def _on_part_loaded(self, ids: list[str], items: list[NotebookItem]) -> None:
        self._loading = False
        assert self.notebook is not None
        self.notebook.replace(ids, items)
        self._offer_choices()
        self.apply()
        if self._stale:
            self._reload_stale()
        self.loaded.emit()

    def _offer_choices(self) -> None:
        assert self.notebook is not None
        self._panel.set_tags(self.notebook.tags())
        episodes = []  # the items come in episode order: one entry a run
        for episode_id, run in groupby(self.notebook.items, key=attrgetter("episode_id")):
            members = list(run)
            episodes.append((episode_id, members[0].title, len(members)))
        self._panel.set_episodes(sorted(episodes, key=lambda e: e[1].casefold()))

    # -- filtering ------------------------------------------------------------------------------
    def apply(self) -> None:
        self._typing.stop()
        if self.notebook is None:
            return
        items = self.notebook.filtered(self._panel.current_filter())
        self._panel.show_groups(grouped(items, self._panel.grouping()), len(self.notebook.items))

    # -- acting on items --------------------------------------------------------------------------
    def open(self, item: NotebookItem) -> None:
        if item.kind == HIGHLIGHT:
            self.open_highlight.emit(item.episode_id, item.ref)
        elif item.kind == "takeaway":
            self.open_annotation.emit(item.episode_id, "takeaways", item.text)
        else:
            self.open_annotation.emit(item.episode_id, "notes", item.text.split("\n")[0].strip())

    def copy_selection(self) -> None:
        items = self._panel.selected_items()
        if not items:
            self.message.emit("Select items to copy first")
            return
        self._reader.submit(lambda: self._library.notebook_markdown(items, title=None),
                            on_done=lambda text: self._on_copied(text, items), on_error=self._on_error)

    def _on_copied(self, text: str, items: list[NotebookItem]) -> None:
        QGuiApplication.clipboard().setText(text)
        self.message.emit(f"Copied {counted(items)} as Markdown")

    def export(self) -> None:
        items = self._panel.selected_items() or self._panel.shown_items()
        if not items:
            self.message.emit("Nothing to export: the notebook shows no items")
            return
        described = self._panel.current_filter().describe()
        title = f"Notebook: {described}" if described else "Notebook"
        start = Path(self._settings.export_folder or Path.home()) / safe_filename(title)
        target, _ = QFileDialog.getSaveFileName(self._window, "Export the notebook as one note", str(start),
                                                "Markdown notes (*.md)")
        if not target:
            return
        path = Path(target)
        self._settings.export_folder = str(path.parent)
        save_settings(self._settings)
        by = self._panel.grouping()
        self._reader.submit(lambda: self._write_note(items, title, by, path),
                            on_done=lambda written: self._on_exported(written, items), on_error=self._on_error)

    def _on_exported(self, path: Path, items: list[NotebookItem]) -> None:
        self.message.emit(f"Exported {counted(items)} to {path}")
        self.exported.emit(str(path))

    def _write_note(self, items: list[NotebookItem], title: str, by: str, path: Path) -> Path:
        atomic_write(path, self._library.notebook_markdown(items, title=title, by=by))
        return path

    def tag_selection(self) -> None:
        items = self._panel.selected_items()
        highlights = [i for i in items if i.kind == HIGHLIGHT]
        if not highlights:
            self.message.emit("Select highlights to tag; takeaways and Notes carry the #tags typed in them")
            return
        known = [t for t, _ in self.notebook.tags()] if self.notebook is not None else []
        others = len(items) - len(highlights)
        explanation = (f"Tags to add to {counted(highlights)}"
                       + (f" (the {others} other item{'s' if others != 1 else ''} selected carry the #tags "
                          "typed in them)" if others else "")
                       + ". Separate tags with spaces.")
        dialog = TagsDialog("Tag highlights", explanation, [], known, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: self._tag(highlights, dialog.chosen()))
        dialog.open()

    def _tag(self, highlights: list[NotebookItem], tags: list[str]) -> None:
        if not tags:
            return
        pairs = [(i.episode_id, i.ref) for i in highlights]
        self._writer.submit(self._library.tag_highlights, pairs, tags,
                            on_done=lambda done: self._on_tagged(pairs, done, tags), on_error=self._on_error)

    def _on_tagged(self, pairs: list[tuple[str, int]], done: list[Highlight], tags: list[str]) -> None:
        episodes = {h: e for e, h in pairs}
        self.highlights_tagged.emit([(episodes[h.id], h) for h in done if h.id in episodes])
        self.message.emit(f"Tagged {len(done)} highlight{'s' if len(done) != 1 else ''} {hashtags(tags)}")

    def _on_error(self, error: BaseException) -> None:
        self.message.emit(describe_error(error))
