"""Where a name stands in one text, however speech recognition wrote it.

The index widens a query across the library (``spellings``); this module answers the same
question inside one open transcript, for find-in-episode and for the view that shows names
as the glossary spells them. It reads the text's words once and compares each run of one to
``MAX_RUN`` neighbouring words, joined, with the keys that are wanted: a dictionary lookup
per run, so a 600 KB transcript takes tens of milliseconds whatever the glossary's size.

A run matches a wanted spelling when its words, lower-cased, without accents and written
together, are the spelling's key ("Deep Seek", "deepseek" and "deep seek" share one), and

- it is the spelling's own words ("diep zek" for the spelling "diep zek"), or
- it is one word (the spelling written together: "openai" for "open ai"), or
- it is a split of 2 or 3 pieces as the index splits words: each piece two letters or more or
  a number, at most one stop word among two pieces, none among three ("chat gpt" for
  "chatgpt"; "om dat" is not "omdat").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from reader.core.glossary import Glossary, key_of, words_of
from reader.search.analysis import WORD, fold
from reader.search.spellings import MAX_PIECES, MIN_SPLIT_WORD, STOP_WORDS

MAX_RUN = 6  # words in a glossary spelling at most (reader.core.glossary.MAX_WORDS)

V = TypeVar("V")


@dataclass(frozen=True)
class Wanted(Generic[V]):
    """A key to look for, the words of its own spelling, and what a match stands for."""

    key: str
    words: tuple[str, ...]
    value: V


def _split_ok(pieces: tuple[str, ...]) -> bool:
    if len(pieces) > MAX_PIECES or len("".join(pieces)) < MIN_SPLIT_WORD:
        return False
    if not all(len(p) >= 2 or p.isdigit() for p in pieces):
        return False
    return sum(p in STOP_WORDS for p in pieces) <= (1 if len(pieces) == 2 else 0)


class TextWords:
    """A text's words, folded, with their places: read once per text and kept by callers
    that look in one text again (find-in-episode, as the user types)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = [(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text)]


def spelled_ranges(text: str | TextWords, wanted: Iterable[Wanted[V]]) -> list[tuple[int, int, V]]:
    """(start, end, value) of each place in ``text`` that spells a wanted key, left to right;
    where runs overlap, the one that starts first wins, and of those the longest."""
    by_key: dict[str, list[Wanted[V]]] = {}
    for w in wanted:
        if w.key:
            by_key.setdefault(w.key, []).append(w)
    if not by_key:
        return []
    # Every beginning of a key: a run stops as soon as it cannot become one, and most words
    # of a text begin none (one set lookup each).
    beginnings = {key[:n] for key in by_key for n in range(1, len(key) + 1)}
    words = (text if isinstance(text, TextWords) else TextWords(text)).words
    found: list[tuple[int, int, V]] = []
    reached = 0
    for i, (start, _end, first) in enumerate(words):
        if start < reached or first not in beginnings:
            continue
        best: tuple[int, int, V] | None = None
        joined = ""
        run: tuple[str, ...] = ()
        for j in range(i, min(i + MAX_RUN, len(words))):
            joined += words[j][2]
            if joined not in beginnings:
                break
            run = (*run, words[j][2])
            for w in by_key.get(joined, ()):
                if run == w.words or len(run) == 1 or _split_ok(run):
                    best = (start, words[j][1], w.value)
                    break
        if best is not None:
            found.append(best)
            reached = best[1]
    return found


def wanted_spelling(spelling: str, value: V) -> Wanted[V]:
    return Wanted(key_of(spelling), words_of(spelling), value)


def find_spellings(text: str | TextWords, typed: str, glossary: Glossary) -> list[tuple[int, int]]:
    """Find-in-episode's extra places for ``typed``: its split and joined forms, and every
    spelling of the glossary entry it is a spelling of."""
    entry = glossary.entry_for(typed)
    spellings = entry.spellings if entry is not None else (typed,)
    return [(s, e) for s, e, _ in spelled_ranges(text, [wanted_spelling(sp, None) for sp in spellings])]


@dataclass(frozen=True)
class ShownName:
    """A stretch of the transcript written otherwise than the glossary's canonical name."""

    start: int
    end: int
    canonical: str


def shown_names(text: str, glossary: Glossary) -> list[ShownName]:
    """Every spelling of a glossary entry in ``text`` that differs from its canonical name
    as written (so "deepseek" is shown as "DeepSeek", and "DeepSeek" is left as it is)."""
    wanted = [wanted_spelling(spelling, entry.canonical)
              for entry in glossary.entries for spelling in entry.spellings]
    return [ShownName(s, e, canonical) for s, e, canonical in spelled_ranges(text, wanted)
            if text[s:e] != canonical]
