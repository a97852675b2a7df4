"""etl.extract.fields.metric: the words that name what a figure measures."""
from __future__ import annotations

from fieldkit import context, figure

from etl.extract.fields.metric import canonical_metric, figure_metric, is_metric_fragment, listed_metric


def _metric(text: str, mention: str, kind: str = "amount", prev: str | None = None) -> str | None:
    n = figure(text, mention)
    return figure_metric(text, n, kind, 0, context(), prev, [])


def test_the_words_before_the_figure_without_place_verb_or_cue():
    assert _metric("全市实现社会消费品零售总额512亿元", "512亿元") == "社会消费品零售总额"
    assert _metric("高新技术企业营业收入同比增长9.1%", "9.1%", "growth") == "高新技术企业营业收入"


def test_a_count_takes_the_noun_after_its_measure_word():
    assert _metric("新增专精特新企业42家", "42家", "count") == "新增专精特新企业"
    assert "产业园" in (_metric("已建成27个产业园", "27个", "count") or "")


def test_a_share_names_its_subject_and_whole():
    m = _metric("民营企业进出口占全市外贸总值的52%", "52%", "share", prev="民营企业进出口")
    assert m.startswith("民营企业进出口") and m.endswith(("比重", "占比"))


def test_the_second_figure_of_a_list_repeats_the_metric():
    text = "分别实现出口46亿元和38亿元"
    n = figure(text, "38亿元")
    lo = text.index("和")  # the clause from the figure before on
    assert figure_metric(text, n, "amount", lo, context(), "出口", []) == "出口"


def test_fragments_and_synonyms():
    for fragment in ("", "以", "的增长", "增长", "(下同"):
        assert is_metric_fragment(fragment), fragment
    assert not is_metric_fragment("规模以上工业增加值")
    assert canonical_metric("GDP") == "地区生产总值"


def test_each_figure_of_a_respectively_list_measures_its_subject():
    text = "出口、进口分别为60亿元、40亿元"
    from etl.extract.numbers import find_numbers

    numbers = find_numbers(text)
    second = figure(text, "40亿元")
    assert listed_metric(text, second, "amount", numbers, []) == "进口"
