"""Saving never resets the episode list: a multi-selection survives typing in Notes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListView, QPlainTextEdit
from pytestqt.qtbot import QtBot

from reader.ui.roles import EPISODE_ID_ROLE, EPISODE_SUMMARY_ROLE
from tests.ui.conftest import WindowFactory, wait_saved


def _named(window, kind, name):  # type: ignore[no-untyped-def]
    return next(w for w in window.findChildren(kind) if w.accessibleName() == name)


def test_typing_in_notes_keeps_two_selected_episodes_selected(
        make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    episodes = _named(window, QListView, "Episodes")
    notes = _named(window, QPlainTextEdit, "Notes")
    first, second = (episodes.visualRect(episodes.model().index(r, 0)).center() for r in (0, 1))
    qtbot.mouseClick(episodes.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.waitUntil(lambda: window.session.current.id == window.episodes.selected_ids()[0])
    qtbot.mouseClick(episodes.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ControlModifier, pos=second)
    second_id = episodes.model().index(1, 0).data(EPISODE_ID_ROLE)
    qtbot.waitUntil(lambda: window.session.current.id == second_id)  # it opened
    selected = window.episodes.selected_ids()
    assert len(selected) == 2  # and both stay selected
    current = episodes.currentIndex().row()
    scroll = episodes.verticalScrollBar().value()
    qtbot.mouseClick(notes.viewport(), Qt.MouseButton.LeftButton)
    for word in ("Eerste ", "gedachte ", "hierover"):
        qtbot.keyClicks(notes, word)
        wait_saved(qtbot, window)
        # The save's change report reaches the list as a row update, read on the read runner.
        qtbot.waitUntil(lambda: not window.reader.busy)
    wait_saved(qtbot, window)
    # The list has learnt of the saves: the episode's row is marked annotated now.
    qtbot.waitUntil(lambda: episodes.model().index(1, 0).data(EPISODE_SUMMARY_ROLE).annotated)
    assert window.episodes.selected_ids() == selected
    assert episodes.currentIndex().row() == current
    assert episodes.verticalScrollBar().value() == scroll
    assert window.session.autosaver.idle
