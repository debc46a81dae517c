"""A highlight grows and shrinks by whole words with the keys a selection grows with, in the
Highlights list: Shift+Right/Left move its end, Ctrl+Shift+Left/Right its start."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory, named, wait_saved


def test_shift_arrows_on_the_selected_highlight_resize_it(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    episode_id = window.session.current.id
    transcript = window.session.current.transcript
    words = list(re.finditer(r"\S+", transcript))
    window.highlights.add(words[20].start(), words[22].end(), "yellow")
    highlights = named(window, QListWidget, "Highlights")
    qtbot.waitUntil(lambda: len(window.highlights.highlights()) == 1)
    [highlight] = window.highlights.highlights()
    highlights.setFocus()
    qtbot.mouseClick(highlights.viewport(), Qt.MouseButton.LeftButton,
                     pos=highlights.visualItemRect(highlights.item(highlights.count() - 1)).center())

    def quote() -> str:
        found = window.highlights.find(highlight.id)
        return found.quote if found else ""

    qtbot.keyClick(highlights, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: quote() == transcript[words[20].start():words[23].end()])
    qtbot.keyClick(highlights, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: quote() == transcript[words[19].start():words[23].end()])
    for _ in range(2):
        qtbot.keyClick(highlights, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
        wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: quote() == transcript[words[19].start():words[21].end()])
    wait_saved(qtbot, window)
    [stored] = window.library.episode(episode_id).highlights
    assert stored.quote == transcript[words[19].start():words[21].end()] and stored.id == highlight.id
    # It never shrinks to nothing.
    for _ in range(4):
        qtbot.keyClick(highlights, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
        wait_saved(qtbot, window)
    assert window.highlights.find(highlight.id).quote == transcript[words[19].start():words[19].end()]
    assert "at least one word" in window.statusBar().currentMessage()
