"""Fixtures for the importer tests: a small county on each backend, with February imported."""

from __future__ import annotations

import contextlib

import pytest

from services.access import SYSTEM
from services.db import make_engine, temporary_postgres_database
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
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'linli.db'}"
        else:
            require_or_skip(_pg_available())
            url = stack.enter_context(temporary_postgres_database(PG_ADMIN_URL, "linli_test"))
        engine = make_engine(url)
        init_db(engine)
        county = load_county(engine)
        import_month(engine, principal=SYSTEM, files=february_files(), month="2025-02", now=NOW)
        yield county
        engine.dispose()
