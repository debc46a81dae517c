"""Paragraphing keeps every offset of the original transcript exact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.paragraphs import PARAGRAPH_BREAK, Utf16Map, paragraphize

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))


def _transcript(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("## Transcript", 1)[1].split("\n---", 1)[0].strip()


@pytest.fixture(scope="module")
def seed_transcripts() -> list[str]:
    return [_transcript(p) for p in SEEDS]


def _words(text: str) -> list[str]:
    return text.replace("[ __ ]", "[&nbsp;__&nbsp;]").split()


def test_paragraphs_are_readable_sizes(seed_transcripts: list[str]) -> None:
    for transcript in seed_transcripts:
        view = paragraphize(transcript, 135)
        counts = [len(view.text[s:e].split()) for s, e in view.paragraphs]
        assert len(counts) > 50
        assert max(counts) <= 160
        # Most paragraphs are close to the target; short ones only end at markers.
        near = [c for c in counts if 100 <= c <= 160]
        assert len(near) / len(counts) > 0.8
        assert "&nbsp;" not in view.text
        assert _words(view.text) == transcript.split()


def test_markers_end_paragraphs_and_bleeps_read_plainly() -> None:
    words = " ".join(f"woord{i}" for i in range(60))
    original = f"{words} [Muziek] [Applaus] hallo daar [&nbsp;__&nbsp;] zei hij"
    view = paragraphize(original, 135)
    assert f"woord59 [Muziek] [Applaus]{PARAGRAPH_BREAK}hallo daar [ __ ] zei hij" in view.text
    assert len(view.paragraphs) == 2


def test_every_original_offset_round_trips(seed_transcripts: list[str]) -> None:
    transcript = seed_transcripts[0]
    view = paragraphize(transcript, 120)
    replaced = [(p.orig_start, p.orig_end) for p in view.pieces if not p.copied]
    inside = {o for s, e in replaced for o in range(s + 1, e)}
    for offset in range(len(transcript) + 1):
        back = view.to_original(view.to_view(offset))
        if offset in inside:
            assert back == max(s for s, _ in replaced if s < offset)
        else:
            assert back == offset


def test_every_view_offset_round_trips(seed_transcripts: list[str]) -> None:
    view = paragraphize(seed_transcripts[1], 150)
    inside = {o for p in view.pieces if not p.copied for o in range(p.view_start + 1, p.view_end)}
    for offset in range(len(view.text) + 1):
        if offset not in inside:
            assert view.to_view(view.to_original(offset)) == offset


def test_a_range_maps_to_the_same_words(seed_transcripts: list[str]) -> None:
    transcript = seed_transcripts[2]
    view = paragraphize(transcript)
    for match in list(re.finditer(r"\S+(?: \S+){0,6}", transcript))[::37]:
        start, end = view.range_to_view(match.start(), match.end())
        assert _words(view.text[start:end]) == match.group().split()
        assert view.range_to_original(start, end) == (match.start(), match.end())


def test_range_touching_a_bleep_covers_it() -> None:
    original = "dat is [&nbsp;__&nbsp;] echt"
    view = paragraphize(original)
    start = original.index("[")
    s, e = view.range_to_view(start + 3, start + 5)
    assert view.text[s:e] == "[ __ ]"


def test_line_breaks_and_odd_whitespace_become_breaks_or_spaces() -> None:
    view = paragraphize("een twee\r\ndrie\tvier  vijf")
    assert view.text == f"een twee{PARAGRAPH_BREAK}drie vier  vijf"
    assert view.to_original(view.text.index("drie")) == 10


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["ja", "Nee", "woord", "[Muziek]", "[&nbsp;__&nbsp;]", "😀",
                                 "café", " ", "  ", "\n", "x😀y"]), max_size=400))
def test_round_trip_for_generated_transcripts(parts: list[str]) -> None:
    original = " ".join(parts)
    view = paragraphize(original, 40)
    assert _words(view.text) == original.split()
    boundaries = {m.start() for m in re.finditer(r"\S+", original)}
    boundaries |= {m.end() for m in re.finditer(r"\S+", original)}
    for offset in boundaries:
        assert view.to_original(view.to_view(offset)) == offset


def test_utf16_map_counts_surrogate_pairs() -> None:
    text = "a😀b🎉🎉c"
    mapping = Utf16Map(text)
    assert not mapping.identity
    utf16 = [len(text[:i].encode("utf-16-le")) // 2 for i in range(len(text) + 1)]
    assert [mapping.to_qt(i) for i in range(len(text) + 1)] == utf16
    for i, q in enumerate(utf16):
        assert mapping.from_qt(q) == i
    # Inside a surrogate pair rounds down to the character.
    assert mapping.from_qt(2) == 1
    assert Utf16Map("plain").identity


def test_long_pauses_end_paragraphs_once_they_have_a_third_of_their_words(seed_transcripts: list[str]) -> None:
    from tests.subtitle_files import timed_words

    transcript = seed_transcripts[0]
    timed = timed_words(transcript)
    starts = [m.start() for m in re.finditer(r"\S+", transcript)]
    pauses = [starts[i] for i in range(1, len(timed)) if timed[i][1] - timed[i - 1][1] >= 1.5]
    assert len(pauses) > 50
    plain = paragraphize(transcript, 130)
    paused = paragraphize(transcript, 130, pauses=pauses)
    assert paused.text.replace(PARAGRAPH_BREAK, " ") == plain.text.replace(PARAGRAPH_BREAK, " ")
    pause_set = set(pauses)
    firsts = [paused.to_original(start) for start, _end in paused.paragraphs[1:]]
    at_pauses = [f for f in firsts if f in pause_set]
    assert len(at_pauses) > len(firsts) / 2  # most paragraphs now start where the speaker paused
    for (start, end) in paused.paragraphs:
        assert len(paused.text[start:end].split()) <= round(130 * 1.15) + 1
    for first in at_pauses:  # none shorter than a third of the length asked (but at markers)
        if transcript[:first].split()[-1].endswith("]"):
            continue  # a paragraph ends after stage markers sooner
        index = firsts.index(first)
        before = paused.paragraphs[index]
        assert len(paused.text[before[0]:before[1]].split()) >= 130 // 3
    for offset in range(0, len(transcript), 997):  # offsets still map back
        assert paused.to_original(paused.to_view(offset)) == offset or transcript[offset].isspace()
