"""Watched library folders (issue 7.2): notes edited, deleted or added on disk while the
window runs, and while it was closed, reach the window without losing the reader's place."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QMessageBox, QStyleOptionViewItem, QToolTip
from pytestqt.qtbot import QtBot

from reader.config import Settings, load_settings
from reader.library import EpisodeSummary, Library
from reader.ui.main_window import MainWindow
from reader.ui.widgets.dialogs import ErrorListDialog
from reader.ui.widgets.episode_list import SUMMARY_ROLE
from tests.ui.conftest import WindowFactory, no_dialog_shown, shown_dialog, wait_saved

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
WAIT = 20_000


def make_vault(tmp_path: Path, count: int = 2) -> tuple[Path, list[Path]]:
    vault = tmp_path / "vault"
    (vault / "sub").mkdir(parents=True)
    notes = [vault / "first.md", vault / "sub" / "second.md", vault / "third.md"][:count]
    for seed, note in zip(SEEDS, notes, strict=False):  # as many notes as the test asks for
        shutil.copy(seed, note)
    return vault, notes


def import_vault(tmp_path: Path, vault: Path) -> Path:
    """Imports ``vault`` into a data dir the way an earlier session of the app left it."""
    data = tmp_path / "data"
    library = Library.open(data, import_seeds=False)
    try:
        report = library.import_paths([vault])
        assert report.imported and not report.failed
    finally:
        library.close()
    return data


def watching(tmp_path: Path, vault: Path) -> Settings:
    settings = load_settings(tmp_path / "config" / "settings.yaml")
    settings.library_folders = [str(vault)]
    return settings


def summary(window: MainWindow, episode_id: str) -> EpisodeSummary | None:
    return next((e for e in window.episodes.model.episodes() if e.id == episode_id), None)


def save_atomically(path: Path, text: str) -> None:
    """As editors such as Obsidian and vim do: a new file renamed over the old one."""
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def note_of(window: MainWindow, episode_id: str) -> Path:
    found = summary(window, episode_id)
    assert found is not None and found.source_path
    return Path(found.source_path)


def wait_watched(qtbot: QtBot, window: MainWindow, path: Path) -> None:
    qtbot.waitUntil(lambda: str(path.resolve()) in window.sources.watcher.paths(), timeout=WAIT)


def test_an_edited_note_reloads_in_place(make_window: WindowFactory, qtbot: QtBot,
                                         tmp_path: Path) -> None:
    vault, _notes = make_vault(tmp_path)
    window = make_window(data_dir=import_vault(tmp_path, vault), settings=watching(tmp_path, vault))
    current = window.session.current
    note = note_of(window, current.id)
    wait_watched(qtbot, window, note)
    window.transcript.verticalScrollBar().setValue(200)
    top = window.transcript.top_original_offset()
    assert top > 0
    qtbot.keyClicks(window.pane.notes, "nog niet bewaard")  # typing the autosaver still holds

    # An atomic save: new title, words added before the place being read.
    inserted = "Nieuwe inleiding over taalmodellen " * 40
    text = note.read_text(encoding="utf-8")
    edited = text.replace(f"# {current.title}", "# Een nieuwe titel", 1).replace(
        "## Transcript\n\n", f"## Transcript\n\n{inserted}", 1)
    with qtbot.waitSignal(window.sources.refreshed, timeout=WAIT,
                          check_params_cb=lambda report: current.id in report.updated):
        save_atomically(note, edited)
    qtbot.waitUntil(lambda: window.title.text() == "Een nieuwe titel", timeout=WAIT)
    assert window.session.current.transcript.startswith(inserted)
    assert window.pane.notes.toPlainText() == "nog niet bewaard"
    # The same words are at the top: the place moved with the inserted text.
    assert abs(window.transcript.top_original_offset() - (top + len(inserted))) < 200
    qtbot.waitUntil(lambda: summary(window, current.id).title == "Een nieuwe titel", timeout=WAIT)
    assert summary(window, current.id).word_count == len(window.session.current.transcript.split())

    # The atomic save replaced the watched file: the new one is watched, edits in place count.
    wait_watched(qtbot, window, note)
    with qtbot.waitSignal(window.sources.refreshed, timeout=WAIT,
                          check_params_cb=lambda report: current.id in report.updated):
        note.write_text(edited.replace("# Een nieuwe titel", "# Weer een titel", 1), encoding="utf-8")
    qtbot.waitUntil(lambda: window.title.text() == "Weer een titel", timeout=WAIT)
    wait_saved(qtbot, window)
    assert window.library.episode(current.id).notes == "nog niet bewaard"


def test_a_deleted_note_keeps_its_episode_marked_missing(make_window: WindowFactory, qtbot: QtBot,
                                                         tmp_path: Path) -> None:
    vault, _notes = make_vault(tmp_path)
    data = import_vault(tmp_path, vault)
    with Library.open(data, import_seeds=False) as library:
        episode_id = library.list_episodes()[0].id
        library.set_notes(episode_id, "mijn aantekening")
        library.add_highlight(episode_id, 0, 40, "green", "begin")
    window = make_window(data_dir=data, settings=watching(tmp_path, vault))
    window.session.open_episode(episode_id)
    qtbot.waitUntil(lambda: window.session.current.id == episode_id, timeout=WAIT)
    note = note_of(window, episode_id)
    wait_watched(qtbot, window, note)
    note.unlink()
    # The row may learn it first (any write to the episode re-reads its row); the message
    # comes with the refresh from disk.
    qtbot.waitUntil(lambda: summary(window, episode_id).source_missing
                    and "gone from disk" in window.statusBar().currentMessage(), timeout=WAIT)
    kept = window.library.episode(episode_id)
    assert kept.notes == "mijn aantekening" and [h.comment for h in kept.highlights] == ["begin"]
    assert window.session.current.id == episode_id  # still open, still readable

    # The row says so in its tooltip, and offers to remove the episode.
    row = window.episodes.model.row_of(episode_id)
    index = window.episodes.proxy.mapFromSource(window.episodes.model.index(row))
    rect = window.episodes.view.visualRect(index)
    assert index.data(SUMMARY_ROLE).source_missing
    event = QHelpEvent(QEvent.Type.ToolTip, rect.center(), window.episodes.view.mapToGlobal(rect.center()))
    shown = window.episodes.view.itemDelegate().helpEvent(event, window.episodes.view,
                                                          QStyleOptionViewItem(), index)
    assert shown and "is gone" in QToolTip.text() and str(note) in QToolTip.text()
    menu = window.removal.context_menu(rect.center())
    remove = next(a for a in menu.actions() if a.objectName() == "remove_episode")
    other = window.episodes.proxy.index(1 - index.row(), 0)
    other_menu = window.removal.context_menu(window.episodes.view.visualRect(other).center())
    assert remove.isEnabled() and not other_menu.actions()[0].isEnabled()
    remove.trigger()
    box = shown_dialog(QMessageBox)
    assert "cannot be undone" in box.informativeText()
    button = next(b for b in box.buttons()
                  if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: summary(window, episode_id) is None, timeout=WAIT)
    assert window.session.current is None
    assert window.centre_stack.currentWidget() is window.placeholder
    assert episode_id not in {e.id for e in window.library.list_episodes()}


def test_a_new_note_in_a_watched_folder_is_imported(make_window: WindowFactory, qtbot: QtBot,
                                                   tmp_path: Path) -> None:
    vault, _notes = make_vault(tmp_path, count=1)
    window = make_window(data_dir=import_vault(tmp_path, vault), settings=watching(tmp_path, vault))
    qtbot.waitUntil(lambda: str(vault / "sub") in window.sources.watcher.paths(), timeout=WAIT)
    assert window.episodes.model.rowCount() == 1
    new_note = vault / "sub" / "dropped in.md"
    with qtbot.waitSignal(window.sources.refreshed, timeout=WAIT,
                          check_params_cb=lambda report: len(report.imported) == 1):
        shutil.copy(SEEDS[3], new_note)
    qtbot.waitUntil(lambda: window.episodes.model.rowCount() == 2, timeout=WAIT)
    assert "1 new" in window.statusBar().currentMessage()
    wait_watched(qtbot, window, new_note)  # and its later edits are followed too


def test_start_up_takes_in_edits_made_while_closed(make_window: WindowFactory, qtbot: QtBot,
                                                    tmp_path: Path) -> None:
    vault, notes = make_vault(tmp_path)
    data = import_vault(tmp_path, vault)
    with Library.open(data, import_seeds=False) as library:
        by_path = {e.source_path: e for e in library.list_episodes()}
    edited = by_path[str(notes[1].resolve())]
    text = notes[1].read_text(encoding="utf-8")
    notes[1].write_text(text.replace(f"# {edited.title}", "# Bewerkt terwijl de app dicht was", 1),
                        encoding="utf-8")
    window = make_window(data_dir=data, settings=watching(tmp_path, vault), wait_for_episode=False)
    qtbot.waitUntil(lambda: (s := summary(window, edited.id)) is not None
                    and s.title == "Bewerkt terwijl de app dicht was", timeout=WAIT)
    qtbot.waitUntil(lambda: window.session.current is not None, timeout=WAIT)
    if window.session.current.id == edited.id:  # opened while the refresh ran: reloaded
        qtbot.waitUntil(lambda: window.title.text() == "Bewerkt terwijl de app dicht was", timeout=WAIT)


def test_background_problems_do_not_pop_up(make_window: WindowFactory, qtbot: QtBot,
                                           tmp_path: Path) -> None:
    vault, notes = make_vault(tmp_path)
    data = import_vault(tmp_path, vault)
    with Library.open(data, import_seeds=False) as library:
        episode = next(e for e in library.list_episodes() if e.source_path == str(notes[0].resolve()))
        library.set_notes(episode.id, "aantekening in de bibliotheek")
    window = make_window(data_dir=data, settings=watching(tmp_path, vault))
    wait_watched(qtbot, window, notes[0])
    broken = vault / "broken.md"
    with qtbot.waitSignal(window.sources.refreshed, timeout=WAIT,
                          check_params_cb=lambda report: bool(report.failed)):
        broken.write_bytes(b"\x00\x01\x02 geen notitie")
    assert no_dialog_shown()  # no dialog the user did not ask for
    assert window.problems.isVisible() and "could not be read" in window.problems.label.text()
    qtbot.mouseClick(window.problems.details, Qt.MouseButton.LeftButton)
    dialog = shown_dialog(ErrorListDialog)
    assert "broken.md" in dialog.text.toPlainText()
    dialog.close()

    # Annotations changed here and in the file: the library's are kept, the file's set aside.
    text = notes[0].read_text(encoding="utf-8")
    with qtbot.waitSignal(window.sources.refreshed, timeout=WAIT,
                          check_params_cb=lambda report: episode.id in report.conflicts):
        notes[0].write_text(text.replace("## Notes\n", "## Notes\n\nanders in het bestand\n", 1),
                            encoding="utf-8")
    assert "annotations were kept" in window.statusBar().currentMessage()
    assert window.library.episode(episode.id).notes == "aantekening in de bibliotheek"
    assert window.library.superseded(episode.id)

    broken.unlink()
    qtbot.waitUntil(lambda: not window.problems.isVisible(), timeout=WAIT)


def test_an_edit_on_disk_runs_the_word_diff_once_and_shows_the_transcript_once(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        word_diffs: list[int]) -> None:
    # A highlight, so the import re-anchors it: the diff serves both it and the reading place.
    vault, _notes = make_vault(tmp_path)
    data = import_vault(tmp_path, vault)
    window = make_window(data_dir=data, settings=watching(tmp_path, vault))
    current = window.session.current
    window.library.add_highlight(current.id, 100, 140)
    note = note_of(window, current.id)
    wait_watched(qtbot, window, note)
    window.transcript.verticalScrollBar().setValue(200)
    top = window.transcript.top_original_offset()

    shown: list[int] = []
    real_show = window.transcript.show_transcript

    def counted_show(*args: object, **kwargs: object) -> None:
        shown.append(1)
        real_show(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(window.transcript, "show_transcript", counted_show)
    inserted = "Nieuwe inleiding over taalmodellen " * 40
    edited = note.read_text(encoding="utf-8").replace("## Transcript\n\n", f"## Transcript\n\n{inserted}", 1)
    with qtbot.waitSignal(window.sources.refreshed, timeout=WAIT,
                          check_params_cb=lambda report: current.id in report.updated):
        save_atomically(note, edited)
    qtbot.waitUntil(lambda: window.session.current.transcript.startswith(inserted), timeout=WAIT)
    qtbot.waitUntil(lambda: not window.reader.busy and not window.writer.busy, timeout=WAIT)
    assert len(word_diffs) == 1
    assert len(shown) == 1
    assert abs(window.transcript.top_original_offset() - (top + len(inserted))) < 200
