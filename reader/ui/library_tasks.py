"""Import, export and write-back in the background, with progress, Cancel and a report.

GUI-thread object; the library work runs on the write runner. Reports arrive as signals so the
window (and tests) can wait for them; problems are listed in a dialog the user can copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from reader.library import (
    ExportReport,
    ImportProgress,
    ImportReport,
    Library,
    WriteBackRefused,
)
from reader.ui.widgets.dialogs import ErrorListDialog
from reader.ui.workers import ProgressRelay, TaskRunner, describe_error

if TYPE_CHECKING:
    from reader.ui.source_sync import Reading


class ProgressStrip(QWidget):
    """A label, a progress bar and Cancel, shown in the status bar while work runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(220)
        self.bar.setTextVisible(True)
        self.cancel = QPushButton("Cancel", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.hide()

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.cancel.setEnabled(True)
        self.show()

    def progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)


class LibraryTasks(QObject):
    import_finished = Signal(object)  # ImportReport
    import_read_again = Signal(object, object)  # ImportReport, the Reading it was given
    export_finished = Signal(object)  # ExportReport
    write_back_finished = Signal(str)  # the path written, or "" when refused/failed
    message = Signal(str)
    library_changed = Signal()

    def __init__(self, library: Library, writer: TaskRunner, strip: ProgressStrip,
                 window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._writer = writer
        self._strip = strip
        self._window = window
        self._relay: ProgressRelay | None = None
        # Where the reader is, so an import that changes the open episode brings it back
        # read again at the same words (set by the window; see source_sync.Reading).
        self.reading: Callable[[], Reading] | None = None
        strip.cancel.clicked.connect(self._on_cancel_clicked)

    @property
    def busy(self) -> bool:
        return self._relay is not None

    # -- import ------------------------------------------------------------------------------
    def import_paths(self, paths: Iterable[Path]) -> None:
        paths = [Path(p) for p in paths]
        if not paths:
            return
        relay = self._begin(f"Importing {paths[0].name if len(paths) == 1 else f'{len(paths)} items'}…")
        relay.progressed.connect(self._on_import_progressed)
        reading = self.reading() if self.reading is not None else None

        def run() -> ImportReport:  # on the write runner
            report = self._library.import_paths(paths, progress=relay.report, cancel=relay.cancelled,
                                                reading=reading.places if reading else None)
            return reading.prepare(self._library, report) if reading is not None else report

        self._writer.submit(run, on_done=lambda report: self._on_import_done(report, reading),
                            on_error=self._on_failed)

    def _on_import_progressed(self, progress: ImportProgress) -> None:
        self._strip.progress(progress.done, progress.total)
        if progress.path:
            self._strip.label.setText(f"Importing {Path(progress.path).name}")

    def _on_import_done(self, report: ImportReport, reading: Reading | None = None) -> None:
        cancelled = self._relay is not None and self._relay.cancelled()
        self._end()
        parts = [f"{len(report.imported)} imported", f"{len(report.updated)} updated",
                 f"{len(report.unchanged)} unchanged"]
        if report.conflicts:
            parts.append(f"{len(report.conflicts)} with conflicting annotations")
        if report.failed:
            parts.append(f"{len(report.failed)} failed")
        summary = ("Import cancelled: " if cancelled else "Import finished: ") + ", ".join(parts)
        if report.passed_over:
            summary += f"; passed over: {report.passed_over_said()}"
        self.message.emit(summary)
        if report.failed:
            self._show_errors("Import problems", summary, report.failed)
        self.library_changed.emit()
        self.import_read_again.emit(report, reading)  # the open episode shown again, if changed
        self.import_finished.emit(report)

    # -- export ------------------------------------------------------------------------------
    def export_episode(self, episode_id: str, target: Path, *, front_matter: bool) -> None:
        """Writes the one episode's note to ``target`` (a file the user chose)."""
        def work() -> ExportReport:
            self._library.export_to(episode_id, target, front_matter=front_matter)
            return ExportReport(written=[target])

        self._begin(f"Exporting to {target.name}…")
        self._writer.submit(work, on_done=self._on_export_done, on_error=self._on_failed)

    def export_folder(self, episode_ids: list[str] | None, folder: Path, *, front_matter: bool) -> None:
        relay = self._begin(f"Exporting to {folder}…")
        relay.progressed.connect(self._on_export_progressed)
        self._writer.submit(lambda: self._library.export(episode_ids, folder, front_matter=front_matter,
                                                         progress=relay.report),
                            on_done=self._on_export_done, on_error=self._on_failed)

    def _on_export_progressed(self, values: tuple[int, int]) -> None:
        self._strip.progress(*values)

    def _on_export_done(self, report: ExportReport) -> None:
        self._end()
        where = str(report.written[0].parent) if report.written else ""
        summary = f"Exported {len(report.written)} episode{'s' if len(report.written) != 1 else ''}"
        summary += f" to {where}" if where else ""
        if report.refused:
            summary += f"; {len(report.refused)} refused"
        self.message.emit(summary)  # done is said in the status bar; only problems need a dialog
        if report.refused:
            self._show_errors("Export problems", summary, report.refused)
        self.export_finished.emit(report)

    # -- write back --------------------------------------------------------------------------
    def write_back(self, episode_id: str, *, force: bool = False) -> None:
        self._begin("Writing back to the source file…")
        self._writer.submit(lambda: self._library.write_back(episode_id, force=force),
                            on_done=self._on_write_back_done,
                            on_error=lambda error: self._on_write_back_failed(episode_id, error))

    def _on_write_back_done(self, path: Path) -> None:
        self._end()
        self.message.emit(f"Written back to {path}")
        self.write_back_finished.emit(str(path))

    def _on_write_back_failed(self, episode_id: str, error: BaseException) -> None:
        self._end()
        text = describe_error(error)
        self.message.emit(f"Not written back: {text}")
        box = QMessageBox(QMessageBox.Icon.Warning, "Not written back", text,
                          QMessageBox.StandardButton.Close, self._window)
        if isinstance(error, WriteBackRefused):
            box.setInformativeText("The source file was left as it was. You can export the note "
                                   "elsewhere instead, or overwrite the source file anyway.")
            overwrite = box.addButton("Overwrite anyway", QMessageBox.ButtonRole.DestructiveRole)
            # Enter and Esc keep the file: overwriting takes a deliberate click.
            box.setDefaultButton(QMessageBox.StandardButton.Close)
            box.setEscapeButton(QMessageBox.StandardButton.Close)
            box.buttonClicked.connect(
                lambda button: self.write_back(episode_id, force=True) if button is overwrite else None)
        self._open(box)
        self.write_back_finished.emit("")

    # -- shared ------------------------------------------------------------------------------
    def _begin(self, text: str) -> ProgressRelay:
        relay = ProgressRelay(self)
        self._relay = relay
        self._strip.start(text)
        return relay

    def _end(self) -> None:
        if self._relay is not None:
            self._relay.deleteLater()
        self._relay = None
        self._strip.hide()

    def _on_cancel_clicked(self) -> None:
        if self._relay is not None:
            self._relay.cancel()
            self._strip.cancel.setEnabled(False)
            self._strip.label.setText("Cancelling…")

    def _on_failed(self, error: BaseException) -> None:
        self._end()
        text = describe_error(error)
        self.message.emit(text)
        self._open(QMessageBox(QMessageBox.Icon.Warning, "Something went wrong", text,
                               QMessageBox.StandardButton.Close, self._window))

    def _show_errors(self, title: str, summary: str, errors: list[tuple[str, str]]) -> None:
        self._open(ErrorListDialog(title, summary, errors, self._window))

    def _open(self, dialog: QWidget) -> None:
        """Shows a dialog without blocking (window-modal, never an event loop of its own)."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()  # type: ignore[attr-defined]
