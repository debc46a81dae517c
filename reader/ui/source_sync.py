"""Keeps the library in step with the notes on disk while the window runs (issue 7.2).

GUI-thread object. The library folders of the settings are watched; once changes settle, and
once at start-up for edits made while the app was closed, ``Library.refresh_sources`` runs on
the window's single write runner (never on the GUI thread). Its report then updates the list,
reloads the open episode in place when its note changed (same place in the text, typing kept),
and tells about conflicts and unreadable files without a dialog nobody asked for.

The open episode's reload is made on the writer, in the import's task: the import is told
where the reader is (``Reading``), makes the word diff once (it re-anchors the highlights
with it too), reads the episode again with the place carried, and the paragraphs for the view
are made there as well. The GUI thread then shows it once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from reader.config import Settings
from reader.core.paragraphs import ParagraphedText
from reader.core.worddiff import OffsetMap
from reader.library import EpisodeSummary, EpisodeView, ImportReport, Library
from reader.ui.folder_watcher import FolderWatcher
from reader.ui.session import ReaderSession
from reader.ui.widgets.problem_notice import ProblemNotice
from reader.ui.widgets.transcript_view import TranscriptView
from reader.ui.workers import TaskRunner, describe_error


def carried_offset(old: str, new: str, offset: int) -> int:
    """``offset`` of ``old`` moved to the same words of ``new`` (a word diff; any thread)."""
    if old == new:
        return offset
    start, _end, _firm = OffsetMap(old, new).range(offset, offset)
    return max(0, min(start, len(new)))


@dataclass
class Reading:
    """Where the reader is, handed with an import to the writer (see the module's docstring)."""

    places: dict[str, int]  # the open episode → the reader's place in its transcript
    words: int  # the paragraph length the view uses
    generation: int  # the open episode's load it was taken from
    glossary_names: bool  # whether the view shows names as in the glossary
    paragraphs: dict[str, ParagraphedText] = field(default_factory=dict)  # made on the writer

    def prepare(self, library: Library, report: ImportReport) -> ImportReport:
        """On the writer, after the import: the view's paragraphs of what it read again."""
        for episode_id, reloaded in report.reloaded.items():
            self.paragraphs[episode_id] = library.paragraphs(
                reloaded.episode.transcript, self.words, glossary_names=self.glossary_names,
                episode_id=episode_id)
        return report


class SourceSync(QObject):
    refreshed = Signal(object)  # ImportReport of a refresh, after the window took it in
    message = Signal(str)

    def __init__(self, library: Library, settings: Settings, reader: TaskRunner, writer: TaskRunner,
                 session: ReaderSession, view: TranscriptView, notice: ProblemNotice,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._settings = settings
        self._reader = reader
        self._writer = writer
        self._session = session
        self._view = view
        self._notice = notice
        self.watcher = FolderWatcher(reader, self)
        self._started = False
        self._stopped = False
        self._running = False
        self._again = False
        self._cancel = threading.Event()
        self._episodes: dict[str, EpisodeSummary] = {}
        self._watched: tuple[list[Path], list[str]] | None = None
        self._missing: set[str] | None = None
        self._reported: set[tuple[str, str]] = set()
        # Episodes a refresh changed whose load may have read the old row: see take_report.
        self._suspect: set[str] = set()
        self._suspect_generation = 0
        self.watcher.changed.connect(self.refresh)
        session.episodes_loaded.connect(self._on_episodes_loaded)
        session.episode_opened.connect(self._on_episode_opened)

    def folders(self) -> list[Path]:
        return [Path(folder) for folder in self._settings.library_folders]

    # -- running ------------------------------------------------------------------------------
    def start(self) -> None:
        """Starts watching and refreshes once (edits made while the app was closed)."""
        if self._started:
            return
        self._started = True
        self._watch()
        self.refresh()

    def stop(self) -> None:
        """Stops watching; a refresh under way stops after the file it is reading."""
        self._stopped = True
        self._cancel.set()
        self.watcher.stop()

    def refresh(self) -> None:
        """Runs ``refresh_sources`` on the write runner; a request while one runs follows it."""
        if self._stopped:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        # Typing not yet saved is written first (same runner, in order): the merge of a changed
        # note then weighs the newest annotations, not those of a second ago.
        self._session.autosaver.flush()
        folders, cancelled = self.folders(), self._cancel.is_set
        reading = self.reading()
        self._writer.submit(lambda: reading.prepare(self._library, self._library.refresh_sources(
                                folders, cancel=cancelled, reading=reading.places)),
                            on_done=lambda report: self._on_refresh_done(report, reading),
                            on_error=self._on_refresh_failed)

    def reading(self) -> Reading:
        """The open episode and the reader's place in it, for an import to carry."""
        current = self._session.current
        places = {current.id: self._view.top_original_offset()} if current is not None else {}
        return Reading(places, self._settings.paragraph_words, self._session.open.generation,
                       self._settings.glossary_names)

    def _on_refresh_done(self, report: ImportReport, reading: Reading) -> None:
        self._running = False
        if self._stopped:
            return
        self.take_report(report, reading)
        self._report_background(report)
        self._session.refresh_episodes()  # also for notes gone from disk: "source missing"
        self.refreshed.emit(report)
        if self._again:
            self._again = False
            self.refresh()

    def _on_refresh_failed(self, error: BaseException) -> None:
        self._running = False
        if not self._stopped:
            self._notice.show_problems("Refresh problems", f"Not refreshed from disk: {describe_error(error)}", [])

    def _watch(self) -> None:
        if not self._started or self._stopped:
            return
        wanted = (self.folders(), sorted(e.source_path for e in self._episodes.values() if e.source_path))
        if wanted != self._watched:  # the list reloads after every autosave: walk only on news
            self._watched = wanted
            self.watcher.watch(*wanted)

    # -- what a refresh (or an import) changed -------------------------------------------------
    def take_report(self, report: ImportReport, reading: Reading | None = None) -> None:
        """Shows the open episode again if the report changed it. Also for imports the user
        started. With the ``reading`` the import was given, what it read again is shown as it
        is; else (or when the user opened another episode meanwhile) it is read again here."""
        changed = set(report.updated) | set(report.conflicts)
        current = self._session.current
        if current is not None and current.id in changed:
            reloaded = report.reloaded.get(current.id)
            if reloaded is not None and reading is not None \
                    and reading.generation == self._session.open.generation:
                # The reader may have scrolled since: carry where they are now.
                reloaded.episode.scroll_position = reloaded.carry(self._view.top_original_offset())
                self._show(reloaded.episode, reading.paragraphs.get(current.id))
            else:
                self.reload_current()
        # An episode being opened right now may have been read before the refresh wrote it:
        # reload it when it opens, until the read runner has handed back what was queued.
        self._suspect = changed - ({current.id} if current is not None else set())
        self._suspect_generation += 1
        generation = self._suspect_generation
        if self._suspect:
            self._reader.submit(lambda: None, on_done=lambda _r: self._on_reads_caught_up(generation))

    def _on_reads_caught_up(self, generation: int) -> None:
        if generation == self._suspect_generation:
            self._suspect = set()

    def _on_episode_opened(self, episode: EpisodeView) -> None:
        if episode.id in self._suspect:
            self._suspect.discard(episode.id)
            self.reload_current()

    def reload_current(self) -> None:
        """Loads the open episode again, at the same words, keeping what was typed: for an
        episode that was being opened while an import changed it (so the import did not know
        it was being read, and made no diff for the reader's place)."""
        current = self._session.current
        if current is None:
            return
        self._session.autosaver.flush()
        episode_id, old, top = current.id, current.transcript, self._view.top_original_offset()
        words, names = self._settings.paragraph_words, self._settings.glossary_names

        def load() -> tuple[EpisodeView, ParagraphedText]:  # on the read runner
            episode = self._library.episode(episode_id)
            episode.scroll_position = carried_offset(old, episode.transcript, top)
            return episode, self._library.paragraphs(episode.transcript, words, glossary_names=names,
                                                     episode_id=episode_id)

        self._reader.submit(load, on_done=lambda loaded: self._show(*loaded),
                            on_error=lambda error: self.message.emit(describe_error(error)))

    def _show(self, episode: EpisodeView, paragraphed: ParagraphedText | None) -> None:
        self._session.show_reloaded(episode, paragraphed)
        current = self._session.current
        if current is episode:  # shown (not dropped because the user moved on)
            self._view.scroll_to_original(episode.scroll_position)

    def _report_background(self, report: ImportReport) -> None:
        parts = []
        if report.updated:
            parts.append(f"{len(report.updated)} changed")
        if report.imported:
            parts.append(f"{len(report.imported)} new")
        if parts:
            self.message.emit("Notes updated from disk: " + ", ".join(parts))
        if report.conflicts:
            names = ", ".join(f"“{self._title(i)}”" for i in report.conflicts[:3])
            more = f" and {len(report.conflicts) - 3} more" if len(report.conflicts) > 3 else ""
            self.message.emit(f"{names}{more} changed on disk and here: the library's annotations "
                              "were kept and the file's version set aside")
        failures = set(report.failed)
        if not failures:
            self._notice.clear()
        elif failures - self._reported:  # the same unreadable files come back every refresh
            count = len(report.failed)
            self._notice.show_problems(
                "Refresh problems", f"{count} note{'s' if count != 1 else ''} could not be read "
                "from the library folders", sorted(report.failed))
        self._reported = failures

    def _title(self, episode_id: str) -> str:
        summary = self._episodes.get(episode_id)
        return summary.title if summary is not None else episode_id

    def _on_episodes_loaded(self, episodes: list[EpisodeSummary]) -> None:
        self._episodes = {e.id: e for e in episodes}
        missing = {e.id for e in episodes if e.source_missing}
        gone = missing - self._missing if self._missing is not None else set()
        self._missing = missing
        if len(gone) == 1:
            self.message.emit(f"The note of “{self._title(next(iter(gone)))}” is gone from disk; "
                              "the episode and its annotations are kept (marked missing)")
        elif gone:
            self.message.emit(f"{len(gone)} notes are gone from disk; their episodes and "
                              "annotations are kept (marked missing)")
        self._watch()
