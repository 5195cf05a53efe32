"""A small county for supervision orders: compounds A and B in 洪川镇, C in 止戈镇, one account per
role (tests.ingest.helpers.load_county) plus 止戈镇's official and C's secretary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import insert, select

from services.access import Principal
from services.db import write_transaction
from services.models import User
from tests.ingest.helpers import ZHIGE, A, B, C, County, load_county

NOW = dt.datetime(2025, 4, 1, 2, 0)  # UTC; 2025-04-01 10:00 in Beijing
TODAY = dt.date(2025, 4, 1)
DEADLINE = dt.date(2025, 4, 10)


@dataclass
class OrdersCounty:
    county: County
    town_zhige: Principal
    secretary_c: Principal

    @property
    def engine(self):
        return self.county.engine

    @property
    def ids(self) -> dict[str, int]:
        return self.county.ids

    def principal(self, name: str) -> Principal:
        return {
            "admin": self.county.admin,
            "county": self.county.county,
            "town": self.county.town,
            "town-zg": self.town_zhige,
            "sec-a": self.county.secretary_a,
            "sec-b": self.county.secretary_b,
            "sec-c": self.secretary_c,
        }[name]


@pytest.fixture
def oc(engine) -> OrdersCounty:
    """The county on SQLite and on PostgreSQL."""
    return load_orders_county(engine)


def load_orders_county(engine) -> OrdersCounty:
    county = load_county(engine)
    with write_transaction(engine) as conn:
        conn.execute(insert(User).values(username="town-zg", display_name="止戈镇干部", role="town", town_code=ZHIGE))
        conn.execute(
            insert(User).values(
                username="sec-c", display_name="丙书记", role="secretary", town_code=ZHIGE, compound_id=county.ids[C]
            )
        )
        rows = dict(conn.execute(select(User.username, User.id)).all())
    return OrdersCounty(
        county,
        Principal(rows["town-zg"], "town-zg", "town", ZHIGE),
        Principal(rows["sec-c"], "sec-c", "secretary", ZHIGE, county.ids[C]),
    )


__all__ = ["DEADLINE", "NOW", "TODAY", "A", "B", "C", "OrdersCounty"]
