"""Kinds of reporting period (month, quarter, year, custom), their labels and file-name codes."""

from __future__ import annotations

import re

from services.domain import Period, add_months
from services.i18n import t

KINDS = ("month", "quarter", "year", "custom")
COMPARES = ("previous", "year")
ZH_NUMERALS = {1: "一", 2: "二", 3: "三", 4: "四"}


def kind_of(period: Period) -> str:
    """month for one month, quarter for a calendar quarter, year for a calendar year, else custom."""
    months, first = len(period), int(period.start[5:])
    if months == 1:
        return "month"
    if months == 3 and first in (1, 4, 7, 10):
        return "quarter"
    if months == 12 and first == 1:
        return "year"
    return "custom"


def of_kind(kind: str, value: str) -> Period:
    """The period named by ``value``: '2025-07' (month), '2025Q3' (quarter), '2025' (year)."""
    if kind == "month":
        return Period(value, value)
    if kind == "quarter":
        year, quarter = value.split("Q")
        start = f"{year}-{(int(quarter) - 1) * 3 + 1:02d}"
        return Period(start, add_months(start, 2))
    if kind == "year":
        return Period(f"{value}-01", f"{value}-12")
    raise ValueError(f"no single-value form for a {kind} period")


def containing(kind: str, month: str) -> str:
    """The value naming the quarter ('2025Q3') or year ('2025') that ``month`` falls in."""
    if kind == "quarter":
        return f"{month[:4]}Q{(int(month[5:]) - 1) // 3 + 1}"
    if kind == "year":
        return month[:4]
    return month


def comparison(period: Period, compare: str) -> Period:
    if compare == "previous":
        return period.previous()
    if compare == "year":
        return period.year_before()
    raise ValueError(f"compare must be one of {COMPARES}, not {compare!r}")


def label(period: Period, lang: str = "zh") -> str:
    """'2025年第三季度', '2025年7月', '2025年', '2025-01 至 2025-05' (or the English forms)."""
    kind = kind_of(period)
    year, month = int(period.start[:4]), int(period.start[5:])
    if kind == "month":
        return t("deck.period.month", lang, year=year, month=month if lang == "zh" else f"{month:02d}")
    if kind == "quarter":
        quarter = (month - 1) // 3 + 1
        return t("deck.period.quarter", lang, year=year, quarter=ZH_NUMERALS[quarter] if lang == "zh" else quarter)
    if kind == "year":
        return t("deck.period.year", lang, year=year)
    return t("deck.period.custom", lang, start=period.start, end=period.end)


def code(period: Period) -> str:
    """A compact code for file names: 2025Q1, 202507, 2025, 202501-202505."""
    kind = kind_of(period)
    if kind == "quarter":
        return f"{period.start[:4]}Q{(int(period.start[5:]) - 1) // 3 + 1}"
    if kind == "year":
        return period.start[:4]
    if kind == "month":
        return period.start.replace("-", "")
    return f"{period.start.replace('-', '')}-{period.end.replace('-', '')}"


def safe_name(text: str) -> str:
    """``text`` usable as a file name on Windows and Linux (Chinese kept)."""
    return re.sub(r"_{2,}", "_", re.sub(r'[\\/:*?"<>|\s]+', "_", text)).strip("._") or "deck"


def default_index(kind: str, codes: list[str], last_closed: str) -> int:
    """Which of ``codes`` (newest first) a deck opens on: the newest quarter or year that ends by the
    last month whose reporting deadline has passed, so no month still being reported is in it."""
    return next((i for i, code in enumerate(codes) if of_kind(kind, code).end <= last_closed), 0)
