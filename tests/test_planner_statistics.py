"""Planner statistics (services.db.refresh_statistics): gathered after bulk loads, and once on a
SQLite file holding cases but none (SQLite reads "open on a day" through both ends of
ix_case_records_open only with them)."""

from __future__ import annotations

from tests import fixture_county


def test_planner_statistics_are_gathered_once_there_are_cases(engine):
    from services.db import refresh_statistics

    assert not refresh_statistics(engine, only_if_missing=True)  # nothing to describe yet
    fixture_county.load(engine)
    if engine.dialect.name == "sqlite":
        assert refresh_statistics(engine, only_if_missing=True)
        with engine.connect() as conn:
            described = {t for (t,) in conn.exec_driver_sql("SELECT DISTINCT tbl FROM sqlite_stat1")}
        assert "case_records" in described
        assert not refresh_statistics(engine, only_if_missing=True)  # once only
    else:
        assert not refresh_statistics(engine, only_if_missing=True)  # PostgreSQL's autovacuum keeps them
    assert refresh_statistics(engine)  # after a bulk load, asked for by name
