"""Region resolution from the gazetteer `data/gazetteer.csv` (official names, short and former names).

`find_places` finds place mentions in a sentence, leaving out places that are part of an
organisation's name (上海交大, 四川卓勤新材料科技有限公司) and places used as a denominator or a
comparison group (占四川比重, 位列全国第8). Generic words (全市, 全省) resolve against the context.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from etl.extract.lexicon import alternation, grouped, table

ORG_WINDOW = 12
STOP_CHARS = "，,。；;：:、！？!?（）()“”\"'的"
_STOP = re.compile(f"[{re.escape(STOP_CHARS)}]")


MUNICIPALITIES = frozenset(("北京市", "上海市", "天津市", "重庆市"))  # provinces that are cities


@dataclass(frozen=True)
class Place:
    name: str  # official name
    level: str  # country | province | metro | city | zone | district | county
    parent: str
    metro: str = ""  # metropolitan area the place belongs to (成都都市圈)

    def __hash__(self) -> int:
        # Places key the caches of resolve_generic and common_area: the name's (cached) hash is
        # cheaper than hashing all four fields, and equal places have equal names.
        return hash(self.name)


@dataclass(frozen=True, init=False)
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place | None  # None for a generic word not yet resolved
    generic: str = ""  # city | province | district for 全市 / 全省 / 全区
    org: bool = False  # part of an organisation's name (双流国际机场): only a fallback region

    def __init__(self, start: int, end: int, text: str, place: Place | None, generic: str = "",
                 org: bool = False) -> None:
        # One per place name of every sentence: filling __dict__ is 2x faster than the generated
        # frozen __init__ (an object.__setattr__ call per field). Fields are still read-only.
        d = self.__dict__
        d["start"], d["end"], d["text"], d["place"], d["generic"], d["org"] = start, end, text, place, generic, org


@functools.lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    """Every name and alias -> Place."""
    out: dict[str, Place] = {}
    for r in table("gazetteer.csv"):
        p = Place(r["name"], r["level"], r["parent"], r.get("metro", ""))
        out[r["name"]] = p
        for a in filter(None, r["aliases"].split("|")):
            out.setdefault(a, p)
    return out


@functools.lru_cache(maxsize=1)
def by_name() -> dict[str, Place]:
    return {p.name: p for p in gazetteer().values()}


@functools.lru_cache(maxsize=1)
def _words() -> dict[str, dict[str, str]]:
    return grouped("place_words.csv", "role", "value")


@functools.lru_cache(maxsize=8)
def names_matcher(extra: tuple[str, ...] = ()) -> tuple[Callable[[str], list[tuple[int, int, int]]], tuple[str, ...]]:
    """(find, names): `find(text)` lists the (name index, start, end) of every gazetteer name or
    alias (and `extra` word) in `text`, leftmost-longest and not overlapping, as a regex
    alternation of them would. Aho-Corasick (ahocorasick-rs): one pass over the text whatever
    the number of names (3,000 divisions and their aliases; a regex tries them at every position)."""
    import ahocorasick_rs

    names = tuple(sorted(set(gazetteer()) | set(extra)))
    automaton = ahocorasick_rs.AhoCorasick(list(names), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    return automaton.find_matches_as_indexes, names


def strip_place_names(s: str, extra: tuple[str, ...] = ()) -> str:
    """`s` without the place names (and `extra` words) it contains."""
    find = names_matcher(extra)[0]
    spans = find(s)
    if not spans:
        return s
    out, pos = [], 0
    for _, a, b in spans:
        out.append(s[pos:a])
        pos = b
    out.append(s[pos:])
    return "".join(out)


def generic_kind(word: str) -> str | None:
    """city / province / district for a generic area word (全市, 我省, 全区), else None."""
    return _words()["generic"].get(word)


@functools.lru_cache(maxsize=1)
def _org_pattern() -> re.Pattern:
    return re.compile(alternation(_words()["org"]))


@functools.lru_cache(maxsize=4096)
def is_sichuan(p: Place) -> bool:
    """Places in Sichuan (they set the context of following sentences; cached, asked for
    every place mention)."""
    return p is not None and _in_sichuan(p.name, p.parent)


@functools.lru_cache(maxsize=4096)
def _in_sichuan(name: str, parent: str) -> bool:
    """is_sichuan of a place by its name and parent (cached: asked for every place mention)."""
    seen = {name}
    if name == "四川省":
        return True
    q = by_name().get(parent)
    while q and q.name not in seen:
        if q.name == "四川省":
            return True
        seen.add(q.name)
        q = by_name().get(q.parent)
    return False


def _is_org(text: str, end: int) -> bool:
    window = text[end:end + ORG_WINDOW + 4].replace(" ", "")[:ORG_WINDOW]
    stop = _STOP.search(window)
    if stop:
        window = window[:stop.start()]
    return bool(_org_pattern().search(window))


@functools.lru_cache(maxsize=1)
def _long_denominators() -> tuple[str, ...]:
    """Denominator / comparison words of more than one character (高于全国)."""
    return tuple(w for w in _words().get("denominator", {}) if len(w) > 1)


@functools.lru_cache(maxsize=1)
def _finder() -> tuple:
    """What find_places reads for every sentence, looked up once."""
    find, names = names_matcher(tuple(_words()["generic"]))
    return find, names, _words().get("denominator", {}), _words()["generic"], _long_denominators(), gazetteer()


def find_places(text: str, with_orgs: bool = False) -> list[PlaceMention]:
    """Place mentions of a sentence that can be the region of a figure; `with_orgs` also
    returns places inside organisation names (成都天府国际机场), marked `org`."""
    return places_of((text,), with_orgs)[0]


def places_of(texts: Iterable[str], with_orgs: bool = False) -> list[list[PlaceMention]]:
    """`find_places` of each text, in one call (the sentences of an article: the lexicons are
    looked up once, not once per sentence)."""
    find, names, deno, generic, long_deno, gaz = _finder()
    org_search = _org_pattern().search
    result = []
    for text in texts:
        out = []
        orgs = None  # does the sentence have an organisation word at all (asked once, when needed)
        for k, s, e in find(text):
            w = names[k]
            b = s - 2 if text.endswith("同期", 0, s) else s  # 占同期四川..., 高于同期全国...
            if b > 0 and (text[b - 1] in deno or text.endswith(long_deno, 0, b)):
                continue
            if w in generic:
                out.append(PlaceMention(s, e, w, None, generic[w]))
                continue
            if orgs is None:
                # _is_org searches a window with spaces removed, a part of text.replace(" ", ""):
                # without an organisation word there, no place of the sentence is part of a name.
                orgs = org_search(text.replace(" ", "")) is not None
            if orgs and _is_org(text, e):
                if with_orgs:
                    out.append(PlaceMention(s, e, w, gaz[w], org=True))
                continue
            out.append(PlaceMention(s, e, w, gaz[w]))
        result.append(out)
    return result


def common_area(places: list[Place]) -> Place | None:
    """The area covering several places: their metro area (成德眉资 -> 成都都市圈) or their
    nearest common parent."""
    return _common_area(tuple(places))


@functools.lru_cache(maxsize=4096)
def _common_area(places: tuple[Place, ...]) -> Place | None:
    names = {p.name for p in places}
    if len(names) < 2:
        return places[0] if places else None
    metros = {p.metro for p in places}
    if len(metros) == 1 and "" not in metros:
        return by_name().get(metros.pop())
    chains = []
    for p in places:
        chain, q, seen = [], p, set()
        while q and q.name not in seen:
            chain.append(q.name)
            seen.add(q.name)
            q = by_name().get(q.parent)
        chains.append(chain)
    for name in chains[0]:
        if all(name in c for c in chains[1:]) and name not in names:
            return by_name().get(name)
    for name in chains[0]:
        if all(name in c for c in chains[1:]):
            return by_name().get(name)
    return None


@functools.lru_cache(maxsize=4096)
def resolve_generic(kind: str, context: Place | None, default: Place | None, fallback: bool = True) -> Place | None:
    """全市 -> the city in context (or the outlet's city); 全省 -> its province; 全区 -> the district.
    Without `fallback`, None when the context has no such level (no outlet city, no 四川省).
    (Cached: asked for every generic word of every sentence, with few distinct contexts.)"""
    chain = []
    p = context or default
    seen = set()
    while p and p.name not in seen:
        chain.append(p)
        seen.add(p.name)
        p = by_name().get(p.parent)
    want = {"city": ("city",), "province": ("province",), "district": ("district", "zone", "county")}[kind]
    for q in chain:
        if q.level in want or (kind == "city" and q.name in MUNICIPALITIES):
            return q  # 我市 in 重庆: the municipality is the city
    if not fallback:
        return None
    if kind == "city" and default and default.level == "city":
        return default
    if kind == "province":
        return by_name().get("四川省")
    return None


@functools.cache
def outlet_region(outlet: str | None) -> Place | None:
    """Default region of a newspaper (成都日报 -> 成都市), from data/outlets.csv."""
    for r in table("outlets.csv"):
        if outlet and r["outlet"] in outlet:
            return by_name().get(r["region"])
    return None
