"""The window under measurement, one scenario per process (run by bench_window.py).

    python benchmarks/window_driver.py cold DATA_DIR        # the real entry point, timed
    python benchmarks/window_driver.py bare-window          # baseline: a bare QApplication window
    python benchmarks/window_driver.py session DATA_DIR META REPEAT
    python benchmarks/window_driver.py import DATA_DIR NOTES_DIR
    python benchmarks/window_driver.py bare-view TEXT_FILE REPEAT   # QPlainTextEdit baselines
    python benchmarks/window_driver.py notebook-annotate DATA_DIR N | notebook DATA_DIR REPEAT
    python benchmarks/window_driver.py bare-notebook ROWS_FILE REPEAT  # the Notebook (window_notebook.py)

Times are ``time.perf_counter()`` (CLOCK_MONOTONIC, shared by every process on Linux) so the
parent can time from before it started this process. Results are printed as one JSON object
on a line starting with ``RESULT ``. Nothing here changes the app: the probes watch the
window's own signals and paint events.
"""

from __future__ import annotations

import time

T_MAIN = time.perf_counter()  # first line of the driver: interpreter start is before this

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def emit(result: dict) -> None:
    print("RESULT " + json.dumps(result), flush=True)


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM). Not ``ru_maxrss``: Linux carries that over from the
    parent at fork/exec, so a big parent (bench_window.py building the corpus) shows as ours."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


# -- cold start ------------------------------------------------------------------------------
def cold(data_dir: str) -> int:
    """``python -m reader.cli --data-dir D``, with a probe that notes when the list, filled
    with the library, has painted; then the window closes."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from reader.ui.widgets import episode_list

    marks: dict[str, float] = {"main": T_MAIN}
    original = episode_list.EpisodeListPanel.set_episodes

    class PaintProbe(QObject):
        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint and "painted" not in marks:
                QTimer.singleShot(0, self.done)  # after this paint and its flush
            return False

        def done(self) -> None:
            if "painted" not in marks:
                marks["painted"] = time.perf_counter()
                marks["rss_mb"] = current_rss_mb()
                marks["modules"] = len(sys.modules)
                marks["whoosh_loaded"] = "whoosh" in sys.modules
                QApplication.instance().quit()

    probe = PaintProbe()

    def set_episodes(self, episodes):
        original(self, episodes)
        if episodes and "listed" not in marks:
            marks["listed"] = time.perf_counter()
            marks["rows"] = self.model.rowCount()
            self.view.viewport().installEventFilter(probe)
            self.view.viewport().update()

    episode_list.EpisodeListPanel.set_episodes = set_episodes
    from reader.cli import main

    code = main(["--data-dir", data_dir])
    emit(marks)
    return code


def bare_window() -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QListWidget

    marks: dict[str, float] = {"main": T_MAIN}
    app = QApplication([])
    window = QListWidget()
    window.addItems([f"Episode {i}" for i in range(1000)])
    window.resize(1440, 900)

    class PaintProbe(QObject):
        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, self.done)
            return False

        def done(self) -> None:
            if "painted" not in marks:
                marks["painted"] = time.perf_counter()
                marks["rss_mb"] = current_rss_mb()
                app.quit()

    probe = PaintProbe()
    window.viewport().installEventFilter(probe)
    window.show()
    app.exec()
    emit(marks)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "cold":
        sys.exit(cold(*args))
    if mode == "bare-window":
        sys.exit(bare_window())
    if os.environ.get("BENCH_WHOOSH_MMAP"):
        # The earlier design, for comparison: Whoosh reading compound segments through mmap
        # (which copies them into the heap at every searcher open; see benchmarks/README.md).
        from whoosh.filedb.filestore import FileStorage

        import reader.search.storage as storage

        storage.file_storage = lambda directory: FileStorage(str(directory), supports_mmap=True)
    if mode in ("notebook-annotate", "notebook", "bare-notebook"):
        import window_notebook

        sys.exit({"notebook-annotate": window_notebook.annotate, "notebook": window_notebook.notebook,
                  "bare-notebook": window_notebook.bare_notebook}[mode](*args))
    from window_scenarios import run

    sys.exit(run(mode, args))
