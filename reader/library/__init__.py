"""The library: the one facade the window and the command line call, and its helpers.

- ``facade``: ``Library``, every read and write of a data folder (SQLite store + index).
- ``importer``: finding note files, reading them, storing what they hold (the merge).
- ``note_export``: an episode of the store as note text, with its annotations filled in.
- ``annotating``: Notes, takeaways and related saved as edits of what the writer read.
- ``tagging``: tags on highlights and episodes (``reader.core.tags`` says what a tag is).
- ``notebook``: every highlight, takeaway and Notes paragraph as one list, filtered, grouped,
  written as one note for the vault.
- ``writing``: notes written into a folder, to a file, back onto their sources.
- ``index_upkeep``: the search index kept in step with the store (it knows both, so it
  lives here rather than in ``reader.search``, which never touches SQLite).
- ``open_episode``: the window's open episode, the one copy of what it shows and has
  not saved yet (Qt-free, GUI thread).
- ``edits``: rebasing the window's saves on its own earlier ones (write thread).
- ``values``: the plain values all of it hands out; safe to pass between threads.
"""

from __future__ import annotations

from reader.library.facade import Library
from reader.library.values import (
    DatabaseUnusable,
    EditConflict,
    EpisodeNotFound,
    EpisodeSummary,
    EpisodeView,
    ExportReport,
    ImportProgress,
    ImportReport,
    IndexNotReady,
    LibraryError,
    ListSaved,
    NotesSaved,
    RelatedLink,
    Reloaded,
    SavedOffline,
    ServerUnreachable,
    TakeawayItem,
    WriteBackRefused,
)

__all__ = [
    "DatabaseUnusable", "EditConflict", "EpisodeNotFound", "EpisodeSummary", "EpisodeView", "ExportReport",
    "ImportProgress", "ImportReport", "IndexNotReady", "Library", "LibraryError", "ListSaved", "NotesSaved",
    "RelatedLink", "Reloaded", "SavedOffline", "ServerUnreachable", "TakeawayItem", "WriteBackRefused",
]
