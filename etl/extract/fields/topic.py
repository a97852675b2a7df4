"""A figure's topic, one of the 12 SPEC ids, from keyword lexicons (data/topics.csv: keyword,
topic, weight): words of the metric weigh more than words of the sentence, which weigh more
than the headline's; the unit decides when no keyword does."""
from __future__ import annotations

import functools
import re
from collections import defaultdict

from etl.extract.lexicon import table, trie_alternation
from etl.extract.wordseg import segment

TOPICS = ("trade", "enterprise", "finance", "investment", "innovation", "industry", "talent",
          "livelihood", "energy", "transport", "culture", "governance")
METRIC_WEIGHT, SENTENCE_WEIGHT, TITLE_WEIGHT = 4.0, 1.0, 0.5
UNIT_FALLBACK = {"元": "investment", "千瓦时": "energy", "GW": "energy", "GWh": "energy",
                 "公里": "transport"}


@functools.lru_cache(maxsize=1)
def _topic_keywords() -> dict[str, tuple[str, float]]:
    return {r["keyword"]: (r["topic"], float(r["weight"] or 1)) for r in table("topics.csv")}


@functools.lru_cache(maxsize=1)
def _topic_re() -> re.Pattern:
    return re.compile(trie_alternation(_topic_keywords()))


@functools.lru_cache(maxsize=4096)
def _keyword_scores(text: str) -> dict[str, float]:
    scores: dict[str, float] = defaultdict(float)
    kw = _topic_keywords()
    for m in _topic_re().finditer(text):
        topic, w = kw[m.group()]
        scores[topic] += w
    return scores


@functools.lru_cache(maxsize=4096)
def _metric_scores(metric: str) -> dict[str, float]:
    # Keywords are matched inside each jieba word of the metric, never across two words;
    # weights are integers, so summing per word gives the same totals as one running sum.
    scores: dict[str, float] = defaultdict(float)
    for word in segment(metric):
        for topic, w in _keyword_scores(word).items():
            scores[topic] += w
    return scores


@functools.lru_cache(maxsize=4096)
def topic_of(metric: str | None, sentence: str, title: str = "", unit: str = "") -> str:
    """The best topic: metric words dominate sentence words, which dominate headline words.
    (Cached: the figures of a sentence often share their metric, 增长X% after X亿元.)"""
    metric_scores = _metric_scores(metric) if metric else None
    if not metric_scores:
        return _context_topic(sentence, title) or UNIT_FALLBACK.get(unit, "industry")
    total = dict(_context_totals(sentence, title))
    for t, s in metric_scores.items():
        total[t] = total.get(t, 0.0) + METRIC_WEIGHT * s
    return max(TOPICS, key=total.__getitem__)  # ties: the first in TOPICS order


# Every figure of a sentence shares its sentence and headline scores: they are computed once.
# Keyword weights are small integers (tests/test_topics.py checks), so every sum is exact and
# adding the metric's share last gives the same totals as adding it first.

@functools.lru_cache(maxsize=1024)
def _context_totals(sentence: str, title: str) -> dict[str, float]:
    """Topic -> weighted score of the sentence's and the headline's keywords (do not mutate)."""
    total = dict.fromkeys(TOPICS, 0.0)
    for text, weight in ((sentence, SENTENCE_WEIGHT), (title, TITLE_WEIGHT)):
        for t, s in _keyword_scores(text).items():
            total[t] = total.get(t, 0.0) + weight * s
    return total


@functools.lru_cache(maxsize=1024)
def _context_topic(sentence: str, title: str) -> str | None:
    """The best topic of a figure without metric keywords; None when no keyword is found."""
    if not _keyword_scores(sentence) and not _keyword_scores(title):
        return None
    total = _context_totals(sentence, title)
    return max(TOPICS, key=total.__getitem__)
