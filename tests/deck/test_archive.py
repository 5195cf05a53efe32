"""Official decks of a locked month (services.deck.archive): the county's and each town's deck,
as .pptx and .pdf, built once when the month locks and kept as they were; read by the officials
whose scope they cover, never by secretaries.

The fixture county has compounds in two towns (洪川镇: 甲, 乙; 止戈镇: 丙), so a locked month keeps
3 scopes × 2 formats = 6 files."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading

import pytest
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import func, select

from services import month_reports
from services.access import SYSTEM, PermissionDenied, Principal
from services.db import make_engine
from services.deck import archive, build_deck
from services.domain import Period, Scope
from services.i18n import t
from services.models import DeckArchive
from services.schema import init_db
from tests import fixture_county
from tests.deck.test_exports import flat, slide_text

MONTH = "2025-02"
FEBRUARY = Period(MONTH, MONTH)
HONGCHUAN, ZHIGE = fixture_county.HONGCHUAN, fixture_county.ZHIGE
LOCKED_AT = dt.datetime(2025, 4, 5, 1, 0)  # stored UTC: 09:00 in Beijing
LATER = dt.datetime(2025, 9, 1, 6, 0)
COUNTY = Principal(1, "county-1", "county")
TOWN = Principal(2, "town-1", "town", town_code=HONGCHUAN)
SECRETARY = Principal(3, "sec-1", "secretary", town_code=HONGCHUAN, compound_id=1)
SIX = {(town, fmt) for town in (None, ZHIGE, HONGCHUAN) for fmt in ("pptx", "pdf")}
TITLES = {None: "洪雅县支部进小区工作汇报", HONGCHUAN: "洪川镇支部进小区工作汇报", ZHIGE: "止戈镇支部进小区工作汇报"}


def fake_render(deck, fmt: str) -> bytes:
    """Cheap stand-in for the PPTX/PDF writers where only storage is under test."""
    return f"{deck.title}|{deck.period_label}|{fmt}".encode()


def rows(engine) -> list[tuple]:
    a = DeckArchive
    with engine.connect() as conn:
        return conn.execute(
            select(a.id, a.period_start, a.period_end, a.town_code, a.fmt, a.sha256, a.built_at).order_by(a.id)
        ).all()


@pytest.fixture(scope="module")
def locked_county(tmp_path_factory):
    """The fixture county with February locked by hand and its official decks built (real files)."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('archive') / 'archive.db'}")
    init_db(engine)
    fixture_county.load(engine)
    assert month_reports.set_month_lock(engine, SYSTEM, MONTH, locked=True)
    stored = archive.archive_month(engine, MONTH, now=LOCKED_AT)
    yield engine, stored
    engine.dispose()


def test_a_locked_month_keeps_the_county_and_each_town_deck_in_both_formats(locked_county):
    engine, stored = locked_county
    assert {(item.town_code, item.fmt) for item in stored} == SIX
    assert {item.period for item in stored} == {FEBRUARY}
    assert {item.built_at for item in stored} == {LOCKED_AT}
    for item in stored:
        data = archive.content(engine, SYSTEM, item.id)
        assert hashlib.sha256(data).hexdigest() == item.sha256 and len(data) == item.size
        if item.fmt == "pptx":
            first = Presentation(io.BytesIO(data)).slides[0]
            assert first.shapes.title.text == TITLES[item.town_code]
            text = flat(slide_text(first))
        else:
            text = flat(PdfReader(io.BytesIO(data)).pages[0].extract_text())
            assert flat(TITLES[item.town_code]) in text
        assert "2025年2月" in text and flat(t("deck.locked")) in text
        assert "2025-04-0509:00" in text  # built when the month locked, in Beijing time
    assert archive.file_name(engine, stored[-1]) == "洪川镇_202502_汇报_正式版.pdf"
    assert archive.months_to_archive(engine) == []


def numbers(deck) -> tuple:
    """Everything a deck says except the moment it was generated."""
    generated = t("deck.generated", deck.lang, when=deck.generated_at)
    slides = [
        (s.key, s.title, tuple(line for line in s.lines if line != generated), s.figures, s.table, s.chart, s.note)
        for s in deck.slides
    ]
    return deck.narrative, slides


def test_a_locked_month_rebuilt_later_carries_the_same_numbers_as_its_archive(locked_county):
    engine, stored = locked_county
    at_lock = build_deck(engine, SYSTEM, Scope(), FEBRUARY, now=LOCKED_AT)
    later = build_deck(engine, SYSTEM, Scope(), FEBRUARY, now=LATER)
    assert at_lock.generated_at != later.generated_at
    assert numbers(later) == numbers(at_lock)
    assert any(s.figures for s in later.slides) and later.narrative.figures

    kept = next(item for item in stored if item.town_code is None and item.fmt == "pptx")
    slides = Presentation(io.BytesIO(archive.content(engine, COUNTY, kept.id))).slides
    assert len(slides) == len(later.slides)
    for slide, again in zip(slides, later.slides, strict=True):
        text = flat(slide_text(slide))
        for figure in again.figures:
            assert flat(figure.value) in text, (again.key, figure.key, figure.value)
        for row in (again.table.rows if again.table else ())[:3]:
            assert all(flat(cell) in text for cell in row), (again.key, row)


def test_an_archive_present_is_not_rebuilt(locked_county, monkeypatch):
    engine, _ = locked_county
    before = rows(engine)

    def must_not_build(*args, **kwargs):
        raise AssertionError("an archived deck was built again")

    monkeypatch.setattr("services.deck.build_deck", must_not_build)
    assert archive.archive_month(engine, MONTH) == []
    assert rows(engine) == before and len(before) == 6


def test_a_month_that_is_not_locked_has_no_official_deck(locked_county):
    engine, _ = locked_county
    with pytest.raises(archive.MonthNotLocked):
        archive.archive_month(engine, "2025-01", render=fake_render)
    assert archive.archived(engine, COUNTY, Scope(), Period("2025-01", "2025-01")) == []


def by_scope(items) -> set[tuple[str | None, str]]:
    return {(item.town_code, item.fmt) for item in items}


def test_county_and_admin_read_every_archive(locked_county):
    engine, stored = locked_county
    for reader in (COUNTY, SYSTEM):
        for town in (None, HONGCHUAN, ZHIGE):
            found = archive.archived(engine, reader, Scope(town_code=town), Period("2025-01", "2025-03"))
            assert by_scope(found) == {(town, "pptx"), (town, "pdf")}
            assert [item.fmt for item in found] == ["pptx", "pdf"]
        assert all(archive.content(engine, reader, item.id) for item in stored)
    assert archive.archived(engine, COUNTY, Scope(), Period("2025-03", "2025-03")) == []  # months outside


def test_a_town_official_reads_their_town_and_the_county_only(locked_county):
    engine, stored = locked_county
    assert by_scope(archive.archived(engine, TOWN, Scope(), FEBRUARY)) == {(None, "pptx"), (None, "pdf")}
    own = archive.archived(engine, TOWN, Scope(town_code=HONGCHUAN), FEBRUARY)
    assert by_scope(own) == {(HONGCHUAN, "pptx"), (HONGCHUAN, "pdf")}
    with pytest.raises(PermissionDenied):
        archive.archived(engine, TOWN, Scope(town_code=ZHIGE), FEBRUARY)
    for item in stored:
        if item.town_code == ZHIGE:
            with pytest.raises(PermissionDenied):
                archive.content(engine, TOWN, item.id)
        else:
            assert archive.content(engine, TOWN, item.id) == archive.content(engine, SYSTEM, item.id)


def test_a_secretary_reads_no_archive(locked_county):
    engine, stored = locked_county
    assert not archive.can_read(SECRETARY) and archive.can_read(TOWN)
    for scope in (Scope(), Scope(town_code=HONGCHUAN), Scope(compound_id=1)):
        with pytest.raises(PermissionDenied):
            archive.archived(engine, SECRETARY, scope, FEBRUARY)
    for item in stored:
        with pytest.raises(PermissionDenied):
            archive.content(engine, SECRETARY, item.id)


def _counts(engine) -> dict[tuple, int]:
    a = DeckArchive
    stmt = select(a.period_start, a.period_end, a.town_code, a.fmt, func.count()).group_by(
        a.period_start, a.period_end, a.town_code, a.fmt
    )
    with engine.connect() as conn:
        return {(start, end, town, fmt): n for start, end, town, fmt, n in conn.execute(stmt)}


def test_two_builders_at_once_store_each_file_once(engine):
    """The app's background thread and the timer (or two hosts) archiving one month together."""
    fixture_county.load(engine)
    month_reports.set_month_lock(engine, SYSTEM, MONTH, locked=True)
    results: list = []
    start = threading.Barrier(2)

    def build() -> None:
        start.wait()
        results.append(archive.archive_month(engine, MONTH, render=fake_render))

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 2
    assert by_scope(results[0]) | by_scope(results[1]) == SIX
    assert len(results[0]) + len(results[1]) == 6
    assert _counts(engine) == {(MONTH, MONTH, town, fmt): 1 for town, fmt in SIX}
    assert archive.archive_month(engine, MONTH, render=fake_render) == []
    assert archive.months_to_archive(engine) == []
    item = archive.archived(engine, TOWN, Scope(town_code=HONGCHUAN), FEBRUARY)[1]
    assert archive.content(engine, TOWN, item.id) == "洪川镇支部进小区工作汇报|2025年2月|pdf".encode()


def test_nothing_is_kept_for_a_month_unlocked_while_its_decks_were_built(engine):
    fixture_county.load(engine)
    month_reports.set_month_lock(engine, SYSTEM, MONTH, locked=True)
    assert archive.months_to_archive(engine) == [MONTH]

    def unlocking_render(deck, fmt: str) -> bytes:
        month_reports.set_month_lock(engine, SYSTEM, MONTH, locked=False)  # the county unlocks meanwhile
        return fake_render(deck, fmt)

    assert archive.archive_month(engine, MONTH, render=unlocking_render) == []
    assert rows(engine) == [] and archive.months_to_archive(engine) == []
