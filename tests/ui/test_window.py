"""The reader window end to end: open, search, find, annotate, export, import."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.library import Library, RelatedLink
from reader.ui.roles import EPISODE_SUMMARY_ROLE
from reader.ui.widgets.dialogs import ErrorListDialog
from tests.ui.conftest import WindowFactory, shown_dialog, wait_saved

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))


def test_first_run_opens_an_episode_from_the_seeds(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    assert window.episodes.model.rowCount() == len(SEEDS)
    current = window.session.current
    assert current is not None
    assert window.title.text() == current.title
    text = window.transcript.toPlainText()
    assert "[Muziek]" in text and "&nbsp;" not in text
    assert window.transcript.document().blockCount() > 100  # paragraphs, never one block
    assert window.transcript.isReadOnly()


def test_filter_and_sort_the_episode_list(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    panel = window.episodes
    qtbot.keyClicks(panel.filter_field, "grok")
    assert panel.proxy.rowCount() == 1
    assert "Grok" in panel.proxy.index(0, 0).data()
    panel.filter_field.clear()
    panel.sort_choice.setCurrentText("Show")
    shows = [panel.proxy.index(r, 0).data(EPISODE_SUMMARY_ROLE).show
             for r in range(panel.proxy.rowCount())]
    assert shows == sorted(shows, key=str.casefold)


def test_reopening_remembers_episode_and_scroll(make_window: WindowFactory, qtbot: QtBot,
                                                tmp_path: Path) -> None:
    window = make_window()
    other = next(e for e in window.episodes.model.episodes() if e.id != window.session.current.id)
    window.episodes.select(other.id)
    window.session.open_episode(other.id)
    qtbot.waitUntil(lambda: window.session.current.id == other.id)
    window.transcript.verticalScrollBar().setValue(120)
    top = window.transcript.top_original_offset()
    assert top > 0
    window.close()
    qtbot.waitUntil(lambda: not window.writer.busy)
    again = make_window(data_dir=tmp_path / "data")
    assert again.session.current.id == other.id
    assert abs(again.transcript.top_original_offset() - top) < 200


def test_library_search_highlights_the_index_hits(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    window.actions_by_name["search_library"].trigger()
    with qtbot.waitSignal(window.library_search.results_ready, timeout=60_000,
                          check_params_cb=lambda r: r is not None and r.query == "modellen"):
        qtbot.keyClicks(window.search.field, "modellen")
    assert window.search.model.rowCount() > 0
    result = window.search.model.results()[0]
    with qtbot.waitSignal(window.session.hits.hits_ready, timeout=20_000):
        window.search.view.setCurrentIndex(window.search.model.index(0))
        window.search.result_activated.emit(result)
    assert window.session.current.id == result.episode_id
    expected = window.library.hits("modellen", result.episode_id)
    assert expected and window.transcript.painted_ranges() == expected
    # Stems included: "model" is highlighted too when the transcript has it.
    words = {window.session.current.transcript[s:e].lower() for s, e in expected}
    assert "modellen" in words and words - {"modellen"}, words  # another form of the word too
    count = len(expected)
    first = window.transcript.current_hit()
    assert window.find_bar.counter.text() == f"{first + 1} / {count}"
    window.actions_by_name["find_next"].trigger()
    assert window.find_bar.counter.text() == f"{(first + 1) % count + 1} / {count}"
    window.actions_by_name["find_previous"].trigger()
    window.actions_by_name["find_previous"].trigger()
    assert window.find_bar.counter.text() == f"{(first - 1) % count + 1} / {count}"
    selection = window.transcript.extraSelections()
    assert len(selection) == 1  # the current hit is the only extra selection
    start, end = expected[(first - 1) % count]
    assert selection[0].cursor.selectionStart() == window.transcript.qt_position(start)
    bar = window.transcript.verticalScrollBar()
    assert bar.marks()
    rects = bar.mark_rects()
    assert 1 <= len(rects) <= count and all(bar.rect().contains(r) for r in rects)
    marker = bar.grab().toImage()  # paints the marks; one row of each is in the marker colour
    assert marker.pixelColor(rects[0].center()) != bar.palette().window().color()
    window.resize(window.width(), window.height() - 200)
    qtbot.waitUntil(lambda: bar.mark_rects() != rects)  # a shorter groove places them again
    window.actions_by_name["clear_find"].trigger()
    assert window.transcript.painted_ranges() == [] and window.find_bar.counter.text() == ""


def test_find_in_episode_steps_with_enter(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    window.actions_by_name["find"].trigger()
    episode_id = window.session.current.id
    with qtbot.waitSignal(window.session.hits.hits_ready, timeout=20_000,
                          check_params_cb=lambda _id, ranges, _o: bool(ranges)):
        qtbot.keyClicks(window.find_bar.field, "robots")
    expected = window.library.find_in_episode("robots", episode_id)
    assert window.transcript.painted_ranges() == expected
    before = window.transcript.current_hit()
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    assert window.transcript.current_hit() == (before + 1) % len(expected)
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.transcript.current_hit() == before
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    assert window.transcript.hit_count() == 0


def test_annotations_are_saved_to_sqlite(make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    episode_id = window.session.current.id
    pane = window.pane
    qtbot.keyClicks(pane.notes, "Interessant: *DeepSeek* ")
    for text in ("eerste", "tweede", "derde"):
        pane.takeaways.add(text)
    pane.takeaways.setCurrentRow(2)
    pane.takeaways.move_current(-1)  # derde before tweede
    pane.takeaways.setCurrentRow(0)
    pane.takeaways.delete_current()
    # Selecting transcript text offers "Add as takeaway".
    cursor = window.transcript.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(18, cursor.MoveMode.KeepAnchor)
    window.transcript.setTextCursor(cursor)
    window.actions_by_name["add_selection_takeaway"].trigger()
    other = next(e for e in window.episodes.model.episodes() if e.id != episode_id)
    # QTest cannot type characters outside the BMP (titles hold emoji): set the text instead.
    pane.related.entry.setText(other.title)
    qtbot.keyClick(pane.related.entry, Qt.Key.Key_Return)
    qtbot.keyClicks(pane.related.entry, "https://example.org/x")
    qtbot.keyClick(pane.related.entry, Qt.Key.Key_Return)
    wait_saved(qtbot, window)
    assert "saved at" in window.saved_label.text()
    fresh = Library.open(tmp_path / "data", import_seeds=False)
    try:
        stored = fresh.episode(episode_id)
    finally:
        fresh.close()
    assert stored.notes == "Interessant: *DeepSeek* "
    assert stored.takeaways == ["derde", "tweede", window.session.current.transcript[:18].strip()]
    assert stored.related == [RelatedLink(other.title, other.id), RelatedLink("https://example.org/x")]
    # A double-click on an episode link opens it.
    links = pane.related.links
    point = links.visualItemRect(links.item(0)).center()
    qtbot.mouseClick(links.viewport(), Qt.MouseButton.LeftButton, pos=point)  # a mouse presses first
    qtbot.mouseDClick(links.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.session.current.id == other.id)


def test_export_episode_and_all(make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    episode_id = window.session.current.id
    qtbot.keyClicks(window.pane.notes, "exported note")
    wait_saved(qtbot, window)
    target = tmp_path / "out" / "one.md"
    with qtbot.waitSignal(window.tasks.export_finished, timeout=20_000):
        window.tasks.export_episode(episode_id, target, front_matter=False)
    assert target.read_text(encoding="utf-8") == window.library.render(episode_id)
    assert "exported note" in target.read_text(encoding="utf-8")
    folder = tmp_path / "all"
    with qtbot.waitSignal(window.tasks.export_finished, timeout=20_000) as blocker:
        window.tasks.export_folder(None, folder, front_matter=False)
    assert len(blocker.args[0].written) == len(SEEDS) == len(list(folder.glob("*.md")))
    assert window.statusBar().currentMessage().startswith(f"Exported {len(SEEDS)} episodes")


def test_import_lists_bad_files(make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(import_seeds=False, wait_for_episode=False)
    qtbot.waitUntil(lambda: "library is empty" in window.placeholder.text())
    folder = tmp_path / "vault"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder / "good.md")
    (folder / "broken.md").write_bytes(b"\x00\x01\x02 not a note")
    with qtbot.waitSignal(window.tasks.import_finished, timeout=60_000) as blocker:
        window.import_folder(folder)
    report = blocker.args[0]
    assert len(report.imported) == 1
    assert [Path(p).name for p, _ in report.failed] == ["broken.md"]
    dialog = shown_dialog(ErrorListDialog)
    assert "broken.md" in dialog.text.toPlainText()
    qtbot.waitUntil(lambda: window.episodes.model.rowCount() == 1)
    qtbot.waitUntil(lambda: window.session.current is not None)
    assert not window.progress.isVisible()
    dialog.close()


def test_zoom_and_theme_are_saved(make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    size = window.settings.font_size
    window.actions_by_name["zoom_in"].trigger()
    assert window.transcript.font().pointSize() == size + 1
    window.actions_by_name["zoom_reset"].trigger()
    window.actions_by_name["theme_dark"].trigger()
    text = (tmp_path / "config" / "settings.yaml").read_text(encoding="utf-8")
    assert "theme: dark" in text


def test_shortcut_list_names_every_shortcut(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    window.actions_by_name["shortcuts"].trigger()
    from reader.ui.widgets.dialogs import ShortcutsDialog

    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None
    names = {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}
    assert {"Search all episodes", "Find in this episode", "Zoom in"} <= names
    dialog.close()
