"""The facilities, votes, finance and property pages for the county, one town and one compound:
displayed headline figures equal the services' values (hand-checked in tests/themes), no exceptions."""

import pytest

from services import formatting
from services.db import make_engine
from services.domain import Period
from services.themes import facilities, finance, votes
from services.themes import property as property_theme
from tests import fixture_county as fx
from tests.apptest.conftest import USERS, login, new_app, no_exceptions
from tests.scoped import scoped
from tests.themes import fixture

BOTH = Period("2025-01", "2025-02")
SCOPES = {"county": scoped(), "town": scoped(town_code=fx.HONGCHUAN), "secretary": scoped(compound_id=1)}
TITLES = {"county": "洪雅县", "town": "洪川镇", "secretary": "甲小区"}


@pytest.fixture
def engine_b(fixture_db):
    engine = make_engine(fixture_db)
    fixture.load_estate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def open_page(engine_b):
    """Log in as ``role`` through the real form with the period (and town) in the link, open ``page``.

    The filters go in the URL, as a shared link would carry them: in AppTest the sidebar widgets are
    only found on the first run after login, so they cannot be changed afterwards."""

    def _open(role: str, page: str, **params: str):
        at = new_app()
        at.query_params.update({"from": BOTH.start, "to": BOTH.end, **params})
        login(at, USERS[role][0])
        no_exceptions(at)
        at.switch_page(f"pages/{page}.py").run()
        no_exceptions(at)
        return at

    return _open


def metric_value(at, label: str) -> str:
    return next(m for m in at.metric if m.label == label).value


def frames_text(at) -> str:
    return " ".join(df.value.to_csv() for df in at.dataframe)


# (page, title suffix, KPI label, figure from services, expected by hand for county / town / compound)
FIGURES = [
    (
        "facilities",
        "设施改造",
        "完工项目",
        lambda e, s: formatting.number(facilities.summary(e, s, BOTH)["facility_projects_completed"]),
        {"county": "4", "town": "3", "secretary": "3"},
    ),
    (
        "votes",
        "民主议事",
        "按本地规则通过",
        lambda e, s: formatting.number(votes.summary(e, s, BOTH)["passed_local"]),
        {"county": "3", "town": "2", "secretary": "2"},
    ),
    (
        "votes",
        "民主议事",
        "按民法典第278条通过",
        lambda e, s: formatting.number(votes.summary(e, s, BOTH)["passed_statutory"]),
        {"county": "1", "town": "1", "secretary": "1"},
    ),
    (
        "finance",
        "财务公开",
        "财务公开率",
        lambda e, s: formatting.percent(finance.summary(e, s, BOTH)["disclosure_rate"]),
        {"county": "60.0%", "town": "66.7%", "secretary": "50.0%"},
    ),
    (
        "property",
        "物业与包保",
        "每百户物业服务诉求",
        lambda e, s: f"{property_theme.summary(e, s, BOTH)['property_demands_per_100_households']:.2f}",
        {"county": "0.77", "town": "1.33", "secretary": "1.50"},
    ),
]
CASES = [(role, *figure) for figure in FIGURES for role in ("county", "town", "secretary")]


@pytest.mark.parametrize(("role", "page", "title", "label", "figure", "by_hand"), CASES)
def test_headline_figure_matches_the_services(engine_b, open_page, role, page, title, label, figure, by_hand):
    at = open_page(role, page)
    assert at.title[0].value == f"{TITLES[role]}{title}"
    shown = metric_value(at, label)
    assert shown == figure(engine_b, SCOPES[role]) == by_hand[role]


def test_county_tables_show_the_hand_computed_rows(open_page):
    at = open_page("county", "facilities")
    text = frames_text(at)
    assert "1,211 米" in text and "5 套" in text  # 道路铺设 and the two 门禁 projects of A
    assert "洪川镇" in text and "止戈镇" in text  # the town drill-down table
    at.switch_page("pages/votes.py").run()
    no_exceptions(at)
    assert "议题V4" in frames_text(at)  # the near miss is listed
    at.switch_page("pages/property.py").run()
    no_exceptions(at)
    text = frames_text(at)
    assert "甲物业" in text and "县民政局" in text and "乙小区" in text


def test_secretary_sees_only_their_compound(open_page):
    at = open_page("secretary", "property")
    text = frames_text(at)
    assert "甲物业" in text and "丙物业" not in text and "乙小区" not in text
    at.switch_page("pages/finance.py").run()
    no_exceptions(at)
    assert "2025-02" in frames_text(at)  # 甲小区's missing February


@pytest.mark.parametrize("page", ["facilities", "votes", "finance", "property"])
def test_county_rows_are_towns_that_drill_down_and_town_rows_are_compounds(open_page, page):
    """County scope: the town table answers a click (single-row selection → ``set_town``). A shared
    link with a town shows that town's compounds, with a way back for county officials only.

    (AppTest re-runs only the page script after the first run under ``st.navigation``, so the
    click itself and the rerun it triggers cannot be replayed here; the link is what they produce.)"""
    at = open_page("county", page)
    towns = [df for df in at.dataframe if "止戈镇" in df.value.to_csv() and df.proto.selection_mode]
    assert towns, f"{page}: no selectable town table in the county scope"
    at = open_page("county", page, town=fx.ZHIGE)
    assert at.title[0].value.startswith("止戈镇")
    assert "丁小区" in frames_text(at) and "甲小区" not in frames_text(at)  # 止戈镇's compounds, one row each
    assert [b for b in at.button if b.label == "← 全县"]
    assert [c for c in at.caption if c.value == "点击表格行打开小区档案。"]  # compound rows open the profile
    town_official = open_page("town", page)
    assert not [b for b in town_official.button if b.label == "← 全县"]


@pytest.mark.parametrize("page", ["facilities", "votes", "finance", "property"])
def test_a_town_without_compounds_says_why(open_page, page):
    at = open_page("county", page, town="511423113")  # 余坪镇: no compound in the fixture
    assert [i for i in at.info if "没有在册小区" in i.value], f"{page} gives no reason for showing nothing"
    assert not at.metric


def test_hostile_names_stay_literal(fixture_db, engine_b):
    """A compound named like markup and a liaison unit written as a link show as typed, never as markup."""
    import re

    from tests import hostile

    hostile.plant(engine_b)
    at = new_app()
    at.query_params.update({"from": BOTH.start, "to": BOTH.end, "town": fx.HONGCHUAN})
    login(at, USERS["county"][0])
    for page in ("facilities", "votes", "finance", "property"):
        at.switch_page(f"pages/{page}.py").run()
        no_exceptions(at)
        for kind in ("markdown", "title", "header", "subheader", "caption", "info", "success", "warning"):
            for element in getattr(at, kind):
                assert not re.search(r"(?<!\\)<img src=x|(?<!\\)\]\(javascript:", str(element.value)), (page, kind)
    assert hostile.NAME in frames_text(at)  # 物业与包保: the renamed 乙小区 has no company, listed as typed


@pytest.mark.parametrize(
    ("page", "title", "label"),
    [
        ("facilities", "Hongya County: facility upgrades", "Projects completed"),
        ("votes", "Hongya County: owners' votes", "Passed under the local rule"),
        ("finance", "Hongya County: financial disclosure", "Disclosure rate"),
        ("property", "Hongya County: property companies and liaison units", "Property companies"),
    ],
)
def test_english(open_page, page, title, label):
    at = open_page("county", page)
    at.session_state["lang"] = "en"  # what the sidebar's language switch sets
    at.run()
    no_exceptions(at)
    assert at.title[0].value == title
    assert label in [m.label for m in at.metric]


def test_property_page_links_companies_to_their_compounds_index(open_page):
    at = open_page("county", "property")
    pick = next(s for s in at.selectbox if s.label == "查看物业公司所管小区的治理指数")
    assert pick.options  # every company with an index can be picked
    headers = [list(d.value.columns) for d in at.dataframe]
    assert ["物业公司", "有指数的小区", "平均治理指数", "最低指数", "最高指数"] in headers
