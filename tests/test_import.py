"""Importing real files: rules for changes, annotations and bad input."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from reader.library import Library
from reader.library.importer import MAX_NOTE_BYTES
from tests.conftest import SEED_FILES


def _db_rows(data_dir: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(data_dir / "library.sqlite3") as db:
        return db.execute(sql).fetchall()


def _snapshot(data_dir: Path) -> list[tuple]:
    return _db_rows(data_dir, "SELECT id, title, notes, content_hash, source_path FROM episodes "
                              "ORDER BY id") + _db_rows(
        data_dir, "SELECT episode_id, position, text FROM takeaways ORDER BY episode_id, position")


def test_first_run_imports_the_bundled_seeds(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        ids = {e.id for e in library.list_episodes()}
    assert ids == {"LrrHD9cdz6Q", "xDCa0xgymMY", "t6CbcAlFD0o", "0-vnak7cKos", "Q6ISUYLpI4A"}
    with Library.open(data_dir) as library:  # not again on the second run
        assert len(library.list_episodes()) == 5


def test_unchanged_files_are_skipped_and_changed_ones_update(data_dir: Path, notes_dir: Path) -> None:
    with Library.open(data_dir, import_seeds=False) as library:
        first = library.import_paths([notes_dir])
        assert len(first.imported) == 5 and not first.failed
        again = library.import_paths([notes_dir])
        assert len(again.unchanged) == 5 and not again.imported and not again.updated
        path = notes_dir / SEED_FILES[0].name
        path.write_text(path.read_text(encoding="utf-8").replace("Welkom bij poki", "Welkom bij Poki"),
                        encoding="utf-8")
        library.set_notes("LrrHD9cdz6Q", "mijn aantekening")
        changed = library.import_paths([notes_dir])
        assert changed.updated == ["LrrHD9cdz6Q"]
        view = library.episode("LrrHD9cdz6Q")
        assert view.transcript.startswith("Welkom bij Poki")
        assert view.notes == "mijn aantekening"  # annotations survive a changed transcript


def test_filled_in_note_brings_its_annotations(data_dir: Path, tmp_path: Path) -> None:
    text = SEED_FILES[2].read_text(encoding="utf-8")
    text = text.replace("## Notes\n\n", "## Notes\n\nAl ingevuld met de hand.\n", 1)
    text = text.replace("## Key Takeaways\n-\n", "## Key Takeaways\n- Eén\n- Twee\n", 1)
    note = tmp_path / "filled.md"
    note.write_text(text, encoding="utf-8")
    with Library.open(data_dir, import_seeds=False) as library:
        library.import_paths([note])
        view = library.episode("t6CbcAlFD0o")
        assert view.notes == "Al ingevuld met de hand."
        assert view.takeaways == ["Eén", "Twee"]
        assert library.render("t6CbcAlFD0o") == text


def test_database_wins_a_conflict_and_keeps_the_files_version(data_dir: Path, tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    original = SEED_FILES[0].read_text(encoding="utf-8")
    note.write_text(original, encoding="utf-8")
    with Library.open(data_dir, import_seeds=False) as library:
        library.import_paths([note])
        library.set_notes("LrrHD9cdz6Q", "in de app geschreven")
        edited = original.replace("## Notes\n\n", "## Notes\n\nin Obsidian geschreven\n", 1)
        note.write_text(edited, encoding="utf-8")
        report = library.import_paths([note])
        assert report.conflicts == ["LrrHD9cdz6Q"]
        assert library.episode("LrrHD9cdz6Q").notes == "in de app geschreven"
        [(_, path, kept)] = library.superseded("LrrHD9cdz6Q")
        assert kept == edited and path == str(note.resolve())


def test_file_edits_win_when_only_the_file_changed(data_dir: Path, tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    original = SEED_FILES[0].read_text(encoding="utf-8")
    note.write_text(original.replace("## Notes\n\n", "## Notes\n\neerst\n", 1), encoding="utf-8")
    with Library.open(data_dir, import_seeds=False) as library:
        library.import_paths([note])
        note.write_text(original.replace("## Notes\n\n", "## Notes\n\ndaarna\n", 1), encoding="utf-8")
        report = library.import_paths([note])
        assert report.updated == ["LrrHD9cdz6Q"] and not report.conflicts
        assert library.episode("LrrHD9cdz6Q").notes == "daarna"


def _bad_files(folder: Path, seed: str) -> dict[str, str]:
    """File name -> the reason it must be refused with."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.md").write_bytes(b"")
    (folder / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "cp1252.md").write_bytes(seed.replace("Welkom", "Caf\u00e9 welkom").encode("cp1252",
                                                                                         "replace"))
    (folder / "copy (1).md").write_text(seed, encoding="utf-8")
    return {
        "empty.md": "empty",
        "binary.md": "binary",
        "cp1252.md": "not UTF-8",
        "copy (1).md": "already in the library",
    }


def test_bad_input_is_refused_one_line_each_and_nothing_stored_changes(
        data_dir: Path, notes_dir: Path, tmp_path: Path) -> None:
    seed = SEED_FILES[0].read_text(encoding="utf-8")
    with Library.open(data_dir, import_seeds=False) as library:
        library.import_paths([notes_dir])
        library.set_takeaways("LrrHD9cdz6Q", ["bewaard"])
    before = _snapshot(data_dir)
    expected = _bad_files(tmp_path / "bad", seed)
    with Library.open(data_dir) as library:
        report = library.import_paths([tmp_path / "bad"])
    reasons = {Path(path).name: reason for path, reason in report.failed}
    assert set(reasons) == set(expected)
    for name, fragment in expected.items():
        assert fragment in reasons[name], (name, reasons[name])
        assert "\n" not in reasons[name]
    assert _snapshot(data_dir) == before


def test_two_files_with_one_video_id_in_one_import(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dup"
    folder.mkdir()
    seed = SEED_FILES[1].read_text(encoding="utf-8")
    (folder / "a.md").write_text(seed, encoding="utf-8")
    (folder / "b.md").write_text(seed.replace("Welkom", "Hallo"), encoding="utf-8")
    with Library.open(data_dir, import_seeds=False) as library:
        report = library.import_paths([folder])
    assert report.imported == ["xDCa0xgymMY"]
    [(path, reason)] = report.failed
    assert path.endswith("b.md") and "same Video ID" in reason


def test_hidden_files_and_non_notes_are_passed_over(data_dir: Path, notes_dir: Path) -> None:
    (notes_dir / ".obsidian").mkdir()
    (notes_dir / ".obsidian" / "workspace.md").write_text("# x\n## Transcript\nx\n", encoding="utf-8")
    (notes_dir / "picture.png").write_bytes(b"\x89PNG")
    (notes_dir / ".hidden.md").write_text("# x\n## Transcript\nx\n", encoding="utf-8")
    ordinary = notes_dir / "Boodschappen.md"
    ordinary.write_text("# Boodschappen\n\n- melk\n", encoding="utf-8")
    with Library.open(data_dir, import_seeds=False) as library:
        report = library.import_paths([notes_dir])
        assert len(report.imported) == 5 and not report.failed
        assert report.passed_over == 2  # the picture and the ordinary note
        named = library.import_paths([ordinary])  # named on its own, it is an error
        assert named.failed == [(str(ordinary), "no '## Transcript' section")]


@pytest.mark.parametrize("variant", ["crlf", "bom", "front_matter", "markup", "hostile_yaml",
                                     "broken_yaml",
                                     "odd_title", "no_video_id"])
def test_variants_import_and_render_back_unchanged(variant: str, data_dir: Path,
                                                   tmp_path: Path) -> None:
    seed = SEED_FILES[4].read_text(encoding="utf-8")
    text = {
        "crlf": seed.replace("\n", "\r\n"),
        "bom": "\ufeff" + seed,
        "front_matter": "---\ntags: [podcast]\nrating: 5\n---\n" + seed,
        "markup": seed.replace("[Muziek] Zet", "<script>alert(1)</script> <img src=x onerror=y> Zet", 1),
        "hostile_yaml": "---\n!!python/object/apply:os.system ['echo hi']\n---\n" + seed,
        "broken_yaml": "---\ntags: [unclosed\n  : : :\n---\n" + seed,
        "odd_title": seed.replace("# Een taalmodel", "# ../../etc/passwd / \\ : | * ? \" < > 🎧 Een taalmodel"),
        "no_video_id": seed.replace("**Video ID:** Q6ISUYLpI4A\n", ""),
    }[variant]
    path = tmp_path / "note.md"
    path.write_bytes(text.encode("utf-8"))
    with Library.open(data_dir, import_seeds=False) as library:
        report = library.import_paths([path])
        assert not report.failed, report.failed
        [episode_id] = report.imported
        assert library.render(episode_id) == text
        if variant == "markup":
            assert "<script>alert(1)</script>" in library.episode(episode_id).transcript
        if variant == "no_video_id":
            assert episode_id.startswith("h-")


def test_a_transcript_just_under_the_size_limit(data_dir: Path, tmp_path: Path) -> None:
    seed = SEED_FILES[1].read_text(encoding="utf-8")
    head, rest = seed.split("## Transcript\n\n", 1)
    transcript, tail = rest.split("\n\n---\n\n", 1)
    big = " ".join([transcript] * (MAX_NOTE_BYTES // len(seed.encode("utf-8"))))
    assert MAX_NOTE_BYTES - 200_000 < len(big.encode("utf-8")) < MAX_NOTE_BYTES
    path = tmp_path / "big.md"
    text = f"{head}## Transcript\n\n{big}\n\n---\n\n{tail}"
    path.write_text(text, encoding="utf-8")
    with Library.open(data_dir, import_seeds=False) as library:
        report = library.import_paths([path])
        assert report.imported == ["xDCa0xgymMY"]
        assert library.episode("xDCa0xgymMY").transcript == big
        assert library.render("xDCa0xgymMY") == text


def test_refresh_picks_up_edits_on_disk_and_keeps_missing_sources(
        data_dir: Path, notes_dir: Path) -> None:
    with Library.open(data_dir, import_seeds=False) as library:
        library.import_paths([notes_dir])
        library.set_notes("xDCa0xgymMY", "blijft bewaard")
        assert not library.refresh_sources().updated  # nothing changed yet
        edited = notes_dir / SEED_FILES[0].name
        edited.write_text(edited.read_text(encoding="utf-8").replace("Welkom", "Hallo"),
                          encoding="utf-8")
        os.utime(edited, (1, 1))  # a different mtime, whatever the clock's resolution
        (notes_dir / SEED_FILES[1].name).unlink()
        report = library.refresh_sources()
        assert report.updated == ["LrrHD9cdz6Q"] and not report.failed
        assert library.episode("LrrHD9cdz6Q").transcript.startswith("Hallo")
        summaries = {e.id: e for e in library.list_episodes()}
        assert summaries["xDCa0xgymMY"].source_missing
        assert library.episode("xDCa0xgymMY").notes == "blijft bewaard"


def test_reimport_of_an_edited_transcript_reanchors_highlights(data_dir: Path, tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    original = SEED_FILES[2].read_text(encoding="utf-8")
    note.write_text(original, encoding="utf-8")
    with Library.open(data_dir, import_seeds=False) as library:
        library.import_paths([note])
        transcript = library.episode("t6CbcAlFD0o").transcript
        start = transcript.index("NVIDIA") if "NVIDIA" in transcript else len(transcript) // 2
        moved = library.add_highlight("t6CbcAlFD0o", start, start + 40, comment="blijft")
        quote_gone = transcript[len(transcript) - 300:len(transcript) - 250]
        gone = library.add_highlight("t6CbcAlFD0o", len(transcript) - 300, len(transcript) - 250,
                                     comment="verdwijnt")
        library.promote_highlight("t6CbcAlFD0o", moved.id)
        edited = original.replace("## Transcript\n\n", "## Transcript\n\nEen nieuwe inleiding. ", 1)
        edited = edited.replace(quote_gone, "", 1)
        note.write_text(edited, encoding="utf-8")
        report = library.import_paths([note])
        assert report.updated == ["t6CbcAlFD0o"]
        view = library.episode("t6CbcAlFD0o")
        by_id = {h.id: h for h in view.highlights}
        assert not by_id[moved.id].orphan
        assert by_id[moved.id].start == moved.start + len("Een nieuwe inleiding. ")
        assert view.transcript[by_id[moved.id].start:by_id[moved.id].end] == moved.quote
        assert by_id[gone.id].orphan and by_id[gone.id].comment == "verdwijnt"
        assert library.takeaway_links("t6CbcAlFD0o") == [moved.id]


def test_refresh_imports_new_files_of_watched_folders_without_reading_the_rest(
        data_dir: Path, notes_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir, import_seeds=False) as library:
        library.import_paths([notes_dir])
        newcomer = notes_dir / "sub" / "new.md"
        newcomer.parent.mkdir()
        newcomer.write_text(SEED_FILES[0].read_text(encoding="utf-8").replace(
            "LrrHD9cdz6Q", "nieuw123"), encoding="utf-8")
        unreadable = notes_dir / SEED_FILES[3].name
        before = unreadable.stat()
        unreadable.write_bytes(b"\xff\xfe garbage that would fail to import")
        os.utime(unreadable, ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime
        report = library.refresh_sources([notes_dir])
        assert report.imported == ["nieuw123"]
        assert not report.failed  # the file with its old mtime was not read at all
