"""The main window: assembles the widgets and wires their signals; the logic lives elsewhere."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QObject, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QShowEvent,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.config import (
    FONT_SIZE_RANGE,
    PARAGRAPH_WORDS_RANGE,
    Settings,
    WindowState,
    load_window_state,
    save_settings,
    save_window_state,
    window_state_path,
)
from reader.core.episode import DEFAULT_COLOUR, HIGHLIGHT_COLOURS, reading_minutes
from reader.core.tags import hashtags
from reader.export.files import safe_filename
from reader.library import EpisodeSummary, EpisodeView, Library
from reader.library.changes import Changes, Part
from reader.library.open_episode import History
from reader.ui import window_layout
from reader.ui.actions import build_actions
from reader.ui.app import app_icon
from reader.ui.episode_removal import EpisodeRemoval
from reader.ui.highlights import HighlightController, comment_highlight_id
from reader.ui.library_tasks import LibraryTasks, ProgressStrip
from reader.ui.listening import Listening
from reader.ui.notebook import NotebookController
from reader.ui.roles import EPISODE_ID_ROLE
from reader.ui.search_controller import IndexGate, LibrarySearch
from reader.ui.session import ReaderSession
from reader.ui.source_sync import SourceSync
from reader.ui.theme import apply_theme, highlight_tints, reading_font, resolve_theme
from reader.ui.widgets.about_dialog import AboutDialog, data_locations, open_folder
from reader.ui.widgets.annotation_pane import AnnotationPane
from reader.ui.widgets.dialogs import ShortcutsDialog
from reader.ui.widgets.episode_list import EpisodeListPanel
from reader.ui.widgets.find_bar import FindBar
from reader.ui.widgets.glossary_dialog import GlossaryDialog
from reader.ui.widgets.highlighter import swatch_icon
from reader.ui.widgets.notebook_panel import NotebookPanel
from reader.ui.widgets.player_bar import PlayerBar
from reader.ui.widgets.preferences import PreferencesDialog
from reader.ui.widgets.problem_notice import ProblemNotice
from reader.ui.widgets.search_panel import SearchPanel
from reader.ui.widgets.source_badge import SourceAwareDelegate
from reader.ui.widgets.tag_edit import TagsDialog
from reader.ui.widgets.transcript_view import TranscriptView
from reader.ui.workers import TaskRunner, describe_error

if TYPE_CHECKING:  # reader.search imports Whoosh: keep it off the start-up path
    from reader.search import SearchResult

EMPTY_LIBRARY = ("Your library is empty.\n\nAdd episodes with File → Open folder… (Ctrl+O),\n"
                 "or drop Markdown notes or folders onto this window.")
NO_EPISODE = "Choose an episode on the left."
# Edit menu command → the method of the focused text widget that does it.
EDIT_COMMANDS = {"undo": "undo", "redo": "redo", "cut": "cut", "copy": "copy", "paste": "paste",
                 "select_all": "selectAll"}


class ChangeRelay(QObject):
    """Carries the library's change reports from the thread that wrote to the GUI thread."""

    changed = Signal(object)  # Changes
    remote = Signal(object)  # Changes another client of a team library made
    server = Signal(bool, str)  # a team library's server answers (or not), and why not


class MainWindow(QMainWindow):
    def __init__(self, library: Library, settings: Settings) -> None:
        super().__init__()
        self.library = library
        self.settings = settings
        self.setWindowTitle("Transcript Reader")
        self._state_path = window_state_path(settings.path)
        window_layout.first_size(self)
        self.setAcceptDrops(True)
        self.reader = TaskRunner("reader-read", self)
        self.writer = TaskRunner("reader-write", self)
        # Opening, checking and rebuilding the search index (minutes for a big library) has a
        # thread of its own, so a save never waits behind it.
        self.indexer = TaskRunner("reader-index", self)

        self.episodes = EpisodeListPanel(self)
        self.search = SearchPanel(self)
        self.left = QTabWidget(self)
        self.left.addTab(self.episodes, "Episodes")
        self.left.addTab(self.search, "Search")
        self.notebook_panel = NotebookPanel(self)
        self.left.addTab(self.notebook_panel, "Notebook")
        self.title = QLabel(self)
        self.title.setObjectName("episode_title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # titles are shown, never interpreted
        self.title.setWordWrap(True)
        self.meta = QLabel(self)
        self.meta.setObjectName("episode_meta")
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.meta.setWordWrap(True)  # with the episode's tags it can be long: it wraps, never widens the window
        self.find_bar = FindBar(self)
        self.transcript = TranscriptView(self)
        self.placeholder = QLabel(NO_EPISODE, self)
        self.placeholder.setObjectName("empty_state")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.centre_stack = QStackedWidget(self)
        self.centre_stack.addWidget(self.placeholder)
        self.centre_stack.addWidget(self.transcript)
        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        for widget in (self.title, self.meta, self.find_bar):
            centre_layout.addWidget(widget)
        centre_layout.addWidget(self.centre_stack, 1)
        self.player_bar = PlayerBar(self)
        centre_layout.addWidget(self.player_bar)
        self.pane = AnnotationPane(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for part in (self.left, centre, self.pane):
            self.splitter.addWidget(part)
        self.splitter.setSizes([330, 780, 330])
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        window_layout.restore(self, self.splitter, self.pane, self.episodes.sort_choice,
                              load_window_state(self._state_path))
        self.problems = ProblemNotice(self)
        self.progress = ProgressStrip(self)
        self.saved_label = QLabel(self)
        self.undo_button = QToolButton(self)
        self.undo_button.setText("Undo")
        self.undo_button.setToolTip("Undo the last highlight deletion")
        self.undo_button.hide()
        self.statusBar().addPermanentWidget(self.problems)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.undo_button)
        self.statusBar().addPermanentWidget(self.saved_label)

        # Only the index runner opens, checks and rebuilds the index (it writes SQLite);
        # searches that come first wait at the gate and run once it is ready.
        library.index_on_own_thread()
        self.index_gate = IndexGate(library, self.indexer, self)
        self.index_gate.failed.connect(self.show_message)  # e.g. index/ is a file: one line
        self.session = ReaderSession(library, settings, self.reader, self.writer, self.transcript,
                                     self.find_bar, self.pane, self.index_gate, self)
        self.library_search = LibrarySearch(library, self.reader, self.index_gate, self)
        self.tasks = LibraryTasks(library, self.writer, self.progress, self, self)
        self.highlights = HighlightController(library, self.writer, self.session.autosaver,
                                              self.session.open,
                                              self.transcript, self.pane.highlights, self, self)
        self.sources = SourceSync(library, settings, self.reader, self.writer, self.session,
                                  self.transcript, self.problems, self)
        self.listening = Listening(library, self.reader, self.writer, self.transcript, self.pane.highlights,
                                   self.player_bar, self)
        self.notebook = NotebookController(library, self.reader, self.writer, self.notebook_panel, settings, self)
        self.highlights.with_known_tags = self._with_library_tags
        self.removal = EpisodeRemoval(library, self.writer, self.session.autosaver, self.episodes, self, self)
        self.episodes.view.setItemDelegate(SourceAwareDelegate(self.episodes.view))
        self.actions_by_name = build_actions(self, {
            "open_folder": self._on_open_folder, "import_files": self._on_import_files,
            "export_episode": self._on_export_episode, "export_selected": self._on_export_selected,
            "export_all": self._on_export_all, "write_back": self._on_write_back,
            "remove_episode": self.removal.remove_current,
            "preferences": self._on_preferences, "open_settings": self._on_open_settings, "quit": self.close,
            **{command: partial(self._edit_command, command) for command in EDIT_COMMANDS},
            "search_library": self._on_search_library, "find": self.find_bar.focus_field,
            "find_next": self.session.next_hit, "find_previous": self.session.previous_hit,
            "clear_find": self.session.clear_find,
            "add_selection_takeaway": self.transcript.add_takeaway_action().trigger,
            "new_takeaway": lambda: self.pane.add_takeaway(), "filter_episodes": self._on_filter_episodes,
            "glossary": lambda: self.open_glossary(), "glossary_names": self._on_glossary_names,
            "highlight": lambda: self.transcript.highlight_action(self._colour).trigger(),
            "highlight_comment": self.transcript.highlight_comment_action().trigger,
            **{f"highlight_{c}": partial(self._highlight_in, c) for c in HIGHLIGHT_COLOURS},
            "episode_tags": self._on_episode_tags, "notebook": self._on_notebook,
            "attach_subtitles": self.listening.attach_subtitles, "attach_audio": self.listening.attach_audio,
            "set_length": self.listening.set_length, "play_pause": self.listening.toggle,
            "back_10": lambda: self.listening.skip(-10), "forward_10": lambda: self.listening.skip(10),
            "zoom_in": lambda: self.set_font_size(self.settings.font_size + 1),
            "zoom_out": lambda: self.set_font_size(self.settings.font_size - 1),
            "zoom_reset": lambda: self.set_font_size(Settings().font_size),
            "theme_system": lambda: self.set_theme("system"),
            "theme_light": lambda: self.set_theme("light"),
            "theme_dark": lambda: self.set_theme("dark"),
            "shorter_paragraphs": lambda: self.set_paragraph_words(self.settings.paragraph_words - 30),
            "longer_paragraphs": lambda: self.set_paragraph_words(self.settings.paragraph_words + 30),
            "go_back": self.go_back, "focus_list": self._on_focus_list, "focus_transcript": self.transcript.setFocus,
            "focus_notes": self.pane.notes.setFocus, "shortcuts": self._on_shortcuts,
            "open_data_folder": lambda: open_folder(self.library.data_dir) or self.show_message(
                f"No file manager to show it with here; the data folder is {self.library.data_dir}"),
            "about": self._on_about,
        })
        self.actions_by_name[f"theme_{settings.theme}"].setChecked(True)
        self.actions_by_name["glossary_names"].setChecked(settings.glossary_names)
        # Ctrl+H highlights in the colour chosen last (Edit → Highlight in colour ticks it).
        self._colour = DEFAULT_COLOUR
        colours = QActionGroup(self)
        for colour in HIGHLIGHT_COLOURS:
            action = self.actions_by_name[f"highlight_{colour}"]
            action.setCheckable(True)
            action.setChecked(colour == self._colour)
            colours.addAction(action)

        self.episodes.episode_activated.connect(self.session.open_episode)
        self.search.query_edited.connect(self.library_search.query_edited)
        self.search.result_activated.connect(self._on_search_result_activated)
        self.library_search.results_ready.connect(self.search.show_results)
        self.library_search.failed.connect(self.search.show_error)
        self.search.spellings_requested.connect(self.open_glossary)
        self.session.episodes_loaded.connect(self._on_episodes_loaded)
        self.left.currentChanged.connect(self._on_left_tab_changed)
        self.notebook.message.connect(self.show_message)
        self.notebook.open_highlight.connect(self.highlights.open_at)
        self.notebook.open_annotation.connect(self.reveal_annotation)
        self.notebook.highlights_tagged.connect(self.highlights.take_updated)
        # Every write reports what it changed, on the thread that wrote: the relay's signal
        # brings it to the GUI thread, where the views update just that.
        self.change_relay = ChangeRelay(self)
        library.subscribe(self.change_relay.changed.emit)
        self.change_relay.changed.connect(self._on_library_changed)
        self.team_label = QLabel(self)
        self.team_label.setAccessibleName("Team library")
        self.team_label.setVisible(library.is_team)
        self.statusBar().addPermanentWidget(self.team_label)
        if library.is_team:
            self.pane.highlights.set_author(library.author)
            self.team_label.setText("Team library")
            self.team_label.setToolTip(library.location)
            library.subscribe_remote(self.change_relay.remote.emit)
            library.on_server_status(self.change_relay.server.emit)
            self.change_relay.remote.connect(self._on_remote_changes)
            self.change_relay.server.connect(self._on_server_status)
            library.watch()
        self.session.episode_opened.connect(self._on_episode_opened)
        self.session.message.connect(self.show_message)
        self.session.autosaver.saved.connect(self._on_saved)
        self.tasks.message.connect(self.show_message)
        self.tasks.library_changed.connect(self.session.refresh_episodes)
        self.tasks.reading = self.sources.reading
        self.tasks.import_read_again.connect(self.sources.take_report)
        self.sources.message.connect(self.show_message)
        self.removal.message.connect(self.show_message)
        self.transcript.notice.connect(self.show_message)
        self.removal.removed.connect(self._on_episode_removed)
        self.writer.busy_changed.connect(self._on_writer_busy_changed)
        self.session.episode_opened.connect(self.highlights.load)
        self.session.episode_opened.connect(self.listening.episode_opened)
        self.listening.message.connect(self.show_message)
        self.highlights.episode_requested.connect(self.session.open_episode)
        self.highlights.saved.connect(self._on_saved)
        self.highlights.message.connect(self.show_message)
        self.highlights.undo_available.connect(self.undo_button.setVisible)
        self.highlights.takeaway_promoted.connect(self.pane.takeaways.add_stored)
        self.undo_button.clicked.connect(self.highlights.undo_delete)

        self.find_bar.hide()  # shown with the first episode
        self.pane.setEnabled(False)
        self.apply_appearance()
        self._first_load = True
        self._index_asked = False
        self._reveal: tuple[str, str, str] | None = None  # (episode, field, words) to show once open
        # Episodes read before, for Back (Alt+Left); each reopens at the place it was left.
        self._history = History()
        self.session.refresh_episodes()
        for warning in settings.warnings:
            self.show_message(f"Settings: {warning}")

    # -- appearance -------------------------------------------------------------------------
    def apply_appearance(self) -> None:
        theme = resolve_theme(self.settings.theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.transcript.set_theme(theme)
        self.pane.highlights.set_theme(theme)
        self.search.delegate.mark_colour = theme.hit
        self.search.delegate.mark_text_colour = theme.text if theme.dark else "#000000"
        self.search.view.viewport().update()
        self.notebook_panel.set_theme(theme)
        self.transcript.set_reading_font(reading_font(self.settings.font_family, self.settings.font_size))
        self.transcript.set_line_width(self.settings.line_width)
        for colour, (tint, _text) in highlight_tints(theme).items():
            self.actions_by_name[f"highlight_{colour}"].setIcon(swatch_icon(tint, theme.muted))

    def _highlight_in(self, colour: str) -> None:
        self._colour = colour
        self.actions_by_name[f"highlight_{colour}"].setChecked(True)
        self.transcript.highlight_action(colour).trigger()

    def _on_preferences(self) -> None:
        dialog = PreferencesDialog(self.settings, self.transcript.font().family(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.chosen()))
        dialog.open()

    def apply_settings(self, chosen: Settings) -> None:
        """Takes in what Preferences hands back: shown at once, written to settings.yaml."""
        added = [f for f in chosen.library_folders if f not in self.settings.library_folders]
        words = chosen.paragraph_words
        for name in ("theme", "font_family", "font_size", "line_width", "export_front_matter",
                     "library_folders"):
            setattr(self.settings, name, getattr(chosen, name))  # the one Settings every part holds
        self.actions_by_name[f"theme_{self.settings.theme}"].setChecked(True)
        self.apply_appearance()
        if words != self.settings.paragraph_words:
            self.set_paragraph_words(words)  # shows the transcript again, at the same place
        self._save_settings()
        if added:
            self.tasks.import_paths([Path(f) for f in added])
        self.sources.refresh()  # watches the folders as they are now

    def set_font_size(self, size: int) -> None:
        low, high = FONT_SIZE_RANGE
        self.settings.font_size = min(max(size, low), high)
        self.transcript.set_reading_font(reading_font(self.settings.font_family, self.settings.font_size))
        self._save_settings()
        self.show_message(f"Text size {self.settings.font_size} pt")

    def set_theme(self, choice: str) -> None:
        self.settings.theme = choice
        self.actions_by_name[f"theme_{choice}"].setChecked(True)
        self.apply_appearance()
        self._save_settings()

    def set_paragraph_words(self, words: int) -> None:
        low, high = PARAGRAPH_WORDS_RANGE
        self.settings.paragraph_words = min(max(words, low), high)
        self._save_settings()
        current = self.session.current
        if current is not None:
            top = self.transcript.top_original_offset()
            self.transcript.show_transcript(current.transcript, self.settings.paragraph_words,
                                            self.library.paragraphs(
                                                current.transcript, self.settings.paragraph_words,
                                                glossary_names=self.settings.glossary_names,
                                                episode_id=current.id))
            self.transcript.scroll_to_original(top)
        self.show_message(f"Paragraphs of about {self.settings.paragraph_words} words")

    # -- the glossary ---------------------------------------------------------------------------
    def open_glossary(self, name: str = "") -> None:
        """Edit → Glossary of names…; from the Search tab, with the query's words to find."""
        dialog = GlossaryDialog(self.library, self.reader, self.writer, self.index_gate, name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.changed.connect(self._on_glossary_changed)
        dialog.open()

    def _on_glossary_changed(self) -> None:
        """A spelling added or removed: searches find it at once; names shown follow it."""
        if self.search.shown_query:
            self.library_search.query_edited(self.search.field.text())
        if self.settings.glossary_names:
            self.session.show_again()

    def _on_glossary_names(self) -> None:
        self.settings.glossary_names = self.actions_by_name["glossary_names"].isChecked()
        self._save_settings()
        self.session.show_again()
        self.show_message("Names shown as in the glossary (the transcript is not changed)"
                          if self.settings.glossary_names else "Names shown as the transcript writes them")

    def _save_settings(self) -> None:
        if not save_settings(self.settings) and self.settings.read_only:
            self.show_message("Settings not saved: the settings file has problems (see its path "
                              f"{self.settings.path}); it was left as it is")

    def on_system_colour_scheme_changed(self) -> None:
        if self.settings.theme == "system":
            self.apply_appearance()

    # -- status -------------------------------------------------------------------------------
    @Slot(str)
    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _on_saved(self, text: str) -> None:
        self.saved_label.setText(text)

    def _on_writer_busy_changed(self, busy: bool) -> None:
        self.saved_label.setToolTip("Saving…" if busy else QDateTime.currentDateTime().toString())

    # -- episodes -------------------------------------------------------------------------------
    def _on_library_changed(self, changes: Changes) -> None:
        self.notebook.library_changed(changes)
        removed = changes.touching(Part.REMOVED)
        if removed:
            self.episodes.remove_episodes(removed)
            for episode_id in removed:  # the open one closes with its row, however removed
                self._on_episode_removed(episode_id)
        listed = [i for i in changes.touching(Part.LIST_COLUMNS | Part.ADDED) if i not in removed]
        if listed:
            self.reader.submit(self.library.summaries, listed, on_done=self._on_summaries,
                               on_error=lambda _e: None)  # the next change brings them
        if removed or changes.touching(Part.ADDED):
            self.pane.related.set_library(self.episodes.model.episodes())
        current = self.session.current
        if current is not None and current.id in changes.touching(Part.TIMES):
            self.session.show_again()  # paragraphs end at its pauses now; the margin shows the times
        if current is not None and current.id in changes.touching(Part.TAGS):
            episode_id = current.id
            self.reader.submit(self.library.episode_tags, episode_id,
                               on_done=lambda tags: self._on_episode_tags_read(episode_id, tags),
                               on_error=lambda _e: None)

    # -- a team library ------------------------------------------------------------------------
    def _on_remote_changes(self, changes: Changes) -> None:
        """Another client changed episodes: the open one, if among them, updates in place."""
        current = self.session.current
        parts = Part.HIGHLIGHTS | Part.NOTES | Part.TAKEAWAYS | Part.RELATED
        if current is None or current.id not in changes.touching(parts):
            return
        self.reader.submit(self.library.episode, current.id, on_done=self._on_remote_episode,
                           on_error=lambda _e: None)  # the next change brings it again

    def _on_remote_episode(self, episode: EpisodeView) -> None:
        self.highlights.take_remote(episode.id, episode.highlights)
        self.session.take_remote(episode)

    def _on_server_status(self, online: bool, reason: str) -> None:
        waiting = self.library.offline_edits
        if online:
            self.team_label.setText("Team library")
            self.team_label.setToolTip(self.library.location)
        else:
            kept = f" ({waiting} edits kept here)" if waiting else ""
            self.team_label.setText(f"Team library offline{kept}")
            self.team_label.setToolTip(f"{self.library.location}: {reason}. Edits are kept on this "
                                       "computer and sent when the server answers again.")
            self.show_message("The team library's server does not answer; edits are kept on "
                              "this computer until it does")

    def _on_episode_tags_read(self, episode_id: str, tags: list[str]) -> None:
        current = self.session.current
        if current is not None and current.id == episode_id:
            current.tags = tags
            self._show_meta(current)

    def _on_summaries(self, summaries: list[EpisodeSummary]) -> None:
        new = [s for s in summaries if self.episodes.model.row_of(s.id) < 0]
        self.episodes.put_episodes(summaries)
        if new:
            self.pane.related.set_library(self.episodes.model.episodes())
            if self.session.current is None:
                self._on_episodes_loaded(self.episodes.model.episodes())

    def _on_episodes_loaded(self, episodes: list[EpisodeSummary]) -> None:
        self.episodes.set_episodes(episodes)
        self.pane.related.set_library(episodes)
        if not episodes:
            self.placeholder.setText(EMPTY_LIBRARY)
            self.centre_stack.setCurrentWidget(self.placeholder)
        elif self.session.current is None:
            self.placeholder.setText(NO_EPISODE)
        if self._first_load and episodes:
            self._first_load = False
            self.reader.submit(self.library.last_opened_id, on_done=self._on_last_opened_id)
        elif not episodes:
            self._prepare_index_once()  # no episode to open first

    def _on_last_opened_id(self, episode_id: str | None) -> None:
        if self.session.current is None:
            ids = [e.id for e in self.episodes.model.episodes()]
            first = self.episodes.proxy.index(0, 0)
            chosen = episode_id if episode_id in ids else (
                first.data(EPISODE_ID_ROLE) if first.isValid() else None)
            if chosen:
                self.session.open_episode(chosen)

    def _prepare_index_once(self) -> None:
        """The index runner opens the search index once the list is up and the first episode
        opened: Whoosh stays off the start-up path. A search asked for sooner waits for it."""
        if not self._index_asked:
            self._index_asked = True
            QTimer.singleShot(0, self.index_gate.prepare)

    def _on_episode_opened(self, episode: EpisodeView) -> None:
        self._prepare_index_once()
        self._history.opened(episode.id)
        self.title.setText(episode.title)
        self._show_meta(episode)
        self.centre_stack.setCurrentWidget(self.transcript)
        self.find_bar.show()
        self.pane.setEnabled(True)
        self.episodes.select(episode.id)
        self.setWindowTitle(f"{episode.title} — Transcript Reader")
        if self._reveal is not None and self._reveal[0] == episode.id:
            self._show_annotation_hit(*self._reveal[1:])
        self._reveal = None

    def _show_meta(self, episode: EpisodeView) -> None:
        words = episode.word_count  # counted on import: a split of 4 MB took 200 ms here
        parts = [episode.show] if episode.show else []
        parts += [f"{words:,} words", f"{reading_minutes(words)} min read"]
        if episode.tags:
            parts.append(hashtags(episode.tags))
        self.meta.setText(" · ".join(parts))

    def reveal_annotation(self, episode_id: str, field: str, words: str) -> None:
        """Opens the episode (unless open) and shows ``words`` in its Notes or takeaways."""
        if self.session.current is not None and self.session.current.id == episode_id:
            self._show_annotation_hit(field, words)
        else:
            self._reveal = (episode_id, field, words)
            self.session.open_episode(episode_id)

    def _on_search_result_activated(self, result: SearchResult) -> None:
        highlight_id = comment_highlight_id(result)
        first = result.snippets[0] if result.snippets else None
        if highlight_id is not None:  # the hit is in a highlight's comment: open at it
            self.highlights.open_at(result.episode_id, highlight_id)
        elif first is not None and first.field in ("notes", "takeaways") and first.ranges:
            # The hit is in the Notes or a takeaway: open the episode and show it there.
            start, end = first.ranges[0]
            self.reveal_annotation(result.episode_id, first.field, first.text[start:end])
        else:
            self.session.open_episode(result.episode_id, self.search.shown_query, result.best_offset)

    def _show_annotation_hit(self, field: str, words: str) -> None:
        """Selects the first place ``words`` stand in the Notes, or the takeaway holding them."""
        if field == "notes":
            notes = self.pane.notes
            notes.moveCursor(QTextCursor.MoveOperation.Start)
            if notes.find(words) or notes.find(words.split()[0] if words.split() else words):
                notes.setFocus()
                notes.ensureCursorVisible()
                return
        else:
            takeaways = self.pane.takeaways
            row = next((r for r, text in enumerate(takeaways.texts()) if words.casefold() in text.casefold()), -1)
            if row >= 0:
                takeaways.setCurrentRow(row)
                takeaways.setFocus()
                return
        self.show_message(f"“{words}” is in this episode's {'Notes' if field == 'notes' else 'Key Takeaways'}")

    # -- actions ----------------------------------------------------------------------------------
    def _on_search_library(self) -> None:
        self.left.setCurrentWidget(self.search)
        self.search.focus_field()

    def _on_notebook(self) -> None:
        self.left.setCurrentWidget(self.notebook_panel)
        self.notebook_panel.field.setFocus()
        self.notebook_panel.field.selectAll()

    def _on_left_tab_changed(self, _index: int) -> None:
        if self.left.currentWidget() is self.notebook_panel:
            self.notebook.ensure_loaded()

    def _with_library_tags(self, then: Callable[[list[str]], None]) -> None:
        """Calls ``then`` with the library's tags, read on the read runner (what tag fields
        complete from); with none if they cannot be read."""
        self.reader.submit(self.library.tags, on_done=then, on_error=lambda _error: then([]))

    def _on_episode_tags(self) -> None:
        current = self.session.current
        if current is None:
            self.show_message("Open an episode first")
            return
        episode_id = current.id
        self._with_library_tags(lambda known: self._ask_episode_tags(episode_id, known))

    def _ask_episode_tags(self, episode_id: str, known: list[str]) -> None:
        current = self.session.current
        if current is None or current.id != episode_id:
            return
        dialog = TagsDialog("Tags of this episode", f"{current.title}\n\nWritten back onto the note's "
                            "**Tags:** line.", current.tags, known, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: self.writer.submit(
            self.library.set_episode_tags, episode_id, dialog.chosen(),
            on_done=lambda tags: self.show_message(f"Episode tags: {hashtags(tags) or 'none'}"),
            on_error=lambda error: self.show_message(describe_error(error))))
        dialog.open()

    def _on_filter_episodes(self) -> None:
        self.left.setCurrentWidget(self.episodes)
        self.episodes.focus_filter()

    def go_back(self) -> None:
        """Back to the episode read before this one (after following a Related link, say)."""
        previous = self._history.back({e.id for e in self.episodes.model.episodes()})
        if previous is None:
            self.show_message("No episode to go back to")
        else:
            self.session.open_episode(previous)

    def _on_focus_list(self) -> None:
        self.left.setCurrentWidget(self.episodes)
        self.episodes.view.setFocus()

    def _on_shortcuts(self) -> None:
        dialog = ShortcutsDialog(list(self.actions_by_name.values()), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

    def _on_about(self) -> None:
        locations = data_locations(self.library, self.settings.path)
        dialog = AboutDialog(app_icon(), locations, self.library.data_dir, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

    def _on_episode_removed(self, episode_id: str) -> None:
        if self.session.current is not None and self.session.current.id == episode_id:
            self.session.close_episode()
            self.listening.episode_closed()
            self.pane.load("", [], [])
            self.pane.highlights.load([])
            self.pane.setEnabled(False)
            self.title.setText("")
            self.meta.setText("")
            self.find_bar.hide()
            self.placeholder.setText(NO_EPISODE)
            self.centre_stack.setCurrentWidget(self.placeholder)
            self.setWindowTitle("Transcript Reader")

    def _on_open_settings(self) -> None:
        if self.settings.path is not None:
            if not self.settings.path.exists():
                self._save_settings()
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.settings.path))):
                self.show_message(f"No program to open it with here; the settings file is {self.settings.path}")

    def _on_open_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a folder of episode notes")
        if folder:
            self.import_folder(Path(folder))

    def import_folder(self, folder: Path) -> None:
        if str(folder) not in self.settings.library_folders:
            self.settings.library_folders.append(str(folder))
            self._save_settings()
        self.tasks.import_paths([folder])

    def _on_import_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import episode notes", "",
                                                "Markdown notes (*.md *.markdown *.txt);;All files (*)")
        self.tasks.import_paths(Path(f) for f in files)

    def _on_export_episode(self) -> None:
        current = self.session.current
        if current is None:
            return
        start = Path(self.settings.export_folder or Path.home()) / safe_filename(current.title)
        target, _ = QFileDialog.getSaveFileName(self, "Export this episode", str(start),
                                                "Markdown notes (*.md)")
        if target:
            self.settings.export_folder = str(Path(target).parent)  # the next export starts there
            self._save_settings()
            self.tasks.export_episode(current.id, Path(target), front_matter=self.settings.export_front_matter)

    def _on_export_selected(self) -> None:
        self._export_to_folder(self.episodes.selected_ids() or None)

    def _on_export_all(self) -> None:
        self._export_to_folder(None)

    def _export_to_folder(self, ids: list[str] | None) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to a folder",
                                                  self.settings.export_folder or str(Path.home()))
        if folder:
            self.settings.export_folder = folder
            self._save_settings()
            self.tasks.export_folder(ids, Path(folder), front_matter=self.settings.export_front_matter)

    def _on_write_back(self) -> None:
        if self.session.current is not None:
            self.session.autosaver.flush()
            self.tasks.write_back(self.session.current.id)

    # -- drag and drop ------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.tasks.import_paths(paths)

    # -- showing and closing ------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.sources.start()  # once: watch the library folders, take in edits made while closed

    # -- the Edit menu's editing commands -----------------------------------------------------
    def _edit_command(self, command: str) -> None:
        """Undo, Cut, Copy, … on the widget with the focus, as its own keys would do."""
        widget = QApplication.focusWidget()
        if command == "undo" and widget is self.pane.highlights.view:
            self.highlights.undo_delete()  # the highlight list's Undo brings back a deleted one
            return
        if widget is self.notebook_panel.view and command in ("copy", "select_all"):
            if command == "copy":
                self.notebook.copy_selection()  # the selected items, as Markdown
            else:
                self.notebook_panel.view.selectAll()
            return
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            read_only = widget.isReadOnly()
            if read_only and command in ("undo", "redo", "cut", "paste"):
                self.show_message("The transcript cannot be edited; select text and Copy")
                return
            getattr(widget, EDIT_COMMANDS[command])()
            return
        self.show_message("Put the cursor in Notes, a field or the transcript first")

    def window_state(self) -> WindowState:
        return window_layout.state_of(self, self.splitter, self.pane, self.episodes.sort_choice)

    def closeEvent(self, event: QCloseEvent) -> None:
        try:
            save_window_state(self._state_path, self.window_state())
        except OSError as error:  # a read-only config folder: the next start is a first start
            print(f"Window state not saved to {self._state_path}: {error.strerror or error}", file=sys.stderr)
        self.sources.stop()
        self.listening.close()
        self.session.close()
        self.reader.shutdown()
        self.writer.shutdown()  # every queued save reaches SQLite before the window goes
        self.indexer.shutdown()
        super().closeEvent(event)
