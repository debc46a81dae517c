"""Dutch analysis: one tokenizer that splits, lower-cases, folds accents and stems in one loop.

Whoosh's usual chain (tokenizer | lowercase | fold | stem) pushes every word through four
generators and a Token object each; on a 22k-word transcript that costs ~120 ms, which bounds
rebuild speed. Here the whole chain is one regex scan plus a dict lookup per word (the stem
cache), and the index format asks for the finished postings directly (``DutchPositions``).
The same analyser serves the query parser, so query words and indexed words always agree.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from collections.abc import Iterator, Sequence
from itertools import accumulate, groupby
from operator import sub
from typing import Any, NamedTuple

import Stemmer
from whoosh.analysis import Token, Tokenizer
from whoosh.formats import Format

from reader.search.packing import packed as _packed
from reader.search.packing import unpacked as _unpacked

# Letters and digits; "_" and punctuation separate words. "voorpagina's" gives "voorpagina"
# and "s" so that typing "voorpagina" finds it.
WORD = re.compile(r"[^\W_]+")

_SPLIT = re.compile(r"([^\W_]+)")  # WORD, kept by the split

# Beyond this many distinct words the cache is dropped and refilled: bounded memory.
_CACHE_LIMIT = 400_000


def fold(word: str) -> str:
    """Lower-case and strip diacritics (é → e, ë → e, ĳ → ij)."""
    word = word.lower()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Analysed(NamedTuple):
    """A text's words: each term's positions (word numbers, ascending), and each word's start
    and end character."""

    postings: dict[str, list[int]]
    starts: list[int]
    ends: list[int]


class DutchAnalyzer(Tokenizer):
    """Split + lower-case + fold + Snowball 3 Dutch stem, with a per-process stem cache.

    Pickled into the index's schema, so it carries no state in its pickle: the stemmer and
    the cache are rebuilt on load.
    """

    # The last transcript analysed and its analysis, for every instance (see ``analyse``).
    _shared_last: tuple[str, Analysed] | None = None

    def __init__(self) -> None:
        self._setup()

    def _setup(self) -> None:
        stemmer = Stemmer.Stemmer("dutch")
        self._stem_word = stemmer.stemWord
        self._stem_words = stemmer.stemWords
        self._cache: dict[str, str] = {}

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

    def analyse(self, text: str) -> Analysed:
        """Every word of ``text``: each term's positions, and where each word stands.

        The work per word is done by C loops (a regular expression's split, a running sum,
        a sort by term), not by a Python step per word: ~4× faster on a transcript. The last
        result is reused, because indexing asks twice for the same transcript (key terms and
        the word table, then the field itself), through two analysers (the index's and its
        schema's field's): it is kept on the class, for whichever asks next."""
        last = DutchAnalyzer._shared_last
        if last is not None and last[0] is text:
            return last[1]
        parts = _SPLIT.split(text)  # separator, word, separator, word, …, separator
        words = parts[1::2]
        n = len(words)
        offsets = list(accumulate(map(len, parts)))
        starts, ends = offsets[0::2][:n], offsets[1::2]
        cache = self._cache
        missing = set(words).difference(cache)
        if missing:
            if len(cache) + len(missing) > _CACHE_LIMIT:
                cache.clear()
                missing = set(words)
            forms = list(missing)
            cache.update(zip(forms, self._stem_words([fold(w) for w in forms]), strict=True))
        terms = list(map(cache.__getitem__, words))
        # Each term numbered by its first position; sorting positions by that number groups
        # each term's positions in order (the sort is stable).
        numbers: dict[str, int] = {}
        first: list[int] = list(map(numbers.setdefault, terms, range(n)))
        grouped = sorted(range(n), key=first.__getitem__)
        postings = {terms[k]: list(g) for k, g in groupby(grouped, key=first.__getitem__)}
        result = Analysed(postings, starts, ends)
        if len(text) > 2000:  # only transcripts are asked for twice; titles must not evict them
            DutchAnalyzer._shared_last = (text, result)
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


class DutchPositions(Format):
    """Postings that hold the word positions, packed as an array (2 bytes a position in
    texts of fewer than 65,536 words), fed straight from ``DutchAnalyzer.analyse``.

    Whoosh's Characters format pickled a (position, start, end) tuple per occurrence: ~17
    bytes each, nine tenths of the index. Where a transcript's words stand is kept once per
    document instead (``word_table``); titles and notes are analysed again when shown."""

    def word_values(self, value: str, analyzer: Any, **kwargs: Any
                    ) -> Iterator[tuple[str, int, float, bytes]]:
        boost = self.field_boost
        if isinstance(analyzer, DutchAnalyzer):
            postings = analyzer.analyse(value).postings
        else:
            postings = {}
            for token in analyzer(value, positions=True, mode="index", **kwargs):
                postings.setdefault(token.text, []).append(token.pos)
        for term, positions in postings.items():
            yield term, len(positions), len(positions) * boost, _packed(positions)

    def encode(self, positions: list[int]) -> bytes:
        return _packed(positions)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return _unpacked(valuestring).tolist()

    def decode_position_array(self, valuestring: bytes) -> Sequence[int]:
        """The positions as the packed array itself (no list made)."""
        return _unpacked(valuestring)

    def decode_frequency(self, valuestring: bytes) -> int:
        return (len(valuestring) - 1) // (2 if valuestring[:1] == b"H" else 4)

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        return [(p, 1.0) for p in self.decode_positions(valuestring)]

    def combine(self, vs: list[bytes]) -> bytes:
        return _packed(sorted({p for v in vs for p in self.decode_positions(v)}))


_TABLE_HEADER = struct.Struct("<I")


def word_table(analysed: Analysed) -> bytes:
    """Where each word of a text stands: its start and its length, by position."""
    starts, ends = analysed.starts, analysed.ends
    return (_TABLE_HEADER.pack(len(starts)) + _packed(starts)
            + _packed(list(map(sub, ends, starts)), ascending=False))


class WordTable:
    """A decoded ``word_table``: the character range of the word at each position."""

    __slots__ = ("_starts", "_lengths")

    def __init__(self, data: bytes) -> None:
        (count,) = _TABLE_HEADER.unpack_from(data)
        view = memoryview(data)
        self._starts = _unpacked(view, _TABLE_HEADER.size, count)
        size = self._starts.itemsize
        self._lengths = _unpacked(view, _TABLE_HEADER.size + 1 + count * size, count)

    def __len__(self) -> int:
        return len(self._starts)

    def span(self, position: int) -> tuple[int, int]:
        start = self._starts[position]
        return start, start + self._lengths[position]

    def spans(self, positions: list[int]) -> list[tuple[int, int, int]]:
        """(position, start, end) of each of ``positions`` (those past the end left out)."""
        starts, lengths = self._starts, self._lengths
        n = len(starts)
        return [(p, starts[p], starts[p] + lengths[p]) for p in positions if p < n]


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
