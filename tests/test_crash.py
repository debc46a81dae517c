"""SIGKILL at several moments leaves the database and files before or after a change."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core.note import parse
from reader.library import Library
from tests.conftest import ROOT, SEED_FILES

DRIVER = Path(__file__).with_name("crash_driver.py")


def _run_until(data_dir: Path, action: str, arg: Path | str, lines: int) -> list[str]:
    """Start the driver, read ``lines`` lines, then SIGKILL it mid-way."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, str(DRIVER), str(data_dir), action, str(arg)],
                               stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    seen = []
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(line.strip())
        if len(seen) >= lines:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()
    return seen


def _integrity(data_dir: Path) -> None:
    with sqlite3.connect(data_dir / "library.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def _many_notes(folder: Path, copies: int) -> None:
    folder.mkdir()
    for i in range(copies):
        seed = SEED_FILES[i % len(SEED_FILES)].read_text(encoding="utf-8")
        text = seed.replace("**Video ID:** ", f"**Video ID:** c{i}-", 1)
        (folder / f"note-{i}.md").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("after", [1, 7, 15])
def test_kill_during_import(tmp_path: Path, after: int) -> None:
    folder, data = tmp_path / "notes", tmp_path / "data"
    _many_notes(folder, 20)
    _run_until(data, "import", folder, after)
    _integrity(data)
    with Library.open(data, import_seeds=False) as library:
        for summary in library.list_episodes():  # whatever is there is whole
            view = library.episode(summary.id)
            assert view.transcript and len(view.transcript.split()) == summary.word_count
        report = library.import_paths([folder])  # and the rest comes in on the next try
        assert not report.failed
        assert len(library.list_episodes()) == 20


@pytest.mark.parametrize("after", [2, 4])
def test_kill_during_export(tmp_path: Path, after: int) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    with Library.open(data, import_seeds=False) as library:
        library.import_paths([ROOT / "seeds"])
        expected = {library.render(e.id) for e in library.list_episodes()}
    _run_until(data, "export", out, after)
    written = list(out.glob("*.md"))
    assert len(written) >= after - 1  # "export N" is printed once N files are written
    for path in written:  # every file there is complete
        text = path.read_text(encoding="utf-8")
        assert text in expected
        parse(text)


@pytest.mark.parametrize("after", [1, 5, 20])
def test_kill_while_annotating(tmp_path: Path, after: int) -> None:
    data = tmp_path / "data"
    with Library.open(data, import_seeds=False) as library:
        library.import_paths([ROOT / "seeds"])
    seen = _run_until(data, "annotate", "LrrHD9cdz6Q", after)
    last = int(seen[-1].split()[1])
    _integrity(data)
    with Library.open(data, import_seeds=False) as library:
        view = library.episode("LrrHD9cdz6Q")
    n = int(view.notes.split()[1])
    assert n in (last, last + 1)  # the printed step, or the one being written when killed
    assert view.takeaways in ([f"punt {n}", f"punt {n} b"], [f"punt {n - 1}", f"punt {n - 1} b"])
