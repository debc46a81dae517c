"""Full-text search over transcripts and annotations (Whoosh behind our own types).

Nothing outside this package imports Whoosh; the library facade uses only these names.
"""

from __future__ import annotations

from reader.search.index import SearchIndex
from reader.search.model import (
                                 AnnotationDoc,
                                 IndexDoc,
                                 IndexUnavailable,
                                 SearchResult,
                                 SearchResults,
                                 Snippet,
)
from reader.search.suggest import Suggestion

__all__ = [
    "AnnotationDoc",
    "IndexDoc",
    "IndexUnavailable",
    "SearchIndex",
    "SearchResult",
    "SearchResults",
    "Snippet",
    "Suggestion",
]
