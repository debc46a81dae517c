"""Safe file names, and replacing a note without losing an edit made meanwhile."""

from __future__ import annotations

import ctypes
import errno
import os
import re
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from reader.files import fsync_dir

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the checks before and after the swap remain
    fcntl = None  # type: ignore[assignment]

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Format characters (Unicode category Cf) can turn a name around on screen: U+202E shows
# "evil\u202Efdp.exe" as "evilexe.pdf". They go, except the joiners emoji are made with.
_KEEP_FORMAT = {"\u200d", "\ufe0f"}
_RESERVED = {
    "CON", "PRN", "AUX", "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
MAX_NAME_BYTES = 120


def safe_filename(title: str, suffix: str = ".md") -> str:
    """A file name that is valid on Windows, macOS and Linux and stays inside its folder.

    Characters Windows forbids and control characters go; emoji and accents stay (every
    platform allows them); leading dots and trailing dots/spaces go; the UTF-8 length is
    capped so the name fits every file system with room for a suffix.
    """
    name = unicodedata.normalize("NFC", title)
    name = _FORBIDDEN.sub(" ", name)
    name = "".join(c for c in name if unicodedata.category(c) != "Cf" or c in _KEEP_FORMAT)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"\.{2,}", ".", name)  # no runs of dots ("..", "...") in a name
    name = name.strip(". ")
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    name = name.rstrip(". ")
    if not name or name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}" if name else "episode"
    return name + suffix


def backup_path(path: Path, when: datetime | None = None) -> Path:
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.{stamp}.bak")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{stamp}-{n}.bak")
    return candidate


class SourceChanged(Exception):
    """The file is not the one expected (changed on disk, or while we were writing it)."""


class SourceGone(Exception):
    """The file is not there any more."""


_RENAME_EXCHANGE = 2
_LOCK_WAIT_S = 15.0


def _exchange(first: Path, second: Path) -> bool:
    """Swap two names in one step (Linux renameat2); False where the system cannot."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second),
                       _RENAME_EXCHANGE)
    if result != 0:
        error = ctypes.get_errno()
        if error in (errno.ENOSYS, errno.EINVAL, errno.EXDEV, errno.ENOTSUP):
            return False  # an old kernel, or a file system without it
        raise OSError(error, os.strerror(error), str(second))
    return True


def _lock(path: Path) -> int:
    """An exclusive advisory lock on the file at ``path`` (our own writers wait on it);
    returns its descriptor, still naming the file at ``path``."""
    deadline = time.monotonic() + _LOCK_WAIT_S
    while True:
        fd = os.open(path, os.O_RDONLY)
        if fcntl is None:
            return fd
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise OSError(errno.EWOULDBLOCK, "another write-back holds it",
                                      str(path)) from None
                    time.sleep(0.01)
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # replaced while we waited: lock the file that is there now


def _signature(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def replace_checked(path: Path, text: str, accept: Callable[[bytes], bool], *,
                    keep_old_as: Path | None = None) -> None:
    """Replace the note at ``path`` by ``text`` only if what is there now passes ``accept``.

    The file is locked (our own writers wait), read and checked, then swapped with the new
    file in one step; the file swapped out must still be the one checked (inode, size,
    modification time), else the swap is undone and ``SourceChanged`` raised: an edit made
    while we wrote is never lost. With ``keep_old_as``, the replaced file is kept there.
    Never creates a file or folder that is not there (``SourceGone``).
    """
    if not path.exists():
        raise SourceGone(str(path))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            locked = _lock(path)
        except FileNotFoundError:
            raise SourceGone(str(path)) from None
        try:
            checked = os.fstat(locked)
            with os.fdopen(os.dup(locked), "rb") as current:
                data = current.read()
            if not accept(data):
                raise SourceChanged(str(path))
            os.chmod(tmp, checked.st_mode & 0o777)
            if _exchange(tmp, path):
                if _signature(os.stat(tmp)) != _signature(checked):
                    _exchange(tmp, path)  # give back what was written meanwhile
                    raise SourceChanged(str(path))
                if keep_old_as is not None:
                    os.replace(tmp, keep_old_as)
                else:
                    tmp.unlink()
            else:
                if _signature(os.stat(path)) != _signature(checked):
                    raise SourceChanged(str(path))
                if keep_old_as is not None:
                    os.link(path, keep_old_as)
                os.replace(tmp, path)
        finally:
            os.close(locked)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
