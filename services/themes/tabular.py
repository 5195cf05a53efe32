"""DataFrames from Core selects for the theme views, and the one-row-per-compound merge they share."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Connection, Select, select

from services.db import frame_of
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


def per_compound(
    conn: Connection, scope, parts: Iterable[Select], *, counts: Iterable[str], amounts: Iterable[str] = (), extra=()
) -> pd.DataFrame:
    """The active compounds in ``scope`` (and ``extra`` registry columns) with each of ``parts`` merged on
    ``compound_id``, 0 where a part has no row (``counts`` int, ``amounts`` float); none: an empty frame."""
    c = Compound
    registry_stmt = _scoped(
        select(
            c.id.label("compound_id"), c.code, c.name, c.town_code, Town.name.label("town"), c.households, *extra
        ).join(Town, Town.code == c.town_code),
        scope,
    )
    frame = frame_of(conn.execute(registry_stmt))
    if frame.empty:
        return frame
    for stmt in parts:
        part = frame_of(conn.execute(stmt))
        if not part.empty:
            frame = frame.merge(part, on="compound_id", how="left")
    for col in counts:
        values = frame[col] if col in frame else pd.Series(0, index=frame.index)
        frame[col] = pd.to_numeric(values, errors="coerce").fillna(0).astype("int64")
    for col in amounts:
        values = frame[col] if col in frame else pd.Series(0.0, index=frame.index)
        frame[col] = [0.0 if pd.isna(v) else float(v) for v in values]
    return frame
