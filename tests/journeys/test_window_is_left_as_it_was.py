"""The window fits a laptop screen, and a restart brings it back as it was left: size, pane
sizes, the list's sort order, and the reading place to the line."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QLineEdit, QListView, QPlainTextEdit, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory, named


def _inside(window: QWidget, widget: QWidget) -> bool:
    box = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return window.rect().contains(box)


def test_a_first_start_fits_the_screen_and_everything_is_on_it_at_1366_by_768(
        make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert screen.contains(window.frameGeometry()) or window.size().boundedTo(screen.size()) == window.size()
    # A 1366×768 laptop, minus a panel and the title bar.
    window.resize(1366, 740)
    qtbot.waitUntil(lambda: window.size().height() == 740)
    assert window.minimumSizeHint().width() <= 1366 and window.minimumSizeHint().height() <= 740
    for widget in (named(window, QPlainTextEdit, "Notes"), named(window, QListView, "Episodes"),
                   named(window, QLineEdit, "Add related"), named(window, QToolButton, "Add takeaway"),
                   named(window, QToolButton, "Delete takeaway"), window.statusBar()):
        assert widget.isVisible() and _inside(window, widget), widget.accessibleName()


def test_a_restart_brings_back_size_panes_sort_and_reading_place(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    window.resize(760, 640)
    qtbot.waitUntil(lambda: window.width() == 760)
    # Drag the handle between the list and the transcript 40 px to the right.
    handle = window.splitter.handle(1)
    before = window.splitter.sizes()
    start = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(handle, start + QPoint(40, 0))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=start + QPoint(40, 0))
    sizes = window.splitter.sizes()
    assert sizes[0] > before[0]
    # Sort by show, with the keyboard.
    sort = next(c for c in window.episodes.findChildren(QComboBox))
    sort.setFocus()
    qtbot.keyClick(sort, Qt.Key.Key_Down)
    chosen = sort.currentText()
    assert chosen != "Title"
    # Read on a bit, by the scroll bar, as far as a line in the middle of a paragraph.
    transcript = named(window, QPlainTextEdit, "Transcript")
    transcript.verticalScrollBar().setValue(137)
    qtbot.waitUntil(lambda: not window.writer.busy)
    top = window.transcript.top_original_offset()
    episode_id = window.session.current.id
    window.close()
    qtbot.waitUntil(lambda: not window.writer.busy)

    again = make_window(data_dir=tmp_path / "data")
    qtbot.waitUntil(lambda: again.session.current is not None and again.session.current.id == episode_id)
    qtbot.waitUntil(lambda: again.width() == 760)
    assert again.splitter.sizes() == sizes
    assert next(c for c in again.episodes.findChildren(QComboBox)).currentText() == chosen
    # The same line at the top: at most a line's worth of text before the place left.
    qtbot.waitUntil(lambda: not again.reader.busy)
    assert 0 <= top - again.transcript.top_original_offset() < 120
