"""More rows on top of tests/fixture_county.py for the coverage, activities and cases views.

Adds two compounds, visits by group, varied case categories, ratings and open cases of known
ages. Load ``tests.fixture_county`` first, then ``load`` here. Every figure the tests expect
is worked out in their comments from both files.

- 丁小区 (id 4, 止戈镇, 400 households): branch founded 2019-06-01 (before the curve starts),
  no other body (volunteers unknown).
- 戊小区 (id 5, 洪川镇): inactive, so its branch, activity and case never count.
- Activities: A 02-03 visits (9 households: 2 Party members, 4 residents, 2 disabled, 1 bereaved;
  12 participants, 6 volunteer hours); C 01-22 visits (5: 1, 3, 1, 0; 10 participants);
  A 2024-01-20 visits (20 households) for the month-of-year profile; 戊's 500-person show.
- Cases (all current rows):
  A-4 诉求 物业服务 received 02-21, answered 02-26, in progress (7 days old on 02-28);
  A-5 诉求 环境卫生 received 01-29, answered 02-05, closed 03-05, 满意 (30 days old on 02-28);
  A-6 诉求 设施维修 received 02-12, answered and closed 02-12/02-20, 基本满意;
  C-3 纠纷 噪音 received 2024-10-01, never closed (150 days old on 02-28);
  C-4 纠纷 噪音 received 01-05, answered 01-09, closed 01-25, 不满意;
  C-5 纠纷 停车 received 2024-11-30, answered 12-02, in progress (90 days old on 02-28);
  E-1 at the inactive 戊小区.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Engine

from services import rollups
from services.db import write_transaction
from services.domain import month_of
from services.models import Activity, CaseRecord, Compound, Submission
from tests.fixture_county import HONGCHUAN, ZHIGE

D = dt.date

COMPOUNDS = [
    dict(id=4, code="511423101002", name="丁小区", town_code=ZHIGE, households=400, compound_type="住宅",
         lat=29.91, lon=103.38, active=True, branch_founded=D(2019, 6, 1)),
    dict(id=5, code="511423112003", name="戊小区", town_code=HONGCHUAN, households=50, compound_type="住宅",
         lat=29.92, lon=103.39, active=False, branch_founded=D(2020, 3, 1), property_company="戊物业",
         owners_committee_founded=D(2020, 5, 1), womens_federation_founded=D(2020, 6, 1), volunteers=3,
         liaison_unit="县住建局"),
]  # fmt: skip

SUBMISSIONS = [
    dict(id=6, compound_id=5, month="2025-01", submitted_at=dt.datetime(2025, 2, 2, 9)),
    dict(id=7, compound_id=1, month="2024-01", submitted_at=dt.datetime(2024, 2, 2, 9)),
    dict(id=8, compound_id=1, month="2025-03", submitted_at=dt.datetime(2025, 4, 2, 9)),
]


def _activity(aid, sid, cid, day, kind, participants, *, visited=None, groups=(None, None, None, None), hours=None):
    party, residents, disabled, bereaved = groups
    return dict(id=aid, submission_id=sid, compound_id=cid, month=month_of(day), is_current=True,
                activity_date=day, activity_type=kind, name=f"活动{aid}", participants=participants,
                visited_households=visited, visited_hardship_party=party, visited_hardship_residents=residents,
                visited_disabled=disabled, visited_bereaved=bereaved,
                volunteer_hours=None if hours is None else Decimal(hours))  # fmt: skip


ACTIVITIES = [
    _activity(6, 2, 1, D(2025, 2, 3), "走访慰问", 12, visited=9, groups=(2, 4, 2, 1), hours="6"),
    _activity(7, 5, 3, D(2025, 1, 22), "走访慰问", 10, visited=5, groups=(1, 3, 1, 0)),
    _activity(8, 6, 5, D(2025, 1, 15), "文化活动", 500),
    _activity(9, 7, 1, D(2024, 1, 20), "走访慰问", 30, visited=20, groups=(5, 10, 3, 2)),
]


def _case(rid, sid, cid, no, kind, category, received, *, responded=None, closed=None, status="处理中",
          satisfaction=None, month):  # fmt: skip
    return dict(
        id=rid, submission_id=sid, compound_id=cid, month=month, is_current=True, case_no=no, kind=kind,
        category=category, received_date=received, received_month=month_of(received), first_response_date=responded,
        closed_date=closed, closed_month=closed and month_of(closed), status=status, satisfaction=satisfaction,
        days_to_first_response=responded and (responded - received).days,
        days_to_close=closed and (closed - received).days,
    )  # fmt: skip


CASES = [
    _case(7, 5, 3, "C-3", "纠纷", "噪音", D(2024, 10, 1), status="已受理", month="2025-01"),
    _case(8, 2, 1, "A-4", "诉求", "物业服务", D(2025, 2, 21), responded=D(2025, 2, 26), month="2025-02"),
    _case(9, 8, 1, "A-5", "诉求", "环境卫生", D(2025, 1, 29), responded=D(2025, 2, 5), closed=D(2025, 3, 5),
          status="已办结", satisfaction="满意", month="2025-03"),
    _case(10, 2, 1, "A-6", "诉求", "设施维修", D(2025, 2, 12), responded=D(2025, 2, 12), closed=D(2025, 2, 20),
          status="已办结", satisfaction="基本满意", month="2025-02"),
    _case(11, 5, 3, "C-4", "纠纷", "噪音", D(2025, 1, 5), responded=D(2025, 1, 9), closed=D(2025, 1, 25),
          status="已办结", satisfaction="不满意", month="2025-01"),
    _case(12, 5, 3, "C-5", "纠纷", "停车", D(2024, 11, 30), responded=D(2024, 12, 2), month="2025-01"),
    _case(13, 6, 5, "E-1", "纠纷", "噪音", D(2025, 1, 10), month="2025-01"),
]  # fmt: skip


def load(engine: Engine) -> None:
    tables = [(Compound, COMPOUNDS), (Submission, SUBMISSIONS), (Activity, ACTIVITIES), (CaseRecord, CASES)]
    with write_transaction(engine) as conn:
        for model, rows in tables:
            for row in rows:
                conn.execute(model.__table__.insert().values(**row))
        rollups.rebuild_in(conn)  # rows written directly: build the rollup the views read
    if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        with write_transaction(engine) as conn:
            for table in ("compounds", "submissions", "activities", "case_records"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
