"""The monthly import: validate everything, then write it in ONE transaction or not at all.

Concurrency: the compound's row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` already serialises writers) and the compound-month's submission is re-read
under the lock, so two uploads for one compound-month end as exactly one of them.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, insert, select, update

from services import month_reports, rollups
from services.access import PermissionDenied, Principal, require_import
from services.db import driver_connection, write_transaction
from services.domain import month_of
from services.ingest.audit import audit, audit_rejection
from services.ingest.checks import (
    MONTH_RE,
    Authorize,
    CompoundRef,
    MonthContext,
    check_month_rules,
    compound_by,
    earlier_entity_keys,
    local_today,
    resolve_compound,
    resolve_month,
)
from services.ingest.derive import PlannedRow, planned_rows
from services.ingest.preview import ExistingSubmission, Preview, compare, existing_submission
from services.ingest.problems import AlreadyReported, ImportRejected, Notice, Problem, china_time
from services.ingest.uploads import Limits, Upload, as_uploads, files_hash
from services.ingest.validate import ParsedUpload, gc_paused, parse_uploads
from services.ledgers import LEDGER_BY_KEY, MONTHLY_LEDGERS, Ledger
from services.models import Compound, Submission, table_of, utcnow
from services.pii import mask_text

log = logging.getLogger(__name__)
MAX_WARNINGS_KEPT = 20  # the importer's 请核对 notes kept with a version for the reviewer


@dataclass
class ImportResult:
    status: str  # "imported", "added" (new ledgers joined the month), "replaced" or "unchanged"
    kind: str  # "ledger" or "zero"
    submission_id: int
    version: int
    compound: CompoundRef
    month: str
    submitted_at: dt.datetime  # for "unchanged": when the identical files were imported
    file_hash: str | None = None
    row_counts: dict | None = None
    preview: Preview | None = None
    replaced_version: int | None = None
    month_state: str | None = None  # the month's state after the import (填报中, 已上报 …)

    def describe(self) -> str:
        who = f"{self.compound.code} {self.compound.name} {self.month}"
        if self.kind == "zero":
            return f"已提交 {who} 零报告（本月无新增事项）。"
        if self.status == "unchanged":
            when = china_time(self.submitted_at)
            return f"{who}：相同的文件已于 {when} 导入（第{self.version}版），本次没有任何改动。"
        parts = [
            f"{lp.ledger} {lp.rows} 行（新增{lp.new}、更新{lp.updated}、未变{lp.unchanged}"
            + (f"、删去{lp.removed}" if lp.removed else "")
            + "）"
            for lp in (self.preview.ledgers if self.preview else [])
        ]
        head = f"已导入 {who}（第{self.version}版）"
        if self.status == "replaced":
            head = f"已替换 {who}：第{self.version}版取代第{self.replaced_version}版（旧版本保留在历史中）"
        if self.status == "added":
            head = f"已补充 {who}（第{self.version}版）"
        kept = [f"{name} {rows} 行" for name, rows in (self.preview.untouched if self.preview else [])]
        tail = f"；其他台账保持不变：{'、'.join(kept)}" if kept else ""
        return head + "：" + "；".join(parts) + tail + "。" + self._state_note()

    def _state_note(self) -> str:
        if self.month_state == "填报中":
            return "本月现为“填报中”：台账到齐后请点“提交本月”（命令行加 --submit）。"
        if self.month_state:
            return f"本月现为“{self.month_state}”。"
        return ""


def _plan(
    conn: Connection,
    parsed: ParsedUpload,
    *,
    principal: Principal,
    month,
    compound_code,
    compound_id,
    now,
    lock: bool,
    authorize: Authorize | None = None,
) -> tuple[Preview, dict[str, list[PlannedRow]]]:
    """Check one compound-month's upload against the database and plan its rows. ``authorize``
    replaces the secretary/administrator rule (a batch has checked its account and scope)."""
    problems = parsed.problems
    digest = files_hash(parsed.uploads)
    files = ", ".join(u.name for u in parsed.uploads)
    if authorize is None and not principal.can_import:
        problems.add(
            Problem(
                files, None, None, None, None, "该账号没有数据录入权限", "请用小区书记或管理员账号上报", "auth.role"
            )
        )
    today = local_today(now)
    compound = resolve_compound(
        conn,
        parsed,
        principal=principal,
        compound_code=compound_code,
        compound_id=compound_id,
        problems=problems,
        authorize=authorize,
    )
    _registry_sheet(parsed, compound, problems)
    month = resolve_month(parsed, month, today, problems)
    if compound is None or month is None:
        return Preview(compound, month, digest, problems.as_list(), parsed.notices), {}
    if lock:
        conn.execute(select(Compound.id).where(Compound.id == compound.id).with_for_update())
    closed = month_reports.refuse_import_reason(conn, compound.id, month)
    if closed:
        files = ", ".join(u.name for u in parsed.uploads)
        problems.add(Problem(files, None, None, None, month, closed, month_reports.CORRECTION_PATH, "month.closed"))
    ctx = MonthContext(compound, month, earlier_entity_keys(conn, compound.id, month))
    check_month_rules(parsed, ctx, today, problems)
    preview = Preview(compound, month, digest, problems.as_list(), parsed.notices)
    preview.existing = existing_submission(conn, compound.id, month)
    if problems:
        return preview, {}
    planned = {lr.ledger.key: planned_rows(lr, compound_id=compound.id, month=month) for lr in parsed.monthly}
    compare(conn, compound, month, planned, preview)
    return preview, planned


def _registry_sheet(parsed: ParsedUpload, compound: CompoundRef | None, problems) -> None:
    """The template's 小区档案 sheet, prefilled with the compound's own row, is there to check it:
    left in a monthly upload it is passed over with a notice. Any other registry row is refused."""
    registry = parsed.registry
    if registry is None:
        return
    if compound is not None and registry.rows and all(r.values.get("code") == compound.code for r in registry.rows):
        message = "“小区档案”工作表只供核对，本次未导入；档案有误请联系系统管理员修改"
        parsed.notices.append(Notice(registry.file, registry.sheet, None, None, message, registry.ledger.name))
        return
    problems.add(
        Problem(
            registry.file,
            registry.sheet,
            registry.header_row,
            None,
            None,
            "小区档案不能和月度台账一起上报",
            "小区档案由管理员在“小区档案”导入中单独上传",
            "upload.registry_mixed",
        )
    )


def preview_month(
    engine: Engine,
    *,
    principal: Principal,
    files,
    month: str | None = None,
    compound_code: str | None = None,
    compound_id: int | None = None,
    now: dt.datetime | None = None,
    limits: Limits | None = None,
) -> Preview:
    """Everything ``import_month`` would check and change, without writing (problems included, not raised)."""
    parsed = parse_uploads(as_uploads(files), limits or Limits.from_settings())
    with engine.connect() as conn:
        preview, _ = _plan(
            conn,
            parsed,
            principal=principal,
            month=month,
            compound_code=compound_code,
            compound_id=compound_id,
            now=now or utcnow(),
            lock=False,
        )
    return preview


dry_run = preview_month


def import_month(
    engine: Engine,
    *,
    principal: Principal,
    files,
    month: str | None = None,
    compound_code: str | None = None,
    compound_id: int | None = None,
    replace: bool = False,
    submit: bool = False,
    deadline_day: int | None = None,
    now: dt.datetime | None = None,
    limits: Limits | None = None,
) -> ImportResult:
    """Import ledgers of one compound-month in one transaction, or raise and write nothing.

    The month becomes (or goes back to) 填报中; with ``submit`` it is submitted in the same
    transaction (提交本月, on time judged against ``deadline_day``).

    Ledgers land on their own: a ledger not in the upload is carried into the new version as it is,
    so importing (or replacing) one ledger never changes another. Raises ``ImportRejected`` (every
    problem listed) or ``AlreadyReported`` (a ledger in the upload, or a zero report, is already in
    for the month and ``replace`` is False). The same files again change nothing.
    """
    now = now or utcnow()
    uploads = as_uploads(files)
    parsed = parse_uploads(uploads, limits or Limits.from_settings())
    attempt: dict = {}
    try:
        with write_transaction(engine) as conn:
            preview, planned = _plan(
                conn,
                parsed,
                principal=principal,
                month=month,
                compound_code=compound_code,
                compound_id=compound_id,
                now=now,
                lock=True,
            )
            attempt["preview"] = preview
            if preview.problems:
                raise ImportRejected(preview.problems, preview.notices)
            result = land(
                conn,
                preview,
                planned,
                uploads,
                principal=principal,
                replace=replace,
                submit=submit,
                deadline_day=deadline_day,
                now=now,
            )
    except ImportRejected as rejected:
        _audit_refusal(engine, principal, uploads, attempt.get("preview"), "problems", now, rejected.problems)
        raise
    except AlreadyReported:
        _audit_refusal(engine, principal, uploads, attempt.get("preview"), "already_reported", now, [])
        raise
    log.info(
        "ledger import %s/%s version %s: %s", result.compound.code, result.month, result.version, result.row_counts
    )
    return result


def unchanged_by(preview: Preview, replace: bool) -> bool:
    """The month already holds these ledgers: the same files, or (unless a replacement is asked
    for) rows that are all in as they are. Importing them again changes nothing."""
    existing = preview.existing
    if existing is None or existing.kind != "ledger":
        return False
    return existing.file_hash == preview.file_hash or (preview.changes_nothing and not replace)


def refused_without_replace(preview: Preview, replace: bool) -> bool:
    """Importing would change ledgers already reported, and no replacement was asked for."""
    return preview.needs_replace and not replace and not unchanged_by(preview, replace)


def land(
    conn: Connection,
    preview: Preview,
    planned: dict[str, list[PlannedRow]],
    uploads: list[Upload],
    *,
    principal: Principal,
    replace: bool,
    submit: bool,
    deadline_day: int | None,
    now: dt.datetime,
) -> ImportResult:
    """Write one checked compound-month (a preview without problems) inside the caller's
    transaction: nothing if it is all in already, else a new version; ``submit`` submits the month.
    Raises ``AlreadyReported`` when it would replace ledgers and ``replace`` is False."""
    existing = preview.existing
    assert preview.compound is not None and preview.month is not None  # no problems: both resolved
    if existing is not None and unchanged_by(preview, replace):
        state = None
        if submit and month_reports.status_in(conn, preview.compound.id, preview.month).can_submit:
            month_reports.submit_in(conn, principal, preview.compound.id, preview.month, now, deadline_day=deadline_day)
            state = month_reports.STATE_LABELS["submitted"]
        return ImportResult(
            "unchanged",
            "ledger",
            existing.id,
            existing.version,
            preview.compound,
            preview.month,
            existing.submitted_at,
            existing.file_hash,
            None,
            preview,
            month_state=state,
        )
    if refused_without_replace(preview, replace):
        assert existing is not None  # a replacement needs something to replace
        raise AlreadyReported(
            submission_id=existing.id,
            version=existing.version,
            kind=existing.kind,
            submitted_at=existing.submitted_at,
            month=preview.month,
        )
    result = _write(conn, preview, planned, uploads, principal=principal, now=now)
    if submit:
        month_reports.submit_in(conn, principal, preview.compound.id, preview.month, now, deadline_day=deadline_day)
        result.month_state = month_reports.STATE_LABELS["submitted"]
    return result


def _audit_refusal(engine, principal, uploads, preview, reason, now, problems) -> None:
    target = f"{preview.compound.code}/{preview.month}" if preview and preview.compound and preview.month else None
    audit_rejection(
        engine, principal=principal, uploads=uploads, target=target, reason=reason, problems=problems, now=now
    )
    log.info(
        "ledger import refused (%s) for %s: %d problems", reason, target or "unknown compound-month", len(problems)
    )


def _next_version(conn: Connection, compound_id: int, month: str) -> int:
    stmt = select(func.max(Submission.version)).where(Submission.compound_id == compound_id, Submission.month == month)
    return (conn.execute(stmt).scalar() or 0) + 1


def _supersede(conn: Connection, existing: ExistingSubmission) -> dict[str, set[str]]:
    """Mark ``existing`` superseded; returns the entity numbers its rows carried, per ledger."""
    conn.execute(update(Submission).where(Submission.id == existing.id).values(status="superseded"))
    keys: dict[str, set[str]] = {}
    for ledger in MONTHLY_LEDGERS:
        t = table_of(ledger.model)
        if ledger.entity_field:
            stmt = select(t.c[ledger.entity_field]).where(t.c.submission_id == existing.id)
            keys[ledger.key] = {k for (k,) in conn.execute(stmt)}
        else:
            conn.execute(update(t).where(t.c.submission_id == existing.id).values(is_current=False))
    return keys


def _insert_rows(conn: Connection, ledger: Ledger, rows: list[dict]) -> None:
    table = table_of(ledger.model)
    if rows and conn.dialect.name == "postgresql" and _copyable(table, rows[0]):
        _copy_rows(conn, table, rows)
        return
    with gc_paused():
        for start in range(0, len(rows), 1000):
            conn.execute(insert(table), rows[start : start + 1000])


def _copyable(table, row: dict) -> bool:
    """COPY skips SQLAlchemy's Python-side defaults: only when the rows fill every column that has one."""
    return all(c.name in row for c in table.columns if c.default is not None and not c.primary_key)


def _copy_rows(conn: Connection, table, rows: list[dict]) -> None:
    """PostgreSQL ``COPY … FROM STDIN`` in the import's transaction: about 5x less client time than executemany.

    psycopg adapts dates, decimals, booleans and None itself, exactly as it does for INSERT parameters.
    """
    from psycopg import sql  # only on PostgreSQL

    names = list(rows[0])
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    with driver_connection(conn).cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[name] for name in names])


def refresh_current(conn: Connection, ledger: Ledger, compound_id: int, keys: set[str]) -> None:
    """Recompute ``is_current`` for these entity numbers: the newest row among current submissions."""
    t, s = table_of(ledger.model), table_of(Submission)
    assert ledger.entity_field is not None  # only keyed ledgers have a current row per entity
    key = t.c[ledger.entity_field]
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        conn.execute(update(t).where(t.c.compound_id == compound_id, key.in_(chunk)).values(is_current=False))
        stmt = (
            select(t.c.id, key, t.c.month)
            .select_from(t.join(s, s.c.id == t.c.submission_id))
            .where(t.c.compound_id == compound_id, key.in_(chunk), s.c.status == "current")
        )
        newest: dict[str, tuple[str, int]] = {}
        for row_id, k, month in conn.execute(stmt):
            newest[k] = max(newest.get(k, ("", 0)), (month, row_id))
        if newest:
            conn.execute(update(t).where(t.c.id.in_([i for _, i in newest.values()])).values(is_current=True))


def _carried_rows(conn: Connection, existing: ExistingSubmission, ledger: Ledger) -> list[dict]:
    t = table_of(ledger.model)
    return [dict(r) for r in conn.execute(select(t).where(t.c.submission_id == existing.id)).mappings()]


def _carried_counts(conn: Connection, existing: ExistingSubmission, uploaded: set[str]) -> dict[str, int]:
    counts = {}
    for ledger in MONTHLY_LEDGERS:
        if ledger.key not in uploaded:
            t = table_of(ledger.model)
            n = conn.execute(select(func.count()).where(t.c.submission_id == existing.id)).scalar() or 0
            if n:
                counts[ledger.key] = n
    return counts


def _carry_over(conn: Connection, existing: ExistingSubmission, submission_id: int, uploaded: set[str]) -> None:
    """Copy the ledgers the upload does not hold from the replaced version into the new one, row
    for row (the old version keeps its own rows in history); keyed rows get ``is_current`` after."""
    for ledger in MONTHLY_LEDGERS:
        if ledger.key in uploaded:
            continue
        keyed = ledger.entity_field is not None
        copies = [
            {**{k: v for k, v in row.items() if k != "id"}, "submission_id": submission_id, "is_current": not keyed}
            for row in _carried_rows(conn, existing, ledger)
        ]
        if copies:
            _insert_rows(conn, ledger, copies)


def _file_names(uploads: list[Upload]) -> str:
    names = "、".join(mask_text(u.name) for u in uploads)
    return names if len(names) <= 500 else names[:499] + "…"


def _write(
    conn: Connection,
    preview: Preview,
    planned: dict[str, list[PlannedRow]],
    uploads: list[Upload],
    *,
    principal: Principal,
    now: dt.datetime,
) -> ImportResult:
    compound, month, existing = preview.compound, preview.month, preview.existing
    assert compound is not None and month is not None  # only a preview without problems is written
    version = _next_version(conn, compound.id, month)
    old_keys = _supersede(conn, existing) if existing else {}
    row_counts = {key: len(rows) for key, rows in planned.items()}
    if existing:  # the month's other ledgers come along unchanged: count them in the new version
        row_counts.update(_carried_counts(conn, existing, set(planned)))
    submission_id = conn.execute(
        insert(Submission).values(
            compound_id=compound.id,
            month=month,
            version=version,
            kind="ledger",
            status="current",
            submitted_by=principal.user_id,
            submitted_at=now,
            file_names=_file_names(uploads),
            file_hash=preview.file_hash,
            row_counts=row_counts,
            warnings=[w.describe() for w in preview.warnings[:MAX_WARNINGS_KEPT]] or None,
        )
    ).inserted_primary_key[0]  # type: ignore[index]  # an INSERT of one row always has its key
    for key, rows in planned.items():
        ledger = LEDGER_BY_KEY[key]
        keyed = ledger.entity_field is not None
        _insert_rows(conn, ledger, [{**r.data, "submission_id": submission_id, "is_current": not keyed} for r in rows])
    if existing:
        _carry_over(conn, existing, submission_id, set(planned))
    for ledger in MONTHLY_LEDGERS:
        if ledger.entity_field:
            keys = {r.data[ledger.entity_field] for r in planned.get(ledger.key, [])} | old_keys.get(ledger.key, set())
            if keys:
                refresh_current(conn, ledger, compound.id, keys)
    rollups.refresh(conn, [compound.id])
    status = "replaced" if preview.needs_replace else "added" if existing else "imported"
    action = {"replaced": "import.replace", "added": "import.add", "imported": "import"}[status]
    detail = {
        "compound_code": compound.code,
        "month": month,
        "version": version,
        "file_hash": preview.file_hash,
        "files": [{"name": mask_text(u.name), "sha256": u.sha256, "bytes": len(u.data)} for u in uploads],
        "row_counts": row_counts,
        "changes": {
            lp.key: {"new": lp.new, "updated": lp.updated, "unchanged": lp.unchanged, "removed": lp.removed}
            for lp in preview.ledgers
        },
    }
    if existing:
        detail.update(replaced_submission_id=existing.id, replaced_version=existing.version)
        detail["untouched"] = {name: rows for name, rows in preview.untouched}
    audit(conn, principal=principal, action=action, target=f"{compound.code}/{month}", detail=detail, now=now)
    month_state = month_reports.ledgers_received(conn, principal, compound.id, month, now)
    return ImportResult(
        status,
        "ledger",
        submission_id,
        version,
        compound,
        month,
        now,
        preview.file_hash,
        row_counts,
        preview,
        existing.version if existing else None,
        month_state,
    )


def submit_zero_report(
    engine: Engine, *, principal: Principal, compound_id: int, month: str, now: dt.datetime | None = None
) -> ImportResult:
    """Record "本月无新增事项" for a compound-month; refused if the month already has a submission."""
    now = now or utcnow()
    problem = None
    if not MONTH_RE.match(month or ""):
        problem = Problem(
            "零报告", None, None, None, month, "上报月份格式不对", "请写成 YYYY-MM，如 2025-03", "month.format"
        )
    elif month > month_of(local_today(now)):
        problem = Problem(
            "零报告", None, None, None, month, "上报月份在未来", "只能上报本月及以前的月份", "month.future"
        )
    if problem:
        audit_rejection(
            engine,
            principal=principal,
            uploads=[],
            target=f"compound:{compound_id}/{month}",
            reason="problems",
            problems=[problem],
            now=now,
        )
        raise ImportRejected([problem])
    try:
        require_import(principal, compound_id)
    except PermissionDenied:
        audit_rejection(
            engine,
            principal=principal,
            uploads=[],
            target=f"compound:{compound_id}/{month}",
            reason="permission",
            problems=[],
            now=now,
        )
        raise
    with write_transaction(engine) as conn:
        compound = compound_by(conn, compound_id=compound_id)
        if compound is None:
            raise ImportRejected(
                [Problem("零报告", None, None, None, None, "小区不存在", "请刷新页面后重试", "compound.unknown")]
            )
        conn.execute(select(Compound.id).where(Compound.id == compound_id).with_for_update())
        closed = month_reports.refuse_import_reason(conn, compound_id, month)
        if closed:
            raise ImportRejected(
                [Problem("零报告", None, None, None, month, closed, month_reports.CORRECTION_PATH, "month.closed")]
            )
        existing = existing_submission(conn, compound_id, month)
        if existing is None:
            version = _next_version(conn, compound_id, month)
            submission_id = conn.execute(
                insert(Submission).values(
                    compound_id=compound_id,
                    month=month,
                    version=version,
                    kind="zero",
                    status="current",
                    submitted_by=principal.user_id,
                    submitted_at=now,
                    row_counts={},
                )
            ).inserted_primary_key[0]  # type: ignore[index]  # an INSERT of one row always has its key
            audit(
                conn,
                principal=principal,
                action="import.zero",
                target=f"{compound.code}/{month}",
                detail={"compound_code": compound.code, "month": month, "version": version},
                now=now,
            )
            month_reports.zero_report_submitted(conn, principal, compound_id, month, now)
    if existing is not None:
        audit_rejection(
            engine,
            principal=principal,
            uploads=[],
            target=f"{compound.code}/{month}",
            reason="already_reported",
            problems=[],
            now=now,
        )
        raise AlreadyReported(
            submission_id=existing.id,
            version=existing.version,
            kind=existing.kind,
            submitted_at=existing.submitted_at,
            month=month,
        )
    state = month_reports.STATE_LABELS["submitted"]
    return ImportResult("imported", "zero", submission_id, version, compound, month, now, None, {}, month_state=state)
