"""Optional boundary outlines: checked, converted to WGS-84, stored for every process, drawn offline."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import select

from services import boundaries, geo
from services.access import SYSTEM, PermissionDenied, Principal
from services.charts import maps as charts
from services.models import AuditEntry

SQUARE = [[103.30, 29.88], [103.40, 29.88], [103.40, 29.95], [103.30, 29.95], [103.30, 29.88]]
HOLE = [[103.33, 29.90], [103.35, 29.90], [103.35, 29.92], [103.33, 29.90]]
OTHER = [[103.10, 29.70], [103.20, 29.70], [103.20, 29.80], [103.10, 29.70]]


def _collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def _feature(geometry_type, coordinates, **properties) -> dict:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": geometry_type, "coordinates": coordinates},
    }


GOOD = _collection(
    _feature("Polygon", [SQUARE, HOLE], 名称="洪川镇", 人口=12345),
    _feature("MultiPolygon", [[OTHER]], name="止戈镇"),
    _feature("Polygon", [OTHER]),
    _feature("LineString", [[103.1, 29.7], [103.2, 29.8]], name="河流"),  # not an area: left out
)


def test_a_feature_collection_becomes_named_outlines_with_nothing_else():
    parsed = boundaries.parse(GOOD, "towns.geojson")
    assert [f["name"] for f in parsed.features] == ["洪川镇", "止戈镇", "边界 3"]
    assert parsed.features[0]["polygons"] == [[SQUARE, HOLE]]  # a Polygon becomes a one-polygon MultiPolygon
    assert parsed.points == len(SQUARE) + len(HOLE) + 2 * len(OTHER)
    assert parsed.bbox() == (103.10, 29.70, 103.40, 29.95)
    doc = parsed.geojson()
    assert doc["features"][0]["properties"] == {"name": "洪川镇"}  # other properties are dropped
    assert {f["geometry"]["type"] for f in doc["features"]} == {"MultiPolygon"}


def test_gcj02_outlines_are_converted_to_wgs84():
    parsed = boundaries.parse(GOOD, "towns.geojson", "GCJ02")
    lon, lat = parsed.features[0]["polygons"][0][0][0]
    expected = geo.to_wgs84(SQUARE[0][0], SQUARE[0][1], "GCJ02")
    assert (lon, lat) == (round(expected[0], 6), round(expected[1], 6))
    assert abs(lon - SQUARE[0][0]) > 0.001  # really moved (a few hundred metres)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe not json", "不是 UTF-8 编码的 GeoJSON"),
        (b'{"features": []}', "缺少 type"),
        (json.dumps({"type": "Point", "coordinates": [103.3, 29.9]}).encode(), "不支持的 GeoJSON 类型"),
        (_collection(_feature("LineString", [[103.1, 29.7], [103.2, 29.8]])), "没有面状要素"),
        (
            _collection(_feature("Polygon", [[[29.88, 103.30], [29.88, 103.40], [29.95, 103.40], [29.88, 103.30]]])),
            "经纬度顺序可能颠倒",
        ),
        (
            _collection(
                _feature("Polygon", [[[500000, 3300000], [501000, 3300000], [501000, 3301000], [500000, 3300000]]])
            ),
            "可能不是经纬度坐标",
        ),
        (_collection(_feature("Polygon", [[[103.3, 29.9], [103.4, 29.9], [103.3, 29.9]]])), "少于 4 个点"),
        (
            _collection(_feature("Polygon", [[[103.3, 29.9], [103.4, "x"], [103.4, 29.95], [103.3, 29.9]]])),
            "无效的坐标点",
        ),
        (b" " * (boundaries.MAX_BYTES + 1), "超过 5 MB"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(data, message):
    with pytest.raises(boundaries.BoundaryError) as refused:
        boundaries.parse(data, "bad.geojson")
    assert message in str(refused.value)


def test_only_administrators_store_outlines_and_the_audit_keeps_a_summary(engine):
    parsed = boundaries.parse(GOOD, "towns.geojson")
    county_official = Principal(user_id=None, username="county", role="county")
    with pytest.raises(PermissionDenied):
        boundaries.save(engine, county_official, parsed)
    assert boundaries.load(engine) is None and boundaries.version(engine) is None
    boundaries.save(engine, SYSTEM, parsed)
    loaded = boundaries.load(engine)
    assert loaded is not None and loaded.features == parsed.features and loaded.sha256 == parsed.sha256
    assert boundaries.version(engine) is not None
    with engine.connect() as conn:
        entry = conn.execute(select(AuditEntry.detail).where(AuditEntry.target == boundaries.KEY)).one()
    assert entry.detail["after"] == {"file": "towns.geojson", "sha256": parsed.sha256, "system": "WGS84", "features": 3}
    assert "103.3" not in json.dumps(entry.detail)  # the coordinates are not copied into the audit log
    with pytest.raises(PermissionDenied):
        boundaries.remove(engine, county_official)
    assert boundaries.remove(engine, SYSTEM) is True
    assert boundaries.load(engine) is None and boundaries.remove(engine, SYSTEM) is False


def test_the_map_draws_outlines_under_the_dots_and_stays_offline():
    compounds = pd.DataFrame(
        [
            {
                "compound_id": 1,
                "code": "C1",
                "name": "甲",
                "town": "洪川镇",
                "lat": 29.9,
                "lon": 103.37,
                "households": 200,
                "closure_rate": 0.5,
            }
        ]
    )
    towns = pd.DataFrame([{"code": "511423100", "name": "洪川镇", "lat": 29.9, "lon": 103.37}])
    doc = boundaries.parse(GOOD, "towns.geojson").geojson()
    deck, _ = charts.compound_map(compounds, towns, "closure_rate", boundaries=doc)
    spec = json.loads(deck.to_json())
    assert [layer["id"] for layer in spec["layers"]] == ["boundaries", "compounds", "towns"]
    outline = spec["layers"][0]
    assert outline["@@type"] == "GeoJsonLayer" and outline["pickable"] is False
    assert len(outline["data"]["features"]) == 3
    assert "http" not in deck.to_json()
    plain, _ = charts.compound_map(compounds, towns, "closure_rate")
    assert "boundaries" not in [layer["id"] for layer in json.loads(plain.to_json())["layers"]]
