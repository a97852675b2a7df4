"""A seed database for the dashboard tests, built by the real ETL (`python -m etl seeds`)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
MIN_CLAIMS = 200  # the seeds hold ~260 certain claims: fewer means the extractor broke


def build_seed_db(db: Path) -> Path:
    """Build `db` from seeds/ with the real ETL and check it holds the seed claims."""
    subprocess.run([sys.executable, "-m", "etl", str(ROOT / "seeds"), "--db", str(db)], cwd=ROOT, check=True,
                   capture_output=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        n = con.execute("SELECT count(*) FROM claims").fetchone()[0]
    finally:
        con.close()
    assert n >= MIN_CLAIMS, f"the ETL found only {n} claims in seeds/"
    return db
