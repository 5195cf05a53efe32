"""The parts of a ledger: ``Column`` records and a ``Ledger`` whose hooks the ingest steps call.

A ledger module builds one ``Ledger`` (subclassing it when it has rules of its own); the
defaults here are what a ledger without such rules does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Protocol

from services.domain import month_of
from services.models import Base

KINDS_ZH = {
    "text": "文字",
    "code": "编码（按文本填写）",
    "int": "整数",
    "decimal": "数字",
    "percent": "比例",
    "date": "日期",
    "month": "月份",
    "enum": "单选",
    "multi-enum": "多选（用、或；分隔）",
}
MULTI_SEPARATORS = "、;；"

Finding = tuple[str, str, str, str]  # a broken row rule: (field, message, hint, code)
RowWarning = tuple[object, str | None, str]  # (the planned row, or None for the whole ledger; column; message)


class ParsedRow(Protocol):
    """A validated row as the hooks see it: its spreadsheet row number and its values."""

    row: int
    values: dict


class PlannedRow(Protocol):
    """A row about to be written, as the hooks see it: model field → value."""

    data: dict


@dataclass(frozen=True)
class Column:
    """One column of a ledger: its headers, type, allowed values and the model field it fills."""

    header: str
    field: str
    kind: str
    meaning: str
    example: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()
    synonyms: dict[str, str] = dataclasses.field(default_factory=dict)  # accepted spelling → allowed value
    none_words: tuple[str, ...] = ()  # text meaning "none", stored as empty
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    positive: bool = False  # strictly greater than zero
    places: int = 0  # decimal places allowed (int columns: 0)
    stored: bool = True  # False: read for validation only (e.g. 坐标系)
    after_month: bool = False  # dated after the month it reports (a 公示日期): may fall after it, not before

    @property
    def type_zh(self) -> str:
        return KINDS_ZH[self.kind]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class Ledger:
    """One ledger (a sheet or CSV file): its table, columns, month and key fields, and the hooks below."""

    name: str
    key: str  # the table it fills
    model: type[Base]
    columns: tuple[Column, ...]
    description: str
    entity_field: str | None = None  # rows with the same value update one entity (cases, projects, votes)
    monthly: bool = True
    unique_field: str | None = None  # without an entity number, the field no two rows may share
    month_field: str | None = None  # the date (or month) that places a row in a month
    month_rule: tuple[str, str] | None = None  # (message with {month}, hint) for a row outside the reported month
    closed_status: str | None = None  # the status that closes an entity; the others are open items

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def max_length(self, col: Column) -> int | None:
        if not col.stored or col.field not in self.model.__table__.c:
            return None
        return getattr(self.model.__table__.c[col.field].type, "length", None)

    @property
    def row_key(self) -> str | None:
        """The field no two rows of one upload may share: the entity number, or ``unique_field``."""
        return self.entity_field or self.unique_field

    @cached_property
    def _month_is_date(self) -> bool:
        return self.month_field is not None and self.column(self.month_field).kind == "date"

    def row_month(self, values: dict) -> str | None:
        """The month a row points at (its ``month_field``), or None."""
        value = values.get(self.month_field) if self.month_field else None
        if not value:
            return None
        return month_of(value) if self._month_is_date else value

    def month_problem(self, values: dict, month: str, earlier: set[str]) -> tuple[str, object, str, str] | None:
        """(field, value, message, hint) when a row breaks the rule of the month, else None; rows
        continuing an entity reported in an earlier month (``earlier``) are exempt."""
        if self.month_rule is None or self.month_field is None:
            return None
        if self.entity_field and values.get(self.entity_field) in earlier:
            return None
        in_month = self.row_month(values)
        if in_month is None or in_month == month:
            return None
        message, hint = self.month_rule
        return self.month_field, values[self.month_field], message.format(month=month), hint

    def row_rules(self, values: dict, failed: set[str]) -> Iterable[Finding]:
        """Rules tying a row's cells together; ``failed`` names the cells that were rejected."""
        return ()

    def sheet_rules(self, rows: Sequence[ParsedRow]) -> Iterable[tuple[int, str, object, str, str, str]]:
        """Rules over all of a sheet's rows: (row, field, shown value, message, hint, code)."""
        return ()

    def skips_date_rules(self, field_name: str, values: dict) -> bool:
        """True when a date of this row is exempt from the month's date rules."""
        return False

    def derive(self, row: dict) -> None:
        """Fill the derived columns of a row about to be written, in place."""

    def entity_warnings(self, data: dict, before: dict | None, households: int) -> Iterable[tuple[str, str]]:
        """(column, message) warnings for an entity row against its current state (``before``)."""
        return ()

    def month_on_month(self, rows: Sequence[PlannedRow], last: list[dict], households: int) -> Iterable[RowWarning]:
        """Warnings for this month's rows against last month's (``last``)."""
        return ()
