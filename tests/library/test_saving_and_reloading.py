"""The autosaver and the reload of a changed note, without a window.

The autosaver runs on a real write runner against a real library; the reload is what the
library hands source sync: the episode read again, its reader's place carried by the one word
diff the import made. The exact race states are set up by holding the write runner.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.core.paragraphs import paragraphize
from reader.library import Library
from reader.library.open_episode import OpenEpisode
from reader.ui.autosave import AutoSaver
from reader.ui.source_sync import Reading
from reader.ui.workers import TaskRunner

EPISODE = "LrrHD9cdz6Q"
WAIT = 20_000


@pytest.fixture
def library(data_dir: Path) -> Iterator[Library]:
    with Library.open(data_dir) as library:
        yield library


@pytest.fixture
def writer(qtbot: QtBot) -> Iterator[TaskRunner]:
    runner = TaskRunner("test-writer")
    yield runner
    runner.shutdown()


def hold(writer: TaskRunner) -> threading.Event:
    """Keeps the write runner busy until the returned event is set: what is submitted after
    waits behind it, as a save waits behind an import."""
    release = threading.Event()
    writer.submit(lambda: release.wait(WAIT / 1000))
    return release


def open_in(model: OpenEpisode, library: Library) -> None:
    assert model.loaded(library.episode(EPISODE), model.begin_load())


def in_a_vault(library: Library, tmp_path: Path) -> tuple[Path, Path]:
    """The episode's note copied into a vault folder of the test's own and imported from there."""
    vault = tmp_path / "vault"
    vault.mkdir()
    source = Path(library.episode(EPISODE).source_path or "")
    note = vault / source.name
    note.write_bytes(source.read_bytes())
    library.import_paths([note])
    return vault, note


def saving(library: Library, writer: TaskRunner) -> tuple[OpenEpisode, AutoSaver, threading.Event]:
    """The episode open in a model with its autosaver, the write runner held (see ``hold``)."""
    model = OpenEpisode()
    saver = AutoSaver(library, writer, model)
    open_in(model, library)
    return model, saver, hold(writer)


def test_typing_is_stored_and_a_reload_before_it_lands_still_shows_it(
        qtbot: QtBot, library: Library, writer: TaskRunner) -> None:
    model, saver, release = saving(library, writer)
    saver.notes_changed("## Mijn kop\n\neerste gedachte")
    saver.flush()
    assert not saver.idle
    # The note is read again (it changed on disk) while the save waits behind the import.
    open_in(model, library)
    assert library.episode(EPISODE).notes == ""  # not stored yet
    assert model.episode is not None and model.episode.notes == "## Mijn kop\n\neerste gedachte"
    with qtbot.waitSignal(saver.pending_changed, timeout=WAIT, check_params_cb=lambda busy: not busy):
        release.set()
    assert saver.idle
    assert library.episode(EPISODE).notes == "## Mijn kop\n\neerste gedachte"


def test_a_save_made_from_an_older_read_merges_what_another_writer_stored(
        qtbot: QtBot, library: Library, writer: TaskRunner, data_dir: Path) -> None:
    model = OpenEpisode()
    saver = AutoSaver(library, writer, model)
    library.set_notes(EPISODE, "regel een\nregel twee\nregel drie")
    open_in(model, library)
    with Library.open(data_dir) as other:  # another process's connection
        other.set_notes(EPISODE, "regel een\nregel twee\nregel drie\nvan elders")
    saver.notes_changed("van hier\nregel een\nregel twee\nregel drie")
    with qtbot.waitSignal(saver.notes_saved, timeout=WAIT) as saved:
        saver.flush()
    result = saved.args[2]
    assert result.merged and not result.conflict
    assert result.text == "van hier\nregel een\nregel twee\nregel drie\nvan elders"
    assert library.episode(EPISODE).notes == result.text


def test_takeaways_typed_in_two_saves_are_each_stored_once(
        qtbot: QtBot, library: Library, writer: TaskRunner) -> None:
    _model, saver, release = saving(library, writer)
    saver.takeaways_changed(["een"], ({}, [(-1, "een")]))
    saver.flush()
    # The second save is made from the same read (the first has not answered yet).
    saver.takeaways_changed(["een", "twee"], ({}, [(-1, "een"), (-2, "twee")]))
    saver.flush()
    with qtbot.waitSignal(saver.pending_changed, timeout=WAIT, check_params_cb=lambda busy: not busy):
        release.set()
    assert library.episode(EPISODE).takeaways == ["een", "twee"]


def test_a_changed_note_comes_back_read_again_at_the_same_words_with_one_word_diff(
        library: Library, word_diffs: list[int], tmp_path: Path) -> None:
    vault, note = in_a_vault(library, tmp_path)
    before = library.episode(EPISODE)
    highlight = library.add_highlight(EPISODE, 5000, 5040)
    place = 9000
    words_at_place = before.transcript[place:place + 60]

    inserted = "een nieuwe inleiding over taalmodellen " * 30
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("## Transcript\n\n", f"## Transcript\n\n{inserted}", 1), encoding="utf-8")
    reading = Reading({EPISODE: place}, words=135, generation=1, glossary_names=False)
    report = reading.prepare(library, library.refresh_sources([vault], reading=reading.places))

    assert report.updated == [EPISODE]
    assert len(word_diffs) == 1  # re-anchoring and the reader's place share it
    reloaded = report.reloaded[EPISODE]
    episode = reloaded.episode
    assert episode.transcript.startswith(inserted)
    assert episode.transcript[episode.scroll_position:episode.scroll_position + 60] == words_at_place
    [moved] = episode.highlights
    assert moved.id == highlight.id and moved.quote == highlight.quote
    assert moved.start == highlight.start + len(inserted)
    # The reader scrolled on while the refresh ran: that place is carried too, with no new diff.
    later = place + 400
    assert episode.transcript[reloaded.carry(later):][:40] == before.transcript[later:later + 40]
    assert len(word_diffs) == 1
    # The paragraphs for the view were made with it, on the same (writer) thread.
    shown = reading.paragraphs[EPISODE]
    assert shown.text == paragraphize(episode.transcript, 135).text


def test_an_episode_not_being_read_is_not_read_again(library: Library, tmp_path: Path) -> None:
    vault, note = in_a_vault(library, tmp_path)
    note.write_text(note.read_text(encoding="utf-8").replace("## Transcript\n\n", "## Transcript\n\nvooraf ", 1),
                    encoding="utf-8")
    report = library.refresh_sources([vault], reading={"een-ander": 10})
    assert report.updated == [EPISODE] and report.reloaded == {}
