"""Typing in the episode filter narrows the list; what the user reads stays open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListView
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory


def test_typing_in_the_filter_leaves_the_open_episode_open(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    reading = window.session.current.id
    field = next(w for w in window.findChildren(QLineEdit) if w.accessibleName() == "Filter episodes")
    episodes = next(w for w in window.findChildren(QListView) if w.accessibleName() == "Episodes")
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    other = next(e for e in window.episodes.model.episodes() if e.id != reading)
    word = next(w for w in other.title.split() if w.isalpha() and len(w) > 3
                and w.lower() not in window.session.current.title.lower())
    for letter in word:
        qtbot.keyClick(field, letter)
        qtbot.waitUntil(lambda: not window.reader.busy)
    assert window.session.current.id == reading
    assert episodes.model().rowCount() >= 1  # the list shows the matches
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)  # the whole list again
    qtbot.waitUntil(lambda: not window.reader.busy)
    assert window.session.current.id == reading
    assert window.episodes.current_id() == reading
