"""From what the user typed to a Whoosh query, and from a query to the terms it highlights.

The parser understands words (all must match), "phrases", OR / NOT, prefix*, fuzzy~ and the
fields title:, notes:, takeaways:, comment:. Anything that is not sensible syntax is searched as
its plain words, so typing never raises and never turns into a match-everything query.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh import qparser, query
from whoosh.fields import Schema
from whoosh.qparser import FieldAliasPlugin, FuzzyTermPlugin, MultifieldParser
from whoosh.reading import IndexReader

from reader.search.analysis import WORD, DutchAnalyzer
from reader.search.schema import SEARCH_FIELDS
from reader.search.spellings import Spellings

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
                         "‘": "'", "’": "'", "‚": "'", "‛": "'"})
# A fixed prefix keeps fuzzy expansion to the terms that share it: ~10 ms, not ~700 ms.
FUZZY_PREFIX = 2
FUZZY_MAX_DIST = 2
LONG_STEM = 6
# Prefix/wildcard needs this many literal characters before the first wildcard.
MIN_LITERAL = 2
_WILDCARD_HEAD = re.compile(r"^[^*?]*")


def make_parser(schema: Schema) -> MultifieldParser:
    parser = MultifieldParser(list(SEARCH_FIELDS), schema, group=qparser.AndGroup)
    # 'single quotes' clash with Dutch apostrophes (zo'n, auto's); ranges and boosts mean
    # nothing here; a bare * would match every document.
    for plugin in (qparser.SingleQuotePlugin, qparser.RangePlugin, qparser.EveryPlugin,
                   qparser.BoostPlugin):
        parser.remove_plugin_class(plugin)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(FieldAliasPlugin({"comments": ["comment"], "takeaways": ["takeaway"]}))
    return parser


def normalise(text: str) -> str:
    return text.translate(_QUOTES).strip()


def plain_query(text: str, analyzer: DutchAnalyzer) -> query.Query:
    """Every word must match, in any searchable field."""
    terms = list(dict.fromkeys(analyzer.stem(w) for w in WORD.findall(text)))
    if not terms:
        return query.NullQuery
    return prefer_unions(
        query.And([query.Or([query.Term(f, t) for f in SEARCH_FIELDS]) for t in terms]))


def parse(parser: MultifieldParser, analyzer: DutchAnalyzer, text: str) -> query.Query:
    text = normalise(text)
    if text.count('"') % 2 or text.count("(") != text.count(")"):
        return plain_query(text, analyzer)
    try:
        parsed = parser.parse(text)
    except Exception:
        return plain_query(text, analyzer)
    parsed = _tighten_fuzzy(parsed, explicit_one="~1" in text)
    if parsed is query.NullQuery or not _sensible(parsed):
        return plain_query(text, analyzer)
    return prefer_unions(parsed)


def prefer_unions(q: query.Query) -> query.Query:
    """Make every OR a tree of union matchers. For small segments Whoosh otherwise picks an
    array matcher that allocates and clears a 2,048-slot array per OR and segment: over half of
    a search's time with one OR per word across five fields."""
    if isinstance(q, query.Or):
        q.matcher_type = query.Or.DEFAULT_MATCHER
    for child in q.children():
        prefer_unions(child)
    return q


def _tighten_fuzzy(q: query.Query, explicit_one: bool) -> query.Query:
    def fix(node: query.Query) -> query.Query:
        if isinstance(node, query.FuzzyTerm):
            if len(node.text) <= FUZZY_PREFIX:
                return query.Term(node.fieldname, node.text, boost=node.boost)
            maxdist = node.maxdist
            if maxdist == 1 and not explicit_one and len(node.text) >= LONG_STEM:
                # Stemming widens a typo: "kunstmatge" stems to "kunstmatg", two edits
                # from "kunstmaat" (kunstmatige). One edit is too strict for long words.
                maxdist = 2
            return query.FuzzyTerm(node.fieldname, node.text, boost=node.boost,
                                   maxdist=min(maxdist, FUZZY_MAX_DIST),
                                   prefixlength=max(node.prefixlength, FUZZY_PREFIX))
        return node.apply(fix)
    return fix(q)


def _sensible(q: query.Query) -> bool:
    """False for match-everything or pure-negative queries and wildcards without a stem."""
    if isinstance(q, query.Not):
        return False
    if isinstance(q, query.Every):
        return False
    if isinstance(q, (query.Prefix, query.Wildcard)):
        return len(_WILDCARD_HEAD.match(q.text).group()) >= MIN_LITERAL  # type: ignore[union-attr]
    if isinstance(q, query.And):
        children = [c for c in q.subqueries if not isinstance(c, query.Not)]
        return bool(children) and all(_sensible(c) for c in children) and all(
            _sensible(c.query) for c in q.subqueries if isinstance(c, query.Not))
    if isinstance(q, query.compound.CompoundQuery):
        return bool(q.subqueries) and all(_sensible(c) for c in q.subqueries)
    if isinstance(q, query.AndNot):
        return _sensible(q.a) and _sensible(q.b)
    return all(_sensible(c) for c in q.children())


def expand_fuzzy(q: query.Query, reader: IndexReader) -> query.Query:
    """Replace each fuzzy term by the indexed terms within its distance, looked up once.

    Whoosh builds a Levenshtein automaton per segment for every FuzzyTerm; for a 12-letter word
    at distance 2 that is ~15 ms a segment, 250+ ms a query. Here the candidates are the terms
    sharing the fixed prefix and of a near length, checked with a bounded edit distance."""
    def fix(node: query.Query) -> query.Query:
        if not isinstance(node, query.FuzzyTerm):
            return node.apply(fix) if not node.is_leaf() else node
        head = node.text[:node.prefixlength]
        words = []
        for btext in reader.expand_prefix(node.fieldname, head):
            word = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            if abs(len(word) - len(node.text)) <= node.maxdist and within(
                    node.text, word, node.maxdist):
                words.append(word)
        if not words:
            return query.NullQuery
        expanded = query.Or([query.Term(node.fieldname, w, boost=node.boost) for w in words])
        expanded.matcher_type = query.Or.DEFAULT_MATCHER
        return expanded
    return fix(q).normalize()


def within(a: str, b: str, limit: int) -> bool:
    """Whether the edit distance of ``a`` and ``b`` is at most ``limit``."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


@dataclass(frozen=True)
class Highlighting:
    """What to mark for one field: single terms, phrases (word sequences) to mark only
    where the words stand together, and exact words ((stem, word): where the word is written
    so, not every word of its stem; see spellings.GlossaryForms)."""

    terms: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    exact: frozenset[tuple[str, str]] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases or self.exact)


def _positive_leaves(q: query.Query) -> Iterator[query.Query]:
    if isinstance(q, query.Not):
        return
    if isinstance(q, query.AndNot):
        yield from _positive_leaves(q.a)
        return
    if q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from _positive_leaves(child)


def highlighting(q: query.Query, reader: IndexReader, field: str) -> Highlighting:
    """The terms of ``q`` in ``field`` as they exist in the index, with prefix, wildcard and
    fuzzy terms expanded to the words they matched."""
    terms: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    exact: set[tuple[str, str]] = set()
    for leaf in _positive_leaves(q):
        if getattr(leaf, "fieldname", None) != field:
            continue
        if isinstance(leaf, Spellings):
            _add_forms(leaf, terms, phrases, exact)
        elif isinstance(leaf, query.Phrase):
            if len(leaf.words) == 1:
                terms.add(leaf.words[0])
            else:
                phrases.append(tuple(leaf.words))
        elif isinstance(leaf, query.Term):
            terms.add(leaf.text)
        else:
            for _, btext in leaf.existing_terms(reader, expand=True):
                terms.add(btext.decode("utf-8") if isinstance(btext, bytes) else btext)
    return Highlighting(frozenset(terms), tuple(phrases), frozenset(exact))


def _add_forms(leaf: Spellings, terms: set[str], phrases: list[tuple[str, ...]],
               exact: set[tuple[str, str]]) -> None:
    for form in leaf.forms:
        if len(form) == 1:
            terms.add(form[0])
        elif form not in phrases:
            phrases.append(form)
    exact.update(leaf.exact)


def text_highlighting(q: query.Query, field: str) -> Highlighting:
    """Like ``highlighting`` without an index: prefix and fuzzy leaves are kept as patterns
    (for small stored texts such as notes and titles)."""
    terms: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    exact: set[tuple[str, str]] = set()
    for leaf in _positive_leaves(q):
        if getattr(leaf, "fieldname", None) != field:
            continue
        if isinstance(leaf, Spellings):
            _add_forms(leaf, terms, phrases, exact)
        elif isinstance(leaf, query.Phrase):
            phrases.append(tuple(leaf.words))
        elif isinstance(leaf, query.Term):
            terms.add(leaf.text)
        elif isinstance(leaf, query.Prefix):
            terms.add(leaf.text + "*")
        elif isinstance(leaf, query.FuzzyTerm):
            terms.add(f"{leaf.text}~{leaf.maxdist}/{leaf.prefixlength}")
        elif isinstance(leaf, query.Wildcard):
            terms.add(leaf.text)
    return Highlighting(frozenset(terms), tuple(phrases), frozenset(exact))
