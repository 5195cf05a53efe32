"""民主议事 figures against values worked out by hand (tests/fixture_county.py + tests/themes/fixture.py, load_estate).

Votes held in Jan–Feb 2025 (households agree/take part/total; areas total/take part/agree m²):
  V1 A 01-12 一般  150/150/200, 20000/12000/12000: local 75% pass; area participation 60% < 2/3 → art. 278 fail
  V2 A 02-08 一般  100/160/200, 20000/17000/11000: local 50% fail; art. 278 pass (80%, 85%, 62.5%, 64.7%)
  V3 C 01-18 重大  250/270/300, no areas: local 83% pass; art. 278 unknown
  V4 A 02-15 一般  132/140/200, 20000/13000/12000: local 66% fail (−4 points); area 65% fail (−1.7 points)
  V5 C 02-20 重大  160/210/300, 30000/21000/15000: local 53% fail; area consent 71.4% < 75% (−3.6 points)
  V7 A 01-20 一般  160/200/200, no areas: local 80% pass; carried out 02-10
V6 (A, 2024-10-10, passed, 未落实) was held before the period.
"""

import pytest

from services import metrics
from services.domain import Period
from services.themes import votes
from tests import fixture_county as fx
from tests.scoped import scoped
from tests.themes import fixture

BOTH = Period("2025-01", "2025-02")


@pytest.fixture
def county(engine):
    fx.load(engine)
    fixture.load_estate(engine)
    return engine


def test_summary_puts_both_rules_side_by_side(county):
    s = votes.summary(county, scoped(), BOTH)
    assert s["votes_held"] == 6
    assert s["passed_local"] == 3  # V1, V3, V7
    assert (s["passed_statutory"], s["failed_statutory"], s["unknown_statutory"]) == (1, 3, 2)  # V2 | V1 V4 V5 | V3 V7
    assert s["local_only"] == 1  # V1: passes the local rule, fails art. 278
    assert s["statutory_only"] == 1  # V2: passes art. 278, fails the local rule
    assert s["mean_vote_participation"] == pytest.approx((0.75 + 0.80 + 0.90 + 0.70 + 0.70 + 1.00) / 6)
    # the headline figures are those of services.metrics
    totals = metrics.vote_totals(county, scoped(), BOTH)
    assert (s["votes_passed_local"], s["votes_passed_statutory"]) == (
        totals["votes_passed_local"],
        totals["votes_passed_statutory"],
    )


def test_outcome_table_two_by_three(county):
    table = votes.outcomes(county, scoped(), BOTH).set_index("local")
    assert table.loc["pass"].to_dict() == {"pass": 0, "fail": 1, "unknown": 2, "total": 3}  # V1 | V3, V7
    assert table.loc["fail"].to_dict() == {"pass": 1, "fail": 2, "unknown": 0, "total": 3}  # V2 | V4, V5
    assert table.loc["total"].to_dict() == {"pass": 1, "fail": 3, "unknown": 2, "total": 6}


def test_near_misses(county):
    s = votes.summary(county, scoped(), BOTH)
    assert (s["near_miss_local"], s["near_miss_statutory"], s["near_misses"]) == (1, 2, 2)
    listing = votes.votes(county, scoped(), BOTH).set_index("vote_no")
    assert list(listing.index) == ["V1", "V3", "V7", "V2", "V4", "V5"]  # by date
    # V4: 66% vs 70% locally; 65% of the area vs 2/3 → within 5 points of both thresholds
    assert listing.loc["V4", "near_miss_local"] and listing.loc["V4", "near_miss_statutory"]
    assert listing.loc["V4", "local_consent"] == pytest.approx(0.66)
    assert listing.loc["V4", "area_participation"] == pytest.approx(0.65)
    # V5: only the area consent (71.4% vs 3/4 for a 重大事项) falls short
    assert not listing.loc["V5", "near_miss_local"] and listing.loc["V5", "near_miss_statutory"]
    assert listing.loc["V5", "required_consent"] == 0.75
    assert listing.loc["V5", "area_consent"] == pytest.approx(15000 / 21000)
    # V1 misses area participation by 6.7 points (60% vs 2/3): a plain failure, not a near miss
    assert not listing.loc["V1", "near_miss_statutory"]
    assert listing.loc["V1", "passes_local"] and listing.loc["V1", "passes_statutory"] is False
    assert listing.loc["V3", "passes_statutory"] is None


def test_participation_bands(county):
    bins = votes.participation_bins(county, scoped(), BOTH)
    # 70%: V1 (75%), V4, V5 (70%); 80%: V2; 90%: V3 (90%) and V7 (100% joins the top band)
    assert bins["votes"].tolist() == [0, 0, 0, 0, 0, 0, 0, 3, 1, 2]
    assert bins["band_start"].iloc[7] == 0.7 and bins["band_end"].iloc[9] == 1.0


def test_pending_votes_at_the_end_of_february(county):
    pending = votes.pending(county, scoped(), BOTH)
    # V6 (2024-10-10, 141 days), V1 (01-12, 47 days), V3 (01-18, 41 days); V7 was carried out on 02-10
    assert list(pending["vote_no"]) == ["V6", "V1", "V3"]
    assert list(pending["days_pending"]) == [141, 47, 41]
    assert list(pending["flagged"]) == [True, False, False]  # 60 days by default
    assert list(pending["implementation"]) == ["未落实", "未填", "未填"]
    s = votes.summary(county, scoped(), BOTH)
    assert (s["pending"], s["pending_flagged"]) == (3, 1)
    assert votes.summary(county, scoped(), BOTH, alert_days=41)["pending_flagged"] == 3  # 41 days counts


def test_pending_votes_at_the_end_of_january(county):
    # V7 was carried out only on 02-10: at 01-31 it was still pending (11 days)
    pending = votes.pending(county, scoped(), Period("2025-01", "2025-01")).set_index("vote_no")
    assert list(pending.index) == ["V6", "V1", "V3", "V7"]
    assert pending.loc["V7", "days_pending"] == 11 and pending.loc["V7", "implementation"] == "已落实"


def test_towns_and_compounds(county):
    towns = votes.by_town(county, scoped(), BOTH).set_index("town")
    hc = towns.loc["洪川镇"]  # V1, V2, V4, V7 and the pending V6
    assert (hc["votes_held"], hc["passed_local"], hc["passed_statutory"], hc["unknown_statutory"]) == (4, 2, 1, 1)
    assert (hc["near_misses"], hc["pending"], hc["pending_flagged"]) == (1, 2, 1)
    assert hc["mean_participation"] == pytest.approx((0.75 + 0.80 + 0.70 + 1.00) / 4)
    zg = towns.loc["止戈镇"]  # V3, V5 (丁小区 has no votes)
    assert (zg["compounds"], zg["votes_held"], zg["near_misses"], zg["pending"]) == (2, 2, 1, 1)
    assert zg["mean_participation"] == pytest.approx((0.90 + 0.70) / 2)
    one = votes.by_compound(county, scoped(compound_id=3), BOTH)
    assert (one.iloc[0]["votes_held"], one.iloc[0]["near_miss_statutory"]) == (2, 1)
    town = votes.summary(county, scoped(town_code=fx.ZHIGE), BOTH)
    assert (town["votes_held"], town["passed_local"], town["unknown_statutory"]) == (2, 1, 1)


def test_empty_period(county):
    s = votes.summary(county, scoped(), Period("2019-01", "2019-02"))
    assert s["votes_held"] == 0 and s["near_misses"] == 0 and s["mean_vote_participation"] is None
    assert votes.votes(county, scoped(), Period("2019-01", "2019-02")).empty
    assert votes.participation_bins(county, scoped(), Period("2019-01", "2019-02"))["votes"].sum() == 0
    assert votes.outcomes(county, scoped(), Period("2019-01", "2019-02"))["total"].sum() == 0
