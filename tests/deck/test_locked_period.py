"""A deck of a locked period says so on its title slide, and two decks of it carry the same numbers."""

from __future__ import annotations

import datetime as dt

from services import month_reports
from services.access import SYSTEM
from services.db import make_engine
from services.deck import build_deck
from services.domain import Period, Scope
from services.schema import init_db
from tests import fixture_county

PERIOD = Period("2025-01", "2025-02")


def _facts(engine, when):
    deck = build_deck(engine, SYSTEM, Scope(), PERIOD, "previous", now=when)
    return deck.slides[0].lines, [(s.title, s.lines, s.figures, s.table, s.chart) for s in deck.slides[1:]]


def test_the_title_slide_says_the_period_is_locked_once_every_month_is(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'deck.db'}")
    init_db(engine)
    fixture_county.load(engine)
    first = dt.datetime(2025, 3, 10, 2, 30, tzinfo=dt.UTC)
    title, _ = _facts(engine, first)
    assert not any("已锁定" in line for line in title)
    month_reports.set_month_lock(engine, SYSTEM, "2025-01", locked=True)
    title, _ = _facts(engine, first)
    assert not any("已锁定" in line for line in title)  # February is still open
    month_reports.set_month_lock(engine, SYSTEM, "2025-02", locked=True)
    title, body = _facts(engine, first)
    assert "本期各月已锁定：数字不再变动，本汇报可复现。" in title
    later_title, later_body = _facts(engine, first + dt.timedelta(days=30))
    assert later_body == body  # every slide after the title: the same numbers and words
    assert [line for line in later_title if "生成于" not in line] == [line for line in title if "生成于" not in line]
    # a correction agreed inside the period reopens one compound-month: the figures may change again
    month_reports.approve(engine, SYSTEM, 1, "2025-02")
    request = month_reports.request_correction(engine, SYSTEM, 1, "2025-02", "补报一次活动")
    month_reports.decide_correction(engine, SYSTEM, request, approve=True)
    title, _ = _facts(engine, first)
    assert not any("已锁定" in line for line in title)
    engine.dispose()
