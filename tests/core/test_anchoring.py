"""Re-anchoring highlights on real seed transcripts after the kinds of edits users make."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from functools import cache

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reader.core.anchoring import MAX_ERROR_RATE, _distance, anchor, reanchor
from reader.core.episode import Highlight, text_hash
from reader.core.note import parse
from tests.conftest import SEED_FILES

FILLER = ("eigenlijk", "gewoon", "dus", "nou", "heel", "echt", "ook")


@cache
def transcript(i: int) -> str:
    return parse(SEED_FILES[i].read_text(encoding="utf-8")).transcript


@cache
def words(i: int) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in re.finditer(r"\S+", transcript(i)))


def mark(text: str, phrase: str, nth: int = 0) -> Highlight:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Highlight.at(text, start, start + len(phrase), colour="green", comment="waarom?")


def both(h: Highlight, new: str, old: str) -> list[Highlight]:
    """The highlight re-anchored without and with the old transcript."""
    return [anchor(h, new), reanchor([h], new, old)[0]]


def test_unchanged_transcript_keeps_identical_highlights() -> None:
    rnd = random.Random(5)
    for i in range(len(SEED_FILES)):
        text, spans = transcript(i), words(i)
        marks = []
        for _ in range(40):
            first = rnd.randrange(len(spans) - 12)
            last = first + rnd.randrange(12)
            marks.append(Highlight.at(text, spans[first][0], spans[last][1], comment="x"))
        assert reanchor(marks, text) == marks
        assert reanchor(marks, text, text) == marks
        assert [anchor(h, text) for h in marks] == marks


def test_words_inserted_before_the_quote_shift_it() -> None:
    old = transcript(0)
    h = mark(old, "voor de makers van al deze of al het speelgoed")
    inserted = "en dan zeg ik nog even iets heel anders "
    new = old[:5000] + inserted + old[5000:]
    for placed in both(h, new, old):
        assert not placed.orphan
        assert (placed.start, placed.end) == (h.start + len(inserted), h.end + len(inserted))
        assert placed.quote == h.quote and placed.comment == h.comment
        assert placed.transcript_hash == text_hash(new)
        assert placed.prefix == new[placed.start - 32:placed.start]


@pytest.mark.parametrize("before, after", [
    ("dieps Saga", "DeepSeek Saga"),     # a garbled word corrected
    ("verrassing maar", "verassing maar"),  # a word misspelt
    ("niet als een", "niet echt als een"),  # a word inserted into the quote
])
def test_changed_word_in_the_quote_is_matched_fuzzily(before: str, after: str) -> None:
    old = transcript(0)
    h = mark(old, "als luisteraar van deze podcast kwam die hele dieps Saga natuurlijk niet "
                  "als een verrassing maar wat wel")
    at = old.index(before, h.start)
    new = old[:at] + after + old[at + len(before):]
    expected = new[h.start:h.end + len(after) - len(before)]
    for placed in both(h, new, old):
        assert not placed.orphan
        assert (placed.start, placed.quote) == (h.start, expected)
        assert placed.quote == new[placed.start:placed.end]
        assert placed.comment == "waarom?" and placed.colour == "green"


def test_moved_paragraph_is_found_by_context() -> None:
    old = transcript(0)
    h = mark(old, "voor de makers van al deze of al het speelgoed")
    a, b = old.rindex(" ", 0, h.start - 300), old.index(" ", h.end + 300)
    block = old[a:b]
    rest = old[:a] + old[b:]
    target = rest.index(" ", 45000)
    new = rest[:target] + block + rest[target:]
    expected = target + (h.start - a)
    for placed in both(h, new, old):
        assert not placed.orphan
        assert (placed.start, placed.quote) == (expected, h.quote)


def test_moved_quote_keeps_its_place_even_with_new_neighbours() -> None:
    """A long quote found verbatim once is itself the evidence, whatever surrounds it."""
    old = transcript(0)
    h = mark(old, "voor de makers van al deze of al het speelgoed om eh een beetje")
    rest = old[:h.start] + old[h.end:]
    target = rest.index(" ", 50000) + 1
    new = rest[:target] + h.quote + " " + rest[target:]
    for placed in both(h, new, old):
        assert (placed.orphan, placed.start) == (False, target)


def test_deleted_quote_becomes_an_orphan_and_is_kept() -> None:
    old = transcript(1)
    spans = words(1)
    keep_a = Highlight.at(old, spans[100][0], spans[104][1])
    gone = Highlight.at(old, spans[2000][0], spans[2009][1], colour="pink", comment="weg")
    keep_b = Highlight.at(old, spans[5000][0], spans[5003][1])
    new = old[:gone.start] + old[gone.end + 1:]
    for result in (reanchor([keep_a, gone, keep_b], new), reanchor([keep_a, gone, keep_b], new, old)):
        assert [h.orphan for h in result] == [False, True, False]
        assert result[1] == replace(gone, orphan=True)
        assert [h.quote for h in result] == [keep_a.quote, gone.quote, keep_b.quote]
        assert result[2].start == keep_b.start - len(gone.quote) - 1


def test_repeated_quote_is_told_apart_by_context() -> None:
    old = transcript(0)
    assert old.count("natuurlijk") > 10
    h = mark(old, "natuurlijk", nth=3)
    new = "Even een correctie vooraf. " + old
    for placed in both(h, new, old):
        assert (placed.orphan, placed.start) == (False, h.start + 27)


def test_repeated_quote_orphans_when_context_does_not_decide() -> None:
    old = transcript(0)
    h = mark(old, "natuurlijk", nth=3)
    # Both neighbours rewritten and everything before shifted: no stored context survives.
    before, after = old.rindex(" ", 0, h.start - 40), old.index(" ", h.end + 40)
    new = ("Even een correctie vooraf. " + old[:before] + " hier stond eerst een ander stuk "
           "tekst natuurlijk " + "dat nu volledig is vervangen door iets nieuws" + old[after:])
    assert anchor(h, new).orphan
    # The word diff still knows where it went.
    placed = reanchor([h], new, old)[0]
    assert not placed.orphan and placed.quote == "natuurlijk"
    assert new[placed.start - 6:placed.end] == "tekst natuurlijk"


def test_short_quote_must_match_exactly() -> None:
    old = transcript(0)
    start = old.index("familie app stond")
    h = Highlight.at(old, start, start + len("familie app"))  # below the fuzzy minimum
    new = old.replace("familie app stond", "familieapp stond")
    assert anchor(h, new).orphan


def test_fuzzy_matches_have_bounded_errors() -> None:
    old = transcript(0)
    h = mark(old, "voor de makers van al deze of al het speelgoed")
    rewritten = "voor de bouwers van elk soort robotspeelgoed"
    new = old[:h.start] + rewritten + old[h.end:]
    assert _distance(h.quote, rewritten) > len(h.quote) * MAX_ERROR_RATE
    assert anchor(h, new).orphan


def test_quote_from_a_note_without_position_takes_its_first_occurrence() -> None:
    text = transcript(0)
    h = Highlight(start=-1, end=-1, quote="natuurlijk", comment="uit de notitie")
    placed = anchor(h, text)
    assert (placed.orphan, placed.start, placed.comment) == (False, text.index("natuurlijk"),
                                                            "uit de notitie")
    assert anchor(replace(h, quote="komt nergens voor in de tekst"), text).orphan


def test_quotes_at_either_end_of_the_transcript() -> None:
    old = transcript(2)
    first = Highlight.at(old, 0, old.index(" ", 30))
    last = Highlight.at(old, old.rindex(" ", 0, len(old) - 30) + 1, len(old))
    new = "Intro. " + old + " Outro."
    for result in (reanchor([first, last], new), reanchor([first, last], new, old)):
        assert [(h.orphan, h.quote) for h in result] == [(False, first.quote), (False, last.quote)]
        assert result[0].start == 7 and result[1].end == len(old) + 7


def test_empty_quote_is_an_orphan() -> None:
    assert anchor(Highlight(start=3, end=3, quote=""), transcript(0)).orphan


# --- properties ----------------------------------------------------------------------------

edits = st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(("insert", "delete", "typo")),
                           st.sampled_from(FILLER)), max_size=6)


def apply(text: str, seed: int, changes: list[tuple[int, str, str]],
          keep_clear: tuple[int, int] | None = None) -> tuple[str, list[tuple[int, int]]]:
    """The text with word edits applied, and (position, length change) of each."""
    spans = words(seed)
    cuts: dict[int, tuple[int, int, str]] = {}
    for where, kind, word in changes:
        i = where % (len(spans) - 1)
        start, end = spans[i]
        if keep_clear and keep_clear[0] - 40 <= end and start <= keep_clear[1] + 40:
            continue
        if kind == "insert":
            cuts[start] = (start, start, word + " ")
        elif kind == "delete":
            cuts[start] = (start, spans[i + 1][0], "")
        else:
            cuts[start] = (start, start + 1, "q")
    out, shifts = text, []
    for start, end, new in sorted(cuts.values(), reverse=True):
        out = out[:start] + new + out[end:]
        shifts.append((start, len(new) - (end - start)))
    return out, shifts


highlight_spec = st.tuples(st.integers(0, len(SEED_FILES) - 1), st.integers(0, 10**6),
                           st.integers(0, 14))


@settings(max_examples=60, deadline=None)
@given(highlight_spec, edits)
def test_edits_away_from_a_highlight_never_move_it_off_its_quote(
        spec: tuple[int, int, int], changes: list[tuple[int, str, str]]) -> None:
    seed, where, size = spec
    old, spans = transcript(seed), words(seed)
    first = where % (len(spans) - size)
    h = Highlight.at(old, spans[first][0], spans[first + size][1])
    # Text repeated verbatim with all its context (a run of "[Muziek]") is truly ambiguous.
    assume(old.count(h.prefix + h.quote + h.suffix) == 1)
    new, shifts = apply(old, seed, changes, keep_clear=(h.start, h.end))
    start = h.start + sum(delta for at, delta in shifts if at < h.start)
    for placed in both(h, new, old):
        assert (placed.orphan, placed.start, placed.quote) == (False, start, h.quote)


@settings(max_examples=60, deadline=None)
@given(highlight_spec, edits)
def test_anchoring_is_idempotent_and_bounded(spec: tuple[int, int, int],
                                             changes: list[tuple[int, str, str]]) -> None:
    seed, where, size = spec
    old, spans = transcript(seed), words(seed)
    first = where % (len(spans) - size)
    h = Highlight.at(old, spans[first][0], spans[first + size][1], comment="c")
    # Aim most edits at the highlight itself, where they make a difference.
    near = [(first + c[0] % (size + 4), c[1], c[2]) for c in changes]
    new, _ = apply(old, seed, near)
    once = anchor(h, new)
    assert anchor(once, new) == once
    assert once.comment == "c" and once.colour == h.colour
    if not once.orphan:
        assert once.quote == new[once.start:once.end]
        assert _distance(h.quote, once.quote) <= len(h.quote) * MAX_ERROR_RATE
    carried = reanchor([h], new, old)[0]
    if not carried.orphan:
        assert reanchor([carried], new, new)[0] == carried
        assert carried.quote == new[carried.start:carried.end]
