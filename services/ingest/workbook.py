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
from collections.abc import Iterator
from xml.etree.ElementTree import iterparse

import openpyxl
from defusedxml.ElementTree import fromstring
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser

from services.ingest.layout import Grid
from services.ingest.uploads import FileRefused, Limits
from services.ingest.values import ExcelError, Formula, is_blank

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW_TAG = f"{_NS_MAIN}row"
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")


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


def _typed_value(value, kind):
    if value is None:
        return None
    if kind == "f":
        return Formula(str(value))
    if kind == "e":
        return ExcelError(str(value))
    return value


def _plain_utf8(head: bytes) -> bool:
    """True when the sheet XML is UTF-8 (no UTF-16 bytes, no other declared encoding)."""
    if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    head = head.removeprefix(b"\xef\xbb\xbf")
    if head.startswith(b"<?xml") and b"?>" not in head:
        return False  # a declaration too long to read here
    declared = _XML_ENCODING.match(head)
    return declared is None or declared.group(1).lower() in (b"utf-8", b"utf8")


def _sheet_rows(sheet) -> Iterator[tuple[int, list]]:
    """(spreadsheet row, typed values) for every row of a read-only worksheet that has cells.

    openpyxl types each cell (shared strings, dates by number format, formulas, errors); only the
    XML is parsed here, with the standard library's C parser instead of defusedxml's pure-Python
    one, which is about twice as fast on a 100,000-row sheet. That is safe because ``sniff`` refused
    any DTD or entity declaration in the package before this runs, and a sheet in an encoding
    that byte scan cannot see through goes to openpyxl's defused reader instead. Rows and cells
    are placed as ``iter_rows`` places them: a row number not after the previous one is skipped,
    and a row spans to its last cell's column.
    """
    try:
        parser = WorkSheetParser(
            None,
            sheet._shared_strings,
            data_only=False,
            epoch=sheet.parent.epoch,
            date_formats=sheet.parent._date_formats,
            timedelta_formats=sheet.parent._timedelta_formats,
        )
        source = sheet._get_source()
    except AttributeError:  # another openpyxl: its own (slower) reader
        source = None
    if source is not None and not _plain_utf8(source.peek(256)[:256]):
        source.close()  # sniff's byte scan only sees DTDs in ASCII-compatible text: let defusedxml parse this
        source = None
    if source is None:
        for number, cells in enumerate(sheet.iter_rows(min_row=1), start=1):
            yield number, [_cell_value(c) for c in cells]
        return
    expected = 1
    with source:
        for _, element in iterparse(source):  # noqa: S314 - DTDs refused by sniff, encoding checked above
            if element.tag != _ROW_TAG:
                continue  # a cell's parts are read with its row; nothing else here is needed
            number, cells = parser.parse_row(element)
            element.clear()
            if number < expected:
                continue
            expected = number + 1
            if not cells:
                continue
            width = cells[-1]["column"]
            values = [None] * width
            for cell in cells:
                if 1 <= cell["column"] <= width:
                    values[cell["column"] - 1] = _typed_value(cell["value"], cell["data_type"])
            yield number, values


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
            for number, values in _sheet_rows(sheet):
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
                found: set[bytes] = set()
                tail = b""
                with archive.open(path) as fh:
                    while chunk := fh.read(256 * 1024):
                        found.update(m.group(1) for m in _MERGE.finditer(tail + chunk))
                        tail = chunk[-200:]
                out[sheet.get("name", "")] = sorted(range_boundaries(ref.decode()) for ref in found)
    except Exception:  # noqa: BLE001 - openpyxl reports a broken package with a clearer refusal
        return {}
    return out
