"""Writes that fail half way (a full disk) change nothing and say so in one line."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from reader.library import Library
from tests.conftest import ROOT


def _limited_cli(limit_bytes: int, *args: str | Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """The real CLI with every file write capped at ``limit_bytes`` (a full disk, in effect)."""

    def cap() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    command = [sys.executable, "-m", "reader.cli", "--data-dir", str(data_dir), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120,
                          preexec_fn=cap, env=dict(os.environ, PYTHONIOENCODING="utf-8"))


def test_write_back_that_fails_half_way_leaves_the_file_whole(data_dir: Path, notes_dir: Path) -> None:
    with Library.open(data_dir) as library:
        library.import_paths([notes_dir])
        library.set_notes("LrrHD9cdz6Q", "nieuw")
    path = notes_dir / "000_c89e2462edba1bd3.txt"
    before = path.read_bytes()
    result = _limited_cli(40_000, "export", "--write-back", "--episode", "LrrHD9cdz6Q",
                          data_dir=data_dir)
    assert result.returncode == 2  # nothing written back: nothing done
    assert "could not be written" in result.stderr and "unchanged" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == before
    assert sorted(p.name for p in notes_dir.iterdir()) == sorted(p.name for p in
                                                                 (ROOT / "seeds").glob("*.txt"))
    with Library.open(data_dir) as library:  # and the library still believes the old file
        library.write_back("LrrHD9cdz6Q")
    assert "## Notes\n\nnieuw\n" in path.read_text(encoding="utf-8")


def test_export_to_a_full_disk_reports_each_file(data_dir: Path, tmp_path: Path) -> None:
    Library.open(data_dir).close()
    out = tmp_path / "out"
    result = _limited_cli(40_000, "export", out, data_dir=data_dir)
    assert result.returncode == 2  # all five refused: nothing done
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 5 and all("File too large" in line for line in lines)
    assert list(out.iterdir()) == []  # no half-written notes, no temporary files


def test_a_database_write_that_fails_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as library:
        library.set_notes("LrrHD9cdz6Q", "oud")
    long_notes = tmp_path / "notes.txt"
    long_notes.write_text("x" * 200_000, encoding="utf-8")  # the log must grow past the cap
    result = _limited_cli(100_000, "annotate", "LrrHD9cdz6Q", "--notes-file", long_notes,
                          data_dir=data_dir)
    assert result.returncode == 2
    assert "could not be saved" in result.stderr and "nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    with Library.open(data_dir) as library:
        assert library.episode("LrrHD9cdz6Q").notes == "oud"


def test_a_database_that_cannot_be_opened_for_want_of_space_is_not_called_damaged(
        data_dir: Path) -> None:
    Library.open(data_dir).close()
    (data_dir / "library.sqlite3-shm").unlink(missing_ok=True)
    result = _limited_cli(1_000, "list", data_dir=data_dir)  # no room for the WAL index
    assert result.returncode == 2
    assert "check the disk" in result.stderr and "recover" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _without_root_powers(command: list[str]) -> list[str]:
    """``command`` such that file permissions hold for it: root ignores them unless its
    capabilities to override them are dropped (CI runs as root)."""
    if os.geteuid() != 0:
        return command
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--", *command]


def _unprivileged_cli(*args: str | Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "reader.cli", "--data-dir", str(data_dir), *map(str, args)]
    return subprocess.run(_without_root_powers(command), capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env=dict(os.environ, PYTHONIOENCODING="utf-8"))


def test_write_back_into_a_read_only_folder_says_so_and_keeps_everything(
        data_dir: Path, notes_dir: Path) -> None:
    with Library.open(data_dir) as library:
        library.import_paths([notes_dir])
        library.set_notes("LrrHD9cdz6Q", "bewaard")
    path = notes_dir / "000_c89e2462edba1bd3.txt"
    before = path.read_bytes()
    notes_dir.chmod(0o555)
    try:
        result = _unprivileged_cli("export", "--write-back", "--episode", "LrrHD9cdz6Q",
                                   data_dir=data_dir)
    finally:
        notes_dir.chmod(0o755)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert str(path) in line and "Permission denied" in line and "Traceback" not in line
    assert path.read_bytes() == before
    assert not [p for p in notes_dir.iterdir() if p.name.startswith(".")]  # no temporary left
    with Library.open(data_dir) as library:  # the annotation waits in the library
        assert library.episode("LrrHD9cdz6Q").notes == "bewaard"
        library.write_back("LrrHD9cdz6Q")  # and goes out once the folder is writable again
    assert "## Notes\n\nbewaard\n" in path.read_text(encoding="utf-8")


def test_a_data_dir_that_is_not_writable_is_one_clear_line(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as library:
        library.set_notes("LrrHD9cdz6Q", "oud")
    database = data_dir / "library.sqlite3"
    before = database.read_bytes()
    locked_parent = tmp_path / "readonly"
    locked_parent.mkdir()
    locked_parent.chmod(0o555)
    data_dir.chmod(0o555)
    database.chmod(0o444)
    try:
        fresh = _unprivileged_cli("list", data_dir=locked_parent / "data")  # cannot be created
        existing = _unprivileged_cli("annotate", "LrrHD9cdz6Q", "--notes", "nieuw", data_dir=data_dir)
    finally:
        locked_parent.chmod(0o755)
        data_dir.chmod(0o755)
        database.chmod(0o644)
    for result, named in ((fresh, locked_parent / "data"), (existing, data_dir)):
        assert result.returncode == 2, result.stderr
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("transcript-reader: ") and str(named) in line
        assert "Traceback" not in line and "recover" not in line  # not called damaged
    assert database.read_bytes() == before
    with Library.open(data_dir) as library:
        assert library.episode("LrrHD9cdz6Q").notes == "oud"


def test_a_database_locked_by_another_program_is_one_clear_line(data_dir: Path) -> None:
    import sqlite3

    with Library.open(data_dir) as library:
        library.set_notes("LrrHD9cdz6Q", "oud")
    holder = sqlite3.connect(data_dir / "library.sqlite3", isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # e.g. a sync tool or a DB browser mid-write
        result = _unprivileged_cli("annotate", "LrrHD9cdz6Q", "--notes", "nieuw", data_dir=data_dir)
    finally:
        holder.rollback()
        holder.close()
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "locked" in line and "Traceback" not in line and "recover" not in line
    with Library.open(data_dir) as library:
        assert library.episode("LrrHD9cdz6Q").notes == "oud"
