"""The transcript: a read-only plain-text view of readable paragraphs with search hits.

Measured on this machine (see the shared Qt notes): a read-only QPlainTextEdit with ~130-word
paragraphs paints a 600 KB transcript in ~25 ms; one QSyntaxHighlighter paints thousands of
hits and the user's highlights without slowing scrolling; the current hit is the only extra
selection.

Offsets: callers speak ORIGINAL transcript offsets (Python indices); this widget converts them
to view offsets (``ParagraphedText``) and then to Qt's UTF-16 positions (``Utf16Map``).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QGuiApplication,
    QHelpEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import (
    QMenu,
    QPlainTextEdit,
    QScrollBar,
    QStyle,
    QStyleOptionSlider,
    QTextEdit,
    QToolTip,
    QWidget,
)

from reader.core.episode import DEFAULT_COLOUR, HIGHLIGHT_COLOURS, Highlight, whole_words
from reader.core.paragraphs import PARAGRAPH_BREAK, ParagraphedText, Utf16Map, paragraphize
from reader.core.timing import WordTimes, moment_text, video_link
from reader.ui.theme import LIGHT, Theme, highlight_tints
from reader.ui.widgets.highlighter import (
    HIT_PROPERTY,
    Mark,
    TranscriptHighlighter,
    swatch_icon,
)

LINE_WIDTH_CHARS = 68


class HitScrollBar(QScrollBar):
    """A vertical scroll bar that marks where hits fall (fractions of the document)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self._marks: list[float] = []
        self._colour = QColor(LIGHT.marker)
        # The marks as rectangles for one groove: the bar repaints at every scroll step, and
        # placing thousands of hits again in Python each time doubled the cost of a page.
        self._rects: list[QRect] = []
        self._rects_groove: QRect | None = None  # None: place them again at the next paint

    def set_marks(self, marks: list[float], colour: str) -> None:
        self._marks = marks
        self._colour = QColor(colour)
        self._rects_groove = None
        self.update()

    def marks(self) -> list[float]:
        return list(self._marks)

    def mark_rects(self) -> list[QRect]:
        """The rectangles painted for the marks (one per distinct row of the groove)."""
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        groove = self.style().subControlRect(QStyle.ComplexControl.CC_ScrollBar, option,
                                             QStyle.SubControl.SC_ScrollBarGroove, self)
        if self._rects_groove is None or groove != self._rects_groove:
            top, span = groove.top(), groove.height() - 3
            left, width = groove.left() + 2, max(4, groove.width() - 4)
            rows = sorted({round(top + fraction * span) for fraction in self._marks})
            self._rects = [QRect(left, y, width, 3) for y in rows]
            self._rects_groove = QRect(groove)
        return self._rects

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._marks:
            return
        rects = self.mark_rects()
        painter = QPainter(self)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._colour)
        painter.drawRects(rects)
        painter.end()


FIRST_PART_CHARS = 400_000  # ~35 ms of layout: shown at once
PART_CHARS = 300_000  # each later part, one event-loop turn apart


_NBSP = re.compile("&nbsp;", re.IGNORECASE)  # YouTube's bleep "[&nbsp;__&nbsp;]", read as spaces


NO_SELECTION = "Select words in the transcript first (drag, or Shift+arrows)"


def highlight_tooltip(highlight: Highlight) -> str:
    """A highlight's tooltip: its colour and comment, shown as text (never as markup)."""
    comment = html.escape(highlight.comment.strip()) if highlight.comment.strip() else \
        "<i>No comment — right-click to add one</i>"
    return (f"<p style='white-space:pre-wrap'><b>{html.escape(highlight.colour.capitalize())} highlight</b>"
            f"<br>{comment}</p>")


def _paragraph_cut(text: str, limit: int) -> int:
    """Where to cut ``text`` near ``limit`` at a paragraph break (its whole length if short)."""
    if len(text) <= limit:
        return len(text)
    cut = text.find(PARAGRAPH_BREAK, limit)
    return len(text) if cut < 0 else cut


class TimeGutter(QWidget):
    """The transcript's left margin: when each paragraph starts. A click on a time asks for
    that moment (played when there is audio, else the video opens there); right-click offers
    the video and its link."""

    def __init__(self, view: TranscriptView) -> None:
        super().__init__(view)
        self._view = view
        self.setObjectName("paragraph_times")
        self.setAccessibleName("Paragraph times")
        self.setMouseTracking(True)
        font = QFont(view.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.82))
        self.setFont(font)

    def moment_at(self, y: int) -> float | None:
        for seconds, rect, _text in self._view.paragraph_times():
            if rect.top() - 2 <= y <= rect.bottom() + 2:
                return seconds
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(QColor(self._view.theme().muted))
        for _seconds, rect, text in self._view.paragraph_times():
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over = self.moment_at(event.position().toPoint().y()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            seconds = self.moment_at(event.position().toPoint().y())
            if seconds is not None:
                self._view.moment_requested.emit(seconds)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            seconds = self.moment_at(event.pos().y())
            if seconds is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self._view.moment_tooltip(seconds), self)
            return True
        return super().event(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        seconds = self.moment_at(event.pos().y())
        if seconds is None:
            return
        menu = QMenu(self)
        menu.addActions(self._view.moment_actions(seconds, menu))
        menu.exec(event.globalPos())
        menu.deleteLater()


class TranscriptView(QPlainTextEdit):
    """Read-only, selectable transcript with hits, a current hit and zoom."""

    takeaway_requested = Signal(str)
    current_hit_changed = Signal(int, int)  # index, count
    highlight_requested = Signal(int, int, str)  # original start, end, colour
    highlight_with_comment_requested = Signal(int, int)  # original start, end
    highlight_clicked = Signal(int)  # the id of the (topmost) highlight under a plain click
    # What the right-click menu of a highlight asks for (as the Highlights list's own menu).
    comment_edit_requested = Signal(int)
    colour_change_requested = Signal(int, str)
    promote_requested = Signal(int)
    delete_requested = Signal(int)
    fully_shown_changed = Signal()  # the last part of a long transcript is in the view
    notice = Signal(str)  # a line for the status bar: why a key did nothing, where find wrapped
    moment_requested = Signal(float)  # a paragraph's time asked to be played (or opened)
    word_clicked = Signal(float)  # a plain click on a word while audio is loaded: seek there
    video_requested = Signal(float)  # "Open the video at …": the browser, at that moment
    play_toggle_requested = Signal()  # Space while the transcript has focus
    following_changed = Signal(bool)  # the view stopped (or went back to) following the words

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcript")
        self.setAccessibleName("Transcript")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setCenterOnScroll(False)
        self._scroll_bar = HitScrollBar(self)
        self.setVerticalScrollBar(self._scroll_bar)
        self._highlighter = TranscriptHighlighter(self.document())
        self._marked: dict[int, Highlight] = {}  # placed highlights by id (never orphans)
        self._view: ParagraphedText = paragraphize("")
        self._utf16 = Utf16Map("")
        self._hits: list[tuple[int, int]] = []  # Qt positions
        self._current = -1
        self._theme = LIGHT
        self._rest = ""  # the part of a long transcript not in the view yet
        # The reading place to keep at the top while the text is laid out again (a resize, a
        # new font): the offset last scrolled to, until the user scrolls themselves.
        self._anchor: int | None = None
        self._line_width = LINE_WIDTH_CHARS
        self._placing = False
        self._scroll_bar.valueChanged.connect(self._on_scrolled)
        self._loading = QTimer(self)
        self._loading.setInterval(0)
        self._loading.timeout.connect(self._on_loading_timeout)
        self._add_takeaway = QAction("Add as takeaway", self)
        self._add_takeaway.setShortcut(QKeySequence("Ctrl+T"))
        self._add_takeaway.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._add_takeaway.triggered.connect(self._on_add_takeaway_triggered)
        self.addAction(self._add_takeaway)
        # Shortcut texts only: the window's actions own the keys (one owner, no ambiguity).
        self._highlight_actions: dict[str, QAction] = {}
        for number, colour in enumerate(HIGHLIGHT_COLOURS, start=1):
            action = QAction(f"{colour.capitalize()}\tAlt+{number}", self)
            action.setObjectName(f"highlight_{colour}")
            action.triggered.connect(lambda _checked=False, c=colour: self._on_highlight_triggered(c))
            self._highlight_actions[colour] = action
        self._highlight_comment = QAction("Highlight with comment…\tCtrl+Shift+H", self)
        self._highlight_comment.triggered.connect(self._on_highlight_comment_triggered)
        self._times: WordTimes | None = None  # for the transcript shown
        self._video_id: str | None = None
        self.can_play = False  # whether a moment asked for plays here (audio is loaded)
        self.following = True  # keeps the spoken word in view until the user scrolls away
        self._spoken: tuple[int, int] | None = None  # the word being played (Qt positions)
        self._hit_selection: list[QTextEdit.ExtraSelection] = []
        self._play_toggle = QAction("Play / pause", self)
        self._play_toggle.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self._play_toggle.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._play_toggle.triggered.connect(self.play_toggle_requested.emit)
        self.addAction(self._play_toggle)
        self._gutter = TimeGutter(self)
        self._gutter.hide()
        self.updateRequest.connect(self._on_update_request)

    # -- content -------------------------------------------------------------------------
    def show_transcript(self, transcript: str, paragraph_words: int,
                        paragraphed: ParagraphedText | None = None) -> None:
        """Shows ``transcript`` (``paragraphed``: its paragraphs, made off the GUI thread);
        the same transcript again (new paragraph length) keeps its highlights."""
        if transcript != self._view.original:
            self._marked = {}
            self._times = None
            self._gutter.hide()
            self._spoken = None
        if paragraphed is None or paragraphed.original != transcript:
            paragraphed = paragraphize(transcript, paragraph_words)
        self._view = paragraphed
        self._utf16 = Utf16Map(self._view.text)
        self._hits = []
        self._current = -1
        self._highlighter.set_ranges([])
        self._hit_selection = []
        self.setExtraSelections([])
        self._scroll_bar.set_marks([], self._theme.marker)
        self._highlighter.set_marks([self._mark(h) for h in self._marked.values()], repaint=False)
        self._highlighter.set_names([(self._utf16.to_qt(n.view_start), self._utf16.to_qt(n.view_end))
                                     for n in self._view.names])
        # Laying out text costs ~90 ms a MB: a long transcript shows its first part at once
        # and the rest follows in parts between events (the window never stalls on it).
        text = self._view.text
        self._loading.stop()
        cut = _paragraph_cut(text, FIRST_PART_CHARS)
        self._rest = text[cut:]
        self._anchor = None
        with self._placing_it():
            self.setPlainText(text[:cut])  # paints hits-free text and highlights in one pass
        if self._rest:
            self._loading.start()

    @property
    def fully_shown(self) -> bool:
        """Whether every part of the transcript is in the view yet."""
        return not self._rest

    def complete(self) -> None:
        """Puts the rest of a transcript being shown in parts into the view now."""
        while self._rest:
            self._append_part()

    def _append_part(self) -> None:
        cut = _paragraph_cut(self._rest, PART_CHARS)
        part, self._rest = self._rest[:cut], self._rest[cut:]
        bar = self.verticalScrollBar()
        value = bar.value()
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(part)
        bar.setValue(value)
        if not self._rest:
            self._loading.stop()
            self.fully_shown_changed.emit()

    def _on_loading_timeout(self) -> None:
        if self._rest:
            self._append_part()

    @property
    def paragraphed(self) -> ParagraphedText:
        return self._view

    def theme(self) -> Theme:
        return self._theme

    # -- moments -----------------------------------------------------------------------------
    def set_times(self, times: WordTimes | None, video_id: str | None = None) -> None:
        """When the shown transcript's words are spoken (None: not known); each paragraph
        shows its start in the left margin."""
        if times is not None and times.offsets and times.offsets[-1] >= len(self._view.original):
            times = None  # made for another transcript
        self._times, self._video_id = times, video_id
        self._gutter.setVisible(times is not None and bool(times.starts))
        self._update_margins()
        self._gutter.update()

    def times(self) -> WordTimes | None:
        return self._times

    def seconds_at_original(self, offset: int) -> float | None:
        return self._times.seconds_at(offset) if self._times is not None else None

    def time_gutter(self) -> TimeGutter:
        return self._gutter

    def paragraph_times(self) -> list[tuple[float, QRect, str]]:
        """The visible paragraphs' start times and where the margin shows them (gutter
        coordinates, the height of the paragraph's first line)."""
        if self._times is None or not self._gutter.isVisible():
            return []
        starts = [start for start, _ in self._view.paragraphs]
        out = []
        offset = self.contentOffset()
        height = self.viewport().height()
        line = self.fontMetrics().height()
        width = self._gutter.width() - 10
        block = self.firstVisibleBlock()
        while block.isValid():
            top = self.blockBoundingGeometry(block).translated(offset).top()
            if top > height:
                break
            if block.length() > 1:
                view_start = self._utf16.from_qt(block.position())
                i = bisect_right(starts, view_start) - 1
                if i >= 0 and starts[i] == view_start:
                    seconds = self._times.seconds_at(self._view.to_original(view_start))
                    out.append((seconds, QRect(0, int(top), width, line),
                                moment_text(seconds, self._times.approximate)))
            block = block.next()
        return out

    def moment_tooltip(self, seconds: float) -> str:
        shown = moment_text(seconds, self._times is not None and self._times.approximate)
        what = f"Play from {shown}" if self.can_play else (
            f"Open the video at {shown}" if self._video_id else shown)
        if self._times is not None and self._times.approximate:
            what += " (estimated from the words' positions: attach subtitles or give the length)"
        return what

    def moment_actions(self, seconds: float, parent: QMenu) -> list[QAction]:
        """What can be done with one moment: play it, open the video there, copy its link."""
        shown = moment_text(seconds, self._times is not None and self._times.approximate)
        actions = []
        if self.can_play:
            play = QAction(f"&Play from {shown}", parent)
            play.triggered.connect(lambda: self.moment_requested.emit(seconds))
            actions.append(play)
        if self._video_id:
            link = video_link(self._video_id, seconds)
            opened = QAction(f"Open the &video at {shown}", parent)
            opened.triggered.connect(lambda: self.video_requested.emit(seconds))
            copied = QAction(f"Copy &link to {shown}", parent)
            copied.triggered.connect(lambda: QGuiApplication.clipboard().setText(link))
            actions += [opened, copied]
        return actions

    def mark_spoken(self, start: int, end: int) -> None:
        """Marks the word being played (original offsets); while following, keeps it in view."""
        spoken = (self.qt_position(start), self.qt_position(end, end=True))
        if spoken == self._spoken:
            return
        self._spoken = spoken
        self._paint_extra()
        if self.following:
            self._keep_in_view(spoken[0])

    def clear_spoken(self) -> None:
        if self._spoken is not None:
            self._spoken = None
            self._paint_extra()

    def spoken_range(self) -> tuple[int, int] | None:
        """The word being played, in original offsets."""
        if self._spoken is None:
            return None
        return self.original_offset(self._spoken[0]), self.original_offset(self._spoken[1], end=True)

    def set_following(self, following: bool) -> None:
        if following != self.following:
            self.following = following
            self.following_changed.emit(following)
        if following and self._spoken is not None:
            self._keep_in_view(self._spoken[0])

    def _keep_in_view(self, position: int) -> None:
        if position >= self.document().characterCount() - 1:
            self.complete()
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        rect = self.cursorRect(cursor)
        area = self.viewport().rect()
        if area.top() <= rect.top() and rect.bottom() <= area.bottom() - rect.height() * 2:
            return
        with self._placing_it():
            self.scroll_to_original(self.original_offset(position))
            bar = self.verticalScrollBar()
            bar.setValue(max(0, bar.value() - 2))  # two lines of what came before stay above it
        self._anchor = None

    def _paint_extra(self) -> None:
        selections = list(self._hit_selection)
        if self._spoken is not None:
            spoken = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(min(self._spoken[0], self.document().characterCount() - 1))
            cursor.setPosition(min(self._spoken[1], self.document().characterCount() - 1),
                               QTextCursor.MoveMode.KeepAnchor)
            spoken.cursor = cursor
            spoken.format.setFontUnderline(True)
            spoken.format.setUnderlineColor(QColor(self._theme.accent))
            spoken.format.setUnderlineStyle(spoken.format.UnderlineStyle.SingleUnderline)
            spoken.format.setForeground(QColor(self._theme.accent))
            selections.append(spoken)
        self.setExtraSelections(selections)

    def _on_update_request(self, _rect: QRect, dy: int) -> None:
        if self._gutter.isVisible():
            self._gutter.update()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        # The margins around the text column belong to the frame: give them the page colour.
        palette = self.palette()
        palette.setColor(palette.ColorRole.Window, QColor(theme.base))
        palette.setColor(palette.ColorRole.Base, QColor(theme.base))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        tints = highlight_tints(theme)
        self._highlighter.set_look(theme.hit, theme.marker, tints)
        for colour, action in self._highlight_actions.items():
            action.setIcon(swatch_icon(tints[colour][0], theme.muted))
        self._scroll_bar.set_marks(self._scroll_bar.marks(), theme.marker)
        self._select_current(scroll=False)

    def set_line_width(self, characters: int) -> None:
        """The reading column: at most ``characters`` wide, centred, at the same place."""
        if characters != self._line_width:
            self._line_width = characters
            self._keeping_place(self._update_margins)

    def set_reading_font(self, font: QFont) -> None:
        def relayout() -> None:
            self.setFont(font)
            self.document().setDefaultFont(font)
            self._update_margins()

        self._keeping_place(relayout)

    # -- offsets ---------------------------------------------------------------------------
    def qt_position(self, original_offset: int, *, end: bool = False) -> int:
        return self._utf16.to_qt(self._view.to_view(original_offset, end=end))

    def original_offset(self, qt_position: int, *, end: bool = False) -> int:
        return self._view.to_original(self._utf16.from_qt(qt_position), end=end)

    def top_original_offset(self) -> int:
        """The original offset of the first character shown at the top of the view."""
        return self.original_offset(self.cursorForPosition(QPoint(4, 4)).position())

    def scroll_to_original(self, offset: int) -> None:
        """Puts the paragraph line holding ``offset`` at the top of the view.

        QPlainTextEdit lays paragraphs out lazily and counts one not laid out yet as a single
        line, so the first jump into new text lands up to a paragraph early; each jump lays
        out what it passes, so repeating until the scroll value holds still settles it.

        The offset stays the reading place while the text is laid out again (the window is
        resized or shown at its real size, the font changes) until the user scrolls.
        """
        position = self.qt_position(offset)
        if position >= self.document().characterCount() - 1:
            self.complete()  # the place is in a part not shown yet
        scroll_bar = self.verticalScrollBar()
        with self._placing_it():
            for _ in range(4):
                block = self.document().findBlock(position)
                # A block not laid out (yet, or again after a re-wrap) has no lines: laying it
                # out here finds the line, not just the paragraph, that holds the offset.
                self.document().documentLayout().blockBoundingRect(block)
                layout = block.layout()
                line = layout.lineForTextPosition(position - block.position()) if layout is not None else None
                line_number = block.firstLineNumber() + (line.lineNumber() if line and line.isValid() else 0)
                if scroll_bar.value() == line_number:
                    break
                scroll_bar.setValue(line_number)
        self._anchor = offset

    @contextmanager
    def _placing_it(self) -> Iterator[None]:
        """The view moves its text itself meanwhile: that is no scroll of the user's."""
        before, self._placing = self._placing, True
        try:
            yield
        finally:
            self._placing = before

    def _on_scrolled(self, _value: int) -> None:
        if not self._placing:
            self._anchor = None  # the user moved: their place is wherever they are now
            if self._spoken is not None and self.following:
                self.following = False  # they read elsewhere: the playing does not pull them back
                self.following_changed.emit(False)

    def _keeping_place(self, relayout: Callable[[], None]) -> None:
        """Runs ``relayout`` (which re-wraps the text) with the reading place kept at the top."""
        shown = self.document().characterCount() > 1
        keep = self._anchor if self._anchor is not None else (self.top_original_offset() if shown else None)
        with self._placing_it():
            relayout()
        if keep is not None:
            self.scroll_to_original(keep)

    def selected_original_range(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (self.original_offset(cursor.selectionStart()),
                self.original_offset(cursor.selectionEnd(), end=True))

    def selected_text(self) -> str:
        """The selection's words, whole (a word cut by the selection's end is taken whole), as
        one line of the original transcript's text."""
        found = self.highlight_range()
        if found is None:
            return ""
        return " ".join(_NBSP.sub(" ", self._view.original[found[0]:found[1]]).split())

    # -- hits ------------------------------------------------------------------------------
    def set_hits(self, original_ranges: list[tuple[int, int]], current: int = 0) -> None:
        """Highlights every range and makes ``current`` (an index) the distinct one."""
        if original_ranges:
            self.complete()  # hits are marked on the scroll bar over the whole text
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
        wrapped = not 0 <= self._current + step < len(self._hits)
        self._current = (self._current + step) % len(self._hits)
        self._select_current(scroll=True)
        if wrapped and len(self._hits) > 1:
            self.notice.emit("Past the last hit: back at the first" if step > 0
                             else "Before the first hit: on to the last")

    def painted_ranges(self) -> list[tuple[int, int]]:
        """The search hits the highlighter actually painted, as ORIGINAL offsets (for checks)."""
        self.complete()
        painted: list[tuple[int, int]] = []
        block = self.document().firstBlock()
        while block.isValid():
            for item in block.layout().formats():
                if not item.format.boolProperty(HIT_PROPERTY):
                    continue
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
            self._hit_selection = []
            self._paint_extra()
            self.current_hit_changed.emit(-1, 0)
            return
        start, end = self._hits[self._current]
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format.setBackground(QColor(self._theme.current_hit))
        selection.format.setForeground(QColor(self._theme.current_hit_text))
        self._hit_selection = [selection]
        self._paint_extra()
        if scroll:
            plain = QTextCursor(self.document())
            plain.setPosition(start)
            self.setTextCursor(plain)
            self.centerCursor()
        self.current_hit_changed.emit(self._current, len(self._hits))

    # -- user highlights ---------------------------------------------------------------------
    def set_highlights(self, highlights: list[Highlight]) -> None:
        """Paints every placed highlight of the episode (orphans are never painted)."""
        self._marked = {h.id: h for h in highlights if not h.orphan and h.id is not None}
        self._highlighter.set_marks([self._mark(h) for h in self._marked.values()])

    def add_highlight(self, highlight: Highlight) -> None:
        """Paints one more highlight, repainting only the paragraphs it touches."""
        if highlight.orphan or highlight.id is None:
            return
        if highlight.id in self._marked:
            self.remove_highlight(highlight.id)
        self._marked[highlight.id] = highlight
        self._highlighter.add_mark(self._mark(highlight))

    def remove_highlight(self, highlight_id: int) -> None:
        if self._marked.pop(highlight_id, None) is not None:
            self._highlighter.remove_mark(highlight_id)

    def highlight_marks(self) -> list[Mark]:
        return self._highlighter.marks()

    def highlighter(self) -> TranscriptHighlighter:
        return self._highlighter

    def show_highlight(self, highlight: Highlight) -> None:
        """Scrolls to a highlight and selects its text."""
        start, end = self.qt_position(highlight.start), self.qt_position(highlight.end, end=True)
        cursor = QTextCursor(self.document())
        cursor.setPosition(end)
        self.setTextCursor(cursor)
        self.centerCursor()
        cursor.setPosition(start, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def highlight_ids_at(self, qt_position: int) -> list[int]:
        """Ids of the highlights covering a position, the topmost (newest) first."""
        marks = [m for m in self._highlighter.marks() if m.start <= qt_position < m.end]
        return [m.id for m in sorted(marks, key=lambda m: -m.id)]

    def highlight_range(self) -> tuple[int, int] | None:
        """The selection as ORIGINAL offsets, grown to whole words, or None."""
        found = self.selected_original_range()
        if found is None:
            return None
        start, end = whole_words(self._view.original, *found)
        return (start, end) if end > start else None

    def highlight_action(self, colour: str = DEFAULT_COLOUR) -> QAction:
        return self._highlight_actions[colour]

    def highlight_comment_action(self) -> QAction:
        return self._highlight_comment

    def _mark(self, highlight: Highlight) -> Mark:
        assert highlight.id is not None
        return Mark(self.qt_position(highlight.start), highlight.id,
                    self.qt_position(highlight.end, end=True), highlight.colour)

    def _on_highlight_triggered(self, colour: str) -> None:
        found = self.highlight_range()
        if found is not None:
            self.highlight_requested.emit(found[0], found[1], colour)
        else:
            self.notice.emit(NO_SELECTION)

    def _on_highlight_comment_triggered(self) -> None:
        found = self.highlight_range()
        if found is not None:
            self.highlight_with_comment_requested.emit(*found)
        else:
            self.notice.emit(NO_SELECTION)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            position = self.cursorForPosition(event.position().toPoint()).position()
            ids = self.highlight_ids_at(position)
            if ids:
                self.highlight_clicked.emit(ids[0])
            if self.can_play and self._times is not None:
                self.word_clicked.emit(self._times.seconds_at(self.original_offset(position)))

    # -- reading comfort -------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        if event.oldSize().width() == event.size().width():
            super().resizeEvent(event)
            return

        def relayout() -> None:
            super(TranscriptView, self).resizeEvent(event)
            self._update_margins()

        self._keeping_place(relayout)

    def _update_margins(self) -> None:
        column = self.fontMetrics().horizontalAdvance("n") * self._line_width
        scroll_width = self.verticalScrollBar().sizeHint().width()
        side = max(18, (self.width() - scroll_width - column) // 2)
        left = side
        if self._gutter.isVisible():
            wide = self._gutter.fontMetrics().horizontalAdvance("≈0:00:00") + 16
            left = max(side, wide)
        margins = self.viewportMargins()
        if (margins.left(), margins.right()) != (left, side):
            self.setViewportMargins(left, 14, side, 14)
        frame = self.contentsRect()
        self._gutter.setGeometry(frame.left(), frame.top() + 14, left, max(0, frame.height() - 28))

    def highlight_at(self, position: QPoint) -> Highlight | None:
        """The topmost highlight under a point of the viewport."""
        ids = self.highlight_ids_at(self.cursorForPosition(position).position())
        return self._marked.get(ids[0]) if ids else None

    def written_name_at(self, position: QPoint) -> str | None:
        """What the transcript writes where a point of the viewport shows a glossary name."""
        cursor = self.cursorForPosition(position)
        if not self.cursorRect(cursor).adjusted(-16, -4, 16, 4).contains(position):
            return None  # beyond the end of a line
        piece = self._view.name_at(self._utf16.from_qt(cursor.position()))
        if piece is None:  # the cursor lands on the nearer side of the character under the point
            piece = self._view.name_at(max(0, self._utf16.from_qt(cursor.position()) - 1))
        return self._view.original[piece.orig_start:piece.orig_end] if piece is not None else None

    def tooltip_at(self, position: QPoint) -> str:
        """The tooltip for a point of the viewport: a highlight's, and where a glossary name
        is shown, how the transcript writes it (as text, never as markup)."""
        parts = []
        written = self.written_name_at(position)
        if written is not None:
            parts.append(f"<p style='white-space:pre-wrap'>Written in the transcript as "
                         f"“{html.escape(' '.join(written.split()))}”</p>")
        highlight = self.highlight_at(position)
        if highlight is not None:
            parts.append(highlight_tooltip(highlight))
        return "".join(parts)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tooltip_at(event.pos())
            if not tip:
                QToolTip.hideText()
                event.ignore()
                return True
            QToolTip.showText(event.globalPos(), tip, self.viewport())
            return True
        return super().viewportEvent(event)

    def _highlight_menu(self, highlight: Highlight, menu: QMenu) -> list[QAction]:
        """The actions on one highlight, for the right-click menu."""
        highlight_id = highlight.id or -1
        edit = QAction("&Edit comment…" if highlight.comment else "Add &comment…", menu)
        edit.triggered.connect(lambda: self.comment_edit_requested.emit(highlight_id))
        colours = QMenu("C&olour", menu)
        tints = highlight_tints(self._theme)
        for colour in HIGHLIGHT_COLOURS:
            action = colours.addAction(swatch_icon(tints[colour][0], self._theme.muted), colour.capitalize())
            action.setCheckable(True)
            action.setChecked(colour == highlight.colour)
            action.triggered.connect(
                lambda _checked=False, c=colour: self.colour_change_requested.emit(highlight_id, c))
        promote = QAction("&Promote to takeaway", menu)
        promote.triggered.connect(lambda: self.promote_requested.emit(highlight_id))
        delete = QAction("&Delete highlight", menu)
        delete.triggered.connect(lambda: self.delete_requested.emit(highlight_id))
        return [edit, colours.menuAction(), promote, delete]

    def context_menu(self, position: QPoint) -> QMenu:
        """The right-click menu: on a highlight, what can be done with it; Highlight ▸ colours,
        with comment, as takeaway; then Copy…"""
        menu = self.createStandardContextMenu(position)
        selected = self.textCursor().hasSelection()
        first = menu.actions()[0] if menu.actions() else None
        colours = QMenu("&Highlight", menu)
        colours.setObjectName("highlight_menu")
        colours.addActions(list(self._highlight_actions.values()))
        colours.setEnabled(selected)
        for action in (self._highlight_comment, self._add_takeaway):
            action.setEnabled(selected)
        if first is None:
            menu.addMenu(colours)
            menu.addActions([self._highlight_comment, self._add_takeaway])
        else:
            menu.insertMenu(first, colours)
            menu.insertActions(first, [self._highlight_comment, self._add_takeaway])
        if first is not None:
            menu.insertSeparator(first)
        if self._times is not None:
            offset = self.original_offset(self.cursorForPosition(position).position())
            moments = self.moment_actions(self._times.seconds_at(offset), menu)
            if moments:
                menu.addSeparator()
                menu.addActions(moments)
        highlight = self.highlight_at(position)
        if highlight is not None:  # what can be done with it comes first
            top = menu.actions()[0]
            menu.insertActions(top, self._highlight_menu(highlight, menu))
            menu.insertSeparator(top)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(event.pos())  # viewport coordinates, as a scroll area hands it on
        menu.exec(event.globalPos())
        menu.deleteLater()
        # The window's shortcuts trigger these actions too: they must not stay disabled.
        self._highlight_comment.setEnabled(True)
        self._add_takeaway.setEnabled(True)

    def add_takeaway_action(self) -> QAction:
        return self._add_takeaway

    def _on_add_takeaway_triggered(self) -> None:
        text = self.selected_text()
        if text:
            self.takeaway_requested.emit(text)
        else:
            self.notice.emit(NO_SELECTION)
