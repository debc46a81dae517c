"""What the window's saves of one episode have written so far, kept on the write thread.

The window saves an edited list or Notes relative to what it last read ("seen"). When it
saves again before the answer of the previous save has reached the GUI thread, its "seen" is
older than what its own previous save wrote; these trackers rebase the new save on that, so
the window never takes its own earlier save for a change made elsewhere.

Used on the write thread only (each save is one task on the single write runner).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

from reader.library.values import ListSaved, NotesSaved

Seen = dict[int, tuple[int, Hashable]]  # row id -> (version, value) as the window read it
Drafts = Sequence[tuple[int, Hashable]]  # (row id, or a negative key for a new item; value)


@dataclass
class ListTracker:
    keys: dict[int, int] = field(default_factory=dict)  # draft key -> row id given to it
    own: Seen = field(default_factory=dict)  # newest (version, value) our saves wrote

    def save(self, write: Callable[[Seen, Drafts], ListSaved], seen: Seen,
             drafts: Drafts, value_of: Callable[[object], Hashable]) -> ListSaved:
        resolved = [(self.keys.get(key, key), value) for key, value in drafts]
        known: Seen = dict(seen)
        drafted = {key for key, _ in resolved if key > 0}
        for row_id, (version, value) in self.own.items():
            if (row_id in known or row_id in drafted) and version > known.get(row_id, (0, None))[0]:
                known[row_id] = (version, value)
        saved = write(known, resolved)
        self.keys.update({key: row_id for key, row_id in saved.new_ids.items() if key < 0})
        for key, row_id in saved.new_ids.items():
            if key > 0:  # an item edited here and deleted elsewhere came back as a new row
                self.keys[key] = row_id
        mine = drafted | set(saved.new_ids.values())
        for item in saved.items:
            item_id = item.id
            if item_id in mine:
                self.own[item_id] = (item.version, value_of(item))
        return saved


@dataclass
class NotesTracker:
    sequence: int = 0  # the number of the newest save written
    sent: str | None = None  # the text that save sent (what typing since continues from)

    def save(self, write: Callable[[str, str | None], NotesSaved], text: str, base: str | None,
             base_sequence: int, sequence: int) -> NotesSaved:
        if self.sent is not None and base_sequence < self.sequence:
            base = self.sent  # typed on after our previous save: continue from it
        saved = write(text, base)
        self.sequence, self.sent = sequence, text
        return saved
