#!/usr/bin/env bash
# Build the one-folder bundle into dist/transcript-reader/ (Linux; see packaging/README.md
# for Windows and macOS). Needs the project installed with its packaging extra:
#     .venv/bin/pip install -e '.[package]'
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
"$python" packaging/make_icons.py build/icons
rm -rf build/site
"$python" -m pip install --quiet --no-deps --no-compile --target build/site .
"$python" -m PyInstaller --noconfirm --log-level WARN --distpath dist \
    --workpath build/pyinstaller packaging/transcript-reader.spec
echo "built dist/transcript-reader ($(du -sh dist/transcript-reader | cut -f1))"
