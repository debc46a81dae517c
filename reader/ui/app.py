"""Entry point of the window: ``run`` builds the application and shows the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from reader.config import load_settings
from reader.library import Library, LibraryError


def run(data_dir: Path | None, argv: list[str]) -> int:
    """Runs the window until it closes; returns the process exit code."""
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "transcript-reader", *argv])
    assert isinstance(app, QApplication)
    app.setApplicationName("Transcript Reader")
    app.setOrganizationName("transcript-reader")
    app.setDesktopFileName("transcript-reader")
    settings = load_settings()
    try:
        library = Library.open(data_dir)
    except LibraryError as error:
        QMessageBox.critical(None, "Transcript Reader", f"The library cannot be opened:\n{error}")
        return 1
    from reader.ui.main_window import MainWindow

    window = MainWindow(library, settings)
    QGuiApplication.styleHints().colorSchemeChanged.connect(
        lambda _scheme: window.on_system_colour_scheme_changed())
    window.show()
    try:
        return app.exec()
    finally:
        library.close()
