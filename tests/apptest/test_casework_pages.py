"""The coverage, activities and cases pages rendered for the county, one town and one compound,
their headline figures checked against the services on the hand-computed fixture."""

import pytest

from services import formatting
from services.db import make_engine
from services.domain import Period
from services.themes import activities, cases, coverage
from tests import fixture_county as fx
from tests.apptest.conftest import USERS, login, new_app, no_exceptions
from tests.scoped import scoped
from tests.themes import fixture

FEB = Period("2025-01", "2025-02")
PAGES = {"coverage": "pages/coverage.py", "activities": "pages/activities.py", "cases": "pages/cases.py"}
SCOPES = {
    "county": scoped(),
    "town": scoped(town_code=fx.HONGCHUAN),
    "secretary": scoped(town_code=fx.HONGCHUAN, compound_id=1),
}


@pytest.fixture
def themes_db(fixture_db):
    engine = make_engine(fixture_db)
    fixture.load_casework(engine)
    yield engine
    engine.dispose()


def open_page(role: str, page: str, **params: str):
    at = new_app()
    at.query_params.update({"from": FEB.start, "to": FEB.end, **params})
    login(at, USERS[role][0])
    no_exceptions(at)
    at.switch_page(PAGES[page]).run()
    no_exceptions(at)
    return at


def shown(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("role", list(SCOPES))
def test_coverage_page(themes_db, role):
    at = open_page(role, "coverage")
    expected = coverage.shares(themes_db, SCOPES[role], FEB)
    for body, label in (("branch", "党支部覆盖率"), ("property_company", "物业公司覆盖率")):
        assert shown(at, label) == formatting.percent(expected[f"share_with_{body}"])
    # by hand: county 2 of 4 compounds have a company (50%); 洪川镇 1 of 2 (50%); 甲小区 has one (100%)
    assert shown(at, "物业公司覆盖率") == {"county": "50.0%", "town": "50.0%", "secretary": "100.0%"}[role]
    assert at.title[0].value.startswith("组织覆盖")
    tables = [df.value for df in at.dataframe]
    if role == "county":
        towns = tables[0].set_index("镇")
        assert towns.loc["止戈镇", "至少缺一项"] == 2 and towns.loc["洪川镇", "缺物业公司"] == 1
    else:
        assert "甲小区" in set(tables[0]["小区"])


@pytest.mark.parametrize("role", list(SCOPES))
def test_activities_page(themes_db, role):
    at = open_page(role, "activities")
    expected = activities.summary(themes_db, SCOPES[role], FEB)
    assert shown(at, "开展活动") == formatting.number(expected["activities"])
    # by hand: county 6; 洪川镇 and 甲小区 4 (#1 #2 #3 #6, all A's)
    assert shown(at, "开展活动") == {"county": "6", "town": "4", "secretary": "4"}[role]
    assert shown(at, "困难群众") == formatting.number(expected["visited_hardship_residents"])
    assert shown(at, "每百户活动次数") == f"{expected['activities_per_100_households']:,.2f}"
    tables = [df.value for df in at.dataframe]
    if role == "county":
        assert tables[0].set_index("镇").loc["洪川镇", "活动次数"] == 4
    else:
        assert tables[0].set_index("小区").loc["甲小区", "活动次数"] == 4


@pytest.mark.parametrize("role", list(SCOPES))
def test_cases_page(themes_db, role):
    at = open_page(role, "cases")
    expected = cases.loop(themes_db, SCOPES[role], FEB)
    assert shown(at, "受理诉求纠纷") == formatting.number(expected["cases_received"])
    # by hand: county 9; 洪川镇 and 甲小区 6 (A-1 … A-6)
    assert shown(at, "受理诉求纠纷") == {"county": "9", "town": "6", "secretary": "6"}[role]
    assert shown(at, "办结用时 90 分位") == formatting.days(expected["p90_days_to_close"])
    assert shown(at, "期末积压") == formatting.number(expected["cases_open_at_end"])
    if role == "county":
        assert shown(at, "办结用时 90 分位") == "35 天"  # 2 8 10 20 30 35: the 6th of 6
        towns = next(df.value for df in at.dataframe if "每百户纠纷" in df.value.columns).set_index("镇")
        assert towns.loc["止戈镇", "每百户纠纷"] == pytest.approx(0.29)  # 2 disputes × 100 ÷ 700 households


def test_a_click_on_a_row_drills_down(themes_db, monkeypatch):
    """A town row sets the town filter; a compound row opens the profile. AppTest replays the old
    filter widgets on st.rerun, so the drill-down functions are recorded instead of followed (the
    filter itself, ?town=…, is covered below and by the browser journey)."""
    import ui.drill

    clicked = []
    monkeypatch.setattr(ui.drill, "set_town", lambda code: clicked.append(("town", code)))
    monkeypatch.setattr(ui.drill, "open_compound", lambda cid: clicked.append(("compound", cid)))
    at = open_page("county", "coverage")
    assert list(at.dataframe[0].value["镇"]) == ["止戈镇", "洪川镇"]
    at.session_state["cov_areas_towns"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    no_exceptions(at)
    assert clicked == [("town", fx.HONGCHUAN)]
    at = open_page("county", "cases", town=fx.HONGCHUAN)
    assert at.title[0].value == "诉求与纠纷 · 洪川镇"
    assert list(at.dataframe[-1].value["小区"]) == ["甲小区", "乙小区"]
    at.session_state["case_areas_compounds"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    no_exceptions(at)
    assert clicked[-1] == ("compound", 1)


def test_empty_town_says_why(themes_db):
    at = open_page("county", "activities", town="511423114")  # 槽渔滩镇 has no compound in the fixture
    assert any("没有在册的小区" in i.value for i in at.info)
    assert not at.dataframe


def test_english_labels(themes_db):
    at = new_app()
    at.query_params.update({"from": FEB.start, "to": FEB.end})
    login(at, USERS["county"][0])
    at.session_state["lang"] = "en"  # what the sidebar's language switch sets
    at.switch_page(PAGES["cases"]).run()
    no_exceptions(at)
    assert at.title[0].value == "Demands and disputes · Hongya County"
    assert shown(at, "Demands and disputes received") == "9"


def test_hostile_compound_names_stay_literal(fixture_db):
    """A compound named with markup shows as typed in the tables and never renders as markup."""
    import re

    from tests import hostile

    hostile.plant(make_engine(fixture_db))  # renames 乙小区 (洪川镇) to "<img …>小区"
    for page in PAGES:
        at = open_page("county", page, town=fx.HONGCHUAN)
        if page == "coverage":  # the list of compounds missing a body names 乙 (no company)
            at.selectbox(key="cov_body").set_value("property_company").run()
            no_exceptions(at)
        assert hostile.NAME in " ".join(df.value.to_csv() for df in at.dataframe), page
        for kind in ("markdown", "title", "header", "subheader", "caption", "success", "info", "warning"):
            for element in getattr(at, kind):
                assert not re.search(r"(?<!\\)<img src=x", str(element.value)), (page, kind, element.value)
