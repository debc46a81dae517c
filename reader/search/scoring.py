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

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25F, BM25FScorer, WeightScorer

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


def term_positions(reader: Any, field: str, term: str, docs: Container[int]
                   ) -> dict[int, Sequence[int]]:
    """The positions of ``term`` in each of ``docs`` (local numbers) of one segment, read a
    block at a time: only the blocks that hold one of ``docs`` have their values cut apart."""
    out: dict[int, Sequence[int]] = {}
    if (field, term) not in reader:
        return out
    matcher = reader.postings(field, term)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deleted documents are not in ``docs``
    fmt = reader.schema[field].format
    decode = getattr(fmt, "decode_position_array", fmt.decode_positions)
    if isinstance(matcher, W3LeafMatcher):
        while True:
            if matcher._ids is None:
                matcher._read_ids()
            ids = matcher._ids
            wanted = [i for i, d in enumerate(ids) if d in docs]
            if wanted:
                if matcher._values is None:
                    matcher._read_values()
                values = matcher._values
                for i in wanted:
                    out[ids[i]] = decode(values[i])
            if matcher._lastblock:
                return out
            matcher._next_block()
    while matcher.is_active():
        if matcher.id() in docs:
            out[matcher.id()] = matcher.value_as("positions")
        matcher.next()
    return out


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
    get = scores.get
    for ids, weights in term_postings(reader, field, term):
        for docnum, w in zip(ids, weights, strict=True):
            scores[docnum] = get(docnum, 0.0) + scale * w / (w + norms[docnum])
    return scores


_NORMS: weakref.WeakKeyDictionary[Any, dict[str, tuple[float, float, list[float]]]] = (
    weakref.WeakKeyDictionary())


def _norms(reader: Any, field: str, norm_a: float, norm_b: float) -> list[float]:
    """BM25's length part, k1·((1 − b) + b·length / average), for each document of a
    segment; kept until the average length changes (a commit)."""
    per_field = _NORMS.get(reader)
    if per_field is None:
        per_field = _NORMS[reader] = {}
    kept = per_field.get(field)
    if kept is not None and kept[0] == norm_a and kept[1] == norm_b:
        return kept[2]
    norms = [norm_a + norm_b * length for length in field_lengths(reader, field)]
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
        # A list indexed by document is cheaper to add into than a dict (every document
        # of the segment holds some of the terms).
        acc = [0.0] * reader.doc_count_all()
        for term, boost in terms:
            if (field, term) not in reader:
                continue
            scale = boost * leaf.get_parent().idf(field, term) * (k1 + 1)
            for ids, weights in term_postings(reader, field, term):
                for docnum, w in zip(ids, weights, strict=True):
                    acc[docnum] += scale * w / (w + norms[docnum])
        out.update({docnum + offset: score for docnum, score in enumerate(acc) if score})
    return out
