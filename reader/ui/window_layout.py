"""How the window is laid out: its first size, and how it was left (window-state.yaml)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QMainWindow, QSplitter

from reader.config import WindowState

# A first start's size, made smaller to fit the screen's free area (1366×768 laptops).
FIRST_SIZE = QSize(1440, 900)


def first_size(window: QMainWindow) -> None:
    """Sizes ``window`` for a first start and centres it on the screen's free area."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(FIRST_SIZE)
        return
    free = screen.availableGeometry()
    window.resize(FIRST_SIZE.boundedTo(free.size()))
    window.move(free.center() - window.rect().center())


def restore(window: QMainWindow, splitter: QSplitter, pane: QSplitter, sort: QComboBox,
            state: WindowState) -> None:
    """Puts back what ``state`` remembers; a part that does not fit the window now is skipped."""
    if state.geometry:
        window.restoreGeometry(QByteArray.fromBase64(state.geometry.encode("ascii")))
    for part, sizes in ((splitter, state.splitter), (pane, state.pane)):
        if len(sizes) == part.count() and all(sizes):
            part.setSizes(sizes)
    if state.sort and sort.findText(state.sort) >= 0:
        sort.setCurrentText(state.sort)


def state_of(window: QMainWindow, splitter: QSplitter, pane: QSplitter, sort: QComboBox) -> WindowState:
    return WindowState(geometry=bytes(window.saveGeometry().toBase64().data()).decode("ascii"),
                       splitter=splitter.sizes(), pane=pane.sizes(), sort=sort.currentText())
