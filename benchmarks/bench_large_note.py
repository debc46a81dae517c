"""Opening a very long note in the window: the first paint and the longest event-loop stall.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_large_note.py [--repeat 5]

Builds notes of 60 KB (a sample), 1.7 MB and 4.3 MB from the samples' own words, imports
each into a library of its own, opens it in the real window and measures, with a 1 ms timer
ticking on the GUI thread, the longest gap between ticks from the open until the whole
transcript is in the view. The baseline is the same view filled in one block, as before.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from reader.config import Settings  # noqa: E402
from reader.core.paragraphs import paragraphize  # noqa: E402
from reader.library import Library  # noqa: E402
from reader.ui.main_window import MainWindow  # noqa: E402
from reader.ui.widgets.transcript_view import TranscriptView  # noqa: E402
from reader.ui.workers import share_gil_with_gui  # noqa: E402

SEED = HERE.parent / "seeds" / "000_c89e2462edba1bd3.txt"


def make_note(folder: Path, megabytes: float) -> Path:
    text = SEED.read_text(encoding="utf-8")
    head, rest = text.split("## Transcript\n\n", 1)
    transcript, tail = rest.split("\n", 1)
    words = transcript.split()
    count = max(len(words), int(megabytes * 1e6 / 6.1))
    big = " ".join(words[i % len(words)] for i in range(count))
    path = folder / f"note-{megabytes}.md"
    path.write_text(head.replace("**Video ID:** ", f"**Video ID:** big{int(megabytes * 10)}")
                    + "## Transcript\n\n" + big + "\n" + tail, encoding="utf-8")
    return path


class StallProbe:
    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.longest = 0
        self.timer = QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.longest = 0
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        self.longest = max(self.longest, self.clock.restart())


def open_in_window(app: QApplication, data: Path, probe: StallProbe) -> tuple[float, float]:
    library = Library.open(data, import_seeds=False)
    window = MainWindow(library, Settings())
    window.resize(1366, 768)
    window.show()
    deadline = time.monotonic() + 60
    while window.session.current is None and time.monotonic() < deadline:
        app.processEvents()
    episode_id = library.list_episodes()[0].id
    other = window.session.current.id if window.session.current else None
    if other == episode_id:  # opened at start: measure a fresh open of it
        window.session.close_episode()
    probe.start()
    started = time.perf_counter()
    window.session.open_episode(episode_id)
    while window.session.current is None or window.session.current.id != episode_id:
        app.processEvents()
    first = time.perf_counter() - started
    while not window.transcript.fully_shown:
        app.processEvents()
    for _ in range(5):
        app.processEvents()
    probe.timer.stop()
    window.close()
    library.close()
    return first * 1000, float(probe.longest)


def one_block(app: QApplication, path: Path, probe: StallProbe) -> float:
    transcript = path.read_text(encoding="utf-8").split("## Transcript\n\n", 1)[1].split("\n", 1)[0]
    view = TranscriptView()
    view.resize(900, 700)
    view.show()
    app.processEvents()
    probe.start()
    QTimer.singleShot(0, lambda: view.setPlainText(paragraphize(transcript, 120).text))
    for _ in range(20):
        app.processEvents()
    probe.timer.stop()
    view.close()
    return float(probe.longest)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.06, 0.6, 1.2, 2.4],
                        help="note sizes to build, in MB of words (the file is a little smaller)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    share_gil_with_gui()  # as the program does
    probe = StallProbe()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'note':>8} | {'open → first paint':>20} | {'longest stall':>14} | "
              f"{'one block (before)':>19} | goal")
        for megabytes in args.sizes:
            note = make_note(folder, megabytes)
            data = folder / f"data-{megabytes}"
            with Library.open(data, import_seeds=False) as library:
                library.import_paths([note])
            firsts, stalls, blocks = [], [], []
            for _ in range(args.repeat):
                first, stall = open_in_window(app, data, probe)
                firsts.append(first)
                stalls.append(stall)
                blocks.append(one_block(app, note, probe))
            size = f"{note.stat().st_size / 1e6:.2f} MB"
            print(f"{size:>8} | {statistics.median(firsts):17.0f} ms | "
                  f"{statistics.median(stalls):11.0f} ms | {statistics.median(blocks):16.0f} ms"
                  " | stall ≤ 100 ms")


if __name__ == "__main__":
    main()
