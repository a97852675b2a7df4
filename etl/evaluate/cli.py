"""Evaluate the extractor on a hand-annotated corpus (default: the seeds).

    python -m etl.evaluate [--corpus DIR] [--gold FILE] [--db FILE] [--errors N] [--json]

Without --db, builds a fresh database from the corpus folder (default `seeds/`, with its
`manifest.csv`) in a temporary folder; with --db, scores that database as it is. The held-out
development set: `--corpus tests/heldout --gold tests/heldout/gold.jsonl`.
Prints the same figures as the shared `score.py` (see etl/evaluate/scoring.py).
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

from etl.evaluate import scoring

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "gold" / "seeds.jsonl"
SEEDS = ROOT / "seeds"
HELDOUT = ROOT / "tests" / "heldout"
HELDOUT_GOLD = HELDOUT / "gold.jsonl"


def build_seed_db(folder: Path, seeds: Path = SEEDS) -> Path:
    """Run the ETL on the seeds into `folder`/seeds.duckdb and return its path."""
    from etl.load import run

    db = folder / "seeds.duckdb"
    out, err = io.StringIO(), io.StringIO()
    rc = run([str(seeds)], str(db), progress=False, out=out, err=err)
    if rc != 0:
        raise RuntimeError(f"ETL failed on {seeds}: {err.getvalue()}")
    return db


def evaluate(db: str | Path | None = None, gold: str | Path = GOLD, corpus: str | Path = SEEDS) -> dict:
    """Figures of the evaluation of `gold` (building a database from `corpus` when `db` is None)."""
    if db is not None:
        return scoring.score(str(db), str(gold))
    with tempfile.TemporaryDirectory() as tmp:
        return scoring.score(str(build_seed_db(Path(tmp), Path(corpus))), str(gold))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="score this database instead of building one from the corpus")
    ap.add_argument("--corpus", default=str(SEEDS), help="folder of articles to extract (default: seeds/)")
    ap.add_argument("--gold", default=None, help="gold JSONL (default: seeds gold, or <corpus>/gold.jsonl)")
    ap.add_argument("--errors", type=int, default=0, help="print up to N misses, false alarms and field errors")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON line at the end")
    a = ap.parse_args(argv)
    gold = a.gold
    if gold is None:
        own = Path(a.corpus) / "gold.jsonl"
        gold = str(own) if Path(a.corpus).resolve() != SEEDS.resolve() and own.is_file() else str(GOLD)
    scoring.report(evaluate(a.db, gold, a.corpus), a.errors, a.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
