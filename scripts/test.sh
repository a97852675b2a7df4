#!/usr/bin/env bash
# Fresh machine -> whole test suite (unit, extraction quality, browser, exports, benchmark quick mode).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/python -m pytest -q -m "" "$@"
