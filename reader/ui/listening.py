"""Moments and listening along: the open episode's word times in the margin and the Highlights
list, Episode → Attach subtitles… / Attach audio… / Set the episode's length…, and the player.

A paragraph's time (or a moment from a right-click) plays there when the episode has audio,
else opens the video at that moment in the browser. While playing, the spoken word is marked
and the view follows it until the user scrolls away.

QtMultimedia is loaded only when an episode has audio (it is a large part of Qt, and a machine
without its libraries still reads, searches and annotates: the player bar says what is missing).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QWidget

from reader.core.subtitles import SUBTITLE_SUFFIXES
from reader.core.timing import WordTimes, parse_stamp, stamp, video_link
from reader.library import EpisodeView, Library
from reader.library.importer import MEDIA_SUFFIXES
from reader.ui.widgets.highlight_list import HighlightList
from reader.ui.widgets.player_bar import PlayerBar
from reader.ui.widgets.transcript_view import TranscriptView
from reader.ui.workers import TaskRunner, describe_error

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QMediaPlayer

_WORD_END = re.compile(r"\s")
SKIP_SECONDS = 10


class Listening(QObject):
    message = Signal(str)
    times_shown = Signal(object)  # the WordTimes now shown (None: none)
    media_loaded = Signal(str)  # the file now in the player, once it can seek and play

    def __init__(self, library: Library, reader: TaskRunner, writer: TaskRunner, view: TranscriptView,
                 highlights: HighlightList, bar: PlayerBar, window: QWidget) -> None:
        super().__init__(window)
        self._library = library
        self._reader = reader
        self._writer = writer
        self._view = view
        self._highlights = highlights
        self._bar = bar
        self._window = window
        self.episode: EpisodeView | None = None
        self.times: WordTimes | None = None
        self.media: Path | None = None
        self.player: QMediaPlayer | None = None
        self._output: Any = None
        self._stop_at: float | None = None  # a highlight played stops at its end
        self._pending_seek: float | None = None  # asked for while the file was still loading
        bar.hide()
        view.moment_requested.connect(self.play_from)
        view.video_requested.connect(self.open_video)
        view.word_clicked.connect(self.seek)
        view.play_toggle_requested.connect(self.toggle)
        view.following_changed.connect(bar.set_following)
        highlights.play_requested.connect(self.play_highlight)
        bar.play_toggled.connect(self.toggle)
        bar.skipped.connect(self.skip)
        bar.seek_requested.connect(self.seek)
        bar.speed_chosen.connect(self._on_speed_chosen)
        bar.follow_requested.connect(lambda: view.set_following(True))

    # -- the open episode ------------------------------------------------------------------
    def episode_opened(self, episode: EpisodeView) -> None:
        """Shows when the episode's words are spoken, and loads its audio when it has some."""
        changed = self.episode is None or self.episode.id != episode.id
        self.episode = episode
        self._load_times(episode)
        if changed:
            self._stop()
            self._reader.submit(self._library.media, episode.id,
                                on_done=lambda found: self._on_media_found(episode.id, found),
                                on_error=self._on_error)

    def episode_closed(self) -> None:
        self.episode = None
        self.times = None
        self._stop()
        self._view.set_times(None)
        self._highlights.set_times(None)

    def _load_times(self, episode: EpisodeView) -> None:
        self._reader.submit(self._library.word_times, episode.id,
                            on_done=lambda times: self._show_times(episode, times), on_error=self._on_error)

    def _show_times(self, episode: EpisodeView, times: WordTimes) -> None:
        if (self.episode is None or self.episode.id != episode.id
                or self._view.paragraphed.original != episode.transcript):
            return  # the user moved on, or the transcript shown is another by now
        self.times = times
        self._view.set_times(times, episode.video_id)
        self._highlights.set_times(times)
        self.times_shown.emit(times)

    # -- moments ---------------------------------------------------------------------------
    def play_from(self, seconds: float) -> None:
        """A paragraph's time: played here when there is audio, else the video opens there."""
        if self.player is not None:
            self._stop_at = None
            self.seek(seconds)
            self.player.play()
            self._view.set_following(True)
        else:
            self.open_video(seconds)

    def open_video(self, seconds: float) -> None:
        episode = self.episode
        if episode is None or not episode.video_id:
            self.message.emit("This episode has no video to open (its note gives no Video ID)")
            return
        link = video_link(episode.video_id, seconds)
        if not QDesktopServices.openUrl(QUrl(link)):
            self.message.emit(f"No browser to open {link} with here")

    def play_highlight(self, highlight_id: int) -> None:
        highlight = self._highlights.highlight(highlight_id)
        if highlight is None or self.times is None or self.player is None:
            return
        self.seek(self.times.seconds_at(highlight.start))
        end_word = bisect_right(self.times.offsets, max(highlight.start, highlight.end - 1))
        self._stop_at = (self.times.starts[end_word] if end_word < len(self.times.starts)
                         else None)
        self.player.play()
        self._view.set_following(True)

    # -- the player ------------------------------------------------------------------------
    def _on_media_found(self, episode_id: str, found: Path | None) -> None:
        if self.episode is None or self.episode.id != episode_id:
            return
        if found is None:
            self._stop()
            return
        if self.player is None and not self._make_player():
            return
        assert self.player is not None
        self.media = found
        self.player.setSource(QUrl.fromLocalFile(str(found)))
        self._bar.show_media(found.name)
        self._bar.set_playing(False)
        self._bar.set_position(0.0)
        self._bar.show()
        self._view.can_play = True
        self._highlights.set_can_play(True)

    def _make_player(self) -> bool:
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        except ImportError as exc:
            self.message.emit(f"Listening along needs Qt Multimedia, which does not load here ({exc})")
            return False
        self.player = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self.player.setAudioOutput(self._output)
        self.player.positionChanged.connect(lambda ms: self.follow(ms / 1000))
        self.player.durationChanged.connect(lambda ms: self._bar.set_duration(ms / 1000))
        self.player.playbackStateChanged.connect(
            lambda state: self._bar.set_playing(state == QMediaPlayer.PlaybackState.PlayingState))
        self.player.errorOccurred.connect(self._on_player_error)
        self.player.mediaStatusChanged.connect(self._on_media_status_changed)
        return True

    def _on_media_status_changed(self, status: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status == QMediaPlayer.MediaStatus.LoadedMedia and self.player is not None and self.media:
            if self._pending_seek is not None:
                self.player.setPosition(int(self._pending_seek * 1000))
                self._pending_seek = None
            self.media_loaded.emit(str(self.media))

    def _on_player_error(self, _error: object, text: str) -> None:
        name = self.media.name if self.media is not None else "the audio"
        self.message.emit(f"{name}: cannot be played ({text or 'unknown error'})")

    def _stop(self) -> None:
        if self.player is not None:
            self.player.stop()
            self.player.setSource(QUrl())
        self.media = None
        self._stop_at = None
        self._pending_seek = None
        self._bar.hide()
        self._view.can_play = False
        self._view.clear_spoken()
        self._highlights.set_can_play(False)

    def toggle(self) -> None:
        if self.player is None or self.media is None:
            self.message.emit("Nothing to play: put the episode's audio beside its note, or "
                              "Episode → Attach audio…")
            return
        from PySide6.QtMultimedia import QMediaPlayer

        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self._stop_at = None
            self.player.play()

    def seek(self, seconds: float) -> None:
        """Plays from ``seconds`` on; the player's position signal then marks the word."""
        if self.player is not None and self.media is not None:
            seconds = max(0.0, seconds)
            if not self.player.isSeekable():
                self._pending_seek = seconds  # still loading: once it is loaded
            self.player.setPosition(int(seconds * 1000))

    def skip(self, seconds: int) -> None:
        if self.player is not None and self.media is not None:
            self.seek(self.player.position() / 1000 + seconds)

    def _on_speed_chosen(self, speed: float) -> None:
        if self.player is not None:
            self.player.setPlaybackRate(speed)

    def follow(self, seconds: float) -> None:
        """The player is at ``seconds``: mark the word spoken then (the view follows it)."""
        self._bar.set_position(seconds)
        if self._stop_at is not None and seconds >= self._stop_at and self.player is not None:
            self._stop_at = None
            self.player.pause()
        times = self.times
        if times is None or not times.starts:
            return
        word = bisect_right(times.starts, seconds) - 1
        if word < 0:
            self._view.clear_spoken()
            return
        start = times.offsets[word]
        transcript = self._view.paragraphed.original
        found = _WORD_END.search(transcript, start)
        self._view.mark_spoken(start, found.start() if found else len(transcript))

    # -- Episode menu ----------------------------------------------------------------------
    def attach_subtitles(self) -> None:
        episode = self.episode
        if episode is None:
            return
        patterns = " ".join(f"*{s}" for s in SUBTITLE_SUFFIXES)
        chosen, _ = QFileDialog.getOpenFileName(self._window, "Attach subtitles", self._folder(episode),
                                                f"Subtitles ({patterns});;All files (*)")
        if not chosen:
            return
        path = Path(chosen)

        def done(times: WordTimes) -> None:
            self.message.emit(f"Timed from {path.name}: {times.matched:.0%} of the words in the "
                              "subtitles, the rest between their neighbours")
            if self.episode is not None and self.episode.id == episode.id:
                self._show_times(self.episode, times)

        self._writer.submit(self._library.attach_subtitles, episode.id, path, on_done=done,
                            on_error=self._on_error)

    def attach_audio(self) -> None:
        episode = self.episode
        if episode is None:
            return
        patterns = " ".join(f"*{s}" for s in MEDIA_SUFFIXES)
        chosen, _ = QFileDialog.getOpenFileName(self._window, "Attach audio or video", self._folder(episode),
                                                f"Audio and video ({patterns});;All files (*)")
        if not chosen:
            return

        def done(path: Path) -> None:
            self.message.emit(f"Listening along with {path.name}")
            if self.episode is not None and self.episode.id == episode.id:
                self._stop()
                self._on_media_found(episode.id, path)

        self._writer.submit(self._library.attach_media, episode.id, Path(chosen), on_done=done,
                            on_error=self._on_error)

    def set_length(self) -> None:
        episode = self.episode
        if episode is None:
            return
        known = self.episode.duration if self.episode is not None else None
        text, ok = QInputDialog.getText(
            self._window, "The episode's length",
            "How long the episode is (h:mm:ss, m:ss or seconds), to spread the estimated times "
            "over; empty when not known:", QLineEdit.EchoMode.Normal, stamp(known) if known else "")
        if not ok:
            return
        try:
            seconds = parse_stamp(text) if text.strip() else None
            if seconds is not None and not 0 < seconds < 100 * 3600:
                raise ValueError(f"{text.strip()} is not an episode's length")
        except ValueError as exc:
            self.message.emit(str(exc))
            return

        def done(times: WordTimes) -> None:
            if not times.approximate:
                self.message.emit("Length kept; this episode's times come from its subtitles")
            else:
                self.message.emit(f"Estimated times spread over {stamp(seconds)}" if seconds
                                  else "Times estimated at a speaking rate")
            if self.episode is not None and self.episode.id == episode.id:
                self.episode.duration = seconds
                self._show_times(self.episode, times)

        self._writer.submit(self._library.set_duration, episode.id, seconds, on_done=done,
                            on_error=self._on_error)

    def _folder(self, episode: EpisodeView) -> str:
        return str(Path(episode.source_path).parent) if episode.source_path else str(Path.home())

    def _on_error(self, error: BaseException) -> None:
        self.message.emit(describe_error(error))

    def close(self) -> None:
        if self.player is not None:
            self.player.stop()
