"""The bundled samples are marked in the library: a library made by one installation and used
by another (whose samples live elsewhere) still knows them, never writes them back and never
reads them again on refresh; a note of the user's with a sample's Video ID takes its place."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from reader.library import Library, WriteBackRefused
from tests.conftest import SEED_FILES, database_at

SAMPLE = "LrrHD9cdz6Q"


def _elsewhere(tmp_path: Path, library: Library) -> Path:
    """Points every sample row at a copy of the samples in another 'installation'."""
    other = tmp_path / "other-checkout" / "seeds"
    other.mkdir(parents=True)
    for seed in SEED_FILES:
        shutil.copy(seed, other / seed.name)
    with sqlite3.connect(library.data_dir / "library.sqlite3") as connection:
        for seed in SEED_FILES:
            connection.execute("UPDATE episodes SET source_path = ? WHERE source_path LIKE ?",
                               (str(other / seed.name), f"%{seed.name}"))
    return other


def test_samples_seen_at_another_installations_path_are_still_samples(tmp_path: Path) -> None:
    with Library.open(tmp_path / "data") as library:
        other = _elsewhere(tmp_path, library)
    with Library.open(tmp_path / "data") as library:
        before = {p.name: p.read_bytes() for p in other.iterdir()}
        library.set_notes(SAMPLE, "mijn aantekening")
        with pytest.raises(WriteBackRefused, match="bundled sample"):
            library.write_back(SAMPLE)
        for path in other.iterdir():
            path.touch()  # changed on disk (as a checkout's git pull would)
        assert library.refresh_sources([]).updated == []
        assert {p.name: p.read_bytes() for p in other.iterdir()} == before
        assert all(e.sample for e in library.list_episodes())
        # The user's own copy of a sample takes its place and is theirs from then on.
        vault = tmp_path / "vault"
        vault.mkdir()
        mine = vault / "mijn DeepSeek aflevering.md"
        shutil.copy(next(s for s in SEED_FILES if SAMPLE in s.read_text(encoding="utf-8")), mine)
        report = library.import_paths([vault])
        assert report.failed == [] and SAMPLE in [*report.updated, *report.unchanged]
        summary = next(e for e in library.list_episodes() if e.id == SAMPLE)
        assert not summary.sample and summary.source_path == str(mine.resolve())
        library.write_back(SAMPLE)
        assert "mijn aantekening" in mine.read_text(encoding="utf-8")


def test_the_migration_marks_samples_read_before_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = database_at(data, "0003")
    with sqlite3.connect(path) as connection:
        for episode_id, source in (("s1", "/old/checkout/reader/seeds/000_c89e2462edba1bd3.txt"),
                                   ("u1", "/home/anna/vault/seeds/mijn notitie.md")):
            connection.execute(
                "INSERT INTO episodes (id, title, show, video_id, source_url, tags, word_count, transcript,"
                " source_text, source_path, content_hash, source_mtime, notes, imported_at, updated_at,"
                " last_opened, scroll_position, index_dirty) VALUES (?, 't', '', ?, NULL, '', 1, 'w', '', ?,"
                " 'h', NULL, '', '2026-01-01', '2026-01-01', NULL, 0, 0)", (episode_id, episode_id, source))
    with Library.open(data, import_seeds=False) as library:
        marked = {e.id: e.sample for e in library.list_episodes()}
    assert marked == {"s1": True, "u1": False}
