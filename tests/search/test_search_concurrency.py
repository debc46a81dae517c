"""Two processes on one index: opening while the other commits or rebuilds never wipes it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import Seed, build
from whoosh.writing import SegmentWriter

from reader.library import Library
from reader.search import IndexDoc, SearchIndex
from reader.search.schema import analyzer_of, make_codec, transcript_fields
from reader.search.storage import INDEX_NAME, file_storage, open_or_create
from tests.conftest import run_cli


@contextmanager
def writer_between_commit_and_manifest(directory: Path) -> Iterator[None]:
    """What a live writer in another process looks like halfway through a commit: it holds
    the write lock and has published a new generation whose manifest is not written yet."""
    storage = file_storage(directory)
    lock = storage.lock(f"{INDEX_NAME}_WRITELOCK")  # a second descriptor: flock conflicts
    assert lock.acquire(blocking=False)
    try:
        ix = storage.open_index(INDEX_NAME)
        writer = SegmentWriter(ix, _lk=False, codec=make_codec())
        writer.add_document(**transcript_fields(
            analyzer_of(ix.schema), IndexDoc("new", "Nieuw", "zeilboten op de waddenzee")))
        writer.commit(merge=False)
        yield
    finally:
        lock.release()


def _doc_count(directory: Path) -> int:
    with file_storage(directory).open_index(INDEX_NAME).searcher() as searcher:
        return searcher.doc_count()


def test_opening_while_another_process_commits_keeps_the_index(tmp_path: Path,
                                                                seeds: list[Seed]) -> None:
    directory = tmp_path / "ix"
    build(directory, [(IndexDoc(s.episode_id, s.title, s.transcript), None)
                      for s in seeds]).close()
    with writer_between_commit_and_manifest(directory):
        ix, needs_rebuild = open_or_create(directory, lock_timeout=0.2)
        assert not needs_rebuild
        with ix.searcher() as searcher:
            assert searcher.doc_count() == len(seeds) + 1
    assert _doc_count(directory) == len(seeds) + 1


def test_a_commit_left_without_its_manifest_is_rebuilt(tmp_path: Path,
                                                        seeds: list[Seed]) -> None:
    """The writer died between the two: nothing vouches for the files, so start again."""
    directory = tmp_path / "ix"
    build(directory, [(IndexDoc(s.episode_id, s.title, s.transcript), None)
                      for s in seeds]).close()
    with writer_between_commit_and_manifest(directory):
        pass
    index = SearchIndex.open(directory)
    assert index.needs_rebuild
    assert _doc_count(directory) == 0


def test_rebuild_if_needed_leaves_a_complete_index_alone(tmp_path: Path,
                                                         seeds: list[Seed]) -> None:
    """A second window that found the index mid-rebuild waits for it instead of redoing it."""
    directory = tmp_path / "ix"
    items = [(IndexDoc(s.episode_id, s.title, s.transcript), None) for s in seeds]
    first = build(directory, items)
    generation = first._ix.latest_generation()
    second = SearchIndex.open(directory)
    assert list(second.rebuild(items, len(items), if_needed=True)) == [(5, 5)]
    assert second._ix.latest_generation() == generation
    steps = list(second.rebuild(items, len(items)))
    assert steps[-1] == (5, 5) and second._ix.latest_generation() > generation


def test_an_edit_by_another_process_during_a_rebuild_stays_to_be_indexed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Library.open(data) as library:
        library.search("model")
        rebuild = library.rebuild_index()
        assert next(rebuild)[0] == 0  # started: nothing read yet
        assert next(rebuild)[0] == 5  # every episode read and indexed, not yet marked clean
        done = run_cli("annotate", "LrrHD9cdz6Q", "--add-takeaway", "zeldzaamwoordxq", data_dir=data)
        assert done.returncode == 0, done.stderr
        for _ in rebuild:
            pass
    with Library.open(data) as fresh:  # opening the index gives it what it still lacks
        assert [r.episode_id for r in fresh.search("zeldzaamwoordxq").results] == ["LrrHD9cdz6Q"]
