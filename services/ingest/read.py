"""Read one uploaded file: sniff it, decode or unpack it, scan every cell for personal data,
and find the ledger tables in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import PurePath

from services.ingest.csvtext import read_text
from services.ingest.layout import Grid, Table, column_label, locate
from services.ingest.problems import Notice, Problem, ProblemList
from services.ingest.sniff import sniff
from services.ingest.uploads import FileRefused, Limits, Upload
from services.ingest.values import ExcelError, Formula
from services.ingest.workbook import read_workbook
from services.pii import find_pii

PII_HINT = "台账不得包含身份证号码、手机号码等个人信息，请删除后重新上传"
# Cells are scanned a block of rows at a time, joined by control characters: neither a digit, X,
# space, hyphen nor "+", they end every ID or mobile pattern as a cell's edge does (and NFKC leaves
# them alone), so a block without findings has no cell with findings.
CELL_JOIN, ROW_JOIN = "\x1f", "\x1e"
PII_BLOCK_ROWS = 500


@dataclass
class ReadResult:
    upload: Upload
    tables: list[Table] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    encoding: str | None = None


def _cell_text(cell) -> str | None:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Formula | ExcelError):
        return cell.text
    if isinstance(cell, bool) or cell is None or isinstance(cell, dt.date | dt.time | dt.timedelta):
        return None
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e19 else None
    return str(cell)


def scan_personal_data(grid: Grid, table: Table | None, problems: ProblemList) -> None:
    """Every resident ID or mobile number in any cell of ``grid`` (titles and footers too)."""
    names = {i: col.header for i, col in table.columns} if table else {}
    for start in range(0, len(grid.rows), PII_BLOCK_ROWS):
        block = grid.rows[start : start + PII_BLOCK_ROWS]
        if find_pii(ROW_JOIN.join(_row_text(cells) for _, cells in block)):
            _scan_cells(grid, table, names, block, problems)


def _row_text(cells: list) -> str:
    try:
        return CELL_JOIN.join(cells)  # a CSV row: every cell is already text
    except TypeError:
        return CELL_JOIN.join(text or "" for text in map(_cell_text, cells))


def _scan_cells(grid: Grid, table: Table | None, names: dict, block: list, problems: ProblemList) -> None:
    """Cell by cell, to say where each finding is (only for blocks of rows known to hold one)."""
    for number, cells in block:
        for i, text in enumerate(map(_cell_text, cells)):
            for finding in find_pii(text) if text else ():
                column = names.get(i) if table and number > table.header_row else None
                column = column or column_label(i)
                problems.add(
                    Problem(
                        grid.file,
                        grid.sheet,
                        number,
                        column,
                        finding.masked,
                        f"发现{finding.label_zh}",
                        PII_HINT,
                        f"pii.{finding.kind}",
                    )
                )


def read_upload(upload: Upload, limits: Limits, problems: ProblemList) -> ReadResult:
    """Tables found in ``upload``; anything wrong goes to ``problems``."""
    result = ReadResult(upload)
    try:
        kind = sniff(upload.data, limits)
        if kind == "xlsx":
            grids = read_workbook(upload.name, upload.data, limits)
        else:
            grid, result.encoding = read_text(upload.name, upload.data, limits)
            grids = [grid]
    except FileRefused as refused:
        problems.add(
            Problem(upload.name, None, refused.row, None, None, refused.message_zh, refused.hint_zh, refused.code)
        )
        return result
    suffix = PurePath(upload.name).suffix.lower()
    if kind == "xlsx" and suffix not in (".xlsx", ""):
        result.notices.append(
            Notice(upload.name, None, None, None, f"扩展名是 {suffix}，但内容是 Excel 工作簿，已按工作簿读取")
        )
    for grid in grids:
        table = locate(grid, problems, result.notices, max_rows=limits.max_rows)
        scan_personal_data(grid, table, problems)
        if table is not None:
            result.tables.append(table)
    return result
