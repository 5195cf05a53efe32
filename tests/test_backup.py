"""Backup and restore on SQLite and PostgreSQL: a faithful round trip, a consistent copy taken
while imports keep writing, and every refusal (tampered file, newer schema, other dialect,
a target that already holds data) — through the library and through `python -m services`."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url

from services.access import SYSTEM
from services.backup import BackupError, backup, manifest_path, restore
from services.db import make_engine
from services.ingest import import_month
from services.ingest import write as write_module
from services.ledgers import ACTIVITIES, CASES, DISCLOSURES, LEDGER_BY_KEY, MONTHLY_LEDGERS
from services.models import Activity, Submission
from services.schema import init_db
from tests import fixture_county
from tests.conftest import PG_ADMIN_URL
from tests.ingest.helpers import activity, case, csv_bytes, disclosure, rows_for

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 1, 10, 2)  # every month below is in the past
COMPOUND_A = fixture_county.COMPOUNDS[0]["code"]
MONTHS = ["2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08"]


def month_files(month: str, note: str = "") -> list[tuple[str, bytes]]:
    """One month of compound A: an activity, a case closed in the month, a long-open case updated monthly."""
    following = dt.date(int(month[:4]), int(month[5:]), 28) + dt.timedelta(days=5)
    open_case = case(
        案件编号="OPEN-1",
        受理日期="2025-03-01",
        首次回应日期="2025-03-02",
        办结日期="",
        状态="处理中",
        满意度="",
        摘要=f"跟进{month}{note}",
    )
    closed_case = case(
        案件编号=f"C-{month}", 受理日期=f"{month}-02", 首次回应日期=f"{month}-03", 办结日期=f"{month}-10"
    )
    tables = {
        ACTIVITIES.name: rows_for(ACTIVITIES, [activity(活动日期=f"{month}-05", 活动名称=f"走访{month}{note}")]),
        CASES.name: rows_for(CASES, [closed_case, open_case]),
        DISCLOSURES.name: rows_for(DISCLOSURES, [disclosure(月份=month, 公示日期=following.strftime("%Y-%m-02"))]),
    }
    return [(f"{name}.csv", csv_bytes(table)) for name, table in tables.items()]


def import_for_a(engine, month: str, *, note: str = "", replace: bool = False):
    files = month_files(month, note)
    return import_month(
        engine, principal=SYSTEM, files=files, month=month, compound_code=COMPOUND_A, replace=replace, now=NOW
    )


def dump(url: str) -> dict[str, list[tuple]]:
    """Every table's rows in primary-key order (all columns when there is no key), by reflection."""
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(bind=engine)
    out = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    engine.dispose()
    return out


@pytest.fixture
def fresh_url(db_url, tmp_path):
    """A factory of URLs of new databases; by default they do not exist yet (restore creates them)."""
    made = []

    def make(*, create: bool = False) -> str:
        name = f"linli_restore_{uuid.uuid4().hex[:10]}"
        made.append(name)
        if db_url.startswith("sqlite"):
            return f"sqlite:///{tmp_path / (name + '.db')}"
        if create:
            admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
        return make_url(db_url).set(database=name).render_as_string(hide_password=False)

    yield make
    if db_url.startswith("postgresql"):
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def county(engine):
    """The hand-computed county plus two months imported through the real pipeline (audit rows included)."""
    fixture_county.load(engine)
    import_for_a(engine, "2025-03")
    import_for_a(engine, "2025-04")
    return engine


def assert_consistent(url: str) -> set[tuple[str, int]]:
    """Every imported submission has exactly its ledger rows; ``is_current`` follows the rules.

    Returns the (month, version) of compound A's pipeline submissions found."""
    engine = make_engine(url)
    with engine.connect() as conn:
        subs = conn.execute(
            select(
                Submission.id,
                Submission.month,
                Submission.version,
                Submission.status,
                Submission.row_counts,
                Submission.compound_id,
            )
        ).all()
        status = {s.id: s.status for s in subs}
        for sub in subs:
            for key, expected in (sub.row_counts or {}).items():
                t = LEDGER_BY_KEY[key].model.__table__
                found = conn.execute(select(t.c.id).where(t.c.submission_id == sub.id)).all()
                assert len(found) == expected, (sub.month, sub.version, key)
        for ledger in MONTHLY_LEDGERS:
            t = ledger.model.__table__
            rows = conn.execute(select(t)).mappings().all()
            if ledger.entity_field is None:
                assert all(r["is_current"] == (status[r["submission_id"]] == "current") for r in rows), ledger.key
                continue
            entities: dict = {}
            for r in rows:
                entities.setdefault((r["compound_id"], r[ledger.entity_field]), []).append(r)
            for key, group in entities.items():
                live = [(r["month"], r["id"]) for r in group if status[r["submission_id"]] == "current"]
                current = [(r["month"], r["id"]) for r in group if r["is_current"]]
                assert current == ([max(live)] if live else []), (ledger.key, key)
    engine.dispose()
    return {(s.month, s.version) for s in subs if s.row_counts and s.compound_id == fixture_county.COMPOUNDS[0]["id"]}


def database_exists(url: str) -> bool:
    if url.startswith("sqlite"):
        return Path(make_url(url).database).exists()
    admin = create_engine(PG_ADMIN_URL)
    with admin.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": make_url(url).database})
        exists = found.first() is not None
    admin.dispose()
    return exists


def sqlite_integrity(url: str) -> None:
    if url.startswith("sqlite"):
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        engine.dispose()


def test_round_trip_restores_every_row_and_a_usable_database(county, db_url, fresh_url, tmp_path):
    info = backup(county, tmp_path / "linli.backup")
    manifest = json.loads(manifest_path(info.path).read_text(encoding="utf-8"))
    assert manifest["dialect"] == county.dialect.name and manifest["sha256"] == info.sha256
    assert manifest["row_counts"]["compounds"] == 3 and manifest["row_counts"]["submissions"] == 7
    assert manifest["row_counts"]["audit_log"] >= 2 and manifest["alembic_revision"] == info.revision
    target = fresh_url()
    restored = restore(info.path, target)
    assert restored.row_counts == manifest["row_counts"] and not restored.needs_migration
    source = dump(db_url)
    assert sum(map(len, source.values())) > 50 and source["activities"]
    assert dump(target) == source
    sqlite_integrity(target)
    engine = make_engine(target)  # sequences and triggers came back too: the pipeline carries on
    assert import_for_a(engine, "2025-05").version == 1
    with engine.connect() as conn, pytest.raises(Exception, match="append-only"):
        conn.execute(text("DELETE FROM audit_log"))
    engine.dispose()


def test_backup_while_imports_keep_writing_is_one_consistent_moment(engine, db_url, fresh_url, tmp_path, monkeypatch):
    fixture_county.load(engine)
    paused, release, errors = threading.Event(), threading.Event(), []
    real_insert = write_module._insert_rows

    def insert_then_wait(conn, ledger, rows):
        real_insert(conn, ledger, rows)
        if ledger.key == "case_records" and rows and rows[0]["month"] == "2025-05" and not release.is_set():
            paused.set()  # half of 2025-05 is written but not committed
            release.wait(timeout=30)

    monkeypatch.setattr(write_module, "_insert_rows", insert_then_wait)

    def keep_importing():
        try:
            for month in MONTHS[:2]:
                import_for_a(engine, month)
            import_for_a(engine, "2025-04", note="（更正）", replace=True)  # flips is_current mid-stream
            for month in MONTHS[2:]:
                import_for_a(engine, month)
        except Exception as exc:
            errors.append(exc)
            paused.set()

    writer = threading.Thread(target=keep_importing)
    writer.start()
    try:
        assert paused.wait(timeout=30)
        during = backup(engine, tmp_path / "during.backup")  # the writer holds an open transaction now
    finally:
        release.set()
    while_running = backup(engine, tmp_path / "running.backup")  # the writer is importing June onwards
    writer.join(timeout=60)
    assert not writer.is_alive() and errors == []
    committed_first = {("2025-03", 1), ("2025-04", 1), ("2025-04", 2)}
    assert assert_consistent(db_url) == committed_first | {(m, 1) for m in MONTHS[2:]}

    target = fresh_url()
    restore(during.path, target)
    assert assert_consistent(target) == committed_first  # nothing of the uncommitted 2025-05
    sqlite_integrity(target)
    target = fresh_url()
    restore(while_running.path, target)
    found = assert_consistent(target)
    later = sorted(m for m, _ in found - committed_first)
    assert found >= committed_first and later == MONTHS[2 : 2 + len(later)]  # a prefix, never a gap
    sqlite_integrity(target)


def test_tampered_newer_or_foreign_backups_are_refused(county, db_url, fresh_url, tmp_path):
    info = backup(county, tmp_path / "linli.backup")
    with pytest.raises(BackupError, match="已存在"):
        backup(county, info.path)  # never overwrites a backup
    target = fresh_url()
    tampered = tmp_path / "tampered.backup"
    data = bytearray(info.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    manifest_path(tampered).write_bytes(manifest_path(info.path).read_bytes())
    with pytest.raises(BackupError, match="sha256"):
        restore(tampered, target)
    newer = tmp_path / "newer.backup"
    newer.write_bytes(info.path.read_bytes())
    manifest = json.loads(manifest_path(info.path).read_text(encoding="utf-8"))
    manifest_path(newer).write_text(json.dumps({**manifest, "alembic_revision": "9999_future"}), encoding="utf-8")
    with pytest.raises(BackupError, match="更新"):
        restore(newer, target)
    other = f"sqlite:///{tmp_path / 'other.db'}" if db_url.startswith("postgresql") else PG_ADMIN_URL
    with pytest.raises(BackupError, match="跨数据库迁移"):
        restore(info.path, other)
    (tmp_path / "lonely.backup").write_bytes(info.path.read_bytes())
    with pytest.raises(BackupError, match="清单"):
        restore(tmp_path / "lonely.backup", target)
    assert not database_exists(target)  # no refusal created or wrote anything


def test_a_database_with_data_is_only_overwritten_with_force(county, db_url, fresh_url, tmp_path):
    info = backup(county, tmp_path / "linli.backup")
    target = fresh_url(create=True)
    occupied = make_engine(target)  # stays open, like a running app
    init_db(occupied)
    fixture_county.load(occupied)
    import_for_a(occupied, "2025-03", note="（目标库）")
    before = dump(target)
    with pytest.raises(BackupError, match="--force"):
        restore(info.path, target)
    assert dump(target) == before
    restore(info.path, target, force=True)
    assert dump(target) == dump(db_url)
    with occupied.connect() as conn:  # the open engine sees the restored data
        names = set(conn.execute(select(Activity.name)).scalars())
    assert "走访2025-04" in names and not any("目标库" in n for n in names)
    occupied.dispose()
    sqlite_integrity(target)


def run_cli(*args: str, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "LINLI_MODE": "demo"}
    return subprocess.run(
        [sys.executable, "-m", "services", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_cli_backup_and_restore_round_trip_without_printing_secrets(county, db_url, fresh_url, tmp_path):
    secret = None
    source_url, target = db_url, fresh_url()
    if db_url.startswith("postgresql") and make_url(db_url).password is None:
        secret = "s3cret-Pa55"  # trust authentication ignores it; it must still never be printed
        source_url = make_url(db_url).set(password=secret).render_as_string(hide_password=False)
        target = make_url(target).set(password=secret).render_as_string(hide_password=False)
    out_file = tmp_path / "cli.backup"
    runs = [
        (run_cli("backup", str(out_file), url=source_url), 0),
        (run_cli("restore", str(out_file), url=target), 0),
        (run_cli("restore", str(out_file), url=target), 1),  # holds data now
    ]
    if db_url.startswith("sqlite"):  # argument handling does not depend on the database
        runs.append((run_cli("restore", str(out_file), "--force", url=target), 0))
        runs.append((run_cli("restore", str(tmp_path / "missing.backup"), url=target), 2))
    for done, code in runs:
        assert done.returncode == code, (done.args, done.stdout, done.stderr)
        if secret:
            assert secret not in done.stdout + done.stderr
    assert "已备份" in runs[0][0].stdout and "已恢复" in runs[1][0].stdout and "--force" in runs[2][0].stderr
    assert dump(target) == dump(db_url)
