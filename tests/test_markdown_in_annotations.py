"""Markdown typed into annotations survives write-back and a fresh import (the CLI, for real)."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library import Library
from tests.conftest import SEED_FILES, run_cli
from tests.core.test_annotation_roundtrip import list_item, md_text

EPISODE = "LrrHD9cdz6Q"


def _vault(tmp_path: Path) -> Path:
    vault = tmp_path / "vault"
    vault.mkdir()
    source = next(p for p in SEED_FILES if EPISODE in p.read_text(encoding="utf-8"))
    shutil.copy(source, vault / "aflevering.md")
    return vault / "aflevering.md"


def test_a_heading_in_notes_is_written_once_and_read_back(tmp_path: Path) -> None:
    note = _vault(tmp_path)
    data = tmp_path / "data"
    notes = "Inleiding\n\n## Mijn kop\n\nTekst"
    assert run_cli("import", note, data_dir=data).returncode == 0
    assert run_cli("annotate", EPISODE, "--notes", notes, data_dir=data).returncode == 0
    for _ in range(3):
        done = run_cli("export", "--write-back", data_dir=data)
        assert done.returncode in (0, 1), done.stderr  # the samples are refused, ours is written
        assert str(note) in done.stdout
    text = note.read_text(encoding="utf-8")
    assert text.count("Mijn kop") == 1
    fresh = tmp_path / "fresh"
    assert run_cli("import", note, data_dir=fresh).returncode == 0
    with Library.open(fresh, import_seeds=False) as library:
        assert library.episode(EPISODE).notes == notes


def test_an_open_code_fence_in_notes_keeps_the_sections_after_it(tmp_path: Path) -> None:
    note = _vault(tmp_path)
    data = tmp_path / "data"
    run_cli("import", note, data_dir=data)
    run_cli("annotate", EPISODE, "--notes", "Code:\n```python\nprint(1)", "--add-takeaway",
            "Blijft een takeaway", "--add-takeaway=--", data_dir=data)
    assert str(note) in run_cli("export", "--write-back", data_dir=data).stdout
    fresh = tmp_path / "fresh"
    run_cli("import", note, data_dir=fresh)
    with Library.open(fresh, import_seeds=False) as library:
        episode = library.episode(EPISODE)
    assert episode.notes == "Code:\n```python\nprint(1)"
    assert episode.takeaways == ["Blijft een takeaway", "--"]


def test_a_comment_starting_with_a_new_line_keeps_its_highlight(tmp_path: Path) -> None:
    note = _vault(tmp_path)
    data = tmp_path / "data"
    with Library.open(data, import_seeds=False) as library:
        library.import_paths([note])
        transcript = library.episode(EPISODE).transcript
        library.add_highlight(EPISODE, 0, transcript.index(" ", 20), comment="\nop een nieuwe regel")
        library.write_back(EPISODE)
    with Library.open(tmp_path / "fresh", import_seeds=False) as fresh:
        fresh.import_paths([note])
        [highlight] = fresh.episode(EPISODE).highlights
    assert highlight.comment == "\nop een nieuwe regel" and not highlight.orphan


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(notes=md_text, takeaways=st.lists(list_item, max_size=3),
       related=st.lists(list_item.filter(lambda t: not t.startswith("[[")), max_size=2),
       comment=md_text)
def test_export_then_import_gives_the_same_annotations(
        tmp_path_factory: object, notes: str, takeaways: list[str], related: list[str],
        comment: str) -> None:
    tmp = tmp_path_factory.mktemp("roundtrip")  # type: ignore[attr-defined]
    note = _vault(tmp)
    with Library.open(tmp / "a", import_seeds=False) as library:
        library.import_paths([note])
        library.set_notes(EPISODE, notes)
        for text in takeaways:
            library.add_takeaway(EPISODE, text)
        for text in related:
            library.add_related(EPISODE, text)
        library.add_highlight(EPISODE, 0, 40, comment=comment)
        library.write_back(EPISODE)
        first = note.read_bytes()
        library.write_back(EPISODE)
        assert note.read_bytes() == first  # a fixed point after the first write-back
        want = library.episode(EPISODE)
    with Library.open(tmp / "b", import_seeds=False) as fresh:
        fresh.import_paths([note])
        got = fresh.episode(EPISODE)
    assert got.notes == want.notes == notes
    assert got.takeaways == want.takeaways == takeaways
    assert [r.text for r in got.related] == [r.text for r in want.related] == related
    assert [(h.quote, h.comment, h.orphan) for h in got.highlights] == \
        [(h.quote, h.comment, False) for h in want.highlights]
