"""The design card's first hour in one journey, by keys and clicks on named widgets: first
start → open an episode → find → highlight → comment → promote → edit the takeaway → add a
related episode → restart → everything is back, at the same place."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QLineEdit, QListView, QListWidget, QPlainTextEdit, QPushButton, QToolButton
from pytestqt.qtbot import QtBot

from reader.ui.main_window import MainWindow
from reader.ui.roles import EPISODE_ID_ROLE
from reader.ui.widgets.dialogs import CommentDialog
from tests.ui.conftest import WindowFactory, named, shown_dialog, wait_saved


def _point(window: MainWindow, offset: int) -> QPoint:
    view = window.transcript
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.qt_position(offset))
    return view.cursorRect(cursor).center()


def test_the_first_hour(make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    episodes = named(window, QListView, "Episodes")
    # Open the second episode of the list with a click.
    second = episodes.model().index(1, 0)
    episode_id = second.data(EPISODE_ID_ROLE)
    qtbot.mouseClick(episodes.viewport(), Qt.MouseButton.LeftButton, pos=episodes.visualRect(second).center())
    qtbot.waitUntil(lambda: window.session.current.id == episode_id)
    transcript = window.session.current.transcript
    view = named(window, QPlainTextEdit, "Transcript")
    # Find "modellen" (Ctrl+F), step to the second hit (F3), close the find bar (Esc).
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    find = named(window, QLineEdit, "Find in episode")
    qtbot.keyClicks(find, "modellen")
    qtbot.waitUntil(lambda: view.hit_count() > 1, timeout=10_000)
    qtbot.keyClick(find, Qt.Key.Key_F3)
    assert view.current_hit() == 1
    qtbot.keyClick(find, Qt.Key.Key_Escape)
    # Highlight the words around the top of the view: click, Shift+Right, Ctrl+Shift+H (comment).
    top = view.top_original_offset()
    words = [m for m in re.finditer(r"\S+", transcript) if m.start() >= top]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_point(window, words[3].start()))
    for _ in range(words[7].end() - words[3].start()):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = shown_dialog(CommentDialog)
    qtbot.keyClicks(named(dialog, QPlainTextEdit, "Comment"), "Kern van de aflevering")
    qtbot.mouseClick(next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "OK"),
                     Qt.MouseButton.LeftButton)
    highlights = named(window, QListWidget, "Highlights")
    qtbot.waitUntil(lambda: len(window.highlights.highlights()) == 1)
    window.activateWindow()  # the dialog closed: the window manager gives the window back its focus
    qtbot.waitUntil(window.isActiveWindow)
    quote = transcript[words[3].start():words[7].end()]
    assert window.highlights.highlights()[0].quote == quote
    # Promote it with ★, then edit the takeaway (F2) to add a word, Enter.
    qtbot.mouseClick(highlights.viewport(), Qt.MouseButton.LeftButton,
                     pos=highlights.visualItemRect(highlights.item(highlights.count() - 1)).center())
    qtbot.mouseClick(named(window, QToolButton, "Promote to takeaway"), Qt.MouseButton.LeftButton)
    takeaways = named(window, QListWidget, "Key Takeaways")
    qtbot.waitUntil(lambda: takeaways.count() == 1)
    takeaways.setFocus()
    takeaways.setCurrentRow(0)
    qtbot.keyClick(takeaways, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QPlainTextEdit)
                    and QApplication.focusWidget().accessibleName() == "Edit takeaway")
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, " (belangrijk)")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    takeaway = " ".join(quote.split()) + " (belangrijk)"
    qtbot.waitUntil(lambda: takeaways.item(0).text() == takeaway)
    # Notes, typed with a heading.
    notes = named(window, QPlainTextEdit, "Notes")
    qtbot.mouseClick(notes.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(notes, "## Eerste indruk")
    qtbot.keyClick(notes, Qt.Key.Key_Return)
    qtbot.keyClicks(notes, "Sterk begin")
    # A related episode, by its title in the Add related field.
    other = next(e for e in window.episodes.model.episodes() if e.id != episode_id)
    entry = named(window, QLineEdit, "Add related")
    entry.setText(other.title)  # QTest cannot type the emoji some titles hold
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    wait_saved(qtbot, window)
    place = view.top_original_offset()
    window.close()
    qtbot.waitUntil(lambda: not window.writer.busy)

    again = make_window(data_dir=tmp_path / "data")
    qtbot.waitUntil(lambda: again.session.current is not None and again.session.current.id == episode_id)
    qtbot.waitUntil(lambda: not again.reader.busy)
    assert named(again, QPlainTextEdit, "Notes").toPlainText() == "## Eerste indruk\nSterk begin"
    assert again.pane.takeaways.texts() == [takeaway]
    [back] = again.highlights.highlights()
    assert (back.quote, back.comment) == (quote, "Kern van de aflevering")
    assert [link.episode_id for link in again.pane.related.related()] == [other.id]
    assert 0 <= place - again.transcript.top_original_offset() < 120
