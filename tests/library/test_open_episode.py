"""The open-episode model on its own: no window, no Qt, no threads.

The model is the one copy of what the window shows; these tests drive it the way the session,
the autosaver and the highlight controller do, and check what a reload shows while saves are
still on their way to SQLite.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.episode import Highlight
from reader.library.changes import Part
from reader.library.open_episode import History, ListEdit, NotesEdit, OpenEpisode
from reader.library.values import EpisodeView, NotesSaved
from tests.core.test_annotation_roundtrip import TRANSCRIPT, md_text


def view(episode_id: str = "ep1", notes: str = "", highlights: list[Highlight] | None = None) -> EpisodeView:
    return EpisodeView(id=episode_id, title=f"Aflevering {episode_id}", show="", transcript=TRANSCRIPT,
                       notes=notes, takeaways=[], related=[], highlights=list(highlights or []),
                       source_url=None, source_path=None)


def opened(model: OpenEpisode, episode: EpisodeView) -> EpisodeView:
    assert model.loaded(episode, model.begin_load())
    return episode


def test_a_load_that_is_not_the_newest_is_dropped() -> None:
    model = OpenEpisode()
    first = model.begin_load()
    second = model.begin_load()
    assert not model.loaded(view("ep1"), first)
    assert model.episode is None
    assert model.loaded(view("ep2"), second)
    assert model.id == "ep2"
    model.close()
    assert model.episode is None and not model.is_open("ep2")


def test_edits_collapse_to_the_newest_value_per_part_and_name_their_base() -> None:
    model = OpenEpisode()
    opened(model, view(notes="as read"))
    model.edit_notes("a")
    model.edit_notes("ab")
    model.edit_takeaways(["een"], ({}, ["een"]))
    model.edit_takeaways(["een", "twee"], ({}, ["een", "twee"]))
    assert model.unsaved
    edits = model.take_unsaved()
    assert not model.unsaved and model.take_unsaved() == []
    notes = [e for e in edits if isinstance(e, NotesEdit)]
    lists = [e for e in edits if isinstance(e, ListEdit)]
    assert [(n.text, n.base, n.base_sequence) for n in notes] == [("ab", "as read", 0)]
    assert [(e.part, e.state[1]) for e in lists] == [(Part.TAKEAWAYS, ["een", "twee"])]
    assert model.episode is not None and model.episode.takeaways == ["een", "twee"]


def test_nothing_open_nothing_recorded() -> None:
    model = OpenEpisode()
    model.edit_notes("verloren?")
    model.edit_related([], ({}, []))
    model.set_place(10)
    assert not model.unsaved and model.take_unsaved() == []


def test_a_reload_while_typing_is_unsaved_or_on_its_way_shows_the_typing() -> None:
    model = OpenEpisode()
    opened(model, view(notes="oud"))
    model.edit_notes("getypt")
    # Read again (the note changed on disk) before the autosaver took it: typing wins.
    assert opened(model, view(notes="oud van schijf")).notes == "getypt"
    [sent] = model.take_unsaved()
    assert isinstance(sent, NotesEdit)
    # Read again while the save is on the write runner, not yet stored: typing still wins.
    assert opened(model, view(notes="oud van schijf")).notes == "getypt"
    model.notes_stored(sent, NotesSaved("getypt", 2))
    # Stored: what SQLite holds is what is shown, and is the base of the next edit.
    assert opened(model, view(notes="getypt en elders")).notes == "getypt en elders"
    model.edit_notes("getypt en elders, verder")
    [following] = model.take_unsaved()
    assert isinstance(following, NotesEdit) and following.base == "getypt en elders"


def test_a_failed_save_is_unsaved_again_and_still_shown() -> None:
    model = OpenEpisode()
    opened(model, view(notes="oud"))
    model.edit_notes("mislukt")
    [sent] = model.take_unsaved()
    assert isinstance(sent, NotesEdit) and not model.unsaved
    model.notes_not_stored(sent)
    assert model.unsaved
    assert opened(model, view(notes="oud")).notes == "mislukt"
    [again] = model.take_unsaved()
    assert isinstance(again, NotesEdit) and again.text == "mislukt" and again.base == "oud"


def test_an_older_save_reporting_late_does_not_move_the_base_back() -> None:
    model = OpenEpisode()
    opened(model, view(notes=""))
    model.edit_notes("een")
    [first] = model.take_unsaved()
    model.edit_notes("een twee")
    [second] = model.take_unsaved()
    assert isinstance(first, NotesEdit) and isinstance(second, NotesEdit)
    model.notes_stored(second, NotesSaved("een twee", 3))
    model.notes_stored(first, NotesSaved("een", 2))
    model.edit_notes("een twee drie")
    [third] = model.take_unsaved()
    assert isinstance(third, NotesEdit)
    assert (third.base, third.base_sequence) == ("een twee", second.sequence)


def test_highlights_change_only_in_the_episode_that_is_open() -> None:
    model = OpenEpisode()
    kept = replace(Highlight.at(TRANSCRIPT, 0, 10), id=1)
    opened(model, view("ep1", highlights=[kept]))
    added = replace(Highlight.at(TRANSCRIPT, 20, 30), id=2)
    assert not model.put_highlight("ep2", added)  # a write for an episode closed since
    assert model.put_highlight("ep1", added)
    assert not model.put_highlight("ep1", added)  # already there as it is
    recoloured = replace(added, colour="green")
    assert model.put_highlight("ep1", recoloured)
    assert model.highlight(2) == recoloured
    assert [h.id for h in model.highlights()] == [1, 2]
    assert not model.drop_highlight("ep2", 1)
    assert model.drop_highlight("ep1", 1)
    assert not model.drop_highlight("ep1", 1)
    assert [h.id for h in model.highlights()] == [2]


# Operations as the window makes them: type, the timer fires (take), the writer stores the
# oldest save on its way (or fails it), the note is read again from SQLite.
_operation = st.one_of(
    st.tuples(st.just("type"), md_text),
    st.just(("take",)), st.just(("store",)), st.just(("fail",)), st.just(("reload",)),
)


@settings(max_examples=300, deadline=None)
@given(first=md_text, operations=st.lists(_operation, max_size=25))
def test_what_is_shown_is_always_the_newest_typing(first: str, operations: list[tuple[str, ...]]) -> None:
    model = OpenEpisode()
    stored = first  # what SQLite holds
    opened(model, view(notes=stored))
    newest = first  # what the user last typed (or read, before any typing)
    on_the_way: list[NotesEdit] = []
    for operation in operations:
        if operation[0] == "type":
            newest = operation[1]
            model.edit_notes(newest)
        elif operation[0] == "take":
            on_the_way += [e for e in model.take_unsaved() if isinstance(e, NotesEdit)]
        elif operation[0] == "store" and on_the_way:
            edit = on_the_way.pop(0)
            stored = edit.text
            model.notes_stored(edit, NotesSaved(stored, edit.sequence + 1))
        elif operation[0] == "fail" and on_the_way:
            model.notes_not_stored(on_the_way.pop(0))
        elif operation[0] == "reload":
            assert opened(model, view(notes=stored)).notes == newest
        assert model.episode is not None and model.episode.notes == newest
    # Whatever SQLite does not hold yet is still on its way or will be sent.
    waiting = [e.text for e in on_the_way] + [e.text for e in model.take_unsaved() if isinstance(e, NotesEdit)]
    assert stored == newest or newest in waiting


def test_an_episode_opened_again_comes_back_at_the_place_it_was_left() -> None:
    model = OpenEpisode()
    opened(model, view("ep1"))
    model.set_place(1234)
    opened(model, view("ep2"))
    # Read again while the place's write is still on the write runner: the read has 0.
    assert opened(model, view("ep1")).scroll_position == 1234
    # A reload after the note changed on disk brings a carried place: that one stands.
    reloaded = view("ep1")
    reloaded.scroll_position = 1300
    assert model.loaded(reloaded, model.generation, reloaded=True)
    assert model.episode is not None and model.episode.scroll_position == 1300


def test_back_goes_through_the_episodes_read_before_skipping_removed_ones() -> None:
    history = History()
    for episode_id in ("a", "b", "c", "d"):
        history.opened(episode_id)
    assert history.back({"a", "b", "d"}) == "b"  # c was removed meanwhile
    history.opened("b")  # going back does not add d to the way back
    assert history.back({"a", "b", "d"}) == "a"
    history.opened("a")
    assert history.back({"a", "b", "d"}) is None
