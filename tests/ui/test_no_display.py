"""With no display, the window says so in one line and exits 2 (Qt alone would abort)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_no_display_is_one_clear_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["TRANSCRIPT_READER_CONFIG_DIR"] = str(tmp_path / "config")
    done = subprocess.run([sys.executable, "-m", "reader.cli", "--data-dir", str(tmp_path / "data")],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no display found" in done.stderr
    assert "QT_QPA_PLATFORM=offscreen" in done.stderr and "Traceback" not in done.stderr
