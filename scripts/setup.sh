#!/usr/bin/env bash
# Set up Rongshu on a fresh Debian/Ubuntu machine: system packages, a virtualenv, Python packages.
#   scripts/setup.sh          runtime (dashboard, ETL, chart export)
#   scripts/setup.sh --test   runtime + test tools (LibreOffice for deck checks, pytest, ruff ...)
# Idempotent: packages already present are not installed again.
set -euo pipefail
cd "$(dirname "$0")/.."

py=${PYTHON:-python3}
# gcc builds the compiled extractor (scripts/build_compiled.py); it also needs the interpreter's
# C headers, which Debian's python3 keeps in python3-dev.
# libgl1 and libglib2.0-0 are what opencv (used by the OCR reader) links against.
want=(chromium fonts-noto-cjk gcc libc6-dev libgl1 libglib2.0-0)
"$py" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(sysconfig.get_paths()["include"] + "/Python.h"))' \
  || want+=(python3-dev)
if [ "${1:-}" = "--test" ]; then
  want+=(libreoffice-impress-nogui poppler-utils)
fi
missing=()
for p in "${want[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || "$py" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -r requirements.txt -r requirements-build.txt
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -r requirements-dev.txt -r requirements-bench.txt
  # The tests compare the compiled extractor with pure Python: it must build here.
  .venv/bin/python scripts/build_compiled.py
else
  .venv/bin/python scripts/build_compiled.py || echo "setup: the ETL will run as pure Python (slower, same results)"
fi
# jieba's dictionary split by first character (etl/extract/wordseg.py): the first load need not write it.
.venv/bin/python -c "from etl.extract.wordseg import table_file; table_file()"
