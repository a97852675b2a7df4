"""`python -m etl.export --format {png,svg,pdf,csv,xlsx,pptx} -o FILE [--db FILE] [filters]`.

Writes the chart (png/svg/pdf), the claims table (csv/xlsx) or a deck (pptx) of the claims that
match the filters, with sources cited. Exit status: 0 written; 2 bad arguments, missing
database or a filter that matches nothing; 1 when the file could not be made (e.g. no Chromium
for images: the message says how to enable it).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from etl.store.database import DEFAULT_DB

FORMATS = ("png", "svg", "pdf", "csv", "xlsx", "pptx")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m report.export",
        description="Export the filtered claims as a chart, a table or a slide deck, with sources cited.")
    p.add_argument("--format", "-f", choices=FORMATS,
                   help="output format (default: from the -o file's extension)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
    p.add_argument("--db", default=os.environ.get("RONGSHU_DB", DEFAULT_DB),
                   help=f"DuckDB file (default: $RONGSHU_DB or {DEFAULT_DB})")
    p.add_argument("--topic", action="append", default=[], metavar="T", help="topic, e.g. trade (repeatable)")
    p.add_argument("--region", action="append", default=[], metavar="R", help="region, e.g. 成都市 (repeatable)")
    p.add_argument("--metric", action="append", default=[], metavar="M", help="metric name (repeatable)")
    p.add_argument("--sector", action="append", default=[], metavar="S",
                   help="sector: a GB/T 4754-2017 code or grouping id (C34, CD-LIB) or a name (通用设备制造业); "
                        "takes in everything below it (repeatable)")
    p.add_argument("--since", type=_date, metavar="DATE", help="claims dated on or after DATE (YYYY-MM-DD)")
    p.add_argument("--until", type=_date, metavar="DATE", help="claims dated on or before DATE (YYYY-MM-DD)")
    p.add_argument("--base-url", default=None,
                   help="base of the permanent source links (default: $RONGSHU_BASE_URL or http://localhost:8501)")
    return p


def main(argv: list[str] | None = None, out=None, err=None) -> int:
    """Run the export; returns the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    p = parser()
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the message
        return int(exc.code or 0)
    fmt = args.format or Path(args.output).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(f"export: cannot tell the format of {args.output!r}; use --format {{{','.join(FORMATS)}}}", file=err)
        return 2
    if args.since and args.until and args.since > args.until:
        print(f"export: --since {args.since} is after --until {args.until}", file=err)
        return 2
    db = Path(args.db)
    if not db.is_file():
        print(f"export: database not found: {db} (build it with `python -m etl seeds --db {db}`)", file=err)
        return 2

    import duckdb

    from etl.store.queries import Filters, filtered_claims
    from report.build import export_bytes
    from report.images import ImageExportError, ImageExportUnavailable

    filters = Filters(topic=tuple(args.topic), region=tuple(args.region), metric=tuple(args.metric),
                      sector=tuple(args.sector), since=args.since, until=args.until)
    t0 = time.perf_counter()
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        print(f"export: cannot open database {db}: {exc}", file=err)
        return 2
    try:
        df = filtered_claims(con, filters)
    except duckdb.Error as exc:
        print(f"export: cannot read claims from {db}: {exc}", file=err)
        return 2
    finally:
        con.close()
    if df.empty:
        print(f"export: no claims match the filter ({_describe(args)}); nothing written", file=err)
        return 2
    try:
        data = export_bytes(fmt, df, filters, base_url=args.base_url)
    except ImageExportUnavailable as exc:
        print(f"export: cannot render {fmt.upper()}: {exc}", file=err)
        return 1
    except ImageExportError as exc:
        print(f"export: {exc}", file=err)
        return 1
    target = Path(args.output)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError as exc:
        print(f"export: cannot write {target}: {exc.strerror or exc}", file=err)
        return 1
    print(f"{target}: {fmt}, {len(df)} claims, {len(data):,} bytes, {time.perf_counter() - t0:.1f} s", file=out)
    return 0


def _describe(args: argparse.Namespace) -> str:
    parts = [f"--{k} {v}" for k in ("topic", "region", "metric", "sector") for v in getattr(args, k)]
    parts += [f"--{k} {getattr(args, k)}" for k in ("since", "until") if getattr(args, k)]
    return " ".join(parts) or "no filter"


if __name__ == "__main__":
    sys.exit(main())
