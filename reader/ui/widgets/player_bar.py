"""The player bar under the transcript: play/pause, ten seconds back or on, where the playing
is, its speed, and whether the view follows the words. It only shows and asks; the listening
controller plays."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QToolButton, QWidget

from reader.core.timing import stamp

SPEEDS = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
SKIP_SECONDS = 10


class PlayerBar(QWidget):
    play_toggled = Signal()
    skipped = Signal(int)  # seconds, back (negative) or on
    seek_requested = Signal(float)  # seconds
    speed_chosen = Signal(float)
    follow_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("player_bar")
        self.setAccessibleName("Player")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.setSpacing(6)
        self.back = self._button("−10 s", "Back 10 seconds", "Back 10 seconds (Ctrl+Alt+Left)")
        self.play = self._button("▶", "Play", "Play (Space in the transcript)")
        self.forward = self._button("+10 s", "Forward 10 seconds", "On 10 seconds (Ctrl+Alt+Right)")
        self.back.clicked.connect(lambda: self.skipped.emit(-SKIP_SECONDS))
        self.play.clicked.connect(self.play_toggled.emit)
        self.forward.clicked.connect(lambda: self.skipped.emit(SKIP_SECONDS))
        self.position = QSlider(Qt.Orientation.Horizontal, self)
        self.position.setAccessibleName("Playing position")
        self.position.setRange(0, 0)
        self.position.sliderReleased.connect(lambda: self.seek_requested.emit(self.position.value() / 1000))
        self.clock = QLabel("0:00 / 0:00", self)
        self.clock.setAccessibleName("Playing time")
        self.speed = QComboBox(self)
        self.speed.setAccessibleName("Speed")
        self.speed.setToolTip("Playing speed")
        for speed in SPEEDS:
            self.speed.addItem(f"{speed:g}×", speed)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.currentIndexChanged.connect(lambda i: self.speed_chosen.emit(float(self.speed.itemData(i))))
        self.follow = self._button("Follow", "Follow the words",
                                   "Keep the spoken word in view (off once you scroll away)")
        self.follow.setCheckable(True)
        self.follow.setChecked(True)
        self.follow.clicked.connect(self._on_follow_clicked)
        self.media_name = QLabel(self)
        self.media_name.setAccessibleName("Playing file")
        self.media_name.setTextFormat(Qt.TextFormat.PlainText)
        self.media_name.setMaximumWidth(260)
        for widget in (self.back, self.play, self.forward):
            layout.addWidget(widget)
        layout.addWidget(self.position, 1)
        layout.addWidget(self.clock)
        layout.addWidget(self.speed)
        layout.addWidget(self.follow)
        layout.addWidget(self.media_name)
        self._duration = 0.0

    def _button(self, text: str, name: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    def _on_follow_clicked(self) -> None:
        if self.follow.isChecked():
            self.follow_requested.emit()

    def show_media(self, name: str) -> None:
        metrics = self.media_name.fontMetrics()
        self.media_name.setText(metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, 260))
        self.media_name.setToolTip(name)

    def set_playing(self, playing: bool) -> None:
        self.play.setText("⏸" if playing else "▶")
        self.play.setAccessibleName("Pause" if playing else "Play")
        self.play.setToolTip(("Pause" if playing else "Play") + " (Space in the transcript)")

    def set_following(self, following: bool) -> None:
        self.follow.setChecked(following)

    def set_duration(self, seconds: float) -> None:
        self._duration = seconds
        self.position.setRange(0, int(seconds * 1000))
        self.set_position(self.position.value() / 1000)

    def set_position(self, seconds: float) -> None:
        if not self.position.isSliderDown():
            self.position.setValue(int(seconds * 1000))
        self.clock.setText(f"{stamp(seconds)} / {stamp(self._duration)}")
