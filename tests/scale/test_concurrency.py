"""Issue #7: the month-end rush. Fifty secretaries upload at once (threads, and separate
processes) while fifty officials read the pages — on SQLite and on PostgreSQL.

Nothing may be lost or doubled, no lock or serialisation error may reach a user, and no reader
may ever see half an import. Two neighbouring cases live in tests/ingest/test_atomicity.py: a
process killed with SIGKILL mid-import, and two uploads racing for one compound-month.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
import types
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, func, insert, select

from services import db as db_module
from services.access import Principal, read
from services.db import make_engine, write_transaction
from services.domain import Period, Scope
from services.ingest import AlreadyReported, ImportResult, import_month
from services.ledgers import ACTIVITIES
from services.models import Activity, AuditEntry, Compound, Submission, User
from services.schema import init_db, read_towns
from services.themes import activities
from tests.ingest.helpers import NOW, activity2, csv_bytes, rows_for

COMPOUNDS = 50
TOWNS = 5
MONTH = "2025-03"
BASELINE_MONTH = "2025-02"
LOCK_ERRORS = ("database is locked", "database table is locked", "could not serialize", "deadlock")


@dataclass(frozen=True)
class Site:
    """One compound, its secretary, and how many activity rows its upload carries."""

    index: int
    compound_id: int
    code: str
    town_code: str
    secretary: Principal
    rows: int


@dataclass
class RushCounty:
    engine: Engine
    sites: list[Site]
    county: Principal
    towns: dict[str, Principal]  # town code → that town's official
    admin: Principal


def build_county(engine: Engine) -> RushCounty:
    """Fifty compounds over five towns, a secretary for each, one official per town, one for the county."""
    town_codes = [t["code"] for t in read_towns()][:TOWNS]
    with write_transaction(engine) as conn:
        for i in range(COMPOUNDS):
            town = town_codes[i % TOWNS]
            conn.execute(
                insert(Compound).values(
                    code=f"{town}{i + 1:03d}",
                    name=f"压测{i + 1}小区",
                    town_code=town,
                    households=100 + i,
                    compound_type="住宅",
                    active=True,
                )
            )
        ids = dict(conn.execute(select(Compound.code, Compound.id)).all())
        for code, cid in ids.items():
            conn.execute(
                insert(User).values(
                    username=f"sec-{code}", display_name="书记", role="secretary", compound_id=cid, town_code=code[:9]
                )
            )
        for town in town_codes:
            conn.execute(insert(User).values(username=f"town-{town}", display_name="镇", role="town", town_code=town))
        conn.execute(insert(User).values(username="county", display_name="县", role="county"))
        conn.execute(insert(User).values(username="admin", display_name="管理员", role="admin"))
        principals = {
            name: Principal(uid, name, role, town, cid)
            for uid, name, role, town, cid in conn.execute(
                select(User.id, User.username, User.role, User.town_code, User.compound_id)
            )
        }
    sites = [
        Site(i, ids[code], code, code[:9], principals[f"sec-{code}"], 20 + i % 11)
        for i, code in enumerate(sorted(ids, key=lambda c: ids[c]))
    ]
    towns = {t: principals[f"town-{t}"] for t in town_codes}
    return RushCounty(engine, sites, principals["county"], towns, principals["admin"])


def ledger_files(site: Site, month: str = MONTH, rows: int | None = None) -> list[tuple[str, bytes]]:
    """An activities ledger for ``site`` with ``rows`` rows (distinct names and dates)."""
    table = [
        activity2(
            小区编码=site.code,
            活动日期=f"{month}-{k % 28 + 1:02d}",
            活动名称=f"楼栋清洁第{k + 1}次",
            参与人数=str(10 + site.index % 9),
            志愿者人数="2",
            志愿服务时长="3",
        )
        for k in range(site.rows if rows is None else rows)
    ]
    return [(f"{ACTIVITIES.name}.csv", csv_bytes(rows_for(ACTIVITIES, table)))]


@pytest.fixture
def rush(engine) -> RushCounty:
    return build_county(engine)


def upload(engine: Engine, site: Site, month: str = MONTH) -> ImportResult | Exception:
    """What the upload page would get back: a result, or the exception shown to the secretary."""
    try:
        return import_month(engine, principal=site.secretary, files=ledger_files(site, month), month=month, now=NOW)
    except Exception as exc:  # every failure is a finding; the assertions list them all
        return exc


def run_together(jobs: list[Callable[[], object]], timeout: float = 120) -> list[object]:
    """Start every job in its own thread and release them at the same instant."""
    start = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i: int) -> None:
        start.wait()
        results[i] = jobs[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a job was still running after the timeout"
    return results


def assert_no_lock_errors(outcomes) -> None:
    texts = [repr(o) for o in outcomes if isinstance(o, (BaseException, str))]
    leaked = [t for t in texts if any(e in t.lower() for e in LOCK_ERRORS)]
    assert not leaked, f"{len(leaked)} lock/serialisation errors reached users, e.g. {leaked[0][:300]}"


def assert_every_upload_landed_once(engine: Engine, sites: list[Site]) -> None:
    """Exactly one current ledger submission per compound-month, carrying exactly the file's rows."""
    with engine.connect() as conn:
        subs = conn.execute(
            select(Submission.compound_id, Submission.version, Submission.status, Submission.row_counts).where(
                Submission.month == MONTH
            )
        ).all()
        activities = dict(
            conn.execute(
                select(Activity.compound_id, func.count())
                .where(Activity.month == MONTH, Activity.is_current.is_(True))
                .group_by(Activity.compound_id)
            ).all()
        )
        all_rows = conn.execute(select(func.count()).select_from(Activity).where(Activity.month == MONTH)).scalar()
        imports = conn.execute(
            select(AuditEntry.target).where(AuditEntry.action == "import", AuditEntry.target.like(f"%/{MONTH}"))
        ).scalars()
        imports = sorted(imports)
    assert sorted((cid, v, s) for cid, v, s, _ in subs) == sorted((s.compound_id, 1, "current") for s in sites)
    assert {cid: counts["activities"] for cid, *_, counts in subs} == {s.compound_id: s.rows for s in sites}
    assert activities == {s.compound_id: s.rows for s in sites}
    assert all_rows == sum(s.rows for s in sites)  # nothing written twice, not even as a non-current copy
    assert imports == sorted(f"{s.code}/{MONTH}" for s in sites)


def test_fifty_uploads_from_threads_at_once_all_land(rush):
    sites = rush.sites
    started = time.monotonic()
    outcomes = run_together([lambda s=s: upload(rush.engine, s) for s in sites])
    elapsed = time.monotonic() - started
    assert_no_lock_errors(outcomes)
    failures = [(s.code, o) for s, o in zip(sites, outcomes, strict=True) if not isinstance(o, ImportResult)]
    assert not failures, failures[:3]
    assert {(o.status, o.version) for o in outcomes} == {("imported", 1)}
    assert_every_upload_landed_once(rush.engine, sites)
    assert elapsed < 60, f"50 concurrent uploads took {elapsed:.1f}s"


def _upload_in_child(url: str, site: Site, start, results) -> None:
    """A secretary's upload served by its own process (as behind several app workers)."""
    engine = make_engine(url)
    start.wait()
    began = time.monotonic()
    outcome = upload(engine, site)
    status = outcome.status if isinstance(outcome, ImportResult) else f"error: {outcome!r}"
    results.put((site.index, status, time.monotonic() - began))
    engine.dispose()


def _process_context():
    """Children forked from a server that has already imported the app, so fifty of them start in
    moments on a small machine (a spawn would import pandas fifty times); each is still a fresh
    process with no connection inherited from the test."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    return ctx


@contextmanager
def _plain_main():
    """Start children without a main script to re-run: after the AppTest tests, ``__main__`` is the
    dashboard script, and multiprocessing would execute it again in every child (and fail there)."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def test_uploads_from_separate_processes_at_once_all_land(rush, db_url):
    """SQLite's locks only really bite across processes: each upload gets its own process and engine
    (fifty on SQLite; twenty on PostgreSQL, whose connection slots the server shares)."""
    ctx = _process_context()
    sites = rush.sites if db_url.startswith("sqlite") else rush.sites[:20]
    start, results = ctx.Barrier(len(sites), timeout=60), ctx.Queue()
    children = [ctx.Process(target=_upload_in_child, args=(db_url, s, start, results)) for s in sites]
    with _plain_main():
        for child in children:
            child.start()
    try:
        reports = [results.get(timeout=90) for _ in sites]
    finally:
        for child in children:
            child.join(timeout=30)
            if child.is_alive():
                child.kill()
    outcomes = {index: status for index, status, _ in reports}
    slowest = max(seconds for *_, seconds in reports)
    assert_no_lock_errors(outcomes.values())
    assert outcomes == {s.index: "imported" for s in sites}, f"slowest upload: {slowest:.1f}s"
    assert [c.exitcode for c in children] == [0] * len(sites)
    assert_every_upload_landed_once(rush.engine, sites)


READERS_PER_TOWN = 8
COUNTY_READERS = 10
UPLOADERS = 30


def test_officials_reading_during_uploads_never_see_half_an_import(rush):
    """Fifty officials refresh their pages while thirty compounds upload; every read succeeds and
    shows each compound either without its March ledger or with all of it."""
    engine, period = rush.engine, Period(BASELINE_MONTH, MONTH)
    baseline_sites = rush.sites[:TOWNS]  # one compound per town reported February earlier
    for site in baseline_sites:
        assert upload(engine, site, BASELINE_MONTH).status == "imported"
    baseline = {s.compound_id: s.rows for s in baseline_sites}
    uploaders = rush.sites[-UPLOADERS:]
    before = {s.compound_id: baseline.get(s.compound_id, 0) for s in rush.sites}
    allowed = {s.compound_id: {before[s.compound_id], before[s.compound_id] + s.rows} for s in uploaders}
    allowed.update({cid: {n} for cid, n in before.items() if cid not in allowed})
    town_of = {s.compound_id: s.town_code for s in rush.sites}
    done = threading.Event()
    seen_progress: set[int] = set()

    def official(principal: Principal) -> list[str]:
        """Read like a page refresh until the uploads end; returns what was wrong (empty = fine)."""
        wrong: list[str] = []
        last_total, reads = -1.0, 0
        while not done.is_set() or reads == 0:
            try:
                frame = read(engine, principal, activities.by_compound, Scope(), period)
                total = read(engine, principal, activities.summary, Scope(), period)["activities"]
            except Exception as exc:
                wrong.append(f"read failed: {exc!r}")
                break
            reads += 1
            counts = dict(zip(frame["compound_id"], frame["activities"], strict=True))
            if principal.town_code and {town_of[c] for c in counts} != {principal.town_code}:
                wrong.append(f"{principal.username} saw another town")
            wrong += [f"compound {c}: {n} activities" for c, n in counts.items() if int(n) not in allowed[c]]
            if total < last_total:
                wrong.append(f"total went back from {last_total} to {total}")
            last_total = total
            if principal.role == "county":
                seen_progress.add(sum(int(n) > baseline.get(c, 0) for c, n in counts.items()))
            time.sleep(0.02)
        return wrong

    readers = [rush.county] * COUNTY_READERS + [p for p in rush.towns.values() for _ in range(READERS_PER_TOWN)]
    assert len(readers) == 50

    def uploads_then_stop() -> list:
        try:
            return run_together([lambda s=s: upload(engine, s) for s in uploaders])
        finally:
            done.set()

    outcomes = run_together([lambda p=p: official(p) for p in readers] + [uploads_then_stop])
    upload_outcomes, read_problems = outcomes[-1], [w for ws in outcomes[:-1] for w in ws]
    assert_no_lock_errors(upload_outcomes + read_problems)
    assert not read_problems, read_problems[:5]
    assert all(isinstance(o, ImportResult) and o.status == "imported" for o in upload_outcomes), upload_outcomes
    assert len(seen_progress) >= 2, f"the readers never overlapped the uploads: {seen_progress}"
    final = read(engine, rush.county, activities.summary, Scope(), period)
    assert final["activities"] == sum(baseline.values()) + sum(s.rows for s in uploaders)
    for town, official_ in rush.towns.items():
        town_total = read(engine, official_, activities.summary, Scope(), period)["activities"]
        expected = sum(
            baseline.get(s.compound_id, 0) + (s.rows if s in uploaders else 0)
            for s in rush.sites
            if s.town_code == town
        )
        assert town_total == expected


def test_a_secretary_and_an_administrator_racing_for_one_compound_month(rush):
    """Two principals upload different files for one compound-month at the same instant: one version
    lands, the other is told it was already reported, and its deliberate replacement then succeeds."""
    site = rush.sites[0]
    first, second = ledger_files(site), ledger_files(site, rows=site.rows + 5)
    outcomes = run_together(
        [
            lambda: _attempt(rush.engine, site.secretary, first),
            lambda: _attempt(rush.engine, rush.admin, second),
        ]
    )
    assert_no_lock_errors(outcomes)
    winners = [o for o in outcomes if isinstance(o, ImportResult)]
    losers = [o for o in outcomes if not isinstance(o, ImportResult)]
    assert len(winners) == 1 and [type(o) for o in losers] == [AlreadyReported], outcomes
    loser_files = second if winners[0] is outcomes[0] else first
    replaced = import_month(rush.engine, principal=rush.admin, files=loser_files, month=MONTH, replace=True, now=NOW)
    assert (replaced.status, replaced.version, replaced.replaced_version) == ("replaced", 2, 1)
    with rush.engine.connect() as conn:
        versions = conn.execute(
            select(Submission.version, Submission.status).where(Submission.compound_id == site.compound_id)
        ).all()
        live = conn.execute(
            select(func.count()).where(Activity.compound_id == site.compound_id, Activity.is_current.is_(True))
        ).scalar()
    assert sorted(versions) == [(1, "superseded"), (2, "current")]
    assert live == replaced.row_counts["activities"]


def _attempt(engine: Engine, principal: Principal, files) -> ImportResult | Exception:
    try:
        return import_month(engine, principal=principal, files=files, month=MONTH, now=NOW)
    except Exception as exc:
        return exc


def test_a_writer_queues_past_one_busy_timeout_instead_of_failing(sqlite_url, monkeypatch):
    """The last of many writers may wait longer than SQLite's busy_timeout; it must keep its
    place in the queue rather than tell the user "database is locked"."""
    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_MS", 100)
    engine = make_engine(sqlite_url)
    init_db(engine)
    holding, releasing = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        with write_transaction(engine) as conn:
            conn.execute(insert(Compound).values(code="511423112900", name="甲", town_code="511423112", households=1))
            holding.set()
            time.sleep(1.0)  # ten busy timeouts
            releasing.set()  # set before the commit: the waiter may get the lock before this thread runs again

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    assert holding.wait(10)
    with write_transaction(engine) as conn:
        assert releasing.is_set()  # it really waited for the other writer
        conn.execute(insert(Compound).values(code="511423112901", name="乙", town_code="511423112", households=1))
    holder.join()
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Compound)).scalar() == 2
    engine.dispose()


def test_a_writer_that_waits_too_long_gets_a_plain_busy_message_and_writes_nothing(sqlite_url, monkeypatch):
    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(db_module, "SQLITE_WRITE_WAIT_SECONDS", 0.3)
    engine = make_engine(sqlite_url)
    init_db(engine)
    holding, done = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        with write_transaction(engine) as conn:
            conn.execute(insert(Compound).values(code="511423112900", name="甲", town_code="511423112", households=1))
            holding.set()
            done.wait(10)

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    assert holding.wait(10)
    try:
        with pytest.raises(db_module.DatabaseBusy) as busy, write_transaction(engine) as conn:
            conn.execute(insert(Compound).values(code="511423112901", name="乙", town_code="511423112", households=1))
    finally:
        done.set()
        holder.join()
    assert "系统繁忙" in str(busy.value) and "没有导入任何内容" in str(busy.value)
    with engine.connect() as conn:
        assert conn.execute(select(Compound.code)).scalars().all() == ["511423112900"]
    engine.dispose()
