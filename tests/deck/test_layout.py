"""Periods and names, and the overflow rules: every text fits its box, every box fits the slide."""

from __future__ import annotations

import pytest

from services.deck import drawing, layout, periods
from services.deck.model import Deck, Figure, Narrative, Slide, SlideNote, Table
from services.domain import Period


@pytest.mark.parametrize(
    ("period", "kind", "code", "label"),
    [
        (Period("2025-07", "2025-07"), "month", "202507", "2025年7月"),
        (Period("2025-07", "2025-09"), "quarter", "2025Q3", "2025年第三季度"),
        (Period("2025-01", "2025-12"), "year", "2025", "2025年"),
        (Period("2025-02", "2025-04"), "custom", "202502-202504", "2025-02 至 2025-04"),
    ],
)
def test_period_kinds(period, kind, code, label):
    assert (periods.kind_of(period), periods.code(period), periods.label(period)) == (kind, code, label)
    if kind != "custom":
        assert periods.of_kind(kind, periods.containing(kind, period.start)) == period


def test_comparisons_and_file_names():
    q1 = Period("2025-01", "2025-03")
    assert periods.comparison(q1, "previous") == Period("2024-10", "2024-12")
    assert periods.comparison(q1, "year") == Period("2024-01", "2024-03")
    assert periods.safe_name('洪雅县/A:B*"C"_2025Q1_汇报') == "洪雅县_A_B_C_2025Q1_汇报"


def text_fits(item: drawing.Text) -> bool:
    if item.middle:
        return layout.text_width(item.paragraphs[0], item.size) <= item.box.w + 0.01
    lines = sum(layout.line_count(p, item.size, item.box.w) for p in item.paragraphs)
    return (lines + 0.5 * (len(item.paragraphs) - 1)) * item.size * layout.LINE_SPACING <= item.box.h + 0.01


def inside_page(box: layout.Box) -> bool:
    return box.x >= 0 and box.y >= 0 and box.x + box.w <= layout.WIDTH + 0.01 and box.y + box.h <= layout.HEIGHT + 0.01


def crowded_deck() -> Deck:
    """Long names, long numbers, a full table and a long summary: the worst a county might produce."""
    name = "洪雅县某某镇某某社区幸福里花园小区二期安置房"
    figures = tuple(
        Figure(
            f"k{i}", "受理诉求纠纷（件）以及其他很长的说明", "1,234,567.8万元", "+1,234.5%", "诉求 12,345 · 纠纷 6,789"
        )
        for i in range(8)
    )
    table = Table(
        ("镇", "小区", "户数", "活动", "每百户活动", "受理", "办结率", "上报率", "治理指数"),
        tuple(("洪川镇", name, "12,345", "1,234", "12.34", "999", "100.0%", "100.0%", "99.9") for _ in range(12)),
        (False, False, *[True] * 7),
    )
    sentences = tuple(
        "本季度全县共开展活动1,234次，参与43,451人次，走访慰问84户，活动次数同比增长12.5%。" * 2 for _ in range(4)
    )
    remarks = tuple(SlideNote("某某镇某某科室负责同志" * 2, "2025-10-08", "逾期原因需要说明，" * 40) for _ in range(5))
    slides = (
        Slide(
            "title",
            name * 2,
            lines=(
                "2025年第三季度",
                "统计期：2025-07 至 2025-09",
                "对比期：去年同期",
                "数据截至",
                "截至…，应报…，已报…" * 6,
                "生成于",
            ),
        ),
        Slide("summary", "综述", lines=sentences),
        Slide("headline", "核心指标", figures=figures, note="变化为同比" * 30, view_notes=remarks),
        Slide("appendix", "附表：" + name * 3, table=table),
        Slide(
            "facilities", "设施改造", figures=figures[:4], chart={}, table=table, note="共 12 行", view_notes=remarks
        ),
        Slide("alerts", "需要研究决定的预警", figures=figures[:6], table=table, note="截至", view_notes=remarks[:1]),
        Slide("orders", "督办落实", figures=figures[:6], table=table, view_notes=remarks[:2]),
    )
    return Deck(
        title=name,
        scope_label=name,
        period=Period("2025-07", "2025-09"),
        period_kind="quarter",
        period_label="2025年第三季度",
        compare="year",
        comparison=Period("2024-07", "2024-09"),
        as_of=None,
        generated_at="",
        lang="zh",
        file_stem="x",
        narrative=Narrative(sentences, ()),
        slides=slides,
    )


@pytest.mark.parametrize("which", ["fixture", "crowded"])
def test_nothing_overflows(which, county_deck):
    deck = county_deck if which == "fixture" else crowded_deck()
    for index in range(len(deck.slides)):
        for item in drawing.plan(deck, index):
            assert inside_page(item.box), (index, item)
            if isinstance(item, drawing.Text):
                assert text_fits(item), (index, item.paragraphs[0][:20], item.size)
            if isinstance(item, drawing.Grid):
                grid = item.table
                assert sum(grid.widths) <= item.box.w + 0.01 and grid.row_height * len(grid.cells) <= item.box.h + 0.01
                assert grid.size >= layout.TABLE_MIN_SIZE
                for row in grid.cells:
                    for width, cell in zip(grid.widths, row, strict=True):
                        assert layout.text_width(cell, grid.size) <= width, cell
