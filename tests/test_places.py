"""Gazetteer and region resolution."""
from __future__ import annotations

import pytest

from etl.extract.places import by_name, common_area, find_places, gazetteer, outlet_region, resolve_generic


@pytest.mark.parametrize("alias,name", [
    ("郫县", "郫都区"), ("新津县", "新津区"), ("双流县", "双流区"), ("温江县", "温江区"), ("郫都区", "郫都区"),
    ("高新区", "成都高新区"), ("天府新区", "四川天府新区"), ("东部新区", "成都东部新区"), ("成德眉资", "成都都市圈"),
    ("德阳", "德阳市"), ("眉山", "眉山市"), ("资阳", "资阳市"), ("内江", "内江市"), ("四川", "四川省"),
    ("岳池县", "岳池县"), ("全国", "全国"),
])
def test_aliases(alias, name):
    assert gazetteer()[alias].name == name


def test_sichuan_has_21_cities_and_chengdu_20_districts():
    places = by_name().values()
    assert sum(1 for p in places if p.level == "city" and p.parent == "四川省") == 21
    assert sum(1 for p in places if p.level == "district" and p.parent == "成都市") == 20


def names(text):
    return [p.place.name if p.place else p.generic for p in find_places(text)]


def test_places_in_organisation_names_are_skipped():
    assert names("上海交通大学四川研究院在成都举行") == ["成都市"]
    assert names("在位于郫县的四川卓勤新材料科技有限公司") == ["郫都区"]


def test_denominators_and_ranking_groups_are_skipped():
    assert names("成都外贸占四川比重79.2%") == ["成都市"]
    assert names("规模位列全国第8") == []


def test_generic_words():
    chengdu = by_name()["成都市"]
    assert names("全市高新技术产业") == ["city"]
    assert resolve_generic("city", None, chengdu).name == "成都市"
    assert resolve_generic("province", None, chengdu).name == "四川省"
    assert resolve_generic("city", by_name()["郫都区"], chengdu).name == "成都市"


def test_common_area():
    g = by_name()
    assert common_area([g["成都市"], g["德阳市"], g["眉山市"], g["资阳市"]]).name == "成都都市圈"
    assert common_area([g["内江市"], g["自贡市"], g["泸州市"]]).name == "四川省"
    assert common_area([g["锦江区"], g["青羊区"]]).name == "成都市"


def test_outlet_default():
    assert outlet_region("成都日报").name == "成都市"
    assert outlet_region("四川科技报").name == "四川省"
    assert outlet_region(None) is None


def test_comparison_group_after_higher_than_is_not_a_region():
    assert [p.text for p in find_places("增速高于全国0.6个百分点")] == []


def test_places_inside_organisation_names_on_request():
    assert [p.text for p in find_places("双流国际机场完成旅客吞吐量")] == []
    orgs = find_places("双流国际机场完成旅客吞吐量", with_orgs=True)
    assert [(p.place.name, p.org) for p in orgs] == [("双流区", True)]
    assert [p.text for p in find_places("作为全国先进制造业基地，德阳")] == ["德阳"]
