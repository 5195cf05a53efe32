"""Optional boundary outlines (towns, communities) for the map, loaded by an administrator.

None is shipped: official boundary data has its own licence and accuracy rules, so a county
loads the file it is allowed to use. The file is GeoJSON (a FeatureCollection of Polygon or
MultiPolygon features, or one such Feature/geometry) in WGS-84, GCJ-02 or BD-09; it is
checked, converted to WGS-84 and reduced to what the map draws — the rings and one name per
feature — then stored in the database (settings table) so every app process sees it. Names
are shown as plain text. Nothing is fetched from the network.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select

from services import audit
from services.access import PermissionDenied, Principal
from services.db import write_transaction
from services.geo import SYSTEMS, to_wgs84
from services.models import Setting, table_of, utcnow

KEY = "map_boundaries"
MAX_BYTES = 5 * 1024 * 1024
MAX_FEATURES = 2_000
MAX_POINTS = 200_000
NAME_KEYS = ("name", "NAME", "名称", "name_zh", "NAME_ZH", "town", "乡镇", "社区")
# mainland China, generously: outlines far outside are a wrong coordinate order or system
LON_RANGE, LAT_RANGE = (73.0, 136.0), (3.0, 54.0)


class BoundaryError(ValueError):
    """A file that cannot be used, with a Chinese message saying what to do."""


@dataclass(frozen=True)
class Boundaries:
    features: list[dict]  # {"name": str, "polygons": [[[lon, lat], …] rings …] per polygon …}
    source_name: str
    sha256: str
    system: str

    @property
    def points(self) -> int:
        return sum(len(ring) for f in self.features for polygon in f["polygons"] for ring in polygon)

    def bbox(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat) of all outlines."""
        lons = [p[0] for f in self.features for polygon in f["polygons"] for ring in polygon for p in ring]
        lats = [p[1] for f in self.features for polygon in f["polygons"] for ring in polygon for p in ring]
        return min(lons), min(lats), max(lons), max(lats)

    def geojson(self) -> dict:
        """A FeatureCollection for pydeck's GeoJsonLayer (properties: only the name)."""
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": f["name"]},
                    "geometry": {"type": "MultiPolygon", "coordinates": f["polygons"]},
                }
                for f in self.features
            ],
        }


def parse(data: bytes, source_name: str, system: str = "WGS84") -> Boundaries:
    """Check a GeoJSON file and reduce it to named outlines in WGS-84; raises BoundaryError."""
    if system not in SYSTEMS:
        raise BoundaryError(f"坐标系应为 {'、'.join(SYSTEMS)} 之一。")
    if len(data) > MAX_BYTES:
        limit = MAX_BYTES // (1024 * 1024)
        raise BoundaryError(f"文件 {source_name} 超过 {limit} MB，请先简化边界（如用 mapshaper）。")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError(f"文件 {source_name} 不是 UTF-8 编码的 GeoJSON（{type(exc).__name__}）。") from None
    features = _features(doc, source_name)
    if not features:
        raise BoundaryError(f"文件 {source_name} 中没有面状要素（Polygon / MultiPolygon）。")
    if len(features) > MAX_FEATURES:
        raise BoundaryError(f"要素太多（{len(features)} 个，上限 {MAX_FEATURES}）。")
    out, points = [], 0
    for number, feature in enumerate(features, start=1):
        polygons = _polygons(feature["geometry"], number, system)  # _features kept only areas
        points += sum(len(ring) for polygon in polygons for ring in polygon)
        if points > MAX_POINTS:
            raise BoundaryError(f"边界点数超过 {MAX_POINTS:,}，请先简化边界（如用 mapshaper）。")
        out.append({"name": _name(feature.get("properties"), number), "polygons": polygons})
    return Boundaries(out, source_name, hashlib.sha256(data).hexdigest(), system)


def _features(doc: object, source_name: str) -> list[dict]:
    if not isinstance(doc, dict) or "type" not in doc:
        raise BoundaryError(f"文件 {source_name} 不是 GeoJSON：缺少 type。")
    kind = doc["type"]
    if kind == "FeatureCollection":
        items = doc.get("features")
        if not isinstance(items, list):
            raise BoundaryError("FeatureCollection 缺少 features 列表。")
        return [f for f in items if isinstance(f, dict) and _is_area(f.get("geometry"))]
    if kind == "Feature":
        return [doc] if _is_area(doc.get("geometry")) else []
    if kind in ("Polygon", "MultiPolygon"):
        return [{"type": "Feature", "properties": {}, "geometry": doc}]
    raise BoundaryError(f"不支持的 GeoJSON 类型 {kind!s:.40}：请提供面状边界（Polygon / MultiPolygon）。")


def _is_area(geometry: object) -> bool:
    return isinstance(geometry, dict) and geometry.get("type") in ("Polygon", "MultiPolygon")


def _polygons(geometry: dict, number: int, system: str) -> list[list[list[list[float]]]]:
    coords = geometry.get("coordinates")
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        raise BoundaryError(f"第 {number} 个要素没有坐标。")
    out = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise BoundaryError(f"第 {number} 个要素的坐标格式不对（应为 [[[经度, 纬度], …]]）。")
        out.append([_ring(ring, number, system) for ring in polygon])
    return out


def _ring(ring: object, number: int, system: str) -> list[list[float]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise BoundaryError(f"第 {number} 个要素有一个环少于 4 个点（首尾应相同）。")
    out = []
    for point in ring:
        if (
            not isinstance(point, list | tuple)
            or len(point) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in point[:2])
        ):
            raise BoundaryError(f"第 {number} 个要素有无效的坐标点。")
        lon, lat = float(point[0]), float(point[1])
        if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
            swapped = LON_RANGE[0] <= lat <= LON_RANGE[1]
            hint = "经纬度顺序可能颠倒（GeoJSON 为 [经度, 纬度]）" if swapped else "可能不是经纬度坐标（投影请先转换）"
            raise BoundaryError(f"第 {number} 个要素的坐标 [{lon:g}, {lat:g}] 不在中国范围内：{hint}。")
        lon, lat = to_wgs84(lon, lat, system)
        out.append([round(lon, 6), round(lat, 6)])
    return out


def _name(properties: object, number: int) -> str:
    if isinstance(properties, dict):
        for key in NAME_KEYS:
            value = properties.get(key)
            if isinstance(value, str | int) and str(value).strip():
                return str(value).strip()[:60]
    return f"边界 {number}"


def save(engine: Engine, actor: Principal, boundaries: Boundaries) -> None:
    """Store the outlines for every app process (administrators only; audited without the data)."""
    _require_admin(actor)
    value = {
        "features": boundaries.features,
        "source_name": boundaries.source_name[:200],
        "sha256": boundaries.sha256,
        "system": boundaries.system,
    }
    with write_transaction(engine) as conn:
        old = conn.execute(select(Setting.value).where(Setting.key == KEY)).scalar()
        conn.execute(delete(Setting).where(Setting.key == KEY))
        conn.execute(
            table_of(Setting).insert().values(key=KEY, value=value, updated_at=utcnow(), updated_by=actor.user_id)
        )
        audit.record(
            conn,
            action="settings.changed",
            username=actor.username,
            user_id=actor.user_id,
            target=KEY,
            detail={"before": _summary(old), "after": _summary(value)},
        )


def remove(engine: Engine, actor: Principal) -> bool:
    """Forget the outlines; True if there were any."""
    _require_admin(actor)
    with write_transaction(engine) as conn:
        old = conn.execute(select(Setting.value).where(Setting.key == KEY)).scalar()
        if old is None:
            return False
        conn.execute(delete(Setting).where(Setting.key == KEY))
        audit.record(
            conn,
            action="settings.changed",
            username=actor.username,
            user_id=actor.user_id,
            target=KEY,
            detail={"before": _summary(old), "after": None},
        )
    return True


def load(engine: Engine) -> Boundaries | None:
    """The stored outlines, or None when no administrator has loaded any."""
    with engine.connect() as conn:
        value = conn.execute(select(Setting.value).where(Setting.key == KEY)).scalar()
    if not value:
        return None
    return Boundaries(value["features"], value["source_name"], value["sha256"], value["system"])


def version(engine: Engine) -> str | None:
    """A cheap token that changes when the outlines change (a cache key part); None if none are loaded."""
    with engine.connect() as conn:
        at = conn.execute(select(Setting.updated_at).where(Setting.key == KEY)).scalar()
    return None if at is None else at.isoformat()


def _summary(value: dict | None) -> dict | None:
    if not value:
        return None
    return {
        "file": value["source_name"],
        "sha256": value["sha256"],
        "system": value["system"],
        "features": len(value["features"]),
    }


def _require_admin(actor: Principal) -> None:
    if actor.role != "admin":
        raise PermissionDenied("只有系统管理员可以更改地图边界。")
