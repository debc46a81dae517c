"""The one facade the window and the command line both call.

Everything returned is a plain value (dataclasses, ids, strings), never a live ORM object, so
results may cross threads. Methods that write (import, annotate, export, index) must run on one
thread at a time: the window runs them on its single write executor.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from reader.core import note
from reader.core import tags as tagging
from reader.core.episode import (
    DEFAULT_COLOUR,
    HIGHLIGHT_COLOURS,
    Highlight,
    whole_words,
)
from reader.core.glossary import Glossary, GlossaryEntry, GlossaryError
from reader.core.paragraphs import ParagraphedText, paragraphize
from reader.core.subtitles import SubtitleError, read_subtitles
from reader.core.timing import WordTimes, align
from reader.core.worddiff import OffsetMap
from reader.files import default_data_dir, seeds_dir
from reader.library import importer, notebook, offline, team
from reader.library import note_export as rendering
from reader.library.annotating import Annotating, related_links
from reader.library.changes import Changes, Part
from reader.library.importer import MEDIA_SUFFIXES, collect, media_beside, read_note
from reader.library.index_upkeep import INDEX_DIR, IndexKeeper
from reader.library.notebook import NotebookItem
from reader.library.tagging import Tagging, library_tags
from reader.library.team_client import TeamClient, list_args, list_edit
from reader.library.timed import times_of
from reader.library.values import (
    DatabaseUnusable,
    EditConflict,
    EpisodeNotFound,
    EpisodeSummary,
    EpisodeView,
    ExportReport,
    ImportOutcome,
    ImportProgress,
    ImportReport,
    LibraryError,
    ListSaved,
    NotesSaved,
    RelatedLink,
    Reloaded,
    ServerUnreachable,
    TakeawayItem,
)
from reader.library.writing import NoteWriter
from reader.store import db, repo
from reader.store import glossary as glossary_rows
from reader.store import word_times as word_time_rows
from reader.store.db import DB_NAME, StoreError, open_engine, read_session_factory, session_factory
from reader.store.models import INDEX_ALL, INDEX_ANNOTATIONS, EpisodeRow, HighlightRow

if TYPE_CHECKING:
    from reader.search import SearchResults, Suggestion




class Library:
    """The library of episodes in one data dir: SQLite store plus Whoosh index.

    Write methods must run on one thread at a time (the window's write executor); read
    methods may run on any thread.
    """

    def __init__(self, data_dir: Path, *, library_url: str | None = None,
                 author: str | None = None) -> None:
        """The library in ``data_dir`` (its SQLite database), or with ``library_url`` the team
        library on that PostgreSQL server, ``data_dir`` then holding this client's own
        search index of it and its queue of edits made while the server was away."""
        self.data_dir = data_dir
        self.library_url = library_url
        self.client_id = team.new_client_id()
        self.author = author or default_author()
        first_run = library_url is None and not (data_dir / DB_NAME).exists()
        try:
            self._engine = open_engine(library_url or data_dir / DB_NAME)
        except OSError as exc:
            raise LibraryError(f"{data_dir}: the data folder cannot be used ({exc.strerror})") from None
        except db.DatabaseUnusable as exc:
            raise DatabaseUnusable(str(exc), data_dir / DB_NAME) from None
        except db.ServerUnreachable as exc:
            raise ServerUnreachable(str(exc)) from None
        except StoreError as exc:
            raise LibraryError(str(exc)) from None
        self._sessions = read_session_factory(self._engine)
        self._write_sessions = session_factory(self._engine)
        team.stamp_authors(self._write_sessions, lambda: self.author)
        # A team library's client keeps its own index in a folder of its own per library,
        # so a local library in the same data folder keeps its own.
        local = data_dir if library_url is None else data_dir / "team" / team_folder(library_url)
        self.local_dir = local
        self._keeper = IndexKeeper(local, self._sessions, self._transaction)
        self._team: TeamClient | None = None
        if library_url is not None:
            team.log_changes(self._write_sessions, self.client_id, lambda: self.author,
                             notify=True)
            self._team = TeamClient(self._engine, self._sessions, self.client_id, local,
                                    db.describe(library_url), self._keeper, self._report,
                                    self._send)
        self._listeners: list[Callable[[Changes], None]] = []
        self._not_episodes: dict[str, float | None] = {}  # vault notes that are no episodes: mtime
        self._writer = NoteWriter(self._sessions, self._transaction, self._row, self._report)
        self._lists = Annotating(self._write, self._annotated)
        self._tagging = Tagging(self._transaction, self._report)
        self.first_run = first_run

    @property
    def database_path(self) -> Path:
        return self.data_dir / DB_NAME

    @property
    def is_team(self) -> bool:
        return self.library_url is not None

    @property
    def location(self) -> str:
        """Where the library is, for messages: the database file or the server (no password)."""
        return db.describe(self.library_url) if self.library_url else str(self.data_dir / DB_NAME)

    @property
    def index_path(self) -> Path:
        return self.data_dir / INDEX_DIR

    @classmethod
    def open(cls, data_dir: Path | None = None, *, import_seeds: bool = True,
             library_url: str | None = None, author: str | None = None) -> Library:
        library = cls(data_dir or default_data_dir(), library_url=library_url, author=author)
        if library.first_run and import_seeds:
            library.import_samples()
        return library

    def import_samples(self) -> ImportReport:
        """The bundled sample episodes, marked as samples: never written back, never taken for
        the user's notes (a note of theirs with the same Video ID takes a sample's place)."""
        report = self.import_paths([seeds_dir()])
        with self._transaction() as session:
            repo.mark_samples(session, [*report.imported, *report.updated, *report.unchanged])
        return report

    @staticmethod
    def set_aside_database(data_dir: Path) -> Path:
        """Move an unusable database out of the way so a fresh one can start; returns its copy."""
        return db.set_aside(data_dir / DB_NAME)

    def backup(self, target: Path) -> Path:
        """A consistent copy of the database, taken while the library may be in use."""
        if target.is_dir():
            target = target / f"library-{datetime.now():%Y%m%d-%H%M%S}.sqlite3"
        try:
            return db.backup(self.data_dir / DB_NAME, target)
        except (OSError, sqlite3.Error) as exc:
            raise LibraryError(f"{target}: the backup could not be written ({exc})") from None

    def close(self) -> None:
        if self._team is not None:
            self._team.close()
        self._keeper.close()
        self._engine.dispose()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- reading --------------------------------------------------------------------------

    def list_episodes(self) -> list[EpisodeSummary]:
        return self.summaries(None)

    def summaries(self, episode_ids: Iterable[str] | None) -> list[EpisodeSummary]:
        """The episode-list rows of these episodes that are still in the library (all of
        them for None): what a change report asks for, without reading or statting the rest."""
        with self._sessions() as session:
            rows = repo.summaries(session, None if episode_ids is None else set(episode_ids))
        return [
            EpisodeSummary(r.id, r.title, r.show, r.word_count, r.annotated, r.source_path,
                           r.last_opened, r.sample,
                           source_missing=r.source_path is not None and r.source_path != ""
                           and not Path(r.source_path).exists())
            for r in rows
        ]

    def episode(self, episode_id: str) -> EpisodeView:
        with self._sessions() as session:
            row = self._row(session, episode_id, full=True)
            takeaways = [repo.takeaway_of(t) for t in repo.takeaway_rows(row).ordered()]
            return EpisodeView(
                id=row.id, title=row.title, show=row.show, transcript=row.transcript,
                notes=row.notes, takeaways=[t.text for t in takeaways],
                related=related_links(session, repo.related_rows(row).ordered()),
                highlights=[repo.highlight_of(h) for h in row.highlights],
                source_url=row.source_url, source_path=row.source_path,
                scroll_position=row.scroll_position, notes_version=row.notes_version,
                word_count=row.word_count,
                takeaway_items=takeaways, video_id=row.video_id, duration=row.duration,
                tags=tagging.parse(row.tags),
            )

    def last_opened_id(self) -> str | None:
        with self._sessions() as session:
            return repo.last_opened_id(session)

    def superseded(self, episode_id: str) -> list[tuple[datetime, str | None, str]]:
        """Versions of a note whose annotations lost to the library's on import."""
        with self._sessions() as session:
            self._row(session, episode_id)
            return repo.superseded(session, episode_id)

    def render(self, episode_id: str, *, front_matter: bool = False) -> str:
        with self._sessions() as session:
            row = self._row(session, episode_id, full=True)
            return rendering.render_row(session, row, front_matter=front_matter)

    # -- annotating -----------------------------------------------------------------------

    def set_notes(self, episode_id: str, text: str, *, base: str | None = None) -> NotesSaved:
        """Store Notes; a change made elsewhere since ``base`` was read is merged in."""
        with self._offline(episode_id, offline.NOTES, {"text": text, "base": base}):
            return self._lists.set_notes(episode_id, text, base=base)

    def set_takeaways(self, episode_id: str, items: list[str]) -> None:
        """Make the takeaways exactly these (a script's replace)."""
        return self._lists.set_takeaways(episode_id, items)

    def add_takeaway(self, episode_id: str, text: str, *,
                     highlight_id: int | None = None) -> TakeawayItem:
        """Append one takeaway (one row, in one transaction: parallel writers all land)."""
        with self._offline(episode_id, offline.TAKEAWAY, {"text": text, "highlight_id": highlight_id}):
            return self._lists.add_takeaway(episode_id, text, highlight_id=highlight_id)

    def save_takeaways(self, episode_id: str, known: Mapping[int, tuple[int, Hashable]],
                       drafts: Sequence[tuple[int, Hashable]]) -> ListSaved:
        """Store the window's edited list, only the rows it changed (see ``annotating``)."""
        with self._offline(episode_id, offline.TAKEAWAYS, list_args(known, drafts)):
            return self._lists.save_takeaways(episode_id, known, drafts)

    def save_related(self, episode_id: str, known: Mapping[int, tuple[int, Hashable]],
                     drafts: Sequence[tuple[int, Hashable]]) -> ListSaved:
        """As ``save_takeaways``, for Related entries."""
        with self._offline(episode_id, offline.RELATED, list_args(known, drafts)):
            return self._lists.save_related(episode_id, known, drafts)

    def set_related(self, episode_id: str, links: list[RelatedLink]) -> None:
        """Make the Related entries exactly these (a script's replace)."""
        return self._lists.set_related(episode_id, links)

    def add_related(self, episode_id: str, id_or_text: str) -> RelatedLink:
        """Add a link to another episode (by its id or exact title) or free text / URL."""
        return self._lists.add_related(episode_id, id_or_text)

    def add_highlight(self, episode_id: str, start: int, end: int, colour: str = DEFAULT_COLOUR,
                      comment: str = "") -> Highlight:
        """Highlight ``start..end``, grown to whole words. Highlights it overlaps are merged
        into one: the first of them keeps its id (and its takeaways), takes the whole range and
        the new colour, and keeps every comment; the others go, their takeaways re-linked."""
        _check_colour(colour)
        with self._offline(episode_id, offline.HIGHLIGHT, {"start": start, "end": end,
                                                           "colour": colour, "comment": comment}):
            return self._add_highlight(episode_id, start, end, colour, comment)

    def _add_highlight(self, episode_id: str, start: int, end: int, colour: str,
                       comment: str) -> Highlight:
        with self._write(episode_id, full=True) as (session, row):
            start, end = whole_words(row.transcript, start, end)
            if start == end:
                raise LibraryError(f"{episode_id}: nothing to highlight there (no words)")
            start, end, overlapping = _spanning(row, start, end)
            if overlapping:
                comment = _joined([*(h.comment for h in overlapping), comment])
            try:
                highlight = Highlight.at(row.transcript, start, end, colour=colour, comment=comment)
            except ValueError as exc:
                raise LibraryError(str(exc)) from None
            if overlapping:
                kept = overlapping[0]
                repo.merge_highlights(row, kept, overlapping[1:], highlight)
                session.flush()
                highlight.id, highlight.author, highlight.version = kept.id, kept.author, kept.version
                part = Part.HIGHLIGHTS | Part.TAKEAWAYS
            else:
                new = repo.highlight_row(row.id, highlight)
                row.highlights.append(new)
                session.flush()
                highlight.id, highlight.author, highlight.version = new.id, new.author, new.version
                part = Part.HIGHLIGHTS
            row.updated_at = repo.now()
        self._annotated(episode_id, part)
        return highlight

    def resize_highlight(self, episode_id: str, highlight_id: int, start: int, end: int) -> Highlight:
        """Moves a highlight's ends to ``start..end`` (grown to whole words); highlights it
        comes to overlap are merged into it, as when highlighting over them."""
        with self._write(episode_id, full=True) as (session, row):
            found = next((h for h in row.highlights if h.id == highlight_id), None)
            if found is None:
                raise LibraryError(f"{episode_id}: no highlight {highlight_id}")
            start, end = whole_words(row.transcript, start, end)
            if start == end:
                raise LibraryError(f"{episode_id}: a highlight keeps at least one word")
            start, end, others = _spanning(row, start, end, besides=found)
            comment = _joined([found.comment, *(h.comment for h in others)])
            placed = Highlight.at(row.transcript, start, end, colour=found.colour, comment=comment)
            repo.merge_highlights(row, found, others, placed)
            row.updated_at = repo.now()
            result = repo.highlight_of(found)
        self._annotated(episode_id, Part.HIGHLIGHTS | Part.TAKEAWAYS)
        return result

    def update_highlight(self, episode_id: str, highlight_id: int, *, colour: str | None = None,
                         comment: str | None = None, base_version: int | None = None) -> Highlight:
        """Change a highlight's colour or comment. With ``base_version`` (the version the
        writer read) a comment another writer changed since is not overwritten: the write
        is refused with ``EditConflict``, which holds both texts."""
        with self._offline(episode_id, offline.HIGHLIGHT_EDIT, {
                "highlight_id": highlight_id, "colour": colour, "comment": comment,
                "base_version": base_version}):
            return self._update_highlight(episode_id, highlight_id, colour, comment, base_version)

    def _update_highlight(self, episode_id: str, highlight_id: int, colour: str | None,
                          comment: str | None, base_version: int | None) -> Highlight:
        with self._write(episode_id) as (session, row):
            found = next((h for h in row.highlights if h.id == highlight_id), None)
            if found is None:
                raise LibraryError(f"{episode_id}: no highlight {highlight_id}")
            if (base_version is not None and found.version != base_version
                    and comment is not None and comment != found.comment):
                raise EditConflict(
                    f"{episode_id}: the highlight's comment was changed by "
                    f"{found.author or 'another writer'} since you read it; yours was not saved",
                    theirs=found.comment, mine=comment, author=found.author,
                    version=found.version)
            if colour is not None:
                _check_colour(colour)
                found.colour = colour
            if comment is not None:
                found.comment = comment
            found.version += 1
            found.updated_at = row.updated_at = repo.now()
            result = repo.highlight_of(found)
        self._annotated(episode_id, Part.HIGHLIGHTS)
        return result

    def promote_highlight(self, episode_id: str, highlight_id: int) -> TakeawayItem:
        """Add the highlight's quote as a Key Takeaway linked to it; returns the takeaway."""
        with self._write(episode_id) as (session, row):
            found = next((h for h in row.highlights if h.id == highlight_id), None)
            if found is None:
                raise LibraryError(f"{episode_id}: no highlight {highlight_id}")
            text = " ".join(found.quote.split())
            takeaway = repo.takeaway_of(repo.add_takeaway(session, row, text, highlight_id))
        self._annotated(episode_id, Part.HIGHLIGHTS | Part.TAKEAWAYS)
        return takeaway

    def takeaway_links(self, episode_id: str) -> list[int | None]:
        """For each takeaway in order, the highlight it was promoted from (or None)."""
        with self._sessions() as session:
            return [t.highlight_id for t in self._row(session, episode_id).takeaways]

    def delete_highlight(self, episode_id: str, highlight_id: int) -> list[int]:
        """Delete a highlight; returns the positions of takeaways that were linked to it
        (what ``restore_highlight`` needs to undo the delete)."""
        with self._offline(episode_id, offline.HIGHLIGHT_DELETE, {"highlight_id": highlight_id}):
            return self._delete_highlight(episode_id, highlight_id)

    def _delete_highlight(self, episode_id: str, highlight_id: int) -> list[int]:
        with self._write(episode_id) as (session, row):
            linked = [i for i, t in enumerate(row.takeaways) if t.highlight_id == highlight_id]
            row.highlights = [h for h in row.highlights if h.id != highlight_id]
            row.updated_at = repo.now()
        self._annotated(episode_id, Part.HIGHLIGHTS | Part.TAKEAWAYS)
        return linked

    def restore_highlight(self, episode_id: str, highlight: Highlight,
                          linked_takeaways: Iterable[int] = ()) -> Highlight:
        """Undo a delete: the same highlight (id, orphan state, context) and its takeaway links."""
        _check_colour(highlight.colour)
        with self._write(episode_id) as (session, row):
            restored = repo.highlight_row(row.id, highlight)
            if highlight.id is not None and repo.highlight_id_free(session, highlight.id):
                restored.id = highlight.id
            row.highlights.append(restored)
            session.flush()
            for position in linked_takeaways:
                if 0 <= position < len(row.takeaways):
                    row.takeaways[position].highlight_id = restored.id
            row.updated_at = repo.now()
            result = repo.highlight_of(restored)
        self._annotated(episode_id, Part.HIGHLIGHTS | Part.TAKEAWAYS)
        return result

    # -- tags and the Notebook ----------------------------------------------------------------

    def tags(self) -> list[str]:
        """Every tag of the library, most used first (what tag fields complete from)."""
        with self._sessions() as session:
            return library_tags(session)

    def episode_tags(self, episode_id: str) -> list[str]:
        with self._sessions() as session:
            return tagging.parse(self._row(session, episode_id).tags)

    def set_episode_tags(self, episode_id: str, tags: Iterable[str]) -> list[str]:
        """Make these the episode's tags (written back onto its ``**Tags:**`` line)."""
        return self._tagging.set_episode_tags(episode_id, tags)

    def set_highlight_tags(self, episode_id: str, highlight_id: int, tags: Iterable[str]) -> Highlight:
        return self._tagging.set_highlight_tags(episode_id, highlight_id, tags)

    def tag_highlights(self, highlights: Sequence[tuple[str, int]], add: Iterable[str] = (),
                       remove: Iterable[str] = ()) -> list[Highlight]:
        """Add (and remove) tags on highlights of any episodes, in one transaction."""
        return self._tagging.tag_highlights(highlights, add, remove)

    def notebook(self, episode_ids: Iterable[str] | None = None) -> list[NotebookItem]:
        """Every highlight, takeaway and Notes paragraph (of these episodes, or all)."""
        with self._sessions() as session:
            return notebook.load(session, None if episode_ids is None else set(episode_ids))

    def notebook_markdown(self, items: Sequence[NotebookItem], *, title: str | None = "Notebook",
                          by: str = "episode") -> str:
        """Items as one note for the vault: episodes as wikilinks, highlights' moments linked
        (``title`` None: the items alone, each saying where it is from, to paste)."""
        with self._sessions() as session:
            names = rendering.vault_names(session)
            timed = {i.episode_id for i in items if i.kind == notebook.HIGHLIGHT and i.offset >= 0}
            videos: dict[str, str | None] = {}
            times = {}
            for episode_id in timed:
                row = repo.get(session, episode_id, full=True)
                if row is not None and row.video_id:
                    videos[episode_id] = row.video_id
                    times[episode_id] = times_of(session, row)
        return notebook.markdown(items, notebook.Sources(names, videos, times), title=title, by=by)

    def mark_opened(self, episode_id: str, scroll_position: int = 0) -> None:
        with self._transaction() as session:
            repo.mark_opened(session, episode_id, scroll_position)
        self._report(Changes.of([episode_id], Part.LIST_COLUMNS))

    def delete_episode(self, episode_id: str) -> None:
        with self._transaction() as session:
            self._row(session, episode_id)
            repo.delete_episode(session, episode_id)
        self._keeper.delete(episode_id)
        self._report(Changes.of([episode_id], Part.REMOVED))

    # -- importing ------------------------------------------------------------------------

    def import_paths(self, paths: Iterable[Path], *,
                     progress: Callable[[ImportProgress], None] | None = None,
                     cancel: Callable[[], bool] | None = None,
                     reading: Mapping[str, int] | None = None) -> ImportReport:
        """Import note files and folders; each file in its own transaction.

        ``reading`` maps the episodes someone is reading (the window's open one) to the
        reader's place in its transcript: those the import changes come back read again in
        ``ImportReport.reloaded``, the place carried to the same words by the word diff the
        import made anyway to re-anchor the highlights, so it is made once."""
        files, failed, not_notes = collect([Path(p) for p in paths])
        return self._import_files(files, ImportReport(failed=list(failed), not_notes=not_notes),
                                  progress=progress, cancel=cancel, reading=reading)

    def _import_files(self, files: list[tuple[Path, bool]], report: ImportReport, *,
                      progress: Callable[[ImportProgress], None] | None = None,
                      cancel: Callable[[], bool] | None = None,
                      reading: Mapping[str, int] | None = None) -> ImportReport:
        """``files``: (path, named by the user); a file found in a folder that is no episode
        note is passed over (counted), one named by the user is a failure."""
        reading = reading or {}
        moves: dict[str, OffsetMap] = {}
        seen: dict[str, Path] = {}
        touched: list[str] = []
        besides: dict[str, tuple[Path, str | None]] = {}  # episode → its note's path, Video ID
        for done, (path, explicit) in enumerate(files):
            if cancel is not None and cancel():
                break
            if progress is not None:
                progress(ImportProgress(done, len(files), str(path)))
            try:
                read = read_note(path)
                episode_id = read.episode.episode_id
                if episode_id in seen:
                    raise LibraryError(f"the same Video ID ({episode_id}) as {seen[episode_id]}")
                seen[episode_id] = path
                with self._transaction() as session:
                    stored = importer.store_note(session, read,
                                                 want_moves=episode_id in reading)
            except note.NotAnEpisode as exc:
                if explicit:
                    report.failed.append((str(path), str(exc)))
                else:
                    report.not_episodes += 1
                    self._not_episodes[str(path)] = _mtime(path)
                continue
            except (note.NoteError, LibraryError) as exc:
                report.failed.append((str(path), str(exc)))
                continue
            except OSError as exc:
                report.failed.append((str(path), f"cannot be read ({exc.strerror or exc})"))
                continue
            except SQLAlchemyError as exc:
                report.failed.append((str(path), f"the database refused it ({_first_line(exc)})"))
                continue
            report.add(stored.outcome, episode_id)
            besides[episode_id] = (path, read.episode.video_id)
            if stored.moves is not None:
                moves[episode_id] = stored.moves
            if stored.outcome is not ImportOutcome.UNCHANGED:
                touched.append(episode_id)
        if progress is not None:
            progress(ImportProgress(len(files), len(files), ""))
        self._time_from_subtitles(besides, report)
        if touched:
            with self._transaction() as session:
                importer.resolve_links(session, touched)

            def indexing(done: int, total: int) -> None:
                if progress is not None:
                    progress(ImportProgress(done, total, "indexing"))

            self._sync(dict.fromkeys(touched, INDEX_ALL), indexing)
        for episode_id in {*report.updated, *report.conflicts} & reading.keys():
            report.reloaded[episode_id] = self._reloaded(episode_id, reading[episode_id],
                                                         moves.get(episode_id))
        changed = Part.LIST_COLUMNS | Part.TRANSCRIPT | Part.SOURCE | Part.annotations()
        self._report(Changes.of(report.imported, Part.ADDED | changed)
                     .merged(Changes.of([*report.updated, *report.conflicts], changed)))
        return report

    def _reloaded(self, episode_id: str, place: int, moves: OffsetMap | None) -> Reloaded:
        return Reloaded.carried(self.episode(episode_id), place, moves)

    def refresh_sources(self, folders: Iterable[Path] = (), *,
                        cancel: Callable[[], bool] | None = None,
                        reading: Mapping[str, int] | None = None) -> ImportReport:
        """Bring the library up to date with the disk, cheaply: what a folder watcher calls.

        Source files whose modification time changed are imported again; note files in
        ``folders`` that the library does not know yet are imported; unchanged files are
        not even read. Files that are gone are left alone: their episodes keep every
        annotation and show as "source missing" in ``list_episodes`` until removed.
        """
        with self._sessions() as session:
            known = dict(repo.sources(session))
        wanted: list[Path] = []
        for path, mtime in known.items():
            try:
                if Path(path).stat().st_mtime != mtime:
                    wanted.append(Path(path))
            except OSError:
                continue
        files = [(path, True) for path in wanted]
        if folders:
            # New files in the folders; ordinary notes of the vault (no transcript) are passed
            # over quietly, and not read again until they change.
            found, _failed, _ = collect([Path(f) for f in folders if Path(f).is_dir()])
            files += [(p, False) for p, _explicit in found if str(p.resolve()) not in known
                      and self._not_episodes.get(str(p)) != _mtime(p)]
        report = (self._import_files(files, ImportReport(), cancel=cancel, reading=reading) if files
                  else ImportReport())
        if folders:
            # Subtitles put beside a note that did not change since: timed all the same.
            roots = [Path(f).resolve() for f in folders]
            reimported = {str(p) for p, _ in files}
            with self._sessions() as session:
                noted = repo.noted_videos(session)
            self._time_from_subtitles(
                {episode_id: (Path(source), video_id) for episode_id, source, video_id in noted
                 if source not in reimported and any(Path(source).is_relative_to(r) for r in roots)},
                report)
        return report

    # -- exporting (reader/library/writing.py) --------------------------------------------

    def export(self, episode_ids: list[str] | None, out_dir: Path, *, front_matter: bool = False,
               progress: Callable[[int, int], None] | None = None) -> ExportReport:
        """Write annotated notes into ``out_dir`` (all episodes when ``episode_ids`` is None)."""
        return self._writer.export(episode_ids, out_dir, front_matter=front_matter, progress=progress)

    def export_to(self, episode_id: str, path: Path, *, front_matter: bool = False) -> Path:
        """Write one annotated note to a file the user chose (they confirmed any overwrite)."""
        return self._writer.export_to(episode_id, path, front_matter=front_matter)

    def write_back(self, episode_id: str, *, force: bool = False) -> Path:
        """Write the annotated note onto its source file (see ``NoteWriter.write_back``)."""
        return self._writer.write_back(episode_id, force=force)

    # -- searching ------------------------------------------------------------------------

    def rebuild_index(self) -> Iterator[tuple[int, int]]:
        """Rebuild the index from SQLite, yielding (done, total)."""
        yield from self._keeper.rebuild()

    # -- what changed -----------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Changes], None]) -> None:
        """Calls ``listener`` with what every write changed, on the thread that wrote, once
        the write is committed (Anki's operation_did_execute, in one place)."""
        self._listeners.append(listener)

    def _report(self, changes: Changes) -> None:
        if changes:
            for listener in list(self._listeners):
                listener(changes)

    def _annotated(self, episode_id: str, part: Part) -> None:
        # A save never waits for the index: while it is being built, it indexes this later.
        self._keeper.sync_unless_busy({episode_id: INDEX_ANNOTATIONS})
        # The list's "annotated" mark may have changed with any annotation.
        self._report(Changes.of([episode_id], part | Part.LIST_COLUMNS))

    def _sync(self, stale: dict[str, int],
              progress: Callable[[int, int], None] | None = None) -> None:
        self._keeper.sync(stale, progress)

    def index_on_own_thread(self) -> None:
        """From now on readers never open or rebuild the index: ``prepare_index``, on a
        thread of its own, does (reads meanwhile raise ``IndexNotReady``; saves on the write
        thread go on, and are indexed once it is done). The window's mode."""
        self._keeper.readers_wait = True

    def prepare_index(self) -> None:
        """Open the index, bring it up to date, rebuild it if damaged (the index thread)."""
        if self._team is None:
            self._keeper.index()
        else:  # and what other clients changed since this client's index last looked
            self._team.prepare()

    # -- a team library (``team_client``); nothing on a local library -------------------

    def poll_changes(self) -> Changes:
        """Take in what other clients changed since last asked: their episodes indexed here,
        and reported as ``subscribe`` reports this client's own writes."""
        return self._team.poll_changes() if self._team is not None else Changes()

    def subscribe_remote(self, listener: Callable[[Changes], None]) -> None:
        """Calls ``listener`` with what other clients changed (on the watcher's thread),
        after the ``subscribe`` listeners heard it."""
        if self._team is not None:
            self._team.subscribe_remote(listener)

    def on_server_status(self, listener: Callable[[bool, str], None]) -> None:
        """Calls ``listener(online, why not)`` when the server stops or starts answering."""
        if self._team is not None:
            self._team.on_server_status(listener)

    def watch(self) -> None:
        """Hear of other clients' changes from now on (NOTIFY, and a poll every second), on
        a thread of the library's own, sending edits kept offline once the server answers."""
        if self._team is not None:
            self._team.watch()

    @property
    def offline_edits(self) -> int:
        """How many edits wait in the offline queue."""
        return len(self._team.queue) if self._team is not None else 0

    def offline_conflicts(self) -> list[offline.Entry]:
        """Edits made offline that could not be sent without overwriting a newer one (kept)."""
        return self._team.queue.conflicts() if self._team is not None else []

    def send_offline_edits(self) -> int:
        """Send the edits made while the server was away, oldest first; how many went."""
        return self._team.send_offline_edits() if self._team is not None else 0

    def _offline(self, episode_id: str, kind: str, args: dict[str, object]
                 ) -> AbstractContextManager[None]:
        """Around a write: on a team library whose server does not answer, the edit is kept
        in the offline queue (``SavedOffline``) instead of failing."""
        if self._team is None:
            return nullcontext()
        return self._team.offline(episode_id, kind, args)

    def _send(self, entry: offline.Entry) -> None:
        """One queued edit, written as it would have been."""
        a, episode_id = entry.args, entry.episode_id
        if entry.kind == offline.NOTES:
            self._lists.set_notes(episode_id, a["text"], base=a["base"])
        elif entry.kind in (offline.TAKEAWAYS, offline.RELATED):
            known, drafts = list_edit(a)
            if entry.kind == offline.TAKEAWAYS:
                self._lists.save_takeaways(episode_id, known, drafts)
            else:
                self._lists.save_related(episode_id, known, drafts)
        elif entry.kind == offline.TAKEAWAY:
            self._lists.add_takeaway(episode_id, a["text"], highlight_id=a["highlight_id"])
        elif entry.kind == offline.HIGHLIGHT:
            self._add_highlight(episode_id, a["start"], a["end"], a["colour"], a["comment"])
        elif entry.kind == offline.HIGHLIGHT_EDIT:
            self._update_highlight(episode_id, a["highlight_id"], a["colour"], a["comment"],
                                   a["base_version"])
        elif entry.kind == offline.HIGHLIGHT_DELETE:
            self._delete_highlight(episode_id, a["highlight_id"])

    def search(self, query: str, limit: int = 20) -> SearchResults:
        glossary = self.glossary()
        return self._keeper.query(lambda ix: ix.search(query, limit, transcript_of=self._transcript,
                                                       glossary=glossary,
                                                       transcripts_of=self._transcripts))

    def hits(self, query: str, episode_id: str) -> list[tuple[int, int]]:
        transcript = self._transcript(episode_id)
        glossary = self.glossary()
        return self._keeper.query(lambda ix: ix.hits(query, episode_id, transcript, glossary))

    def suggest_spellings(self, term: str, limit: int = 10) -> list[Suggestion]:
        """Word sequences of the transcripts that may be mishearings of ``term``, best first."""
        glossary = self.glossary()
        return self._keeper.query(lambda ix: ix.suggest_spellings(
            term, transcript_of=self._transcript, glossary=glossary, limit=limit))

    # -- the glossary ----------------------------------------------------------------------
    # Read on every search (a small table): a term added by another window or the command
    # line is searched for at once, with no index rebuild.

    def glossary(self) -> Glossary:
        with self._sessions() as session:
            return glossary_rows.glossary(session)

    def add_terms(self, canonical: str, variants: Sequence[str]) -> tuple[GlossaryEntry, list[str]]:
        """Add variants to the entry ``canonical`` (made if new); (entry, variants it had).
        LibraryError when a spelling is unusable or belongs to another entry."""
        try:
            with self._transaction() as session:
                return glossary_rows.add(session, canonical, variants)
        except GlossaryError as exc:
            raise LibraryError(str(exc)) from None

    def remove_terms(self, terms: Sequence[str]) -> tuple[list[str], list[str]]:
        """Remove canonical names (with their variants) or single variants: (removed, unknown)."""
        with self._transaction() as session:
            return glossary_rows.remove(session, terms)

    def paragraphs(self, transcript: str, words: int, *, glossary_names: bool = False,
                   episode_id: str | None = None) -> ParagraphedText:
        """``transcript`` as the view shows it: paragraphs of about ``words`` words and, with
        ``glossary_names``, each variant of a glossary name shown as its canonical spelling
        (the transcript itself is not changed; offsets map back to it). With the episode's
        subtitles (``episode_id``), paragraphs end at long pauses too."""
        pauses: list[int] = []
        if episode_id is not None:
            try:
                times = self.word_times(episode_id)
            except LibraryError:
                times = None  # removed meanwhile: shown without
            if times is not None and times.offsets and times.offsets[-1] < len(transcript):
                pauses = times.after_pauses()
        names: list[tuple[int, int, str]] = []
        if glossary_names:
            glossary = self.glossary()
            if glossary:
                from reader.search.in_text import shown_names  # Whoosh: off the start-up path

                names = [(n.start, n.end, n.canonical) for n in shown_names(transcript, glossary)]
        return paragraphize(transcript, words, names, pauses)

    # -- timed transcripts ------------------------------------------------------------------

    def attach_subtitles(self, episode_id: str, path: Path) -> WordTimes:
        """Time the episode's words from a subtitle file (.vtt, .srt, .json3): its times are
        aligned to the note's transcript, which stays as it is. LibraryError (naming the file)
        when the file cannot be read or is another video's."""
        transcript = self._transcript(episode_id)
        try:
            times = align(transcript, read_subtitles(path))
        except SubtitleError as exc:
            raise LibraryError(f"{path}: {exc}") from None
        with self._transaction() as session:
            word_time_rows.put(session, episode_id, str(path.resolve()), len(times.starts), times.matched,
                               times.encode())
        self._report(Changes.of([episode_id], Part.TIMES))
        return times

    def _time_from_subtitles(self, besides: Mapping[str, tuple[Path, str | None]],
                             report: ImportReport) -> None:
        """Times each imported episode from the subtitle file beside its note, when that file
        is new to it, changed, or the transcript changed since it was timed."""
        listing: dict[Path, list[Path]] = {}
        for episode_id, (path, video_id) in besides.items():
            found = importer.subtitles_beside(path, video_id, listing)
            if found is None:
                continue
            with self._sessions() as session:
                row = word_time_rows.get(session, episode_id)
                known = (row.source_path, row.words, row.created_at) if row is not None else None
                words = self._row(session, episode_id).word_count  # counted on import, as the map's
            if known is not None and known[0] == str(found.resolve()) and known[1] == words \
                    and (_mtime(found) or 0.0) <= known[2].replace(tzinfo=UTC).timestamp():  # stored as UTC
                continue  # timed from this file already
            try:
                self.attach_subtitles(episode_id, found)
            except LibraryError as exc:
                report.subtitle_problems.append((str(found), str(exc).removeprefix(f"{found}: ")))
            else:
                report.timed.append(episode_id)

    def word_times(self, episode_id: str) -> WordTimes:
        """When each word is spoken: from the episode's subtitles when it has them (for the
        transcript as it is now), else estimated (``approximate``): spread over the episode's
        real length when it was given (``set_duration``), else at a speaking rate."""
        with self._sessions() as session:
            return times_of(session, self._row(session, episode_id, full=True))

    def set_duration(self, episode_id: str, seconds: float | None) -> WordTimes:
        """The episode's real length (None: not known), which estimated times are spread over;
        the episode's word times as they now are."""
        if seconds is not None and not 0 < seconds < 100 * 3600:
            raise LibraryError(f"{seconds:g} s is not an episode's length")
        with self._transaction() as session:
            row = self._row(session, episode_id, full=True)
            row.duration = seconds
            times = times_of(session, row)
        self._report(Changes.of([episode_id], Part.TIMES))
        return times

    def media(self, episode_id: str) -> Path | None:
        """The audio or video to listen along with: the file attached to the episode while it
        is there, else one beside its note (named with its Video ID or the note's name)."""
        with self._sessions() as session:
            row = self._row(session, episode_id)
            attached, source, video_id = row.media_path, row.source_path, row.video_id
        if attached and Path(attached).is_file():
            return Path(attached)
        return media_beside(Path(source), video_id) if source else None

    def attach_media(self, episode_id: str, path: Path) -> Path:
        """Keeps ``path`` (an audio or video file) as the episode's to listen along with."""
        path = path.expanduser().resolve()
        if not path.is_file():
            raise LibraryError(f"{path}: no such file")
        if path.suffix.lower() not in MEDIA_SUFFIXES:
            raise LibraryError(f"{path}: not an audio or video file (it can be "
                               f"{', '.join(MEDIA_SUFFIXES)})")
        with self._transaction() as session:
            self._row(session, episode_id).media_path = str(path)
        return path

    def find_in_episode(self, text: str, episode_id: str) -> list[tuple[int, int]]:
        transcript = self._transcript(episode_id)
        glossary = self.glossary()
        return self._keeper.query(lambda ix: ix.find_ranges(text, transcript, glossary))

    def more_like_this(self, episode_id: str, n: int = 5) -> list[EpisodeSummary]:
        similar = self._keeper.query(lambda ix: ix.more_like_this(episode_id, n))
        by_id = {s.id: s for s in self.list_episodes()}
        return [by_id[eid] for eid, _title, _score in similar if eid in by_id]

    def _transcripts(self, episode_ids: list[str]) -> dict[str, str]:
        """The transcripts of these episodes, read in one query (a search's shown results)."""
        with self._sessions() as session:
            return repo.transcripts(session, episode_ids)

    def _transcript(self, episode_id: str) -> str:
        with self._sessions() as session:
            return self._row(session, episode_id, full=True).transcript

    # -- internals ------------------------------------------------------------------------

    def _row(self, session: Session, episode_id: str, *, full: bool = False) -> EpisodeRow:
        row = repo.get(session, episode_id, full=full)
        if row is None:
            raise EpisodeNotFound(f"{episode_id}: no such episode in the library")
        return row

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        """One transaction; a failed write becomes a clear error and changes nothing."""
        try:
            with self._write_sessions.begin() as session:
                yield session
        except SQLAlchemyError as exc:
            if self.is_team and _unreachable(exc):
                raise ServerUnreachable(f"{self.location}: the library server cannot be reached "
                                        f"({_first_line(exc)}); nothing was saved") from None
            raise LibraryError(f"{self.location}: the library could not be saved "
                               f"({_first_line(exc)}); nothing was changed") from None

    @contextmanager
    def _write(self, episode_id: str, *, full: bool = False) -> Iterator[tuple[Session, EpisodeRow]]:
        with self._transaction() as session:
            row = self._row(session, episode_id, full=full)
            yield session, row
            repo.mark_stale(row, INDEX_ANNOTATIONS)


def _check_colour(colour: str) -> None:
    if colour not in HIGHLIGHT_COLOURS:
        raise LibraryError(f"unknown colour {colour!r}; use one of {', '.join(HIGHLIGHT_COLOURS)}")


def _spanning(row: EpisodeRow, start: int, end: int, *,
              besides: HighlightRow | None = None) -> tuple[int, int, list[HighlightRow]]:
    """``start..end`` grown over the placed highlights it overlaps (but ``besides``), and those
    highlights in text order: what a highlight made or resized there merges."""
    overlapping = sorted((h for h in row.highlights if h is not besides and not h.orphan
                          and h.start < end and start < h.end), key=lambda h: (h.start, h.id))
    return (min([start, *(h.start for h in overlapping)]), max([end, *(h.end for h in overlapping)]),
            overlapping)


def _joined(comments: Iterable[str]) -> str:
    """The comments of merged highlights, each once, blank lines between."""
    return "\n\n".join(dict.fromkeys(c for c in comments if c.strip()))


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def default_author() -> str:
    """The name annotations are signed with until one is set in Preferences: the OS user."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reader"


def team_folder(url: str) -> str:
    """A folder name for this client's cache of the team library at ``url``."""
    import hashlib

    return hashlib.sha256(db.describe(url).encode()).hexdigest()[:16]


def _unreachable(exc: BaseException) -> bool:
    """Whether a failed write failed because the server is away (not because of the write)."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    return isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
