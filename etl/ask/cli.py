"""Command line of 问数.

    python -m etl.ask "2021年上半年成都地区生产总值是多少？" --db data/rongshu.duckdb [--json]
    python -m etl.ask --eval eval/ask/questions.jsonl --db DB [--set seeds] [--errors]

With --json the last line of stdout is the JSON object of SPEC.md. Exit 0 whether or not an
answer was found; 2 with a message for a missing database or question file.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import duckdb

from .answer import ask
from .evaluate import read, run, summary


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m etl.ask", description="Ask the claims database a question.")
    p.add_argument("question", nargs="?", help="a question in Chinese or English")
    p.add_argument("--db", required=True, type=Path, help="the DuckDB database built by python -m etl")
    p.add_argument("--json", action="store_true", help="print one JSON object (the last line of stdout)")
    p.add_argument("--today", type=dt.date.fromisoformat,
                   help="the date 今年/去年 count from (default: the newest publication in the database)")
    p.add_argument("--eval", type=Path, metavar="QUESTIONS.jsonl", help="score a question file instead")
    p.add_argument("--set", action="append", default=[], help="with --eval: only questions of this set (repeatable)")
    p.add_argument("--errors", action="store_true", help="with --eval: list the questions answered wrongly")
    args = p.parse_args(argv)
    if not args.eval and not args.question:
        p.error("give a question, or --eval QUESTIONS.jsonl")
    return args


def _text(res: dict) -> str:
    a = res["answer"]
    if a is None:
        return res["why"]
    period = a["period_start"] if a["period_start"] == a["period_end"] else f"{a['period_start']}..{a['period_end']}"
    lines = [f"{a['mention']}  ({a['value']} {a['unit']}, {a['qualifier']})",
             f"  {a['region'] or ''} · {period} · {a['metric'] or ''}",
             f"  {a['outlet'] or ''} {a['published'] or ''}  {a['link']}",
             f"  「{a['sentence']}」", f"  {res['why']}"]
    lines += [f"  另一读数: {x['mention']} ({x['outlet'] or ''} {x['published'] or ''}) {x['link']}"
              for x in res["alternatives"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    if not args.db.exists():
        print(f"rongshu: no database at {args.db}: build one with python -m etl PATH --db {args.db}", file=sys.stderr)
        return 2
    try:
        con = duckdb.connect(str(args.db), read_only=True)
    except duckdb.Error as e:
        print(f"rongshu: cannot open {args.db}: {e}", file=sys.stderr)
        return 2
    with con:
        if args.eval:
            if not args.eval.exists():
                print(f"rongshu: no question file at {args.eval}", file=sys.stderr)
                return 2
            outcomes = run(con, read(args.eval, args.set))
            if args.errors:
                for o in outcomes:
                    if not o.right:
                        got = o.answer and f"{o.answer['mention']} ({o.answer['metric']}, {o.answer['region']})"
                        want = o.expected and o.expected["mention"]
                        print(f"{o.id}\t{o.question}\n\twant {want}\tgot {got}")
            print(json.dumps(summary(outcomes), ensure_ascii=False))
            return 0
        res = ask(con, args.question, args.today)
    print(json.dumps(res, ensure_ascii=False, default=str) if args.json else _text(res))
    return 0
