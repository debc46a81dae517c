"""Timed reading as a user meets it: a note with its YouTube subtitles beside it shows each
paragraph's time in the margin and each highlight's moment; a click on a time opens the video
there; an untimed episode shows estimates (≈) that Episode → Set the episode's length…
spreads over the real length; Episode → Attach subtitles… times it for real. With audio beside
the note the player bar plays along: the spoken word is marked from the player's position
signal and followed until the user scrolls away.

This machine (and CI) has no sound device: Qt's FFmpeg backend still loads the file, seeks,
plays and reports positions, which is what the following is made of; nobody hears it."""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

from PySide6.QtCore import QObject, QPoint, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QAction, QContextMenuEvent, QDesktopServices, QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from reader.core.timing import stamp
from reader.library import Library
from reader.ui.widgets.transcript_view import TranscriptView
from tests.conftest import ROOT
from tests.subtitle_files import rolling_vtt, short_note, silent_wav, timed_words
from tests.ui.conftest import WindowFactory, named
from tests.ui.test_source_sync import wait_watched, watching

EPISODE = "LrrHD9cdz6Q"
WAIT = 20_000
SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]


class UrlCatcher(QObject):
    """Takes the links the window asks the desktop to open (instead of a browser)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def take(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def _timed_vault(tmp_path: Path, words: int | None = None,
                 audio: bool = False) -> tuple[Path, Path, str, list[tuple[str, float]]]:
    """A vault with the sample (its first ``words`` words) and its generated .nl.vtt (and a
    silent WAV as long as it), imported: (data dir, vault, transcript, word times)."""
    vault = tmp_path / "vault"
    vault.mkdir()
    note = vault / "deepseek.md"
    text = SEED.read_text(encoding="utf-8")
    note.write_text(short_note(text, words) if words else text, encoding="utf-8", newline="")
    data = tmp_path / "data"
    with Library.open(data, import_seeds=False) as library:
        library.import_paths([note])
        transcript = library.episode(EPISODE).transcript
        timed = timed_words(transcript)
        (vault / f"DEEPSEEKPANIEK [{EPISODE}].nl.vtt").write_text(rolling_vtt(timed), encoding="utf-8")
        if audio:
            silent_wav(vault / f"DEEPSEEKPANIEK [{EPISODE}].wav", timed[-1][1] + 5, rate=4000)
        report = library.import_paths([vault])
        assert report.timed == [EPISODE]
    return data, vault, transcript, timed


def _word_at(view: TranscriptView, transcript: str, y: int) -> int:
    """The number of the transcript's word that starts the line at height ``y`` of the view."""
    cursor = view.cursorForPosition(QPoint(2, y))
    return len(transcript[:view.original_offset(cursor.position())].split())


def _click_menu_item(qtbot: QtBot, text: str, offered: list[str]) -> None:
    """When a context menu is up: note what it offers and click the item ``text``."""

    def choose() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        try:
            offered.extend(a.text().replace("&", "") for a in menu.actions() if not a.isSeparator())
            action: QAction = next(a for a in menu.actions() if a.text().replace("&", "") == text)
            qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
        finally:
            if menu.isVisible():
                menu.close()

    QTimer.singleShot(0, choose)


def _answer_modal(qtbot: QtBot, kind: type, fill: str, button: str) -> None:
    """When a modal dialog of ``kind`` is up: type ``fill`` into its line field, press ``button``."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, answer)
            return
        try:
            field = dialog.findChild(QLineEdit, "fileNameEdit") or dialog.findChild(QLineEdit)
            if isinstance(dialog, QFileDialog):
                field.setText(fill)  # typed, its completer would pop up over the field
            else:
                field.clear()
                qtbot.keyClicks(field, fill)
            pressed = next(b for box in dialog.findChildren(QDialogButtonBox) for b in box.buttons()
                           if b.text().replace("&", "") == button)
            qtbot.mouseClick(pressed, Qt.MouseButton.LeftButton)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, answer)


def test_times_in_the_margin_open_the_video_at_that_moment(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    data, _vault, transcript, timed = _timed_vault(tmp_path)
    start = transcript.index("chat gpt")
    with Library.open(data, import_seeds=False) as library:
        highlight = library.add_highlight(EPISODE, start, start + 8)
    window = make_window(import_seeds=False, data_dir=data)
    window.resize(1920, 1080)
    view = named(window, QPlainTextEdit, "Transcript")
    assert isinstance(view, TranscriptView)
    gutter = named(window, QWidget, "Paragraph times")
    qtbot.waitUntil(lambda: gutter.isVisible() and len(view.paragraph_times()) >= 2, timeout=WAIT)

    shown = view.paragraph_times()
    assert shown[0][2] == "0:00"
    for seconds, rect, text in shown:  # each paragraph's time is its first word's
        assert text == stamp(seconds) and "≈" not in text
        assert abs(seconds - timed[_word_at(view, transcript, rect.center().y())][1]) < 0.5
    # With subtitles, paragraphs end where the speaker paused.
    firsts = [_word_at(view, transcript, rect.center().y()) for _s, rect, _t in shown[1:]]
    assert any(timed[w][1] - timed[w - 1][1] >= 1.5 for w in firsts)

    said = timed[len(transcript[:start].split())][1]
    listing = named(window, QListWidget, "Highlights")
    assert window.pane.highlights.item_text(highlight.id).startswith(f"{stamp(said)} “chat gpt")
    assert listing.count() == 1

    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "take")
    try:
        seconds, rect, _text = shown[1]
        qtbot.mouseClick(gutter, Qt.MouseButton.LeftButton, pos=rect.center())
        assert catcher.urls == [f"https://www.youtube.com/watch?v={EPISODE}&t={int(seconds)}s"]

        offered: list[str] = []
        _click_menu_item(qtbot, f"Copy link to {stamp(seconds)}", offered)
        point = rect.center()
        QApplication.sendEvent(gutter, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                                                         gutter.mapToGlobal(point)))
        assert offered == [f"Open the video at {stamp(seconds)}", f"Copy link to {stamp(seconds)}"]
        assert QGuiApplication.clipboard().text() == catcher.urls[0]
    finally:
        QDesktopServices.unsetUrlHandler("https")


def test_estimated_times_follow_the_length_typed_until_subtitles_are_attached(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    window.resize(1920, 1080)
    view = named(window, QPlainTextEdit, "Transcript")
    assert isinstance(view, TranscriptView)
    qtbot.waitUntil(lambda: window.session.current.id == EPISODE or window.session.current is not None)
    if window.session.current.id != EPISODE:
        window.session.open_episode(EPISODE)
        qtbot.waitUntil(lambda: window.session.current.id == EPISODE, timeout=WAIT)
    transcript = window.session.current.transcript
    total = len(transcript.split())
    qtbot.waitUntil(lambda: len(view.paragraph_times()) >= 2, timeout=WAIT)
    assert all(text.startswith("≈") for _s, _r, text in view.paragraph_times())

    _answer_modal(qtbot, QInputDialog, "1:00:00", "OK")
    window.actions_by_name["set_length"].trigger()  # Episode → Set the episode's length…
    qtbot.waitUntil(lambda: "spread over 1:00:00" in window.statusBar().currentMessage(), timeout=WAIT)
    qtbot.waitUntil(lambda: view.times() is not None and view.times().starts[-1] > 3590, timeout=WAIT)
    for seconds, rect, text in view.paragraph_times():
        assert text == f"≈{stamp(seconds)}"
        assert abs(seconds - 3600 * _word_at(view, transcript, rect.center().y()) / total) < 1.5

    timed = timed_words(transcript)
    vtt = tmp_path / "ondertitels.nl.vtt"
    vtt.write_text(rolling_vtt(timed), encoding="utf-8")
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    _answer_modal(qtbot, QFileDialog, str(vtt), "Open")
    window.actions_by_name["attach_subtitles"].trigger()  # Episode → Attach subtitles…
    qtbot.waitUntil(lambda: any(m.startswith("Timed from ondertitels.nl.vtt: 100% of the words")
                                for m in said), timeout=WAIT)
    qtbot.waitUntil(lambda: view.times() is not None and not view.times().approximate, timeout=WAIT)
    for seconds, rect, text in view.paragraph_times():
        assert text == stamp(seconds)
        assert abs(seconds - timed[_word_at(view, transcript, rect.center().y())][1]) < 0.5


def _spoken_word(view: TranscriptView, transcript: str) -> int | None:
    spoken = view.spoken_range()
    return None if spoken is None else len(transcript[:spoken[0]].split())


def _in_view(view: TranscriptView) -> bool:
    spoken = view.spoken_range()
    assert spoken is not None
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.qt_position(spoken[0]))
    return view.viewport().rect().contains(view.cursorRect(cursor).center())


def test_listening_along_marks_and_follows_the_spoken_word(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    data, _vault, transcript, timed = _timed_vault(tmp_path, words=1500, audio=True)
    starts = [t for _w, t in timed]
    later = len(" ".join(transcript.split()[:1200])) + 1  # a highlight far down the transcript
    with Library.open(data, import_seeds=False) as library:
        highlight = library.add_highlight(EPISODE, later, later + len(" ".join(transcript[later:].split()[:6])))
    window = make_window(import_seeds=False, data_dir=data)
    window.resize(1366, 768)
    view = named(window, QPlainTextEdit, "Transcript")
    assert isinstance(view, TranscriptView)
    bar = named(window, QWidget, "Player")
    gutter = named(window, QWidget, "Paragraph times")
    qtbot.waitUntil(lambda: bar.isVisible() and window.listening.player is not None
                    and window.listening.player.isSeekable() and len(view.paragraph_times()) >= 2,
                    timeout=WAIT)
    player = window.listening.player
    assert player is not None

    def spoken_matches_player() -> bool:
        # The episode's stored times (kept to 10 ms: a word may start a few ms from the file's).
        times = view.times()
        assert times is not None and all(abs(a - b) <= 0.006 for a, b in zip(times.starts, starts, strict=True))
        return _spoken_word(view, transcript) == bisect_right(times.starts, player.position() / 1000) - 1

    # A click on the second paragraph's time plays from there; Space in the transcript pauses.
    seconds, rect, _text = view.paragraph_times()[1]
    first = _word_at(view, transcript, rect.center().y())
    qtbot.mouseClick(gutter, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: named(window, QToolButton, "Pause").isVisible(), timeout=WAIT)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: named(window, QToolButton, "Play").isVisible(), timeout=WAIT)
    qtbot.waitUntil(spoken_matches_player, timeout=WAIT)
    spoken = _spoken_word(view, transcript)
    times = view.times()
    assert times is not None
    assert spoken is not None and spoken >= first and times.starts[first] <= player.position() / 1000

    # The user scrolls away: the view stays where they read while the playing moves on.
    follow = named(window, QToolButton, "Follow the words")
    assert follow.isChecked()
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: not follow.isChecked())
    place = view.verticalScrollBar().value()
    before = _spoken_word(view, transcript)
    qtbot.mouseClick(named(window, QToolButton, "Forward 10 seconds"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _spoken_word(view, transcript) != before and spoken_matches_player(), timeout=WAIT)
    assert abs(starts[_spoken_word(view, transcript) or 0] - (starts[before or 0] + 10)) < 1.5
    assert view.verticalScrollBar().value() == place

    # Follow brings the spoken word back into view.
    qtbot.mouseClick(follow, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _in_view(view))

    # A highlight's ▶ (Ctrl+Return in the Highlights list) plays its passage and stops after it.
    listing = named(window, QListWidget, "Highlights")
    listing.setFocus()
    listing.setCurrentRow(0)
    assert window.pane.highlights.current_id() == highlight.id
    qtbot.keyClick(listing, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    word = len(transcript[:later].split())
    qtbot.waitUntil(lambda: (_spoken_word(view, transcript) or 0) >= word, timeout=WAIT)
    assert _in_view(view)
    qtbot.waitUntil(lambda: named(window, QToolButton, "Play").isVisible(), timeout=WAIT)  # it stopped
    assert word <= (_spoken_word(view, transcript) or 0) <= word + 7


def test_subtitles_put_beside_a_watched_note_time_the_open_episode(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    note = vault / "deepseek.md"
    note.write_bytes(SEED.read_bytes())
    data = tmp_path / "data"
    with Library.open(data, import_seeds=False) as library:
        library.import_paths([vault])
        transcript = library.episode(EPISODE).transcript
    window = make_window(import_seeds=False, data_dir=data, settings=watching(tmp_path, vault))
    window.resize(1920, 1080)
    view = named(window, QPlainTextEdit, "Transcript")
    assert isinstance(view, TranscriptView)
    wait_watched(qtbot, window, note)
    qtbot.waitUntil(lambda: len(view.paragraph_times()) >= 2, timeout=WAIT)
    assert all(text.startswith("≈") for _s, _r, text in view.paragraph_times())
    before = note.read_bytes()

    timed = timed_words(transcript)
    with qtbot.waitSignal(window.sources.refreshed, timeout=WAIT,
                          check_params_cb=lambda report: report.timed == [EPISODE]):
        (vault / f"DEEPSEEKPANIEK [{EPISODE}].nl.vtt").write_text(rolling_vtt(timed), encoding="utf-8")
    qtbot.waitUntil(lambda: view.times() is not None and not view.times().approximate, timeout=WAIT)
    for seconds, rect, text in view.paragraph_times():
        assert text == stamp(seconds)
        assert abs(seconds - timed[_word_at(view, transcript, rect.center().y())][1]) < 0.5
    assert note.read_bytes() == before  # the note is the text of record: never touched
