"""设施改造 figures against values worked out by hand (tests/fixture_county.py + tests/themes/fixture.py, load_estate).

Completed in Jan–Feb 2025 (current rows, status 完工, completion month in the period):
  A: P1 道路铺设 1,211 米 (Feb, 300,000, 政府), P2 门禁 3 套 (Feb, 15,000, 物业公司), P3 门禁 2 套 (Jan, no
  investment, no source); C: P9 监控 8 个 (Jan, 40,000, 业主). A's P0 绿化 finished in May 2024 (before).
Under construction: B's Q1 since 2024-06-01, C's C7 since 2025-01-10; A's P1 from 01-02 to 02-20.
"""

import pytest

from services import metrics
from services.domain import Period
from services.themes import facilities
from tests import fixture_county as fx
from tests.scoped import scoped
from tests.themes import fixture

BOTH = Period("2025-01", "2025-02")


@pytest.fixture
def county(engine):
    fx.load(engine)
    fixture.load_estate(engine)
    return engine


def test_summary_counts_completed_work_and_projects_running_at_the_end(county):
    s = facilities.summary(county, scoped(), BOTH)
    assert s["compounds"] == 4
    assert s["facility_projects_completed"] == 4  # P1, P2, P3, P9
    assert s["facility_investment_yuan"] == 300000 + 15000 + 40000  # P3 has no investment
    # on 2025-02-28: Q1 (272 days since 2024-06-01 > 180: overdue) and C7 (49 days); P1 finished 02-20
    assert (s["projects_in_progress"], s["projects_overdue"]) == (2, 1)


def test_in_progress_is_judged_at_the_end_of_the_period(county):
    # on 2025-01-31: Q1 (244 days, overdue), P1 (started 01-02, completed only 02-20: 29 days), C7 (21 days);
    # P2 starts 02-01 and C8 is only planned
    running = facilities.in_progress(county, scoped(), Period("2025-01", "2025-01"))
    assert list(running["project_no"]) == ["Q1", "P1", "C7"]  # longest-running first
    assert list(running["days_in_progress"]) == [244, 29, 21]
    assert list(running["overdue"]) == [True, False, False]
    # a stricter limit of 20 days makes all three overdue
    assert facilities.summary(county, scoped(), Period("2025-01", "2025-01"), overdue_days=20)["projects_overdue"] == 3
    # at the end of 2024 only Q1 (213 days) and C's P9 (started 2024-12-01, completed 2025-01-20: 30 days) ran
    december = facilities.in_progress(county, scoped(), Period("2024-12", "2024-12"))
    assert list(december["project_no"]) == ["Q1", "P9"] and list(december["days_in_progress"]) == [213, 30]


def test_quantities_add_up_per_category_and_unit(county):
    frame = facilities.by_category(county, scoped(), BOTH)
    # domain order: 道路铺设, then 门禁, then 监控
    assert frame.to_dict("records") == [
        {"category": "道路铺设", "unit": "米", "projects": 1, "quantity": 1211.0, "investment_yuan": 300000.0},
        {"category": "门禁", "unit": "套", "projects": 2, "quantity": 5.0, "investment_yuan": 15000.0},
        {"category": "监控", "unit": "个", "projects": 1, "quantity": 8.0, "investment_yuan": 40000.0},
    ]
    # the same quantities as the headline figures of services.metrics
    totals = metrics.facility_totals(county, scoped(), BOTH)["facility_quantities"]
    assert [(q["category"], q["unit"], q["quantity"]) for q in totals] == list(
        frame[["category", "unit", "quantity"]].itertuples(index=False, name=None)
    )
    assert facilities.quantity_text(1211, "米") == "1,211 米"
    assert facilities.quantity_text(2.5, "平方米") == "2.50 平方米"


def test_investment_by_funding_source(county):
    frame = facilities.by_funding(county, scoped(), BOTH)
    assert list(frame["funding_source"]) == ["物业公司", "政府", "业主", "未填"]  # domain order, blank last
    assert list(frame["investment_yuan"]) == [15000, 300000, 40000, 0]
    assert list(frame["projects"]) == [1, 1, 1, 1]
    assert frame["share"].tolist() == pytest.approx([15000 / 355000, 300000 / 355000, 40000 / 355000, 0])


def test_before_and_during_per_compound(county):
    rows = facilities.by_compound(county, scoped(), Period("2025-02", "2025-02")).set_index("code")
    a = rows.loc["511423112001"]
    # before February: P0 (2024, 50,000) and P3 (January, no investment); during: P1 and P2
    assert (a["projects_before"], a["investment_before"], a["categories_before"]) == (2, 50000, "绿化、门禁")
    assert (a["projects_during"], a["investment_during"], a["categories_during"]) == (2, 315000, "道路铺设、门禁")
    c = rows.loc["511423101001"]
    assert (c["projects_before"], c["categories_before"], c["projects_during"]) == (1, "监控", 0)
    assert (c["projects_in_progress"], c["projects_overdue"]) == (1, 0)
    b = rows.loc["511423112002"]
    assert (b["projects_before"], b["projects_during"]) == (0, 0)
    assert (b["projects_in_progress"], b["projects_overdue"]) == (1, 1)
    assert rows.loc["511423101002"]["categories_during"] == ""  # 丁小区: nothing at all


def test_towns_and_scopes(county):
    towns = facilities.by_town(county, scoped(), BOTH).set_index("town")
    hc = towns.loc["洪川镇"]  # A and B
    assert (hc["compounds"], hc["compounds_improved"], hc["households"]) == (2, 1, 300)
    assert (hc["projects_before"], hc["investment_before"], hc["projects_during"], hc["investment_during"]) == (
        1,
        50000,
        3,
        315000,
    )
    assert (hc["projects_in_progress"], hc["projects_overdue"]) == (1, 1)
    zg = towns.loc["止戈镇"]  # C and D
    assert (zg["compounds"], zg["compounds_improved"]) == (2, 1)
    assert (zg["projects_during"], zg["projects_in_progress"]) == (1, 1)
    town = facilities.summary(county, scoped(town_code=fx.HONGCHUAN), BOTH)
    assert (town["facility_projects_completed"], town["projects_in_progress"]) == (3, 1)
    one = facilities.in_progress(county, scoped(compound_id=3), BOTH)
    assert list(one["project_no"]) == ["C7"]


def test_empty_period(county):
    assert facilities.by_category(county, scoped(), Period("2019-01", "2019-02")).empty
    assert facilities.by_funding(county, scoped(), Period("2019-01", "2019-02")).empty
    assert facilities.in_progress(county, scoped(), Period("2019-01", "2019-02")).empty
    assert facilities.summary(county, scoped(town_code="000000000"), BOTH)["compounds"] == 0
    assert facilities.by_town(county, scoped(town_code="000000000"), BOTH).empty


def test_a_funding_source_keeps_its_colour_whatever_else_appears():
    import pandas as pd

    from services.charts import facilities as facility_charts

    def colours(frame):
        scale = facility_charts.funding_bars(frame).to_dict()["encoding"]["color"]["scale"]
        return dict(zip(scale["domain"], scale["range"], strict=True))

    both = pd.DataFrame(
        {"funding_source": ["政府", "业主"], "projects": [1, 1], "investment_yuan": [3e5, 7e5], "share": [0.3, 0.7]}
    )
    assert colours(both)["业主"] == colours(both.iloc[[1]])["业主"] == "#009E73"
    assert facility_charts.funding_bars(both).to_dict()["encoding"]["x"]["title"] == "金额（万元）"  # ≥ 100,000 yuan
