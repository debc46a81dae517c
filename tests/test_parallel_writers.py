"""Several writers on one library: every annotation reported saved is there exactly once."""

from __future__ import annotations

from pathlib import Path

from reader.library import Library
from reader.library.values import TakeawayItem
from tests.conftest import start_cli

EPISODE = "LrrHD9cdz6Q"


def test_six_cli_writers_each_add_takeaways_once(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        library.search("model")
    expected: list[str] = []
    for round_ in range(3):
        writers = []
        for n in range(6):
            texts = [f"ronde {round_} schrijver {n} punt {k}" for k in range(2)]
            expected += texts
            args = [a for t in texts for a in ("--add-takeaway", t)]
            writers.append(start_cli(data_dir, "annotate", EPISODE, *args))
        for writer in writers:
            out, err = writer.communicate(timeout=300)
            assert writer.returncode == 0, err
            assert err == "", err  # no SAWarning, no traceback
    with Library.open(data_dir) as library:
        stored = library.episode(EPISODE).takeaways
    assert sorted(stored) == sorted(expected)


def _seen(items: list[TakeawayItem]) -> dict[int, tuple[int, str]]:
    return {t.id: (t.version, t.text) for t in items}


def _item(library: Library, text: str) -> TakeawayItem:
    return next(t for t in library.episode(EPISODE).takeaway_items if t.text == text)


def test_a_stale_list_keeps_what_another_writer_added(data_dir: Path) -> None:
    with Library.open(data_dir) as window, Library.open(data_dir) as cli:
        window.add_takeaway(EPISODE, "eerste")
        seen = window.episode(EPISODE).takeaway_items  # the window's view of the list
        cli.add_takeaway(EPISODE, "van de opdrachtregel")
        saved = window.save_takeaways(EPISODE, _seen(seen), [(seen[0].id, "eerste"), (-1, "tweede")])
        assert [t.text for t in saved.items] == ["eerste", "tweede", "van de opdrachtregel"] \
            or [t.text for t in saved.items] == ["eerste", "van de opdrachtregel", "tweede"]
        assert sorted(cli.episode(EPISODE).takeaways) == ["eerste", "tweede", "van de opdrachtregel"]
        assert saved.new_ids[-1] == _item(cli, "tweede").id


def test_an_edit_from_an_old_version_keeps_both_texts(data_dir: Path) -> None:
    with Library.open(data_dir) as window, Library.open(data_dir) as other:
        first = window.add_takeaway(EPISODE, "origineel")
        seen = window.episode(EPISODE).takeaway_items
        theirs = other.episode(EPISODE).takeaway_items
        other.save_takeaways(EPISODE, _seen(theirs), [(first.id, "hun versie")])
        saved = window.save_takeaways(EPISODE, _seen(seen), [(first.id, "mijn versie")])
        assert [t.text for t in saved.items] == ["hun versie", "mijn versie"]
        assert saved.conflicts and "hun versie" in saved.conflicts[0]


def test_a_delete_from_an_old_version_keeps_an_item_edited_elsewhere(data_dir: Path) -> None:
    with Library.open(data_dir) as window, Library.open(data_dir) as other:
        first = window.add_takeaway(EPISODE, "origineel")
        seen = window.episode(EPISODE).takeaway_items
        other.save_takeaways(EPISODE, _seen(other.episode(EPISODE).takeaway_items),
                             [(first.id, "bijgewerkt")])
        saved = window.save_takeaways(EPISODE, _seen(seen), [])
        assert [t.text for t in saved.items] == ["bijgewerkt"]
        assert saved.conflicts


def test_moving_one_item_writes_one_row(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        for text in "abcdef":
            library.add_takeaway(EPISODE, text)
        items = library.episode(EPISODE).takeaway_items
        before = {t.id: t.version for t in items}
        order = [items[0], items[4], items[1], items[2], items[3], items[5]]
        saved = library.save_takeaways(EPISODE, _seen(items), [(t.id, t.text) for t in order])
        assert [t.text for t in saved.items] == list("aebcdf")
        with library._sessions() as session:  # the stored positions: only "e" moved
            from reader.store.models import TakeawayRow
            rows = session.query(TakeawayRow).filter_by(episode_id=EPISODE).all()
            positions = {r.text: r.position for r in rows}
        assert [positions[c] for c in "abcdf"] == [1024, 2048, 3072, 4096, 6144]
        assert 1024 < positions["e"] < 2048
        assert {t.id: t.version for t in saved.items} == before


def test_notes_edited_in_two_places_are_merged(data_dir: Path) -> None:
    with Library.open(data_dir) as window, Library.open(data_dir) as other:
        window.set_notes(EPISODE, "Inleiding\n\nMidden\n\nSlot")
        seen = window.episode(EPISODE)
        other.set_notes(EPISODE, "Inleiding\n\nMidden\n\nSlot, aangevuld")
        saved = window.set_notes(EPISODE, "Inleiding, herzien\n\nMidden\n\nSlot",
                                 base=seen.notes)
        assert saved.text == "Inleiding, herzien\n\nMidden\n\nSlot, aangevuld"
        assert saved.merged and not saved.conflict


def test_overlapping_notes_edits_keep_both_texts(data_dir: Path) -> None:
    with Library.open(data_dir) as window, Library.open(data_dir) as other:
        window.set_notes(EPISODE, "Eén regel")
        seen = window.episode(EPISODE)
        other.set_notes(EPISODE, "Eén regel van hen")
        saved = window.set_notes(EPISODE, "Eén regel van mij", base=seen.notes)
        assert saved.conflict
        assert "Eén regel van mij" in saved.text and "Eén regel van hen" in saved.text
