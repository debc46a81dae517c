"""Preferences (Ctrl+,): what settings.yaml holds, in a dialog. The YAML file stays the storage;
the window applies what the dialog hands back and writes the file."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFontComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reader.config import (
    FONT_SIZE_RANGE,
    LINE_WIDTH_RANGE,
    PARAGRAPH_WORDS_RANGE,
    THEMES,
    Settings,
    without_password,
)
from reader.library.facade import default_author

THEME_LABELS = {"system": "Follow the system", "light": "Light", "dark": "Dark"}


def _spin(value: int, bounds: tuple[int, int], suffix: str, name: str, parent: QWidget) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(*bounds)
    spin.setValue(value)
    spin.setSuffix(suffix)
    spin.setAccessibleName(name)
    return spin


class PreferencesDialog(QDialog):
    """Opened with ``open()``; ``chosen()`` is the settings as the dialog has them."""

    def __init__(self, settings: Settings, reading_family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self._settings = settings
        self.theme = QComboBox(self)
        self.theme.setAccessibleName("Theme")
        for key in THEMES:
            self.theme.addItem(THEME_LABELS[key], key)
        self.theme.setCurrentIndex(THEMES.index(settings.theme))
        self.font_family = QFontComboBox(self)
        self.font_family.setAccessibleName("Reading font")
        self.font_family.setCurrentFont(QFont(settings.font_family or reading_family))
        self.font_size = _spin(settings.font_size, FONT_SIZE_RANGE, " pt", "Text size", self)
        self.paragraph_words = _spin(settings.paragraph_words, PARAGRAPH_WORDS_RANGE, " words",
                                     "Paragraph length", self)
        self.line_width = _spin(settings.line_width, LINE_WIDTH_RANGE, " characters", "Line width", self)
        self.front_matter = QCheckBox("Write YAML front matter (Obsidian properties) on export", self)
        self.front_matter.setChecked(settings.export_front_matter)
        self.folders = QListWidget(self)
        self.folders.setAccessibleName("Library folders")
        self.folders.addItems(settings.library_folders)
        add = QPushButton("Add folder…", self)
        remove = QPushButton("Remove", self)
        add.clicked.connect(self._on_add_clicked)
        remove.clicked.connect(self._on_remove_clicked)
        folder_buttons = QHBoxLayout()
        folder_buttons.addWidget(add)
        folder_buttons.addWidget(remove)
        folder_buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("Theme", self.theme)
        form.addRow("Reading font", self.font_family)
        form.addRow("Text size", self.font_size)
        form.addRow("Paragraphs of about", self.paragraph_words)
        form.addRow("Lines at most", self.line_width)
        form.addRow("", self.front_matter)
        self.display_name = QLineEdit(settings.display_name, self)
        self.display_name.setAccessibleName("Your name")
        self.display_name.setPlaceholderText(default_author())
        self.display_name.setToolTip("The name your highlights, takeaways and Notes are signed "
                                     "with; in a team library everyone sees it")
        self.library_url = QLineEdit(settings.library_url, self)
        self.library_url.setAccessibleName("Team library")
        self.library_url.setPlaceholderText("postgresql+psycopg://you@server/library (empty: this computer's)")
        self.library_url.setToolTip("A team library on PostgreSQL. A password is never kept here: "
                                    "put it in ~/.pgpass (PGPASSFILE) or a libpq service file. "
                                    "Takes effect at the next start.")
        form.addRow("Your name", self.display_name)
        form.addRow("Team library", self.library_url)
        hint = QLabel("Library folders are watched: notes added or changed there come in by "
                      "themselves. Removing a folder keeps its episodes in the library.", self)
        hint.setWordWrap(True)
        hint.setObjectName("empty_hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Library folders", self))
        layout.addWidget(self.folders, 1)
        layout.addLayout(folder_buttons)
        layout.addWidget(hint)
        if settings.read_only:
            warning = QLabel(f"The settings file ({settings.path}) has problems and is left as it is: "
                             "changes here last until the app is closed.", self)
            warning.setWordWrap(True)
            layout.addWidget(warning)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def chosen(self) -> Settings:
        folders = [self.folders.item(r).text() for r in range(self.folders.count())]
        return replace(self._settings, theme=str(self.theme.currentData()),
                       font_family=self.font_family.currentFont().family(),
                       font_size=self.font_size.value(), paragraph_words=self.paragraph_words.value(),
                       line_width=self.line_width.value(), export_front_matter=self.front_matter.isChecked(),
                       library_folders=folders, warnings=list(self._settings.warnings),
                       display_name=self.display_name.text().strip(),
                       library_url=self._library_url(),
                       extra=dict(self._settings.extra))

    def _library_url(self) -> str:
        """The URL as typed when it is one (the old one otherwise: settings keep only a valid
        URL), without its password."""
        text = self.library_url.text().strip()
        if text and not text.startswith(("postgresql://", "postgresql+psycopg://")):
            return self._settings.library_url
        return without_password(text)

    def _on_add_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a library folder")
        if folder and not self.folders.findItems(folder, Qt.MatchFlag.MatchExactly):
            self.folders.addItem(folder)

    def _on_remove_clicked(self) -> None:
        row = self.folders.currentRow()
        if row >= 0:
            self.folders.takeItem(row)
