"""Two processes on one data dir: both work, nothing is corrupted, no lock traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from reader.library import Library
from tests.conftest import ROOT

WRITER = """
import sys
from pathlib import Path
from reader.library import Library
data, episode, label = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
with Library.open(data) as library:
    library.search("model")  # both processes hold the index open
    for n in range(40):
        library.set_takeaways(episode, [f"{label} {n}"])
        library.search(f"{label}")
print("ok")
"""


def test_two_processes_annotate_and_search_at_once(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        library.search("model")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    processes = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir), episode, label],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for episode, label in (("LrrHD9cdz6Q", "alfa"), ("t6CbcAlFD0o", "bravo"))
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert out.strip() == "ok" and "Traceback" not in err
    with sqlite3.connect(data_dir / "library.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Library.open(data_dir) as library:
        assert library.episode("LrrHD9cdz6Q").takeaways == ["alfa 39"]
        assert library.episode("t6CbcAlFD0o").takeaways == ["bravo 39"]
        assert [r.episode_id for r in library.search("alfa").results] == ["LrrHD9cdz6Q"]
        assert [r.episode_id for r in library.search("bravo").results] == ["t6CbcAlFD0o"]
