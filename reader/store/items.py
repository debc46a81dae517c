"""Key Takeaways and Related entries, stored item by item.

A list the user edits is never written as a whole: each item is its own row with a version,
and a save changes only the rows the user added, edited, moved or deleted. What another
writer did meanwhile (an item added, edited or deleted elsewhere) stays; when both sides
changed the same item, both texts are kept. Every function takes an open session inside a
write transaction (``BEGIN IMMEDIATE``), so what it reads is what it writes over.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from reader.store.models import POSITION_STEP, RelatedRow, TakeawayRow

R = TypeVar("R", TakeawayRow, RelatedRow)


@dataclass(frozen=True)
class Known:
    """An item as the writer last read it: its stored version and value."""

    version: int
    value: Hashable


@dataclass
class ListRows(Generic[R]):
    """The rows of one episode's list and how to read and write an item's value."""

    rows: list[R]  # the relationship collection (adding and removing goes through it)
    value_of: Callable[[R], Hashable]
    apply: Callable[[R, Hashable], None]
    make: Callable[[Hashable], R]
    describe: Callable[[Hashable], str]

    def ordered(self) -> list[R]:
        return sorted(self.rows, key=lambda r: (r.position, r.id or 0))


def append_position(rows: Sequence[TakeawayRow | RelatedRow]) -> int:
    return max((r.position for r in rows), default=0) + POSITION_STEP


def add(items: ListRows[R], value: Hashable) -> R:
    row = items.make(value)
    row.position = append_position(items.rows)
    row.version = 1
    items.rows.append(row)
    return row


def save(items: ListRows[R], known: dict[int, Known],
         drafts: Sequence[tuple[int, Hashable]]) -> tuple[dict[int, R], list[str]]:
    """Store the user's list ``drafts`` (key, value), edited from ``known`` (id -> Known).

    A key > 0 is a stored row's id; a key < 0 is an item new in this edit. Returns the rows
    made for keys (new items, and edits of items deleted elsewhere) and one line per conflict.
    """
    by_id = {r.id: r for r in items.rows}
    conflicts: list[str] = []
    made: dict[int, R] = {}
    drafted = {key for key, _ in drafts if key > 0}

    for row_id, read in known.items():
        if row_id in drafted or row_id not in by_id:
            continue  # kept by the user, or deleted elsewhere too
        gone = by_id.pop(row_id)
        if gone.version != read.version and items.value_of(gone) != read.value:
            conflicts.append(f"kept {items.describe(items.value_of(gone))}: it was changed "
                             "elsewhere after you deleted it")
            by_id[row_id] = gone
            continue
        items.rows.remove(gone)

    order: list[R] = []
    for key, value in drafts:
        row: R | None = by_id.get(key) if key > 0 else None
        was: Known | None = known.get(key) if key > 0 else None
        if row is None:
            if key > 0 and (was is None or value == was.value):
                continue  # deleted elsewhere and not edited here: let it go
            made[key] = row = items.make(value)
            row.version = 1
            items.rows.append(row)
            order.append(row)
            continue
        if was is None:  # an item the writer had not read yet (its own, or from elsewhere)
            was = Known(row.version, items.value_of(row))
        if value != was.value:
            current = items.value_of(row)
            if row.version == was.version or current == was.value:
                items.apply(row, value)
                row.version += 1
            elif current != value:
                conflicts.append(f"{items.describe(current)} was changed elsewhere; "
                                 f"your {items.describe(value)} is kept beside it")
                order.append(row)
                extra = items.make(value)
                extra.version = 1
                items.rows.append(extra)
                order.append(extra)
                continue
        order.append(row)

    placed = {id(r) for r in order}
    previous: R | None = None
    for row in sorted(by_id.values(), key=lambda r: (r.position, r.id)):
        if id(row) not in placed:  # added elsewhere: it stays after what preceded it
            at = order.index(previous) + 1 if previous is not None else 0
            order.insert(at, row)
            placed.add(id(row))
        previous = row
    _place(order)
    return made, conflicts


def _place(order: Sequence[R]) -> None:
    """Give rows positions in this order, changing as few stored positions as possible."""
    positions = [getattr(r, "position", None) for r in order]
    keep = _longest_increasing([(i, p) for i, p in enumerate(positions) if p is not None])
    anchors: list[int] = sorted(keep)
    bounds = [-1, *anchors, len(order)]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        gap = range(lo + 1, hi)
        if not gap:
            continue
        low = positions[lo] if lo >= 0 else 0
        high = positions[hi] if hi < len(order) else None
        if high is None:
            for n, i in enumerate(gap, 1):
                order[i].position = (low or 0) + n * POSITION_STEP
            continue
        step = (high - (low or 0)) // (len(gap) + 1)
        if step < 1:
            for n, row in enumerate(order, 1):  # no room left: spread the whole list again
                row.position = n * POSITION_STEP
            return
        for n, i in enumerate(gap, 1):
            order[i].position = (low or 0) + n * step


def _longest_increasing(pairs: list[tuple[int, int | None]]) -> set[int]:
    """Indices of a longest run of strictly increasing positions (rows that need not move)."""
    best: list[list[int]] = []
    for n, (_i, p) in enumerate(pairs):
        chain = max((c for c in best if pairs[c[-1]][1] < p), key=len, default=[])  # type: ignore[operator]
        best.append([*chain, n])
    longest = max(best, key=len, default=[])
    return {pairs[n][0] for n in longest}
