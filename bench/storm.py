"""The ``storm`` phase (issue #15): page views by town and county officials while imports land.

A child process imports a small activities ledger every ``interval`` seconds into a random
compound whose newest month is still open for imports (the first days of a month, when a
province's compounds report), anywhere in the province. Meanwhile this process makes ``views``
page views: three in four by the official of a random town, one in four by a county official,
each on a random page of ``STORM_PAGES``, in sessions that stay logged in (their first views
start with every cache cold).

Every session looks at the month the imports land in. Reported: p50 and p95 server seconds of
the views (town and county apart), imports landed, and stale views: a town official's overview
whose 开展活动 differs from the services' figure computed right after it, when no import landed
in that town from the start of the view until then. It must be 0 (figures never older than the
last completed import of their scope).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import streamlit as st
from sqlalchemy import or_, select

from bench.ingest_speed import file_bytes, ledger_table
from bench.pages import PASSWORD, login, point_app_at
from services import access, accounts, formatting, metrics, versions
from services.access import SYSTEM, Principal
from services.db import make_engine
from services.domain import Period, Scope
from services.ingest import write as write_module
from services.ingest.uploads import Limits
from services.ledgers import LEDGER_BY_KEY
from services.models import Compound, MonthLock, MonthReport, Town, User

# the overview three times: its 开展活动 is the figure the stale check compares
STORM_PAGES = ("overview",) * 3 + ("cases", "activities", "alerts", "index", "reporting", "map", "coverage")
ROOT = Path(__file__).resolve().parents[1]
ROWS_PER_IMPORT = 20


def _open_compounds(engine, month: str) -> list[tuple[int, str, str]]:
    """(id, code, town) of the active compounds whose ``month`` still takes imports."""
    with engine.connect() as conn:
        if conn.execute(select(MonthLock.locked).where(MonthLock.month == month)).scalar():
            return []
        closed = select(MonthReport.compound_id).where(MonthReport.month == month, MonthReport.state.in_(("approved",)))
        rows = conn.execute(
            select(Compound.id, Compound.code, Compound.town_code).where(
                Compound.active, or_(Compound.id.not_in(closed))
            )
        ).all()
    return [tuple(r) for r in rows]


def _ledger_for(code: str, month: str, seed: int) -> tuple[str, bytes]:
    table = ledger_table(LEDGER_BY_KEY["activities"], code, ROWS_PER_IMPORT, seed=seed)
    date_col = table[0].index("活动日期")
    for n, row in enumerate(table[1:]):
        row[date_col] = f"{month}-{n % 28 + 1:02d}"
    return file_bytes(table, "csv-utf8", "活动台账")


def import_loop(url: str, out: str, interval: float, seconds: float) -> None:
    """Child process: import every ``interval`` s for ``seconds`` s; one JSON line per import."""
    engine = make_engine(url)
    month = metrics.data_months(engine)[1]
    targets = _open_compounds(engine, month)
    rng = random.Random(15)  # noqa: S311 - reproducible choice of compounds
    stop = time.time() + seconds
    with open(out, "w", encoding="utf-8") as log:
        n = 0
        while time.time() < stop and targets:
            started = time.time()
            cid, code, town = rng.choice(targets)
            n += 1
            try:
                write_module.import_month(
                    engine,
                    principal=SYSTEM,
                    files=[_ledger_for(code, month, n)],
                    month=month,
                    compound_id=cid,
                    replace=True,
                    limits=Limits.from_settings(),
                )
                version = versions.current(engine)[town]
                line = {"town": town, "done": time.time(), "version": version, "s": time.time() - started}
            except Exception as exc:  # noqa: BLE001 - counted as refused, the storm goes on
                line = {"town": town, "refused": f"{exc.__class__.__name__}: {exc}"[:200]}
            log.write(json.dumps(line, ensure_ascii=False) + "\n")
            log.flush()
            time.sleep(max(0.0, interval - (time.time() - started)))
    engine.dispose()


def _town_officials(url: str) -> dict[str, str]:
    """{town_code: username}: one town official per town that has compounds (created here)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            towns = conn.execute(
                select(Town.code, Town.name).where(Town.code.in_(select(Compound.town_code).distinct()))
            ).all()
        names = {}
        for code, name in towns:
            username = f"bench.town{code}"
            with engine.connect() as conn:
                exists = conn.execute(select(User.id).where(User.username == username)).first()
            if exists is None:
                accounts.create_user(
                    engine,
                    SYSTEM,
                    username=username,
                    display_name=username,
                    role="town",
                    town=name,
                    password=PASSWORD,
                    must_change=False,
                )
            names[code] = username
        return names
    finally:
        engine.dispose()


def _looking_at(at, month: str):
    """The session's period set to the month the imports land in."""
    at.selectbox(key="flt_from").set_value(month)
    at.selectbox(key="flt_to").set_value(month)
    at.run()
    return at


def _landed_in(log: Path, town: str) -> int:
    """How many imports have landed in ``town`` so far."""
    lines = log.read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines if '"done"' in line and json.loads(line)["town"] == town)


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def storm(url: str, *, views: int, interval: int = 1) -> dict:
    point_app_at(url)
    officials = _town_officials(url)
    st.cache_data.clear()
    log = Path(tempfile.mkstemp(prefix="linli-storm-", suffix=".jsonl")[1])
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-c",
            "import sys; from bench.storm import import_loop; "
            "import_loop(sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))",
            url,
            str(log),
            str(interval),
            "3600",
        ],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    rng = random.Random(7)  # noqa: S311 - reproducible choice of views
    sessions: dict[str, object] = {}
    timings: dict[str, list[float]] = {"town": [], "county": []}
    stale, checked, errors = 0, 0, []
    engine = make_engine(url)
    month = metrics.data_months(engine)[1]
    try:
        time.sleep(3 * interval)  # the storm is on before the first view
        for _ in range(views):
            if rng.random() < 0.25:
                role, town, user = "county", None, "demo-county"
            else:
                town = rng.choice(sorted(officials))
                role, user = "town", officials[town]
            if user not in sessions:
                sessions[user] = _looking_at(login(user), month)
            at = sessions[user]
            page = rng.choice(STORM_PAGES)
            at.switch_page(f"pages/{page}.py")
            landed_before = _landed_in(log, town) if town is not None else 0
            t0 = time.perf_counter()
            at.run()
            timings[role].append(time.perf_counter() - t0)
            if at.exception:
                errors.append(str(at.exception[0].value)[:200])
                sessions.pop(user)
                continue
            if town is not None and page == "overview":
                shown = next(m.value for m in at.metric if m.label == "开展活动")
                scope = access.clamp(Principal(None, user, "town", town_code=town), Scope(town_code=town))
                now = metrics.headline(engine, scope, Period(month, month))["activities"]
                # nothing landed in the town from the view's start until now: the two must agree (an
                # import finishing while the page ran may or may not be in it: that view is not judged)
                if _landed_in(log, town) == landed_before:
                    checked += 1
                    stale += shown != formatting.number(now)  # as the card shows it
    finally:
        child.terminate()
        child.wait(timeout=30)
        engine.dispose()
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    log.unlink(missing_ok=True)
    landed = [i for i in lines if "done" in i]
    if errors:
        raise RuntimeError(f"{len(errors)} views failed, first: {errors[0]}")
    return {
        "views": {role: len(t) for role, t in timings.items()},
        "p50": {role: _percentile(t, 0.5) for role, t in timings.items()},
        "p95": {role: _percentile(t, 0.95) for role, t in timings.items()},
        "median_all": statistics.median(timings["town"] + timings["county"]),
        "imports": len(landed),
        "refused": len(lines) - len(landed),
        "import_p50_s": _percentile([i["s"] for i in landed], 0.5),
        "stale_views": stale,
        "checked_views": checked,
    }
