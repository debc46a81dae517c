"""Words with their times, read from the subtitle files YouTube and yt-dlp write.

Three formats: WebVTT (``.vtt``) and SRT (``.srt``), read with webvtt-py (MIT), and YouTube's
``.json3``, which is JSON (the standard library reads it).

YouTube's automatic captions "roll". Each line appears in two or three cues:
- a building cue whose text carries a time before every word after the first
  (``welkom<00:00:00.480><c> bij</c>``);
- a cue of about 10 ms that repeats the line;
- the next cue, which repeats the line as its top line.

Only the building lines are read, so each word is read once, with its own time. A file with
no word times (hand-made subtitles, SRT) gives each cue's new lines, with the cue's time
spread over its words by length.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

SUBTITLE_SUFFIXES = (".vtt", ".srt", ".json3")
_TIMESTAMP = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})")
_WORD_TIME = re.compile(r"<(\d+:\d{2}:\d{2}\.\d{3})>")
_TAG = re.compile(r"</?[^>]*>")


class SubtitleError(ValueError):
    """A subtitle file that cannot be read; the message names the problem."""


@dataclass(frozen=True)
class TimedWord:
    text: str
    start: float  # seconds from the start of the video


def seconds(timestamp: str) -> float:
    """``"01:02:03.450"``, ``"02:03.450"`` or SRT's ``"01:02:03,450"`` as seconds."""
    match = _TIMESTAMP.fullmatch(timestamp.strip())
    if match is None:
        raise SubtitleError(f"{timestamp!r} is not a time")
    hours, minutes, secs, fraction = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + int(fraction.ljust(3, "0")) / 1000


def _spread(text: str, start: float, end: float) -> list[TimedWord]:
    """The words of ``text`` with the cue's time shared out by their lengths."""
    words = text.split()
    total = sum(len(w) + 1 for w in words) or 1
    out, at = [], start
    for word in words:
        out.append(TimedWord(word, round(at, 3)))
        at += (end - start) * (len(word) + 1) / total
    return out


def _cue_words(cues: list[tuple[float, float, str]]) -> list[TimedWord]:
    """Words from (start, end, raw text) cues, rolling captions read once (see the module)."""
    if any(_WORD_TIME.search(text) for _, _, text in cues):
        found: list[TimedWord] = []
        for start, _end, text in cues:
            for line in text.splitlines():
                if "<c>" not in line and not _WORD_TIME.search(line):
                    continue  # a repeated line, or a line whose words were timed before
                at = start
                for piece in re.split(r"(<\d+:\d{2}:\d{2}\.\d{3}>)", line):
                    if _WORD_TIME.fullmatch(piece):
                        at = seconds(piece[1:-1])
                        continue
                    for word in _TAG.sub("", piece).split():
                        found.append(TimedWord(word, at))
        return found
    found = []
    previous: list[str] = []
    for start, end, text in cues:
        lines = [_TAG.sub("", line).strip() for line in text.splitlines()]
        lines = [line for line in lines if line]
        new = [line for line in lines if line not in previous]  # a rolled-up line is not new
        found += _spread(" ".join(new), start, end)
        previous = lines
    return found


def read_vtt(text: str) -> list[TimedWord]:
    import webvtt  # ~20 ms: imported when subtitles are read, not when the program starts
    from webvtt.errors import MalformedFileError

    try:
        captions = webvtt.from_string(text)
    except MalformedFileError as error:
        raise SubtitleError(f"not a WebVTT file ({error})") from None
    return _cue_words([(seconds(c.start), seconds(c.end), c.raw_text) for c in captions.captions])


def read_srt(path: Path) -> list[TimedWord]:
    import webvtt
    from webvtt.errors import MalformedFileError

    try:
        captions = webvtt.from_srt(str(path))
    except MalformedFileError as error:
        raise SubtitleError(f"not an SRT file ({error})") from None
    return _cue_words([(seconds(c.start), seconds(c.end), c.raw_text) for c in captions.captions])


def read_json3(text: str) -> list[TimedWord]:
    """YouTube's json3: ``events`` with ``tStartMs`` and ``segs`` of ``utf8`` and ``tOffsetMs``."""
    try:
        data = json.loads(text)
        events = data["events"]
        found: list[TimedWord] = []
        for event in events:
            start = event.get("tStartMs", 0) / 1000
            for seg in event.get("segs") or ():
                at = start + seg.get("tOffsetMs", 0) / 1000
                found += [TimedWord(word, round(at, 3)) for word in str(seg.get("utf8", "")).split()]
        return found
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise SubtitleError(f"not a YouTube json3 file ({type(error).__name__}: {error})") from None


def read_subtitles(path: Path) -> list[TimedWord]:
    """The timed words of a subtitle file, by its suffix; SubtitleError says what is wrong."""
    suffix = path.suffix.lower()
    if suffix not in SUBTITLE_SUFFIXES:
        raise SubtitleError(f"subtitle files end in {', '.join(SUBTITLE_SUFFIXES)}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SubtitleError(f"cannot be read ({error})") from None
    words = read_srt(path) if suffix == ".srt" else read_vtt(text) if suffix == ".vtt" else read_json3(text)
    if not words:
        raise SubtitleError(f"holds no subtitle words (is it {suffix[1:].upper()}?)")
    return words
