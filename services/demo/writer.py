"""Writing the demo county: the registry, ids for ledger rows, bulk loads, PG sequences.

Rows carry their primary keys, numbered after whatever the tables already hold, and go in one
transaction per chunk of compounds. A province (30,000 compounds, millions of rows) must load
in minutes, so rows skip SQLAlchemy's per-row statement machinery: each becomes a plain tuple
in the table's column order, converted by the same bind processors SQLAlchemy would apply
(so the stored values are identical), then SQLite gets one ``executemany`` per table and
PostgreSQL one ``COPY … FROM STDIN``. PostgreSQL's id sequences are then moved past the
inserted keys so that ordinary inserts keep working.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from operator import itemgetter

from sqlalchemy import ColumnDefault, Connection, Engine, Table, func, select, text

from services.db import driver_connection, write_transaction
from services.demo.ledgers import LEDGER_MODELS, LEDGER_TABLES, CompoundBook
from services.demo.registry import SEAT_TOWN
from services.models import Base, Compound, Submission, Town, table_of

SQLITE_BATCH = 50_000  # rows per executemany call (bounds the tuples held at once)
SQLITE_BULK_CACHE_KIB = 131_072  # page cache while loading: index pages stay in memory

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
    loader = BulkLoader(engine)
    with write_transaction(engine) as conn, loader.bulk(conn):
        loader.load(conn, table_of(Compound), rows)


class LedgerWriter:
    """Numbers the submissions and ledger rows of built compounds and inserts them."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.loader = BulkLoader(engine)
        with engine.connect() as conn:
            self.last_ids = {
                name: conn.execute(select(func.coalesce(func.max(table_of(model).c.id), 0))).scalar_one()
                for name, model in _MODELS.items()
            }

    def write(self, books: Iterable[CompoundBook]) -> dict[str, int]:
        """Insert the rows of ``books`` in one transaction; returns how many went into each table."""
        out: dict[str, list[dict]] = {name: [] for name in _MODELS}
        with _no_cyclic_gc():
            for book in books:  # the books are built as they are consumed
                self._number(book, out)
            with write_transaction(self.engine) as conn, self.loader.bulk(conn):
                for name, model in _MODELS.items():
                    self.loader.load(conn, table_of(model), out[name])
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


class _Columns:
    """How a row dict becomes a tuple in the table's column order, as SQLAlchemy would bind it.

    A key missing from a row takes the column's scalar default (as an INSERT through
    SQLAlchemy would); a column with a computed default (a timestamp) must be given, so the
    demo never depends on the clock. Values then pass through the dialect's bind processors.
    """

    def __init__(self, table: Table, dialect) -> None:
        self.names = [c.name for c in table.columns]
        self.base: dict = {}
        self.required: list[str] = []
        for c in table.columns:
            default = c.default
            if isinstance(default, ColumnDefault) and default.is_scalar:
                self.base[c.name] = default.arg
            else:
                self.base[c.name] = None
                if default is not None:
                    self.required.append(c.name)
        self.get = itemgetter(*self.names)
        self.processors = []
        for i, c in enumerate(table.columns):
            process = c.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                self.processors.append((i, _remembered(process) if _few_values(c) else process))

    def tuples(self, rows: list[dict]) -> list[list]:
        base, get, processors, required = self.base, self.get, self.processors, self.required
        out = []
        for row in rows:
            for name in required:
                if name not in row:
                    raise ValueError(f"demo rows must give {name} (no clock-dependent defaults)")
            values = list(get(base | row))
            for i, process in processors:
                values[i] = process(values[i])
            out.append(values)
        return out


def _few_values(column) -> bool:
    """Dates and flags repeat endlessly (a few thousand days in six years): worth remembering."""
    try:
        return column.type.python_type in (dt.date, bool)
    except NotImplementedError:
        return False


def _remembered(process: Callable[[object], object]) -> Callable[[object], object]:
    """``process`` with its answers kept, so each distinct value is converted once per table."""
    seen: dict[object, object] = {}

    def remembered(value: object) -> object:
        try:
            return seen[value]
        except KeyError:
            seen[value] = answer = process(value)
            return answer

    return remembered


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Building and loading a chunk makes hundreds of thousands of short-lived dicts and lists
    but no reference cycles; the cyclic collector would only re-scan them again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class BulkLoader:
    """Inserts row dicts into a table inside the caller's transaction, the fastest way each driver allows."""

    def __init__(self, engine: Engine) -> None:
        self.dialect = engine.dialect
        self.columns: dict[str, _Columns] = {}

    @contextmanager
    def bulk(self, conn: Connection) -> Iterator[None]:
        """Settings for loading many rows in this transaction: on SQLite a page cache large enough
        to keep the indexes being filled in memory (the pooled connection gets its own back)."""
        if self.dialect.name != "sqlite":
            yield
            return
        raw = driver_connection(conn)
        previous = raw.execute("PRAGMA cache_size").fetchone()[0]
        raw.execute(f"PRAGMA cache_size=-{SQLITE_BULK_CACHE_KIB}")
        try:
            yield
        finally:
            raw.execute(f"PRAGMA cache_size={int(previous)}")

    def load(self, conn: Connection, table: Table, rows: list[dict]) -> None:
        if not rows:
            return
        if table.name not in self.columns:
            self.columns[table.name] = _Columns(table, self.dialect)
        columns = self.columns[table.name]
        if self.dialect.name == "sqlite":
            self._sqlite(conn, table, columns, rows)
        elif self.dialect.name == "postgresql" and self.dialect.driver == "psycopg":
            self._copy(conn, table, columns, rows)
        else:
            conn.execute(table.insert(), rows)

    def _column_list(self, table: Table, columns: _Columns) -> str:
        quote = self.dialect.identifier_preparer.quote
        return f"{quote(table.name)} ({', '.join(quote(n) for n in columns.names)})"

    def _sqlite(self, conn: Connection, table: Table, columns: _Columns, rows: list[dict]) -> None:
        marks = ", ".join("?" * len(columns.names))
        sql = f"INSERT INTO {self._column_list(table, columns)} VALUES ({marks})"
        raw = driver_connection(conn)
        for i in range(0, len(rows), SQLITE_BATCH):
            raw.executemany(sql, columns.tuples(rows[i : i + SQLITE_BATCH]))

    def _copy(self, conn: Connection, table: Table, columns: _Columns, rows: list[dict]) -> None:
        raw = driver_connection(conn)
        with raw.cursor() as cursor, cursor.copy(f"COPY {self._column_list(table, columns)} FROM STDIN") as copy:
            for values in columns.tuples(rows):
                copy.write_row(values)


def reset_sequences(engine: Engine) -> None:
    """Move PostgreSQL's id sequences past the inserted keys (SQLite needs nothing)."""
    if engine.dialect.name != "postgresql":
        return
    models: tuple[type[Base], ...] = (Compound, *_MODELS.values())
    with write_transaction(engine) as conn:
        for model in models:
            table = model.__tablename__
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                )
            )
