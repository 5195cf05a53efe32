"""`python -m services deck --archive` (the daily timer): locks the months that are due, then keeps
the official decks of every locked month that has none; a second run does nothing.

The fixture county reported in 2025-01 and 2025-02. January was unlocked by hand, which the
automatic lock respects, so of the months with reports only February locks and is archived
(3 scopes × 2 formats). The writers are replaced by a cheap stand-in: test_archive.py checks the
real files."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services import month_reports, settings_store
from services.__main__ import main
from services.access import SYSTEM
from services.db import DatabaseBusy, make_engine
from services.deck import archive
from services.domain import Period
from services.models import DeckArchive
from services.schema import init_db
from tests import fixture_county
from tests.deck.test_archive import SIX, fake_render


@pytest.fixture
def timer_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'timer.db'}"
    engine = make_engine(url)
    init_db(engine)
    fixture_county.load(engine)
    month_reports.set_month_lock(engine, SYSTEM, "2025-01", locked=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr("services.deck.render", fake_render)
    yield engine
    engine.dispose()


def stored(engine) -> list[tuple]:
    a = DeckArchive
    with engine.connect() as conn:
        return conn.execute(select(a.id, a.period_start, a.town_code, a.fmt, a.sha256).order_by(a.id)).all()


def test_locks_the_due_months_and_archives_them_then_does_nothing(timer_db, monkeypatch, capsys):
    settings_store.set_value(timer_db, SYSTEM, "report_lock_after_days", 20)
    asked = []
    lock_due = month_reports.lock_due
    monkeypatch.setattr(month_reports, "lock_due", lambda engine, **kw: asked.append(kw) or lock_due(engine, **kw))

    assert main(["deck", "--archive"]) == 0
    out = capsys.readouterr().out
    assert asked == [{"deadline_day": settings_store.deadline_day(timer_db), "lock_after_days": 20}]
    with timer_db.connect() as conn:
        locked = month_reports.locked_months(conn, Period("2025-01", "2025-03"))
    assert locked == {"2025-02", "2025-03"}  # January was unlocked by hand
    assert "已锁定到期月份：2025-02、2025-03" in out
    assert "2025-02：已存档 6 份正式版本（全县、2 个镇" in out
    first = stored(timer_db)
    assert {(month, town, fmt) for _, month, town, fmt, _ in first} == {("2025-02", *key) for key in SIX}

    assert main(["deck", "--archive"]) == 0
    again = capsys.readouterr().out
    assert "没有到期需要锁定的月份" in again and "都已有正式版本" in again
    assert "已存档" not in again
    assert stored(timer_db) == first


def test_a_month_locked_by_hand_whose_background_build_failed_is_caught_up(timer_db, capsys):
    month_reports.set_month_lock(timer_db, SYSTEM, "2025-01", locked=True)
    assert main(["deck", "--archive"]) == 0
    out = capsys.readouterr().out
    assert out.index("2025-02：已存档 6 份") < out.index("2025-01：已存档 6 份")  # newest first
    assert archive.months_to_archive(timer_db) == []


def test_a_month_not_archived_exits_1_and_is_left_for_the_next_run(timer_db, monkeypatch, capsys):
    def busy(engine, month, **kwargs):
        raise DatabaseBusy()

    monkeypatch.setattr(archive, "archive_month", busy)
    assert main(["deck", "--archive"]) == 1
    err = capsys.readouterr().err
    assert "2025-02 的正式版本未能生成" in err and "下次运行会重试" in err
    assert stored(timer_db) == [] and archive.months_to_archive(timer_db) == ["2025-02"]


@pytest.mark.parametrize(
    "args",
    [
        ["--archive", "--from", "2025-01"],
        ["--archive", "--out", "deck.pdf"],
        ["--archive", "--town", "洪川镇"],
        ["--archive", "--lang", "en"],
        ["--from", "2025-01", "--to", "2025-02"],  # no --out and no --archive
    ],
)
def test_usage_errors_exit_2(timer_db, args):
    with pytest.raises(SystemExit) as exited:
        main(["deck", *args])
    assert exited.value.code == 2
    assert stored(timer_db) == []
    with timer_db.connect() as conn:
        assert not month_reports.locked_months(conn, Period("2025-01", "2025-12"))
