"""Writing a takeaway: the editor the "+" opens is several lines high and wraps, so a long
takeaway is seen whole while typed; Enter keeps it, Esc leaves the list as it was."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QListWidget, QPlainTextEdit, QToolButton
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory, named, wait_saved

LONG = ("Open modellen uit Europa halen de Amerikaanse in zodra de rekenkracht er is en de "
        "data van goede kwaliteit blijft, zegt de gast")


def test_a_long_takeaway_is_typed_in_a_tall_wrapping_editor(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    takeaways = named(window, QListWidget, "Key Takeaways")
    qtbot.mouseClick(named(window, QToolButton, "Add takeaway"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QPlainTextEdit)
                    and QApplication.focusWidget().accessibleName() == "Edit takeaway")
    editor = QApplication.focusWidget()
    assert isinstance(editor, QPlainTextEdit)
    qtbot.keyClicks(editor, LONG)
    assert editor.height() >= 3 * editor.fontMetrics().lineSpacing()
    assert editor.horizontalScrollBar().maximum() == 0  # wrapped, nothing cut off at the side
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: takeaways.item(0) is not None and takeaways.item(0).text() == LONG)
    wait_saved(qtbot, window)
    assert window.library.episode(window.session.current.id).takeaways == [LONG]
    # Edit it again (F2, as the keyboard does), change it, then Esc: nothing changes.
    takeaways.setFocus()
    takeaways.setCurrentRow(0)
    qtbot.keyClick(takeaways, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not takeaways
                    and isinstance(QApplication.focusWidget(), QPlainTextEdit))
    editor = QApplication.focusWidget()
    assert editor.toPlainText() == LONG
    qtbot.keyClicks(editor, " en meer")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is takeaways)
    assert takeaways.item(0).text() == LONG
