"""Small dialogs: a copyable error list, the keyboard shortcut list and a highlight's comment."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFontDatabase, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class ErrorListDialog(QDialog):
    """Lists per-file problems as plain text the user can select and copy."""

    def __init__(self, title: str, summary: str, errors: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(720, 360)
        label = QLabel(summary, self)
        label.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText("\n".join(f"{path}: {reason}" for path, reason in errors))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton("Copy", self)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self._on_copy_clicked)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())


class ShortcutsDialog(QDialog):
    """Every action of the window that has a shortcut, read from the actions themselves."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(520, 560)
        rows = []
        for action in actions:
            # Editing commands show the key their widget owns in the text ("Undo\tCtrl+Z").
            name, _, shown = action.text().replace("&", "").partition("\t")
            keys = ", ".join(k.toString(k.SequenceFormat.NativeText) for k in action.shortcuts()) or shown
            if keys:
                rows.append((name.rstrip("."), keys))
        table = QTableWidget(len(rows), 2, self)
        table.setHorizontalHeaderLabels(["Action", "Shortcut"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (name, keys) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(name))
            table.setItem(row, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)


class CommentDialog(QDialog):
    """Asks for a highlight's comment; opened with ``open()`` so it never blocks the window."""

    def __init__(self, title: str, quote: str, comment: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(520, 300)
        flat = " ".join(quote.split())
        shown = flat if len(flat) <= 400 else flat[:400].rsplit(" ", 1)[0] + "…"
        self.quote = QLabel(f"“{shown}”", self)
        self.quote.setTextFormat(Qt.TextFormat.PlainText)  # the transcript is shown, never interpreted
        self.quote.setWordWrap(True)
        self.field = QPlainTextEdit(self)
        self.field.setAccessibleName("Comment")
        self.field.setPlaceholderText("Your comment (optional)")
        self.field.setPlainText(comment)
        self.field.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel("Ctrl+Enter saves", self)
        hint.setObjectName("empty_hint")
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.quote)
        layout.addWidget(self.field, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.field.setFocus()

    def comment(self) -> str:
        return self.field.toPlainText().strip()


class TextDialog(QDialog):
    """A text to read (help), shown as it is in a fixed-width face; opened with ``open()``."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText(text)
        self.text.setAccessibleName(title)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        width = self.text.fontMetrics().horizontalAdvance("n" * 96)
        self.resize(width, 460)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
