"""Finding note files and reading them into episodes (no database here)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from reader.core.episode import Episode
from reader.core.note import NoteError, parse

NOTE_SUFFIXES = (".md", ".txt")
MAX_NOTE_BYTES = 64 * 1024 * 1024


@dataclass
class ReadNote:
    path: Path
    text: str
    episode: Episode
    content_hash: str
    mtime: float


def collect(paths: list[Path]) -> tuple[list[tuple[Path, bool]], list[tuple[str, str]], int]:
    """Note files under ``paths``: ([(file, named explicitly)], failures, files passed over).

    Folders are walked recursively; hidden files and folders and files that are not
    ``.md``/``.txt`` are passed over. A file named explicitly is always tried.
    """
    found: list[tuple[Path, bool]] = []
    failed: list[tuple[str, str]] = []
    passed_over = 0
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if any(part.startswith(".") for part in relative) or not child.is_file():
                    continue
                if child.suffix.lower() in NOTE_SUFFIXES:
                    found.append((child, False))
                else:
                    passed_over += 1
        elif path.is_file():
            found.append((path, True))
        else:
            failed.append((str(path), "no such file or folder"))
    return found, failed, passed_over


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise NoteError("binary file, not a text note")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NoteError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8 and import again"
        ) from None


def read_note(path: Path) -> ReadNote:
    """Read and parse one note; ``NoteError`` or ``OSError`` say why it cannot be."""
    stat = path.stat()
    if stat.st_size > MAX_NOTE_BYTES:
        raise NoteError(f"too large for a note ({stat.st_size // (1024 * 1024)} MB)")
    data = path.read_bytes()
    text = decode(data)
    return ReadNote(path, text, parse(text), content_hash(data), stat.st_mtime)
