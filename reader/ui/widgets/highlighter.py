"""One QSyntaxHighlighter for the transcript: user highlights and search hits together.

Measured (shared Qt notes): a highlighter that looks ranges up per paragraph paints thousands of
ranges without slowing scrolling, and one new highlight costs a few ms with ``rehighlightBlock``.
Ranges are Qt (UTF-16) positions in the document; the view converts from transcript offsets.

Overlapping highlights: the newer (higher id) one is painted on top; both stay in the list.
A hit inside a highlight keeps the highlight's colour in a stronger tint, underlined like every
hit, so it never disappears under the highlight. The current hit is the view's extra selection.
A name shown as the glossary spells it (not as the transcript writes it) is underlined with
dots, unless a hit underlines it already.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from itertools import accumulate, pairwise

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QIcon,
    QPainter,
    QPen,
    QPixmap,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
    QTextFormat,
)

# Format properties that tell painted hits and highlights apart (tests and checks read them).
HIT_PROPERTY = QTextFormat.Property.UserProperty + 1
HIGHLIGHT_PROPERTY = QTextFormat.Property.UserProperty + 2  # value: the highlight's id


@dataclass(frozen=True, order=True)
class Mark:
    """A user highlight as painted: Qt positions, sorted by start then id."""

    start: int
    id: int
    end: int
    colour: str


class TranscriptHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._hit_starts: list[int] = []
        self._hit_ends: list[int] = []
        self._marks: list[Mark] = []
        self._mark_starts: list[int] = []
        self._reach: list[int] = []  # running maximum of the marks' ends, for the lookup
        self._name_starts: list[int] = []
        self._name_ends: list[int] = []
        self._name_colour = QColor("#888888")
        self._hit_format = QTextCharFormat()
        self._mark_formats: dict[str, tuple[QTextCharFormat, QTextCharFormat]] = {}

    # -- looks ---------------------------------------------------------------------------
    def set_look(self, hit: str, underline: str, tints: dict[str, tuple[str, str]]) -> None:
        def hit_format(background: str) -> QTextCharFormat:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(background))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(QColor(underline))
            fmt.setProperty(HIT_PROPERTY, True)
            return fmt

        self._hit_format = hit_format(hit)
        self._name_colour = QColor(underline)
        self._mark_formats = {}
        for colour, (plain, strong) in tints.items():
            mark = QTextCharFormat()
            mark.setBackground(QColor(plain))
            self._mark_formats[colour] = (mark, hit_format(strong))
        if self._hit_starts or self._marks:
            self.rehighlight()

    # -- search hits -----------------------------------------------------------------------
    def set_ranges(self, ranges: list[tuple[int, int]]) -> None:
        """Every search hit (sorted, non-overlapping after sorting)."""
        if not ranges and not self._hit_starts:
            return
        ranges = sorted(ranges)
        self._hit_starts = [s for s, _ in ranges]
        self._hit_ends = [e for _, e in ranges]
        self.rehighlight()

    # -- names shown as in the glossary ----------------------------------------------------
    def set_names(self, ranges: list[tuple[int, int]]) -> None:
        """The renamed stretches (sorted, apart); set before the document's text is."""
        self._name_starts = [s for s, _ in ranges]
        self._name_ends = [e for _, e in ranges]

    # -- user highlights -------------------------------------------------------------------
    def set_marks(self, marks: list[Mark], *, repaint: bool = True) -> None:
        """All highlights at once; ``repaint=False`` when the document text is about to be set."""
        had = bool(self._marks)
        self._marks = sorted(marks)
        self._reindex()
        if repaint and (had or self._marks):
            self.rehighlight()

    def add_mark(self, mark: Mark) -> None:
        insort(self._marks, mark)
        self._reindex()
        self.rehighlight_range(mark.start, mark.end)

    def remove_mark(self, mark_id: int) -> None:
        gone = [m for m in self._marks if m.id == mark_id]
        if gone:
            self._marks = [m for m in self._marks if m.id != mark_id]
            self._reindex()
            for mark in gone:
                self.rehighlight_range(mark.start, mark.end)

    def marks(self) -> list[Mark]:
        return list(self._marks)

    def _reindex(self) -> None:
        self._mark_starts = [m.start for m in self._marks]
        self._reach = list(accumulate((m.end for m in self._marks), max))

    def rehighlight_range(self, start: int, end: int) -> None:
        """Repaints only the paragraphs that hold ``start..end`` (no full re-layout)."""
        document = self.document()
        block = document.findBlock(start)
        while block.isValid() and block.position() <= end:
            self.rehighlightBlock(block)
            block = block.next()

    # -- painting --------------------------------------------------------------------------
    def highlightBlock(self, text: str) -> None:
        if not self._hit_starts and not self._marks and not self._name_starts:
            return
        block = self.currentBlock()
        block_start = block.position()
        block_end = block_start + block.length() - 1
        segments = self._segments(block_start, block_end)
        for start, end, colour, mark_id in segments:
            fmt = QTextCharFormat(self._mark_formats[colour][0])
            fmt.setProperty(HIGHLIGHT_PROPERTY, mark_id)
            self.setFormat(start, end - start, fmt)
        index = bisect_right(self._hit_ends, block_start)  # the first hit ending in or after it
        while index < len(self._hit_starts) and self._hit_starts[index] < block_end:
            start = max(self._hit_starts[index], block_start) - block_start
            end = min(self._hit_ends[index], block_end) - block_start
            if end > start:
                self._paint_hit(start, end, segments)
            index += 1
        index = bisect_right(self._name_ends, block_start)
        while index < len(self._name_starts) and self._name_starts[index] < block_end:
            start = max(self._name_starts[index], block_start) - block_start
            end = min(self._name_ends[index], block_end) - block_start
            for position in range(start, end):  # a name is a few characters
                fmt = self.format(position)
                if fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline:
                    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                    fmt.setUnderlineColor(self._name_colour)
                    self.setFormat(position, 1, fmt)
            index += 1

    def _paint_hit(self, start: int, end: int, segments: list[tuple[int, int, str, int]]) -> None:
        position = start
        for seg_start, seg_end, colour, mark_id in segments:
            if seg_end <= position:
                continue
            if seg_start >= end:
                break
            if seg_start > position:
                self.setFormat(position, seg_start - position, self._hit_format)
            inner_end = min(seg_end, end)
            inner_start = max(seg_start, position)
            fmt = QTextCharFormat(self._mark_formats[colour][1])
            fmt.setProperty(HIGHLIGHT_PROPERTY, mark_id)
            self.setFormat(inner_start, inner_end - inner_start, fmt)
            position = inner_end
        if position < end:
            self.setFormat(position, end - position, self._hit_format)

    def _segments(self, block_start: int, block_end: int) -> list[tuple[int, int, str, int]]:
        """Non-overlapping (start, end, colour, id) in block positions, the newest mark on top."""
        if not self._marks:
            return []
        low = bisect_right(self._reach, block_start)
        high = bisect_left(self._mark_starts, block_end)
        found = [m for m in self._marks[low:high] if m.end > block_start and m.colour in self._mark_formats]
        if not found:
            return []
        if len(found) == 1:
            m = found[0]
            return [(max(m.start, block_start) - block_start, min(m.end, block_end) - block_start,
                     m.colour, m.id)]
        cuts = sorted({min(max(p, block_start), block_end) for m in found for p in (m.start, m.end)})
        segments: list[tuple[int, int, str, int]] = []
        for left, right in pairwise(cuts):
            covering = [m for m in found if m.start <= left and m.end >= right]
            if not covering:
                continue
            top = max(covering, key=lambda m: m.id)
            if segments and segments[-1][3] == top.id and segments[-1][1] == left - block_start:
                segments[-1] = (segments[-1][0], right - block_start, top.colour, top.id)
            else:
                segments.append((left - block_start, right - block_start, top.colour, top.id))
        return segments


def swatch_icon(colour: str, border: str, size: int = 14) -> QIcon:
    """A small rounded square in ``colour`` for menus and the highlights list."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(border), 1))
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
    painter.end()
    return QIcon(pixmap)
