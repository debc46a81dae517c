"""Search in the window knows speech-recognition spellings: "chatgpt" finds "chat gpt", and
a query that finds nothing offers the nearest words of the library, one click away."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListView, QPushButton
from pytestqt.qtbot import QtBot

from reader.ui.roles import SEARCH_RESULT_ROLE
from tests.ui.conftest import WindowFactory, named


def test_a_split_name_is_found_and_a_misspelling_offers_the_word(
        make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    field = named(window, QLineEdit, "Search all episodes")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    qtbot.keyClicks(field, "chatgpt")
    results = named(window, QListView, "Search results")
    qtbot.waitUntil(lambda: results.model().rowCount() == 5, timeout=30_000)
    marked = {" ".join(s.text[a:b].lower().split())
              for row in range(5) for s in results.model().index(row, 0).data(SEARCH_RESULT_ROLE).snippets
              if s.field == "transcript" for a, b in s.ranges}
    assert marked == {"chat gpt"}  # the two words are one hit

    field.selectAll()
    qtbot.keyClicks(field, "inteligentie")
    offers = [b for b in window.findChildren(QPushButton) if b.accessibleName() == "Did you mean"]
    qtbot.waitUntil(lambda: any(b.isVisible() for b in offers), timeout=30_000)
    assert any(label.text() == "No episode matches “inteligentie”." for label in window.findChildren(QLabel))
    offer = next(b for b in offers if b.isVisible())
    assert offer.text() == "Did you mean “intelligentie”?"
    qtbot.mouseClick(offer, Qt.MouseButton.LeftButton)
    assert field.text() == "intelligentie"
    qtbot.waitUntil(lambda: results.model().rowCount() > 0, timeout=30_000)
    assert not any(b.isVisible() for b in offers)
