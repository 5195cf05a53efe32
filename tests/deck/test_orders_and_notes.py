"""The 督办落实 slide and the notes (批注) on the deck: the figures are supervision.figures'
(tests.fixture_orders works them out by hand), the summary gets one sentence, notes ride on the slide
of their view, and hostile note text stays literal text in the .pptx and the PDF."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import insert, select

from services import formatting, notes, supervision
from services.access import SYSTEM, Principal
from services.db import make_engine, write_transaction
from services.deck import build_deck, render
from services.domain import Period, Scope
from services.models import User
from services.schema import init_db
from tests import fixture_county as fx
from tests import fixture_orders as fo
from tests.conftest import require_or_skip
from tests.deck.test_exports import flat, slide_text
from tests.hostile import IMG, LINK, SCRIPT
from tests.scoped import scoped

PERIOD = Period("2025-01", "2025-02")
FORMULA = '=HYPERLINK("http://x.invalid","点我")'
HOSTILE_CASES = f"{IMG} {FORMULA}"
HOSTILE_ORDERS = f"{SCRIPT} +cmd|' /C calc'!A0 {LINK}"
LONG = "丙小区化粪池维修拖延，" * 20 + "结尾在此"
COUNTY = Scope()


def county_with_orders(engine) -> Principal:
    """The fixture county, its orders and a county official who writes notes."""
    fx.load(engine)
    fo.load(engine)
    with write_transaction(engine) as conn:
        conn.execute(insert(User).values(username="wang", display_name="王科长", role="county"))
        user_id = conn.execute(select(User.id).where(User.username == "wang")).scalar_one()
    return Principal(user_id, "wang", "county")


def write(engine, who: Principal, view_id: str, body: str, *, day: int, scope=COUNTY, period=PERIOD) -> None:
    now = fo.at(3, day)
    notes.write_note(engine, who, view_id=view_id, scope=scope, period=period, body=body, now=now)


def plant_notes(engine, wang: Principal) -> None:
    write(engine, wang, "cases", HOSTILE_CASES, day=5)
    write(engine, wang, "orders", "止戈镇逾期需约谈", day=6)
    write(engine, wang, "orders", HOSTILE_ORDERS, day=7)
    write(engine, wang, "orders", LONG, day=8)
    write(engine, wang, "orders", "最新一条：月底前复查", day=9)
    write(engine, wang, "cases", "洪川镇的批注不上县级汇报", day=5, scope=Scope(town_code=fx.HONGCHUAN))
    write(engine, wang, "cases", "去年的批注", day=5, period=Period("2024-06", "2024-06"))


def deck_of(engine, scope=COUNTY, period=PERIOD, lang="zh"):
    return build_deck(engine, SYSTEM, scope, period, "previous", lang=lang, now=fo.NOW)


def slide(deck, key: str):
    [found] = [s for s in deck.slides if s.key == key]
    return found


def test_the_orders_slide_shows_the_services_figures_by_town(engine):
    county_with_orders(engine)
    deck = deck_of(engine)
    keys = [s.key for s in deck.slides]
    assert keys.index("orders") == keys.index("alerts") + 1 and keys[-1] == "appendix"
    orders = slide(deck, "orders")
    assert orders.title == "督办落实"
    shown = {f.key: f.value for f in orders.figures}
    figures = supervision.figures(engine, scoped(), sign_days=2, period=PERIOD, today=fo.TODAY)
    assert shown == {
        "orders_issued": str(figures["issued"]),
        "orders_closed": str(figures["closed"]),
        "orders_closed_on_time_rate": formatting.percent(figures["closed_on_time_rate"]),
        "orders_overdue_rate": formatting.percent(figures["overdue_rate"]),
        "orders_sign_on_time_rate": formatting.percent(figures["sign_on_time_rate"]),
        "orders_reminders": str(figures["reminders"]),
    }
    # by hand (tests.fixture_orders)
    assert list(shown.values()) == ["3", "2", "33.3%", "33.3%", "66.7%", "2"]
    assert [f.note for f in orders.figures][2:5] == ["按期 1 / 到期 3", "逾期 1 件", "及时签收 2 / 3"]
    assert orders.table.columns[0] == "镇"
    assert orders.table.rows == (
        ("止戈镇", "1", "0", "0.0%", "1", "0.0%", "2"),
        ("洪川镇", "2", "2", "50.0%", "0", "100.0%", "0"),
    )
    assert "截至 2025-03-10" in orders.note and "2 日内签收" in orders.note
    sentence = "本期下发督办单3件，按期办结率33.3%，逾期1件。"
    assert sentence in deck.narrative.sentences
    recorded = {f.key: f.value for f in deck.narrative.figures}
    assert recorded["orders_issued"] == 3 and recorded["orders_overdue"] == figures["overdue"]
    assert recorded["orders_closed_on_time_rate"] == pytest.approx(figures["closed_on_time_rate"])


def test_a_town_deck_breaks_down_by_compound_and_a_compound_deck_by_source(engine):
    county_with_orders(engine)
    town = slide(deck_of(engine, Scope(town_code=fx.HONGCHUAN)), "orders")
    assert town.table.columns[0] == "小区"
    assert town.table.rows == (("甲小区", "2", "2", "50.0%", "0", "100.0%", "0"),)  # 乙 has no order
    assert [f.value for f in town.figures] == ["2", "2", "50.0%", "0.0%", "100.0%", "0"]
    one = slide(deck_of(engine, Scope(compound_id=3)), "orders")
    assert one.table.columns[0] == "来源" and one.table.rows == (("直接交办", "1", "0", "0.0%", "1", "0.0%", "2"),)


def test_no_orders_no_slide_and_no_sentence(engine):
    county_with_orders(engine)
    for deck in (deck_of(engine, Scope(compound_id=2)), deck_of(engine, period=Period("2024-12", "2024-12"))):
        assert "orders" not in [s.key for s in deck.slides]
        assert "督办" not in deck.narrative.text
        assert not [f for f in deck.narrative.figures if f.key.startswith("orders_")]


def test_orders_not_yet_due_are_said_so(engine):
    county_with_orders(engine)
    february = deck_of(engine, period=Period("2025-02", "2025-02"))
    assert "本月下发督办单2件，按期办结率0.0%，逾期1件。" in february.narrative.sentences
    early = build_deck(engine, SYSTEM, Scope(compound_id=3), Period("2025-02", "2025-02"), now=fo.at(2, 6))
    assert "本月下发督办单1件，均未到办理期限。" in early.narrative.sentences


def test_the_english_deck_has_the_slide_and_the_sentence(engine):
    county_with_orders(engine)
    deck = deck_of(engine, lang="en")
    orders = slide(deck, "orders")
    assert orders.title == "Supervision orders" and orders.table.columns[0] == "Town"
    assert [f.label for f in orders.figures][:3] == ["Orders issued", "Closed", "Closed on time"]
    assert (
        "In this period, 3 supervision orders were issued: 33.3% of those due were closed on time and 1 are overdue."
        in deck.narrative.text
    )


def test_notes_ride_on_the_slide_of_their_view_newest_first(engine):
    wang = county_with_orders(engine)
    plant_notes(engine, wang)
    deck = deck_of(engine)
    carried = {s.key: s.view_notes for s in deck.slides if s.view_notes}
    assert set(carried) == {"cases", "orders"}  # the town's note and last year's stay off the county deck
    [case_note] = carried["cases"]
    assert (case_note.author, case_note.written, case_note.body) == ("王科长", "2025-03-05", HOSTILE_CASES)
    bodies = [n.body for n in carried["orders"]]
    assert bodies == ["最新一条：月底前复查", LONG, HOSTILE_ORDERS, "止戈镇逾期需约谈"]
    town = deck_of(engine, Scope(town_code=fx.HONGCHUAN))
    assert [n.body for n in slide(town, "cases").view_notes] == ["洪川镇的批注不上县级汇报"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The county deck with orders and notes, as .pptx and PDF (SQLite; built once)."""
    folder = tmp_path_factory.mktemp("orders-deck")
    engine = make_engine(f"sqlite:///{folder / 'deck.db'}")
    init_db(engine)
    plant_notes(engine, county_with_orders(engine))
    deck = deck_of(engine)
    pptx = Presentation(io.BytesIO(render(deck, "pptx")))
    pdf = folder / "deck.pdf"
    pdf.write_bytes(render(deck, "pdf"))
    yield deck, pptx, pdf
    engine.dispose()


def page_text(pdf, index: int) -> str:
    """One page's text as poppler reads it, without white space (pypdf misreads some CJK glyphs of
    fpdf2's subset fonts, which would hide exactly what these tests look for)."""
    require_or_skip(None if shutil.which("pdftotext") else "pdftotext (poppler-utils) is not installed")
    page = str(index + 1)
    out = subprocess.run(["pdftotext", "-f", page, "-l", page, str(pdf), "-"], capture_output=True, check=True)
    return flat(out.stdout.decode("utf-8"))


def index_of(deck, key: str) -> int:
    return [s.key for s in deck.slides].index(key)


def test_the_pptx_orders_slide_shows_its_figures_and_table(rendered):
    deck, pptx, _ = rendered
    planned = slide(deck, "orders")
    text = slide_text(pptx.slides[index_of(deck, "orders")])
    assert pptx.slides[index_of(deck, "orders")].shapes.title.text == "督办落实"
    for figure in planned.figures:
        assert figure.label in text and figure.value in text, figure.label
    for row in planned.table.rows:
        assert all(cell in text for cell in row)
    assert "33.3%" in text and "止戈镇" in text


def test_the_pdf_orders_page_shows_its_figures_and_table(rendered):
    deck, _, pdf = rendered
    planned = slide(deck, "orders")
    page = page_text(pdf, index_of(deck, "orders"))
    assert flat("督办落实") in page
    for figure in planned.figures:
        assert flat(figure.label) in page and figure.value in page, figure.label
    for row in planned.table.rows:
        assert all(flat(cell) in page for cell in row)
    assert flat("本期下发督办单3件，按期办结率33.3%，逾期1件。") in page_text(pdf, 1)


def test_hostile_notes_are_plain_text_on_the_slide_and_in_the_speaker_notes(rendered):
    deck, pptx, _ = rendered
    cases = pptx.slides[index_of(deck, "cases")]
    assert f"批注 · 王科长（2025-03-05）：{HOSTILE_CASES}" in slide_text(cases)
    assert cases.notes_slide.notes_text_frame.text == f"王科长（2025-03-05）：{HOSTILE_CASES}"
    orders = pptx.slides[index_of(deck, "orders")]
    band = slide_text(orders)
    assert HOSTILE_ORDERS in band and "另有 1 条较早的批注" in band
    assert LONG not in band and LONG[:20] in band  # shortened on the slide …
    speaker = orders.notes_slide.notes_text_frame.text.split("\n")
    assert speaker[1] == f"王科长（2025-03-08）：{LONG}"  # … whole in the speaker notes
    assert speaker[3] == "王科长（2025-03-06）：止戈镇逾期需约谈"
    for one in (cases, orders):  # nothing became a link, a field or a picture
        xml = one.shapes._spTree.xml
        assert "hlinkClick" not in xml and "a:fld" not in xml
    untouched = [s for s in pptx.slides if not s.has_notes_slide or not s.notes_slide.notes_text_frame.text]
    assert len(untouched) == len(pptx.slides) - 2


def test_hostile_notes_are_plain_text_in_the_pdf(rendered):
    deck, _, pdf = rendered
    cases = page_text(pdf, index_of(deck, "cases"))
    assert flat(f"批注 · 王科长（2025-03-05）：{HOSTILE_CASES}") in cases
    orders = page_text(pdf, index_of(deck, "orders"))
    assert flat(HOSTILE_ORDERS) in orders and flat("最新一条：月底前复查") in orders
    assert flat("另有 1 条较早的批注") in orders and flat(LONG) not in orders and flat(LONG[:20]) in orders
    assert "王科长" not in page_text(pdf, index_of(deck, "votes"))
    for page in PdfReader(pdf).pages:
        assert "/Annots" not in page  # no link was made of a note
