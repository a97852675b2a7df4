"""The sector taxonomy as the dashboard and the exports read it: GB/T 4754-2017 classes and the
groupings beside them (data/sectors/), what a filter on one sector takes in, and counts rolled up.

A claim's `sector_code` is a class (C34) or a grouping (CD-LIB). Filtering on a sector takes in
the sector, everything below it, and every grouping that lies wholly inside it: 制造业 (C) takes in
C34 and its 中类 and 小类, and 锂电 (whose classes are all under C38); 工业 (a grouping of B, C, D)
takes in those 门类 and all below. Pure functions over the data files, cached.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from etl.extract.lexicon import table

CLASS_LEVELS = ("门类", "大类", "中类", "小类")


@dataclass(frozen=True)
class Node:
    """One sector: `level` is a class level or "分组" for a grouping; `parent` its parent in the
    tree (the class above, or the enclosing grouping); `scheme` the grouping's scheme."""

    code: str
    name: str
    level: str
    parent: str
    scheme: str = ""


@functools.lru_cache(maxsize=1)
def nodes() -> dict[str, Node]:
    """Every class (门类 to 小类) and every grouping, by code."""
    out = {r["code"]: Node(r["code"], r["name"], r["level"], r["parent"]) for r in table("sectors/taxonomy.csv")}
    for r in table("sectors/groups.csv"):
        out[r["id"]] = Node(r["id"], r["name"], "分组", r["parent"], r["grouping"])
    return out


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Code of every name and alias (a class's name wins over a grouping's of the same text)."""
    out: dict[str, str] = {}
    for r in table("sectors/aliases.csv"):
        out.setdefault(r["alias"], r["target"])
    for code, n in nodes().items():
        out.setdefault(n.name, code)
    return out


def name(code: str) -> str:
    """A sector's name for people (通用设备制造业 for C34); the value itself when unknown."""
    node = nodes().get(code)
    return node.name if node else code


def resolve(value: str) -> str | None:
    """The code of a sector given by code (C34, CD-LIB) or by name or alias (通用设备制造业, 锂电)."""
    value = (value or "").strip()
    if value in nodes():
        return value
    return _names().get(value)


@functools.lru_cache(maxsize=1)
def _leaves() -> dict[str, frozenset[str]]:
    """The 小类 each class or grouping holds (a grouping: the classes wholly in it)."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in table("sectors/taxonomy.csv"):
        if r["level"] == "小类":
            for code in r["path"].split(">"):
                out[code].add(r["code"])
    for r in table("sectors/group_members.csv"):
        if r["partial"] == "0":
            out[r["group_id"]].add(r["code"])
    return {k: frozenset(v) for k, v in out.items()}


@functools.lru_cache(maxsize=1)
def _covered() -> dict[str, frozenset[str]]:
    """For every node, the codes a filter on it takes in (itself included)."""
    ns, leaves = nodes(), _leaves()
    children: dict[str, set[str]] = defaultdict(set)
    for n in ns.values():
        if n.parent:
            children[n.parent].add(n.code)
    groups = [c for c, n in ns.items() if n.level == "分组" and leaves.get(c)]

    def below(code: str) -> set[str]:
        out, todo = {code}, [code]
        while todo:
            for c in children.get(todo.pop(), ()):
                if c not in out:
                    out.add(c)
                    todo.append(c)
        return out

    covered: dict[str, frozenset[str]] = {}
    for code, n in ns.items():
        mine = below(code)
        held = leaves.get(code, frozenset())
        if held:
            # groupings wholly inside this node, and (for a grouping) the classes wholly inside it
            mine |= {g for g in groups if g != code and leaves[g] <= held}
            if n.level == "分组":
                mine |= {c for c, m in ns.items() if m.level in CLASS_LEVELS and leaves.get(c) and leaves[c] <= held}
        covered[code] = frozenset(mine)
    return covered


def covered(code: str) -> frozenset[str]:
    """The codes a filter on `code` takes in: the sector, all below it, the groupings inside it."""
    return _covered().get(code, frozenset((code,)))


def filter_codes(values: Iterable[str]) -> tuple[list[str], list[str]]:
    """(codes, labels) for a sector filter: the codes every resolvable value takes in, and the
    values that name no sector of the taxonomy (kept as labels, for older databases)."""
    codes: set[str] = set()
    labels: list[str] = []
    for v in values:
        code = resolve(v)
        if code is None:
            labels.append(v)
        else:
            codes |= covered(code)
    return sorted(codes), labels


def rollup(counts: Mapping[str, int]) -> dict[str, int]:
    """Claims under each node (what a filter on it would show), from claims per sector_code;
    only nodes with at least one claim."""
    out: dict[str, int] = {}
    for node, codes in _covered().items():
        n = sum(k for c, k in counts.items() if c in codes)
        if n:
            out[node] = n
    return out


def path(code: str) -> list[Node]:
    """The node and its ancestors, from the top (门类 or outermost grouping) down."""
    ns = nodes()
    out: list[Node] = []
    seen: set[str] = set()
    while code in ns and code not in seen:
        seen.add(code)
        out.append(ns[code])
        code = ns[code].parent
    return out[::-1]


def tree(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Display order of the sector filter: each 门类 followed by its 大类 (and the 中类 that hold
    claims of their own), then the groupings scheme by scheme; (code, depth) for the nodes with
    claims (`counts` = rollup)."""
    ns = nodes()
    out: list[tuple[str, int]] = []
    by_parent: dict[str, list[str]] = defaultdict(list)
    for code in sorted(ns):
        by_parent[ns[code].parent].append(code)

    def walk(code: str, depth: int, max_depth: int) -> None:
        if counts.get(code):
            out.append((code, depth))
            depth += 1  # a node without claims is left out, its children are not
        if depth <= max_depth:
            for c in by_parent.get(code, ()):
                walk(c, depth, max_depth)

    for code in by_parent.get("", ()):
        if ns[code].level == "门类":
            walk(code, 0, 2)
    schemes: dict[str, list[str]] = defaultdict(list)
    for code in by_parent.get("", ()):
        if ns[code].level == "分组":
            schemes[ns[code].scheme].append(code)
    for scheme in sorted(schemes):
        for code in schemes[scheme]:
            walk(code, 0, 3)
    return out
