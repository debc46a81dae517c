"""Sections the user did not change are exported with their bytes as they were."""

from __future__ import annotations

from pathlib import Path

from reader.library import Library
from tests.conftest import SEED_FILES

A, B = "LrrHD9cdz6Q", "t6CbcAlFD0o"


def _seed(video_id: str) -> str:
    return next(p for p in SEED_FILES if video_id in p.read_text(encoding="utf-8")) \
        .read_text(encoding="utf-8")


def _vault(tmp_path: Path, related_a: str, highlights_a: str = "") -> Path:
    vault = tmp_path / "vault"
    vault.mkdir()
    note_a = _seed(A).replace("## Related\n-", f"{highlights_a}## Related\n{related_a}")
    (vault / "A.md").write_text(note_a, encoding="utf-8")
    (vault / "vidB.md").write_text(_seed(B), encoding="utf-8")
    return vault


def _export(tmp_path: Path, vault: Path, *, notes: str | None = None) -> str:
    with Library.open(tmp_path / "data", import_seeds=False) as library:
        report = library.import_paths([vault])
        assert not report.failed, report.failed
        if notes is not None:
            library.set_notes(A, notes)
        return library.render(A)


def test_resolved_wikilinks_keep_their_spelling(tmp_path: Path) -> None:
    vault = _vault(tmp_path, f"- [[{B}]]\n- [[{B}|Aflevering B]]\n- [[A]]\n")
    assert _export(tmp_path, vault) == (vault / "A.md").read_text(encoding="utf-8")
    with Library.open(tmp_path / "data", import_seeds=False) as library:  # and they resolve
        assert [r.episode_id for r in library.episode(A).related] == [B, B, None]  # a link to itself is text


def test_highlights_out_of_transcript_order_and_fuzzy_quotes_stay(tmp_path: Path) -> None:
    words = _seed(A).split("## Transcript", 1)[1].split()
    late = " ".join(words[400:406])
    early = " ".join(words[20:26])
    misheard = " ".join(words[60:63]) + "x " + " ".join(words[63:67])  # a typo in the quote
    section = (f"## Highlights\n\n> =={late}==\n> — later in the episode\n\n> =={early}== "
               f"<!-- green -->\n\n> =={misheard}==\n\n")
    vault = _vault(tmp_path, "- [[vidB]]\n", section)
    source = (vault / "A.md").read_text(encoding="utf-8")
    assert _export(tmp_path, vault) == source
    with Library.open(tmp_path / "data", import_seeds=False) as library:
        assert [h.orphan for h in library.episode(A).highlights] == [False, False, False]


def test_changing_notes_leaves_links_and_highlights_byte_for_byte(tmp_path: Path) -> None:
    words = _seed(A).split("## Transcript", 1)[1].split()
    section = (f"## Highlights\n\n> =={' '.join(words[400:406])}==\n\n"
               f"> =={' '.join(words[20:26])}==\n\n")
    vault = _vault(tmp_path, "- [[vidB]]\n- gewoon tekst\n", section)
    source = (vault / "A.md").read_text(encoding="utf-8")
    out = _export(tmp_path, vault, notes="Nieuwe notitie")
    assert out == source.replace("## Notes\n\n\n", "## Notes\n\nNieuwe notitie\n\n")
