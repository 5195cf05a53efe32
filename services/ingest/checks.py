"""Rules that need the database: which compound (and may this principal write it), which month,
the rules of the month, and whether a case or vote number continues an earlier month's entity."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from services.access import PermissionDenied, Principal, require_import
from services.domain import month_end, month_of, month_start
from services.ingest.problems import CHINA, Problem, ProblemList
from services.ingest.validate import LedgerRows, ParsedRow, ParsedUpload
from services.ledgers import MONTHLY_LEDGERS
from services.models import Compound, LedgerRow, Submission

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class CompoundRef:
    id: int
    code: str
    name: str
    town_code: str
    households: int
    active: bool = True


Authorize = Callable[["CompoundRef"], None]  # raises PermissionDenied when the compound may not be written


@dataclass
class MonthContext:
    compound: CompoundRef
    month: str
    earlier_keys: dict[str, set[str]] = field(default_factory=dict)  # ledger key → entity numbers seen before M


def local_today(now: dt.datetime) -> dt.date:
    """Today in China for a naive-UTC (or aware) ``now``."""
    aware = now if now.tzinfo else now.replace(tzinfo=dt.UTC)
    return aware.astimezone(CHINA).date()


def _compound(row) -> CompoundRef:
    return CompoundRef(row.id, row.code, row.name, row.town_code, row.households, row.active)


def compound_by(conn: Connection, *, code: str | None = None, compound_id: int | None = None) -> CompoundRef | None:
    stmt = select(Compound.id, Compound.code, Compound.name, Compound.town_code, Compound.households, Compound.active)
    stmt = stmt.where(Compound.id == compound_id) if compound_id is not None else stmt.where(Compound.code == code)
    row = conn.execute(stmt).first()
    return _compound(row) if row else None


def _code(row: ParsedRow) -> str:
    """A row's filled-in compound code (a ``code`` column, which parses to text)."""
    code = row.values["compound_code"]
    assert isinstance(code, str), code
    return code


def lost_zero_hint(conn: Connection, code: str) -> str:
    if code.isdigit():
        for (known,) in conn.execute(select(Compound.code).where(Compound.code.endswith(code))).all():
            if known != code and known.lstrip("0") == code.lstrip("0"):
                return f"编码开头的 0 可能被 Excel 去掉了（应为 {known}？）；请把该列设置为“文本”格式后重新输入"
    return "请核对小区编码（见小区档案）；新小区须先由管理员导入小区档案"


def resolve_compound(
    conn: Connection,
    parsed: ParsedUpload,
    *,
    principal: Principal,
    compound_code: str | None,
    compound_id: int | None,
    problems: ProblemList,
    authorize: Authorize | None = None,
) -> CompoundRef | None:
    """The one compound this upload is for, or None with problems saying why. ``authorize`` (a
    batch's scope rule) replaces the rule that a secretary writes only their own compound."""
    rows = [(lr, r) for lr in parsed.monthly for r in lr.rows if r.values.get("compound_code")]
    codes = {_code(r) for _, r in rows}
    known = {c: compound_by(conn, code=c) for c in sorted(codes)}
    chosen = None
    if compound_id is not None or compound_code is not None:
        chosen = compound_by(conn, code=compound_code, compound_id=compound_id)
        if chosen is None:
            files = ", ".join(u.name for u in parsed.uploads)
            problems.add(
                Problem(
                    files, None, None, None, compound_code, "所选小区不存在", "请刷新页面后重试", "compound.unknown"
                )
            )
            return None
    hints: dict[str, str] = {}
    for lr, row in rows:
        code = _code(row)
        ref = known[code]
        if ref is None:
            hint = hints.setdefault(code, lost_zero_hint(conn, code))
            problems.add(
                lr.problem(row.row, "compound_code", code, "小区编码在小区档案中不存在", hint, "compound.unknown")
            )
            continue
        chosen = chosen or ref
        if ref.id != chosen.id:
            problems.add(
                lr.problem(
                    row.row,
                    "compound_code",
                    code,
                    f"一次上报只能是一个小区的台账（应为 {chosen.code} {chosen.name}）",
                    "请只保留本小区的行，其他小区由各自的书记上报",
                    "compound.mixed",
                )
            )
    if chosen is None:
        return None
    if authorize is None and not principal.can_import:
        return None  # already reported as a problem of the account, not of the file
    first = next(((lr, r) for lr, r in rows if r.values["compound_code"] == chosen.code), None)
    try:
        if authorize is None:
            require_import(principal, chosen.id)
        else:
            authorize(chosen)
    except PermissionDenied as denied:
        if first is not None:
            lr, row = first
            problems.add(
                lr.problem(row.row, "compound_code", chosen.code, str(denied), "请上传本小区的台账", "auth.compound")
            )
        else:
            files = ", ".join(u.name for u in parsed.uploads)
            problems.add(Problem(files, None, None, None, None, str(denied), "请上传本小区的台账", "auth.compound"))
        return None
    if not chosen.active:
        files = ", ".join(u.name for u in parsed.uploads)
        problems.add(
            Problem(files, None, None, "小区编码", chosen.code, "该小区已停用", "请联系管理员", "compound.inactive")
        )
        return None
    return chosen


def earlier_entity_keys(conn: Connection, compound_id: int, month: str) -> dict[str, set[str]]:
    """Case, project and vote numbers already reported for this compound in months before ``month``."""
    out = {}
    for ledger in MONTHLY_LEDGERS:
        if ledger.entity_field is None:
            continue
        model = ledger.model
        assert issubclass(model, LedgerRow)  # the monthly ledgers' tables start with the LedgerRow columns
        key = getattr(model, ledger.entity_field)
        stmt = (
            select(key)
            .join(Submission, Submission.id == model.submission_id)
            .where(model.compound_id == compound_id, Submission.status == "current", Submission.month < month)
            .distinct()
        )
        out[ledger.key] = {k for (k,) in conn.execute(stmt)}
    return out


def implied_month(parsed: ParsedUpload) -> set[str]:
    """Months the rows point at (each ledger's ``month_field``): activity, case and vote dates, disclosure months."""
    months = set()
    for lr in parsed.monthly:
        for row in lr.rows:
            month = lr.ledger.row_month(row.values)
            if month is not None:
                months.add(month)
    return months


def resolve_month(parsed: ParsedUpload, month: str | None, today: dt.date, problems: ProblemList) -> str | None:
    files = ", ".join(u.name for u in parsed.uploads)
    if month is None:
        months = implied_month(parsed)
        if len(months) != 1:
            listed = "、".join(sorted(months)) or "无"
            problems.add(
                Problem(
                    files,
                    None,
                    None,
                    None,
                    None,
                    f"无法从文件确定上报月份（行中涉及的月份：{listed}）",
                    "请指定上报月份（页面上选择，或命令行 --month YYYY-MM）",
                    "month.unknown",
                )
            )
            return None
        month = months.pop()
    if not MONTH_RE.match(month):
        problems.add(
            Problem(files, None, None, None, month, "上报月份格式不对", "请写成 YYYY-MM，如 2025-03", "month.format")
        )
        return None
    if month > month_of(today):
        problems.add(
            Problem(files, None, None, None, month, "上报月份在未来", "只能上报本月及以前的月份", "month.future")
        )
        return None
    return month


def check_month_rules(parsed: ParsedUpload, ctx: MonthContext, today: dt.date, problems: ProblemList) -> None:
    """Rules of the month: which dates must fall in the reported month, and none after it."""
    m, first, last = ctx.month, month_start(ctx.month), month_end(ctx.month)
    for lr in parsed.monthly:
        dates = [col for col in lr.ledger.columns if col.kind == "date"]
        for row in lr.rows:
            flagged = _month_rules(lr, row, ctx, m, problems)
            for col in dates:
                value = row.values.get(col.field)
                if value is None or col.field in flagged:
                    continue
                assert isinstance(value, dt.date)  # a date column parses to dt.date
                if lr.ledger.skips_date_rules(col.field, row.values):
                    continue
                if not col.after_month and value > last:
                    problems.add(
                        lr.problem(
                            row.row,
                            col.field,
                            value,
                            f"日期晚于上报月份（{m}）",
                            "本月台账不能填写以后月份的日期，请在对应月份上报",
                            "month.after",
                        )
                    )
                elif value > today:
                    problems.add(lr.problem(row.row, col.field, value, "日期在未来", "请核对日期", "date.future"))
                elif col.after_month and value < first:
                    problems.add(
                        lr.problem(
                            row.row,
                            col.field,
                            value,
                            f"{col.header}早于所公开的月份（{m}）",
                            f"请核对{col.header}",
                            "month.before",
                        )
                    )


def _month_rules(lr: LedgerRows, row: ParsedRow, ctx: MonthContext, m: str, problems: ProblemList) -> set[str]:
    """The ledger's rule of the month (its ``month_problem``); returns the fields it flagged."""
    broken = lr.ledger.month_problem(row.values, m, ctx.earlier_keys.get(lr.ledger.key, set()))
    if broken is None:
        return set()
    field_name, value, message, hint = broken
    problems.add(lr.problem(row.row, field_name, value, message, hint, "month.rule"))
    return {field_name}
