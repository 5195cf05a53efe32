"""Throwaway benchmark databases: a SQLite file in a work folder, or a PostgreSQL database
created and dropped on the local server (as ``tests/conftest.py`` does)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from services.db import temporary_postgres_database

PG_ADMIN_URL = os.environ.get("LINLI_BENCH_PG") or os.environ.get(
    "LINLI_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def database(kind: str, workdir: Path, label: str) -> Iterator[str]:
    """The URL of a new, empty database for one configuration, removed afterwards."""
    if kind == "sqlite":
        path = workdir / f"{label}.db"
        _remove_sqlite(path)
        try:
            yield f"sqlite:///{path}"
        finally:
            _remove_sqlite(path)
        return
    if kind != "postgresql":
        raise ValueError(f"unknown database kind {kind!r}")
    with temporary_postgres_database(PG_ADMIN_URL, f"linli_bench_{label}") as url:
        yield url


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
