"""Following a Related link and coming back: Alt+Left returns to the episode read before, at
the place it was left."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QPlainTextEdit
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory, named


def test_alt_left_goes_back_to_where_the_link_was_followed(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    first = window.session.current
    view = named(window, QPlainTextEdit, "Transcript")
    view.verticalScrollBar().setValue(90)
    place = window.transcript.top_original_offset()
    other = next(e for e in window.episodes.model.episodes() if e.id != first.id)
    entry = named(window, QLineEdit, "Add related")
    entry.setText(other.title)  # QTest cannot type the emoji some titles hold
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    related = named(window, QListWidget, "Related")
    point = related.visualItemRect(related.item(0)).center()
    qtbot.mouseClick(related.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(related.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.session.current.id == other.id, timeout=10_000)
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.session.current.id == first.id, timeout=10_000)
    assert 0 <= place - window.transcript.top_original_offset() < 120
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.session.current.id == first.id
    assert "No episode to go back to" in window.statusBar().currentMessage()
