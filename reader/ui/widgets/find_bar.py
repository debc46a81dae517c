"""The bar above the transcript: a find field, the N / M counter and hit navigation."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)


class FindField(QLineEdit):
    """Enter goes to the next hit, Shift+Enter to the previous, Esc clears."""

    next_requested = Signal()
    previous_requested = Signal()
    escape_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.previous_requested.emit()
            else:
                self.next_requested.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """Shows what is being found in the open episode and moves between hits."""

    text_edited = Signal(str)
    next_requested = Signal()
    previous_requested = Signal()
    clear_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.field = FindField(self)
        self.field.setPlaceholderText("Find in this episode (Ctrl+F)")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Find in episode")
        self.counter = QLabel("", self)
        self.counter.setObjectName("hit_counter")
        self.counter.setAccessibleName("Find matches")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._previous = QToolButton(self)
        self._previous.setText("▲")
        self._previous.setToolTip("Previous hit (Shift+F3)")
        self._next = QToolButton(self)
        self._next.setText("▼")
        self._next.setToolTip("Next hit (F3, Enter)")
        self._close = QToolButton(self)
        self._close.setText("✕")
        self._close.setToolTip("Clear (Esc)")
        for button, name in ((self._previous, "Previous hit"), (self._next, "Next hit"),
                             (self._close, "Clear find")):
            button.setAccessibleName(name)
        for widget in (self.field, self.counter, self._previous, self._next, self._close):
            layout.addWidget(widget)
        layout.setStretch(0, 1)
        self.counter.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.counter.setFixedWidth(90)
        self.field.textEdited.connect(self.text_edited)
        self.field.next_requested.connect(self.next_requested)
        self.field.previous_requested.connect(self.previous_requested)
        self.field.escape_pressed.connect(self.clear_requested)
        self._next.clicked.connect(self.next_requested)
        self._previous.clicked.connect(self.previous_requested)
        self._close.clicked.connect(self.clear_requested)

    def set_text(self, text: str) -> None:
        self.field.setText(text)

    def text(self) -> str:
        return self.field.text()

    def set_counter(self, index: int, count: int) -> None:
        """``index`` is 0-based; shows "N / M", "no hits" or nothing."""
        if not self.field.text().strip():
            self.counter.setText("")
        elif count == 0:
            self.counter.setText("no hits")
        else:
            self.counter.setText(f"{index + 1} / {count}")

    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
