"""How long one large monthly upload takes on the server: read/sniff, validate, preview, write.

Issue #7's budget: a 100,000-row ledger file imported with full validation in 10 s or less
(median). This builds a realistic one-compound-month file (UTF-8 CSV, GBK CSV or .xlsx) from
the ledger contract, runs it through the public ``import_month`` (one transaction: parse,
plan, write) and times each phase by wrapping the pipeline's own steps while it runs.

    .venv/bin/python bench/ingest_speed.py --rows 100000 --db sqlite
    .venv/bin/python bench/ingest_speed.py --rows 100000 --db postgresql --format xlsx --repeat 3
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import csv
import datetime as dt
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from services import domain, metrics, month_reports  # noqa: E402
from services.access import SYSTEM  # noqa: E402
from services.db import make_engine, temporary_postgres_database, write_transaction  # noqa: E402
from services.ingest import validate as validate_module  # noqa: E402
from services.ingest import write as write_module  # noqa: E402
from services.ingest.uploads import Limits  # noqa: E402
from services.ledgers import LEDGER_BY_KEY, Ledger  # noqa: E402
from services.models import Compound  # noqa: E402
from services.schema import init_db  # noqa: E402

MONTH = "2025-03"
NOW = dt.datetime(2025, 4, 3, 2, 0)  # naive UTC: 2025-04-03 in China, after the month
TOWN = "511423112"  # 洪川镇
FORMATS = ("csv-utf8", "csv-gbk", "xlsx")
PHASES = ("read", "validate", "preview", "write", "total")
PG_ADMIN_URL = os.environ.get("LINLI_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

NAMES = (
    "走访慰问困难党员",
    "春季大扫除",
    "楼道清理",
    "文艺汇演",
    "业主议事会",
    "反诈宣传",
    "义诊进小区",
    "支部主题党日",
)
NOTES = ("联合县妇联开展", "3栋2单元楼道", "物业配合", "第2次", "雨天改期至周末", "", "", "")


def _activity(rng: random.Random, code: str, i: int, month: str = MONTH) -> dict:
    kind = rng.choice(domain.ACTIVITY_TYPES)
    year, mon = (int(part) for part in month.split("-"))
    day = rng.randint(1, calendar.monthrange(year, mon)[1])
    row = {
        "小区编码": code,
        "活动日期": f"{month}-{day:02d}" if i % 3 else f"{year}/{mon}/{day}",
        "活动类型": kind,
        "活动名称": f"{rng.choice(NAMES)}（{i % 97 + 1}）",
        "组织方": "、".join(rng.sample(domain.ORGANISERS, rng.randint(1, 3))),
        "参与人数": str(rng.randint(3, 300)),
        "志愿者人数": str(rng.randint(0, 30)) if i % 2 else "",
        "志愿服务时长": f"{rng.randint(0, 400) / 10:g}" if i % 2 else "",
        "备注": rng.choice(NOTES),
    }
    if kind == "走访慰问":
        total = rng.randint(4, 40)
        row.update(
            {
                "慰问户数": str(total),
                "慰问困难党员户数": str(rng.randint(0, total // 4)),
                "慰问困难群众户数": str(rng.randint(0, total // 4)),
                "慰问残疾人户数": str(rng.randint(0, total // 4)),
                "慰问失独家庭户数": str(rng.randint(0, total // 4)),
            }
        )
    return row


def _case(rng: random.Random, code: str, i: int, month: str = MONTH) -> dict:
    year, mon = (int(part) for part in month.split("-"))
    received = dt.date(year, mon, rng.randint(1, 20))
    status = rng.choice(domain.CASE_STATUSES)
    responded = received + dt.timedelta(days=rng.randint(0, 3))
    closed = responded + dt.timedelta(days=rng.randint(0, 7)) if status == "已办结" else None
    return {
        "小区编码": code,
        "案件编号": f"C2025-{i:06d}",
        "类型": rng.choice(domain.CASE_KINDS),
        "类别": rng.choice(domain.CASE_CATEGORIES),
        "受理日期": received.isoformat(),
        "首次回应日期": responded.isoformat(),
        "办结日期": closed.isoformat() if closed else "",
        "状态": status,
        "满意度": rng.choice(domain.SATISFACTION) if closed else "",
        "摘要": rng.choice(("地下车库占道停车，已协调物业划线", "楼上漏水，已联系维修", "噪音扰民，已调解", "")),
    }


ROW_BUILDERS: dict[str, Callable[..., dict]] = {
    "activities": _activity,
    "case_records": _case,
}


def ledger_table(ledger: Ledger, code: str, rows: int, seed: int = 7, month: str = MONTH) -> list[list[str]]:
    """Header plus ``rows`` realistic rows for one compound-``month``, in contract column order."""
    build = ROW_BUILDERS[ledger.key]
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data, not secrets
    headers = [c.header for c in ledger.columns]
    body = []
    for i in range(rows):
        row = build(rng, code, i, month)
        body.append([row.get(h, "") for h in headers])
    return [headers, *body]


def _typed(value: str):
    """A cell as Excel stores what a person typed: numbers as numbers, ISO dates as dates, the rest as text."""
    if value == "":
        return None
    if value.isdigit() and not value.startswith("0") and len(value) < 10:
        return int(value)
    if value.count(".") == 1 and value.replace(".", "").isdigit():
        return float(value)
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.replace("-", "").isdigit():
        return dt.date.fromisoformat(value)
    return value


def _xlsx(table: list[list[str]], sheet: str) -> bytes:
    # XlsxWriter (a python-pptx dependency) writes what Excel writes: shared strings and a
    # <dimension>. openpyxl's inline strings without a dimension read about twice as slowly.
    buffer = io.BytesIO()
    try:
        import xlsxwriter
    except ImportError:
        book = Workbook(write_only=True)
        ws = book.create_sheet(sheet)
        for row in table:
            ws.append([_typed(v) for v in row])
        book.save(buffer)
        return buffer.getvalue()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet(sheet)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, table[0])
    for r, row in enumerate(table[1:], start=1):
        for c, value in enumerate(row):
            cell = _typed(value)
            if isinstance(cell, dt.date):
                ws.write_datetime(r, c, cell, date_format)
            elif cell is not None:
                ws.write(r, c, cell)
    book.close()
    return buffer.getvalue()


def file_bytes(table: list[list[str]], fmt: str, sheet: str) -> tuple[str, bytes]:
    """The table as an upload: (file name, bytes) in ``fmt``."""
    if fmt == "xlsx":
        return f"{sheet}.xlsx", _xlsx(table, sheet)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(table)
    encoding = "utf-8-sig" if fmt == "csv-utf8" else "gbk"
    return f"{sheet}.csv", out.getvalue().encode(encoding)


class PhaseClock:
    """Accumulates wall time spent inside wrapped pipeline functions, by phase."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, phase: str, fn: Callable) -> Callable:
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[phase] = self.seconds.get(phase, 0.0) + time.perf_counter() - start

        return timed


@contextlib.contextmanager
def _timed_pipeline(clock: PhaseClock) -> Iterator[None]:
    """Wrap the steps ``import_month`` calls (module globals), restoring them afterwards."""
    targets = [
        (validate_module, "read_upload", "read"),
        (validate_module, "validate_table", "validate"),
        (write_module, "_plan", "preview"),
        (write_module, "_write", "write"),
    ]
    originals = [(module, name, getattr(module, name)) for module, name, _ in targets]
    try:
        for module, name, phase in targets:
            setattr(module, name, clock.wrap(phase, getattr(module, name)))
        yield
    finally:
        for module, name, fn in originals:
            setattr(module, name, fn)


def _bench_compound(engine) -> str:
    """A fresh compound in 洪川镇 (unique code, so repeated runs never collide)."""
    with write_transaction(engine) as conn:
        taken = {c for (c,) in conn.execute(select(Compound.code).where(Compound.town_code == TOWN))}
        code = next(f"{TOWN}{n:03d}" for n in range(999, 0, -1) if f"{TOWN}{n:03d}" not in taken)
        conn.execute(
            insert(Compound).values(
                code=code, name=f"压测小区{code[-3:]}", town_code=TOWN, households=2000, active=True
            )
        )
    return code


def _open_month(engine) -> tuple[str, dt.datetime | None]:
    """``MONTH`` unless the county has locked it (a demo county locks its past months): then the
    newest month with data, which is still open, imported now."""
    with engine.connect() as conn:
        if not month_reports.month_is_locked(conn, MONTH):
            return MONTH, NOW
    newest = metrics.data_months(engine)
    return (newest[1], None) if newest else (MONTH, NOW)


def measure_ingest(url: str, rows: int, ledger: str = "activities", *, fmt: str = "csv-utf8") -> dict[str, float]:
    """Seconds per phase (read, validate, preview, write, total) for one ``rows``-row import into ``url``.

    The database is migrated if needed and gets a new compound; the file is imported by the
    public ``import_month``. ``total`` is its wall time; the phases are the time spent in the
    pipeline's read, validate, plan (preview) and write steps. Extra keys: ``cpu`` (this
    process's CPU seconds, steadier than wall time on a busy machine), ``bytes`` (file size) and
    ``over_upload_cap`` (1.0 when the file is larger than the configured upload limit).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    engine = make_engine(url)
    try:
        init_db(engine)
        code = _bench_compound(engine)
        month, now = _open_month(engine)
        target = LEDGER_BY_KEY[ledger]
        name, data = file_bytes(ledger_table(target, code, rows, month=month), fmt, target.name)
        settings_limits = Limits.from_settings()
        # The upload cap is about bytes on the wire; a 100k-row file may exceed it and we time the pipeline.
        limits = Limits(max_bytes=max(settings_limits.max_bytes, len(data)), max_rows=settings_limits.max_rows)
        clock = PhaseClock()
        start, cpu_start = time.perf_counter(), time.process_time()
        with _timed_pipeline(clock):
            result = write_module.import_month(
                engine, principal=SYSTEM, files=[(name, data)], month=month, now=now, limits=limits
            )
        total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        if result.row_counts.get(ledger) != rows:
            raise RuntimeError(f"imported {result.row_counts} rows, expected {rows}")
    finally:
        engine.dispose()
    out = {phase: clock.seconds.get(phase, 0.0) for phase in PHASES[:-1]}
    out.update(
        total=total, cpu=cpu, bytes=float(len(data)), over_upload_cap=float(len(data) > settings_limits.max_bytes)
    )
    return out


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    """A throwaway database URL: a temp SQLite file, or a new PostgreSQL database dropped afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="linli-bench-") as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.db'}"
        return
    with temporary_postgres_database(PG_ADMIN_URL, "linli_bench") as url:
        yield url


def _median_runs(url: str, rows: int, ledger: str, fmt: str, repeat: int) -> dict[str, float]:
    runs = [measure_ingest(url, rows, ledger, fmt=fmt) for _ in range(repeat)]
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--ledger", choices=sorted(ROW_BUILDERS), default="activities")
    parser.add_argument("--format", choices=(*FORMATS, "all"), default="all")
    parser.add_argument("--repeat", type=int, default=1, help="runs per format; the median is shown")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds allowed for the total")
    args = parser.parse_args(argv)
    formats = FORMATS if args.format == "all" else (args.format,)
    print(f"{args.rows} rows of {args.ledger} on {args.db}, median of {args.repeat} (seconds)")
    print(f"{'format':<10}{'MB':>7}" + "".join(f"{p:>10}" for p in (*PHASES, "cpu")) + "  budget")
    over = False
    with database(args.db) as url:
        for fmt in formats:
            t = _median_runs(url, args.rows, args.ledger, fmt, args.repeat)
            ok = t["total"] <= args.budget
            over |= not ok
            cap = " (over upload cap)" if t["over_upload_cap"] else ""
            print(
                f"{fmt:<10}{t['bytes'] / 2**20:>7.1f}"
                + "".join(f"{t[p]:>10.2f}" for p in (*PHASES, "cpu"))
                + ("  ok" if ok else "  OVER")
                + cap
            )
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
