"""Hostile text that must always appear literally (never as HTML, script, link or formula)."""

from services import ingest
from services.access import SYSTEM

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
LINK = "[点我](javascript:alert(3))"
NAME = f"{IMG}小区"


def plant(engine) -> None:
    """Through the real importer: rename compound 2 (乙小区) and add an activity to compound 1."""
    ingest.import_registry(
        engine,
        principal=SYSTEM,
        files=[
            ingest.table_upload(
                "小区档案",
                [
                    {
                        "小区编码": "511423112002",
                        "小区名称": NAME,
                        "所属镇": "洪川镇",
                        "户数": "100",
                        "包保联系单位": LINK,
                    }
                ],
            )
        ],
    )
    activity = {
        "小区编码": "511423112001",
        "活动日期": "2025-02-20",
        "活动类型": "其他",
        "活动名称": SCRIPT,
        "参与人数": "5",
        "备注": LINK,
    }
    ingest.import_month(
        engine,
        principal=SYSTEM,
        files=[ingest.table_upload("活动台账", [activity])],
        month="2025-02",
        compound_code="511423112001",
        replace=True,
    )
