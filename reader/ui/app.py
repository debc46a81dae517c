"""Entry point of the window: ``run`` builds the application and shows the main window."""

from __future__ import annotations

import ctypes.util
import os
import sys
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from reader.config import load_settings
from reader.files import default_data_dir
from reader.library import DatabaseUnusable, Library, LibraryError
from reader.ui.single_instance import InstanceGuard

# Set by packaging/check_bundle.sh: show the window, let it load, then quit with 0.
SMOKE_TEST_ENV = "TRANSCRIPT_READER_SMOKE_TEST"


def app_icon() -> QIcon:
    svg = resources.files("reader.resources").joinpath("icons/transcript-reader.svg")
    return QIcon(str(svg)) if svg.is_file() else QIcon()


def _open_library(data_dir: Path, samples: bool, library_url: str | None = None,
                  author: str | None = None) -> Library | None:
    """Opens the library; an unusable database offers to start fresh, keeping a copy."""
    try:
        return Library.open(data_dir, import_seeds=samples and library_url is None,
                            library_url=library_url, author=author)
    except DatabaseUnusable as error:
        box = QMessageBox(QMessageBox.Icon.Critical, "Transcript Reader",
                          f"The library database cannot be used:\n{error}\n\n"
                          "It has not been changed. You can set it aside (it is kept, renamed, "
                          "in the same folder) and start with a fresh library, or quit.")
        fresh = box.addButton("Set aside and start fresh", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is not fresh:
            return None
        kept = Library.set_aside_database(data_dir)
        QMessageBox.information(None, "Transcript Reader", f"The old database was kept as\n{kept}")
        return _open_library(data_dir, samples)
    except LibraryError as error:
        QMessageBox.critical(None, "Transcript Reader", f"The library cannot be opened:\n{error}")
        return None


def _bring_to_front(window: QWidget) -> None:
    window.showNormal() if window.isMinimized() else window.show()
    window.raise_()
    window.activateWindow()


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """Why the window cannot open on this machine, in one line, or None. On Linux Qt aborts
    (SIGABRT, with a message about xcb) when there is no display or the X11 plugin's libraries
    are missing; that is said here first, with what to do."""
    env = dict(os.environ if environ is None else environ)
    if not sys.platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return ("transcript-reader: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set); "
                "start it in a desktop session, or run without a screen with QT_QPA_PLATFORM=offscreen")
    if not env.get("WAYLAND_DISPLAY") and ctypes.util.find_library("xcb-cursor") is None:
        return ("transcript-reader: Qt's X11 support needs libxcb-cursor0 (Debian/Ubuntu: apt-get "
                "install libxcb-cursor0; Fedora: dnf install xcb-util-cursor; see the README)")
    return None


def run(data_dir: Path | None, argv: list[str], *, samples: bool = False,
        library_url: str | None = None) -> int:
    """Runs the window until it closes; returns the process exit code. A new library gets the
    bundled samples in the default data folder (a first start), or with ``samples``."""
    problem = None if QApplication.instance() else display_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "transcript-reader", *argv])
    assert isinstance(app, QApplication)
    app.setApplicationName("Transcript Reader")
    app.setOrganizationName("transcript-reader")
    app.setDesktopFileName("io.github.transcript_reader.TranscriptReader")
    app.setWindowIcon(app_icon())
    samples = samples or data_dir is None or data_dir == default_data_dir()
    data_dir = data_dir or default_data_dir()
    guard = InstanceGuard(data_dir)
    if guard.hand_over():
        return 0  # the window already open on this library was raised instead
    settings = load_settings()
    library = _open_library(data_dir, samples, library_url or settings.library_url or None,
                            settings.display_name or None)
    if library is None:
        return 1
    from reader.ui.main_window import MainWindow

    window = MainWindow(library, settings)
    guard.activated.connect(lambda: _bring_to_front(window))
    QGuiApplication.styleHints().colorSchemeChanged.connect(
        lambda _scheme: window.on_system_colour_scheme_changed())
    window.show()
    if os.environ.get(SMOKE_TEST_ENV):
        QTimer.singleShot(0, app.quit)
    try:
        return app.exec()
    finally:
        guard.close()
        library.close()
