"""The program starts its window from the command line (a real process, offscreen)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from reader.ui.app import SMOKE_TEST_ENV


def test_window_starts_on_a_fresh_data_dir_and_quits(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **{SMOKE_TEST_ENV: "1"})
    result = subprocess.run([sys.executable, "-m", "reader.cli", "--data-dir", str(tmp_path / "d")],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "d" / "library.sqlite3").exists()  # first run imported the seeds
