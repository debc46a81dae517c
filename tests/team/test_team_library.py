"""A team library on a real PostgreSQL server (tests/pg_server.py): two clients at once, an
edit based on an old version, changes arriving without a restart."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from reader.library import EditConflict, Library
from reader.library.changes import Changes, Part
from reader.store.db import head_revision, open_engine
from reader.store.models import Base
from tests.conftest import SEEDS


@pytest.fixture
def two_clients(pg_url: str, tmp_path: Path) -> Iterator[tuple[Library, Library]]:
    first = Library.open(tmp_path / "anna", library_url=pg_url, author="Anna")
    first.import_paths([SEEDS])
    second = Library.open(tmp_path / "bram", library_url=pg_url, author="Bram")
    yield first, second
    first.close()
    second.close()


def test_the_migrations_build_exactly_the_models_on_postgres(pg_url: str) -> None:
    engine = open_engine(pg_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head_revision()
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def _words(library: Library, episode_id: str) -> list[tuple[int, int]]:
    """Forty words far apart (highlights on them never overlap, so none merge)."""
    words = list(re.finditer(r"\w+", library.episode(episode_id).transcript))
    return [(m.start(), m.end()) for m in words[:1600:40]]


def test_two_clients_annotate_the_same_episode_at_once(two_clients: tuple[Library, Library]) -> None:
    anna, bram = two_clients
    episode_id = anna.list_episodes()[0].id
    spots = _words(anna, episode_id)
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def annotate(library: Library, mine: list[tuple[int, int]]) -> None:
        try:
            start.wait()
            for n, (a, b) in enumerate(mine):
                library.add_highlight(episode_id, a, b, comment=f"{library.author} {n}")
                library.add_takeaway(episode_id, f"{library.author} takeaway {n}")
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=annotate, args=(anna, spots[0::2])),
               threading.Thread(target=annotate, args=(bram, spots[1::2]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    for library in (anna, bram):
        view = library.episode(episode_id)
        assert len(view.highlights) == len(spots)
        assert sorted(h.comment for h in view.highlights) == sorted(
            [f"Anna {n}" for n in range(len(spots[0::2]))] + [f"Bram {n}" for n in range(len(spots[1::2]))])
        assert {h.author for h in view.highlights} == {"Anna", "Bram"}
        assert all(h.comment.startswith(h.author) for h in view.highlights)
        assert len(view.takeaway_items) == len(spots)
        assert all(t.text.startswith(t.author) for t in view.takeaway_items)


def test_an_edit_of_an_old_version_is_refused_with_both_texts(two_clients: tuple[Library, Library]) -> None:
    anna, bram = two_clients
    episode_id = anna.list_episodes()[0].id
    (a, b), = _words(anna, episode_id)[:1]
    made = anna.add_highlight(episode_id, a, b, comment="eerste")
    read_by_bram = next(h for h in bram.episode(episode_id).highlights if h.id == made.id)
    anna.update_highlight(episode_id, made.id, comment="Anna's version",
                          base_version=made.version)
    with pytest.raises(EditConflict) as conflict:
        bram.update_highlight(episode_id, made.id, comment="Bram's version",
                              base_version=read_by_bram.version)
    assert conflict.value.theirs == "Anna's version"
    assert conflict.value.mine == "Bram's version"
    assert conflict.value.author == "Anna"
    stored = next(h for h in bram.episode(episode_id).highlights if h.id == made.id)
    assert stored.comment == "Anna's version"
    # Having seen theirs, Bram saves on the version he now knows: it lands.
    bram.update_highlight(episode_id, made.id, comment="Bram's version",
                          base_version=conflict.value.version)
    assert next(h for h in anna.episode(episode_id).highlights
                if h.id == made.id).comment == "Bram's version"


def test_notes_edited_apart_by_two_clients_are_merged(two_clients: tuple[Library, Library]) -> None:
    anna, bram = two_clients
    episode_id = anna.list_episodes()[0].id
    base = "Eerste alinea.\n\nTweede alinea.\n\nDerde alinea.\n"
    anna.set_notes(episode_id, base)
    anna.set_notes(episode_id, base.replace("Eerste", "Anna's eerste"), base=base)
    saved = bram.set_notes(episode_id, base.replace("Derde", "Bram's derde"), base=base)
    assert saved.merged and not saved.conflict
    assert anna.episode(episode_id).notes == "Anna's eerste alinea.\n\nTweede alinea.\n\nBram's derde alinea.\n"


def test_a_change_reaches_the_other_client_and_its_index(two_clients: tuple[Library, Library]) -> None:
    anna, bram = two_clients
    bram.prepare_index()
    episode_id = anna.list_episodes()[0].id
    heard: list[Changes] = []
    arrived = threading.Event()

    def listener(changes: Changes) -> None:
        heard.append(changes)
        if changes.touching(Part.HIGHLIGHTS):
            arrived.set()

    bram.subscribe(listener)
    segments = set(bram.local_dir.joinpath("index").glob("*.seg"))
    assert segments
    bram.watch()
    (a, b), = _words(anna, episode_id)[:1]
    anna.add_highlight(episode_id, a, b, comment="zeldzaamwoordvananna")
    assert arrived.wait(timeout=10), "the change never arrived"
    assert episode_id in heard[-1].touching(Part.HIGHLIGHTS)
    results = bram.search("zeldzaamwoordvananna")
    assert [r.episode_id for r in results.results] == [episode_id]
    # Brought up to date, not rebuilt: every segment of before is still there.
    assert segments <= set(bram.local_dir.joinpath("index").glob("*.seg"))
