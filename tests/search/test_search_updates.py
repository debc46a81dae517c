"""Incremental updates, rebuild on both cores, and recovery from damage."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import Seed, build

from reader.search import AnnotationDoc, IndexDoc, SearchIndex
from reader.search.schema import transcript_key


def test_add_update_delete(tmp_path: Path, seeds: list[Seed]) -> None:
    texts = {"x": "een aflevering over zeilboten en windmolens"}
    index = build(tmp_path / "ix", [])
    assert index.search("zeilboot", transcript_of=texts.__getitem__).total == 0
    index.add_or_update(IndexDoc("x", "Zeilen", texts["x"]))
    assert index.search("zeilboot", transcript_of=texts.__getitem__).total == 1
    texts["x"] = "nu alleen over windmolens"
    index.add_or_update(IndexDoc("x", "Zeilen", texts["x"]))
    assert index.search("zeilboot", transcript_of=texts.__getitem__).total == 0
    assert index.search("windmolens", transcript_of=texts.__getitem__).total == 1
    index.delete("x")
    assert index.search("windmolens", transcript_of=texts.__getitem__).total == 0


def test_annotation_edit_leaves_the_transcript_document_alone(tmp_path: Path,
                                                              seeds: list[Seed]) -> None:
    seed = seeds[0]
    texts = {seed.episode_id: seed.transcript}
    index = build(tmp_path / "ix", [(IndexDoc(seed.episode_id, seed.title, seed.transcript),
                                     None)])

    def transcript_docnum() -> int | None:
        with index._reading() as searcher:  # white-box: which stored document is the transcript
            return searcher.document_number(doc_key=transcript_key(seed.episode_id))

    before = transcript_docnum()
    index.update_annotations(AnnotationDoc(seed.episode_id, seed.title, notes="zeilboten"))
    index.update_annotations(AnnotationDoc(seed.episode_id, seed.title, notes="windmolens"))
    assert transcript_docnum() == before
    assert index.search("notes:zeilboot", transcript_of=texts.__getitem__).total == 0
    assert index.search("windmolens", transcript_of=texts.__getitem__).total == 1
    index.update_annotations(AnnotationDoc(seed.episode_id, seed.title))
    assert index.search("windmolens", transcript_of=texts.__getitem__).total == 0
    assert index.search("model", transcript_of=texts.__getitem__).total == 1
    index.merge()
    assert index.search("model", transcript_of=texts.__getitem__).total == 1


def test_parallel_rebuild_matches_serial(tmp_path: Path, seeds: list[Seed]) -> None:
    items = [(IndexDoc(f"{s.episode_id}-{k}", s.title, s.transcript), None)
             for k in range(4) for s in seeds]
    texts = {d.episode_id: d.transcript for d, _ in items}
    serial = build(tmp_path / "serial", items, processes=1)
    index = SearchIndex.open(tmp_path / "parallel")
    progress = list(index.rebuild(items, len(items), processes=2))
    assert progress[0] == (0, 20) and progress[-1] == (20, 20)
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)
    for q in ("modellen", '"open source"', "wietse~", "title:polder"):
        a = serial.search(q, transcript_of=texts.__getitem__)
        b = index.search(q, transcript_of=texts.__getitem__)
        assert a.total == b.total
        assert {r.episode_id for r in a.results} == {r.episode_id for r in b.results}
    index.close()
    assert not SearchIndex.open(tmp_path / "parallel").needs_rebuild


def _populated(directory: Path, seeds: list[Seed]) -> None:
    index = build(directory, [(IndexDoc(s.episode_id, s.title, s.transcript), None)
                              for s in seeds[:2]])
    index.update_annotations(AnnotationDoc(seeds[0].episode_id, seeds[0].title, notes="x y"))
    index.close()
    reopened = SearchIndex.open(directory)
    assert not reopened.needs_rebuild
    reopened.close()


def _assert_recovers(directory: Path, seeds: list[Seed]) -> None:
    index = SearchIndex.open(directory)
    assert index.needs_rebuild
    texts = {s.episode_id: s.transcript for s in seeds}
    assert index.search("model", transcript_of=texts.__getitem__).total == 0
    for _ in index.rebuild([(IndexDoc(s.episode_id, s.title, s.transcript), None)
                            for s in seeds], len(seeds)):
        pass
    assert index.search("model", transcript_of=texts.__getitem__).total > 0
    assert not SearchIndex.open(directory).needs_rebuild


def test_missing_directory(tmp_path: Path, seeds: list[Seed]) -> None:
    _assert_recovers(tmp_path / "not" / "there", seeds)


def test_deleted_index_files(tmp_path: Path, seeds: list[Seed]) -> None:
    directory = tmp_path / "ix"
    _populated(directory, seeds)
    for path in directory.iterdir():
        path.unlink()
    _assert_recovers(directory, seeds)


def test_garbage_in_a_segment(tmp_path: Path, seeds: list[Seed]) -> None:
    directory = tmp_path / "ix"
    _populated(directory, seeds)
    segment = max(directory.glob("MAIN_*.seg"), key=lambda p: p.stat().st_size)
    data = bytearray(segment.read_bytes())
    data[len(data) // 2:len(data) // 2 + 64] = b"\xde\xad\xbe\xef" * 16
    segment.write_bytes(bytes(data))
    _assert_recovers(directory, seeds)


def test_truncated_segment_and_garbage_toc(tmp_path: Path, seeds: list[Seed]) -> None:
    directory = tmp_path / "ix"
    _populated(directory, seeds)
    segment = next(directory.glob("MAIN_*.seg"))
    segment.write_bytes(segment.read_bytes()[:100])
    _assert_recovers(directory, seeds)
    for toc in directory.glob("_MAIN_*.toc"):
        toc.write_bytes(b"not a table of contents")
    _assert_recovers(directory, seeds)


def test_interrupted_rebuild_is_flagged(tmp_path: Path, seeds: list[Seed]) -> None:
    directory = tmp_path / "ix"
    index = SearchIndex.open(directory)
    items = [(IndexDoc(f"e{k}", s.title, s.transcript), None) for k, s in enumerate(seeds * 4)]
    steps = index.rebuild(items, len(items), processes=1)
    next(steps), next(steps)  # the first batch is published and searchable...
    texts = {d.episode_id: d.transcript for d, _ in items}
    assert index.search("model", transcript_of=texts.__getitem__).total > 0
    steps.close()  # ...then the rebuild stops (the user quit)
    assert SearchIndex.open(directory).needs_rebuild


def test_lock_left_by_a_killed_writer(tmp_path: Path, seeds: list[Seed]) -> None:
    directory = tmp_path / "ix"
    _populated(directory, seeds)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from whoosh.index import open_dir\n"
         f"w = open_dir({str(directory)!r}, indexname='MAIN').writer()\n"
         "print('locked', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait()
    index = SearchIndex.open(directory)
    texts = {seeds[4].episode_id: seeds[4].transcript}
    index.add_or_update(IndexDoc(seeds[4].episode_id, seeds[4].title, seeds[4].transcript))
    assert index.search("title:polder", transcript_of=texts.__getitem__).total == 1
