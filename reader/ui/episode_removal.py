"""Removing an episode whose note is gone from disk: the list's context menu and File menu.

GUI-thread object; the delete runs on the window's write runner after the user confirmed.
Only episodes whose source file is missing can be removed here: one whose note is still in a
watched folder would come straight back at the next refresh.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from reader.library import EpisodeSummary, Library
from reader.ui.autosave import AutoSaver
from reader.ui.widgets.episode_list import SUMMARY_ROLE, EpisodeListPanel
from reader.ui.workers import TaskRunner, describe_error

REMOVE_TEXT = "&Remove from library…"


class EpisodeRemoval(QObject):
    removed = Signal(str)  # the episode id, after SQLite and the index dropped it
    message = Signal(str)

    def __init__(self, library: Library, writer: TaskRunner, autosaver: AutoSaver,
                 panel: EpisodeListPanel, window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._writer = writer
        self._autosaver = autosaver
        self._panel = panel
        self._window = window
        panel.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        panel.view.customContextMenuRequested.connect(self._on_view_custom_context_menu_requested)

    def context_menu(self, position: QPoint) -> QMenu:
        """The list's context menu for the row at ``position`` (viewport coordinates)."""
        index = self._panel.view.indexAt(position)
        summary: EpisodeSummary | None = index.data(SUMMARY_ROLE) if index.isValid() else None
        menu = QMenu(self._panel.view)
        remove = menu.addAction(REMOVE_TEXT.replace("&", ""))
        remove.setObjectName("remove_episode")
        remove.setEnabled(summary is not None and summary.source_missing)
        if summary is not None and not summary.source_missing:
            remove.setToolTip("Only episodes whose note is gone from disk can be removed")
        menu.setToolTipsVisible(True)
        if summary is not None:
            remove.triggered.connect(lambda _checked=False, s=summary: self.confirm(s))
        return menu

    def _on_view_custom_context_menu_requested(self, position: QPoint) -> None:
        if not self._panel.view.indexAt(position).isValid():
            return  # below the last row: nothing to act on
        menu = self.context_menu(position)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        menu.popup(self._panel.view.viewport().mapToGlobal(position))

    def remove_current(self) -> None:
        """The File menu's action: the episode current in the list."""
        index = self._panel.view.currentIndex()
        summary: EpisodeSummary | None = index.data(SUMMARY_ROLE) if index.isValid() else None
        if summary is None:
            self.message.emit("Choose an episode in the list first")
        elif not summary.source_missing:
            self.message.emit(f"“{summary.title}” still has its note on disk "
                              f"({summary.source_path}); only episodes whose note is gone can be removed")
        else:
            self.confirm(summary)

    def confirm(self, summary: EpisodeSummary) -> None:
        """Asks first (window-modal, no event loop of its own); Remove deletes the episode."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Remove from library",
                          f"Remove “{summary.title}” from the library?",
                          QMessageBox.StandardButton.Cancel, self._window)
        box.setInformativeText(
            f"Its note is gone from disk ({summary.source_path}). The transcript, notes, "
            "takeaways and highlights kept in the library go with it; this cannot be undone. "
            "Export the episode first to keep a copy.")
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(
            lambda button: self.remove(summary.id, summary.title) if button is remove else None)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()

    def remove(self, episode_id: str, title: str) -> None:
        self._autosaver.flush()  # queued saves of this episode land first, then go with it
        self._writer.submit(self._library.delete_episode, episode_id,
                            on_done=lambda _r: self._on_deleted(episode_id, title),
                            on_error=lambda error: self.message.emit(f"Not removed: {describe_error(error)}"))

    def _on_deleted(self, episode_id: str, title: str) -> None:
        self.message.emit(f"Removed “{title}” from the library")
        self.removed.emit(episode_id)
