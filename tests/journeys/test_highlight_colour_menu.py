"""Edit → Highlight in colour shows each colour's swatch and ticks the one in use: Ctrl+H
highlights in the colour chosen last."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QListWidget, QMenu, QPlainTextEdit
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory, named


def _select(view: QPlainTextEdit, start: int, end: int) -> None:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.qt_position(start))
    cursor.setPosition(view.qt_position(end, end=True), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def test_the_colour_menu_has_swatches_ticks_the_colour_and_ctrl_h_uses_it(
        make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    edit = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Edit")
    colours = next(a.menu() for a in edit.actions() if a.menu() is not None)
    assert isinstance(colours, QMenu)
    assert all(not a.icon().isNull() for a in colours.actions())
    assert [a.text() for a in colours.actions() if a.isChecked()] == ["Highlight in yellow"]
    view = named(window, QPlainTextEdit, "Transcript")
    words = list(re.finditer(r"\S+", window.session.current.transcript))
    _select(view, words[30].start(), words[32].end())
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)  # blue
    highlights = named(window, QListWidget, "Highlights")
    qtbot.waitUntil(lambda: len(window.highlights.highlights()) == 1)
    assert [a.text() for a in colours.actions() if a.isChecked()] == ["Highlight in blue"]
    _select(view, words[40].start(), words[42].end())
    qtbot.keyClick(view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(window.highlights.highlights()) == 2)
    assert [h.colour for h in window.highlights.highlights()] == ["blue", "blue"]
    assert highlights.count() >= 2
