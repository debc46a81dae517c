"""A second start on the same library hands over to the first window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from reader.ui.single_instance import InstanceGuard
from tests.conftest import ROOT


def test_second_guard_hands_over_to_the_first(qtbot, tmp_path: Path) -> None:
    first = InstanceGuard(tmp_path)
    assert first.hand_over() is False  # nobody there: it becomes the server
    try:
        with qtbot.waitSignal(first.activated, timeout=5000):
            second = InstanceGuard(tmp_path)
            assert second.hand_over() is True
        other_library = InstanceGuard(tmp_path / "other")
        assert other_library.hand_over() is False  # another library gets its own window
        other_library.close()
    finally:
        first.close()


def test_a_second_process_exits_after_handing_over(qtbot, tmp_path: Path) -> None:
    first = InstanceGuard(tmp_path / "data")
    assert first.hand_over() is False
    try:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        with qtbot.waitSignal(first.activated, timeout=20000):
            process = subprocess.Popen(
                [sys.executable, "-m", "reader.cli", "--data-dir", str(tmp_path / "data")],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.wait(timeout=60) == 0
        assert not (tmp_path / "data" / "library.sqlite3").exists()  # it never opened the library
    finally:
        first.close()
