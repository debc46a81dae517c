"""The cached library the window benchmark runs on (benchmarks/out/, gitignored).

``prepare(n, seed)`` returns a folder holding, built once and reused:

- ``notes/``: ``n`` generated notes (seed ``seed``) plus one 600 KB note made by joining
  transcripts (the "long episode");
- ``library/``: a data dir with those notes imported and the search index built;
- ``new-notes/``: ``n`` further notes (seed ``seed + 1000``), never imported, for the import run;
- ``fts.sqlite3``: an SQLite FTS5 table over the same transcripts (the search baseline);
- ``meta.json``: the ids of the 60 KB and 600 KB episodes and the corpus sizes.

The window writes to its library (last opened, scroll positions), so runs use a copy.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

OUT = Path(__file__).resolve().parent / "out"
LONG_CHARS = 600_000
VERSION = 2  # bump when what is generated changes: the cache is keyed by it, N and seed


def folder_for(n: int, seed: int) -> Path:
    return OUT / f"window-v{VERSION}-n{n}-s{seed}"


def _long_note(notes: Path, seed: int) -> tuple[str, str]:
    parts: list[str] = []
    for _, _, transcript in corpus.generate(20, seed + 500):
        parts.append(transcript)
        if sum(map(len, parts)) + len(parts) > LONG_CHARS:
            break
    text = " ".join(parts)[:LONG_CHARS].rsplit(" ", 1)[0]
    video_id = corpus._video_id(seed + 900, 0)
    title = "Lange aflevering: gesprekken achter elkaar | Poki S09E99"
    (notes / "Lange aflevering.md").write_text(corpus.note_text(video_id, title, text), "utf-8")
    return video_id, text


def prepare(n: int, seed: int = 0, log=print) -> Path:
    from reader.library import Library

    folder = folder_for(n, seed)
    if (folder / "meta.json").exists():
        # Brings a library cached by an older schema up to date once, so that no measured
        # process spends its time migrating (and copying) a 100 MB database.
        Library.open(folder / "library", import_seeds=False).close()
        for kept in (folder / "library").glob("library.sqlite3.before-*.bak"):
            kept.unlink()
        return folder

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    t0 = time.perf_counter()
    notes = folder / "notes"
    corpus.write_notes(notes, n, seed)
    long_id, long_text = _long_note(notes, seed)
    corpus.write_notes(folder / "new-notes", n, seed + 1000)
    log(f"prepare: wrote {2 * n + 1} notes in {time.perf_counter() - t0:.0f} s")

    t0 = time.perf_counter()
    with Library.open(folder / "library", import_seeds=False) as library:
        report = library.import_paths([notes])
        assert not report.failed, report.failed[:3]
        for _ in library.rebuild_index():
            pass
        episodes = library.list_episodes()
    log(f"prepare: imported and indexed {len(episodes)} episodes in {time.perf_counter() - t0:.0f} s")

    rows = list(corpus.generate(n, seed))
    # The 60 KB episode: the one whose transcript is nearest 60,000 characters.
    mid_id, _, mid_text = min(rows, key=lambda r: abs(len(r[2]) - 60_000))
    fts = sqlite3.connect(folder / "fts.sqlite3")
    fts.execute("CREATE VIRTUAL TABLE fts USING fts5(episode_id UNINDEXED, title, transcript,"
                " tokenize='unicode61 remove_diacritics 2')")
    fts.executemany("INSERT INTO fts VALUES (?, ?, ?)", rows)
    fts.execute("INSERT INTO fts VALUES (?, ?, ?)", (long_id, "Lange aflevering", long_text))
    fts.commit()
    fts.close()
    meta = {"episodes": len(episodes), "mid_id": mid_id, "mid_chars": len(mid_text),
            "long_id": long_id, "long_chars": len(long_text),
            "mb": sum(len(t.encode()) for _, _, t in rows) / 1e6}
    (folder / "meta.json").write_text(json.dumps(meta, indent=2))
    return folder


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(prepare(args.episodes, args.seed))
