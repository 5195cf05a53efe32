"""Create or migrate the schema (Alembic) and load the county's reference data."""

from __future__ import annotations

import csv
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, func, inspect, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.config import DATA_DIR, ROOT
from services.db import refresh_statistics, write_transaction
from services.models import Compound, Town

TOWNS_CSV = DATA_DIR / "towns.csv"
# Any fixed 64-bit number; it names the lock every process takes before migrating (PostgreSQL).
MIGRATION_LOCK_KEY = 0x4C494E4C49  # "LINLI"


def alembic_config() -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    return cfg


def _one_migrator_at_a_time(conn: Connection) -> None:
    """Several app hosts may run init-db at once against one PostgreSQL database: the first
    takes this transaction-scoped advisory lock and migrates; the others wait here, then find
    the schema at head. SQLite needs nothing: ``write_transaction`` already begins IMMEDIATE."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema of ``engine``'s database to ``revision`` (creating it when empty)."""
    cfg = alembic_config()
    with write_transaction(engine) as conn:
        _one_migrator_at_a_time(conn)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def pending_migrations(engine: Engine) -> bool:
    """True when the database's schema is not at the code's head revision (or is missing)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() != head


def read_towns(path: Path = TOWNS_CSV) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            {
                "code": row["town_code"].strip(),
                "name": row["town_name"].strip(),
                "lat": float(row["lat_wgs84_approx"]),
                "lon": float(row["lon_wgs84_approx"]),
                "note": row.get("note") or None,
            }
            for row in csv.DictReader(fh)
        ]


def load_towns(engine: Engine, path: Path = TOWNS_CSV) -> int:
    """Insert or update the reference towns; returns how many the file holds."""
    rows = read_towns(path)
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    with write_transaction(engine) as conn:
        _one_migrator_at_a_time(conn)
        for row in rows:
            stmt = insert(Town).values(**row)
            stmt = stmt.on_conflict_do_update(
                index_elements=[Town.code], set_={k: stmt.excluded[k] for k in ("name", "lat", "lon", "note")}
            )
            conn.execute(stmt)
    return len(rows)


def init_db(engine: Engine) -> int:
    """Migrate to head and load the towns (and, on a SQLite file without planner statistics,
    gather them once). Returns the number of towns."""
    upgrade(engine)
    towns = load_towns(engine)
    refresh_statistics(engine, only_if_missing=True)
    return towns


def is_empty(engine: Engine) -> bool:
    """True when the database has no schema yet or no compounds."""
    if "compounds" not in inspect(engine).get_table_names():
        return True
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Compound)).scalar_one() == 0
