"""The command line, run as a real subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SEED_FILES, run_cli


def test_import_list_annotate_show_export(data_dir: Path, notes_dir: Path, tmp_path: Path) -> None:
    result = run_cli("--samples", "import", notes_dir, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    # The new library got the bundled samples; the user's copies take their place.
    assert "5 unchanged" in result.stdout
    listed = run_cli("list", "--json", data_dir=data_dir)
    assert {Path(r["source"]).parent for r in json.loads(listed.stdout)} == {notes_dir.resolve()}

    listed = run_cli("list", "--json", data_dir=data_dir)
    rows = json.loads(listed.stdout)
    assert {r["id"] for r in rows} >= {"LrrHD9cdz6Q", "t6CbcAlFD0o"}

    annotated = run_cli("annotate", "LrrHD9cdz6Q", "--notes", "Kort verslag", "--add-takeaway",
                        "Eén", "--add-takeaway", "Twee", "--add-related", "t6CbcAlFD0o",
                        "--add-related", "https://example.org", data_dir=data_dir)
    assert annotated.returncode == 0, annotated.stderr

    shown = run_cli("show", "LrrHD9cdz6Q", data_dir=data_dir)
    assert "## Notes\n\nKort verslag\n\n## Key Takeaways\n- Eén\n- Twee\n" in shown.stdout
    # The link names the target's note file, as Obsidian resolves it; the title is its alias.
    target = next(p.stem for p in notes_dir.iterdir() if "t6CbcAlFD0o" in p.read_text(encoding="utf-8"))
    assert f"[[{target}|OpenAI's nieuwe model o3" in shown.stdout

    out = tmp_path / "export"
    exported = run_cli("export", "--episode", "LrrHD9cdz6Q", out, data_dir=data_dir)
    assert exported.returncode == 0, exported.stderr
    [written] = list(out.iterdir())
    assert written.read_text(encoding="utf-8") == shown.stdout


def test_import_with_bad_files_reports_each_and_exits_1(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.md").write_bytes(SEED_FILES[3].read_bytes())
    (folder / "leeg.md").write_bytes(b"")
    (folder / "latin1.md").write_bytes("# Café\n## Transcript\ncafé\n".encode("cp1252"))
    result = run_cli("import", folder, data_dir=data_dir)
    assert result.returncode == 1
    lines = sorted(result.stderr.strip().splitlines())
    assert len(lines) == 2
    assert lines[0].startswith(str(folder / "latin1.md") + ": not UTF-8 text")
    assert lines[1] == f"{folder / 'leeg.md'}: the file is empty"
    assert "Traceback" not in result.stderr


def test_errors_are_one_line_never_a_traceback(data_dir: Path, tmp_path: Path) -> None:
    cases = [
        ("show", "nope"),
        ("annotate", "nope", "--notes", "x"),
        ("export", "--force", str(tmp_path)),
        ("annotate", "LrrHD9cdz6Q", "--notes-file", str(tmp_path / "missing.txt")),
    ]
    for args in cases:
        result = run_cli(*args, data_dir=data_dir)
        assert result.returncode != 0, args
        assert len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_a_data_dir_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x", encoding="utf-8")
    result = run_cli("list", data_dir=not_a_dir)
    assert result.returncode == 2
    assert result.stderr.startswith("transcript-reader: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_write_back_refused_then_forced(data_dir: Path, notes_dir: Path) -> None:
    run_cli("import", notes_dir, data_dir=data_dir)
    path = notes_dir / "002_d97f907783a74456.txt"
    run_cli("annotate", "t6CbcAlFD0o", "--notes", "uit de app", data_dir=data_dir)
    edited = path.read_text(encoding="utf-8") + "\nmet de hand toegevoegd\n"
    path.write_text(edited, encoding="utf-8")

    refused = run_cli("export", "--write-back", "--episode", "t6CbcAlFD0o", data_dir=data_dir)
    assert refused.returncode == 2  # nothing done
    assert "changed on disk since it was imported" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert path.read_text(encoding="utf-8") == edited

    forced = run_cli("export", "--write-back", "--force", "--episode", "t6CbcAlFD0o",
                     data_dir=data_dir)
    assert forced.returncode == 0, forced.stderr
    assert "## Notes\n\nuit de app\n" in path.read_text(encoding="utf-8")
    [backup] = notes_dir.glob("002_d97f907783a74456.txt.*.bak")
    assert backup.read_text(encoding="utf-8") == edited


def test_version_flag() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("transcript-reader ")


def test_backup_and_recover(data_dir: Path, tmp_path: Path) -> None:
    run_cli("annotate", "LrrHD9cdz6Q", "--notes", "veilig", "--samples", data_dir=data_dir)
    result = run_cli("backup", tmp_path, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    copy = Path(result.stdout.strip())
    assert copy.parent == tmp_path and copy.stat().st_size > 0

    db = data_dir / "library.sqlite3"
    for extra in ("library.sqlite3-wal", "library.sqlite3-shm"):
        (data_dir / extra).unlink(missing_ok=True)
    db.write_bytes(db.read_bytes()[:1000])  # truncated
    broken = run_cli("list", data_dir=data_dir)
    assert broken.returncode == 2
    assert "could not be opened" in broken.stderr and "recover" in broken.stderr
    assert len(broken.stderr.strip().splitlines()) == 1

    recovered = run_cli("recover", data_dir=data_dir)
    assert recovered.returncode == 0 and "moved to" in recovered.stdout
    restored = run_cli("list", "--samples", data_dir=data_dir)  # a fresh library, samples asked for
    assert restored.returncode == 0 and "LrrHD9cdz6Q" in restored.stdout


def test_search_json_and_index_rebuild(data_dir: Path) -> None:
    result = run_cli("--samples", "search", "modellen", "--limit", "2", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["total"] == 5 and len(payload["results"]) == 2
    first = payload["results"][0]
    assert set(first) == {"id", "title", "score", "snippets", "ranges", "seconds", "approximate"}
    assert first["ranges"] and all(end > start for start, end in first["ranges"])
    shown = run_cli("show", first["id"], data_dir=data_dir).stdout
    transcript = shown.split("## Transcript\n\n", 1)[1]
    assert all(transcript[s:e].lower().startswith("model") for s, e in first["ranges"])

    rebuilt = run_cli("index", "--rebuild", data_dir=data_dir)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "indexing 5/5" in rebuilt.stderr and "indexed 5 episodes" in rebuilt.stdout
    bad = run_cli("search", '"unbalanced (', data_dir=data_dir)
    assert bad.returncode == 0 and "Traceback" not in bad.stderr


def test_search_limits_below_one_and_empty_queries_are_refused(data_dir: Path) -> None:
    for limit in ("0", "-1", "veel"):
        result = run_cli("search", "modellen", "--limit", limit, data_dir=data_dir)
        assert result.returncode == 2 and "--limit" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("search", "  ", data_dir=data_dir)
    assert result.returncode == 2 and "give something to search for" in result.stderr


def test_data_dir_is_taken_after_the_command_and_never_empty(tmp_path: Path) -> None:
    result = run_cli("list", "--data-dir", tmp_path / "na")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "na" / "library.sqlite3").exists()
    result = run_cli("--data-dir", "", "list")
    assert result.returncode == 2 and "empty --data-dir" in result.stderr


def test_a_new_library_from_the_command_line_has_no_samples_unless_asked(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "mijn.md").write_bytes(SEED_FILES[3].read_bytes())
    assert run_cli("import", folder, data_dir=data_dir).returncode == 0
    listed = json.loads(run_cli("list", "--json", data_dir=data_dir).stdout)
    assert [Path(r["source"]).name for r in listed] == ["mijn.md"]
    other = tmp_path / "other"
    assert run_cli("list", "--json", "--samples", data_dir=other).returncode == 0
    assert len(json.loads(run_cli("list", "--json", data_dir=other).stdout)) == len(SEED_FILES)


def test_remove_takes_episodes_out_and_leaves_their_notes(data_dir: Path, notes_dir: Path) -> None:
    assert run_cli("import", notes_dir, data_dir=data_dir).returncode == 0
    note = next(p for p in notes_dir.iterdir() if "LrrHD9cdz6Q" in p.read_text(encoding="utf-8"))
    before = note.read_bytes()
    done = run_cli("remove", "LrrHD9cdz6Q", "nope-id", data_dir=data_dir)
    assert done.returncode == 1  # done, with one ID skipped
    assert done.stdout.startswith("removed LrrHD9cdz6Q") and str(note) in done.stdout
    assert done.stderr.strip() == "transcript-reader: nope-id: no such episode in the library"
    listed = json.loads(run_cli("list", "--json", data_dir=data_dir).stdout)
    assert "LrrHD9cdz6Q" not in {r["id"] for r in listed}
    assert note.read_bytes() == before
    assert run_cli("remove", "nope-id", data_dir=data_dir).returncode == 2  # nothing done


def test_help_search_explains_the_syntax_with_examples_that_find_something(data_dir: Path) -> None:
    shown = run_cli("help", "search", data_dir=data_dir)
    assert shown.returncode == 0 and "OR" in shown.stdout and "title:" in shown.stdout
    examples = [line[2:24].strip() for line in shown.stdout.splitlines()
                if line.startswith("  ") and line[2] != " " and len(line) > 24]
    assert len(examples) >= 8
    run_cli("list", "--samples", data_dir=data_dir)
    for example in examples:
        found = run_cli("search", example, "--json", data_dir=data_dir)
        assert found.returncode == 0, (example, found.stderr)
        assert json.loads(found.stdout)["total"] > 0, example


def test_show_json_gives_the_annotations_as_data(data_dir: Path) -> None:
    run_cli("annotate", "LrrHD9cdz6Q", "--notes", "## Kop\nTekst", "--add-takeaway", "Eén",
            "--add-related", "t6CbcAlFD0o", "--add-related", "https://example.org", "--samples",
            data_dir=data_dir)
    shown = run_cli("show", "LrrHD9cdz6Q", "--json", data_dir=data_dir)
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["notes"] == "## Kop\nTekst" and data["takeaways"] == ["Eén"]
    assert data["related"] == [{"text": data["related"][0]["text"], "episode_id": "t6CbcAlFD0o"},
                               {"text": "https://example.org", "episode_id": None}]
    assert data["highlights"] == []
    assert run_cli("show", "nope", "--json", data_dir=data_dir).returncode == 2


def test_command_line_mistakes_are_one_clear_line(data_dir: Path, tmp_path: Path) -> None:
    run_cli("list", "--samples", data_dir=data_dir)
    # backup: a name ending in / is a folder; an existing backup is never overwritten.
    folder = run_cli("backup", f"{tmp_path / 'kopie'}/", data_dir=data_dir)
    assert folder.returncode == 0 and Path(folder.stdout.strip()).parent == tmp_path / "kopie"
    again = run_cli("backup", folder.stdout.strip(), data_dir=data_dir)
    assert again.returncode == 2 and "never overwrites" in again.stderr
    # export into a file, and of an unknown episode only: nothing done, exit 2.
    a_file = tmp_path / "een-bestand.md"
    a_file.write_text("x", encoding="utf-8")
    into_file = run_cli("export", a_file, data_dir=data_dir)
    assert into_file.returncode == 2 and "is a file" in into_file.stderr
    unknown = run_cli("export", "--episode", "nope", tmp_path / "uit", data_dir=data_dir)
    assert unknown.returncode == 2
    # A related "ID" that is no episode is kept as text, and said so.
    related = run_cli("annotate", "LrrHD9cdz6Q", "--add-related", "nope-id", data_dir=data_dir)
    assert related.returncode == 0 and "nope-id is no episode of the library" in related.stderr
    # write-back of everything leaves the bundled samples out: nothing of the user's to write.
    everything = run_cli("export", "--write-back", data_dir=data_dir)
    assert everything.returncode == 0 and everything.stderr == ""
    for result in (again, into_file, related):
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_importing_what_is_no_note_says_so(data_dir: Path, tmp_path: Path) -> None:
    image = tmp_path / "omslag.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    done = run_cli("--samples", "import", image, data_dir=data_dir)
    assert done.returncode == 2  # nothing imported
    assert done.stderr == f"{image}: not a note file (notes end in .md, .markdown, .txt)\n"
    missing = tmp_path / "weg.md"
    refused = run_cli("annotate", "LrrHD9cdz6Q", "--notes-file", missing, data_dir=data_dir)
    assert refused.returncode == 2
    assert refused.stderr == f"transcript-reader: {missing}: cannot be read (No such file or directory)\n"


def test_the_arguments_are_explained_in_help() -> None:
    def shown(*args: str) -> str:
        return " ".join(run_cli(*args, "--help").stdout.split())  # argparse wraps the lines

    imported = shown("import")
    assert "folders, read recursively" in imported and ".markdown" in imported
    assert "the folder to write the notes into" in shown("export")
    searched = shown("search")
    assert "(default 20)" in searched and "one JSON object" in searched
    assert "Video ID" in shown("show")
    assert "explain a topic: search" in " ".join(run_cli("--help").stdout.split())


def test_what_an_import_passes_over_is_said_as_what_it_is(data_dir: Path, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / "__pycache__").mkdir(parents=True)
    (vault / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")  # left out, never counted
    (vault / "omslag.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (vault / "__init__.py").write_text("", encoding="utf-8")
    (vault / "boodschappen.md").write_text("# Boodschappen\r\n\r\n- brood\r\n", encoding="utf-8")
    (vault / "aflevering.md").write_bytes(SEED_FILES[0].read_bytes())
    done = run_cli("import", vault, data_dir=data_dir)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.rstrip("\n").endswith(
        "; passed over: 2 files that are not notes (notes end in .md, .markdown, .txt)"
        " and 1 note with no '## Transcript' section")
