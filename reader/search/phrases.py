"""Phrases matched from the words' positions, not from span objects.

Whoosh matches a phrase by building a span object for every occurrence of every word in every
document that holds all of them, then looking for neighbours with binary searches: at 3,000
episodes, "open source" took 265 ms, nine tenths of it in that (bench_search.py's slowest
query). Here a document's phrase matches are the positions ``p`` where word ``k`` of the phrase
stands at ``p + k``, found with one set per word. Same documents, same matches, same count of
matches (which the glossary's ranking reads); the spans made are only those of the matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from whoosh import matching, query
from whoosh.query import qcore
from whoosh.query.spans import Span, SpanNear2

from reader.search.scoring import position_keys, term_scores


class _Adjacent(SpanNear2):
    """The words right after one another, in order (SpanNear2 with slop 1)."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        ms = [q.matcher(searcher, context) for q in self.qs]
        return self.AdjacentMatcher(ms, slop=1, ordered=True, mindist=1)

    class AdjacentMatcher(SpanNear2.SpanNear2Matcher):
        def _get_spans(self) -> list[Span]:
            starts = self.ms[0].value_as("positions")
            for k, m in enumerate(self.ms[1:], start=1):
                later = set(m.value_as("positions"))
                starts = [p for p in starts if p + k in later]
                if not starts:
                    return []
            last = len(self.ms) - 1
            return [Span(p, p + last) for p in starts]


class AdjacentPhrase(query.Phrase):
    """``query.Phrase`` with slop 1 (what a typed "phrase" is), matched by ``_Adjacent``."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if self.slop != 1 or len(self.words) < 2:
            return super().matcher(searcher, context)
        field = searcher.schema[self.fieldname] if self.fieldname in searcher.schema else None
        if field is None:
            return matching.NullMatcher()
        if not field.format or not field.format.supports("positions"):
            raise qcore.QueryError(f"Phrase search: {self.fieldname!r} field has no positions")
        reader = searcher.reader()
        terms = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (self.fieldname, word) not in reader:
                return matching.NullMatcher()
            terms.append(query.Term(self.fieldname, word))
        m = _Adjacent(terms, slop=1, ordered=True, mindist=1).matcher(searcher, context)
        return matching.WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


    def bulk_scores(self, searcher: Any, context: Any = None) -> dict[int, float]:
        """The documents of one segment where the words stand in order, with Whoosh's score
        for them (the sum of the words' scores, times the boost), from the postings read a
        block at a time (reader.search.evaluate): a common phrase's words are in every
        document, and stepping Whoosh's matchers through them was most of its search."""
        field = self.fieldname
        weighting = getattr(context, "weighting", None) or searcher.weighting
        if (self.slop != 1 or len(self.words) < 2 or field not in searcher.schema
                or not searcher.schema[field].scorable):
            m = self.matcher(searcher, context)
            out = {}
            while m.is_active():
                out[m.id()] = m.score()
                m.next()
            return out
        parts = []
        for word in self.words:
            part = term_scores(searcher, field, word, 1.0, weighting)
            if not part:
                return {}
            parts.append(part)
        common = set(parts[0]).intersection(*parts[1:])
        counts = phrase_counts(searcher.reader(), field, self.words, common)
        return {docnum: sum(part[docnum] for part in parts) * self.boost for docnum in counts}


def phrase_counts(reader: Any, field: str, words: Sequence[str], docs: set[int] | None = None
                  ) -> dict[int, int]:
    """In how many places ``words`` stand one after another in each document of one
    segment's reader that holds them (only those among ``docs`` when given): the places of
    the k-th word moved back by k, met with the first word's (``scoring.position_keys``)."""
    if docs is not None and not docs:
        return {}
    keys = position_keys(reader, field, words[0])
    for k, word in enumerate(words[1:], start=1):
        if not len(keys):
            return {}
        keys = keys[np.isin(keys, position_keys(reader, field, word, k), assume_unique=True)]
    found, counts = np.unique(keys >> 32, return_counts=True)
    if docs is None:
        deleted = reader.is_deleted if reader.has_deletions() else None
        return {d: c for d, c in zip(found.tolist(), counts.tolist(), strict=True)
                if deleted is None or not deleted(d)}
    return {d: c for d, c in zip(found.tolist(), counts.tolist(), strict=True) if d in docs}


def adjacent_phrases(q: query.Query) -> query.Query:
    """``q`` with every plain slop-1 phrase matched by ``AdjacentPhrase`` (a copy where one changed)."""
    if type(q) is query.Phrase:
        return AdjacentPhrase(q.fieldname, list(q.words), slop=q.slop, boost=q.boost,
                              char_ranges=q.char_ranges)
    if q.is_leaf():
        return q
    return q.apply(adjacent_phrases)
