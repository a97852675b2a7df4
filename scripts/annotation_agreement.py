"""Agreement between two independent annotations of the same texts (GUIDE.md JSONL).

    .venv/bin/python scripts/annotation_agreement.py A_DIR B_DIR [--diff OUT.jsonl]

A_DIR and B_DIR hold one JSONL per text (or one JSONL with every text). Items are matched by
(doc, mention, occurrence), as the scorer locates them. Prints detection agreement (F1 of B
against A over items neither marks uncertain) and, over matched items, the share of equal
fields and the metric character F1. --diff writes every disagreement for adjudication.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

FIELDS = ("value", "unit", "qualifier", "kind", "region", "period", "status", "topic")


def load(path: Path) -> dict[tuple, dict]:
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    out = {}
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                out[(item["doc"], item["mention"], item.get("occurrence", 1))] = item
    return out


def char_f1(a: str | None, b: str | None) -> float:
    a, b = a or "", b or ""
    if not a and not b:
        return 1.0
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    p, r = common / len(b), common / len(a)
    return 2 * p * r / (p + r)


def agreement(a: dict[tuple, dict], b: dict[tuple, dict]) -> tuple[dict, list[dict]]:
    certain_a = {k for k, v in a.items() if not v.get("uncertain")}
    certain_b = {k for k, v in b.items() if not v.get("uncertain")}
    both = set(a) & set(b)
    tp = len(certain_a & set(b))
    prec = len(certain_b & set(a)) / len(certain_b) if certain_b else 1.0
    rec = tp / len(certain_a) if certain_a else 1.0
    figures: dict = {"items_a": len(a), "items_b": len(b), "matched": len(both),
                     "detection_f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0}
    diffs = []
    for f in FIELDS:
        figures[f] = sum(1 for k in both if a[k].get(f) == b[k].get(f)) / len(both) if both else 1.0
    figures["metric_char_f1"] = sum(char_f1(a[k].get("metric"), b[k].get("metric")) for k in both) / len(both) \
        if both else 1.0
    for k in sorted(set(a) | set(b)):
        ia, ib = a.get(k), b.get(k)
        if ia is None or ib is None:
            diffs.append({"key": list(k), "only": "A" if ib is None else "B", "item": ia or ib})
            continue
        fields = [f for f in FIELDS + ("metric", "uncertain") if ia.get(f) != ib.get(f)]
        if fields:
            diffs.append({"key": list(k), "fields": fields, "A": {f: ia.get(f) for f in fields},
                          "B": {f: ib.get(f) for f in fields}})
    return figures, diffs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--diff", type=Path, help="write the disagreements to this JSONL")
    args = ap.parse_args(argv)
    figures, diffs = agreement(load(args.a), load(args.b))
    for k, v in figures.items():
        print(f"{k:16} {v:.3f}" if isinstance(v, float) else f"{k:16} {v}")
    if args.diff:
        args.diff.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in diffs), encoding="utf-8")
        print(f"{len(diffs)} disagreements -> {args.diff}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
