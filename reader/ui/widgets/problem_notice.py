"""A status bar line about problems found in the background, with Details and Dismiss.

Background work (refreshing from the watched folders) must not pop up dialogs the user did not
ask for; this line stays until dismissed or until the problems are gone.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from reader.ui.widgets.dialogs import ErrorListDialog


class ProblemNotice(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problem_notice")
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # paths are shown, never interpreted
        self.details = QToolButton(self)
        self.details.setText("Details")
        self.details.setToolTip("List the files and what is wrong with them")
        self.dismiss = QToolButton(self)
        self.dismiss.setText("✕")
        self.dismiss.setToolTip("Dismiss")
        self.dismiss.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        layout.addWidget(self.details)
        layout.addWidget(self.dismiss)
        self._title = ""
        self._problems: list[tuple[str, str]] = []
        self.details.clicked.connect(self._on_details_clicked)
        self.dismiss.clicked.connect(self.clear)
        self.hide()

    def show_problems(self, title: str, summary: str, problems: list[tuple[str, str]]) -> None:
        self._title = title
        self._problems = list(problems)
        self.label.setText(summary)
        self.label.setToolTip("\n".join(f"{path}: {reason}" for path, reason in problems[:10]))
        self.details.setVisible(bool(problems))
        self.show()

    def problems(self) -> list[tuple[str, str]]:
        return list(self._problems)

    def clear(self) -> None:
        self._problems = []
        self.hide()

    def _on_details_clicked(self) -> None:
        dialog = ErrorListDialog(self._title, self.label.text(), self._problems, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
