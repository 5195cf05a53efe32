"""小区档案 (the registry): administrators insert or update compounds by 小区编码.

Columns absent from the file leave existing values alone; blank cells in present columns clear
them. Coordinates are converted to WGS-84 from the 坐标系 given (GCJ02 / BD09 via coordTransform).
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection, Engine, insert, select, text, update

from services import rollups, town_months
from services.access import Principal
from services.db import write_transaction
from services.geo import to_wgs84
from services.ingest.audit import audit, audit_rejection
from services.ingest.checks import local_today
from services.ingest.problems import ImportRejected, Notice, Problem
from services.ingest.uploads import Limits, as_uploads, files_hash
from services.ingest.validate import LedgerRows, ParsedUpload, parse_uploads
from services.ledgers import REGISTRY
from services.models import Compound, Town, utcnow
from services.pii import mask_text

log = logging.getLogger(__name__)
REGISTRY_LOCK = 7_254_001  # PostgreSQL advisory lock key serialising registry imports
FOUNDING_DATES = ("branch_founded", "owners_committee_founded", "womens_federation_founded")


@dataclass
class RegistryPreview:
    file_hash: str
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    inserts: list[dict] = field(default_factory=list)
    updates: list[tuple[int, dict]] = field(default_factory=list)  # (compound id, changed fields)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> str:
        return f"小区档案：新增 {len(self.inserts)} 个，更新 {len(self.updates)} 个，未变 {self.unchanged} 个。"


def _wgs84(lon: float, lat: float, system: str) -> tuple[float, float]:
    return to_wgs84(lon, lat, system)


def _plain(value):
    """JSON-friendly audit values (dates as ISO text, decimals as strings)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value) if value is not None and not isinstance(value, int | float | str | bool) else value


def _town_lookup(conn: Connection) -> dict[str, str]:
    towns = {}
    for code, name in conn.execute(select(Town.code, Town.name)):
        towns[code] = code
        towns[unicodedata.normalize("NFKC", name).replace(" ", "")] = code
    return towns


def _plan(conn: Connection, parsed: ParsedUpload, *, principal: Principal, now: dt.datetime) -> RegistryPreview:
    problems = parsed.problems
    preview = RegistryPreview(files_hash(parsed.uploads), notices=parsed.notices)
    files = ", ".join(u.name for u in parsed.uploads)
    if principal.role != "admin":
        problems.add(
            Problem(
                files, None, None, None, None, "只有系统管理员可以导入小区档案", "请联系系统管理员", "auth.registry"
            )
        )
    for lr in parsed.monthly:
        problems.add(
            Problem(
                lr.file,
                lr.sheet,
                lr.header_row,
                None,
                None,
                "月度台账不能和小区档案一起导入",
                "请分开上传：小区档案由管理员导入，月度台账按小区按月上报",
                "upload.registry_mixed",
            )
        )
    rows: LedgerRows | None = parsed.registry
    if rows is None:
        if not problems:
            problems.add(
                Problem(files, None, None, None, None, "没有找到小区档案", "请使用小区档案模板", "upload.no_registry")
            )
        preview.problems = problems.as_list()
        return preview
    towns, today = _town_lookup(conn), local_today(now)
    codes = [r.values["code"] for r in rows.rows if r.values.get("code")]
    existing = {}
    for start in range(0, len(codes), 500):
        stmt = select(Compound.__table__).where(Compound.code.in_(codes[start : start + 500]))
        existing.update({r["code"]: dict(r) for r in conn.execute(stmt).mappings()})
    stored = [c.field for c in REGISTRY.columns if c.stored and c.field in rows.present]
    for row in rows.rows:
        v = row.values
        town = v.get("town_code")
        if town is not None:
            assert isinstance(town, str)  # a text column
            v["town_code"] = towns.get(unicodedata.normalize("NFKC", town).replace(" ", ""))
            if v["town_code"] is None:
                problems.add(
                    rows.problem(row.row, "town_code", town, "没有这个镇", "请填写本县的镇名或镇编码", "registry.town")
                )
        code = v.get("code")
        assert code is None or isinstance(code, str)  # a code column
        if code and code not in existing and code.isdigit():
            for (known,) in conn.execute(select(Compound.code).where(Compound.code.endswith(code.lstrip("0")))):
                if known.lstrip("0") == code.lstrip("0"):
                    problems.add(
                        rows.problem(
                            row.row,
                            "code",
                            code,
                            f"与已有小区编码 {known} 只差开头的 0",
                            "Excel 可能去掉了开头的 0：请把该列设置为“文本”格式后重新输入",
                            "registry.lost_zero",
                        )
                    )
        for name in FOUNDING_DATES:
            founded = v.get(name)
            if isinstance(founded, dt.date) and founded > today:
                problems.add(rows.problem(row.row, name, founded, "日期在未来", "请核对日期", "date.future"))
        year = v.get("year_occupied")
        if isinstance(year, int) and year > today.year:
            problems.add(rows.problem(row.row, "year_occupied", year, "年份在未来", "请核对", "date.future"))
        if problems:
            continue
        record = {f: v.get(f) for f in stored}
        if "lon" in record and record["lon"] is not None:
            lon, lat, system = v["lon"], v["lat"], v["coord_system"]
            # the row rules let longitude through only with its latitude and map system
            assert isinstance(lon, Decimal) and isinstance(lat, Decimal) and isinstance(system, str)
            record["lon"], record["lat"] = _wgs84(float(lon), float(lat), system)
        if "compound_type" in record and record["compound_type"] is None:
            record["compound_type"] = "住宅"
        before = existing.get(code)
        if before is None:
            preview.inserts.append({"compound_type": "住宅", "active": True, "updated_at": now, **record})
            continue
        changed = {f: val for f, val in record.items() if before.get(f) != val}
        if changed:
            preview.updates.append((before["id"], {**changed, "updated_at": now}))
        else:
            preview.unchanged += 1
    preview.problems = problems.as_list()
    return preview


def preview_registry(
    engine: Engine, *, principal: Principal, files, now: dt.datetime | None = None, limits: Limits | None = None
) -> RegistryPreview:
    """What ``import_registry`` would do, with every problem; writes nothing."""
    parsed = parse_uploads(as_uploads(files), limits or Limits.from_settings())
    with engine.connect() as conn:
        return _plan(conn, parsed, principal=principal, now=now or utcnow())


def import_registry(
    engine: Engine, *, principal: Principal, files, now: dt.datetime | None = None, limits: Limits | None = None
) -> RegistryPreview:
    """Insert or update compounds from 小区档案 in one transaction; raises ImportRejected on any problem."""
    now = now or utcnow()
    uploads = as_uploads(files)
    parsed = parse_uploads(uploads, limits or Limits.from_settings())
    try:
        with write_transaction(engine) as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": REGISTRY_LOCK})
            preview = _plan(conn, parsed, principal=principal, now=now)
            if preview.problems:
                raise ImportRejected(preview.problems, preview.notices)
            if preview.inserts:
                for row in preview.inserts:
                    conn.execute(insert(Compound).values(**row))
            changes = []
            moved_between: set[str] = set()  # towns that lose or gain a compound
            for compound_id, changed in preview.updates:
                columns = [Compound.__table__.c[name] for name in changed]
                before = conn.execute(select(Compound.code, *columns).where(Compound.id == compound_id)).one()
                old = dict(zip(changed, before[1:], strict=True))
                changes.append(
                    {
                        "code": before[0],
                        "before": {k: _plain(v) for k, v in old.items()},
                        "after": {k: _plain(v) for k, v in changed.items()},
                    }
                )
                conn.execute(update(Compound).where(Compound.id == compound_id).values(**changed))
                if "town_code" in changed:
                    moved_between |= {old["town_code"], changed["town_code"]}
            # a compound moved to another town takes its figures along (day counts, town sums)
            rollups.refresh(conn, [cid for cid, changed in preview.updates if "town_code" in changed])
            town_months.refresh_towns(conn, moved_between)
            detail = {
                "file_hash": preview.file_hash,
                "files": [{"name": mask_text(u.name), "sha256": u.sha256, "bytes": len(u.data)} for u in uploads],
                "inserted": sorted(r["code"] for r in preview.inserts),
                "updated": len(preview.updates),
                "changes": changes[:500],
                "unchanged": preview.unchanged,
            }
            audit(conn, principal=principal, action="import.registry", target="compounds", detail=detail, now=now)
    except ImportRejected as rejected:
        audit_rejection(
            engine,
            principal=principal,
            uploads=uploads,
            target="compounds",
            reason="problems",
            problems=rejected.problems,
            now=now,
        )
        raise
    log.info("registry import: %d new, %d updated", len(preview.inserts), len(preview.updates))
    return preview
