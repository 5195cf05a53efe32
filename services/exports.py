"""Table exports that open correctly in Chinese Excel and cannot run formulas.

CSV is UTF-8 with a BOM (Excel on Chinese Windows otherwise assumes GBK). Text cells that
start with = + - @ tab or CR are prefixed with an apostrophe so Excel shows them as text.
"""

from __future__ import annotations

import io
import json

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text cell inert in spreadsheets; numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return _safe(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "数据") -> bytes:
    buffer = io.BytesIO()
    safe = _safe(frame)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet_name[:31])
        sheet = writer.sheets[sheet_name[:31]]
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # stored as a string, never as a formula
        for i, col in enumerate(safe.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in safe[col].head(200)]) + 2
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(width * 1.6, 60)
    return buffer.getvalue()


def json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
