"""User settings kept in a YAML file in the platform's config directory.

The file is read with ``yaml.safe_load`` only. A file that cannot be read, is not a mapping, or
holds a value of the wrong kind gives the defaults for what is wrong plus a warning, and is
marked ``read_only`` so the program never overwrites what the user may want to repair.
Keys this version does not know are kept when the file is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from reader.files import atomic_write, default_config_dir

SETTINGS_FILE = "settings.yaml"
THEMES = ("system", "light", "dark")
FONT_SIZE_RANGE = (8, 40)
PARAGRAPH_WORDS_RANGE = (40, 400)
LINE_WIDTH_RANGE = (40, 160)  # characters per line of the transcript


@dataclass
class Settings:
    """What the user can set. Defaults are what a first run uses."""

    library_folders: list[str] = field(default_factory=list)
    theme: str = "system"
    font_family: str = ""
    font_size: int = 13
    paragraph_words: int = 135
    line_width: int = 68  # the reading column, in characters ("n" widths) at most
    export_front_matter: bool = False
    export_folder: str = ""
    # View → Show names as in the glossary: a variant is shown as its canonical name.
    glossary_names: bool = False
    # A team library on PostgreSQL (empty: the local library). Kept without a password: the
    # password comes from PGPASSFILE (~/.pgpass) or a libpq service file.
    library_url: str = ""
    # The name annotations are signed with (empty: the OS user name).
    display_name: str = ""
    # Not settings: where they came from and whether the file may be written.
    path: Path | None = field(default=None, compare=False, repr=False)
    read_only: bool = field(default=False, compare=False)
    warnings: list[str] = field(default_factory=list, compare=False)
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


_KEYS = ("library_folders", "theme", "font_family", "font_size", "paragraph_words", "line_width",
         "export_front_matter", "export_folder", "glossary_names", "library_url", "display_name")


def default_settings_path() -> Path:
    """``settings.yaml`` in the user config directory (``TRANSCRIPT_READER_CONFIG_DIR``, else
    the platform's); not created here."""
    return default_config_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> Settings:
    """Settings from ``path`` (default: the platform config file); never raises."""
    path = default_settings_path() if path is None else path
    settings = Settings(path=path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return settings
    except (OSError, UnicodeDecodeError) as error:
        return _broken(settings, f"cannot read {path}: {error}")
    try:
        data = yaml.safe_load(raw_text)
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        return _broken(settings, f"{path} is not valid YAML ({first_line}); using defaults")
    if data is None:
        return settings
    if not isinstance(data, dict):
        return _broken(settings, f"{path} does not hold a mapping of settings; using defaults")
    for key, value in data.items():
        if key in _KEYS:
            problem = _apply(settings, key, value)
            if problem:
                settings.warnings.append(f"{path}: {problem}; using the default")
                settings.read_only = True
        else:
            settings.extra[str(key)] = value
    return settings


def save_settings(settings: Settings) -> bool:
    """Write ``settings`` atomically; returns False (and writes nothing) when read-only."""
    if settings.read_only or settings.path is None:
        return False
    data: dict[str, Any] = dict(settings.extra)
    for item in fields(Settings):
        if item.name in _KEYS:
            value = getattr(settings, item.name)
            data[item.name] = list(value) if isinstance(value, list) else value
    data["library_url"] = without_password(settings.library_url)
    atomic_write(settings.path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return True


def without_password(url: str) -> str:
    """``url`` with any password left out (settings never keep one in clear text)."""
    if not url:
        return url
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if not parsed.password:
        return url
    # (URL.set(password=None) keeps the password: None there means "unchanged".)
    bare = URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port,
                      parsed.database, parsed.query)
    return bare.render_as_string(hide_password=False)


def _broken(settings: Settings, warning: str) -> Settings:
    settings.warnings.append(warning)
    settings.read_only = True
    return settings


def _apply(settings: Settings, key: str, value: Any) -> str | None:
    """Set one known key; returns what is wrong with ``value``, if anything."""
    if key == "library_folders":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "library_folders must be a list of folder paths"
        settings.library_folders = list(value)
    elif key == "theme":
        if value not in THEMES:
            return f"theme must be one of {', '.join(THEMES)}"
        settings.theme = value
    elif key == "library_url":
        if not isinstance(value, str) or (value and not value.startswith(
                ("postgresql://", "postgresql+psycopg://"))):
            return "library_url must be a PostgreSQL URL (postgresql+psycopg://user@host/database)"
        settings.library_url = value
    elif key in ("font_family", "export_folder", "display_name"):
        if not isinstance(value, str):
            return f"{key} must be text"
        setattr(settings, key, value)
    elif key in ("font_size", "paragraph_words", "line_width"):
        low, high = {"font_size": FONT_SIZE_RANGE, "paragraph_words": PARAGRAPH_WORDS_RANGE,
                     "line_width": LINE_WIDTH_RANGE}[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return f"{key} must be a whole number from {low} to {high}"
        setattr(settings, key, value)
    elif key in ("export_front_matter", "glossary_names"):
        if not isinstance(value, bool):
            return f"{key} must be true or false"
        setattr(settings, key, value)
    return None


WINDOW_STATE_FILE = "window-state.yaml"


@dataclass
class WindowState:
    """How the window was left: its place and size, the pane sizes, the list's sort order.
    Not settings (nobody edits them), so they live in their own file beside settings.yaml and
    a damaged file is simply not used: the window then starts as on a first run."""

    geometry: str = ""  # QWidget.saveGeometry(), base64 (Qt's own format: screen, maximised)
    splitter: list[int] = field(default_factory=list)  # list | transcript | annotations
    pane: list[int] = field(default_factory=list)  # Notes | Highlights | Takeaways | Related
    sort: str = ""  # the episode list's sort order, by its label


def window_state_path(settings_path: Path | None) -> Path:
    return (settings_path.parent if settings_path is not None else default_config_dir()) / WINDOW_STATE_FILE


def load_window_state(path: Path) -> WindowState:
    """The state in ``path``; the defaults when it is missing or damaged (never raises)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return WindowState()
    state = WindowState()
    if not isinstance(data, dict):
        return state
    if isinstance(data.get("geometry"), str):
        state.geometry = data["geometry"]
    for key in ("splitter", "pane"):
        value = data.get(key)
        if isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                                           for v in value):
            setattr(state, key, list(value))
    if isinstance(data.get("sort"), str):
        state.sort = data["sort"]
    return state


def save_window_state(path: Path, state: WindowState) -> None:
    data = {"geometry": state.geometry, "splitter": state.splitter, "pane": state.pane, "sort": state.sort}
    atomic_write(path, yaml.safe_dump(data, sort_keys=False), durable=False)
