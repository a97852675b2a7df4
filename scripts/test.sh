#!/usr/bin/env bash
# Fresh machine -> whole test suite: lint, the benchmark's quick mode (prints its figures),
# then every test (unit, extraction quality, AppTest, real browser, exports, scale).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/python -m etl.bench --quick
.venv/bin/python -m pytest -q -m "" "$@"
