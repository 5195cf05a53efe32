"""Hostile ledger text shows as literal text in every view (and never as markup)."""

import re

from services.db import make_engine
from services.exports import csv_bytes
from tests import hostile
from tests.apptest.conftest import login, new_app, no_exceptions

MARKUP_ELEMENTS = ("markdown", "title", "header", "subheader", "caption", "success", "info", "warning", "error")


def _assert_no_raw_markup(at) -> None:
    """Markdown-rendering elements may carry hostile text only escaped (shown as typed)."""
    for kind in MARKUP_ELEMENTS:
        for element in getattr(at, kind):
            value = str(element.value)
            for raw in (r"(?<!\\)<img src=x", r"(?<!\\)<script>", r"(?<!\\)\]\(javascript:"):
                assert not re.search(raw, value), f"{kind} renders {raw!r} as markup: {value!r}"


def _frames_text(at) -> str:
    return " ".join(df.value.to_csv() for df in at.dataframe)


def test_hostile_names_are_literal_on_every_page(fixture_db):
    hostile.plant(make_engine(fixture_db))
    at = new_app()
    at.query_params.update({"from": "2025-02", "to": "2025-02", "town": "511423112"})
    login(at, "t-county")
    no_exceptions(at)
    assert hostile.NAME in _frames_text(at)  # the town's compound table shows the name as typed
    _assert_no_raw_markup(at)
    for page in ("pages/map.py", "pages/reporting.py", "pages/guide.py"):
        at.switch_page(page).run()
        no_exceptions(at)
        _assert_no_raw_markup(at)


def test_secretary_title_shows_the_hostile_name_escaped(fixture_db):
    from services import accounts
    from services.access import SYSTEM

    engine = make_engine(fixture_db)
    hostile.plant(engine)
    accounts.create_user(
        engine,
        SYSTEM,
        username="t-sec2",
        display_name="s",
        role="secretary",
        compound_code="511423112002",
        password="correct horse battery",
        must_change=False,
    )
    at = login(new_app(), "t-sec2")
    no_exceptions(at)
    title = at.title[0].value
    assert "\\<img src=x onerror=alert\\(1\\)\\>" in title  # escaped: Streamlit shows the characters typed
    _assert_no_raw_markup(at)


def test_exports_neutralise_formulas_and_keep_text():
    import pandas as pd

    frame = pd.DataFrame({"名称": [hostile.IMG, "=1+1", "+86", "-2", "@SUM(A1)", "\tx", "正常"], "数": range(7)})
    text = csv_bytes(frame).decode("utf-8-sig")
    assert text.startswith("名称,数")
    for cell in ("'=1+1", "'+86", "'-2", "'@SUM(A1)", "'\tx", hostile.IMG, "正常"):
        assert cell in text
