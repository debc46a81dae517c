"""BM25F with each segment's field lengths read once, not once per matching document.

Whoosh's scorer reads a document's field length from the segment file for every document it
scores (a seek and a read through the compound file each time): at 3,000 episodes a common
word scores ~3,000 documents per field and those reads were a sixth of a search. The lengths
of a segment are one byte per document; here they are read into a list the first time a
field of that segment is scored, and kept for as long as the segment's reader lives (the
index reuses the readers of unchanged segments across commits).
"""

from __future__ import annotations

import weakref
from collections.abc import Container, Iterator, Sequence
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F, BM25FScorer, WeightScorer

from reader.search.codec import block_ids_and_weights, blocks_with_values
from reader.search.packing import unpacked

_LENGTHS: weakref.WeakKeyDictionary[Any, dict[str, list[int]]] = weakref.WeakKeyDictionary()


def field_lengths(reader: Any, field: str) -> list[int]:
    """Every document's length of ``field`` in one segment's reader (1 where none)."""
    try:
        per_field = _LENGTHS.get(reader)
    except TypeError:  # a reader that cannot be weakly referenced: no cache
        per_field = None
    if per_field is None:
        per_field = {}
        try:
            _LENGTHS[reader] = per_field
        except TypeError:
            pass
    lengths = per_field.get(field)
    if lengths is None:
        length = reader.doc_field_length
        lengths = [length(d, field, 1) or 1 for d in range(reader.doc_count_all())]
        per_field[field] = lengths
    return lengths


class _Scorer(BM25FScorer):
    def __init__(self, searcher: Any, fieldname: str, text: Any, b: float, k1: float,
                 qf: float = 1) -> None:
        super().__init__(searcher, fieldname, text, b, k1, qf=qf)
        lengths = field_lengths(searcher.reader(), fieldname)
        self.dfl = lengths.__getitem__


class SegmentBM25F(BM25F):
    """Whoosh's BM25F, scoring from ``field_lengths``."""

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: float = 1) -> Any:
        if not searcher.schema[fieldname].scorable:
            return WeightScorer.for_(searcher, fieldname, text)
        b = self._field_B.get(fieldname, self.B)
        return _Scorer(searcher, fieldname, text, b, self.K1, qf=qf)


_FREQUENCIES: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], int]] = weakref.WeakKeyDictionary()


def doc_frequency(searcher: Any, field: str, term: str) -> int:
    """The number of documents holding ``term``, summed over the segments from a cache kept
    with each segment's reader: more like this asks about 80 terms when an episode opens, and
    each ask read every segment's term table; the readers of unchanged segments outlive
    commits, so their counts do too."""
    total = 0
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        known = _FREQUENCIES.get(reader)
        if known is None:
            known = _FREQUENCIES[reader] = {}
        key = (field, term)
        found = known.get(key)
        if found is None:
            found = known[key] = reader.doc_frequency(field, term)
        total += found
    return total


def _blocks(matcher: Any) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """A leaf matcher's postings as (document numbers, weights), a block at a time where the
    codec allows it (Whoosh's block of up to 128 postings), else one at a time."""
    if isinstance(matcher, W3LeafMatcher):
        while True:
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            yield matcher._ids, matcher._weights
            if matcher._lastblock:
                return
            matcher._next_block()
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield ids, weights


def term_postings(reader: Any, field: str, term: str
                  ) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """A term's postings in one segment's reader as blocks of (document numbers, weights),
    the segment's deleted documents left out."""
    if (field, term) not in reader:
        return
    matcher = reader.postings(field, term)
    if isinstance(matcher, FilterMatcher):  # the segment has deleted documents
        deleted: Container[int] = matcher._ids
        for ids, weights in _blocks(matcher.child):
            kept = [i for i, d in enumerate(ids) if d not in deleted]
            if len(kept) < len(ids):
                ids, weights = [ids[i] for i in kept], [weights[i] for i in kept]
            yield ids, weights
        return
    yield from _blocks(matcher)


_DTYPES: dict[int, np.dtype[Any]] = {ord("H"): np.dtype("<u2"), ord("I"): np.dtype("<u4")}


def term_arrays(reader: Any, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings in one segment's reader as two arrays, document numbers (int64) and
    weights (float64 of the float32 the codec keeps), the segment's deleted documents left
    out. Only the ids and weights of each block are read (``codec.block_ids_and_weights``):
    through Whoosh's matcher every block cost a dozen small reads of the compound file and
    loaded its positions too (more like this at 10,000 episodes reads ~900 blocks); and
    scoring the arrays is a few numpy operations per term, not Python per posting."""
    try:
        info = reader.term_info(field, term)
    except (TermNotFound, KeyError):
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    if info.is_inlined():
        ids_list, weight_list, _ = info.inlined_postings()
        ids = np.asarray(ids_list, np.int64)
        weights = np.asarray(weight_list, np.float32).astype(np.float64)
    else:
        offset, _length = info.extent()
        ids, weights = _blocks_of(reader._terms._postfile, offset)
    deleted = reader.deleted_docs_set if reader.has_deletions() else None
    if deleted:
        keep = ~np.isin(ids, np.fromiter(deleted, np.int64))
        ids, weights = ids[keep], weights[keep]
    return ids, weights


def _blocks_of(postfile: Any, offset: int) -> tuple[np.ndarray, np.ndarray]:
    ids_parts: list[np.ndarray] = []
    weight_parts: list[np.ndarray] = []
    for count, gaps, weights in block_ids_and_weights(postfile, offset):
        ids_parts.append(np.cumsum(np.frombuffer(gaps, _DTYPES[gaps[0]], offset=1),
                                   dtype=np.int64))
        if len(weights) == 4 * count:
            weight_parts.append(np.frombuffer(weights, np.float32))
        else:  # one weight for all (none: all 1.0)
            weight_parts.append(np.full(count, np.frombuffer(weights, np.float32)[0]
                                        if weights else 1.0, np.float32))
    return np.concatenate(ids_parts), np.concatenate(weight_parts).astype(np.float64)


def position_keys(reader: Any, field: str, term: str, shift: int = 0) -> np.ndarray:
    """Every place of ``term`` in one segment's reader as ``document << 32 | position −
    shift`` (int64, ascending), deleted documents included: a phrase's places are where the
    keys of its k-th word, shifted by k, meet its first word's (``phrases.phrase_counts``).
    Blocks whose positions are all two-byte arrays (documents under 65,536 words) decode in
    a few numpy calls, not one call per document."""
    try:
        info = reader.term_info(field, term)
    except (TermNotFound, KeyError):
        return np.zeros(0, np.int64)
    parts: list[np.ndarray] = []
    if info.is_inlined():
        ids, _, values = info.inlined_postings()
        for docnum, value in zip(ids, values, strict=True):
            places = np.asarray(unpacked(value), np.int64)
            parts.append((np.int64(docnum) << 32) + places - shift)
    else:
        offset, length = info.extent()
        for _count, gaps, lengths, values in blocks_with_values(reader._terms._postfile,
                                                                offset, length):
            ids = np.cumsum(np.frombuffer(gaps, _DTYPES[gaps[0]], offset=1), dtype=np.int64)
            sizes = np.frombuffer(lengths, _DTYPES[lengths[0]], offset=1).astype(np.int64)
            data = np.frombuffer(values, np.uint8)
            starts = np.cumsum(sizes) - sizes
            if (data[starts] == ord("H")).all():
                places = np.delete(data, starts).view("<u2").astype(np.int64)
                counts = (sizes - 1) // 2
            else:  # a document past 65,536 words in this block
                arrays = [np.asarray(unpacked(values[a:a + n]), np.int64)
                          for a, n in zip(starts.tolist(), sizes.tolist(), strict=True)]
                places = np.concatenate(arrays)
                counts = np.array([len(a) for a in arrays], np.int64)
            parts.append((np.repeat(ids, counts) << 32) + places - shift)
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


def bm25_params(weighting: BM25F, field: str) -> tuple[float, float]:
    """(B, K1) of ``weighting`` for ``field``."""
    return weighting._field_B.get(field, weighting.B), weighting.K1


def term_scores(leaf: Any, field: str, term: str, boost: float, weighting: BM25F,
                into: dict[int, float] | None = None) -> dict[int, float]:
    """Each document's BM25F score for ``term`` in one segment (its local numbers), as
    Whoosh's term matcher scores it, added into ``into`` when given."""
    scores: dict[int, float] = {} if into is None else into
    reader = leaf.reader()
    if (field, term) not in reader:
        return scores
    parent = leaf.get_parent()
    b, k1 = bm25_params(weighting, field)
    avgfl = parent.avg_field_length(field) or 1
    norms = _norms(reader, field, k1 * (1 - b), k1 * b / avgfl)
    scale = boost * parent.idf(field, term) * (k1 + 1)
    ids, weights = term_arrays(reader, field, term)
    if not len(ids):
        return scores
    values = scale * weights / (weights + norms[ids])
    if not scores:
        scores.update(zip(ids.tolist(), values.tolist(), strict=True))
        return scores
    get = scores.get
    for docnum, value in zip(ids.tolist(), values.tolist(), strict=True):
        scores[docnum] = get(docnum, 0.0) + value
    return scores


_NORMS: weakref.WeakKeyDictionary[Any, dict[str, tuple[float, float, np.ndarray]]] = (
    weakref.WeakKeyDictionary())


def _norms(reader: Any, field: str, norm_a: float, norm_b: float) -> np.ndarray:
    """BM25's length part, k1·((1 − b) + b·length / average), for each document of a
    segment; kept until the average length changes (a commit)."""
    per_field = _NORMS.get(reader)
    if per_field is None:
        per_field = _NORMS[reader] = {}
    kept = per_field.get(field)
    if kept is not None and kept[0] == norm_a and kept[1] == norm_b:
        return kept[2]
    norms = norm_a + norm_b * np.asarray(field_lengths(reader, field), np.float64)
    per_field[field] = (norm_a, norm_b, norms)
    return norms


def bulk_or(searcher: Any, field: str, terms: Sequence[tuple[str, float]],
            weighting: BM25F) -> dict[int, float]:
    """Each document's BM25F score for the OR of ``terms`` (term, boost) in ``field``: what
    Whoosh's OR of boosted terms scores, summed a block of postings at a time instead of
    through a tree of union matchers (more like this: 12 common terms, every document)."""
    out: dict[int, float] = {}
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        b, k1 = bm25_params(weighting, field)
        avgfl = leaf.get_parent().avg_field_length(field) or 1
        norms = _norms(reader, field, k1 * (1 - b), k1 * b / avgfl)
        acc = np.zeros(reader.doc_count_all(), np.float64)
        for term, boost in terms:
            ids, weights = term_arrays(reader, field, term)
            if not len(ids):
                continue
            scale = boost * leaf.get_parent().idf(field, term) * (k1 + 1)
            # A term's document numbers are distinct: adding through them is exact.
            acc[ids] += scale * weights / (weights + norms[ids])
        found = np.flatnonzero(acc)
        out.update(zip((found + offset).tolist(), acc[found].tolist(), strict=True))
    return out
