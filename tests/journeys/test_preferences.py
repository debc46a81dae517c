"""Preferences (Ctrl+,): what settings.yaml holds, set in a dialog, shown at once, written to
the YAML file and there after a restart."""

from __future__ import annotations

from pathlib import Path

import yaml
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton, QSpinBox
from pytestqt.qtbot import QtBot

from reader.ui.widgets.preferences import PreferencesDialog
from tests.ui.conftest import WindowFactory, named, shown_dialog


def _set_spin(qtbot: QtBot, spin: QSpinBox, value: int) -> None:
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, str(value))
    qtbot.keyClick(spin, Qt.Key.Key_Tab)


def test_preferences_are_applied_and_written_to_the_settings_file(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window()
    window.resize(1600, 800)  # wide enough for the column to be narrower than the view
    qtbot.waitUntil(lambda: window.width() == 1600)
    margin_before = window.transcript.viewportMargins().left()
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = shown_dialog(PreferencesDialog)
    theme = named(dialog, QComboBox, "Theme")
    theme.setFocus()
    while theme.currentData() != "dark":
        qtbot.keyClick(theme, Qt.Key.Key_Down)
    _set_spin(qtbot, named(dialog, QSpinBox, "Line width"), 50)
    _set_spin(qtbot, named(dialog, QSpinBox, "Paragraph length"), 80)
    ok = next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "OK")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.actions_by_name["theme_dark"].isChecked()
    assert window.transcript.viewportMargins().left() > margin_before  # a narrower column
    stored = yaml.safe_load((tmp_path / "config" / "settings.yaml").read_text(encoding="utf-8"))
    assert (stored["theme"], stored["line_width"], stored["paragraph_words"]) == ("dark", 50, 80)
    # Cancel changes nothing.
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    again = shown_dialog(PreferencesDialog)
    _set_spin(qtbot, named(again, QSpinBox, "Line width"), 120)
    cancel = next(b for b in again.findChildren(QPushButton) if b.text().replace("&", "") == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert window.settings.line_width == 50
