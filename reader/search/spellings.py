"""One word, many spellings: split and joined forms, and the glossary's variants.

Speech recognition writes "ChatGPT" as "chat gpt", "OpenAI" as "open ai", and a name it does
not know as whatever it heard ("diep zek"). A query word is widened here, against the index,
into every spelling of it that the index holds:

- **split**: ``chatgpt`` also matches the words "chat gpt" (or "chat g pt") standing together.
  A split is tried only where every piece is a word of the index's vocabulary for the field
  (a dictionary lookup, no text is read), for a word the field lacks or has rarely, and with
  at most one stop word among two pieces, none among three ("omdat" is not "om dat").
  Pieces have two letters or more, or are numbers ("gpt 4").
- **joined**: the query words ``open ai`` (next to each other in the query) also match
  "openai", where the index has that word.
- **glossary**: a word or phrase that is a spelling in the library's glossary matches every
  spelling of its entry.

All the spellings of one query word form one ``Spellings`` query, scored as one term: its
frequency in a document is the sum over its spellings, its document frequency the union's,
so a transcript that says "chat gpt" 28 times ranks as one that says "chatgpt" 28 times.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from whoosh import query
from whoosh.lang.stopwords import stoplists
from whoosh.matching import ListMatcher, Matcher, NullMatcher
from whoosh.reading import IndexReader
from whoosh.scoring import bm25

from reader.core.glossary import Glossary, key_of, words_of
from reader.search.analysis import DutchAnalyzer, fold
from reader.search.phrases import phrase_counts
from reader.search.schema import SEARCH_FIELDS
from reader.search.scoring import bm25_params, field_lengths, term_arrays, term_scores

Form = tuple[str, ...]  # a spelling as index terms: one stem, or the stems of words in a row
Exact = tuple[str, str]  # (stem, word): the word written exactly so (see GlossaryForms)
ExactDocs = dict[int, int]  # document number → how often the exact word stands in it

MIN_SPLIT_WORD = 4  # shorter query words are not split ("ai" is not "a i")
MIN_PIECE = 2  # letters in a piece of a split, unless the piece is a number
MAX_PIECES = 3
MAX_FORMS = 12  # spellings of one query word; bounds the cost of a query
NO_BOUND = 1e9
RARE_SHARE = 50  # a word in at most 1 of this many documents of a field is split too
STOP_WORDS = frozenset(fold(w) for w in stoplists["nl"])


def _piece_ok(piece: str) -> bool:
    return len(piece) >= MIN_PIECE or piece.isdigit()


def split_forms(word: str, stem: Callable[[str], str], known: Callable[[str], bool]) -> list[Form]:
    """The ways ``word`` (a query word's letters) reads as 2 or 3 indexed words in a row."""
    if len(word) < MIN_SPLIT_WORD or word.isdigit():
        return []
    found: list[Form] = []

    def consider(pieces: Sequence[str]) -> None:
        if not all(_piece_ok(p) for p in pieces):
            return
        # A name heard as words is heard as words of its own sound ("chat gpt"), seldom
        # as stop words: one at most, among two pieces ("er van", "op en ai" are not tried:
        # phrases of the commonest words are also the dearest to look up).
        if sum(p in STOP_WORDS for p in pieces) > (1 if len(pieces) == 2 else 0):
            return
        stems = tuple(stem(p) for p in pieces)
        if all(known(s) for s in stems):
            found.append(stems)

    n = len(word)
    for i in range(1, n):
        consider((word[:i], word[i:]))
    for i in range(1, n - 1):
        if not _piece_ok(word[:i]) or not known(stem(word[:i])):
            continue
        for j in range(i + 1, n):
            consider((word[:i], word[i:j], word[j:]))
    return found


def joined_form(words: Sequence[str], stem: Callable[[str], str]) -> str:
    """The one word that ``words`` make written together ("open", "ai" → "openai")."""
    return stem("".join(words))


class GlossaryForms:
    """The glossary as index terms: each spelling's key → the forms of its whole entry.

    The index holds stems, and a variant's stem may be another word ("dieps" stems to "diep");
    such a one-word variant is an *exact* form, (stem, word): it matches where the word is
    written so, which the search checks against the text (``Spellings.exact``)."""

    def __init__(self, glossary: Glossary, analyzer: DutchAnalyzer) -> None:
        self._forms: dict[str, tuple[list[Form], list[Exact]]] = {}
        for entry in glossary.entries:
            forms: list[Form] = []
            exact: list[Exact] = []
            for spelling in entry.spellings:
                words = words_of(spelling)
                if len(words) == 1 and analyzer.stem(words[0]) != words[0]:
                    exact.append((analyzer.stem(words[0]), words[0]))
                elif words:
                    forms.append(tuple(analyzer.stem(w) for w in words))
                if len(words) > 1:  # "diep zek" also as "diepzek"
                    forms.append((joined_form(words, analyzer.stem),))
            found = (list(dict.fromkeys(forms)), list(dict.fromkeys(exact)))
            for spelling in entry.spellings:
                key = key_of(spelling)
                # As typed, as one stemmed word, and as its words stemmed one by one (the
                # query's words arrive stemmed: "wietse hagen" is "wiets", "hag").
                stems = "".join(analyzer.stem(w) for w in words_of(spelling))
                for k in {key, analyzer.stem(key), stems}:
                    self._forms.setdefault(k, found)

    def __bool__(self) -> bool:
        return bool(self._forms)

    def forms_of(self, stems: Sequence[str]) -> tuple[list[Form], list[Exact]]:
        """The forms of the entry that the query words ``stems`` spell, or nothing."""
        if not self._forms:
            return [], []
        return self._forms.get("".join(stems), ([], []))


class Spellings(query.Query):
    """Any of ``forms`` in ``fieldname``, scored as one term (see the module's docstring)."""

    def __init__(self, fieldname: str, forms: Iterable[Form], boost: float = 1.0,
                 exact: Iterable[Exact] = ()) -> None:
        self.fieldname = fieldname
        self.forms: tuple[Form, ...] = tuple(dict.fromkeys(tuple(f) for f in forms if f))
        self.exact: tuple[Exact, ...] = tuple(dict.fromkeys(exact))
        self.boost = boost
        # word → the documents (global numbers) where it is written exactly so; the search
        # fills it in from the texts before it runs the query (SearchIndex).
        self.exact_docs: dict[str, ExactDocs] = {}
        self._idf_of: tuple[Any, float] | None = None

    def __repr__(self) -> str:
        return (f"Spellings({self.fieldname!r}, {self.forms!r}, boost={self.boost}, "
                f"exact={self.exact!r})")

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Spellings) and other.fieldname == self.fieldname
                and other.forms == self.forms and other.exact == self.exact
                and other.boost == self.boost)

    def __hash__(self) -> int:
        return hash((Spellings, self.fieldname, self.forms, self.exact, self.boost))

    def is_leaf(self) -> bool:
        return True

    def terms(self, phrases: bool = True) -> Iterator[tuple[str, str]]:
        for form in self.forms:
            if len(form) == 1 or phrases:
                for word in form:
                    yield self.fieldname, word

    def estimate_size(self, ixreader: IndexReader) -> int:
        return sum(min(ixreader.doc_frequency(self.fieldname, w) for w in form)
                   for form in self.forms) + sum(len(d) for d in self.exact_docs.values())

    def _idf(self, parent: Any, field: str) -> float:
        """The spellings' idf over the whole index, worked out once per searcher: the query
        asks for it in every segment, and each ask read every segment's term tables."""
        if self._idf_of is not None and self._idf_of[0] is parent:
            return self._idf_of[1]
        df = 0
        for form in self.forms:
            # A phrase's documents are at most those of its rarest word.
            df += min(parent.doc_frequency(field, w) for w in form)
        df += sum(len(self.exact_docs.get(word, ())) for _, word in self.exact)
        count = parent.doc_count_all()
        idf = math.log(count / (min(df, count) + 1)) + 1
        self._idf_of = (parent, idf)
        return idf

    def matcher(self, searcher: Any, context: Any = None) -> Matcher:
        field = self.fieldname
        if field not in searcher.schema:
            return NullMatcher()
        if len(self.forms) == 1 and len(self.forms[0]) == 1 and not self.exact:
            # One spelling of one word (most words): the term's own matcher scores the same
            # (BM25 with the same idf) without a union's steps per document.
            return query.Term(field, self.forms[0][0], boost=self.boost).matcher(searcher, context)
        reader = searcher.reader()
        parent = searcher.get_parent()
        kids: list[tuple[bool, Matcher]] = []
        for form in self.forms:
            if any((field, w) not in reader for w in form):
                continue
            leaf = (query.Term(field, form[0]) if len(form) == 1
                    else query.Phrase(field, list(form)))
            m = leaf.matcher(searcher, context)
            if m.is_active():
                kids.append((len(form) > 1, m))
        offset = _offset_of(searcher)
        for stem, word in self.exact:
            docs = self.exact_docs.get(word)
            if docs is None:  # nothing to check the words against: the stem stands in
                m = query.Term(field, stem).matcher(searcher, context)
                if m.is_active():
                    kids.append((False, m))
                continue
            local = sorted(d - offset for d in docs if offset <= d < offset + searcher.doc_count_all())
            if local:
                kids.append((False, ListMatcher(local, [float(docs[d + offset]) for d in local])))
        if not kids:
            return NullMatcher()
        idf = self._idf(parent, field)
        weighting = getattr(context, "weighting", None) or searcher.weighting
        b = getattr(weighting, "_field_B", {}).get(field, getattr(weighting, "B", 0.75))
        k1 = getattr(weighting, "K1", 1.2)
        avgfl = parent.avg_field_length(field) or 1
        field_boost = getattr(searcher.schema[field].format, "field_boost", 1.0)
        scorable = searcher.schema[field].scorable

        lengths = field_lengths(reader, field) if scorable else []

        def score(tf: float, docnum: int) -> float:
            if not scorable:
                return tf * self.boost
            return bm25(idf, tf, lengths[docnum], avgfl, b, k1) * self.boost

        return SameTermMatcher(kids, score, field_boost)


    def bulk_scores(self, searcher: Any, context: Any = None) -> dict[int, float]:
        """Each matching document's score in one segment (its local numbers): what this
        query's matcher scores, summed a block of postings at a time (reader.search.evaluate)."""
        field = self.fieldname
        if field not in searcher.schema:
            return {}
        weighting = getattr(context, "weighting", None) or searcher.weighting
        if len(self.forms) == 1 and len(self.forms[0]) == 1 and not self.exact:
            return term_scores(searcher, field, self.forms[0][0], self.boost, weighting)
        reader = searcher.reader()
        schema_field = searcher.schema[field]
        field_boost = getattr(schema_field.format, "field_boost", 1.0)
        tf: dict[int, float] = {}
        get = tf.get

        def add_term(term: str) -> None:
            ids, weights = term_arrays(reader, field, term)
            for docnum, w in zip(ids.tolist(), weights.tolist(), strict=True):
                tf[docnum] = get(docnum, 0.0) + w

        for form in self.forms:
            if any((field, w) not in reader for w in form):
                continue
            if len(form) == 1:
                add_term(form[0])
                continue
            for docnum, places in phrase_counts(reader, field, form).items():
                tf[docnum] = get(docnum, 0.0) + places * field_boost  # once per place
        offset = _offset_of(searcher)
        end = offset + searcher.doc_count_all()
        for stem, word in self.exact:
            docs = self.exact_docs.get(word)
            if docs is None:
                add_term(stem)
                continue
            deleted = reader.is_deleted
            for d, count in docs.items():
                if offset <= d < end and not deleted(d - offset):
                    tf[d - offset] = get(d - offset, 0.0) + float(count)
        if not tf:
            return {}
        boost = self.boost
        if not schema_field.scorable:
            return {d: t * boost for d, t in tf.items()}
        parent = searcher.get_parent()
        idf = self._idf(parent, field)
        b, k1 = bm25_params(weighting, field)
        avgfl = parent.avg_field_length(field) or 1
        lengths = field_lengths(reader, field)
        return {d: bm25(idf, t, lengths[d], avgfl, b, k1) * boost for d, t in tf.items()}


def _offset_of(searcher: Any) -> int:
    """Where a segment's document numbers start in the whole index."""
    parent = searcher.get_parent()
    if parent is searcher:
        return 0
    for leaf, offset in parent.leaf_searchers():
        if leaf is searcher:
            return int(offset)
    return 0


class SameTermMatcher(Matcher):
    """The union of the spellings' matchers; a document's weight is the number of times any
    spelling occurs in it (a phrase counts once per place it stands)."""

    def __init__(self, kids: list[tuple[bool, Matcher]], score: Callable[[float, int], float],
                 field_boost: float) -> None:
        self._kids = kids
        self._score = score
        self._field_boost = field_boost

    def is_active(self) -> bool:
        return any(m.is_active() for _, m in self._kids)

    def id(self) -> int:
        return min(m.id() for _, m in self._kids if m.is_active())

    def _at(self) -> Iterator[tuple[bool, Matcher]]:
        current = self.id()
        return ((phrase, m) for phrase, m in self._kids if m.is_active() and m.id() == current)

    def next(self) -> bool:
        for _, m in list(self._at()):
            m.next()
        return False

    def skip_to(self, target: int) -> bool:
        for _, m in self._kids:
            if m.is_active() and m.id() < target:
                m.skip_to(target)
        return False

    def reset(self) -> None:
        for _, m in self._kids:
            m.reset()

    def copy(self) -> SameTermMatcher:
        return SameTermMatcher([(p, m.copy()) for p, m in self._kids], self._score,
                               self._field_boost)

    def supports_block_quality(self) -> bool:
        return False

    # No bound is known without scoring every document; a bound no score reaches keeps
    # Whoosh's pruning (in unions and intersections around this matcher) from skipping it.
    def max_quality(self) -> float:
        return NO_BOUND

    def block_quality(self) -> float:
        return NO_BOUND

    def supports(self, astype: str) -> bool:
        return False

    def weight(self) -> float:
        total = 0.0
        for phrase, m in self._at():
            total += len(m.spans()) * self._field_boost if phrase else m.weight()
        return total

    def score(self) -> float:
        return self._score(self.weight(), self.id())


# -- widening a parsed query ------------------------------------------------------------------


class Widener:
    """Widens parsed queries against one reader of the index and one glossary."""

    def __init__(self, reader: IndexReader, analyzer: DutchAnalyzer, glossary: Glossary,
                 frequencies: dict[tuple[str, str], int] | None = None) -> None:
        """``frequencies``: the document frequency of each (field, term) asked for so far,
        kept by the caller for as long as the reader is current (a split tries a dozen
        terms, each looked up in every segment)."""
        self._reader = reader
        self._stem = analyzer.stem
        self._glossary = GlossaryForms(glossary, analyzer)
        self._frequencies: dict[tuple[str, str], int] = {} if frequencies is None else frequencies

    def _frequency(self, field: str, term: str) -> int:
        key = (field, term)
        found = self._frequencies.get(key)
        if found is None:
            found = self._frequencies[key] = self._reader.doc_frequency(field, term)
        return found

    def known(self, field: str, term: str) -> bool:
        return self._frequency(field, term) > 0

    def forms_of_word(self, field: str, term: str) -> tuple[list[Form], list[Exact]]:
        forms: list[Form] = [(term,)]
        glossary, exact = self._glossary.forms_of((term,))
        forms += glossary
        forms += self._splits(field, [(term,), *glossary])
        return _bounded(forms), exact

    def _splits(self, field: str, forms: list[Form]) -> list[Form]:
        """The split forms of the one-word ``forms`` ("deepseek" as "deep seek"), for words
        the field lacks or has rarely: a word in more than 1 of RARE_SHARE episodes is
        spelled so by the recogniser already, and its splits ("voor beeld") cost a phrase
        search of two common words for little."""
        return [split for form in forms if len(form) == 1 and self._rare(field, form[0])
                for split in split_forms(form[0], self._stem, lambda t: self.known(field, t))]

    def _rare(self, field: str, term: str) -> bool:
        return self._frequency(field, term) * RARE_SHARE <= self._reader.doc_count()

    def forms_of_phrase(self, field: str, words: Sequence[str]) -> tuple[list[Form], list[Exact]]:
        forms: list[Form] = [tuple(words)]
        glossary, exact = self._glossary.forms_of(words)
        forms += glossary
        forms += self._splits(field, glossary)
        if 2 <= len(words) <= MAX_PIECES:
            forms.append((joined_form(words, self._stem),))
        return _bounded(forms), exact

    def widen(self, q: query.Query) -> query.Query:
        if isinstance(q, query.Term) and q.fieldname in SEARCH_FIELDS and isinstance(q.text, str):
            return self._leaf(q.fieldname, *self.forms_of_word(q.fieldname, q.text), q)
        if isinstance(q, query.Phrase) and q.fieldname in SEARCH_FIELDS and q.slop == 1:
            return self._leaf(q.fieldname, *self.forms_of_phrase(q.fieldname, q.words), q)
        if isinstance(q, query.And):
            return self._and(q)
        if q.is_leaf():
            return q
        return q.apply(self.widen)

    def _leaf(self, field: str, forms: list[Form], exact: list[Exact],
              original: query.Query) -> query.Query:
        present = [f for f in forms if all(self.known(field, w) for w in f)]
        exact = [e for e in exact if self.known(field, e[0])]
        if not exact and len(present) <= 1 and (not present or present[0] == forms[0]):
            return original
        return Spellings(field, present, boost=original.boost, exact=exact)

    def _and(self, q: query.And) -> query.Query:
        """Bare query words next to each other may be one word written apart: ``open ai``
        also finds "openai" (and a glossary name typed without quotes finds its variants)."""
        children = list(q.subqueries)
        out: list[query.Query] = []
        i = 0
        while i < len(children):
            for n in (MAX_PIECES, 2):
                run = children[i:i + n]
                words = [_bare_word(c) for c in run]
                if len(run) == n and all(words):
                    together = self._together([w for w in words if w])
                    if together is not None:
                        out.append(query.Or([query.And([self.widen(c) for c in run]), together]))
                        i += n
                        break
            else:
                out.append(self.widen(children[i]))
                i += 1
        return query.And(out, boost=q.boost)

    def _together(self, words: list[str]) -> query.Query | None:
        glossary, exact = self._glossary.forms_of(words)
        joined = joined_form(words, self._stem)
        groups = []
        for field in SEARCH_FIELDS:
            forms = [f for f in _bounded([(joined,), *glossary, *self._splits(field, glossary)])
                     if all(self.known(field, w) for w in f)]
            present = [e for e in exact if self.known(field, e[0])]
            if forms or present:
                groups.append(Spellings(field, forms, exact=present))
        if not groups:
            return None
        group = query.Or(groups)
        group.matcher_type = query.Or.DEFAULT_MATCHER
        return group


def _bare_word(q: query.Query) -> str | None:
    """The word of a query word as the parser makes it (one Term per searchable field)."""
    if isinstance(q, query.Term):
        return q.text if q.fieldname in SEARCH_FIELDS and isinstance(q.text, str) else None
    if isinstance(q, query.Or) and q.subqueries and all(
            isinstance(c, query.Term) and c.fieldname in SEARCH_FIELDS for c in q.subqueries):
        texts = {c.text for c in q.subqueries if isinstance(c, query.Term)}
        if len(texts) == 1:
            text = next(iter(texts))
            return text if isinstance(text, str) else None
    return None


def _bounded(forms: list[Form]) -> list[Form]:
    return list(dict.fromkeys(forms))[:MAX_FORMS]
