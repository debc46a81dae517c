"""SearchIndex: the one object the library facade talks to.

Threads: any thread may call the read methods (search, hits, find_ranges, more_like_this);
they share one searcher under a lock. Write methods (add_or_update, update_annotations,
delete, rebuild, merge) belong on the single write executor; across threads and processes the
index's own write lock keeps one writer at a time, and a second writer waits up to
``WRITE_TIMEOUT`` seconds before raising ``IndexUnavailable``.
"""

from __future__ import annotations

import bisect
import math
import pickle
import struct
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import query
from whoosh.collectors import TopCollector
from whoosh.index import EmptyIndexError, FileIndex
from whoosh.reading import IndexReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

from reader.search import snippets as snip
from reader.search.analysis import DutchAnalyzer, FormsByStem, forms_by_stem, phrase_ranges
from reader.search.model import (
    AnnotationDoc,
    IndexDoc,
    IndexUnavailable,
    SearchResult,
    SearchResults,
    Snippet,
)
from reader.search.querying import (
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
    transcript_fields,
    transcript_key,
)
from reader.search.storage import merge_small, open_or_create, writing

# Key terms a more-like-this query is built from.
MLT_TERMS = 12
FORMS_KEPT = 4  # transcripts whose word forms find-in-episode keeps
OPEN_ATTEMPTS = 3  # tries at opening the latest generation while others commit


class _EpisodeCollector(TopCollector):
    """The top documents and, in the same pass, the exact number of matching episodes.

    Running the query a second time just to count (``docs_for_query``) cost a third of each
    search; block-quality skipping is off so that every match is seen, which costs little
    when, as here, most documents match most words anyway."""

    def __init__(self, limit: int, pairs: dict[int, int | None]) -> None:
        super().__init__(limit=limit, usequality=False)
        self._pairs = pairs
        self._watch = set(pairs) | {t for t in pairs.values() if t is not None}
        self._seen: set[int] = set()

    def _collect(self, global_docnum: int, score: float) -> float:
        if global_docnum in self._watch:
            self._seen.add(global_docnum)
        return super()._collect(global_docnum, score)

    def episodes(self) -> int:
        # An episode whose transcript and annotations both match counts once.
        seen = self._seen
        return self.total - sum(1 for a, t in self._pairs.items() if a in seen and t in seen)


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
        self._forms: dict[str, FormsByStem] = {}

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
                    self._searcher = self._ix.searcher()
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
            return self._ix.searcher()
        combined = readers[0] if len(readers) == 1 else MultiReader(
            readers, generation=toc.generation)
        return Searcher(combined, fromindex=self._ix)

    def search(self, query_text: str, limit: int = 20, *,
               transcript_of: Callable[[str], str]) -> SearchResults:
        q = parse(self._parser, self._analyzer, query_text)
        if q is query.NullQuery or limit <= 0:
            return SearchResults(query_text, 0, ())
        with self._reading() as searcher:
            q = prefer_unions(expand_fuzzy(q, searcher.reader()))
            if q is query.NullQuery:
                return SearchResults(query_text, 0, ())
            # Each episode has at most two documents, so the top 2×limit documents hold the
            # top `limit` episodes.
            collector = _EpisodeCollector(limit * 2, self._annotation_pairs(searcher))
            searcher.search_with_collector(q, collector)
            found = collector.results()
            total = collector.episodes()
            by_episode: dict[str, list[tuple[int, float, dict]]] = {}
            for hit in found:
                fields = hit.fields()
                by_episode.setdefault(fields["episode_id"], []).append(
                    (hit.docnum, hit.score, fields))
            ranked = sorted(by_episode.items(), key=lambda kv: -sum(s for _, s, _ in kv[1]))
            transcript_hl = highlighting(q, searcher.reader(), "transcript")
            top = ranked[:limit]
            transcript_docs = [d for _, docs in top for d, _, f in docs
                               if f["kind"] == TRANSCRIPT_KIND]
            hits = (snip.index_hits(searcher, "transcript", transcript_docs, transcript_hl)
                    if transcript_hl else {})
            results = tuple(self._result(q, hits, episode_id, docs, transcript_of)
                            for episode_id, docs in top)
        return SearchResults(query_text, total, results)

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
                    hits = [h for h in hits if h[1] <= len(text)]
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

    def hits(self, query_text: str, episode_id: str, transcript: str) -> list[tuple[int, int]]:
        """Sorted ranges in ``transcript`` of every query term found in this episode."""
        q = parse(self._parser, self._analyzer, query_text)
        if q is query.NullQuery:
            return []
        with self._reading() as searcher:
            docnum = searcher.document_number(doc_key=transcript_key(episode_id))
            hl = highlighting(expand_fuzzy(q, searcher.reader()), searcher.reader(), "transcript")
            if docnum is None or not hl:
                found = snip.text_hits(self._analyzer, transcript,
                                       text_highlighting(q, "transcript"))
            else:
                found = snip.index_hits(searcher, "transcript", [docnum], hl)[docnum]
        ranges = sorted({(s, e) for s, e, _ in found if e <= len(transcript)})
        return self._whole_phrases(q, ranges, transcript)

    def _whole_phrases(self, q: query.Query, ranges: list[tuple[int, int]],
                       transcript: str) -> list[tuple[int, int]]:
        """The words of a phrase of the query made one hit each time they stand together, as
        find-in-episode counts them (the view steps and counts phrases, not their words)."""
        phrases = [leaf for leaf in q.leaves() if isinstance(leaf, query.Phrase)]
        if not phrases:
            return ranges
        spans = sorted({span for phrase in phrases
                        for span in self.find_ranges(" ".join(phrase.words), transcript)})
        if not spans:
            return ranges
        starts = [start for start, _ in spans]
        kept: set[tuple[int, int]] = set(spans)
        for start, end in ranges:
            i = bisect.bisect_right(starts, start) - 1
            if i < 0 or end > spans[i][1]:
                kept.add((start, end))  # a word of the query standing alone
        return sorted(kept)

    def find_ranges(self, text: str, transcript: str) -> list[tuple[int, int]]:
        """Find-in-episode: ``text`` as a phrase, matched by stem ("modellen" finds "model")."""
        with self._lock:
            forms = self._forms.pop(transcript, None)
        if forms is None:
            forms = forms_by_stem(self._analyzer, transcript)
        with self._lock:
            self._forms[transcript] = forms  # most recent last
            while len(self._forms) > FORMS_KEPT:
                del self._forms[next(iter(self._forms))]
        return phrase_ranges(self._analyzer, text, transcript, forms)

    def more_like_this(self, episode_id: str, n: int = 5) -> list[tuple[str, str, float]]:
        with self._reading() as searcher:
            docnum = searcher.document_number(doc_key=transcript_key(episode_id))
            if docnum is None:
                return []
            key_terms = searcher.stored_fields(docnum).get("key_terms", ())
            count = max(1, searcher.doc_count())
            weighted = []
            for term, tf in key_terms:
                df = searcher.doc_frequency("transcript", term)
                weighted.append((tf * math.log(1 + count / (1 + df)), term))
            weighted.sort(reverse=True)
            top = weighted[:MLT_TERMS]
            if not top:
                return []
            peak = top[0][0] or 1.0
            q = query.Or([query.Term("transcript", t, boost=w / peak) for w, t in top])
            found = searcher.search(q, limit=n, filter=query.Term("kind", TRANSCRIPT_KIND),
                                    mask=query.Term("doc_key", transcript_key(episode_id)))
            return [(h["episode_id"], h["name"], float(h.score)) for h in found]

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
