"""Library search: a query field and ranked results with highlighted snippets."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QMouseEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.glossary import MAX_WORDS
from reader.core.query_help import QUERY_HELP
from reader.ui.roles import SEARCH_RESULT_ROLE
from reader.ui.widgets.dialogs import TextDialog

if TYPE_CHECKING:  # reader.search imports Whoosh: keep it off the start-up path
    from reader.search import SearchResult, SearchResults

RESULT_ROLE = SEARCH_RESULT_ROLE
SHOWN_SNIPPETS = 2
# Where a snippet comes from, said before it (a transcript snippet needs no label).
FIELD_LABELS = {"notes": "Notes", "takeaways": "Takeaway", "comment": "Highlight comment",
                "title": "Title", "related": "Related"}


def with_snippet_first(result: SearchResult, number: int) -> SearchResult:
    """``result`` opened at its snippet ``number``: that snippet first, and for a transcript
    snippet its first hit as the place to open at."""
    if not 0 <= number < len(result.snippets) or number == 0:
        return result
    chosen = result.snippets[number]
    others = tuple(s for i, s in enumerate(result.snippets) if i != number)
    offset = chosen.offset + chosen.ranges[0][0] if chosen.field == "transcript" and chosen.ranges \
        and chosen.offset >= 0 else result.best_offset
    return replace(result, snippets=(chosen, *others), best_offset=offset)
AnyIndex = QModelIndex | QPersistentModelIndex


def snippet_html(text: str, ranges: tuple[tuple[int, int], ...] | list[tuple[int, int]], mark: str,
                 mark_text: str = "#000000") -> str:
    """``text`` escaped (markup is shown, never interpreted) with ``ranges`` marked."""
    parts: list[str] = []
    position = 0
    for start, end in sorted(ranges):
        if start < position:
            continue
        parts.append(html.escape(text[position:start]))
        parts.append(f'<span style="background-color:{mark}; color:{mark_text}">{html.escape(text[start:end])}</span>')
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


class SearchResultModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._results: list[SearchResult] = []

    def set_results(self, results: list[SearchResult]) -> None:
        self.beginResetModel()
        self._results = list(results)
        self.endResetModel()

    def results(self) -> list[SearchResult]:
        return list(self._results)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._results)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._results):
            return None
        result = self._results[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return result.title
        if role == RESULT_ROLE:
            return result
        return None


class SearchResultDelegate(QStyledItemDelegate):
    """Title in bold, then up to two snippets with the matched words marked."""

    WIDTH_PADDING = 16

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.mark_colour = "#ffe38a"
        self.mark_text_colour = "#000000"

    def _document(self, option: QStyleOptionViewItem, index: AnyIndex) -> QTextDocument:
        result = index.data(RESULT_ROLE)
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(6)
        snippets = "".join(
            f'<p style="margin-top:4px">{self._label(s.field)}'
            f'…{snippet_html(s.text, s.ranges, self.mark_colour, self.mark_text_colour)}…</p>'
            for s in result.snippets[:SHOWN_SNIPPETS])
        count = (f' <span style="font-weight:normal">· {result.hit_count} hit{"s" if result.hit_count != 1 else ""}'
                 "</span>" if result.hit_count else "")
        document.setHtml(f"<b>{html.escape(result.title)}{count}</b>{snippets}")
        document.setTextWidth(max(100, option.rect.width() - self.WIDTH_PADDING))
        return document

    @staticmethod
    def _label(field: str) -> str:
        label = FIELD_LABELS.get(field)
        return f"<i>{html.escape(label)}:</i> " if label else ""

    def snippet_at(self, option: QStyleOptionViewItem, index: AnyIndex, point: QPoint) -> int | None:
        """The number of the snippet under ``point`` (relative to the item), None on the title."""
        document = self._document(option, index)
        position = document.documentLayout().hitTest(point.toPointF(), Qt.HitTestAccuracy.FuzzyHit)
        block = document.findBlock(max(0, position)).blockNumber()
        return block - 1 if block >= 1 else None

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        view = option.widget
        width = view.viewport().width() if isinstance(view, QAbstractScrollArea) else 300
        option.rect.setWidth(width)
        document = self._document(option, index)
        return QSize(width, int(document.size().height()) + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        plain = QStyleOptionViewItem(option)
        self.initStyleOption(plain, index)
        plain.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, option.widget)
        document = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(option.rect.topLeft())
        document.documentLayout().draw(painter, context)
        painter.restore()


def query_words(query: str) -> str:
    """A query's words without its syntax ("\"open ai\" NOT title:x*" → "open ai"), for
    finding their spellings; "" when it has none or more than a name's worth."""
    words = []
    for word in re.findall(r"[^\s\"()]+", query):
        if word in ("AND", "OR", "NOT") or ":" in word:
            continue
        words.append(word.strip("*~^+-"))
    words = [w for w in words if w]
    return " ".join(words) if 0 < len(words) <= MAX_WORDS else ""


class SearchPanel(QWidget):
    """``query_edited`` on every keystroke (the controller debounces); ``result_activated``
    carries a SearchResult when the user opens one."""

    query_edited = Signal(str)
    result_activated = Signal(object)
    spellings_requested = Signal(str)  # "Find spellings…": the words of the query shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit(self)
        self.field.setAccessibleName("Search all episodes")
        self.field.setPlaceholderText("Search all episodes (Ctrl+K)")
        self.field.setClearButtonEnabled(True)
        self.help = QToolButton(self)
        self.help.setText("?")
        self.help.setAccessibleName("Search help")
        self.help.setToolTip("What a query can say: phrases, OR, NOT, prefix*, fuzzy~, title:…")
        self.help.clicked.connect(self._on_help_clicked)
        self.status = QLabel("Type to search every transcript, note and takeaway.", self)
        self.status.setObjectName("section_title")
        self.status.setWordWrap(True)
        self.model = SearchResultModel(self)
        self.delegate = SearchResultDelegate(self)
        self.view = QListView(self)
        self.view.setAccessibleName("Search results")
        self.view.setModel(self.model)
        self.view.setItemDelegate(self.delegate)
        self.view.setWordWrap(True)
        self.view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        top = QHBoxLayout()
        top.addWidget(self.field, 1)
        top.addWidget(self.help)
        layout.addLayout(top)
        layout.addWidget(self.status)
        # A query that finds nothing offers the nearest queries the library's words allow.
        self.did_you_mean: list[QPushButton] = []
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for _ in range(3):
            button = QPushButton(self)
            button.setFlat(True)
            button.setAccessibleName("Did you mean")
            button.clicked.connect(lambda _=False, b=button: self._search_for(b.property("query")))
            button.hide()
            row.addWidget(button)
            self.did_you_mean.append(button)
        row.addStretch(1)
        self.find_spellings = QPushButton("Find spellings…", self)
        self.find_spellings.setFlat(True)
        self.find_spellings.setAccessibleName("Find spellings")
        self.find_spellings.setToolTip("Find how the transcripts may have heard these words, "
                                       "and add them to the glossary")
        self.find_spellings.clicked.connect(self._on_find_spellings_clicked)
        self.find_spellings.hide()
        row.addWidget(self.find_spellings)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        self.field.textEdited.connect(self.query_edited)
        self.field.returnPressed.connect(self._on_field_return_pressed)
        self.view.activated.connect(self._on_view_activated)
        self.view.clicked.connect(self._on_view_clicked)
        self.view.viewport().installEventFilter(self)
        self._clicked_at: QPoint | None = None
        self.shown_query = ""

    def _search_for(self, query: str) -> None:
        self.field.setText(query)
        self.field.setFocus()
        self.query_edited.emit(query)

    def _offer(self, queries: tuple[str, ...]) -> None:
        for button, query in zip(self.did_you_mean, (*queries, None, None, None), strict=False):
            button.setVisible(query is not None)
            if query is not None:
                button.setText(f"Did you mean “{query}”?")
                button.setProperty("query", query)

    def show_results(self, results: SearchResults | None) -> None:
        self._offer(results.did_you_mean if results is not None else ())
        if results is None:
            self.model.set_results([])
            self.find_spellings.hide()
            self.shown_query = ""
            self.status.setText("Type to search every transcript, note and takeaway.")
            return
        self.shown_query = results.query
        self.find_spellings.setVisible(bool(query_words(results.query)))
        self.model.set_results(list(results.results))
        if not results.query.strip():
            self.status.setText("Type to search every transcript, note and takeaway.")
        elif results.total == 0:
            self.status.setText(f"No episode matches “{results.query}”.")
        else:
            shown = len(results.results)
            more = f" (best {shown} shown)" if results.total > shown else ""
            self.status.setText(f"{results.total} episode{'s' if results.total != 1 else ''}{more}")

    def _on_find_spellings_clicked(self) -> None:
        words = query_words(self.shown_query)
        if words:
            self.spellings_requested.emit(words)

    def show_error(self, message: str) -> None:
        self.model.set_results([])
        self.status.setText(message)

    def clear(self) -> None:
        self.find_spellings.hide()
        self.field.clear()
        self.model.set_results([])
        self.shown_query = ""
        self.status.setText("Type to search every transcript, note and takeaway.")

    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def _on_help_clicked(self) -> None:
        dialog = TextDialog("Search help", QUERY_HELP, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

    def _on_field_return_pressed(self) -> None:
        if self.model.rowCount() > 0:
            self._on_view_activated(self.model.index(0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.MouseButtonRelease \
                and isinstance(event, QMouseEvent):
            self._clicked_at = event.position().toPoint()  # which snippet: see _on_view_clicked
        return super().eventFilter(watched, event)

    def _on_view_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.result_activated.emit(index.data(RESULT_ROLE))

    def _on_view_clicked(self, index: QModelIndex) -> None:
        """A click opens the result at the snippet clicked (its best one on the title)."""
        if not index.isValid():
            return
        result = index.data(RESULT_ROLE)
        if self._clicked_at is not None:
            option = QStyleOptionViewItem()
            option.initFrom(self.view)
            option.rect = self.view.visualRect(index)
            number = self.delegate.snippet_at(option, index, self._clicked_at - option.rect.topLeft())
            if number is not None:
                result = with_snippet_first(result, number)
        self.result_activated.emit(result)
