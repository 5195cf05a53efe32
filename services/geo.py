"""Coordinates: everything is stored as WGS-84; GCJ-02 (Amap, Tencent, WeChat) and BD-09
(Baidu) are converted on input with the pinned coordTransform package."""

from __future__ import annotations

import coordTransform

SYSTEMS = ("WGS84", "GCJ02", "BD09")


def to_wgs84(lon: float, lat: float, system: str) -> tuple[float, float]:
    """(lon, lat) in WGS-84, rounded to 6 decimals (about 0.1 m)."""
    if system not in SYSTEMS:
        raise ValueError(f"unknown coordinate system {system!r}; use one of {', '.join(SYSTEMS)}")
    if system == "GCJ02":
        lon, lat = coordTransform.gcj02_to_wgs84(lon, lat)
    elif system == "BD09":
        lon, lat = coordTransform.bd09_to_wgs84(lon, lat)
    return round(lon, 6), round(lat, 6)
