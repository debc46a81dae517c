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
from typing import Any

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
