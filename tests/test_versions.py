"""Data versions per town (migration 0006's triggers and services.versions), on both databases:
every kind of write moves exactly the towns whose figures it feeds, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from services import month_reports, notes, rollups, settings_store, supervision, versions
from services.access import SYSTEM
from services.db import write_transaction
from services.domain import Period, Scope
from services.models import Compound, Submission
from tests import fixture_county
from tests.fixture_county import HONGCHUAN, ZHIGE

EVERY = versions.EVERY_TOWN


@pytest.fixture
def county(engine):
    fixture_county.load(engine)
    return engine


def moved(before: dict, after: dict) -> set[str]:
    assert all(after[town] >= version for town, version in before.items()), "a version went back"
    return {town for town in after if after[town] != before.get(town)}


def test_every_town_and_the_shared_row_start_with_a_version(county):
    now = versions.current(county)
    with county.connect() as conn:
        towns = {code for (code,) in conn.exec_driver_sql("SELECT code FROM towns")}
    assert set(now) == towns | {EVERY}
    assert len(towns) == 12


def test_a_submission_moves_only_its_own_town(county):
    before = versions.current(county)
    with write_transaction(county) as conn:
        conn.execute(Submission.__table__.insert().values(compound_id=3, month="2025-02", kind="zero"))
    after = versions.current(county)
    assert moved(before, after) == {ZHIGE}
    assert versions.town_token(after, HONGCHUAN) == versions.town_token(before, HONGCHUAN)
    assert versions.town_token(after, ZHIGE) != versions.town_token(before, ZHIGE)
    assert versions.county_token(after) != versions.county_token(before)


def test_a_rolled_back_write_moves_nothing(county):
    before = versions.current(county)
    with pytest.raises(RuntimeError), write_transaction(county) as conn:
        conn.execute(Submission.__table__.insert().values(compound_id=3, month="2025-02", kind="zero"))
        raise RuntimeError("the import failed half-way")
    assert versions.current(county) == before


def test_settings_and_month_locks_move_the_shared_row_so_every_token(county):
    before = versions.current(county)
    settings_store.set_value(county, SYSTEM, "alert_case_open_days", 45)
    after_setting = versions.current(county)
    assert moved(before, after_setting) == {EVERY}
    assert versions.town_token(after_setting, HONGCHUAN) != versions.town_token(before, HONGCHUAN)
    month_reports.set_month_lock(county, SYSTEM, "2025-01", locked=True)
    assert moved(after_setting, versions.current(county)) == {EVERY}


def test_a_month_report_transition_moves_its_town(county):
    before = versions.current(county)
    month_reports.return_report(county, SYSTEM, 1, "2025-02", reason="活动照片缺失")
    assert moved(before, versions.current(county)) == {HONGCHUAN}


def test_moving_a_compound_to_another_town_moves_both(county):
    before = versions.current(county)
    with write_transaction(county) as conn:
        conn.execute(update(Compound).where(Compound.id == 3).values(town_code=HONGCHUAN))
    assert moved(before, versions.current(county)) == {HONGCHUAN, ZHIGE}


def test_orders_notes_and_mentions_move_their_town(county):
    before = versions.current(county)
    order = supervision.issue(
        county,
        SYSTEM,
        compound_id=3,
        requirement="请说明超期原因并限期办结",
        deadline=dt.date.today() + dt.timedelta(days=7),
        priority="一般",
        source_kind="scratch",
    )
    assert order.id
    after_order = versions.current(county)
    assert moved(before, after_order) == {ZHIGE}
    notes.write_note(
        county,
        SYSTEM,
        view_id="cases",
        scope=Scope(town_code=HONGCHUAN),
        period=Period("2025-02", "2025-02"),
        body="纠纷激增：停车位改造施工",
    )
    assert moved(after_order, versions.current(county)) == {HONGCHUAN}


def test_rebuilding_the_rollup_moves_every_row(county):
    before = versions.current(county)
    rollups.rebuild(county)
    assert moved(before, versions.current(county)) == set(before)


def test_tokens_compose():
    v = {HONGCHUAN: 10, ZHIGE: 20, EVERY: 5}
    assert versions.token(v, HONGCHUAN) == versions.town_token(v, HONGCHUAN) == "t10.5"
    assert versions.token(v, None) == versions.county_token(v)
    assert versions.county_token(v) != versions.county_token({**v, ZHIGE: 21})
    assert versions.county_token(v) != versions.county_token({**v, "511423999": 0})  # a new town
