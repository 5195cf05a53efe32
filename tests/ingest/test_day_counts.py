"""The day-count histograms medians and percentiles are read from (``services.day_counts``).

On both databases, through imports, piecemeal ledgers, replacements, a returned and a corrected
month, a compound no longer active and a compound moved to another town by a registry import,
every histogram the views ask for (county, town or compound; whole, by town or by compound)
equals the day counts of the live case rows counted here one by one; and the median and the
nearest-rank percentile of a histogram are those of the list it stands for."""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics
from collections import Counter

import pytest
from sqlalchemy import select, update

from services import day_counts, month_reports, rollups
from services.access import SYSTEM
from services.db import write_transaction
from services.domain import Period, Scope
from services.ingest import import_month, import_registry
from services.ledgers import CASES, REGISTRY
from services.models import CaseRecord, Compound
from tests.ingest.helpers import HONGCHUAN, NOW, ZHIGE, A, B, C, case, case2, csv_bytes, registry_rows, rows_for

MARCH = "2025-03"
PERIODS = [Period("2025-02", "2025-02"), Period(MARCH, MARCH), Period("2025-01", "2025-04")]


def test_median_and_percentile_of_a_histogram_are_those_of_its_list():
    rng = random.Random(15)
    for _ in range(300):
        values = [rng.choice([0, 1, 1, 2, 3, 5, 8, 13, 40, 90]) for _ in range(rng.randint(1, 40))]
        counts = Counter(values)
        assert day_counts.median(counts) == statistics.median(values)
        assert type(day_counts.median(counts)) is type(statistics.median(values))  # 7 stays 7, 7.5 is a float
        for share in (0.5, 0.9, 1.0):
            assert day_counts.percentile(counts, share) == sorted(values)[max(1, math.ceil(share * len(values))) - 1]
    assert day_counts.median(None) is None and day_counts.median(Counter()) is None
    assert day_counts.percentile(Counter(), 0.9) is None


def by_the_ledger(engine, scope: Scope, period: Period, measure: str, by: str | None) -> dict:
    """{key: Counter(days)} over every live case of the scope's active compounds, one case at a time."""
    with engine.connect() as conn:
        compounds = {
            cid: (town, active)
            for cid, town, active in conn.execute(select(Compound.id, Compound.town_code, Compound.active))
        }
        rows = conn.execute(select(CaseRecord).where(CaseRecord.is_current.is_(True))).all()
    out: dict = {}
    for r in rows:
        town, active = compounds[r.compound_id]
        if not active or not (period.start <= r.received_month <= period.end):
            continue
        if (scope.town_code and town != scope.town_code) or (scope.compound_id and r.compound_id != scope.compound_id):
            continue
        days = (
            r.days_to_close
            if measure == "close"
            else (r.days_to_first_response if r.days_to_first_response is not None else r.days_to_close)
        )
        if days is None:
            continue
        key = {"town": town, "compound": r.compound_id}.get(by)
        out.setdefault(key, Counter())[days] += 1
    return out


def check(county) -> None:
    engine = county.engine
    assert rollups.differences(engine) == []
    scopes = [Scope(), Scope(town_code=HONGCHUAN), Scope(town_code=ZHIGE), Scope(compound_id=county.ids[A])]
    with engine.connect() as conn:
        for period in PERIODS:
            for scope in scopes:
                for measure in day_counts.MEASURES:
                    for by in (None, "town", "compound"):
                        stored = day_counts.histogram(conn, scope, period, measure, by=by)
                        assert stored == by_the_ledger(engine, scope, period, measure, by), (period, scope, measure, by)


def _import(county, cases: list[dict], *, who=None, replace=False, month=MARCH):
    files = [(f"{CASES.name}.csv", csv_bytes(rows_for(CASES, cases)))]
    return import_month(county.engine, principal=who or SYSTEM, files=files, month=month, replace=replace, now=NOW)


@pytest.fixture
def county(county):
    with write_transaction(county.engine) as conn:
        conn.execute(update(Compound).values(branch_founded=dt.date(2020, 1, 1)))
    return county


def test_histograms_follow_every_change_and_equal_the_ledger(county):
    engine, a = county.engine, county.ids[A]
    slow = case(案件编号="C-5", 受理日期="2025-03-01", 首次回应日期="2025-03-09", 办结日期="2025-03-30")
    quick = case(案件编号="C-6", 受理日期="2025-03-20", 首次回应日期="", 办结日期="2025-03-21")
    _import(county, [case(), case2(), slow, quick], who=county.secretary_a)
    _import(county, [case(小区编码=B, 案件编号="B-1"), case(小区编码=B, 案件编号="B-2", 办结日期="2025-03-25")])
    _import(county, [case(小区编码=C, 案件编号="X-1", 办结日期="2025-03-04")])
    check(county)
    with engine.connect() as conn:
        whole = day_counts.histogram(conn, Scope(), Period(MARCH, MARCH), "close")[None]
    assert sum(whole.values()) == 6 and whole[29] == 1  # C-5 took 29 days to close

    # a replacement: C-5 closed sooner, C-6 gone, C-4 now closed
    _import(
        county,
        [case(), case2(办结日期="2025-03-31", 状态="已办结"), case(案件编号="C-5")],
        who=county.secretary_a,
        replace=True,
    )
    check(county)

    # returned, then sent again with one more case
    month_reports.submit(engine, county.secretary_a, a, MARCH, deadline_day=5, now=NOW)
    month_reports.return_report(engine, county.town, a, MARCH, "漏了一件", now=NOW)
    _import(
        county,
        [case(), case(案件编号="C-5"), case(案件编号="C-7", 办结日期="2025-03-12")],
        who=county.secretary_a,
        replace=True,
    )
    check(county)

    # approved, reopened by a correction, corrected
    month_reports.submit(engine, county.secretary_a, a, MARCH, deadline_day=5, now=NOW)
    month_reports.approve(engine, county.town, a, MARCH, now=NOW)
    request = month_reports.request_correction(engine, county.secretary_a, a, MARCH, "办结日期录错", now=NOW)
    month_reports.decide_correction(engine, county.town, request, approve=True, now=NOW)
    _import(county, [case(办结日期="2025-03-05")], who=county.secretary_a, replace=True)
    check(county)

    # B leaves the register's active compounds: its cases leave every figure
    with write_transaction(engine) as conn:
        conn.execute(update(Compound).where(Compound.id == county.ids[B]).values(active=False))
    check(county)

    # C moves to 洪川镇 through the register: 止戈镇's figures lose its cases, 洪川镇's gain them
    moved = registry_rows(小区编码=C, 小区名称="丙小区", 所属镇="洪川镇", 户数="300", 党支部成立日期="2020-01-01")
    import_registry(engine, principal=SYSTEM, files=[("小区档案.csv", csv_bytes(rows_for(REGISTRY, [moved])))], now=NOW)
    with engine.connect() as conn:
        assert conn.execute(select(Compound.town_code).where(Compound.code == C)).scalar_one() == HONGCHUAN
        assert day_counts.histogram(conn, Scope(town_code=ZHIGE), Period(MARCH, MARCH), "close") == {}
    check(county)
