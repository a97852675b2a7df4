"""Cross-claim fact checks: sums, shares, growth rates, conflicting reports.

Pure functions over claim records (dicts with the `claims` columns plus a few derived keys):

- `pre`: the text between the previous claim of the sentence (or the sentence start) and this
  claim, whitespace removed (it holds the words that link figures: 其中, 占...的, 总人数达 ...);
- `sent_no`: the position of the sentence in its article; `fallback`: True when the period is
  only the publication month (no period was stated), so it cannot tell two periods apart;
- `fact_id` (optional): the fact a claim states; check ids are built from fact ids, so a check
  found twice in repeated text is one check.

Arithmetic uses the printed precision on both sides: a figure printed as 71.3 stands for
[71.25, 71.35] and 1140 for [1139.5, 1140.5]; a check is consistent when the computed interval
meets the stated one. Approximate figures (约/超过/近/余) make a check undetermined, and so does a
total that could only be guessed from another article; only a total tied to its parts by the
sentence structure (其中, 合计 ...) can make a check inconsistent.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

Claim = dict

CONSISTENT, INCONSISTENT, UNDETERMINED = "consistent", "inconsistent", "undetermined"
QUANTITY = ("amount", "count")
RATE_KINDS = ("growth", "share", "change_pp", "rank", "multiple", "other")
_EPS = 1e-9

# Sentences the checks look at, flagged when a sentence is stored (etl/store/rows.py) so that finding
# them reads a flag, not every sentence's text: a list cue (a sum may be stated), and 占 (a share).
LIST_CUE = re.compile(r"其中|共计|合计|总计|总共|一共|总和|共有|总")
SHARE_WORD = "占"


def sentence_flags(text: str) -> tuple[bool, bool]:
    """(list_cue, share_word) of a sentence's text."""
    return bool(LIST_CUE.search(text)), SHARE_WORD in text


# A total after a list of parts: explicit sum words, or 总...数/量/额 (总人数, 总量, 总额).
_SUM_WORDS = re.compile(r"共计|合计|总计|总共|一共|总和")
_TOTAL_CUE = re.compile(r"共计|合计|总计|总共|一共|总和|共有|总[^，,。；;、]{0,4}?(?:数|量|额|值|规模)|(?:^|[，,])(?:共|总)[达为]?$")
_BREAK = re.compile(r"[；;。]")
# A share tied to the figure before it: "，占...的", "，占比达", "，在全省...中占比".
_SHARE_LINK = re.compile(r"^[，,、]?(?:占|在[^，,。；;]{1,20}?中占|其中占)")
_SHARE_IN = re.compile(r"在([^，,。；;]{1,20}?)中占")
_SHARE_OF = re.compile(r"占(?:同期)?([^，,。；;]*?)(?:的|比重|比例|份额|$)")
_QUALIFIER_ZH = {"approx": "约", "over": "超过", "under": "不足"}


@dataclass(frozen=True)
class Check:
    """One fact check: what was compared, the verdict, and the claims involved."""

    check_id: str
    kind: str  # sum | share | growth | conflict
    status: str  # consistent | inconsistent | undetermined
    detail: str
    claim_ids: tuple[str, ...] = field(default_factory=tuple)


def check_id(kind: str, claims: Iterable[Claim]) -> str:
    """Stable id from the kind and the facts (else claims) involved, in any order."""
    keys = sorted({c.get("fact_id") or c["claim_id"] for c in claims})
    return hashlib.sha1((kind + "|" + "|".join(keys)).encode()).hexdigest()[:16]


def make_check(kind: str, status: str, detail: str, claims: Sequence[Claim]) -> Check:
    ids = tuple(dict.fromkeys(c["claim_id"] for c in claims))
    return Check(check_id(kind, claims), kind, status, detail, ids)


# ---------------------------------------------------------------- numbers and precision

_NUMBER = re.compile(r"(\d+(?:\.(\d+))?)")
_MAGNITUDE = re.compile(r"\d(?:\.\d+)?\s*(万亿|亿|万|千|百)")


def step(c: Claim) -> float:
    """Half of this is the rounding of the printed figure: one unit of its last printed digit."""
    if c.get("step"):
        return float(c["step"])
    value = abs(float(c["value"]))
    m = _NUMBER.search(c.get("mention") or "")
    if not m:
        return 1.0 if value < 100 else 10.0 ** math.floor(math.log10(value))
    number = float(m.group(1))
    decimals = len(m.group(2) or "")
    scale = value / number if number else 1.0
    return scale * 10.0 ** -decimals


def bounds(c: Claim) -> tuple[float, float]:
    """The interval of true values a printed figure stands for."""
    v, h = float(c["value"]), step(c) / 2
    return v - h, v + h


def exact(claims: Iterable[Claim]) -> bool:
    return all((c.get("qualifier") or "exact") == "exact" for c in claims)


def overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    tol = _EPS * max(1.0, abs(a[0]), abs(a[1]), abs(b[0]), abs(b[1]))
    return a[0] <= b[1] + tol and b[0] <= a[1] + tol


def _scale(c: Claim) -> tuple[float, str]:
    """Multiplier and magnitude word of a mention (1e8, '亿' for 1140亿元)."""
    m = _MAGNITUDE.search(c.get("mention") or "")
    word = m.group(1) if m else ""
    return {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}.get(word, 1.0), word


def num(x: float, digits: int = 4) -> str:
    """A number as printed: no float noise, no trailing zeros."""
    s = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def shown(c: Claim, scale: float | None = None, word: str | None = None, unit: bool = True) -> str:
    """A claim's value in a given magnitude (default its own), with qualifier and unit."""
    if scale is None:
        scale, word = _scale(c)
    q = _QUALIFIER_ZH.get(c.get("qualifier") or "exact", "")
    u = (word or "") + (c.get("unit") or "") if unit else ""
    return f"{q}{num(float(c['value']) / scale)}{u}"


# ---------------------------------------------------------------- periods

def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _date(x) -> dt.date | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    if isinstance(x, dt.datetime):
        return x.date()
    if isinstance(x, dt.date):
        return x
    try:
        return dt.date.fromisoformat(str(x)[:10])
    except ValueError:
        return None


def period(c: Claim) -> tuple[dt.date, dt.date] | None:
    """The stated period of a claim, None when unknown or only the publication month."""
    if c.get("fallback"):
        return None
    ps, pe = _date(c.get("period_start")), _date(c.get("period_end"))
    return (ps, pe) if ps and pe else None


def same_period(a: Claim, b: Claim) -> bool:
    """Periods that may be the same: equal, or one of them unknown."""
    pa, pb = period(a), period(b)
    return pa is None or pb is None or pa == pb


def shift_period(p: tuple[dt.date, dt.date], months: int) -> tuple[dt.date, dt.date]:
    """A period moved back by `months` (month-end stays month-end)."""
    def move(d: dt.date, end: bool) -> dt.date:
        k = d.year * 12 + d.month - 1 - months
        y, m = divmod(k, 12)
        if end and d == _month_end(d.year, d.month):
            return _month_end(y, m + 1)
        return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))
    return move(p[0], False), move(p[1], True)


def period_months(p: tuple[dt.date, dt.date]) -> int:
    return (p[1].year - p[0].year) * 12 + p[1].month - p[0].month + 1


# ---------------------------------------------------------------- grouping helpers

def sentences(claims: Sequence[Claim]) -> list[list[Claim]]:
    """Claims grouped by sentence, in text order."""
    out: dict[str, list[Claim]] = {}
    for c in sorted(claims, key=lambda c: (c.get("article_id") or "", c.get("sent_no") or 0, c["start"])):
        out.setdefault(c["sentence_id"], []).append(c)
    return list(out.values())


def _previous_sentence(groups: list[list[Claim]], i: int) -> list[Claim]:
    """Claims of the sentence right before group i in the same article (empty if not adjacent)."""
    if i == 0:
        return []
    cur, prev = groups[i][0], groups[i - 1][0]
    if prev.get("article_id") != cur.get("article_id"):
        return []
    if cur.get("sent_no") is not None and prev.get("sent_no") is not None and cur["sent_no"] - prev["sent_no"] != 1:
        return []
    return groups[i - 1]


def _last_quantity(claims: Sequence[Claim], unit: str) -> Claim | None:
    for c in reversed(claims):
        if c["kind"] in QUANTITY and c["unit"] == unit:
            return c
    return None


# ---------------------------------------------------------------- sum

def check_sum(parts: Sequence[Claim], total: Claim, explicit: bool = True, listed_after: bool = False) -> Check:
    """Do the parts add up to the stated total?

    `explicit`: the text says the total is their sum (合计, 共计, 总数 after the list), so a sum
    short of the total is inconsistent; after 其中 (`listed_after`) the list may be partial, so a
    shortfall is undetermined. Parts exceeding the total are inconsistent either way.
    """
    scale, word = _scale(total)
    unit = word + (total.get("unit") or "")
    s = sum(float(p["value"]) for p in parts)
    lo = sum(bounds(p)[0] for p in parts)
    hi = sum(bounds(p)[1] for p in parts)
    t_lo, t_hi = bounds(total)
    terms = " + ".join(shown(p, scale, word, unit=False) for p in parts)
    arith = f"{terms} = {num(s / scale)}{unit}"
    claims = [*parts, total]
    said = f"所述总数 {shown(total)}"
    if not exact(claims):
        return make_check("sum", UNDETERMINED, f"{arith}；{said}。含约数，无法精确核对。", claims)
    if overlaps((lo, hi), (t_lo, t_hi)):
        how = "一致" if abs(s - float(total["value"])) <= _EPS * max(1.0, s) else "按印刷精度一致"
        return make_check("sum", CONSISTENT, f"{arith} ✓ 与{said}{how}", claims)
    diff = f"相差 {num((s - float(total['value'])) / scale)}{unit}"
    if s < float(total["value"]) and (listed_after or not explicit):
        return make_check("sum", UNDETERMINED, f"{arith}，小于{said}（{diff}）：所列部分可能不全，无法判断。", claims)
    return make_check("sum", INCONSISTENT, f"{arith} ✗ 与{said}不一致（{diff}）", claims)


def _list_after(cs: Sequence[Claim], i: int, unit: str) -> list[Claim]:
    """Quantities of `unit` from index i on, until another unit, a new 其中 or a clause break."""
    out: list[Claim] = []
    for j in range(i, len(cs)):
        c = cs[j]
        if j > i and ("其中" in c["pre"] or _BREAK.search(c["pre"]) or _TOTAL_CUE.search(c["pre"])):
            break
        if c["kind"] in QUANTITY:
            if c["unit"] != unit:
                break
            out.append(c)
    return out


def _plausible(parts: Sequence[Claim], total: Claim) -> bool:
    """A breakdown: same kind, each part below the total, periods that may be the same."""
    if any(p["kind"] != total["kind"] or float(p["value"]) >= float(total["value"]) for p in parts):
        return False
    claims = [*parts, total]
    return all(same_period(a, b) for a in claims for b in claims)


def sum_checks(claims: Sequence[Claim]) -> list[Check]:
    """Parts that should add up to a stated total, within one article.

    Two shapes: a list followed by its total (市级32人、县级382人……总人数达6674人), and a total
    followed by 其中 and a list of at least two parts (in the same or the next sentence).
    """
    groups = sentences(claims)
    out: list[Check] = []
    for gi, cs in enumerate(groups):
        used: set[str] = set()
        # Total, then 其中 and the parts.
        for i, c in enumerate(cs):
            if "其中" not in c["pre"] or c["kind"] not in QUANTITY:
                continue
            parts = _list_after(cs, i, c["unit"])
            if len(parts) < 2:
                continue
            total = _last_quantity(cs[:i], c["unit"]) or _last_quantity(_previous_sentence(groups, gi), c["unit"])
            if total is None or not _plausible(parts, total):
                continue
            out.append(check_sum(parts, total, explicit=False, listed_after=True))
            used.update(p["claim_id"] for p in parts)
        # A list, then its total.
        run: list[Claim] = []
        for c in cs:
            if c["kind"] not in QUANTITY:
                continue
            if c["claim_id"] in used or "其中" in c["pre"] or _BREAK.search(c["pre"]):
                run = [] if c["claim_id"] in used else [c]
                continue
            if run and c["unit"] != run[-1]["unit"]:
                run = [c]
                continue
            if len(run) >= 2 and _TOTAL_CUE.search(c["pre"]) and _plausible(run, c):
                out.append(check_sum(run, c, explicit=bool(_SUM_WORDS.search(c["pre"]))))
                run = []
                continue
            run.append(c)
    return out


# ---------------------------------------------------------------- share

@dataclass
class ShareCase:
    """A stated share, the part it is a share of, and where its total may be."""

    share: Claim
    part: Claim
    total: Claim | None = None  # tied by the text (其中 ... 占比)
    phrase: str = ""  # what the share is of (四川外贸进出口总值), '' when not said
    candidates: list[Claim] = field(default_factory=list)  # totals guessed from elsewhere


def _share_part(cs: Sequence[Claim], i: int) -> Claim | None:
    """The figure a share at index i refers to: the quantity right before it in the sentence."""
    if not _SHARE_LINK.search(cs[i]["pre"]):
        return None
    j = i - 1
    while j >= 0 and cs[j]["kind"] in ("growth", "change_pp"):
        j -= 1
    if j >= 0 and cs[j]["kind"] in QUANTITY:
        return cs[j]
    return None


def _share_phrase(pre: str) -> str:
    """What a share is of: 在<全省签约电量>中占比, 占<四川外贸进出口总值>的; '' for a bare 占比."""
    m = _SHARE_IN.search(pre)
    if m:
        return m.group(1)
    if "占比" in pre:
        return ""
    m = _SHARE_OF.search(pre)
    return m.group(1) if m else ""


def find_shares(claims: Sequence[Claim]) -> list[ShareCase]:
    """Shares with their part, and their total when the sentence ties it (其中 ... 占比).

    `claims`: one document's claims (the total of a share may sit in the previous sentence).
    """
    groups = sentences(claims)
    out: list[ShareCase] = []
    for gi, cs in enumerate(groups):
        for i, s in enumerate(cs):
            if s["kind"] != "share" or s["unit"] != "%":
                continue
            part = _share_part(cs, i)
            if part is None:
                continue
            case = ShareCase(s, part, phrase=_share_phrase(s["pre"]))
            k = cs.index(part)
            marks = [j for j in range(k + 1) if "其中" in cs[j]["pre"]]
            if marks:
                before = [c for c in cs[: marks[-1]] if c is not part]
                total = _last_quantity(before, part["unit"]) or _last_quantity(
                    _previous_sentence(groups, gi), part["unit"])
                if total is not None and float(total["value"]) >= float(part["value"]):
                    case.total = total
            out.append(case)
    return out


def check_share(case: ShareCase) -> Check:
    """part / total × 100 against the stated share, for the tied total or the best candidate."""
    s, p = case.share, case.part
    stated = bounds(s)
    tried: list[tuple[float, bool, Claim]] = []
    totals = ([case.total] if case.total else []) + [t for t in case.candidates if t is not case.total]
    for t in totals:
        t_lo, t_hi = bounds(t)
        p_lo, p_hi = bounds(p)
        if t_lo <= 0:
            continue
        comp = (p_lo / t_hi * 100, p_hi / t_lo * 100)
        tried.append((float(p["value"]) / float(t["value"]) * 100, overlaps(comp, stated), t))
    what = f"（{case.phrase}）" if case.phrase else ""
    if not tried:
        return make_check("share", UNDETERMINED,
                          f"{shown(p)} 占总数{what}的 {shown(s)}：文中未给出总数，无法核对。", [s, p])
    tied = case.total is not None
    ok = [x for x in tried if x[1]]
    value, good, t = ok[0] if ok else (tried[0] if tied else min(tried, key=lambda x: abs(x[0] - float(s["value"]))))
    scale, word = _scale(t)
    arith = (f"{shown(p, scale, word)} ÷ {shown(t, scale, word)} × 100% = {num(value, 2)}%")
    claims = [s, p, t]
    if not exact(claims):
        return make_check("share", UNDETERMINED, f"{arith}；所述占比 {shown(s)}。含约数，无法精确核对。", claims)
    if good:
        how = "一致" if round(value, 9) == float(s["value"]) else f"按印刷精度（{num(float(s['value']))}% ± {num(step(s) / 2)}）一致"
        return make_check("share", CONSISTENT, f"{arith} ✓ 与所述占比 {shown(s)} {how}", claims)
    if tied:
        return make_check("share", INCONSISTENT, f"{arith} ✗ 与所述占比 {shown(s)} 不一致", claims)
    return make_check("share", UNDETERMINED,
                      f"{arith}，与所述占比 {shown(s)} 不符；该总数取自别处，口径或时期可能不同，无法判断。", claims)


def share_checks(claims: Sequence[Claim], lookup: Callable[[ShareCase], list[Claim]] | None = None,
                 same_doc: Callable[[ShareCase, Claim], bool] | None = None) -> list[Check]:
    """Shares of one document checked against their total.

    The total is the one the sentence ties to the part (其中 ... 占比), else a figure of the same
    unit elsewhere in the document for which `same_doc(case, claim)` holds (same region and
    metric as the share's stated whole), else what `lookup(case)` finds in other documents.
    """
    out: list[Check] = []
    for case in find_shares(claims):
        if case.total is None and same_doc is not None:
            case.candidates = [c for c in claims if c["kind"] in QUANTITY and c["unit"] == case.part["unit"]
                               and c is not case.part and float(c["value"]) >= float(case.part["value"])
                               and same_period(c, case.share) and same_doc(case, c)]
        if case.total is None and not case.candidates and lookup is not None:
            case.candidates = [c for c in lookup(case) if float(c["value"]) >= float(case.part["value"])]
        if case.total is None and not case.candidates and not case.phrase:
            continue  # "占比30%" with no whole named: nothing to check against
        out.append(check_share(case))
    return out


# ---------------------------------------------------------------- growth

def check_growth(rate: Claim, current: Claim, previous: Claim) -> Check:
    """(current / previous − 1) × 100 against a stated growth rate."""
    c_lo, c_hi = bounds(current)
    p_lo, p_hi = bounds(previous)
    claims = [rate, current, previous]
    if p_lo <= 0:
        return make_check("growth", UNDETERMINED, "上期数值为零，无法计算增长率。", claims)
    value = (float(current["value"]) / float(previous["value"]) - 1) * 100
    comp = ((c_lo / p_hi - 1) * 100, (c_hi / p_lo - 1) * 100)
    scale, word = _scale(current)
    arith = f"({shown(current, scale, word)} ÷ {shown(previous, scale, word)} − 1) × 100% = {num(value, 2)}%"
    if not exact(claims):
        return make_check("growth", UNDETERMINED, f"{arith}；所述增长 {shown(rate)}。含约数，无法精确核对。", claims)
    if overlaps(comp, bounds(rate)):
        return make_check("growth", CONSISTENT, f"{arith} ✓ 与所述增长 {shown(rate)} 按印刷精度一致", claims)
    return make_check("growth", INCONSISTENT,
                      f"{arith} ✗ 与所述增长 {shown(rate)} 不一致（上期数可能经过修订或口径调整）", claims)


def growth_checks(claims: Sequence[Claim]) -> list[Check]:
    """Growth rates against the previous value of the same series (one metric_id and region).

    同比 (the default) compares with the same period a year before, 环比 with the period of
    the same length right before. The current value is the figure the rate follows in its
    sentence, else the series' figure for the rate's period.
    """
    out: list[Check] = []
    values: dict[tuple, list[Claim]] = {}
    for c in claims:
        p = period(c)
        if c["kind"] in QUANTITY and p and c.get("status", "actual") == "actual":
            values.setdefault((p, c["kind"], c["unit"]), []).append(c)
    if not values:
        return out
    first_of: dict[tuple, Claim] = {}
    for (p, _, _), v in values.items():
        first_of.setdefault(p, v[0])
    by_sentence: dict[str, list[Claim]] = {}
    for c in sorted(claims, key=lambda c: c["start"]):
        by_sentence.setdefault(c["sentence_id"], []).append(c)
    for g in claims:
        p = period(g)
        if g["kind"] != "growth" or g["unit"] != "%" or not p or g.get("status", "actual") != "actual":
            continue
        before = [c for c in by_sentence.get(g["sentence_id"], []) if c["start"] < g["start"]]
        current = next((c for c in reversed(before) if c["kind"] in QUANTITY and period(c) == p), None)
        if current is None:
            current = first_of.get(p)
        if current is None:
            continue
        back = period_months(p) if "环比" in g["pre"] else 12
        prev = values.get((shift_period(p, back), current["kind"], current["unit"]))
        if prev:
            out.append(check_growth(g, current, prev[0]))
    return out


# ---------------------------------------------------------------- conflict

def conflict_checks(claims: Sequence[Claim]) -> list[Check]:
    """One metric, region and period reported with different values (one claim per fact given).

    `claims`: figures of the same metric_id, region, period, kind, unit and status.
    """
    reps: dict[str, Claim] = {}
    for c in claims:
        if period(c) is None:
            continue
        reps.setdefault(c.get("fact_id") or c["claim_id"], c)
    facts = sorted(reps.values(), key=lambda c: float(c["value"]))
    out: list[Check] = []
    for a, b in zip(facts, facts[1:], strict=False):
        if overlaps(bounds(a), bounds(b)):
            continue
        where = lambda c: f"{shown(c)}（{c.get('doc_id', '')}）"  # noqa: E731
        ps, pe = period(a)
        when = f"{ps:%Y-%m}" if (ps.year, ps.month) == (pe.year, pe.month) else f"{ps:%Y-%m}至{pe:%Y-%m}"
        detail = (f"同一指标（{a.get('metric') or a.get('metric_id')}）、同一地区（{a.get('region') or '?'}）、"
                  f"同一时期（{when}）出现不同数值：{where(a)} ≠ {where(b)}")
        if not exact([a, b]):
            lo_a, hi_a = _qualified(a)
            lo_b, hi_b = _qualified(b)
            if overlaps((lo_a, hi_a), (lo_b, hi_b)):
                out.append(make_check("conflict", UNDETERMINED, detail + "；含约数，二者可能相容。", [a, b]))
                continue
        out.append(make_check("conflict", INCONSISTENT, detail + " ✗", [a, b]))
    return out


def _qualified(c: Claim) -> tuple[float, float]:
    """Bounds of a figure with its qualifier: 超过 x -> [x, ∞), 不足 x -> (−∞, x], 约 x -> ±10%."""
    lo, hi = bounds(c)
    q = c.get("qualifier") or "exact"
    if q == "over":
        return lo, math.inf
    if q == "under":
        return -math.inf, hi
    if q == "approx":
        v = abs(float(c["value"]))
        return lo - 0.1 * v, hi + 0.1 * v
    return lo, hi
