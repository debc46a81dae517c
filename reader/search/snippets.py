"""Hit ranges and ~30-word snippets.

Transcript hits come from the positions in the index and the transcript's word table stored
beside them (no re-analysis of 60 KB: ~0.1 ms per term instead of 20-40 ms). Titles and
annotations are a few hundred bytes, so their hits are found by analysing the stored text.
Whoosh's own Highlighter is not used: its fragmenters stop at 32 KB by default and its
formatters produce markup, where the view wants plain text plus ranges.
"""

from __future__ import annotations

import bisect
import fnmatch
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

from whoosh.reading import IndexReader, TermNotFound
from whoosh.searching import Searcher

from reader.search.analysis import DutchAnalyzer, WordTable, fold
from reader.search.model import Snippet
from reader.search.querying import Highlighting, within

Hit = tuple[int, int, str]  # start, end, term (which term hit: distinct terms rank higher)
EXACT = "="  # a Hit's term for an exact word: "=" + the word

SNIPPET_CHARS = 200
# How querying.text_highlighting writes a fuzzy term: text~maxdist/prefixlength.
_FUZZY_PATTERN = re.compile(r"(.+)~(\d+)/(\d+)")  # ~30 Dutch words of ~6.5 characters with their spaces


def index_hits(searcher: Searcher, field: str, docnums: Iterable[int], hl: Highlighting
               ) -> dict[int, list[Hit]]:
    """Hits of ``hl`` in each of ``docnums``, read from the stored positions and word
    tables. One forward walk per term and segment serves all the documents."""
    leaves = searcher.leaf_searchers()
    offsets = [offset for _, offset in leaves]
    by_leaf: dict[int, list[int]] = {}
    for docnum in docnums:
        by_leaf.setdefault(bisect.bisect_right(offsets, docnum) - 1, []).append(docnum)
    found: dict[int, list[Hit]] = {}
    for leaf_index, wanted in by_leaf.items():
        leaf, offset = leaves[leaf_index]
        locals_ = sorted(d - offset for d in wanted)
        per_term = {t: _postings(leaf.reader(), field, t, locals_)
                    for t in hl.terms | {w for p in hl.phrases for w in p}
                    | {stem for stem, _ in hl.exact}}
        for local in locals_:
            hits: list[Hit] = []
            for term in hl.terms:
                hits.extend((s, e, term) for _, s, e in per_term[term].get(local, ()))
            for stem, word in hl.exact:  # checked against the text by ``verified``
                hits.extend((s, e, EXACT + word) for _, s, e in per_term[stem].get(local, ()))
            for phrase in hl.phrases:
                spans = [{p: (s, e) for p, s, e in per_term[w].get(local, ())} for w in phrase]
                last = len(phrase) - 1
                for pos in spans[0]:
                    if all(pos + k in spans[k] for k in range(1, len(phrase))):
                        # The phrase is one hit, its words and what stands between them.
                        hits.append((spans[0][pos][0], spans[last][pos + last][1],
                                     " ".join(phrase)))
            hits.sort()
            found[local + offset] = hits
    return found


def verified(hits: Sequence[Hit], text: str) -> list[Hit]:
    """``hits`` without the exact-word hits whose text is another word of the same stem."""
    return [h for h in hits
            if not h[2].startswith(EXACT) or fold(text[h[0]:h[1]]) == h[2][len(EXACT):]]


_TABLES_KEPT = 64  # decoded word tables (~100 KB each for a 60 KB transcript)
_tables: OrderedDict[tuple[str, int], WordTable] = OrderedDict()
_tables_lock = threading.Lock()


_columns: weakref.WeakKeyDictionary[IndexReader, Any] = weakref.WeakKeyDictionary()


def _words_column(reader: IndexReader) -> Any:
    """The segment's column of word tables, opened once per segment reader: opening it reads
    the lengths of every document's table and sums them (a Python step per document)."""
    with _tables_lock:
        if reader in _columns:
            return _columns[reader]
    column = (reader.column_reader("words", translate=False) if reader.has_column("words")
              else None)
    with _tables_lock:
        _columns[reader] = column
    return column


def table_of(reader: IndexReader, local: int) -> WordTable | None:
    """The transcript's word table of document ``local`` of a segment's reader; the last few
    are kept decoded (a typing user asks about the same top documents at every pause)."""
    segment = reader.segment() if hasattr(reader, "segment") else None
    key = (segment.segment_id() if segment is not None else "", local)
    with _tables_lock:
        table = _tables.get(key) if segment is not None else None
        if table is not None:
            _tables.move_to_end(key)
            return table
    column = _words_column(reader)
    data = column[local] if column is not None else b""
    if not data:
        return None
    table = WordTable(data)
    if segment is not None:
        with _tables_lock:
            _tables[key] = table
            while len(_tables) > _TABLES_KEPT:
                _tables.popitem(last=False)
    return table


def _postings(reader: IndexReader, field: str, term: str, locals_: list[int]
              ) -> dict[int, list[tuple[int, int, int]]]:
    """(position, start, end) of ``term`` in each of the sorted local ``locals_``."""
    try:
        m = reader.postings(field, term)
    except TermNotFound:
        return {}
    out: dict[int, list[tuple[int, int, int]]] = {}
    for local in locals_:
        if not m.is_active():
            break
        m.skip_to(local)
        if m.is_active() and m.id() == local:
            table = table_of(reader, local)
            if table is not None:
                out[local] = table.spans(m.value_as("positions"))
    return out


def _term_matches(pattern: str, term: str) -> bool:
    fuzzy = _FUZZY_PATTERN.fullmatch(pattern)
    if fuzzy:
        text, n = fuzzy.group(1), int(fuzzy.group(3))
        return term[:n] == text[:n] and within(text, term, int(fuzzy.group(2)))
    if "*" in pattern or "?" in pattern:
        return fnmatch.fnmatchcase(term, pattern)
    return term == pattern


def text_hits(analyzer: DutchAnalyzer, text: str, hl: Highlighting) -> list[Hit]:
    """Hits of ``hl`` in a short text, by analysing it (titles, notes, comments)."""
    spans = list(analyzer.spans(text))
    hits: list[Hit] = [(s, e, t) for t, s, e in spans
                       if any(_term_matches(p, t) for p in hl.terms)]
    exact = {word for _, word in hl.exact}
    hits += [(s, e, EXACT + fold(text[s:e])) for _, s, e in spans if fold(text[s:e]) in exact]
    for phrase in hl.phrases:
        n = len(phrase)
        for i in range(len(spans) - n + 1):
            if all(spans[i + k][0] == phrase[k] for k in range(n)):
                hits.append((spans[i][1], spans[i + n - 1][2], " ".join(phrase)))
    return sorted(set(hits))


def _best_cluster(hits: Sequence[Hit]) -> tuple[int, int]:
    """Indices [i, j) of the run of hits within one snippet's width that has the most distinct
    terms, then the most hits; the earliest wins a tie. One sliding pass."""
    width = SNIPPET_CHARS * 3 // 4
    counts: dict[str, int] = {}
    best = (0, 0, 0, min(1, len(hits)))
    j = 0
    for i, (start, _, term) in enumerate(hits):
        while j < len(hits) and (j == i or hits[j][1] - start <= width):
            counts[hits[j][2]] = counts.get(hits[j][2], 0) + 1
            j += 1
        if (len(counts), j - i) > best[:2]:
            best = (len(counts), j - i, i, j)
        counts[term] -= 1
        if not counts[term]:
            del counts[term]
    return best[2], best[3]


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    pad = max(30, (SNIPPET_CHARS - (end - start)) // 2)
    a = max(0, start - pad)
    b = min(len(text), end + pad)
    if a > 0:
        space = text.find(" ", a, start)
        a = space + 1 if space >= 0 else a
    if b < len(text):
        space = text.rfind(" ", end, b)
        b = space if space >= 0 else b
    return a, b


def snippets_from_hits(field: str, text: str, hits: Sequence[Hit], *, count: int = 1,
                       offset_known: bool = True, highlight_id: int | None = None
                       ) -> list[Snippet]:
    """Up to ``count`` non-overlapping snippets, best first."""
    result: list[Snippet] = []
    remaining = list(hits)
    while remaining and len(result) < count:
        i, j = _best_cluster(remaining)
        a, b = _window(text, remaining[i][0], remaining[j - 1][1])
        ranges = tuple((s - a, e - a) for s, e, _ in hits if a <= s and e <= b)
        result.append(Snippet(field, text[a:b], ranges, a if offset_known else -1,
                              highlight_id))
        remaining = [h for h in remaining if h[1] <= a or h[0] >= b]
    return result


def best_hit_offset(hits: Sequence[Hit]) -> int:
    if not hits:
        return -1
    i, _ = _best_cluster(hits)
    return hits[i][0]

