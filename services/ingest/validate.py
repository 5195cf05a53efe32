"""Turn found tables into typed rows, applying every rule that needs nothing but the file itself.

Rules that tie two columns name the column whose value is missing or wrong and mention the
other. Rules that need the database (registry, permissions, the month) live in ``checks``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from services.ingest.contract import ACTIVITIES, CASES, DISCLOSURES, FACILITIES, REGISTRY, VOTES, Column, Ledger
from services.ingest.layout import Table
from services.ingest.problems import Notice, Problem, ProblemList
from services.ingest.read import ReadResult, read_upload
from services.ingest.uploads import Limits, Upload
from services.ingest.values import ValueIssue, display, parse_cell

OF_WHICH = ("visited_hardship_party", "visited_hardship_residents", "visited_disabled", "visited_bereaved")
AREAS = ("total_area", "participating_area", "agree_area")


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
                        "请把同一台账的数据合并到一个文件或工作表中",
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
    parsers = [(col, ledger.max_length(col), {}) for col in ledger.columns if col.field in present]
    blank_row = dict.fromkeys(col.field for col in ledger.columns)  # absent columns stay None
    rules = ROW_RULES.get(ledger.key, _no_rules)
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
        if rules is not _no_rules:
            for field_name, message, hint, code in rules(values, parsed.failed):
                problems.add(out.problem(record.row, field_name, display(values.get(field_name)), message, hint, code))
        out.rows.append(parsed)
    _check_duplicates(out, problems)
    return out


def _check_duplicates(rows: LedgerRows, problems: ProblemList) -> None:
    key = rows.ledger.entity_field or ("code" if rows.ledger is REGISTRY else None)
    if rows.ledger is DISCLOSURES:
        for extra in rows.rows[1:]:
            problems.add(
                rows.problem(
                    extra.row,
                    "month",
                    None,
                    f"财务公开台账每月只填一行（第{rows.rows[0].row}行已填）",
                    "请把当月收支合计后填在一行",
                    "rule.disclosure_one_row",
                )
            )
    if key is None:
        return
    first: dict[object, int] = {}
    for row in rows.rows:
        value = row.values.get(key)
        if value is None:
            continue
        if value in first:
            header = rows.ledger.column(key).header
            problems.add(
                rows.problem(
                    row.row,
                    key,
                    value,
                    f"{header}与第{first[value]}行重复",
                    "同一编号一个月只填一行（填写最新状态）",
                    "rule.duplicate_key",
                )
            )
        else:
            first[value] = row.row


def _no_rules(values, failed):
    return []


def _known(values: dict, failed: set, *names: str) -> bool:
    return all(n not in failed for n in names)


def _activity_rules(v: dict, failed: set):
    total = v.get("visited_households")
    for name in OF_WHICH:
        sub = v.get(name)
        if sub is None or not _known(v, failed, name, "visited_households"):
            continue
        header = ACTIVITIES.column(name).header
        if total is None:
            yield (
                "visited_households",
                f"填了“{header}”，但“慰问户数”为空",
                "请填写慰问总户数（不少于各分项）",
                "rule.of_which_total_missing",
            )
            return
        if sub > total:
            yield (name, f"“{header}”大于“慰问户数”（{total}）", "分项户数不能超过慰问户数", "rule.of_which")


def _case_rules(v: dict, failed: set):
    received, responded, closed, status = (
        v.get(k) for k in ("received_date", "first_response_date", "closed_date", "status")
    )
    if received and responded and responded < received:
        yield (
            "first_response_date",
            f"首次回应日期早于受理日期（{received}）",
            "日期不能倒退，请核对",
            "rule.dates_backwards",
        )
    if closed and responded and closed < responded:
        yield "closed_date", f"办结日期早于首次回应日期（{responded}）", "日期不能倒退，请核对", "rule.dates_backwards"
    elif closed and received and closed < received:
        yield "closed_date", f"办结日期早于受理日期（{received}）", "日期不能倒退，请核对", "rule.dates_backwards"
    if status == "已办结" and closed is None and _known(v, failed, "closed_date"):
        yield "closed_date", "状态是“已办结”，但办结日期为空", "请填写办结日期，或修改状态", "rule.closed_needs_date"
    if closed is not None and status is not None and status != "已办结":
        yield (
            "status",
            f"填了办结日期，但状态是“{status}”",
            "已办结的请把状态改为“已办结”；未办结请清空办结日期",
            "rule.date_needs_closed",
        )


def _facility_rules(v: dict, failed: set):
    status, started, completed = v.get("status"), v.get("started_date"), v.get("completed_date")
    if status == "完工" and completed is None and _known(v, failed, "completed_date"):
        yield (
            "completed_date",
            "状态是“完工”，但完工日期为空",
            "请填写完工日期，或修改状态",
            "rule.completed_needs_date",
        )
    if completed is not None and status is not None and status != "完工":
        yield (
            "status",
            f"填了完工日期，但状态是“{status}”",
            "已完工的请把状态改为“完工”；未完工请清空完工日期",
            "rule.date_needs_completed",
        )
    if started and completed and completed < started:
        yield "completed_date", f"完工日期早于开工日期（{started}）", "日期不能倒退，请核对", "rule.dates_backwards"


def _vote_rules(v: dict, failed: set):
    total, part, agree = v.get("total_households"), v.get("participating_households"), v.get("agree_households")
    if agree is not None and part is not None and agree > part:
        yield "agree_households", f"同意户数大于参与户数（{part}）", "同意户数不能超过参与户数", "rule.agree_le_part"
    if part is not None and total is not None and part > total:
        yield (
            "participating_households",
            f"参与户数大于业主总户数（{total}）",
            "参与户数不能超过业主总户数",
            "rule.part_le_total",
        )
    given = [a for a in AREAS if v.get(a) is not None or a in failed]
    if 0 < len(given) < len(AREAS):
        have = "、".join(VOTES.column(a).header for a in given)
        for missing in (a for a in AREAS if a not in given):
            yield (
                missing,
                f"填了{have}，但“{VOTES.column(missing).header}”为空",
                "面积三项要么都填，要么都不填",
                "rule.areas_all_or_none",
            )
    ta, pa, aa = (v.get(a) for a in AREAS)
    if aa is not None and pa is not None and aa > pa:
        yield "agree_area", f"同意面积大于参与面积（{pa}）", "同意面积不能超过参与面积", "rule.agree_le_part"
    if pa is not None and ta is not None and pa > ta:
        yield (
            "participating_area",
            f"参与面积大于专有部分总面积（{ta}）",
            "参与面积不能超过总面积",
            "rule.part_le_total",
        )
    held, done, state = v.get("vote_date"), v.get("implemented_date"), v.get("implementation")
    if held and done and done < held:
        yield "implemented_date", f"落实日期早于表决日期（{held}）", "日期不能倒退，请核对", "rule.dates_backwards"
    if done is not None and state is not None and state != "已落实":
        yield (
            "implementation",
            f"填了落实日期，但落实状态是“{state}”",
            "已落实的请把状态改为“已落实”",
            "rule.date_needs_done",
        )


def _registry_rules(v: dict, failed: set):
    lon, lat, system = v.get("lon"), v.get("lat"), v.get("coord_system")
    if (lon is None) != (lat is None) and _known(v, failed, "lon", "lat"):
        missing, other = ("lat", "经度") if lat is None else ("lon", "纬度")
        yield (
            missing,
            f"填了{other}，但“{REGISTRY.column(missing).header}”为空",
            "经度和纬度要么都填，要么都不填",
            "rule.coords_pair",
        )
    if lon is not None and lat is not None and system is None and _known(v, failed, "coord_system"):
        yield (
            "coord_system",
            "填了经纬度，但坐标系为空",
            "请填写 WGS84（GPS）、GCJ02（高德/腾讯）或 BD09（百度）",
            "rule.coords_system",
        )


ROW_RULES = {
    ACTIVITIES.key: lambda v, f: list(_activity_rules(v, f)),
    CASES.key: lambda v, f: list(_case_rules(v, f)),
    FACILITIES.key: lambda v, f: list(_facility_rules(v, f)),
    VOTES.key: lambda v, f: list(_vote_rules(v, f)),
    REGISTRY.key: lambda v, f: list(_registry_rules(v, f)),
}
