"""A tiny county whose every figure is worked out by hand in the tests.

Three compounds (two in 洪川镇, one in 止戈镇), months 2025-01 and 2025-02.
Rows are written straight into the tables (the importer has its own tests).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Engine

from services import month_reports, rollups
from services.db import write_transaction
from services.domain import month_of, vote_outcome
from services.models import (
    Activity,
    CaseRecord,
    Compound,
    Disclosure,
    FacilityRecord,
    Submission,
    VoteRecord,
)

HONGCHUAN, ZHIGE = "511423112", "511423101"
D = dt.date


def _compound(cid, code, name, town, households, **kw):
    base = dict(
        id=cid,
        code=code,
        name=name,
        town_code=town,
        households=households,
        compound_type="住宅",
        lat=29.90 + cid / 1000,
        lon=103.37 + cid / 1000,
        active=True,
    )
    base.update(kw)
    return base


COMPOUNDS = [
    # A: branch since 2020, property company, owners' committee 2021, women's federation 2025-02-10
    _compound(
        1,
        "511423112001",
        "甲小区",
        HONGCHUAN,
        200,
        branch_founded=D(2020, 3, 25),
        property_company="甲物业",
        owners_committee_founded=D(2021, 5, 1),
        womens_federation_founded=D(2025, 2, 10),
        volunteers=12,
        liaison_unit="县妇联",
    ),
    # B: branch founded 2025-02-01 (expected from February only), no company, no volunteers
    _compound(2, "511423112002", "乙小区", HONGCHUAN, 100, branch_founded=D(2025, 2, 1), volunteers=0),
    # C: in 止戈镇, branch 2021, company, liaison unit
    _compound(
        3,
        "511423101001",
        "丙小区",
        ZHIGE,
        300,
        branch_founded=D(2021, 1, 1),
        property_company="丙物业",
        volunteers=5,
        liaison_unit="县民政局",
    ),
]

SUBMISSIONS = [
    # A reports January on time (2025-02-03) and February late (2025-03-09)
    dict(id=1, compound_id=1, month="2025-01", submitted_at=dt.datetime(2025, 2, 3, 10)),
    dict(id=2, compound_id=1, month="2025-02", submitted_at=dt.datetime(2025, 3, 9, 10)),
    # B reports February as a zero report, on time
    dict(id=3, compound_id=2, month="2025-02", kind="zero", submitted_at=dt.datetime(2025, 3, 1, 9)),
    # C reports January on time, then replaces it (version 2 supersedes version 1); no February
    dict(id=4, compound_id=3, month="2025-01", status="superseded", submitted_at=dt.datetime(2025, 2, 4, 8)),
    dict(id=5, compound_id=3, month="2025-01", version=2, submitted_at=dt.datetime(2025, 2, 20, 8)),
]


def _activity(aid, sid, cid, day, kind, participants, visited=None, hours=None, current=True):
    return dict(
        id=aid,
        submission_id=sid,
        compound_id=cid,
        month=month_of(day),
        is_current=current,
        activity_date=day,
        activity_type=kind,
        name=f"活动{aid}",
        participants=participants,
        visited_households=visited,
        volunteer_hours=None if hours is None else Decimal(hours),
    )


ACTIVITIES = [
    _activity(1, 1, 1, D(2025, 1, 20), "走访慰问", 15, visited=10),
    _activity(2, 1, 1, D(2025, 1, 25), "志愿服务", 8, hours="12.5"),
    _activity(3, 2, 1, D(2025, 2, 14), "文化活动", 40),
    _activity(4, 4, 3, D(2025, 1, 10), "走访慰问", 99, visited=99, current=False),  # superseded version
    _activity(5, 5, 3, D(2025, 1, 10), "走访慰问", 20, visited=6),
]


def _case(rid, sid, cid, no, kind, received, *, responded=None, closed=None, status="已受理", month=None, current=True):
    return dict(
        id=rid,
        submission_id=sid,
        compound_id=cid,
        month=month or month_of(received),
        is_current=current,
        case_no=no,
        kind=kind,
        category="停车",
        received_date=received,
        received_month=month_of(received),
        first_response_date=responded,
        closed_date=closed,
        closed_month=closed and month_of(closed),
        status=status,
        days_to_first_response=responded and (responded - received).days,
        days_to_close=closed and (closed - received).days,
    )


CASES = [
    # a demand received 01-05, answered 01-06; January row open, February row closes it 02-04
    _case(1, 1, 1, "A-1", "诉求", D(2025, 1, 5), responded=D(2025, 1, 6), current=False),
    _case(
        2,
        2,
        1,
        "A-1",
        "诉求",
        D(2025, 1, 5),
        responded=D(2025, 1, 6),
        closed=D(2025, 2, 4),
        status="已办结",
        month="2025-02",
    ),
    # a dispute received 01-28, closed 01-30 without a separate first reply date
    _case(3, 1, 1, "A-2", "纠纷", D(2025, 1, 28), closed=D(2025, 1, 30), status="已办结"),
    # a demand received 02-10, never answered
    _case(4, 2, 1, "A-3", "诉求", D(2025, 2, 10)),
    # C-1: a dispute received 01-03, answered 01-03, closed 01-13, in C's current January version
    _case(5, 5, 3, "C-1", "纠纷", D(2025, 1, 3), responded=D(2025, 1, 3), closed=D(2025, 1, 13), status="已办结"),
    # C-2: transferred
    _case(6, 5, 3, "C-2", "诉求", D(2025, 1, 15), responded=D(2025, 1, 16), status="已转办"),
]

FACILITIES = [
    # A's road: planned in January, completed in February (1,211 m, 300,000 yuan)
    dict(
        id=1,
        submission_id=1,
        compound_id=1,
        month="2025-01",
        is_current=False,
        project_no="P1",
        name="道路",
        category="道路铺设",
        quantity=Decimal(1211),
        unit="米",
        investment_yuan=Decimal("300000"),
        funding_source="政府",
        status="在建",
        started_date=D(2025, 1, 2),
    ),
    dict(
        id=2,
        submission_id=2,
        compound_id=1,
        month="2025-02",
        is_current=True,
        project_no="P1",
        name="道路",
        category="道路铺设",
        quantity=Decimal(1211),
        unit="米",
        investment_yuan=Decimal("300000"),
        funding_source="政府",
        status="完工",
        started_date=D(2025, 1, 2),
        completed_date=D(2025, 2, 20),
        completed_month="2025-02",
    ),
    # C's cameras completed in January (8 个, 40,000 yuan)
    dict(
        id=3,
        submission_id=5,
        compound_id=3,
        month="2025-01",
        is_current=True,
        project_no="P9",
        name="监控",
        category="监控",
        quantity=Decimal(8),
        unit="个",
        investment_yuan=Decimal("40000"),
        funding_source="业主",
        status="完工",
        started_date=D(2024, 12, 1),
        completed_date=D(2025, 1, 20),
        completed_month="2025-01",
    ),
]


def _vote(vid, sid, cid, no, day, matter, total, part, agree, areas=None):
    ta, pa, aa = areas or (None, None, None)
    outcome = vote_outcome(
        matter=matter,
        total_households=total,
        participating_households=part,
        agree_households=agree,
        total_area=ta,
        participating_area=pa,
        agree_area=aa,
    )
    return dict(
        id=vid,
        submission_id=sid,
        compound_id=cid,
        month=month_of(day),
        is_current=True,
        vote_no=no,
        vote_date=day,
        vote_month=month_of(day),
        topic=f"议题{no}",
        matter=matter,
        total_households=total,
        participating_households=part,
        agree_households=agree,
        total_area=ta,
        participating_area=pa,
        agree_area=aa,
        local_threshold=Decimal("0.70"),
        passes_local=outcome.passes_local,
        passes_statutory=outcome.passes_statutory,
    )


VOTES = [
    # V1: 150/200 agree (75% ≥ 70%: local pass) but only 150 of 200 take part... area participation 60% < 2/3
    #     → passes local, fails art. 278
    _vote(1, 1, 1, "V1", D(2025, 1, 12), "一般事项", 200, 150, 150, (Decimal(20000), Decimal(12000), Decimal(12000))),
    # V2: 160 take part (80%), 100 agree (50% of owners: local fail); consent 100/160 = 62.5% > 1/2 and area
    #     17000/20000 participate, 11000/17000 agree → passes art. 278, fails local
    _vote(2, 2, 1, "V2", D(2025, 2, 8), "一般事项", 200, 160, 100, (Decimal(20000), Decimal(17000), Decimal(11000))),
    # V3: no area figures: statutory unknown; 250/300 agree → local pass
    _vote(3, 5, 3, "V3", D(2025, 1, 18), "重大事项", 300, 270, 250),
]

DISCLOSURES = [
    dict(
        id=1,
        submission_id=1,
        compound_id=1,
        month="2025-01",
        is_current=True,
        income_yuan=Decimal("5000.50"),
        spending_yuan=Decimal("4000.25"),
        channel="微信群",
    ),
]


def insert(engine: Engine, tables: list[tuple[type, list[dict]]]) -> None:
    """Write ``(model, rows)`` as given (explicit ids), build the rollup the views read, and on
    PostgreSQL move each table's id sequence past the ids written."""
    with write_transaction(engine) as conn:
        for model, rows in tables:
            for row in rows:  # one by one: rows differ in which optional columns they set
                conn.execute(model.__table__.insert().values(**row))
        rollups.rebuild_in(conn)  # the import pipeline keeps it; rows written directly need it built
        month_reports.mark_loaded_months_submitted(conn)  # rows written directly: their months are 已上报
    if engine.dialect.name == "postgresql":
        with write_transaction(engine) as conn:
            for model, _ in tables:
                table = model.__tablename__
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )


def load(engine: Engine) -> None:
    tables = [(Compound, COMPOUNDS), (Submission, SUBMISSIONS), (Activity, ACTIVITIES), (CaseRecord, CASES)]
    insert(engine, [*tables, (FacilityRecord, FACILITIES), (VoteRecord, VOTES), (Disclosure, DISCLOSURES)])
