"""Highlights in the window: create, paint, list, edit, recolour, delete/undo, promote, search."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from reader.core.episode import Highlight
from reader.library import Library
from reader.ui.main_window import MainWindow
from reader.ui.roles import HIGHLIGHT_ID_ROLE
from reader.ui.theme import highlight_tints, resolve_theme
from reader.ui.widgets.dialogs import CommentDialog
from reader.ui.widgets.highlighter import HIGHLIGHT_PROPERTY, HIT_PROPERTY
from tests.ui.conftest import WindowFactory, shown_dialog, wait_saved

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))


def stored(data_dir: Path, episode_id: str) -> tuple[list[Highlight], list[str], list[int | None]]:
    """What SQLite holds, read through a fresh Library on the same data dir."""
    fresh = Library.open(data_dir, import_seeds=False)
    try:
        view = fresh.episode(episode_id)
        return view.highlights, view.takeaways, fresh.takeaway_links(episode_id)
    finally:
        fresh.close()


def word_range(transcript: str, first_word: int, words: int) -> tuple[int, int]:
    """Original offsets of ``words`` words starting at word number ``first_word``."""
    matches = list(re.finditer(r"\S+", transcript))
    return matches[first_word].start(), matches[first_word + words - 1].end()


def select(window: MainWindow, start: int, end: int) -> None:
    view = window.transcript
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.qt_position(start))
    cursor.setPosition(view.qt_position(end, end=True), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def painted(window: MainWindow, highlight_id: int) -> list[tuple[int, int]]:
    """Qt ranges the highlighter painted for one highlight, merged where they touch."""
    ranges: list[tuple[int, int]] = []
    block = window.transcript.document().firstBlock()
    while block.isValid():
        for item in block.layout().formats():
            if item.format.property(HIGHLIGHT_PROPERTY) == highlight_id:
                start = block.position() + item.start
                if ranges and ranges[-1][1] == start:
                    ranges[-1] = (ranges[-1][0], start + item.length)
                else:
                    ranges.append((start, start + item.length))
        block = block.next()
    return ranges


def add_by_shortcut(window: MainWindow, qtbot: QtBot, start: int, end: int) -> Highlight:
    before = set(window.pane.highlights.ids())
    select(window, start, end)
    window.transcript.setFocus()
    qtbot.keyClick(window.transcript, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(set(window.pane.highlights.ids()) - before), timeout=10_000)
    new_id = (set(window.pane.highlights.ids()) - before).pop()
    found = window.highlights.find(new_id)
    assert found is not None
    return found


def import_with_highlights(window: MainWindow, qtbot: QtBot, tmp_path: Path, note: str, section: str) -> None:
    """Imports ``note`` with a ``## Highlights`` ``section`` put before its Notes, and opens it."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "episode.md").write_text(note.replace("## Notes", section + "## Notes"), encoding="utf-8")
    with qtbot.waitSignal(window.tasks.import_finished, timeout=60_000):
        window.import_folder(vault)
    qtbot.waitUntil(lambda: window.session.current is not None, timeout=20_000)


def accept_dialog(window: MainWindow, text: str) -> None:
    dialog = shown_dialog(CommentDialog)
    dialog.field.setPlainText(text)
    dialog.accept()


def test_shortcut_highlights_the_selection(make_window: WindowFactory, qtbot: QtBot,
                                           tmp_path: Path) -> None:
    window = make_window()
    window.activateWindow()
    episode = window.session.current
    start, end = word_range(episode.transcript, 40, 4)
    # The selection's surrounding spaces are not part of the quote.
    highlight = add_by_shortcut(window, qtbot, start - 1, end + 1)
    assert window.transcript.document().blockCount() > 100
    wait_saved(qtbot, window)
    assert window.saved_label.text().startswith("Highlight saved at")
    [saved], _, _ = stored(tmp_path / "data", episode.id)
    assert (saved.start, saved.end, saved.colour) == (start, end, "yellow")
    assert saved.quote == episode.transcript[start:end] and saved.id == highlight.id

    # Painted in its block exactly over the highlight's range mapped to the view.
    view = window.transcript
    qt_start, qt_end = view.qt_position(start), view.qt_position(end, end=True)
    block = view.document().findBlock(qt_start)
    formats = [f for f in block.layout().formats() if f.format.property(HIGHLIGHT_PROPERTY) == saved.id]
    assert [(block.position() + f.start, block.position() + f.start + f.length) for f in formats] \
        == [(qt_start, qt_end)]
    tint = QColor(highlight_tints(resolve_theme(window.settings.theme))["yellow"][0])
    assert formats[0].format.background().color() == tint

    # A search hit over part of the highlight stays visible: hit and highlight on one format.
    word_end = episode.transcript.index(" ", start)
    view.set_hits([(start, word_end)])
    assert view.painted_ranges() == [(start, word_end)]
    both = [f for f in block.layout().formats()
            if f.format.boolProperty(HIT_PROPERTY) and f.format.property(HIGHLIGHT_PROPERTY) == saved.id]
    assert both and both[0].format.background().color() != tint
    assert both[0].format.underlineStyle() != both[0].format.UnderlineStyle.NoUnderline
    assert painted(window, saved.id) == [(qt_start, qt_end)]  # the rest keeps its colour
    view.clear_hits()
    assert painted(window, saved.id) == [(qt_start, qt_end)]

    # Shorter paragraphs keep the highlight on the same words.
    window.actions_by_name["shorter_paragraphs"].trigger()
    assert painted(window, saved.id) == [(view.qt_position(start), view.qt_position(end, end=True))]


def test_context_menu_highlights_in_a_colour_and_with_a_comment(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    episode = window.session.current
    green_range = word_range(episode.transcript, 100, 3)
    select(window, *green_range)
    menu = window.transcript.context_menu(QPoint(5, 5))
    submenu = menu.findChild(QMenu, "highlight_menu")
    assert submenu is not None and submenu.isEnabled()
    assert [a.text().split("\t")[0] for a in submenu.actions()] == \
        ["Yellow", "Green", "Blue", "Pink", "Purple"]
    next(a for a in submenu.actions() if a.text().startswith("Green")).trigger()
    qtbot.waitUntil(lambda: len(window.pane.highlights.ids()) == 1, timeout=10_000)

    comment_range = word_range(episode.transcript, 200, 5)
    select(window, *comment_range)
    with_comment = next(a for a in menu.actions() if a.text().startswith("Highlight with comment"))
    with_comment.trigger()
    accept_dialog(window, "Goed punt over open modellen")
    qtbot.waitUntil(lambda: len(window.pane.highlights.ids()) == 2, timeout=10_000)
    menu.deleteLater()
    wait_saved(qtbot, window)
    saved = {(h.start, h.end): h for h in stored(tmp_path / "data", episode.id)[0]}
    assert saved[green_range].colour == "green" and saved[green_range].comment == ""
    assert saved[comment_range].comment == "Goed punt over open modellen"
    assert saved[comment_range].quote == episode.transcript[slice(*comment_range)]
    text = window.pane.highlights.item_text(saved[comment_range].id)
    assert "— Goed punt over open modellen" in text


def test_edit_recolour_promote_delete_and_undo(make_window: WindowFactory, qtbot: QtBot,
                                               tmp_path: Path) -> None:
    window = make_window()
    episode = window.session.current
    data = tmp_path / "data"
    start, end = word_range(episode.transcript, 60, 6)
    highlight = add_by_shortcut(window, qtbot, start, end)
    listing = window.pane.highlights
    listing.select(highlight.id)

    listing.edit_action.trigger()
    accept_dialog(window, "Mijn commentaar")
    qtbot.waitUntil(lambda: "Mijn commentaar" in listing.item_text(highlight.id), timeout=10_000)
    listing.colour_actions["pink"].trigger()
    qtbot.waitUntil(lambda: window.highlights.find(highlight.id).colour == "pink", timeout=10_000)
    wait_saved(qtbot, window)
    [saved], _, _ = stored(data, episode.id)
    assert (saved.comment, saved.colour) == ("Mijn commentaar", "pink")
    block = window.transcript.document().findBlock(window.transcript.qt_position(start))
    pink = QColor(highlight_tints(resolve_theme(window.settings.theme))["pink"][0])
    assert any(f.format.background().color() == pink for f in block.layout().formats())

    listing.promote_action.trigger()
    quote = " ".join(episode.transcript[start:end].split())
    qtbot.waitUntil(lambda: quote in window.pane.takeaways.texts(), timeout=10_000)
    wait_saved(qtbot, window)
    _, takeaways, links = stored(data, episode.id)
    assert takeaways[-1] == quote and links[-1] == highlight.id

    window.activateWindow()  # the comment dialog was the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    listing.view.setFocus()
    listing.select(highlight.id)
    qtbot.keyClick(listing.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: listing.ids() == [], timeout=10_000)
    wait_saved(qtbot, window)
    assert stored(data, episode.id)[0] == []
    assert painted(window, highlight.id) == []
    assert window.undo_button.isVisible()

    qtbot.keyClick(listing.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(listing.ids()) == 1, timeout=10_000)
    wait_saved(qtbot, window)
    [back], _, links = stored(data, episode.id)
    assert (back.start, back.end, back.colour, back.comment) == (start, end, "pink", "Mijn commentaar")
    assert back.id == highlight.id and links[-1] == highlight.id  # the takeaway is linked again
    assert painted(window, back.id) == [(window.transcript.qt_position(start),
                                         window.transcript.qt_position(end, end=True))]
    assert not window.undo_button.isVisible()


def test_overlapping_highlights_of_a_note_are_both_listed_and_clickable(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    # The window merges what it highlights over a highlight; a note written elsewhere may
    # still hold two that overlap, and both are shown.
    window = make_window(import_seeds=False, wait_for_episode=False)
    note = SEEDS[0].read_text(encoding="utf-8")
    words = note.split("## Transcript", 1)[1].split()
    older, newer = " ".join(words[80:86]), " ".join(words[83:89])  # newer starts in older's end
    section = f"## Highlights\n\n> =={older}==\n\n> =={newer}== <!-- green -->\n\n"
    import_with_highlights(window, qtbot, tmp_path, note, section)
    listing = window.pane.highlights
    qtbot.waitUntil(lambda: len(listing.ids()) == 2)
    first, second = (window.highlights.find(i) for i in listing.ids())
    assert first.quote == older and second.quote == newer
    view = window.transcript
    q = view.qt_position
    # The later one is painted on top; the earlier keeps the part only it covers.
    assert painted(window, second.id) == [(q(second.start), q(second.end, end=True))]
    assert painted(window, first.id) == [(q(first.start), q(second.start))]
    for highlight in (first, second):
        listing.view.itemClicked.emit(listing.view.item(listing.ids().index(highlight.id)))
        cursor = view.textCursor()
        assert (cursor.selectionStart(), cursor.selectionEnd()) == (q(highlight.start), q(highlight.end, end=True))


def test_orphans_are_listed_apart(make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(import_seeds=False, wait_for_episode=False)
    note = SEEDS[0].read_text(encoding="utf-8")
    transcript_words = note.split("## Transcript", 1)[1].split()
    present = " ".join(transcript_words[10:14])
    section = (f"## Highlights\n\n> =={present}== <!-- green -->\n> — staat er nog\n\n"
               "> ==deze woorden staan nergens in het transcript==\n> — verdwenen passage\n\n")
    import_with_highlights(window, qtbot, tmp_path, note, section)
    listing = window.pane.highlights
    qtbot.waitUntil(lambda: len(listing.ids()) == 1 and len(listing.orphan_ids()) == 1)
    orphan = window.highlights.find(listing.orphan_ids()[0])
    placed = window.highlights.find(listing.ids()[0])
    assert orphan.orphan and orphan.comment == "verdwenen passage"
    assert placed.colour == "green" and placed.quote == present
    assert [m.id for m in window.transcript.highlight_marks()] == [placed.id]  # orphans unpainted
    headings = [listing.view.item(r).text() for r in range(listing.view.count())
                if listing.view.item(r).data(HIGHLIGHT_ID_ROLE) is None]
    assert headings == ["Orphaned — no longer in the transcript"]
    rows = [listing.view.item(r).text() for r in range(listing.view.count())]
    assert rows.index(headings[0]) < rows.index(listing.item_text(orphan.id))
    assert "verdwenen passage" in listing.item_text(orphan.id)
    listing.select(orphan.id)
    assert not listing.go_action.isEnabled() and listing.delete_action.isEnabled()
    listing.delete_action.trigger()
    qtbot.waitUntil(lambda: listing.orphan_ids() == [], timeout=10_000)
    wait_saved(qtbot, window)
    remaining, _, _ = stored(tmp_path / "data", window.session.current.id)
    assert [h.quote for h in remaining] == [present]
    window.highlights.undo_delete()  # an orphan comes back as an orphan
    qtbot.waitUntil(lambda: listing.orphan_ids() == [orphan.id], timeout=10_000)
    wait_saved(qtbot, window)
    remaining, _, _ = stored(tmp_path / "data", window.session.current.id)
    assert sorted((h.quote, h.orphan) for h in remaining) == sorted(
        [(present, False), ("deze woorden staan nergens in het transcript", True)])


def test_search_hit_in_a_comment_opens_at_the_highlight(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    episode = window.session.current
    start, end = word_range(episode.transcript, 500, 4)
    select(window, start, end)
    window.actions_by_name["highlight_comment"].trigger()
    accept_dialog(window, "xylofoonconcert als geheugensteun")
    qtbot.waitUntil(lambda: len(window.pane.highlights.ids()) == 1, timeout=10_000)
    highlight_id = window.pane.highlights.ids()[0]
    wait_saved(qtbot, window)
    other = next(e for e in window.episodes.model.episodes() if e.id != episode.id)
    window.session.open_episode(other.id)
    qtbot.waitUntil(lambda: window.session.current.id == other.id, timeout=20_000)
    assert window.pane.highlights.ids() == []

    window.actions_by_name["search_library"].trigger()
    with qtbot.waitSignal(window.library_search.results_ready, timeout=60_000,
                          check_params_cb=lambda r: r is not None and r.query == "xylofoonconcert"):
        qtbot.keyClicks(window.search.field, "xylofoonconcert")
    [result] = window.search.model.results()
    assert any(s.field == "comment" and s.highlight_id == highlight_id for s in result.snippets)
    window.search.result_activated.emit(result)
    qtbot.waitUntil(lambda: window.session.current.id == episode.id, timeout=20_000)
    qtbot.waitUntil(lambda: window.pane.highlights.current_id() == highlight_id)
    cursor = window.transcript.textCursor()
    view = window.transcript
    assert (cursor.selectionStart(), cursor.selectionEnd()) == \
        (view.qt_position(start), view.qt_position(end, end=True))
    # The highlight is on screen.
    rect = view.cursorRect(cursor)
    assert 0 <= rect.top() < view.viewport().height()
