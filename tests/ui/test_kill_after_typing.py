"""A window killed (SIGKILL) one second after typing stops has the note in SQLite."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.library import Library

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_notes_survive_sigkill_one_second_after_typing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    Library.open(data_dir).close()  # seeds imported before the clock matters
    text = "Wat ik onthoud: schaalwetten lopen tegen data aan."
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("kill_driver.py")), str(data_dir),
         str(tmp_path / "config"), text],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the driver has typed the note
        assert line.startswith("TYPED "), process.stderr.read() if process.stderr else line
        episode_id = line.split()[1]
        time.sleep(1.0)  # the scenario itself: the kill comes one second after typing stops
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    library = Library.open(data_dir, import_seeds=False)
    try:
        assert library.episode(episode_id).notes == text
    finally:
        library.close()
