"""Likely mishearings of a name, and the nearest words to a query that finds nothing.

Speech recognition turns a name it does not know into Dutch words that sound like it:
DeepSeek becomes "diep zek", Wietse Hagen "Wiets haagen". Suggestions compare *sound keys*:
a word's letters rewritten by the Dutch spelling rules below, so that spellings of one sound
get one key, then compared by edit distance (rapidfuzz). Candidates come from the index's
vocabulary (one word), and from pairs and triples of its words that stand together in the
transcripts, checked with the index's positions.

The Dutch rules of ``sound_key`` (applied after lower-casing and removing accents):
- ij, ei, y and ey sound alike ("ei"); au and ou too ("ou").
- ch and g are one sound in Dutch ("g"); gh too; ck, c before a/o/u and q are "k",
  c before e/i is "s"; ph is "f", th is "t", x is "ks".
- z is heard as s and v as f at the start of a syllable in fast speech; w and v are kept apart.
- ee, ie, ea (English "deep", "seek" as Dutch hears them) are "i"; oo and oe stay apart (oe is
  "u", as in English "ou" in "you" is written "oe"); uu is "u".
- A final d is spoken t, and dt is t.
- Doubled letters are one; h after a consonant is dropped (the English "sh" aside, "s").
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from reader.search.analysis import fold

_RULES: tuple[tuple[str, str], ...] = (
    ("sch", "s"), ("sh", "s"), ("ch", "g"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("ck", "k"),
    ("ij", "ei"), ("ey", "ei"), ("y", "ei"), ("au", "ou"),
    ("ee", "i"), ("ie", "i"), ("ea", "i"), ("oe", "u"), ("uu", "u"), ("oo", "o"), ("aa", "a"),
    ("dt", "t"), ("x", "ks"), ("q", "k"), ("z", "s"), ("v", "f"),
)
_C_SOFT = re.compile(r"c(?=[eiy])")
_FINAL_D = re.compile(r"d\b")
_DOUBLE = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^a-z0-9]+")
_VOWELS = re.compile(r"[aeiou]+")

MIN_SCORE = 0.8
COUNT_WEIGHT = 0.03
PIECE_CANDIDATES = 15  # vocabulary words tried as the first and the last piece of a split


def sound_key(text: str) -> str:
    """``text`` as it sounds, by the module's Dutch rules; spaces do not count."""
    word = _NOT_LETTER.sub(" ", fold(text)).strip()
    word = _FINAL_D.sub("t", word)
    word = word.replace(" ", "")
    word = _C_SOFT.sub("s", word).replace("c", "k")
    for old, new in _RULES:
        word = word.replace(old, new)
    return _DOUBLE.sub(r"\1", word)


def skeleton(key: str) -> str:
    """A sound key's consonants, with each run of vowels as one "a": speech recognition
    mishears vowels first (English "seek" written "zek"), consonants less often."""
    return _VOWELS.sub("a", key)


def likeness(term: str, candidate: str) -> float:
    """0..1: how alike ``candidate`` sounds and reads to ``term``: the sound keys, their
    consonant skeletons, and the letters (Jaro-Winkler, which values a shared beginning)."""
    a, b = sound_key(term), sound_key(candidate)
    if not a or not b:
        return 0.0
    sound = fuzz.ratio(a, b) / 100
    consonants = fuzz.ratio(skeleton(a), skeleton(b)) / 100
    letters = JaroWinkler.similarity(fold(term).replace(" ", ""), fold(candidate).replace(" ", ""))
    return 0.4 * sound + 0.3 * consonants + 0.3 * letters


@dataclass(frozen=True)
class Suggestion:
    text: str  # as the transcript writes it (lower case)
    count: int  # times it occurs
    episodes: tuple[str, ...]  # the episodes it occurs in
    score: float
    in_glossary: bool = False


class Vocabulary:
    """The index's words of one field with their sound keys, made once per index state."""

    def __init__(self, terms: Sequence[str]) -> None:
        self.terms = list(terms)
        self.keys = [sound_key(t) for t in self.terms]
        self.skeletons = [skeleton(k) for k in self.keys]

    def like(self, key: str, limit: int, cutoff: float = 60) -> list[tuple[str, float]]:
        """The words whose sound key, or its consonant skeleton, is nearest ``key``'s:
        (word, 0..100), up to ``limit`` of each."""
        found = process.extract(key, self.keys, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)
        found += process.extract(skeleton(key), self.skeletons, scorer=fuzz.ratio, limit=limit,
                                 score_cutoff=max(cutoff, 75))
        return list(dict.fromkeys((self.terms[i], score) for _, score, i in found))

    def nearest(self, word: str, limit: int = 3, max_distance: int = 2) -> list[str]:
        """Words of the vocabulary within ``max_distance`` edits of ``word``, nearest first
        (did you mean); a word itself in the vocabulary is not its own suggestion."""
        from rapidfuzz.distance import Levenshtein

        found = process.extract(word, self.terms, scorer=Levenshtein.distance, limit=limit + 1,
                                score_cutoff=max_distance)
        return [t for t, _, _ in sorted(found, key=lambda f: (f[1], f[2])) if t != word][:limit]


Together = Callable[[list[tuple[str, ...]]], dict[tuple[str, ...], tuple[int, tuple[str, ...]]]]
Written = Callable[[tuple[str, ...]], str]


def candidates(term: str, vocabulary: Vocabulary,
               stem: Callable[[str], str] = str) -> list[tuple[str, ...]]:
    """Word sequences (index terms, 1 to 3 words) that may sound like ``term``; not yet
    checked to stand together anywhere. The vocabulary holds stems ("haagen" is "hag"), so
    a term of several words is also matched word by word, each by its own stem."""
    key = sound_key(term)
    if len(key) < 3:
        return []
    out: list[tuple[str, ...]] = [(w,) for w, _ in vocabulary.like(key, 12)]
    words = re.findall(r"[^\W_]+", fold(term))
    if 2 <= len(words) <= 3:
        options = [list(dict.fromkeys(
            [w for w, _ in vocabulary.like(sound_key(word), PIECE_CANDIDATES, cutoff=70)]
            + [w for w, _ in vocabulary.like(sound_key(stem(word)), PIECE_CANDIDATES, cutoff=70)]))
            for word in words]
        out += list(itertools.product(*options))
    for cut in range(2, len(key) - 1):
        firsts = vocabulary.like(key[:cut], PIECE_CANDIDATES, cutoff=70)
        lasts = vocabulary.like(key[cut:], PIECE_CANDIDATES, cutoff=70)
        out += [(a, b) for a, _ in firsts for b, _ in lasts if len(a) > 1 or len(b) > 1]
    return list(dict.fromkeys(out))


def suggest(term: str, vocabulary: Vocabulary, together: Together, written: Written,
            known: Callable[[str], bool], limit: int = 10,
            stem: Callable[[str], str] = str) -> list[Suggestion]:
    """The likeliest spellings of ``term`` in the library, best first.

    ``together(candidates)`` says which word sequences stand together in the transcripts
    (count, episodes); ``written(words)`` how the first of them is written there. A spelling
    that recurs is likelier a habit of the recogniser than a slip: the rank adds a little
    for each doubling of the count."""
    term_key = fold(term).replace(" ", "")
    liked = {words: likeness(term, " ".join(words)) for words in candidates(term, vocabulary, stem)
             if "".join(words) != term_key}
    # Stems read shorter than the words ("wiets hag"): a little slack before the words are
    # read back and scored as written.
    liked = {w: score for w, score in liked.items() if score >= MIN_SCORE - 0.1}
    found = together(list(liked))
    ranked = sorted(found, key=lambda w: -(liked[w] + COUNT_WEIGHT * math.log2(found[w][0])))
    out: dict[str, Suggestion] = {}
    for words in ranked:
        if len(out) >= limit:
            break
        text = written(words)
        count, episodes = found[words]
        score = max(liked[words], likeness(term, text)) if text else 0.0
        if score >= MIN_SCORE and text.replace(" ", "") != term_key and text not in out:
            out[text] = Suggestion(text, count, episodes, score, known(text))
    return sorted(out.values(), key=lambda s: -(s.score + COUNT_WEIGHT * math.log2(s.count)))
