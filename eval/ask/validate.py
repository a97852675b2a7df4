"""Check eval/ask/questions.jsonl against the gold annotations.

    python eval/ask/validate.py            # from the repo root

Checks: every line parses; ids unique; fields and enums valid; expect is null exactly for
type "none"; every expect/accept object names a gold line (doc, mention, occurrence) of its
set whose value and unit are equal and which is not uncertain. If the set's texts are present
(seeds in ../shared/seeds, dev sets rebuilt in /tmp), also checks that the mention really
occurs at least `occurrence` times in the file. Prints counts per set / type / lang.
"""
import collections
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared"))
GOLD = {
    "seeds": os.path.join(SHARED, "gold", "seeds.jsonl"),
    "heldout-dev": os.path.join(SHARED, "heldout-dev", "gold.jsonl"),
    "heldout-dev2": os.path.join(SHARED, "heldout-dev2", "gold.jsonl"),
}
TEXTS = {
    "seeds": os.path.join(SHARED, "seeds"),
    "heldout-dev": "/tmp/heldout-dev",
    "heldout-dev2": "/tmp/heldout-dev2",
}
TYPES = {"amount", "count", "growth", "share", "rank", "none"}
REF_KEYS = ["doc", "mention", "occurrence", "value", "unit"]


def read_text(folder, doc):
    p = os.path.join(folder, doc + ".txt")
    if not os.path.exists(p):
        return None
    with open(p, "rb") as f:
        raw = f.read()
    return raw.decode("gbk" if doc.endswith(".gbk") else "utf-8")


def main(path: str | None = None) -> int:
    path = path or os.path.join(HERE, "questions.jsonl")
    gold = {}
    for s, p in GOLD.items():
        with open(p, encoding="utf-8") as f:
            for line in f:
                g = json.loads(line)
                gold[(s, g["doc"], g["mention"], g["occurrence"])] = g
    errors, ids, rows = [], set(), []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                q = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"line {n}: does not parse: {e}")
                continue
            rows.append(q)
            where = f"line {n} ({q.get('id')})"
            missing = {"id", "set", "q", "lang", "type", "expect", "accept", "note"} - q.keys()
            if missing:
                errors.append(f"{where}: missing {sorted(missing)}")
                continue
            if q["id"] in ids:
                errors.append(f"{where}: duplicate id")
            ids.add(q["id"])
            if q["set"] not in GOLD:
                errors.append(f"{where}: bad set {q['set']}")
                continue
            if q["lang"] not in ("zh", "en"):
                errors.append(f"{where}: bad lang")
            if q["type"] not in TYPES:
                errors.append(f"{where}: bad type")
            if (q["expect"] is None) != (q["type"] == "none"):
                errors.append(f"{where}: expect must be null exactly when type is none")
            if q["expect"] is None and q["accept"]:
                errors.append(f"{where}: accept given for a no-answer question")
            refs = ([q["expect"]] if q["expect"] else []) + list(q["accept"])
            for r in refs:
                if sorted(r) != sorted(REF_KEYS):
                    errors.append(f"{where}: reference keys {sorted(r)}")
                    continue
                g = gold.get((q["set"], r["doc"], r["mention"], r["occurrence"]))
                if g is None:
                    errors.append(f"{where}: no gold line {r['doc']} {r['mention']!r} #{r['occurrence']}")
                    continue
                if g["uncertain"]:
                    errors.append(f"{where}: gold line {r['mention']!r} is uncertain")
                if g["value"] != r["value"] or g["unit"] != r["unit"]:
                    errors.append(f"{where}: value/unit {r['value']} {r['unit']} != gold {g['value']} {g['unit']}")
                text = read_text(TEXTS[q["set"]], r["doc"])
                if text is not None and text.count(r["mention"]) < r["occurrence"]:
                    errors.append(f"{where}: mention {r['mention']!r} occurs {text.count(r['mention'])}x in {r['doc']}")
            if len(refs) != len({(r.get("doc"), r.get("mention"), r.get("occurrence")) for r in refs}):
                errors.append(f"{where}: duplicate reference")
    c = collections.Counter
    print(f"{len(rows)} questions")
    for s in GOLD:
        sub = [q for q in rows if q.get("set") == s]
        print(f"  {s}: {len(sub)}  type {dict(c(q['type'] for q in sub))}  lang {dict(c(q['lang'] for q in sub))}")
    print(f"  all: type {dict(c(q['type'] for q in rows))}  lang {dict(c(q['lang'] for q in rows))}")
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
