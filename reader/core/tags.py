"""Tags as Obsidian reads them: ``#ai-act`` in text, the ``**Tags:**`` line, YAML ``tags``.

A tag is letters, digits, ``_``, ``-`` and ``/`` (nested tags), with at least one character
that is not a digit (``#2024`` is no tag in Obsidian). It is written with ``#`` in text and
without it in YAML; the app keeps it without. Tags compare case-insensitively, as Obsidian's
tag pane counts them, and keep the spelling they were first written with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from reader.core.episode import Episode

_TAG = re.compile(r"[\w/-]+")
# In running text a tag starts a word: "#ai" yes, "page#anchor" and "# Heading" no.
_IN_TEXT = re.compile(r"(?:(?<=\s)|^)#([\w/-]+)", re.MULTILINE)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def normalise(text: str) -> str | None:
    """A tag as the app keeps it (no ``#``, spaces as ``-``), or None if it is no tag."""
    tag = "-".join(text.strip().lstrip("#").split())
    tag = tag.strip("/")
    if not tag or not _TAG.fullmatch(tag) or tag.replace("/", "").replace("-", "").replace("_", "").isdigit():
        return None
    return tag


def parse(text: str) -> list[str]:
    """Tags typed in a field ("#ai-act, regulation eu"): commas or spaces between them."""
    found = (normalise(part) for part in re.split(r"[,\s]+", text))
    return unique(t for t in found if t)


def unique(tags: Iterable[str]) -> list[str]:
    """Each tag once (case-insensitively), in the order first seen."""
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


def has(tags: Iterable[str], tag: str) -> bool:
    wanted = tag.casefold()
    return any(t.casefold() == wanted for t in tags)


def in_text(text: str) -> list[str]:
    """The ``#tags`` Obsidian finds in Markdown text (not in fenced code)."""
    if "#" not in text:
        return []
    found: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or "#" not in line:
            continue
        found += [t for m in _IN_TEXT.finditer(line) if (t := normalise(m.group(1)))]
    return unique(found)


def hashtags(tags: Iterable[str]) -> str:
    return " ".join(f"#{t}" for t in tags)


def of_front_matter(front_matter: Any) -> list[str]:
    """The ``tags`` (or ``tag``) property of a note's YAML: a list, or one string of them."""
    if not isinstance(front_matter, dict):
        return []
    value = front_matter.get("tags", front_matter.get("tag"))
    if isinstance(value, str):
        return parse(value)
    if isinstance(value, list):
        return unique(t for v in value if isinstance(v, str | int) and (t := normalise(str(v))))
    return []


def front_matter_key(front_matter: Any) -> str | None:
    if isinstance(front_matter, dict):
        for key in ("tags", "tag"):
            if key in front_matter:
                return key
    return None


def of_episode(episode: Episode) -> list[str]:
    """An episode's tags: its ``**Tags:**`` line's, then its YAML's."""
    return unique([*episode.tags, *of_front_matter(episode.front_matter)])


def set_on_episode(episode: Episode, wanted: Iterable[str]) -> None:
    """Make ``wanted`` the episode's tags, touching as little of the note as can be: a tag
    it keeps stays where it is written, a new one goes on the ``**Tags:**`` line, a removed
    one leaves the line or the YAML it was in. Unchanged tags leave the note byte for byte."""
    wanted = unique(wanted)
    had = of_episode(episode)
    episode.tags = [t for t in episode.tags if has(wanted, t)]
    key = front_matter_key(episode.front_matter)
    if key is not None and any(not has(wanted, t) for t in of_front_matter(episode.front_matter)):
        assert isinstance(episode.front_matter, dict)
        properties = dict(episode.front_matter)
        value = properties[key]
        if isinstance(value, list):
            properties[key] = [v for v in value if not isinstance(v, str | int)
                               or (t := normalise(str(v))) is None or has(wanted, t)]
        elif isinstance(value, str):
            kept = [t for t in parse(value) if has(wanted, t)]
            properties[key] = (", " if "," in value else " ").join(kept)
        episode.front_matter = properties
    episode.tags += [t for t in wanted if not has(had, t)]
