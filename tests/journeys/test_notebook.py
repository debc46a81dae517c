"""The Notebook as a reader uses it: tag a highlight from the highlight list and another, in a
second episode, from the Notebook itself; filter the Notebook by that tag; open one from the
list; export what is shown as one note, whose episode links resolve in the vault and whose
moments link the video; the command line lists the same items. Episode tags are typed in a
dialog that completes them, and written back onto the note's **Tags:** line."""

from __future__ import annotations

import json
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QListView,
    QListWidget,
    QPlainTextEdit,
    QToolButton,
)
from pytestqt.qtbot import QtBot

from reader.library import Library
from reader.library.notebook import HIGHLIGHT
from reader.ui.main_window import MainWindow
from reader.ui.roles import NOTEBOOK_ITEM_ROLE
from reader.ui.widgets.tag_edit import TagsDialog
from tests.conftest import run_cli
from tests.journeys.test_export_and_write_back_dialogs import _answer_file_dialog
from tests.ui.conftest import WindowFactory, named, shown_dialog, wait_saved


def _highlight(window: MainWindow, qtbot: QtBot, first_word: int, words: int) -> str:
    """Selects words of the transcript as a hand does (click, then Shift+Right) and presses Ctrl+H."""
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Go to the transcript
    view = named(window, QPlainTextEdit, "Transcript")
    qtbot.waitUntil(view.hasFocus)
    transcript = window.session.current.transcript
    spans = list(re.finditer(r"\S+", transcript))
    start, end = spans[first_word].start(), spans[first_word + words - 1].end()
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.qt_position(start))
    view.setTextCursor(cursor)  # scrolled there, as the reader scrolls
    view.centerCursor()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center())
    for _ in range(end - start):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    count = named(window, QListWidget, "Highlights").count()
    qtbot.keyClick(view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: named(window, QListWidget, "Highlights").count() == count + 1)
    return transcript[start:end]


def _answer_tags(qtbot: QtBot, typed: str) -> None:
    # The dialog opens once the library's tags, to complete from, are read.
    qtbot.waitUntil(lambda: any(isinstance(w, TagsDialog) and w.isVisible() for w in QApplication.topLevelWidgets()))
    dialog = shown_dialog(TagsDialog)
    qtbot.keyClicks(dialog.field, typed)
    _press_ok(qtbot, dialog)


def _press_ok(qtbot: QtBot, dialog: TagsDialog) -> None:
    window = dialog.parentWidget()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    window.activateWindow()  # what the window manager does when a dialog closes; offscreen has none
    qtbot.waitUntil(window.isActiveWindow)


def _open_episode_from_list(window: MainWindow, qtbot: QtBot, episode_id: str) -> None:
    window.left.setCurrentIndex(0)
    episodes = named(window, QListView, "Episodes")
    row = next(r for r in range(episodes.model().rowCount())
               if episodes.model().index(r, 0).data(Qt.ItemDataRole.UserRole + 2) == episode_id)
    index = episodes.model().index(row, 0)
    episodes.scrollTo(index)
    qtbot.mouseClick(episodes.viewport(), Qt.MouseButton.LeftButton, pos=episodes.visualRect(index).center())
    qtbot.waitUntil(lambda: window.session.current is not None and window.session.current.id == episode_id,
                    timeout=20_000)


def _notebook_rows(view: QListView) -> list[tuple[str, str]]:
    """(episode, text) of each item row (headings carry no item)."""
    model = view.model()
    items = [model.index(r, 0).data(NOTEBOOK_ITEM_ROLE) for r in range(model.rowCount())]
    return [(i.episode_id, i.text) for i in items if i is not None]


def _item_index(view: QListView, text: str):  # type: ignore[no-untyped-def]
    model = view.model()
    for r in range(model.rowCount()):
        item = model.index(r, 0).data(NOTEBOOK_ITEM_ROLE)
        if item is not None and item.text == text:
            return model.index(r, 0)
    raise AssertionError(f"{text!r} is not listed")


def test_tag_two_highlights_filter_open_one_export_and_the_cli_lists_the_same(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    first = window.session.current.id
    quote_one = _highlight(window, qtbot, 40, 6)
    # Tagged from the highlight list: the item selected, Alt+T, the tag typed, OK.
    highlights = named(window, QListWidget, "Highlights")
    qtbot.mouseClick(highlights.viewport(), Qt.MouseButton.LeftButton,
                     pos=highlights.visualItemRect(highlights.item(0)).center())
    qtbot.keyClick(highlights, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    _answer_tags(qtbot, "#ai-act")
    qtbot.waitUntil(lambda: "#ai-act" in highlights.item(0).text())

    second = next(e.id for e in window.episodes.model.episodes() if e.id != first)
    _open_episode_from_list(window, qtbot, second)
    quote_two = _highlight(window, qtbot, 120, 5)
    wait_saved(qtbot, window)

    # The Notebook (Ctrl+Shift+N) lists both; the second is tagged from there (Ctrl+click, Tag…).
    with qtbot.waitSignal(window.notebook.loaded, timeout=20_000):
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    view = named(window, QListView, "Notebook")
    assert {quote_one, quote_two} <= {text for _, text in _notebook_rows(view)}
    index = _item_index(view, quote_two)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     pos=view.visualRect(index).center())
    assert window.session.current.id == second  # Ctrl+click selects, it does not open
    qtbot.mouseClick(named(window, QToolButton, "Notebook tag"), Qt.MouseButton.LeftButton)
    # The tag completes from the library's: "#ai" and the first suggestion taken with Enter.
    dialog = shown_dialog(TagsDialog)
    qtbot.keyClicks(dialog.field, "#ai-a")
    qtbot.waitUntil(dialog.field.completer_popup_visible)
    qtbot.keyClick(dialog.field._completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(dialog.field._completer.popup(), Qt.Key.Key_Return)
    assert dialog.field.text().strip() == "#ai-act"
    with qtbot.waitSignal(window.notebook.loaded, timeout=20_000):
        _press_ok(qtbot, dialog)

    # Filtered by the tag, as the combo box is used: focused, the tag typed.
    tag = named(window, QComboBox, "Tag")
    tag.setFocus()
    qtbot.keyClicks(tag, "#ai-act")
    assert tag.currentData() == "ai-act"
    qtbot.waitUntil(lambda: sorted(_notebook_rows(view)) == sorted([(first, quote_one), (second, quote_two)]))
    assert window.notebook_panel.count.text() == "2 items"

    # Ctrl+A, Ctrl+C in the list: both, as Markdown, each naming its episode.
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Copied 2 highlights" in window.statusBar().currentMessage(), timeout=20_000)
    pasted = QApplication.clipboard().text()
    assert f"> =={quote_one}==" in pasted and f"> =={quote_two}==" in pasted and pasted.count("> [[") == 2
    # Edit → Copy, as the menu triggers it, does the same with the list focused.
    QApplication.clipboard().setText("")
    window.actions_by_name["copy"].trigger()
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == pasted, timeout=20_000)

    # Clicking the first episode's item opens that episode with the highlight selected.
    index = _item_index(view, quote_one)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: window.session.current is not None and window.session.current.id == first,
                    timeout=20_000)
    qtbot.waitUntil(lambda: highlights.currentItem() is not None and quote_one[:20] in highlights.currentItem().text()
                    .replace("\n", " "))

    # Export what is shown: with nothing selected (Ctrl+click takes the clicked one out), all of it.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     pos=view.visualRect(index).center())
    assert not view.selectionModel().hasSelection()
    target = tmp_path / "vault" / "AI Act.md"
    target.parent.mkdir()
    _answer_file_dialog(qtbot, str(target), [])
    with qtbot.waitSignal(window.notebook.exported, timeout=20_000):
        qtbot.mouseClick(named(window, QToolButton, "Notebook export"), Qt.MouseButton.LeftButton)
    note = target.read_text(encoding="utf-8")
    assert note.startswith("# Notebook: #ai-act\n")
    assert f"> =={quote_one}==" in note and f"> =={quote_two}==" in note
    with Library.open(tmp_path / "data", import_seeds=False) as library:
        from reader.library import importer
        with library._sessions() as session:  # the links resolve as Obsidian resolves them
            targets = [importer.resolve(session, name.strip(), alias)
                       for name, alias in re.findall(r"^## \[\[([^\]|]+)\|([^\]]+)\]\]$", note, re.M)]
    assert sorted(map(str, targets)) == sorted([first, second]), note
    for episode_id in (first, second):
        assert re.search(rf"\[≈\d+:\d\d\]\(https://www\.youtube\.com/watch\?v={episode_id}&t=\d+s\)", note)

    # The command line lists the same items.
    out = run_cli("notebook", "--tag", "ai-act", "--json", data_dir=tmp_path / "data")
    assert out.returncode == 0, out.stderr
    listed = json.loads(out.stdout)
    assert listed["total"] == 2
    assert sorted((i["episode_id"], i["text"], i["kind"]) for i in listed["items"]) == sorted(
        [(first, quote_one, HIGHLIGHT), (second, quote_two, HIGHLIGHT)])


def test_episode_tags_are_completed_shown_and_written_back(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    seed = next(p for p in (Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
    note = vault / "Aflevering.md"
    note.write_bytes(seed.read_bytes())
    window = make_window(import_seeds=False, wait_for_episode=False)
    window.import_folder(vault)
    qtbot.waitUntil(lambda: window.session.current is not None, timeout=20_000)
    before = note.read_text(encoding="utf-8")
    line = next(line for line in before.splitlines() if line.startswith("**Tags:**"))
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, TagsDialog) and w.isVisible() for w in QApplication.topLevelWidgets()))
    dialog = shown_dialog(TagsDialog)
    assert dialog.field.tags() == ["youtube", "transcript", "ai-report"]
    qtbot.keyClick(dialog.field, Qt.Key.Key_End)
    qtbot.keyClicks(dialog.field, "europa/ai-act")
    _press_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: "#europa/ai-act" in window.meta.text())
    wait_saved(qtbot, window)
    window.actions_by_name["write_back"].trigger()  # File → Write back to the source file
    qtbot.waitUntil(lambda: note.read_text(encoding="utf-8") != before, timeout=20_000)
    after = note.read_text(encoding="utf-8")
    assert after == before.replace(line, "**Tags:** #youtube #transcript #ai-report #europa/ai-act")
    # A bad tag is refused in the dialog with one line, the dialog stays.
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, TagsDialog) and w.isVisible() for w in QApplication.topLevelWidgets()))
    dialog = shown_dialog(TagsDialog)
    qtbot.keyClicks(dialog.field, " 2024")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "2024" in dialog.problem.text()
    dialog.reject()
