"""Related links by mouse: a suggestion double-clicked is added once, in sight; a link clicked
is selected (so − removes it) and a link double-clicked opens its episode."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QToolButton
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory, named, wait_saved


def _double_click(qtbot: QtBot, view: QListWidget, row: int) -> None:
    """What a mouse sends: press, release, then the double-click (QTest's mouseDClick alone
    sends only the last, which an item view takes as a first press)."""
    point = view.visualItemRect(view.item(row)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_a_suggestion_double_clicked_is_added_once_and_shown(
        make_window: WindowFactory, qtbot: QtBot, capsys) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    suggestions = named(window, QListWidget, "More like this")
    related = named(window, QListWidget, "Related")
    qtbot.waitUntil(lambda: suggestions.count() > 0, timeout=30_000)
    title = suggestions.item(0).text().removeprefix("+ ")
    before = suggestions.count()
    _double_click(qtbot, suggestions, 0)
    assert [related.item(r).text() for r in range(related.count())] == [f"→ {title}"]
    assert related.currentRow() == 0 and related.viewport().rect().intersects(related.visualItemRect(related.item(0)))
    assert suggestions.count() == before - 1
    wait_saved(qtbot, window)
    assert "Error" not in capsys.readouterr().err
    # One click selects the link and the − button removes it, without leaving the episode.
    reading = window.session.current.id
    link = related.visualItemRect(related.item(0)).center()
    qtbot.mouseClick(related.viewport(), Qt.MouseButton.LeftButton, pos=link)
    assert window.session.current.id == reading
    qtbot.mouseClick(named(window, QToolButton, "Remove related link"), Qt.MouseButton.LeftButton)
    assert related.count() == 0
    wait_saved(qtbot, window)
    assert window.library.episode(reading).related == []
