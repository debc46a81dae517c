"""Three-way merge of a text two writers edited from the same original (line by line).

Used for Notes: when the window saves Notes that another writer changed since the window
read them, edits to different lines are combined; edits to the same lines keep both texts.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import NamedTuple

CONFLICT_MARK = ("<!-- Transcript Reader: these Notes were also changed elsewhere at the same "
                 "time; that version follows, kept in full -->")


class Merged(NamedTuple):
    text: str
    conflict: bool  # the edits overlapped: ``text`` holds ours, then theirs after a mark


def _changes(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"]


def _overlap(a: tuple[int, int, list[str]], b: tuple[int, int, list[str]]) -> bool:
    a1, a2, _ = a
    b1, b2, _ = b
    # Touching ranges count as overlapping: two edits at one spot have no order of their own.
    return a1 <= b2 and b1 <= a2


def merge(base: str, ours: str, theirs: str) -> Merged:
    if ours == theirs or theirs == base:
        return Merged(ours, False)
    if ours == base:
        return Merged(theirs, False)
    lines = base.splitlines(keepends=True)
    mine = _changes(lines, ours.splitlines(keepends=True))
    other = [c for c in _changes(lines, theirs.splitlines(keepends=True)) if c not in mine]
    # A last line without a line ending changes whenever anything is added after it, so
    # two appends always overlap here and are never run together on one line.
    if any(_overlap(a, b) for a in mine for b in other):
        joined = ours.rstrip("\n") + "\n\n" + CONFLICT_MARK + "\n" + theirs
        return Merged(joined, True)
    out: list[str] = []
    at = 0
    for start, end, replacement in sorted(mine + other, key=lambda c: (c[0], c[1])):
        out += lines[at:start]
        out += replacement
        at = end
    out += lines[at:]
    return Merged("".join(out), False)

