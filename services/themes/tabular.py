"""DataFrames from Core selects for the theme views (coverage, activities, cases)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Select, select

from services.metrics import _scoped
from services.models import Compound, Town


def frame(conn: Connection, stmt: Select, columns: list[str]) -> pd.DataFrame:
    """The rows of ``stmt`` with ``columns`` as headers (also when there are no rows).

    Rows become plain tuples first: pandas probing SQLAlchemy ``Row`` objects attribute by
    attribute costs more than the query on a few thousand rows."""
    return pd.DataFrame([tuple(row) for row in conn.execute(stmt)], columns=columns)


REGISTRY_COLUMNS = ["compound_id", "code", "name", "town_code", "town", "households"]


def registry(conn: Connection, scope) -> pd.DataFrame:
    """The active compounds in ``scope`` with their town and households (rows of the per-compound tables)."""
    c = Compound
    stmt = _scoped(
        select(c.id, c.code, c.name, c.town_code, Town.name, c.households).join(Town, Town.code == c.town_code), scope
    )
    return frame(conn, stmt, REGISTRY_COLUMNS)
