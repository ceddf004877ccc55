#!/usr/bin/env bash
# Build the Linux one-folder program: dist/nianbao/ and dist/nianbao-<version>-linux-<arch>.tar.gz.
# Needs the project and its build extra installed in the Python that runs it:
#   python3 -m venv .venv && .venv/bin/pip install ".[build]" && PYTHON=.venv/bin/python packaging/build-linux.sh
# The bundle runs only on systems whose glibc is at least the build machine's: for Kylin/UOS x86_64
# (glibc 2.28) build on a glibc-2.28 system with PySide6 < 6.10 (packaging/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
DIST=${DIST:-dist}
WORK=${WORK:-build/pyinstaller}

"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN --distpath "$DIST" --workpath "$WORK" packaging/nianbao.spec
cp packaging/linux/nianbao.desktop packaging/linux/install.sh packaging/linux/nianbao-mime.xml "$DIST/nianbao/"
cp resources/icons/nianbao.png "$DIST/nianbao/nianbao.png"
chmod +x "$DIST/nianbao/install.sh"
version=$("$PYTHON" -c "import re; print(re.search(r'__version__ = \"([^\"]+)\"', open('model/version.py', encoding='utf-8').read()).group(1))")
archive="$DIST/nianbao-$version-linux-$(uname -m).tar.gz"
tar -C "$DIST" -czf "$archive" nianbao
echo "built $DIST/nianbao ($(du -sh "$DIST/nianbao" | cut -f1)) and $archive"
