"""No partial writes, ever: a failure injected mid-import, a process killed mid-import, and two
uploads racing for one compound-month — on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.access import SYSTEM
from services.ingest import AlreadyReported, import_month
from services.ingest import write as write_module
from services.models import Activity, Submission
from tests.ingest.helpers import ACTIVITIES, NOW, activity, csv_bytes, march_tables, rows_for, table_checksums

ROOT = Path(__file__).resolve().parents[2]


def _files(tables=None):
    return [(f"{name}.csv", csv_bytes(table)) for name, table in (tables or march_tables()).items()]


def test_a_failure_mid_import_leaves_no_trace(reported, monkeypatch):
    engine = reported.engine
    before = table_checksums(engine, skip=())
    calls = []
    real_insert = write_module._insert_rows

    def insert_then_fail(conn, ledger, rows):
        real_insert(conn, ledger, rows)
        calls.append(ledger.key)
        if len(calls) == 3:
            raise RuntimeError("disk full (injected)")

    monkeypatch.setattr(write_module, "_insert_rows", insert_then_fail)
    with pytest.raises(RuntimeError, match="injected"):
        import_month(engine, principal=SYSTEM, files=_files(), month="2025-03", now=NOW)
    assert calls == ["activities", "case_records", "facility_records"]  # rows were written, then undone
    assert table_checksums(engine, skip=()) == before
    monkeypatch.setattr(write_module, "_insert_rows", real_insert)
    assert import_month(engine, principal=SYSTEM, files=_files(), month="2025-03", now=NOW).status == "imported"


CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from services.access import SYSTEM
    from services.db import make_engine
    from services.ingest import import_month
    from services.ingest import write
    from tests.ingest.helpers import NOW

    url, marker, *paths = sys.argv[1:]
    real = write._insert_rows

    def insert_and_hang(conn, ledger, rows):
        real(conn, ledger, rows)
        if ledger.key == "case_records":
            Path(marker).write_text("inserted")
            time.sleep(60)

    write._insert_rows = insert_and_hang
    import_month(make_engine(url), principal=SYSTEM, files=[Path(p) for p in paths], month="2025-03", now=NOW)
    """
)


def test_a_process_killed_mid_import_leaves_the_database_consistent_and_retryable(reported, db_url, tmp_path):
    engine = reported.engine
    paths = []
    for name, data in _files():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    marker = tmp_path / "marker"
    before = table_checksums(engine, skip=())
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, db_url, str(marker), *paths],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert child.poll() is None, child.stderr.read().decode()
            assert time.monotonic() < deadline, "the child never reached the middle of its import"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.stderr.close()
    assert table_checksums(engine, skip=()) == before
    result = import_month(engine, principal=SYSTEM, files=[Path(p) for p in paths], month="2025-03", now=NOW)
    assert (result.status, result.version) == ("imported", 1)


def test_two_uploads_for_one_compound_month_end_as_exactly_one(reported, monkeypatch):
    engine = reported.engine
    other = march_tables()
    other[ACTIVITIES.name] = rows_for(ACTIVITIES, [activity(参与人数="99")])
    uploads = {"first": _files(), "second": _files(other)}
    real_existing = write_module.existing_submission

    def slow_existing(conn, compound_id, month):
        found = real_existing(conn, compound_id, month)
        time.sleep(0.4)  # widen the window between "nothing reported yet" and the insert
        return found

    monkeypatch.setattr(write_module, "existing_submission", slow_existing)
    start, outcome = threading.Barrier(2), {}

    def upload(name):
        start.wait()
        try:
            outcome[name] = import_month(engine, principal=reported.secretary_a, files=uploads[name], now=NOW)
        except Exception as exc:
            outcome[name] = exc

    threads = [threading.Thread(target=upload, args=(n,)) for n in uploads]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    winners = [n for n, r in outcome.items() if not isinstance(r, Exception)]
    losers = [r for r in outcome.values() if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, outcome
    assert isinstance(losers[0], AlreadyReported), repr(losers[0])
    with engine.connect() as conn:
        subs = conn.execute(select(Submission.id).where(Submission.month == "2025-03")).scalars().all()
        people = conn.execute(select(func.sum(Activity.participants)).where(Activity.month == "2025-03")).scalar()
    assert subs == [outcome[winners[0]].submission_id]
    assert people == (55 if winners == ["first"] else 99)  # the winner's rows, never a mix
