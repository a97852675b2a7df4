"""How well one claim answers a question: a score per field, and whether it may answer at all.

A claim may answer only when its kind fits what is asked (增长多少 wants a growth rate, 第几 a
rank), its unit is the measure word asked for, its place is the one asked about, its period is
the one asked for (or its sentence names that period), and its metric phrase and sentence hold
most of the question's metric words. Otherwise it is no answer: the caller says nothing was
found rather than offer the nearest figure. Pure: no database here.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from etl.extract.fields.metric import canonical_metric
from etl.extract.periods import Period, month_end
from etl.extract.places import by_name
from etl.store.catalog import catalog

from .question import Question, containing

# Below this share of the question's metric words found, a claim is about something else.
MIN_METRIC = 0.7

# Below this share of the claim's metric phrase explained by the question's characters, the
# claim measures a narrower thing (民营企业进出口 for 外贸进口总额).
MIN_COVERED = 0.35

_VALUE_KINDS = frozenset(("amount", "count", "other", "multiple"))
_KINDS = {"value": _VALUE_KINDS, "growth": frozenset(("growth",)), "share": frozenset(("share",)),
          "rank": frozenset(("rank",)), "change_pp": frozenset(("change_pp",))}
_STATUS = {False: {"actual": 1.0, "forecast": 0.8, "target": 0.6}, True: {"target": 1.0, "forecast": 1.0, "actual": 0.6}}


@dataclass(frozen=True)
class Fit:
    """How one claim fits a question (each part 0..1) and the total used to rank answers."""

    metric: float
    region: float
    period: float
    status: float
    covered: float  # share of the claim's metric phrase the question's words explain
    unit: float = 1.0  # the unit the question's words expect
    narrower: bool = False  # the claim's metric is a part of what is asked (see metric_fit)

    @property
    def ok(self) -> bool:
        return self.metric >= MIN_METRIC and self.region > 0 and self.period > 0 and not self.narrower

    @property
    def score(self) -> float:
        return (3 * self.metric + self.region + self.period + 0.5 * self.status + self.covered
                + self.unit)


def kinds(q: Question) -> frozenset[str]:
    """Claim kinds that can answer the question."""
    return _KINDS[q.kind]


def kind_fits(q: Question, kind: str | None, unit: str | None) -> bool:
    """Whether a claim of this kind and unit is the kind of figure asked for."""
    if kind not in _KINDS[q.kind]:
        return False
    if q.kind == "value":
        if unit == "%" or (q.count and unit in _MONEY):
            return False  # "how many" asks for a count, never an amount of money
        if q.unit and unit and _measure(q.unit) != _measure(unit):
            return False  # 多少亩 asked, 2倍 or 28条 found: another measure
        if not q.unit and not q.count and unit and unit not in _MONEY and asks_money(q):
            return False  # 经费有多少, 总投资多少: money, not 150项
    return True


def asks_money(q: Question) -> bool:
    """Whether the question's last metric word is one money is measured by (经费, 投资, 总额)."""
    words = [t for t in q.terms if t not in q.names]
    return bool(words) and words[-1].endswith(_MONEY_WORDS)


def _forms(q: Question, term: str) -> tuple[str, ...]:
    return (term, *q.alternatives.get(term, ()))


_SPACE = re.compile(r"\s+")


def _plain(text: str | None) -> str:
    """Canonical metric words, spaces (line breaks of the page) removed."""
    return canonical_metric(_SPACE.sub("", text)) if isinstance(text, str) and text else ""


_CLAUSE = re.compile(r"[，,；;。：:！!？?]")


# Words that say a figure is a total or an amount, not what it is of: found or not, they count little.
_GENERIC_HEADS = frozenset(("总额", "总值", "总量", "总数", "规模", "金额", "数量", "总计", "合计", "数额"))


def term_weight(term: str) -> int:
    """A question word's weight in metric_fit: its length up to 4, 1 for a generic head (总额)."""
    return 1 if term in _GENERIC_HEADS else min(len(term), 4)


def local_window(sentence: str | None, offset: int | None, length: int, clauses: int = 1) -> str:
    """The last `clauses` clauses of the sentence up to the figure's end (offset in the sentence)."""
    if not sentence or offset is None or not 0 <= offset <= len(sentence):
        return ""
    bounds = [m.start() for m in _CLAUSE.finditer(sentence, 0, offset)]
    return sentence[bounds[-clauses] + 1 if len(bounds) >= clauses else 0:offset + length]


def metric_fit(q: Question, metric: str | None, sentence: str | None, title: str | None = None,
               article: str | None = None, local: str | None = None) -> tuple[float, float, bool]:
    """(share of the question's metric words found, share of the claim's metric they explain,
    whether the claim's metric is a narrower one).

    A word in the claim's metric phrase counts fully; in the figure's own clause (`local`) 0.9; elsewhere in its sentence or in the article title 0.8 (the phrase is
    often short: 总量, 签约电量); elsewhere in its article 0.6 (a programme, company or project
    is named once, at the top), but 0.2 for a word that metric phrases have (民营企业: the
    figure must be the private firms', not any figure of an article about them); a longer word half found by its
    character pairs, half that. A name the question quotes (“信易贷”) counts fully wherever its
    article has it. When the figure's clause holds what its metric phrase does not, the clause
    stands for the phrase (a phrase read wrongly).
    """
    if not q.terms:
        return 0.0, 0.0, False
    m = _plain(metric)
    near_local = _plain(local)
    near = _plain(sentence) + "\n" + _plain(title)
    far = _plain(article)
    got = total = in_clause = 0.0
    in_metric = 0
    for term in q.terms:
        weight = term_weight(term)
        total += weight
        forms = _forms(q, term)
        if term in q.names and any(f in x for f in forms for x in (m, near_local, near, far)):
            got += weight
            in_clause += weight
        elif any(f and f in m for f in forms):
            got += weight
            in_clause += weight
            in_metric += 1
        elif any(f and f in near_local for f in forms):
            got += 0.9 * weight
            in_clause += weight
        elif any(f and f in near for f in forms):
            got += (0.4 if term in q.modifiers else 0.8) * weight
        elif far and any(f and f in far for f in forms):
            got += (0.2 if term in q.modifiers else 0.6) * weight
        elif len(term) >= 3:
            pairs = [term[i:i + 2] for i in range(len(term) - 1)]
            found = sum(1 for p in pairs if p in m or p in near)
            got += 0.5 * weight * found / len(pairs)
    total += len(q.unread)  # words of an English question nothing could read count as not found
    score = got / total
    known = catalog().match(q.metric)
    if known and catalog().match(metric) == known:
        score = max(score, 1.0)  # the same metric of the catalog, written another way (GDP, 经济总量)
    elif in_clause == 0 or any(not _found(q, t, m, near_local) for t in q.modifiers) \
            or any(not _found(q, t, m, near_local) for t in q.terms if t in _FLOW):
        # nothing of the question in the figure's own words, or not the part asked (加工贸易), or
        # not the new ones asked (新增: a cumulative figure or a stock is another):
        # at best another figure of its sentence
        score = min(score * (0.6 if catalog().match(metric) else 1.0), MIN_METRIC - 0.01)
    elif _conflict(q, m):
        score *= 0.6
    asked = set("".join(f for t in q.terms for f in _forms(q, t)))
    covered = sum(1 for ch in m if ch in asked) / len(m) if m else 0.0
    # A phrase with a word of the question whose other characters the question does not explain
    # measures a narrower thing (消费品进口 for 进口总额); a phrase with none of its words was read
    # badly (当月) or is another metric, which the score above already says.
    # A phrase with a word of the question and mostly other words is another thing (成果转化平台
    # for 国家级科技创新平台); a modifier the question lacks makes it a part (see narrows).
    narrower = narrows(q, m, _plain(local) or m) or (in_metric > 0 and covered < MIN_COVERED and _ends_with_term(q, m))
    return score, max(covered, in_clause / total), narrower


_FLOW = ("新增", "新设", "新建", "净增", "新登记", "新办", "新开办", "新引进", "新认定")
_STOCK = ("总数", "总量", "累计", "实有", "余额", "拥有量", "保有量", "存量", "总计")


@functools.lru_cache(maxsize=1)
def catalog_modifiers() -> tuple[str, ...]:
    """What narrows a metric, read from the catalog: X where 'X + another metric's name' is a
    metric's name (民营企业 from 民营企业进出口 and 进出口; 吸纳 from 吸纳技术合同成交额)."""
    names = [(m.metric_id, n) for m in catalog().metrics.values() for n in (m.name_zh, *m.synonyms)]
    out = {a[:-len(b)] for ia, a in names for ib, b in names
           if ia != ib and len(a) > len(b) + 1 and a.endswith(b)}
    return tuple(sorted(x for x in out if not x.endswith("进")))  # 外贸进 + 出口: a cut of 进出口


_PARTNER = re.compile(r"对(.{2,12}?)(?:进出口|出口|进口)")


def _ends_with_term(q: Question, metric: str) -> bool:
    return any(metric.endswith(f) for t in q.terms for f in _forms(q, t) if f)


def narrows(q: Question, metric: str, clause: str | None = None) -> bool:
    """Whether a claim's metric is a part of what is asked: it has a modifier the question does
    not (民营企业进出口 for 进出口总值; 对澳大利亚进出口 for 四川外贸), written in the figure's own
    clause too (a modifier only in a phrase read wrongly is not the figure's)."""
    asked = _ASKED_NOISE.sub("", q.text) + "".join(f for t in q.terms for f in _forms(q, t))
    clause = metric if clause is None else clause
    if any(x in metric and x in clause and x.removeprefix("对") not in asked for x in catalog_modifiers()):
        return True
    if any(p.group(1) not in asked and p.group(1) in clause for p in _PARTNER.finditer(metric)):
        return True
    if q.total or any(t in _TOTALS for t in q.terms):
        # 进口总额 asked, 消费品进口 found: a part named before the words asked
        for t in q.terms:
            i = next((metric.find(f) for f in _forms(q, t) if f and f in metric), -1)
            if i >= 2 and not any(ch in asked for ch in metric[i - 2:i]):
                return True
    return False


_ASKED_NOISE = re.compile(r"[\s“”\"'‘’「」『』《》（）()·・]+")
_TOTALS = ("总额", "总值", "总量", "总计", "合计", "全部")


def is_modifier(q: Question, term: str) -> bool:
    """A question's word that narrows its metric (民营企业; 美国 in 对美国进出口), which the
    figure itself must carry rather than its article."""
    return any(len(x) >= 3 and x in term for x in catalog_modifiers()) or f"对{term}" in q.text


_PHASE = re.compile("[一二三四五首](?:期)")


def _said_of_another(q: Question, metric: str | None, sentence: str | None, local: str | None,
                     before: str | None) -> bool:
    """Whether the sentence says what is asked of another figure: the question's head phrase (its
    last two words as written together: 新设企业) stands in the sentence outside the figure's own
    clause and not in it; or the question names a phase (一期) and the sentence, before the
    figure, names another one and not it (二期 ... 总投资60亿元)."""
    if not sentence:
        return False
    own = _plain(metric) + "\n" + _plain(local)
    words = [t for t in q.terms if t not in q.names]
    # the last two words: the head of what is asked (新设企业), not a name before it (某公司二期)
    phrases = [words[-2] + words[-1]] if len(words) >= 2 and len(words[-2] + words[-1]) >= 4 else []
    if phrases and not any(p in own for p in phrases):
        # a clause of the sentence with a figure of its own, written right after the phrase
        for clause in _CLAUSE.split(_plain(sentence)):
            if clause and clause not in own and any(re.search(re.escape(p) + r"[^\d，,；;]{0,4}\d", clause)
                                                    for p in phrases):
                return True
    asked = set(_PHASE.findall(q.text))
    if asked and before:
        said = set(_PHASE.findall(_plain(before)))
        if said and not said & asked:
            return True
    return False


def _found(q: Question, term: str, *texts: str) -> bool:
    return any(f and f in t for f in _forms(q, term) for t in texts)


def _conflict(q: Question, metric: str) -> bool:
    """A new-registrations question answered by a stock, or a stock question by new registrations."""
    words = q.text
    flow_q, stock_q = any(w in words for w in _FLOW), any(w in words for w in _STOCK)
    flow_m, stock_m = any(w in metric for w in _FLOW), any(w in metric for w in _STOCK)
    if (flow_q and not stock_q and stock_m and not flow_m) or (stock_q and not flow_q and flow_m and not stock_m):
        return True
    return _direction(words) not in ("", _direction(metric))


def _direction(text: str) -> str:
    """进出口 (both ways), 进口 or 出口 (one way), or '' when the text names no trade."""
    if "进出口" in text or ("进口" in text and "出口" in text):
        return "进出口"
    return "进口" if "进口" in text else "出口" if "出口" in text else ""


def _chain(name: str | None) -> list[str]:
    """A place and the places containing it, its metropolitan areas included."""
    return [name, *containing(name, metros=True)] if name else []


def region_fit(q: Question, region: str | None, context: str | None, before: str | None = None,
               sentence: str | None = None) -> float:
    """1 for the place asked about; 0.7 where the figure's clause names it and not the figure's
    own place (a place read wrongly); 0.5 where the
    claim's sentence or article names the place asked and the claim's own place is neither a
    part of it (成都 for 四川: a part is not the whole) nor another place of its level
    (成都 for 德阳); 0 otherwise."""
    if not q.places:
        return 1.0
    subject = q.places[0]
    if region == subject.name:
        return 1.0
    if before and _named(subject.name, before) and not (region and _named(region, sentence or before)):
        return 0.7  # the sentence names the place asked before the figure, and never the one it was given
    if not context or not _named(subject.name, context):
        return 0.0
    if region is None:
        return 0.5 if _named(subject.name, sentence or "") else 0.0
    other = by_name().get(region)
    if other is None or other.level == subject.level or subject.name in _chain(region) \
            or region in _chain(subject.name):
        return 0.0  # a part, a whole or a sibling of the place asked is another place's figure
    return 0.5


def _named(name: str, text: str) -> bool:
    return any(alias in text for alias in _names(name))


def _names(name: str) -> tuple[str, ...]:
    short = name[:-1] if len(name) > 2 and name[-1] in "省市区县" else name
    return (name, short)


def period_fit(q: Question, start: dt.date | None, end: dt.date | None,
               sentence_periods: Sequence[Period] = (), published: dt.date | None = None,
               context: str | None = None) -> float:
    """1 for the period asked for; less for the same period named by the sentence (the claim's
    own period read wrongly), a stock at the date asked or a part of a year asked as a year;
    0 for another period."""
    p = q.period
    if p is None:
        return 1.0
    if start is None or end is None:
        return 0.0
    if p.asof and start == end == p.end:
        return 1.0  # 截至2月末: the balance on that day first, then the flow to it
    if (start, end) == (p.start, p.end):
        return 0.9 if p.asof else 1.0
    if q.period_name == "since" and start == p.start and end <= p.end:
        return 1.0  # 自2019年以来: up to the article's date
    if p.asof and end == p.end:
        return 0.95  # 截至2023年底 / 截至9月: a stock at that date, or the flow of the year to it
    unknown = published is not None and start == end == month_end(published.year, published.month)
    if unknown and any(_same(s, p) for s in sentence_periods):
        return 0.85  # the sentence names the period asked; the claim's own was not read from it
    if p.asof and start == end and (end.year, end.month) == (p.end.year, p.end.month):
        return 0.9
    if unknown and p.end <= published and (published - p.end).days <= 75 and not q.strict \
            and (p.end.year == published.year or str(p.end.year) in (context or "")):
        return 0.5  # no period of its own (the publication month stood in): the one just ended asked for
    if start == end and p.start <= end <= p.end and not p.asof and not q.strict:
        return 0.7  # a stock on a day of the period asked (林长 in December 2023: on 31 December)
    whole_year = (p.start.month, p.start.day, p.end.month, p.end.day) == (1, 1, 12, 31) and p.start.year == p.end.year
    if whole_year and not q.strict and p.start <= start and end <= p.end:
        return 0.6  # asked for 2023年, the paper gave 2023年1-11月
    return 0.0


_MONEY_WORDS = ("额", "金额", "总值", "产值", "收入", "营收", "投资", "规模", "资金", "贷款", "存款", "余额", "利润",
                "税收", "增加值", "生产总值", "消费券", "津贴", "补贴", "融资", "钱", "经费", "预算", "费用", "成本")


def _same(s: Period, p: Period) -> bool:
    return (s.start, s.end) == (p.start, p.end) or (p.asof and s.asof and s.end == p.end)


_MONEY = frozenset(("元", "美元", "欧元", "港元"))
# Measure words that count the same things: a paper may write 7个车站 where a question asks 几座.
_SAME_MEASURE = {**dict.fromkeys("座处只台套间栋", "个"), **dict.fromkeys("所户", "家"), **dict.fromkeys(("名", "位", "人次"), "人")}


def _measure(unit: str) -> str:
    return _SAME_MEASURE.get(unit, unit)


def unit_fit(q: Question, unit: str | None) -> float:
    """1 when the unit is the one asked for or the metric's words expect (额, 投资: money); less
    for another measure word (几座车站 asked, 7个车站 written: a paper's word, not another figure)."""
    if q.kind != "value":
        return 1.0
    if q.unit:
        return 1.0 if not unit or unit == q.unit else 0.8  # 个 for 座: the same count, a paper's word
    if q.count:
        return 0.3 if unit in ("元", "美元") else 1.0
    money = any(t.endswith(_MONEY_WORDS) for t in q.terms[-2:])
    return 1.0 if not money or unit in ("元", "美元") else 0.5


def fit(q: Question, row: Mapping, sentence_periods: Sequence[Period] = (), article: str | None = None) -> Fit:
    """How a claim row (metric, region, period_start, period_end, status, sentence,
    article_title, published) fits the question; `article` is its article's text when read."""
    sentence = row.get("sentence")
    mention = row.get("mention") or ""
    at = sentence.find(mention) if sentence and mention else -1  # the first time it is written there
    # A rate, share or rank follows the clause that names its metric (增加值同比增长5.0%，其中12月当月增长9.4%).
    local = local_window(sentence, at if at >= 0 else None, len(mention), 1 if q.kind == "value" else 2)
    metric, covered, narrower = metric_fit(q, row.get("metric"), sentence, row.get("article_title"), article, local)
    before = sentence[:at] if sentence and at >= 0 else None
    if _said_of_another(q, row.get("metric"), sentence, local, before):
        metric = min(metric, MIN_METRIC - 0.01)
    context = (row.get("sentence") or "") + (row.get("article_title") or "") + (article or "")
    region = row.get("region")
    if region == "全国" and row.get("kind") == "rank":
        region = None  # 在全国排位第十: the country is what it is ranked in, not whose rank it is
    return Fit(metric=metric, region=region_fit(q, region, context, before, sentence),
               period=period_fit(q, row.get("period_start"), row.get("period_end"), sentence_periods,
                                 row.get("published"), context),
               status=_STATUS[q.plan].get(row.get("status") or "actual", 0.6), covered=covered,
               unit=unit_fit(q, row.get("unit")), narrower=narrower)
