"""The Search tab's "?" explains the query syntax."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QToolButton
from pytestqt.qtbot import QtBot

from reader.ui.widgets.dialogs import TextDialog
from tests.ui.conftest import WindowFactory, named, shown_dialog


def test_the_question_mark_shows_the_query_syntax(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # the Search tab
    button = named(window, QToolButton, "Search help")
    qtbot.waitUntil(button.isVisible)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = shown_dialog(TextDialog)
    text = named(dialog, QPlainTextEdit, "Search help").toPlainText()
    assert '"open source"' in text and "NOT" in text and "taal*" in text
    dialog.reject()
