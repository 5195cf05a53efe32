"""财务公开 figures against values worked out by hand (tests/fixture_county.py + tests/themes/fixture.py, load_estate).

Expected compound-months in Jan–Feb 2025 (from the month the branch was founded): A Jan, A Feb, B Feb
(branch 2025-02-01), C Jan, C Feb = 5; 丁小区 has no branch. Disclosures (current rows):
  A Jan 5,000.50 / 4,000.25; B Jan 100 / 50 (not expected); B Feb 800 / 1,200.40; C Jan 2,000 / 1,500
  (a superseded C Jan row of 9,999 does not count). Missing: A Feb, C Feb.
"""

import pandas as pd
import pytest

from services import metrics, reporting
from services.domain import Period
from services.themes import finance
from tests import fixture_county as fx
from tests.scoped import scoped
from tests.themes import fixture

BOTH = Period("2025-01", "2025-02")


@pytest.fixture
def county(engine):
    fx.load(engine)
    fixture.load_estate(engine)
    return engine


def test_summary(county):
    s = finance.summary(county, scoped(), BOTH)
    assert s["compounds"] == 4
    assert (s["months_expected"], s["months_disclosed"], s["months_missing"]) == (5, 3, 2)
    assert s["disclosure_rate"] == pytest.approx(3 / 5)  # B's January is shown but not expected
    assert s["compounds_missing"] == 2  # A and C
    assert s["disclosures"] == 4
    assert s["disclosed_income_yuan"] == pytest.approx(5000.50 + 100 + 800 + 2000)
    assert s["disclosed_spending_yuan"] == pytest.approx(4000.25 + 50 + 1200.40 + 1500)
    # the expectation is that of the reporting calendar
    assert s["months_expected"] == metrics.reporting(county, scoped(), BOTH, deadline_day=5)["reports_expected"]


def test_calendar_statuses(county):
    cal = finance.calendar(county, scoped(), BOTH)
    status = {(r.code[-4:], r.month): r.status for r in cal.itertuples()}
    assert status == {
        ("2001", "2025-01"): "disclosed",
        ("2001", "2025-02"): "missing",
        ("2002", "2025-01"): "disclosed",
        ("2002", "2025-02"): "disclosed",  # B's January: shown anyway
        ("1001", "2025-01"): "disclosed",
        ("1001", "2025-02"): "missing",
        ("1002", "2025-01"): "not_expected",
        ("1002", "2025-02"): "not_expected",  # 丁小区: no branch
    }
    b_jan = cal[(cal["compound_id"] == 2) & (cal["month"] == "2025-01")].iloc[0]
    assert not b_jan["expected"] and b_jan["disclosed"]
    c_jan = cal[(cal["compound_id"] == 3) & (cal["month"] == "2025-01")].iloc[0]
    assert c_jan["income_yuan"] == 2000  # not the superseded 9,999


def test_trend_by_month(county):
    trend = finance.trend(county, scoped(), BOTH)
    assert list(trend["month"]) == ["2025-01", "2025-02"]
    assert trend["income_yuan"].tolist() == pytest.approx([5000.50 + 100 + 2000, 800])
    assert trend["spending_yuan"].tolist() == pytest.approx([4000.25 + 50 + 1500, 1200.40])
    assert trend["compounds_disclosed"].tolist() == [3, 1]


def test_months_missing_per_compound(county):
    rows = finance.by_compound(county, scoped(), BOTH).set_index("code")
    a = rows.loc["511423112001"]
    assert (a["months_expected"], a["months_disclosed"], a["months_missing"], a["missing_months"]) == (
        2,
        1,
        1,
        "2025-02",
    )
    assert a["disclosure_rate"] == 0.5 and a["last_disclosed_month"] == "2025-01"
    b = rows.loc["511423112002"]
    assert (b["months_expected"], b["months_disclosed"], b["disclosure_rate"]) == (1, 1, 1.0)
    assert b["income_yuan"] == pytest.approx(900) and b["last_disclosed_month"] == "2025-02"
    d = rows.loc["511423101002"]
    assert d["months_expected"] == 0 and pd.isna(d["disclosure_rate"])


def test_towns_and_months(county):
    towns = finance.by_town(county, scoped(), BOTH).set_index("town")
    assert (towns.loc["洪川镇", "months_expected"], towns.loc["洪川镇", "months_disclosed"]) == (3, 2)
    assert towns.loc["洪川镇", "disclosure_rate"] == pytest.approx(2 / 3)
    assert (towns.loc["止戈镇", "compounds"], towns.loc["止戈镇", "compounds_missing"]) == (2, 1)
    assert towns.loc["止戈镇", "disclosure_rate"] == pytest.approx(1 / 2)
    cells = finance.town_months(county, scoped(), BOTH).set_index(["town", "month"])["disclosure_rate"]
    assert cells.to_dict() == {
        ("洪川镇", "2025-01"): 1.0,
        ("洪川镇", "2025-02"): 0.5,
        ("止戈镇", "2025-01"): 1.0,
        ("止戈镇", "2025-02"): 0.0,
    }


def test_scopes_and_empty_periods(county):
    town = finance.summary(county, scoped(town_code=fx.HONGCHUAN), BOTH)
    assert (town["months_expected"], town["months_disclosed"]) == (3, 2)
    one = finance.summary(county, scoped(compound_id=2), Period("2025-01", "2025-01"))
    assert one["months_expected"] == 0 and one["disclosure_rate"] is None and one["disclosures"] == 1
    early = finance.summary(county, scoped(), Period("2019-01", "2019-01"))
    assert early["months_expected"] == 0 and early["disclosures"] == 0
    assert finance.by_town(county, scoped(town_code="000000000"), BOTH).empty
    assert finance.calendar(county, scoped(town_code="000000000"), BOTH).empty
    # the reporting calendar is reused, not redefined
    expectation = reporting.calendar(county, scoped(), BOTH, deadline_day=5)
    assert len(expectation) == len(finance.calendar(county, scoped(), BOTH))


def test_overview_is_the_separate_figures_in_one_pass(county):
    view = finance.overview(county, scoped(), BOTH)
    assert view["summary"] == finance.summary(county, scoped(), BOTH)
    pd.testing.assert_frame_equal(view["by_compound"], finance.by_compound(county, scoped(), BOTH))
    pd.testing.assert_frame_equal(view["by_town"], finance.by_town(county, scoped(), BOTH))
    pd.testing.assert_frame_equal(view["town_months"], finance.town_months(county, scoped(), BOTH))
    pd.testing.assert_frame_equal(view["trend"], finance.trend(county, scoped(), BOTH))
    assert len(view["calendar"]) == 8  # four compounds × two months


def test_trend_chart_switches_to_wan_yuan_for_big_amounts(county):
    from services.charts import finance as finance_charts

    small = finance_charts.money_trend(finance.trend(county, scoped(), BOTH)).to_dict()
    assert small["encoding"]["y"]["title"] == "金额（元）"  # at most 7,100.50 yuan a month
    big = finance.trend(county, scoped(), BOTH).assign(income_yuan=[250000.0, 0.0])
    assert finance_charts.money_trend(big).to_dict()["encoding"]["y"]["title"] == "金额（万元）"
