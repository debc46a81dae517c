"""Subtitle files read back to timed words: rolling auto-captions read once, word times kept
where the file has them, cue times shared out where it does not, bad files refused in a line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reader.core.subtitles import SubtitleError, read_subtitles, seconds
from tests.conftest import ROOT
from tests.subtitle_files import json3, rolling_vtt, srt, timed_words

SAMPLE = sorted((ROOT / "seeds").glob("*.txt"))[0]


@pytest.fixture(scope="module")
def timed() -> list[tuple[str, float]]:
    text = SAMPLE.read_text(encoding="utf-8")
    return timed_words(text.split("## Transcript", 1)[1].split("\n## ", 1)[0].replace("---", ""))


@pytest.mark.parametrize(("suffix", "write"), [(".vtt", rolling_vtt), (".json3", json3)])
def test_word_timed_files_give_each_word_once_at_its_time(
        timed: list[tuple[str, float]], tmp_path: Path, suffix: str,
        write: Callable[[list[tuple[str, float]]], str]) -> None:
    """A rolling auto-caption .vtt repeats each line in two or three cues; json3 does not."""
    path = tmp_path / f"Aflevering [LrrHD9cdz6Q].nl{suffix}"
    path.write_text(write(timed), encoding="utf-8")
    words = read_subtitles(path)
    assert [w.text for w in words] == [w for w, _ in timed]  # 12k words, none twice
    assert max(abs(w.start - t) for w, (_, t) in zip(words, timed, strict=True)) < 0.002


def test_srt_without_word_times_shares_each_cue_out(timed: list[tuple[str, float]], tmp_path: Path) -> None:
    path = tmp_path / "Aflevering.nl.srt"
    path.write_text(srt(timed), encoding="utf-8")
    words = read_subtitles(path)
    assert [w.text for w in words] == [w for w, _ in timed]
    errors = sorted(abs(w.start - t) for w, (_, t) in zip(words, timed, strict=True))
    assert errors[len(errors) // 2] < 1.0  # within a cue of two lines, most words near their time
    assert all(a.start <= b.start for a, b in zip(words, words[1:], strict=False))


def test_times_in_every_written_form() -> None:
    assert seconds("01:02:03.450") == pytest.approx(3723.45)
    assert seconds("02:03.5") == pytest.approx(123.5)
    assert seconds("00:00:01,469") == pytest.approx(1.469)
    with pytest.raises(SubtitleError, match="not a time"):
        seconds("1.2.3")


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("kapot.vtt", "geen webvtt hier\n", "not a WebVTT file"),
    ("kapot.json3", "{\"events\": 3}", "not a YouTube json3 file"),
    ("kapot.json3", "{niet json", "not a YouTube json3 file"),
    ("kapot.srt", "1\nnonsens --> ook\ntekst\n", "not an SRT file|holds no subtitle words"),
    ("leeg.vtt", "WEBVTT\n\n", "holds no subtitle words"),
    ("notitie.txt", "tekst", "subtitle files end in"),
])
def test_a_file_that_is_not_subtitles_is_refused_in_one_line(
        tmp_path: Path, name: str, content: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SubtitleError, match=reason) as caught:
        read_subtitles(path)
    assert "\n" not in str(caught.value)
