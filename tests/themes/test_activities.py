"""活动与走访 against values worked out by hand from tests/fixture_county.py + tests/themes/fixture.py, load_casework.

Current activities in 2025-01..02 at active compounds:
  #1 A 01-20 走访慰问 15 people, 10 households visited (no groups)   #2 A 01-25 志愿服务 8, 12.5 h
  #3 A 02-14 文化活动 40                                              #5 C 01-10 走访慰问 20, 6 visited
  #6 A 02-03 走访慰问 12, 9 visited (2/4/2/1), 6 h                    #7 C 01-22 走访慰问 10, 5 visited (1/3/1/0)
Not counted: #4 (C's superseded version), #8 (戊 is inactive), #9 (2024-01).
Households: A 200 + B 100 + C 300 + D 400 = 1,000.
"""

import pytest

from services import metrics
from services.domain import Period
from services.themes import activities
from tests import fixture_county as fx
from tests.scoped import scoped
from tests.themes import fixture

FEB = Period("2025-01", "2025-02")


@pytest.fixture
def county(engine):
    fx.load(engine)
    fixture.load_casework(engine)
    return engine


def test_summary_with_visits_by_group_and_per_100_households(county):
    s = activities.summary(county, scoped(), FEB)
    assert s["activities"] == 6
    assert s["participants"] == 15 + 8 + 40 + 20 + 12 + 10  # 105
    assert s["volunteer_hours"] == pytest.approx(12.5 + 6)
    assert s["households_visited"] == 10 + 6 + 9 + 5  # 30
    groups = [s[g] for g in activities.VISIT_GROUPS]
    assert groups == [2 + 1, 4 + 3, 2 + 1, 1 + 0]
    assert s["households"] == 1000 and s["compounds"] == 4
    assert s["activities_per_100_households"] == pytest.approx(0.6)  # 6 × 100 ÷ 1,000
    assert s["participants_per_100_households"] == pytest.approx(10.5)
    assert s["volunteer_hours_per_100_households"] == pytest.approx(1.85)
    assert s["households_visited_per_100_households"] == pytest.approx(3.0)
    # the counts are metrics.activity_totals' own
    totals = metrics.activity_totals(county, scoped(), FEB)
    assert {k: s[k] for k in totals} == totals


def test_summary_for_an_empty_town_has_no_per_100_figure(county):
    s = activities.summary(county, scoped(town_code="511423114"), FEB)
    assert s["compounds"] == 0 and s["activities"] == 0
    assert s["activities_per_100_households"] is None


def test_by_type_and_month(county):
    frame = activities.by_type_month(county, scoped(), FEB)
    rows = [(r.month, r.activity_type, r.activities, r.participants) for r in frame.itertuples()]
    assert rows == [
        ("2025-01", "走访慰问", 3, 15 + 20 + 10),  # #1, #5, #7
        ("2025-01", "志愿服务", 1, 8),
        ("2025-02", "走访慰问", 1, 12),  # #6, before 文化活动 in the domain's order
        ("2025-02", "文化活动", 1, 40),
    ]
    assert frame["activities_per_100_households"].tolist() == [0.3, 0.1, 0.1, 0.1]  # per 1,000 households
    assert frame["participants_per_100_households"].iloc[0] == pytest.approx(4.5)


def test_monthly_and_the_month_of_year_profile(county):
    months = activities.monthly(county, scoped(), FEB).set_index("month")
    assert months.loc["2025-01", "activities"] == 4 and months.loc["2025-02", "activities"] == 2
    assert months.loc["2025-01", "visited_hardship_residents"] == 3 and months.loc["2025-02", "visited_bereaved"] == 1
    season = activities.seasonality(county, scoped(), FEB)
    # at least three calendar years: 2023-01 .. 2025-02 is 26 months
    assert activities.season_period(FEB) == Period("2023-01", "2025-02") and len(season) == 26
    jan = season[season["month_of_year"] == 1].set_index("year")
    assert list(jan.index) == ["2023", "2024", "2025"]
    assert list(jan["activities"]) == [0, 1, 4]  # #9 in January 2024; #1 #2 #5 #7 in January 2025
    assert list(jan["households_visited"]) == [0, 20, 10 + 6 + 5]


def test_by_town_and_by_compound(county):
    towns = activities.by_town(county, scoped(), FEB).set_index("town_code")
    hongchuan, zhige = towns.loc[fx.HONGCHUAN], towns.loc[fx.ZHIGE]
    # 洪川镇: A and B, 300 households; A's #1 #2 #3 #6
    assert (hongchuan["compounds"], hongchuan["households"], hongchuan["activities"]) == (2, 300, 4)
    assert hongchuan["participants"] == 15 + 8 + 40 + 12 and hongchuan["volunteer_hours"] == pytest.approx(18.5)
    assert hongchuan["activities_per_100_households"] == pytest.approx(1.33)  # 4 × 100 ÷ 300
    # 止戈镇: C and D, 700 households; C's #5 #7
    assert (zhige["households"], zhige["activities"], zhige["households_visited"]) == (700, 2, 11)
    assert zhige["activities_per_100_households"] == pytest.approx(0.29)  # 2 × 100 ÷ 700 = 0.2857
    compounds = activities.by_compound(county, scoped(town_code=fx.ZHIGE), FEB).set_index("name")
    assert list(compounds.index) == ["丙小区", "丁小区"]
    assert compounds.loc["丁小区", "activities"] == 0  # listed although it did nothing
    assert compounds.loc["丙小区", "visited_hardship_residents"] == 3
    # the per-compound figures add up to the headline totals
    assert towns["activities"].sum() == metrics.activity_totals(county, scoped(), FEB)["activities"]
