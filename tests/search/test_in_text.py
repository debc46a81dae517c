"""Names inside one text: find-in-episode's split, joined and glossary spellings, and the
view that shows a variant as its canonical name while every offset still means the original."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.glossary import Glossary, GlossaryEntry, GlossaryError, checked, key_of
from reader.core.paragraphs import paragraphize
from reader.library import Library, LibraryError
from reader.search.in_text import find_spellings, shown_names
from tests.conftest import ROOT, start_cli

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
DEEPSEEK = Glossary((GlossaryEntry("DeepSeek", ("diep zek", "dieps")),
                     GlossaryEntry("Wietse Hagen", ("Wiets haagen",)), GlossaryEntry("ChatGPT")))


def _transcript(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("## Transcript", 1)[1].split("\n## ", 1)[0].strip()


@pytest.fixture(scope="module")
def deepseek_transcript() -> str:
    return _transcript(SEEDS[0])


def _spelled(text: str, ranges: list[tuple[int, int]]) -> set[str]:
    return {" ".join(text[s:e].lower().split()) for s, e in ranges}


def test_a_word_finds_its_split_form_and_two_words_their_joined_form(deepseek_transcript: str) -> None:
    text = deepseek_transcript
    assert _spelled(text, find_spellings(text, "chatgpt", Glossary())) == {"chat gpt"}
    assert len(find_spellings(text, "chatgpt", Glossary())) == text.lower().count("chat gpt")
    assert "openai" not in text.lower().split()  # the samples write it apart; a user may not
    joined = "wat OpenAI en open ai doen"
    assert _spelled(joined, find_spellings(joined, "open ai", Glossary())) == {"openai", "open ai"}
    # "omdat" is not "om dat": two stop words are not a split name.
    assert "om dat" in text and _spelled(text, find_spellings(text, "omdat", Glossary())) <= {"omdat"}


def test_a_glossary_name_finds_every_spelling_of_its_entry(deepseek_transcript: str) -> None:
    text = deepseek_transcript
    for typed in ("DeepSeek", "diep zek", "Dieps", "deep seek"):
        assert _spelled(text, find_spellings(text, typed, DEEPSEEK)) == {"deep seek", "diep zek", "dieps"}, typed
    assert _spelled(text, find_spellings(text, "wietse hagen", DEEPSEEK)) == {"wiets haagen"}


def test_names_are_shown_canonically_and_map_back_to_the_original(deepseek_transcript: str) -> None:
    text = deepseek_transcript
    names = shown_names(text, DEEPSEEK)
    assert {n.canonical for n in names} == {"DeepSeek", "Wietse Hagen", "ChatGPT"}
    view = paragraphize(text, 135, [(n.start, n.end, n.canonical) for n in names])
    assert len(view.names) == len(names)
    for name, piece in zip(names, view.names, strict=True):
        assert view.text[piece.view_start:piece.view_end] == name.canonical
        assert view.range_to_view(name.start, name.end) == (piece.view_start, piece.view_end)
        assert view.range_to_original(piece.view_start, piece.view_end) == (name.start, name.end)
        assert view.name_at(piece.view_start) == piece
    assert view.original == text
    assert "diep zek" not in view.text.lower() and "chat gpt" not in view.text.lower()


# Real transcript words, names as speech recognition writes them, and the hard parts of the
# text: CRLF, tabs, a bleep, a stage marker, accents and characters outside the BMP.
_WORDS = _transcript(SEEDS[1]).split()[:300]
_PARTS = st.one_of(st.sampled_from(_WORDS), st.sampled_from(
    ["diep zek", "Diep\r\nzek", "dieps", "DeepSeek", "chat gpt", "chat\tgpt", "Wiets haagen",
     "[Muziek]", "[&nbsp;__&nbsp;]", "café", "😀", "ĳs", "\r\n", "  "]))


@settings(max_examples=150, deadline=None)
@given(st.lists(_PARTS, min_size=1, max_size=60), st.integers(40, 60))
def test_any_transcript_with_names_maps_every_offset_outside_them_exactly(parts: list[str], words: int) -> None:
    text = " ".join(parts)
    names = shown_names(text, DEEPSEEK)
    assert all(key_of(text[n.start:n.end]) == key_of(n.canonical)
               or DEEPSEEK.entry_for(text[n.start:n.end]) is not None for n in names)
    view = paragraphize(text, words, [(n.start, n.end, n.canonical) for n in names])
    inside = {o for n in names for o in range(n.start + 1, n.end)}
    plain = paragraphize(text, words)
    for offset in range(len(text) + 1):
        if offset not in inside:
            assert view.to_original(view.to_view(offset)) == offset or \
                plain.to_original(plain.to_view(offset)) != offset  # a bleep maps only at its ends
    for piece in view.names:
        assert text[piece.orig_start:piece.orig_end] != view.text[piece.view_start:piece.view_end]


_TERM = st.one_of(st.text(max_size=40), st.sampled_from(_WORDS), st.sampled_from(
    ["Deep Seek", " diep  zek ", "ChatGPT", "chat-gpt", "GPT-4o", "Ĳsselmeer", "café", "e\u0301", "", "  ", "---"]))


@settings(max_examples=300, deadline=None)
@given(_TERM)
def test_a_glossary_term_is_checked_or_refused_with_a_reason(term: str) -> None:
    try:
        shown = checked(term)
    except GlossaryError as error:
        assert str(error)  # a reason the user can read
        return
    assert shown == " ".join(shown.split()) and shown.strip() == shown
    assert checked(shown) == shown
    assert key_of(shown) == key_of(term) != ""
    assert key_of(shown.replace(" ", "")) == key_of(shown)  # spaces do not count
    assert key_of(shown.lower()) == key_of(shown)  # case does not count (as the index lower-cases)


def test_six_processes_add_spellings_to_one_name_at_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    Library.open(data_dir, import_seeds=False).close()
    writers = [start_cli(data_dir, "terms", "add", "DeepSeek", f"variant {n}", "diep zek") for n in range(6)]
    for writer in writers:
        _out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        assert "Traceback" not in err
    with Library.open(data_dir) as library:
        entries = library.glossary().entries
    assert [e.canonical for e in entries] == ["DeepSeek"]
    assert sorted(entries[0].variants) == sorted(["diep zek", *(f"variant {n}" for n in range(6))])


def test_a_window_that_read_the_glossary_before_another_writer_keeps_both(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with Library.open(data_dir, import_seeds=False) as window, Library.open(data_dir) as cli:
        assert not window.glossary()  # the dialog shows an empty glossary
        cli.add_terms("DeepSeek", ["diep zek"])
        window.add_terms("DeepSeek", ["dieps"])  # from the stale view: nothing is lost
        assert window.glossary().entries == (GlossaryEntry("DeepSeek", ("diep zek", "dieps")),)
        cli.add_terms("Deep Sea", ["diep zie"])
        with pytest.raises(LibraryError, match="already a spelling of 'Deep Sea'"):
            window.add_terms("DeepSeek", ["diep zie"])  # one spelling, one name
        assert window.glossary().entry_for("diep zie") == GlossaryEntry("Deep Sea", ("diep zie",))
