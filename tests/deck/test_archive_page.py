"""Official decks in the app (AppTest, through the real login): the county locks a month on 审核 and
its decks are archived in the background; 汇报模式 lists the official versions of the scope in view
(a town's with the county's beside them) with their built time and downloads, as the service
returns them; secretaries see none."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services import month_reports
from services.access import SYSTEM
from services.db import make_engine
from services.deck import archive
from services.domain import Scope
from services.ingest.problems import china_time
from services.models import DeckArchive
from tests.apptest.conftest import app_as, fixture_db, fixture_db_template, no_exceptions  # noqa: F401 (fixtures)
from tests.deck.test_archive import FEBRUARY, HONGCHUAN, LOCKED_AT, MONTH, SIX, fake_render
from tests.deck.test_page import open_present

HEADING = "正式版本（月份锁定时生成）"


@pytest.fixture
def engine_of(fixture_db):  # noqa: F811 (the fixture is passed in)
    engine = make_engine(fixture_db)
    yield engine
    engine.dispose()


@pytest.fixture
def february_archived(engine_of):
    """February locked and its official decks kept (stand-in files: only the listing is under test)."""
    month_reports.set_month_lock(engine_of, SYSTEM, MONTH, locked=True)
    return archive.archive_month(engine_of, MONTH, now=LOCKED_AT, render=fake_render)


def listed(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**") and "生成于" in m.value]


def official(at) -> list:
    return [b for b in at.get("download_button") if b.proto.label.startswith("下载正式版")]


def downloads(at) -> list[str]:
    return [button.proto.label for button in official(at)]


def test_the_town_official_sees_their_towns_and_the_countys_official_versions(app_as, engine_of, february_archived):  # noqa: F811
    at = open_present(app_as, "town")
    assert at.subheader[0].value == "2025年2月"
    assert HEADING in [s.value for s in at.subheader]
    when = china_time(february_archived[0].built_at)
    assert when == "2025-04-05 09:00"
    assert listed(at) == [
        f"**洪川镇 · 2025年2月** · 生成于 {when}（北京时间）",
        f"**洪雅县 · 2025年2月** · 生成于 {when}（北京时间）",
    ]
    assert downloads(at) == ["下载正式版 PPTX", "下载正式版 PDF"] * 2
    kept = [
        *archive.archived(engine_of, SYSTEM, Scope(town_code=HONGCHUAN), FEBRUARY),
        *archive.archived(engine_of, SYSTEM, Scope(), FEBRUARY),
    ]
    assert [b.proto.help for b in official(at)] == [f"文件校验值 SHA-256：{item.sha256}" for item in kept]


def test_the_county_sees_the_county_version_and_none_for_an_unlocked_month(app_as, february_archived):  # noqa: F811
    at = open_present(app_as, "county")
    assert listed(at) == [f"**洪雅县 · 2025年2月** · 生成于 {china_time(LOCKED_AT)}（北京时间）"]
    at.selectbox(key="present_month").set_value("2025-01").run()
    no_exceptions(at)
    assert listed(at) == [] and "只有已锁定月份" in " ".join(c.value for c in at.caption)
    at.radio(key="present_kind").set_value("quarter").run()  # the months of the quarter in view
    no_exceptions(at)
    assert len(listed(at)) == 1 and len(downloads(at)) == 2


def test_a_secretary_sees_no_official_version(app_as, february_archived):  # noqa: F811
    at = open_present(app_as, "secretary")
    assert HEADING not in [s.value for s in at.subheader]
    assert listed(at) == [] and downloads(at) == []


def test_locking_a_month_on_the_review_page_archives_it_in_the_background(app_as, engine_of, monkeypatch):  # noqa: F811
    monkeypatch.setattr("services.deck.render", fake_render)
    county = app_as("county")
    county.switch_page("pages/review.py").run()
    next(s for s in county.selectbox if s.label == "月份").set_value(MONTH).run()
    next(b for b in county.button if b.label == "锁定该月").click()
    county.run()
    no_exceptions(county)
    assert archive.background_idle(timeout=120)
    with engine_of.connect() as conn:
        kept = conn.execute(select(DeckArchive.period_start, DeckArchive.town_code, DeckArchive.fmt)).all()
    assert sorted(kept, key=str) == sorted(((MONTH, *key) for key in SIX), key=str)
