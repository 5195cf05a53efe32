"""The ``build`` and ``ingest`` phases: fill a database with the demo county at a scale, and time
one large upload through the import pipeline."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

from services import accounts, demo, domain, rollups
from services.db import make_engine
from services.schema import init_db


def demo_period(years: int, today: dt.date | None = None) -> tuple[str, str]:
    """``years`` whole years of months ending with the last complete month."""
    end = domain.last_complete_month(today)
    return domain.add_months(end, -(12 * years - 1)), end


def build(url: str, *, compounds: int, years: int) -> dict:
    """Migrate, generate the demo (ledgers and rollups), add the demo accounts, settle the files.

    ``build_s`` covers all of it except the migration; ``generate_s`` is the generator alone."""
    engine = make_engine(url)
    try:
        init_db(engine)
        start, end = demo_period(years)
        t0 = time.perf_counter()
        with _timed_rollups() as rollups_s:
            summary = demo.generate(engine, compounds=compounds, start=start, end=end)
        generated = time.perf_counter()
        accounts.ensure_demo_accounts(engine)
        accounts.seed_demo_secretary_contacts(engine)
        settle(engine)
        done = time.perf_counter()
        rows = (
            summary.submissions
            + summary.activities
            + summary.case_records
            + summary.facility_records
            + summary.vote_records
            + summary.disclosures
        )
        return {
            "build_s": done - t0,
            "generate_s": generated - t0,
            "rollups_s": rollups_s[0] if rollups_s else None,
            "compounds": summary.compounds,
            "ledger_rows": rows,
            "activities": summary.activities,
            "case_records": summary.case_records,
            "start": start,
            "end": end,
            "database_bytes": database_bytes(engine),
        }
    finally:
        engine.dispose()


@contextmanager
def _timed_rollups() -> Iterator[list[float]]:
    """Seconds the generator spends rebuilding the compound × month rollup (if it does)."""
    seconds: list[float] = []
    original = getattr(rollups, "rebuild", None)
    if original is None:
        yield seconds
        return

    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            seconds.append(time.perf_counter() - t0)

    rollups.rebuild = timed
    try:
        yield seconds
    finally:
        rollups.rebuild = original


def settle(engine: Engine) -> None:
    """What any bulk load is followed by: PostgreSQL's planner statistics (autovacuum would take
    them a little later, in the middle of the measurements), SQLite's WAL folded into the file."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def database_bytes(engine: Engine) -> int:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
        return int(pages * conn.exec_driver_sql("PRAGMA page_size").scalar_one())


def ingest(url: str, *, rows: int) -> dict:
    """One ``rows``-row activities file imported with full validation (``bench.ingest_speed``)."""
    from bench.ingest_speed import measure_ingest

    return measure_ingest(url, rows, "activities")
