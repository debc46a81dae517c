"""A field for tags (``#ai-act regulation``) that completes each tag from the library's, and
the dialog that asks for tags with it (an episode's, a highlight's, a Notebook selection's)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from reader.core import tags as tagging


class TagEdit(QLineEdit):
    """Tags separated by spaces or commas; the one being typed is completed from ``known``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Tags")
        self.setPlaceholderText("#tag another-tag")
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self._completer.setWidget(self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._completer.activated.connect(self._on_completer_activated)
        self.textEdited.connect(self._on_text_edited)

    def set_known(self, tags: Sequence[str]) -> None:
        self._model.setStringList([f"#{t}" for t in tags])

    def tags(self) -> list[str]:
        return tagging.parse(self.text())

    def set_tags(self, tags: Sequence[str]) -> None:
        self.setText(f"{tagging.hashtags(tags)} " if tags else "")

    def completer_popup_visible(self) -> bool:
        popup = self._completer.popup()
        return popup is not None and popup.isVisible()

    def _word(self) -> tuple[int, str]:
        text = self.text()[: self.cursorPosition()]
        start = max(text.rfind(" "), text.rfind(","), text.rfind("\t")) + 1
        return start, text[start:]

    def _on_text_edited(self, _text: str) -> None:
        _start, word = self._word()
        if not word:
            self._hide_popup()
            return
        prefix = word if word.startswith("#") else f"#{word}"
        self._completer.setCompletionPrefix(prefix)
        if self._completer.completionCount() > 0:
            self._completer.complete()
        else:
            self._hide_popup()

    def _hide_popup(self) -> None:
        popup = self._completer.popup()
        if popup is not None:
            popup.hide()

    def _on_completer_activated(self, chosen: str) -> None:
        start, word = self._word()
        text = self.text()
        end = start + len(word)
        rest = text[end:]
        self.setText(f"{text[:start]}{chosen} {rest.lstrip()}")
        self.setCursorPosition(start + len(chosen) + 1)


class TagsDialog(QDialog):
    """Asks for tags; opened with ``open()``. ``chosen()`` gives them once accepted."""

    def __init__(self, title: str, explanation: str, tags: Sequence[str], known: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        label = QLabel(explanation, self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        self.field = TagEdit(self)
        self.field.set_known(known)
        self.field.set_tags(tags)
        self.problem = QLabel(self)
        self.problem.setObjectName("tag_problem")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._on_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.field)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.field.setFocus()

    def chosen(self) -> list[str]:
        return self.field.tags()

    def _on_accepted(self) -> None:
        import re

        bad = [w for w in re.split(r"[,\s]+", self.field.text()) if w.strip("#") and tagging.normalise(w) is None]
        if bad:
            self.problem.setText(f"Not a tag: {', '.join(bad)} (letters, digits, _, - and /; not only digits)")
            self.problem.show()
            return
        self.accept()
