"""Sorted by "Last opened", the list follows the session: what the user opens moves to the top,
and episodes never opened follow, A to Z."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QListView
from pytestqt.qtbot import QtBot

from reader.ui.roles import EPISODE_SUMMARY_ROLE
from tests.ui.conftest import WindowFactory, named


def _titles(view: QListView) -> list[str]:
    model = view.model()
    return [model.index(r, 0).data(EPISODE_SUMMARY_ROLE).title for r in range(model.rowCount())]


def test_last_opened_follows_what_is_opened(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    episodes = named(window, QListView, "Episodes")
    sort = named(window, QComboBox, "Sort episodes")
    sort.setFocus()
    while sort.currentText() != "Last opened":
        qtbot.keyClick(sort, Qt.Key.Key_Down)
    opened_first = window.session.current.title
    qtbot.waitUntil(lambda: _titles(episodes)[0] == opened_first)
    never = _titles(episodes)[1:]
    assert never == sorted(never, key=str.casefold)  # A to Z
    # Open the last one with the mouse: it moves to the top, the one read before comes second.
    last = episodes.model().index(episodes.model().rowCount() - 1, 0)
    chosen = last.data(EPISODE_SUMMARY_ROLE).title
    qtbot.mouseClick(episodes.viewport(), Qt.MouseButton.LeftButton, pos=episodes.visualRect(last).center())
    qtbot.waitUntil(lambda: _titles(episodes)[:2] == [chosen, opened_first], timeout=10_000)
    assert window.session.current.title == chosen
    assert episodes.currentIndex().data(EPISODE_SUMMARY_ROLE).title == chosen  # still the selected row
