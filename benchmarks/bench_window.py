"""The window at library scale (issue 6): 1,000 episodes, measured against bare baselines.

    .venv/bin/python benchmarks/bench_window.py [--episodes 1000] [--repeat 5]

Every figure comes from real window processes (offscreen Qt) started by this script through
benchmarks/window_driver.py, on a copy of a cached library (benchmarks/out/, built on the
first run: ~1 minute). Prints medians with min and max over ``--repeat`` runs, beside the
bare baseline of the same thing where one exists, and the goal.

``--whoosh-mmap`` runs the window with Whoosh reading its segments through mmap, as it did
before (a monkeypatch inside the benchmark processes only), to compare memory.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import window_corpus  # noqa: E402

DRIVER = HERE / "window_driver.py"
QUERIES = ["modellen", "open source", "kunstmatige intelligentie", "europa", "chips",
           "gebruiken", "nederlandse podcast", "training", "energie", "data"]


def run_driver(*args: str, env: dict[str, str] | None = None, timeout: float = 900) -> tuple[float, dict]:
    """(perf_counter just before the process started, its RESULT)."""
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(DRIVER), *args], capture_output=True, text=True,
                          env=full_env, timeout=timeout, cwd=HERE.parent)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"driver {args[0]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return started, json.loads(lines[-1][len("RESULT "):])


def bare_python_start(repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", "import time; print(time.perf_counter())"],
                             capture_output=True, text=True, check=True)
        times.append((float(out.stdout) - started) * 1000)
    return times


def copy_library(source: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    return target


def fts_search_times(fts_path: Path, repeat: int) -> list[float]:
    """Top 20 with snippets plus the count, as bench_search.py asks FTS5."""
    db = sqlite3.connect(fts_path)
    times = []
    for query in QUERIES:
        match = " ".join(f'"{w}"' for w in query.split())

        def ask(match: str = match) -> None:
            db.execute("SELECT episode_id, title, snippet(fts, 2, '[', ']', '…', 30) FROM fts"
                       " WHERE fts MATCH ? ORDER BY rank LIMIT 20", (match,)).fetchall()
            db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()

        ask()
        for _ in range(repeat):
            t0 = time.perf_counter()
            ask()
            times.append((time.perf_counter() - t0) * 1000)
    db.close()
    return times


def copy_bytes(files: list[Path], out: Path) -> float:
    out.mkdir(parents=True)
    t0 = time.perf_counter()
    for f in files:
        (out / f.name).write_bytes(f.read_bytes())
    return time.perf_counter() - t0


def headless_import(library: Path, notes: Path) -> float:
    """The same import with no window: Library.import_paths with the index open."""
    from reader.library import Library

    with Library.open(library) as lib:
        lib.search("model")  # the window has its index open too
        t0 = time.perf_counter()
        lib.import_paths([notes])
        return time.perf_counter() - t0


# -- printing ----------------------------------------------------------------------------------
ROWS: list[tuple[str, str, str, str, str, str]] = []


def stats(values: list[float] | float) -> tuple[float, float, float]:
    if isinstance(values, (int, float)):
        return float(values), float(values), float(values)
    return statistics.median(values), min(values), max(values)


def row(name: str, ours: list[float] | float, base: list[float] | float | None = None,
        goal: float | None = None, unit: str = "ms", base_name: str = "") -> None:
    median, low, high = stats(ours)
    digits = 0 if median >= 100 else 1
    figure = f"{median:.{digits}f} ({low:.{digits}f}–{high:.{digits}f})"
    baseline = ratio = ""
    if base is not None:
        b = stats(base)[0]
        baseline = f"{b:.{0 if b >= 100 else 1}f}" + (f" {base_name}" if base_name else "")
        ratio = f"x{median / b:.1f}" if b > 0 else ""
    verdict = ""
    if goal is not None:
        verdict = f"≤ {goal:g} {unit}: " + ("met" if median <= goal else "NOT met")
    ROWS.append((name, f"{figure} {unit}", baseline, ratio, verdict, ""))
    print(f"{name:<52} {figure + ' ' + unit:>26}  {baseline:>22} {ratio:>6}  {verdict}", flush=True)


def markdown_table() -> str:
    lines = ["| measure | median (min–max) | bare baseline | ratio | goal |",
             "|---|---|---|---|---|"]
    lines += [f"| {n} | {f} | {b} | {r} | {g} |" for n, f, b, r, g, _ in ROWS]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-import", action="store_true", help="leave out the import runs")
    parser.add_argument("--highlights", type=int, default=20_000, help="highlights for the Notebook rows")
    parser.add_argument("--whoosh-mmap", action="store_true",
                        help="let Whoosh read segments through mmap (the earlier design)")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    args = parser.parse_args()
    repeat = max(1, args.repeat)
    env = {"BENCH_WHOOSH_MMAP": "1"} if args.whoosh_mmap else {}

    t_all = time.perf_counter()
    folder = window_corpus.prepare(args.episodes, args.seed)
    meta = json.loads((folder / "meta.json").read_text())
    print(f"library: {meta['episodes']} episodes ({meta['mb']:.0f} MB of transcripts); "
          f"60 KB episode {meta['mid_chars'] // 1000} K chars, long one {meta['long_chars'] // 1000} K chars"
          + ("; Whoosh through mmap (the earlier design)" if env else ""))
    print(f"\n{'measure':<52} {'median (min–max)':>26}  {'bare baseline':>22} {'ratio':>6}  goal")

    with tempfile.TemporaryDirectory(prefix="bench-window-") as tmp_name:
        tmp = Path(tmp_name)
        data = copy_library(folder / "library", tmp / "library")

        # Cold start: process start → the list, filled, has painted.
        run_driver("cold", str(data), env=env)  # warm the disk cache; the first run sets last opened
        cold, cold_rss, listed = [], [], []
        for _ in range(repeat):
            started, marks = run_driver("cold", str(data), env=env)
            cold.append((marks["painted"] - started) * 1000)
            listed.append((marks["listed"] - started) * 1000)
            cold_rss.append(marks["rss_mb"])
            assert marks["rows"] == meta["episodes"] and not marks["whoosh_loaded"], marks
        bare_window, bare_rss = [], []
        for _ in range(repeat):
            started, marks = run_driver("bare-window")
            bare_window.append((marks["painted"] - started) * 1000)
            bare_rss.append(marks["rss_mb"])
        bare_py = bare_python_start(repeat)
        row("cold start → list of all episodes painted", cold, bare_window, 600,
            base_name="bare window")
        row("  (bare Python start, for scale)", bare_py)
        row("  whoosh imported at start", 0.0)

        _, bare = run_driver("bare-view", str(folder / "meta.json"), str(data), str(repeat))
        _, s = run_driver("session", str(data), str(folder / "meta.json"), str(repeat), env=env)
        row("open 60 KB episode → first paint", s["open_mid"], bare["mid_paragraphs"], 50,
            base_name="bare view, paragraphs")
        row("  bare QPlainTextEdit, one block", bare["mid_one_block"])
        row("open 600 KB episode → first paint", s["open_long"], bare["long_paragraphs"], 100,
            base_name="bare view, paragraphs")
        row("  bare QPlainTextEdit, one block", bare["long_one_block"])
        row("open 600 KB timed episode → first paint", s["open_long_timed"], s["open_long"], None,
            base_name="untimed (goal ≤ 1.2×)")
        row("  its word → time map in SQLite", s["timed_map_bytes"] / 1000, None, 200, "KB")
        for key, label, goal in (("hl_mid", "60 KB", 20), ("hl_mid_top", "60 KB", 20),
                                 ("hl_long_top", "600 KB", 60)):
            h = s[key]
            row(f"highlight {h['hits']} hits of “{h['word']}”, {label}: pause → painted",
                h["total"], None, goal)
            row("  of which GUI thread: hits arrive → painted", h["gui"])
        row("scroll 600 KB with its hits, per page", s["scroll_long"]["with"],
            s["scroll_long"]["without"], None, base_name="without")
        row("  bare QPlainTextEdit, per page", bare["long_scroll"])
        fts = fts_search_times(folder / "fts.sqlite3", repeat)
        row("search as typed: pause → results painted", s["search"]["warm"], fts, 100,
            base_name="FTS5 query")
        row("  first search of the session", s["search"]["first"])
        row("  of which the search itself (read thread)", s["search"]["backend"])

        notes = sorted((folder / "notes").glob("*.md"))
        export = s["export"]
        base_export = copy_bytes(notes, tmp / "copy-export")
        row(f"export all {export['written']} episodes, s", export["s"], base_export, None, "s",
            base_name="byte copy")
        row("  longest event-loop stall during export", export["stalls"]["max"], None, 100)
        row("peak RSS, 1,000 episodes, 20 opened", s["rss_peak_after_20_mb"], max(bare["rss_peak_mb"], 1),
            250, "MB", base_name="bare view")
        row("  RSS at cold start (list painted)", cold_rss, bare_rss, None, "MB",
            base_name="bare window")
        row("  peak RSS after exporting everything", export["rss_peak_mb"], None, None, "MB")

        # The Notebook over 20,000 highlights (issue 17), beside a bare QListView of its rows.
        nb_data = copy_library(folder / "library", tmp / "notebook-library")
        _, counts = run_driver("notebook-annotate", str(nb_data), str(args.highlights))
        _, nb = run_driver("notebook", str(nb_data), str(repeat), env=env)
        _, bare_nb = run_driver("bare-notebook", str(nb_data / "rows.txt"), str(repeat))
        print(f"    notebook: {counts['highlights']:,} highlights, {counts['takeaways']:,} takeaways, "
              f"{nb['items']:,} items in all")
        row("Notebook, first open: items read → painted", nb["first_open"], None, None)
        row("  longest GUI stall while it opens", nb["first_open_stalls"]["max"], None, 100)
        row("Notebook: all items grouped and painted", nb["show"], bare_nb["show"], 100,
            base_name="bare QListView")
        row("  longest GUI stall meanwhile", nb["show_stalls"], None, 100)
        for key, value in nb.items():
            if key.startswith("filter_"):
                label = key[len("filter_"):].replace("_", " ", 1)
                row(f"  filter {label} ({value['shown']:,} shown) → painted", value["times"],
                    bare_nb["filter"], 100, base_name="bare proxy filter")
        row("  peak RSS of the window with the Notebook", nb["rss_peak_mb"], None, None, "MB")
        shutil.rmtree(nb_data)

        if not args.skip_import:
            import_data = copy_library(folder / "library", tmp / "import-library")
            shutil.rmtree(data)
            _, imp = run_driver("import", str(import_data), str(folder / "new-notes"), env=env)
            shutil.rmtree(import_data)
            headless_data = copy_library(folder / "library", tmp / "headless-library")
            headless = headless_import(headless_data, folder / "new-notes")
            row(f"import {imp['imported']} new episodes in the window, s", imp["s"], headless,
                None, "s", base_name="no window")
            print(f"    phases (s from start): {imp['phases']}; list shows them at {imp['listed_s']} s")
            row("  longest event-loop stall during import", imp["stalls"]["max"], imp["idle"]["max"],
                100, base_name="idle loop")
            counts = f"{imp['stalls']['over_100']} / {imp['stalls']['over_50']} of {imp['stalls']['ticks']} ticks"
            ROWS.append(("  stalls over 100 ms / over 50 ms", counts, "", "", "", ""))
            print(f"{'  stalls over 100 ms / over 50 ms':<52} {counts:>26}")
            print(f"    worst stalls (s from start, ms, phase): {imp['worst'][:5]}")
            row("  peak RSS during import", imp["rss_peak_mb"], None, None, "MB")

    print(f"\nwhole run: {time.perf_counter() - t_all:.0f} s")
    if args.markdown:
        args.markdown.write_text(markdown_table() + "\n")


if __name__ == "__main__":
    main()
