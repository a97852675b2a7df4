"""A figure's region: the place of its clause or sentence, an enumeration's common area, the
k-th place of X、Y分别..., a benchmark's place, an organisation's place, else the article's
(the place it names most) and the page's default (the outlet's city)."""
from __future__ import annotations

import functools
import re

from etl.extract.fields.context import (
    ENUM_JOINS,
    GENERIC_PLACE_WORDS,
    NEXT_BREAK,
    RESPECTIVELY,
    Context,
    figures_between,
)
from etl.extract.model import Article
from etl.extract.numbers import NumberMention
from etl.extract.places import (
    Place,
    PlaceMention,
    by_name,
    common_area,
    find_places,
    gazetteer,
    generic_kind,
    is_sichuan,
    names_matcher,
    resolve_generic,
)


def _resolve(pm: PlaceMention, ctx: Context) -> Place | None:
    if pm.place is not None:
        return pm.place
    return antecedent(pm, ctx) or generic_place(pm.generic, ctx)


def antecedent(pm: PlaceMention, ctx: Context) -> Place | None:
    """全市 / 全省 / 全区 bound to the nearest place named before it in its sentence, when that
    place has such a level (深圳市统计局公布的数据显示，上半年，全市... -> 深圳市; 郫都区...全市 ->
    成都市), wherever that place lies and even inside an organisation's name; else None."""
    for p in reversed(ctx.sentence_places):
        if p.end <= pm.start and p.place is not None:
            if p.place.level == "country":
                return None
            return resolve_generic(pm.generic, p.place, None, False)
    return None


def generic_place(kind: str, ctx: Context) -> Place | None:
    """全市 / 全省 / 全区 in context: the current place's, else the article's (全区 in a district's
    bulletin is that district even where the sentence before named its city)."""
    for context in (ctx.region, ctx.article_region, ctx.home):
        if context is not None:
            q = resolve_generic(kind, context, None, False)
            if q is not None:
                return q  # 我省 in a report from another province is that province
    return resolve_generic(kind, None, ctx.default_region)


def _usable_places(places: list[PlaceMention], text: str, n: NumberMention, kind: str,
                   cs: int, home: Place | None) -> list[PlaceMention]:
    """Places before the figure that can be its region: not examples of a list (X、Y等8家),
    not a share's denominator (在全省...中占比), not a remote province outside the clause
    (which starts at `cs`)."""
    out = []
    first_clause = NEXT_BREAK.search(text)
    first_clause = first_clause.start() if first_clause else len(text)
    for p in places:
        if p.end > n.start:
            break
        between = text[p.end:n.start]
        if "等" in between and not any(ch in "，,；;。" for ch in between):
            continue
        if kind == "share" and "占" in between and text[max(0, p.start - 1):p.start] == "在":
            continue
        if p.place is not None and cs > p.start >= first_clause and not at_home(p.place, home):
            continue  # 以宁德时代...为链主: a remote place outside the figure's clause and not the subject
        out.append(p)
    return out


def _area(pms: list[PlaceMention], ctx: Context, min_distinct: int) -> Place | None:
    """One place, or the common area of an enumeration of places of one level."""
    if len(pms) == 1:  # most figures: one place, no enumeration (min_distinct is at least 2)
        return _resolve(pms[0], ctx)
    return area_of([q for q in (_resolve(p, ctx) for p in pms) if q is not None], min_distinct)


def area_of(resolved: list[Place], min_distinct: int) -> Place | None:
    """The last place, or the area covering an enumeration of at least `min_distinct` places
    of one level; counties listed among cities count as their cities (自贡、富顺、泸县、泸州 ->
    自贡市、泸州市 -> 四川省)."""
    if not resolved:
        return None
    distinct = {q.name: q for q in resolved}
    if len(distinct) >= min_distinct:
        levels = {q.level for q in distinct.values()}
        if len(levels) > 1 and levels <= COUNTY_LEVELS | {"city"}:
            distinct = {c.name: c for c in (_city_of(q) for q in distinct.values()) if c is not None}
            levels = {"city"} if len(distinct) > 1 else levels
        if len(levels) == 1:
            return common_area(list(distinct.values())) or resolved[-1]
    return resolved[-1]


COUNTY_LEVELS = frozenset(("county", "district"))


def _city_of(p: Place) -> Place | None:
    """The city of a county-level place (the place itself for a city)."""
    return by_name().get(p.parent) if p.level in COUNTY_LEVELS else p


def _respectively(usable: list[PlaceMention], text: str, n: NumberMention) -> PlaceMention | None:
    """X、Y分别...N1和N2: the k-th figure after 分别 belongs to the k-th place of the list."""
    k = text.rfind(RESPECTIVELY, 0, n.start)
    if k < 0 or any(ch in "。；;" for ch in text[k:n.start]):
        return None
    listed = [p for p in usable if p.end <= k]
    if len(listed) < 2:
        return None
    group = [listed[-1]]
    for p in reversed(listed[:-1]):
        if not ENUM_JOINS.match(text[p.end:group[0].start]):
            break
        group.insert(0, p)
    if len(group) < 2:
        return None
    if text[group[-1].end:k].strip(" ，,"):
        # 成都平原经济区、川南、攀西和川东北科技型中小企业...比重分别为52%、21%、15%和10%: words
        # between the list and 分别, but as many figures after it as places in the list.
        stop = min((i for i in (text.find(ch, k) for ch in "。；;") if i >= 0), default=len(text))
        if any(ch in "。；;" for ch in text[group[-1].end:k]) or len(figures_between(text, k, stop)) != len(group):
            return None
    order = len(figures_between(text, k, n.start))
    return group[order] if order < len(group) else None


def _subject_place(area: Place | None, candidates: list[PlaceMention], usable: list[PlaceMention]) -> Place | None:
    """成都作为全省...、成都占全省...: a generic word after a place inside it is a frame, not the subject."""
    if area is None or not candidates or candidates[-1].place is not None:
        return area
    for p in reversed(usable):
        if p.place is not None and p.start < candidates[-1].start and _inside(p.place, area):
            return p.place
    return area


def _inside(p: Place, area: Place) -> bool:
    seen: set[str] = set()
    q: Place | None = by_name().get(p.parent)
    while q is not None and q.name not in seen:
        if q.name == area.name:
            return True
        seen.add(q.name)
        q = by_name().get(q.parent)
    return False


_BENCHMARK_WINDOW = 12


_BENCHMARK_BRACKET = re.compile(r"(?:平均)?(?:水平|增速|增幅)?[(（]$")


def benchmark_word(text: str, n: NumberMention) -> str | None:
    """The place word a figure is the own figure of when quoted as a benchmark: 高于同期全国2.8%的
    增幅 (the place right before the figure, which is followed by 的), 高于全省平均水平(10.5%) (the
    figure in brackets after the place). None for any other figure."""
    after = text[n.end:n.end + 1]
    if after not in ("的", ")", "）"):
        return None
    window = text[max(0, n.start - _BENCHMARK_WINDOW):n.start]
    find, names = names_matcher(GENERIC_PLACE_WORDS)
    spans = find(window)
    if not spans:
        return None
    k, _, b = spans[-1]
    rest = window[b:]
    if (not rest and after == "的") or (_BENCHMARK_BRACKET.match(rest) and after != "的"):
        return names[k]
    return None


def _benchmark_place(text: str, n: NumberMention, ctx: Context) -> Place | None:
    """The place of a figure quoted as a benchmark (see benchmark_word)."""
    word = benchmark_word(text, n)
    if word is None:
        return None
    place = gazetteer().get(word)
    if place is not None:
        return place
    kind = generic_kind(word)
    return generic_place(kind, ctx) if kind else None


def figure_region(places: list[PlaceMention], text: str, n: NumberMention, kind: str, prev_end: int,
            ctx: Context, headline: bool, clause: int) -> Place | None:
    """The region of a figure (`clause`: the start of its clause)."""
    follower = text[n.end:n.end + 3].lstrip(" (（")
    if follower[:1] in ("区", "县") or follower.startswith(("市(", "市（", "城市", "市州")):
        # a count of districts or cities: the region is the area that contains them
        area = "city" if follower[:1] in ("区", "县") else "province"
        return resolve_generic(area, ctx.region or ctx.article_region, ctx.default_region)
    benchmark = _benchmark_place(text, n, ctx)
    if benchmark is not None:
        return benchmark
    usable = _usable_places(places, text, n, kind, clause, ctx.home) if places else []
    if usable:
        paired = _respectively(usable, text, n)
        if paired is not None:
            return _resolve(paired, ctx)
        segment = [p for p in usable if p.start >= prev_end]
        if segment:
            return _subject_place(_area(segment, ctx, 2), segment, usable)
        return _subject_place(_area(usable, ctx, 3), usable, usable)
    orgs = [p for p in ctx.org_places if p.end <= n.start] if ctx.org_places else []
    if orgs:
        return orgs[-1].place  # 双流国际机场完成旅客吞吐量...: the organisation's place
    if headline:
        return ctx.article_region or ctx.default_region
    return ctx.region or ctx.article_region or ctx.default_region


def without_orgs(places: list[PlaceMention]) -> list[PlaceMention]:
    """find_places(text) from find_places(text, with_orgs=True)."""
    for p in places:
        if p.org:
            return [q for q in places if not q.org]
    return places


def article_region(article: Article, default: Place | None,
                   places: list[list[PlaceMention]] | None = None) -> Place | None:
    """The place named most often in the article (headlines count double), if named twice.
    `places` may give find_places of each sentence (org mentions are ignored)."""
    counts: dict[str, float] = {}
    first: dict[str, int] = {}
    for k, sent in enumerate(article.sentences):
        found = find_places(sent.text) if places is None else places[k]
        for i, p in enumerate(found):
            if p.org:
                continue
            # A generic word (全市) votes for the outlet's area only: without one it names nothing yet.
            q = p.place or (resolve_generic(p.generic, None, default) if default else None)
            if q is None or q.level == "country" or _names_its_part(p, found[i + 1:]):
                continue
            counts[q.name] = counts.get(q.name, 0) + (2 if sent.is_headline else 1)
            first.setdefault(q.name, k)
    if not counts:
        return default
    best = max(counts, key=lambda name: (counts[name], -first[name]))
    return by_name()[best] if counts[best] >= 2 else default


HOME_PROVINCE = "四川省"  # the papers' own province, for articles that name no place


@functools.lru_cache(maxsize=4096)
def at_home(q: Place | None, home: Place | None) -> bool:
    """Whether a place lies in the article's province (cached: asked for every place mention)."""
    if q is None:
        return False
    if home is None:
        return is_sichuan(q)
    return q.name == home.name or _inside(q, home)


def province_of(p: Place | None) -> Place | None:
    """The province (or municipality) of a place; None above that level."""
    seen: set[str] = set()
    while p is not None and p.level not in ("province", "country") and p.name not in seen:
        seen.add(p.name)
        p = by_name().get(p.parent)
    return p if p is not None and p.level == "province" else None


def first_place(places: list[list[PlaceMention]]) -> Place | None:
    """The first place named below the country level (organisations' places included)."""
    for found in places:
        for p in found:
            if p.place is not None and p.place.level != "country":
                return p.place
    return None


def _names_its_part(p: PlaceMention, after: list[PlaceMention]) -> bool:
    """成都市新津县: a place written right before one of its parts only locates that part."""
    nxt = after[0] if after else None
    return (nxt is not None and nxt.start == p.end and p.place is not None and nxt.place is not None
            and _inside(nxt.place, p.place))
