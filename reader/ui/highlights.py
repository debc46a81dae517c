"""Highlights of the open episode: create, recolour, comment, delete/undo and promote.

GUI-thread object. The highlights themselves live in the open-episode model
(``OpenEpisode``), which the session loads; this object changes them there, and in the
view and the list, once a write is done. Every write runs on the window's single write runner, so highlight writes
keep their order with the autosaved notes and takeaways. The transcript and the list change
when a write is done, and only if that episode is still open: a write that finishes after the
user came back to the episode still lands in the view, and an episode loaded while a write was
in flight converges when the write reports.

Undo of a delete adds the highlight again (same place, colour and comment; a new id).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from reader.core.episode import DEFAULT_COLOUR, Highlight, TakeawayItem
from reader.library import EditConflict, EpisodeView, Library, SavedOffline
from reader.library.open_episode import OpenEpisode
from reader.ui.autosave import AutoSaver
from reader.ui.widgets.dialogs import CommentDialog
from reader.ui.widgets.highlight_list import HighlightList
from reader.ui.widgets.tag_edit import TagsDialog
from reader.ui.widgets.transcript_view import TranscriptView
from reader.ui.workers import TaskRunner, describe_error

if TYPE_CHECKING:  # reader.search imports Whoosh: keep it off the start-up path
    from reader.search import SearchResult

_WORD = re.compile(r"\S+")


def comment_highlight_id(result: SearchResult) -> int | None:
    """The highlight to open a search result at: its best snippet is a highlight comment, or
    the query matched no transcript words but a comment."""
    comment = next((s for s in result.snippets if s.field == "comment" and s.highlight_id is not None),
                   None)
    if comment is None:
        return None
    if result.snippets[0] is comment or result.best_offset < 0:
        return comment.highlight_id
    return None


class HighlightController(QObject):
    saved = Signal(str)  # "Highlight saved at …" for the status bar's saved label
    message = Signal(str)
    undo_available = Signal(bool)
    takeaway_promoted = Signal(object)  # the new TakeawayItem, already in SQLite
    episode_requested = Signal(str)  # open this episode (to show a highlight in it)

    def __init__(self, library: Library, writer: TaskRunner, autosaver: AutoSaver,
                 open_episode: OpenEpisode, view: TranscriptView, highlight_list: HighlightList,
                 window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._writer = writer
        self._autosaver = autosaver
        self._view = view
        self._list = highlight_list
        self._window = window
        self._open = open_episode
        # Undo stack of the open episode: the highlight and the takeaways linked to it.
        self._deleted: list[tuple[Highlight, list[int]]] = []
        self._undo_of: str | None = None  # the episode the undo stack is for
        self._target: tuple[str, int] | None = None  # (episode, highlight) to show once open
        view.highlight_requested.connect(self._on_view_highlight_requested)
        view.highlight_with_comment_requested.connect(self._on_view_highlight_with_comment_requested)
        view.highlight_clicked.connect(self._list.select)
        view.comment_edit_requested.connect(self._on_list_comment_edit_requested)
        view.colour_change_requested.connect(self._on_list_colour_change_requested)
        view.promote_requested.connect(self._on_list_promote_requested)
        view.delete_requested.connect(self.delete)
        highlight_list.activated.connect(self.show)
        highlight_list.comment_edit_requested.connect(self._on_list_comment_edit_requested)
        highlight_list.colour_change_requested.connect(self._on_list_colour_change_requested)
        highlight_list.delete_requested.connect(self.delete)
        highlight_list.promote_requested.connect(self._on_list_promote_requested)
        highlight_list.undo_requested.connect(self.undo_delete)
        highlight_list.resize_requested.connect(self.resize_by_words)
        highlight_list.tags_edit_requested.connect(self.edit_tags)
        # Calls back with the library's tags, to complete from (the window reads them off this thread).
        self.with_known_tags: Callable[[Callable[[list[str]], None]], None] = lambda then: then([])

    # -- the open episode ---------------------------------------------------------------------
    def load(self, episode: EpisodeView) -> None:
        """Shows the episode's highlights (connected to the session's ``episode_opened``)."""
        if self._undo_of != episode.id:
            self._undo_of = episode.id
            self._deleted = []
            self.undo_available.emit(False)
        self._view.set_highlights(episode.highlights)
        self._list.load(episode.highlights)
        if self._target is not None and self._target[0] == episode.id:
            highlight_id = self._target[1]
            self._target = None
            self.show(highlight_id)

    def highlights(self) -> list[Highlight]:
        return self._open.highlights()

    def find(self, highlight_id: int) -> Highlight | None:
        return self._open.highlight(highlight_id)

    @property
    def _episode(self) -> EpisodeView | None:
        return self._open.episode

    def open_at(self, episode_id: str, highlight_id: int) -> None:
        """Opens ``episode_id`` scrolled to the highlight, selected in the list."""
        if self._episode is not None and self._episode.id == episode_id:
            self.show(highlight_id)
        else:
            self._target = (episode_id, highlight_id)
            self.episode_requested.emit(episode_id)

    def show(self, highlight_id: int) -> None:
        highlight = self.find(highlight_id)
        if highlight is None:
            self.message.emit("That highlight is no longer there")
            return
        self._list.select(highlight_id)
        if highlight.orphan:
            self.message.emit("This highlight's passage is no longer in the transcript")
        else:
            self._view.show_highlight(highlight)

    # -- writes ----------------------------------------------------------------------------------
    def add(self, start: int, end: int, colour: str, comment: str = "") -> None:
        if self._episode is None:
            return
        self._submit(self._library.add_highlight, self._episode.id, start, end, colour, comment,
                     done=self._on_added)

    def delete(self, highlight_id: int) -> None:
        highlight = self.find(highlight_id)
        if self._episode is None or highlight is None:
            return
        self._submit(self._library.delete_highlight, self._episode.id, highlight_id,
                     done=lambda episode_id, linked: self._on_deleted(episode_id, highlight, linked))

    def undo_delete(self) -> None:
        if not self._deleted or self._episode is None:
            self.message.emit("Nothing to undo")
            return
        highlight, linked = self._deleted.pop()
        self.undo_available.emit(bool(self._deleted))
        self._submit(self._library.restore_highlight, self._episode.id, highlight, linked,
                     done=self._on_added)

    def resize_by_words(self, highlight_id: int, start_words: int, end_words: int) -> None:
        """Moves a highlight's start and end by whole words (negative: towards the start)."""
        highlight = self.find(highlight_id)
        if self._episode is None or highlight is None or highlight.orphan:
            return
        words = [(m.start(), m.end()) for m in _WORD.finditer(self._episode.transcript)]
        starts = [w[0] for w in words]
        first = bisect_right(starts, highlight.start) - 1
        last = bisect_right(starts, highlight.end - 1) - 1
        first = min(max(0, first + start_words), len(words) - 1)
        last = min(max(0, last + end_words), len(words) - 1)
        if last < first:
            self.message.emit("A highlight keeps at least one word; Delete removes it")
            return
        self._submit(self._library.resize_highlight, self._episode.id, highlight_id,
                     words[first][0], words[last][1], done=self._on_added)

    def recolour(self, highlight_id: int, colour: str) -> None:
        if self._episode is not None:
            self._submit(self._library.update_highlight, self._episode.id, highlight_id,
                         done=self._on_updated, colour=colour)

    def set_comment(self, highlight_id: int, comment: str, *, base_version: int | None = None) -> None:
        """Saves a comment edited from ``base_version`` (default: the version shown): one
        another writer changed since is not overwritten; the user is asked, with both texts
        (``EditConflict``)."""
        if self._episode is None:
            return
        episode_id = self._episode.id
        shown = self.find(highlight_id)
        base = base_version if base_version is not None else (shown.version if shown else None)
        self._writer.submit(
            lambda: self._library.update_highlight(episode_id, highlight_id, comment=comment,
                                                   base_version=base),
            on_done=lambda result: self._on_updated(episode_id, result),
            on_error=lambda error: self._on_comment_error(episode_id, highlight_id, error))

    def _on_comment_error(self, episode_id: str, highlight_id: int, error: BaseException) -> None:
        if not isinstance(error, EditConflict):
            self._on_write_error(error)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Comment changed meanwhile",
                          f"{error.author or 'Someone'} changed this highlight's comment since "
                          "you opened it. Theirs is kept unless you choose yours.",
                          parent=self._window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(f"Theirs:\n{error.theirs}\n\nYours:\n{error.mine}")
        box.setAccessibleName("Comment conflict")
        theirs = box.addButton("Keep theirs", QMessageBox.ButtonRole.RejectRole)
        mine = box.addButton("Use mine", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(theirs)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def chosen() -> None:
            known = self.find(highlight_id)
            if box.clickedButton() is mine:
                self._writer.submit(
                    lambda: self._library.update_highlight(
                        episode_id, highlight_id, comment=error.mine, base_version=error.version),
                    on_done=lambda result: self._on_updated(episode_id, result),
                    on_error=lambda again: self._on_comment_error(episode_id, highlight_id, again))
            elif known is not None:
                self._on_updated(episode_id, replace(known, comment=error.theirs,
                                                     version=error.version))

        box.finished.connect(lambda _result: chosen())
        box.open()

    def promote(self, highlight_id: int) -> None:
        if self._episode is None:
            return
        self._autosaver.flush()  # takeaway edits still waiting go first: the new one goes last
        self._submit(self._library.promote_highlight, self._episode.id, highlight_id,
                     done=self._on_promoted)

    def _submit(self, function: Any, episode_id: str, *args: Any, done: Any, **kwargs: Any) -> None:
        self._writer.submit(lambda: function(episode_id, *args, **kwargs),
                            on_done=lambda result: done(episode_id, result),
                            on_error=self._on_write_error)

    # -- write results ---------------------------------------------------------------------------
    def _is_open(self, episode_id: str) -> bool:
        return self._open.is_open(episode_id)

    def _report_saved(self, what: str) -> None:
        self.saved.emit(f"{what} at {datetime.now():%H:%M:%S}")

    def _on_added(self, episode_id: str, highlight: Highlight) -> None:
        self._report_saved("Highlight saved")
        if not self._open.put_highlight(episode_id, highlight):
            return  # not open, or already shown as it is (a restore reported twice)
        # Highlights the new one overlapped were merged into it by the library.
        for merged in [h for h in self._open.highlights() if h.id != highlight.id and not h.orphan
                       and h.start < highlight.end and highlight.start < h.end]:
            assert merged.id is not None
            self._open.drop_highlight(episode_id, merged.id)
            self._view.remove_highlight(merged.id)
            self._list.remove(merged.id)
        self._view.add_highlight(highlight)  # new, or grown: replaces the old marks
        self._list.put(highlight)
        self._list.select(highlight.id or -1)

    def _on_updated(self, episode_id: str, highlight: Highlight) -> None:
        self._report_saved("Highlight saved")
        if not self._open.put_highlight(episode_id, highlight):
            return
        self._view.add_highlight(highlight)  # replaces it, repainting its paragraphs only
        self._list.put(highlight)

    def _on_deleted(self, episode_id: str, highlight: Highlight, linked: list[int]) -> None:
        self._report_saved("Highlight deleted")
        assert highlight.id is not None
        if not self._is_open(episode_id):
            return
        self._open.drop_highlight(episode_id, highlight.id)
        self._view.remove_highlight(highlight.id)
        self._list.remove(highlight.id)
        self._deleted.append((highlight, linked))
        self.undo_available.emit(True)
        self.message.emit("Highlight deleted — Undo with Ctrl+Z in the list or the Undo button")

    def _on_promoted(self, episode_id: str, takeaway: TakeawayItem) -> None:
        self._report_saved("Takeaway saved")
        if self._is_open(episode_id):
            self.takeaway_promoted.emit(takeaway)
            self.message.emit("Added as takeaway")

    def _on_write_error(self, error: BaseException) -> None:
        if isinstance(error, SavedOffline):
            self.message.emit("Highlight kept on this computer: it goes to the team library "
                              "when its server answers again")
            return
        self.message.emit(f"Highlight not saved: {describe_error(error)}")

    # -- requests from the widgets ---------------------------------------------------------------
    def _on_view_highlight_requested(self, start: int, end: int, colour: str) -> None:
        self.add(start, end, colour)

    def _on_view_highlight_with_comment_requested(self, start: int, end: int) -> None:
        if self._episode is None:
            return
        episode_id, quote = self._episode.id, self._episode.transcript[start:end]
        self._ask_comment("Highlight with comment", quote, "", lambda comment: (
            self.add(start, end, DEFAULT_COLOUR, comment) if self._is_open(episode_id) else None))

    def _on_list_comment_edit_requested(self, highlight_id: int) -> None:
        highlight = self.find(highlight_id)
        if highlight is not None and self._episode is not None:
            episode_id = self._episode.id
            # Based on the comment as the dialog showed it: another writer's change made while
            # the dialog is open is not overwritten.
            seen = highlight.version
            self._ask_comment("Edit comment", highlight.quote, highlight.comment, lambda comment: (
                self.set_comment(highlight_id, comment, base_version=seen)
                if self._is_open(episode_id) else None))

    def edit_tags(self, highlight_id: int) -> None:
        """The highlight's tags, in a dialog that completes them from the library's."""
        highlight = self.find(highlight_id)
        if highlight is None or self._episode is None:
            return
        episode_id = self._episode.id
        self.with_known_tags(lambda known: self._ask_tags(episode_id, highlight, known))

    def _ask_tags(self, episode_id: str, highlight: Highlight, known: list[str]) -> None:
        if not self._is_open(episode_id) or highlight.id is None:
            return
        highlight_id = highlight.id
        dialog = TagsDialog("Tags of the highlight", f"“{highlight.quote[:160]}”", list(highlight.tags),
                            known, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: self._submit(self._library.set_highlight_tags, episode_id, highlight_id,
                                                     dialog.chosen(), done=self._on_updated))
        dialog.open()

    def take_remote(self, episode_id: str, highlights: list[Highlight]) -> None:
        """The open episode's highlights as the team library holds them now (another client
        made, changed or deleted some): painted and listed in place."""
        episode = self._open.episode
        if episode is None or episode.id != episode_id or episode.highlights == highlights:
            return
        episode.highlights = list(highlights)
        self._view.set_highlights(episode.highlights)
        self._list.load(episode.highlights)

    def take_updated(self, highlights: list[tuple[str, Highlight]]) -> None:
        """Highlights another part of the window changed (the Notebook tagged them)."""
        for episode_id, highlight in highlights:
            if self._open.put_highlight(episode_id, highlight):
                self._list.put(highlight)

    def _on_list_colour_change_requested(self, highlight_id: int, colour: str) -> None:
        self.recolour(highlight_id, colour)

    def _on_list_promote_requested(self, highlight_id: int) -> None:
        self.promote(highlight_id)

    def _ask_comment(self, title: str, quote: str, comment: str, then: Any) -> None:
        dialog = CommentDialog(title, quote, comment, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: then(dialog.comment()))
        dialog.open()
