"""Copying a library from one database to another (a local SQLite library into a new team
library on PostgreSQL), then checking the copy row for row."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

from sqlalchemy import Engine, Table, func, insert, select, text

from reader.store.models import Base

# Parents before children (foreign keys); the change log is the target's own history.
TABLES = ("episodes", "highlights", "takeaways", "related", "pending_writes", "superseded",
          "glossary", "word_times")
BATCH = 200


class CopyRefused(Exception):
    """The copy was not made (the message says why in one line); the target is unchanged."""


@dataclass
class CopyReport:
    rows: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return ", ".join(f"{n} {name}" for name, n in self.rows.items())


def copy_library(source: Engine, target: Engine,
                 progress: Callable[[str, int], None] | None = None) -> CopyReport:
    """Every row of ``source`` into the empty library ``target``, in one transaction of the
    target (a failure leaves it empty), then every row read back from both and compared."""
    tables = [Base.metadata.tables[name] for name in TABLES]
    with target.begin() as out:
        existing = out.execute(select(func.count()).select_from(Base.metadata.tables["episodes"])).scalar()
        if existing:
            raise CopyRefused(f"the target library already holds {existing} episodes; "
                              "copy into a new, empty one")
        with source.connect() as into:
            for table in tables:
                copied = 0
                for batch in _batches(into, table):
                    out.execute(insert(table), batch)
                    copied += len(batch)
                    if progress is not None:
                        progress(table.name, copied)
        if target.dialect.name == "postgresql":
            _move_sequences(out, tables)
    report = CopyReport()
    with source.connect() as a, target.connect() as b:
        for table in tables:
            report.rows[table.name] = _compare(a, b, table)
    return report


def _batches(connection: Any, table: Table) -> Iterator[list[dict[str, Any]]]:
    result = connection.execution_options(yield_per=BATCH).execute(
        select(table).order_by(*table.primary_key.columns))
    for part in result.mappings().partitions(BATCH):
        yield [dict(row) for row in part]


def _move_sequences(connection: Any, tables: list[Table]) -> None:
    """PostgreSQL's serial ids start past the copied ones (inserting ids leaves them at 1)."""
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (column.autoincrement == "auto"
                                                and column.type.python_type is int
                                                and len(table.primary_key.columns) == 1):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                    f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"))


def _compare(a: Any, b: Any, table: Table) -> int:
    """How many rows ``table`` has in both, having found every one equal (else CopyRefused)."""
    left = _batches(a, table)
    right = _batches(b, table)
    count = 0
    for mine, theirs in zip_longest(_rows(left), _rows(right)):
        if mine is None or theirs is None:
            raise CopyRefused(f"{table.name}: the copy has not the same number of rows")
        if mine != theirs:
            key = {c.name: mine[c.name] for c in table.primary_key.columns}
            raise CopyRefused(f"{table.name} {key}: the copy differs from the original")
        count += 1
    return count


def _rows(batches: Iterator[list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    for batch in batches:
        yield from batch
