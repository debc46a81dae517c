"""A real vault holds many notes that are no episodes (no transcript): they are passed over
quietly, on the first import and on every refresh after, and never listed as problems."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory
from tests.ui.test_source_sync import WAIT, import_vault, make_vault, save_atomically, watching


def test_ordinary_notes_of_a_vault_are_no_problem(make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    vault, notes = make_vault(tmp_path)
    for n in range(30):
        (vault / f"dagboek {n}.md").write_text(f"# Dag {n}\n\nGewoon een notitie, geen aflevering.\n",
                                               encoding="utf-8")
    data = import_vault(tmp_path, vault)
    window = make_window(data_dir=data, settings=watching(tmp_path, vault))
    # The start-up refresh, then one after an edit of an episode note and a new ordinary note.
    with qtbot.waitSignal(window.sources.refreshed, timeout=WAIT) as first:
        window.sources.refresh()
    assert first.args[0].failed == []
    (vault / "nieuw idee.md").write_text("# Idee\n\ngeen transcript\n", encoding="utf-8")
    text = notes[0].read_text(encoding="utf-8")
    with qtbot.waitSignal(window.sources.refreshed, timeout=WAIT,
                          check_params_cb=lambda report: bool(report.updated)) as second:
        save_atomically(notes[0], text.replace("## Notes\n", "## Notes\n\nbijgewerkt\n", 1))
    assert second.args[0].failed == []
    assert not window.problems.isVisible()
    assert "could not be read" not in window.statusBar().currentMessage()
