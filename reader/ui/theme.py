"""Light and dark looks, the reading font, and following the system's colour scheme."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

# Screen-friendly text faces first; DejaVu is what a bare Linux has.
READING_FAMILIES = ("Literata", "Source Serif 4", "Source Serif Pro", "Charter", "Georgia",
                    "Iowan Old Style", "Noto Serif", "Cambria", "DejaVu Serif")


@dataclass(frozen=True)
class Theme:
    name: str  # "light" or "dark"
    window: str
    base: str
    alternate: str
    text: str
    muted: str
    button: str
    accent: str
    hit: str
    current_hit: str
    current_hit_text: str
    marker: str

    @property
    def dark(self) -> bool:
        return self.name == "dark"


LIGHT = Theme("light", window="#f3f2ef", base="#fdfcf9", alternate="#f1efe9", text="#22252a",
              muted="#6a6f78", button="#e9e7e2", accent="#2e66c7", hit="#ffe38a",
              current_hit="#ff9a3c", current_hit_text="#000000", marker="#d98a00")
DARK = Theme("dark", window="#1d1f23", base="#23262b", alternate="#2a2d33", text="#dcdfe4",
             muted="#9aa0aa", button="#30333a", accent="#5b8fe0", hit="#6a5412",
             current_hit="#f0a040", current_hit_text="#111111", marker="#f0b040")


# User highlight backgrounds per colour: (plain, strong). The strong tint marks a search hit
# inside a highlight, so the hit stays visible on top of it. Dark tints keep light text readable.
HIGHLIGHT_TINTS: dict[str, dict[str, tuple[str, str]]] = {
    "light": {"yellow": ("#fff0a0", "#ffd23f"), "green": ("#d2f0c4", "#98d985"),
              "blue": ("#d3e5ff", "#98bfff"), "pink": ("#ffd5e5", "#ff9fc4"),
              "purple": ("#e5d9ff", "#c0a6ff")},
    "dark": {"yellow": ("#564b17", "#8a7419"), "green": ("#2b4a2d", "#3f7642"),
             "blue": ("#253d5e", "#355f99"), "pink": ("#582840", "#8c3b63"),
             "purple": ("#41325c", "#654c94")},
}


def highlight_tints(theme: Theme) -> dict[str, tuple[str, str]]:
    return HIGHLIGHT_TINTS[theme.name]


def resolve_theme(choice: str) -> Theme:
    """``choice`` is "light", "dark" or "system" (the platform's current scheme)."""
    if choice == "dark":
        return DARK
    if choice == "light":
        return LIGHT
    scheme = QGuiApplication.styleHints().colorScheme()
    return DARK if scheme == Qt.ColorScheme.Dark else LIGHT


def palette_for(theme: Theme) -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: theme.window,
        QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.Base: theme.base,
        QPalette.ColorRole.AlternateBase: theme.alternate,
        QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.Button: theme.button,
        QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.ToolTipBase: theme.base,
        QPalette.ColorRole.ToolTipText: theme.text,
        QPalette.ColorRole.PlaceholderText: theme.muted,
        QPalette.ColorRole.Highlight: theme.accent,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: theme.accent,
        QPalette.ColorRole.BrightText: "#ff5555",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    shade = QColor(theme.window)
    palette.setColor(QPalette.ColorRole.Light, shade.lighter(130))
    palette.setColor(QPalette.ColorRole.Midlight, shade.lighter(115))
    palette.setColor(QPalette.ColorRole.Mid, shade.darker(130) if not theme.dark else shade.lighter(160))
    palette.setColor(QPalette.ColorRole.Dark, shade.darker(160))
    palette.setColor(QPalette.ColorRole.Shadow, QColor("#000000"))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(theme.muted))
    return palette


def apply_theme(app: QApplication, theme: Theme) -> None:
    app.setStyle("Fusion")
    app.setPalette(palette_for(theme))
    qss = resources.files("reader.resources").joinpath("app.qss")
    style = qss.read_text(encoding="utf-8") if qss.is_file() else ""
    for key, value in vars(theme).items():
        style = style.replace(f"@{key}", str(value))
    app.setStyleSheet(style)


def reading_font(family: str, point_size: int) -> QFont:
    """The transcript's font: ``family`` if installed, else the first good reading face."""
    installed = set(QFontDatabase.families())
    chosen = family if family in installed else next(
        (f for f in READING_FAMILIES if f in installed), "")
    font = QFont(chosen) if chosen else QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    font.setPointSize(point_size)
    font.setHintingPreference(QFont.HintingPreference.PreferVerticalHinting)
    return font
