"""The Glossary dialog: the library's names and the spellings speech recognition gives them.

The user types a name, lists the spellings the transcripts may hold for it ("Find spellings")
and takes each one into the glossary with one click, or types variants themselves. Reading
runs on the window's read runner and writing on its write runner, so the dialog never waits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.core.glossary import Glossary, GlossaryEntry, key_of
from reader.library import IndexNotReady, Library
from reader.ui.search_controller import IndexGate
from reader.ui.workers import TaskRunner, describe_error

if TYPE_CHECKING:  # reader.search imports Whoosh: keep it off the start-up path
    from reader.search import Suggestion

SPELLING_ROLE = Qt.ItemDataRole.UserRole + 1  # on a tree item: (canonical, spelling or "")
SUGGESTIONS = 10


def split_variants(text: str) -> list[str]:
    """The variants typed in one field: separated by commas or semicolons."""
    return [v.strip() for v in text.replace(";", ",").split(",") if v.strip()]


class GlossaryDialog(QDialog):
    """Opened with ``open()``; ``changed`` after each change the user makes."""

    changed = Signal()

    def __init__(self, library: Library, reader: TaskRunner, writer: TaskRunner, gate: IndexGate,
                 name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Glossary of names")
        self._library = library
        self._reader = reader
        self._writer = writer
        self._gate = gate
        self._asked = ""  # the name the suggestions shown are for
        # Closed (and maybe deleted): answers still on their way are dropped.
        self._closed = False

        self.entries = QTreeWidget(self)
        self.entries.setAccessibleName("Glossary entries")
        self.entries.setHeaderLabels(["Name and its spellings"])
        self.entries.setRootIsDecorated(True)
        self.entries.currentItemChanged.connect(self._on_entry_chosen)
        self.remove_button = QPushButton("&Remove", self)
        self.remove_button.setAccessibleName("Remove from glossary")
        self.remove_button.setToolTip("Remove the chosen name (with its spellings) or one spelling")
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.empty = QLabel("No names yet. Type a name on the right, then Find spellings.", self)
        self.empty.setObjectName("empty_hint")
        self.empty.setWordWrap(True)

        self.name = QLineEdit(name, self)
        self.name.setAccessibleName("Glossary name")
        self.name.setPlaceholderText("DeepSeek")
        self.variants = QLineEdit(self)
        self.variants.setAccessibleName("Spellings")
        self.variants.setPlaceholderText("diep zek, deep seek")
        self.variants.returnPressed.connect(self._on_add_clicked)
        self.add_button = QPushButton("&Add", self)
        self.add_button.setAccessibleName("Add to glossary")
        self.add_button.setToolTip("Add the name with the spellings typed (commas between them)")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.find_button = QPushButton("&Find spellings", self)
        self.find_button.setAccessibleName("Find spellings")
        self.find_button.setToolTip("List what the transcripts may have heard for this name")
        self.find_button.clicked.connect(self._on_find_clicked)
        self.name.returnPressed.connect(self._on_find_clicked)
        self.suggestions = QTreeWidget(self)
        self.suggestions.setAccessibleName("Suggested spellings")
        self.suggestions.setHeaderLabels(["Spelling", "Times", "Episodes", ""])
        self.suggestions.setRootIsDecorated(False)
        header = self.suggestions.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.entries, 1)
        left_layout.addWidget(self.empty)
        left_layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Spellings:", self.variants)
        right_layout.addLayout(form)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.add_button)
        buttons_row.addWidget(self.find_button)
        buttons_row.addStretch(1)
        right_layout.addLayout(buttons_row)
        right_layout.addWidget(self.suggestions, 1)
        right_layout.addWidget(self.status)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([260, 440])
        splitter.setChildrenCollapsible(False)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)
        self.resize(760, 460)
        # Return in a field does what that field says (find, add); no button is the default,
        # or Return would press it too (QLineEdit passes the key on to the dialog).
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self._glossary = Glossary()
        self._reload()
        # The name field has the focus: the entries list, first in the tab order, would make
        # its first entry current on focus-in and so replace the name asked for.
        self.name.setFocus()
        if name.strip():
            self._on_find_clicked()

    def done(self, result: int) -> None:
        self._closed = True
        super().done(result)

    # -- the entries -----------------------------------------------------------------------
    def _reload(self) -> None:
        self._reader.submit(self._library.glossary, on_done=self._show_glossary, on_error=self._failed)

    def _show_glossary(self, glossary: Glossary) -> None:
        if self._closed:
            return
        self._glossary = glossary
        chosen = self.entries.currentItem()
        keep = chosen.data(0, SPELLING_ROLE) if chosen is not None else None
        self.entries.clear()
        for entry in glossary.entries:
            top = QTreeWidgetItem([entry.canonical])
            top.setData(0, SPELLING_ROLE, (entry.canonical, ""))
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for variant in entry.variants:
                child = QTreeWidgetItem([variant])
                child.setData(0, SPELLING_ROLE, (entry.canonical, variant))
                top.addChild(child)
            self.entries.addTopLevelItem(top)
            top.setExpanded(True)
            if keep == (entry.canonical, ""):
                self.entries.setCurrentItem(top)
        self.empty.setVisible(not glossary.entries)
        self.remove_button.setEnabled(self.entries.currentItem() is not None)
        self._mark_known()

    def _on_entry_chosen(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        self.remove_button.setEnabled(item is not None)
        if item is not None:
            canonical, _spelling = item.data(0, SPELLING_ROLE)
            if canonical != self.name.text().strip():
                self.name.setText(canonical)
                self.suggestions.clear()
                self._asked = ""

    def _on_add_clicked(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.status.setText("Type the name first (as it should be spelled), then its spellings.")
            self.name.setFocus()
            return
        self._add(name, split_variants(self.variants.text()), clear_field=True)

    def _add(self, name: str, variants: Sequence[str], *, clear_field: bool = False) -> None:
        def done(result: tuple[GlossaryEntry, list[str]]) -> None:
            self.changed.emit()
            if self._closed:
                return
            entry, already = result
            added = [v for v in variants if v not in already]
            if clear_field:
                self.variants.clear()
            said = f"“{entry.canonical}”: " + (", ".join(f"“{v}” added" for v in added) or "in the glossary")
            itself = [v for v in already if key_of(v) == key_of(entry.canonical)]
            if itself:  # spaces and case do not count: "deep seek" is "DeepSeek"
                said += "; " + ", ".join(f"“{v}”" for v in itself) + " is the name itself, found already"
            if len(itself) < len(already):
                said += "; already there: " + ", ".join(f"“{v}”" for v in already if v not in itself)
            self.status.setText(said)
            self._reload()

        self._writer.submit(self._library.add_terms, name, list(variants), on_done=done, on_error=self._failed)

    def _on_remove_clicked(self) -> None:
        item = self.entries.currentItem()
        if item is None:
            return
        canonical, spelling = item.data(0, SPELLING_ROLE)
        term = spelling or canonical

        def done(_result: object) -> None:
            self.changed.emit()
            if not self._closed:
                self.status.setText(f"Removed “{term}”" + ("" if spelling else " and its spellings"))
                self._reload()

        self._writer.submit(self._library.remove_terms, [term], on_done=done, on_error=self._failed)

    # -- suggestions -----------------------------------------------------------------------
    def _on_find_clicked(self) -> None:
        if self._closed:
            return
        name = self.name.text().strip()
        if not name:
            self.status.setText("Type a name to find the spellings of.")
            return
        self._asked = name
        self.find_button.setEnabled(False)
        self.status.setText(f"Looking for spellings of “{name}”…")
        self._reader.submit(self._library.suggest_spellings, name, SUGGESTIONS,
                            on_done=lambda found: self._show_suggestions(name, found),
                            on_error=self._failed)

    def _show_suggestions(self, name: str, found: list[Suggestion]) -> None:
        if self._closed:
            return
        self.find_button.setEnabled(True)
        if name != self._asked:
            return  # asked again meanwhile
        self.suggestions.clear()
        for suggestion in found:
            episodes = len(suggestion.episodes)
            item = QTreeWidgetItem([suggestion.text, str(suggestion.count), str(episodes)])
            item.setData(0, SPELLING_ROLE, (name, suggestion.text))
            item.setToolTip(0, f"{suggestion.count} times in {episodes} episode{'s' * (episodes != 1)}")
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.suggestions.addTopLevelItem(item)
            button = QPushButton("Add", self.suggestions)
            button.setAutoDefault(False)
            button.setAccessibleName(f"Add “{suggestion.text}”")
            button.setToolTip(f"Add “{suggestion.text}” as a spelling of “{name}”")
            button.clicked.connect(lambda _=False, text=suggestion.text: self._add(name, [text]))
            self.suggestions.setItemWidget(item, 3, button)
        self.status.setText(f"{len(found)} possible spelling{'s' * (len(found) != 1)} of “{name}”, "
                            "most likely first; Add takes one into the glossary." if found else
                            f"No likely spellings of “{name}” in the transcripts.")
        self._mark_known()

    def _mark_known(self) -> None:
        """Suggestions already in the glossary say so instead of offering Add."""
        for row in range(self.suggestions.topLevelItemCount()):
            item = self.suggestions.topLevelItem(row)
            button = self.suggestions.itemWidget(item, 3) if item is not None else None
            if item is not None and isinstance(button, QPushButton):
                entry = self._glossary.entry_for(item.text(0))
                button.setEnabled(entry is None)
                button.setText("Add" if entry is None else "Added" if entry.canonical == self._asked
                               else f"In “{entry.canonical}”")

    def _failed(self, error: BaseException) -> None:
        if self._closed:
            return
        if isinstance(error, IndexNotReady):  # the window opens the index: ask again then
            self.status.setText("The search index is being prepared; the spellings follow once it is ready…")
            self._gate.when_ready(self._on_find_clicked)
            return
        self.find_button.setEnabled(True)
        self.status.setText(describe_error(error))
