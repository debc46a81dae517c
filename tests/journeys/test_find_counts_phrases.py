"""Find in episode counts and steps through matches of what was typed: a two-word phrase is
one hit, not two."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory, named


def test_a_phrase_is_one_hit_in_the_counter_and_for_f3(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    transcript = window.session.current.transcript
    expected = len(re.findall(r"(?i)(?<!\w)open\s+source(?!\w)", transcript))
    assert expected >= 2
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = named(window, QLineEdit, "Find in episode")
    qtbot.keyClicks(field, "open source")
    counter = window.find_bar.findChild(QLabel, "hit_counter")
    qtbot.waitUntil(lambda: counter.text().endswith(f"/ {expected}"), timeout=10_000)
    view = named(window, QPlainTextEdit, "Transcript")

    def current_text() -> str:
        selection = view.extraSelections()[0]
        return QTextCursor(selection.cursor).selectedText().lower()

    seen = []
    for _ in range(expected):
        seen.append(current_text())
        qtbot.keyClick(field, Qt.Key.Key_F3)
    assert seen == ["open source"] * expected
