#!/usr/bin/env bash
# Fresh machine -> whole test suite: lint, the benchmark's quick mode (prints its figures),
# then every test (unit, extraction quality, AppTest, real browser, exports, scale).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/python -m bench --quick
export RONGSHU_EXPECT_COMPILED=1  # setup --test built it: tests/test_compiled.py must not skip
.venv/bin/python -m pytest -q -m "" "$@"
