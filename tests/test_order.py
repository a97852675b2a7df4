"""Reading order from boxes (etl/ingest/readers/order.py): columns, bands, paragraphs, claim boxes."""
from __future__ import annotations

from etl.ingest.readers.order import Glyph, Line, blocks, compose, lines_from_glyphs, paragraphs, span_box

EM = 10.0


def line(text: str, x: float, y: float, size: float = EM) -> Line:
    return Line([Glyph(ch, x + k * size, y, x + (k + 1) * size, y + size) for k, ch in enumerate(text)])


def texts(lines: list[Line]) -> list[str]:
    return [ln.text for blk in blocks(lines) for ln in blk]


def test_two_columns_are_read_column_by_column_not_row_by_row() -> None:
    # Rows list the left and right column side by side, as OCR returns them.
    rows = []
    for k in range(6):
        rows += [line(f"左{k}" * 5, 0, k * 15), line(f"右{k}" * 5, 130, k * 15)]
    assert texts(rows) == [f"左{k}" * 5 for k in range(6)] + [f"右{k}" * 5 for k in range(6)]


def test_headline_across_columns_splits_the_page_into_bands() -> None:
    head = line("标题横跨两栏的大标题文字标题横跨两栏的大标", 0, 0)  # 24 chars: crosses the gutter
    upper = [line("上左" * 5, 0, 20 + k * 15) for k in range(3)] + [line("上右" * 5, 130, 20 + k * 15) for k in range(3)]
    mid = line("中间横跨两栏的一行中间横跨两栏的一行中间横跨", 0, 70)
    lower = [line("下左" * 5, 0, 90 + k * 15) for k in range(2)] + [line("下右" * 5, 130, 90 + k * 15) for k in range(2)]
    got = texts([*lower, mid, *upper, head])
    assert got == [head.text] + ["上左" * 5] * 3 + ["上右" * 5] * 3 + [mid.text] + ["下左" * 5] * 2 + ["下右" * 5] * 2


def test_three_columns() -> None:
    lines = [line(f"{c}栏{k}" * 3, c * 110, k * 15) for k in range(4) for c in range(3)]
    got = texts(lines)
    assert got == [f"{c}栏{k}" * 3 for c in range(3) for k in range(4)]


def test_short_stacked_lines_are_not_taken_for_columns() -> None:
    # A right-aligned byline under a short left line: no vertical overlap, so read top-down.
    lines = [line("正文第一行正文第一行正文", 0, 0), line("短行", 0, 15), line("（记者 张三）", 150, 30)]
    assert texts(lines) == ["正文第一行正文第一行正文", "短行", "（记者 张三）"]


def test_paragraphs_split_at_a_gap_an_indent_or_a_size_change() -> None:
    col = [line("第一段第一行", 0, 0), line("第一段第二行", 0, 14), line("第二段", 0, 40),
           line("　第三段首行缩进", 20, 54), line("第三段", 0, 68), line("小标题", 0, 82, size=16)]
    assert [[ln.text for ln in p] for p in paragraphs(col)] == [
        ["第一段第一行", "第一段第二行"], ["第二段"], ["　第三段首行缩进", "第三段"], ["小标题"]]


def test_glyphs_in_stream_order_become_lines_split_at_a_gutter() -> None:
    # One text run crossing from the left column to the right one on the same row.
    glyphs = [Glyph(ch, k * EM, 0, (k + 1) * EM, EM) for k, ch in enumerate("左栏文字")]
    glyphs += [Glyph(ch, 100 + k * EM, 0, 100 + (k + 1) * EM, EM) for k, ch in enumerate("右栏")]
    glyphs += [Glyph("—", 120, 0, 140, EM), Glyph("—", 120, 0, 140, EM)]  # one box for a 2-em dash
    assert [ln.text for ln in lines_from_glyphs(glyphs)] == ["左栏文字", "右栏——"]


def test_compose_joins_lines_keeps_a_box_per_character_and_spans_map_back() -> None:
    col = [line("增长5.6", 0, 0), line("%的产值", 0, 14), line("第二段", 0, 40)]
    got = compose([(3, 200.0, 400.0, col)])
    assert got.text == "增长5.6%的产值\n\n第二段"
    assert len(got.boxes) == len(got.text) and got.boxes[got.text.index("\n")] is None
    start = got.text.index("5.6%")
    page, x0, y0, x1, y1 = span_box(got.boxes, start, start + 4)
    # "5.6" ends the first line, "%" starts the next: the box covers both
    assert page == 3 and (x0, y0) == (0.0, 0.0)
    assert x1 == 50 / 200 and y1 == (14 + EM) / 400
    latin = compose([(1, 100.0, 100.0, [line("GDP", 0, 0), line("growth", 0, 12)])])
    assert latin.text == "GDP growth"
