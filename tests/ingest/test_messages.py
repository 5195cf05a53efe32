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
