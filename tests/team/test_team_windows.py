"""Two windows on one team library (a real PostgreSQL server), driven as a user drives them:
one highlights, the other paints it in place; a comment edited in a dialog while the other
changed it meets a conflict dialog with both texts; the server stopped under a window."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from reader.config import load_settings
from reader.library import Library
from reader.ui.main_window import MainWindow
from reader.ui.widgets.dialogs import CommentDialog
from tests.conftest import SEEDS
from tests.pg_server import Server
from tests.ui.conftest import named, shown_dialog, wait_saved

Opener = Callable[[str], MainWindow]


@pytest.fixture
def team_window(qtbot: QtBot, tmp_path: Path, pg_url: str) -> Iterator[Opener]:
    """Windows on the team library at ``pg_url``, one per user name (a client each)."""
    with Library.open(tmp_path / "setup", library_url=pg_url) as setup:
        setup.import_paths([SEEDS])
    opened: list[tuple[MainWindow, Library]] = []

    def open_as(name: str) -> MainWindow:
        library = Library.open(tmp_path / name, library_url=pg_url, author=name)
        window = MainWindow(library, load_settings(tmp_path / name / "settings.yaml"))
        qtbot.addWidget(window)
        opened.append((window, library))
        window.show()
        qtbot.waitUntil(lambda: window.session.current is not None, timeout=20_000)
        return window

    yield open_as
    for window, library in opened:
        window.close()
        library.close()


def _select_words(qtbot: QtBot, window: MainWindow, first: int, last: int) -> str:
    # Two windows are open: the keys go to the one the user brought to the front.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view = named(window, QPlainTextEdit, "Transcript")
    transcript = window.session.current.transcript
    words = list(re.finditer(r"\S+", transcript))
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.qt_position(words[first].start()))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center())
    for _ in range(words[last].end() - words[first].start()):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    return transcript[words[first].start():words[last].end()]


def test_a_highlight_made_in_one_window_is_painted_in_the_other(
        team_window: Opener, qtbot: QtBot) -> None:
    anna, bram = team_window("Anna"), team_window("Bram")
    assert anna.session.current.id == bram.session.current.id
    quote = _select_words(qtbot, anna, 5, 8)
    qtbot.keyClick(named(anna, QPlainTextEdit, "Transcript"), Qt.Key.Key_H,
                   Qt.KeyboardModifier.ControlModifier)
    wait_saved(qtbot, anna)
    theirs = named(bram, QListWidget, "Highlights")
    # Heard through NOTIFY (or the poll each second) and painted without a restart.
    qtbot.waitUntil(lambda: theirs.count() == 1, timeout=10_000)
    assert "Anna: “" in theirs.item(0).text()
    [painted] = bram.highlights.highlights()
    assert painted.quote == quote and painted.author == "Anna"
    # Bram filters to his own: Anna's goes from his list, not from the library.
    only_mine = named(bram, QCheckBox, "Only my highlights")
    assert only_mine.isVisible()
    box = QPoint(8, only_mine.height() // 2)  # on the box itself (the widget is as wide as the pane)
    qtbot.mouseClick(only_mine, Qt.MouseButton.LeftButton, pos=box)
    assert only_mine.isChecked() and theirs.count() == 0
    qtbot.mouseClick(only_mine, Qt.MouseButton.LeftButton, pos=box)
    assert theirs.count() == 1
    # Anna sees her own without a name.
    assert "Anna" not in named(anna, QListWidget, "Highlights").item(0).text()


def test_a_comment_changed_meanwhile_meets_a_conflict_dialog(
        team_window: Opener, qtbot: QtBot, tmp_path: Path, pg_url: str) -> None:
    bram = team_window("Bram")
    episode_id = bram.session.current.id
    transcript = bram.session.current.transcript
    word = next(re.finditer(r"\w{6,}", transcript))
    with Library.open(tmp_path / "anna", library_url=pg_url, author="Anna") as anna:
        made = anna.add_highlight(episode_id, word.start(), word.end(), comment="eerste")
        highlights = named(bram, QListWidget, "Highlights")
        qtbot.waitUntil(lambda: highlights.count() == 1, timeout=10_000)
        # Bram opens the comment (F2) and, while his dialog is open, Anna changes it.
        bram.activateWindow()
        qtbot.waitUntil(bram.isActiveWindow)
        highlights.setFocus()
        highlights.setCurrentRow(0)
        qtbot.keyClick(highlights, Qt.Key.Key_F2)
        dialog = shown_dialog(CommentDialog)
        anna.update_highlight(episode_id, made.id, comment="Anna's nieuwe opmerking")
        field = named(dialog, QPlainTextEdit, "Comment")
        field.selectAll()
        qtbot.keyClicks(field, "Brams opmerking")
        qtbot.mouseClick(next(b for b in dialog.findChildren(QPushButton)
                              if b.text().replace("&", "") == "OK"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and w.isVisible()
                                    and w.accessibleName() == "Comment conflict"
                                    for w in bram.findChildren(QMessageBox)), timeout=10_000)
        box = next(w for w in bram.findChildren(QMessageBox) if w.isVisible())
        assert "Anna" in box.text()
        assert "Anna's nieuwe opmerking" in box.informativeText()
        assert "Brams opmerking" in box.informativeText()
        # Until Bram chooses, Anna's stays.
        assert anna.episode(episode_id).highlights[0].comment == "Anna's nieuwe opmerking"
        qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "Use mine"),
                         Qt.MouseButton.LeftButton)
        wait_saved(qtbot, bram)
        qtbot.waitUntil(lambda: anna.episode(episode_id).highlights[0].comment == "Brams opmerking",
                        timeout=10_000)


def test_notes_typed_while_the_server_is_down_arrive_when_it_is_back(
        team_window: Opener, qtbot: QtBot, pg_server: Server, tmp_path: Path, pg_url: str) -> None:
    bram = team_window("Bram")
    episode_id = bram.session.current.id
    status = named(bram, QLabel, "Team library")
    assert status.text() == "Team library"
    pg_server.stop()
    try:
        qtbot.waitUntil(lambda: "offline" in status.text(), timeout=15_000)
        notes = named(bram, QPlainTextEdit, "Notes")
        notes.setFocus()
        qtbot.keyClicks(notes, "Getypt zonder server")
        qtbot.waitUntil(lambda: "Kept on this computer" in bram.saved_label.text(), timeout=10_000)
        assert bram.library.offline_edits == 1
    finally:
        pg_server.start()
    qtbot.waitUntil(lambda: status.text() == "Team library", timeout=15_000)
    with Library.open(tmp_path / "check", library_url=pg_url) as check:
        qtbot.waitUntil(lambda: check.episode(episode_id).notes == "Getypt zonder server",
                        timeout=15_000)
    qtbot.waitUntil(lambda: bram.library.offline_edits == 0, timeout=15_000)
