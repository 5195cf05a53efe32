"""The ``pages`` and ``sessions`` phases: the dashboard driven headless by Streamlit's AppTest.

Server time is the wall time of ``AppTest.run()``: the router and the page script run in this
process exactly as they would in the server (database reads, pandas, chart specs), plus
AppTest's own small cost of reading the produced elements back.

- first render: the page opened in a logged-in session with every ``st.cache_data`` cleared
  (the worst case: the first official to open it after a restart or an import), by a county
  official at county scope and by a town official (demo-town) for their town;
- rerun: then a filter changes, which is a cache miss for everything that depends on it: the
  county official picks another town, the town official a 12-month period (on the profile
  page both pick the 12-month period: the profile is one compound's).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import statistics
import time
from pathlib import Path

import streamlit as st
from sqlalchemy import select
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest, app_test

from bench.config import ACCOUNTS, ROLES, SLOW_PAGE_SECONDS
from services import accounts
from services.access import SYSTEM
from services.db import make_engine
from services.domain import add_months
from services.models import Compound, User

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")
PASSWORD = accounts.DEMO_PASSWORD
RUN_TIMEOUT = 1800.0  # seconds: a province first render must be measured, not cut off


class _RouterPagesManager(app_test.PagesManager):
    """AppTest forgets before every run that ``st.navigation`` is in use and, since a ``pages/``
    folder sits next to ``dashboard.py``, runs a switched-to page script on its own (Streamlit's
    old multipage mode): no router, no sidebar filters. The server runs the router on every
    rerun (``st.navigation`` clears the flag for good), so the benchmark makes AppTest do so too."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


app_test.PagesManager = _RouterPagesManager


def point_app_at(url: str) -> None:
    """The app reads its database and mode from the environment (see ``services.config``)."""
    os.environ["DATABASE_URL"] = url
    os.environ["LINLI_MODE"] = "demo"
    os.environ["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] = "full"  # a failing page reports its real error


def login(username: str, password: str = PASSWORD) -> AppTest:
    """A new session logged in through the real login form (it lands on the overview)."""
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT)
    at.run()
    fields = {t.label: t for t in at.text_input}
    fields["用户名"].input(username)
    fields["密码"].input(password)
    next(b for b in at.button if b.label == "登录").click()
    at.run()
    if at.exception or "flt_town" not in at.session_state:
        raise RuntimeError(f"login as {username} failed: {[e.value for e in at.exception]}")
    return at


def _first_compound(url: str, town_of: str | None = None) -> int:
    """The first compound (of the town of account ``town_of``)."""
    engine = make_engine(url)
    try:
        stmt = select(Compound.id).order_by(Compound.id).limit(1)
        if town_of:
            town = select(User.town_code).where(User.username == town_of).scalar_subquery()
            stmt = stmt.where(Compound.town_code == town)
        with engine.connect() as conn:
            return conn.execute(stmt).scalar_one()
    finally:
        engine.dispose()


def _timed_run(at: AppTest) -> tuple[float, list[str]]:
    t0 = time.perf_counter()
    at.run()
    return time.perf_counter() - t0, [str(e.value) for e in at.exception]


class PageTimer:
    """One logged-in session per account, reused page after page (as an official clicks through)."""

    def __init__(self, url: str) -> None:
        point_app_at(url)
        self.compound = _first_compound(url)
        self.town_compound = _first_compound(url, ACCOUNTS["town"])
        self.sessions: dict[str, AppTest] = {}
        self.turn = 0

    def session(self, role: str) -> AppTest:
        if role not in self.sessions:
            self.sessions[role] = login(ACCOUNTS[role])
        return self.sessions[role]

    def sample(self, page: str, role: str) -> dict:
        """One first render and one rerun of ``page`` for ``role`` (seconds), and any exception shown."""
        at = self.session(role)
        home = at.session_state["flt_to"]
        chooses_town = role != "town"
        if chooses_town:
            at.selectbox(key="flt_town").select_index(0)  # the whole county
        at.selectbox(key="flt_from").set_value(home)
        if page == "profile":
            at.query_params["compound"] = str(self.compound if chooses_town else self.town_compound)
        st.cache_data.clear()
        at.switch_page(f"pages/{page}.py")
        first, errors = _timed_run(at)
        if page == "profile" or not chooses_town:  # a 12-month period (or as many months as there are)
            offered = at.selectbox(key="flt_from").options
            at.selectbox(key="flt_from").set_value(max(add_months(home, -11), min(offered)))
        else:  # the next town in the list, a different one each time
            towns = len(at.selectbox(key="flt_town").options) - 1
            self.turn += 1
            at.selectbox(key="flt_town").select_index(1 + self.turn % towns)
        rerun, more = _timed_run(at)
        if errors or more:  # start the next sample from a clean login
            self.sessions.pop(role, None)
        return {"first": first, "rerun": rerun, "errors": errors + more}


def measured(page: str, role: str) -> str:
    """The key of one page × role in the phase's results (``cases@town``)."""
    return f"{page}@{role}"


def time_pages(url: str, *, pages: list[str], runs: int) -> dict:
    """Median first-render and rerun seconds per page and role (``measured``); fewer runs once
    a page has used ``SLOW_PAGE_SECONDS`` (the count is reported). A page that cannot be driven
    is reported with its error and the others are still measured."""
    timer = PageTimer(url)
    out = {}
    for page, role in [(p, r) for p in pages for r in ROLES[p]]:
        samples: list[dict] = []
        spent = 0.0
        try:
            while len(samples) < runs and (not samples or spent < SLOW_PAGE_SECONDS):
                samples.append(timer.sample(page, role))
                spent += samples[-1]["first"] + samples[-1]["rerun"]
        except Exception as exc:  # noqa: BLE001 - e.g. the filters missing because the app failed
            timer.sessions.pop(role, None)
            samples.append({"first": None, "rerun": None, "errors": [f"{exc.__class__.__name__}: {exc}"]})
        timed = [s for s in samples if s["first"] is not None]
        errors = sorted({e[:300] for s in samples for e in s["errors"]})
        out[measured(page, role)] = {
            "first": statistics.median(s["first"] for s in timed) if timed else None,
            "rerun": statistics.median(s["rerun"] for s in timed) if timed else None,
            "runs": len(timed),
            "errors": errors[:3],
        }
    return out


def _rss_bytes() -> int:
    """Resident memory now (not the peak), from /proc, after garbage collection and after the C
    allocator has handed free pages back (otherwise memory freed by one session and reused by
    the next hides the growth)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: the figure is only a little noisier
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def session_memory(url: str, *, sessions: int) -> dict:
    """Resident memory added per logged-in session: ``sessions`` distinct county officials each
    log in and see the overview (their cached figures are shared: keyed by the clamped scope).
    Measured after two warm-up sessions, so imports and the engine are excluded.
    An upper bound: each AppTest also keeps the elements it read back."""
    point_app_at(url)
    engine = make_engine(url)
    names = [f"bench.official{i:03d}" for i in range(sessions + 2)]
    try:
        for name in names:
            accounts.create_user(
                engine, SYSTEM, username=name, display_name=name, role="county", password=PASSWORD, must_change=False
            )
    finally:
        engine.dispose()
    kept = [login(name) for name in names[:2]]  # every session stays alive until measured
    before = _rss_bytes()
    kept += [login(name) for name in names[2:]]
    after = _rss_bytes()
    per_session = max(after - before, 0) / sessions
    return {"sessions": len(kept) - 2, "rss_before": before, "rss_after": after, "per_session_bytes": per_session}
