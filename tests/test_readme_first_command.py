"""The README's first command, run as a newcomer runs it: in a fresh clone, on a machine with no
display. It must install the program and end in the one-line "no display" message (exit 2),
not in a Qt abort. (tests/ui/test_no_display.py checks the message itself from this checkout.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT


def readme_commands(readme: str) -> list[str]:
    """The lines of the README's first ``sh`` block: the commands it starts with."""
    match = re.search(r"```sh\n(.*?)```", readme, re.DOTALL)
    assert match, "the README does not start with a sh block of commands"
    return [line for line in match.group(1).splitlines() if line.strip()]


def test_the_readme_starts_with_the_install_and_the_test_command() -> None:
    first, second = readme_commands((ROOT / "README.md").read_text("utf-8"))
    assert "pip install -e ." in first and first.endswith(".venv/bin/transcript-reader")
    assert "QT_QPA_PLATFORM=offscreen" in second and second.endswith("-m pytest")


@pytest.mark.skipif(not (ROOT / ".git").exists() or shutil.which("git") is None,
                    reason="needs a git checkout to clone (not an sdist)")
def test_the_first_command_in_a_fresh_clone_with_no_display(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    first = readme_commands((clone / "README.md").read_text("utf-8"))[0]
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "VIRTUAL_ENV", "PYTHONPATH")}
    # A newcomer's own home, so the program's first start is a first start; pip keeps its
    # download cache where it was (the install is what is tried, not the network).
    env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    env["HOME"] = str(tmp_path / "home")
    env["XDG_DATA_HOME"] = str(tmp_path / "home" / "data")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "home" / "config")
    for name in ("TRANSCRIPT_READER_DATA_DIR", "TRANSCRIPT_READER_CONFIG_DIR"):
        env.pop(name, None)
    done = subprocess.run(["bash", "-c", first], cwd=clone, env=env, capture_output=True,
                          text=True, timeout=900)
    lines = done.stderr.splitlines()
    assert done.returncode == 2, done.stderr[-2000:]
    assert lines and lines[-1].startswith("transcript-reader: no display found"), done.stderr[-2000:]
    assert "QT_QPA_PLATFORM=offscreen" in lines[-1]
    assert "Traceback" not in done.stderr and "Aborted" not in done.stderr
    # It installed the program into the clone's own environment, and opened nothing.
    assert (clone / ".venv" / "bin" / "transcript-reader").exists()
    assert not (tmp_path / "home" / "data" / "transcript-reader").exists()
