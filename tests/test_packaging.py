"""Packaging files: valid desktop metadata, one version, resources found from anywhere."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINUX = ROOT / "packaging" / "linux"
APP_ID = "io.github.transcript_reader.TranscriptReader"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        # .ci/run installs these (desktop-file-utils, appstream); on a developer machine
        # without them the check cannot run, which is said here rather than faked.
        pytest.skip(f"{name} is not installed")
    return path


def test_desktop_entry_is_valid() -> None:
    tool = _tool("desktop-file-validate")
    result = subprocess.run([tool, str(LINUX / f"{APP_ID}.desktop")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


def test_appstream_metadata_is_valid() -> None:
    tool = _tool("appstreamcli")
    result = subprocess.run([tool, "validate", "--no-net", str(LINUX / f"{APP_ID}.metainfo.xml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_version_comes_from_one_place() -> None:
    releases = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot().find("releases")
    assert releases is not None
    assert releases[0].get("version") == version("transcript-reader")
    result = subprocess.run([sys.executable, "-m", "reader.cli", "--version"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == f"transcript-reader {version('transcript-reader')}"


def test_resources_and_seeds_load_from_the_package_in_any_working_directory(tmp_path: Path) -> None:
    code = (
        "from importlib import resources\n"
        "r = resources.files('reader.resources')\n"
        "assert r.joinpath('icons/transcript-reader.svg').is_file()\n"
        "assert r.joinpath('app.qss').is_file()\n"
        "from reader.files import seeds_dir\n"
        "print(len(list(seeds_dir().glob('*.txt'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "5"
