"""Messages say what to do where the user is: a corrected file added beside the wrong one."""

from services.ingest import preview_month
from services.ledgers import ACTIVITIES
from tests.ingest.helpers import activity, csv_bytes, rows_for


def test_a_corrected_file_beside_the_old_one_says_remove_the_old_file(county):
    wrong = csv_bytes(rows_for(ACTIVITIES, [activity(参与人数="约30")]))
    fixed = csv_bytes(rows_for(ACTIVITIES, [activity(参与人数="30")]))
    files = [("活动台账.csv", wrong), ("活动台账(1).csv", fixed)]
    preview = preview_month(county.engine, principal=county.secretary_a, files=files, month="2025-03")
    twice = [p for p in preview.problems if p.code == "upload.duplicate_ledger"]
    assert len(twice) == 1
    assert "旧文件" in twice[0].hint_zh and "删去" in twice[0].hint_zh


def test_the_template_carries_the_compound_and_uploads_with_its_registry_sheet(county):
    """The secretary's workbook has the compound's own 小区档案 row to check; filled in and uploaded
    whole, the registry sheet is passed over with a notice and the month imports."""
    import io

    from openpyxl import load_workbook

    from services.ingest import import_month, open_items, template_workbook
    from services.ledgers import REGISTRY
    from tests.ingest.helpers import A, activity

    compound_id = county.secretary_a.compound_id
    book = load_workbook(io.BytesIO(template_workbook(prefill=open_items(county.engine, compound_id))))
    sheet = book[REGISTRY.name]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["小区编码"] == A and row["小区名称"]
    activities = book[ACTIVITIES.name]
    columns = [c.value for c in activities[1]]
    filled = activity()
    activities.append([filled.get(h, "") for h in columns])
    out = io.BytesIO()
    book.save(out)
    result = import_month(
        county.engine, principal=county.secretary_a, files=[("台账.xlsx", out.getvalue())], month="2025-03"
    )
    assert result.status == "imported" and result.row_counts == {"activities": 1}
    assert any("只供核对" in n.message_zh for n in result.preview.notices)
