"""Highlighting as a hand does it: a selection that starts and ends inside words takes whole
words (and so does the takeaway promoted from it); a selection over a highlight merges."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QListWidget, QPlainTextEdit, QToolButton
from pytestqt.qtbot import QtBot

from reader.library import Library
from reader.ui.main_window import MainWindow
from tests.ui.conftest import WindowFactory, named, wait_saved


def _words(text: str) -> list[re.Match[str]]:
    return list(re.finditer(r"\S+", text))


def _click_inside(window: MainWindow, qtbot: QtBot, offset: int) -> None:
    """A mouse click at character ``offset`` of the transcript (between it and the next)."""
    view = named(window, QPlainTextEdit, "Transcript")
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.qt_position(offset))
    point = view.cursorRect(cursor).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert abs(view.original_offset(view.textCursor().position()) - offset) <= 1


def _extend(window: MainWindow, qtbot: QtBot, characters: int) -> None:
    view = named(window, QPlainTextEdit, "Transcript")
    for _ in range(characters):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


def test_a_ragged_selection_is_highlighted_and_promoted_as_whole_words(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    transcript = window.session.current.transcript
    words = _words(transcript)
    # From inside word 3 to inside word 6 ("d|e Nederlandse podcast ov|er"), as a hand drags.
    _click_inside(window, qtbot, words[3].start() + 1)
    _extend(window, qtbot, words[6].start() + 2 - (words[3].start() + 1))
    qtbot.keyClick(named(window, QPlainTextEdit, "Transcript"), Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    highlights = named(window, QListWidget, "Highlights")
    qtbot.waitUntil(lambda: highlights.count() == 1)
    wait_saved(qtbot, window)
    with Library.open(tmp_path / "data", import_seeds=False) as fresh:
        [highlight] = fresh.episode(window.session.current.id).highlights
    assert highlight.quote == transcript[words[3].start():words[6].end()]
    # Promote it with the list's ★ button: the takeaway is the same whole words.
    highlights.setCurrentRow(0)
    qtbot.mouseClick(named(window, QToolButton, "Promote to takeaway"), Qt.MouseButton.LeftButton)
    takeaways = named(window, QListWidget, "Key Takeaways")
    qtbot.waitUntil(lambda: takeaways.count() == 1)
    assert takeaways.item(0).text() == " ".join(transcript[words[3].start():words[6].end()].split())


def test_a_selection_over_a_highlight_merges_into_it_in_the_new_colour(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    transcript = window.session.current.transcript
    words = _words(transcript)
    view = named(window, QPlainTextEdit, "Transcript")
    _click_inside(window, qtbot, words[10].start())
    _extend(window, qtbot, words[12].end() - words[10].start())
    qtbot.keyClick(view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    highlights = named(window, QListWidget, "Highlights")
    qtbot.waitUntil(lambda: highlights.count() == 1)
    _click_inside(window, qtbot, words[16].start())
    _extend(window, qtbot, words[18].end() - words[16].start())
    qtbot.keyClick(view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: highlights.count() == 2)
    wait_saved(qtbot, window)
    # From inside word 11 to inside word 17, in green (Alt+2): both are covered.
    _click_inside(window, qtbot, words[11].start() + 1)
    _extend(window, qtbot, words[17].start() + 1 - (words[11].start() + 1))
    qtbot.keyClick(view, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: highlights.count() == 1)
    wait_saved(qtbot, window)
    with Library.open(tmp_path / "data", import_seeds=False) as fresh:
        [merged] = fresh.episode(window.session.current.id).highlights
    assert merged.quote == transcript[words[10].start():words[18].end()]
    assert merged.colour == "green"
    assert window.highlights.highlights() == [merged]
