"""Removing an episode whose note is gone from disk: the list's context menu and File menu.

GUI-thread object; the delete runs on the window's write runner after the user confirmed.
Episodes whose source file is missing can be removed here, and the bundled samples (they
are never imported again once the library exists); one whose note is still on disk would
come straight back at the next refresh, so the menu says that instead.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from reader.library import EpisodeSummary, Library
from reader.ui.autosave import AutoSaver
from reader.ui.widgets.episode_list import SUMMARY_ROLE, EpisodeListPanel
from reader.ui.workers import TaskRunner, describe_error

REMOVE_TEXT = "&Remove from library…"


def removable(summary: EpisodeSummary) -> bool:
    return summary.source_missing or summary.sample


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
        can = summary is not None and removable(summary)
        # Disabled, the entry says why: a greyed-out item with no reason is a dead end.
        remove = menu.addAction(REMOVE_TEXT.replace("&", "") if can or summary is None
                                else "Remove from library (its note is still on disk)")
        remove.setObjectName("remove_episode")
        remove.setEnabled(can)
        if summary is not None and not can:
            remove.setToolTip(f"Delete or move {summary.source_path} first; "
                              "an episode whose note is on disk comes back at the next refresh")
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
        elif not removable(summary):
            self.message.emit(f"“{summary.title}” still has its note on disk "
                              f"({summary.source_path}); only episodes whose note is gone can be removed")
        else:
            self.confirm(summary)

    def confirm(self, summary: EpisodeSummary) -> None:
        """Asks first (window-modal, no event loop of its own); Remove deletes the episode."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Remove from library",
                          f"Remove “{summary.title}” from the library?",
                          QMessageBox.StandardButton.Cancel, self._window)
        where = ("It is one of the bundled samples; no file of yours is touched."
                 if not summary.source_missing else f"Its note is gone from disk ({summary.source_path}).")
        box.setInformativeText(
            f"{where} The transcript, notes, takeaways and highlights kept in the library go with "
            "it; this cannot be undone. Export the episode first to keep a copy.")
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
