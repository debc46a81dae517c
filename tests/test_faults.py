"""Bad input and damaged storage: one line naming the file and the problem, never a
traceback; the rest of the work goes on and nothing stored is lost (the real CLI)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from tests.conftest import SEED_FILES, run_cli


def _one_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.replace("\r", "\n").splitlines()
             if line.strip() and not line.startswith("indexing ")]  # progress is not a message
    assert len(lines) == 1, stderr
    return lines[0]


def test_a_file_name_that_is_not_utf8_is_named_and_the_rest_imported(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    shutil.copy(SEED_FILES[0], vault / "a.md")
    shutil.copy(SEED_FILES[1], os.fsdecode(os.fsencode(vault) + b"/b\xff.md"))
    shutil.copy(SEED_FILES[2], vault / "c.md")
    result = run_cli("--data-dir", tmp_path / "data", "import", vault)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "b\\xff.md" in line and "not valid UTF-8" in line
    assert "2 imported" in result.stdout or "2 unchanged" in result.stdout


def test_a_fifo_and_a_symlink_loop_say_what_they_are(tmp_path: Path) -> None:
    fifo = tmp_path / "pijp.md"
    os.mkfifo(fifo)
    (tmp_path / "lus1").symlink_to(tmp_path / "lus2")
    (tmp_path / "lus2").symlink_to(tmp_path / "lus1")
    result = run_cli("--data-dir", tmp_path / "data", "import", fifo, tmp_path / "lus1")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{fifo}: a named pipe (FIFO)" in result.stderr
    assert "loop of symbolic links" in result.stderr


def _damage_a_page(database: Path) -> None:
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        size = db.execute("PRAGMA page_size").fetchone()[0]
    with open(database, "r+b") as handle:  # a page in the middle: the transcripts' pages
        handle.seek(size * (pages // 2))
        handle.write(b"\xde\xad" * (size // 2))


def test_a_damaged_database_page_is_one_line_for_search_and_rebuild(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cli("--data-dir", data, "--samples", "list").returncode == 0
    _damage_a_page(data / "library.sqlite3")
    shutil.rmtree(data / "index", ignore_errors=True)
    for args in (("search", "model"), ("index", "--rebuild")):
        result = run_cli("--data-dir", data, *args)
        assert result.returncode == 2
        line = _one_line(result.stderr)
        assert "library.sqlite3" in line and "malformed" in line


def test_an_index_that_is_a_file_is_one_line_and_annotating_goes_on(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cli("--data-dir", data, "--samples", "list").returncode == 0
    shutil.rmtree(data / "index", ignore_errors=True)
    (data / "index").write_text("geen map")
    result = run_cli("--data-dir", data, "search", "model")
    assert result.returncode == 2
    assert "is a file, not the search index folder" in _one_line(result.stderr)
    result = run_cli("--data-dir", data, "annotate", "LrrHD9cdz6Q", "--add-takeaway", "bewaard")
    assert result.returncode == 0, result.stderr
    assert "bewaard" in run_cli("--data-dir", data, "show", "LrrHD9cdz6Q").stdout
