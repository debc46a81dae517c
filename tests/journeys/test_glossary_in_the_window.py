"""The glossary from the window: Edit → Glossary of names…, Find spellings and one click to
take a spelling in; find-in-episode then finds every spelling, and View → Show names as in the
glossary shows the canonical name in place of a variant without changing the transcript."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QToolTip,
    QTreeWidget,
)
from pytestqt.qtbot import QtBot

from reader.ui.main_window import MainWindow
from reader.ui.roles import EPISODE_ID_ROLE
from reader.ui.widgets.glossary_dialog import GlossaryDialog
from tests.ui.conftest import WindowFactory, named, no_dialog_shown, shown_dialog

DEEPSEEK_EPISODE = "LrrHD9cdz6Q"  # the samples' DeepSeek episode: "diep zek", "deep seek", "dieps"


def _open(window: MainWindow, qtbot: QtBot, episode_id: str) -> None:
    episodes = named(window, QListView, "Episodes")
    model = episodes.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(EPISODE_ID_ROLE) == episode_id)
    qtbot.mouseClick(episodes.viewport(), Qt.MouseButton.LeftButton,
                     pos=episodes.visualRect(model.index(row, 0)).center())
    qtbot.waitUntil(lambda: window.session.current is not None and window.session.current.id == episode_id,
                    timeout=20_000)


def _entries(tree: QTreeWidget) -> dict[str, list[str]]:
    found = {}
    for row in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(row)
        assert top is not None
        found[top.text(0)] = [top.child(i).text(0) for i in range(top.childCount())]  # type: ignore[union-attr]
    return found


def _glossary_dialog(window: MainWindow, qtbot: QtBot) -> GlossaryDialog:
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, GlossaryDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    return shown_dialog(GlossaryDialog)


def _close(dialog: GlossaryDialog, qtbot: QtBot) -> None:
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)  # type: ignore[union-attr]
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(no_dialog_shown)


def _hover_text(window: MainWindow, qtbot: QtBot, original_offset: int) -> str:
    """What the tooltip says when the pointer rests on the character at ``original_offset``
    (scrolled into sight first, as the reader would)."""
    view = window.transcript
    view.scroll_to_original(original_offset)
    qt_position = view.qt_position(original_offset)
    cursor = view.textCursor()
    cursor.setPosition(qt_position)
    rect = view.cursorRect(cursor)
    point = QPoint(rect.center().x() + 3, rect.center().y())
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    assert view.viewport().rect().contains(point)
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, point,
                                                        view.viewport().mapToGlobal(point)))
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_spellings_found_taken_in_with_one_click_then_found_and_shown_by_name(
        make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    _open(window, qtbot, DEEPSEEK_EPISODE)
    transcript = window.session.current.transcript

    dialog = _glossary_dialog(window, qtbot)
    entries = named(dialog, QTreeWidget, "Glossary entries")
    assert _entries(entries) == {}
    qtbot.keyClicks(named(dialog, QLineEdit, "Glossary name"), "DeepSeek")
    qtbot.mouseClick(named(dialog, QPushButton, "Find spellings"), Qt.MouseButton.LeftButton)
    suggestions = named(dialog, QTreeWidget, "Suggested spellings")
    qtbot.waitUntil(lambda: suggestions.topLevelItemCount() > 0, timeout=30_000)
    listed = [suggestions.topLevelItem(r).text(0) for r in range(suggestions.topLevelItemCount())]  # type: ignore[union-attr]
    assert "diep zek" in listed[:5]
    add = named(dialog, QPushButton, "Add “diep zek”")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _entries(entries) == {"DeepSeek": ["diep zek"]}, timeout=10_000)
    qtbot.waitUntil(lambda: not add.isEnabled())  # taken in: the row says so
    assert add.text() == "Added"
    # Typed variants, commas between them, Return to add.
    variants = named(dialog, QLineEdit, "Spellings")
    qtbot.keyClicks(variants, "deep seek, dieps")
    qtbot.keyClick(variants, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _entries(entries) == {"DeepSeek": ["diep zek", "dieps"]}, timeout=10_000)
    # Case and spaces do not count: "deep seek" is the name itself, and the dialog says so.
    assert dialog.status.text() == ("“DeepSeek”: “dieps” added; “deep seek” is the name itself, "
                                    "found already")
    assert variants.text() == ""
    assert [(e.canonical, e.variants) for e in window.library.glossary().entries] == [
        ("DeepSeek", ("diep zek", "dieps"))]
    _close(dialog, qtbot)
    window.activateWindow()

    # Find in this episode: the canonical name finds every spelling, each one match.
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(window.session.hits.hits_ready, timeout=20_000,
                          check_params_cb=lambda _id, ranges, _o: bool(ranges)):
        qtbot.keyClicks(named(window, QLineEdit, "Find in episode"), "deepseek")
    found = window.library.find_in_episode("deepseek", DEEPSEEK_EPISODE)
    original = window.transcript.paragraphed.original
    spelled = {" ".join(original[s:e].lower().split()) for s, e in found}
    assert spelled == {"diep zek", "deep seek", "dieps"}
    painted = window.transcript.painted_ranges()  # a name across a paragraph break: two pieces
    assert all(any(s <= a and b <= e for s, e in found) for a, b in painted)
    assert {a for a, _ in painted} >= {s for s, _ in found}
    counter = named(window, QLabel, "Find matches")
    assert window.transcript.hit_count() == len(found)
    assert counter.text().endswith(f"/ {len(found)}")  # a split name is one match

    # View → Show names as in the glossary: every variant reads "DeepSeek"; the hits stay.
    action = window.actions_by_name["glossary_names"]
    assert action.isCheckable() and not action.isChecked()
    with qtbot.waitSignal(window.session.episode_opened, timeout=20_000):
        action.trigger()
    view = window.transcript
    view.complete()
    shown = view.toPlainText()
    assert "diep zek" not in shown.lower() and "dieps" not in shown.lower()
    assert shown.count("DeepSeek") >= len([r for r in found if original[r[0]:r[1]] != "DeepSeek"])
    qtbot.waitUntil(lambda: view.hit_count() == len(found), timeout=20_000)
    assert view.painted_ranges() == found  # on the original text, each name now one piece
    name = view.paragraphed.names[0]
    written = " ".join(original[name.orig_start:name.orig_end].split())
    assert f"Written in the transcript as “{written}”" in _hover_text(window, qtbot, name.orig_start + 1)
    assert "Written" not in _hover_text(window, qtbot, name.orig_end + 30)
    assert window.library.episode(DEEPSEEK_EPISODE).transcript == transcript  # never changed by it
    assert window.settings.glossary_names  # kept for the next start

    # A spelling removed from the glossary is shown as written again.
    dialog = _glossary_dialog(window, qtbot)
    entries = named(dialog, QTreeWidget, "Glossary entries")
    qtbot.waitUntil(lambda: bool(_entries(entries)), timeout=10_000)
    top = entries.topLevelItem(0)
    assert top is not None
    entries.scrollToItem(top.child(0))
    qtbot.mouseClick(entries.viewport(), Qt.MouseButton.LeftButton,
                     pos=entries.visualItemRect(top.child(0)).center())  # "diep zek"
    with qtbot.waitSignal(window.session.episode_opened, timeout=20_000):
        qtbot.mouseClick(named(dialog, QPushButton, "Remove from glossary"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _entries(entries) == {"DeepSeek": ["dieps"]}, timeout=10_000)
    view.complete()
    assert "diep zek" in view.toPlainText().lower()
    _close(dialog, qtbot)


def test_find_spellings_from_the_search_tab(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    field = named(window, QLineEdit, "Search all episodes")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    qtbot.keyClicks(field, "deepseek")
    button = named(window.search, QPushButton, "Find spellings")
    qtbot.waitUntil(button.isVisible, timeout=30_000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, GlossaryDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    dialog = shown_dialog(GlossaryDialog)
    assert named(dialog, QLineEdit, "Glossary name").text() == "deepseek"
    suggestions = named(dialog, QTreeWidget, "Suggested spellings")
    qtbot.waitUntil(lambda: suggestions.topLevelItemCount() > 0, timeout=30_000)
    qtbot.mouseClick(named(dialog, QPushButton, "Add “diep zek”"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(window.library.glossary().entries), timeout=10_000)
    # The search shown is run again: "diep zek" is now a spelling of what was searched.
    results = named(window, QListView, "Search results")
    qtbot.waitUntil(lambda: results.model().rowCount() == 2, timeout=30_000)
    _close(dialog, qtbot)


def test_the_glossary_opened_for_a_name_keeps_it_when_it_lists_its_entries(
        make_window: WindowFactory, qtbot: QtBot) -> None:
    """With entries in the glossary, the dialog opened from Find spellings stays on the name
    searched: focus is in the name field, so the entries list does not make its first entry
    current (which would put that entry's name in the field and drop the spellings asked for)."""
    window = make_window()
    window.library.add_terms("ChatGPT", ["chat gpt"])
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    field = named(window, QLineEdit, "Search all episodes")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    qtbot.keyClicks(field, "deepseek")
    button = named(window.search, QPushButton, "Find spellings")
    qtbot.waitUntil(button.isVisible, timeout=30_000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, GlossaryDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    dialog = shown_dialog(GlossaryDialog)
    name = named(dialog, QLineEdit, "Glossary name")
    entries = named(dialog, QTreeWidget, "Glossary entries")
    qtbot.waitUntil(lambda: "ChatGPT" in _entries(entries))
    suggestions = named(dialog, QTreeWidget, "Suggested spellings")
    qtbot.waitUntil(lambda: suggestions.topLevelItemCount() > 0, timeout=30_000)
    assert QApplication.focusWidget() is name
    assert name.text() == "deepseek"
    assert entries.currentItem() is None
    _close(dialog, qtbot)
