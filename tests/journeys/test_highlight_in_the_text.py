"""A highlight in the text says what it is when pointed at, and right-clicking it offers what
can be done with it: comment, colour (the current one ticked), promote, delete."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QListWidget, QMenu, QPlainTextEdit, QPushButton, QToolTip
from pytestqt.qtbot import QtBot

from reader.ui.main_window import MainWindow
from reader.ui.widgets.dialogs import CommentDialog
from tests.ui.conftest import WindowFactory, named, shown_dialog, wait_saved


def _point_of(window: MainWindow, offset: int) -> QPoint:
    view = named(window, QPlainTextEdit, "Transcript")
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.qt_position(offset))
    return view.cursorRect(cursor).center()


def _right_click_and_choose(view: QPlainTextEdit, point: QPoint, *path: str) -> list[str]:
    """Right-clicks ``point`` of the view, then picks ``path`` through the menu (and submenus)
    as the user would; returns the texts the first menu offered."""
    offered: list[str] = []

    def label(action: QAction) -> str:
        return action.text().replace("&", "").split("\t")[0]

    def choose() -> None:
        top = QApplication.activePopupWidget()
        assert isinstance(top, QMenu)
        chosen = None
        try:  # whatever goes wrong, the menu closes (its exec() would wait for ever)
            offered.extend(label(a) for a in top.actions())
            menu = top
            for step in path[:-1]:
                submenu = next(a.menu() for a in menu.actions() if label(a) == step)
                assert isinstance(submenu, QMenu)
                menu = submenu
            offered.extend(f"ticked: {label(a)}" for a in menu.actions() if a.isChecked())
            chosen = next(a for a in menu.actions() if label(a) == path[-1])
        finally:
            top.close()
        chosen.trigger()

    QTimer.singleShot(0, choose)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    return offered


def test_pointing_at_and_right_clicking_a_highlight(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    view = named(window, QPlainTextEdit, "Transcript")
    transcript = window.session.current.transcript
    words = list(re.finditer(r"\S+", transcript))
    # Highlight words 5–9: click before word 5, Shift+Right to the end of word 9, Ctrl+H.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_point_of(window, words[5].start()))
    for _ in range(words[9].end() - words[5].start()):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    highlights = named(window, QListWidget, "Highlights")
    qtbot.waitUntil(lambda: highlights.count() == 1)
    [highlight] = window.highlights.highlights()
    point = _point_of(window, words[7].start() + 1)
    # Right-click → Add comment…, typed in the dialog, OK.
    offered = _right_click_and_choose(view, point, "Add comment…")
    assert offered[:4] == ["Add comment…", "Colour", "Promote to takeaway", "Delete highlight"]
    dialog = shown_dialog(CommentDialog)
    qtbot.keyClicks(named(dialog, QPlainTextEdit, "Comment"), "<b>let op</b> dit")
    qtbot.mouseClick(next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "OK"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.highlights.find(highlight.id).comment == "<b>let op</b> dit")
    # Pointing at it shows the comment, as text.
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point)))
    qtbot.waitUntil(QToolTip.isVisible)
    assert "&lt;b&gt;let op&lt;/b&gt; dit" in QToolTip.text()
    # Right-click → Colour → Blue (yellow, its colour now, is the one ticked).
    offered = _right_click_and_choose(view, point, "Colour", "Blue")
    assert offered[0] == "Edit comment…" and "ticked: Yellow" in offered
    qtbot.waitUntil(lambda: window.highlights.find(highlight.id).colour == "blue")
    # Right-click → Promote; then → Delete.
    _right_click_and_choose(view, point, "Promote to takeaway")
    takeaways = named(window, QListWidget, "Key Takeaways")
    qtbot.waitUntil(lambda: takeaways.count() == 1)
    _right_click_and_choose(view, point, "Delete highlight")
    qtbot.waitUntil(lambda: window.highlights.find(highlight.id) is None)
    wait_saved(qtbot, window)
    assert window.library.episode(window.session.current.id).highlights == []
    # Off a highlight, the menu has no highlight actions.
    assert "Delete highlight" not in _right_click_and_choose(view, _point_of(window, words[30].start()), "Select All")
