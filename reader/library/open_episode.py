"""The open episode: the one copy of what the window shows and what waits to be saved.

No Qt in here; it belongs to the GUI thread and is not shared with the runners. The reading
session opens and reloads episodes through it, the highlight controller edits the highlights
through it, the autosaver takes what is unsaved from it and says what was stored, and source
sync asks it where the reader is. Nothing else holds a copy of the open episode's
annotations: when an episode is read again (reopened, or its note changed on disk) while
typing is still on its way to SQLite, ``loaded`` puts the typing back on top of what was read.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from reader.core.episode import Highlight
from reader.library.changes import Part
from reader.library.values import EpisodeView, NotesSaved, RelatedLink

LIST_PARTS = (Part.TAKEAWAYS, Part.RELATED)

# What a list editor hands in: the items as read ({row id: (value, version)}) and the list now.
ListState = tuple[dict[int, Any], list[Any]]


@dataclass(frozen=True)
class NotesEdit:
    """Notes to store, with what they were edited from (for the merge with other writers)."""

    episode_id: str
    text: str
    base: str | None  # the Notes as read or last stored; None: not known (merge by version)
    base_sequence: int  # the save after which ``base`` was known (0: as read)
    sequence: int  # this save's number


@dataclass(frozen=True)
class ListEdit:
    episode_id: str
    part: Part  # Part.TAKEAWAYS or Part.RELATED
    state: ListState


class OpenEpisode:
    def __init__(self) -> None:
        self.episode: EpisodeView | None = None
        self.generation = 0  # one per load started; a load that is not the newest is dropped
        self._unsaved: dict[tuple[str, Part], Any] = {}
        self._sequence = 0  # Notes saves handed out
        self._sending: dict[str, tuple[int, str]] = {}  # Notes handed to the writer, not yet stored
        self._notes_base: dict[str, tuple[str, int]] = {}  # Notes as read or stored, after which save
        # Where the reader left each episode this session: its write may still be on its way
        # when the episode is opened again (Back), and the read would bring the old place.
        self._places: dict[str, int] = {}

    # -- which episode --------------------------------------------------------------------------
    @property
    def id(self) -> str | None:
        return self.episode.id if self.episode is not None else None

    def is_open(self, episode_id: str) -> bool:
        return self.episode is not None and self.episode.id == episode_id

    def begin_load(self) -> int:
        """A load starts; the number it must bring back to be shown."""
        self.generation += 1
        return self.generation

    def loaded(self, episode: EpisodeView, generation: int, *, reloaded: bool = False) -> bool:
        """Takes in a freshly read episode, unless a newer load was started meanwhile. Notes typed
        and not yet stored win over what was read: they are the newest; so does the place the
        reader left it at this session (unless ``reloaded``: then the place was carried)."""
        if generation != self.generation:
            return False
        unsaved = self._unsaved.get((episode.id, Part.NOTES))
        if unsaved is not None:
            episode.notes = unsaved
        elif episode.id in self._sending:
            episode.notes = self._sending[episode.id][1]
        else:
            self._notes_base[episode.id] = (episode.notes, self._sequence)
        if episode.id in self._places and not reloaded:
            episode.scroll_position = min(self._places[episode.id], len(episode.transcript))
        self.episode = episode
        return True

    def close(self) -> None:
        """The open episode was removed from the library: forget it (its unsaved edits go to the
        writer first, where the removal drops them with the episode)."""
        self.generation += 1
        self.episode = None

    # -- what the user does ---------------------------------------------------------------------
    def edit_notes(self, text: str) -> None:
        if self.episode is not None:
            self.episode.notes = text
            self._unsaved[(self.episode.id, Part.NOTES)] = text

    def edit_takeaways(self, texts: list[str], state: ListState) -> None:
        if self.episode is not None:
            self.episode.takeaways = texts
            self._unsaved[(self.episode.id, Part.TAKEAWAYS)] = state

    def edit_related(self, links: list[RelatedLink], state: ListState) -> None:
        if self.episode is not None:
            self.episode.related = links
            self._unsaved[(self.episode.id, Part.RELATED)] = state

    def set_place(self, offset: int) -> None:
        """Where the reader is in the transcript (an offset of its text)."""
        if self.episode is not None:
            self.episode.scroll_position = offset
            self._places[self.episode.id] = offset

    # -- the autosaver's side -------------------------------------------------------------------
    @property
    def unsaved(self) -> bool:
        return bool(self._unsaved)

    def take_unsaved(self) -> list[NotesEdit | ListEdit]:
        """Everything edited since the last call, newest value per episode and part, as edits to
        send to the writer in this order."""
        unsaved, self._unsaved = self._unsaved, {}
        edits: list[NotesEdit | ListEdit] = []
        for (episode_id, part), value in unsaved.items():
            if part is Part.NOTES:
                self._sequence += 1
                base, base_sequence = self._notes_base.get(episode_id, (None, 0))
                self._sending[episode_id] = (self._sequence, value)
                edits.append(NotesEdit(episode_id, value, base, base_sequence, self._sequence))
            else:
                edits.append(ListEdit(episode_id, part, value))
        return edits

    def notes_stored(self, edit: NotesEdit, saved: NotesSaved) -> None:
        """The writer stored ``edit``; ``saved`` is what SQLite holds now (merged, maybe)."""
        self._forget_sending(edit)
        if edit.sequence > self._notes_base.get(edit.episode_id, ("", -1))[1]:
            self._notes_base[edit.episode_id] = (saved.text, edit.sequence)

    def notes_shown(self, text: str) -> None:
        """The Notes editor now shows ``text`` (a merge with another writer's edit, already
        stored as it is): nothing to save."""
        if self.episode is not None:
            self.episode.notes = text

    def notes_not_stored(self, edit: NotesEdit) -> None:
        """The write failed. When it was the newest Notes of that episode, they are unsaved
        again: the next save (typing, switching episode, closing) tries them once more, and a
        reload meanwhile still shows them."""
        key = (edit.episode_id, Part.NOTES)
        if self._forget_sending(edit) and key not in self._unsaved:
            self._unsaved[key] = edit.text

    def _forget_sending(self, edit: NotesEdit) -> bool:
        if self._sending.get(edit.episode_id, (0, ""))[0] == edit.sequence:
            del self._sending[edit.episode_id]
            return True
        return False

    def take_remote(self, episode: EpisodeView) -> bool:
        """Another client of a team library changed the open episode: its Notes and lists as
        stored now are taken in (and shown: True) unless the user has edits of their own on
        the way, whose save then merges with what is stored."""
        if self.episode is None or self.episode.id != episode.id:
            return False
        if self._unsaved or episode.id in self._sending:
            return False
        shown = self.episode
        if (shown.notes, shown.takeaway_items, shown.related) == (
                episode.notes, episode.takeaway_items, episode.related):
            return False
        shown.notes, shown.takeaways = episode.notes, episode.takeaways
        shown.takeaway_items, shown.related = episode.takeaway_items, episode.related
        self._notes_base[episode.id] = (episode.notes, self._sequence)
        return True

    def list_stored(self, episode_id: str, part: Part, values: list[Any]) -> None:
        """The list as it is shown after a save brought in what other writers stored."""
        if self.episode is not None and self.episode.id == episode_id:
            if part is Part.TAKEAWAYS:
                self.episode.takeaways = values
            else:
                self.episode.related = values

    # -- highlights -----------------------------------------------------------------------------
    def highlights(self) -> list[Highlight]:
        return list(self.episode.highlights) if self.episode is not None else []

    def highlight(self, highlight_id: int) -> Highlight | None:
        return next((h for h in self.highlights() if h.id == highlight_id), None)

    def put_highlight(self, episode_id: str, highlight: Highlight) -> bool:
        """A highlight stored for ``episode_id``, new or changed; True when that episode is open
        and the highlight was not already there as it is."""
        if self.episode is None or self.episode.id != episode_id:
            return False
        highlights = self.episode.highlights
        for i, known in enumerate(highlights):
            if known.id == highlight.id:
                if known == highlight:
                    return False
                highlights[i] = highlight
                return True
        highlights.append(highlight)
        return True

    def drop_highlight(self, episode_id: str, highlight_id: int) -> bool:
        if self.episode is None or self.episode.id != episode_id:
            return False
        before = len(self.episode.highlights)
        self.episode.highlights = [h for h in self.episode.highlights if h.id != highlight_id]
        return len(self.episode.highlights) != before


class History:
    """The episodes read before the open one, newest last, for Back."""

    KEPT = 50

    def __init__(self) -> None:
        self._before: list[str] = []
        self._shown: str | None = None
        self._going_back = False

    def opened(self, episode_id: str) -> None:
        """An episode is shown; the one shown before it is remembered (unless going back)."""
        if self._shown is not None and self._shown != episode_id and not self._going_back:
            self._before.append(self._shown)
            del self._before[:-self.KEPT]
        self._going_back = False
        self._shown = episode_id

    def back(self, known: Collection[str]) -> str | None:
        """The episode to go back to (skipping any no longer ``known``), or None."""
        while self._before and self._before[-1] not in known:
            self._before.pop()  # removed from the library meanwhile
        if not self._before:
            return None
        self._going_back = True
        return self._before.pop()
