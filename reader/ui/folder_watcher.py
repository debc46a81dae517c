"""Watches the library folders for changed episode notes and says so once things settle.

GUI-thread object. The QFileSystemWatcher holds the folders, their subfolders and the episodes'
source files inside them: a folder reports notes added, removed or renamed; a file reports an
edit in place. Editors that save atomically replace the file, and the watch of the old file
ends with it, so a changed file is watched again at once and every path after each quiet spell.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from reader.ui.workers import TaskRunner

log = logging.getLogger(__name__)

# Editors and sync tools write in bursts (temp file, rename, metadata): wait for quiet.
DEBOUNCE_MS = 500


def watched_paths(folders: Iterable[Path], sources: Iterable[str]) -> tuple[list[str], list[str]]:
    """(folders, files) to watch: every folder under ``folders`` and the ``sources`` in them.

    Walks the disk: run it off the GUI thread. Hidden folders are left out: Obsidian rewrites
    ``.obsidian/workspace.json`` on every click, and ``.git``/``.trash`` hold no notes to read.
    """
    roots: list[str] = []
    directories: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        root = str(folder.resolve())
        roots.append(root)
        for current, subfolders, _files in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            directories.append(current)
    files = [source for source in sources
             if any(source.startswith(root + os.sep) for root in roots) and os.path.isfile(source)]
    return sorted(set(directories)), sorted(set(files))


class FolderWatcher(QObject):
    """``changed`` is emitted when something under the watched paths changed and then
    ``DEBOUNCE_MS`` passed without another change."""

    changed = Signal()
    paths_updated = Signal()  # the watched paths were brought up to date (tests wait on it)

    def __init__(self, reader: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader = reader
        self._watcher = QFileSystemWatcher(self)
        self._folders: list[Path] = []
        self._sources: list[str] = []
        self._generation = 0
        self._stopped = False
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(DEBOUNCE_MS)
        self._quiet.timeout.connect(self._on_quiet_timeout)
        self._watcher.fileChanged.connect(self._on_file_changed)
        self._watcher.directoryChanged.connect(self._on_directory_changed)

    def watch(self, folders: Iterable[Path], sources: Iterable[str]) -> None:
        """Watches ``folders`` with their subfolders, and those of ``sources`` inside them."""
        self._folders = [Path(f) for f in folders]
        self._sources = list(sources)
        self._update_paths()

    def paths(self) -> list[str]:
        return sorted([*self._watcher.directories(), *self._watcher.files()])

    def stop(self) -> None:
        self._stopped = True
        self._quiet.stop()
        watched = self.paths()
        if watched:
            self._watcher.removePaths(watched)

    def _update_paths(self) -> None:
        if self._stopped:
            return
        self._generation += 1
        generation = self._generation
        folders, sources = list(self._folders), list(self._sources)
        self._reader.submit(watched_paths, folders, sources,
                            on_done=lambda paths: self._on_paths_found(generation, paths),
                            on_error=lambda error: log.warning("cannot list %s: %s", folders, error))

    def _on_paths_found(self, generation: int, paths: tuple[list[str], list[str]]) -> None:
        if self._stopped or generation != self._generation:
            return  # a newer listing is on its way
        wanted = set(paths[0]) | set(paths[1])
        watched = set(self._watcher.directories()) | set(self._watcher.files())
        if watched - wanted:
            self._watcher.removePaths(sorted(watched - wanted))
        if wanted - watched:
            failed = self._watcher.addPaths(sorted(wanted - watched))
            if failed:  # e.g. the inotify watch limit; those changes show at the next start
                log.warning("cannot watch %d paths, e.g. %s", len(failed), failed[0])
        self.paths_updated.emit()

    def _on_file_changed(self, path: str) -> None:
        if path not in self._watcher.files() and os.path.isfile(path):
            self._watcher.addPath(path)  # replaced by an atomic save: watch the new file
        self._quiet.start()

    def _on_directory_changed(self, _path: str) -> None:
        self._quiet.start()

    def _on_quiet_timeout(self) -> None:
        if self._stopped:
            return
        self.changed.emit()
        self._update_paths()  # new subfolders; files that were deleted or replaced
