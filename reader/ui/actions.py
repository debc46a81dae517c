"""The window's actions: names, platform-standard shortcuts and menus in one table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from reader.core.episode import HIGHLIGHT_COLOURS

Keys = QKeySequence.StandardKey | str | tuple[QKeySequence.StandardKey | str, ...] | None


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    keys: Keys
    menu: str


# Standard keys come first so each platform gets its own (Ctrl+O / ⌘O, F3 / ⌘G …).
SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("open_folder", "&Open folder…", QKeySequence.StandardKey.Open, "&File"),
    ActionSpec("import_files", "&Import files…", "Ctrl+Shift+O", "&File"),
    ActionSpec("export_episode", "&Export this episode…", "Ctrl+E", "&File"),
    ActionSpec("export_selected", "Export &selected episodes to a folder…", "Ctrl+Shift+E", "&File"),
    ActionSpec("export_all", "Export &all episodes to a folder…", None, "&File"),
    ActionSpec("write_back", "&Write back to the source file", "Ctrl+Shift+S", "&File"),
    ActionSpec("remove_episode", "&Remove from library…", None, "&File"),
    ActionSpec("preferences", "&Preferences…", (QKeySequence.StandardKey.Preferences, "Ctrl+,"), "&File"),
    ActionSpec("open_settings", "Open the settings &file", None, "&File"),
    ActionSpec("quit", "&Quit", (QKeySequence.StandardKey.Quit, "Ctrl+Q"), "&File"),
    ActionSpec("undo", "&Undo", QKeySequence.StandardKey.Undo, "&Edit"),
    ActionSpec("redo", "&Redo", QKeySequence.StandardKey.Redo, "&Edit"),
    ActionSpec("cut", "Cu&t", QKeySequence.StandardKey.Cut, "&Edit"),
    ActionSpec("copy", "&Copy", QKeySequence.StandardKey.Copy, "&Edit"),
    ActionSpec("paste", "&Paste", QKeySequence.StandardKey.Paste, "&Edit"),
    ActionSpec("select_all", "Select &all", QKeySequence.StandardKey.SelectAll, "&Edit"),
    ActionSpec("search_library", "&Search all episodes", "Ctrl+K", "&Edit"),
    ActionSpec("find", "&Find in this episode", QKeySequence.StandardKey.Find, "&Edit"),
    ActionSpec("find_next", "Find &next", (QKeySequence.StandardKey.FindNext, "F3"), "&Edit"),
    ActionSpec("find_previous", "Find &previous",
               (QKeySequence.StandardKey.FindPrevious, "Shift+F3"), "&Edit"),
    ActionSpec("clear_find", "&Clear hits", "Esc", "&Edit"),
    ActionSpec("add_selection_takeaway", "Add selection as &takeaway", "Ctrl+T", "&Edit"),
    ActionSpec("new_takeaway", "New ta&keaway", "Ctrl+Shift+T", "&Edit"),
    ActionSpec("highlight", "&Highlight selection", "Ctrl+H", "&Edit"),
    ActionSpec("highlight_comment", "Highlight with co&mment…", "Ctrl+Shift+H", "&Edit"),
    *(ActionSpec(f"highlight_{colour}", f"Highlight in {colour}", f"Alt+{number}",
                 "&Edit/Highlight in &colour")
      for number, colour in enumerate(HIGHLIGHT_COLOURS, start=1)),
    ActionSpec("filter_episodes", "Filter &episodes", "Ctrl+L", "&Edit"),
    ActionSpec("glossary", "&Glossary of names…", "Ctrl+Alt+G", "&Edit"),
    ActionSpec("episode_tags", "&Tags of this episode…", "Ctrl+Alt+T", "E&pisode"),
    ActionSpec("attach_subtitles", "Attach &subtitles…", None, "E&pisode"),
    ActionSpec("attach_audio", "Attach &audio or video…", None, "E&pisode"),
    ActionSpec("set_length", "Set the episode's &length…", None, "E&pisode"),
    ActionSpec("play_pause", "&Play / pause\tSpace", None, "E&pisode"),
    ActionSpec("back_10", "&Back 10 seconds", "Ctrl+Alt+Left", "E&pisode"),
    ActionSpec("forward_10", "&Forward 10 seconds", "Ctrl+Alt+Right", "E&pisode"),
    ActionSpec("zoom_in", "Zoom &in", (QKeySequence.StandardKey.ZoomIn, "Ctrl+="), "&View"),
    ActionSpec("zoom_out", "Zoom &out", QKeySequence.StandardKey.ZoomOut, "&View"),
    ActionSpec("zoom_reset", "&Actual size", "Ctrl+0", "&View"),
    ActionSpec("theme_system", "Theme: follow the &system", None, "&View"),
    ActionSpec("theme_light", "Theme: &light", None, "&View"),
    ActionSpec("theme_dark", "Theme: &dark", None, "&View"),
    ActionSpec("shorter_paragraphs", "S&horter paragraphs", "Ctrl+Alt+-", "&View"),
    ActionSpec("longer_paragraphs", "Lon&ger paragraphs", "Ctrl+Alt+=", "&View"),
    ActionSpec("glossary_names", "Show names as in the g&lossary", None, "&View"),
    ActionSpec("go_back", "&Back to the episode before", "Alt+Left", "&View"),
    ActionSpec("notebook", "The &notebook of all annotations", "Ctrl+Shift+N", "&View"),
    ActionSpec("focus_list", "Go to the episode &list", "Ctrl+1", "&View"),
    ActionSpec("focus_transcript", "Go to the &transcript", "Ctrl+2", "&View"),
    ActionSpec("focus_notes", "Go to the &notes", "Ctrl+3", "&View"),
    ActionSpec("shortcuts", "&Keyboard shortcuts", QKeySequence.StandardKey.HelpContents, "&Help"),
    ActionSpec("open_data_folder", "Open &data folder", None, "&Help"),
    ActionSpec("about", "&About Transcript Reader", None, "&Help"),
)
# The editing commands act on the widget with the focus, which handles their keys itself (a
# window shortcut for them would clash with the highlight list's own Undo): the menu shows
# the key, the widget owns it.
KEYS_SHOWN_ONLY = {"undo", "redo", "cut", "copy", "paste", "select_all"}
SEPARATE_BEFORE = {"attach_subtitles", "play_pause", "search_library", "export_episode", "preferences", "quit", "find",
                   "add_selection_takeaway", "highlight", "filter_episodes", "theme_system",
                   "shorter_paragraphs", "go_back", "about"}
CHECKABLE = {"glossary_names"}
# Keys after F35 (Super, Menu, Help, then the media and launch keys) are keys few keyboards
# have; X11 binds the "Open", "Close", "Exit", "Help"… standard keys to them, which nobody
# types and the shortcut list would show by name.
_FIRST_MEDIA_KEY = 0x01000053


def _first_key(sequence: QKeySequence) -> int:
    combination = sequence[0]  # type: ignore[index]  # PySide6's stubs lack __getitem__
    return int(combination.key().value)


def _sequences(keys: Keys) -> list[QKeySequence]:
    if keys is None:
        return []
    items = keys if isinstance(keys, tuple) else (keys,)
    sequences: list[QKeySequence] = []
    for item in items:
        found = QKeySequence.keyBindings(item) if isinstance(item, QKeySequence.StandardKey) \
            else [QKeySequence(item)]
        sequences.extend(s for s in found if not s.isEmpty() and s not in sequences
                         and _first_key(s) < _FIRST_MEDIA_KEY)
    return sequences


def build_actions(window: QMainWindow, slots: dict[str, Callable[[], object]]) -> dict[str, QAction]:
    """Creates every action, adds it to its menu and connects it to ``slots[name]``."""
    actions: dict[str, QAction] = {}
    menus: dict[str, QMenu] = {}
    themes = QActionGroup(window)
    for spec in SPECS:
        menu = menus.get(spec.menu)
        if menu is None:  # "&Edit/Sub&menu" is a submenu of an earlier menu
            parent, _, title = spec.menu.rpartition("/")
            menu = menus[parent].addMenu(title) if parent else window.menuBar().addMenu(title)
            menus[spec.menu] = menu
        if spec.name in SEPARATE_BEFORE and menu.actions():
            menu.addSeparator()
        action = QAction(spec.text, window)
        action.setObjectName(spec.name)
        if spec.name in KEYS_SHOWN_ONLY:
            shown = _sequences(spec.keys)[:1]
            if shown:
                action.setText(f"{spec.text}\t{shown[0].toString(QKeySequence.SequenceFormat.NativeText)}")
        else:
            action.setShortcuts(_sequences(spec.keys))
        if spec.name == "about":  # macOS moves it to the application menu
            action.setMenuRole(QAction.MenuRole.AboutRole)
        if spec.name == "preferences":
            action.setMenuRole(QAction.MenuRole.PreferencesRole)
        if spec.name in CHECKABLE:
            action.setCheckable(True)
        if spec.name.startswith("theme_"):
            action.setCheckable(True)
            themes.addAction(action)
        action.triggered.connect(slots[spec.name])
        menu.addAction(action)
        window.addAction(action)  # shortcuts work even with the menu bar hidden
        actions[spec.name] = action
    return actions
