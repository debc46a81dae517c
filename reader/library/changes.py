"""What a write changed: every writing call of the library reports one ``Changes``.

The window's views ask "does this concern me?" and update just that (a row of the episode
list, the open episode's list of takeaways); nothing resets a whole view because something
somewhere was saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Flag, auto


class Part(Flag):
    """The parts of an episode a write touched."""

    NONE = 0
    ADDED = auto()  # a new episode
    REMOVED = auto()  # gone from the library
    LIST_COLUMNS = auto()  # what the episode list shows (title, words, last opened, source)
    TRANSCRIPT = auto()
    NOTES = auto()
    TAKEAWAYS = auto()
    RELATED = auto()
    HIGHLIGHTS = auto()
    SOURCE = auto()  # the note file was read or written again
    TIMES = auto()  # when its words are spoken (subtitles attached, its length given)
    TAGS = auto()  # the episode's own tags

    @classmethod
    def annotations(cls) -> Part:
        return cls.NOTES | cls.TAKEAWAYS | cls.RELATED | cls.HIGHLIGHTS | cls.TAGS


@dataclass(frozen=True)
class Changes:
    episodes: dict[str, Part] = field(default_factory=dict)

    @classmethod
    def of(cls, episode_ids: Iterable[str], part: Part) -> Changes:
        return cls(dict.fromkeys(episode_ids, part))

    def __bool__(self) -> bool:
        return bool(self.episodes)

    def touching(self, part: Part) -> list[str]:
        """The episodes whose change includes any of ``part``."""
        return [episode_id for episode_id, done in self.episodes.items() if done & part]

    def merged(self, other: Changes) -> Changes:
        combined = dict(self.episodes)
        for episode_id, part in other.episodes.items():
            combined[episode_id] = combined.get(episode_id, Part.NONE) | part
        return Changes(combined)
