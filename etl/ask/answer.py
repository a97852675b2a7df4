"""A question against the claims database: the cited figure that answers it, or none.

The SQL takes the claims of the right kinds whose metric phrase holds a word of the question
(through `search_metrics`, the distinct phrases, so the scan is over phrases rather than every
claim) and, when a period is asked, whose period or publication is near it. etl.ask.rank then
judges each with its sentence. The best that may answer is the answer, the fact cited most and
published last first among equals; other values for the same place and period are its
alternatives (two articles that disagree). Nothing that may answer: the answer is None and
`why` says what was looked for.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
from dataclasses import dataclass

import duckdb

from etl.extract.periods import Period, find_periods
from etl.extract.script import simplify
from etl.store import queries

from .question import Question, parse
from .rank import MIN_METRIC, Fit, fit, is_modifier, kind_fits, kinds, term_weight

# Claims judged with their sentences (the best by metric phrase alone); more only cost time.
MAX_JUDGED = 200
# Of those, at most this many found by their sentence rather than their phrase.
BY_SENTENCE = 60
MAX_ALTERNATIVES = 5
_KIND_ZH = {"value": "数值", "growth": "增速", "share": "占比", "rank": "排名", "change_pp": "百分点变化"}
_ANSWER_KEYS = ("value", "unit", "qualifier", "mention", "claim_id", "fact_id", "metric", "region",
                "period_start", "period_end", "published", "outlet", "url")


@dataclass(frozen=True)
class Judged:
    row: dict
    fit: Fit
    question: Question  # as read for this claim (a relative period: against its article's date)
    periods: tuple[Period, ...] = ()  # the periods its sentence names


def reference_date(con: duckdb.DuckDBPyConnection) -> dt.date:
    """What 今年 and 去年 count from: the newest publication in the database (an archive's
    'this year' is its newest year), today for an empty one."""
    row = con.execute("SELECT max(published) FROM claims").fetchall()[0]
    return row[0] if row and row[0] else dt.date.today()


def _words(q: Question) -> list[str]:
    """Every form of every metric word of two or more characters: what a phrase must hold one of."""
    out = {f for t in q.terms for f in (t, *q.alternatives.get(t, ())) if len(f) >= 2}
    if not out:
        out = {t for t in q.terms}
    return sorted(out)


# Candidates judged in Python: the best by a first score computed in SQL (metric words in the
# phrase, the place and the period asked). At 1M claims a common word (进出口) matches 10^5 claims.
MAX_CANDIDATES = 400


def _weighted_hits(column: str, q: Question, weighted: bool = True) -> tuple[str, list]:
    """SQL summing the weights of the question's metric words (any of a word's forms) found in
    `column` (the weights of rank.metric_fit: a word's length, at most 4; or 1 each), with its parameters."""
    parts, params = [], []
    for t in q.terms:
        forms = [f for f in (t, *q.alternatives.get(t, ())) if f]
        weight = term_weight(t) if weighted else 1
        parts.append(f"{weight} * (" + " OR ".join([f"contains({column}, ?)"] * len(forms)) + ")::INT")
        params += forms
    return " + ".join(parts) or "0", params


def _preference(q: Question) -> tuple[str, list]:
    """SQL (over claims `c`) preferring the place and the period asked, with its parameters."""
    sql, params = "0", []
    if q.places:
        sql += " + 4 * (c.region IS NOT DISTINCT FROM ?)::INT"
        params.append(q.places[0].name)
    if q.period is not None and not q.relative:
        sql += " + 2 * (c.period_end = ?)::INT + 2 * (c.period_start = ?)::INT"
        params += [q.period.end, q.period.start]
    return sql, params


def _where(q: Question) -> tuple[str, list]:
    """The claims' own conditions: a kind that fits and, for an absolute period, a date near it."""
    ks = sorted(kinds(q))
    sql, params = queries.in_params("c.kind", len(ks)), list(ks)
    if q.period is not None and not q.relative:
        # Its own period near the one asked, or published soon after it (a period read wrongly is
        # rescued by the sentence's words, see rank.period_fit). A relative period (今年) is
        # counted from each article's date, so any may hold it.
        sql += " AND (c.period_end BETWEEN ? AND ? OR c.published BETWEEN ? AND ?)"
        params += [q.period.start, q.period.end, q.period.start, q.period.end + dt.timedelta(days=550)]
    return sql, params


_COLUMNS = ("claim_id", "metric", "region", "period_start", "period_end", "kind", "unit", "status", "published",
            "n_citations")
_SELECT = ("c.claim_id, c.metric, c.region, c.period_start, c.period_end, c.kind, c.unit, c.status, c.published, "
           "coalesce(c.n_citations, 1) AS n_citations")


def _ranked(con: duckdb.DuckDBPyConnection, q: Question, found: str, join: str, params: list) -> list[dict]:
    """The MAX_CANDIDATES claims `c` joined to `found` (a CTE named `f` with a score `h`) on
    `join`, of a kind that fits, best score plus the place and period asked first."""
    pref, pparams = _preference(q)
    where, wparams = _where(q)
    sql = (f"WITH f AS ({found}) SELECT {_SELECT} FROM claims c JOIN f ON {join} WHERE {where} "
           f"ORDER BY f.h + {pref} DESC, c.n_citations DESC NULLS LAST, c.published DESC NULLS LAST, c.claim_id "
           f"LIMIT {MAX_CANDIDATES}")
    rows = con.execute(sql, [*params, *wparams, *pparams]).fetchall()
    return [dict(zip(_COLUMNS, r, strict=True)) for r in rows]


def candidates(con: duckdb.DuckDBPyConnection, q: Question, indexed: bool = True) -> list[dict]:
    """Claims whose metric phrase holds the most of the question's words (scored once per
    distinct phrase, in `search_metrics`)."""
    words = _words(q)
    if not words:
        return []
    hits, params = _weighted_hits("metric", q)
    phrases = "search_metrics" if indexed else "(SELECT DISTINCT metric FROM claims)"
    pattern = "|".join(re.escape(w) for w in words)
    return _ranked(con, q, f"SELECT metric, {hits} AS h FROM {phrases} WHERE regexp_matches(metric, ?)",
                   "c.metric = f.metric", [*params, pattern])


def sentence_candidates(con: duckdb.DuckDBPyConnection, q: Question, indexed: bool = True) -> list[dict]:
    """Claims whose sentence holds most of the question's words (a metric phrase read short or
    wrongly: 总量, 城市创新指数), in `search_sentences`, the sentences claims cite."""
    if not q.terms:
        return []
    hits, hparams = _weighted_hits("s.text", q)
    found, fparams = _weighted_hits("s.text", q, weighted=False)
    table = "search_sentences" if indexed else "sentences"
    return _ranked(con, q, f"SELECT sentence_key, {hits} AS h FROM {table} s WHERE {found} >= ?",
                   "c.sentence_key = f.sentence_key", [*hparams, *fparams, math.ceil(0.6 * len(q.terms))])


def _sentence_periods(sentence: str | None, published: dt.date | None) -> list[Period]:
    return [m.period for m in find_periods(simplify(sentence or ""), published) if m.period is not None]


# Claims whose articles are read as well (their programme or company named once, at the top).
MAX_ARTICLES = 30


@functools.lru_cache(maxsize=256)
def _parsed(question: str, today: dt.date) -> Question:
    return parse(question, today)


def judge(con: duckdb.DuckDBPyConnection, q: Question) -> list[Judged]:
    """Every candidate claim with its fit, best first (those that may answer and those that may
    not): the best found by their metric phrase, and the best found by their sentence."""
    q = dataclasses.replace(q, modifiers=frozenset(t for t in q.terms if is_modifier(q, t)))
    indexed = queries.has_search_index(con)  # search_metrics and search_sentences (etl.store.search_index)
    by_phrase = candidates(con, q, indexed)
    seen = {r["claim_id"] for r in by_phrase[:MAX_JUDGED - BY_SENTENCE]}
    by_sentence = [r for r in sentence_candidates(con, q, indexed) if r["claim_id"] not in seen][:BY_SENTENCE]
    return _judge(con, q, by_phrase[:MAX_JUDGED - len(by_sentence)] + by_sentence)


def _judge(con: duckdb.DuckDBPyConnection, q: Question, candidates: list[dict]) -> list[Judged]:
    rows = [r for r in candidates if kind_fits(q, r["kind"], r["unit"])]
    if not rows:
        return []
    frame = queries.cited_claims(con, [r["claim_id"] for r in rows])
    records = []
    for row in frame.to_dict("records"):
        row = {k: (None if k != "value" and isinstance(v, float) and v != v else v) for k, v in row.items()}  # NaN: none
        for k in ("period_start", "period_end", "published"):
            row[k] = _date(row.get(k))
        # 今年 in a question without a date: the year of each article (what its reader meant)
        rq = dataclasses.replace(_parsed(q.asked, row["published"]), modifiers=q.modifiers) \
            if q.relative and row.get("published") else q
        periods = tuple(_sentence_periods(row.get("sentence"), row.get("published")))
        records.append(Judged(row, fit(rq, row, periods), rq, periods))
    # The closest read again with their whole article.
    records.sort(key=_order)
    top = records[:MAX_ARTICLES]
    texts = queries.article_texts(con, sorted({j.row["article_id"] for j in top}))
    out = [Judged(j.row, fit(j.question, j.row, j.periods, texts.get(j.row["article_id"])), j.question, j.periods)
           for j in top] + records[MAX_ARTICLES:]
    out.sort(key=_order)
    return out


def _date(v) -> dt.date | None:
    """A date from a frame's cell (a pandas Timestamp is a datetime; NaT and NaN are not equal to themselves)."""
    if v is None or v != v:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    return v if isinstance(v, dt.date) else None


def _order(j: Judged) -> tuple:
    """Best first: may answer, score, the fact cited most, published last, then a stable key."""
    published = j.row.get("published") or dt.date.min
    return (not j.fit.ok, -round(j.fit.score, 3), -int(j.row.get("n_citations") or 1),
            -published.toordinal(), j.row["claim_id"])


def _answer(row: dict) -> dict:
    out = {k: row.get(k) for k in _ANSWER_KEYS}
    for k in ("period_start", "period_end", "published"):
        out[k] = out[k].isoformat() if out[k] else None
    v = out["value"]
    out["value"] = int(v) if isinstance(v, float) and v.is_integer() else v
    out["sentence"] = row.get("sentence")
    out["article_title"] = row.get("article_title")
    out["kind"] = row.get("kind")
    out["metric_id"] = row.get("metric_id")
    out["status"] = row.get("status")
    out["n_citations"] = int(row.get("n_citations") or 1)
    out["link"] = f"/source?claim={row['claim_id']}"
    return out


def _same_value(a, b) -> bool:
    return a is not None and b is not None and math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def _asked(q: Question) -> str:
    """What was looked for, as a reader would say it: 2019年成都市地区生产总值."""
    place = q.places[0].name if q.places else ""
    what = q.metric + ("" if q.kind == "value" else _KIND_ZH[q.kind])
    period = _period_label({"period_start": q.period.start, "period_end": q.period.end}) if q.period else ""
    return (f"{period}{place}{what}" if q.lang == "zh" else " ".join(x for x in (period, place, what) if x))


_WHY = {
    "zh": {"none": "未找到{asked}", "unread": "没有读出要找的指标：{asked}", "periods": "；库中只有其他时期的数字：{x}",
           "regions": "；库中只有其他地区的数字：{x}", "found": "找的是{asked}；答案取自{n}篇文章中引用最多、发布最新的读数",
           "period_from_sentence": "（原句写明的统计期：{p}）", "others": "；另有{k}个不同的读数，见“其他读数”",
           "sep": "、"},
    "en": {"none": "No figure found for {asked}", "unread": "Could not tell what is measured: {asked}",
           "periods": "; the archive has it only for other periods: {x}", "regions": "; the archive has it only for other places: {x}",
           "found": "Looked for {asked}; the answer is the reading cited most and published last, in {n} article(s)",
           "period_from_sentence": " (period as its sentence states it: {p})",
           "others": "; {k} other article(s) give a different figure (see the other readings)", "sep": ", "},
}


def _why_none(q: Question, judged: list[Judged]) -> str:
    w = _WHY[q.lang]
    base = w["none"].format(asked=_asked(q))
    near = [j for j in judged if j.fit.metric >= MIN_METRIC and not j.fit.narrower]
    if not q.terms:
        return w["unread"].format(asked=_asked(q))
    placed = [j for j in near if j.fit.region > 0]
    if placed and all(j.fit.period == 0 for j in placed):
        others = sorted({_period_label(j.row) for j in placed} - {""})[:3]
        return base + (w["periods"].format(x=w["sep"].join(others)) if others else "")
    if near and all(j.fit.region == 0 for j in near):
        others = sorted({j.row.get("region") or "" for j in near} - {""})[:3]
        return base + (w["regions"].format(x=w["sep"].join(others)) if others else "")
    return base


def _period_label(row: dict) -> str:
    s, e = row.get("period_start"), row.get("period_end")
    if not s or not e:
        return ""
    if s == e:
        return f"{e.year}年{e.month}月{e.day}日"
    if (s.month, s.day, e.month, e.day) == (1, 1, 12, 31) and s.year == e.year:
        return f"{s.year}年"
    if s.year == e.year:
        return f"{s.year}年{s.month}-{e.month}月" if s.month != e.month else f"{s.year}年{s.month}月"
    return f"{s.year}年{s.month}月-{e.year}年{e.month}月"


def ask(con: duckdb.DuckDBPyConnection, question: str, today: dt.date | None = None) -> dict:
    """{"question", "answer", "alternatives", "why"} (see SPEC.md) for one question."""
    q = parse(question, today or reference_date(con))
    judged = judge(con, q)
    ok = [j for j in judged if j.fit.ok]
    out: dict = {"question": question, "answer": None, "alternatives": [], "why": ""}
    out["parsed"] = {"places": [p.name for p in q.places], "period": _period_label(
        {"period_start": q.period.start, "period_end": q.period.end}) if q.period else None,
        "kind": q.kind, "unit": q.unit, "metric": q.metric, "terms": list(q.terms), "plan": q.plan}
    if not ok:
        out["why"] = _why_none(q, judged)
        return out
    best = ok[0]
    out["answer"] = _answer(best.row)
    key = (best.row.get("region"), best.row.get("period_start"), best.row.get("period_end"), best.row.get("unit"))
    seen = [best.row.get("value")]
    for j in ok[1:]:
        if len(out["alternatives"]) >= MAX_ALTERNATIVES:
            break
        r = j.row
        if (r.get("region"), r.get("period_start"), r.get("period_end"), r.get("unit")) != key:
            continue
        if r.get("metric_id") != best.row.get("metric_id") and j.fit.metric < best.fit.metric - 0.05:
            continue  # another metric of the same place and period: not a reading of this figure
        if any(_same_value(r.get("value"), v) for v in seen) or j.fit.score < best.fit.score - 1.0:
            continue
        seen.append(r.get("value"))
        out["alternatives"].append(_answer(r))
    n_docs = len({j.row.get("doc_id") for j in ok if _same_value(j.row.get("value"), best.row.get("value"))})
    w = _WHY[q.lang]
    why = w["found"].format(asked=_asked(q), n=n_docs)
    if q.period is not None and 0 < best.fit.period < 0.9:
        why += w["period_from_sentence"].format(p=out["parsed"]["period"])
    if out["alternatives"]:
        why += w["others"].format(k=len(out["alternatives"]))
    out["why"] = why
    return out
