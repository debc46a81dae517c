"""Opening, checking, recreating and writing the on-disk Whoosh index.

Whoosh notices a damaged file only when a query happens to read the damaged bytes, which may
be minutes into a session. So every commit also writes a manifest (size and CRC-32 of each
live file, plus our schema version); ``open_or_create`` checks it (~40 ms for a 50 MB index)
and recreates an empty index on any mismatch instead of failing later.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex, clean_files
from whoosh.reading import SegmentReader
from whoosh.util import now
from whoosh.writing import SegmentWriter

from reader.files import atomic_write
from reader.search.model import IndexUnavailable
from reader.search.schema import (
    SCHEMA_VERSION,
    build_schema,
    make_codec,
    schema_matches,
)

INDEX_NAME = "MAIN"
MANIFEST = "reader-manifest.json"
# A second writer waits this long for the first before giving up (seconds).
WRITE_TIMEOUT = 10.0


def file_storage(directory: Path) -> FileStorage:
    """Whoosh storage on ``directory``, reading segments through files, not mmap.

    With mmap, Whoosh opens each file inside a compound segment as ``BytesIO(memoryview)``,
    which copies the segment's postings into the Python heap every time a searcher opens:
    309 MB for a 1,000-episode index (benchmarks/bench_window.py). Plain reads keep peak RSS of
    that window at ~185 MB instead of ~800 MB and open the index faster (78 against 260 ms);
    searches cost a few ms more.
    """
    return FileStorage(str(directory), supports_mmap=False)


def _live_files(storage: FileStorage, generation: int, segments: Sequence[Any]) -> list[str]:
    toc_name = f"_{INDEX_NAME}_{generation}.toc"
    ids = {s.segment_id() for s in segments}
    pattern = TOC._segment_pattern(INDEX_NAME)
    names = [toc_name]
    for name in storage.list():
        m = pattern.match(name)
        if m and m.group(1) in ids:
            names.append(name)
    return sorted(names)


def _crc(path: Path) -> int:
    crc = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def write_manifest(directory: Path, storage: FileStorage, generation: int,
                   segments: Sequence[Any], *, complete: bool | None = None) -> None:
    """Record the live files; segment files never change once written, so known CRCs are
    reused and a small commit only reads its own new files."""
    previous: dict[str, list[int]] = {}
    was_complete = True
    try:
        old = json.loads((directory / MANIFEST).read_text("utf-8"))
        previous, was_complete = old.get("files", {}), old.get("complete", True)
    except (OSError, ValueError, AttributeError):
        pass
    if complete is None:  # an ordinary commit keeps whatever a rebuild left
        complete = bool(was_complete)
    files: dict[str, list[int]] = {}
    for name in _live_files(storage, generation, segments):
        path = directory / name
        size = path.stat().st_size
        known = previous.get(name)
        is_toc = name.endswith(".toc")
        if known and known[0] == size and not is_toc:
            files[name] = known
        else:
            files[name] = [size, _crc(path)]
    body = {"version": SCHEMA_VERSION, "generation": generation, "files": files,
            "complete": complete}
    atomic_write(directory / MANIFEST, json.dumps(body), durable=False)  # a cache: no fsync


def _verify(directory: Path, ix: FileIndex) -> dict[str, Any] | None:
    """The manifest if every live file matches it, else None."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("version") != SCHEMA_VERSION:
        return None
    toc = ix._read_toc()
    if manifest.get("generation") != toc.generation or not schema_matches(toc.schema):
        return None
    expected: dict[str, list[int]] = manifest.get("files", {})
    live = _live_files(ix.storage, toc.generation, toc.segments)
    if sorted(expected) != live:
        return None
    for name in live:
        path = directory / name
        size, crc = expected[name]
        if path.stat().st_size != size or _crc(path) != crc:
            return None
    # Open every segment once: catches a schema or codec that unpickles but does not read.
    with ix.searcher() as searcher:
        searcher.doc_count_all()
    return manifest


def _wipe(directory: Path) -> None:
    for path in directory.iterdir():
        # Lock files stay: another live process may hold one.
        if path.name.endswith("LOCK") or not path.is_file():
            continue
        if path.name.startswith(("_", INDEX_NAME)) or path.name == MANIFEST:
            try:
                path.unlink()
            except OSError:
                pass


def create_empty(directory: Path) -> FileIndex:
    _wipe(directory)
    storage = file_storage(directory)
    ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
    toc = ix._read_toc()
    write_manifest(directory, storage, toc.generation, toc.segments, complete=False)
    return ix


def is_complete(directory: Path, ix: FileIndex) -> bool:
    """Whether the index verifies and its last rebuild finished (hold the write lock)."""
    opened = _open_verified(ix.storage, directory)
    return opened is not None and bool(opened[1].get("complete", False))


def _open_verified(storage: FileStorage, directory: Path
                   ) -> tuple[FileIndex, dict[str, Any]] | None:
    try:
        if storage.index_exists(INDEX_NAME):
            manifest = _verify(directory, storage.open_index(INDEX_NAME))
            if manifest is not None:
                # Verified to match: from now on the schema is ours, not re-read from the
                # table of contents on every use (where a commit elsewhere may just have
                # deleted it).
                return storage.open_index(INDEX_NAME, schema=build_schema()), manifest
    except Exception:
        pass
    return None


def open_or_create(directory: Path, lock_timeout: float = WRITE_TIMEOUT
                   ) -> tuple[FileIndex, bool]:
    """(index, needs_rebuild). A missing, foreign, damaged or half-written index gives a fresh
    empty one; one whose rebuild never finished is kept (it is searchable) but flagged.

    Another process may be committing while we look: between its new table of contents and
    its manifest the index does not verify. So an index is only ever replaced under the write
    lock, after checking it again there. While a live writer keeps the lock past
    ``lock_timeout`` the index is opened as it stands (that writer is not damage). A lock left
    by a dead process needs nothing: Whoosh's file lock is an OS lock that dies with its
    holder, and a leftover lock file is simply reused."""
    directory.mkdir(parents=True, exist_ok=True)
    storage = file_storage(directory)
    opened = _open_verified(storage, directory)
    if opened is not None:
        return opened[0], not opened[1].get("complete", False)
    lock = storage.lock(f"{INDEX_NAME}_WRITELOCK")
    if not _acquire(lock, lock_timeout):
        try:
            return storage.open_index(INDEX_NAME, schema=build_schema()), False
        except Exception:
            raise IndexUnavailable("the search index is busy: another writer holds it") from None
    try:
        opened = _open_verified(storage, directory)
        if opened is not None:
            return opened[0], not opened[1].get("complete", False)
        return create_empty(directory), True
    finally:
        lock.release()


def _acquire(lock: Any, timeout: float) -> bool:
    deadline = now() + timeout
    while not lock.acquire(blocking=False):
        if now() >= deadline:
            return False
        time.sleep(0.05)  # Whoosh's file lock offers nothing to wait on
    return True


@contextmanager
def write_lock(ix: FileIndex, timeout: float = WRITE_TIMEOUT) -> Iterator[None]:
    """Hold the index's single write lock, waiting up to ``timeout`` seconds for it."""
    lock = ix.lock("WRITELOCK")
    if not _acquire(lock, timeout):
        raise IndexUnavailable("the search index is busy: another writer holds it")
    try:
        yield
    finally:
        lock.release()


@contextmanager
def writing(ix: FileIndex, directory: Path, timeout: float = WRITE_TIMEOUT
            ) -> Iterator[SegmentWriter]:
    """One write transaction: commits (without merging, so it stays fast) and records the
    manifest on success, cancels on error; the lock is held until the manifest is written."""
    with write_lock(ix, timeout):
        writer = SegmentWriter(ix, _lk=False, codec=make_codec())
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit(merge=False)
        toc = ix._read_toc()
        write_manifest(directory, ix.storage, toc.generation, toc.segments)


def commit_segments(ix: FileIndex, directory: Path, segments: Sequence[Any], *,
                    complete: bool) -> None:
    """Publish a new generation listing ``segments`` (caller holds the write lock);
    ``complete`` is False until a rebuild's last batch is in."""
    generation = ix.latest_generation() + 1
    schema = ix._read_toc().schema
    TOC(schema, list(segments), generation).write(ix.storage, INDEX_NAME)
    clean_files(ix.storage, INDEX_NAME, generation, segments)
    write_manifest(directory, ix.storage, generation, segments, complete=complete)


SMALL_SEGMENT = 16  # documents; a one-episode edit leaves a segment of one or two


def _fold_small(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """Merge policy: copy the live documents of every small segment into the new one.

    Whoosh's own MERGE_SMALL leaves runs of one-document segments alone (its Fibonacci
    rule never fires for them), so a session of annotation edits would pile them up."""
    small = [seg for seg in segments if seg.doc_count_all() <= SMALL_SEGMENT]
    if len(small) < 2:
        return segments
    for seg in small:
        reader = SegmentReader(writer.storage, writer.schema, seg, generation=writer.generation)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in segments if seg.doc_count_all() > SMALL_SEGMENT]


def merge_small(ix: FileIndex, directory: Path, timeout: float = WRITE_TIMEOUT) -> None:
    """Fold small segments left by fast commits together (call when idle)."""
    with write_lock(ix, timeout):
        writer = SegmentWriter(ix, _lk=False, codec=make_codec())
        writer.commit(mergetype=_fold_small)
        toc = ix._read_toc()
        write_manifest(directory, ix.storage, toc.generation, toc.segments)
