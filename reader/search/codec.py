"""The index codec: Whoosh's W3 with posting blocks laid out as arrays instead of pickled tuples.

A W3 block is one pickle of (ids, weights, values), the ids and weights as tuples of Python
numbers and the values as a tuple of byte strings: loading a block made an object for every
posting and every value, even when the search only wanted ids and weights. Pickled at
protocol 2, as W3 does, every byte string is even stored as a latin-1 text decoded and
encoded again on the way in and out (36 µs a block at 10,000 episodes: more like this read
~900 blocks, most of their bytes positions it never used).

Here a block's data is not pickled: a 12-byte head (the byte lengths of the ids, the weights
and the value lengths), then the id gaps (``packing``), the weights as 4-byte floats (as W3
keeps them in memory; none when all are 1, one when all are equal), the value lengths and
the values joined. Ids and weights decode with C loops, and a reader that wants only them
(``scoring.term_arrays``) reads only those bytes of each block; values are cut apart only
when a phrase or a snippet asks for positions. Block infos, term infos, inline postings,
columns and the file layout are W3's.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterator
from io import BytesIO
from itertools import accumulate
from pickle import Unpickler, dumps
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.matching import ListMatcher
from whoosh.util.numeric import length_to_byte

from reader.search.packing import packed, unpacked

# The block's data head: byte lengths of the id gaps, the weights and the value lengths.
HEAD = struct.Struct("<III")
BLOCK_LENGTH = struct.Struct("!i")  # W3's: before each block, negative for the last
# Enough to hold a block's length, its pickled info (~40 bytes) and the data head at once.
_PEEK = 128


def _gaps(ids: Any) -> list[int]:
    return [b - a for a, b in zip([0, *ids[:-1]], ids, strict=True)]


class PackedPostingsWriter(W3PostingsWriter):
    def _write_block(self, last: bool = False) -> None:
        if self._byteids:  # term vectors: not used by this schema
            super()._write_block(last)
            return
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = list(self._ids)
        id_bytes = packed(_gaps(ids), ascending=False)
        weights = self._weights
        first = weights[0]
        if all(w == first for w in weights):
            weight_bytes = b"" if first == 1.0 else array("f", [first]).tobytes()
        else:
            weight_bytes = array("f", weights).tobytes()  # native order: the index is this machine's
        values = self._values
        fixed = self._format.fixed_value_size()
        if fixed is not None and fixed >= 0:
            length_bytes = b""
        else:
            length_bytes = packed([len(v) for v in values], ascending=False)
        data = b"".join((HEAD.pack(len(id_bytes), len(weight_bytes), len(length_bytes)),
                         id_bytes, weight_bytes, length_bytes, *values))
        info = dumps((len(ids), ids[-1], self._maxweight, 0, length_to_byte(self._minlength),
                      length_to_byte(self._maxlength)), 2)
        size = len(info) + len(data)
        self._postfile.write_int(-size if last else size)
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


def _parts(data: bytes | memoryview) -> tuple[Any, Any, Any, Any]:
    """(id gaps, weights, value lengths, values) of a block's data."""
    id_size, weight_size, length_size = HEAD.unpack_from(data)
    a = HEAD.size
    b = a + id_size
    c = b + weight_size
    d = c + length_size
    return data[a:b], data[b:c], data[c:d], data[d:]


class PackedLeafMatcher(W3LeafMatcher):
    def _read_data(self) -> None:
        self._data = _parts(self._postfile.get(self._dataoffset,
                                               self._nextoffset - self._dataoffset))

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = list(accumulate(unpacked(self._data[0])))

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        out = array("f")
        out.frombytes(weights)
        if len(out) < self._blocklength:  # one weight for all (none: all 1.0)
            out = array("f", [out[0] if out else 1.0]) * self._blocklength
        self._weights = out

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        _, _, lengths, joined = self._data
        fixed = self._fixedsize
        if fixed is None or fixed < 0:
            ends = list(accumulate(unpacked(lengths)))
            self._values = tuple(joined[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True))
        elif fixed == 0:
            self._values = (None,) * self._blocklength
        else:
            self._values = tuple(joined[i:i + fixed] for i in range(0, len(joined), fixed))


def block_ids_and_weights(postfile: Any, offset: int) -> Iterator[tuple[int, bytes, bytes]]:
    """(posting count, id gaps, weights) of each block of the posting list at ``offset``,
    reading only those bytes of each block (not its values)."""
    position = offset + len(WHOOSH3_HEADER_MAGIC)
    while True:
        peek = postfile.get(position, _PEEK)
        (size,) = BLOCK_LENGTH.unpack_from(peek)
        stream = BytesIO(peek)
        stream.seek(BLOCK_LENGTH.size)
        count = Unpickler(stream).load()[0]
        start = stream.tell()
        if start + HEAD.size > len(peek):
            peek = postfile.get(position, start + HEAD.size)
        id_size, weight_size, _ = HEAD.unpack_from(peek, start)
        wanted = postfile.get(position + start + HEAD.size, id_size + weight_size)
        yield count, wanted[:id_size], wanted[id_size:]
        if size < 0:
            return
        position += BLOCK_LENGTH.size + size


def blocks_with_values(postfile: Any, offset: int, length: Any
                       ) -> Iterator[tuple[int, memoryview, memoryview, memoryview]]:
    """(posting count, id gaps, value lengths, values) of each block of the posting list at
    ``offset`` (``length`` bytes long), read in one piece."""
    if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves it a 1-tuple
        (length,) = length
    raw = postfile.get(offset, length)
    stream = BytesIO(raw)
    position = len(WHOOSH3_HEADER_MAGIC)
    while True:
        (size,) = BLOCK_LENGTH.unpack_from(raw, position)
        stream.seek(position + BLOCK_LENGTH.size)
        count = Unpickler(stream).load()[0]
        end = position + BLOCK_LENGTH.size + abs(size)
        gaps, _weights, lengths, values = _parts(memoryview(raw)[stream.tell():end])
        yield count, gaps, lengths, values
        if size < 0:
            return
        position = end


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
        offset, _length = terminfo.extent()
        return PackedLeafMatcher(dbfile, offset, _length, format_, term=term, scorer=scorer)
