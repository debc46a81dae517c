"""The SQLite store: migrations, models and the database file itself."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from reader.store.db import head_revision, open_engine
from reader.store.models import Base


def test_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "db.sqlite3")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head_revision()
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


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
