"""Getting notes in and out through the window (issue 4): drag and drop, Cancel, a refused
write-back; and Help → About (issue 8.2)."""

from __future__ import annotations

import shutil
import sys
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, QPoint, QPointF, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from reader.ui.widgets.about_dialog import AboutDialog
from tests.ui.conftest import WindowFactory, shown_dialog

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
WAIT = 60_000


def test_dropping_a_folder_imports_it(make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(import_seeds=False, wait_for_episode=False)
    folder = tmp_path / "dropped"
    folder.mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(seed, folder / f"{seed.stem}.md")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    enter = QDragEnterEvent(QPoint(300, 300), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(300, 300), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.tasks.import_finished, timeout=WAIT) as blocker:
        QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    assert len(blocker.args[0].imported) == 2
    qtbot.waitUntil(lambda: window.episodes.model.rowCount() == 2)
    qtbot.waitUntil(lambda: window.session.current is not None)


def test_text_that_is_not_files_is_not_accepted(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window(import_seeds=False, wait_for_episode=False)
    mime = QMimeData()
    mime.setText("gewoon tekst")
    enter = QDragEnterEvent(QPoint(300, 300), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter.setAccepted(False)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_cancel_stops_an_import(make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    folder = tmp_path / "many"
    count = 400
    corpus.write_notes(folder, count)
    window = make_window(import_seeds=False, wait_for_episode=False)
    with qtbot.waitSignal(window.tasks.import_finished, timeout=WAIT) as blocker:
        window.tasks.import_paths([folder])
        # As a user would: once the strip counts the files, press its Cancel.
        qtbot.waitUntil(lambda: window.progress.bar.maximum() == count, timeout=WAIT)
        assert window.progress.isVisible() and window.progress.cancel.isEnabled()
        qtbot.mouseClick(window.progress.cancel, Qt.MouseButton.LeftButton)
        assert window.progress.label.text() == "Cancelling…"
    report = blocker.args[0]
    assert 0 < len(report.imported) < count  # stopped between files, what was done is kept
    assert window.statusBar().currentMessage().startswith("Import cancelled")
    assert not window.progress.isVisible()
    qtbot.waitUntil(lambda: window.episodes.model.rowCount() == len(report.imported))
    assert len(window.library.list_episodes()) == len(report.imported)


def test_write_back_refused_when_the_file_changed(make_window: WindowFactory, qtbot: QtBot,
                                                  tmp_path: Path) -> None:
    window = make_window(import_seeds=False, wait_for_episode=False)
    note = tmp_path / "mine" / "note.md"
    note.parent.mkdir()
    shutil.copy(SEEDS[0], note)
    with qtbot.waitSignal(window.tasks.import_finished, timeout=WAIT):
        window.tasks.import_paths([note])
    qtbot.waitUntil(lambda: window.session.current is not None, timeout=WAIT)
    changed = note.read_text(encoding="utf-8") + "\nToegevoegd in een andere editor.\n"
    note.write_text(changed, encoding="utf-8")
    with qtbot.waitSignal(window.tasks.write_back_finished, timeout=WAIT) as blocker:
        window.actions_by_name["write_back"].trigger()
    assert blocker.args == [""]
    box = shown_dialog(QMessageBox)
    assert "changed on disk since it was imported" in box.text()
    assert "left as it was" in box.informativeText()
    assert any(b.text() == "Overwrite anyway" for b in box.buttons())
    assert note.read_text(encoding="utf-8") == changed  # untouched
    assert window.statusBar().currentMessage().startswith("Not written back")
    box.close()


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def catch(self, url: QUrl) -> None:
        self.urls.append(url)


def test_about_shows_version_and_data_locations(make_window: WindowFactory, qtbot: QtBot,
                                                tmp_path: Path) -> None:
    window = make_window()
    window.actions_by_name["about"].trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    assert metadata.version("transcript-reader") in dialog.version_label.text()
    locations = {label: widget.text() for label, widget in dialog.location_labels.items()}
    data = str(tmp_path / "data")
    assert locations["Data folder"] == data
    assert locations["Database"].startswith(data) and locations["Database"].endswith(".sqlite3")
    assert locations["Search index"].startswith(data)
    assert locations["Settings file"] == str(tmp_path / "config" / "settings.yaml")
    selectable = dialog.location_labels["Data folder"].textInteractionFlags()
    assert selectable & Qt.TextInteractionFlag.TextSelectableByMouse
    assert data in dialog.details() and "MIT" in " ".join(
        label.text() for label in dialog.findChildren(type(dialog.version_label)))
    dialog.close()

    # Help → Open the data folder asks the desktop to show it (caught here, not opened).
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "catch")  # type: ignore[arg-type]
    try:
        window.actions_by_name["open_data_folder"].trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [url.toLocalFile() for url in catcher.urls] == [data]
