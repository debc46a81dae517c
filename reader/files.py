"""Where things live by default (platform directories), and writing a file atomically."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import platformdirs

APP_NAME = "transcript-reader"


def default_data_dir() -> Path:
    override = os.environ.get("TRANSCRIPT_READER_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_dir() -> Path:
    override = os.environ.get("TRANSCRIPT_READER_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def seeds_dir() -> Path:
    from importlib.resources import files

    return Path(str(files("reader.seeds")))


def is_seed(path: str) -> bool:
    """A bundled sample: the user's own copy of that episode takes its place."""
    return Path(path).parent == seeds_dir().resolve()


def atomic_write(path: Path, text: str, *, durable: bool = True) -> None:
    """Write ``text`` so that ``path`` holds either the old or the new content, never half.

    Bytes are written as given (``newline=""``): a note's own line endings are kept. The one
    way this program writes a whole file: notes, settings and the index manifest.
    ``durable=False`` skips the flushes to disk, for a cache rebuilt when it is lost.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        # A temporary file is private (0600); the note gets the mode it had, or a new file
        # the mode any program of the user's would give it (0666 less the umask).
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~current_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(path.parent)


_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process's umask, without changing it where the system can say (Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:  # elsewhere: set and put back at once, our threads kept out
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
