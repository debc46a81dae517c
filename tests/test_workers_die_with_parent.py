"""A command line killed during a two-process rebuild takes its workers with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.corpus import write_notes
from reader.library import Library
from reader.search.rebuild import PARALLEL_THRESHOLD
from tests.conftest import ROOT


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _until(condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)  # polling the process table; there is no signal to wait on
    return bool(condition())  # type: ignore[operator]


def test_kill_9_during_a_rebuild_leaves_no_worker(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    write_notes(notes, PARALLEL_THRESHOLD + 30)
    data = tmp_path / "data"
    with Library.open(data, import_seeds=False) as library:
        library.import_paths([notes])
    process = subprocess.Popen([sys.executable, "-m", "reader.cli", "--data-dir", str(data),
                                "index", "--rebuild"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=ROOT)
    workers: set[int] = set()

    def workers_started() -> bool:
        workers.update(p for p in _children(process.pid)
                       if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes())
        return len(workers) >= 2

    assert _until(workers_started, 120), "the rebuild never started its workers"
    descendants = workers | {c for w in workers for c in _children(w)} | _children(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    # A caller reading the dead command's output gets to the end: nobody holds it open.
    process.communicate(timeout=60)
    assert _until(lambda: not any(_alive(p) for p in descendants), 30), \
        [p for p in descendants if _alive(p)]
