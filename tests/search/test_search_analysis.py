"""Dutch analysis and find-in-episode."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Seed

from reader.search import SearchIndex
from reader.search.analysis import DutchAnalyzer, fold


@pytest.mark.parametrize(("word", "stem_of"), [
    ("modellen", "model"), ("modelletje", "model"), ("talen", "taal"),
    ("gebruiken", "gebruikt"), ("Modellen", "model"),
])
def test_snowball3_dutch_conflates(word: str, stem_of: str) -> None:
    analyzer = DutchAnalyzer()
    assert analyzer.stem(word) == analyzer.stem(stem_of)


def test_folding_lowercases_and_strips_accents() -> None:
    assert fold("Créëren") == "creeren"
    analyzer = DutchAnalyzer()
    assert analyzer.stem("ideeën") == analyzer.stem("ideeen")


def test_tokens_carry_positions_and_offsets_into_the_given_string() -> None:
    text = "De [Muziek] modellen van voorpagina's"
    spans = list(DutchAnalyzer().spans(text))
    assert [text[s:e] for _, s, e in spans] == ["De", "Muziek", "modellen", "van",
                                                 "voorpagina", "s"]


def test_find_ranges_matches_stems(tmp_path: Path, seeds: list[Seed]) -> None:
    index = SearchIndex.open(tmp_path / "ix")
    transcript = seeds[0].transcript
    ranges = index.find_ranges("modellen", transcript)
    words = {transcript[s:e].lower() for s, e in ranges}
    assert "model" in words and "modellen" in words
    assert ranges == sorted(ranges)
    analyzer = DutchAnalyzer()
    assert all(analyzer.stem(transcript[s:e]) == "model" for s, e in ranges)


def test_find_ranges_is_phrase_aware(tmp_path: Path, seeds: list[Seed]) -> None:
    index = SearchIndex.open(tmp_path / "ix")
    transcript = seeds[0].transcript
    ranges = index.find_ranges("open source", transcript)
    assert ranges
    for start, end in ranges:  # one hit per phrase: both words and the space between
        words = transcript[start:end].lower().split()
        assert words == ["open", "source"]
    # Fewer than all occurrences of "open": only those followed by "source".
    assert len(ranges) < len(index.find_ranges("open", transcript))


def test_find_ranges_nothing_to_find(tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "ix")
    assert index.find_ranges("", "een tekst") == []
    assert index.find_ranges("  ", "een tekst") == []
    assert index.find_ranges("olifant", "een tekst") == []


def test_find_ranges_keeps_word_forms_per_transcript_never_across(tmp_path: Path,
                                                                 seeds: list[Seed]) -> None:
    from reader.search.analysis import phrase_ranges

    index = SearchIndex.open(tmp_path / "ix")
    analyzer = DutchAnalyzer()
    texts = [seed.transcript for seed in seeds] + [seeds[0].transcript + " modelletjes erbij"]
    for _ in range(2):  # the second round is answered from the kept forms (the first five)
        for text in texts:
            for query in ("modellen", "open source", "modelletjes"):
                assert index.find_ranges(query, text) == phrase_ranges(analyzer, query, text)
    edited = texts[-1]
    assert edited[slice(*index.find_ranges("modelletjes", edited)[-1])] == "modelletjes"
    assert index.find_ranges("modelletjes", seeds[0].transcript) == phrase_ranges(
        analyzer, "modelletjes", seeds[0].transcript)
