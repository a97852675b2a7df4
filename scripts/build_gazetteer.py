"""Build data/gazetteer.csv from a maintained administrative-division data package.

    .venv/bin/python scripts/build_gazetteer.py        # needs requirements-bench.txt (jionlp)

Divisions come from JioNLP's dictionary (`china_location`: every province, prefecture-level
city and county-level division with its short name; `china_location_change`: renamed and
merged divisions, which give the former names: 新津县 -> 新津区, 襄樊 -> 襄阳市). Places the
package does not have (the country, metropolitan areas, functional zones, economic regions)
and extra aliases come from data/places_extra.csv; short names that are ordinary words are
listed in data/place_ambiguous.csv.

Aliases: provinces and cities get their short names; county-level divisions only their former
full names (新津县): a bare short county name is too often part of another word (锦屏山 is not
屏山县), so the few in use (双流, 江油) are listed by hand in places_extra.csv.
A full county name shared by several provinces (朝阳区, 鼓楼区) is kept only for the Sichuan one
or, failing that, a municipality's; elsewhere it is left out rather than guessed.
The output is committed: the ETL reads the CSV, not the package.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
HOME = "四川省"
# County-level rows of the package that are zones, not divisions (kept as data rows instead).
ZONE_WORDS = ("开发区", "新区", "园区", "示范区", "管理区", "管委会", "试验区", "高新", "行政区划", "工业区")


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(ln for ln in f if ln.strip() and not ln.startswith("#")))


def _package() -> tuple[str, str]:
    import jionlp

    folder = Path(jionlp.__file__).parent / "dictionary"
    with zipfile.ZipFile(folder / "china_location.zip") as z:
        locations = z.read("china_location.txt").decode("utf-8")
    return locations, (folder / "china_location_change.txt").read_text(encoding="utf-8")


def divisions(locations: str) -> list[tuple[str, str, str, str]]:
    """(name, level, parent, short name) of provinces, cities and counties, in package order."""
    out = []
    province = city = ""
    for line in locations.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip("\t").split("\t")
        if depth > 2 or len(parts) < 3:
            continue
        name, short = parts[0], parts[2]
        if depth == 0:
            province = name
            out.append((name, "province", "全国", short))
        elif depth == 1:
            city = name
            if name != province:  # a municipality is its own city: one row
                out.append((name, "city", province, short))
        elif not any(w in name for w in ZONE_WORDS) and len(name) > 2:
            out.append((name, "county", city, short))
    return out


def former_names(changes: str) -> dict[str, list[str]]:
    """New full name -> former full and short names (新津区 -> [新津县, 新津])."""
    out: dict[str, list[str]] = defaultdict(list)
    for line in changes.splitlines():
        if "=>" not in line:
            continue
        left, right = line.split("=>")
        old = left.split("\t")[2:]
        new = right.strip().split("\t")
        if len(old) == 6 and len(new) == 3:  # a county renamed (or moved)
            out[new[2]] += [old[4], old[5]]
        elif len(old) == 4 and len(new) == 2:  # a city renamed
            out[new[1]] += [old[2], old[3]]
    return out


def build() -> list[dict[str, str]]:
    locations, changes = _package()
    rows = divisions(locations)
    ambiguous = {r["word"] for r in _rows("place_ambiguous.csv")}
    province_of = {name: parent for name, level, parent, _ in rows if level == "city"}
    province_of.update({m: m for m in MUNICIPALITIES})

    def home(level: str, parent: str) -> bool:
        return (province_of.get(parent) if level == "county" else parent) == HOME

    # A full county name used in several provinces: keep one only where it is unambiguous in use.
    by_full: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for r in rows:
        by_full[r[0]].append(r)
    kept = []
    for group in by_full.values():
        if len(group) == 1:
            kept.append(group[0])
            continue
        pick = [r for r in group if home(r[1], r[2])] or [r for r in group if r[2] in MUNICIPALITIES]
        if len(pick) == 1:
            kept.append(pick[0])
    order = {r: i for i, r in enumerate(rows)}
    kept.sort(key=order.__getitem__)

    extra = {r["name"]: r for r in _rows("places_extra.csv")}
    formers = former_names(changes)
    taken = {r[0] for r in kept} | set(extra)
    out: list[dict[str, str]] = []
    for name, level, parent, short in kept:
        aliases: list[str] = []
        if level != "county":
            aliases.append(short)
        for old in formers.get(name, ()):
            if level != "county" or old.endswith(("县", "区", "市", "州", "旗")):
                aliases.append(old)
        row = {"name": name, "level": level, "parent": parent, "aliases": "", "metro": ""}
        if name in extra:
            x = extra.pop(name)
            row["level"], row["metro"] = x["level"] or level, x["metro"]
            aliases = [a for a in x["aliases"].split("|") if a] + aliases
        aliases = [a for a in dict.fromkeys(aliases)
                   if a and a != name and len(a) >= 2 and a not in ambiguous and a not in taken]
        row["aliases"] = "|".join(aliases)
        out.append(row)
    seen_aliases = set()
    for row in out:  # an alias names one place: the first (a province before its namesake city)
        keep = [a for a in row["aliases"].split("|") if a and a not in seen_aliases]
        seen_aliases.update(keep)
        row["aliases"] = "|".join(keep)
    # Places the package lacks, first: the country and metros before the divisions they contain.
    head = [{k: x.get(k, "") or "" for k in ("name", "level", "parent", "aliases", "metro")} for x in extra.values()]
    return head + out


def main() -> None:
    rows = build()
    buf = io.StringIO()
    buf.write("# Generated by scripts/build_gazetteer.py from JioNLP's division data and data/places_extra.csv:\n"
              "# edit those, then rebuild.\n")
    w = csv.DictWriter(buf, ["name", "level", "parent", "aliases", "metro"], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    (DATA / "gazetteer.csv").write_text(buf.getvalue(), encoding="utf-8")
    print(f"data/gazetteer.csv: {len(rows)} places")


if __name__ == "__main__":
    main()
