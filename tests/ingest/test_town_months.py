"""The town × month level of the rollup (``services.town_months``) and the open-case count read
from it.

On both databases, through imports of every ledger, piecemeal ledgers, replacements, a returned
and a corrected month, a compound no longer active and a compound moved to another town by a
registry import: every sum a town or county view asks for (whole period, per month) equals the
live ledger rows' figures summed over the scope's active compounds here, and the cases open at a
month's end counted from the rollup equal the cases open by ``case_open_at``'s rule, one case at
a time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import inspect, select, update

from services import metrics, month_reports, rollups, town_months
from services.access import SYSTEM
from services.db import write_transaction
from services.domain import SATISFACTION_FIGURES, Period, Scope, month_end
from services.ingest import import_month, import_registry
from services.ingest.problems import ImportRejected
from services.ledgers import ACTIVITIES, CASES, DISCLOSURES, FACILITIES, REGISTRY, VOTES
from services.models import CaseRecord, Compound
from services.models import town_months as town_months_table
from services.schema import alembic_config, upgrade
from tests.ingest.helpers import (
    HONGCHUAN,
    NOW,
    ZHIGE,
    A,
    B,
    C,
    activity,
    activity2,
    case,
    case2,
    csv_bytes,
    disclosure,
    facility,
    registry_rows,
    rows_for,
    vote,
)

MARCH = "2025-03"
PERIODS = [Period("2025-02", "2025-02"), Period(MARCH, MARCH), Period("2025-01", "2025-05")]
MONTHS = ["2025-01", "2025-02", MARCH, "2025-04", "2025-05"]
SCOPES = [Scope(), Scope(town_code=HONGCHUAN), Scope(town_code=ZHIGE)]
LEDGERS = {ledger.name: ledger for ledger in (ACTIVITIES, CASES, FACILITIES, VOTES, DISCLOSURES)}


def _number(value) -> float:
    return float(value) if isinstance(value, Decimal | float) else int(value or 0)


def by_the_ledger(engine, scope: Scope, period: Period) -> dict[str, float]:
    """Every rollup figure summed over the scope's active compounds and the period's months,
    computed afresh from the live ledger rows (``rollups.computed``), compound by compound."""
    with engine.connect() as conn:
        compounds = dict(conn.execute(select(Compound.id, Compound.town_code).where(Compound.active.is_(True))).all())
        rows = conn.execute(rollups.computed()).mappings().all()
    out = dict.fromkeys(town_months.FIGURES, 0.0)
    for row in rows:
        town = compounds.get(row["compound_id"])
        if town is None or (scope.town_code and town != scope.town_code):
            continue
        if period.start <= row["month"] <= period.end:
            for name in town_months.FIGURES:
                out[name] += _number(row[name])
    return out


def open_by_the_rule(engine, scope: Scope, month: str) -> int:
    """Cases open on ``month``'s last day by ``case_open_at``'s rule, one live case at a time."""
    day = month_end(month)
    with engine.connect() as conn:
        compounds = dict(conn.execute(select(Compound.id, Compound.town_code).where(Compound.active.is_(True))).all())
        cases = conn.execute(select(CaseRecord).where(CaseRecord.is_current.is_(True))).all()
    n = 0
    for r in cases:
        town = compounds.get(r.compound_id)
        if town is None or (scope.town_code and town != scope.town_code):
            continue
        if scope.compound_id is not None and r.compound_id != scope.compound_id:
            continue
        if r.received_date <= day and r.status != "已转办" and (r.closed_date is None or r.closed_date > day):
            n += 1
    return n


def check(county) -> None:
    engine = county.engine
    assert rollups.differences(engine) == []
    with engine.connect() as conn:
        for scope in SCOPES:
            for period in PERIODS:
                expected = by_the_ledger(engine, scope, period)
                stored = town_months.sums(conn, scope, period, town_months.FIGURES)
                assert {k: _number(v) for k, v in stored.items()} == pytest.approx(expected), (scope, period)
                monthly = metrics.monthly_figures(engine, scope, period, ("activities", "cases_closed"))
                for month, activities, closed in monthly.itertuples(index=False):
                    one = by_the_ledger(engine, scope, Period(month, month))
                    assert (activities, closed) == (one["activities"], one["cases_closed"]), (scope, month)
            for cid in county.ids.values():
                if scope == SCOPES[0]:
                    compound = Scope(compound_id=cid)
                    for month in MONTHS:
                        got = town_months.cases_open_at_end(conn, compound, month)
                        assert got == open_by_the_rule(engine, compound, month), (cid, month)
            for month in MONTHS:
                assert town_months.cases_open_at_end(conn, scope, month) == open_by_the_rule(engine, scope, month)


def _import(county, tables: dict, *, who=None, replace=False, month=MARCH):
    """Import ``tables`` (ledger name → rows) for ``month``; a rejection names its problems."""
    files = [(f"{name}.csv", csv_bytes(rows_for(LEDGERS[name], rows))) for name, rows in tables.items()]
    try:
        return import_month(county.engine, principal=who or SYSTEM, files=files, month=month, replace=replace, now=NOW)
    except ImportRejected as rejected:
        raise AssertionError([(p.file, p.row, p.column, p.message_zh) for p in rejected.problems]) from rejected


@pytest.fixture
def county(county):
    with write_transaction(county.engine) as conn:
        conn.execute(update(Compound).values(branch_founded=dt.date(2020, 1, 1)))
    return county


def test_town_sums_and_open_cases_follow_every_change_and_equal_the_ledger(county):
    engine, a = county.engine, county.ids[A]
    check(county)  # empty
    # February: a case still open at the end of March, closed in April (reported in April)
    _import(
        county,
        {
            CASES.name: [
                case(案件编号="C-1", 受理日期="2025-02-20", 首次回应日期="", 办结日期="", 状态="处理中", 满意度="")
            ]
        },
        month="2025-02",
    )
    _import(
        county,
        {
            ACTIVITIES.name: [activity(), activity2()],
            CASES.name: [case(), case2(), case(案件编号="T-1", 办结日期="", 状态="已转办", 满意度="")],
            FACILITIES.name: [facility(状态="完工", 完工日期="2025-03-28")],
            VOTES.name: [vote()],
            DISCLOSURES.name: [disclosure()],
        },
        who=county.secretary_a,
    )
    _import(
        county,
        {ACTIVITIES.name: [activity(小区编码=B, 志愿服务时长="2.5")], CASES.name: [case(小区编码=B, 案件编号="B-1")]},
    )
    _import(
        county,
        {
            CASES.name: [case(小区编码=C, 案件编号="X-1", 办结日期="", 状态="已受理", 满意度="")],
            DISCLOSURES.name: [disclosure(小区编码=C)],
        },
    )
    check(county)
    with engine.connect() as conn:
        assert town_months.cases_open_at_end(conn, Scope(), MARCH) == 3  # C-1, C-4 and X-1 (T-1 was transferred)

    # April: C-1 closed, reported piecemeal (cases alone, then activities alone)
    closed = case(案件编号="C-1", 受理日期="2025-02-20", 办结日期="2025-04-02", 首次回应日期="2025-04-01")
    _import(county, {CASES.name: [closed]}, month="2025-04", who=county.secretary_a)
    _import(county, {ACTIVITIES.name: [activity(活动日期="2025-04-02")]}, month="2025-04", who=county.secretary_a)
    check(county)

    # a replacement of March for A: C-4 now closed, the second activity gone, hours changed
    _import(
        county,
        {
            ACTIVITIES.name: [activity(志愿服务时长="7.5")],
            CASES.name: [case(), case2(办结日期="2025-03-31", 状态="已办结")],
        },
        who=county.secretary_a,
        replace=True,
    )
    check(county)

    # returned, then sent again; approved, reopened by a correction, corrected
    month_reports.submit(engine, county.secretary_a, a, MARCH, deadline_day=5, now=NOW)
    month_reports.return_report(engine, county.town, a, MARCH, "漏了一件", now=NOW)
    _import(
        county,
        {CASES.name: [case(), case2(), case(案件编号="C-7", 办结日期="", 状态="处理中", 满意度="")]},
        who=county.secretary_a,
        replace=True,
    )
    check(county)
    month_reports.submit(engine, county.secretary_a, a, MARCH, deadline_day=5, now=NOW)
    month_reports.approve(engine, county.town, a, MARCH, now=NOW)
    request = month_reports.request_correction(engine, county.secretary_a, a, MARCH, "办结日期录错", now=NOW)
    month_reports.decide_correction(engine, county.town, request, approve=True, now=NOW)
    _import(county, {CASES.name: [case(办结日期="2025-03-05")]}, who=county.secretary_a, replace=True)
    check(county)

    # B leaves the register's active compounds: its figures leave every town and county sum
    with write_transaction(engine) as conn:
        conn.execute(update(Compound).where(Compound.id == county.ids[B]).values(active=False))
    check(county)

    # C moves to 洪川镇 through the register: 止戈镇's sums lose its figures, 洪川镇's gain them
    moved = registry_rows(小区编码=C, 小区名称="丙小区", 所属镇="洪川镇", 户数="300", 党支部成立日期="2020-01-01")
    import_registry(engine, principal=SYSTEM, files=[("小区档案.csv", csv_bytes(rows_for(REGISTRY, [moved])))], now=NOW)
    with engine.connect() as conn:
        assert conn.execute(select(Compound.town_code).where(Compound.code == C)).scalar_one() == HONGCHUAN
        stored = conn.execute(select(town_months_table).where(town_months_table.c.town_code == ZHIGE)).all()
        assert all(row.disclosures == 0 and row.cases_received == 0 for row in stored)
    check(county)


def test_differences_notice_stale_town_sums_and_rebuild_repairs_them(county):
    _import(county, {ACTIVITIES.name: [activity()]}, who=county.secretary_a)
    t = town_months_table
    with write_transaction(county.engine) as conn:
        conn.execute(
            update(t).where(t.c.town_code == HONGCHUAN, t.c.month == MARCH).values(activities=t.c.activities + 1)
        )
    assert rollups.differences(county.engine) == [f"town_months {HONGCHUAN} {MARCH} activities stored=2 fresh=1"]
    rollups.rebuild(county.engine)
    assert rollups.differences(county.engine) == []


def test_a_compound_scope_is_not_read_from_its_towns_sums(county):
    with county.engine.connect() as conn, pytest.raises(ValueError):
        town_months.sums(conn, Scope(compound_id=county.ids[A]), Period(MARCH, MARCH), ("activities",))


def test_upgrading_to_0010_fills_the_town_sums_from_the_rollup(county):
    engine = county.engine
    _import(county, {ACTIVITIES.name: [activity()], CASES.name: [case(), case2()]}, who=county.secretary_a)
    _import(county, {DISCLOSURES.name: [disclosure(小区编码=C)]})
    with engine.connect() as conn:
        expected = {scope: town_months.sums(conn, scope, Period(MARCH, MARCH), town_months.FIGURES) for scope in SCOPES}
    assert expected[Scope(town_code=HONGCHUAN)]["activities"] == 1 and expected[Scope()]["disclosures"] == 1
    cfg = alembic_config()
    with write_transaction(engine) as conn:  # back to before migration 0010: the table goes
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0009")
    assert "town_months" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert rollups.differences(engine) == []
    with engine.connect() as conn:
        for scope in SCOPES:
            assert town_months.sums(conn, scope, Period(MARCH, MARCH), town_months.FIGURES) == expected[scope]


def test_upgrading_to_0011_fills_the_satisfaction_counts_from_the_ledgers(county):
    engine = county.engine
    rated = [case(), case(案件编号="C-8", 满意度="不满意"), case(案件编号="C-9", 满意度=""), case2()]
    _import(county, {CASES.name: rated}, who=county.secretary_a)
    _import(county, {CASES.name: [case(小区编码=C, 案件编号="X-2", 满意度="基本满意")]})
    wanted = tuple(SATISFACTION_FIGURES.values())
    scopes = [*SCOPES, Scope(compound_id=county.ids[A])]
    expected = {scope: metrics.rollup_sums(engine, scope, Period(MARCH, MARCH), wanted) for scope in scopes}
    assert [expected[Scope()][name] for name in wanted] == [1, 1, 1, 1]  # C-3, X-2, C-8, C-9 (C-4 is open)
    cfg = alembic_config()
    with write_transaction(engine) as conn:  # back to before migration 0011: the columns go
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0010")
    assert "closed_unrated" not in {c["name"] for c in inspect(engine).get_columns("town_months")}
    upgrade(engine)
    assert rollups.differences(engine) == []
    for scope in scopes:
        assert metrics.rollup_sums(engine, scope, Period(MARCH, MARCH), wanted) == expected[scope]
