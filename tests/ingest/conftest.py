"""Fixtures for the importer tests: a small county on each backend, with February imported."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from services.auth import SYSTEM
from services.db import make_engine
from services.ingest import import_month
from services.schema import init_db
from tests.conftest import PG_ADMIN_URL, _pg_available, require_or_skip
from tests.ingest.helpers import NOW, County, february_files, load_county


@pytest.fixture
def county(engine) -> County:
    """Three compounds and one account per role, on SQLite and on PostgreSQL."""
    return load_county(engine)


@pytest.fixture
def reported(county) -> County:
    """The county after compound A's February 2025 ledgers were imported."""
    import_month(county.engine, principal=SYSTEM, files=february_files(), month="2025-02", now=NOW)
    return county


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_county(request, tmp_path_factory):
    """One reported county per backend shared by a module whose tests must leave it unchanged."""
    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'linli.db'}", None
    else:
        require_or_skip(_pg_available())
        name = f"linli_test_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url, drop = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}", name
    engine = make_engine(url)
    init_db(engine)
    county = load_county(engine)
    import_month(engine, principal=SYSTEM, files=february_files(), month="2025-02", now=NOW)
    yield county
    engine.dispose()
    if drop:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)'))
        admin.dispose()
