"""Lists of non-negative integers as compact bytes, decoded by C loops.

The index stores positions, word tables and posting blocks this way: a type code and a
little-endian array, two bytes a number while every number fits, four after."""

from __future__ import annotations

import sys
from array import array

_BIG_ENDIAN = sys.byteorder == "big"


def packed(values: list[int], *, ascending: bool = True) -> bytes:
    """``values`` (not negative) as a type code and a little-endian array: two bytes each
    while they fit, four after."""
    top = (values[-1] if ascending else max(values)) if values else 0
    code = "H" if top < 0x10000 else "I"
    out = array(code, values)
    if _BIG_ENDIAN:
        out.byteswap()
    return code.encode() + out.tobytes()


def unpacked(data: bytes | memoryview, start: int = 0, count: int = -1) -> array[int]:
    """The array ``packed`` wrote at ``start`` (all the rest of ``data``, or ``count``)."""
    code = chr(data[start])
    out = array(code)
    size = out.itemsize
    stop = len(data) if count < 0 else start + 1 + count * size
    out.frombytes(data[start + 1:stop])
    if _BIG_ENDIAN:
        out.byteswap()
    return out
