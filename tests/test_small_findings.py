"""Smaller ways notes were mangled: front-matter tags, file names, very long notes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from reader.export.files import safe_filename
from reader.library.importer import MAX_NOTE_BYTES
from tests.conftest import SEED_FILES, run_cli


def test_export_with_front_matter_keeps_the_users_own_tags(tmp_path: Path) -> None:
    text = SEED_FILES[0].read_text(encoding="utf-8")
    (tmp_path / "vault").mkdir()
    note = tmp_path / "vault" / "a.md"
    note.write_text("---\ntags: [onderzoek, ai-act]\nstatus: gelezen\n---\n" + text, encoding="utf-8")
    data = tmp_path / "data"
    assert run_cli("import", note, data_dir=data).returncode == 0
    result = run_cli("export", "--front-matter", tmp_path / "out", data_dir=data)
    exported = next(p for p in (tmp_path / "out").iterdir() if "status: gelezen" in p.read_text(encoding="utf-8"))
    properties = yaml.safe_load(exported.read_text(encoding="utf-8").split("---\n")[1])
    assert properties["tags"] == ["onderzoek", "ai-act"] and properties["status"] == "gelezen"
    assert result.returncode in (0, 1)


@pytest.mark.parametrize(("title", "name"), [
    (" . Verborgen titel", "Verborgen titel.md"),
    ("Wacht... wat?", "Wacht. wat.md"),
    ("factuur\u202efdp.exe", "factuurfdp.exe.md"),
    ("Gezin 👨\u200d👩\u200d👧", "Gezin 👨\u200d👩\u200d👧.md"),
])
def test_export_file_names_are_plain(title: str, name: str) -> None:
    assert safe_filename(title) == name


def test_a_note_over_the_size_limit_is_one_line_and_the_rest_imported(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    shutil.copy(SEED_FILES[0], vault / "gewoon.md")
    seed = SEED_FILES[1].read_text(encoding="utf-8")
    head, rest = seed.split("## Transcript\n\n", 1)
    filler = " ".join(["woord"] * (MAX_NOTE_BYTES // 5))
    (vault / "enorm.md").write_text(head + "## Transcript\n\n" + filler + "\n" + rest, encoding="utf-8")
    result = run_cli("import", vault, data_dir=tmp_path / "data")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "enorm.md: too large for a note" in line and "the limit is 1.0 MB" in line
    assert "1 imported" in result.stdout or "1 unchanged" in result.stdout
