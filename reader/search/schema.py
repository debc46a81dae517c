"""The index layout: one transcript document and at most one annotation document per episode."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema
from whoosh.lang.stopwords import stoplists

from reader.search.analysis import DutchAnalyzer, DutchPositions, word_table
from reader.search.codec import PackedCodec
from reader.search.model import AnnotationDoc, IndexDoc

# Bumped whenever the layout or the analysis changes: an index with another version (kept in
# the manifest) is recreated on open (needs_rebuild), never read with the wrong analyser.
# 3: positions and posting blocks packed, the transcript's word table in a column.
SCHEMA_VERSION = 4

TRANSCRIPT_KIND = "t"
ANNOTATION_KIND = "a"

TITLE_BOOST = 3.0
# Fields a bare query word is looked up in; "comment" is accepted as a user-facing alias.
SEARCH_FIELDS = ("title", "transcript", "notes", "takeaways", "comments")
ANNOTATION_FIELDS = ("notes", "takeaways", "comments")

# Key terms kept per transcript for more-like-this (the transcript itself is not stored).
KEY_TERMS = 80
_TAKEAWAY_SEP = "\n"


def _text_field(analyzer: DutchAnalyzer, *, boost: float = 1.0) -> TEXT:
    # "phrase" makes a hyphenated query word ("open-source") a phrase instead of an AND.
    field = TEXT(analyzer=analyzer, field_boost=boost, multitoken_query="phrase")
    field.format = DutchPositions(field_boost=boost)
    return field


def build_schema() -> Schema:
    analyzer = DutchAnalyzer()
    return Schema(
        doc_key=ID(unique=True),
        kind=ID(stored=True),
        episode_id=ID(stored=True),
        name=STORED(),
        title=_text_field(analyzer, boost=TITLE_BOOST),
        transcript=_text_field(analyzer),
        # Where each word of the transcript stands (analysis.word_table): snippets and hit
        # ranges turn the postings' positions into characters with it.
        words=COLUMN(VarBytesColumn()),
        key_terms=STORED(),
        notes=_text_field(analyzer),
        notes_text=STORED(),
        takeaways=_text_field(analyzer),
        takeaway_list=STORED(),
        comments=_text_field(analyzer),
        comment_list=STORED(),
    )


def make_codec() -> PackedCodec:
    """Whoosh's W3 codec with packed, uncompressed posting blocks (reader.search.codec)."""
    return PackedCodec()


def analyzer_of(schema: Schema) -> DutchAnalyzer:
    analyzer = schema["transcript"].analyzer
    assert isinstance(analyzer, DutchAnalyzer)
    return analyzer


def transcript_key(episode_id: str) -> str:
    return f"{TRANSCRIPT_KIND}:{episode_id}"


def annotation_key(episode_id: str) -> str:
    return f"{ANNOTATION_KIND}:{episode_id}"


_STOP = frozenset(stoplists["nl"])


def key_terms(analyzer: DutchAnalyzer, transcript: str) -> tuple[tuple[str, int], ...]:
    """The most frequent content terms and their counts; idf is applied at query time, when
    the whole library is known."""
    stopped = {analyzer.stem(w) for w in _STOP}
    counts = [(len(p), t) for t, p in analyzer.analyse(transcript).postings.items()
              if len(t) > 2 and t not in stopped and not t.isdigit()]
    counts.sort(reverse=True)
    return tuple((t, n) for n, t in counts[:KEY_TERMS])


def transcript_fields(analyzer: DutchAnalyzer, doc: IndexDoc) -> dict[str, Any]:
    return {
        "doc_key": transcript_key(doc.episode_id),
        "kind": TRANSCRIPT_KIND,
        "episode_id": doc.episode_id,
        "name": doc.title,
        "title": doc.title,
        # Analysed first for key terms and the word table; the field then reuses that
        # analysis (the same string).
        "key_terms": key_terms(analyzer, doc.transcript),
        "words": word_table(analyzer.analyse(doc.transcript)),
        "transcript": doc.transcript,
    }


def annotation_fields(doc: AnnotationDoc) -> dict[str, Any]:
    return {
        "doc_key": annotation_key(doc.episode_id),
        "kind": ANNOTATION_KIND,
        "episode_id": doc.episode_id,
        "name": doc.title,
        "notes": doc.notes,
        "notes_text": doc.notes,
        "takeaways": _TAKEAWAY_SEP.join(doc.takeaways),
        "takeaway_list": tuple(doc.takeaways),
        "comments": _TAKEAWAY_SEP.join(text for _, text in doc.comments),
        "comment_list": tuple(doc.comments),
    }


def stored_annotation(stored: Mapping[str, Any]) -> AnnotationDoc:
    return AnnotationDoc(
        episode_id=stored["episode_id"],
        title=stored.get("name", ""),
        notes=stored.get("notes_text", "") or "",
        takeaways=tuple(stored.get("takeaway_list", ()) or ()),
        comments=tuple(tuple(c) for c in stored.get("comment_list", ()) or ()),
    )


def stored_text(stored: Mapping[str, Any], field: str) -> str:
    """The text of a searchable field as the index stores it (the transcript is not stored)."""
    if field == "title":
        return str(stored.get("name", "") or "")
    if field == "notes":
        return str(stored.get("notes_text", "") or "")
    if field == "takeaways":
        return _TAKEAWAY_SEP.join(stored.get("takeaway_list", ()) or ())
    if field == "comments":
        return _TAKEAWAY_SEP.join(text for _, text in stored.get("comment_list", ()) or ())
    return ""


def schema_matches(schema: Schema) -> bool:
    """Whether an on-disk schema is the one this code writes (same fields, same analysis)."""
    ours = build_schema()
    if sorted(schema.names()) != sorted(ours.names()):
        return False
    return all(isinstance(schema[name].analyzer, DutchAnalyzer)
               for name in SEARCH_FIELDS)
