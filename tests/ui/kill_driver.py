"""Runs the window offscreen, types a note, says so on stdout, then idles until killed.

Used by test_kill_after_typing.py: ``python kill_driver.py DATA_DIR CONFIG_DIR TEXT``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reader.config import load_settings
from reader.library import Library
from reader.ui.main_window import MainWindow


def main() -> int:
    data_dir, config_dir, text = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    app = QApplication([])
    library = Library.open(data_dir)
    window = MainWindow(library, load_settings(config_dir / "settings.yaml"))
    window.show()

    def type_when_open() -> None:
        if window.session.current is None:
            QTimer.singleShot(20, type_when_open)
            return
        QTest.keyClicks(window.pane.notes, text)
        print(f"TYPED {window.session.current.id}", flush=True)

    type_when_open()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
