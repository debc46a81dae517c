"""When each word of a transcript is spoken: subtitle times aligned to the note's own text.

The note's transcript stays the text of record. Subtitle words are lined up with its words
by the word diff the project uses to carry highlights (``worddiff``). A matched word takes
its subtitle time. A word the subtitles lack takes a time between its matched neighbours,
spread by position. Without subtitles, times are estimated from a speaking rate, or from the
episode's real length when the user gives it, and marked approximate.

The map is stored compactly: one start per word, in centiseconds, as the differences from
the word before (two bytes each), compressed. A 600 KB transcript (about 100,000 words)
takes well under 200 KB this way.
"""

from __future__ import annotations

import re
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from reader.core.subtitles import SubtitleError, TimedWord
from reader.core.worddiff import match_words

_WORD = re.compile(r"\S+")
_PLAIN = re.compile(r"[^\w\[\]]+")
WORDS_PER_SECOND = 2.6  # Dutch podcast speech: ~155 words a minute
PAUSE_SECONDS = 1.5  # from one word's start to the next: a pause a paragraph may end at
MIN_MATCHED = 0.5  # subtitles whose words line up with fewer of the transcript's are refused
_MAX_STEP = 0xFFFF  # the largest gap one stored difference holds: 655 s


def _plain(word: str) -> str:
    return _PLAIN.sub("", word.lower())


@dataclass(frozen=True)
class WordTimes:
    """The start (seconds) of each word of one transcript, and the words' offsets."""

    offsets: tuple[int, ...]  # character offset of each word in the transcript
    starts: tuple[float, ...]  # seconds, one per word, never decreasing
    approximate: bool = False
    matched: float = 1.0  # the share of the words whose times the subtitles gave

    def seconds_at(self, offset: int) -> float:
        """The moment of the word that holds (or comes last before) character ``offset``."""
        if not self.starts:
            return 0.0
        return round(self.starts[max(0, bisect_right(self.offsets, offset) - 1)], 3)

    def after_pauses(self, seconds: float = PAUSE_SECONDS) -> list[int]:
        """The offsets of the words said after a silence of at least ``seconds`` (none while
        the times are estimated: an estimate knows no pauses)."""
        if self.approximate:
            return []
        starts, offsets = self.starts, self.offsets
        return [offsets[i] for i in range(1, len(starts)) if starts[i] - starts[i - 1] >= seconds]

    def encode(self) -> bytes:
        """The starts, compactly (see the module); the offsets come from the transcript."""
        steps = array("H")
        before = 0
        for start in self.starts:
            now = max(before, round(start * 100))
            steps.append(min(now - before, _MAX_STEP))
            before = now
        return zlib.compress(steps.tobytes(), 9)

    @classmethod
    def decode(cls, transcript: str, data: bytes, *, matched: float = 1.0) -> WordTimes:
        """The times ``encode`` gave, for ``transcript``; ValueError when they were made for
        another (its word count differs)."""
        steps = array("H")
        steps.frombytes(zlib.decompress(data))
        offsets = tuple(m.start() for m in _WORD.finditer(transcript))
        if len(steps) != len(offsets):
            raise ValueError(f"the stored times are for {len(steps)} words, the transcript has {len(offsets)}")
        return cls(offsets, tuple(cs / 100 for cs in accumulate(steps)), matched=matched)


def align(transcript: str, words: Sequence[TimedWord]) -> WordTimes:
    """The transcript's word times from ``words`` of its subtitles; SubtitleError when the
    subtitles are of another text (too few of their words line up)."""
    found = list(_WORD.finditer(transcript))
    ours = [_plain(m.group()) for m in found]
    theirs = [_plain(w.text) for w in words]
    match = match_words(ours, theirs)
    matched = sum(j != -1 for j in match)
    if not found or matched < MIN_MATCHED * len(found):
        share = matched / max(len(found), 1)
        raise SubtitleError(f"does not match the transcript (another video?): only {share:.0%} "
                            "of its words line up")
    starts: list[float | None] = [words[j].start if j != -1 else None for j in match]
    # Never earlier than a word before it (a stray match cannot turn time back).
    latest = 0.0
    for i, start in enumerate(starts):
        if start is not None:
            if start < latest:
                starts[i] = None
            else:
                latest = start
    known = [i for i, s in enumerate(starts) if s is not None]
    filled = [0.0] * len(starts)
    for i in known:
        filled[i] = starts[i] or 0.0
    for left, right in zip([-1, *known], [*known, len(starts)], strict=True):
        if right - left <= 1:
            continue
        t0 = filled[left] if left >= 0 else 0.0
        t1 = filled[right] if right < len(starts) else t0 + (right - left) / WORDS_PER_SECOND
        for i in range(left + 1, right):
            filled[i] = round(t0 + (t1 - t0) * (i - left) / (right - left), 3)
    return WordTimes(tuple(m.start() for m in found), tuple(filled), matched=matched / len(found))


def estimate(transcript: str, duration: float | None = None) -> WordTimes:
    """Times by word position: at a typical speaking rate, or spread over ``duration`` seconds."""
    offsets = tuple(m.start() for m in _WORD.finditer(transcript))
    rate = len(offsets) / duration if duration else WORDS_PER_SECOND
    # Not rounded here (seconds_at rounds): a round per word took 47 ms of a 600 KB open.
    return WordTimes(offsets, tuple(map((1 / rate).__mul__, range(len(offsets)))), approximate=True,
                     matched=0.0)


def stamp(seconds: float) -> str:
    """``"4:05"``, or ``"1:02:03"`` from an hour on."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def moment_text(seconds: float, approximate: bool) -> str:
    """A moment as the window shows it: ``12:34``, or ``≈12:34`` while estimated."""
    return f"≈{stamp(seconds)}" if approximate else stamp(seconds)


def video_link(video_id: str, seconds: float) -> str:
    return f"https://www.youtube.com/watch?v={video_id}&t={int(seconds)}s"


def parse_stamp(text: str) -> float:
    """Seconds from what a user types for a length or a moment: ``"1:02:03"``, ``"62:03"``,
    ``"3723"`` or ``"3723.5"``. ValueError names what is wrong."""
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3 or any(not p.strip() for p in parts):
        raise ValueError(f"{text.strip() or 'nothing'} is not a time (h:mm:ss, m:ss or seconds)")
    try:
        *whole, last = [p.strip() for p in parts]
        numbers = [int(p) for p in whole] + [float(last)]
    except ValueError:
        raise ValueError(f"{text.strip()} is not a time (h:mm:ss, m:ss or seconds)") from None
    if any(n < 0 for n in numbers) or (len(numbers) > 1 and any(n >= 60 for n in numbers[1:])):
        raise ValueError(f"{text.strip()} is not a time (minutes and seconds go up to 59)")
    seconds = 0.0
    for n in numbers:
        seconds = seconds * 60 + n
    return seconds
