"""Help → About: what this is, which version, its licence and where it keeps the user's data."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.config import SETTINGS_FILE
from reader.files import default_config_dir
from reader.library import Library

DISTRIBUTION = "transcript-reader"
DESCRIPTION = "Read, search and annotate long Dutch podcast transcripts kept as Obsidian notes."
LICENCE = "MIT licence"


def app_version() -> str:
    """The version of the installed package: pyproject.toml is its one source."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def open_folder(folder: Path) -> bool:
    """Shows ``folder`` in the platform's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class AboutDialog(QDialog):
    """``locations`` are (label, path) pairs, shown as text the user can select and copy."""

    def __init__(self, icon: QIcon, locations: list[tuple[str, Path]], data_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Transcript Reader")
        self._data_dir = data_dir
        self.version = app_version()
        logo = QLabel(self)
        logo.setPixmap(icon.pixmap(72, 72))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        name = QLabel("Transcript Reader", self)
        name.setObjectName("about_name")
        font = name.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        name.setFont(font)
        self.version_label = QLabel(f"Version {self.version}", self)
        # No word wrap here or below: wrapping labels make Qt guess the height (a gap opens).
        description = QLabel(DESCRIPTION, self)
        licence = QLabel(LICENCE, self)
        licence.setObjectName("empty_hint")
        heading = QVBoxLayout()
        heading.setSpacing(4)
        for widget in (name, self.version_label, description, licence):
            heading.addWidget(widget)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(logo)
        top.addLayout(heading, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.location_labels: dict[str, QLabel] = {}
        for label, path in locations:
            value = QLabel(str(path), self)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            value.setCursor(Qt.CursorShape.IBeamCursor)
            form.addRow(f"{label}:", value)
            self.location_labels[label] = value
        where = QLabel("Where your data is", self)
        where.setObjectName("section_title")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton("Copy details", self)
        copy.setToolTip("Copy the version and these locations, e.g. for a bug report")
        self.open_button = QPushButton("Open data folder", self)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        copy.clicked.connect(self._on_copy_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addSpacing(6)
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addSpacing(6)
        layout.addWidget(buttons)

    def details(self) -> str:
        lines = [f"Transcript Reader {self.version}"]
        lines += [f"{label}: {value.text()}" for label, value in self.location_labels.items()]
        return "\n".join(lines)

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details())

    def _on_open_button_clicked(self) -> None:
        open_folder(self._data_dir)


def data_locations(library: Library, settings_file: Path | None) -> list[tuple[str, Path]]:
    """The rows the dialog shows; the settings file may not exist yet (defaults in use)."""
    return [("Data folder", library.data_dir), ("Database", library.database_path),
            ("Search index", library.index_path),
            ("Settings file", settings_file or default_config_dir() / SETTINGS_FILE)]
