"""Exporting annotated notes: folders, write-back, conflicts, file names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.export.files import safe_filename
from reader.files import atomic_write
from reader.library import Library, RelatedLink, WriteBackRefused


@pytest.fixture
def library(data_dir: Path, notes_dir: Path):
    with Library.open(data_dir, import_seeds=False) as lib:
        lib.import_paths([notes_dir])
        yield lib


def _annotate(library: Library) -> int:
    library.set_notes("LrrHD9cdz6Q", "Over DeepSeek.\n\nTweede alinea.")
    library.set_takeaways("LrrHD9cdz6Q", ["Open modellen halen in", "Chips blijven schaars"])
    library.set_related("LrrHD9cdz6Q", [RelatedLink("o3", "t6CbcAlFD0o"),
                                        RelatedLink("https://example.org/artikel")])
    transcript = library.episode("LrrHD9cdz6Q").transcript
    start = transcript.index("kunstmatige intelligentie")
    library.add_highlight("LrrHD9cdz6Q", start, start + 25, comment="Het onderwerp")
    return start


def test_export_fills_in_sections_and_leaves_the_rest(library: Library, notes_dir: Path,
                                                     tmp_path: Path) -> None:
    start = _annotate(library)
    report = library.export(["LrrHD9cdz6Q"], tmp_path / "out")
    [path] = report.written
    text = path.read_text(encoding="utf-8")
    original = (notes_dir / "000_c89e2462edba1bd3.txt").read_text(encoding="utf-8")
    head = original[: original.index("## Notes")]
    assert text.startswith(head)  # title, metadata and transcript untouched
    assert "## Notes\n\nOver DeepSeek.\n\nTweede alinea.\n\n## Key Takeaways\n" in text
    assert "- Open modellen halen in\n- Chips blijven schaars\n" in text
    # Without subtitles the moment is estimated: "≈" in the link's text.
    seconds = int(library.word_times("LrrHD9cdz6Q").seconds_at(start))
    assert (f"## Highlights\n\n> ==kunstmatige intelligentie== [≈{seconds // 60}:{seconds % 60:02d}]"
            f"(https://www.youtube.com/watch?v=LrrHD9cdz6Q&t={seconds}s)\n> — Het onderwerp\n") in text
    # Exported alone, it links to the target's note file in the vault, by its name.
    name = Path(library.episode("t6CbcAlFD0o").source_path or "").stem
    assert f"- [[{name}|OpenAI's nieuwe model o3" in text
    assert "- https://example.org/artikel\n" in text


def test_export_import_export_is_a_fixed_point(library: Library, tmp_path: Path) -> None:
    _annotate(library)
    first = library.export(None, tmp_path / "one")
    assert len(first.written) == 5
    with Library.open(tmp_path / "data2", import_seeds=False) as other:
        report = other.import_paths([tmp_path / "one"])
        assert len(report.imported) == 5 and not report.failed
        view = other.episode("LrrHD9cdz6Q")
        assert view.related[0].episode_id == "t6CbcAlFD0o"
        assert view.highlights[0].quote == "kunstmatige intelligentie"
        other.export(None, tmp_path / "two")
    for a in first.written:
        assert (tmp_path / "two" / a.name).read_bytes() == a.read_bytes()


def test_front_matter_on_export(library: Library, tmp_path: Path) -> None:
    [path] = library.export(["Q6ISUYLpI4A"], tmp_path, front_matter=True).written
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Een taalmodel uit de polder, GPT-NL | ✨ Poki\n")
    assert "video_id: Q6ISUYLpI4A\n" in text and "exported: " in text
    assert "\n---\n# Een taalmodel" in text


def test_write_back_then_refused_after_an_edit_on_disk_then_forced_with_backup(
        library: Library, notes_dir: Path) -> None:
    path = notes_dir / "000_c89e2462edba1bd3.txt"
    library.set_notes("LrrHD9cdz6Q", "eerste")
    assert library.write_back("LrrHD9cdz6Q") == path.resolve()
    assert "## Notes\n\neerste\n" in path.read_text(encoding="utf-8")
    edited_on_disk = path.read_text(encoding="utf-8").replace("eerste", "in Obsidian")
    path.write_text(edited_on_disk, encoding="utf-8")
    library.set_notes("LrrHD9cdz6Q", "tweede")
    with pytest.raises(WriteBackRefused, match="changed on disk since it was imported"):
        library.write_back("LrrHD9cdz6Q")
    assert path.read_text(encoding="utf-8") == edited_on_disk
    library.write_back("LrrHD9cdz6Q", force=True)
    [backup] = list(notes_dir.glob("000_c89e2462edba1bd3.txt.*.bak"))
    assert backup.read_text(encoding="utf-8") == edited_on_disk
    assert "## Notes\n\ntweede\n" in path.read_text(encoding="utf-8")


def test_export_does_not_overwrite_a_different_file(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    name = safe_filename(library.episode("Q6ISUYLpI4A").title)
    (out / name).write_text("mijn eigen bestand\n", encoding="utf-8")
    report = library.export(["Q6ISUYLpI4A"], out)
    assert not report.written
    [(episode_id, reason)] = report.refused
    assert episode_id == "Q6ISUYLpI4A" and "left alone" in reason
    assert (out / name).read_text(encoding="utf-8") == "mijn eigen bestand\n"


@pytest.mark.parametrize("title", [
    "../../etc/passwd", "a/b\\c:d|e*f?g\"h<i>j", "CON", "  .hidden. ", "🎧 emoji title",
    "x" * 400, "tab\there\x01ctl", "",
])
def test_safe_filenames(title: str, tmp_path: Path) -> None:
    name = safe_filename(title)
    assert not set('<>:"/\\|?*') & set(name)
    assert all(ord(c) >= 32 for c in name)
    assert len(name.encode("utf-8")) <= 130
    assert not name.startswith(".") and name.endswith(".md")
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL"}
    atomic_write(tmp_path / name, "x")
    assert (tmp_path / name).parent == tmp_path
    assert safe_filename(title) == name  # stable


def test_atomic_write_keeps_the_old_file_when_the_write_fails(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_text("oud\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        atomic_write(target, "nieuw \ud800 kapot")  # a lone surrogate cannot be written
    assert target.read_text(encoding="utf-8") == "oud\n"
    assert os.listdir(tmp_path) == ["note.md"]


def test_bundled_samples_are_never_written_back(data_dir: Path) -> None:
    with Library.open(data_dir) as library:  # first run: the bundled seeds
        library.set_notes("t6CbcAlFD0o", "mag niet in het pakket belanden")
        source = Path(library.episode("t6CbcAlFD0o").source_path)
        before = source.read_bytes()
        with pytest.raises(WriteBackRefused, match="bundled sample"):
            library.write_back("t6CbcAlFD0o")
        assert source.read_bytes() == before


def test_promoted_highlight_becomes_a_linked_takeaway(library: Library) -> None:
    transcript = library.episode("Q6ISUYLpI4A").transcript
    start = transcript.index("GPT-NL") if "GPT-NL" in transcript else transcript.index("model")
    highlight = library.add_highlight("Q6ISUYLpI4A", start, start + 5, colour="blue")
    quote = transcript[start:start + 5]
    library.set_takeaways("Q6ISUYLpI4A", ["eerst"])
    assert library.promote_highlight("Q6ISUYLpI4A", highlight.id).text == quote
    assert library.episode("Q6ISUYLpI4A").takeaways == ["eerst", quote]
    assert library.takeaway_links("Q6ISUYLpI4A") == [None, highlight.id]
    library.set_takeaways("Q6ISUYLpI4A", [quote, "eerst"])  # reordered: the link stays
    assert library.takeaway_links("Q6ISUYLpI4A") == [highlight.id, None]
    library.delete_highlight("Q6ISUYLpI4A", highlight.id)
    assert library.takeaway_links("Q6ISUYLpI4A") == [None, None]
    assert library.episode("Q6ISUYLpI4A").takeaways == [quote, "eerst"]


def test_new_export_files_follow_the_umask_and_an_unchanged_one_is_left_alone(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = tmp_path / "out"
    for mask, mode in ((0o022, 0o644), (0o077, 0o600)):
        target = out / f"mask{mask:o}"
        command = [sys.executable, "-m", "reader.cli", "--data-dir", str(tmp_path / "data"), "--samples",
                   "export", "--episode", "LrrHD9cdz6Q", str(target)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300,
                              preexec_fn=lambda m=mask: os.umask(m))  # the child's own umask
        assert done.returncode == 0, done.stderr
        [written] = list(target.iterdir())
        assert written.stat().st_mode & 0o777 == mode
    [again] = list((out / "mask22").iterdir())
    before = again.stat()
    with Library.open(tmp_path / "data") as library:
        library.export(["LrrHD9cdz6Q"], out / "mask22")
    after = again.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
