"""Shared fixtures: a migrated database on SQLite and on PostgreSQL.

PostgreSQL tests create and drop their own database on the server named by
``LINLI_TEST_PG`` (default: the local trust-auth server). Outside CI they skip, with the
reason shown, when no server answers; with ``CI=true`` they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from services.db import make_engine, temporary_postgres_database
from services.schema import init_db

PG_ADMIN_URL = os.environ.get("LINLI_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _pg_available() -> str | None:
    try:
        eng = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with eng.connect() as conn:
            conn.execute(text("SELECT 1"))
        eng.dispose()
        return None
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc.__class__.__name__}"


def require_or_skip(reason: str | None) -> None:
    """Skip with a visible reason outside CI; fail in CI, where everything must run."""
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database that is dropped afterwards."""
    require_or_skip(_pg_available())
    with temporary_postgres_database(PG_ADMIN_URL, "linli_test") as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'linli-test.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """Every test that takes this runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'linli-test.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url) -> Iterator[Engine]:
    """A migrated database with the county's towns loaded, on each backend."""
    eng = make_engine(db_url)
    init_db(eng)
    yield eng
    eng.dispose()
