"""SearchIndex: the one object the library facade talks to.

Threads: any thread may call the read methods (search, hits, find_ranges, more_like_this);
they share one searcher under a lock. Write methods (add_or_update, update_annotations,
delete, rebuild, merge) belong on the single write executor; across threads and processes the
index's own write lock keeps one writer at a time, and a second writer waits up to
``WRITE_TIMEOUT`` seconds before raising ``IndexUnavailable``.
"""

from __future__ import annotations

import bisect
import heapq
import math
import pickle
import re
import struct
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from whoosh import query
from whoosh.index import EmptyIndexError, FileIndex
from whoosh.reading import IndexReader, MultiReader, SegmentReader, TermNotFound
from whoosh.searching import Searcher

from reader.core.glossary import Glossary
from reader.search import snippets as snip
from reader.search.analysis import WORD, DutchAnalyzer, FormsByStem, fold, forms_by_stem, phrase_ranges
from reader.search.evaluate import evaluate
from reader.search.in_text import TextWords, find_spellings
from reader.search.model import (
    AnnotationDoc,
    IndexDoc,
    IndexUnavailable,
    SearchResult,
    SearchResults,
    Snippet,
)
from reader.search.phrases import adjacent_phrases
from reader.search.querying import (
    Highlighting,
    expand_fuzzy,
    highlighting,
    make_parser,
    parse,
    prefer_unions,
    text_highlighting,
)
from reader.search.rebuild import run_rebuild
from reader.search.schema import (
    ANNOTATION_KIND,
    TRANSCRIPT_KIND,
    analyzer_of,
    annotation_fields,
    annotation_key,
    build_schema,
    stored_annotation,
    stored_text,
    transcript_fields,
    transcript_key,
)
from reader.search.scoring import SegmentBM25F, bulk_or, doc_frequency
from reader.search.spellings import Spellings, Widener
from reader.search.storage import merge_small, open_or_create, writing
from reader.search.suggest import Suggestion, Vocabulary, suggest

NO_GLOSSARY = Glossary()
WEIGHTING = SegmentBM25F()

# Key terms a more-like-this query is built from.
MLT_TERMS = 12
FORMS_KEPT = 4  # transcripts whose word forms and words find-in-episode keeps
OPEN_ATTEMPTS = 3  # tries at opening the latest generation while others commit


def outermost(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ``ranges`` without those inside another: a word of the query that is also
    part of a phrase hit there ("open" in "open source") is not a hit of its own."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(ranges, key=lambda r: (r[0], -r[1])):
        if kept and end <= kept[-1][1]:
            continue
        kept.append((start, end))
    return kept


def _leaf_of(searcher: Searcher, docnum: int) -> tuple[IndexReader, int]:
    """The segment reader holding global document ``docnum``, and its number there."""
    leaves = searcher.leaf_searchers()
    at = bisect.bisect_right([offset for _, offset in leaves], docnum) - 1
    leaf, offset = leaves[at]
    return leaf.reader(), docnum - offset


class SearchIndex:
    def __init__(self, directory: Path, ix: FileIndex, needs_rebuild: bool) -> None:
        self.directory = directory
        self.needs_rebuild = needs_rebuild
        self._ix = ix
        # Whoosh's ``ix.schema`` re-reads the table of contents, which a commit in another
        # process may delete under us; the index on disk is verified to have this schema.
        schema = build_schema()
        self._analyzer: DutchAnalyzer = analyzer_of(schema)
        self._parser = make_parser(schema)
        self._lock = threading.RLock()
        self._searcher: Searcher | None = None
        # Per searcher generation: annotation docnum -> transcript docnum of the same episode.
        self._pairs: tuple[Searcher, dict[int, int | None]] | None = None
        # Find-as-you-type asks about the same transcript at every pause: its word forms are
        # kept for the last few transcripts (600 KB: a find 33 -> 14 ms median).
        self._forms: dict[str, tuple[FormsByStem, TextWords]] = {}
        # Where the exact glossary words stand, for the current searcher (_check_exact).
        self._exact: tuple[Searcher, dict[tuple[str, str], dict[int, int]]] | None = None
        # The document frequencies the spellings asked of the current searcher (see Widener).
        self._frequencies: tuple[Searcher, dict[tuple[str, str], int]] | None = None
        self._vocab: tuple[tuple[str, ...], Vocabulary] | None = None

    @classmethod
    def open(cls, directory: Path) -> SearchIndex:
        """Open the index in ``directory``; a missing, damaged or foreign one is replaced by an
        empty index with ``needs_rebuild`` set. Never raises for those."""
        directory = Path(directory)
        ix, needs_rebuild = open_or_create(directory)
        return cls(directory, ix, needs_rebuild)

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._pairs = None

    # -- reading -------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[Searcher]:
        with self._lock:
            try:
                yield self._current_searcher()
            except (OSError, EOFError, struct.error, pickle.UnpicklingError,
                    EmptyIndexError) as exc:
                # The manifest is checked on open; this is damage done while we were running.
                self.needs_rebuild = True
                raise IndexUnavailable(f"the search index is damaged ({exc}); rebuild it") from exc

    def _current_searcher(self) -> Searcher:
        """A searcher on the latest generation. Another process committing at the same moment
        may delete the generation we were opening; then the next one is opened instead."""
        attempts_left = OPEN_ATTEMPTS
        while True:
            try:
                if self._searcher is None:
                    self._searcher = self._ix.searcher(weighting=WEIGHTING)
                elif not self._searcher.up_to_date():
                    self._searcher = self._fresh_searcher(self._searcher)
                return self._searcher
            except FileNotFoundError:
                attempts_left -= 1
                if not attempts_left:
                    raise

    def _fresh_searcher(self, old: Searcher) -> Searcher:
        """A searcher on the current generation that keeps the readers of unchanged segments.

        Whoosh's own ``refresh`` reuses a segment's reader even when the segment gained
        deletions, and keeps segments that a merge removed; so reuse is decided here, on the
        segment id and its set of deleted documents."""
        toc = self._ix._read_toc()
        reusable: dict[tuple[str, frozenset[int]], IndexReader] = {}
        for reader, _ in old.reader().leaf_readers():
            segment = reader.segment()
            if segment is not None:
                reusable[(segment.segment_id(), frozenset(segment.deleted_docs()))] = reader
        readers = []
        for segment in toc.segments:
            key = (segment.segment_id(), frozenset(segment.deleted_docs()))
            reader = reusable.pop(key, None)
            readers.append(reader if reader is not None else SegmentReader(
                self._ix.storage, toc.schema, segment, generation=toc.generation))
        for reader in reusable.values():
            reader.close()
        if not readers:
            return self._ix.searcher(weighting=WEIGHTING)
        combined = readers[0] if len(readers) == 1 else MultiReader(
            readers, generation=toc.generation)
        return Searcher(combined, fromindex=self._ix, weighting=WEIGHTING)

    def search(self, query_text: str, limit: int = 20, *,
               transcript_of: Callable[[str], str],
               glossary: Glossary = NO_GLOSSARY,
               transcripts_of: Callable[[list[str]], dict[str, str]] | None = None
               ) -> SearchResults:
        """The top ``limit`` episodes for ``query_text`` with snippets; the transcripts the
        snippets are cut from come from ``transcripts_of`` (all shown episodes in one call,
        one round trip to a server) when given, else ``transcript_of`` one by one."""
        q = parse(self._parser, self._analyzer, query_text)
        if q is query.NullQuery or limit <= 0:
            return SearchResults(query_text, 0, ())
        with self._reading() as searcher:
            q = self._widened(q, searcher, glossary)
            if q is query.NullQuery:
                return SearchResults(query_text, 0, (), self._did_you_mean(query_text, searcher,
                                                                             transcript_of))
            self._check_exact(q, searcher, transcript_of)
            q = prefer_unions(adjacent_phrases(q))  # phrases from positions (reader.search.phrases)
            scores = evaluate(q, searcher)
            # An episode whose transcript and annotations both match counts once.
            total = len(scores) - sum(1 for a, t in self._annotation_pairs(searcher).items()
                                      if a in scores and t in scores)
            # Each episode has at most two documents, so the top 2×limit documents hold the
            # top `limit` episodes; equal scores in document order, as Whoosh ranks them.
            found = heapq.nsmallest(limit * 2, scores.items(), key=lambda kv: (-kv[1], kv[0]))
            by_episode: dict[str, list[tuple[int, float, dict]]] = {}
            for docnum, score in found:
                fields = searcher.stored_fields(docnum)
                by_episode.setdefault(fields["episode_id"], []).append((docnum, score, fields))
            ranked = sorted(by_episode.items(), key=lambda kv: -sum(s for _, s, _ in kv[1]))
            transcript_hl = highlighting(q, searcher.reader(), "transcript")
            top = ranked[:limit]
            transcript_docs = [d for _, docs in top for d, _, f in docs
                               if f["kind"] == TRANSCRIPT_KIND]
            hits = (snip.index_hits(searcher, "transcript", transcript_docs, transcript_hl)
                    if transcript_hl else {})
            known = (transcripts_of([episode_id for episode_id, _ in top])
                     if transcripts_of is not None and top else {})

            def shown_transcript(episode_id: str) -> str:
                text = known.get(episode_id)
                return text if text is not None else transcript_of(episode_id)

            results = tuple(self._result(q, hits, episode_id, docs, shown_transcript)
                            for episode_id, docs in top)
            if not total:
                return SearchResults(query_text, 0, (), self._did_you_mean(query_text, searcher,
                                                                             transcript_of))
        return SearchResults(query_text, total, results)

    # -- the vocabulary: did you mean, spelling suggestions ---------------------------------

    def _vocabulary(self, searcher: Searcher) -> Vocabulary:
        """The transcripts' words (index terms), made once per index state (~0.2 s for
        100k words) and kept while the transcripts' segments stay the same."""
        segments = tuple(sorted(
            r.segment().segment_id() for r, _ in searcher.reader().leaf_readers()
            if r.segment() is not None))
        if self._vocab is None or self._vocab[0] != segments:
            terms = [t.decode("utf-8") if isinstance(t, bytes) else t
                     for t in searcher.reader().lexicon("transcript")]
            self._vocab = (segments, Vocabulary([t for t in terms if not t.isdigit()]))
        return self._vocab[1]

    @staticmethod
    def _together(searcher: Searcher, sequences: list[tuple[str, ...]]
                  ) -> dict[tuple[str, ...], tuple[int, tuple[str, ...]]]:
        """Which of the word sequences (index terms) stand together in the transcripts, with
        their count and episodes. Each term's positions are read once, for all sequences."""
        field = "transcript"
        reader = searcher.reader()
        wanted = {w for seq in sequences for w in seq if (field, w) in reader}
        positions: dict[str, dict[int, set[int]]] = {}
        for term in wanted:
            m = reader.postings(field, term)
            places: dict[int, set[int]] = {}
            while m.is_active():
                places[m.id()] = set(m.value_as("positions"))
                m.next()
            positions[term] = places
        episode_of: dict[int, str] = {}
        out: dict[tuple[str, ...], tuple[int, tuple[str, ...]]] = {}
        for seq in sequences:
            if not all(w in positions for w in seq):
                continue
            docs = set(positions[seq[0]])
            for w in seq[1:]:
                docs &= positions[w].keys()
            count = 0
            episodes = []
            for doc in sorted(docs):
                n = sum(1 for p in positions[seq[0]][doc]
                        if all(p + k in positions[w][doc] for k, w in enumerate(seq[1:], 1)))
                if n:
                    count += n
                    if doc not in episode_of:
                        episode_of[doc] = searcher.stored_fields(doc)["episode_id"]
                    episodes.append(episode_of[doc])
            if count:
                out[seq] = (count, tuple(episodes))
        return out

    def _written(self, searcher: Searcher, words: Sequence[str],
                 transcript_of: Callable[[str], str]) -> str:
        """The first place the index terms ``words`` stand together, as the transcript
        writes it (lower case), or ""."""
        field = "transcript"
        if any((field, w) not in searcher.reader() for w in words):
            return ""
        leaf = query.Term(field, words[0]) if len(words) == 1 else query.Phrase(field, list(words))
        for sub, offset in searcher.leaf_searchers():
            m = leaf.matcher(sub)
            if m.is_active():
                first = m.id() + offset
                hl = Highlighting(frozenset(words) if len(words) == 1 else frozenset(),
                                  () if len(words) == 1 else (tuple(words),))
                hits = snip.index_hits(searcher, field, [first], hl).get(first, [])
                if hits:
                    text = transcript_of(searcher.stored_fields(first)["episode_id"])
                    return " ".join(text[hits[0][0]:hits[0][1]].lower().split())
        return ""

    def _did_you_mean(self, query_text: str, searcher: Searcher,
                      transcript_of: Callable[[str], str]) -> tuple[str, ...]:
        """The query with each word the library lacks replaced by the nearest words it has
        (at most two edits; one for words of four letters or fewer)."""
        vocabulary = self._vocabulary(searcher)
        reader = searcher.reader()
        words = [m for m in WORD.finditer(query_text) if m.group() not in ("AND", "OR", "NOT")]
        options: list[tuple[re.Match[str], list[str]]] = []
        for m in words:
            stem = self._analyzer.stem(m.group())
            if any((f, stem) in reader for f in ("transcript", "title")):
                continue
            near = vocabulary.nearest(stem, 3, 1 if len(stem) <= 4 else 2)
            if near:
                options.append((m, [self._written(searcher, (n,), transcript_of) or n
                                    for n in near]))
        if not options:
            return ()
        out = []
        for choice in range(3):
            text = query_text
            for m, near in reversed(options):
                word = near[min(choice, len(near) - 1)]
                text = text[:m.start()] + word + text[m.end():]
            out.append(text)
        return tuple(dict.fromkeys(out))

    def suggest_spellings(self, term: str, *, transcript_of: Callable[[str], str],
                          glossary: Glossary = NO_GLOSSARY, limit: int = 10) -> list[Suggestion]:
        """Word sequences of the transcripts that may be mishearings of ``term``."""
        with self._reading() as searcher:
            vocabulary = self._vocabulary(searcher)
            entry = glossary.entry_for(term)

            def known(text: str) -> bool:
                return entry is not None and glossary.entry_for(text) is entry

            return suggest(term, vocabulary, lambda seqs: self._together(searcher, seqs),
                           lambda words: self._written(searcher, words, transcript_of),
                           known, limit, self._analyzer.stem)

    def _annotation_pairs(self, searcher: Searcher) -> dict[int, int | None]:
        if self._pairs is not None and self._pairs[0] is searcher:
            return self._pairs[1]
        pairs: dict[int, int | None] = {}
        for docnum in searcher.document_numbers(kind=ANNOTATION_KIND):
            episode_id = searcher.stored_fields(docnum)["episode_id"]
            pairs[docnum] = searcher.document_number(doc_key=transcript_key(episode_id))
        self._pairs = (searcher, pairs)
        return pairs

    def _result(self, q: query.Query, transcript_hits: dict[int, list[snip.Hit]],
                episode_id: str, docs: list[tuple[int, float, dict]],
                transcript_of: Callable[[str], str]) -> SearchResult:
        title = next((f["name"] for _, _, f in docs if f["kind"] == TRANSCRIPT_KIND),
                     docs[0][2].get("name", ""))
        score = sum(s for _, s, _ in docs)
        found: list[Snippet] = []
        best_offset = -1
        count = 0
        for docnum, _, fields in docs:
            if fields["kind"] == TRANSCRIPT_KIND:
                hits = transcript_hits.get(docnum, [])
                if hits:
                    text = transcript_of(episode_id)
                    hits = snip.verified([h for h in hits if h[1] <= len(text)], text)
                    found.extend(snip.snippets_from_hits("transcript", text, hits, count=2))
                    best_offset = snip.best_hit_offset(hits)
                    count = len(hits)
            elif fields["kind"] == ANNOTATION_KIND:
                found.extend(self._annotation_snippets(q, stored_annotation(fields)))
        if not found:
            # A title-only match (or one the analyser cannot place) still shows something.
            hits = snip.text_hits(self._analyzer, title, text_highlighting(q, "title"))
            found = snip.snippets_from_hits("title", title, hits) if hits else [
                Snippet("title", title, (), -1)]
        return SearchResult(episode_id, title, score, tuple(found), best_offset, count)

    def _annotation_snippets(self, q: query.Query, doc: AnnotationDoc) -> list[Snippet]:
        out: list[Snippet] = []
        hl = text_highlighting(q, "notes")
        if hl and doc.notes:
            out += snip.snippets_from_hits("notes", doc.notes,
                                           snip.text_hits(self._analyzer, doc.notes, hl))
        hl = text_highlighting(q, "takeaways")
        for takeaway in doc.takeaways if hl else ():
            out += snip.snippets_from_hits("takeaways", takeaway,
                                           snip.text_hits(self._analyzer, takeaway, hl),
                                           offset_known=False)
        hl = text_highlighting(q, "comments")
        for highlight_id, comment in doc.comments if hl else ():
            out += snip.snippets_from_hits("comment", comment,
                                           snip.text_hits(self._analyzer, comment, hl),
                                           offset_known=False, highlight_id=highlight_id)
        return out

    def _widened(self, q: query.Query, searcher: Searcher, glossary: Glossary) -> query.Query:
        """Every word widened to its spellings (split, joined, the glossary's), and fuzzy
        words replaced by the words they match."""
        reader = searcher.reader()
        if self._frequencies is None or self._frequencies[0] is not searcher:
            self._frequencies = (searcher, {})
        # Widened first: the words a fuzzy word~ stands for are not split or joined again.
        widener = Widener(reader, self._analyzer, glossary, self._frequencies[1])
        q = expand_fuzzy(widener.widen(q), reader)
        return q if q is query.NullQuery else prefer_unions(q)

    def _check_exact(self, q: query.Query, searcher: Searcher,
                     transcript_of: Callable[[str], str]) -> None:
        """Give each exact glossary word of ``q`` the documents where it is written so.

        The index knows the word only by its stem ("dieps" as "diep"), so the places of the
        stem are read against the texts; kept for as long as the searcher is current."""
        if self._exact is None or self._exact[0] is not searcher:
            self._exact = (searcher, {})
        known = self._exact[1]
        for leaf in q.leaves():
            if not isinstance(leaf, Spellings):
                continue
            for stem, word in leaf.exact:
                key = (leaf.fieldname, word)
                if key not in known:
                    known[key] = self._exact_docs(searcher, leaf.fieldname, stem, word,
                                                  transcript_of)
                leaf.exact_docs[word] = known[key]

    @staticmethod
    def _exact_docs(searcher: Searcher, field: str, stem: str, word: str,
                    transcript_of: Callable[[str], str]) -> dict[int, int]:
        try:
            m = searcher.reader().postings(field, stem)
        except TermNotFound:
            return {}
        found: dict[int, int] = {}
        analyzer = searcher.schema[field].analyzer
        while m.is_active():
            docnum = m.id()
            stored = searcher.stored_fields(docnum)
            if field == "transcript":
                text = transcript_of(stored["episode_id"])
                table = snip.table_of(*_leaf_of(searcher, docnum))
                spans = table.spans(m.value_as("positions")) if table is not None else []
            else:  # a title or an annotation: a few hundred bytes, analysed again
                text = stored_text(stored, field)
                spans = [(0, s, e) for t, s, e in analyzer.spans(text) if t == stem]
            count = sum(1 for _, s, e in spans if fold(text[s:e]) == word)
            if count:
                found[docnum] = count
            m.next()
        return found

    def hits(self, query_text: str, episode_id: str, transcript: str,
             glossary: Glossary = NO_GLOSSARY) -> list[tuple[int, int]]:
        """Sorted ranges in ``transcript`` of every query term found in this episode; a
        phrase or a name written in several words is one range."""
        q = parse(self._parser, self._analyzer, query_text)
        if q is query.NullQuery:
            return []
        with self._reading() as searcher:
            docnum = searcher.document_number(doc_key=transcript_key(episode_id))
            q = self._widened(q, searcher, glossary)
            hl = highlighting(q, searcher.reader(), "transcript")
            if docnum is None or not hl:
                found = snip.text_hits(self._analyzer, transcript,
                                       text_highlighting(q, "transcript"))
            else:
                found = snip.verified(
                    snip.index_hits(searcher, "transcript", [docnum], hl)[docnum], transcript)
        return outermost(sorted({(s, e) for s, e, _ in found if e <= len(transcript)}))

    def find_ranges(self, text: str, transcript: str,
                    glossary: Glossary = NO_GLOSSARY) -> list[tuple[int, int]]:
        """Find-in-episode: ``text`` as a phrase, matched by stem ("modellen" finds "model"),
        and as the name speech recognition split or joined ("chatgpt" finds "chat gpt"), or
        spelled as a variant of its glossary entry; a split name is one range."""
        with self._lock:
            kept = self._forms.pop(transcript, None)
        if kept is None:
            kept = (forms_by_stem(self._analyzer, transcript), TextWords(transcript))
        with self._lock:
            self._forms[transcript] = kept  # most recent last
            while len(self._forms) > FORMS_KEPT:
                del self._forms[next(iter(self._forms))]
        forms, words = kept
        return outermost(phrase_ranges(self._analyzer, text, transcript, forms)
                         + find_spellings(words, text, glossary))

    def more_like_this(self, episode_id: str, n: int = 5) -> list[tuple[str, str, float]]:
        """The ``n`` episodes closest to this one: an OR of its key terms (stored when it was
        indexed) weighted by tf·idf, scored as a search scores it (``bulk_or``)."""
        with self._reading() as searcher:
            docnum = searcher.document_number(doc_key=transcript_key(episode_id))
            if docnum is None:
                return []
            key_terms = searcher.stored_fields(docnum).get("key_terms", ())
            count = max(1, searcher.doc_count())
            weighted = []
            for term, tf in key_terms:
                df = doc_frequency(searcher, "transcript", term)
                weighted.append((tf * math.log(1 + count / (1 + df)), term))
            weighted.sort(reverse=True)
            top = weighted[:MLT_TERMS]
            if not top:
                return []
            peak = top[0][0] or 1.0
            scores = bulk_or(searcher, "transcript", [(t, w / peak) for w, t in top], WEIGHTING)
            scores.pop(docnum, None)
            best = heapq.nsmallest(n, scores.items(), key=lambda kv: (-kv[1], kv[0]))
            out = []
            for other, score in best:
                fields = searcher.stored_fields(other)
                out.append((fields["episode_id"], fields["name"], float(score)))
            return out

    # -- writing -------------------------------------------------------------------------

    def rebuild(self, docs: Iterable[tuple[IndexDoc, AnnotationDoc | None]], total: int, *,
                processes: int | None = None, if_needed: bool = False
                ) -> Iterator[tuple[int, int]]:
        """Replace the whole index, yielding (done, total); search sees each finished batch.
        ``processes`` defaults to both cores for big libraries, one for small ones. With
        ``if_needed`` an index found complete once the write lock is held is left alone."""
        yield from run_rebuild(self._ix, self.directory, docs, total, processes,
                               if_needed=if_needed)
        self.needs_rebuild = False

    @contextmanager
    def _editing(self) -> Iterator[Callable[[str, dict[str, object] | None], None]]:
        """A write transaction offering ``replace(doc_key, fields or None)``.

        Whoosh's own update/delete-by-term opens a fresh reader on every segment per commit
        (~100 ms on a 1,000-episode library). Holding the write lock, our cached searcher is
        at exactly the writer's generation, so it finds the old document numbers instead."""
        with writing(self._ix, self.directory) as writer, self._reading() as searcher:
            def replace(doc_key: str, fields: dict[str, object] | None) -> None:
                for docnum in list(searcher.document_numbers(doc_key=doc_key)):
                    writer.delete_document(docnum)
                if fields is not None:
                    writer.add_document(**fields)
            yield replace

    def add_or_update(self, doc: IndexDoc, annotations: AnnotationDoc | None = None) -> None:
        fields = transcript_fields(self._analyzer, doc)
        with self._editing() as replace:
            replace(transcript_key(doc.episode_id), fields)
            if annotations is not None:
                replace(annotation_key(annotations.episode_id),
                        None if annotations.is_empty else annotation_fields(annotations))

    def add_or_update_many(self, docs: Iterable[tuple[IndexDoc, AnnotationDoc | None]]
                           ) -> Iterator[int]:
        """Index many episodes in one commit, yielding how many are done so far.

        Consume it to the end: the write lock is held until then."""
        with self._editing() as replace:
            for done, (doc, annotations) in enumerate(docs, 1):
                replace(transcript_key(doc.episode_id), transcript_fields(self._analyzer, doc))
                if annotations is not None:
                    replace(annotation_key(annotations.episode_id),
                            None if annotations.is_empty else annotation_fields(annotations))
                yield done

    def update_annotations(self, annotations: AnnotationDoc) -> None:
        """Re-index only the small annotation document; the transcript is not touched."""
        with self._editing() as replace:
            replace(annotation_key(annotations.episode_id),
                    None if annotations.is_empty else annotation_fields(annotations))

    def delete(self, episode_id: str) -> None:
        with self._editing() as replace:
            replace(transcript_key(episode_id), None)
            replace(annotation_key(episode_id), None)

    def merge(self) -> None:
        """Fold the small segments that fast commits leave behind; call when idle."""
        merge_small(self._ix, self.directory)
