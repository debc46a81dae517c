"""Subtitle files for a transcript, as YouTube and yt-dlp write them, with known word times.

The samples come without subtitles, so tests make them: plausible times (longer words take
longer, a pause every few dozen words, music markers take seconds), then the same words as a
rolling auto-caption ``.vtt``, a plain ``.srt`` and a ``.json3``.
"""

from __future__ import annotations

import json
import random
import wave
from pathlib import Path

LINE_WORDS = 8  # words in one caption line, as YouTube's auto-captions show them


def timed_words(transcript: str, seed: int = 0) -> list[tuple[str, float]]:
    """Each word of ``transcript`` with the second it starts at."""
    rng = random.Random(seed)
    at = 0.4
    out: list[tuple[str, float]] = []
    next_pause = rng.randint(20, 60)
    for number, word in enumerate(transcript.split()):
        out.append((word, round(at, 3)))
        at += 3.0 if word.startswith("[") else 0.12 + 0.045 * len(word) + rng.uniform(0, 0.05)
        if number == next_pause:
            at += rng.uniform(0.8, 2.0)
            next_pause += rng.randint(20, 60)
    return out


def _stamp(seconds: float, comma: bool = False) -> str:
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{',' if comma else '.'}{ms:03d}"


def _lines(timed: list[tuple[str, float]]) -> list[list[tuple[str, float]]]:
    return [timed[i:i + LINE_WORDS] for i in range(0, len(timed), LINE_WORDS)]


def _end(lines: list[list[tuple[str, float]]], index: int) -> float:
    return lines[index + 1][0][1] if index + 1 < len(lines) else lines[index][-1][1] + 1.0


def rolling_vtt(timed: list[tuple[str, float]]) -> str:
    """A YouTube-style auto-caption file: a building cue per line (word times), a 10 ms cue
    repeating it, and the line again as the next cue's top line."""
    out = ["WEBVTT", "Kind: captions", "Language: nl", ""]
    lines = _lines(timed)
    previous = " "
    for index, line in enumerate(lines):
        start, end = line[0][1], _end(lines, index)
        building = line[0][0] + "".join(f"<{_stamp(t)}><c> {w}</c>" for w, t in line[1:])
        out += [f"{_stamp(start)} --> {_stamp(end - 0.01)} align:start position:0%", previous, building, ""]
        shown = " ".join(w for w, _ in line)
        out += [f"{_stamp(end - 0.01)} --> {_stamp(end)} align:start position:0%", shown, " ", ""]
        previous = shown
    return "\n".join(out) + "\n"


def srt(timed: list[tuple[str, float]]) -> str:
    """Plain SRT: two caption lines a cue, no word times."""
    lines = _lines(timed)
    out = []
    for number, index in enumerate(range(0, len(lines), 2), start=1):
        pair = lines[index:index + 2]
        start, end = pair[0][0][1], _end(lines, index + len(pair) - 1)
        out += [str(number), f"{_stamp(start, True)} --> {_stamp(end, True)}",
                *(" ".join(w for w, _ in line) for line in pair), ""]
    return "\n".join(out) + "\n"


def json3(timed: list[tuple[str, float]]) -> str:
    """YouTube's json3: an event per line, a segment per word with its offset."""
    lines = _lines(timed)
    events = []
    for index, line in enumerate(lines):
        start = round(line[0][1] * 1000)
        segs = [{"utf8": line[0][0], "acAsrConf": 0}]
        segs += [{"utf8": f" {w}", "tOffsetMs": round(t * 1000) - start, "acAsrConf": 0} for w, t in line[1:]]
        events.append({"tStartMs": start, "dDurationMs": round(_end(lines, index) * 1000) - start,
                       "wWinId": 1, "segs": segs})
        events.append({"tStartMs": round(_end(lines, index) * 1000) - 10, "dDurationMs": 10,
                       "wWinId": 1, "aAppend": 1, "segs": [{"utf8": "\n"}]})
    return json.dumps({"wireMagic": "pb3", "events": events})


def silent_wav(path: Path, seconds: float, rate: int = 8000) -> Path:
    """A WAV file of ``seconds`` of silence (8-bit mono: 8 KB a second), to play along with."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(b"\x80" * int(seconds * rate))  # 8-bit WAV is unsigned: 128 is silence
    return path


def short_note(note: str, words: int) -> str:
    """``note`` (a sample) with only the first ``words`` words of its transcript."""
    head, _, rest = note.partition("## Transcript")
    body, marker, tail = rest.partition("\n## ")
    kept = " ".join(body.split()[:words])
    return f"{head}## Transcript\n\n{kept}\n\n{marker.strip()} {tail}" if marker else f"{head}## Transcript\n\n{kept}\n"
