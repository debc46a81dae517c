"""Dutch analysis: one tokenizer that splits, lower-cases, folds accents and stems in one loop.

Whoosh's usual chain (tokenizer | lowercase | fold | stem) pushes every word through four
generators and a Token object each; on a 22k-word transcript that costs ~120 ms, which bounds
rebuild speed. Here the whole chain is one regex scan plus a dict lookup per word (the stem
cache), and the index format asks for the finished postings directly (``DutchCharacters``).
The same analyser serves the query parser, so query words and indexed words always agree.
"""

from __future__ import annotations

import pickle
import re
import unicodedata
from collections.abc import Iterator
from itertools import accumulate
from operator import itemgetter
from typing import Any

import Stemmer
from whoosh.analysis import Token, Tokenizer
from whoosh.formats import Characters
from whoosh.system import _INT_SIZE

# Letters and digits; "_" and punctuation separate words. "voorpagina's" gives "voorpagina"
# and "s" so that typing "voorpagina" finds it.
WORD = re.compile(r"[^\W_]+")

# Beyond this many distinct words the cache is dropped and refilled: bounded memory.
_CACHE_LIMIT = 400_000


def fold(word: str) -> str:
    """Lower-case and strip diacritics (é → e, ë → e, ĳ → ij)."""
    word = word.lower()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class DutchAnalyzer(Tokenizer):
    """Split + lower-case + fold + Snowball 3 Dutch stem, with a per-process stem cache.

    Pickled into the index's schema, so it carries no state in its pickle: the stemmer and
    the cache are rebuilt on load.
    """

    def __init__(self) -> None:
        self._setup()

    def _setup(self) -> None:
        self._stem_word = Stemmer.Stemmer("dutch").stemWord
        self._cache: dict[str, str] = {}
        self._last: tuple[str, dict[str, list[tuple[int, int, int]]]] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._setup()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DutchAnalyzer)

    def __hash__(self) -> int:
        return hash(DutchAnalyzer)

    def stem(self, word: str) -> str:
        """The index term for one surface word (any case, any accents)."""
        cache = self._cache
        term = cache.get(word)
        if term is None:
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            term = self._stem_word(fold(word))
            cache[word] = term
        return term

    def terms(self, text: str) -> list[str]:
        stem = self.stem
        return [stem(m.group()) for m in WORD.finditer(text)]

    def spans(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(term, start, end) for every word of ``text``."""
        stem = self.stem
        for m in WORD.finditer(text):
            yield stem(m.group()), m.start(), m.end()

    def postings(self, text: str) -> dict[str, list[tuple[int, int, int]]]:
        """term → [(position, start char, end char), …]; the last result is reused because
        the indexer asks twice for the same transcript (key terms, then the field itself)."""
        last = self._last
        if last is not None and last[0] is text:
            return last[1]
        cache = self._cache
        stem_word = self._stem_word
        result: dict[str, list[tuple[int, int, int]]] = {}
        pos = 0
        for m in WORD.finditer(text):
            word = m.group()
            term = cache.get(word)
            if term is None:
                if len(cache) > _CACHE_LIMIT:
                    cache.clear()
                term = stem_word(fold(word))
                cache[word] = term
            entry = result.get(term)
            if entry is None:
                result[term] = [(pos, m.start(), m.end())]
            else:
                entry.append((pos, m.start(), m.end()))
            pos += 1
        if len(text) > 2000:  # only transcripts are asked for twice; titles must not evict them
            self._last = (text, result)
        return result

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: Any) -> Iterator[Token]:
        # The query parser calls this; one Token is reused, as Whoosh's own tokenizers do.
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # Prefix/wildcard/fuzzy text arrives whole ("modell*" minus the star).
            token.original = token.text = self.stem(value)
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for pos, m in enumerate(WORD.finditer(value), start_pos):
            token.original = m.group()
            token.text = self.stem(token.original)
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + m.start()
                token.endchar = start_char + m.end()
            yield token


class DutchCharacters(Characters):
    """Positions + character ranges, fed straight from ``DutchAnalyzer.postings``."""

    def word_values(self, value: str, analyzer: Any, **kwargs: Any
                    ) -> Iterator[tuple[str, int, float, bytes]]:
        if not isinstance(analyzer, DutchAnalyzer):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        encode = self.encode
        for term, poslist in analyzer.postings(value).items():
            yield term, len(poslist), len(poslist) * boost, encode(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        """As ``Characters.decode_positions``, with the running sum in C (a phrase search reads
        the positions of every document that holds its words: half its time was this loop)."""
        if not valuestring.endswith(b"."):
            valuestring += b"."
        return list(accumulate(map(itemgetter(0), pickle.loads(valuestring[_INT_SIZE:]))))


FormsByStem = dict[str, frozenset[str]]


def forms_by_stem(analyzer: DutchAnalyzer, transcript: str) -> FormsByStem:
    """The distinct surface forms of ``transcript``'s words, grouped by stem (one regex pass
    over the text; ~21 ms for 600 KB, so callers that ask again for one text should keep it)."""
    groups: dict[str, set[str]] = {}
    for word in set(WORD.findall(transcript)):
        groups.setdefault(analyzer.stem(word), set()).add(word)
    return {stem: frozenset(forms) for stem, forms in groups.items()}


def phrase_ranges(analyzer: DutchAnalyzer, text: str, transcript: str,
                  forms: FormsByStem | None = None) -> list[tuple[int, int]]:
    """Char ranges in ``transcript`` where the words of ``text`` occur in order (stem-equal).

    Instead of stemming all 22k words of the transcript, collect its distinct surface forms
    (``forms``, from ``forms_by_stem``), keep those whose stem is wanted, and let a regex built
    from those forms find the places. That keeps find-in-episode within a few ms on 60 KB.
    """
    wanted = analyzer.terms(text.replace("’", "'"))
    if not wanted:
        return []
    if forms is None:
        forms = forms_by_stem(analyzer, transcript)
    if any(not forms.get(term) for term in wanted):
        return []
    groups = []
    for term in wanted:
        # Longest first so that an alternation never stops at a shorter prefix form.
        ordered = sorted(forms[term], key=lambda f: (-len(f), f))
        groups.append("(?:" + "|".join(re.escape(f) for f in ordered) + ")")
    # Words are separated exactly as the tokenizer separates them: by non-word characters.
    pattern = re.compile(r"(?<![^\W_])" + r"[\W_]+".join(groups) + r"(?![^\W_])")
    # A phrase is one hit, its words and the space between them: F3 steps from phrase to
    # phrase and the counter counts phrases, as a reader means "diep zek" ×3, not 6 words.
    return [m.span() for m in pattern.finditer(transcript)]
