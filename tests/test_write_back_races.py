"""Write-back never loses an edit made on disk, before or while it writes (the real CLI)."""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core.episode import content_hash
from reader.library import Library
from tests.conftest import ROOT, SEED_FILES, run_cli

EPISODE = "LrrHD9cdz6Q"


@pytest.fixture
def note(tmp_path: Path, data_dir: Path) -> Path:
    vault = tmp_path / "vault" / "podcast"
    vault.mkdir(parents=True)
    source = next(p for p in SEED_FILES if EPISODE in p.read_text(encoding="utf-8"))
    path = vault / "aflevering.md"
    shutil.copy(source, path)
    with Library.open(data_dir, import_seeds=False) as library:
        library.import_paths([path])
        library.set_notes(EPISODE, "Uit de app")
    return path


def _temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def _write_back_while_locked(note: Path, data_dir: Path, edit: object) -> subprocess.CompletedProcess[str]:
    """Holds the note's lock, lets a CLI write-back get as far as waiting for it (its new
    file is written beside the note), makes ``edit`` then, and lets the write-back go on."""
    with open(note, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        process = subprocess.Popen(
            [sys.executable, "-m", "reader.cli", "--data-dir", str(data_dir), "export",
             "--write-back", "--episode", EPISODE], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=dict(os.environ, PYTHONIOENCODING="utf-8"))
        while not _temp_files(note.parent):  # the write-back's file is ready: it waits on us
            assert process.poll() is None, process.communicate()
            os.sched_yield()
        edit()  # type: ignore[operator]
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_an_append_made_during_a_write_back_is_kept(note: Path, data_dir: Path) -> None:
    def append() -> None:
        with open(note, "a", encoding="utf-8") as handle:
            handle.write("\nToegevoegd in de editor\n")

    result = _write_back_while_locked(note, data_dir, append)
    assert result.returncode == 2  # nothing written: nothing done
    assert "changed on disk" in result.stderr and len(result.stderr.splitlines()) == 1
    assert note.read_text(encoding="utf-8").endswith("Toegevoegd in de editor\n")
    assert "Uit de app" not in note.read_text(encoding="utf-8")
    assert not _temp_files(note.parent)


def test_an_editor_saving_by_rename_during_a_write_back_is_kept(note: Path, data_dir: Path) -> None:
    saved_by_editor = note.read_text(encoding="utf-8") + "\nOpgeslagen door Obsidian\n"

    def save_by_rename() -> None:
        other = note.with_name("editor-save.part")
        other.write_text(saved_by_editor, encoding="utf-8")
        os.replace(other, note)

    result = _write_back_while_locked(note, data_dir, save_by_rename)
    assert result.returncode == 2 and "changed on disk" in result.stderr
    assert note.read_text(encoding="utf-8") == saved_by_editor
    assert not _temp_files(note.parent)


def test_a_write_back_without_an_edit_goes_through_the_lock(note: Path, data_dir: Path) -> None:
    result = _write_back_while_locked(note, data_dir, lambda: None)
    assert result.returncode == 0, result.stderr
    assert "## Notes\n\nUit de app\n" in note.read_text(encoding="utf-8")


def test_after_a_crash_mid_write_back_the_next_one_knows_its_own_file(note: Path, data_dir: Path) -> None:
    # The state a write-back killed after replacing the file leaves: the library recorded
    # what it was about to write, the file holds it, the library's own record is the old one.
    with Library.open(data_dir, import_seeds=False) as library:
        written = library.render(EPISODE)
    note.write_bytes(written.encode("utf-8"))
    with sqlite3.connect(data_dir / "library.sqlite3") as db:
        db.execute("INSERT INTO pending_writes VALUES (?, ?)",
                   (EPISODE, content_hash(written.encode("utf-8"))))
    assert run_cli("annotate", EPISODE, "--notes", "Verder getypt", data_dir=data_dir).returncode == 0
    result = run_cli("export", "--write-back", "--episode", EPISODE, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "## Notes\n\nVerder getypt\n" in note.read_text(encoding="utf-8")


def test_a_deleted_note_is_not_written_again_unless_forced(note: Path, data_dir: Path) -> None:
    note.unlink()
    result = run_cli("export", "--write-back", "--episode", EPISODE, data_dir=data_dir)
    assert result.returncode == 2
    assert "gone from disk" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not note.exists()
    shutil.rmtree(note.parent)
    result = run_cli("export", "--write-back", "--force", "--episode", EPISODE, data_dir=data_dir)
    assert result.returncode == 2 and "folder is gone" in result.stderr
    assert not note.parent.exists()  # no folder made either
    note.parent.mkdir()
    result = run_cli("export", "--write-back", "--force", "--episode", EPISODE, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "## Notes\n\nUit de app\n" in note.read_text(encoding="utf-8")


def test_forcing_keeps_exactly_the_file_it_replaced(note: Path, data_dir: Path) -> None:
    edited = note.read_text(encoding="utf-8") + "\nZelf bewerkt\n"
    note.write_text(edited, encoding="utf-8")
    assert run_cli("export", "--write-back", "--episode", EPISODE, data_dir=data_dir).returncode == 2
    result = run_cli("export", "--write-back", "--force", "--episode", EPISODE, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    [backup] = note.parent.glob("*.bak")
    assert backup.read_text(encoding="utf-8") == edited


def test_an_unchanged_write_back_leaves_the_file_alone(note: Path, data_dir: Path) -> None:
    assert run_cli("export", "--write-back", "--episode", EPISODE, data_dir=data_dir).returncode == 0
    before = note.stat()
    assert run_cli("export", "--write-back", "--episode", EPISODE, data_dir=data_dir).returncode == 0
    after = note.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
