"""The library's glossary: canonical names and the spellings speech recognition gives them.

A transcript made by speech recognition writes one name many ways: "chat gpt" for ChatGPT,
"diep zek" and "deep seek" for DeepSeek, "Wiets haagen" for Wietse Hagen. A glossary entry
ties them together, so that searching for any of them finds all of them. Matching ignores
case, accents and the spaces inside a name ("Deep Seek" = "deepseek").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Letters and digits, as the search index splits words.
_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 6
MAX_CHARS = 80


class GlossaryError(ValueError):
    """A term that cannot be a glossary spelling (empty, too long, no letters)."""


def words_of(term: str) -> tuple[str, ...]:
    """A spelling's words, lower-cased and without accents: what matching compares."""
    folded = unicodedata.normalize("NFKD", term.lower())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return tuple(_WORD.findall(plain))


def key_of(term: str) -> str:
    """Two spellings with the same key are the same spelling ("Deep Seek" = "deepseek")."""
    return "".join(words_of(term))


def checked(term: str) -> str:
    """``term`` as it is stored (spaces tidied), or GlossaryError saying what is wrong."""
    shown = " ".join(term.split())
    if not shown:
        raise GlossaryError("a glossary term cannot be empty")
    if not words_of(shown):
        raise GlossaryError(f"{shown!r} has no letters or digits to search for")
    if len(shown) > MAX_CHARS:
        raise GlossaryError(f"{shown[:30]!r}… is longer than {MAX_CHARS} characters")
    if len(words_of(shown)) > MAX_WORDS:
        raise GlossaryError(f"{shown!r} has more than {MAX_WORDS} words")
    return shown


@dataclass(frozen=True)
class GlossaryEntry:
    canonical: str
    variants: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.canonical, *self.variants)


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entries)

    def entry_for(self, text: str) -> GlossaryEntry | None:
        """The entry that ``text`` is a spelling of (canonical or variant), if any."""
        key = key_of(text)
        if not key:
            return None
        for entry in self.entries:
            if any(key_of(s) == key for s in entry.spellings):
                return entry
        return None
