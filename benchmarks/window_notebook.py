"""The Notebook at scale (issue 17): 1,000 episodes with 20,000 highlights, measured in the
window against a bare QListView over the same rows. Run through window_driver.py.

``annotate`` adds the highlights (with tags and comments), takeaways and Notes to a copy of
the cached library, straight into SQLite; ``notebook`` opens the window on it and times the
Notebook tab opening and filtering; ``bare-notebook`` is the baseline.
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, QStringListModel, Qt
from PySide6.QtWidgets import QApplication, QListView
from window_driver import emit, peak_rss_mb
from window_scenarios import Probe, StallMeter, make_window, ms, settle, spin, wait_for

TAGS = ["ai-act", "regulering", "open-source", "chips", "energie", "onderwijs", "zorg", "europa"]
COLOURS = ["yellow", "green", "blue", "pink", "purple"]
FILTERS = (("tag", "ai-act"), ("colour", "pink"), ("query", "modellen"), ("query", "energ*"),
           ("query", '"open source"'))


def annotate(data_dir: str, highlights: str) -> int:
    """``highlights`` highlights spread over the episodes, a third tagged, a quarter with a
    comment; two takeaways and a Notes paragraph or two per episode."""
    from reader.library import Library

    Library.open(Path(data_dir)).close()  # the cached library is brought to the current schema
    wanted = int(highlights)
    rng = random.Random(17)
    db = sqlite3.connect(Path(data_dir) / "library.sqlite3")
    episodes = db.execute("SELECT id, transcript FROM episodes").fetchall()
    per = max(1, -(-wanted // len(episodes)))  # at least ``wanted`` in all
    stamp = datetime(2026, 11, 1)
    rows, takeaways = [], []
    for n, (episode_id, transcript) in enumerate(episodes):
        words = [i for i, c in enumerate(transcript) if c == " "]
        for k in range(per):
            at = words[(k + 1) * len(words) // (per + 1)] + 1
            end = transcript.find(" ", at + 80)
            end = end if end > 0 else len(transcript)
            tags = " ".join(rng.sample(TAGS, rng.randint(1, 2))) if rng.random() < 0.33 else ""
            comment = "Belangrijk voor het stuk over regels" if rng.random() < 0.25 else ""
            when = (stamp + timedelta(hours=n * per + k)).isoformat(" ")
            rows.append((episode_id, at, end, transcript[at:end], rng.choice(COLOURS), comment, tags, when, when))
        takeaways += [(episode_id, 1024 * (k + 1), f"Les {k} uit aflevering {n} over modellen", 1, stamp.isoformat(" "))
                      for k in range(2)]
    db.executemany("INSERT INTO highlights (episode_id, start, \"end\", quote, prefix, suffix, colour, comment,"
                   " transcript_hash, orphan, version, tags, created_at, updated_at)"
                   " VALUES (?, ?, ?, ?, '', '', ?, ?, '', 0, 1, ?, ?, ?)", rows)
    db.executemany("INSERT INTO takeaways (episode_id, position, text, version, created_at) VALUES (?, ?, ?, ?, ?)",
                   takeaways)
    db.execute("UPDATE episodes SET notes = 'Eerste gedachte over de aflevering.\n\nTweede, over energie.',"
               " index_dirty = 1")
    db.commit()
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("highlights", "takeaways")}
    db.close()
    emit(counts)
    return 0


def _item_rows(window) -> list[str]:
    notebook = window.notebook.notebook
    return [" ".join(i.text.split())[:160] for i in notebook.items]


def notebook(data_dir: str, repeat: str) -> int:
    n = int(repeat)
    app, library, window = make_window(Path(data_dir))
    panel = window.notebook_panel
    probe = Probe(panel.view.viewport())
    meter = StallMeter()
    out: dict = {}
    # Opening the tab the first time: the items are read on the read thread, then shown.
    meter.start()
    t0 = time.perf_counter()
    probe.reset()
    window.actions_by_name["notebook"].trigger()
    wait_for(lambda: window.notebook.notebook is not None, timeout_s=300, step_ms=5)
    probe.arm(update=True)
    out["first_open"] = ms(probe.wait() - t0)
    meter.stop()
    out["first_open_stalls"] = meter.summary()
    out["items"] = len(window.notebook.notebook.items)
    # Showing it again (Episodes, then Notebook): the items are there.
    shows, stalls = [], []
    for _ in range(n):
        window.left.setCurrentIndex(0)
        spin(0.05)
        meter.start()
        probe.reset()
        t0 = time.perf_counter()
        window.actions_by_name["notebook"].trigger()
        window.notebook.apply()  # what a changed filter does: all items grouped and shown again
        probe.arm(update=True)
        shows.append(ms(probe.wait() - t0))
        meter.stop()
        stalls.append(meter.summary()["max"])
    out["show"], out["show_stalls"] = shows, stalls
    # Each filter as a user sets it: the combo box chosen, the query typed (its pause not counted).
    for kind, value in FILTERS:
        times = []
        for _ in range(n):
            panel.field.setText("")
            panel.choose(panel.tag, "")
            panel.choose(panel.colour, "")
            window.notebook.apply()
            spin(0.05)
            probe.reset()
            t0 = time.perf_counter()
            if kind == "tag":
                panel.choose(panel.tag, value)
            elif kind == "colour":
                panel.choose(panel.colour, value)
            else:
                panel.field.setText(value)
                window.notebook.apply()  # the typing pause ends
            probe.arm(update=True)
            times.append(ms(probe.wait() - t0))
        out[f"filter_{kind}_{value}"] = {"times": times, "shown": panel.model.item_count()}
    out["rss_peak_mb"] = round(peak_rss_mb(), 1)
    rows = _item_rows(window)
    Path(data_dir, "rows.txt").write_text("\n".join(rows), encoding="utf-8")
    settle(window)
    window.close()
    library.close()
    app.processEvents()
    emit(out)
    return 0


def bare_notebook(rows_path: str, repeat: str) -> int:
    """A bare QListView over the same rows (one line each, as plain strings): set and painted;
    filtered by a QSortFilterProxyModel on a fixed string, painted."""
    n = int(repeat)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    rows = Path(rows_path).read_text(encoding="utf-8").split("\n")
    view = QListView()
    view.setUniformItemSizes(True)
    view.resize(330, 700)
    view.show()
    spin(0.1)
    probe = Probe(view.viewport())
    out: dict = {"items": len(rows)}
    shows, filters = [], []
    for _ in range(n):
        view.setModel(None)
        spin(0.02)
        probe.reset()
        t0 = time.perf_counter()
        model = QStringListModel(rows)
        proxy = QSortFilterProxyModel()
        proxy.setSourceModel(model)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        view.setModel(proxy)
        probe.arm(update=True)
        shows.append(ms(probe.wait() - t0))
        spin(0.02)
        probe.reset()
        t0 = time.perf_counter()
        proxy.setFilterFixedString("model")
        probe.arm(update=True)
        filters.append(ms(probe.wait() - t0))
        view._keep = (model, proxy)  # type: ignore[attr-defined]
    out["show"], out["filter"] = shows, filters
    emit(out)
    app.processEvents()
    return 0
