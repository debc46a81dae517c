"""The one facade the window and the command line both call.

Everything returned is a plain value (dataclasses, ids, strings), never a live ORM object, so
results may cross threads. Methods that write (import, annotate, export, index) must run on one
thread at a time: the window runs them on its single write executor.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from reader.core import note, textmerge
from reader.core.episode import (
    DEFAULT_COLOUR,
    HIGHLIGHT_COLOURS,
    Highlight,
)
from reader.export.files import SourceChanged, SourceGone, backup_path, replace_checked
from reader.files import atomic_write, default_data_dir, seeds_dir
from reader.library import importer
from reader.library import note_export as rendering
from reader.library.changes import Changes, Part
from reader.library.importer import collect, content_hash, read_note
from reader.library.index_upkeep import INDEX_DIR, IndexKeeper
from reader.library.values import (
    DatabaseUnusable,
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
    TakeawayItem,
    WriteBackRefused,
)
from reader.store import db, items, repo
from reader.store.db import DB_NAME, StoreError, open_engine, read_session_factory, session_factory
from reader.store.models import INDEX_ALL, INDEX_ANNOTATIONS, EpisodeRow, RelatedRow

if TYPE_CHECKING:
    from reader.search import SearchResults




class Library:
    """The library of episodes in one data dir: SQLite store plus Whoosh index.

    Write methods must run on one thread at a time (the window's write executor); read
    methods may run on any thread.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        first_run = not (data_dir / DB_NAME).exists()
        try:
            self._engine = open_engine(data_dir / DB_NAME)
        except OSError as exc:
            raise LibraryError(f"{data_dir}: the data folder cannot be used ({exc.strerror})") from None
        except db.DatabaseUnusable as exc:
            raise DatabaseUnusable(str(exc), data_dir / DB_NAME) from None
        except StoreError as exc:
            raise LibraryError(str(exc)) from None
        self._sessions = read_session_factory(self._engine)
        self._write_sessions = session_factory(self._engine)
        self._keeper = IndexKeeper(data_dir, self._sessions, self._transaction)
        self._listeners: list[Callable[[Changes], None]] = []
        self.first_run = first_run

    @property
    def database_path(self) -> Path:
        return self.data_dir / DB_NAME

    @property
    def index_path(self) -> Path:
        return self.data_dir / INDEX_DIR

    @classmethod
    def open(cls, data_dir: Path | None = None, *, import_seeds: bool = True) -> Library:
        library = cls(data_dir or default_data_dir())
        if library.first_run and import_seeds:
            library.import_paths([seeds_dir()])
        return library

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
                           r.last_opened,
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
                related=self._related_links(session, repo.related_rows(row).ordered()),
                highlights=[repo.highlight_of(h) for h in row.highlights],
                source_url=row.source_url, source_path=row.source_path,
                scroll_position=row.scroll_position, notes_version=row.notes_version,
                word_count=row.word_count,
                takeaway_items=takeaways,
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
        """Store Notes. With ``base`` (the Notes as the writer read them), a change made
        elsewhere since is merged in, never overwritten (see ``core.textmerge``). Line
        breaks are stored as ``\n`` (a CR or CRLF becomes one)."""
        text = _newlines(text)
        base = _newlines(base) if base is not None else None
        with self._write(episode_id) as (_session, row):
            stored, merged = row.notes, False
            result = textmerge.Merged(text, False)
            if base is not None and stored not in (base, text):
                result = textmerge.merge(base, text, stored)
                merged = True
            if result.text != stored:
                row.notes, row.legacy_notes = result.text, False
                row.notes_version += 1
                row.updated_at = repo.now()
            saved = NotesSaved(row.notes, row.notes_version, merged, result.conflict)
        self._annotated(episode_id, Part.NOTES)
        return saved

    def set_takeaways(self, episode_id: str, items: list[str]) -> None:
        """Make the takeaways exactly these (a script's replace; the window saves its edits
        with ``save_takeaways``)."""
        with self._write(episode_id) as (session, row):
            repo.set_takeaways(session, row, [i.strip() for i in items if i.strip()])
        self._annotated(episode_id, Part.TAKEAWAYS)

    def add_takeaway(self, episode_id: str, text: str, *,
                     highlight_id: int | None = None) -> TakeawayItem:
        """Append one takeaway (one row, in one transaction: parallel writers all land)."""
        text = text.strip()
        if not text:
            raise LibraryError("a takeaway needs some text")
        with self._write(episode_id) as (session, row):
            result = repo.takeaway_of(repo.add_takeaway(session, row, text, highlight_id))
        self._annotated(episode_id, Part.TAKEAWAYS)
        return result

    def save_takeaways(self, episode_id: str, known: Mapping[int, tuple[int, Hashable]],
                       drafts: Sequence[tuple[int, Hashable]]) -> ListSaved:
        """Store the window's edited list: ``drafts`` are (key, text) in the user's order,
        key a stored id or a negative key for a new item; ``known`` the stored id ->
        (version, text) of the items as the window last read them. Only the rows the user
        changed are written; see ``store.items``."""
        with self._write(episode_id) as (session, row):
            rows = repo.takeaway_rows(row)
            made, conflicts = items.save(
                rows, {i: items.Known(v, str(t)) for i, (v, t) in known.items()},
                [(key, str(text).strip()) for key, text in drafts if str(text).strip()])
            row.updated_at = repo.now()
            session.flush()
            saved = ListSaved([repo.takeaway_of(t) for t in rows.ordered()],
                              {key: r.id for key, r in made.items()}, conflicts)
        self._annotated(episode_id, Part.TAKEAWAYS)
        return saved

    def set_related(self, episode_id: str, links: list[RelatedLink]) -> None:
        with self._write(episode_id) as (session, row):
            repo.set_related(session, row, self._related_values(session, links))
        self._annotated(episode_id, Part.RELATED)

    def save_related(self, episode_id: str, known: Mapping[int, tuple[int, Hashable]],
                     drafts: Sequence[tuple[int, Hashable]]) -> ListSaved:
        """As ``save_takeaways``, for Related entries; a value is a ``RelatedLink`` (or its
        (text, episode id) pair in ``known``)."""
        with self._write(episode_id) as (session, row):
            rows = repo.related_rows(row)
            links = [v if isinstance(v, RelatedLink) else RelatedLink(*v)  # type: ignore[misc]
                     for _key, v in drafts]
            pairs = [(key, (link.text.strip(), link.episode_id))
                     for (key, _v), link in zip(drafts, links, strict=True) if link.text.strip()]
            values = self._related_values(session, [RelatedLink(t, e) for _k, (t, e) in pairs])
            made, conflicts = items.save(
                rows, {i: items.Known(v, (value.text, value.episode_id)
                                      if isinstance(value, RelatedLink) else value)
                       for i, (v, value) in known.items()},
                [(key, value) for (key, _pair), value in zip(pairs, values, strict=True)])
            row.updated_at = repo.now()
            session.flush()
            saved = ListSaved(self._related_links(session, rows.ordered()),
                              {key: r.id for key, r in made.items()}, conflicts)
        self._annotated(episode_id, Part.RELATED)
        return saved

    def add_related(self, episode_id: str, id_or_text: str) -> RelatedLink:
        """Add a link to another episode (by its id or exact title) or free text / URL."""
        text = id_or_text.strip()
        if not text:
            raise LibraryError("a related entry needs some text")
        with self._write(episode_id) as (session, row):
            target = importer.resolve(session, text)
            if target == episode_id:
                raise LibraryError(f"{episode_id}: an episode cannot be related to itself")
            new = items.add(repo.related_rows(row), (text, target))
            row.updated_at = repo.now()
            session.flush()
            link = self._related_links(session, [new])[0]
        self._annotated(episode_id, Part.RELATED)
        return link

    @staticmethod
    def _related_values(session: Session, links: list[RelatedLink]) -> list[tuple[str, str | None]]:
        known = repo.titles(session, [link.episode_id for link in links if link.episode_id])
        return [(link.text.strip(), link.episode_id if link.episode_id in known else None)
                for link in links if link.text.strip() or link.episode_id]

    @staticmethod
    def _related_links(session: Session, rows: list[RelatedRow]) -> list[RelatedLink]:
        titles = repo.titles(session, [r.target_id for r in rows if r.target_id])
        return [RelatedLink(titles.get(r.target_id, r.text) if r.target_id else r.text,
                            r.target_id if r.target_id in titles else None, r.id, r.version)
                for r in rows]

    def add_highlight(self, episode_id: str, start: int, end: int, colour: str = DEFAULT_COLOUR,
                      comment: str = "") -> Highlight:
        _check_colour(colour)
        with self._write(episode_id, full=True) as (session, row):
            try:
                highlight = Highlight.at(row.transcript, start, end, colour=colour, comment=comment)
            except ValueError as exc:
                raise LibraryError(str(exc)) from None
            new = repo.highlight_row(row.id, highlight)
            row.highlights.append(new)
            row.updated_at = repo.now()
            session.flush()
            highlight.id = new.id
        self._annotated(episode_id, Part.HIGHLIGHTS)
        return highlight

    def update_highlight(self, episode_id: str, highlight_id: int, *, colour: str | None = None,
                         comment: str | None = None) -> Highlight:
        with self._write(episode_id) as (session, row):
            found = next((h for h in row.highlights if h.id == highlight_id), None)
            if found is None:
                raise LibraryError(f"{episode_id}: no highlight {highlight_id}")
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
                     moves_for: Collection[str] = ()) -> ImportReport:
        """Import note files and folders; each file in its own transaction. For episodes in
        ``moves_for`` (the one the window has open) whose transcript changed, the report
        carries the word diff (``ImportReport.moves``)."""
        files, failed, passed_over = collect([Path(p) for p in paths])
        report = ImportReport(failed=list(failed), passed_over=passed_over)
        seen: dict[str, Path] = {}
        touched: list[str] = []
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
                                                 want_moves=episode_id in moves_for)
            except note.NotAnEpisode as exc:
                if explicit:
                    report.failed.append((str(path), str(exc)))
                else:
                    report.passed_over += 1
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
            if stored.moves is not None:
                report.moves[episode_id] = stored.moves
            if stored.outcome is not ImportOutcome.UNCHANGED:
                touched.append(episode_id)
        if progress is not None:
            progress(ImportProgress(len(files), len(files), ""))
        if touched:
            with self._transaction() as session:
                importer.resolve_links(session, touched)

            def indexing(done: int, total: int) -> None:
                if progress is not None:
                    progress(ImportProgress(done, total, "indexing"))

            self._sync(dict.fromkeys(touched, INDEX_ALL), indexing)
        changed = Part.LIST_COLUMNS | Part.TRANSCRIPT | Part.SOURCE | Part.annotations()
        self._report(Changes.of(report.imported, Part.ADDED | changed)
                     .merged(Changes.of([*report.updated, *report.conflicts], changed)))
        return report

    def refresh_sources(self, folders: Iterable[Path] = (), *,
                        cancel: Callable[[], bool] | None = None,
                        moves_for: Collection[str] = ()) -> ImportReport:
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
                if Path(path).stat().st_mtime != mtime and not importer.is_seed(path):
                    wanted.append(Path(path))
            except OSError:
                continue
        if folders:
            found, _failed, _ = collect([Path(f) for f in folders if Path(f).is_dir()])
            wanted += [p for p, _explicit in found if str(p.resolve()) not in known]
        return (self.import_paths(wanted, cancel=cancel, moves_for=moves_for) if wanted
                else ImportReport())

    # -- exporting ------------------------------------------------------------------------

    def export(self, episode_ids: list[str] | None, out_dir: Path, *, front_matter: bool = False,
               progress: Callable[[int, int], None] | None = None) -> ExportReport:
        """Write annotated notes into ``out_dir`` (all episodes when ``episode_ids`` is None)."""
        report = ExportReport()
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"{out_dir}: cannot create the folder ({exc.strerror})") from None
        with self._sessions() as session:
            names = rendering.export_names(session)
            ids = list(names) if episode_ids is None else episode_ids
            for done, episode_id in enumerate(ids):
                if progress is not None:
                    progress(done, len(ids))
                row = repo.get(session, episode_id, full=True)
                if row is None:
                    report.refused.append((episode_id, "no such episode in the library"))
                    continue
                target = out_dir / names[episode_id]
                text = rendering.render_row(session, row, front_matter=front_matter)
                try:
                    rendering.check_target(target, row)
                    atomic_write(target, text)
                except (LibraryError, OSError) as exc:
                    reason = str(exc) if isinstance(exc, LibraryError) else exc.strerror or str(exc)
                    report.refused.append((episode_id, f"{target}: {reason}"))
                    continue
                report.written.append(target)
        if progress is not None:
            progress(len(ids), len(ids))
        return report

    def export_to(self, episode_id: str, path: Path, *, front_matter: bool = False) -> Path:
        """Write one annotated note to a file the user chose (they confirmed any overwrite)."""
        with self._sessions() as session:
            row = self._row(session, episode_id, full=True)
            text = rendering.render_row(session, row, front_matter=front_matter)
            if row.source_path and path.resolve() == Path(row.source_path):
                raise WriteBackRefused(f"{path} is this episode's source file; use write back")
        try:
            atomic_write(path, text)
        except OSError as exc:
            raise LibraryError(f"{path}: could not be written ({exc.strerror or exc})") from None
        return path

    def write_back(self, episode_id: str, *, force: bool = False) -> Path:
        """Write the annotated note onto its source file; refuses if that file changed on
        disk since it was read (``force`` overwrites it, keeping it as a ``.bak``), or if it
        is gone (``force`` writes it again, but never makes a folder).

        The file is checked under a lock right before it is replaced, and an edit made while
        it is written is given back (see ``export.files.replace_checked``).
        """
        with self._transaction() as session:
            row = self._row(session, episode_id, full=True)
            if not row.source_path:
                raise WriteBackRefused(f"{episode_id}: this episode has no source file")
            if importer.is_seed(row.source_path):
                raise WriteBackRefused(f"{episode_id}: this is a bundled sample, not a file of "
                                       "yours; export it to a folder instead")
            path = Path(row.source_path)
            text = rendering.render_row(session, row, front_matter=False)
            new_hash = content_hash(text.encode("utf-8"))
            # Ours too: a file an interrupted write-back replaced before it could say so.
            accepted = {h for h in (row.content_hash, repo.pending_write(session, episode_id)) if h}
            repo.set_pending_write(session, episode_id, new_hash)
        try:
            with self._transaction() as session:
                if repo.pending_write(session, episode_id) != new_hash:
                    raise WriteBackRefused(f"{path}: another write-back of this note is under "
                                           "way; try again")
                self._replace_source(path, text, accepted, new_hash, force)
                row = self._row(session, episode_id)
                row.source_text, row.content_hash = text, new_hash
                row.source_mtime = path.stat().st_mtime
                repo.set_pending_write(session, episode_id, None)
            self._report(Changes.of([episode_id], Part.SOURCE | Part.LIST_COLUMNS))
        except OSError as exc:
            raise LibraryError(f"{path}: could not be written ({exc.strerror or exc}); "
                               "the file on disk is unchanged") from None
        return path

    @staticmethod
    def _replace_source(path: Path, text: str, accepted: set[str], new_hash: str,
                        force: bool) -> None:
        def unchanged(data: bytes) -> bool:
            found = content_hash(data)
            return force or found in accepted or found == new_hash

        try:
            if path.is_file() and content_hash(path.read_bytes()) == new_hash:
                return  # the file already says it: leave its bytes, inode and time alone
            if force and not path.exists():
                if not path.parent.is_dir():
                    raise WriteBackRefused(f"{path}: its folder is gone; export the note "
                                           "to a folder instead")
                atomic_write(path, text)
                return
            replace_checked(path, text, unchanged,
                            keep_old_as=backup_path(path) if force else None)
        except SourceGone:
            raise WriteBackRefused(
                f"{path} is gone from disk; it was not written again (write back with "
                "--force to recreate it, or export to a folder)") from None
        except SourceChanged:
            raise WriteBackRefused(
                f"{path} changed on disk since it was imported; import it again to merge, "
                "or force the write (a backup is kept)") from None

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
        self._sync({episode_id: INDEX_ANNOTATIONS})
        # The list's "annotated" mark may have changed with any annotation.
        self._report(Changes.of([episode_id], part | Part.LIST_COLUMNS))

    def _sync(self, stale: dict[str, int],
              progress: Callable[[int, int], None] | None = None) -> None:
        self._keeper.sync(stale, progress)

    def index_on_writer(self) -> None:
        """From now on readers never open or rebuild the index: ``prepare_index``, on the
        write thread, does (reads meanwhile raise ``IndexNotReady``). The window's mode."""
        self._keeper.readers_wait = True

    def prepare_index(self) -> None:
        """Open the index, bring it up to date, rebuild it if damaged (the write thread)."""
        self._keeper.index()

    def search(self, query: str, limit: int = 20) -> SearchResults:
        return self._keeper.query(lambda ix: ix.search(query, limit, transcript_of=self._transcript))

    def hits(self, query: str, episode_id: str) -> list[tuple[int, int]]:
        transcript = self._transcript(episode_id)
        return self._keeper.query(lambda ix: ix.hits(query, episode_id, transcript))

    def find_in_episode(self, text: str, episode_id: str) -> list[tuple[int, int]]:
        transcript = self._transcript(episode_id)
        return self._keeper.query(lambda ix: ix.find_ranges(text, transcript))

    def more_like_this(self, episode_id: str, n: int = 5) -> list[EpisodeSummary]:
        similar = self._keeper.query(lambda ix: ix.more_like_this(episode_id, n))
        by_id = {s.id: s for s in self.list_episodes()}
        return [by_id[eid] for eid, _title, _score in similar if eid in by_id]

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
            raise LibraryError(f"{self.data_dir / DB_NAME}: the library could not be saved "
                               f"({_first_line(exc)}); nothing was changed") from None

    @contextmanager
    def _write(self, episode_id: str, *, full: bool = False) -> Iterator[tuple[Session, EpisodeRow]]:
        with self._transaction() as session:
            row = self._row(session, episode_id, full=full)
            yield session, row
            repo.mark_stale(row, INDEX_ANNOTATIONS)


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_colour(colour: str) -> None:
    if colour not in HIGHLIGHT_COLOURS:
        raise LibraryError(f"unknown colour {colour!r}; use one of {', '.join(HIGHLIGHT_COLOURS)}")


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
