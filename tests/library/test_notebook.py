"""The Notebook over a real library: tags stored, written back and read again; every kind of
annotation listed; filters as a reader uses them; a database from before tags migrated."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from reader.library import Library
from reader.library.notebook import HIGHLIGHT, NOTE, TAKEAWAY, Filter, Notebook
from tests.conftest import database_at

A, B = "LrrHD9cdz6Q", "xDCa0xgymMY"


def _note(vault: Path, name: str, video: str, words: str, *, front: str = "") -> Path:
    path = vault / f"{name}.md"
    path.write_text(f"{front}# {name}\n\n**Video ID:** {video}\n**Tags:** #podcast\n\n---\n\n"
                    f"## Transcript\n\n{words}\n\n## Notes\n\n\n## Key Takeaways\n-\n", encoding="utf-8")
    return path


WORDS_A = "we praten over taalmodellen en het model van de overheid en regels voor ai in europa " * 3
WORDS_B = "de ai act van europa regelt wat een model mag en wat de toezichthouder doet " * 3


def test_tags_go_into_the_note_and_come_back_from_it(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    path = _note(vault, "Aflevering een", "vid1", WORDS_A, front="---\ntags: [show/poki]\n---\n")
    before = path.read_bytes()
    with Library.open(tmp_path / "data", import_seeds=False) as library:
        library.import_paths([vault])
        assert library.episode("vid1").tags == ["podcast", "show/poki"]  # the line's and the YAML's
        library.write_back("vid1")
        assert path.read_bytes() == before  # nothing changed: not a byte
        h = library.add_highlight("vid1", 0, 30, "green", "over #taal")
        library.tag_highlights([("vid1", h.id)], ["ai-act", "Regulering"])
        library.set_episode_tags("vid1", ["podcast", "show/poki", "europa"])
        library.write_back("vid1")
    text = path.read_text(encoding="utf-8")
    assert "**Tags:** #podcast #europa\n" in text
    assert text.startswith("---\ntags: [show/poki]\n---\n")  # the YAML kept as typed
    assert ("> ==we praten over taalmodellen en== [≈0:00](https://www.youtube.com/watch?v=vid1&t=0s)"
            " <!-- green -->\n> #ai-act #Regulering\n> — over #taal") in text
    # A fresh library reads them back from the file alone; writing again changes nothing.
    with Library.open(tmp_path / "fresh", import_seeds=False) as fresh:
        fresh.import_paths([vault])
        [h] = fresh.episode("vid1").highlights
        assert h.tags == ("ai-act", "Regulering") and h.comment == "over #taal"
        assert fresh.episode("vid1").tags == ["podcast", "europa", "show/poki"]
        written = path.read_bytes()
        fresh.write_back("vid1")
        assert path.read_bytes() == written


def test_tags_changed_in_the_file_are_taken_and_the_apps_are_kept_over_an_edit(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    path = _note(vault, "Aflevering een", "vid1", WORDS_A)
    with Library.open(tmp_path / "data", import_seeds=False) as library:
        library.import_paths([vault])
        # Only the file changed its tags: the library takes them.
        path.write_text(path.read_text(encoding="utf-8").replace("#podcast", "#podcast #nieuw"), encoding="utf-8")
        library.import_paths([vault])
        assert library.episode("vid1").tags == ["podcast", "nieuw"]
        # A tag added in the app, not written back yet, survives the file being read again.
        library.set_episode_tags("vid1", ["podcast", "nieuw", "mijn-tag"])
        path.write_text(path.read_text(encoding="utf-8").replace("## Notes\n\n", "## Notes\n\nIn Obsidian.\n"),
                        encoding="utf-8")
        library.import_paths([vault])
        assert library.episode("vid1").tags == ["podcast", "nieuw", "mijn-tag"]


def _library_with_annotations(tmp_path: Path) -> Library:
    vault = tmp_path / "vault"
    vault.mkdir()
    _note(vault, "Aflevering een", "vid1", WORDS_A)
    _note(vault, "Aflevering twee", "vid2", WORDS_B)
    library = Library.open(tmp_path / "data", import_seeds=False)
    library.import_paths([vault])
    one = library.add_highlight("vid1", 0, 30, "green")
    two = library.add_highlight("vid2", 0, 25, "pink", "toezicht")
    library.add_highlight("vid2", 40, 60, "yellow")
    library.tag_highlights([("vid1", one.id), ("vid2", two.id)], ["ai-act"])
    library.add_takeaway("vid1", "Taalmodellen worden groter #schaal")
    library.set_notes("vid2", "Eerste alinea over regels.\n\n```\n#include niets\n\nnog code\n```\n\nDerde.")
    return library


def test_every_kind_of_annotation_is_listed_with_its_tags(tmp_path: Path) -> None:
    with _library_with_annotations(tmp_path) as library:
        items = library.notebook()
    kinds = [(i.episode_id, i.kind) for i in items]
    assert kinds == [("vid1", HIGHLIGHT), ("vid1", TAKEAWAY), ("vid2", HIGHLIGHT), ("vid2", HIGHLIGHT),
                     ("vid2", NOTE), ("vid2", NOTE), ("vid2", NOTE)]
    notes = [i.text for i in items if i.kind == NOTE]
    assert notes == ["Eerste alinea over regels.", "```\n#include niets\n\nnog code\n```", "Derde."]
    assert [i.tags for i in items if i.kind != NOTE] == [("ai-act",), ("schaal",), ("ai-act",), ()]
    assert all(i.episode_tags == ("podcast",) for i in items)


def test_filters_as_a_reader_uses_them(tmp_path: Path) -> None:
    with _library_with_annotations(tmp_path) as library:
        notebook = Notebook(library.notebook())
        orphan = library.add_highlight("vid1", 40, 60)

    def shown(wanted: Filter) -> list[tuple[str, str]]:
        return [(i.episode_id, i.kind) for i in notebook.filtered(wanted)]

    assert shown(Filter(tags=("AI-ACT",))) == [("vid1", HIGHLIGHT), ("vid2", HIGHLIGHT)]
    assert shown(Filter(tags=("ai-act", "podcast"))) == [("vid1", HIGHLIGHT), ("vid2", HIGHLIGHT)]
    assert shown(Filter(tags=("ai-act", "schaal"))) == []  # all of them
    assert shown(Filter(colours=("pink", "green"))) == [("vid1", HIGHLIGHT), ("vid2", HIGHLIGHT)]
    assert shown(Filter(episodes=("vid1",), kinds=(TAKEAWAY,))) == [("vid1", TAKEAWAY)]
    # Words with the search index's analysis: "modellen" finds "model", a prefix, a phrase, a NOT.
    assert [i.text for i in notebook.filtered(Filter(query="modellen"))] == ["model mag en wat de toezichthouder"]
    assert shown(Filter(query="taalmodel*")) == [("vid1", HIGHLIGHT), ("vid1", TAKEAWAY)]
    assert shown(Filter(query="toezicht*")) == [("vid2", HIGHLIGHT), ("vid2", HIGHLIGHT)]  # comment, words
    assert shown(Filter(query='"ai act"')) == [("vid1", HIGHLIGHT), ("vid2", HIGHLIGHT)]  # a tag's words count
    assert shown(Filter(query="regels")) == [("vid2", NOTE)]
    assert shown(Filter(query="niets")) == [("vid2", NOTE)] and shown(Filter(query="niets -code")) == []
    assert shown(Filter(query="include")) == [("vid2", NOTE)]
    assert shown(Filter(since=date.today() + timedelta(days=1))) == []
    assert len(shown(Filter(since=date.today(), until=date.today()))) == 7
    # A highlight whose words left the transcript is found as orphaned.
    with Library.open(tmp_path / "data", import_seeds=False) as library:
        vault = tmp_path / "vault" / "Aflevering een.md"
        vault.write_text(vault.read_text(encoding="utf-8").replace(WORDS_A, "heel andere woorden " * 20),
                         encoding="utf-8")
        library.import_paths([vault])
        notebook.replace(["vid1"], library.notebook(["vid1"]))
    orphaned = notebook.filtered(Filter(orphaned=True))
    assert {i.ref for i in orphaned} >= {orphan.id} and all(i.episode_id == "vid1" for i in orphaned)


def test_the_notebook_note_links_each_episode_and_moment(tmp_path: Path) -> None:
    with _library_with_annotations(tmp_path) as library:
        items = Notebook(library.notebook()).filtered(Filter(tags=("ai-act",)))
        text = library.notebook_markdown(items, title="Notebook: #ai-act")
        pasted = library.notebook_markdown(items, title=None)
    assert text.startswith("# Notebook: #ai-act\n")
    assert "## [[Aflevering een|Aflevering een]]" in text and "## [[Aflevering twee|Aflevering twee]]" in text
    assert "> ==we praten over taalmodellen en==" in text
    assert "> [≈0:00](https://www.youtube.com/watch?v=vid1&t=0s) · green · #ai-act" in text
    assert "> — toezicht" in text
    # Pasted alone, each item names its episode itself.
    assert "> [[Aflevering twee|Aflevering twee]] · [≈0:00](https://www.youtube.com/watch?v=vid2&t=0s)" \
        " · pink · #ai-act" in pasted


def test_a_library_from_before_tags_keeps_its_yaml_tags(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = database_at(data, "0007")
    text = "---\ntags: [uit-yaml]\n---\n# Titel\n\n**Tags:** #regel\n\n## Transcript\n\nwoord\n"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO episodes (id, title, show, video_id, tags, word_count, transcript, source_text,"
            " content_hash, notes, notes_version, legacy_notes, sample, imported_at, updated_at,"
            " scroll_position, index_dirty, index_generation) VALUES ('v1', 'Titel', '', 'v1', 'regel', 1,"
            " 'woord', ?, 'h', '', 1, 0, 0, '2026-01-01', '2026-01-01', 0, 2, 0)", (text,))
        connection.execute("INSERT INTO highlights (episode_id, start, \"end\", quote, prefix, suffix, colour,"
                           " comment, transcript_hash, orphan, version, created_at, updated_at) VALUES"
                           " ('v1', 0, 5, 'woord', '', '', 'yellow', '', '', 0, 1, '2026-01-01', '2026-01-01')")
    with Library.open(data, import_seeds=False) as library:
        assert library.episode("v1").tags == ["regel", "uit-yaml"]
        assert library.episode("v1").highlights[0].tags == ()
        assert "tags: [uit-yaml]" in library.render("v1")  # not removed from the YAML on the next write
