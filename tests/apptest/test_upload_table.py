"""The in-page table on 数据上报 edits what is filed: it starts from the month's rows, checking it
touches only its own ledger, and typed rows survive switching to another ledger and back."""

import pandas as pd
import pytest

from tests.apptest.conftest import login, new_app

A = "511423112001"  # 甲小区, the test secretary's compound
MONTH = "2025-03"


@pytest.fixture
def filed_march(fixture_db):
    """March 2025 of 甲 as the importer's hand-made March (2 activities, 2 cases, 1 of each other)."""
    from services import ingest
    from services.access import SYSTEM
    from services.db import make_engine
    from tests.ingest import helpers

    files = [
        (f"{name}.csv", helpers.csv_bytes([[A if cell == helpers.A else cell for cell in row] for row in table]))
        for name, table in helpers.march_tables().items()
    ]
    engine = make_engine(fixture_db)
    ingest.import_month(engine, principal=SYSTEM, files=files, month=MONTH, now=helpers.NOW)
    engine.dispose()
    return fixture_db


def _open_table(ledger: str = "活动台账"):
    app = login(new_app(), "t-secretary")
    app.switch_page("pages/upload.py").run()
    next(s for s in app.selectbox if s.label == "上报月份").set_value(MONTH).run()
    next(s for s in app.selectbox if s.label == "台账").set_value(ledger).run()
    return app


def _editor(app) -> pd.DataFrame:
    editors = [d for d in app.dataframe if d.proto.editing_mode]
    assert len(editors) == 1
    return editors[0].value


def test_the_table_starts_from_the_rows_filed_this_month(filed_march):
    app = _open_table()
    assert not app.exception
    assert list(_editor(app)["活动名称"]) == ["三八节走访慰问", "春季大扫除"]
    assert any("本月已上报的 2 行" in c.value for c in app.caption)
    app = _open_table("诉求纠纷台账")
    assert list(_editor(app)["案件编号"]) == ["C-3", "C-4"]


def test_checking_the_table_touches_no_other_ledger(filed_march):
    app = _open_table()
    next(t for t in app.toggle if t.label == "检查并预览").set_value(True).run()
    assert not app.exception
    preview = next(d.value for d in app.dataframe if "台账" in d.value.columns)
    assert list(preview["台账"]) == ["活动台账"] and list(preview["删去"]) == [0]
    kept = " ".join(c.value for c in app.caption)
    assert "不受影响的台账" in kept and "诉求纠纷台账 2 行" in kept
    assert any("相同的文件已于" in i.value for i in app.info)  # nothing changed: nothing to import
    assert not [b for b in app.button if b.label == "确认导入"]


def test_typed_rows_survive_switching_ledger_and_back(filed_march):
    app = _open_table()
    typed = _editor(app)
    typed = pd.concat([typed, typed.iloc[[0]].assign(活动名称="新增的一行")], ignore_index=True)
    key = next(k for k in app.session_state["_ledger_drafts"]["last"])
    drafts = app.session_state["_ledger_drafts"]
    drafts["last"][key] = typed  # what the grid held when the user left it
    app.session_state["_ledger_drafts"] = drafts
    next(s for s in app.selectbox if s.label == "台账").set_value("诉求纠纷台账").run()
    next(s for s in app.selectbox if s.label == "台账").set_value("活动台账").run()
    assert list(_editor(app)["活动名称"]) == ["三八节走访慰问", "春季大扫除", "新增的一行"]
    next(b for b in app.button if b.label == "放弃本台账未导入的修改").click().run()
    assert list(_editor(app)["活动名称"]) == ["三八节走访慰问", "春季大扫除"]


def test_the_upload_page_shows_the_compound_code(filed_march):
    app = _open_table()
    assert any(f"小区编码：{A}" in c.value for c in app.caption)
