"""Shared fixtures: real seeds, real data dirs, the real command line."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg_server import Server, binaries

# Qt must know before any QApplication exists; the tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture
def seed_texts() -> list[str]:
    return [p.read_bytes().decode("utf-8") for p in SEED_FILES]


@pytest.fixture
def notes_dir(tmp_path: Path) -> Path:
    """A copy of the seeds in a folder of the test's own."""
    folder = tmp_path / "vault"
    folder.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run_cli(*args: str | os.PathLike[str], data_dir: Path | None = None,
            input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``transcript-reader`` as a real subprocess."""
    command = [sys.executable, "-m", "reader.cli"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    command += [str(a) for a in args]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8",
                          input=input_text, env=env, timeout=300, cwd=ROOT)


def start_cli(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    """Start ``transcript-reader`` as a real subprocess and return at once (for writers that
    run together); warnings are shown, so a test can ask that stderr stays empty."""
    return subprocess.Popen(
        [sys.executable, "-m", "reader.cli", "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env=dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONWARNINGS="always"))


def database_at(data_dir: Path, revision: str) -> Path:
    """A library database in ``data_dir`` built by the migrations up to ``revision`` only: what
    an older version of the program left."""
    from alembic import command
    from sqlalchemy import create_engine

    from reader.store import db as store_db

    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "library.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config = store_db._alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()
    return path


@pytest.fixture
def word_diffs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the word diffs made (OffsetMap built) while the test runs."""
    from reader.core.worddiff import OffsetMap

    made: list[int] = []
    real_init = OffsetMap.__init__

    def counted(self: OffsetMap, old: str, new: str) -> None:
        made.append(1)
        real_init(self, old, new)

    monkeypatch.setattr(OffsetMap, "__init__", counted)
    return made


# -- a real PostgreSQL server (tests/pg_server.py) ------------------------------------------

_DATABASES = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    bindir = binaries()
    if bindir is None:
        message = ("PostgreSQL is not installed (Debian: apt-get install postgresql); "
                   "the team library tests need a real server")
        if os.environ.get("READER_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    server = Server(bindir)
    yield server
    server.close()


@pytest.fixture
def pg_url(pg_server: Server, request: pytest.FixtureRequest) -> str:
    """A URL of a new, empty database on the test server."""
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    name = f"{name}_{next(_DATABASES)}"
    return pg_server.create_database(name)
