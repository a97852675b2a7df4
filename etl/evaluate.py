"""Evaluate the extractor on the hand-annotated seeds.

    python -m etl.evaluate [--db FILE] [--gold FILE] [--errors N] [--json]

Without --db, builds a fresh database from `seeds/` in a temporary folder; with --db, scores
that database as it is. Prints the same figures as the shared `score.py` (see etl/scoring.py).
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

from etl import scoring

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "seeds.jsonl"
SEEDS = ROOT / "seeds"


def build_seed_db(folder: Path, seeds: Path = SEEDS) -> Path:
    """Run the ETL on the seeds into `folder`/seeds.duckdb and return its path."""
    from etl.cli import run

    db = folder / "seeds.duckdb"
    out, err = io.StringIO(), io.StringIO()
    rc = run([str(seeds)], str(db), progress=False, out=out, err=err)
    if rc != 0:
        raise RuntimeError(f"ETL failed on {seeds}: {err.getvalue()}")
    return db


def evaluate(db: str | Path | None = None, gold: str | Path = GOLD) -> dict:
    """Figures of the seeds evaluation (building the seeds database when `db` is None)."""
    if db is not None:
        return scoring.score(str(db), str(gold))
    with tempfile.TemporaryDirectory() as tmp:
        return scoring.score(str(build_seed_db(Path(tmp))), str(gold))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="score this database instead of building one from seeds/")
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--errors", type=int, default=0, help="print up to N misses, false alarms and field errors")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON line at the end")
    a = ap.parse_args(argv)
    scoring.report(evaluate(a.db, a.gold), a.errors, a.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
