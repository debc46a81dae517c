"""The transcript: a read-only plain-text view of readable paragraphs with search hits.

Measured on this machine (see the shared Qt notes): a read-only QPlainTextEdit with ~130-word
paragraphs paints a 600 KB transcript in ~25 ms; one QSyntaxHighlighter paints thousands of
hits without slowing scrolling; the current hit is the only extra selection.

Offsets: callers speak ORIGINAL transcript offsets (Python indices); this widget converts them
to view offsets (``ParagraphedText``) and then to Qt's UTF-16 positions (``Utf16Map``).
"""

from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import (QAction, QColor, QContextMenuEvent, QFont, QKeySequence, QPainter,
                           QPaintEvent, QResizeEvent, QSyntaxHighlighter, QTextCharFormat,
                           QTextCursor, QTextDocument, QTextOption)
from PySide6.QtWidgets import QPlainTextEdit, QScrollBar, QStyle, QStyleOptionSlider, QTextEdit, QWidget

from reader.core.paragraphs import ParagraphedText, Utf16Map, paragraphize
from reader.ui.theme import LIGHT, Theme

LINE_WIDTH_CHARS = 68


class HitHighlighter(QSyntaxHighlighter):
    """Paints sorted, non-overlapping ranges (Qt positions) looked up per paragraph."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._format = QTextCharFormat()

    def set_colour(self, colour: str) -> None:
        self._format = QTextCharFormat()
        self._format.setBackground(QColor(colour))
        if self._starts:
            self.rehighlight()

    def set_ranges(self, ranges: list[tuple[int, int]]) -> None:
        if not ranges and not self._starts:
            return
        ranges = sorted(ranges)
        self._starts = [s for s, _ in ranges]
        self._ends = [e for _, e in ranges]
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        if not self._starts:
            return
        block_start = self.currentBlock().position()
        block_end = block_start + self.currentBlock().length() - 1
        # The first range that ends inside or after this block.
        index = bisect_right(self._ends, block_start)
        while index < len(self._starts) and self._starts[index] < block_end:
            start = max(self._starts[index], block_start)
            end = min(self._ends[index], block_end)
            if end > start:
                self.setFormat(start - block_start, end - start, self._format)
            index += 1


class HitScrollBar(QScrollBar):
    """A vertical scroll bar that marks where hits fall (fractions of the document)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self._marks: list[float] = []
        self._colour = QColor(LIGHT.marker)

    def set_marks(self, marks: list[float], colour: str) -> None:
        self._marks = marks
        self._colour = QColor(colour)
        self.update()

    def marks(self) -> list[float]:
        return list(self._marks)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        if not self._marks:
            return
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        groove = self.style().subControlRect(QStyle.ComplexControl.CC_ScrollBar, option,
                                             QStyle.SubControl.SC_ScrollBarGroove, self)
        painter = QPainter(self)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._colour)
        rows = {round(groove.top() + fraction * (groove.height() - 3)) for fraction in self._marks}
        for y in rows:
            painter.drawRect(QRect(groove.left() + 2, y, max(4, groove.width() - 4), 3))
        painter.end()


class TranscriptView(QPlainTextEdit):
    """Read-only, selectable transcript with hits, a current hit and zoom."""

    takeaway_requested = Signal(str)
    current_hit_changed = Signal(int, int)  # index, count

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcript")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setCenterOnScroll(False)
        self._scroll_bar = HitScrollBar(self)
        self.setVerticalScrollBar(self._scroll_bar)
        self._highlighter = HitHighlighter(self.document())
        self._view: ParagraphedText = paragraphize("")
        self._utf16 = Utf16Map("")
        self._hits: list[tuple[int, int]] = []  # Qt positions
        self._current = -1
        self._theme = LIGHT
        self._add_takeaway = QAction("Add as takeaway", self)
        self._add_takeaway.setShortcut(QKeySequence("Ctrl+T"))
        self._add_takeaway.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._add_takeaway.triggered.connect(self._on_add_takeaway_triggered)
        self.addAction(self._add_takeaway)

    # -- content -------------------------------------------------------------------------
    def show_transcript(self, transcript: str, paragraph_words: int) -> None:
        self._view = paragraphize(transcript, paragraph_words)
        self._utf16 = Utf16Map(self._view.text)
        self._hits = []
        self._current = -1
        self._highlighter.set_ranges([])
        self.setExtraSelections([])
        self._scroll_bar.set_marks([], self._theme.marker)
        self.setPlainText(self._view.text)

    @property
    def paragraphed(self) -> ParagraphedText:
        return self._view

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        # The margins around the text column belong to the frame: give them the page colour.
        palette = self.palette()
        palette.setColor(palette.ColorRole.Window, QColor(theme.base))
        palette.setColor(palette.ColorRole.Base, QColor(theme.base))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self._highlighter.set_colour(theme.hit)
        self._scroll_bar.set_marks(self._scroll_bar.marks(), theme.marker)
        self._select_current(scroll=False)

    def set_reading_font(self, font: QFont) -> None:
        self.setFont(font)
        self.document().setDefaultFont(font)
        self._update_margins()

    # -- offsets ---------------------------------------------------------------------------
    def qt_position(self, original_offset: int, *, end: bool = False) -> int:
        return self._utf16.to_qt(self._view.to_view(original_offset, end=end))

    def original_offset(self, qt_position: int, *, end: bool = False) -> int:
        return self._view.to_original(self._utf16.from_qt(qt_position), end=end)

    def top_original_offset(self) -> int:
        """The original offset of the first character shown at the top of the view."""
        return self.original_offset(self.cursorForPosition(QPoint(4, 4)).position())

    def scroll_to_original(self, offset: int) -> None:
        """Puts the paragraph line holding ``offset`` at the top of the view."""
        position = self.qt_position(offset)
        block = self.document().findBlock(position)
        layout = block.layout()
        line = layout.lineForTextPosition(position - block.position()) if layout is not None else None
        line_number = block.firstLineNumber() + (line.lineNumber() if line and line.isValid() else 0)
        self.verticalScrollBar().setValue(line_number)

    def selected_original_range(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (self.original_offset(cursor.selectionStart()),
                self.original_offset(cursor.selectionEnd(), end=True))

    def selected_text(self) -> str:
        """The selection as plain text with paragraph breaks read as spaces."""
        text = self.textCursor().selectedText().replace("\u2029", " ")
        return " ".join(text.split())

    # -- hits ------------------------------------------------------------------------------
    def set_hits(self, original_ranges: list[tuple[int, int]], current: int = 0) -> None:
        """Highlights every range and makes ``current`` (an index) the distinct one."""
        self._hits = [(self.qt_position(s), self.qt_position(e, end=True)) for s, e in original_ranges]
        self._highlighter.set_ranges(self._hits)
        document = self.document()
        blocks = max(1, document.blockCount() - 1)
        marks = [document.findBlock(s).blockNumber() / blocks for s, _ in self._hits]
        self._scroll_bar.set_marks(marks, self._theme.marker)
        self._current = min(max(current, 0), len(self._hits) - 1) if self._hits else -1
        self._select_current(scroll=True)

    def clear_hits(self) -> None:
        self.set_hits([])

    def hit_count(self) -> int:
        return len(self._hits)

    def current_hit(self) -> int:
        return self._current

    def hit_index_at_or_after(self, original_offset: int) -> int:
        position = self.qt_position(original_offset)
        index = bisect_right([s for s, _ in self._hits], position - 1)
        return index if index < len(self._hits) else 0

    def move_hit(self, step: int) -> None:
        if not self._hits:
            return
        self._current = (self._current + step) % len(self._hits)
        self._select_current(scroll=True)

    def painted_ranges(self) -> list[tuple[int, int]]:
        """What the highlighter actually painted, as ORIGINAL offsets (for tests and checks)."""
        painted: list[tuple[int, int]] = []
        block = self.document().firstBlock()
        while block.isValid():
            for item in block.layout().formats():
                start = block.position() + item.start
                painted.append((self.original_offset(start),
                                self.original_offset(start + item.length, end=True)))
            block = block.next()
        merged: list[tuple[int, int]] = []
        for start, end in sorted(painted):
            if merged and start <= merged[-1][1] and self._view.to_view(start) == self._view.to_view(merged[-1][1]):
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        return merged

    def _select_current(self, *, scroll: bool) -> None:
        if self._current < 0 or not self._hits:
            self.setExtraSelections([])
            self.current_hit_changed.emit(-1, 0)
            return
        start, end = self._hits[self._current]
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor  # type: ignore[attr-defined]
        selection.format.setBackground(QColor(self._theme.current_hit))  # type: ignore[attr-defined]
        selection.format.setForeground(QColor(self._theme.current_hit_text))  # type: ignore[attr-defined]
        self.setExtraSelections([selection])
        if scroll:
            plain = QTextCursor(self.document())
            plain.setPosition(start)
            self.setTextCursor(plain)
            self.centerCursor()
        self.current_hit_changed.emit(self._current, len(self._hits))

    # -- reading comfort -------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._update_margins()

    def _update_margins(self) -> None:
        column = self.fontMetrics().horizontalAdvance("n") * LINE_WIDTH_CHARS
        scroll_width = self.verticalScrollBar().sizeHint().width()
        side = max(18, (self.width() - scroll_width - column) // 2)
        margins = self.viewportMargins()
        if (margins.left(), margins.right()) != (side, side):
            self.setViewportMargins(side, 14, side, 14)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt override)
        menu = self.createStandardContextMenu(event.pos())
        self._add_takeaway.setEnabled(self.textCursor().hasSelection())
        menu.insertAction(menu.actions()[0] if menu.actions() else None, self._add_takeaway)
        menu.insertSeparator(menu.actions()[1] if len(menu.actions()) > 1 else None)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def add_takeaway_action(self) -> QAction:
        return self._add_takeaway

    def _on_add_takeaway_triggered(self) -> None:
        text = self.selected_text()
        if text:
            self.takeaway_requested.emit(text)
