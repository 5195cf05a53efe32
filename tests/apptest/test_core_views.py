"""Alerts, governance index and profile pages: displayed figures equal the services' values."""

import io

import openpyxl
import pandas as pd

from services.access import Principal, read
from services.db import make_engine
from services.domain import Period, Scope
from services.exports import xlsx_bytes
from services.themes import alerts
from services.themes.alerts import alert_counts
from tests.apptest.conftest import login, new_app, no_exceptions


def _app(params: dict, user: str = "t-county"):
    app = new_app()
    app.query_params.update(params)
    return login(app, user)


def test_alerts_page_counts_match_services(fixture_db):
    app = _app({"from": "2025-03", "to": "2025-03"})
    app.switch_page("pages/alerts.py").run()
    no_exceptions(app)
    expected = alert_counts(
        read(make_engine(fixture_db), Principal(2, "c", "county"), alerts.alerts, Scope(), Period("2025-03", "2025-03"))
    )
    shown = {m.label: int(m.value) for m in app.metric}
    assert shown["案件超期未办结"] == expected["case_overdue"] == 1  # A-3 (hand-worked in tests/themes)
    assert shown["表决通过未落实"] == expected["vote_not_implemented"] == 2


def test_index_page_shows_the_services_index(fixture_db):
    app = _app({"from": "2025-01", "to": "2025-02"})
    app.switch_page("pages/index.py").run()
    no_exceptions(app)
    compounds = app.dataframe[-1].value.set_index("小区")
    assert compounds.loc["甲小区", "指数"] == 76.1 and compounds.loc["乙小区", "指数"] == 32.1  # by hand
    towns = app.dataframe[-2].value.set_index("镇")
    assert towns.loc["止戈镇", "指数"] == 61.5  # its only compound, 丙


def test_secretary_profile_is_their_own(fixture_db):
    app = _app({"from": "2025-01", "to": "2025-02"}, user="t-secretary")
    app.switch_page("pages/profile.py").run()
    no_exceptions(app)
    assert app.header[0].value == "甲小区"


def test_xlsx_export_keeps_text_as_text():
    frame = pd.DataFrame({"名称": ["=1+1", "依云观邸", "@x"], "户数": [1, 2, 3]})
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame)))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["名称", "户数"]
    assert [sheet.cell(row=r, column=1).value for r in (2, 3, 4)] == ["'=1+1", "依云观邸", "'@x"]
    assert all(sheet.cell(row=r, column=1).data_type == "s" for r in (2, 3, 4))  # stored as strings, not formulas
    assert sheet.cell(row=2, column=2).value == 1


def test_alert_cards_say_they_count_compounds_and_show_the_cases_behind_them(fixture_db):
    """March 2025: one compound (A) with one overdue case (A-3); two compounds with a vote each."""
    app = _app({"from": "2025-03", "to": "2025-03"})
    app.switch_page("pages/alerts.py").run()
    no_exceptions(app)
    cards = {m.label: m for m in app.metric}
    assert "小区数" in cards["案件超期未办结"].help
    notes = [c.value for c in app.caption]
    assert "共 1 件案件" in notes and "共 2 项表决" in notes
