"""Highlights are made of whole words, and a highlight over others merges them into one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.episode import whole_words
from reader.library import Library, LibraryError
from tests.core.test_annotation_roundtrip import TRANSCRIPT

EPISODE = "LrrHD9cdz6Q"


def test_a_highlight_over_two_merges_them_keeping_comments_and_takeaways(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        text = library.episode(EPISODE).transcript
        words = list(re.finditer(r"\S+", text))
        first = library.add_highlight(EPISODE, words[10].start(), words[12].end(), comment="eerste")
        second = library.add_highlight(EPISODE, words[20].start(), words[22].end(), comment="tweede")
        library.promote_highlight(EPISODE, first.id or 0)
        library.promote_highlight(EPISODE, second.id or 0)
        merged = library.add_highlight(EPISODE, words[11].start() + 1, words[21].start() + 1, "blue", "samen")
        assert merged.id == first.id
        assert merged.quote == text[words[10].start():words[22].end()]
        assert merged.comment == "eerste\n\ntweede\n\nsamen" and merged.colour == "blue"
        assert library.episode(EPISODE).highlights == [merged]
        assert library.takeaway_links(EPISODE) == [first.id, first.id]
        apart = library.add_highlight(EPISODE, words[40].start(), words[41].end())
        assert apart.id != first.id and len(library.episode(EPISODE).highlights) == 2
        with pytest.raises(LibraryError, match="no words"):
            library.add_highlight(EPISODE, words[40].end(), words[41].start())  # just the space


@settings(max_examples=400)
@given(st.integers(0, len(TRANSCRIPT)), st.integers(0, len(TRANSCRIPT)))
def test_whole_words_never_cut_a_word_and_keep_what_was_selected(a: int, b: int) -> None:
    start, end = sorted((a, b))
    grown_start, grown_end = whole_words(TRANSCRIPT, start, end)
    if TRANSCRIPT[start:end].strip():
        assert grown_start <= start + len(TRANSCRIPT[start:end]) - len(TRANSCRIPT[start:end].lstrip())
        assert grown_end >= end - (len(TRANSCRIPT[start:end]) - len(TRANSCRIPT[start:end].rstrip()))
        assert TRANSCRIPT[start:end].strip() in TRANSCRIPT[grown_start:grown_end]
        assert grown_start == 0 or TRANSCRIPT[grown_start - 1].isspace()
        assert grown_end == len(TRANSCRIPT) or TRANSCRIPT[grown_end].isspace()
        assert not TRANSCRIPT[grown_start].isspace() and not TRANSCRIPT[grown_end - 1].isspace()
    else:
        assert grown_start == grown_end
