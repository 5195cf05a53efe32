"""The 汇报模式 page for the county, town and secretary accounts (AppTest, through the real login)."""

from __future__ import annotations

import pytest

from tests.apptest.conftest import app_as, fixture_db, fixture_db_template, no_exceptions  # noqa: F401 (fixtures)

TITLES = {
    "county": "洪雅县支部进小区工作汇报",
    "town": "洪川镇支部进小区工作汇报",
    "secretary": "甲小区支部进小区工作汇报",
}


def open_present(app_as, role: str):  # noqa: F811 (the fixture is passed in)
    at = app_as(role)
    no_exceptions(at)
    at.switch_page("pages/present.py").run()
    no_exceptions(at)
    return at


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("role", list(TITLES))
def test_presents_the_deck_slide_by_slide(app_as, role):  # noqa: F811
    at = open_present(app_as, role)
    assert at.title[0].value == "汇报模式"
    assert at.header[0].value == TITLES[role]
    assert at.subheader[0].value == "2025年2月"  # the month of the global filter
    assert button(at, "上一页").disabled and at.markdown[0].value == "第 1 页"  # the title alone, at once
    button(at, "下一页").click().run()
    no_exceptions(at)
    assert at.header[0].value == "综述" and "第 2 / " in at.markdown[0].value
    button(at, "下一页").click().run()
    no_exceptions(at)
    assert at.header[0].value == "核心指标"
    assert {m.label for m in at.metric} >= {"开展活动（次）", "办结率", "上报率"}
    assert any("本月" in m.value and "开展活动" in m.value for m in at.markdown)  # the narrative


def test_county_picks_a_compound_and_a_quarter(app_as):  # noqa: F811
    at = open_present(app_as, "county")
    at.radio(key="present_level").set_value("compound").run()
    at.selectbox(key="present_town").set_value("511423112").run()
    no_exceptions(at)
    assert at.header[0].value == "甲小区支部进小区工作汇报"
    at.radio(key="present_kind").set_value("quarter").run()
    no_exceptions(at)
    assert at.subheader[0].value == "2025年第一季度"
    at.radio(key="present_compare").set_value("year").run()
    no_exceptions(at)
    assert "去年同期" in " ".join(m.value for m in at.markdown)


def test_town_official_only_sees_their_compounds(app_as):  # noqa: F811
    at = open_present(app_as, "town")
    assert at.radio(key="present_level").options == ["一个镇", "一个小区"]
    assert at.selectbox(key="present_town").options == ["洪川镇"]
    at.radio(key="present_level").set_value("compound").run()
    no_exceptions(at)
    assert [o.split(" ", 1)[1] for o in at.selectbox(key="present_compound").options] == ["甲小区", "乙小区"]


def test_the_title_slide_comes_at_once_and_the_deck_only_when_asked(app_as, monkeypatch):  # noqa: F811
    import streamlit as st

    from ui import presentation

    st.cache_data.clear()
    built: list = []
    real = presentation.decks.build_deck
    monkeypatch.setattr(presentation.decks, "build_deck", lambda *a, **k: built.append(a) or real(*a, **k))
    at = open_present(app_as, "county")
    assert at.header[0].value == TITLES["county"] and not built  # nothing but the title computed
    assert not any(b.label.startswith("下载") for b in at.get("download_button"))
    button(at, "生成全部幻灯片、文字摘要和下载文件").click().run()
    no_exceptions(at)
    assert len(built) == 1 and at.header[0].value == TITLES["county"] and "第 1 / " in at.markdown[0].value
    assert any(b.label.startswith("下载 PPT") for b in at.get("download_button"))
