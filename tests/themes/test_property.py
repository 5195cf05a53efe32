"""物业与包保 figures against values worked out by hand (tests/fixture_county.py + tests/themes/fixture.py: estate).

Registry: A 200 hh 甲物业 / 县妇联; B 100 hh no company, no liaison unit; C 300 hh 丙物业 / 县民政局;
D 50 hh 甲物业 / 县民政局 (止戈镇). Property-service (物业服务) cases received Jan–Feb 2025, latest state:
  A: K1 诉求 已办结 满意, K2 纠纷 处理中, K3 诉求 已办结 不满意, K4 诉求 已办结 未评价 (K8 was received in 2024)
  B: K7 诉求 已受理;  C: K5 诉求 已办结 基本满意, K6 纠纷 已转办;  D: K9 纠纷 已受理
The base fixture's cases (category 停车) count only as cases received and open cases.
"""

import pandas as pd
import pytest

from services.domain import Period
from services.themes import property as property_theme
from tests import fixture_county as fx
from tests.scoped import scoped
from tests.themes import fixture

BOTH = Period("2025-01", "2025-02")


@pytest.fixture
def county(engine):
    fx.load(engine)
    fixture.load_estate(engine)
    return engine


def test_one_row_per_company_across_its_compounds(county):
    companies = property_theme.companies(county, scoped(), BOTH).set_index("property_company")
    assert list(companies.index) == ["丙物业", "甲物业"]  # most households first: 300, then 200 + 50
    jia = companies.loc["甲物业"]
    assert (jia["compounds"], jia["households"], jia["towns"]) == (2, 250, "止戈镇、洪川镇")
    assert (jia["property_demands"], jia["property_disputes"]) == (3, 2)  # K1 K3 K4 | K2 K9
    assert jia["property_demands_per_100_households"] == pytest.approx(1.2)  # 3 × 100 ÷ 250
    assert jia["property_disputes_per_100_households"] == pytest.approx(0.8)  # 2 × 100 ÷ 250
    assert jia["property_closure_rate"] == pytest.approx(3 / 5)
    assert jia["satisfaction_share"] == pytest.approx(1 / 2)  # K1 of K1, K3 (K4 未评价 not rated)
    assert jia["open_cases"] == 3  # A-3 (停车, never answered), K2, K9
    bing = companies.loc["丙物业"]
    assert bing["property_demands_per_100_households"] == pytest.approx(0.33)  # 1 × 100 ÷ 300, rounded
    assert (bing["property_closure_rate"], bing["satisfaction_share"], bing["open_cases"]) == (0.5, 1.0, 0)


def test_compounds_without_a_company_and_who_looks_after_them(county):
    unmanaged = property_theme.unmanaged(county, scoped(), BOTH)
    assert list(unmanaged["name"]) == ["乙小区"]
    b = unmanaged.iloc[0]
    assert pd.isna(b["liaison_unit"])  # neither a company nor a liaison unit: the branch alone
    assert (b["property_demands"], b["cases_received"], b["open_cases"]) == (1, 1, 1)  # K7
    assert b["property_closure_rate"] == 0.0 and pd.isna(b["satisfaction_share"])  # nothing rated


def test_one_row_per_liaison_unit(county):
    units = property_theme.liaison_units(county, scoped(), BOTH).set_index("liaison_unit")
    assert list(units.index) == ["县民政局", "县妇联"]  # two compounds, then one
    minzheng = units.loc["县民政局"]  # C and D
    assert (minzheng["compounds"], minzheng["households"], minzheng["compounds_without_company"]) == (2, 350, 0)
    assert (minzheng["liaison_activities"], minzheng["open_cases"]) == (0, 1)  # C's activity had no 包保单位; K9
    fulian = units.loc["县妇联"]  # A: activities 101 (30 people) and 102 (12); B's 104 has no unit to credit
    assert (fulian["liaison_activities"], fulian["liaison_participants"], fulian["open_cases"]) == (2, 42, 2)
    # cases received in the period, every category, K1, K2, K3, K4
    assert fulian["cases_received"] == 7


def test_open_cases_are_those_open_at_the_end_of_the_period(county):
    january = property_theme.by_compound(county, scoped(), Period("2025-01", "2025-01")).set_index("code")
    # on 01-31 A-1 (closed only on 02-04) was open; K8 closed on 01-03; A-3 and K2 came in February
    assert january.loc["511423112001", "open_cases"] == 1
    assert january.loc["511423101001", "open_cases"] == 0  # C-2 and K6 were transferred


def test_summary_and_towns(county):
    s = property_theme.summary(county, scoped(), BOTH)
    assert (s["compounds"], s["companies"], s["liaison_units"]) == (4, 2, 2)
    assert (s["compounds_without_company"], s["compounds_without_either"]) == (1, 1)  # B
    assert (s["property_demands"], s["property_disputes"], s["households"]) == (5, 3, 650)
    assert s["property_demands_per_100_households"] == pytest.approx(0.77)  # 5 × 100 ÷ 650 = 0.769
    assert s["property_disputes_per_100_households"] == pytest.approx(0.46)  # 3 × 100 ÷ 650 = 0.462
    assert s["property_closure_rate"] == pytest.approx(4 / 8)  # K1 K3 K4 K5 of eight
    assert s["satisfaction_share"] == pytest.approx(2 / 3)  # K1 K5 of K1 K3 K5
    towns = property_theme.by_town(county, scoped(), BOTH).set_index("town")
    hc = towns.loc["洪川镇"]
    assert (hc["compounds_without_company"], hc["compounds_without_either"]) == (1, 1)
    assert hc["property_demands_per_100_households"] == pytest.approx(1.33)  # 4 × 100 ÷ 300
    assert hc["property_closure_rate"] == pytest.approx(3 / 5)
    zg = towns.loc["止戈镇"]
    assert zg["property_disputes_per_100_households"] == pytest.approx(0.57)  # 2 × 100 ÷ 350
    assert zg["satisfaction_share"] == 1.0


def test_scopes_and_empty(county):
    mine = property_theme.summary(county, scoped(compound_id=1), BOTH)
    assert (mine["compounds"], mine["companies"], mine["property_demands_per_100_households"]) == (1, 1, 1.5)
    town = property_theme.companies(county, scoped(town_code=fx.HONGCHUAN), BOTH)
    assert list(town["property_company"]) == ["甲物业"] and town.iloc[0]["households"] == 200
    assert property_theme.summary(county, scoped(town_code="000000000"), BOTH)["compounds"] == 0
    assert property_theme.companies(county, scoped(town_code="000000000"), BOTH).empty
    early = property_theme.summary(county, scoped(), Period("2019-01", "2019-01"))
    assert early["property_demands"] == 0 and early["property_closure_rate"] is None


def test_overview_is_the_separate_figures_in_one_pass(county):
    view = property_theme.overview(county, scoped(), BOTH)
    assert view["summary"] == property_theme.summary(county, scoped(), BOTH)
    for name in ("companies", "unmanaged", "liaison_units", "by_town", "by_compound"):
        pd.testing.assert_frame_equal(view[name], getattr(property_theme, name)(county, scoped(), BOTH))
    assert view["summary"]["companies"] == 2


def test_the_summary_counted_by_the_database_equals_the_per_compound_sum(county):
    """The KPI cards' earlier periods come from ``summary`` (SQL sums), the page's own period from
    ``overview`` (the per-compound table): both must give the same numbers for any period."""
    periods = [Period("2025-01", "2025-01"), Period("2025-02", "2025-02"), Period("2024-12", "2025-03")]
    towns = [scoped(), scoped(town_code=fx.HONGCHUAN), scoped(town_code=fx.ZHIGE), scoped(compound_id=1)]
    seen_liaison = 0
    for period in periods:
        for scope in towns:
            per_compound = property_theme.by_compound(county, scope, period)
            expected = property_theme._summary_of(per_compound)
            assert property_theme.summary(county, scope, period) == expected, (period, scope)
            assert property_theme.overview(county, scope, period)["summary"] == expected
            seen_liaison += expected["liaison_activities"]
    assert seen_liaison > 0  # the fixture's liaison activities are among the figures compared
