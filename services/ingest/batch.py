"""Batch import for staff: one file or workbook holding rows of many compounds.

An administrator (and a town official, for their own town, where ``batch_import_for_towns`` is on)
uploads the ledgers of several compounds at once. The rows are split by compound and by month, and
each compound-month goes through the single import's own checks and writes (``write._plan`` and
``write.land``): ledger by ledger, carried over, 填报中, refused in approved or locked months. The
whole batch is one transaction: any problem anywhere rejects it with every problem listed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine

from services import settings_store
from services.access import PermissionDenied, Principal, require_batch_compound, require_batch_import
from services.db import write_transaction
from services.ingest.audit import audit_rejection
from services.ingest.checks import CompoundRef, compound_by, lost_zero_hint
from services.ingest.derive import PlannedRow
from services.ingest.preview import Preview
from services.ingest.problems import ImportRejected, Notice, Problem, ProblemList, china_time
from services.ingest.uploads import Limits, Upload, as_uploads, files_hash
from services.ingest.validate import LedgerRows, ParsedRow, ParsedUpload, parse_uploads
from services.ingest.write import ImportResult, _plan, land, refused_without_replace
from services.models import utcnow

log = logging.getLogger(__name__)
CompoundMonth = tuple[CompoundRef, str]


@dataclass
class BatchPreview:
    """What a batch would do: the problems of the whole file, or one preview per compound-month."""

    file_hash: str
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    months: list[Preview] = field(default_factory=list)  # by compound code, then month

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def warnings(self) -> list[Notice]:
        return [w for p in self.months for w in p.warnings]

    @property
    def to_replace(self) -> list[Preview]:
        """Compound-months whose ledgers in the file are already in with other rows: "replace" must be asked for."""
        return [p for p in self.months if refused_without_replace(p, False)]

    @property
    def rows_removed(self) -> int:
        return sum(p.rows_removed for p in self.to_replace)

    def compounds(self) -> int:
        return len({p.compound.id for p in self.months if p.compound})


@dataclass
class BatchResult:
    """What landed, one result per compound-month (``unchanged`` ones included)."""

    results: list[ImportResult]
    notices: list[Notice] = field(default_factory=list)

    def describe(self) -> str:
        compounds = len({r.compound.id for r in self.results})
        head = f"批量导入完成：{compounds} 个小区、{len(self.results)} 个小区月份。"
        return "\n".join([head, *(r.describe() for r in self.results)])


def _authorizer(principal: Principal):
    def authorize(compound: CompoundRef) -> None:
        require_batch_compound(principal, compound.town_code)

    return authorize


def _row_code(row: ParsedRow) -> str | None:
    code = row.values.get("compound_code")
    return code if isinstance(code, str) and code else None


def _split(
    conn: Connection, parsed: ParsedUpload, *, principal: Principal, month: str | None, problems: ProblemList
) -> dict[CompoundMonth, list[tuple[LedgerRows, ParsedRow]]]:
    """The rows of each compound-month in scope; rows of unknown compounds, of compounds outside the
    importer's scope, or of no clear month become problems naming the row."""
    authorize = _authorizer(principal)
    known: dict[str, CompoundRef | None] = {}
    groups: dict[CompoundMonth, list[tuple[LedgerRows, ParsedRow]]] = defaultdict(list)
    undated: dict[CompoundRef, list[tuple[LedgerRows, ParsedRow]]] = defaultdict(list)
    for lr in parsed.monthly:
        for row in lr.rows:
            code = _row_code(row)
            if code is None:
                continue  # the missing code is already a problem of the row
            if code not in known:
                known[code] = compound_by(conn, code=code)
            ref = known[code]
            if ref is None:
                problems.add(
                    lr.problem(
                        row.row,
                        "compound_code",
                        code,
                        "小区编码在小区档案中不存在",
                        lost_zero_hint(conn, code),
                        "compound.unknown",
                    )
                )
                continue
            try:
                authorize(ref)
            except PermissionDenied as denied:
                problems.add(
                    lr.problem(
                        row.row,
                        "compound_code",
                        code,
                        f"{ref.code} {ref.name} 不在您的导入范围内：{denied}",
                        "请删去这一行；其他镇（街道）的小区由该镇或管理员导入",
                        "auth.compound",
                    )
                )
                continue
            row_month = month or lr.ledger.row_month(row.values)
            if row_month is None and lr.ledger.month_field in row.failed:
                continue  # its date was rejected: already a problem of the row
            if row_month is None:
                undated[ref].append((lr, row))
            else:
                groups[(ref, row_month)].append((lr, row))
    for ref, rows in undated.items():
        months = sorted(m for r, m in groups if r == ref)
        if len(months) == 1:
            groups[(ref, months[0])].extend(rows)
            continue
        for lr, row in rows:
            field_name = lr.ledger.month_field
            problems.add(
                lr.problem(
                    row.row,
                    field_name,
                    None,
                    f"无法确定这一行的上报月份（{ref.code} {ref.name} 的行涉及：{'、'.join(months) or '无'}）",
                    "请填写日期，或指定上报月份（页面上选择，或命令行 --month YYYY-MM）",
                    "month.unknown",
                )
            )
    return groups


def _registry_sheet(parsed: ParsedUpload, codes: set[str], problems: ProblemList) -> None:
    """As in a single import: the 小区档案 sheet of the template is only there to check (left in
    with the batch's own compounds it is passed over); any other registry row is refused."""
    registry = parsed.registry
    if registry is None:
        return
    if registry.rows and all(r.values.get("code") in codes for r in registry.rows):
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


def _one_compound_month(parsed: ParsedUpload, rows: list[tuple[LedgerRows, ParsedRow]]) -> ParsedUpload:
    """The upload as the single import would see a file of only these rows. The file's own
    problems come first in its list, so (as in a single import) no rows are planned while the file
    is wrong; the problems ``_plan`` adds follow them."""
    by_table: dict[int, LedgerRows] = {}
    for lr, row in rows:
        part = by_table.get(id(lr))
        if part is None:
            part = by_table[id(lr)] = dataclasses.replace(lr, rows=[])
        part.rows.append(row)
    seeded = ProblemList(parsed.problems.limit, list(parsed.problems.items), parsed.problems.dropped)
    ledgers = [by_table[id(lr)] for lr in parsed.monthly if id(lr) in by_table]
    return ParsedUpload(parsed.uploads, ledgers, seeded, [], parsed.reads)


def _named(problem: Problem, compound: CompoundRef) -> Problem:
    """A problem of a whole compound-month (no row) names the compound: the file holds many."""
    if problem.row is not None:
        return problem
    return dataclasses.replace(problem, message_zh=f"{compound.code} {compound.name}：{problem.message_zh}")


def _plan_batch(
    conn: Connection,
    parsed: ParsedUpload,
    *,
    principal: Principal,
    month: str | None,
    now: dt.datetime,
    lock: bool,
) -> tuple[BatchPreview, list[tuple[Preview, dict[str, list[PlannedRow]]]]]:
    problems = parsed.problems
    groups = _split(conn, parsed, principal=principal, month=month, problems=problems)
    _registry_sheet(parsed, {ref.code for ref, _ in groups}, problems)
    seeded = len(problems.items)
    found: list[Problem] = []
    planned = []
    for (ref, group_month), rows in sorted(groups.items(), key=lambda item: (item[0][0].code, item[0][1])):
        part = _one_compound_month(parsed, rows)
        preview, plan = _plan(
            conn,
            part,
            principal=principal,
            month=group_month,
            compound_code=None,
            compound_id=ref.id,
            now=now,
            lock=lock,
            authorize=_authorizer(principal),
        )
        found += [_named(p, ref) for p in part.problems.items[seeded:]]
        preview.problems = []  # the batch lists every problem once, below
        planned.append((preview, plan))
    problems.extend(found)
    if not groups and not problems:
        files = ", ".join(u.name for u in parsed.uploads)
        problems.add(
            Problem(files, None, None, None, None, "文件里没有任何小区的台账行", "请核对文件", "upload.no_rows")
        )
    batch = BatchPreview(files_hash(parsed.uploads), problems.as_list(), parsed.notices, [p for p, _ in planned])
    return batch, planned


def _replace_problems(batch: BatchPreview, uploads: list[Upload]) -> list[Problem]:
    """Each compound-month that would replace ledgers already reported, for a batch without "replace"."""
    files = ", ".join(u.name for u in uploads)
    out = []
    for preview in batch.to_replace:
        existing, ref = preview.existing, preview.compound
        assert existing is not None and ref is not None  # to_replace holds checked months with a submission
        what = "零报告" if existing.kind == "zero" else f"{'、'.join(preview.overlapping)}（第{existing.version}版）"
        out.append(
            Problem(
                files,
                None,
                None,
                None,
                preview.month,
                f"{ref.code} {ref.name} {preview.month} 已于 {china_time(existing.submitted_at)} 上报过{what}",
                "如需替换文件中的这些台账，请勾选“替换”（命令行加 --replace）；其他台账不变，旧版本保留在历史中",
                "batch.already_reported",
            )
        )
    return out


def _allowed(engine: Engine, principal: Principal) -> None:
    require_batch_import(principal, towns_allowed=settings_store.batch_import_for_towns(engine))


def preview_batch(
    engine: Engine,
    *,
    principal: Principal,
    files,
    month: str | None = None,
    now: dt.datetime | None = None,
    limits: Limits | None = None,
) -> BatchPreview:
    """Everything ``import_batch`` would check and change, without writing. Raises
    ``PermissionDenied`` for an account that may not batch-import."""
    _allowed(engine, principal)
    parsed = parse_uploads(as_uploads(files), limits or Limits.from_settings())
    with engine.connect() as conn:
        batch, _ = _plan_batch(conn, parsed, principal=principal, month=month, now=now or utcnow(), lock=False)
    return batch


def import_batch(
    engine: Engine,
    *,
    principal: Principal,
    files,
    month: str | None = None,
    replace: bool = False,
    now: dt.datetime | None = None,
    limits: Limits | None = None,
) -> BatchResult:
    """Import a file of many compounds, each compound-month as its own ledger submission, in ONE
    transaction: every problem anywhere (including months that would need ``replace``) raises
    ``ImportRejected`` listing them all, and nothing is written."""
    now = now or utcnow()
    uploads = as_uploads(files)
    try:
        _allowed(engine, principal)
    except PermissionDenied:
        _audit_refusal(engine, principal, uploads, "permission", now, [])
        raise
    parsed = parse_uploads(uploads, limits or Limits.from_settings())
    try:
        with write_transaction(engine) as conn:
            batch, planned = _plan_batch(conn, parsed, principal=principal, month=month, now=now, lock=True)
            problems = batch.problems or ([] if replace else _replace_problems(batch, uploads))
            if problems:
                raise ImportRejected(problems, batch.notices)
            results = [
                land(
                    conn,
                    preview,
                    plan,
                    uploads,
                    principal=principal,
                    replace=replace,
                    submit=False,
                    now=now,
                    deadline_day=None,
                )
                for preview, plan in planned
            ]
    except ImportRejected as rejected:
        _audit_refusal(engine, principal, uploads, "problems", now, rejected.problems)
        raise
    log.info("batch import of %d compound-months by %s", len(results), principal.username)
    return BatchResult(results, batch.notices)


def _audit_refusal(engine: Engine, principal: Principal, uploads: list[Upload], reason, now, problems) -> None:
    audit_rejection(
        engine, principal=principal, uploads=uploads, target="batch", reason=reason, problems=problems, now=now
    )
