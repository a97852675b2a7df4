#!/usr/bin/env bash
# Fresh machine -> running dashboard: set up, build data/rongshu.duckdb from seeds/, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python -m etl seeds --db data/rongshu.duckdb
exec .venv/bin/streamlit run app.py --server.headless=true "$@"
