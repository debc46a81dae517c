"""The index codec: Whoosh's W3 with posting blocks packed as arrays instead of pickled tuples.

A W3 block is one pickle of (ids, weights, values), the ids and weights as tuples of Python
numbers and the values as a tuple of byte strings: loading a block made an object for every
posting and every value, even when the search only wanted ids and weights (a common word's
blocks cost more like this ~40 ms of ~90 at 3,000 episodes). Here a block pickles four byte
strings: the id gaps (``packing``), the weights as 4-byte floats (as W3 keeps them in memory),
and the values joined, with their lengths. Ids and weights decode with C loops; the values
are cut apart only when a phrase or a snippet asks for positions. Blocks, term infos, inline
postings, columns and the file layout are W3's.
"""

from __future__ import annotations

from array import array
from itertools import accumulate
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.matching import ListMatcher

from reader.search.packing import packed, unpacked


def _gaps(ids: Any) -> list[int]:
    return [b - a for a, b in zip([0, *ids[:-1]], ids, strict=True)]


class PackedPostingsWriter(W3PostingsWriter):
    def _mini_ids(self) -> Any:
        if self._byteids:
            return super()._mini_ids()
        return packed(_gaps(list(self._ids)), ascending=False)

    def _mini_weights(self) -> Any:
        weights = self._weights
        first = weights[0]
        if all(w == first for w in weights):
            return None if first == 1.0 else first
        return array("f", weights).tobytes()  # native order, as the index is this machine's

    def _mini_values(self) -> Any:
        fixedsize = self._format.fixed_value_size()
        if fixedsize is not None and fixedsize >= 0:
            return super()._mini_values()
        values = self._values
        return packed([len(v) for v in values], ascending=False), b"".join(values)


class PackedLeafMatcher(W3LeafMatcher):
    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        data = self._data[0]
        if self._byteids or not isinstance(data, bytes):
            super()._read_ids()
            return
        self._ids = list(accumulate(unpacked(data)))

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        if isinstance(weights, bytes):
            out = array("f")
            out.frombytes(weights)
            self._weights = out
        else:
            super()._read_weights()

    def _read_values(self) -> None:
        if self._fixedsize is not None and self._fixedsize >= 0:
            super()._read_values()
            return
        if self._data is None:
            self._read_data()
        lengths, joined = self._data[2]
        ends = list(accumulate(unpacked(lengths)))
        self._values = [joined[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]


class PackedCodec(W3Codec):
    """W3 with ``PackedPostingsWriter`` blocks; uncompressed (zlib made every search inflate
    every block it touched: a third of a search's time)."""

    def __init__(self) -> None:
        super().__init__(compression=0)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        return PackedPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                    compression=self._compression,
                                    inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None,
                        scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return ListMatcher(ids, weights, values, format_, scorer=scorer, term=term,
                               terminfo=terminfo)
        offset, length = terminfo.extent()
        return PackedLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)
