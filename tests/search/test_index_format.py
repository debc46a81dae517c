"""The index's own posting format: packed positions and the transcript's word table.

Every figure a search shows (counts, snippets, hit ranges) is read back from these bytes, so
they are checked against the plain definition (each regex word, stemmed, numbered in order)
on the seeds and on drawn text with the hard parts: accents, ligatures, emoji, CRLF, "_",
digits, apostrophes, and texts of more than 65,536 words (four-byte positions)."""

from __future__ import annotations

from conftest import Seed
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.search.analysis import WORD, DutchAnalyzer, DutchPositions, WordTable, word_table


def reference(analyzer: DutchAnalyzer, text: str) -> dict[str, list[tuple[int, int, int]]]:
    out: dict[str, list[tuple[int, int, int]]] = {}
    for pos, m in enumerate(WORD.finditer(text)):
        out.setdefault(analyzer.stem(m.group()), []).append((pos, m.start(), m.end()))
    return out


def read_back(analyzer: DutchAnalyzer, text: str) -> dict[str, list[tuple[int, int, int]]]:
    """What the index holds for ``text``, decoded as a search decodes it."""
    DutchAnalyzer._shared_last = None
    fmt = DutchPositions()
    analysed = analyzer.analyse(text)
    table = WordTable(word_table(analysed))
    out = {}
    for term, freq, weight, value in fmt.word_values(text, analyzer):
        assert fmt.decode_frequency(value) == freq == weight
        out[term] = table.spans(fmt.decode_positions(value))
    return out


def test_the_seeds_read_back_as_analysed(seeds: list[Seed]) -> None:
    analyzer = DutchAnalyzer()
    for seed in seeds:
        assert read_back(analyzer, seed.transcript) == reference(analyzer, seed.transcript)


PIECES = st.one_of(
    st.sampled_from(list("aeëéiïoöuy ĳĲ'’_-.,\r\n\t\u00a0\u200b") + [
        "😀", "e\u0301", "ß", "ﬁ", "model", "Modellen", "12", "\r\n"]),
    st.characters(codec="utf-8"))
TEXT = st.lists(PIECES, max_size=120).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_reads_back_as_analysed(text: str) -> None:
    analyzer = DutchAnalyzer()
    assert read_back(analyzer, text) == reference(analyzer, text)


def test_positions_past_65536_and_long_gaps(seeds: list[Seed]) -> None:
    analyzer = DutchAnalyzer()
    long = " ".join([seeds[0].transcript] * 6) + " " + "-" * 70_000 + " slotwoord"
    got = read_back(analyzer, long)
    assert got == reference(analyzer, long)
    assert got[analyzer.stem("slotwoord")][0][0] > 65_536
