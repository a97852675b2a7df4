"""Layout repair and segmentation on constructed page fragments."""
from __future__ import annotations

from etl.extract.articles import split_articles
from etl.extract.layout import paragraphs


def clean_paragraphs(text: str) -> list[tuple[str, str]]:
    return [(p.role, p.clean(text)) for p in paragraphs(text)]


def test_word_broken_across_blank_line_is_joined():
    text = "标题一\n\n参与国家实验室、国家川藏铁路技术创新中心建设和国家高端航空装备技术创\n\n新中心、天府实验室等建设。\n"
    paras = clean_paragraphs(text)
    assert paras[0] == ("headline", "标题一")
    assert paras[1][1].endswith("技术创新中心、天府实验室等建设。")


def test_number_and_unit_split_by_line_break():
    text = "全市融资规模达到1600\n亿元，其中信用贷款规模1140亿元，占比达71.3%，继续保持增长态势。\n"
    [(role, para)] = clean_paragraphs(text)
    assert role == "body" and "1600亿元" in para


def test_narrow_column_lines_join_into_one_paragraph():
    text = "在成都都市圈的产业版图中,成\n\n都、德阳、眉山、资阳四市正在共同推\n\n动产业链跨区域建圈强链。12月13\n\n日,活动举行。\n"
    [(role, para)] = clean_paragraphs(text)
    assert para == "在成都都市圈的产业版图中,成都、德阳、眉山、资阳四市正在共同推动产业链跨区域建圈强链。12月13日,活动举行。"


def test_caption_interrupting_a_sentence_is_kept_out():
    text = ("随后，市民观察员来到青羊区的日间照料中心，看到这里的老人们有的在喝茶\n\n\n\n"
            "在日间照料中心，老人们正在学习国画技艺。\n\n聊天，有的正在学习国画。\n")
    roles = clean_paragraphs(text)
    assert roles[1] == ("caption", "在日间照料中心，老人们正在学习国画技艺。")
    assert roles[0][0] == "body" and roles[2][1].startswith("聊天")


def test_bylines_credits_and_edition_notes():
    text = ("某某标题\n\n本报讯 正文第一句。\n\n成都日报锦观新闻记者 张三 摄影 李四\n\n"
            "5月7日,工程进入验收关键阶段。 杨尚威 摄\n\n责任编辑:方芳联系电话:028-86611442\n")
    roles = [r for r, _ in clean_paragraphs(text)]
    assert roles == ["headline", "body", "byline", "caption", "meta"]


def test_articles_split_at_bylines_and_continuations():
    text = ("第一篇标题\n\n本报讯(成都日报记者 王五)正文一。\n\n小标题\n\n正文二。\n\n成都日报锦观新闻记者 王五\n\n"
            "第二篇标题\n\n正文三。\n\n第三篇标题\n\n紧接01版 正文四。\n")
    arts = split_articles("d", text)
    assert [a.title for a in arts] == ["第一篇标题", "第二篇标题", "第三篇标题"]
    assert arts[0].byline == "成都日报锦观新闻记者 王五"
    assert [s.text for s in arts[0].sentences if s.role == "headline"] == ["第一篇标题", "小标题"]
    for a in arts:
        for s in a.sentences:
            assert text[s.start:s.end].replace("\n", "") == s.text


def test_sentences_end_at_chinese_and_ascii_stops():
    text = "标题\n\n第一句。第二句！第三句？“第四句。”第五句；第六句;end\n"
    [art] = split_articles("d", text)
    body = [s.text for s in art.sentences if s.role == "body"]
    assert body == ["第一句。", "第二句！", "第三句？", "“第四句。”", "第五句；", "第六句;", "end"]


def test_sentence_offsets_are_spelled_out_only_across_line_breaks():
    text = "标题行\n\n第一句没有换行。第二句跨\r\n行了，还有\n  一行。末句"
    for a in split_articles("d", text):
        for s in a.sentences:
            if s.offsets:
                assert text[s.start:s.end] != s.text and [text[i] for i in s.offsets] == list(s.text)
            else:
                assert text[s.start:s.end] == s.text
            i, j = s.span(1, len(s.text))
            assert text[i:j].replace("\r", "").replace("\n", "") == s.text[1:]


def test_split_lines_strips_like_str_strip():
    from etl.extract.layout import split_lines

    text = "\u3000 甲乙 \r\n\n\t\n丙\xa0\n \n丁"
    got = [(ln.text, text[ln.start:ln.end], ln.gap_before) for ln in split_lines(text)]
    assert got == [("甲乙", "甲乙", 0), ("丙", "丙", 3), ("丁", "丁", 2)]  # gap: newlines since the previous line
