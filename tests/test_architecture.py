"""Layering: only reader.ui imports Qt; lower layers never import upper ones."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "import-linter is part of the test extras"
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_command_line_does_not_load_qt_or_whoosh() -> None:
    code = (
        "import sys, reader.cli, reader.library\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'whoosh')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def _lint_copy(tmp_path: Path, module: str, code: str) -> subprocess.CompletedProcess[str]:
    """lint-imports on a copy of the package with ``code`` added to ``module``."""
    shutil.copytree(ROOT / "reader", tmp_path / "reader",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / Path(*module.split(".")).with_suffix(".py")
    existing = path.read_text(encoding="utf-8") if path.exists() else '"""A new module."""\n'
    path.write_text(existing + "\n" + code + "\n", encoding="utf-8")
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None
    env = {"PYTHONPATH": str(tmp_path), "PATH": str(Path(sys.executable).parent)}
    return subprocess.run([lint], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)


def test_qt_in_a_module_outside_the_ui_breaks_the_contract(tmp_path: Path) -> None:
    result = _lint_copy(tmp_path, "reader.library.note_export", "import PySide6  # noqa")
    assert result.returncode != 0
    assert "Only reader.ui imports Qt BROKEN" in result.stdout


def test_a_new_module_anywhere_is_covered_by_the_qt_ban(tmp_path: Path) -> None:
    result = _lint_copy(tmp_path, "reader.store.new_thing", "from PySide6 import QtCore  # noqa")
    assert result.returncode != 0
    assert "Only reader.ui imports Qt BROKEN" in result.stdout


def test_an_unplaced_top_level_module_breaks_the_layers(tmp_path: Path) -> None:
    result = _lint_copy(tmp_path, "reader.loose", "X = 1")
    assert result.returncode != 0 and "Layers BROKEN" in result.stdout
