"""A figure's status: actual, forecast or target, from cue words (data/status_words.csv), a
future period, or a plan article."""
from __future__ import annotations

import functools
import re

from etl.extract.fields.context import Context, clause_start
from etl.extract.lexicon import alternation, table
from etl.extract.model import Article
from etl.extract.numbers import NumberMention
from etl.extract.periods import (
    Period,
)


@functools.lru_cache(maxsize=1)
def _status_cues() -> dict[str, str]:
    return {r["word"]: r["status"] for r in table("status_words.csv") if r["status"] in ("forecast", "target")}


@functools.cache
def status_role_re(role: str) -> re.Pattern:
    return re.compile(alternation(r["word"] for r in table("status_words.csv") if r["status"] == role))


PLAN_ARTICLE_SHARE = 0.4


def is_plan_article(article: Article) -> bool:
    """Most sentences speak of plans (将, 要, 力争, 加快...): unmarked figures are targets."""
    body = [s for s in article.sentences if not s.is_headline]
    if len(body) < 3:
        return False
    pattern = status_role_re("plan_style")
    return sum(1 for s in body if pattern.search(s.text)) / len(body) >= PLAN_ARTICLE_SHARE


@functools.lru_cache(maxsize=1)
def status_re() -> re.Pattern:
    return re.compile(alternation(_status_cues()))


def figure_status(text: str, n: NumberMention, period: Period | None, ctx: Context, clause: int,
            cued: bool, achieved: bool) -> str:
    """An explicit cue in the figure's clause or the one before wins, unless an achievement
    marker (已, 累计) follows it; a future period means forecast; a plan article means target.
    `clause` is the start of the figure's clause; `cued` / `achieved` say whether the sentence
    has a status cue / an achievement marker anywhere (when not, no part of it has one)."""
    if cued or achieved:
        lo = clause_start(text, max(0, clause - 1))
        before = text[lo: n.start]
        cues = list(status_re().finditer(before)) if cued else []
        done = list(status_role_re("achieved").finditer(before)) if achieved else []
        if cues and not (done and done[-1].start() > cues[-1].start()):
            return _status_cues()[cues[-1].group()]
        if done:
            return "actual"
    published = ctx.published
    if period and published and (period.start.year, period.start.month) > (published.year, published.month):
        return "forecast"
    if ctx.plan and not achieved:
        return "target"
    return "actual"


def status_free(text: str) -> bool:
    """No forecast/target cue in the sentence: it reports results like the ones before it."""
    return not status_re().search(text)
