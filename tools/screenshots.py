"""Opens the window on the seeds in several states and saves PNGs (offscreen).

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py [OUT_DIR]

States: the annotated window at 1366×768 and 1920×1080 in light and dark (what a laptop and
a desktop screen leave for it), episode open, library search hits, annotation pane filled, dark theme, highlights (light
and dark: colours, an overlap, a comment, a search hit on a highlight, an orphan), empty library,
watched folder with a note gone from disk (list mark, context menu, problem notice), About.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication

from reader.config import load_settings
from reader.library import Library
from reader.ui.main_window import MainWindow


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the expected state")
        app.processEvents()
        time.sleep(0.005)
    for _ in range(20):  # let layout and painting settle
        app.processEvents()


def highlights_state(app: QApplication, window: MainWindow, out: Path) -> None:
    """Highlights in every colour, one overlap, a comment, a search hit on a highlight, an orphan."""
    import re

    from reader.core.episode import HIGHLIGHT_COLOURS

    episode = window.session.current
    words = list(re.finditer(r"\S+", episode.transcript))
    top = window.transcript.top_original_offset()
    first = next(i for i, w in enumerate(words) if w.start() >= top) + 12
    spans = [(first + 8 * n, 4 + n % 3) for n in range(len(HIGHLIGHT_COLOURS))]
    spans.append((first + 2, 5))  # over the yellow one: merges with it, in blue
    colours = [*HIGHLIGHT_COLOURS, "blue"]
    comments = ["", "Terugluisteren: dit is de kern", "", "", "", "Samengevoegd met geel"]
    count = len(window.pane.highlights.ids())
    for (word, length), colour, comment in zip(spans, colours, comments, strict=True):
        window.highlights.add(words[word].start(), words[word + length - 1].end(), colour, comment)
    wait_until(app, lambda: len(window.pane.highlights.ids()) == count + len(spans) - 1
               and not window.writer.busy)
    # An orphan, as an import leaves one when a quote is no longer in the transcript.
    orphan = window.library.add_highlight(episode.id, words[3].start(), words[6].end(), "purple",
                                          "Stond in de vorige versie van het transcript")
    fresh = window.library.episode(episode.id)
    for highlight in fresh.highlights:
        if highlight.id == orphan.id:
            highlight.orphan = True
            highlight.quote = "een passage die niet meer in het transcript staat"
    window.session.current.highlights = fresh.highlights
    window.highlights.load(window.session.current)
    # A real find for a word inside the green highlight, stepped to that occurrence.
    hit_word = words[first + 9]
    found: list[object] = []
    window.session.hits.hits_ready.connect(lambda *args: found.append(args))
    window.find_bar.set_text(hit_word.group())
    window.find_bar.text_edited.emit(hit_word.group())
    wait_until(app, lambda: bool(found))
    target = window.transcript.hit_index_at_or_after(hit_word.start())
    for _ in range(window.transcript.hit_count()):
        if window.transcript.current_hit() == target:
            break
        window.actions_by_name["find_next"].trigger()
    window.pane.highlights.select(window.pane.highlights.ids()[1])
    wait_until(app, lambda: True)
    window.grab().save(str(out / "6-highlights.png"))
    window.set_theme("dark")
    wait_until(app, lambda: True)
    window.grab().save(str(out / "7-highlights-dark.png"))
    window.set_theme("light")
    # The transcript's context menu with its Highlight submenu, on a selection.
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QMenu

    cursor = window.transcript.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.NextWord, QTextCursor.MoveMode.KeepAnchor, 3)
    window.transcript.setTextCursor(cursor)
    menu = window.transcript.context_menu(QPoint(10, 10))
    submenu = menu.findChild(QMenu, "highlight_menu")
    menu.popup(window.mapToGlobal(QPoint(400, 300)))
    submenu.popup(window.mapToGlobal(QPoint(600, 300)))
    wait_until(app, lambda: True)
    menu.grab().save(str(out / "8-transcript-menu.png"))
    submenu.grab().save(str(out / "8-transcript-menu-colours.png"))
    submenu.close()
    menu.close()


def sizes_state(app: QApplication, window: MainWindow, out: Path) -> None:
    """The window as it is now at each screen size, in light and dark."""
    for theme in ("light", "dark"):
        window.set_theme(theme)
        for width, height in ((1366, 768), (1920, 1080)):
            window.resize(width, height)
            settle = time.monotonic() + 1.5  # the re-wrap of the transcript and the panes
            wait_until(app, lambda s=settle: time.monotonic() > s)
            window.grab().save(str(out / f"0-{width}x{height}-{theme}.png"))


def sources_state(app: QApplication, root: Path, out: Path) -> None:
    """A watched folder in which one note was deleted and one cannot be read; then About."""
    import shutil

    from reader.ui.widgets.about_dialog import AboutDialog

    vault = root / "vault"
    vault.mkdir()
    seeds = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
    for seed in seeds:
        shutil.copy(seed, vault / f"{seed.stem}.md")
    library = Library.open(root / "watched", import_seeds=False)
    library.import_paths([vault])
    settings = load_settings(root / "settings-watched.yaml")
    settings.theme = "light"
    settings.library_folders = [str(vault)]
    window = MainWindow(library, settings)
    window.resize(1440, 900)
    window.show()
    wait_until(app, lambda: window.session.current is not None)
    gone = next(e for e in window.episodes.model.episodes() if e.id != window.session.current.id)
    wait_until(app, lambda: bool(window.sources.watcher.paths()))
    Path(gone.source_path or "").unlink()
    (vault / "kapot.md").write_bytes(b"\x00\x01 geen notitie")
    wait_until(app, lambda: any(e.source_missing for e in window.episodes.model.episodes())
               and window.problems.isVisible())
    window.grab().save(str(out / "9-source-missing.png"))
    row = window.episodes.model.row_of(gone.id)
    index = window.episodes.proxy.mapFromSource(window.episodes.model.index(row))
    position = window.episodes.view.visualRect(index).center()
    menu = window.removal.context_menu(position)
    menu.popup(window.episodes.view.viewport().mapToGlobal(position))
    wait_until(app, lambda: True)
    menu.grab().save(str(out / "9-source-missing-menu.png"))
    menu.close()
    window.set_theme("dark")
    wait_until(app, lambda: True)
    window.episodes.grab().save(str(out / "9-source-missing-dark-list.png"))
    window.set_theme("light")
    window.actions_by_name["about"].trigger()
    dialog = window.findChild(AboutDialog)
    wait_until(app, lambda: dialog is not None and dialog.isVisible())
    dialog.grab().save(str(out / "10-about.png"))
    dialog.close()
    window.close()
    library.close()


def glossary_state(app: QApplication, window: MainWindow, out: Path) -> None:
    """The Glossary dialog after Find spellings, then the DeepSeek episode with names shown
    as in the glossary and "deepseek" found in it, at both screen sizes."""
    from reader.ui.widgets.glossary_dialog import GlossaryDialog

    window.library.add_terms("ChatGPT", ["chat gpt"])
    window.open_glossary("DeepSeek")
    dialog = window.findChild(GlossaryDialog)
    wait_until(app, lambda: dialog is not None and dialog.suggestions.topLevelItemCount() > 0)
    dialog.grab().save(str(out / "11-glossary-find-spellings.png"))
    dialog.close()
    window.library.add_terms("DeepSeek", ["diep zek", "dieps"])
    window.session.open_episode("LrrHD9cdz6Q")
    wait_until(app, lambda: window.session.current is not None and window.session.current.id == "LrrHD9cdz6Q")
    window.actions_by_name["glossary_names"].trigger()
    wait_until(app, lambda: bool(window.transcript.paragraphed.names))
    window.find_bar.field.setText("deepseek")
    window.find_bar.field.textEdited.emit("deepseek")
    wait_until(app, lambda: window.transcript.hit_count() > 0)
    window.actions_by_name["find_next"].trigger()
    for width, height in ((1366, 768), (1920, 1080)):
        window.resize(width, height)
        settle = time.monotonic() + 1.5
        wait_until(app, lambda s=settle: time.monotonic() > s)
        window.grab().save(str(out / f"12-names-as-in-glossary-{width}x{height}.png"))
    window.actions_by_name["glossary_names"].trigger()


def timed_state(app: QApplication, root: Path, out: Path) -> None:
    """A sample timed from a generated .nl.vtt, with audio beside it (three minutes of silence),
    a highlight with its moment, playing: at 1366×768 and 1920×1080, light and dark."""
    from tests.subtitle_files import rolling_vtt, silent_wav, timed_words

    seed = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))[0]
    vault = root / "timed-vault"
    vault.mkdir()
    note = vault / "deepseek.md"
    note.write_bytes(seed.read_bytes())
    library = Library.open(root / "timed", import_seeds=False)
    library.import_paths([note])
    episode = library.list_episodes()[0]
    transcript = library.episode(episode.id).transcript
    (vault / f"deepseek [{episode.id}].nl.vtt").write_text(rolling_vtt(timed_words(transcript)), encoding="utf-8")
    silent_wav(vault / f"deepseek [{episode.id}].wav", 180)
    library.import_paths([vault])
    start = transcript.index("chat gpt")
    library.add_highlight(episode.id, start, start + 40, "yellow", "Hier begint het")
    settings = load_settings(root / "settings-timed.yaml")
    settings.theme = "light"
    window = MainWindow(library, settings)
    window.resize(1366, 768)
    window.show()
    wait_until(app, lambda: window.session.current is not None and window.player_bar.isVisible()
               and window.transcript.times() is not None)
    window.listening.seek(42.0)
    for theme in ("light", "dark"):
        window.set_theme(theme)
        for width, height in ((1366, 768), (1920, 1080)):
            window.resize(width, height)
            wait_until(app, lambda: True)
            window.grab().save(str(out / f"13-timed-{width}x{height}-{theme}.png"))
    window.close()
    library.close()


def notebook_state(app: QApplication, root: Path, out: Path) -> None:
    """The Notebook over the samples, annotated: all items by episode, then filtered by a tag
    and grouped by tag; at 1366×768 and 1920×1080, light and dark."""
    library = Library.open(root / "notebook")
    colours = ("yellow", "green", "blue", "pink", "purple")
    for n, episode in enumerate(library.list_episodes()):
        transcript = library.episode(episode.id).transcript
        for k in range(4):
            start = transcript.index(" ", 400 + k * 2500) + 1
            h = library.add_highlight(episode.id, start, start + 120, colours[(n + k) % 5],
                                      "Terug te luisteren" if k == 1 else "")
            if (n + k) % 3 == 0:
                library.tag_highlights([(episode.id, h.id)], ["ai-act"] if k % 2 else ["open-source", "europa"])
        library.add_takeaway(episode.id, "Open modellen lopen maanden achter, niet jaren #open-source")
        library.set_notes(episode.id, "Waar het om draait: rekenkracht en data.\n\nTerugluisteren vanaf 40 minuten.")
    settings = load_settings(root / "settings-notebook.yaml")
    settings.theme = "light"
    window = MainWindow(library, settings)
    window.resize(1366, 768)
    window.show()
    wait_until(app, lambda: window.session.current is not None)
    loaded: list[bool] = []
    window.notebook.loaded.connect(lambda: loaded.append(True))
    window.actions_by_name["notebook"].trigger()
    wait_until(app, lambda: bool(loaded))
    panel = window.notebook_panel
    for theme in ("light", "dark"):
        window.set_theme(theme)
        for width, height in ((1366, 768), (1920, 1080)):
            panel.choose(panel.tag, "")
            panel.choose(panel.group, "episode")
            window.resize(width, height)
            wait_until(app, lambda: True)
            window.grab().save(str(out / f"14-notebook-{width}x{height}-{theme}.png"))
        panel.choose(panel.tag, "ai-act")
        panel.choose(panel.group, "tag")
        wait_until(app, lambda: True)
        window.grab().save(str(out / f"14-notebook-tag-{theme}.png"))
    window.close()
    library.close()


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        library = Library.open(root / "data")
        settings = load_settings(root / "settings.yaml")
        settings.theme = "light"
        window = MainWindow(library, settings)
        window.resize(1440, 900)
        window.show()
        wait_until(app, lambda: window.session.current is not None)
        window.grab().save(str(out / "1-episode-open.png"))

        window.actions_by_name["search_library"].trigger()
        results: list[object] = []
        window.library_search.results_ready.connect(results.append)
        window.search.field.setText("modellen")
        window.library_search.search_now("modellen")
        wait_until(app, lambda: bool(results))
        first = window.search.model.results()[0]
        window.search.view.setCurrentIndex(window.search.model.index(0))
        window.search.result_activated.emit(first)
        wait_until(app, lambda: window.session.current.id == first.episode_id
                   and window.transcript.hit_count() > 0)
        window.actions_by_name["find_next"].trigger()
        window.grab().save(str(out / "2-search-hits.png"))

        pane = window.pane
        pane.notes.setPlainText("## Waarom dit ertoe doet\n\nSchaalwetten: meer rekenkracht blijft "
                                "helpen, maar *data* wordt de grens.\n\n- terugluisteren vanaf 40 min")
        for text in ("Meer rekenkracht geeft nog steeds betere modellen",
                     "Open modellen lopen maanden achter, niet jaren",
                     "Europa heeft eigen taalmodellen nodig (GPT-NL)"):
            pane.takeaways.add(text)
        others = [e for e in window.episodes.model.episodes() if e.id != first.episode_id]
        pane.related.add_text(others[0].title)
        pane.related.add_text("https://www.youtube.com/@PokiPodcast")
        wait_until(app, lambda: window.session.autosaver.idle and not window.writer.busy)
        window.grab().save(str(out / "3-annotations.png"))

        window.set_theme("dark")
        wait_until(app, lambda: True)
        window.grab().save(str(out / "4-dark.png"))

        sizes_state(app, window, out)
        window.set_theme("light")
        window.resize(1440, 900)
        wait_until(app, lambda: True)
        highlights_state(app, window, out)
        glossary_state(app, window, out)
        window.close()
        library.close()

        empty = Library.open(root / "empty", import_seeds=False)
        settings_empty = load_settings(root / "settings-empty.yaml")
        settings_empty.theme = "light"
        window = MainWindow(empty, settings_empty)
        window.resize(1200, 760)
        window.show()
        wait_until(app, lambda: "empty" in window.placeholder.text())
        window.grab().save(str(out / "5-empty-library.png"))
        window.close()
        empty.close()
        sources_state(app, root, out)
        timed_state(app, root, out)
        notebook_state(app, root, out)
    print(f"saved screenshots to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
