"""Importing notes: finding files, reading them, and storing what they hold."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.orm import Session

from reader.core import note
from reader.core import tags as tagging
from reader.core.anchoring import reanchor
from reader.core.episode import Episode, content_hash, show_of
from reader.core.merge import Annotations, annotations_of, decide
from reader.core.merge import Outcome as Decision
from reader.core.note import NoteError, parse
from reader.core.subtitles import SUBTITLE_SUFFIXES
from reader.core.worddiff import OffsetMap
from reader.export.files import safe_filename
from reader.files import is_seed
from reader.library import note_export as rendering
from reader.library.values import NOTE_SUFFIXES, ImportOutcome, LibraryError
from reader.store import repo
from reader.store.models import INDEX_ALL, EpisodeRow

_WIKILINK = re.compile(r"^\[\[([^\]|]+)(?:\|([^\]]*))?\]\]$")
# 1 MiB: ~170,000 words, eight times the longest sample. Above it the window cannot open the
# note within its 100 ms stall budget (benchmarks/bench_large_note.py: 84 ms at 1.0 MB,
# 108 ms at 1.5 MB), and indexing one takes ~40 MB a MB.
MAX_NOTE_BYTES = 1024 * 1024


@dataclass
class ReadNote:
    path: Path
    text: str
    episode: Episode
    content_hash: str
    mtime: float


def subtitles_beside(note_path: Path, video_id: str | None,
                     listing: dict[Path, list[Path]] | None = None) -> Path | None:
    """The subtitle file beside a note, if there is one: named with the note's Video ID (as
    yt-dlp names it, ``Title [ID].nl.vtt``) or with the note's own name (``note.nl.vtt``,
    ``note.srt``), in any language. json3 and WebVTT first (they carry each word's time),
    Dutch first. ``listing`` keeps each folder's subtitle files for the next note in it."""
    folder = note_path.parent
    if listing is not None and folder in listing:
        siblings = listing[folder]
    else:
        try:
            siblings = [p for p in folder.iterdir() if p.suffix.lower() in SUBTITLE_SUFFIXES and p.is_file()]
        except OSError:
            siblings = []
        if listing is not None:
            listing[folder] = siblings
    stem = note_path.stem

    def named_for_it(path: Path) -> bool:
        name = path.name
        return (bool(video_id) and f"[{video_id}]" in name) or name.startswith(f"{stem}.")

    found = [p for p in siblings if named_for_it(p)]
    order = {".json3": 0, ".vtt": 1, ".srt": 2}
    found.sort(key=lambda p: (".nl." not in p.name.lower(), order[p.suffix.lower()], p.name))
    return found[0] if found else None


MEDIA_SUFFIXES = (".m4a", ".opus", ".webm", ".mp3", ".ogg", ".wav", ".flac", ".mp4", ".mkv")


def media_beside(note_path: Path, video_id: str | None) -> Path | None:
    """The audio or video file beside a note, named as its subtitles would be (the Video ID in
    brackets as yt-dlp names it, or the note's own name); audio before video."""
    try:
        siblings = [p for p in note_path.parent.iterdir()
                    if p.suffix.lower() in MEDIA_SUFFIXES and p.is_file()]
    except OSError:
        return None
    stem = note_path.stem
    found = [p for p in siblings if (bool(video_id) and f"[{video_id}]" in p.name)
             or p.stem == stem or p.name.startswith(f"{stem}.")]
    found.sort(key=lambda p: (MEDIA_SUFFIXES.index(p.suffix.lower()), p.name))
    return found[0] if found else None


def collect(paths: list[Path]) -> tuple[list[tuple[Path, bool]], list[tuple[str, str]], int]:
    """Note files under ``paths``: ([(file, named explicitly)], failures, files passed over).

    Folders are walked recursively; hidden files and folders (and ``__pycache__``) are left
    out, subtitle files are left for the note beside them, other files that are not notes by
    their suffix are passed over (counted). A file named explicitly is always tried.
    """
    found: list[tuple[Path, bool]] = []
    failed: list[tuple[str, str]] = []
    passed_over = 0
    for path in paths:
        if not _utf8_name(path):
            failed.append((shown_path(path), _BAD_NAME))
            continue
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                # Hidden files and folders, and Python's byte-code caches (a folder of notes
                # that is also a package, like the bundled samples), are nobody's notes.
                if (any(part.startswith(".") or part == "__pycache__" for part in relative)
                        or not child.is_file()):
                    continue
                if child.suffix.lower() in SUBTITLE_SUFFIXES + MEDIA_SUFFIXES:
                    continue  # read with the note beside it (subtitles_beside, media_beside)
                if child.suffix.lower() not in NOTE_SUFFIXES:
                    passed_over += 1
                elif not _utf8_name(child):
                    failed.append((shown_path(child), _BAD_NAME))
                else:
                    found.append((child, False))
        elif path.is_file() and path.suffix.lower() not in NOTE_SUFFIXES:
            suffixes = ", ".join(NOTE_SUFFIXES)
            failed.append((str(path), f"not a note file (notes end in {suffixes})"))
        elif path.is_file():
            found.append((path, True))
        else:
            failed.append((str(path), _why_not_a_file(path)))
    return found, failed, passed_over


_BAD_NAME = "the file name is not valid UTF-8; rename it to import it"


def _utf8_name(path: Path) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_path(path: Path) -> str:
    """A path as text that can be printed, whatever bytes its name holds."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _why_not_a_file(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a loop of symbolic links, not a file"
        if exc.errno == errno.ENOENT:
            return "no such file or folder" if not path.is_symlink() else \
                "a symbolic link to nothing (its target is gone)"
        return f"cannot be read ({exc.strerror})"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a note file; not read"
    if stat.S_ISSOCK(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device or socket, not a note file; not read"
    return "not a regular file or folder"


def decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise NoteError("binary file, not a text note")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NoteError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8 and import again"
        ) from None


def read_note(path: Path) -> ReadNote:
    """Read and parse one note; ``NoteError`` or ``OSError`` say why it cannot be."""
    info = path.stat()
    if info.st_size > MAX_NOTE_BYTES:
        raise NoteError(f"too large for a note ({info.st_size / 1e6:.1f} MB; the limit is "
                        f"{MAX_NOTE_BYTES / 1e6:.1f} MB, about 170,000 words)")
    data = path.read_bytes()
    text = decode(data)
    return ReadNote(path, text, parse(text), content_hash(data), info.st_mtime)


@dataclass(frozen=True)
class Stored:
    outcome: ImportOutcome
    # The word diff from the transcript as it was to the new one, made once here, where the
    # highlights are re-anchored; the window carries the reading position with it.
    moves: OffsetMap | None = None


def store_note(session: Session, read: ReadNote, *, want_moves: bool = False) -> Stored:
    """Store one read note; says where it goes in the report (with ``want_moves``, also the
    word diff from the old transcript when it changed)."""
    episode = read.episode
    episode_id = episode.episode_id
    path = str(read.path.resolve())
    row = repo.get(session, episode_id, full=True)
    if row is not None and row.source_path and row.source_path != path \
            and Path(row.source_path).exists() and not row.sample:
        raise LibraryError(
            f"Video ID {episode_id} is already in the library from {row.source_path}")
    if row is not None and row.content_hash == read.content_hash:
        if row.source_path != path:
            row.source_path = path
            row.sample = row.sample and is_seed(path)  # the user's own copy of a sample
        return Stored(ImportOutcome.UNCHANGED)
    stamp = repo.now()
    fresh = row is None
    if row is None:
        row = EpisodeRow(id=episode_id, imported_at=stamp, scroll_position=0, notes="")
        session.add(row)
        base: Annotations | None = None
        library: Annotations | None = None
    else:
        base = annotations_of(note.parse(row.source_text))
        library = rendering.library_annotations(session, row)
    outcome = decide(base, library, annotations_of(episode))
    old_transcript = None if fresh else row.transcript
    changed = old_transcript is not None and old_transcript != episode.transcript
    keeps_highlights = outcome is not Decision.TAKE_FILE and bool(row.highlights)
    # The diff is made only where something needs it, and then once: the highlights kept,
    # or the window, which carries its reading place with it (``want_moves``).
    moves = (OffsetMap(old_transcript, episode.transcript)
             if changed and old_transcript is not None and (keeps_highlights or want_moves)
             else None)
    row.title, row.show = episode.title, show_of(episode.title)
    row.video_id, row.source_url = episode.video_id, episode.source_url
    if outcome is Decision.TAKE_FILE:
        row.tags = " ".join(tagging.of_episode(episode))  # else the library's stay, as its notes do
    row.transcript, row.word_count = episode.transcript, episode.word_count
    row.source_text, row.source_path = read.text, path
    row.content_hash, row.source_mtime = read.content_hash, read.mtime
    row.sample = bool(row.sample) and is_seed(path)
    row.updated_at = stamp
    repo.mark_stale(row, INDEX_ALL)
    if outcome is Decision.TAKE_FILE:
        _take_file_annotations(session, row, episode)
    else:
        if outcome is Decision.CONFLICT:
            repo.keep_superseded(session, episode_id, path, read.text)
        if old_transcript is not None and old_transcript != episode.transcript:
            kept = reanchor([repo.highlight_of(h) for h in row.highlights],
                            episode.transcript, old_transcript, moves)
            repo.set_highlights(session, row, kept)
    handed = moves if want_moves else None
    if outcome is Decision.CONFLICT:
        return Stored(ImportOutcome.CONFLICT, handed)
    return Stored(ImportOutcome.IMPORTED if fresh else ImportOutcome.UPDATED, handed)



def _take_file_annotations(session: Session, row: EpisodeRow, episode: Episode) -> None:
    if row.notes != episode.notes:
        row.notes_changed_at = row.updated_at
    row.notes, row.legacy_notes = episode.notes, False
    repo.set_takeaways(session, row, episode.takeaways)
    repo.set_related(session, row, [(item, None) for item in episode.related])
    placed = reanchor(episode.highlights, episode.transcript)
    repo.set_highlights(session, row, [
        replace(p, source_quote=o.quote) if p.quote != o.quote else p
        for o, p in zip(episode.highlights, placed, strict=True)])


def resolve_links(session: Session, episode_ids: list[str]) -> None:
    """Point wikilinks of freshly imported notes at episodes of the library."""
    for episode_id in episode_ids:
        row = repo.get(session, episode_id)
        for link in row.related if row else []:
            if link.target_id is None and (m := _WIKILINK.match(link.text)):
                target = resolve(session, m.group(1).strip(), (m.group(2) or "").strip())
                link.target_id = target if target != episode_id else None  # to itself: text


def resolve(session: Session, name: str, title: str = "") -> str | None:
    """The episode a wikilink ``[[name|title]]`` points at: by Video ID, by the note file's
    name (or the end of its path) as Obsidian resolves it, by export name, or by title."""
    if repo.get(session, name) is not None:
        return name
    wanted = name.removesuffix(".md").casefold()
    for episode_id, path in repo.source_paths(session).items():
        stem = Path(path).with_suffix("")
        if "/".join(stem.parts[-len(wanted.split("/")):]).casefold() == wanted:
            return episode_id
    for row_id, row_title in repo.titles(session).items():
        stems = {Path(safe_filename(row_title)).stem,
                 Path(rendering.export_name(row_title, row_id, clashes=True)).stem}
        if name == row_title or name in stems or (title and title == row_title):
            return row_id
    return None
