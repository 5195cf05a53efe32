"""Download templates, generated from the contract: a UTF-8-with-BOM CSV per ledger and one
.xlsx with a sheet per ledger (header row only, drop-downs for fixed lists, text format for
codes) plus a 说明 sheet describing every column with an example — examples never sit in a data
sheet, so nobody imports one by mistake. Case and project sheets can come prefilled with a
compound's open cases and unfinished projects, so closing one means changing its status and
filling its closing date."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import Engine, select

from services.ingest.uploads import Upload
from services.ledgers import INSTRUCTIONS_SHEET, LEDGER_BY_NAME, LEDGERS, MONTHLY_LEDGERS, REGISTRY, Ledger, column_docs
from services.models import Compound, Submission, Town, table_of

FORMATTED_ROWS = 200
WORKBOOK_NAME = "台账模板.xlsx"
HEADER_FILL = PatternFill("solid", fgColor="FFE4E1")
REQUIRED_FONT = Font(bold=True, color="9C0006")

Prefill = dict[str, list[dict[str, object]]]  # ledger key → rows keyed by canonical header


def _registry_text(compound, field: str) -> str:
    """One cell of the compound's registry row as the template shows it."""
    if field == "town_code":
        return compound["town_name"]
    if field == "coord_system":
        return "WGS84" if compound["lon"] is not None else ""
    if field == "property_company":
        return compound["property_company"] or "无"
    value = compound.get(field)
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return _text(value)


def open_items(engine: Engine, compound_id: int) -> Prefill:
    """The compound's registry row (for checking: a monthly upload does not import it) and its open
    cases and unfinished projects (current state), ready to prefill."""
    with engine.connect() as conn:
        code = conn.execute(select(Compound.code).where(Compound.id == compound_id)).scalar_one()
        compound = (
            conn.execute(
                select(Compound.__table__, Town.name.label("town_name"))
                .join(Town, Town.code == Compound.town_code)
                .where(Compound.id == compound_id)
            )
            .mappings()
            .one()
        )
        open_ledgers = [ledger for ledger in LEDGERS if ledger.closed_status]
        out: Prefill = {ledger.key: [] for ledger in open_ledgers}
        out[REGISTRY.key] = [{c.header: _registry_text(compound, c.field) for c in REGISTRY.columns}]
        for ledger in open_ledgers:
            assert ledger.entity_field is not None  # a ledger with open items numbers its entities
            t = table_of(ledger.model)
            key = t.c[ledger.entity_field]
            stmt = select(t).where(
                t.c.compound_id == compound_id, t.c.is_current.is_(True), t.c.status != ledger.closed_status
            )
            for row in conn.execute(stmt.order_by(key)).mappings():
                out[ledger.key].append(
                    {c.header: code if c.field == "compound_code" else row.get(c.field) for c in ledger.columns}
                )
    return out


def filed_rows(engine: Engine, compound_id: int, month: str) -> Prefill:
    """The rows of the month's current report, per ledger, as the template's text: what the in-page
    table starts from, so editing one row sends every other row back unchanged."""
    s = Submission
    with engine.connect() as conn:
        code = conn.execute(select(Compound.code).where(Compound.id == compound_id)).scalar_one()
        current = conn.execute(
            select(s.id).where(s.compound_id == compound_id, s.month == month, s.status == "current")
        ).scalar()
        if current is None:
            return {}
        out: Prefill = {}
        for ledger in MONTHLY_LEDGERS:
            t = table_of(ledger.model)
            rows = conn.execute(select(t).where(t.c.submission_id == current).order_by(t.c.id)).mappings()
            shown: list[dict[str, object]] = [
                {c.header: code if c.field == "compound_code" else _text(row.get(c.field)) for c in ledger.columns}
                for row in rows
            ]
            if shown:
                out[ledger.key] = shown
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def template_csv(ledger_name: str, *, prefill: Prefill | None = None) -> bytes:
    """The ledger's header row (and any prefilled rows) as UTF-8-with-BOM CSV."""
    ledger = LEDGER_BY_NAME[ledger_name]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in ledger.columns])
    for row in (prefill or {}).get(ledger.key, []):
        writer.writerow([_text(row.get(c.header)) for c in ledger.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _ledger_sheet(book: Workbook, ledger: Ledger, rows: list[dict]) -> None:
    ws = book.create_sheet(ledger.name)
    ws.append([c.header for c in ledger.columns])
    ws.freeze_panes = "A2"
    last = FORMATTED_ROWS + 1
    for i, col in enumerate(ledger.columns, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i)
        cell.fill = HEADER_FILL
        cell.font = REQUIRED_FONT if col.required else Font(bold=True)
        ws.column_dimensions[letter].width = max(12, len(col.header) * 2 + 4)
        number_format = {"code": "@", "month": "@", "date": "yyyy-mm-dd"}.get(col.kind)
        if number_format:
            ws.column_dimensions[letter].number_format = number_format
            for r in range(2, last + 1):
                ws.cell(row=r, column=i).number_format = number_format
        if col.kind == "enum":
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(col.allowed) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="不是可选的值",
                error="请从下拉列表中选择",
            )
        else:
            dv = DataValidation(
                allow_blank=True,
                showInputMessage=True,
                promptTitle=col.header[:32],
                prompt=f"{col.meaning}。例：{col.example}"[:250],
            )
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)
    for r, row in enumerate(rows, start=2):
        for i, col in enumerate(ledger.columns, start=1):
            ws.cell(row=r, column=i, value=row.get(col.header))


def _instructions_sheet(book: Workbook, ledgers: Sequence[Ledger]) -> None:
    ws = book.create_sheet(INSTRUCTIONS_SHEET, 0)
    ws.append(["填报说明：数据页只保留表头，请从第2行起填写；示例只在本页，不要复制到数据页。"])
    ws.append(["每月一个小区上报一次；本月没有事项请提交“本月无新增事项”。不要填写居民姓名、身份证号、手机号。"])
    ws.append([])
    ws.append(["台账", "列名", "必填", "类型", "含义", "可选的值", "示例", "英文列名"])
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    wanted = {ledger.name for ledger in ledgers}
    for doc in column_docs():
        if doc["ledger"] not in wanted:
            continue
        for col in doc["columns"]:
            ws.append(
                [
                    doc["ledger"],
                    col["header"],
                    "是" if col["required"] else "",
                    col["type_zh"],
                    col["meaning"],
                    " / ".join(col["allowed"]),
                    col["example"],
                    ", ".join(col["aliases"]),
                ]
            )
    for letter, width in zip("ABCDEFGH", (14, 16, 6, 16, 48, 40, 22, 28), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=5):
        row[4].alignment = Alignment(wrap_text=True)
        row[5].alignment = Alignment(wrap_text=True)


def template_workbook(*, ledgers: Sequence[str] | None = None, prefill: Prefill | None = None) -> bytes:
    """One .xlsx with a 说明 sheet and a header-only sheet per ledger (default: all six)."""
    chosen = [LEDGER_BY_NAME[name] for name in ledgers] if ledgers else list(LEDGERS)
    book = Workbook()
    book.remove(book.active)
    for ledger in chosen:
        _ledger_sheet(book, ledger, (prefill or {}).get(ledger.key, []))
    _instructions_sheet(book, chosen)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_templates(out_dir: Path, *, prefill: Prefill | None = None) -> list[Path]:
    """Write every CSV template and the workbook into ``out_dir``; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for ledger in LEDGERS:
        path = out_dir / f"{ledger.name}.csv"
        path.write_bytes(template_csv(ledger.name, prefill=prefill))
        paths.append(path)
    path = out_dir / WORKBOOK_NAME
    path.write_bytes(template_workbook(prefill=prefill))
    paths.append(path)
    return paths


def table_upload(ledger_name: str, rows: list[dict]) -> Upload:
    """Rows typed into the in-page form, as an upload for the same pipeline as a file."""
    ledger = LEDGER_BY_NAME[ledger_name]
    return Upload(f"在线填报-{ledger.name}.csv", template_csv(ledger_name, prefill={ledger.key: rows}))
