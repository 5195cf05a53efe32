"""The ``reference`` phase: the county headline for the last 12 months from ``services.metrics``
(what the pages show, read from the rollups) and from DuckDB over the raw ledger rows.

DuckDB cannot read SQLite or PostgreSQL here without downloading an extension, so the raw rows
(every version, with ``is_current``) are first copied into pandas frames; only the query is
timed. The two answers must agree: DuckDB applies the headline rules to the raw rows itself,
so this also checks the rollups."""

from __future__ import annotations

import statistics
import time

import duckdb
import pandas as pd
from sqlalchemy import Engine

from services import metrics
from services.access import SYSTEM, clamp
from services.db import make_engine
from services.domain import COUNTY, Period, add_months

RAW_SLICE = 500_000
FIGURES = ("activities", "participants", "cases_received", "cases_resolved", "closure_rate")
RAW = {  # table: columns copied from the database
    "compounds": "id, active",
    "activities": "compound_id, month, is_current, participants",
    "case_records": "compound_id, received_month, is_current, status",
}
DUCKDB_HEADLINE = """
WITH live AS (SELECT id FROM compounds WHERE active),
acts AS (
    SELECT count(*) AS activities, coalesce(sum(participants), 0) AS participants
    FROM activities JOIN live ON live.id = activities.compound_id
    WHERE is_current AND month BETWEEN $start AND $end
),
cases AS (
    SELECT count(*) AS cases_received, count(*) FILTER (WHERE status = '已办结') AS cases_resolved
    FROM case_records JOIN live ON live.id = case_records.compound_id
    WHERE is_current AND received_month BETWEEN $start AND $end
)
SELECT activities, participants, cases_received, cases_resolved,
       CASE WHEN cases_received > 0 THEN cases_resolved / cases_received END AS closure_rate
FROM acts, cases
"""


def reference(url: str, *, runs: int) -> dict:
    engine = make_engine(url)
    try:
        span = metrics.data_months(engine)
        if span is None:
            raise RuntimeError("the database holds no ledgers")
        period = Period(add_months(span[1], -11), span[1])
        ours, services_s, headline_s = _services(engine, period, runs)
        t0 = time.perf_counter()
        frames = {table: _raw(engine, table, columns) for table, columns in RAW.items()}
        export_s = time.perf_counter() - t0
    finally:
        engine.dispose()
    theirs, duckdb_s = _duckdb(frames, period, runs)
    return {
        "period": f"{period.start}..{period.end}",
        "raw_rows": sum(len(f) for f in frames.values()),
        "services": ours,
        "duckdb": theirs,
        "agree": _agree(ours, theirs),
        "services_s": services_s,
        "headline_s": headline_s,
        "duckdb_s": duckdb_s,
        "export_s": export_s,
    }


def _services(engine: Engine, period: Period, runs: int) -> tuple[dict, float, float]:
    """The same figures from ``services.metrics`` (median seconds), and the whole headline's time."""
    subset, whole, out = [], [], {}
    for _ in range(runs):
        t0 = time.perf_counter()
        out = metrics.activity_totals(engine, clamp(SYSTEM, COUNTY), period) | metrics.case_totals(
            engine, clamp(SYSTEM, COUNTY), period
        )
        subset.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        metrics.headline(engine, clamp(SYSTEM, COUNTY), period)
        whole.append(time.perf_counter() - t0)
    return {k: out[k] for k in FIGURES}, statistics.median(subset), statistics.median(whole)


def _raw(engine: Engine, table: str, columns: str) -> pd.DataFrame:
    """Every row of ``table`` (all versions), fetched in slices through the driver's own cursor
    (server-side on PostgreSQL) so a province fits in memory and plain tuples stay fast."""
    names = [c.strip() for c in columns.split(",")]
    conn = engine.raw_connection()
    try:
        driver = conn.driver_connection
        cursor = driver.cursor(name=f"bench_{table}") if engine.dialect.name == "postgresql" else driver.cursor()
        cursor.execute(f"SELECT {columns} FROM {table}")
        parts = []
        while rows := cursor.fetchmany(RAW_SLICE):
            parts.append(pd.DataFrame(rows, columns=names))
        cursor.close()
    finally:
        conn.close()
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=names)
    for flag in ("active", "is_current"):
        if flag in frame:
            frame[flag] = frame[flag].astype(bool)  # SQLite hands back 0/1
    return frame


def _duckdb(frames: dict[str, pd.DataFrame], period: Period, runs: int) -> tuple[dict, float]:
    con = duckdb.connect()
    try:
        for name, frame in frames.items():
            con.register(name, frame)
        times, row = [], None
        for _ in range(runs):
            t0 = time.perf_counter()
            row = con.execute(DUCKDB_HEADLINE, {"start": period.start, "end": period.end}).fetchone()
            times.append(time.perf_counter() - t0)
    finally:
        con.close()
    values = dict(zip(FIGURES, row, strict=True))
    return {k: (None if v is None else float(v) if k == "closure_rate" else int(v)) for k, v in values.items()}, (
        statistics.median(times)
    )


def _agree(ours: dict, theirs: dict) -> bool:
    for key in FIGURES:
        a, b = ours[key], theirs[key]
        if a is None or b is None:
            if a is not b:
                return False
        elif abs(float(a) - float(b)) > 1e-9 * max(1.0, abs(float(a))):
            return False
    return True
