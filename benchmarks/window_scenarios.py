"""The longer window scenarios of bench_window.py; run through window_driver.py.

Every figure is "request → painted": a probe watches the widget's viewport for the first paint
after the window handled the result, then lets the paint finish (a zero timer) before reading
the clock. Between measurements the window's read and write runners are left to go idle.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QPlainTextEdit, QWidget

from reader.config import Settings
from reader.core.paragraphs import paragraphize
from reader.library import Library

QUERIES = ["modellen", "open source", "kunstmatige intelligentie", "europa", "chips",
           "gebruiken", "nederlandse podcast", "training", "energie", "data"]


from window_driver import emit, peak_rss_mb  # noqa: E402  (one definition of each)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


class Probe(QObject):
    """Notes the end of the first paint of ``widget`` after ``arm``; ``wait`` runs the event
    loop until then (or a timeout) and returns that time."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self._widget = widget
        self._armed = False
        self._painted: float | None = None
        self._loop: QEventLoop | None = None
        widget.installEventFilter(self)

    def arm(self, *, update: bool = False) -> None:
        self._armed = True
        self._painted = None
        if update:
            self._widget.update()

    def reset(self) -> None:
        """Call before the request: forget the previous measurement."""
        self._armed = False
        self._painted = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self._armed and event.type() == QEvent.Type.Paint:
            self._armed = False
            QTimer.singleShot(0, self._done)
        return False

    def _done(self) -> None:
        self._painted = time.perf_counter()
        if self._loop is not None:
            self._loop.quit()

    def wait(self, timeout_s: float = 30.0) -> float:
        if self._painted is None:
            self._loop = QEventLoop()
            QTimer.singleShot(int(timeout_s * 1000), self._loop.quit)
            self._loop.exec()
            self._loop = None
        if self._painted is None:
            raise TimeoutError("no paint")
        return self._painted


def spin(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def wait_for(condition: Callable[[], bool], timeout_s: float = 120.0, step_ms: int = 20) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("condition not met")
        spin(step_ms / 1000)


def settle(window) -> None:
    """Lets background work (suggestions, saves, list refresh) finish."""
    wait_for(lambda: not window.reader.busy and not window.writer.busy)
    spin(0.05)


def make_window(data_dir: Path):
    from reader.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    library = Library.open(data_dir)
    window = MainWindow(library, Settings())
    if os.environ.get("BENCH_SWITCH_INTERVAL"):  # to compare with another GIL switch interval
        sys.setswitchinterval(float(os.environ["BENCH_SWITCH_INTERVAL"]))
    window.show()
    wait_for(lambda: window.episodes.model.rowCount() > 0)
    wait_for(lambda: window.session.current is not None)
    settle(window)
    return app, library, window


class StallMeter(QObject):
    """A 10 ms timer that records how late it fires: the GUI thread's stalls."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self.late: list[tuple[float, float]] = []  # (when, lateness ms)
        self._last = 0.0

    def start(self) -> None:
        self.late = []
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.late.append((now, (now - self._last) * 1000 - 10))
        self._last = now

    def summary(self) -> dict:
        values = sorted(v for _, v in self.late) or [0.0]
        return {"max": round(values[-1], 1), "p99": round(values[int(0.99 * (len(values) - 1))], 1),
                "over_100": sum(v > 100 for v in values), "over_50": sum(v > 50 for v in values),
                "ticks": len(values)}


# -- the session scenario ------------------------------------------------------------------
def subtitles_for(transcript: str) -> str:
    """SRT cues of ten words each at a speaking pace, with a pause now and then."""
    words = transcript.split()
    cues, at = [], 0.4
    for number, first in enumerate(range(0, len(words), 10), 1):
        line = " ".join(words[first:first + 10])
        end = at + 10 / 2.6
        cues.append(f"{number}\n{_srt_time(at)} --> {_srt_time(end)}\n{line}\n")
        at = end + (1.8 if number % 5 == 0 else 0.0)
    return "\n".join(cues)


def _srt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def open_times(window, target: str, other: str, repeat: int) -> list[float]:
    probe = Probe(window.transcript.viewport())
    opened: dict[str, float] = {}

    def on_opened(view) -> None:
        if view.id == target:
            opened["t"] = time.perf_counter()
            probe.arm()

    window.session.episode_opened.connect(on_opened)
    times = []
    for _ in range(repeat):
        window.session.open_episode(other)
        wait_for(lambda: window.session.current.id == other)
        settle(window)
        probe.reset()
        t0 = time.perf_counter()
        window.session.open_episode(target)  # what activating it in the list does
        times.append(ms(probe.wait() - t0))
        settle(window)
    window.session.episode_opened.disconnect(on_opened)
    return times


def frequent_words(transcript: str) -> Counter[str]:
    return Counter(w for w in re.findall(r"\w+", transcript.lower()) if len(w) > 1)


def highlight_times(window, word: str, repeat: int) -> tuple[list[float], list[float], int]:
    """Find-in-episode of ``word``: (after the typing pause → painted, of that the GUI thread's
    share from the hits' arrival → painted, hits)."""
    session = window.session
    probe = Probe(window.transcript.viewport())
    marks: dict[str, float] = {}

    def on_pause() -> None:
        marks.setdefault("pause", time.perf_counter())

    session.hits._timer.timeout.connect(on_pause)

    def on_hits(_episode_id: str, ranges: list, _preferred: int) -> None:
        if ranges:
            marks["arrived"] = time.perf_counter()
            probe.arm()

    session.hits.hits_ready.connect(on_hits)
    totals, gui = [], []
    for _ in range(repeat):
        session.clear_find()
        spin(0.05)
        marks.clear()
        probe.reset()
        window.find_bar.field.setFocus()
        QTest.keyClicks(window.find_bar.field, word)
        painted = probe.wait()
        totals.append(ms(painted - marks["pause"]))
        gui.append(ms(painted - marks["arrived"]))
        settle(window)
    session.hits.hits_ready.disconnect(on_hits)
    return totals, gui, window.transcript.hit_count()


def scroll_ms_per_page(view: QPlainTextEdit, steps: int = 30) -> float:
    """Page-down ``steps`` times from the top, each painted before the next."""
    bar = view.verticalScrollBar()
    bar.setValue(0)
    view.viewport().repaint()
    t0 = time.perf_counter()
    for _ in range(steps):
        bar.setValue(bar.value() + bar.pageStep())
        view.viewport().repaint()
    return ms((time.perf_counter() - t0) / steps)


def search_times(window, repeat: int) -> tuple[list[float], float, list[float]]:
    """Library search typed into the field: pause → results painted. (warm, first, backend)"""
    window._on_search_library()
    panel, controller = window.search, window.library_search
    probe = Probe(panel.view.viewport())
    marks: dict[str, float] = {}

    def on_pause() -> None:
        marks.setdefault("pause", time.perf_counter())

    controller._timer.timeout.connect(on_pause)

    def on_results(results) -> None:
        if results is not None:
            marks["arrived"] = time.perf_counter()
            probe.arm()

    controller.results_ready.connect(on_results)
    times, first, backend = [], None, []
    for _round in range(repeat):
        for query in QUERIES:
            panel.field.clear()
            controller.query_edited("")
            spin(0.3)
            marks.clear()
            probe.reset()
            QTest.keyClicks(panel.field, query, delay=20)  # typed, 20 ms a key
            painted = probe.wait()
            took = ms(painted - marks["pause"])
            if first is None:
                first = took
            else:
                times.append(took)
            backend.append(ms(marks["arrived"] - marks["pause"]))
            settle(window)
    controller.results_ready.disconnect(on_results)
    return times, first or 0.0, backend


def session(data_dir: str, meta_path: str, repeat: str) -> int:
    meta = json.loads(Path(meta_path).read_text())
    n = int(repeat)
    app, library, window = make_window(Path(data_dir))
    out: dict = {"rss_after_start_mb": round(peak_rss_mb(), 1)}
    ids = [e.id for e in window.episodes.model.episodes()]
    others = [i for i in ids if i not in (meta["mid_id"], meta["long_id"])]

    out["open_mid"] = open_times(window, meta["mid_id"], others[0], n)
    out["open_long"] = open_times(window, meta["long_id"], meta["mid_id"], n)
    # The same episode timed by subtitles (margin times, paragraphs at pauses) and estimated.
    with tempfile.TemporaryDirectory() as tmp:
        srt = Path(tmp) / "long.nl.srt"
        srt.write_text(subtitles_for(library.episode(meta["long_id"]).transcript), encoding="utf-8")
        library.attach_subtitles(meta["long_id"], srt)
    settle(window)
    out["open_long_timed"] = open_times(window, meta["long_id"], meta["mid_id"], n)
    out["timed_map_bytes"] = len(library.word_times(meta["long_id"]).encode())  # as stored

    # Hits: a frequent word (~250) in the 60 KB episode; a very frequent one in the 600 KB one.
    mid_counts = frequent_words(library.episode(meta["mid_id"]).transcript)
    word_250 = min(mid_counts, key=lambda w: (abs(mid_counts[w] - 250), w))
    long_counts = frequent_words(library.episode(meta["long_id"]).transcript)
    word_top = long_counts.most_common(1)[0][0]
    window.session.open_episode(meta["mid_id"])
    wait_for(lambda: window.session.current.id == meta["mid_id"])
    settle(window)
    total, gui, hits = highlight_times(window, word_250, n)
    out["hl_mid"] = {"word": word_250, "hits": hits, "total": total, "gui": gui}
    total, gui, hits = highlight_times(window, word_top, n)
    out["hl_mid_top"] = {"word": word_top, "hits": hits, "total": total, "gui": gui}
    window.session.open_episode(meta["long_id"])
    wait_for(lambda: window.session.current.id == meta["long_id"])
    settle(window)
    total, gui, hits = highlight_times(window, word_top, n)
    out["hl_long_top"] = {"word": word_top, "hits": hits, "total": total, "gui": gui}
    with_hits = [scroll_ms_per_page(window.transcript) for _ in range(n)]
    window.session.clear_find()
    spin(0.05)
    without = [scroll_ms_per_page(window.transcript) for _ in range(n)]
    out["scroll_long"] = {"with": with_hits, "without": without}

    times, first, backend = search_times(window, max(1, n // 3))
    out["search"] = {"warm": times, "first": first, "backend": backend}

    window.left.setCurrentWidget(window.episodes)
    for episode_id in ids[:20]:
        window.session.open_episode(episode_id)
        wait_for(lambda e=episode_id: window.session.current.id == e)
        settle(window)
    out["rss_peak_after_20_mb"] = round(peak_rss_mb(), 1)

    with tempfile.TemporaryDirectory() as tmp:
        meter = StallMeter()
        done: dict[str, float] = {}
        window.tasks.export_finished.connect(lambda r: done.setdefault("t", time.perf_counter()))
        meter.start()
        t0 = time.perf_counter()
        window.tasks.export_folder(None, Path(tmp) / "export", front_matter=False)
        wait_for(lambda: "t" in done, 600)
        meter.stop()
        written = len(list((Path(tmp) / "export").glob("*.md")))
        out["export"] = {"s": round(done["t"] - t0, 2), "written": written, "stalls": meter.summary(),
                         "rss_peak_mb": round(peak_rss_mb(), 1)}
        for shown in QApplication.topLevelWidgets():  # the "exported" message, if any
            if isinstance(shown, QDialog) and shown.isVisible():
                shown.close()
    window.close()
    library.close()
    emit(out)
    return 0


# -- the import scenario -------------------------------------------------------------------
def import_run(data_dir: str, notes: str) -> int:
    app, library, window = make_window(Path(data_dir))
    # The index opens with the first episode's suggestions, shortly after its first paint.
    wait_for(lambda: library._keeper.is_open, 30)
    meter = StallMeter()
    meter.start()
    spin(2.0)
    idle = meter.summary()
    phases: dict[str, float] = {}

    def on_progress(progress) -> None:
        key = "indexing" if progress.path == "indexing" else ("stored" if not progress.path else "reading")
        phases.setdefault(key, time.perf_counter())

    done: dict = {}
    window.tasks.import_finished.connect(lambda r: done.setdefault("report", r))
    meter.start()
    t0 = time.perf_counter()
    window.tasks.import_paths([Path(notes)])
    window.tasks._relay.progressed.connect(on_progress)
    wait_for(lambda: "report" in done, 900)
    t1 = time.perf_counter()
    wait_for(lambda: window.episodes.model.rowCount() > 1500)  # the list shows the new episodes
    t2 = time.perf_counter()
    meter.stop()
    report = done["report"]
    worst = sorted(meter.late, key=lambda x: -x[1])[:8]

    def phase_at(when: float) -> str:
        name = "start"
        for key, at in sorted(phases.items(), key=lambda kv: kv[1]):
            if when >= at:
                name = key
        return name

    out = {"s": round(t1 - t0, 2), "listed_s": round(t2 - t0, 2), "imported": len(report.imported),
           "failed": len(report.failed), "stalls": meter.summary(), "idle": idle,
           "phases": {k: round(v - t0, 2) for k, v in phases.items()},
           "worst": [(round(w - t0, 2), round(v, 1), phase_at(w)) for w, v in worst],
           "rss_peak_mb": round(peak_rss_mb(), 1)}
    window.close()
    library.close()
    emit(out)
    return 0


# -- bare baselines ------------------------------------------------------------------------
def bare_view(meta_path: str, data_dir: str, repeat: str) -> int:
    """A bare read-only QPlainTextEdit: the same text as paragraphs / as one block."""
    meta = json.loads(Path(meta_path).read_text())
    n = int(repeat)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    with Library.open(Path(data_dir)) as library:
        texts = {key: library.episode(meta[f"{key}_id"]).transcript for key in ("mid", "long")}
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setUndoRedoEnabled(False)
    view.resize(780, 800)
    view.show()
    spin(0.1)
    probe = Probe(view.viewport())
    out: dict = {}
    for key, text in texts.items():
        paragraphs = paragraphize(text).text
        for shape, shown in (("paragraphs", paragraphs), ("one_block", text)):
            times = []
            for _ in range(n):
                view.setPlainText("")
                spin(0.02)
                t0 = time.perf_counter()
                view.setPlainText(shown)
                probe.arm()
                times.append(ms(probe.wait() - t0))
            out[f"{key}_{shape}"] = times
        view.setPlainText(paragraphs)
        spin(0.05)
        out[f"{key}_scroll"] = [scroll_ms_per_page(view) for _ in range(n)]
    out["rss_peak_mb"] = round(peak_rss_mb(), 1)
    app.processEvents()
    emit(out)
    return 0


def run(mode: str, args: list[str]) -> int:
    if mode == "session":
        return session(*args)
    if mode == "import":
        return import_run(*args)
    if mode == "bare-view":
        return bare_view(*args)
    raise SystemExit(f"unknown mode {mode}")


