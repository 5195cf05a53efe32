"""Extra rows, on top of tests/fixture_county.py, for the facilities, votes, finance and property views.

Loaded after ``fixture_county.load``; every figure the tests expect is worked out by hand in the tests.
What it adds (ids from 100 up, so nothing collides with the base fixture):

- compound D (丁小区, id 4) in 止戈镇: 50 households, managed by 甲物业 (so that company spans two
  towns), liaison unit 县民政局 (so that unit has two compounds), no branch (never expected to report);
- facility projects: A's 门禁 2 套 (Jan, no source, no investment) and 门禁 3 套 (Feb, 15,000, 物业公司),
  A's 绿化 500 平方米 finished in 2024, B's 门禁 started 2024-06-01 and still 在建, C's 健身设施 在建 since
  2025-01-10, and a planned project of C;
- votes V4 (near miss under both rules), V5 (near miss under art. 278 only), V6 (2024, passed,
  never carried out), V7 (passed in January, 100% participation, carried out 02-10);
- disclosures of B (February, and January before its branch existed) and of C (January; plus a
  superseded version);
- property-service cases K1-K9, and activities whose organisers include 包保单位.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Engine

from services import rollups
from services.db import write_transaction
from services.domain import month_of, vote_outcome
from services.models import Activity, CaseRecord, Compound, Disclosure, FacilityRecord, VoteRecord

D = dt.date
ZHIGE = "511423101"

COMPOUNDS = [
    dict(id=4, code="511423101002", name="丁小区", town_code=ZHIGE, households=50, compound_type="住宅",
         lat=29.91, lon=103.38, active=True, property_company="甲物业", liaison_unit="县民政局", volunteers=0),
]  # fmt: skip


def _project(pid, sid, cid, no, category, quantity, unit, status, *, started=None, completed=None, yuan=None,
             source=None, month="2025-02", current=True):  # fmt: skip
    return dict(
        id=pid, submission_id=sid, compound_id=cid, month=month, is_current=current, project_no=no, name=f"项目{no}",
        category=category, quantity=Decimal(quantity), unit=unit, status=status, started_date=started,
        completed_date=completed, completed_month=completed and month_of(completed),
        investment_yuan=None if yuan is None else Decimal(yuan), funding_source=source,
    )  # fmt: skip


FACILITIES = [
    _project(101, 1, 1, "P3", "门禁", 2, "套", "完工", started=D(2025, 1, 5), completed=D(2025, 1, 15),
             month="2025-01"),
    _project(102, 2, 1, "P2", "门禁", 3, "套", "完工", started=D(2025, 2, 1), completed=D(2025, 2, 10), yuan=15000,
             source="物业公司"),
    _project(103, 1, 1, "P0", "绿化", 500, "平方米", "完工", started=D(2024, 4, 1), completed=D(2024, 5, 20),
             yuan=50000, source="政府", month="2025-01"),
    _project(104, 3, 2, "Q1", "门禁", 1, "套", "在建", started=D(2024, 6, 1), yuan=12000),
    _project(105, 5, 3, "C7", "健身设施", 4, "套", "在建", started=D(2025, 1, 10), yuan=20000, source="政府",
             month="2025-01"),
    _project(106, 5, 3, "C8", "照明", 10, "个", "计划", month="2025-01"),
]  # fmt: skip


def _vote(vid, sid, cid, no, day, matter, total, part, agree, areas=(None, None, None), *, implementation=None,
          implemented=None):  # fmt: skip
    ta, pa, aa = (None if x is None else Decimal(x) for x in areas)
    outcome = vote_outcome(matter=matter, total_households=total, participating_households=part,
                           agree_households=agree, total_area=ta, participating_area=pa, agree_area=aa)  # fmt: skip
    return dict(
        id=vid, submission_id=sid, compound_id=cid, month=month_of(day), is_current=True, vote_no=no, vote_date=day,
        vote_month=month_of(day), topic=f"议题{no}", matter=matter, total_households=total,
        participating_households=part, agree_households=agree, total_area=ta, participating_area=pa, agree_area=aa,
        local_threshold=Decimal("0.70"), passes_local=outcome.passes_local, passes_statutory=outcome.passes_statutory,
        implementation=implementation, implemented_date=implemented,
    )  # fmt: skip


VOTES = [
    # V4: 132/200 = 66% agree (local 70%: short by 4 points); 140/200 = 70% take part but only 13,000 of
    #     20,000 m² = 65% of the area (2/3 needed: short by 1.7 points) → near miss under both rules
    _vote(104, 2, 1, "V4", D(2025, 2, 15), "一般事项", 200, 140, 132, (20000, 13000, 12000)),
    # V5: 重大事项; 160/300 = 53.3% agree (local: far off); 210/300 = 70% and 21,000/30,000 = 70% take part;
    #     consent 160/210 = 76.2% of owners but 15,000/21,000 = 71.4% of area (3/4 needed: short by 3.6
    #     points) → fails art. 278 by a near miss only
    _vote(105, 5, 3, "V5", D(2025, 2, 20), "重大事项", 300, 210, 160, (30000, 21000, 15000)),
    # V6: held in 2024, 180/200 = 90% → passed; never carried out
    _vote(106, 1, 1, "V6", D(2024, 10, 10), "一般事项", 200, 190, 180, implementation="未落实"),
    # V7: everyone takes part (200/200), 160 agree (80%) → passed; carried out on 2025-02-10
    _vote(107, 1, 1, "V7", D(2025, 1, 20), "一般事项", 200, 200, 160, implementation="已落实",
          implemented=D(2025, 2, 10)),
]  # fmt: skip

DISCLOSURES = [
    dict(id=101, submission_id=3, compound_id=2, month="2025-02", is_current=True, income_yuan=Decimal("800"),
         spending_yuan=Decimal("1200.40"), channel="公示栏"),
    # B's January, before its branch existed (2025-02-01): shown, but not expected
    dict(id=102, submission_id=3, compound_id=2, month="2025-01", is_current=True, income_yuan=Decimal("100"),
         spending_yuan=Decimal("50"), channel="公示栏"),
    dict(id=103, submission_id=5, compound_id=3, month="2025-01", is_current=True, income_yuan=Decimal("2000"),
         spending_yuan=Decimal("1500"), channel="微信群"),
    dict(id=104, submission_id=4, compound_id=3, month="2025-01", is_current=False, income_yuan=Decimal("9999"),
         spending_yuan=Decimal("9999"), channel="微信群"),  # superseded version
]  # fmt: skip


def _case(rid, sid, cid, no, kind, received, status, *, closed=None, satisfaction=None, current=True):
    return dict(
        id=rid, submission_id=sid, compound_id=cid, month=month_of(closed or received), is_current=current,
        case_no=no, kind=kind, category="物业服务", received_date=received, received_month=month_of(received),
        closed_date=closed, closed_month=closed and month_of(closed), status=status, satisfaction=satisfaction,
        days_to_close=closed and (closed - received).days,
    )  # fmt: skip


CASES = [
    _case(101, 1, 1, "K1", "诉求", D(2025, 1, 8), "已办结", closed=D(2025, 1, 20), satisfaction="满意"),
    _case(102, 1, 1, "K2", "纠纷", D(2025, 2, 3), "已受理", current=False),  # older version of K2
    _case(103, 2, 1, "K2", "纠纷", D(2025, 2, 3), "处理中"),
    _case(104, 2, 1, "K3", "诉求", D(2025, 2, 12), "已办结", closed=D(2025, 2, 14), satisfaction="不满意"),
    _case(105, 2, 1, "K4", "诉求", D(2025, 2, 15), "已办结", closed=D(2025, 2, 18), satisfaction="未评价"),
    _case(106, 5, 3, "K5", "诉求", D(2025, 1, 5), "已办结", closed=D(2025, 1, 6), satisfaction="基本满意"),
    _case(107, 5, 3, "K6", "纠纷", D(2025, 1, 22), "已转办"),
    _case(108, 3, 2, "K7", "诉求", D(2025, 2, 2), "已受理"),
    _case(109, 1, 1, "K8", "诉求", D(2024, 12, 20), "已办结", closed=D(2025, 1, 3), satisfaction="满意"),
    _case(110, 5, 4, "K9", "纠纷", D(2025, 2, 25), "已受理"),
]


def _activity(aid, sid, cid, day, organisers, participants, current=True):
    return dict(id=aid, submission_id=sid, compound_id=cid, month=month_of(day), is_current=current,
                activity_date=day, activity_type="环境整治", name=f"活动{aid}", organisers=organisers,
                participants=participants)  # fmt: skip


ACTIVITIES = [
    _activity(101, 1, 1, D(2025, 1, 15), "党支部、包保单位", 30),
    _activity(102, 2, 1, D(2025, 2, 20), "包保单位、志愿服务队", 12),
    _activity(103, 5, 3, D(2025, 2, 5), "党支部", 10),
    _activity(104, 3, 2, D(2025, 2, 6), "包保单位", 9),  # B has no liaison unit: not attributed to any
    _activity(105, 5, 3, D(2025, 1, 28), "包保单位", 20, current=False),  # superseded
]


def load(engine: Engine) -> None:
    tables = [(Compound, COMPOUNDS), (FacilityRecord, FACILITIES), (VoteRecord, VOTES), (Disclosure, DISCLOSURES),
              (CaseRecord, CASES), (Activity, ACTIVITIES)]  # fmt: skip
    with write_transaction(engine) as conn:
        for model, rows in tables:
            for row in rows:
                conn.execute(model.__table__.insert().values(**row))
        rollups.rebuild_in(conn)  # rows written directly: build the rollup the views read
    if engine.dialect.name == "postgresql":
        with write_transaction(engine) as conn:
            for model, _ in tables:
                table = model.__tablename__
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
