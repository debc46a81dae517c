"""The SQLite store: migrations, models and the database file itself."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from reader.store.db import HEAD_REVISION, current_revision, head_revision, open_engine
from reader.store.models import Base
from tests.conftest import database_at


def test_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "db.sqlite3")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head_revision()
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_the_head_constant_is_alembics_head_and_the_database_records_it(tmp_path: Path) -> None:
    # open_engine compares HEAD_REVISION without importing Alembic: a new migration must move it.
    assert HEAD_REVISION == head_revision()
    engine = open_engine(tmp_path / "db.sqlite3")
    with engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
    engine.dispose()


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "db.sqlite3"
    open_engine(path).dispose()
    probe = ("import sys; from pathlib import Path; from reader.store.db import open_engine; "
             f"open_engine(Path({str(path)!r})).dispose(); print('alembic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.strip() == "False"


def test_database_is_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "db.sqlite3")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_opening_twice_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    open_engine(path).dispose()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO superseded (episode_id, note_text, created_at) "
                   "VALUES ('x', 'kept', '2026-01-01 00:00:00')")
    open_engine(path).dispose()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT note_text FROM superseded").fetchall() == [("kept",)]


def test_a_database_made_by_the_first_schema_version_keeps_every_annotation(tmp_path: Path) -> None:
    from reader.library import Library

    data = tmp_path / "data"
    path = database_at(data, "0001")
    with sqlite3.connect(path) as connection:
        connection.executescript("""
            INSERT INTO episodes VALUES ('v1', 'Titel', '', 'v1', NULL, '', 1, 'woord',
                '# Titel\n## Transcript\nwoord\n', NULL, 'h', NULL, 'mijn notities',
                '2026-01-01', '2026-01-01', NULL, 0, 2);
            INSERT INTO highlights VALUES (1, 'v1', 0, 5, 'woord', '', '', 'green', 'opm', '', 0,
                '2026-01-01', '2026-01-01');
            INSERT INTO takeaways VALUES (1, 'v1', 0, 'les', 1);
            INSERT INTO related VALUES (1, 'v1', 0, 'https://example.org', NULL);
        """)
    with Library.open(data) as library:
        view = library.episode("v1")
        assert [e.id for e in library.list_episodes()] == ["v1"]
    # Migrated to the head, after a copy of the old file was kept beside it.
    with sqlite3.connect(data / f"library.sqlite3.before-{HEAD_REVISION}.bak") as kept:
        assert kept.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert kept.execute("SELECT notes FROM episodes").fetchall() == [("mijn notities",)]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD_REVISION,)]
        plan = connection.execute("EXPLAIN QUERY PLAN SELECT id, title, show, word_count, source_path,"
                                  " last_opened FROM episodes ORDER BY title").fetchall()
        assert "COVERING INDEX ix_episodes_list" in plan[0][3]
    assert view.notes == "mijn notities"
    assert view.takeaways == ["les"]
    assert [r.text for r in view.related] == ["https://example.org"]
    assert [(h.quote, h.colour, h.comment) for h in view.highlights] == [("woord", "green", "opm")]


def test_backup_is_consistent_while_another_connection_writes(tmp_path: Path) -> None:
    from reader.store import db as store_db

    path = tmp_path / "db.sqlite3"
    open_engine(path).dispose()
    writer = sqlite3.connect(path)
    writer.execute("INSERT INTO superseded (episode_id, note_text, created_at) "
                   "VALUES ('a', 'committed', '2026-01-01')")
    writer.commit()
    writer.execute("INSERT INTO superseded (episode_id, note_text, created_at) "
                   "VALUES ('b', 'not yet', '2026-01-01')")  # open transaction
    copy = store_db.backup(path, tmp_path / "copy.sqlite3")
    writer.rollback()
    writer.close()
    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT note_text FROM superseded").fetchall() == [("committed",)]


def test_a_file_that_is_not_a_database_is_reported_and_left_alone(tmp_path: Path) -> None:
    from reader.library import DatabaseUnusable, Library

    data = tmp_path / "data"
    data.mkdir()
    path = data / "library.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseUnusable, match="could not be opened"):
        Library.open(data)
    assert path.read_bytes() == b"this is not sqlite" * 100
    kept = Library.set_aside_database(data)
    assert kept.read_bytes() == b"this is not sqlite" * 100
    with Library.open(data) as library:
        assert len(library.list_episodes()) == 5
