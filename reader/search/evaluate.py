"""A query's score for every matching document, worked out a block of postings at a time.

Whoosh walks a query's matcher tree once per matching document: for a common word at 3,000
episodes that is ~9,000 steps through unions of five fields, each step several Python calls
(two thirds of a search). The search shows the top 20 and the exact number of episodes, so
every match has to be scored anyway; here the leaves that are plain words (``Term``, a word's
``Spellings``) sum BM25F over their postings' blocks into a dict, and OR / AND / AND NOT
combine the dicts as Whoosh's union, intersection and exclusion matchers combine scores (a
union or an intersection scores the sum of its parts, its own boost unused, as in Whoosh).
Phrases (``AdjacentPhrase``) and prefixes, wildcards and fuzzy words (the words they
expand to) are scored the same way. Any other node (NOT on its own, a sloppy phrase, …) is
scored by its own Whoosh matcher,
document by document, so every query gives Whoosh's scores.
"""

from __future__ import annotations

from typing import Any

from whoosh import query

from reader.search.scoring import term_arrays, term_scores

Scores = dict[int, float]


def evaluate(q: query.Query, searcher: Any) -> Scores:
    """Every document matching ``q`` (global numbers) with its score."""
    context = searcher.context()
    out: Scores = {}
    for leaf, offset in searcher.leaf_searchers():
        scores = _scores(q, leaf, context)
        if offset:
            out.update({docnum + offset: score for docnum, score in scores.items()})
        else:
            out.update(scores)
    return out


def _scores(q: query.Query, leaf: Any, context: Any) -> Scores:
    """The scores of ``q`` in one segment, by its local document numbers."""
    bulk = getattr(q, "bulk_scores", None)
    if bulk is not None:
        return bulk(leaf, context)
    if type(q) is query.Term and _scorable(leaf, q.fieldname):
        return term_scores(leaf, q.fieldname, q.text, q.boost, context.weighting)
    if (isinstance(q, (query.Prefix, query.Wildcard, query.FuzzyTerm))
            and q.text not in ("*", ".*") and _scorable(leaf, q.fieldname)):
        return _expanded(q, leaf, context)
    if isinstance(q, query.Or) and not q.scale and q.subqueries:
        return _union([_scores(sub, leaf, context) for sub in q.subqueries])
    positive = [sub for sub in getattr(q, "subqueries", ()) if not isinstance(sub, query.Not)]
    if isinstance(q, query.And) and positive:
        found = _intersection([_scores(sub, leaf, context) for sub in positive])
        for sub in q.subqueries:
            if isinstance(sub, query.Not) and found:
                # Whoosh's inverse matcher: the documents without it, each scoring 1 more.
                for docnum in _documents(sub.query, leaf):
                    found.pop(docnum, None)
                found = {docnum: score + 1.0 for docnum, score in found.items()}
        return found
    if isinstance(q, query.AndNot):
        kept = _scores(q.a, leaf, context)
        if kept:
            for docnum in _documents(q.b, leaf):
                kept.pop(docnum, None)
        return kept
    if q is query.NullQuery:
        return {}
    return _matched(q, leaf, context)


def _expanded(q: query.MultiTerm, leaf: Any, context: Any) -> Scores:
    """A prefix, wildcard or fuzzy word: the words it expands to in this segment, scored as
    Whoosh's ``MultiTerm.matcher`` scores them. One word is that word's score. Several are an
    OR whose kind Whoosh picks by the segment: a tree of unions (two words, or a segment of
    over 5,000 documents) sums the words' scores; otherwise an array union gives each
    document 1 ("constant score", the default) or the sum times the boost."""
    field = q.fieldname
    words = [w for w in q._btexts(leaf.reader()) if w]
    out: Scores = {}
    if not words:
        return out
    if len(words) == 1:
        return term_scores(leaf, field, words[0], 1.0, context.weighting)
    tree = len(words) < query.Or.TOO_MANY_CLAUSES and (
        context.needs_current or len(words) == 2 or leaf.doc_count_all() > 5000)
    if not tree and q.constantscore:
        for word in words:
            out.update(dict.fromkeys(term_arrays(leaf.reader(), field, word)[0].tolist(), 1.0))
        return out
    for word in words:
        term_scores(leaf, field, word, 1.0, context.weighting, out)
    if not tree and q.boost != 1.0:
        return {docnum: score * q.boost for docnum, score in out.items()}
    return out


def _scorable(leaf: Any, field: str) -> bool:
    return field in leaf.schema and bool(leaf.schema[field].scorable)


def _union(parts: list[Scores]) -> Scores:
    parts.sort(key=len, reverse=True)
    out = parts[0]
    get = out.get
    for part in parts[1:]:
        for docnum, score in part.items():
            out[docnum] = get(docnum, 0.0) + score
    return out


def _intersection(parts: list[Scores]) -> Scores:
    parts.sort(key=len)
    common = set(parts[0])
    for part in parts[1:]:
        common.intersection_update(part)
        if not common:
            return {}
    return {docnum: sum(part[docnum] for part in parts) for docnum in common}


def _documents(q: query.Query, leaf: Any) -> set[int]:
    """The documents ``q`` matches in one segment, unscored (the NOT side of AND NOT)."""
    if type(q) is query.Term:
        return set(term_arrays(leaf.reader(), q.fieldname, q.text)[0].tolist())
    if isinstance(q, query.Or) and q.subqueries:
        out: set[int] = set()
        for sub in q.subqueries:
            out |= _documents(sub, leaf)
        return out
    if hasattr(q, "bulk_scores"):
        return set(_scores(q, leaf, leaf.context()))
    m = q.matcher(leaf, leaf.boolean_context())
    return set(m.all_ids()) if m.is_active() else set()


def _matched(q: query.Query, leaf: Any, context: Any) -> Scores:
    """Any query, scored by its own matcher."""
    m = q.matcher(leaf, context)
    out: Scores = {}
    while m.is_active():
        out[m.id()] = m.score()
        m.next()
    return out
