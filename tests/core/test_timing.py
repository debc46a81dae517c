"""Word times aligned to the note's own transcript: exact where the subtitles have the word,
between neighbours where they lack it, refused for another video's subtitles, stored small."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reader.core.subtitles import SubtitleError, TimedWord, read_subtitles
from reader.core.timing import WordTimes, align, estimate, stamp, video_link
from tests.conftest import ROOT
from tests.subtitle_files import rolling_vtt, timed_words

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _transcript(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("## Transcript", 1)[1].split("\n## ", 1)[0].replace("\n---", "").strip()


@pytest.fixture(scope="module")
def transcript() -> str:
    return _transcript(SEEDS[0])


def test_subtitle_times_land_on_the_transcripts_words(transcript: str, tmp_path: Path) -> None:
    timed = timed_words(transcript)
    path = tmp_path / "x.nl.vtt"
    path.write_text(rolling_vtt(timed), encoding="utf-8")
    times = align(transcript, read_subtitles(path))
    assert len(times.starts) == len(timed)
    assert max(abs(a - t) for a, (_, t) in zip(times.starts, timed, strict=True)) < 0.01
    assert not times.approximate
    # A hit's moment: the word at a character offset.
    offset = transcript.index("chat gpt")
    word = len(transcript[:offset].split())
    assert times.seconds_at(offset + 2) == pytest.approx(timed[word][1], abs=0.01)


def test_words_the_subtitles_lack_or_hear_otherwise_get_times_between_neighbours(transcript: str) -> None:
    timed = timed_words(transcript, seed=3)
    rng = random.Random(5)
    heard = []
    for word, at in timed:
        roll = rng.random()
        if roll < 0.05:
            continue  # a word the subtitles lack
        heard.append(TimedWord("eh" if roll < 0.10 else word, at))  # or heard otherwise
    times = align(transcript, heard)
    errors = sorted(abs(a - t) for a, (_, t) in zip(times.starts, timed, strict=True))
    # A missing word next to a pause is put halfway across it: within the pause, never beyond.
    assert errors[int(len(errors) * 0.99)] < 0.5
    assert errors[-1] < 3.5  # the longest gap the generator makes (a music marker)
    assert all(a <= b for a, b in zip(times.starts, times.starts[1:], strict=False))


def test_subtitles_of_another_video_are_refused_in_one_line(transcript: str) -> None:
    other = [TimedWord(w, at) for w, at in timed_words(_transcript(SEEDS[1]))]
    with pytest.raises(SubtitleError, match=r"does not match the transcript \(another video\?\): only \d+%"):
        align(transcript, other)


def test_a_600_kb_transcripts_times_are_stored_in_under_200_kb() -> None:
    transcript = " ".join(_transcript(p) for p in SEEDS)
    while len(transcript.encode()) < 600_000:
        transcript += " " + transcript
    timed = timed_words(transcript)
    times = align(transcript, [TimedWord(w, at) for w, at in timed])
    data = times.encode()
    assert len(data) < 200_000, len(data)
    again = WordTimes.decode(transcript, data)
    assert again.offsets == times.offsets
    assert max(abs(a - b) for a, b in zip(again.starts, times.starts, strict=True)) < 0.0051
    with pytest.raises(ValueError, match="stored times are for"):
        WordTimes.decode(transcript + " extra", data)


def test_without_subtitles_times_are_estimated_and_say_so(transcript: str) -> None:
    guessed = estimate(transcript)
    assert guessed.approximate
    words = len(transcript.split())
    assert guessed.starts[-1] == pytest.approx((words - 1) / 2.6, rel=0.01)
    calibrated = estimate(transcript, duration=53 * 60)
    assert calibrated.starts[-1] == pytest.approx(53 * 60, rel=0.01)


def test_moments_are_written_as_readers_and_youtube_read_them() -> None:
    assert stamp(245.9) == "4:05"
    assert stamp(3723) == "1:02:03"
    assert video_link("LrrHD9cdz6Q", 245.9) == "https://www.youtube.com/watch?v=LrrHD9cdz6Q&t=245s"
