"""etl.extract.fields.region: the place a figure describes."""
from __future__ import annotations

from fieldkit import context, figure, places

from etl.extract.fields.region import area_of, article_region, benchmark_word, figure_region, province_of
from etl.extract.model import Article, Sentence
from etl.extract.places import by_name


def _region(text: str, mention: str, kind: str = "amount", **ctx) -> str | None:
    n = figure(text, mention)
    place = figure_region(places(text), text, n, kind, 0, context(**ctx), False, 0)
    return place.name if place else None


def test_the_place_before_the_figure_in_its_sentence():
    assert _region("郫都区实现地区生产总值700亿元", "700亿元") == "郫都区"
    assert _region("绵阳市新增市场主体3万户", "3万户") == "绵阳市"


def test_a_generic_word_binds_to_the_place_in_context():
    assert _region("全市新增市场主体5万户", "5万户") == "成都市"
    assert _region("全省实现进出口1200亿元", "1200亿元") == "四川省"


def test_without_a_place_the_context_then_the_page_default():
    assert _region("实现营业收入20亿元", "20亿元") == "成都市"
    assert _region("实现营业收入20亿元", "20亿元", region=None) is None


def test_respectively_pairs_places_and_figures():
    text = "德阳、眉山分别实现进出口80亿元、60亿元"
    assert _region(text, "80亿元") == "德阳市"
    assert _region(text, "60亿元") == "眉山市"


def test_an_enumeration_of_cities_is_their_common_area():
    cities = [by_name()[c] for c in ("自贡市", "泸州市", "宜宾市")]
    assert area_of(cities, 3).name == "四川省"
    assert area_of(cities, 4).name == "宜宾市"  # too few to be an enumeration: the last one
    assert province_of(by_name()["郫都区"]).name == "四川省"


def test_a_benchmark_figure_belongs_to_the_place_quoted():
    text = "增速高于全省平均水平(5.8%)"
    assert benchmark_word(text, figure(text, "5.8%")) == "全省"


def test_the_article_region_is_the_place_named_most():
    texts = ["自贡经济稳步回升", "自贡市规上工业增加值增长8%", "自贡全年新增企业900户"]
    sents = tuple(Sentence(f"s{i}", "d", "a", 0, len(t), t, (), role="headline" if i == 0 else "body")
                  for i, t in enumerate(texts))
    art = Article("a", "d", texts[0], 0, 1, sents)
    assert article_region(art, by_name()["成都市"]).name == "自贡市"


def test_a_generic_word_binds_to_the_place_named_before_it_in_its_sentence():
    from etl.extract.places import find_places

    text = "西宁市统计局公布的数据显示，上半年，全市规模以上工业增加值同比增长8.3%"
    n = figure(text, "8.3%")
    ctx = context()  # a Chengdu paper
    found = find_places(text, with_orgs=True)
    ctx.sentence_places = found  # as extract_sentence sets it: the statistics bureau's city included
    place = figure_region([p for p in found if not p.org], text, n, "growth", 0, ctx, False, 0)
    assert place.name == "西宁市"
    ctx.sentence_places = []  # without a place before it, 全市 is the paper's city
    place = figure_region([p for p in found if not p.org], text, n, "growth", 0, ctx, False, 0)
    assert place.name == "成都市"
