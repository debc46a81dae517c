"""One window per library: a second start hands over to the window already open.

Both processes could share the data safely (SQLite WAL, one Whoosh writer at a time), but two
windows on one library would each keep their own unsaved typing; raising the open one is what
a user expects.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

_TIMEOUT_MS = 1000


def server_name(data_dir: Path) -> str:
    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"transcript-reader-{digest}"


class InstanceGuard(QObject):
    """Owns the local server of this library's window. Lives on the GUI thread."""

    activated = Signal()

    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self._name = server_name(data_dir)
        self._server: QLocalServer | None = None

    def hand_over(self) -> bool:
        """True when another window has this library and was asked to come forward."""
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if socket.waitForConnected(_TIMEOUT_MS):
            socket.write(b"activate\n")
            socket.waitForBytesWritten(_TIMEOUT_MS)
            socket.disconnectFromServer()
            return True
        # Nobody answered: whatever socket file is left belongs to a window that died.
        QLocalServer.removeServer(self._name)
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._on_new_connection)
        self._server.listen(self._name)
        return False

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.disconnected.connect(socket.deleteLater)
            self.activated.emit()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
