"""The window and six command-line writers on one library: nothing lost, nothing twice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolButton
from pytestqt.qtbot import QtBot

from reader.library import Library
from reader.ui.main_window import MainWindow
from tests.conftest import ROOT
from tests.ui.conftest import WindowFactory, wait_saved


def _open_editor(window: MainWindow) -> QPlainTextEdit:
    """The takeaway editor that is open and has the keyboard focus."""
    editor = QApplication.focusWidget()
    assert isinstance(editor, QPlainTextEdit) and editor.accessibleName() == "Edit takeaway", editor
    assert editor.window() is window and window.pane.takeaways.isAncestorOf(editor)
    return editor


def _new_takeaway_typed(window: MainWindow, qtbot: QtBot, text: str) -> None:
    window.actions_by_name["new_takeaway"].trigger()  # Edit → New takeaway
    editor = _open_editor(window)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits an edit on Return through a queued call: wait for it to land.
    qtbot.waitUntil(lambda: text in window.pane.takeaways.texts())


def test_window_and_six_cli_writers_keep_every_takeaway_once(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    episode_id = window.session.current.id
    _new_takeaway_typed(window, qtbot, "uit het venster 0")
    wait_saved(qtbot, window)
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONWARNINGS="always")
    writers = [subprocess.Popen(
        [sys.executable, "-m", "reader.cli", "--data-dir", str(tmp_path / "data"), "annotate",
         episode_id, "--add-takeaway", f"cli {n} a", "--add-takeaway", f"cli {n} b"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
        for n in range(6)]
    for n in range(1, 4):  # the user goes on adding while the writers run
        _new_takeaway_typed(window, qtbot, f"uit het venster {n}")
        wait_saved(qtbot, window)
    for writer in writers:
        _out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0 and err == "", err
    _new_takeaway_typed(window, qtbot, "uit het venster 4")  # a save after all of them
    wait_saved(qtbot, window)
    expected = sorted([f"uit het venster {n}" for n in range(5)]
                      + [f"cli {n} {x}" for n in range(6) for x in "ab"])
    with Library.open(tmp_path / "data", import_seeds=False) as fresh:
        assert sorted(fresh.episode(episode_id).takeaways) == expected
    # The window shows what arrived from the command line too.
    qtbot.waitUntil(lambda: sorted(window.pane.takeaways.texts()) == expected, timeout=10_000)


def test_the_plus_button_opens_an_editor_that_takes_typing(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    episode_id = window.session.current.id
    plus = next(b for b in window.pane.findChildren(QToolButton) if b.accessibleName() == "Add takeaway")
    qtbot.mouseClick(plus, Qt.MouseButton.LeftButton)
    editor = _open_editor(window)
    qtbot.keyClicks(editor, "Getypt na de plus")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits an edit on Return through a queued call: wait for it to land.
    qtbot.waitUntil(lambda: window.pane.takeaways.texts() == ["Getypt na de plus"])
    wait_saved(qtbot, window)
    with Library.open(tmp_path / "data", import_seeds=False) as fresh:
        assert fresh.episode(episode_id).takeaways == ["Getypt na de plus"]


def test_notes_changed_from_the_command_line_while_typing_keep_both_texts(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    episode_id = window.session.current.id
    notes = next(w for w in window.pane.findChildren(QPlainTextEdit) if w.accessibleName() == "Notes")
    qtbot.mouseClick(notes.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(notes, "Mijn notitie")
    wait_saved(qtbot, window)
    done = subprocess.run([sys.executable, "-m", "reader.cli", "--data-dir", str(tmp_path / "data"),
                           "annotate", episode_id, "--notes", "Van de opdrachtregel"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    qtbot.keyClicks(notes, " en meer")
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: "Van de opdrachtregel" in notes.toPlainText())
    wait_saved(qtbot, window)
    with Library.open(tmp_path / "data", import_seeds=False) as fresh:
        stored = fresh.episode(episode_id).notes
    assert "Mijn notitie en meer" in stored and "Van de opdrachtregel" in stored
    assert notes.toPlainText() == stored
