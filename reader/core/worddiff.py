"""Carrying character offsets from an old text to an edited one, through a word diff."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter

_WORD = re.compile(r"\S+")
FIRM_RUN = 4            # unchanged words in a row that show the diff really aligned a region
FIRM_REACH = 24         # words either side of a quote searched for such a run


class OffsetMap:
    """Old character offsets carried to the new text through a word-level patience diff.

    Words unique to both sides anchor the alignment (so repeated filler words cannot pull it
    astray); common runs are then extended outwards from the anchors.
    """

    def __init__(self, old: str, new: str) -> None:
        old_words = list(_WORD.finditer(old))
        new_words = list(_WORD.finditer(new))
        self._old_pos = [w.start() for w in old_words]
        self._old_end = [w.end() for w in old_words]
        self._new_pos = [w.start() for w in new_words]
        self._new_len = len(new)
        match = match_words([w.group() for w in old_words], [w.group() for w in new_words])
        self._match = match
        # Nearest carried-over word at or before each old word, for offsets in changed text,
        # and the length of the unchanged run each word ends: isolated matches of common words
        # are what a diff of two unrelated texts produces too.
        last, previous = [-1] * len(match), -1
        run = [0] * len(match)
        for i, j in enumerate(match):
            if j != -1:
                previous = i
                run[i] = run[i - 1] + 1 if i and match[i - 1] == j - 1 else 1
            last[i] = previous
        self._last, self._run = last, run

    def _point(self, p: int) -> tuple[int, int, bool]:
        """(new offset, old word index, whether that word was carried over unchanged)."""
        i = bisect_right(self._old_pos, p) - 1
        if i >= 0 and p < self._old_end[i] and self._match[i] != -1:
            return self._new_pos[self._match[i]] + p - self._old_pos[i], i, True
        k = self._last[i] if i >= 0 else -1
        if k == -1:
            return min(p, self._new_len), i, False
        new = self._new_pos[self._match[k]] + p - self._old_pos[k]
        return max(0, min(self._new_len, new)), i, False

    def _firm(self, first: int, last: int) -> bool:
        """Whether runs of unchanged words hold the region on both sides (or the text ends)."""
        run, n = self._run, len(self._run)
        before = first < FIRM_RUN or max(run[max(0, first - FIRM_REACH):first]) >= FIRM_RUN
        return before and (last >= n - FIRM_RUN
                           or max(run[last + 1:last + 1 + FIRM_REACH]) >= FIRM_RUN)

    def range(self, start: int, end: int) -> tuple[int, int, bool]:
        """New (start, end) and whether the diff vouches for them: both ends lie in words it
        carried over unchanged, in a region it aligned firmly."""
        new_start, first, sure_start = self._point(start)
        new_end, last, sure_end = self._point(end - 1)
        sure = sure_start and sure_end and new_end >= new_start and self._firm(first, last)
        return new_start, max(new_start, new_end + 1), sure


def match_words(a: list[str], b: list[str]) -> list[int]:
    """For each word of ``a`` the index of its counterpart in ``b``, or -1."""
    match = [-1] * len(a)
    todo = [(0, len(a), 0, len(b))]
    while todo:
        alo, ahi, blo, bhi = todo.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            match[alo] = blo
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            match[ahi] = bhi
        if alo == ahi or blo == bhi:
            continue
        prev_i, prev_j = alo, blo
        for i, j in _unique_anchors(a, alo, ahi, b, blo, bhi):
            match[i] = j
            todo.append((prev_i, i, prev_j, j))
            prev_i, prev_j = i + 1, j + 1
        if prev_i != alo or prev_j != blo:
            todo.append((prev_i, ahi, prev_j, bhi))
    return match


def _unique_anchors(a: list[str], alo: int, ahi: int, b: list[str], blo: int,
                    bhi: int) -> list[tuple[int, int]]:
    seen_a, seen_b = Counter(a[alo:ahi]), Counter(b[blo:bhi])
    where_b = {b[j]: j for j in range(blo, bhi) if seen_b[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(alo, ahi)
             if seen_a[a[i]] == 1 and a[i] in where_b]
    # Longest run of pairs increasing in both texts (patience sorting).
    tails: list[int] = []
    tail_at: list[int] = []
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[pos], tail_at[pos] = j, k
        back[k] = tail_at[pos - 1] if pos else -1
    chain: list[tuple[int, int]] = []
    k = tail_at[-1] if tail_at else -1
    while k != -1:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]
