"""A team library on PostgreSQL beside the local SQLite library, at 10,000 episodes and
200,000 highlights.

    .venv/bin/python benchmarks/bench_team.py --episodes 10000 --highlights 200000

Both libraries hold the same rows (the search benchmark's cached corpus, and highlights spread
over it), loaded in bulk; the search index is built once and copied to each client's folder,
so the figures are the library's, not the set-up's. Measured on each (median of ``--repeat``):

- list: every episode's list row (``list_episodes``);
- open: one episode as the window reads it (``episode``: transcript, notes, its highlights);
- search: a top 20 with snippets, the transcripts for them read from the library;
- round trip (team only): a highlight added by one client until another client, watching,
  has heard of it and read the episode with it (what its window paints from).

The PostgreSQL server is a throwaway one (tests/pg_server.py) on this machine, so the round
trip has no network in it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_search import cached_corpus, corpus_rows, timed  # noqa: E402
from sqlalchemy import insert, update  # noqa: E402

from reader.library import Library  # noqa: E402
from reader.library.changes import Changes, Part  # noqa: E402
from reader.library.facade import team_folder  # noqa: E402
from reader.search import IndexDoc, SearchIndex  # noqa: E402
from reader.search.schema import SCHEMA_VERSION  # noqa: E402
from reader.store.db import open_engine  # noqa: E402
from reader.store.models import EpisodeRow, HighlightRow  # noqa: E402
from tests.pg_server import Server, binaries  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
QUERIES = ["model", "open source", '"open source"', "mod*", "kunstmatige intelligentie"]


def cached_index(corpus: Path, n: int) -> Path:
    """The corpus's search index, built once (a rebuild on both cores) and kept."""
    folder = OUT / f"team-index-n{n}-v{SCHEMA_VERSION}"
    if (folder / "reader-manifest.json").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    rows = corpus_rows(corpus)
    ix = SearchIndex.open(folder)
    for done, total in ix.rebuild(((IndexDoc(e, t, x), None) for e, t, x in rows), len(rows)):
        print(f"\r  indexing {done}/{total}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    ix.close()
    return folder


def load(target: Path | str, rows: list[tuple[str, str, str]], highlights: int, seed: int = 0) -> None:
    """The episodes and ``highlights`` highlights spread over them, straight into the tables
    (marked indexed: the index is copied in beside)."""
    engine = open_engine(target)
    now = datetime(2026, 1, 1)
    per = max(1, highlights // len(rows))
    rng = random.Random(seed)
    with engine.begin() as connection:
        for at in range(0, len(rows), 200):
            connection.execute(insert(EpisodeRow), [
                {"id": e, "title": t, "show": "Poki", "tags": "", "word_count": len(x.split()),
                 "transcript": x, "source_text": f"# {t}\n", "content_hash": "", "notes": "",
                 "imported_at": now, "updated_at": now, "index_dirty": 0}
                for e, t, x in rows[at:at + 200]])
        batch = []
        for e, _t, x in rows:
            for _ in range(per):
                start = rng.randrange(0, max(1, len(x) - 80))
                batch.append({"episode_id": e, "start": start, "end": start + 60,
                              "quote": x[start:start + 60], "colour": "yellow",
                              "comment": "opmerking", "author": rng.choice(["Anna", "Bram"]),
                              "created_at": now, "updated_at": now})
            if len(batch) >= 5000:
                connection.execute(insert(HighlightRow), batch)
                batch = []
        if batch:
            connection.execute(insert(HighlightRow), batch)
        connection.execute(update(EpisodeRow).values(index_dirty=0))
    engine.dispose()


def measure(library: Library, episode_id: str, repeat: int) -> dict[str, list[float]]:
    library.prepare_index()
    out = {"list": timed(library.list_episodes, repeat),
           "open": timed(lambda: library.episode(episode_id), repeat)}
    searches: list[float] = []
    for q in QUERIES:
        library.search(q)
        searches += timed(lambda q=q: library.search(q), repeat)
    out["search"] = searches
    return out


def round_trip(url: str, folder: Path, index: Path, episode_id: str, repeat: int) -> list[float]:
    shutil.copytree(index, folder / "bram" / "team" / team_folder(url) / "index")
    writer = Library.open(folder / "anna", library_url=url, author="Anna")
    reader = Library.open(folder / "bram", library_url=url, author="Bram")
    reader.prepare_index()
    heard = threading.Event()

    def listener(changes: Changes) -> None:
        if episode_id in changes.touching(Part.HIGHLIGHTS):
            heard.set()

    reader.subscribe(listener)
    reader.watch()
    transcript = writer.episode(episode_id).transcript
    times = []
    for n in range(repeat):
        heard.clear()
        at = 1000 + 500 * n
        t0 = time.perf_counter()
        made = writer.add_highlight(episode_id, at, at + 20, comment=f"rondje {n}")
        if not heard.wait(timeout=30):
            raise SystemExit("the other client never heard of the highlight")
        assert any(h.id == made.id for h in reader.episode(episode_id).highlights)
        times.append((time.perf_counter() - t0) * 1000)
    assert transcript
    writer.close()
    reader.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=10_000)
    parser.add_argument("--highlights", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    bindir = binaries()
    if bindir is None:
        raise SystemExit("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    t_start = time.perf_counter()
    corpus = cached_corpus(args.episodes)
    rows = corpus_rows(corpus)
    index = cached_index(corpus, args.episodes)
    episode_id = rows[len(rows) // 2][0]
    work = Path(tempfile.mkdtemp(prefix="bench-team-"))
    server = Server(bindir)
    try:
        url = server.create_database("bench")
        figures: dict[str, dict[str, list[float]]] = {}
        loads: dict[str, float] = {}
        for kind in ("sqlite", "postgresql"):
            t0 = time.perf_counter()
            local = work / kind
            if kind == "sqlite":
                load(local / "library.sqlite3", rows, args.highlights)
                shutil.copytree(index, local / "index")
                library = Library.open(local, import_seeds=False)
            else:
                load(url, rows, args.highlights)
                client = local / "team" / team_folder(url)
                shutil.copytree(index, client / "index")
                library = Library.open(local, library_url=url)
            loads[kind] = time.perf_counter() - t0
            figures[kind] = measure(library, episode_id, args.repeat)
            library.close()
            print(f"  {kind} measured", file=sys.stderr)
        trip = round_trip(url, work, index, episode_id, args.repeat)
    finally:
        server.close()
        shutil.rmtree(work, ignore_errors=True)

    def cell(values: list[float]) -> str:
        return f"{statistics.median(values):.1f}"

    print(f"\n{args.episodes:,} episodes, {args.highlights:,} highlights; median ms of {args.repeat}"
          " (search: of every query, 5 queries)")
    print(f"{'measure':40} {'SQLite':>12} {'PostgreSQL':>12}")
    for name, label in (("list", "list every episode"), ("open", "open one episode"),
                        ("search", "search, top 20 + snippets")):
        print(f"{label:40} {cell(figures['sqlite'][name]):>12} {cell(figures['postgresql'][name]):>12}")
    print(f"{'highlight round trip, two clients':40} {'—':>12} {cell(trip):>12}"
          f"   (max {max(trip):.0f})")
    print(f"{'load of the rows (set-up), s':40} {loads['sqlite']:>12.1f} {loads['postgresql']:>12.1f}")
    print(f"\nwhole run: {time.perf_counter() - t_start:.0f} s")


if __name__ == "__main__":
    main()
