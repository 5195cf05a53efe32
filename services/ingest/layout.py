"""Find the ledger in a grid of cells: its header row, its columns and its data rows.

The header row tells which ledger this is (title rows above it are tolerated); merged or
two-row headers, unknown, missing and duplicated columns are problems. Blank rows are skipped;
a trailing 合计/小计 row or a 填表人 line is ignored with a notice (we compute totals ourselves);
cells outside the header's columns are problems (ragged rows).
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from openpyxl.utils import get_column_letter

from services.ingest.problems import Notice, Problem, ProblemList
from services.ingest.values import display, is_blank
from services.ledgers import INSTRUCTIONS_SHEET, LEDGERS, Column, Ledger, header_key, ledger_for_sheet

HEADER_SCAN_ROWS = 10
FOOTER_STARTS = ("合计", "总计", "小计", "累计")
FOOTER_WORDS = ("填表人", "制表人", "填报人", "审核人", "负责人", "联系人", "填表日期", "制表日期", "报送日期", "盖章")
PERSONAL_HEADERS = ("姓名", "身份证", "电话", "手机", "联系方式", "住址", "门牌")
IGNORED_SHEETS = (INSTRUCTIONS_SHEET, "填报说明")


@dataclass
class Grid:
    """Cells as read from one CSV file or one worksheet; rows are (spreadsheet row, cells)."""

    file: str
    sheet: str | None
    hidden: bool
    rows: list[tuple[int, list]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_col, min_row, max_col, max_row)


@dataclass
class Record:
    row: int
    cells: dict[str, object]  # field → raw cell value


@dataclass
class Table:
    """One ledger found in a file: which columns it has and its data rows."""

    file: str
    sheet: str | None
    ledger: Ledger
    header_row: int
    columns: list[tuple[int, Column]]
    records: list[Record]
    usable: bool = True  # False when the header is too broken for row checks to mean anything

    @property
    def present(self) -> set[str]:
        return {c.field for _, c in self.columns}


def column_label(index: int) -> str:
    return f"{get_column_letter(index + 1)}列"


def _names(ledger: Ledger) -> dict[str, Column]:
    return {header_key(name): col for col in ledger.columns for name in col.names}


_LEDGER_NAMES = {ledger.name: _names(ledger) for ledger in LEDGERS}


def _score(cells: list, ledger: Ledger) -> int:
    names = _LEDGER_NAMES[ledger.name]
    return len({names[k].field for c in cells if isinstance(c, str) and (k := header_key(c)) in names})


def _find_header(rows: list[tuple[int, list]], named: Ledger | None) -> tuple[int, Ledger, list[Ledger]] | None:
    """(index in rows, ledger, other ledgers scoring as well) for the first row that reads as a header."""
    for i, (_, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        scores = {ledger.name: _score(cells, ledger) for ledger in LEDGERS}
        best = max(scores.values())
        if best < 2:
            continue
        if named is not None and scores[named.name] == best:
            return i, named, []
        leaders = [ledger for ledger in LEDGERS if scores[ledger.name] == best]
        return i, leaders[0], leaders[1:]
    return None


def _problem(grid: Grid, row, column, value, message, hint, code) -> Problem:
    return Problem(grid.file, grid.sheet, row, column, value, message, hint, code)


def locate(grid: Grid, problems: ProblemList, notices: list[Notice], *, max_rows: int) -> Table | None:
    """The ledger table in ``grid``, or None when the grid holds none (problems say why if it matters)."""
    sheet_name = unicodedata.normalize("NFKC", grid.sheet or "").strip()
    if grid.sheet is not None and sheet_name in IGNORED_SHEETS:
        notices.append(Notice(grid.file, grid.sheet, None, None, "说明页，已忽略"))
        return None
    rows = [(n, cells) for n, cells in grid.rows if any(not is_blank(c) for c in cells)]
    named = ledger_for_sheet(grid.sheet) if grid.sheet else None
    if not rows:
        if grid.sheet is None:
            problems.add(_problem(grid, None, None, None, "文件是空的", "请确认选对了文件", "file.empty"))
        return None
    found = _find_header(rows, named)
    if found is None:
        if grid.hidden:
            notices.append(Notice(grid.file, grid.sheet, None, None, "隐藏的工作表，不是台账，已忽略"))
            return None
        what = f"工作表「{grid.sheet}」" if grid.sheet else "文件"
        problems.add(
            _problem(
                grid,
                None,
                None,
                None,
                f"{what}里找不到台账的表头行（前{HEADER_SCAN_ROWS}行中没有“小区编码”等列名）",
                "请使用下载的模板，表头须在一行内且列名与模板一致；无关的工作表请删除",
                "header.not_found",
            )
        )
        return None
    index, ledger, rivals = found
    header_number, header = rows[index]
    if named is not None and named is not ledger:
        problems.add(
            _problem(
                grid,
                header_number,
                None,
                None,
                f"工作表名是「{named.name}」，但表头是「{ledger.name}」的",
                "请检查是否把数据贴错了工作表",
                "header.sheet_mismatch",
            )
        )
        return None
    if rivals:
        names = "、".join(r.name for r in [ledger, *rivals])
        problems.add(
            _problem(
                grid,
                header_number,
                None,
                None,
                f"无法判断是哪种台账（表头同时像 {names}）",
                "请使用下载的模板表头",
                "header.ambiguous",
            )
        )
        return None
    data_rows = rows[index + 1 :]
    if grid.hidden:
        if data_rows:
            problems.add(
                _problem(
                    grid,
                    None,
                    None,
                    None,
                    f"隐藏的工作表「{grid.sheet}」里有{ledger.name}的数据",
                    "请取消隐藏并核对内容后再上传，或删除该工作表",
                    "sheet.hidden",
                )
            )
        else:
            notices.append(Notice(grid.file, grid.sheet, None, None, "隐藏的空白台账工作表，已忽略", ledger.name))
        return None
    columns, usable = _columns(grid, ledger, header_number, header, problems)
    usable &= _check_merges(grid, header_number, problems)
    usable &= _check_second_header_row(grid, ledger, header_number, header, data_rows, columns, problems)
    table = Table(grid.file, grid.sheet, ledger, header_number, columns, [], usable)
    if usable:
        table.records = _records(grid, header, columns, data_rows, problems, notices, ledger, max_rows)
    return table


def _columns(grid: Grid, ledger: Ledger, row: int, header: list, problems: ProblemList):
    names = _LEDGER_NAMES[ledger.name]
    columns: list[tuple[int, Column]] = []
    seen: dict[str, int] = {}
    usable = True
    for i, cell in enumerate(header):
        if is_blank(cell):
            continue
        key = header_key(cell) if isinstance(cell, str) else ""
        col = names.get(key)
        if col is None:
            text = display(cell).strip()
            if any(word in text for word in PERSONAL_HEADERS):
                hint = "台账不收集居民姓名、身份证号、电话等个人信息，请删除该列"
            else:
                close = difflib.get_close_matches(text, [c.header for c in ledger.columns], n=1, cutoff=0.5)
                hint = f"是否应为“{close[0]}”？" if close else "请删除该列，或改为模板中的列名"
            problems.add(
                _problem(
                    grid, row, column_label(i), text, f"「{ledger.name}」没有这一列：“{text}”", hint, "header.unknown"
                )
            )
            continue
        if col.field in seen:
            problems.add(
                _problem(
                    grid,
                    row,
                    col.header,
                    None,
                    f"列“{col.header}”出现了两次（{column_label(seen[col.field])}和{column_label(i)}）",
                    "请删除重复的列",
                    "header.duplicate",
                )
            )
            usable = False
            continue
        seen[col.field] = i
        columns.append((i, col))
    for col in ledger.required:
        if col.field not in seen:
            problems.add(
                _problem(
                    grid,
                    row,
                    col.header,
                    None,
                    f"缺少必填列“{col.header}”",
                    "请使用模板表头，或补上这一列",
                    "header.missing",
                )
            )
    return columns, usable


def _check_merges(grid: Grid, header_row: int, problems: ProblemList) -> bool:
    ok = True
    for min_col, min_row, max_col, max_row in grid.merged:
        if max_row < header_row:
            continue  # titles above the header may be merged
        ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
        if min_row <= header_row:
            problems.add(
                _problem(
                    grid,
                    header_row,
                    None,
                    ref,
                    "表头有合并单元格（表头只能占一行）",
                    "请取消合并，使每一列在同一行有自己的列名（可直接使用模板）",
                    "header.merged",
                )
            )
        else:
            problems.add(
                _problem(
                    grid,
                    min_row,
                    column_label(min_col - 1),
                    ref,
                    "数据区有合并单元格",
                    "请取消合并，并在每一行都填上该值",
                    "layout.merged",
                )
            )
        ok = False
    return ok


def _check_second_header_row(grid, ledger, header_row, header, data_rows, columns, problems) -> bool:
    """A sub-header row directly under the header means a two-row (merged) header."""
    if not data_rows or data_rows[0][0] != header_row + 1:
        return True
    number, cells = data_rows[0]
    names = _LEDGER_NAMES[ledger.name]
    named_here = any(isinstance(c, str) and header_key(c) in names for c in cells)
    under_blank = any(not is_blank(c) and (i >= len(header) or is_blank(header[i])) for i, c in enumerate(cells))
    code_index = next((i for i, c in columns if c.required), None)
    no_key = code_index is None or code_index >= len(cells) or is_blank(cells[code_index])
    if named_here or (under_blank and no_key):
        problems.add(
            _problem(
                grid,
                number,
                None,
                None,
                "表头占了两行（多行表头或合并单元格）",
                "请把表头改为一行，每列一个列名（可直接使用模板）",
                "header.two_rows",
            )
        )
        return False
    return True


def _footer_kind(cells: list) -> bool:
    first = next((c for c in cells if not is_blank(c)), None)
    if not isinstance(first, str):
        return False
    return _footer_text(first)


@lru_cache(maxsize=4096)
def _footer_text(first: str) -> bool:
    # Cached: the first cell of a data row (the compound code) repeats down a whole ledger.
    text = "".join(unicodedata.normalize("NFKC", first).split())
    return text.startswith(FOOTER_STARTS) or any(word in text for word in FOOTER_WORDS)


def _records(grid, header, columns, data_rows, problems, notices, ledger, max_rows) -> list[Record]:
    records: list[Record] = []
    footer_rows: list[int] = []
    unnamed_reported: set[int] = set()
    width = len(header)
    named = [not is_blank(h) for h in header]  # cells under a named header are never ragged
    fields = [(i, col.field) for i, col in columns]
    for number, cells in data_rows:
        if _footer_kind(cells):
            footer_rows.append(number)
            continue
        if footer_rows:
            problems.add(
                _problem(
                    grid,
                    footer_rows[-1],
                    None,
                    None,
                    "“合计/填表人”行后面还有数据",
                    "合计或填表人行只能放在表格最后，或直接删除",
                    "layout.footer_middle",
                )
            )
            footer_rows.clear()
        for i, cell in enumerate(cells):
            if (i < width and named[i]) or is_blank(cell):
                continue
            if i >= width:
                problems.add(
                    _problem(
                        grid,
                        number,
                        column_label(i),
                        display(cell),
                        "这一行在表头以外的列还有内容",
                        "请删除多余的单元格，或检查是否错位",
                        "layout.ragged",
                    )
                )
                break
            if i not in unnamed_reported:
                unnamed_reported.add(i)
                problems.add(
                    _problem(
                        grid,
                        number,
                        column_label(i),
                        display(cell),
                        "这一列没有列名，却有数据",
                        "请补上模板中的列名，或删除这一列",
                        "layout.unnamed_column",
                    )
                )
        count = len(cells)
        records.append(Record(number, {name: (cells[i] if i < count else None) for i, name in fields}))
        if len(records) > max_rows:
            problems.add(
                _problem(grid, number, None, None, f"数据超过 {max_rows} 行的上限", "请拆分后分别上传", "limits.rows")
            )
            return []
    for number in footer_rows:
        notices.append(
            Notice(grid.file, grid.sheet, number, None, "合计/填表人行，已忽略（合计由系统计算）", ledger.name)
        )
    return records
