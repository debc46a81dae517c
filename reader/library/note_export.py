"""An episode of the store as note text: annotations filled into the note as read.

Functions here take an open session and an ``EpisodeRow``; the library owns transactions.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from reader.core import note
from reader.core import tags as tagging
from reader.core.episode import Episode, content_hash
from reader.core.merge import Annotations, annotations_of
from reader.export.files import safe_filename
from reader.library.timed import times_of, with_moments
from reader.library.values import WriteBackRefused
from reader.store import repo
from reader.store.models import EpisodeRow

_WIKILINK = re.compile(r"^\[\[[^\]]+\]\]$")


def export_name(title: str, episode_id: str, clashes: bool) -> str:
    """The file name an episode exports to; a shared title gets the id added."""
    return safe_filename(f"{title} ({episode_id})" if clashes else title)


def export_names(session: Session) -> dict[str, str]:
    """Every episode's export file name, unique even on case-insensitive file systems."""
    titles = repo.titles(session)
    counts: dict[str, int] = {}
    for title in titles.values():
        key = safe_filename(title).casefold()
        counts[key] = counts.get(key, 0) + 1
    return {
        episode_id: export_name(title, episode_id, counts[safe_filename(title).casefold()] > 1)
        for episode_id, title in titles.items()
    }


def vault_names(session: Session) -> dict[str, str]:
    """What a wikilink names each episode by in the vault, as Obsidian resolves it: the note
    file's name without ``.md``, or, when two notes share that name, the shortest end of
    their paths that tells them apart (``shows/poki/Aflevering 12``). An episode with no
    file of the user's (a bundled sample, one not exported yet) goes by its export name."""
    paths = {i: Path(p) for i, p in repo.source_paths(session).items()}
    names = {i: Path(name).stem for i, name in export_names(session).items()}
    by_stem: dict[str, list[str]] = {}
    for episode_id, path in paths.items():
        by_stem.setdefault(path.stem.casefold(), []).append(episode_id)
    for ids in by_stem.values():
        for episode_id in ids:
            path = paths[episode_id].with_suffix("")
            depth = 1
            others = [paths[i].with_suffix("") for i in ids if i != episode_id]
            while depth < len(path.parts) and any(
                    _tail(o, depth).casefold() == _tail(path, depth).casefold() for o in others):
                depth += 1
            names[episode_id] = _tail(path, depth)
    return names


def _tail(path: Path, depth: int) -> str:
    return "/".join(path.parts[-depth:])


def link_names(session: Session, in_folder: Collection[str] = ()) -> dict[str, str]:
    """What a wikilink names each episode by (see ``related_texts``)."""
    names = vault_names(session)
    if in_folder:
        exported = export_names(session)
        names.update({i: Path(exported[i]).stem for i in in_folder if i in exported})
    return names


def link_alias(title: str) -> str:
    """A title as a wikilink's alias: no ``|`` (it would end the alias), ``]]`` or new line."""
    return " ".join(title.replace("|", "-").replace("]]", "] ]").replace("[[", "[ [").split())


def related_texts(session: Session, row: EpisodeRow, *, in_folder: Collection[str] = (),
                  names: dict[str, str] | None = None) -> list[str]:
    """Related entries as markdown: wikilinks to episodes of the library, other text as is.

    Links name the vault's note files (``vault_names``): what is written back or compared with
    the vault. ``in_folder``: episodes exported together into one folder, which name each other
    by their export names there. ``names``: the link names worked out once for a whole export."""
    targets = repo.titles(session, [r.target_id for r in row.related if r.target_id])
    if targets and names is None:
        names = link_names(session, in_folder)
    names = names or {}
    texts = []
    for link in row.related:
        if _WIKILINK.match(link.text):
            texts.append(link.text)  # the user's own link, as they wrote it
        elif link.target_id in targets:
            texts.append(f"[[{names[link.target_id]}|{link_alias(targets[link.target_id])}]]")
        else:
            texts.append(link.text)
    return texts


def annotated(session: Session, row: EpisodeRow, *, in_folder: Collection[str] = (),
              names: dict[str, str] | None = None) -> Episode:
    """The note as last read from disk, with the library's annotations in it."""
    episode = note.parse(row.source_text)
    if not (row.legacy_notes and row.notes == episode.layout.legacy_notes):
        episode.notes = row.notes
    tagging.set_on_episode(episode, tagging.parse(row.tags))
    episode.takeaways = [t.text for t in row.takeaways]
    episode.related = related_texts(session, row, in_folder=in_folder, names=names)
    # A highlight keeps the quote its file wrote (see ``Highlight.source_quote``).
    episode.highlights = [replace(h, quote=h.source_quote) if h.source_quote else h
                          for h in map(repo.highlight_of, row.highlights)]
    return episode


def library_annotations(session: Session, row: EpisodeRow) -> Annotations:
    return annotations_of(annotated(session, row))


def render_row(session: Session, row: EpisodeRow, *, front_matter: bool,
               in_folder: Collection[str] = (), names: dict[str, str] | None = None) -> str:
    episode = annotated(session, row, in_folder=in_folder, names=names)
    if episode.highlights:
        episode.highlights = with_moments(episode.highlights, times_of(session, row),
                                          episode.video_id or row.video_id)
    if front_matter and episode.layout.front_matter_error is None:
        properties = dict(episode.front_matter or {})
        properties.update({
            "title": episode.title,
            "video_id": episode.video_id or row.id,
            "source": episode.source_url,
            "exported": date.today().isoformat(),
        })
        # The user's own tags property stays as they wrote it; else the note's tags line.
        properties.setdefault("tags", tagging.of_episode(episode))
        episode.front_matter = properties
    return note.render(episode)


def check_unchanged(path: Path, row: EpisodeRow) -> None:
    """Refuse when the file on disk is not the one last read or written."""
    try:
        current = content_hash(path.read_bytes())
    except FileNotFoundError:
        return
    if current != row.content_hash:
        raise WriteBackRefused(
            f"{path} changed on disk since it was imported; import it again to merge, "
            "or force the write (a backup is kept)")


def check_target(target: Path, row: EpisodeRow) -> None:
    """Refuse to overwrite a file that is not an earlier export of this episode."""
    if not target.exists():
        return
    if row.source_path and target.resolve() == Path(row.source_path):
        check_unchanged(target, row)
        return
    try:
        existing = note.parse(target.read_text(encoding="utf-8"))
    except (note.NoteError, UnicodeDecodeError, OSError):
        raise WriteBackRefused("a different file is already there; it was left alone") from None
    if existing.episode_id != row.id:
        raise WriteBackRefused("a note of another episode is already there; it was left alone")
