"""The right-hand pane: Notes, Highlights, Key Takeaways and Related for the open episode.

Each part reports a change as a signal carrying the whole new value; the autosaver decides
when it is written. ``load`` sets values without emitting anything.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSignalBlocker,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.library import EpisodeSummary, RelatedLink
from reader.library.values import ListSaved, TakeawayItem
from reader.ui.roles import ITEM_BASE_ROLE, ITEM_KEY_ROLE, ITEM_VERSION_ROLE, RELATED_LINK_ROLE
from reader.ui.widgets.highlight_list import HighlightList

LINK_ROLE = RELATED_LINK_ROLE
KEY_ROLE = ITEM_KEY_ROLE
VERSION_ROLE = ITEM_VERSION_ROLE
BASE_ROLE = ITEM_BASE_ROLE


def _section(title: str, body: QWidget, *tools: QWidget) -> QWidget:
    box = QWidget()
    header = QHBoxLayout()
    header.setContentsMargins(0, 0, 0, 0)
    label = QLabel(title, box)
    label.setObjectName("section_title")
    header.addWidget(label, 1)
    for tool in tools:
        header.addWidget(tool)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addLayout(header)
    layout.addWidget(body, 1)
    return box


def _tool(text: str, tip: str, parent: QWidget, name: str) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(name)
    button.setAutoRaise(True)
    return button


class TakeawayEditor(QPlainTextEdit):
    """A takeaway being edited: as wide as the list, several lines high, the text wrapped.
    Enter keeps it (a takeaway is one list item: one line in the note), Esc leaves it as it
    was; Shift+Enter is Enter too, as no takeaway can hold a line break."""

    committed = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAccessibleName("Edit takeaway")
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setFrameShape(QFrame.Shape.Box)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.committed.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        # Pasted text with line breaks becomes one line, as the note will hold it.
        self.insertPlainText(" ".join(source.text().split()))


class TakeawayDelegate(QStyledItemDelegate):
    """Edits a takeaway in a ``TakeawayEditor`` at least three lines high."""

    LINES = 3

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = TakeawayEditor(parent)
        hint = QAbstractItemDelegate.EndEditHint
        editor.committed.connect(lambda: self._finish(editor, hint.SubmitModelCache))
        editor.cancelled.connect(lambda: self._finish(editor, hint.RevertModelCache))
        return editor

    def _finish(self, editor: TakeawayEditor, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if hint is QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.commitData.emit(editor)
        self.closeEditor.emit(editor, hint)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, TakeawayEditor)
        editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.moveCursor(QTextCursor.MoveOperation.End)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, TakeawayEditor)
        model.setData(index, " ".join(editor.toPlainText().split()), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: QModelIndex | QPersistentModelIndex) -> None:
        rect = QRect(option.rect)
        lines = editor.fontMetrics().lineSpacing() * self.LINES + 12
        rect.setHeight(max(rect.height(), lines))
        viewport = editor.parentWidget()
        if viewport is not None and rect.bottom() > viewport.height():  # keep it inside the list
            rect.moveBottom(max(viewport.height(), rect.height()) - 1)
        editor.setGeometry(rect)


class _Keys:
    """Negative keys for items not stored yet (a stored item's key is its row id)."""

    def __init__(self) -> None:
        self._next = 0

    def new(self) -> int:
        self._next -= 1
        return self._next


class TakeawayList(QListWidget):
    """Editable items, reordered by drag; ``changed`` says the user changed the list.

    Each item knows its row (``KEY_ROLE``: the row id, or a negative key until stored) and
    the version and text it was read with, so a save writes only what the user changed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._keys = _Keys()
        self._deleted: dict[int, tuple[int, str]] = {}  # stored items the user deleted
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setItemDelegate(TakeawayDelegate(self))
        self.model().rowsMoved.connect(self._on_rows_moved)
        self.itemChanged.connect(self._on_item_changed)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_current)

    def texts(self) -> list[str]:
        """The items' texts, in order (empty ones left out)."""
        return [self.item(row).text().strip() for row in range(self.count()) if self.item(row).text().strip()]

    def edit_state(self) -> tuple[dict[int, tuple[int, str]], list[tuple[int, str]]]:
        """(what was read: id -> (version, text), the list now: (key, text) in order)."""
        seen = dict(self._deleted)
        drafts: list[tuple[int, str]] = []
        for row in range(self.count()):
            item = self.item(row)
            key = item.data(KEY_ROLE)
            if key > 0:
                seen[key] = (item.data(VERSION_ROLE), item.data(BASE_ROLE))
            if item.text().strip():
                drafts.append((key, item.text().strip()))
        return seen, drafts

    def load(self, items: list[TakeawayItem]) -> None:
        with QSignalBlocker(self):
            self.clear()
            self._deleted = {}
            for stored in items:
                self._append(stored.text, stored.id, stored.version)

    def add(self, text: str = "", *, edit: bool = False) -> None:
        with QSignalBlocker(self):
            item = self._append(text, self._keys.new(), 0)
        self.setCurrentItem(item)
        if edit:
            self.editItem(item)
        else:
            self.changed.emit()

    def add_stored(self, stored: TakeawayItem) -> None:
        """An item already in SQLite (a promoted highlight): shown, not saved again."""
        if self._row_of(stored.id) is None:
            with QSignalBlocker(self):
                self.setCurrentItem(self._append(stored.text, stored.id, stored.version))

    def apply_saved(self, saved: ListSaved) -> None:
        """Takes in what a save stored: ids of new items, new versions, and what arrived
        from elsewhere (added, changed or deleted there) where the user has not edited."""
        with QSignalBlocker(self):
            for key, row_id in saved.new_ids.items():
                row = self._row_of(key)
                if row is not None:
                    self.item(row).setData(KEY_ROLE, row_id)
            stored_ids = set()
            for index, stored in enumerate(saved.items):
                assert isinstance(stored, TakeawayItem)
                stored_ids.add(stored.id)
                row = self._row_of(stored.id)
                if row is None:
                    if stored.id not in self._deleted:
                        self._append(stored.text, stored.id, stored.version, at=index)
                    continue
                item = self.item(row)
                if stored.version > item.data(VERSION_ROLE):
                    if item.text().strip() == item.data(BASE_ROLE):
                        item.setText(stored.text)
                    item.setData(VERSION_ROLE, stored.version)
                    item.setData(BASE_ROLE, stored.text)
            for row in reversed(range(self.count())):
                item = self.item(row)
                key = item.data(KEY_ROLE)
                if key > 0 and key not in stored_ids and item.text().strip() == item.data(BASE_ROLE):
                    self.takeItem(row)  # deleted elsewhere, not edited here
            self._deleted = {k: v for k, v in self._deleted.items() if k in stored_ids}

    def move_current(self, step: int) -> None:
        row = self.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.count():
            return
        with QSignalBlocker(self):
            item = self.takeItem(row)
            self.insertItem(target, item)
        self.setCurrentRow(target)
        self.changed.emit()

    def delete_current(self) -> None:
        row = self.currentRow()
        if row >= 0:
            item = self.takeItem(row)
            if item.data(KEY_ROLE) > 0:
                self._deleted[item.data(KEY_ROLE)] = (item.data(VERSION_ROLE), item.data(BASE_ROLE))
            self.changed.emit()

    def _row_of(self, key: int) -> int | None:
        return next((r for r in range(self.count()) if self.item(r).data(KEY_ROLE) == key), None)

    def _append(self, text: str, key: int, version: int, at: int | None = None) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled)
        item.setData(KEY_ROLE, key)
        item.setData(VERSION_ROLE, version)
        item.setData(BASE_ROLE, text)
        if at is None or at >= self.count():
            self.addItem(item)
        else:
            self.insertItem(at, item)
        return item

    def _on_rows_moved(self, *_args: object) -> None:
        self.changed.emit()

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        self.changed.emit()


class RelatedList(QWidget):
    """Related links: episodes of the library or free text, plus more-like-this suggestions."""

    changed = Signal()
    episode_link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._episodes: dict[str, EpisodeSummary] = {}
        self._keys = _Keys()
        self._deleted: dict[int, tuple[int, tuple[str, str | None]]] = {}
        self.links = QListWidget(self)
        self.links.setAccessibleName("Related")
        self.links.setWordWrap(True)
        self.entry = QLineEdit(self)
        self.entry.setAccessibleName("Add related")
        self.entry.setPlaceholderText("Add an episode or a link, then Enter")
        self._titles = QStringListModel(self)
        completer = QCompleter(self._titles, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.entry.setCompleter(completer)
        self.suggestions = QListWidget(self)
        self.suggestions.setAccessibleName("More like this")
        self.suggestions.setMaximumHeight(110)
        self.suggestions.setWordWrap(True)
        for view in (self.links, self.suggestions):
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.suggestions.setToolTip("Episodes like this one: double-click or Enter to add")
        suggestions_label = QLabel("More like this", self)
        suggestions_label.setObjectName("section_title")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.links, 1)
        layout.addWidget(self.entry)
        layout.addWidget(suggestions_label)
        layout.addWidget(self.suggestions)
        self.entry.returnPressed.connect(self._on_entry_return_pressed)
        # A click selects (to remove it with −); a double-click or Enter follows the link.
        self.links.itemActivated.connect(self._on_links_item_activated)
        # Activation is a double-click (or one click, where the platform says so) and Enter;
        # listening to itemDoubleClicked too handled a double-click twice.
        self.suggestions.itemActivated.connect(self._on_suggestions_item_activated)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.links)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_current)

    def set_library(self, episodes: list[EpisodeSummary]) -> None:
        self._episodes = {e.id: e for e in episodes}
        self._titles.setStringList(sorted(e.title for e in episodes))

    def load(self, links: list[RelatedLink]) -> None:
        self.links.clear()
        self._deleted = {}
        for link in links:
            self._append(link, link.id if link.id is not None else self._keys.new())
        self.suggestions.clear()

    def related(self) -> list[RelatedLink]:
        return [self.links.item(r).data(LINK_ROLE) for r in range(self.links.count())]

    def edit_state(self) -> tuple[dict[int, tuple[int, tuple[str, str | None]]],
                                  list[tuple[int, RelatedLink]]]:
        """As ``TakeawayList.edit_state``: what was read, and the links now."""
        seen = dict(self._deleted)
        drafts: list[tuple[int, RelatedLink]] = []
        for row in range(self.links.count()):
            item = self.links.item(row)
            link: RelatedLink = item.data(LINK_ROLE)
            key = item.data(KEY_ROLE)
            if key > 0:
                seen[key] = (link.version, (link.text, link.episode_id))
            drafts.append((key, link))
        return seen, drafts

    def apply_saved(self, saved: ListSaved) -> None:
        """Takes in what a save stored (see ``TakeawayList.apply_saved``)."""
        for key, row_id in saved.new_ids.items():
            row = self._row_of(key)
            if row is not None:
                self.links.item(row).setData(KEY_ROLE, row_id)
        stored_ids = set()
        for index, stored in enumerate(saved.items):
            assert isinstance(stored, RelatedLink) and stored.id is not None
            stored_ids.add(stored.id)
            row = self._row_of(stored.id)
            if row is None:
                if stored.id not in self._deleted:
                    self._append(stored, stored.id, at=index)
            else:
                self.links.item(row).setData(LINK_ROLE, stored)
        for row in reversed(range(self.links.count())):
            key = self.links.item(row).data(KEY_ROLE)
            if key > 0 and key not in stored_ids:
                self.links.takeItem(row)  # removed elsewhere
        self._deleted = {k: v for k, v in self._deleted.items() if k in stored_ids}

    def _row_of(self, key: int) -> int | None:
        return next((r for r in range(self.links.count())
                     if self.links.item(r).data(KEY_ROLE) == key), None)

    def add_link(self, link: RelatedLink) -> None:
        if any(existing == link for existing in self.related()):
            return
        self._append(link, self._keys.new())
        added = self.links.item(self.links.count() - 1)
        self.links.setCurrentItem(added)
        self.links.scrollToItem(added)  # in sight, where the user can see what was added
        for row in reversed(range(self.suggestions.count())):
            if self.suggestions.item(row).data(LINK_ROLE) == link:
                self.suggestions.takeItem(row)
        self.changed.emit()

    def add_text(self, text: str) -> None:
        """An exact episode title becomes an episode link; anything else is kept as text."""
        text = text.strip()
        if not text:
            return
        match = next((e for e in self._episodes.values() if e.title.casefold() == text.casefold()), None)
        self.add_link(RelatedLink(match.title, match.id) if match else RelatedLink(text))

    def delete_current(self) -> None:
        row = self.links.currentRow()
        if row >= 0:
            item = self.links.takeItem(row)
            link: RelatedLink = item.data(LINK_ROLE)
            if item.data(KEY_ROLE) > 0:
                self._deleted[item.data(KEY_ROLE)] = (link.version, (link.text, link.episode_id))
            self.changed.emit()

    def show_suggestions(self, episodes: list[EpisodeSummary]) -> None:
        self.suggestions.clear()
        for summary in episodes:
            item = QListWidgetItem(f"+ {summary.title}", self.suggestions)
            item.setData(LINK_ROLE, RelatedLink(summary.title, summary.id))

    def _append(self, link: RelatedLink, key: int, at: int | None = None) -> None:
        label = f"→ {link.text}" if link.episode_id else link.text
        item = QListWidgetItem(label)
        if at is None or at >= self.links.count():
            self.links.addItem(item)
        else:
            self.links.insertItem(at, item)
        item.setData(LINK_ROLE, link)
        item.setData(KEY_ROLE, key)
        if link.episode_id:
            font = QFont(item.font())
            font.setUnderline(True)
            item.setFont(font)
            item.setToolTip("Double-click or Enter: open this episode")

    def _on_entry_return_pressed(self) -> None:
        self.add_text(self.entry.text())
        self.entry.clear()

    def _on_links_item_activated(self, item: QListWidgetItem) -> None:
        link: RelatedLink = item.data(LINK_ROLE)
        if link.episode_id:
            self.episode_link_activated.emit(link.episode_id)

    def _on_suggestions_item_activated(self, item: QListWidgetItem) -> None:
        if self.suggestions.row(item) < 0:
            return  # taken already
        link = item.data(LINK_ROLE)
        self.suggestions.takeItem(self.suggestions.row(item))
        self.add_link(link)


class AnnotationPane(QSplitter):
    notes_changed = Signal(str)
    takeaways_changed = Signal()
    related_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.notes = QPlainTextEdit(self)
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText("Your notes (Markdown)…")
        self.notes.setTabChangesFocus(True)
        self.highlights = HighlightList(self)
        edit_comment = _tool("✎", "Edit the comment (F2 or double-click)", self, "Edit comment")
        promote = _tool("★", "Promote to takeaway", self, "Promote to takeaway")
        remove_highlight = _tool("−", "Delete the highlight (Delete; Ctrl+Z undoes)", self, "Delete highlight")
        self.takeaways = TakeawayList(self)
        self.takeaways.setAccessibleName("Key Takeaways")
        add = _tool("+", "Add a takeaway (Ctrl+Shift+T)", self, "Add takeaway")
        up = _tool("↑", "Move up (Alt+Up)", self, "Move takeaway up")
        down = _tool("↓", "Move down (Alt+Down)", self, "Move takeaway down")
        remove = _tool("−", "Delete the selected takeaway (Delete)", self, "Delete takeaway")
        self.related = RelatedList(self)
        remove_link = _tool("−", "Remove the selected link (Delete)", self, "Remove related link")
        self.addWidget(_section("Notes", self.notes))
        self.addWidget(_section("Highlights", self.highlights, edit_comment, promote, remove_highlight))
        self.addWidget(_section("Key Takeaways", self.takeaways, add, up, down, remove))
        self.addWidget(_section("Related", self.related, remove_link))
        self.setSizes([160, 300, 190, 170])
        self.setChildrenCollapsible(False)
        add.clicked.connect(self._on_add_clicked)
        up.clicked.connect(self._on_up_clicked)
        down.clicked.connect(self._on_down_clicked)
        remove.clicked.connect(self.takeaways.delete_current)
        edit_comment.clicked.connect(self.highlights.edit_action.trigger)
        promote.clicked.connect(self.highlights.promote_action.trigger)
        remove_highlight.clicked.connect(self.highlights.delete_action.trigger)
        remove_link.clicked.connect(self.related.delete_current)
        for keys, slot in (("Alt+Up", self._on_up_clicked), ("Alt+Down", self._on_down_clicked)):
            shortcut = QShortcut(QKeySequence(keys), self.takeaways)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self.notes.textChanged.connect(self._on_notes_text_changed)
        self.takeaways.changed.connect(self.takeaways_changed)
        self.related.changed.connect(self.related_changed)
        self._loading = False

    def load(self, notes: str, takeaways: list[TakeawayItem], related: list[RelatedLink]) -> None:
        self._loading = True
        try:
            self.notes.setPlainText(notes)
            self.takeaways.load(takeaways)
            self.related.load(related)
        finally:
            self._loading = False

    def show_notes(self, text: str) -> None:
        """Replaces the Notes text (a merge with another writer's edit), keeping the cursor
        near where it was; emits nothing."""
        cursor = self.notes.textCursor().position()
        self._loading = True
        try:
            self.notes.setPlainText(text)
            moved = self.notes.textCursor()
            moved.setPosition(min(cursor, len(text)))
            self.notes.setTextCursor(moved)
        finally:
            self._loading = False

    def add_takeaway(self, text: str = "") -> None:
        if not text:
            self.takeaways.setFocus()  # first: focus moving to the list would close the editor
        self.takeaways.add(text, edit=not text)

    def _on_add_clicked(self) -> None:
        self.add_takeaway()

    def _on_up_clicked(self) -> None:
        self.takeaways.move_current(-1)

    def _on_down_clicked(self) -> None:
        self.takeaways.move_current(1)

    def _on_notes_text_changed(self) -> None:
        if not self._loading:
            self.notes_changed.emit(self.notes.toPlainText())
