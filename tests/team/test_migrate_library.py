"""``transcript-reader migrate-library``: a local library copied into a team library on a real
PostgreSQL server, every row of every table kept; the command line as a subprocess."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from reader.library import Library
from reader.store.copying import TABLES
from reader.store.db import DB_NAME, open_engine
from reader.store.models import Base
from tests.conftest import SEEDS, run_cli


def _annotated_library(data_dir: Path) -> None:
    with Library.open(data_dir, import_seeds=False, author="Anna") as library:
        library.import_paths([SEEDS])
        for n, episode in enumerate(library.list_episodes()):
            words = list(re.finditer(r"\w+", library.episode(episode.id).transcript))
            for k in range(3):
                word = words[100 * k + n]
                library.add_highlight(episode.id, word.start(), word.end(),
                                      comment=f"opmerking {k} — “citaat” ✓")
            library.add_takeaway(episode.id, f"**vet** punt {n}\r\nmet een tweede regel")
            library.set_notes(episode.id, f"## Eigen kop\n\n- lijst {n}\n\n```\ncode\n```\n")
        library.add_terms("OpenAI", ["open ai", "open aai"])


def _every_row(url_or_path: str | Path) -> dict[str, list[tuple]]:
    engine = open_engine(url_or_path)
    out = {}
    with engine.connect() as connection:
        for name in TABLES:
            table = Base.metadata.tables[name]
            out[name] = [tuple(r) for r in connection.execute(
                select(table).order_by(*table.primary_key.columns))]
    engine.dispose()
    return out


def test_migrate_library_keeps_every_row(tmp_path: Path, pg_url: str) -> None:
    local = tmp_path / "local"
    _annotated_library(local)
    done = run_cli("migrate-library", "--from", local, "--to", pg_url)
    assert done.returncode == 0, done.stderr
    assert "every row checked" in done.stdout
    before = _every_row(local / DB_NAME)
    after = _every_row(pg_url)
    assert before == after
    assert len(after["episodes"]) == 5 and len(after["highlights"]) == 15
    # The team library goes on from there: new rows get new ids, the old ones are kept.
    with Library.open(tmp_path / "client", library_url=pg_url, author="Bram") as team:
        episode = team.list_episodes()[0]
        word = next(re.finditer(r"\w+", team.episode(episode.id).transcript[5000:]))
        made = team.add_highlight(episode.id, 5000 + word.start(), 5000 + word.end())
        assert made.id is not None and made.id > max(row[0] for row in after["highlights"])
        assert made.author == "Bram"
        assert len(team.episode(episode.id).highlights) == 4


def test_migrate_library_refuses_a_library_that_is_not_empty(tmp_path: Path, pg_url: str) -> None:
    local = tmp_path / "local"
    _annotated_library(local)
    assert run_cli("migrate-library", "--from", local, "--to", pg_url).returncode == 0
    again = run_cli("migrate-library", "--from", local, "--to", pg_url)
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1 and "already holds 5 episodes" in again.stderr
    assert "Traceback" not in again.stderr
    assert len(_every_row(pg_url)["highlights"]) == 15
