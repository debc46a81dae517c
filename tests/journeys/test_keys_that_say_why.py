"""A key that cannot act says why in the status bar, and find says when it wraps around."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory, named


def test_ctrl_h_without_a_selection_says_what_to_do(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    view = named(window, QPlainTextEdit, "Transcript")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert "Select words in the transcript first" in window.statusBar().currentMessage()
    assert window.highlights.highlights() == []


def test_find_says_when_it_wraps(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = named(window, QLineEdit, "Find in episode")
    qtbot.keyClicks(field, "open source")
    view = window.transcript
    qtbot.waitUntil(lambda: view.hit_count() > 1, timeout=10_000)
    for _ in range(view.hit_count() - 1 - view.current_hit()):
        qtbot.keyClick(field, Qt.Key.Key_F3)
    assert "back at the first" not in window.statusBar().currentMessage()
    qtbot.keyClick(field, Qt.Key.Key_F3)
    assert view.current_hit() == 0
    assert "back at the first" in window.statusBar().currentMessage()
