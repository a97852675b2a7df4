"""Claim extraction: the numeric claims of an article, each field resolved by its own module.

    extract_article(article, doc) -> list[Claim]

Figures come from `etl.extract.numbers`, places from `etl.extract.places`, period expressions
from `etl.extract.periods`. `extract_sentence` composes the fields per figure, in this order:
kind (`fields.kind`), region (`fields.region`), metric (`fields.metric`), period
(`fields.period`), status (`fields.status`), topic and sector (`fields.topic`, `fields.sector`).
Context flows through the article (`fields.context.Context`): a sentence without a place or
period inherits the article's (headline first), then the page's default (the outlet's city).
"""
from __future__ import annotations

import datetime as dt
import re

from etl.extract.fields.context import (
    ENUM_JOINS,
    FIGURE_JOINS,
    RESPECTIVELY,
    SUB_ITEMS,
    Context,
    clause_start,
    list_start,
)
from etl.extract.fields.kind import RATE_KINDS, benchmark_kind, figure_kind, is_rank_context
from etl.extract.fields.metric import (
    canonical_metric,
    compared_metric,
    figure_metric,
    is_metric_fragment,
    listed_metric,
)
from etl.extract.fields.period import (
    LEAD_SENTENCES,
    as_of_if_stock,
    continuation_re,
    figure_period,
    in_context,
    is_local,
    month_of_list,
    opening_year,
    recent_part_of_year,
    reference_periods,
    since_year_start,
)
from etl.extract.fields.region import (
    HOME_PROVINCE,
    area_of,
    article_region,
    at_home,
    benchmark_word,
    figure_region,
    first_place,
    generic_place,
    province_of,
    without_orgs,
)
from etl.extract.fields.sector import figure_sector
from etl.extract.fields.status import figure_status, is_plan_article, status_re, status_role_re
from etl.extract.fields.topic import topic_of
from etl.extract.model import Article, Claim, Document, Sentence
from etl.extract.numbers import NumberMention, find_numbers
from etl.extract.periods import (
    Period,
    PeriodMention,
    find_periods,
    publication_month,
)
from etl.extract.places import (
    PlaceMention,
    by_name,
    find_places,
    outlet_region,
    places_of,
)

SKIPPED_ROLES = ("byline", "meta")


APPROX_COPULA = re.compile(r"约(?:是|为|占|相当于)")


_NUMERAL = re.compile(r"[\d０-９零〇一二两三四五六七八九十百千万亿]")


_MAGNITUDE_END = ("亿", "万", "千")


def _list_units(numbers: list[NumberMention], text: str) -> list[NumberMention]:
    """29.8亿、16.2亿、12.9亿元: figures of a list written with a magnitude only take the unit of the
    list's last figure."""
    if len(numbers) < 2 or not any(not m.unit and m.text.endswith(_MAGNITUDE_END) for m in numbers):
        return numbers
    out = list(numbers)
    for i in range(len(out) - 2, -1, -1):
        m, nxt = out[i], out[i + 1]
        if m.unit or not m.text.endswith(_MAGNITUDE_END) or not nxt.unit:
            continue
        if FIGURE_JOINS.fullmatch(text[m.end:nxt.start].strip() or "x") and nxt.text.rstrip(nxt.unit).endswith(
                m.text[-1]):
            out[i] = NumberMention(m.start, m.end, m.text, m.value, nxt.unit, nxt.unit_kind, m.qualifier,
                                   m.ordinal, m.chinese)
    return out


def digit_breaks(sent: Sentence) -> tuple[int, ...]:
    """Positions of the sentence text where a source line break fell between two digits."""
    text, offs = sent.text, sent.offsets
    if not offs or offs[-1] - offs[0] + 1 == len(text):
        return ()  # the sentence had no line break inside
    return tuple(i for i in range(1, len(text))
                 if offs[i] - offs[i - 1] > 1 and text[i - 1].isdigit() and text[i].isdigit())


def sentence_numbers(sent: Sentence) -> list[NumberMention]:
    """Figures of a sentence (independent of the article context)."""
    text = sent.text
    if not _NUMERAL.search(text):
        return []  # no numeral at all (a C scan): most sentences
    return find_numbers(text, digit_breaks(sent)) if sent.offsets else find_numbers(text)


def extract_sentence(sent: Sentence, doc: Document, ctx: Context, numbers: list[NumberMention] | None = None,
                     places: list[PlaceMention] | None = None) -> list[Claim]:
    """Claims of one sentence; updates the article context `ctx`. `numbers` (sentence_numbers)
    and `places` (find_places with orgs) may be passed when already computed."""
    text = sent.text
    ctx.continued = ctx.continued or bool(continuation_re().match(text))
    if numbers is None:
        numbers = sentence_numbers(sent)
    if places is None:
        places = find_places(text, with_orgs=bool(numbers))
    if not numbers:  # most sentences: they only carry the context on
        ctx.org_places = []
        periods = in_context(find_periods(text, doc.published), ctx, text)
        reference = reference_periods(periods, text) if periods else []
        carried = without_orgs(places) if places else places
        spans = [p for p in reference if not is_local(p, text)] if reference else []
        stripped = text.rstrip()
        if carried or spans:
            _update_context(ctx, carried, spans, ctx.metric, text=text)
        else:  # _update_context without places or periods, inlined (most of these sentences)
            listing = ctx.continued and ctx.sub_items
            ctx.sub_items = (listing or text.find(SUB_ITEMS) >= 0) and not stripped.endswith(("。", "！", "？"))
            if not ctx.continued:
                ctx.period = None
        ctx.continued = stripped.endswith((";", "；", ",", "，"))
        return []
    ctx.sentence_places = places
    if any(p.org for p in places):
        ctx.org_places = [p for p in places if p.org and at_home(p.place, ctx.home) and p.place.level != "province"]
    else:
        ctx.org_places = []
    places = without_orgs(places) if places else places
    periods = in_context(find_periods(text, doc.published), ctx, text)
    has_period = bool(periods) and any(q.period is not None for q in periods)
    # Asked for every figure: whether the sentence has a status cue / an achievement marker at all.
    cue = status_re().search(text)
    achieved = status_role_re("achieved").search(text) is not None
    headline = sent.role == "headline"  # sent.is_headline
    offsets = sent.offsets  # sent.span(), read in place (see below)
    base = sent.start if not offsets and sent.end - sent.start == len(text) else None
    title = ctx.title
    claims: list[Claim] = []
    prev_end = 0
    prev_metric = ctx.metric
    masks = [(p.start, p.end) for p in periods] if periods else []
    reference = reference_periods(periods, text) if periods else []
    numbers = _list_units(numbers, text)
    listed = RESPECTIVELY in text  # (asked for every figure: 分别 lists are rare)
    for n in numbers:
        clause = clause_start(text, n.start)
        # The clause from the previous figure on (for headlines, spaces between words separate clauses).
        lo = clause_start(text, n.start, prev_end, True) if headline else max(clause, prev_end)
        left = text[lo:n.start]
        if n.ordinal and n.unit == "位" and not n.text.endswith(("位", "名")) and not is_rank_context(text[clause:n.start]):
            continue
        kind, sign = figure_kind(n, left)
        if ENUM_JOINS.match(left.strip() or text[max(0, lo - 1):lo]):
            like = next((c for c in reversed(claims) if c.unit == n.unit), None)
            if like is not None:  # 分别增长10%、2.5%: the kind of the list's first figure
                kind, sign = like.kind, (-1 if (like.value or 0) < 0 else 1)
            else:  # 分别增长2.1倍、44.5%: the cue before the list
                kind, sign = figure_kind(n, text[list_start(text, n.start):n.start])
        benchmark = n.unit == "%" and benchmark_word(text, n) is not None
        if benchmark and kind == "share":
            kind = benchmark_kind(text, n, claims)
        region = figure_region(places, text, n, kind, prev_end, ctx, headline, clause)
        metric = (listed and listed_metric(text, n, kind, numbers, places)) or \
            figure_metric(text, n, kind, lo, ctx, prev_metric, masks)
        if claims and (benchmark or kind == "rank"):
            metric = compared_metric(text, n, kind, lo, claims) or metric
        if prev_metric and kind not in RATE_KINDS and is_metric_fragment(metric) and claims \
                and claims[-1].unit == n.unit:
            metric = prev_metric  # 突破百万大关,达100.56万户: the figure the clause goes on about
        metric = canonical_metric(metric)
        period = figure_period(reference, text, n, kind, ctx, metric, clause)
        if period is not None and listed:
            period = month_of_list(period, text, n, numbers)
        status = figure_status(text, n, period, ctx, clause, cue is not None, achieved)
        if period is None:
            period = (ctx.article_year or publication_month(doc.published)) if status == "actual" else ctx.plan_year
        period = since_year_start(as_of_if_stock(period, metric), text, clause, n.start)
        qualifier = n.qualifier
        if qualifier == "exact" and "约" in left and APPROX_COPULA.search(left):
            qualifier = "approx"  # 约是一期的2倍, 约为
        if base is not None:
            start, end = base + n.start, base + n.end
        else:
            start, end = sent.span(n.start, n.end)
        ctx.seen.append((len(claims), has_period, bool(cue and cue.start() < n.start), headline))
        sector = figure_sector(metric, text[clause:n.start], text[:n.start], title)
        claims.append(Claim(  # positional: one per figure, 3x cheaper than keywords
            sent.doc_id, sent.article_id, sent.sentence_id, start, end, doc.text[start:end], sign * n.value,
            n.unit, qualifier, kind, metric, region.name if region else None,
            period.start if period else None, period.end if period else None, status,
            topic_of(metric, text, title, n.unit), sector.label if sector else None,
            sector.code if sector else None,
        ))
        if n.unit == "%" and metric:
            ctx.rate_metric, ctx.rate_kind = metric, kind
        if metric and kind not in RATE_KINDS:
            prev_metric = metric
        elif metric:
            prev_metric = prev_metric or metric
        prev_end = n.end
    spans = [p for p in reference if not is_local(p, text)] if reference else []
    if len(spans) > 1 and claims:
        # 前10个月...132.2亿美元,接近去年全年133.7亿美元: the sentence reports the period of its first
        # figure that states one, not the last period it names.
        own = {(p.period.start, p.period.end): p for p in spans}
        first = next((own[k] for c in claims if (k := (c.period_start, c.period_end)) in own), None)
        if first is not None:
            spans = [q for q in spans if q is not first] + [first]
    _update_context(ctx, places, spans, prev_metric,
                    reporting=bool(claims) and cue is None, metrics=tuple(c.metric for c in claims if c.metric) if claims else (), text=text)
    ctx.continued = text.rstrip().endswith((";", "；", ",", "，"))
    return claims


def _update_context(ctx: Context, places: list[PlaceMention], periods: list[PeriodMention], metric: str | None,
                    reporting: bool = False, metrics: tuple[str, ...] = (), text: str | None = None) -> None:
    sub = text.find(SUB_ITEMS) if text is not None else -1
    listing = ctx.continued and ctx.sub_items  # 其中，A...；B...；C...: the whole enumeration lists parts
    ctx.sub_items = (listing or sub >= 0) and not (text or "").rstrip().endswith(("。", "！", "？"))
    carried = []
    for p in places:
        if listing or 0 <= sub < p.start:
            break  # 其中 X...: a part of the whole, not the subject of what follows
        q = p.place if p.place is not None else generic_place(p.generic, ctx)
        if q is not None and at_home(q, ctx.home):
            carried.append(q)
    if carried:
        ctx.region = area_of(carried, 3) if len(carried) >= 3 else carried[0]
    resolved = [p.period for p in periods if p.period is not None and not p.clause_scoped] if periods else []
    if resolved:
        if reporting or not ctx.reported:  # a forecast (预计全年...) does not move the reporting period
            ctx.period = resolved[-1]
    elif not ctx.continued:
        ctx.period = None
    if resolved and reporting:
        ctx.reported, ctx.lead = resolved[-1], False
        ctx.reported_metrics = set()
    elif resolved and ctx.reported is None and recent_part_of_year(resolved[-1], ctx.published):
        # a lead without figures (今年1-2月,我市...指标增速位居...; 截至3月末,全省金融运行平稳) dates
        # the statistics that follow until a sentence reports another period
        ctx.reported, ctx.lead = resolved[-1], True
        ctx.reported_metrics = set()
    if reporting and ctx.reported is not None:
        ctx.reported_metrics |= set(metrics)
    years = [p for p in resolved if p.start.month == 1 and p.end.month == 12 and p.start.year == p.end.year] \
        if resolved else []
    if years and ctx.published and years[-1].start.year >= ctx.published.year:
        ctx.plan_year = years[-1]
    ctx.metric = metric


def extract_article(article: Article, doc: Document, page: list | None = None) -> list[Claim]:
    """All numeric claims of an article, in text order. `page` collects the article's evidence
    of repeated figures for `same_figure_on_page`."""
    # Figures do not depend on the context: find them first. Sentences after the last one
    # with a figure only update the context, which nothing reads any more: skip them.
    numbers = [sentence_numbers(s) if s.role not in SKIPPED_ROLES else [] for s in article.sentences]
    last = max((k for k, ns in enumerate(numbers) if ns), default=-1)
    if last < 0:
        return []
    places = places_of([s.text for s in article.sentences], with_orgs=True)
    ctx = Context(published=doc.published, default_region=outlet_region(doc.outlet), title=article.title or "",
                  plan=is_plan_article(article))
    ctx.article_region = article_region(article, ctx.default_region, places)
    ctx.home = province_of(ctx.article_region or first_place(places[:LEAD_SENTENCES]) or ctx.default_region) \
        or by_name().get(HOME_PROVINCE)
    if doc.published:
        ctx.plan_year = Period(dt.date(doc.published.year, 1, 1), dt.date(doc.published.year, 12, 31))
        ctx.article_year = opening_year(article, doc.published)
    out: list[Claim] = []
    evidence: list[tuple[Claim, bool, bool, bool]] = []
    prev_end = None
    text = doc.text
    for i, sent in enumerate(article.sentences[:last + 1]):
        if sent.role in SKIPPED_ROLES:
            continue  # bylines, page furniture
        headline = sent.role == "headline"  # sent.is_headline, read once
        ctx.new_paragraph = prev_end is None or headline or text.find("\n", prev_end, sent.start) >= 0
        if headline and ctx.headline:
            ctx.continued = True  # a headline group (main title and subtitle) shares its context
        ctx.headline = headline
        prev_end = sent.end
        ctx.seen.clear()
        claims = extract_sentence(sent, doc, ctx, numbers[i], places[i])
        if claims:
            evidence.extend((claims[k], own_p, own_s, head) for k, own_p, own_s, head in ctx.seen)
            out.extend(claims)
    _same_figure(evidence)
    if page is not None:
        page.extend(evidence)
    return out


def _distinctive(value: float | None) -> bool:
    """A value unlikely to repeat by chance in one article (3083.1, 16000), unlike 14 or 5."""
    return value is not None and (value != int(value) or abs(value) >= 1000)


def _precise(mention: str) -> bool:
    """A figure written with four or more significant digits (6834.7亿元; not 5亿元 or 26.1%),
    which two articles of a page hardly state for different things."""
    digits = "".join(ch for ch in mention if ch.isdigit()).strip("0")
    return len(digits) >= 4


def same_figure_on_page(evidence: list[tuple[Claim, bool, bool, bool]]) -> None:
    """A distinctive figure repeated in another article of the page (a paragraph the column
    layout put under the wrong headline: 同期,成都实现外贸进出口6834.7亿元 after 前11月...6834.7亿元)
    takes the period of the mention that states one, when its own article states none."""
    stated: dict[tuple, Claim] = {}
    own_articles: set[tuple] = set()
    for c, own_p, _, _ in evidence:
        if own_p:
            stated.setdefault((c.value, c.unit, c.kind), c)
            own_articles.add((c.article_id, c.value, c.unit, c.kind))
    for c, own_p, _, _ in evidence:
        key = (c.value, c.unit, c.kind)
        src = stated.get(key)
        if own_p or src is None or c.kind not in ("amount", "count") or not _precise(c.mention) \
                or (c.article_id, *key) in own_articles:
            continue
        c.period_start, c.period_end = src.period_start, src.period_end


def _same_figure(evidence: list[tuple[Claim, bool, bool, bool]]) -> None:
    """One figure repeated in an article (headline and body, summary and detail) is one
    claim: a mention without a period of its own takes the period of a mention that states
    one, and its status when that one has an explicit cue (预计突破); a headline figure takes
    the region established in the body."""
    stated = {}
    for c, own_p, own_s, head in evidence:
        if own_p and not head:
            stated.setdefault((c.value, c.unit, c.kind), (c, own_s))
    for c, own_p, own_s, head in evidence:
        ref = stated.get((c.value, c.unit, c.kind))
        if ref is None or ref[0] is c:
            continue
        src, src_cue = ref
        if not (head or _distinctive(c.value)):
            continue  # 14个 in two sentences may be two different things
        if not own_p:
            c.period_start, c.period_end = src.period_start, src.period_end
            if src_cue and not own_s:
                c.status = src.status
        if head:
            c.region = src.region
