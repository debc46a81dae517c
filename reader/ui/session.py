"""The reading session: which episode is open, its hits, its annotations and scroll memory.

GUI-thread object. The open episode itself is the Qt-free ``OpenEpisode`` model
(``self.open``): the session loads into it, the autosaver saves from it, the highlight
controller and source sync read and write through it. Library calls run on the window's
runners: loads and searches on the read runner, every write (annotations, scroll position)
on the write runner.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from reader.config import Settings
from reader.core import textmerge
from reader.core.paragraphs import ParagraphedText
from reader.library import EpisodeSummary, EpisodeView, IndexNotReady, Library
from reader.library.changes import Part
from reader.library.open_episode import OpenEpisode
from reader.library.values import ListSaved, NotesSaved
from reader.ui.autosave import AutoSaver
from reader.ui.search_controller import EpisodeHits, IndexGate
from reader.ui.widgets.annotation_pane import AnnotationPane
from reader.ui.widgets.find_bar import FindBar
from reader.ui.widgets.transcript_view import TranscriptView
from reader.ui.workers import TaskRunner, describe_error

SCROLL_SAVE_DELAY_MS = 1500
SUGGESTIONS_DELAY_MS = 150


class ReaderSession(QObject):
    episode_opened = Signal(object)  # EpisodeView
    episodes_loaded = Signal(list)  # [EpisodeSummary]
    message = Signal(str)

    def __init__(self, library: Library, settings: Settings, reader: TaskRunner, writer: TaskRunner,
                 view: TranscriptView, find_bar: FindBar, pane: AnnotationPane,
                 index_gate: IndexGate | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._settings = settings
        self._reader = reader
        self._writer = writer
        self._view = view
        self._find_bar = find_bar
        self._pane = pane
        self.open = OpenEpisode()
        self.autosaver = AutoSaver(library, writer, self.open, self)
        self._index_gate = index_gate
        self.hits = EpisodeHits(library, reader, index_gate, self)
        self._restoring = False
        self._scroll_timer = QTimer(self)
        self._scroll_timer.setSingleShot(True)
        self._scroll_timer.setInterval(SCROLL_SAVE_DELAY_MS)
        self._scroll_timer.timeout.connect(self.save_scroll)
        # Suggestions (more-like-this, pure-Python Whoosh on the read thread) wait until the
        # opened episode has painted: computed at once, they took the GIL from the first paint.
        self._similar_timer = QTimer(self)
        self._similar_timer.setSingleShot(True)
        self._similar_timer.setInterval(SUGGESTIONS_DELAY_MS)
        self._similar_timer.timeout.connect(self._on_similar_timer_timeout)
        view.verticalScrollBar().valueChanged.connect(self._on_scroll_value_changed)
        view.current_hit_changed.connect(self._on_current_hit_changed)
        view.takeaway_requested.connect(self._on_takeaway_requested)
        find_bar.text_edited.connect(self._on_find_text_edited)
        find_bar.next_requested.connect(self.next_hit)
        find_bar.previous_requested.connect(self.previous_hit)
        find_bar.clear_requested.connect(self.clear_find)
        pane.notes_changed.connect(self._on_notes_changed)
        pane.takeaways_changed.connect(self._on_takeaways_changed)
        pane.related_changed.connect(self._on_related_changed)
        pane.related.episode_link_activated.connect(self.open_episode)
        self.hits.hits_ready.connect(self._on_hits_ready)
        self.hits.failed.connect(self.message)
        self.autosaver.list_saved.connect(self._on_list_saved)
        self.autosaver.notes_saved.connect(self._on_notes_saved)
        self.autosaver.failed.connect(self.message)

    @property
    def current(self) -> EpisodeView | None:
        """The open episode (``self.open.episode``)."""
        return self.open.episode

    # -- the episode list ------------------------------------------------------------------
    def refresh_episodes(self) -> None:
        self._reader.submit(self._library.list_episodes, on_done=self.episodes_loaded.emit,
                            on_error=self._on_error)

    # -- opening ---------------------------------------------------------------------------
    def open_episode(self, episode_id: str, query: str = "", best_offset: int = -1) -> None:
        """Opens ``episode_id``; with ``query``, shows its hits from the index."""
        if self.current is not None and self.current.id == episode_id:
            if query:
                self._show_query(query, best_offset)
            return
        self.save_scroll()
        self.autosaver.flush()
        generation = self.open.begin_load()
        words, names = self._settings.paragraph_words, self._settings.glossary_names

        def load() -> tuple[EpisodeView, ParagraphedText]:  # on the read runner (~90 ms a MB)
            view = self._library.episode(episode_id)
            return view, self._library.paragraphs(view.transcript, words, glossary_names=names,  # not on the GUI
                                                  episode_id=episode_id)

        self._reader.submit(load,
                            on_done=lambda loaded: self._on_episode_loaded(
                                loaded[0], generation, query, best_offset, paragraphed=loaded[1]),
                            on_error=self._on_error)

    def show_reloaded(self, episode: EpisodeView, paragraphed: ParagraphedText | None = None) -> None:
        """Shows a fresh copy of the open episode (its note changed on disk) at
        ``episode.scroll_position``; the find text stays, and so does the annotation pane
        (cursor, undo) when the annotations did not change."""
        if self.current is None or self.current.id != episode.id:
            return  # the user moved on meanwhile
        find_text = self._find_bar.text()
        shown = (self._pane.notes.toPlainText(), self._pane.takeaways.texts(),
                 self._pane.related.related())
        # The current generation: a load of another episode still on its way wins.
        self._on_episode_loaded(episode, self.open.generation, "", -1, shown=shown,
                                paragraphed=paragraphed, reloaded=True)
        if find_text:
            self._find_bar.set_text(find_text)
            self._on_find_text_edited(find_text)

    def take_remote(self, episode: EpisodeView) -> None:
        """The open episode as another client of the team library left it: the annotation
        pane shows its Notes and lists in place (the transcript and the place stay)."""
        if not self.open.take_remote(episode):
            return
        self._restoring = True
        try:
            self._pane.load(episode.notes, episode.takeaway_items, episode.related)
        finally:
            self._restoring = False

    def show_again(self) -> None:
        """Shows the open episode again as the settings now say (names as in the glossary or
        as written), at the same place, with the find text and its hits."""
        current = self.current
        if current is None:
            return
        top = self._view.top_original_offset()
        words, names = self._settings.paragraph_words, self._settings.glossary_names

        def shown(paragraphed: ParagraphedText) -> None:
            if self.current is current:
                self.show_reloaded(replace(current, scroll_position=top), paragraphed)

        self._reader.submit(lambda: self._library.paragraphs(current.transcript, words, glossary_names=names,
                                                             episode_id=current.id),
                            on_done=shown, on_error=self._on_error)

    def close_episode(self) -> None:
        """Forgets the open episode (it was removed from the library)."""
        self._scroll_timer.stop()
        self.open.close()
        self.hits.cancel()

    def _on_episode_loaded(self, episode: EpisodeView, generation: int, query: str,
                           best_offset: int, shown: tuple[object, ...] | None = None,
                           paragraphed: ParagraphedText | None = None, reloaded: bool = False) -> None:
        if not self.open.loaded(episode, generation, reloaded=reloaded):
            return  # the user moved on to another episode meanwhile
        self.hits.cancel()
        self._restoring = True
        try:
            self._view.show_transcript(episode.transcript, self._settings.paragraph_words,
                                       paragraphed)
            if shown != (episode.notes, episode.takeaways, episode.related):
                self._pane.load(episode.notes, episode.takeaway_items, episode.related)
            self._view.scroll_to_original(episode.scroll_position)
        finally:
            self._restoring = False
        self._find_bar.set_text("")
        self._find_bar.set_counter(-1, 0)
        self.episode_opened.emit(episode)
        self._writer.submit(self._library.mark_opened, episode.id, episode.scroll_position,
                            on_error=self._on_error)
        self._similar_timer.start()
        if query:
            self._show_query(query, best_offset)

    def _on_similar_timer_timeout(self) -> None:
        if self.current is None:
            return
        episode_id = self.current.id
        self._reader.submit(self._library.more_like_this, episode_id,
                            on_done=lambda similar: self._on_similar(episode_id, similar),
                            on_error=self._on_similar_failed)

    def _on_similar_failed(self, error: BaseException) -> None:
        # Suggestions are optional; when the index is not ready yet, they come once it is.
        if isinstance(error, IndexNotReady) and self._index_gate is not None:
            self._index_gate.when_ready(self._on_similar_timer_timeout)

    def _on_similar(self, episode_id: str, similar: list[EpisodeSummary]) -> None:
        if self.current is not None and self.current.id == episode_id:
            linked = {link.episode_id for link in self._pane.related.related()}
            self._pane.related.show_suggestions([s for s in similar if s.id not in linked])

    def save_scroll(self) -> None:
        self._scroll_timer.stop()
        if self.current is not None:
            position = self._view.top_original_offset()
            self.open.set_place(position)
            self._writer.submit(self._library.mark_opened, self.current.id, position,
                                on_error=self._on_error)

    def _on_scroll_value_changed(self, _value: int) -> None:
        if not self._restoring and self.current is not None:
            self._scroll_timer.start()

    # -- hits --------------------------------------------------------------------------------
    def _show_query(self, query: str, best_offset: int) -> None:
        self._find_bar.set_text(query)
        assert self.current is not None
        self.hits.index_hits(query, self.current.id, best_offset)

    def _on_find_text_edited(self, text: str) -> None:
        if self.current is not None:
            self.hits.find_edited(text, self.current.id, self._view.top_original_offset())

    def _on_hits_ready(self, episode_id: str, ranges: list[tuple[int, int]], preferred: int) -> None:
        if self.current is None or self.current.id != episode_id:
            return
        starts = [start for start, _ in ranges]
        index = bisect_left(starts, preferred) if preferred >= 0 else 0
        self._view.set_hits(ranges, index if index < len(ranges) else 0)
        if not ranges:
            self._find_bar.set_counter(-1, 0)

    def _on_current_hit_changed(self, index: int, count: int) -> None:
        self._find_bar.set_counter(index, count)

    def next_hit(self) -> None:
        self._view.move_hit(1)

    def previous_hit(self) -> None:
        self._view.move_hit(-1)

    def clear_find(self) -> None:
        self.hits.cancel()
        self._find_bar.set_text("")
        self._view.clear_hits()
        self._find_bar.set_counter(-1, 0)
        self._view.setFocus()

    # -- annotations -------------------------------------------------------------------------
    def _on_notes_changed(self, text: str) -> None:
        self.autosaver.notes_changed(text)

    def _on_takeaways_changed(self) -> None:
        self.autosaver.takeaways_changed(self._pane.takeaways.texts(), self._pane.takeaways.edit_state())

    def _on_related_changed(self) -> None:
        self.autosaver.related_changed(self._pane.related.related(), self._pane.related.edit_state())

    def _on_list_saved(self, episode_id: str, part: Part, saved: ListSaved) -> None:
        if not self.open.is_open(episode_id):
            return
        if part is Part.TAKEAWAYS:
            self._pane.takeaways.apply_saved(saved)
            self.open.list_stored(episode_id, part, self._pane.takeaways.texts())
        else:
            self._pane.related.apply_saved(saved)
            self.open.list_stored(episode_id, part, self._pane.related.related())
        for line in saved.conflicts:
            self.message.emit(line)

    def _on_notes_saved(self, episode_id: str, sent: str, saved: NotesSaved) -> None:
        if not self.open.is_open(episode_id) or not saved.merged:
            return
        # Another writer changed the Notes too: show the merge, with what was typed since.
        typed = self._pane.notes.toPlainText()
        shown = textmerge.merge(sent, typed, saved.text).text
        if shown != typed:
            self._pane.show_notes(shown)
            if shown != saved.text:
                self.autosaver.notes_changed(shown)  # what was typed since goes on top
            else:
                self.open.notes_shown(shown)
        self.message.emit("Notes were also changed elsewhere: both versions are kept in Notes"
                          if saved.conflict else "Notes were also changed elsewhere: merged")

    def _on_takeaway_requested(self, text: str) -> None:
        if self.current is not None:
            self._pane.add_takeaway(text)
            self.message.emit("Added as takeaway")

    def _on_error(self, error: BaseException) -> None:
        self.message.emit(describe_error(error))

    def close(self) -> None:
        """Writes what is pending; the window then waits for the write runner."""
        self.save_scroll()
        self.autosaver.flush()
