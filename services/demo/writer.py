"""Writing the demo county: the registry, ids for ledger rows, chunked inserts, PG sequences.

Rows carry their primary keys, numbered after whatever the tables already hold, and go in with
SQLAlchemy Core in one transaction per chunk of compounds. PostgreSQL's id sequences are then
moved past the inserted keys so that ordinary inserts keep working.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, func, select, text

from services.db import write_transaction
from services.demo.ledgers import LEDGER_MODELS, LEDGER_TABLES, CompoundBook
from services.demo.registry import SEAT_TOWN
from services.models import Base, Compound, Submission, Town

REGISTRY_BATCH = 2000
INSERT_BATCH = 5000

_MODELS: dict[str, type[Base]] = {Submission.__tablename__: Submission} | {
    model.__tablename__: model for model in LEDGER_MODELS
}
# Within a compound, ids follow this order per table.
_ROW_ORDER = {
    "activities": lambda r: (r["month"], r["activity_date"]),
    "case_records": lambda r: (r["month"], r["received_date"], r["case_no"]),
    "facility_records": lambda r: (r["month"], r["project_no"]),
    "vote_records": lambda r: (r["month"], r["vote_date"], r["vote_no"]),
    "disclosures": lambda r: r["month"],
}


def load_towns(engine: Engine) -> list[dict]:
    """The county's towns by code, once it is clear the database holds no compounds yet."""
    with engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(Compound)).scalar_one():
            raise ValueError("the demo needs a database without compounds")
        towns = [
            dict(r._mapping) for r in conn.execute(select(Town.code, Town.name, Town.lat, Town.lon).order_by(Town.code))
        ]
    if not any(t["code"] == SEAT_TOWN for t in towns):
        raise ValueError(f"town {SEAT_TOWN} (洪川镇) is missing: run init_db first")
    for t in towns:
        if t["lat"] is None or t["lon"] is None:
            raise ValueError(f"town {t['code']} has no coordinates")
    return towns


def insert_registry(engine: Engine, rows: list[dict]) -> None:
    with write_transaction(engine) as conn:
        _insert(conn, Compound, rows, REGISTRY_BATCH)


class LedgerWriter:
    """Numbers the submissions and ledger rows of built compounds and inserts them."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with engine.connect() as conn:
            self.last_ids = {
                name: conn.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one()
                for name, model in _MODELS.items()
            }

    def write(self, books: Iterable[CompoundBook]) -> dict[str, int]:
        """Insert the rows of ``books`` in one transaction; returns how many went into each table."""
        out: dict[str, list[dict]] = {name: [] for name in _MODELS}
        for book in books:
            self._number(book, out)
        with write_transaction(self.engine) as conn:
            for name, model in _MODELS.items():
                _insert(conn, model, out[name])
        return {name: len(rows) for name, rows in out.items()}

    def _number(self, book: CompoundBook, out: dict[str, list[dict]]) -> None:
        ids = self.last_ids
        sub_ids = {}
        for sub in book.submissions:
            ids["submissions"] += 1
            sub["id"] = sub_ids[sub["month"]] = ids["submissions"]
            out["submissions"].append(sub)
        for table in LEDGER_TABLES:
            for row in sorted(book.rows[table], key=_ROW_ORDER[table]):
                ids[table] += 1
                row["id"] = ids[table]
                row["submission_id"] = sub_ids[row["month"]]
                row["compound_id"] = book.compound["id"]
                out[table].append(row)


def reset_sequences(engine: Engine) -> None:
    """Move PostgreSQL's id sequences past the inserted keys (SQLite needs nothing)."""
    if engine.dialect.name != "postgresql":
        return
    with write_transaction(engine) as conn:
        for model in (Compound, *_MODELS.values()):
            table = model.__tablename__
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                )
            )


def _insert(conn: Connection, model: type[Base], rows: list[dict], batch: int = INSERT_BATCH) -> None:
    for i in range(0, len(rows), batch):
        conn.execute(model.__table__.insert(), rows[i : i + batch])
