"""Build the industry taxonomy in data/sectors/ from GB/T 4754-2017 and hand-written groupings.

    python scripts/build_sectors.py            # rewrites data/sectors/*.csv (standard library only)

Source of the standard (vendored, so the build needs no network):
    data/sectors/source/gbt4754_2017.json
    = github.com/ramwin/china-public-data @ e13a00327443e577af8cc089239a514be2675078
      : 国民经济行业分类/国民经济行业分类_2017.json
A nested JSON of 国民经济行业分类 (GB/T 4754-2017): 门类 > 大类 > 中类 > 小类, each {code, name,
children}. The source was parsed from the standard's PDF and has PDF artefacts, corrected here in
ERRATA (each checked against other published copies of the table) and by two generic rules: names
are stripped, and ASCII parentheses become full-width ones as in the rest of the standard.
It holds 20 门类, 97 大类, 473 中类 and 1381 小类 (see data/sectors/README.md on 1381 vs 1382).

Hand-written inputs (both CSV with # comments):
    data/sectors/groupings.csv      statistical groupings (三次产业, 高技术产业, 战略性新兴产业,
                                    数字经济) and Chengdu's industries, as sets of 4754 codes
    data/sectors/class_aliases.csv  short names newspapers use for 4754 classes

Outputs (UTF-8, "\\n" line ends, in a fixed order, so a rebuild is byte-identical):
    taxonomy.csv       one row per class: code (C3411), std_code (3411), name, level, parent,
                       section, path (C>C34>C341>C3411), path_names, note (corrections)
    groups.csv         one row per group: id, grouping, name, parent, status, source, codes
    group_members.csv  group_id, code, partial: every group expanded to 小类
    aliases.csv        alias, target, kind (class|group), target_name, origin (name|hand)
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTORS = ROOT / "data" / "sectors"
SOURCE = Path("source") / "gbt4754_2017.json"
LEVELS = ("门类", "大类", "中类", "小类")
# std_code: (name in the source, name in the standard). Truncated at a PDF line end, or (3531)
# run together with the explanation column.
ERRATA = {
    "306": ("玻璃纤维和玻璃纤维增强塑料制品制", "玻璃纤维和玻璃纤维增强塑料制品制造"),
    "354": ("印刷、制药、日化及日用品生产专用设", "印刷、制药、日化及日用品生产专用设备制造"),
    "359": ("环保、邮政、社会公共服务及其他专用", "环保、邮政、社会公共服务及其他专用设备制造"),
    "37": ("铁路、船舶、航空航天和其他运输设备制", "铁路、船舶、航空航天和其他运输设备制造业"),
    "3531": ("食品、酒、饮料及茶生产专用设备制     指主要用于食品、酒、饮料生产及茶制品加",
             "食品、酒、饮料及茶生产专用设备制造"),
    "3546": ("玻璃、陶瓷和搪瓷制品生产专用设备", "玻璃、陶瓷和搪瓷制品生产专用设备制造"),
    "3552": ("皮革、毛皮及其制品加工专用设备制", "皮革、毛皮及其制品加工专用设备制造"),
    "3583": ("医疗实验室及医用消毒设备和器具", "医疗实验室及医用消毒设备和器具制造"),
    "3939": ("应用电视设备及其他广播电视设备", "应用电视设备及其他广播电视设备制造"),
    "4023": ("导航、测绘、气象及海洋专用仪器制", "导航、测绘、气象及海洋专用仪器制造"),
}
# When several classes share a name (K and K70 are both 房地产业), the name is an alias of the
# class at the first of these levels.
ALIAS_LEVEL_ORDER = ("大类", "门类", "中类", "小类")
TAXONOMY_FIELDS = ("code", "std_code", "name", "level", "parent", "section", "path", "path_names", "note")


def _comment_free(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a CSV whose lines starting with # are comments."""
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(ln for ln in f if ln.strip() and not ln.startswith("#"))


def _clean(std_code: str, name: str) -> tuple[str, str]:
    """The standard's name of a class and a note on any correction of the source's."""
    fixed = name.strip().replace("(", "（").replace(")", "）")
    if std_code in ERRATA:
        wrong, right = ERRATA[std_code]
        if name != wrong:
            raise ValueError(f"{std_code}: source name {name!r} is not the expected {wrong!r}")
        return right, f"source name {wrong!r} corrected"
    if fixed != name:
        return fixed, f"source name {name!r} normalised"
    return fixed, ""


def load_taxonomy(source: Path) -> list[dict[str, str]]:
    """Every class of the standard, in the order of the standard, with its path to its 门类."""
    rows: list[dict[str, str]] = []

    def walk(node: dict, depth: int, section: str, path: list[dict[str, str]]) -> None:
        std_code = node["code"]
        section = section or std_code
        code = std_code if depth == 0 else section + std_code
        name, note = _clean(std_code, node["name"])
        trail = [*path, {"code": code, "name": name}]
        rows.append({
            "code": code, "std_code": std_code, "name": name, "level": LEVELS[depth],
            "parent": path[-1]["code"] if path else "", "section": section,
            "path": ">".join(p["code"] for p in trail), "path_names": ">".join(p["name"] for p in trail),
            "note": note,
        })
        for child in node["children"]:
            walk(child, depth + 1, section, trail)

    for top in json.loads(source.read_text(encoding="utf-8")):
        walk(top, 0, "", [])
    return rows


def _check_taxonomy(rows: list[dict[str, str]]) -> None:
    """Codes are unique and well formed, and each nests in its parent."""
    seen: set[str] = set()
    for r in rows:
        code, depth = r["code"], LEVELS.index(r["level"])
        if code in seen:
            raise ValueError(f"duplicate code {code}")
        seen.add(code)
        if len(r["std_code"]) != (1 if depth == 0 else depth + 1) or not code.startswith(r["parent"]):
            raise ValueError(f"malformed code {code} under {r['parent']!r}")
    counts = [sum(r["level"] == lv for r in rows) for lv in LEVELS]
    if counts[:3] != [20, 97, 473]:
        raise ValueError(f"门类/大类/中类 counts {counts[:3]}, expected 20/97/473")


def _resolve(token: str, by_std: dict[str, str], by_code: set[str]) -> str:
    """The taxonomy code (C3411) of a code as written in groupings.csv (3411 or C3411)."""
    if token in by_code:
        return token
    if token in by_std:
        return by_std[token]
    raise ValueError(f"unknown GB/T 4754-2017 code {token!r}")


def expand_groups(groups: list[dict[str, str]], rows: list[dict[str, str]]) -> dict[str, dict[str, bool]]:
    """Each group's 小类 codes, with True where only part of the class belongs."""
    by_std = {r["std_code"]: r["code"] for r in rows}
    by_code = {r["code"] for r in rows}
    leaves = [r["code"] for r in rows if r["level"] == "小类"]
    spec = {g["id"]: g["codes"].split() for g in groups}
    done: dict[str, dict[str, bool]] = {}

    def under(code: str) -> list[str]:
        return [leaf for leaf in leaves if leaf.startswith(code)]

    def members(gid: str, stack: tuple[str, ...]) -> dict[str, bool]:
        if gid in done:
            return done[gid]
        if gid in stack:
            raise ValueError(f"groups refer to each other: {' > '.join((*stack, gid))}")
        if gid not in spec:
            raise ValueError(f"unknown group @{gid} in {stack[-1]}")
        out: dict[str, bool] = {}
        drop: set[str] = set()
        for token in spec[gid]:
            if token.startswith("@"):
                found = members(token[1:], (*stack, gid)).items()
            elif token.startswith("-"):
                drop.update(under(_resolve(token[1:], by_std, by_code)))
                continue
            else:
                partial = token.endswith("*")
                found = ((leaf, partial) for leaf in under(_resolve(token.rstrip("*"), by_std, by_code)))
            for leaf, partial in found:
                out[leaf] = out.get(leaf, True) and partial  # partial only if partial every time
        done[gid] = {leaf: p for leaf, p in out.items() if leaf not in drop}
        return done[gid]

    for g in groups:
        members(g["id"], ())
    return done


def _check_groups(groups: list[dict[str, str]]) -> None:
    """Ids are unique, parents exist, and each grouping's names are unique."""
    ids = [g["id"] for g in groups]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate group id")
    for g in groups:
        if g["parent"] and g["parent"] not in ids:
            raise ValueError(f"{g['id']}: unknown parent {g['parent']}")
        if g["status"] not in ("official", "approximate", "policy"):
            raise ValueError(f"{g['id']}: unknown status {g['status']!r}")
    names = [(g["grouping"], g["name"]) for g in groups]
    if len(set(names)) != len(names):
        raise ValueError("a grouping names two groups alike")


def build_aliases(rows: list[dict[str, str]], groups: list[dict[str, str]],
                  hand: list[dict[str, str]]) -> list[dict[str, str]]:
    """alias -> class or group: the classes' and groups' own names and the hand-written aliases."""
    name_of = {r["code"]: r["name"] for r in rows}
    classes: dict[str, tuple[str, str]] = {}  # alias -> (code, origin)
    for r in sorted(rows, key=lambda r: ALIAS_LEVEL_ORDER.index(r["level"])):
        classes.setdefault(r["name"], (r["code"], "name"))
    for h in hand:
        if h["code"] not in name_of:
            raise ValueError(f"class alias {h['alias']!r}: unknown code {h['code']!r}")
        classes[h["alias"]] = (h["code"], "hand")
    out = [{"alias": a, "target": c, "kind": "class", "target_name": name_of[c], "origin": o}
           for a, (c, o) in classes.items()]
    for g in groups:
        names = [(g["name"], "name")] + [(a, "hand") for a in g["aliases"].split("|") if a]
        for alias, origin in names:
            out.append({"alias": alias, "target": g["id"], "kind": "group", "target_name": g["name"],
                        "origin": origin})
    seen: dict[tuple[str, str], str] = {}
    grouping = {g["id"]: g["grouping"] for g in groups}
    for a in out:  # one target per alias in each grouping (and among classes)
        scope = grouping.get(a["target"], "") if a["kind"] == "group" else "class"
        key = (a["alias"], scope)
        if key in seen and seen[key] != a["target"]:
            raise ValueError(f"alias {a['alias']!r} names both {seen[key]} and {a['target']} in {scope}")
        seen[key] = a["target"]
    unique = {(a["alias"], a["target"]): a for a in out}
    return sorted(unique.values(), key=lambda a: (a["alias"], a["kind"], a["target"]))


def _csv(fields: Iterable[str], records: Iterable[dict[str, object]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(fields), lineterminator="\n")
    w.writeheader()
    w.writerows(records)
    return buf.getvalue().encode("utf-8")


def build(out_dir: Path = SECTORS, src_dir: Path = SECTORS) -> dict[str, bytes]:
    """Build the four CSVs from src_dir's inputs into out_dir; returns {file name: bytes written}."""
    rows = load_taxonomy(src_dir / SOURCE)
    _check_taxonomy(rows)
    groups = list(_comment_free(src_dir / "groupings.csv"))
    _check_groups(groups)
    members = expand_groups(groups, rows)
    hand = list(_comment_free(src_dir / "class_aliases.csv"))
    order = {r["code"]: i for i, r in enumerate(rows)}
    files = {
        "taxonomy.csv": _csv(TAXONOMY_FIELDS, rows),
        "groups.csv": _csv(("id", "grouping", "name", "parent", "status", "source", "codes"),
                           ({k: g[k] for k in ("id", "grouping", "name", "parent", "status", "source", "codes")}
                            for g in groups)),
        "group_members.csv": _csv(("group_id", "code", "partial"), (
            {"group_id": g["id"], "code": leaf, "partial": int(members[g["id"]][leaf])}
            for g in groups for leaf in sorted(members[g["id"]], key=order.__getitem__))),
        "aliases.csv": _csv(("alias", "target", "kind", "target_name", "origin"),
                            build_aliases(rows, groups, hand)),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out_dir / name).write_bytes(data)
    return files


def main() -> None:
    files = build()
    rows = load_taxonomy(SECTORS / SOURCE)
    counts = ", ".join(f"{sum(r['level'] == lv for r in rows)} {lv}" for lv in LEVELS)
    print(f"taxonomy: {counts}")
    for name, data in files.items():
        lines = data.count(b"\n") - 1
        print(f"{SECTORS.relative_to(ROOT) / name}: {lines} rows")


if __name__ == "__main__":
    main()
