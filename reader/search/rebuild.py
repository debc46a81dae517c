"""Bulk (re)indexing on both cores, searchable while it runs.

Worker processes are started with "spawn", never fork: the app has threads (Qt, executors)
and forking a threaded process can deadlock. Each worker turns a batch of episodes into one
finished segment in a private staging index; the parent, which holds the write lock for the
whole rebuild, moves the segment's files into the real index and publishes a new generation
after every batch, so search sees the library fill up.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import sys
import threading
import time
from array import array
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from whoosh.index import TOC, FileIndex
from whoosh.writing import SegmentWriter

from reader.search.model import AnnotationDoc, IndexDoc
from reader.search.schema import (
    analyzer_of,
    annotation_fields,
    build_schema,
    make_codec,
    transcript_fields,
)
from reader.search.storage import (
    INDEX_NAME,
    commit_segments,
    file_storage,
    is_complete,
    write_lock,
)

Batch = list[tuple[IndexDoc, AnnotationDoc | None]]

STAGING = "staging"
_PR_SET_PDEATHSIG = 1
# Below this many episodes, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 150


def die_with_parent(parent: int) -> None:
    """Worker start: end this process when the one that started it ends, however it ends
    (a kill -9 of the command line must not leave workers indexing for minutes)."""
    if sys.platform == "linux":
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it ended before we could ask to be told
        os._exit(1)

    def watch() -> None:  # where the kernel cannot tell us (macOS, Windows)
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _staging_index(staging: str) -> FileIndex:
    # One staging index per process: Whoosh writers of one index share a temp folder that
    # each destroys when it finishes.
    folder = Path(staging) / f"w{os.getpid()}"
    storage = file_storage(folder)
    if not folder.exists():
        folder.mkdir(parents=True)
        return storage.create_index(build_schema(), indexname=INDEX_NAME)
    return storage.open_index(INDEX_NAME)


class TermPool:
    """A segment writer's postings, kept per term in memory in the order they arrive.

    Whoosh's own pool keeps one tuple per posting, sorts them all when the segment is
    written and spills sorted runs to temporary files past its memory limit (128 MB: a batch
    of 400 episodes), merging them back after. Documents arrive in number order, so each
    term's postings are already sorted: only the terms are sorted, once. The memory is the
    batch's (``batch_sizes`` keeps batches to what a worker may hold)."""

    def __init__(self) -> None:
        self._terms: dict[tuple[str, bytes], list[tuple[int, float, bytes | None]]] = {}

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        key = (fieldname, tbytes)
        postings = self._terms.get(key)
        if postings is None:
            self._terms[key] = [(docnum, weight, vbytes)]
        else:
            postings.append((docnum, weight, vbytes))

    def terms(self) -> Iterator[tuple[str, bytes, list[tuple[int, float, bytes | None]]]]:
        """(field, term, its postings in document order), in term order, each let go of
        once given."""
        terms = self._terms
        for key in sorted(terms):
            fieldname, tbytes = key
            yield fieldname, tbytes, terms.pop(key)

    def cleanup(self) -> None:
        self._terms.clear()


class _Lengths:
    """The batch's field lengths, read once per field: writing the postings asks for the
    length of every posting's document (220,000 reads of the segment file per 100
    episodes)."""

    def __init__(self, reader: Any, count: int) -> None:
        self._reader = reader
        self._count = count
        self._fields: dict[str, list[int]] = {}

    def of(self, fieldname: str) -> list[int]:
        """Every document's length of ``fieldname`` (0 where it has none)."""
        lengths = self._fields.get(fieldname)
        if lengths is None:
            length = self._reader.doc_field_length
            lengths = self._fields[fieldname] = [length(d, fieldname, 0) or 0
                                                 for d in range(self._count)]
        return lengths


class _BatchWriter(SegmentWriter):
    """A segment writer with ``TermPool`` and ``_Lengths``."""

    def __init__(self, ix: FileIndex) -> None:
        super().__init__(ix, _lk=False, codec=make_codec())
        self.pool = TermPool()

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(reader, self.docnum) if reader is not None else None
        self._write_terms(lengths)
        self.fieldwriter.close()
        if reader is not None:
            reader.close()

    def _write_terms(self, lengths: _Lengths | None) -> None:
        """Each term's postings handed to the posting writer a block at a time. Whoosh's
        ``add_postings`` made a chain of Python calls per posting (~2,200 terms and ~17,000
        postings an episode: most of a worker's time after the analysis); here a block's ids,
        weights, values and length bounds are set at once, as ``add_posting`` would have
        left them, and the writer writes the block as it does."""
        writer = self.fieldwriter
        field = None
        for fieldname, tbytes, postings in self.pool.terms():
            if fieldname != field:
                if field is not None:
                    writer.finish_field()
                writer.start_field(fieldname, self.schema[fieldname])
                field = fieldname
                doc_lengths = lengths.of(fieldname) if lengths is not None else None
            writer.start_term(tbytes)
            block = writer._postwriter
            limit = block._blocklimit
            ids, weights, values = zip(*postings, strict=True)
            for at in range(0, len(ids), limit):
                if at:
                    block._write_block()
                chunk = ids[at:at + limit]
                block._ids = array("I", chunk)
                chunk_weights = weights[at:at + limit]
                block._weights = array("f", chunk_weights)
                block._values = [v for v in values[at:at + limit] if v]
                block._maxweight = max(0, *chunk_weights)
                known = [doc_lengths[d] for d in chunk if doc_lengths[d]] if doc_lengths else []
                block._minlength = min(known) if known else None
                block._maxlength = max(known) if known else 0
            writer.finish_term()
        if field is not None:
            writer.finish_field()


def index_batch(staging: str, batch: Batch) -> tuple[Any, list[str], int]:
    """Worker side: one segment for ``batch``; returns (segment, its file paths, episodes)."""
    ix = _staging_index(staging)
    writer = _BatchWriter(ix)
    analyzer = analyzer_of(writer.schema)
    for doc, notes in batch:
        writer.add_document(**transcript_fields(analyzer, doc))
        if notes is not None and not notes.is_empty:
            writer.add_document(**annotation_fields(notes))
    segment = writer._finalize_segment()
    writer._tempstorage.destroy()
    pattern = TOC._segment_pattern(INDEX_NAME)
    folder = ix.storage.folder
    paths = [os.path.join(folder, name) for name in os.listdir(folder)
             if (m := pattern.match(name)) and m.group(1) == segment.segment_id()]
    return segment, paths, len(batch)


# The first batches are small, so that search finds the first episodes within seconds; the
# rest are as big as a worker may hold in memory (``TermPool``: ~200 MB for 500 episodes),
# because every segment costs every search a little (half of a search at 17 segments).
FIRST_BATCH = 50
MAX_BATCH = 500


def batch_sizes(total: int, processes: int) -> Iterator[int]:
    """How many episodes go in each batch of a rebuild of ``total``: a small one per worker
    first, then the rest shared evenly in batches of at most ``MAX_BATCH``."""
    first = [min(FIRST_BATCH, max(10, total // max(1, processes * 4)))] * processes
    yield from first
    rest = max(0, total - sum(first))
    batches = max(processes, -(-rest // MAX_BATCH))
    size = max(FIRST_BATCH, -(-rest // batches))
    while True:  # ``total`` is an estimate: a longer stream goes on in batches of ``size``
        yield size


def _batches(docs: Iterable[tuple[IndexDoc, AnnotationDoc | None]], sizes: Iterator[int]
             ) -> Iterator[Batch]:
    batch: Batch = []
    size = next(sizes)
    for item in docs:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
            size = next(sizes)
    if batch:
        yield batch


def run_rebuild(ix: FileIndex, directory: Path,
                docs: Iterable[tuple[IndexDoc, AnnotationDoc | None]], total: int,
                processes: int | None = None, *, if_needed: bool = False
                ) -> Iterator[tuple[int, int]]:
    if processes is None:
        processes = min(2, os.cpu_count() or 1) if total >= PARALLEL_THRESHOLD else 1
    staging = directory / STAGING
    with write_lock(ix):
        if if_needed and is_complete(directory, ix):
            yield total, total
            return
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        segments: list[Any] = []
        commit_segments(ix, directory, segments, complete=False)
        done = 0
        yield done, total
        try:
            results = (_serial(str(staging), docs, total) if processes <= 1
                       else _parallel(str(staging), docs, total, processes))
            for segment, paths, count in results:
                for path in paths:
                    os.replace(path, directory / os.path.basename(path))
                segments.append(segment)
                done += count
                if done < total:
                    commit_segments(ix, directory, segments, complete=False)
                    yield done, total
            # The last publication is the one that marks the index complete.
            commit_segments(ix, directory, segments, complete=True)
            yield done, max(total, done)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _serial(staging: str, docs: Iterable[tuple[IndexDoc, AnnotationDoc | None]], total: int
            ) -> Iterator[tuple[Any, list[str], int]]:
    for batch in _batches(docs, batch_sizes(total, 1)):
        yield index_batch(staging, batch)


def _parallel(staging: str, docs: Iterable[tuple[IndexDoc, AnnotationDoc | None]], total: int,
              processes: int) -> Iterator[tuple[Any, list[str], int]]:
    batches = _batches(docs, batch_sizes(total, processes))
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn"),
                               initializer=die_with_parent, initargs=(os.getpid(),))
    pending: set[Future[tuple[Any, list[str], int]]] = set()
    try:
        exhausted = False
        while True:
            # Keep every worker busy with one batch queued behind it, no more: bounded memory.
            while not exhausted and len(pending) < processes * 2:
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                else:
                    pending.add(pool.submit(index_batch, staging, batch))
            if not pending:
                return
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
