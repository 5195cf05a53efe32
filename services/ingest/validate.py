"""Turn found tables into typed rows, applying every rule that needs nothing but the file itself.

Each ledger's ``row_rules`` and ``sheet_rules`` (``services.ledgers``) name the column whose value
is missing or wrong and mention the other. Rules that need the database (registry, permissions,
the month) live in ``checks``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from services.ingest.layout import Table
from services.ingest.problems import Notice, Problem, ProblemList
from services.ingest.read import ReadResult, read_upload
from services.ingest.uploads import Limits, Upload
from services.ingest.values import ValueIssue, display, parse_cell
from services.ledgers import REGISTRY, Column, Ledger


@dataclass
class ParsedRow:
    row: int
    values: dict[str, object]
    failed: set[str] = field(default_factory=set)  # fields whose cell was rejected


@dataclass
class LedgerRows:
    ledger: Ledger
    file: str
    sheet: str | None
    header_row: int
    present: set[str]
    rows: list[ParsedRow] = field(default_factory=list)

    def problem(self, row: int | None, field_name: str | None, value, message: str, hint: str, code: str) -> Problem:
        header = self.ledger.column(field_name).header if field_name else None
        return Problem(self.file, self.sheet, row, header, value, message, hint, code)


@dataclass
class ParsedUpload:
    uploads: list[Upload]
    ledgers: list[LedgerRows]
    problems: ProblemList
    notices: list[Notice]
    reads: list[ReadResult]

    def by_key(self, key: str) -> LedgerRows | None:
        return next((lr for lr in self.ledgers if lr.ledger.key == key), None)

    @property
    def registry(self) -> LedgerRows | None:
        return self.by_key(REGISTRY.key)

    @property
    def monthly(self) -> list[LedgerRows]:
        return [lr for lr in self.ledgers if lr.ledger.monthly]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a file becomes millions of small objects.

    Rows hold no reference cycles, yet each full collection walks every live row: with 100,000
    rows that was ~40% of the CPU time. Reference counting still frees what is dropped; cycles
    (openpyxl's) wait for the next collection. The collector is switched back on afterwards only
    if it was on, so nested or concurrent imports never leave it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_uploads(uploads: list[Upload], limits: Limits) -> ParsedUpload:
    """Read, decode and validate every file; all problems are collected, none is raised."""
    with gc_paused():
        return _parse_uploads(uploads, limits)


def _parse_uploads(uploads: list[Upload], limits: Limits) -> ParsedUpload:
    problems = ProblemList(limits.max_problems)
    reads = [read_upload(u, limits, problems) for u in uploads]
    notices = [n for r in reads for n in r.notices]
    ledgers: list[LedgerRows] = []
    seen: dict[str, LedgerRows] = {}
    for read in reads:
        for table in read.tables:
            if table.sheet is None and table.usable and not table.records:
                problems.add(
                    Problem(
                        table.file,
                        None,
                        table.header_row,
                        None,
                        None,
                        "文件只有表头，没有数据行",
                        "本月没有事项请提交“本月无新增事项”（零报告），不要上传空表",
                        "file.header_only",
                    )
                )
            if not table.records:
                if table.sheet is not None and table.usable:
                    notices.append(
                        Notice(table.file, table.sheet, None, None, "没有数据行，未上报这一台账", table.ledger.name)
                    )
                continue
            if table.ledger.key in seen:
                first = seen[table.ledger.key]
                where = first.file if first.sheet is None else f"{first.file}「{first.sheet}」"
                problems.add(
                    Problem(
                        table.file,
                        table.sheet,
                        table.header_row,
                        None,
                        None,
                        f"「{table.ledger.name}」在本次上传中出现了两次（另一处：{where}）",
                        "如果其中一个是改错前的旧文件，请把它从上传列表中删去（点文件名旁的 ×）；"
                        "如果两处都是本月的数据，请合并到一个文件或工作表中",
                        "upload.duplicate_ledger",
                    )
                )
                continue
            rows = validate_table(table, problems)
            seen[table.ledger.key] = rows
            ledgers.append(rows)
    if not ledgers and not problems:
        problems.add(
            Problem(
                ", ".join(u.name for u in uploads),
                None,
                None,
                None,
                None,
                "上传的文件里没有任何数据行",
                "本月没有事项请提交“本月无新增事项”（零报告）",
                "upload.no_rows",
            )
        )
    return ParsedUpload(uploads, ledgers, problems, notices, reads)


# A cell's outcome depends only on its column and raw value, and ledgers repeat values (codes,
# dates, types, counts) down every column: parsing each distinct value once per column keeps a
# 100,000-row file inside the import budget. Capped so a file of unique texts cannot grow it unbounded.
MEMO_LIMIT = 50_000

Outcome = tuple[object, tuple[object, str, str, str] | None]  # (value, (shown value, message, hint, code) or None)


def _cell_outcome(col: Column, raw, limit: int | None) -> Outcome:
    """The value of one cell and the problem it causes, if any (shown value, message, hint, code)."""
    try:
        value = parse_cell(col, raw)
    except ValueIssue as issue:
        return None, (display(raw), issue.message_zh, issue.hint_zh, issue.code)
    if isinstance(value, str) and limit and len(value) > limit:
        return None, (value, f"内容过长（最多{limit}个字）", "请精简", "value.length")
    if value is None and col.required:
        return None, (None, "必填项为空", f"请填写“{col.header}”", "value.required")
    return value, None


def _memo_key(raw) -> tuple:
    # 1, 1.0 and True are equal keys in a dict, yet parse differently: the type is part of the key.
    return raw.__class__, raw


def validate_table(table: Table, problems: ProblemList) -> LedgerRows:
    """Typed rows of ``table``; every rejected cell and broken rule becomes a problem."""
    ledger, present = table.ledger, table.present
    out = LedgerRows(ledger, table.file, table.sheet, table.header_row, present)
    parsers: list[tuple[Column, int | None, dict[tuple, Outcome]]] = [
        (col, ledger.max_length(col), {}) for col in ledger.columns if col.field in present
    ]
    blank_row = dict.fromkeys(col.field for col in ledger.columns)  # absent columns stay None
    for record in table.records:
        parsed = ParsedRow(record.row, dict(blank_row))
        values, cells = parsed.values, record.cells
        for col, limit, memo in parsers:
            raw = cells.get(col.field)
            try:
                key = _memo_key(raw)
                outcome = memo.get(key)
            except TypeError:  # an unhashable cell value: parse it without the memo
                key, outcome = None, None
            if outcome is None:
                outcome = _cell_outcome(col, raw, limit)
                if key is not None and len(memo) < MEMO_LIMIT:
                    memo[key] = outcome
            value, issue = outcome
            if issue is not None:
                shown, message, hint, code = issue
                problems.add(out.problem(record.row, col.field, shown, message, hint, code))
                parsed.failed.add(col.field)
            values[col.field] = value
        for field_name, message, hint, code in ledger.row_rules(values, parsed.failed):
            problems.add(out.problem(record.row, field_name, display(values.get(field_name)), message, hint, code))
        out.rows.append(parsed)
    _check_sheet(out, problems)
    return out


def _check_sheet(rows: LedgerRows, problems: ProblemList) -> None:
    """The ledger's rules over all its rows, then no key (entity number or registry code) twice."""
    for row, field_name, shown, message, hint, code in rows.ledger.sheet_rules(rows.rows):
        problems.add(rows.problem(row, field_name, shown, message, hint, code))
    key = rows.ledger.row_key
    if key is None:
        return
    first: dict[object, int] = {}
    for parsed in rows.rows:
        value = parsed.values.get(key)
        if value is None:
            continue
        if value in first:
            header = rows.ledger.column(key).header
            problems.add(
                rows.problem(
                    parsed.row,
                    key,
                    value,
                    f"{header}与第{first[value]}行重复",
                    "同一编号一个月只填一行（填写最新状态）",
                    "rule.duplicate_key",
                )
            )
        else:
            first[value] = parsed.row
