"""The Notebook tab: every annotation of the library, filtered, grouped, selectable.

A tree of groups (an episode, a tag, a colour, a day) with their items under them. Every row
is as tall as every other (``uniformRowHeights``), so a list of 20,000 items lays out without
asking each row for its size; an item shows two lines of its text and one of where it is from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetrics, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core import tags as tagging
from reader.core.episode import HIGHLIGHT_COLOURS
from reader.library.notebook import (
    HIGHLIGHT,
    KIND_NAMES,
    KINDS,
    NOTE,
    TAKEAWAY,
    Filter,
    NotebookItem,
)
from reader.ui.roles import NOTEBOOK_ITEM_ROLE
from reader.ui.theme import LIGHT, Theme, highlight_tints
from reader.ui.widgets.highlighter import swatch_icon

AnyIndex = QModelIndex | QPersistentModelIndex
GROUP_CHOICES = (("episode", "Group by episode"), ("tag", "Group by tag"), ("colour", "Group by colour"),
                 ("date", "Group by day"))
DATE_CHOICES = (("", "Any time"), ("1", "Today"), ("7", "Last 7 days"), ("30", "Last 30 days"),
                ("365", "Last 12 months"))
KIND_CHOICES = (("", "Everything"), (HIGHLIGHT, "Highlights"), (TAKEAWAY, "Key takeaways"), (NOTE, "Notes"))
EMPTY_NOTEBOOK = ("Nothing annotated yet.\n\nHighlights (Ctrl+H), Key Takeaways and Notes of every "
                  "episode gather here.")
NOTHING_MATCHES = "Nothing matches the filter."


class NotebookModel(QStringListModel):
    """One flat list: each group's heading row, then its items. Flat, so the view lays out
    20,000 rows without a Python call a row (a tree asked Python for every row's index when it
    expanded: 185 ms), and a QStringListModel underneath, whose ``rowCount`` is C++: the list
    view asks it twice a row as it lays out, which from a Python model cost ~1 s at 20,000."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, list[NotebookItem]]] = []
        self._rows: list[NotebookItem | tuple[str, int]] = []  # an item, or (heading, its group's number)
        self._unique: list[NotebookItem] = []

    def set_groups(self, groups: list[tuple[str, list[NotebookItem]]], overlapping: bool = True) -> None:
        """``overlapping``: an item may stand in more than one group (grouped by its tags)."""
        rows: list[NotebookItem | tuple[str, int]] = []
        for number, (label, members) in enumerate(groups):
            rows.append((f"{label} ({len(members)})", number))
            rows += members
        if overlapping:  # each item once
            seen: dict[tuple[str, str, int], NotebookItem] = {}
            for _, members in groups:
                for item in members:
                    seen.setdefault(item.key, item)
            unique = list(seen.values())
        else:
            unique = [item for _, members in groups for item in members]
        self._groups, self._rows, self._unique = groups, rows, unique
        self.setStringList([""] * len(rows))  # what a row says comes from ``data`` below

    def rows(self) -> list[NotebookItem | tuple[str, int]]:
        return self._rows

    def unique_items(self) -> list[NotebookItem]:
        """Every item shown, each once (an item can stand under several tags), in order."""
        return self._unique

    def item_count(self) -> int:
        return len(self._unique)

    def item(self, index: AnyIndex) -> NotebookItem | None:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        return row if isinstance(row, NotebookItem) else None

    def group_of_row(self, row: int) -> list[NotebookItem]:
        entry = self._rows[row]
        return self._groups[entry[1]][1] if isinstance(entry, tuple) else []

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if isinstance(row, tuple):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return row[0]
            return None
        if role == NOTEBOOK_ITEM_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return row.text
        if role == Qt.ItemDataRole.EditRole:
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{KIND_NAMES[row.kind]}: {row.text}"
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = row.text if len(row.text) < 600 else row.text[:600] + "…"
            return f"{tip}\n— {row.comment}" if row.comment else tip
        return None


def when_text(item: NotebookItem) -> str:
    if item.when is None:
        return ""
    day = item.when.date()
    return f"{day.day} {day.strftime('%b')}" if day.year == date.today().year else day.isoformat()


class NotebookDelegate(QStyledItemDelegate):
    """An item: a colour bar, two lines of its text, a quieter line saying where it is from."""

    LINES = 3

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.theme: Theme = LIGHT
        self.show_titles = True

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(200, metrics.lineSpacing() * self.LINES + 10)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        plain = QStyleOptionViewItem(option)
        self.initStyleOption(plain, index)
        plain.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = text_colour if selected else QColor(self.theme.muted)
        rect = option.rect.adjusted(4, 4, -4, -4)
        metrics = QFontMetrics(option.font)
        line = metrics.lineSpacing()
        painter.save()
        item = index.data(NOTEBOOK_ITEM_ROLE)
        if item is None:  # a group's heading
            if not selected:
                painter.fillRect(option.rect, QColor(self.theme.alternate))
            font = painter.font()
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(text_colour)
            label = str(index.data(Qt.ItemDataRole.DisplayRole))
            bold = QFontMetrics(font)
            painter.drawText(rect, int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignVCenter),
                             _two_lines(bold, label, rect.width()))
            painter.restore()
            return
        assert isinstance(item, NotebookItem)
        tints = highlight_tints(self.theme)
        if item.kind == HIGHLIGHT and item.colour in tints:
            painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()), QColor(tints[item.colour][0]))
        left = rect.left() + 10
        width = rect.right() - left
        text = " ".join(item.text.split())
        if item.kind != HIGHLIGHT:
            text = f"{KIND_NAMES[item.kind]}: {text}"
        painter.setPen(muted if item.orphan else text_colour)
        painter.drawText(QRect(left, rect.top(), width, line * 2), int(Qt.TextFlag.TextWordWrap),
                         _two_lines(metrics, text, width))
        parts = [when_text(item)]
        if self.show_titles and item.title:
            parts.append(item.title)
        if item.orphan:
            parts.append("orphaned")
        if item.tags:  # its own; the episode's are the episode's
            parts.append(tagging.hashtags(item.tags))
        if item.comment:
            parts.append("— " + " ".join(item.comment.split()))
        small = painter.font()
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
        painter.setFont(small)
        painter.setPen(muted)
        meta = QFontMetrics(small).elidedText(" · ".join(p for p in parts if p), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, rect.top() + line * 2, width, line), int(Qt.AlignmentFlag.AlignLeft), meta)
        painter.restore()


def _two_lines(metrics: QFontMetrics, text: str, width: int) -> str:
    """``text`` cut to what two wrapped lines of ``width`` hold, with an ellipsis."""
    if metrics.horizontalAdvance(text) <= width * 2 - metrics.averageCharWidth() * 6:
        return text
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width * 2 - metrics.averageCharWidth() * 8)


class NotebookView(QListView):
    copy_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = EMPTY_NOTEBOOK

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.viewport().rect().adjusted(16, 16, -16, -16),
                             int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self.empty_text)
            painter.end()

    def keyPressEvent(self, event: Any) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class NotebookPanel(QWidget):
    filter_changed = Signal()  # a choice changed: filter at once
    query_edited = Signal()  # the words typed changed: filter once typing pauses
    item_activated = Signal(object)  # the NotebookItem to open
    copy_requested = Signal()
    export_requested = Signal()
    tag_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit(self)
        self.field.setObjectName("notebook_query")
        self.field.setAccessibleName("Filter the notebook")
        self.field.setPlaceholderText("Filter: words, \"a phrase\", mod*, -word")
        self.field.setClearButtonEnabled(True)
        self.tag = self._combo("Tag", [("", "All tags")])
        self.colour = self._combo("Colour", [("", "All colours"), *((c, c.capitalize()) for c in HIGHLIGHT_COLOURS)])
        self.kind = self._combo("Kind", list(KIND_CHOICES))
        self.episode = self._combo("Episode", [("", "All episodes")])
        self.date = self._combo("Date", list(DATE_CHOICES))
        self.group = self._combo("Group by", list(GROUP_CHOICES))
        self.orphaned = QCheckBox("Orphaned only", self)
        self.orphaned.setAccessibleName("Orphaned only")
        self.orphaned.setToolTip("Highlights whose words are no longer in the transcript")
        self.count = QLabel(self)
        self.count.setObjectName("notebook_count")
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.model = NotebookModel(self)
        self.view = NotebookView(self)
        self.view.setObjectName("notebook")
        self.view.setAccessibleName("Notebook")
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # a list of strings underneath
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.delegate = NotebookDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.copy_button = self._button("Copy", "Copy the selected items as Markdown (Ctrl+C)",
                                        self.copy_requested.emit)
        self.export_button = self._button("Export…", "Write the selected items, or all shown, to one note",
                                          self.export_requested.emit)
        self.tag_button = self._button("Tag…", "Add tags to the selected highlights", self.tag_requested.emit)

        filters = QGridLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.setHorizontalSpacing(4)
        filters.setVerticalSpacing(4)
        for n, widget in enumerate((self.tag, self.colour, self.episode, self.kind, self.date, self.group)):
            filters.addWidget(widget, n // 2, n % 2)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.copy_button, self.export_button, self.tag_button):
            buttons.addWidget(button)
        counts = QHBoxLayout()
        counts.addWidget(self.orphaned)
        counts.addStretch(1)
        counts.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.field)
        layout.addLayout(filters)
        layout.addLayout(counts)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.field.textChanged.connect(lambda _t: self.query_edited.emit())
        for combo in (self.tag, self.colour, self.kind, self.episode, self.date, self.group):
            combo.currentIndexChanged.connect(lambda _i: self.filter_changed.emit())
        self.orphaned.toggled.connect(lambda _c: self.filter_changed.emit())
        self.view.clicked.connect(self._on_view_clicked)
        self.view.activated.connect(self._on_view_activated)
        self.view.copy_requested.connect(self.copy_requested.emit)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()

    def _combo(self, name: str, choices: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(3)  # the tab is narrow at 1366 px: the choice shows in full when opened
        for value, text in choices:
            combo.addItem(text, value)
        return combo

    def _button(self, text: str, tip: str, slot: Any) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setAccessibleName(f"Notebook {text.rstrip('…').lower()}")
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def set_theme(self, theme: Theme) -> None:
        self.delegate.theme = theme
        tints = highlight_tints(theme)
        for row in range(1, self.colour.count()):
            colour = self.colour.itemData(row)
            self.colour.setItemIcon(row, swatch_icon(tints[colour][0], theme.muted))
        self.view.viewport().update()

    # -- what it offers to filter by ----------------------------------------------------------
    def set_tags(self, tags: Sequence[tuple[str, int]]) -> None:
        self._refill(self.tag, [("", "All tags"), *((t, f"#{t} ({n})") for t, n in tags)])

    def set_episodes(self, episodes: Sequence[tuple[str, str, int]]) -> None:
        """(id, title, item count) of each episode that has items."""
        self._refill(self.episode, [("", "All episodes"), *((i, f"{title} ({n})") for i, title, n in episodes)])

    def _refill(self, combo: QComboBox, choices: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        try:
            combo.clear()
            for value, text in choices:
                combo.addItem(text, value)
            row = combo.findData(current)
            combo.setCurrentIndex(max(row, 0))
        finally:
            combo.blockSignals(False)
        if combo.currentData() != current:
            self.filter_changed.emit()  # what it was filtered by is gone

    def choose(self, combo: QComboBox, value: str) -> None:
        combo.setCurrentIndex(max(combo.findData(value), 0))

    def current_filter(self) -> Filter:
        tag, colour, episode, kind = (c.currentData() for c in (self.tag, self.colour, self.episode, self.kind))
        days = self.date.currentData()
        since = date.today() - timedelta(days=int(days) - 1) if days else None
        return Filter(tags=(tag,) if tag else (), colours=(colour,) if colour else (),
                      episodes=(episode,) if episode else (), kinds=(kind,) if kind in KINDS else (),
                      since=since, orphaned=True if self.orphaned.isChecked() else None,
                      query=self.field.text())

    def grouping(self) -> str:
        return str(self.group.currentData())

    # -- what it shows ------------------------------------------------------------------------------
    def show_groups(self, groups: list[tuple[str, list[NotebookItem]]], total: int) -> None:
        """Shows these groups; what was selected and the item at the top stay so, if shown."""
        selected = {i.key for i in self.selected_items()}
        scrolled = self.view.verticalScrollBar().value() > 0
        top = self.model.item(self.view.indexAt(self.view.viewport().rect().topLeft())) if scrolled else None
        current = self.model.item(self.view.currentIndex())
        self.delegate.show_titles = self.grouping() != "episode"
        self.model.set_groups(groups, overlapping=self.grouping() == "tag")
        if selected or top is not None or current is not None:
            self._restore(selected, top.key if top else None, current.key if current else None)
        shown = self.model.item_count()
        self.count.setText(f"{shown:,} of {total:,}" if shown != total else f"{total:,} items")
        # Said in the list itself: hiding and showing a view of 20,000 rows lays it out again (300 ms).
        self.view.empty_text = EMPTY_NOTEBOOK if total == 0 else NOTHING_MATCHES
        self._update_buttons()

    def _restore(self, selected: set[tuple[str, str, int]], top: tuple[str, str, int] | None,
                 current: tuple[str, str, int] | None) -> None:
        selection = QItemSelection()
        model = self.model
        for row, entry in enumerate(model.rows()):
            if not isinstance(entry, NotebookItem):
                continue
            key = entry.key
            if key in selected:
                index = model.index(row, 0)
                selection.select(index, index)
            if key == top:
                self.view.scrollTo(model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
                top = None
            if key == current:
                self.view.selectionModel().setCurrentIndex(model.index(row, 0),
                                                           QItemSelectionModel.SelectionFlag.NoUpdate)
                current = None
        if not selection.isEmpty():
            self.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.Select)

    def shown_items(self) -> list[NotebookItem]:
        """Every item shown, each once, in the order shown."""
        return list(self.model.unique_items())

    def selected_items(self) -> list[NotebookItem]:
        """The selected items (a selected heading: all of its group's), each once, in order."""
        chosen: set[tuple[str, str, int]] = set()
        for index in self.view.selectionModel().selectedIndexes():
            item = self.model.item(index)
            if item is not None:
                chosen.add(item.key)
            else:
                chosen.update(i.key for i in self.model.group_of_row(index.row()))
        if not chosen:
            return []
        return [i for i in self.model.unique_items() if i.key in chosen]

    def _update_buttons(self) -> None:
        selected = self.view.selectionModel().hasSelection()
        self.copy_button.setEnabled(selected)
        self.tag_button.setEnabled(selected)
        self.export_button.setEnabled(self.model.item_count() > 0)
        self.export_button.setToolTip("Write the selected items to one note" if selected
                                      else "Write every item shown to one note")

    def _on_view_clicked(self, index: QModelIndex) -> None:
        # A plain click opens; Ctrl or Shift with it only selects.
        if QApplication.keyboardModifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            return
        self._on_view_activated(index)

    def _on_view_activated(self, index: QModelIndex) -> None:
        item = self.model.item(index)
        if item is not None:
            self.item_activated.emit(item)
