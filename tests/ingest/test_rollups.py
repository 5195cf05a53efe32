"""The compound × month rollup stays equal to the ledgers through imports, replacements and upgrades."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from alembic import command
from sqlalchemy import func, inspect, select, update

from services import metrics, rollups
from services.db import write_transaction
from services.domain import Period, Scope
from services.ingest import import_month
from services.ledgers import CASES
from services.models import Activity, CaseRecord, CompoundMonth
from services.schema import alembic_config, upgrade
from tests import fixture_county
from tests.ingest.helpers import NOW, case, case2, csv_bytes, march_tables, rows_for

ROOT = Path(__file__).resolve().parents[2]
LATER = NOW + dt.timedelta(days=1)


def _csvs(tables):
    return [(f"{name}.csv", csv_bytes(table)) for name, table in tables.items()]


def _raw_activity_counts(engine) -> dict[tuple[int, str], int]:
    with engine.connect() as conn:
        stmt = (
            select(Activity.compound_id, Activity.month, func.count())
            .where(Activity.is_current.is_(True))
            .group_by(Activity.compound_id, Activity.month)
        )
        return {(c, m): n for c, m, n in conn.execute(stmt)}


def _rolled_activity_counts(engine) -> dict[tuple[int, str], int]:
    with engine.connect() as conn:
        stmt = select(CompoundMonth.compound_id, CompoundMonth.month, CompoundMonth.activities).where(
            CompoundMonth.activities > 0
        )
        return {(c, m): n for c, m, n in conn.execute(stmt)}


def test_imports_and_replacements_keep_the_rollup_equal_to_the_ledgers(reported):
    engine = reported.engine
    assert rollups.differences(engine) == []
    tables = march_tables()
    closing = case(案件编号="C-1", 受理日期="2025-02-10", 首次回应日期="2025-02-11", 办结日期="2025-03-06")
    tables[CASES.name] = rows_for(CASES, [closing, case(), case2()])
    import_month(engine, principal=reported.secretary_a, files=_csvs(tables), month="2025-03", now=NOW)
    assert rollups.differences(engine) == []
    assert _rolled_activity_counts(engine) == _raw_activity_counts(engine)
    with engine.connect() as conn:
        feb = conn.execute(
            select(CompoundMonth.cases_received, CompoundMonth.cases_resolved).where(CompoundMonth.month == "2025-02")
        ).one()
        mar_closed = conn.execute(select(CompoundMonth.cases_closed).where(CompoundMonth.month == "2025-03")).scalar()
        raw_closed = conn.execute(
            select(func.count()).where(CaseRecord.is_current.is_(True), CaseRecord.closed_month == "2025-03")
        ).scalar()
    assert tuple(feb) == (1, 1)  # C-1, received in February, is now closed
    assert mar_closed == raw_closed >= 1  # … and counts as closed in March
    # the replacement drops C-1's March row: February's open state is live again
    tables[CASES.name] = rows_for(CASES, [case(), case2()])
    import_month(engine, principal=reported.secretary_a, files=_csvs(tables), month="2025-03", replace=True, now=LATER)
    assert rollups.differences(engine) == []
    february = metrics.case_totals(engine, Scope(), Period("2025-02", "2025-02"))
    assert (february["cases_received"], february["cases_resolved"]) == (1, 0)


def test_differences_notices_a_stale_rollup_and_rebuild_repairs_it(engine):
    fixture_county.load(engine)
    period = Period("2025-01", "2025-02")
    with engine.connect() as conn:
        first = conn.execute(
            select(func.min(CompoundMonth.compound_id)).where(CompoundMonth.month == "2025-01")
        ).scalar()
    scopes = (Scope(), Scope(compound_id=first))
    before = [metrics.activity_totals(engine, scope, period) for scope in scopes]
    with engine.begin() as conn:
        conn.execute(update(CompoundMonth).where(CompoundMonth.month == "2025-01").values(activities=99))
    found = rollups.differences(engine)
    assert any("activities stored=99" in line for line in found)
    assert any(
        line.startswith("town_months ") and "activities" in line for line in found
    )  # the towns' sums no longer add up
    assert metrics.activity_totals(engine, scopes[1], period) != before[1]  # a compound's view reads the rollup
    rollups.rebuild(engine)
    assert rollups.differences(engine) == []
    assert [metrics.activity_totals(engine, scope, period) for scope in scopes] == before


def test_upgrading_an_installation_fills_the_rollup_from_its_ledgers(engine):
    fixture_county.load(engine)
    expected = _rolled_activity_counts(engine)
    assert expected  # the fixture has activities
    cfg = alembic_config()
    with write_transaction(engine) as conn:  # back to before the rollup existed: the table goes
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    assert "compound_months" not in inspect(engine).get_table_names()
    with engine.begin() as conn:  # a live case closed while there was no rollup
        conn.execute(update(CaseRecord).where(CaseRecord.id == 4).values(status="已办结"))
    upgrade(engine)
    assert _rolled_activity_counts(engine) == expected
    assert rollups.differences(engine) == []
    with engine.connect() as conn:
        resolved = conn.execute(
            select(func.sum(CompoundMonth.cases_resolved)).where(CompoundMonth.month == "2025-02")
        ).scalar()
    assert resolved == 1  # A-3, received in February, counted as resolved by the upgrade


def test_cli_check_and_rebuild(db_url, engine):
    fixture_county.load(engine)
    with engine.begin() as conn:
        conn.execute(update(CompoundMonth).values(participants=CompoundMonth.participants + 1))
    env = {**os.environ, "DATABASE_URL": db_url}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "services", "rollups", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    stale = run()
    assert stale.returncode == 1 and "participants stored=" in stale.stderr and "--rebuild" in stale.stderr
    fixed = run("--rebuild")
    assert fixed.returncode == 0 and "rollup matches the ledgers" in fixed.stdout
    assert rollups.differences(engine) == []
