"""Cached figures are keyed by the data version of the towns they depend on (services.versions):
an import in one town leaves another town's cached figures in place and refreshes its own; a
figure that compares with the county is refreshed by any town; and no read a page makes for a
town depends on another town's data unless the cache knows it (checked on every page)."""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import pytest
import streamlit as st

import ui.data
from services import access, notes, rollups, supervision
from services.access import SYSTEM
from services.db import make_engine, write_transaction
from services.domain import Period, Scope
from services.models import Activity, CaseRecord, Submission
from services.themes import cases, governance_index
from tests.apptest.conftest import login, new_app, no_exceptions
from tests.fixture_county import _activity, _case

FEBRUARY = {"from": "2025-01", "to": "2025-02"}
D = dt.date


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch):
    st.cache_data.clear()
    monkeypatch.setattr(ui.data, "_COMPARED_WITH_COUNTY", set())
    yield
    st.cache_data.clear()


def counting(monkeypatch, module, name: str) -> list:
    """Replace ``module.name`` (a scoped read) by one that counts its computations."""
    calls: list = []
    original = getattr(module, name)

    @functools.wraps(original)
    def counted(*args, **kwargs):
        calls.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def open_page(page: str, user: str):
    app = new_app()
    app.query_params.update(FEBRUARY)
    login(app, user)
    app.switch_page(page).run()
    no_exceptions(app)
    return app


def a_zero_report(url: str, compound_id: int, month: str) -> None:
    engine = make_engine(url)
    with write_transaction(engine) as conn:
        conn.execute(Submission.__table__.insert().values(compound_id=compound_id, month=month, kind="zero"))
    engine.dispose()


def test_an_import_in_another_town_keeps_this_towns_figures_and_its_own_refreshes_them(fixture_db, monkeypatch):
    loops = counting(monkeypatch, cases, "loop")
    open_page("pages/cases.py", "t-town")  # 洪川镇's official
    computed = len(loops)
    assert computed >= 1
    open_page("pages/cases.py", "t-town")
    assert len(loops) == computed, "a rerun with nothing changed recomputed"

    a_zero_report(fixture_db, 3, "2025-02")  # 止戈镇
    open_page("pages/cases.py", "t-town")
    assert len(loops) == computed, "an import in 止戈镇 threw away 洪川镇's cached figures"
    open_page("pages/cases.py", "t-county")
    county_computed = len(loops)
    assert county_computed > computed  # the county's figures are new

    a_zero_report(fixture_db, 2, "2025-01")  # 洪川镇
    open_page("pages/cases.py", "t-town")
    assert len(loops) > county_computed, "an import in 洪川镇 left its figures stale"
    open_page("pages/cases.py", "t-secretary")  # 甲小区 in 洪川镇: its scope is new anyway
    secretary_computed = len(loops)
    a_zero_report(fixture_db, 3, "2025-03")  # 止戈镇 again
    open_page("pages/cases.py", "t-secretary")
    assert len(loops) == secretary_computed


def test_a_figure_compared_with_the_county_is_refreshed_by_any_town(fixture_db, monkeypatch):
    indexes = counting(monkeypatch, governance_index, "compound_index")
    open_page("pages/index.py", "t-town")
    assert "services.themes.governance_index.compound_index" in ui.data._COMPARED_WITH_COUNTY
    open_page("pages/index.py", "t-town")  # computed once more, now under the county's version
    computed = len(indexes)
    open_page("pages/index.py", "t-town")
    assert len(indexes) == computed
    a_zero_report(fixture_db, 3, "2025-02")  # 止戈镇 moves the county percentiles 洪川镇 is ranked on
    open_page("pages/index.py", "t-town")
    assert len(indexes) > computed


TOWN_PAGES = [
    "pages/overview.py",
    "pages/map.py",
    "pages/coverage.py",
    "pages/activities.py",
    "pages/cases.py",
    "pages/alerts.py",
    "pages/orders.py",
    "pages/profile.py",
    "pages/index.py",
    "pages/facilities.py",
    "pages/votes.py",
    "pages/finance.py",
    "pages/property.py",
    "pages/reporting.py",
    "pages/review.py",
    "pages/inbox.py",
]


def change_zhige(url: str) -> None:
    """A busy month in 止戈镇 (丙小区): a new ledger with activities and cases, its month's
    report returned, an order issued, a note written."""
    engine = make_engine(url)
    with write_transaction(engine) as conn:
        sid = conn.execute(
            Submission.__table__.insert().values(compound_id=3, month="2025-02", kind="ledger").returning(Submission.id)
        ).scalar_one()
        for n in range(5):
            activity = _activity(900 + n, sid, 3, D(2025, 2, 3 + n), "议事协商", 30)
            conn.execute(Activity.__table__.insert().values(**activity))
            row = _case(900 + n, sid, 3, f"Z-{n}", "纠纷", D(2025, 1, 2 + n), responded=D(2025, 2, 20))
            conn.execute(CaseRecord.__table__.insert().values(**row))
        rollups.refresh(conn, [3])
    today = supervision.beijing_today()
    supervision.issue(engine, SYSTEM, compound_id=3, requirement="限期办结", deadline=today, source_kind="case")
    notes.write_note(
        engine,
        SYSTEM,
        view_id="cases",
        scope=Scope(town_code="511423101"),
        period=Period("2025-01", "2025-02"),
        body="止戈镇纠纷增多",
    )
    engine.dispose()


def same(before, after) -> bool:
    if isinstance(before, pd.DataFrame):
        return before.equals(after)
    return repr(before) == repr(after)


def test_no_town_read_depends_on_another_towns_data_unless_the_cache_knows(fixture_db, monkeypatch):
    """Every read the pages make for 洪川镇's official, recomputed after 止戈镇 changes: those the
    cache keys by 洪川镇's version alone must not move; those it keys by the county's may."""
    made: dict = {}
    original = ui.data._read

    def recording(name, url, version, scope, args, kwargs, _function=None):
        made.setdefault((name, scope, args, kwargs), _function)
        return original(name, url, version, scope, args, kwargs, _function=_function)

    monkeypatch.setattr(ui.data, "_read", recording)
    for page in TOWN_PAGES:
        open_page(page, "t-town")
    wide = set(ui.data._COMPARED_WITH_COUNTY)
    engine = make_engine(fixture_db)
    narrow = {key: fn for key, fn in made.items() if key[0] not in wide}
    before = {key: fn(engine, key[1], *key[2], **dict(key[3])) for key, fn in narrow.items()}
    change_zhige(fixture_db)
    moved = [key[0] for key, fn in narrow.items() if not same(before[key], fn(engine, key[1], *key[2], **dict(key[3])))]
    engine.dispose()
    assert len(narrow) >= 40 and wide, (len(narrow), wide)  # the check covers the pages' reads
    assert all(key[1].town_code == "511423112" for key in narrow)
    assert not moved, f"reads keyed by 洪川镇 alone changed with 止戈镇's data: {moved}"


def test_the_change_used_above_does_move_the_county_figures(fixture_db):
    """The check above can fail: the same change moves 止戈镇's and the county's figures."""
    engine = make_engine(fixture_db)
    county = access.clamp(SYSTEM, Scope())
    before = cases.loop(engine, county, Period("2025-01", "2025-02"))
    change_zhige(fixture_db)
    after = cases.loop(engine, county, Period("2025-01", "2025-02"))
    engine.dispose()
    assert after["cases_received"] > before["cases_received"]
