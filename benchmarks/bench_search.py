"""Whoosh (reader.search) against an SQLite FTS5 baseline on the same generated corpus.

    .venv/bin/python benchmarks/bench_search.py --episodes 1000,3000,10000

Prints each figure at every size, Whoosh beside FTS5 with the ratio. The corpus of each size
is generated once into benchmarks/out/ and reused; each size is built in a process of its own
and searched in another, whose peak RSS is the search process's. Transcripts for snippets come
from an SQLite table, as in the app (the index does not store them); FTS5 stores its own copy.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

from reader.search import AnnotationDoc, IndexDoc, SearchIndex

QUERIES = ["model", "taal", "modellen", "open source", '"open source"', "kunstmatige intelligentie",
           "europa", "wietse", "chips", "mod*", "gebruiken", "nederlandse podcast",
           "robots OR humanoids", "model NOT taal", "data", "training", "energie"]
# Names speech recognition writes apart ("open ai", "chat gpt") and a word whose splits are
# looked up and left out ("voor beeld"): before issue 15 these found nothing, or less.
SPOKEN = ["openai", "chatgpt", "deepseek", "voorbeeld"]
FUZZY = ["wietse~", "modelen~", "inteligentie~", "europe~"]
FTS_QUERIES = {'"open source"': '"open source"', "mod*": "mod*",
               "robots OR humanoids": "robots OR humanoids", "model NOT taal": "model NOT taal"}


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def fts_build(db: sqlite3.Connection, corpus: list[tuple[str, str, str]]) -> float:
    t0 = time.perf_counter()
    db.execute("CREATE VIRTUAL TABLE fts USING fts5(episode_id UNINDEXED, title, transcript,"
               " tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO fts VALUES (?, ?, ?)", corpus)
    db.commit()
    return time.perf_counter() - t0


def fts_fts_query(q: str) -> str:
    if q in FTS_QUERIES:
        return FTS_QUERIES[q]
    return " ".join(f'"{w}"' for w in q.split())


# -- the corpus, cached on disk between runs ---------------------------------------------------
OUT = Path(__file__).resolve().parent / "out"
CORPUS_VERSION = 1


def cached_corpus(n: int) -> Path:
    """An SQLite file of ``n`` generated episodes (id, title, transcript), made once: 10,000
    episodes take minutes to generate, and every run measures the same ones."""
    path = OUT / f"search-corpus-v{CORPUS_VERSION}-n{n}-s0.sqlite3"
    if path.exists():
        return path
    OUT.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    part = path.with_suffix(".part")
    part.unlink(missing_ok=True)
    db = sqlite3.connect(part)
    db.execute("CREATE TABLE episode (id TEXT PRIMARY KEY, title TEXT, transcript TEXT)")
    db.executemany("INSERT INTO episode VALUES (?, ?, ?)", generate(n))
    db.commit()
    db.close()
    part.rename(path)
    print(f"corpus: {n} episodes generated in {time.perf_counter() - t0:.0f} s into {path}", flush=True)
    return path


def corpus_rows(path: Path) -> list[tuple[str, str, str]]:
    db = sqlite3.connect(path)
    rows = db.execute("SELECT id, title, transcript FROM episode ORDER BY rowid").fetchall()
    db.close()
    return rows


def peak_rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


# -- one scale, in processes of its own -------------------------------------------------------
def child_build(corpus: Path, folder: Path, processes: int | None) -> dict:
    """Builds the FTS5 table and the Whoosh index of the corpus into ``folder``."""
    rows = corpus_rows(corpus)
    fts = sqlite3.connect(folder / "fts.db")
    fts_seconds = fts_build(fts, rows)
    fts.close()
    ix = SearchIndex.open(folder / "index")
    docs = ((IndexDoc(e, title, t), None) for e, title, t in rows)
    t0 = time.perf_counter()
    first_batch = None
    for done, _total in ix.rebuild(docs, len(rows), processes=processes):
        if done and first_batch is None:
            first_batch = time.perf_counter() - t0
    build = time.perf_counter() - t0
    ix.close()
    index_dir = folder / "index"
    return {"episodes": len(rows), "mb": sum(len(t.encode()) for _, _, t in rows) / 1e6,
            "build_s": build, "fts_build_s": fts_seconds, "first_batch_s": first_batch or 0.0,
            "size_mb": sum(p.stat().st_size for p in index_dir.iterdir() if p.is_file()) / 1e6,
            "fts_size_mb": (folder / "fts.db").stat().st_size / 1e6,
            "segments": len(list(index_dir.glob("MAIN_*.seg"))),
            "build_rss_mb": peak_rss_mb()}


def child_query(corpus: Path, folder: Path, repeat: int) -> dict:
    """Searches the built index as the window does (top 20 with snippets, transcripts read
    from SQLite), and FTS5 beside it; then updates, more like this, and searches again."""
    store = sqlite3.connect(corpus, check_same_thread=False)

    def transcript_of(episode_id: str) -> str:
        return store.execute("SELECT transcript FROM episode WHERE id = ?", (episode_id,)).fetchone()[0]

    fts = sqlite3.connect(folder / "fts.db")
    ix = SearchIndex.open(folder / "index")
    out: dict = {}

    def whoosh_search(q: str) -> None:
        ix.search(q, 20, transcript_of=transcript_of)

    def fts_search(q: str) -> None:
        m = fts_fts_query(q)
        fts.execute("SELECT episode_id, title, snippet(fts, 2, '[', ']', '…', 30) FROM fts"
                    " WHERE fts MATCH ? ORDER BY rank LIMIT 20", (m,)).fetchall()
        fts.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (m,)).fetchone()

    def searches(key: str) -> None:
        ours, base, per_query = [], [], {}
        for q in QUERIES:
            whoosh_search(q)  # warm the term cache once, as a typing user does
            times = timed(lambda q=q: whoosh_search(q), repeat)
            ours += times
            per_query[q] = statistics.median(times)
            base += timed(lambda q=q: fts_search(q), repeat)
        out[key], out[f"{key}_fts"], out[f"{key}_per_query"] = ours, base, per_query

    searches("search")
    spoken = []
    for q in SPOKEN:
        whoosh_search(q)
        spoken += timed(lambda q=q: whoosh_search(q), repeat)
    out["spoken"] = spoken
    out["fuzzy"] = [t for q in FUZZY for t in timed(lambda q=q: whoosh_search(q), repeat)]
    episode_id, title, transcript = store.execute(
        "SELECT id, title, transcript FROM episode WHERE length(transcript) BETWEEN 58000 AND 70000"
        " LIMIT 1").fetchone()
    notes = "mijn notities over modellen en open source"
    out["update"] = timed(lambda: ix.update_annotations(
        AnnotationDoc(episode_id, title, notes=notes, comments=((1, "robots"),))), 20)
    t0 = time.perf_counter()
    ix.merge()
    out["merge_s"] = time.perf_counter() - t0
    out["add"] = timed(lambda: ix.add_or_update(IndexDoc(episode_id, title, transcript)), 5)
    out["hits"] = timed(lambda: ix.hits("modellen", episode_id, transcript), 50)
    out["hits_fts"] = timed(lambda: fts.execute(
        "SELECT highlight(fts, 2, '[', ']') FROM fts WHERE fts MATCH ? AND episode_id = ?",
        ('"model"', episode_id)).fetchall(), 20)
    out["find"] = timed(lambda: ix.find_ranges("open source", transcript), 50)
    out["mlt"] = timed(lambda: ix.more_like_this(episode_id), 10)
    searches("again")
    out["rss_mb"] = peak_rss_mb()
    ix.close()
    fts.close()
    store.close()
    return out


def run_child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"bench_search child {args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT "):])


# -- printing: each figure at every scale, Whoosh beside FTS5 --------------------------------
def cell(ours: list[float] | float, base: list[float] | float | None = None, *, pct: bool = False) -> str:
    def one(v: list[float] | float) -> float:
        return (p95(v) if pct else statistics.median(v)) if isinstance(v, list) else float(v)
    a = one(ours)
    if base is None:
        return f"{a:.1f}"
    b = one(base)
    return f"{a:.1f} / {b:.1f} (x{a / b:.1f})" if b else f"{a:.1f} / {b:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", default="1000",
                        help="one size or several, comma-separated: 1000,3000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--processes", type=int, default=None)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, corpus, folder = args.child[0], Path(args.child[1]), Path(args.child[2])
        result = (child_build(corpus, folder, args.processes) if kind == "build"
                  else child_query(corpus, folder, args.repeat))
        print("RESULT " + json.dumps(result), flush=True)
        return

    sizes = [int(n) for n in args.episodes.split(",")]
    results: dict[int, tuple[dict, dict]] = {}
    t_all = time.perf_counter()
    for n in sizes:
        corpus = cached_corpus(n)
        with tempfile.TemporaryDirectory(prefix=f"bench-search-{n}-") as tmp:
            extra = [] if args.processes is None else [f"--processes={args.processes}"]
            build = run_child("build", str(corpus), tmp, *extra)
            query = run_child("query", str(corpus), tmp, f"--repeat={args.repeat}")
        results[n] = (build, query)
        print(f"  {n:,} episodes ({build['mb']:.0f} MB of transcripts) measured", flush=True)

    header = f"{'measure (ms unless said; Whoosh / FTS5)':<44}" + "".join(f"{n:>30,}" for n in sizes)
    print("\n" + header)

    def line(name: str, make: Callable[[dict, dict], str]) -> None:
        print(f"{name:<44}" + "".join(f"{make(*results[n]):>30}" for n in sizes))

    line("build, s", lambda b, q: cell(b["build_s"], b["fts_build_s"]))
    line("  first batch searchable, s", lambda b, q: cell(b["first_batch_s"]))
    line("  peak RSS while building, MB", lambda b, q: cell(b["build_rss_mb"]))
    line("index size, MB", lambda b, q: cell(b["size_mb"], b["fts_size_mb"]))
    line("  segments after the rebuild", lambda b, q: str(b["segments"]))
    line("search top 20 + snippets, median", lambda b, q: cell(q["search"], q["search_fts"]))
    line("  p95", lambda b, q: cell(q["search"], q["search_fts"], pct=True))
    line("  spoken names, median", lambda b, q: cell(q["spoken"]))
    line("  fuzzy word~, median", lambda b, q: cell(q["fuzzy"]))
    line("annotation update + commit, median", lambda b, q: cell(q["update"]))
    line("  merge small segments (idle), s", lambda b, q: cell(q["merge_s"]))
    line("add_or_update one episode, median", lambda b, q: cell(q["add"]))
    line("hit ranges, one 60 KB episode", lambda b, q: cell(q["hits"], q["hits_fts"]))
    line("find_ranges (typed text)", lambda b, q: cell(q["find"]))
    line("more like this, median", lambda b, q: cell(q["mlt"]))
    line("search after the updates, median", lambda b, q: cell(q["again"], q["again_fts"]))
    line("  p95", lambda b, q: cell(q["again"], q["again_fts"], pct=True))
    line("peak RSS of the search process, MB", lambda b, q: cell(q["rss_mb"]))
    slowest = {n: sorted(results[n][1]["search_per_query"].items(), key=lambda kv: -kv[1])[:4] for n in sizes}
    for n in sizes:
        print(f"  slowest queries at {n:,}: " + ", ".join(f"{q!r} {t:.0f} ms" for q, t in slowest[n]))
    print(f"\nwhole run: {time.perf_counter() - t_all:.0f} s")


if __name__ == "__main__":
    main()
