"""The Edit menu's editing commands work on what has the focus, as their keys do; the
shortcut list (and the README's Keyboard section) shows keys a keyboard has."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from reader.ui.widgets.dialogs import ShortcutsDialog
from tests.conftest import ROOT
from tests.ui.conftest import WindowFactory, named, shown_dialog


def _menu_action(window, menu_title: str, text: str):  # type: ignore[no-untyped-def]
    """The action of that menu whose text (before its key) is ``text``, as the menu shows it."""
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == menu_title)
    menu.aboutToShow.emit()
    return next(a for a in menu.actions() if a.text().replace("&", "").split("\t")[0] == text)


def test_edit_menu_cuts_pastes_and_undoes_in_notes(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    notes = named(window, QPlainTextEdit, "Notes")
    qtbot.mouseClick(notes.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(notes, "## Kop")
    qtbot.keyClick(notes, Qt.Key.Key_Return)
    qtbot.keyClicks(notes, "wat ik dacht")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is notes)
    _menu_action(window, "Edit", "Select all").trigger()
    _menu_action(window, "Edit", "Cut").trigger()
    assert notes.toPlainText() == ""
    _menu_action(window, "Edit", "Paste").trigger()
    _menu_action(window, "Edit", "Paste").trigger()
    assert notes.toPlainText() == "## Kop\nwat ik dacht## Kop\nwat ik dacht"
    _menu_action(window, "Edit", "Undo").trigger()
    assert notes.toPlainText() == "## Kop\nwat ik dacht"
    _menu_action(window, "Edit", "Redo").trigger()
    assert notes.toPlainText().count("## Kop") == 2


def test_edit_menu_copies_from_the_transcript_and_says_it_cannot_be_cut(
        make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    transcript = named(window, QPlainTextEdit, "Transcript")
    qtbot.mouseClick(transcript.viewport(), Qt.MouseButton.LeftButton)
    qtbot.mouseDClick(transcript.viewport(), Qt.MouseButton.LeftButton, pos=transcript.viewport().rect().center())
    selected = transcript.textCursor().selectedText()
    assert selected
    _menu_action(window, "Edit", "Copy").trigger()
    assert QApplication.clipboard().text() == selected
    _menu_action(window, "Edit", "Cut").trigger()
    assert "cannot be edited" in window.statusBar().currentMessage()


def test_the_shortcut_list_names_real_keys_and_matches_the_readme(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    _menu_action(window, "Help", "Keyboard shortcuts").trigger()
    dialog = shown_dialog(ShortcutsDialog)
    table = dialog.table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    for keys in rows.values():
        for key in keys.split(", "):
            assert key not in ("Open", "Exit", "Close", "Help", "Find", "Copy", "Paste"), rows
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Keyboard", 1)[1].split("\n## ", 1)[0]
    listed = dict(re.findall(r"^\| (.+?) \| (.+?) \|$", section, flags=re.MULTILINE)[1:])
    assert listed == rows
    dialog.findChild(QPushButton).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
