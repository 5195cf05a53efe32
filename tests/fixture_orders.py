"""Supervision orders on the fixture county (tests.fixture_county), worked out by hand.

Issued by the system administrator (2 signing days, the default), read on TODAY = 2025-03-10:

- o1 甲小区 (洪川镇): issued 2025-01-10, deadline 01-20; signed 01-11, answered and accepted 01-15
  → closed on time.
- o2 甲小区 (洪川镇): issued 02-03, deadline 02-10; signed 02-04, answered 02-12, accepted 02-13
  → closed late.
- o3 丙小区 (止戈镇): issued 02-05, deadline 02-20; never signed, reminded 02-21 and 02-22 → overdue.

County, 2025-01–02: issued 3, closed 2, due 3, closed on time 1 (33.3%), overdue 1 (33.3%),
签收及时率 2/3 (66.7%), 催办 2. 洪川镇: issued 2, 按期 1/2 (50.0%), overdue 0, 签收 2/2; 止戈镇: issued 1,
按期 0/1 (0.0%), overdue 1, 签收 0/1, 催办 2. The index component: 甲 50, 丙 0, 乙 none (left out).
February alone: o2 and o3 (按期 0/2).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from services import supervision
from services.access import SYSTEM

TODAY = dt.date(2025, 3, 10)
NOW = dt.datetime(2025, 3, 10, 2, 30, tzinfo=dt.UTC)  # 10:30 in Beijing


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2025, month, day, 2)  # 10:00 in Beijing


def load(engine: Engine) -> dict[str, int]:
    """The three orders; returns their ids by name."""

    def issue(compound_id: int, issued: dt.datetime, deadline: dt.date, requirement: str) -> int:
        values = dict(requirement=requirement, deadline=deadline, source_kind="scratch", now=issued)
        return supervision.issue(engine, SYSTEM, compound_id=compound_id, **values).id

    o1 = issue(1, at(1, 10), dt.date(2025, 1, 20), "楼道杂物清理")
    o2 = issue(1, at(2, 3), dt.date(2025, 2, 10), "消防通道整改")
    o3 = issue(3, at(2, 5), dt.date(2025, 2, 20), "化粪池维修")
    for order, signed, answered, accepted in (
        (o1, at(1, 11), at(1, 15), at(1, 15)),
        (o2, at(2, 4), at(2, 12), at(2, 13)),
    ):
        supervision.sign(engine, SYSTEM, order, now=signed)
        supervision.answer(engine, SYSTEM, order, "已整改", now=answered)
        supervision.accept(engine, SYSTEM, order, now=accepted)
    supervision.remind(engine, SYSTEM, o3, now=at(2, 21))
    supervision.remind(engine, SYSTEM, o3, now=at(2, 22))
    return {"o1": o1, "o2": o2, "o3": o3}
