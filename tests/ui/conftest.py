"""The real window on a data dir of the test's own, driven offscreen through pytest-qt."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from reader.config import Settings, load_settings
from reader.library import Library
from reader.ui.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]
T = TypeVar("T", bound=QDialog)
W = TypeVar("W", bound=QWidget)


@pytest.fixture
def make_window(qtbot: QtBot, tmp_path: Path) -> Iterator[WindowFactory]:
    """Builds MainWindows (seeds imported unless told otherwise) and closes them afterwards."""
    opened: list[tuple[MainWindow, Library]] = []

    def factory(*, import_seeds: bool = True, data_dir: Path | None = None,
                settings: Settings | None = None, wait_for_episode: bool = True) -> MainWindow:
        library = Library.open(data_dir or tmp_path / "data", import_seeds=import_seeds)
        window = MainWindow(library, settings or load_settings(tmp_path / "config" / "settings.yaml"))
        qtbot.addWidget(window)
        opened.append((window, library))
        window.show()
        if wait_for_episode:
            qtbot.waitUntil(lambda: window.session.current is not None, timeout=20_000)
        return window

    yield factory
    for window, library in opened:
        window.close()
        library.close()


def shown_dialog(kind: type[T]) -> T:
    """The dialog of ``kind`` the window has on screen now (the newest, if several)."""
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert found, f"no {kind.__name__} is shown"
    return found[-1]


def no_dialog_shown() -> bool:
    return not any(isinstance(w, QDialog) and w.isVisible() for w in QApplication.topLevelWidgets())


def wait_saved(qtbot: QtBot, window: MainWindow) -> None:
    """Until every annotation edit has been written (autosave fired and the writer is idle)."""
    qtbot.waitUntil(lambda: window.session.autosaver.idle and not window.writer.busy, timeout=10_000)


def named(window: QWidget, kind: type[W], name: str) -> W:
    """The one widget of ``kind`` with accessible name ``name`` (what a screen reader says)."""
    found = [w for w in window.findChildren(kind) if w.accessibleName() == name]
    assert len(found) == 1, f"{len(found)} {kind.__name__} named {name!r}"
    return found[0]
