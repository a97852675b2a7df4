#!/usr/bin/env bash
# Set up Rongshu on a fresh Debian/Ubuntu machine: system packages, a virtualenv, Python packages.
#   scripts/setup.sh          runtime (dashboard, ETL, chart export)
#   scripts/setup.sh --test   runtime + test tools (LibreOffice for deck checks, pytest, ruff ...)
# Idempotent: packages already present are not installed again.
set -euo pipefail
cd "$(dirname "$0")/.."

want=(chromium fonts-noto-cjk)
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

py=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$py" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -r requirements.txt
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -r requirements-dev.txt -r requirements-bench.txt
fi
