"""A seed database for the dashboard tests, built by the real ETL (`python -m etl seeds`)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["views/home.py", "views/ask.py", "views/trend.py", "views/district_map.py", "views/browse.py", "views/sector.py",
         "views/fact_check.py",
         "views/article.py"]
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


def open_page(page: str, /, **params: str | list[str]):
    """Open `page` as a visitor of `page?params` would (AppTest needs one run before a switch)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    if page != PAGES[0]:
        at.run()
        at.switch_page(page)
        at.query_params.clear()
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()
