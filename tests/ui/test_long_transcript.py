"""A very long transcript opens in parts and ends up whole; a title is shown as text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.library import Library
from reader.ui.widgets.transcript_view import FIRST_PART_CHARS, PART_CHARS
from tests.conftest import SEED_FILES
from tests.ui.conftest import WindowFactory


def _long_note(folder: Path) -> Path:
    seed = SEED_FILES[0].read_text(encoding="utf-8")
    head, rest = seed.split("## Transcript\n\n", 1)
    transcript, tail = rest.split("\n", 1)
    words = transcript.split()
    body = " ".join(words[i % len(words)] for i in range(140_000)) + " slotwoordxyz"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "lang.md"
    path.write_text(head.replace("**Video ID:** ", "**Video ID:** lang")
                    + "## Transcript\n\n" + body + "\n" + tail, encoding="utf-8")
    return path


def test_a_long_transcript_is_shown_in_parts_and_whole_at_the_end(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    note = _long_note(tmp_path / "vault")
    with Library.open(tmp_path / "data", import_seeds=False) as library:
        library.import_paths([note])
    window = make_window(import_seeds=False)
    view = window.transcript
    assert len(view.paragraphed.text) > FIRST_PART_CHARS + PART_CHARS  # three parts at least
    if not view.fully_shown:
        with qtbot.waitSignal(view.fully_shown_changed, timeout=20_000):
            pass
    assert view.toPlainText() == view.paragraphed.text
    # Finding the last word (in the last part) lands on it.
    window.actions_by_name["find"].trigger()
    with qtbot.waitSignal(window.session.hits.hits_ready, timeout=20_000,
                          check_params_cb=lambda _id, ranges, _o: bool(ranges)):
        qtbot.keyClicks(window.find_bar.field, "slotwoordxyz")
    [(start, end)] = view.painted_ranges()
    assert window.session.current.transcript[start:end] == "slotwoordxyz"


def test_a_title_with_markup_is_shown_as_text_in_the_tooltip(
        make_window: WindowFactory, tmp_path: Path) -> None:
    seed = SEED_FILES[0].read_text(encoding="utf-8")
    title = seed.splitlines()[0]
    (tmp_path / "vault").mkdir()
    (tmp_path / "vault" / "a.md").write_text(
        seed.replace(title, "# <img src=x> <b>vet</b> & meer", 1), encoding="utf-8")
    with Library.open(tmp_path / "data", import_seeds=False) as library:
        library.import_paths([tmp_path / "vault"])
    window = make_window(import_seeds=False)
    model = window.episodes.view.model()
    tip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert "&lt;img src=x&gt; &lt;b&gt;vet&lt;/b&gt; &amp; meer" in tip and "<img" not in tip
