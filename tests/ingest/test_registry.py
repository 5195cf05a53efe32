"""小区档案: administrators insert or update compounds; coordinates are stored as WGS-84."""

from __future__ import annotations

import coordTransform
import pytest
from sqlalchemy import select

from services.access import SYSTEM
from services.ingest import ImportRejected, import_registry, preview_registry
from services.ledgers import REGISTRY
from services.models import Compound
from tests.ingest.helpers import NOW, B, C, audit_rows, csv_bytes, registry_rows, rows_for, table_checksums


def _file(*rows):
    return [("小区档案.csv", csv_bytes(rows_for(REGISTRY, list(rows)), "gbk"))]


def _compound(engine, code):
    with engine.connect() as conn:
        return conn.execute(select(Compound.__table__).where(Compound.code == code)).mappings().one()


def test_insert_convert_coordinates_and_update(county):
    engine = county.engine
    bd = registry_rows(小区编码="511423112010", 小区名称="百度小区", 坐标系="BD09", 经度="103.38", 纬度="29.91")
    wgs = registry_rows(小区编码="511423112011", 小区名称="  GPS 小區 ", 坐标系="WGS-84", 所属镇="511423101", 类型="")
    result = import_registry(engine, principal=SYSTEM, files=_file(registry_rows(), bd, wgs), now=NOW)
    assert (len(result.inserts), len(result.updates), result.unchanged) == (3, 0, 0)
    new = _compound(engine, "511423112009")
    lon, lat = coordTransform.gcj02_to_wgs84(103.3721, 29.9043)
    assert (new["lon"], new["lat"]) == (round(lon, 6), round(lat, 6))
    assert (new["property_company"], new["households"], new["town_code"]) == (None, 150, "511423112")
    lon, lat = coordTransform.bd09_to_wgs84(103.38, 29.91)
    assert (_compound(engine, "511423112010")["lon"], _compound(engine, "511423112010")["lat"]) == (
        round(lon, 6),
        round(lat, 6),
    )
    gps = _compound(engine, "511423112011")
    assert (gps["name"], gps["lon"], gps["compound_type"], gps["town_code"]) == (
        "GPS 小區",
        103.3721,
        "住宅",
        "511423101",
    )
    again = import_registry(engine, principal=SYSTEM, files=_file(registry_rows(), bd, wgs), now=NOW)
    assert (len(again.inserts), len(again.updates), again.unchanged) == (0, 0, 3)
    # an update names only some columns: the others are left alone
    partial = [["小区编码", "小区名称", "所属镇", "户数"], ["511423112009", "新苑小区", "洪川镇", "160"]]
    import_registry(engine, principal=SYSTEM, files=[("更新.csv", csv_bytes(partial))], now=NOW)
    updated = _compound(engine, "511423112009")
    assert (updated["households"], updated["lon"]) == (160, new["lon"])
    assert [r.action for r in audit_rows(engine)] == ["import.registry"] * 3


@pytest.mark.parametrize(
    ("row", "column", "code"),
    [
        (registry_rows(坐标系=""), "坐标系", "rule.coords_system"),
        (registry_rows(纬度=""), "纬度", "rule.coords_pair"),
        (registry_rows(所属镇="不存在镇"), "所属镇", "registry.town"),
        (registry_rows(小区编码=C.lstrip("0")), "小区编码", "registry.lost_zero"),
        (registry_rows(经度="200"), "经度", "value.range"),
        (registry_rows(党支部成立日期="2030-01-01"), "党支部成立日期", "date.future"),
    ],
)
def test_bad_registry_rows_are_rejected_and_write_nothing(shared_county, row, column, code):
    engine = shared_county.engine
    before = table_checksums(engine)
    with pytest.raises(ImportRejected) as rejected:
        import_registry(engine, principal=SYSTEM, files=_file(row), now=NOW)
    assert [(p.row, p.column, p.code) for p in rejected.value.problems] == [(2, column, code)]
    assert table_checksums(engine) == before


def test_only_administrators_and_the_preview_writes_nothing(county):
    before = table_checksums(county.engine, skip=())
    preview = preview_registry(
        county.engine, principal=SYSTEM, files=_file(registry_rows(小区编码=B, 户数="120")), now=NOW
    )
    assert (len(preview.updates), preview.updates[0][1]["households"]) == (1, 120)
    assert table_checksums(county.engine, skip=()) == before
    denied = preview_registry(county.engine, principal=county.county, files=_file(registry_rows()), now=NOW)
    assert [p.code for p in denied.problems] == ["auth.registry"]


def test_registry_update_is_audited_with_before_and_after(engine):
    """Changing a compound through the registry ledger leaves who/what/before/after in the audit log."""
    from sqlalchemy import select

    from services.access import SYSTEM
    from services.ingest import import_registry, table_upload
    from services.models import AuditEntry
    from tests import fixture_county

    fixture_county.load(engine)
    row = {"小区编码": "511423112002", "小区名称": "乙小区", "所属镇": "洪川镇", "户数": "120"}
    import_registry(engine, principal=SYSTEM, files=[table_upload("小区档案", [row])])
    with engine.connect() as conn:
        detail = conn.execute(
            select(AuditEntry.detail).where(AuditEntry.action == "import.registry").order_by(AuditEntry.id.desc())
        ).scalar()
    change = next(c for c in detail["changes"] if c["code"] == "511423112002")
    assert change["before"]["households"] == 100 and change["after"]["households"] == 120
