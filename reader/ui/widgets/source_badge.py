"""The episode list's rows, plus a mark and an explanation for episodes whose note is gone.

The row's meta line already ends in "source missing"; a long show name can elide that away,
so a warning mark sits in the row's left margin (where the annotated dot is, one line lower)
and the tooltip says what it means and what can be done.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyleOptionViewItem, QToolTip

from reader.library import EpisodeSummary
from reader.ui.widgets.episode_list import SUMMARY_ROLE, EpisodeDelegate

AnyIndex = QModelIndex | QPersistentModelIndex
LIGHT_WARNING, DARK_WARNING = "#c77700", "#f0b040"


def missing_tooltip(summary: EpisodeSummary) -> str:
    return (f"{summary.title}\n\nThe note this episode came from is gone:\n{summary.source_path}\n\n"
            "Its transcript and annotations are kept here. Put the note back to follow it again, "
            "or right-click → Remove from library…")


class SourceAwareDelegate(EpisodeDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().paint(painter, option, index)
        summary: EpisodeSummary | None = index.data(SUMMARY_ROLE)
        if summary is None or not summary.source_missing:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        dark = option.palette.window().color().lightness() < 128
        colour = option.palette.highlightedText().color() if selected else \
            QColor(DARK_WARNING if dark else LIGHT_WARNING)
        line = QFontMetrics(option.font).height()
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        title_line = QFontMetrics(title_font).height()
        # The meta line's middle: below two title lines (see EpisodeDelegate.paint).
        middle = option.rect.top() + self.PADDING + title_line * 2 + 1 + line / 2
        mark = QRectF(option.rect.left() + 3, middle - 6, 12, 12)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(mark)
        painter.setPen(option.palette.base().color() if not selected else option.palette.highlight().color())
        bold = QFont(option.font)
        bold.setBold(True)
        bold.setPixelSize(10)
        painter.setFont(bold)
        painter.drawText(mark, Qt.AlignmentFlag.AlignCenter, "!")
        painter.restore()

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView,
                  option: QStyleOptionViewItem, index: AnyIndex) -> bool:
        summary: EpisodeSummary | None = index.data(SUMMARY_ROLE) if index.isValid() else None
        if event.type() == QEvent.Type.ToolTip and summary is not None and summary.source_missing:
            QToolTip.showText(event.globalPos(), missing_tooltip(summary), view)
            return True
        return super().helpEvent(event, view, option, index)
