"""诉求与纠纷 against values worked out by hand from tests/fixture_county.py + tests/themes/fixture.py, load_casework.

Cases received in 2025-01..02 at active compounds, in their latest state (received → reply → close):
  A-1 诉求 停车  01-05 → 01-06 → 02-04 已办结        A-2 纠纷 停车  01-28 → (none) → 01-30 已办结
  A-3 诉求 停车  02-10, never answered, 已受理        C-1 纠纷 停车  01-03 → 01-03 → 01-13 已办结
  C-2 诉求 停车  01-15 → 01-16, 已转办               A-4 诉求 物业服务 02-21 → 02-26, 处理中
  A-5 诉求 环境卫生 01-29 → 02-05 → 03-05 已办结 满意  A-6 诉求 设施维修 02-12 → 02-12 → 02-20 已办结 基本满意
  C-4 纠纷 噪音  01-05 → 01-09 → 01-25 已办结 不满意
Received earlier and still open: C-3 纠纷 2024-10-01, C-5 纠纷 2024-11-30. 戊's E-1 never counts.
"""

from collections import Counter

import pytest

from services import day_counts, metrics
from services.domain import Period
from services.themes import cases
from tests import fixture_county as fx
from tests.scoped import scoped
from tests.themes import fixture

FEB = Period("2025-01", "2025-02")  # ends 2025-02-28
JAN = Period("2025-01", "2025-01")  # ends 2025-01-31


@pytest.fixture
def county(engine):
    fx.load(engine)
    fixture.load_casework(engine)
    return engine


def test_the_closed_loop_and_its_timing(county):
    loop = cases.loop(county, scoped(), FEB)
    assert loop["cases_received"] == 9
    assert (loop["demands_received"], loop["disputes_received"]) == (6, 3)  # A-1 A-3 C-2 A-4 A-5 A-6 | A-2 C-1 C-4
    assert loop["cases_responded"] == 8  # all but A-3; A-2 counts by its closing
    assert (loop["cases_resolved"], loop["cases_transferred"], loop["cases_in_progress"]) == (6, 1, 2)
    assert loop["response_rate"] == pytest.approx(8 / 9) and loop["closure_rate"] == pytest.approx(6 / 9)
    # days to close: A-1 30, A-2 2, C-1 10, A-5 35, A-6 8, C-4 20 → 2 8 10 | 20 30 35
    assert loop["median_days_to_close"] == 15  # (10 + 20) / 2
    assert loop["p90_days_to_close"] == 35  # nearest rank: ceil(0.9 × 6) = 6th
    # days to first reply: A-1 1, A-2 2 (its closing), C-1 0, C-2 1, A-4 5, A-5 7, A-6 0, C-4 4 → 0 0 1 1 | 2 4 5 7
    assert loop["median_days_to_first_response"] == 1.5
    assert loop["p90_days_to_first_response"] == 7  # ceil(0.9 × 8) = 8th
    # rated closed cases: A-5 满意, A-6 基本满意, C-4 不满意 (A-1 A-2 C-1 unrated) → 2 / 3
    assert loop["cases_rated"] == 3 and loop["satisfaction_rate"] == pytest.approx(2 / 3)
    # open on 02-28, A-5 (closed only on 03-05), C-3, C-5
    assert loop["cases_open_at_end"] == 5
    # the loop's counts are metrics.case_totals' own
    totals = metrics.case_totals(county, scoped(), FEB)
    assert {k: loop[k] for k in totals} == totals


def test_percentile_is_the_nearest_rank():
    assert day_counts.percentile(Counter(), 0.9) is None
    assert day_counts.percentile(Counter([5]), 0.9) == 5
    assert day_counts.percentile(Counter(range(1, 11)), 0.9) == 9  # ceil(9.0) = 9th of 1..10
    assert day_counts.percentile(Counter(range(1, 12)), 0.9) == 10  # ceil(9.9) = 10th of 1..11


def test_backlog_by_age_on_the_bucket_boundaries(county):
    feb = cases.backlog(county, scoped(), FEB).set_index("bucket")
    # ages on 02-28: A-4 7 days (≤7), A-3 18 and A-5 30 (8-30), C-5 90 (31-90), C-3 150 (>90)
    assert list(feb.index) == ["le_7", "d8_30", "d31_90", "gt_90"]
    assert list(feb["cases"]) == [1, 2, 1, 1]
    assert list(feb["demands"]) == [1, 2, 0, 0] and list(feb["disputes"]) == [0, 0, 1, 1]
    jan = cases.backlog(county, scoped(), JAN).set_index("bucket")
    # on 01-31: A-5 2 days; A-1 26 (closed 02-04); C-5 62; C-3 122. A-2, C-1, C-4 closed; C-2 transferred
    assert list(jan["cases"]) == [1, 1, 1, 1]
    assert cases.backlog(county, scoped(town_code=fx.HONGCHUAN), FEB)["cases"].sum() == 3  # A-3 A-4 A-5


def test_categories_satisfaction_and_trend(county):
    cats = cases.categories(county, scoped(), FEB)
    assert list(cats["category"]) == ["物业服务", "停车", "噪音", "环境卫生", "设施维修"]  # domain order
    parking = cats.set_index("category").loc["停车"]
    # A-1 A-3 C-2 demands, A-2 C-1 disputes; A-1 A-2 C-1 closed
    assert (parking["cases_received"], parking["demands_received"], parking["disputes_received"]) == (5, 3, 2)
    assert parking["closure_rate"] == pytest.approx(3 / 5)
    levels = cases.satisfaction(county, scoped(), FEB).set_index("satisfaction")
    assert list(levels["cases"]) == [1, 1, 1, 3]  # 满意 基本满意 不满意 未评价 (A-1 A-2 C-1 unrated)
    assert levels.loc["未评价", "share"] == pytest.approx(3 / 6)
    trend = cases.trend(county, scoped(), FEB).set_index("month")
    # January: A-1 C-2 A-5 | A-2 C-1 C-4; February: A-3 A-4 A-6 | none
    assert list(trend["demands_received"]) == [3, 3] and list(trend["disputes_received"]) == [3, 0]
    # closed by month: A-2 C-1 C-4 in January; A-1 A-6 in February (A-5 in March)
    assert list(trend["cases_closed"]) == [3, 2]
    overall = metrics.monthly_trend(county, scoped(), FEB).set_index("month")
    assert list(trend["demands_received"] + trend["disputes_received"]) == list(overall["cases_received"])
    assert list(trend["cases_closed"]) == list(overall["cases_closed"])


def test_by_town_and_by_compound(county):
    towns = cases.by_town(county, scoped(), FEB).set_index("town_code")
    hongchuan, zhige = towns.loc[fx.HONGCHUAN], towns.loc[fx.ZHIGE]
    # 洪川镇 (A, B; 300 households): A-1..A-6; A-2 is its only dispute
    assert (hongchuan["cases_received"], hongchuan["disputes_received"], hongchuan["cases_resolved"]) == (6, 1, 4)
    assert hongchuan["disputes_per_100_households"] == pytest.approx(0.33)  # 1 × 100 ÷ 300
    assert hongchuan["demands_per_100_households"] == pytest.approx(1.67)  # 5 × 100 ÷ 300
    assert hongchuan["response_rate"] == pytest.approx(5 / 6) and hongchuan["cases_open_at_end"] == 3
    assert hongchuan["median_days_to_close"] == 19  # A-2 2, A-6 8, A-1 30, A-5 35 → (8 + 30) / 2
    # 止戈镇 (C, D; 700 households): C-1 C-2 C-4; C-3 and C-5 still open
    assert (zhige["cases_received"], zhige["disputes_received"], zhige["cases_transferred"]) == (3, 2, 1)
    assert zhige["disputes_per_100_households"] == pytest.approx(0.29)  # 2 × 100 ÷ 700 = 0.2857
    assert zhige["cases_open_at_end"] == 2 and zhige["median_days_to_close"] == 15  # C-1 10, C-4 20
    compounds = cases.by_compound(county, scoped(town_code=fx.ZHIGE), FEB).set_index("name")
    assert compounds.loc["丙小区", "disputes_per_100_households"] == pytest.approx(0.67)  # 2 × 100 ÷ 300
    assert compounds.loc["丁小区", "cases_received"] == 0 and pd_isna(compounds.loc["丁小区", "closure_rate"])
    # the same per-compound figures as metrics.by_compound
    reference = metrics.by_compound(county, scoped(), FEB).set_index("compound_id")
    mine = cases.by_compound(county, scoped(), FEB).set_index("compound_id")
    for col in ("cases_received", "disputes_received", "cases_resolved", "disputes_per_100_households"):
        assert mine[col].tolist() == reference[col].tolist(), col


def test_an_empty_town_shows_zeros_not_errors(county):
    empty = scoped(town_code="511423114")
    loop = cases.loop(county, empty, FEB)
    assert loop["cases_received"] == 0 and loop["closure_rate"] is None and loop["p90_days_to_close"] is None
    assert loop["satisfaction_rate"] is None
    assert cases.backlog(county, empty, FEB)["cases"].sum() == 0
    assert cases.by_town(county, empty, FEB).empty and cases.by_compound(county, empty, FEB).empty


def pd_isna(value) -> bool:
    return value != value  # NaN is the only value unequal to itself
