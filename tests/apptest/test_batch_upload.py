"""批量导入 on 数据上报: the administrator uploads one workbook of two compounds, sees what the
service's preview says per compound-month, confirms, and each lands; town officials reach the page
only when the setting allows it and are held to their town; the secretary's page has no batch."""

from __future__ import annotations

import pytest

from services.access import SYSTEM, Principal, pages_for
from services.db import make_engine
from tests.apptest.conftest import login, new_app, no_exceptions
from tests.ingest import helpers
from tests.ingest.helpers import activity, activity2, case2, rows_for, xlsx_bytes

A, B, C = "511423112001", "511423112002", "511423101001"  # the fixture county's codes
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(*extra: dict) -> bytes:
    """March 2025: 甲 two activities (15 + 40 people), 乙 one activity (20 people) and one dispute."""
    activities = [activity(小区编码=A), activity2(小区编码=A), activity(小区编码=B, 参与人数="20"), *extra]
    return xlsx_bytes(
        {
            helpers.ACTIVITIES.name: rows_for(helpers.ACTIVITIES, activities),
            helpers.CASES.name: rows_for(helpers.CASES, [case2(小区编码=B)]),
        }
    )


def _open(username: str):
    app = login(new_app(), username)
    app.switch_page("pages/upload.py").run()
    no_exceptions(app)
    return app


def _upload(app, data: bytes):
    next(u for u in app.file_uploader if u.label == "多小区台账文件（CSV 或 Excel）").set_value(
        ("三月汇总.xlsx", data, XLSX)
    ).run()
    no_exceptions(app)
    return app


def _current(url: str) -> dict[tuple[str, str], dict]:
    from sqlalchemy import select

    from services.models import Compound, Submission

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(Compound.code, Submission.month, Submission.row_counts)
            .join(Compound, Compound.id == Submission.compound_id)
            .where(Submission.status == "current", Submission.month == "2025-03")
        ).all()
    engine.dispose()
    return {(code, month): counts for code, month, counts in rows}


def test_the_admin_batch_shows_the_services_preview_and_lands_per_compound(fixture_db):
    from services import ingest

    engine = make_engine(fixture_db)
    expected = ingest.preview_batch(engine, principal=SYSTEM, files=[("三月汇总.xlsx", workbook())])
    engine.dispose()
    assert expected.ok
    app = _upload(_open("t-admin"), workbook())
    shown = next(d.value for d in app.dataframe if "月份" in d.value.columns and "台账（行数）" in d.value.columns)
    assert list(shown["小区"]) == [f"{p.compound.code} {p.compound.name}" for p in expected.months]
    assert list(shown["小区"]) == [f"{A} 甲小区", f"{B} 乙小区"]
    assert list(shown["台账（行数）"]) == ["活动台账 2 行", "活动台账 1 行、诉求纠纷台账 1 行"]
    assert any("2 个小区、2 个小区月份" in s.value for s in app.success)
    assert _current(fixture_db) == {}  # checking writes nothing
    next(b for b in app.button if b.label == "确认批量导入").click().run()
    no_exceptions(app)
    assert _current(fixture_db) == {
        (A, "2025-03"): {"activities": 2},
        (B, "2025-03"): {"activities": 1, "case_records": 1},
    }
    [done] = [s.value for s in app.success]  # the landed file is no longer offered: no second preview
    lines = done.split("  \n")
    assert lines[0] == "批量导入完成：2 个小区、2 个小区月份。"
    assert lines[2].startswith("已导入 511423112002 乙小区 2025\\-03（第1版）：活动台账 1 行")


def test_a_bad_row_in_the_batch_lists_the_problem_and_offers_no_import(fixture_db):
    app = _upload(_open("t-admin"), workbook(activity(小区编码="511423112099")))
    assert any("1 个问题" in e.value for e in app.error)
    shown = [m.value for m in app.markdown]
    assert "**三月汇总\\.xlsx「活动台账」 · 第 5 行 · 小区编码**" in shown
    assert any("小区编码在小区档案中不存在" in m for m in shown)
    assert not [b for b in app.button if b.label == "确认批量导入"]


def test_town_officials_reach_the_batch_only_when_the_setting_allows_it(fixture_db):
    from services import settings_store

    town = Principal(1, "x", "town", "511423112")
    assert "upload" not in {p.id for p in pages_for(town)}
    assert "upload" in {p.id for p in pages_for(town, frozenset({"batch_import_for_towns"}))}
    engine = make_engine(fixture_db)
    admin = Principal(None, "admin", "admin")
    settings_store.set_value(engine, admin, "batch_import_for_towns", True)
    engine.dispose()
    app = _upload(_open("t-town"), workbook(activity(小区编码=C)))
    assert [s.label for s in app.selectbox if s.label == "小区"] == []  # only the batch section
    shown = [m.value for m in app.markdown]
    assert "**三月汇总\\.xlsx「活动台账」 · 第 5 行 · 小区编码**" in shown
    assert any("丙小区 不在您的导入范围内" in m for m in shown)
    assert not [b for b in app.button if b.label == "确认批量导入"]


@pytest.mark.parametrize("username", ["t-secretary"])
def test_the_secretary_page_has_no_batch_section(fixture_db, username):
    app = _open(username)
    assert not [u for u in app.file_uploader if u.label == "多小区台账文件（CSV 或 Excel）"]
    assert not [h for h in app.subheader if h.value == "批量导入"]


def test_the_admin_switches_batch_import_on_for_towns_on_the_settings_page(fixture_db):
    from services import settings_store

    at = login(new_app(), "t-admin")
    at.switch_page("pages/admin_settings.py").run()
    box = next(c for c in at.checkbox if c.label == "允许镇级账号批量导入本镇小区的台账")
    assert box.value is False
    box.check()
    at.button[[b.label for b in at.button].index("保存设置") + 1].click().run()  # the switches' own form
    no_exceptions(at)
    engine = make_engine(fixture_db)
    assert settings_store.batch_import_for_towns(engine) is True
    assert settings_store.switches_on(engine) == {"batch_import_for_towns"}
    engine.dispose()
