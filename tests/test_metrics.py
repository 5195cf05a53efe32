"""Headline figures against values worked out by hand from tests/fixture_county.py."""

import pytest

from services import metrics
from services.domain import Period
from tests import fixture_county as fx
from tests.scoped import scoped

BOTH_MONTHS = Period("2025-01", "2025-02")


@pytest.fixture
def county(engine):
    fx.load(engine)
    return engine


def test_headline_for_the_county_over_two_months(county):
    h = metrics.headline(county, scoped(), BOTH_MONTHS, deadline_day=5)
    # A: Jan+Feb, B: Feb only (branch founded 2025-02-01), C: Jan+Feb
    assert h["compounds"] == 3
    assert h["reports_expected"] == 5
    # A Jan, A Feb, B Feb (zero report), C Jan (two versions count once); C Feb missing
    assert h["reports_received"] == 4
    # A Feb arrived 03-09, after the 5th; C Jan's first version (02-04) was on time
    assert h["reports_on_time"] == 3
    assert h["reporting_rate"] == pytest.approx(4 / 5) and h["on_time_rate"] == pytest.approx(3 / 5)
    # current rows only: C's superseded January visit (99 households) does not count
    assert h["activities"] == 4
    assert h["participants"] == 15 + 8 + 40 + 20
    assert h["volunteer_hours"] == 12.5
    assert h["households_visited"] == 10 + 6
    assert h["cases_received"] == 5
    assert (h["demands_received"], h["disputes_received"]) == (3, 2)
    assert h["cases_responded"] == 4  # A-3 never answered; A-2 counts by its closing
    assert h["cases_resolved"] == 3
    assert h["cases_transferred"] == 1
    assert h["response_rate"] == pytest.approx(4 / 5)
    assert h["closure_rate"] == pytest.approx(3 / 5)
    assert h["median_days_to_close"] == 10  # days: A-1 30, A-2 2, C-1 10
    assert h["facility_projects_completed"] == 2
    assert h["facility_investment_yuan"] == 340000
    assert h["facility_quantities"] == [  # in the domain's category order on both databases
        {"category": "道路铺设", "unit": "米", "quantity": 1211.0},
        {"category": "监控", "unit": "个", "quantity": 8.0},
    ]
    assert h["votes_held"] == 3
    assert h["votes_passed_local"] == 2  # V1 75%, V3 83%; V2 50%
    assert h["votes_passed_statutory"] == 1  # only V2; V1 fails area participation, V3 unknown
    assert h["mean_vote_participation"] == pytest.approx((150 / 200 + 160 / 200 + 270 / 300) / 3)
    assert (h["with_branch"], h["with_property_company"], h["with_owners_committee"]) == (3, 2, 1)
    assert (h["with_womens_federation"], h["with_volunteer_team"], h["with_liaison_unit"]) == (1, 2, 2)
    assert h["disclosures"] == 1
    assert h["disclosed_income_yuan"] == pytest.approx(5000.50)
    assert set(metrics.HEADLINE_KEYS) <= set(h)


def test_january_counts_cases_in_their_latest_state(county):
    h = metrics.headline(county, scoped(), Period("2025-01", "2025-01"))
    assert h["reports_expected"] == 2  # B's branch did not exist yet
    assert (h["reports_received"], h["reports_on_time"]) == (2, 2)
    assert h["activities"] == 3
    assert h["cases_received"] == 4
    # A-1 was still open in the January ledger but closed in February: it counts as resolved
    assert h["cases_resolved"] == 3
    assert h["closure_rate"] == pytest.approx(0.75)
    assert h["with_branch"] == 2 and h["with_womens_federation"] == 0
    assert h["facility_projects_completed"] == 1 and h["facility_investment_yuan"] == 40000


def test_town_and_compound_scopes(county):
    town = metrics.headline(county, scoped(town_code=fx.HONGCHUAN), BOTH_MONTHS)
    assert town["compounds"] == 2
    assert (town["reports_expected"], town["reports_received"], town["reports_on_time"]) == (3, 3, 2)
    assert town["activities"] == 3
    assert town["cases_received"] == 3 and town["closure_rate"] == pytest.approx(2 / 3)
    one = metrics.headline(county, scoped(compound_id=3), BOTH_MONTHS)
    assert one["compounds"] == 1 and one["activities"] == 1 and one["households_visited"] == 6
    assert one["votes_passed_statutory"] == 0 and one["votes_held"] == 1


def test_empty_period_has_no_rates(county):
    h = metrics.headline(county, scoped(), Period("2019-01", "2019-02"))
    assert h["activities"] == 0 and h["cases_received"] == 0
    assert h["closure_rate"] is None and h["median_days_to_close"] is None
    assert h["mean_vote_participation"] is None


def test_town_ranking_and_per_household_rates(county):
    towns = metrics.by_town(county, scoped(), BOTH_MONTHS)
    assert list(towns["town"]) == ["洪川镇", "止戈镇"]  # 3 per 300 hh = 1.0 beats 1 per 300 hh
    hc = towns.iloc[0]
    assert hc["rank"] == 1 and hc["households"] == 300
    assert hc["activities_per_100_households"] == pytest.approx(1.0)
    assert hc["reporting_rate"] == pytest.approx(3 / 3)
    zg = towns.iloc[1]
    assert zg["reporting_rate"] == pytest.approx(1 / 2)
    assert zg["disputes_per_100_households"] == pytest.approx(round(100 / 300, 2))


def test_monthly_trend(county):
    trend = metrics.monthly_trend(county, scoped(), BOTH_MONTHS)
    assert list(trend["month"]) == ["2025-01", "2025-02"]
    assert list(trend["activities"]) == [3, 1]
    assert list(trend["cases_received"]) == [4, 1]
    assert list(trend["cases_closed"]) == [2, 1]  # A-2, C-1 in January; A-1 in February
    assert list(trend["households_visited"]) == [16, 0]


def test_change(county):
    assert metrics.change(110, 100) == pytest.approx(0.10)
    assert metrics.change(5, 0) is None and metrics.change(None, 3) is None


def test_by_compound_for_a_compound_with_no_ledger_rows(county):
    """乙小区 has only a zero report in February: its row exists with zeros, nothing crashes."""
    frame = metrics.by_compound(county, scoped(compound_id=2), Period("2025-02", "2025-02"))
    row = frame.iloc[0]
    assert (row["activities"], row["cases_received"], row["months_reported"], row["months_expected"]) == (0, 0, 1, 1)
    assert row["reporting_rate"] == 1.0


def test_compound_choices_follow_the_scope_and_leave_out_inactive_compounds(county):
    expected = {c["id"]: f"{c['code']} {c['name']}" for c in fx.COMPOUNDS if c["active"]}
    assert metrics.compound_choices(county, scoped()) == dict(sorted(expected.items(), key=lambda kv: kv[1]))
    town = {
        cid: label
        for cid, label in expected.items()
        if next(c for c in fx.COMPOUNDS if c["id"] == cid)["town_code"] == fx.HONGCHUAN
    }
    assert metrics.compound_choices(county, scoped(town_code=fx.HONGCHUAN)) == town and 0 < len(town) < len(expected)
    assert list(metrics.compound_choices(county, scoped(compound_id=1))) == [1]
