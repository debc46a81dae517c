"""Search: each snippet of a result is its own click target, and a hit in the Notes is labelled
and opens the Notes at it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QLineEdit, QListView, QPlainTextEdit
from pytestqt.qtbot import QtBot

from reader.ui.main_window import MainWindow
from reader.ui.roles import SEARCH_RESULT_ROLE
from tests.ui.conftest import WindowFactory, named, wait_saved


def _search(window: MainWindow, qtbot: QtBot, query: str) -> QListView:
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    field = named(window, QLineEdit, "Search all episodes")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    qtbot.keyClicks(field, query)
    results = named(window, QListView, "Search results")
    qtbot.waitUntil(lambda: results.model().rowCount() > 0, timeout=30_000)
    return results


def test_clicking_the_second_snippet_opens_at_its_hit(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    results = _search(window, qtbot, "modellen")
    row = next(r for r in range(results.model().rowCount())
               if [s.field for s in results.model().index(r, 0).data(SEARCH_RESULT_ROLE).snippets[:2]]
               == ["transcript", "transcript"])
    index = results.model().index(row, 0)
    result = index.data(SEARCH_RESULT_ROLE)
    second = result.snippets[1]
    expected = second.offset + second.ranges[0][0]
    assert expected != result.best_offset
    results.scrollTo(index)
    rect = results.visualRect(index)
    qtbot.mouseClick(results.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.center().x(), rect.bottom() - 8))
    view = window.transcript
    qtbot.waitUntil(lambda: window.session.current.id == result.episode_id and view.current_hit() >= 0,
                    timeout=20_000)
    # The current hit (painted apart from the others) is the second snippet's.
    qtbot.waitUntil(lambda: bool(view.extraSelections()))
    selection = view.extraSelections()[0]
    current = QTextCursor(selection.cursor).selectionStart()
    assert abs(view.original_offset(current) - expected) <= 1
    # The result said how many hits the episode has: the find bar steps through as many.
    assert result.hit_count > 1 and view.hit_count() == result.hit_count


def test_a_hit_in_the_notes_is_labelled_and_opens_the_notes_at_it(
        make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    notes = named(window, QPlainTextEdit, "Notes")
    qtbot.mouseClick(notes.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(notes, "Eerst iets anders. Dan het zebrapadprobleem en verder")
    wait_saved(qtbot, window)
    episode_id = window.session.current.id
    other = next(e.id for e in window.episodes.model.episodes() if e.id != episode_id)
    window.session.open_episode(other)
    qtbot.waitUntil(lambda: window.session.current.id == other)
    results = _search(window, qtbot, "zebrapadprobleem")
    index = results.model().index(0, 0)
    result = index.data(SEARCH_RESULT_ROLE)
    assert result.episode_id == episode_id and result.snippets[0].field == "notes"
    qtbot.mouseClick(results.viewport(), Qt.MouseButton.LeftButton, pos=results.visualRect(index).center())
    qtbot.waitUntil(lambda: window.session.current.id == episode_id, timeout=20_000)
    qtbot.waitUntil(lambda: notes.textCursor().selectedText() == "zebrapadprobleem")
    assert "no hits" not in window.statusBar().currentMessage().lower()
