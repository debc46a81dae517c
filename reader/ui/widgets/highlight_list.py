"""The Highlights list of the annotation pane: quote, comment and colour of each highlight.

Placed highlights come in reading order; orphans (their quote is no longer in the transcript)
follow under an "Orphaned" heading, never jump anywhere and can still be edited or deleted.
The list only shows and asks: every change is a signal the highlight controller writes, and
the list changes when the write is done.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAction,
    QActionGroup,
    QColor,
    QFont,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QCheckBox,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from reader.core.episode import HIGHLIGHT_COLOURS, Highlight
from reader.core.tags import hashtags
from reader.core.timing import WordTimes, moment_text
from reader.ui.roles import HIGHLIGHT_ID_ROLE, HIGHLIGHT_PARTS_ROLE
from reader.ui.theme import LIGHT, Theme, highlight_tints
from reader.ui.widgets.highlighter import swatch_icon

ID_ROLE = HIGHLIGHT_ID_ROLE
PARTS_ROLE = HIGHLIGHT_PARTS_ROLE  # (quote, comment, moment) as shown
QUOTE_CHARS = 140
COMMENT_CHARS = 220
EMPTY_TEXT = ("Select words in the transcript and press Ctrl+H to highlight them "
              "(Alt+1…5 for a colour, Ctrl+Shift+H with a comment).")


def elide(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(" ,.;:") + "…"


class _HintedList(QListWidget):
    """A list that says how to make its first item while it is empty (it keeps focus and keys)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint_colour = LIGHT.muted

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.count() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(QColor(self.hint_colour))
            area = self.viewport().rect().adjusted(6, 6, -6, -6)
            painter.drawText(area, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                                       | Qt.TextFlag.TextWordWrap), EMPTY_TEXT)
            painter.end()


class HighlightDelegate(QStyledItemDelegate):
    """The quote, then the comment in a quieter italic; the colour swatch is the item's icon."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.muted = "#6a6f78"

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex,
                  width: int, colour: str | None = None) -> QTextDocument:
        quote, comment, moment = index.data(PARTS_ROLE)
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(3)
        body = html.escape(quote)
        if moment:
            body = f'<span style="color:{colour or self.muted}">{html.escape(moment)}</span>&nbsp; ' + body
        if comment:
            body += (f'<br><i style="color:{colour or self.muted}">— {html.escape(comment)}</i>')
        document.setHtml(body)
        document.setTextWidth(max(60, width))
        return document

    def _text_left(self, option: QStyleOptionViewItem) -> int:
        return option.decorationSize.width() + 8

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        if index.data(PARTS_ROLE) is None:
            return super().sizeHint(option, index)
        view = option.widget
        width = view.viewport().width() if isinstance(view, QAbstractScrollArea) else 300
        plain = QStyleOptionViewItem(option)
        self.initStyleOption(plain, index)
        document = self._document(option, index, width - self._text_left(plain) - 4)
        return QSize(width, int(document.size().height()) + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        if index.data(PARTS_ROLE) is None:
            super().paint(painter, option, index)
            return
        plain = QStyleOptionViewItem(option)
        self.initStyleOption(plain, index)
        plain.text = ""
        plain.decorationAlignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = option.palette.color(QPalette.ColorRole.HighlightedText if selected
                                           else QPalette.ColorRole.Text)
        if index.data(Qt.ItemDataRole.ForegroundRole) is not None and not selected:
            text_colour = QColor(self.muted)
        left = self._text_left(plain)
        document = self._document(option, index, option.rect.width() - left - 4,
                                  text_colour.name() if selected else None)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, text_colour)
        painter.save()
        painter.translate(option.rect.left() + left, option.rect.top() + 2)
        document.documentLayout().draw(painter, context)
        painter.restore()


class HighlightList(QWidget):
    """Signals carry highlight ids; ``current_id`` is what the actions act on."""

    activated = Signal(int)
    comment_edit_requested = Signal(int)
    colour_change_requested = Signal(int, str)
    delete_requested = Signal(int)
    promote_requested = Signal(int)
    undo_requested = Signal()
    resize_requested = Signal(int, int, int)  # id, words to move the start by, the end by
    play_requested = Signal(int)  # play the highlight's passage
    tags_edit_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._highlights: dict[int, Highlight] = {}
        self._theme = LIGHT
        self._times: WordTimes | None = None
        self.can_play = False
        self.view = _HintedList(self)
        self.view.setObjectName("highlights")
        self.view.setAccessibleName("Highlights")
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.delegate = HighlightDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setIconSize(QSize(14, 14))
        # A team library: whose highlight each is, and a filter to one's own.
        self.me: str | None = None
        self.mine_only = QCheckBox("Only mine", self)
        self.mine_only.setAccessibleName("Only my highlights")
        self.mine_only.setToolTip("Show only the highlights you made (a team library shows "
                                  "everyone's, each with its author)")
        self.mine_only.hide()
        self.mine_only.toggled.connect(lambda _on: self._rebuild())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.mine_only)
        layout.addWidget(self.view, 1)

        self.go_action = self._action("&Go to highlight", None, self._on_go_triggered)
        self.edit_action = self._action("&Edit comment…", "F2", self._on_edit_triggered)
        self.tags_action = self._action("&Tags…", "Alt+T", self._on_tags_triggered)
        self.promote_action = self._action("&Promote to takeaway", None, self._on_promote_triggered)
        self.play_action = self._action("▶ &Play highlight", "Ctrl+Return", self._on_play_triggered)
        self.delete_action = self._action("&Delete highlight", QKeySequence.StandardKey.Delete,
                                          self._on_delete_triggered)
        self.undo_action = self._action("&Undo delete", QKeySequence.StandardKey.Undo,
                                        self.undo_requested.emit)
        # Resizing by whole words, with the keys a text selection grows with.
        self.resize_actions = [
            self._action("Extend to the next word", "Shift+Right", lambda: self._on_resize(0, 1)),
            self._action("Shrink by the last word", "Shift+Left", lambda: self._on_resize(0, -1)),
            self._action("Start a word earlier", "Ctrl+Shift+Left", lambda: self._on_resize(-1, 0)),
            self._action("Start a word later", "Ctrl+Shift+Right", lambda: self._on_resize(1, 0)),
        ]
        group = QActionGroup(self)
        self.colour_actions: dict[str, QAction] = {}
        for colour in HIGHLIGHT_COLOURS:
            action = QAction(colour.capitalize(), self)
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, c=colour: self._on_colour_triggered(c))
            group.addAction(action)
            self.colour_actions[colour] = action
        self.view.itemClicked.connect(self._on_view_item_clicked)
        self.view.itemActivated.connect(self._on_view_item_clicked)
        self.view.itemDoubleClicked.connect(self._on_view_item_double_clicked)
        self.view.customContextMenuRequested.connect(self._on_view_custom_context_menu_requested)
        self.view.currentItemChanged.connect(self._on_view_current_item_changed)
        self.set_theme(LIGHT)
        self._rebuild()

    def _action(self, text: str, keys: QKeySequence.StandardKey | str | None, slot: object) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.view.addAction(action)  # its keys work while the list has focus
        return action

    def _on_resize(self, start_words: int, end_words: int) -> None:
        highlight_id = self.current_id()
        highlight = self._highlights.get(highlight_id) if highlight_id is not None else None
        if highlight is not None and not highlight.orphan:
            self.resize_requested.emit(highlight.id, start_words, end_words)

    def set_author(self, me: str | None) -> None:
        """In a team library, this user's name: others' highlights show theirs, and the list
        can be filtered to this user's (None: a library of one's own, no names)."""
        self.me = me
        self.mine_only.setVisible(me is not None)
        self._rebuild()

    def _shown(self, highlight: Highlight) -> bool:
        return not (self.me is not None and self.mine_only.isChecked()
                    and highlight.author and highlight.author != self.me)

    # -- content -----------------------------------------------------------------------------
    def load(self, highlights: list[Highlight]) -> None:
        self._highlights = {h.id: h for h in highlights if h.id is not None}
        self._rebuild()

    def put(self, highlight: Highlight) -> None:
        """Adds or replaces one highlight (by id)."""
        if highlight.id is not None:
            self._highlights[highlight.id] = highlight
            self._rebuild()

    def remove(self, highlight_id: int) -> None:
        if self._highlights.pop(highlight_id, None) is not None:
            self._rebuild()

    def set_times(self, times: WordTimes | None) -> None:
        """When the episode's words are spoken: each highlight shows its moment."""
        self._times = times
        self._rebuild()

    def set_can_play(self, can_play: bool) -> None:
        self.can_play = can_play
        self._update_actions()

    def select(self, highlight_id: int) -> None:
        item = self._item(highlight_id)
        if item is not None:
            self.view.setCurrentItem(item)
            self.view.scrollToItem(item)

    def highlight(self, highlight_id: int) -> Highlight | None:
        return self._highlights.get(highlight_id)

    def current_id(self) -> int | None:
        item = self.view.currentItem()
        value = item.data(ID_ROLE) if item is not None else None
        return int(value) if value is not None else None

    def ids(self) -> list[int]:
        """Placed highlights in the order shown."""
        return [i for i, orphan in self._rows() if not orphan]

    def orphan_ids(self) -> list[int]:
        return [i for i, orphan in self._rows() if orphan]

    def item_text(self, highlight_id: int) -> str:
        item = self._item(highlight_id)
        return item.text() if item is not None else ""

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.delegate.muted = theme.muted
        self.view.hint_colour = theme.muted
        tints = highlight_tints(theme)
        for colour, action in self.colour_actions.items():
            action.setIcon(swatch_icon(tints[colour][0], theme.muted))
        self._rebuild()

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.go_action)
        if self.can_play:
            menu.addAction(self.play_action)
        menu.addAction(self.edit_action)
        menu.addAction(self.tags_action)
        colours = menu.addMenu("&Colour")
        colours.addActions(list(self.colour_actions.values()))
        menu.addAction(self.promote_action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.addAction(self.undo_action)
        return menu

    # -- building ------------------------------------------------------------------------------
    def _rows(self) -> list[tuple[int, bool]]:
        rows = []
        for row in range(self.view.count()):
            value = self.view.item(row).data(ID_ROLE)
            if value is not None:
                rows.append((int(value), bool(self._highlights[int(value)].orphan)))
        return rows

    def _item(self, highlight_id: int) -> QListWidgetItem | None:
        for row in range(self.view.count()):
            if self.view.item(row).data(ID_ROLE) == highlight_id:
                return self.view.item(row)
        return None

    def _rebuild(self) -> None:
        current = self.current_id()
        self.view.clear()
        shown = [h for h in self._highlights.values() if self._shown(h)]
        placed = sorted((h for h in shown if not h.orphan), key=lambda h: (h.start, h.end, h.id))
        orphans = sorted((h for h in shown if h.orphan), key=lambda h: h.id or 0)
        for highlight in placed:
            self._append(highlight)
        if orphans:
            heading = QListWidgetItem("Orphaned — no longer in the transcript", self.view)
            heading.setFlags(Qt.ItemFlag.NoItemFlags)
            font = QFont(heading.font())
            font.setBold(True)
            heading.setFont(font)
            heading.setForeground(QColor(self._theme.muted))
            for highlight in orphans:
                self._append(highlight)
        if current is not None:
            self.select(current)
        self._update_actions()

    def _append(self, highlight: Highlight) -> None:
        quote = f"“{elide(highlight.quote, QUOTE_CHARS)}”"
        others = self.me is not None and bool(highlight.author) and highlight.author != self.me
        if others:
            quote = f"{highlight.author}: {quote}"
        comment = elide(highlight.comment, COMMENT_CHARS)
        if highlight.tags:
            comment = f"{comment}  {hashtags(highlight.tags)}" if comment else hashtags(highlight.tags)
        moment = ""
        if self._times is not None and not highlight.orphan:
            moment = moment_text(self._times.seconds_at(highlight.start), self._times.approximate)
        text = f"{moment} {quote}" if moment else quote
        item = QListWidgetItem(f"{text}\n— {comment}" if comment else text, self.view)
        item.setData(PARTS_ROLE, (quote, comment, moment))
        tint = highlight_tints(self._theme).get(highlight.colour, ("#808080", ""))[0]
        item.setIcon(swatch_icon(tint, self._theme.muted))
        item.setData(ID_ROLE, highlight.id)
        tip = "Click to show it in the transcript; double-click to edit the comment"
        if highlight.orphan:
            tip = "This passage is no longer in the transcript; it is kept with your comment"
            item.setForeground(QColor(self._theme.muted))
        if others:
            tip = f"By {highlight.author}. {tip}"
        item.setToolTip(tip)

    def _update_actions(self) -> None:
        highlight = self._highlights.get(self.current_id() or -1)
        for action in (self.edit_action, self.tags_action, self.promote_action, self.delete_action):
            action.setEnabled(highlight is not None)
        self.go_action.setEnabled(highlight is not None and not highlight.orphan)
        self.play_action.setEnabled(self.can_play and highlight is not None and not highlight.orphan)
        for colour, action in self.colour_actions.items():
            action.setEnabled(highlight is not None)
            action.setChecked(highlight is not None and highlight.colour == colour)

    # -- slots -------------------------------------------------------------------------------------
    def _on_view_current_item_changed(self, *_items: object) -> None:
        self._update_actions()

    def _on_view_item_clicked(self, item: QListWidgetItem) -> None:
        highlight = self._highlights.get(item.data(ID_ROLE))
        if highlight is not None and not highlight.orphan and highlight.id is not None:
            self.activated.emit(highlight.id)

    def _on_view_item_double_clicked(self, item: QListWidgetItem) -> None:
        if item.data(ID_ROLE) is not None:
            self.comment_edit_requested.emit(int(item.data(ID_ROLE)))

    def _on_view_custom_context_menu_requested(self, position: QPoint) -> None:
        item = self.view.itemAt(position)
        if item is not None and item.data(ID_ROLE) is not None:
            self.view.setCurrentItem(item)
        menu = self.context_menu()
        menu.exec(self.view.viewport().mapToGlobal(position))
        menu.deleteLater()

    def _on_go_triggered(self) -> None:
        item = self.view.currentItem()
        if item is not None:
            self._on_view_item_clicked(item)

    def _on_play_triggered(self) -> None:
        highlight = self._highlights.get(self.current_id() or -1)
        if self.can_play and highlight is not None and not highlight.orphan and highlight.id is not None:
            self.play_requested.emit(highlight.id)

    def _on_edit_triggered(self) -> None:
        if (current := self.current_id()) is not None:
            self.comment_edit_requested.emit(current)

    def _on_tags_triggered(self) -> None:
        if (current := self.current_id()) is not None:
            self.tags_edit_requested.emit(current)

    def _on_promote_triggered(self) -> None:
        if (current := self.current_id()) is not None:
            self.promote_requested.emit(current)

    def _on_delete_triggered(self) -> None:
        if (current := self.current_id()) is not None:
            self.delete_requested.emit(current)

    def _on_colour_triggered(self, colour: str) -> None:
        if (current := self.current_id()) is not None:
            self.colour_change_requested.emit(current, colour)
