"""Every interactive widget a user reaches has a name a screen reader can say, and the menu
keeps the action texts the README and the shortcut list use."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QListView, QListWidget, QPlainTextEdit, QToolButton
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory, named

NAMED = [
    (QListView, "Episodes"), (QLineEdit, "Filter episodes"), (QComboBox, "Sort episodes"),
    (QLineEdit, "Search all episodes"), (QListView, "Search results"),
    (QPlainTextEdit, "Transcript"), (QLineEdit, "Find in episode"),
    (QToolButton, "Previous hit"), (QToolButton, "Next hit"), (QToolButton, "Clear find"),
    (QPlainTextEdit, "Notes"), (QListWidget, "Highlights"), (QListWidget, "Key Takeaways"),
    (QListWidget, "Related"), (QLineEdit, "Add related"), (QListWidget, "More like this"),
    (QToolButton, "Add takeaway"), (QToolButton, "Move takeaway up"), (QToolButton, "Move takeaway down"),
    (QToolButton, "Delete takeaway"), (QToolButton, "Edit comment"), (QToolButton, "Promote to takeaway"),
    (QToolButton, "Delete highlight"), (QToolButton, "Remove related link"),
]


def test_each_interactive_widget_has_its_name(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    for kind, name in NAMED:
        assert named(window, kind, name).isVisibleTo(window) or name in ("Search all episodes", "Search results")


def test_menus_keep_their_action_texts(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    texts = {action.text().replace("&", "") for menu in window.menuBar().actions()
             for action in menu.menu().actions()}
    for wanted in ("New takeaway", "Highlight selection", "Export this episode…",
                   "Write back to the source file", "Find in this episode"):
        assert any(text.startswith(wanted) for text in texts), (wanted, sorted(texts))
