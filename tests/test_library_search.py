"""The library keeps the search index in step with SQLite, and repairs it."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from reader.library import IndexNotReady, Library


def _ids(library: Library, query: str) -> list[str]:
    return [r.episode_id for r in library.search(query).results]


def test_import_annotate_delete_keep_the_index_in_step(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as library:
        assert "Q6ISUYLpI4A" in _ids(library, "taalmodel")
        library.set_notes("Q6ISUYLpI4A", "zeilboot als metafoor")
        assert _ids(library, "notes:zeilboot") == ["Q6ISUYLpI4A"]
        library.set_takeaways("LrrHD9cdz6Q", ["windmolenpark"])
        assert _ids(library, "windmolenpark") == ["LrrHD9cdz6Q"]
        library.delete_episode("Q6ISUYLpI4A")
        assert "Q6ISUYLpI4A" not in _ids(library, "taalmodel")


def test_changes_made_while_the_index_was_closed_are_indexed_on_open(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        library.search("model")  # the index exists
    with Library.open(data_dir) as library:  # this session never opens the index
        library.set_notes("t6CbcAlFD0o", "kangoeroe")
    with Library.open(data_dir) as library:
        assert _ids(library, "kangoeroe") == ["t6CbcAlFD0o"]


def test_a_deleted_or_damaged_index_is_rebuilt_from_sqlite(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        library.set_notes("t6CbcAlFD0o", "kangoeroe")
        before = _ids(library, "modellen")
    shutil.rmtree(data_dir / "index")
    with Library.open(data_dir) as library:
        assert _ids(library, "modellen") == before
        assert _ids(library, "kangoeroe") == ["t6CbcAlFD0o"]
    for path in (data_dir / "index").iterdir():
        if path.is_file() and path.stat().st_size > 100:
            path.write_bytes(b"\x00garbage" * 50)
    with Library.open(data_dir) as library:
        assert _ids(library, "modellen") == before

def test_hits_are_ranges_of_the_stored_transcript(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        transcript = library.episode("t6CbcAlFD0o").transcript
        ranges = library.hits("modellen", "t6CbcAlFD0o")
        assert ranges and all(transcript[s:e].lower().startswith("model") for s, e in ranges)
        # Find in episode takes word forms too, whatever the case typed ("taalmodel", which
        # the test looked for before, is in no sample's transcript: it passed on nothing).
        found = library.find_in_episode("Modellen", "t6CbcAlFD0o")
        assert found and all(transcript[s:e].lower().startswith("model") for s, e in found)
        assert {transcript[s:e].lower() for s, e in found} >= {"model", "modellen"}


def test_a_bulk_import_is_indexed_in_one_go(data_dir: Path, tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import corpus

    folder = tmp_path / "many"
    corpus.write_notes(folder, 12)
    with Library.open(data_dir) as library:
        library.search("model")
        stages = []
        report = library.import_paths([folder], progress=lambda p: stages.append(p.path))
        assert len(report.imported) == 12
        assert "indexing" in stages
        some_id = report.imported[5]
        words = library.episode(some_id).transcript.split()
        phrase = " ".join(words[200:206])
        assert some_id in [r.episode_id for r in library.search(f'"{phrase}"', limit=50).results]


def test_with_the_index_on_the_writer_a_reader_never_opens_it(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        library.index_on_own_thread()
        database = data_dir / "library.sqlite3"
        before = database.stat().st_mtime_ns, (data_dir / "library.sqlite3-wal").stat().st_size
        with pytest.raises(IndexNotReady):
            library.search("modellen")
        with pytest.raises(IndexNotReady):
            library.find_in_episode("modellen", "t6CbcAlFD0o")
        # The reader wrote nothing (opening the index marks rows clean in SQLite).
        assert (database.stat().st_mtime_ns, (data_dir / "library.sqlite3-wal").stat().st_size) == before
        assert not (data_dir / "index").exists()
        library.prepare_index()  # what the window's write runner does
        assert library.search("modellen").total > 0


def test_a_save_while_the_index_is_rebuilt_on_another_thread_does_not_wait_for_it(data_dir: Path) -> None:
    """A first start builds the index for minutes on a big library; notes typed meanwhile
    must reach SQLite at once, and be found once the rebuild is done."""
    with Library.open(data_dir) as library:
        library.index_on_own_thread()
        rebuilding = library.rebuild_index()
        started, go_on = threading.Event(), threading.Event()
        rebuilt: list[tuple[int, int]] = []

        def rebuild() -> None:  # the index thread, held half-way: it holds the index
            rebuilt.append(next(rebuilding))
            started.set()
            go_on.wait()
            rebuilt.extend(rebuilding)

        indexer = threading.Thread(target=rebuild)
        indexer.start()
        try:
            assert started.wait(60)
            saver = threading.Thread(target=library.set_notes, args=("t6CbcAlFD0o", "kangoeroe"))
            saver.start()
            saver.join(60)
            assert not saver.is_alive(), "the save waited for the rebuild"
            assert library.episode("t6CbcAlFD0o").notes == "kangoeroe"
        finally:
            go_on.set()
            indexer.join(120)
        assert rebuilt[-1][0] == rebuilt[-1][1]
        assert _ids(library, "notes:kangoeroe") == ["t6CbcAlFD0o"]
    with Library.open(data_dir) as library:  # and nothing is left for the next start
        assert _ids(library, "notes:kangoeroe") == ["t6CbcAlFD0o"]
