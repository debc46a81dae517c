"""The bundled samples can be removed (File → Remove from library…), and stay removed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListView, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from reader.ui.roles import EPISODE_ID_ROLE
from tests.ui.conftest import WindowFactory, named, shown_dialog


def _ids(view: QListView) -> list[str]:
    return [view.model().index(r, 0).data(EPISODE_ID_ROLE) for r in range(view.model().rowCount())]


def test_a_sample_is_removed_through_the_menu_and_its_dialog(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    episodes = named(window, QListView, "Episodes")
    sample = window.session.current.id
    qtbot.mouseClick(episodes.viewport(), Qt.MouseButton.LeftButton,
                     pos=episodes.visualRect(episodes.model().index(_ids(episodes).index(sample), 0)).center())
    window.actions_by_name["remove_episode"].trigger()  # File → Remove from library…
    box = shown_dialog(QMessageBox)
    assert "bundled samples" in box.informativeText()
    remove = next(b for b in box.findChildren(QPushButton) if b.text() == "Remove")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sample not in _ids(episodes), timeout=10_000)
    assert len(_ids(episodes)) == 4
    window.close()
    qtbot.waitUntil(lambda: not window.writer.busy)
    again = make_window(data_dir=tmp_path / "data")
    assert sample not in _ids(named(again, QListView, "Episodes"))  # not imported again
