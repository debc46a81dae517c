"""Writing annotated notes out: into a folder, to a chosen file, back onto their sources.

``NoteWriter`` is the facade's part that writes note files; ``Library`` hands it its
session factories and delegates. Reads of the store use a snapshot; write-back takes the
write lock (BEGIN IMMEDIATE) around recording and replacing the source.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from reader.export.files import SourceChanged, SourceGone, backup_path, replace_checked
from reader.files import atomic_write
from reader.library import note_export as rendering
from reader.library.changes import Changes, Part
from reader.library.importer import content_hash
from reader.library.values import ExportReport, LibraryError, WriteBackRefused
from reader.store import repo
from reader.store.models import EpisodeRow


class NoteWriter:
    def __init__(self, sessions: sessionmaker[Session],
                 transaction: Callable[[], AbstractContextManager[Session]],
                 row: Callable[..., EpisodeRow], report: Callable[[Changes], None]) -> None:
        self._sessions = sessions
        self._transaction = transaction
        self._row = row
        self._report = report

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
            exported = set(ids)  # they link to each other by the names they get in the folder
            links = rendering.link_names(session, exported)  # once, not once a note
            for done, episode_id in enumerate(ids):
                if progress is not None:
                    progress(done, len(ids))
                row = repo.get(session, episode_id, full=True)
                if row is None:
                    report.refused.append((episode_id, "no such episode in the library"))
                    continue
                target = out_dir / names[episode_id]
                text = rendering.render_row(session, row, front_matter=front_matter, in_folder=exported,
                                            names=links)
                try:
                    rendering.check_target(target, row)
                    if not (target.is_file() and target.read_bytes() == text.encode("utf-8")):
                        atomic_write(target, text)  # an export that says it already stays put
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
            if row.sample:
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
