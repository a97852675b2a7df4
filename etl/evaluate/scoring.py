"""Scoring of a Rongshu database's `claims` against hand-made gold annotations.

Vendored from the shared evaluation script `eval/score.py` (credit: the Rongshu evaluation
authors); the matching and per-field rules are unchanged, so `python -m etl.evaluate` prints
the same figures as `score.py`. Only the command line moved to `etl.evaluate`.

Gold items are located in `documents.text` by their exact mention and occurrence. A predicted
claim matches a gold item when their character spans overlap (one-to-one, largest overlap
first). Gold items marked uncertain are ignored: matching one removes the prediction from the
count, missing one costs nothing. Field accuracies are computed over matched certain items; a
gold item may list accepted alternatives per field in `alt`.
"""
from __future__ import annotations

import collections
import datetime as dt
import json
import sys

import duckdb

FIELDS = ("value_unit", "kind", "qualifier", "status", "region", "period", "topic", "metric")


def norm_unit(u):
    return (u or "").replace(" ", "").strip()


def norm_region(r):
    r = (r or "").strip()
    for suffix in ("省", "市"):
        if len(r) > 2 and r.endswith(suffix):
            r = r[: -len(suffix)]
    return r


def month(d):
    if d is None:
        return None
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    return (d.year, d.month)


def gold_period(p):
    """'2023' -> ((2023,1),(2023,12)); '2023-11' -> same month twice; 'a/b' -> span."""
    if not p:
        return None

    def one(s, end):
        s = s.strip()
        if len(s) == 4:
            return (int(s), 12 if end else 1)
        y, m = s[:7].split("-")
        return (int(y), int(m))

    if "/" in p:
        a, b = p.split("/", 1)
        return (one(a, False), one(b, True))
    return (one(p, False), one(p, True))


def char_f1(a, b):
    a, b = a or "", b or ""
    if not a and not b:
        return 1.0
    ca, cb = collections.Counter(a), collections.Counter(b)
    common = sum((ca & cb).values())
    if not common:
        return 0.0
    p, r = common / sum(ca.values()), common / sum(cb.values())
    return 2 * p * r / (p + r)


def value_ok(pv, gv):
    if pv is None or gv is None:
        return False
    return abs(float(pv) - float(gv)) <= 1e-6 * max(1.0, abs(float(gv)))


def locate(text, mention, occurrence):
    pos = -1
    for _ in range(max(1, occurrence)):
        pos = text.find(mention, pos + 1)
        if pos < 0:
            return None
    return (pos, pos + len(mention))


def load(db_path, gold_path):
    con = duckdb.connect(db_path, read_only=True)
    texts = dict(con.execute("select doc_id, text from documents").fetchall())
    cols = [r[0] for r in con.execute("describe claims").fetchall()]
    want = ["doc_id", "start", "end", "mention", "value", "unit", "qualifier", "kind", "metric",
            "region", "period_start", "period_end", "status", "topic"]
    missing = [c for c in want if c not in cols]
    if missing:
        sys.exit(f"claims table lacks columns: {missing}")
    rows = con.execute("select " + ", ".join(f'"{c}"' for c in want) + " from claims").fetchall()
    preds = [dict(zip(want, r, strict=True)) for r in rows]
    gold, unlocated = [], []
    for line in open(gold_path, encoding="utf-8"):
        if not line.strip():
            continue
        g = json.loads(line)
        text = texts.get(g["doc"])
        span = locate(text, g["mention"], g.get("occurrence", 1)) if text is not None else None
        if span is None:
            unlocated.append(g)
        g["span"] = span
        gold.append(g)
    return preds, gold, unlocated, set(texts)


def match(preds, gold):
    by_doc_p, by_doc_g = collections.defaultdict(list), collections.defaultdict(list)
    for i, p in enumerate(preds):
        by_doc_p[p["doc_id"]].append(i)
    for j, g in enumerate(gold):
        if g["span"] is not None:
            by_doc_g[g["doc"]].append(j)
    cands = []
    for doc, gj in by_doc_g.items():
        for j in gj:
            gs, ge = gold[j]["span"]
            for i in by_doc_p.get(doc, ()):
                ps, pe = preds[i]["start"], preds[i]["end"]
                if ps is None or pe is None:
                    continue
                ov = min(ge, pe) - max(gs, ps)
                if ov > 0:
                    cands.append((-ov, abs(ps - gs) + abs(pe - ge), i, j))
    cands.sort()
    used_p, used_g, pairs = set(), set(), []
    for _, _, i, j in cands:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    return pairs


def field_ok(p, g):
    """Per-field correctness. A gold item may list accepted alternatives in `alt`
    (e.g. {"status": ["target"]}) where two annotators read the text differently."""
    alt = g.get("alt") or {}

    def accepted(field, value_of_gold=None):
        return [g.get(field)] + list(alt.get(field, []))

    pp = (month(p["period_start"]), month(p["period_end"])) if p["period_start"] or p["period_end"] else None
    if pp and (pp[0] is None or pp[1] is None):
        pp = (pp[0] or pp[1], pp[1] or pp[0])
    periods = [gold_period(x) for x in accepted("period")]
    return {
        "value_unit": value_ok(p["value"], g["value"])
        and norm_unit(p["unit"]) in {norm_unit(u) for u in accepted("unit")},
        "kind": p["kind"] in accepted("kind"),
        "qualifier": p["qualifier"] in accepted("qualifier"),
        "status": p["status"] in accepted("status"),
        "region": norm_region(p["region"]) in {norm_region(r) for r in accepted("region")},
        "period": (pp in periods) if periods[0] is not None else None,
        "topic": p["topic"] in accepted("topic"),
        "metric": max(char_f1(p["metric"], m) for m in accepted("metric")),
    }



def score(db_path: str, gold_path: str) -> dict:
    """All figures of score.py as a dict (plus the data needed to list errors)."""
    preds, gold, unlocated, docs = load(db_path, gold_path)
    gold_docs = {g["doc"] for g in gold}
    preds = [p for p in preds if p["doc_id"] in gold_docs]
    pairs = match(preds, gold)
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    certain = [j for j, g in enumerate(gold) if not g.get("uncertain")]
    tp_pairs = [(i, j) for i, j in pairs if not gold[j].get("uncertain")]
    n_pred = len(preds) - sum(1 for i, j in pairs if gold[j].get("uncertain"))
    tp = len(tp_pairs)
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / len(certain) if certain else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0

    sums, counts = collections.defaultdict(float), collections.defaultdict(int)
    field_errors = []
    for i, j in tp_pairs:
        for f, ok in field_ok(preds[i], gold[j]).items():
            if ok is None:
                continue
            sums[f] += float(ok)
            counts[f] += 1
            if (ok is False or (f == "metric" and ok < 0.5)) and len(field_errors) < 100000:
                field_errors.append((f, preds[i], gold[j]))
    acc = {f: (sums[f] / counts[f] if counts[f] else 0.0) for f in FIELDS}
    return {"precision": prec, "recall": rec, "f1": f1, **acc, "predicted": n_pred, "gold": len(certain),
            "matched": tp, "_counts": dict(counts), "_preds": preds, "_gold": gold, "_certain": certain,
            "_matched_p": matched_p, "_matched_g": matched_g, "_field_errors": field_errors,
            "_missing_docs": sorted(gold_docs - docs), "_unlocated": unlocated}


def report(r: dict, errors: int = 0, as_json: bool = False, out=sys.stdout) -> None:
    """Print the figures exactly as score.py does."""
    def say(*a):
        print(*a, file=out)

    if r["_missing_docs"]:
        say(f"documents missing from the database: {r['_missing_docs']}")
    if r["_unlocated"]:
        say(f"gold items not located in documents.text: {len(r['_unlocated'])}")
    say(f"detection  P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f}  (predicted {r['predicted']}, gold certain {r['gold']}, matched {r['matched']})")
    for f in FIELDS:
        label = "metric char-F1" if f == "metric" else f
        say(f"{label:<15}{r[f]:.3f}  (over {r['_counts'].get(f, 0)} matched)")
    preds = r["_preds"]
    if preds:
        from etl.extract.claims import is_metric_fragment

        bad = sum(1 for p in preds if is_metric_fragment(p.get("metric")))
        say(f"metric empty or a fragment: {bad / len(preds):.3f} of {len(preds)} claims")
    if errors:
        n, gold = errors, r["_gold"]
        say(f"\n-- misses (up to {n})")
        for j in [j for j in r["_certain"] if j not in r["_matched_g"]][:n]:
            g = gold[j]
            say(f"  {g['doc']} {g['mention']!r} {g['kind']} {g.get('metric')} | {(g.get('sentence') or '')[:80]}")
        say(f"\n-- false alarms (up to {n})")
        for i in [i for i in range(len(preds)) if i not in r["_matched_p"]][:n]:
            p = preds[i]
            say(f"  {p['doc_id']} {p['mention']!r} {p['kind']} {p['metric']}")
        say(f"\n-- field errors (up to {n})")
        for f, p, g in r["_field_errors"][:n]:
            pv = {"value_unit": (p["value"], p["unit"]), "period": (str(p["period_start"]), str(p["period_end"]))}.get(f, p.get(f))
            gv = {"value_unit": (g["value"], g["unit"]), "period": g.get("period")}.get(f, g.get(f))
            say(f"  {f:<11} {g['mention']!r:<16} got {pv!r:<40} want {gv!r}")
    if as_json:
        say(json.dumps({k: v for k, v in r.items() if not k.startswith("_")}))
