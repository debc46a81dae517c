"""Opening the database: engine, pragmas, migrations applied on open."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:  # Alembic costs ~75 ms to import: only a migration loads it
    from alembic.config import Config

DB_NAME = "library.sqlite3"
# The newest migration in migrations/versions; tests/test_store.py checks it is Alembic's head.
HEAD_REVISION = "0009"


class StoreError(Exception):
    """The database could not be opened or written; the message says why in one line."""


class DatabaseUnusable(StoreError):
    """The file is there but is not a usable database (truncated, not SQLite, locked)."""


_DAMAGED = ("not a database", "malformed", "file is encrypted")


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "reader.store:migrations")
    return config


def head_revision() -> str:
    """Alembic's view of the newest migration (reads the migration scripts)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The schema version recorded in the database, None for a new one (plain SQL: no Alembic)."""
    if connection.dialect.name == "sqlite":
        has_table = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").first()
    else:
        has_table = connection.exec_driver_sql(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_name = 'alembic_version'").first()
    if has_table is None:
        return None
    versions = [row[0] for row in connection.exec_driver_sql("SELECT version_num FROM alembic_version")]
    return versions[0] if len(versions) == 1 else ",".join(sorted(versions))


def _migrate(connection: Connection) -> None:
    from alembic import command

    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


# pysqlite opens a transaction only at the first write, so a read-then-write works on what it
# read before another process committed. The driver's own transaction handling is turned off
# and every transaction begins with our own BEGIN: IMMEDIATE (the write lock taken before the
# first read) on the writing engine, plain BEGIN (a consistent snapshot) for reads.
BEGIN_OPTION = "reader_begin"
WRITE_BEGIN = "BEGIN IMMEDIATE"
READ_BEGIN = "BEGIN"
BUSY_TIMEOUT_MS = 15000


def _on_begin(connection: Connection) -> None:
    connection.exec_driver_sql(connection.get_execution_options().get(BEGIN_OPTION, WRITE_BEGIN))


# PostgreSQL: the same two kinds of transaction. A write takes a transaction-scoped advisory
# lock first, so writers of one library queue up as they do on SQLite (every write of ours is
# a read-modify-write of an episode's lists, a few milliseconds); a read is a snapshot.
PG_WRITE_LOCK = 0x7265_6164  # "read": one lock per database, shared by every client
PG_WRITE_BEGIN = f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})"
PG_READ_BEGIN = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
PG_CONNECT_TIMEOUT_S = 5


def _on_pg_begin(connection: Connection) -> None:
    kind = connection.get_execution_options().get(BEGIN_OPTION, WRITE_BEGIN)
    connection.exec_driver_sql(PG_READ_BEGIN if kind == READ_BEGIN else PG_WRITE_BEGIN)


def is_server_url(target: object) -> bool:
    """Whether ``target`` names a PostgreSQL library (``postgresql+psycopg://…``)."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgresql+psycopg://"))


def describe(url: str) -> str:
    """The URL without its password, for messages and the window's title."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # WAL with synchronous=NORMAL never corrupts; FULL also keeps the last commit on power loss.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def backup(source: Path, target: Path) -> Path:
    """A consistent copy of the database at ``source``, safe while others write to it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def set_aside(path: Path) -> Path:
    """Move an unusable database (and its WAL files) out of the way; returns where it went."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.unusable-{stamp}")
    path.replace(kept)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.replace(kept.with_name(kept.name + suffix))
    return kept


def open_engine(path: Path | str) -> Engine:
    """An engine on ``path`` (or a PostgreSQL URL) with the schema migrated to head.

    Before an existing SQLite database is migrated, a copy is kept beside it.
    """
    if is_server_url(path):
        return open_server_engine(str(path))
    assert isinstance(path, Path)
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists() and path.stat().st_size > 0
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    try:
        with engine.begin() as connection:
            if current_revision(connection) != HEAD_REVISION:
                if existed:
                    backup(path, path.with_name(f"{path.name}.before-{HEAD_REVISION}.bak"))
                _migrate(connection)
    except (DatabaseError, OperationalError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        if any(sign in reason for sign in _DAMAGED):
            raise DatabaseUnusable(f"{path}: the database could not be opened ({reason})") from None
        # A full disk, a read-only folder or a lock: the file itself is fine.
        raise StoreError(f"{path}: the database could not be opened ({reason}); "
                         "check the disk and folder permissions") from None
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for writing: each transaction holds the write lock from its first statement."""
    return sessionmaker(engine, expire_on_commit=False)


def read_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for reading: a snapshot, no lock that would keep a writer waiting."""
    return sessionmaker(engine.execution_options(**{BEGIN_OPTION: READ_BEGIN}),
                        expire_on_commit=False)


class ServerUnreachable(StoreError):
    """The library's server did not answer (down, no network, wrong address)."""


def open_server_engine(url: str) -> Engine:
    """An engine on a PostgreSQL library with the schema migrated to head (the same Alembic
    migrations as SQLite; two clients opening a new library at once migrate it once)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed, pool_pre_ping=True,
                           connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S,
                                         "application_name": "transcript-reader"})
    event.listen(engine, "begin", _on_pg_begin)
    try:
        with engine.begin() as connection:
            if current_revision(connection) != HEAD_REVISION:
                _migrate(connection)
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        raise ServerUnreachable(f"{describe(url)}: the library server cannot be used "
                                f"({server_reason(exc)})") from None
    return engine


def server_reason(exc: BaseException) -> str:
    """The first line of what the server or the driver said."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
