"""组织覆盖 against values worked out by hand from tests/fixture_county.py + tests/themes/fixture.py, load_casework.

Active compounds: 甲 A (洪川镇, 200 hh), 乙 B (洪川镇, 100), 丙 C (止戈镇, 300), 丁 D (止戈镇, 400);
戊 (洪川镇) is inactive and never counts.
"""

import pytest

from services import metrics
from services.domain import Period
from services.themes import coverage
from tests import fixture_county as fx
from tests.scoped import scoped
from tests.themes import fixture

FEB = Period("2025-01", "2025-02")  # ends 2025-02-28
JAN = Period("2025-01", "2025-01")  # ends 2025-01-31
EMPTY_TOWN = "511423114"  # 槽渔滩镇: a town of the county with no compound in the fixture


@pytest.fixture
def county(engine):
    fx.load(engine)
    fixture.load_casework(engine)
    return engine


def test_shares_at_the_end_of_the_period(county):
    s = coverage.shares(county, scoped(), FEB)
    assert s["compounds"] == 4
    # branch: A 2020-03, B 2025-02-01, C 2021, D 2019 → 4/4 by 02-28
    assert (s["with_branch"], s["share_with_branch"]) == (4, 1.0)
    # property company: A 甲物业, C 丙物业 → 2/4
    assert s["share_with_property_company"] == pytest.approx(2 / 4)
    # owners' committee: A only (2021-05-01) → 1/4; women's federation: A, founded 2025-02-10 → 1/4
    assert s["share_with_owners_committee"] == pytest.approx(1 / 4)
    assert s["share_with_womens_federation"] == pytest.approx(1 / 4)
    # volunteers > 0: A 12, C 5 (B has 0, D unknown) → 2/4; liaison unit: A, C → 2/4
    assert s["share_with_volunteer_team"] == pytest.approx(2 / 4)
    assert s["share_with_liaison_unit"] == pytest.approx(2 / 4)
    jan = coverage.shares(county, scoped(), JAN)
    # on 01-31 B's branch (02-01) and A's federation (02-10) did not exist yet
    assert (jan["with_branch"], jan["with_womens_federation"]) == (3, 0)
    assert jan["share_with_branch"] == pytest.approx(3 / 4)


def test_shares_for_a_town_a_compound_and_an_empty_town(county):
    town = coverage.shares(county, scoped(town_code=fx.ZHIGE), FEB)
    # C and D: both have branches; only C has a company, volunteers and a liaison unit
    assert town["compounds"] == 2 and town["share_with_branch"] == 1.0
    assert town["share_with_property_company"] == pytest.approx(1 / 2)
    assert town["share_with_owners_committee"] == 0.0
    one = coverage.shares(county, scoped(compound_id=1), FEB)
    assert all(one[f"share_with_{b}"] == 1.0 for b in coverage.BODIES)  # A has every body by 02-28
    empty = coverage.shares(county, scoped(town_code=EMPTY_TOWN), FEB)
    assert empty["compounds"] == 0 and empty["share_with_branch"] is None


def test_missing_by_town(county):
    towns = coverage.missing_by_town(county, scoped(), FEB).set_index("town_code")
    assert list(towns.index) == [fx.ZHIGE, fx.HONGCHUAN]  # ordered by town code
    zhige, hongchuan = towns.loc[fx.ZHIGE], towns.loc[fx.HONGCHUAN]
    # 止戈镇: C lacks committee and federation; D lacks everything but its branch
    assert zhige["compounds"] == 2
    assert [int(zhige[f"missing_{b}"]) for b in coverage.BODIES] == [0, 1, 2, 2, 1, 1]
    assert zhige["missing_any"] == 2
    # 洪川镇: A has everything; B only its branch (戊 is inactive and not counted)
    assert hongchuan["compounds"] == 2
    assert [int(hongchuan[f"missing_{b}"]) for b in coverage.BODIES] == [0, 1, 1, 1, 1, 1]
    assert hongchuan["missing_any"] == 1
    # in January B has no branch yet
    january = coverage.missing_by_town(county, scoped(), JAN).set_index("town_code")
    assert january.loc[fx.HONGCHUAN, "missing_branch"] == 1


def test_town_table_agrees_with_the_headline_coverage(county):
    """The per-town breakdown and metrics.coverage use the same rules: their totals must agree."""
    for period in (JAN, FEB):
        towns = coverage.missing_by_town(county, scoped(), period)
        headline = metrics.coverage(county, scoped(), period.last_day)
        for body in coverage.BODIES:
            assert headline["compounds"] - towns[f"missing_{body}"].sum() == headline[f"with_{body}"], body


def test_presence_and_missing_compounds(county):
    flags = coverage.presence_by_compound(county, scoped(town_code=fx.HONGCHUAN), FEB).set_index("name")
    assert list(flags.index) == ["甲小区", "乙小区"]  # 戊 is inactive
    assert flags.loc["甲小区", [f"has_{b}" for b in coverage.BODIES]].all()
    assert list(flags.loc["乙小区", [f"has_{b}" for b in coverage.BODIES]]) == [True, False, False, False, False, False]
    lacking = coverage.missing_compounds(county, scoped(), FEB, body="owners_committee")
    assert list(lacking["name"]) == ["丙小区", "丁小区", "乙小区"]  # town code, then compound code
    assert list(coverage.missing_compounds(county, scoped(), JAN, body="branch")["name"]) == ["乙小区"]
    assert coverage.missing_compounds(county, scoped(), FEB, body="branch").empty
    with pytest.raises(ValueError, match="unknown body"):
        coverage.missing_compounds(county, scoped(), FEB, body="nonsense")


def test_founding_curve_starts_in_2020_and_counts_earlier_branches(county):
    curve = coverage.founding_curve(county, scoped(), FEB).set_index("month")
    assert curve.index[0] == "2020-01" and curve.index[-1] == "2025-02" and len(curve) == 62  # 5 years + 2 months
    assert curve.loc["2020-01", "branches"] == 1  # D, founded 2019-06, is the starting value
    assert curve.loc["2020-03", "founded"] == 1 and curve.loc["2020-03", "branches"] == 2  # A; 戊 (inactive) not
    assert curve.loc["2021-01", "branches"] == 3  # C
    assert curve.loc["2025-01", "branches"] == 3 and curve.loc["2025-02", "branches"] == 4  # B on 02-01
    assert curve["founded"].sum() == 3
    town = coverage.founding_curve(county, scoped(town_code=fx.HONGCHUAN), FEB)
    assert list(town["branches"].iloc[[0, -1]]) == [0, 2]
