"""Where things live by default (platform directories)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "transcript-reader"


def default_data_dir() -> Path:
    override = os.environ.get("TRANSCRIPT_READER_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_dir() -> Path:
    override = os.environ.get("TRANSCRIPT_READER_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def seeds_dir() -> Path:
    from importlib.resources import files

    return Path(str(files("reader.seeds")))
