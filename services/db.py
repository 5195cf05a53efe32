"""The one place database connections are made.

SQLite gets WAL, a busy timeout, foreign keys and ``BEGIN IMMEDIATE`` transactions on every
connection; PostgreSQL is used as configured. Callers receive an ``Engine`` and open short
transactions with ``engine.begin()`` or ``session_scope()``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, CursorResult, Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_WRITE_WAIT_SECONDS = 180  # how long a writer may queue for the write lock in total


class DatabaseBusy(RuntimeError):
    """The write lock could not be had in time; nothing was written, the user may simply retry."""

    def __init__(self) -> None:
        super().__init__("系统繁忙：其他小区正在写入数据，本次没有导入任何内容。请一两分钟后再点一次“确认导入”。")


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    # Take transaction control away from pysqlite so that "begin" below is the only BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_sqlite_begin(conn) -> None:
    # A writer takes the write lock when its transaction starts, so concurrent imports queue
    # on busy_timeout instead of failing half-way with "database is locked"; readers stay
    # deferred so they never wait for one another.
    if conn.get_execution_options().get("linli_write", False):
        _begin_immediate(conn)
    else:
        conn.exec_driver_sql("BEGIN")


def _begin_immediate(conn) -> None:
    """Join the writers' queue for up to ``SQLITE_WRITE_WAIT_SECONDS``.

    One busy_timeout is not enough when many processes import at once (month-end, cold caches
    on a small machine): the last in line waits for everyone before it and got "database is
    locked". Nothing has been written when BEGIN IMMEDIATE fails, so trying again is safe.
    """
    deadline = time.monotonic() + SQLITE_WRITE_WAIT_SECONDS
    while True:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if "locked" not in str(exc.orig):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy() from exc
        time.sleep(random.uniform(0.01, 0.1))  # noqa: S311 - jitter so waiters do not retry in step, not a secret


@contextmanager
def temporary_postgres_database(admin_url: str, prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for the duration of the block, dropped afterwards (tests,
    benchmarks). ``admin_url`` points at a database the user may CREATE DATABASE from."""
    import uuid

    from sqlalchemy import text

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine for ``url`` with this project's connection settings."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """A process-wide engine per URL (pages and the CLI share it)."""
    return make_engine(url)


def default_engine() -> Engine:
    from services.config import load_settings

    return engine_for(load_settings().database_url)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One all-or-nothing write: committed on success, rolled back on any error."""
    with engine.connect().execution_options(linli_write=True) as conn, conn.begin():
        yield conn


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """An ORM session over one transaction, committed on success and rolled back on error."""
    with (
        engine.connect().execution_options(linli_write=write) as conn,
        conn.begin(),
        Session(bind=conn, expire_on_commit=False) as session,
    ):
        yield session
        session.flush()


def driver_connection(conn: Connection) -> Any:
    """The driver's own connection (sqlite3 or psycopg), which an open ``conn`` always has."""
    raw = conn.connection.driver_connection
    assert raw is not None, "the connection is closed"
    return raw


def refresh_statistics(engine: Engine, *, only_if_missing: bool = False) -> bool:
    """Give the query planner fresh table statistics (after a bulk load, or on a SQLite file that
    has none: without them SQLite does not read "open on a day" through both ends of
    ``ix_case_records_open``). PostgreSQL's autovacuum keeps its own; ANALYZE here only hurries it.
    Returns whether statistics were gathered."""
    with write_transaction(engine) as conn:
        if only_if_missing:  # SQLite only, and only once there are cases to describe
            if engine.dialect.name != "sqlite":
                return False
            if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
                return False
            if not conn.exec_driver_sql("SELECT 1 FROM case_records LIMIT 1").first():
                return False
        conn.exec_driver_sql("ANALYZE")
    return True


def frame_of(result: CursorResult) -> pd.DataFrame:
    """A query's rows as a DataFrame with the query's column names (also when there are none).

    Rows become plain tuples first: pandas probing SQLAlchemy ``Row`` or mapping objects one by
    one costs more than the query itself on a province's 30,000 compounds."""
    columns = list(result.keys())
    return pd.DataFrame([tuple(row) for row in result], columns=columns)
