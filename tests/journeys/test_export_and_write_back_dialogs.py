"""Export and write-back as a user answers their dialogs: the file dialog is filled in and
its button pressed; the next export starts in the folder chosen last; a finished export says
so in the status bar without a box; a refused write-back keeps the file on Enter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory, no_dialog_shown, shown_dialog
from tests.ui.test_source_sync import WAIT, import_vault, make_vault, save_atomically, watching


def _answer_file_dialog(qtbot: QtBot, file_name: str, seen: list[str]) -> None:
    """When the file dialog is up: type ``file_name`` into its name field and press Save."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, answer)
            return
        try:  # whatever goes wrong, the dialog goes (its exec() would wait for ever)
            seen.append(dialog.directory().absolutePath())
            name = dialog.findChild(QLineEdit, "fileNameEdit")
            name.setText(file_name)  # typed, its completer pops up over the field
            save = next(b for box in dialog.findChildren(QDialogButtonBox) for b in box.buttons()
                        if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole)
            assert save.text().replace("&", "") == "Save"
            qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, answer)


def test_export_remembers_its_folder_and_says_done_in_the_status_bar(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    target = tmp_path / "vault-export"
    target.mkdir()
    window = make_window()
    window.settings.export_folder = ""
    seen: list[str] = []
    _answer_file_dialog(qtbot, str(target / "eerste.md"), seen)
    with qtbot.waitSignal(window.tasks.export_finished, timeout=WAIT):
        window.actions_by_name["export_episode"].trigger()  # File → Export this episode…
    assert (target / "eerste.md").is_file()
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage())
    assert no_dialog_shown()  # no late "Export finished" box over the window
    _answer_file_dialog(qtbot, "tweede.md", seen)
    with qtbot.waitSignal(window.tasks.export_finished, timeout=WAIT):
        window.actions_by_name["export_episode"].trigger()
    assert seen[1] == str(target)  # the second export started where the first went
    assert (target / "tweede.md").is_file()


def test_a_refused_write_back_keeps_the_file_when_enter_is_pressed(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    vault, notes = make_vault(tmp_path)
    data = import_vault(tmp_path, vault)
    window = make_window(data_dir=data, settings=watching(tmp_path, vault))
    window.sources.stop()  # the change on disk below must stay unread: that is the refusal
    note = next(n for n in notes if window.session.current.source_path == str(n.resolve()))
    edited = note.read_text(encoding="utf-8").replace("## Notes\n", "## Notes\n\nin Obsidian\n", 1)
    save_atomically(note, edited)
    window.actions_by_name["write_back"].trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=WAIT)
    box = shown_dialog(QMessageBox)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Close)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible())
    qtbot.waitUntil(lambda: not window.writer.busy)
    assert note.read_text(encoding="utf-8") == edited
