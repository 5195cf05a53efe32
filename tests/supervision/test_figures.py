"""The figures, worked out by hand. Three orders issued 2025-04-01 (Beijing), deadline 04-10,
签收时限 2 days, read on 2025-04-15:

- o1 甲 (洪川镇, from an alert): signed 04-02 (1 day), closed 04-05 → on time, 4 days to close.
- o2 乙 (洪川镇, from a case): signed 04-06 (5 days, late), closed 04-12 → late, 11 days.
- o3 丙 (止戈镇, by the county, from scratch): never signed, reminded twice → overdue.

签收及时率 1/3 (all three judged: o3's two days are over); 按期办结率 1/3 (all three due);
逾期率 1/3; 催办 2; median days to close (4 + 11) / 2 = 7.5.
洪川镇: 签收 1/2, 按期 1/2, 逾期 0/2, median 7.5; 止戈镇: 签收 0/1, 按期 0/1, 逾期 1/1.
"""

from __future__ import annotations

import datetime as dt

import pytest

from services import supervision
from services.access import clamp
from services.domain import Period, Scope
from tests.supervision.conftest import DEADLINE, NOW, A, B, C

TODAY = dt.date(2025, 4, 15)


def at(day: int) -> dt.datetime:
    return dt.datetime(2025, 4, day, 2)  # 10:00 Beijing


@pytest.fixture
def three(oc):
    e = oc.engine

    def issue(who, code, kind):
        values = dict(requirement="请整改", deadline=DEADLINE, source_kind=kind, now=NOW)
        return supervision.issue(e, oc.principal(who), compound_id=oc.ids[code], **values).id

    o1, o2, o3 = issue("town", A, "alert"), issue("town", B, "case"), issue("county", C, "scratch")
    for oid, secretary, signed, closed in ((o1, "sec-a", 2, 5), (o2, "sec-b", 6, 12)):
        supervision.sign(e, oc.principal(secretary), oid, now=at(signed))
        supervision.answer(e, oc.principal(secretary), oid, "已整改", now=at(closed))
        supervision.accept(e, oc.principal("town"), oid, now=at(closed))
    supervision.remind(e, oc.principal("county"), o3, now=at(11))
    supervision.remind(e, oc.principal("county"), o3, now=at(12))
    return oc


def test_county_figures(three):
    figures = supervision.figures(three.engine, clamp(three.principal("county"), Scope()), sign_days=2, today=TODAY)
    assert figures == {
        "issued": 3,
        "pending": 1,
        "doing": 0,
        "answered": 0,
        "closed": 2,
        "overdue": 1,
        "extended": 0,
        "sign_judged": 3,
        "signed_on_time": 1,
        "sign_on_time_rate": pytest.approx(1 / 3),
        "due": 3,
        "closed_on_time": 1,
        "closed_on_time_rate": pytest.approx(1 / 3),
        "overdue_rate": pytest.approx(1 / 3),
        "reminders": 2,
        "median_days_to_close": 7.5,
    }
    assert list(figures) == supervision.FIGURE_KEYS


def test_signing_not_yet_judged_inside_its_days_and_the_setting_moves_it(three):
    county = clamp(three.principal("county"), Scope())
    early = supervision.figures(three.engine, county, sign_days=2, today=dt.date(2025, 4, 3))
    assert (early["sign_judged"], early["signed_on_time"]) == (2, 1)  # o3 still has time on 04-03
    lenient = supervision.figures(three.engine, county, sign_days=5, today=TODAY)
    assert (lenient["signed_on_time"], lenient["sign_judged"]) == (2, 3)


def test_by_town_and_by_source(three):
    county = clamp(three.principal("county"), Scope())
    by_town = supervision.figures_by(three.engine, county, "town", sign_days=2, today=TODAY).set_index("town")
    assert by_town.loc["洪川镇", ["issued", "signed_on_time", "closed_on_time", "overdue"]].tolist() == [2, 1, 1, 0]
    assert by_town.loc["洪川镇", "median_days_to_close"] == 7.5
    assert by_town.loc["止戈镇", ["issued", "overdue", "reminders"]].tolist() == [1, 1, 2]
    assert by_town.loc["止戈镇", "overdue_rate"] == 1.0
    by_source = supervision.figures_by(three.engine, county, "source", sign_days=2, today=TODAY)
    assert list(by_source["source"]) == ["预警", "超期诉求纠纷", "直接交办"]
    assert list(by_source["closed_on_time"]) == [1, 0, 0]


def test_by_compound(three):
    town = clamp(three.principal("town"), Scope())
    by_compound = supervision.figures_by(three.engine, town, "compound", sign_days=2, today=TODAY)
    assert list(by_compound["compound_id"]) == sorted([three.ids[A], three.ids[B]])  # 丙 is in 止戈镇
    rows = by_compound.set_index("compound_id")
    assert rows.loc[three.ids[A], ["issued", "due", "closed_on_time", "closed_on_time_rate"]].tolist() == [1, 1, 1, 1.0]
    assert rows.loc[three.ids[B], ["issued", "due", "closed_on_time", "closed_on_time_rate"]].tolist() == [1, 1, 0, 0.0]
    with pytest.raises(ValueError):
        supervision.figures_by(three.engine, town, "priority", sign_days=2, today=TODAY)


def test_a_town_sees_its_own_figures_and_a_period_filters_by_issue(three):
    town = supervision.figures(three.engine, clamp(three.principal("town"), Scope()), sign_days=2, today=TODAY)
    assert (town["issued"], town["overdue"], town["reminders"]) == (2, 0, 0)
    county = clamp(three.principal("county"), Scope())
    march = supervision.figures(three.engine, county, sign_days=2, period=Period("2025-03", "2025-03"), today=TODAY)
    assert march["issued"] == 0 and march["sign_on_time_rate"] is None and march["median_days_to_close"] is None
