"""Opens the window on the seeds in several states and saves PNGs (offscreen).

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py [OUT_DIR]

States: episode open, library search hits, annotation pane filled, dark theme, empty library.
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

from PySide6.QtWidgets import QApplication  # noqa: E402

from reader.config import load_settings  # noqa: E402
from reader.library import Library  # noqa: E402
from reader.ui.main_window import MainWindow  # noqa: E402


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the expected state")
        app.processEvents()
        time.sleep(0.005)
    for _ in range(20):  # let layout and painting settle
        app.processEvents()


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
    print(f"saved screenshots to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
