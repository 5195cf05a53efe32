"""Excel workbooks (.xlsx), read with openpyxl in read-only mode after ``sniff`` has vetted the package.

Each worksheet becomes a ``Grid``: typed cell values (formulas and error values marked as such),
whether the sheet is hidden, and its merged ranges (read from the sheet XML, which read-only
mode does not expose).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

import openpyxl
from defusedxml.ElementTree import fromstring
from openpyxl.utils.cell import range_boundaries

from services.ingest.layout import Grid
from services.ingest.uploads import FileRefused, Limits
from services.ingest.values import ExcelError, Formula, is_blank

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _cell_value(cell):
    value = getattr(cell, "value", None)
    if value is None:
        return None
    kind = getattr(cell, "data_type", None)
    if kind == "f":
        return Formula(str(value))
    if kind == "e":
        return ExcelError(str(value))
    return value


def read_workbook(name: str, data: bytes, limits: Limits) -> list[Grid]:
    """Every worksheet of the workbook as a grid (chart sheets are skipped)."""
    merges = _merged_ranges(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # noqa: BLE001 - any parser failure means the same thing to the user
        raise FileRefused(
            "工作簿无法读取（文件损坏或格式不标准）", "请在 Excel/WPS 中重新保存为 .xlsx 后上传", "file.corrupt"
        ) from None
    grids = []
    try:
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # a wrong <dimension> must not cut rows or columns off
            rows, filled = [], 0
            for number, cells in enumerate(sheet.iter_rows(min_row=1), start=1):
                values = [_cell_value(c) for c in cells]
                while values and is_blank(values[-1]):
                    values.pop()
                if not values:
                    continue
                if len(values) > limits.max_columns:
                    raise FileRefused(
                        f"工作表「{sheet.title}」的列数超过 {limits.max_columns} 列", "请删除多余的列", "limits.columns"
                    )
                filled += 1
                if filled > limits.max_rows + 100:
                    raise FileRefused(
                        f"工作表「{sheet.title}」超过 {limits.max_rows} 行的上限", "请拆分后分别上传", "limits.rows"
                    )
                rows.append((number, values))
            hidden = sheet.sheet_state != "visible"
            grids.append(
                Grid(file=name, sheet=sheet.title, hidden=hidden, rows=rows, merged=merges.get(sheet.title, []))
            )
    except FileRefused:
        raise
    except Exception:  # noqa: BLE001
        raise FileRefused(
            "工作簿无法读取（文件损坏或格式不标准）", "请在 Excel/WPS 中重新保存为 .xlsx 后上传", "file.corrupt"
        ) from None
    finally:
        book.close()
    return grids


def _merged_ranges(data: bytes) -> dict[str, list[tuple[int, int, int, int]]]:
    """Sheet title → merged ranges as (min_col, min_row, max_col, max_row)."""
    out: dict[str, list[tuple[int, int, int, int]]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            book = fromstring(archive.read("xl/workbook.xml"))
            rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
            for sheet in book.iter(f"{_NS_MAIN}sheet"):
                target = targets.get(sheet.get(f"{_NS_REL}id"), "")
                path = (
                    target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
                )
                if path not in archive.namelist():
                    continue
                found = set()
                tail = b""
                with archive.open(path) as fh:
                    while chunk := fh.read(256 * 1024):
                        found.update(m.group(1) for m in _MERGE.finditer(tail + chunk))
                        tail = chunk[-200:]
                out[sheet.get("name", "")] = sorted(range_boundaries(ref.decode()) for ref in found)
    except Exception:  # noqa: BLE001 - openpyxl reports a broken package with a clearer refusal
        return {}
    return out
