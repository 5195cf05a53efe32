"""The 督办落实 slide: the supervision orders issued in the deck's scope and period.

Every number comes from ``services.supervision.figures`` (the headline) and ``figures_by`` (the
table: by town on the county's deck, by compound on a town's, by source on a compound's) and is
only formatted here, so the slide, the 督办 page and the governance index share each formula."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

from services import formatting, settings_store, supervision
from services.access import ClampedScope
from services.deck.model import Figure, Slide, Table
from services.domain import Period
from services.i18n import t

BREAKDOWN = {"county": "town", "town": "compound", "compound": "source"}
TABLE_ROWS = 12
FIGURES = (
    ("issued", "count"),
    ("closed", "count"),
    ("closed_on_time_rate", "rate"),
    ("overdue_rate", "rate"),
    ("sign_on_time_rate", "rate"),
    ("reminders", "count"),
)


def read(engine: Engine, scope: ClampedScope, period: Period, *, today: dt.date) -> tuple[dict, pd.DataFrame]:
    """The figures of the orders issued in ``period`` and their breakdown for the scope's level,
    judged on ``today`` (Beijing) with the configured signing days."""
    sign_days = settings_store.get_int(engine, "order_sign_days")
    figures = supervision.figures(engine, scope, sign_days=sign_days, period=period, today=today)
    by = supervision.figures_by(engine, scope, BREAKDOWN[scope.level], sign_days=sign_days, period=period, today=today)
    return {**figures, "sign_days": sign_days}, by


def _number(value, lang: str) -> str:
    return formatting.number(value, lang, decimals=0)


def _notes(figures: dict, lang: str) -> dict[str, str]:
    """The counts behind each rate, under its card."""
    n = {key: _number(figures[key], lang) for key in ("closed_on_time", "due", "overdue", "signed_on_time")}
    return {
        "closed_on_time_rate": t("deck.orders.note.on_time", lang, n=n["closed_on_time"], due=n["due"]),
        "overdue_rate": t("deck.orders.note.overdue", lang, n=n["overdue"]),
        "sign_on_time_rate": t(
            "deck.orders.note.signed", lang, n=n["signed_on_time"], judged=_number(figures["sign_judged"], lang)
        ),
    }


def slide(figures: dict, by: pd.DataFrame, *, level: str, lang: str, today: dt.date) -> Slide | None:
    """The slide, or None when no order was issued in the period (no slide then)."""
    if not figures["issued"]:
        return None
    notes = _notes(figures, lang)
    cards = tuple(
        Figure(
            f"orders_{key}",
            t(f"deck.fig.orders_{key}", lang),
            formatting.percent(figures[key]) if kind == "rate" else _number(figures[key], lang),
            note=notes.get(key),
        )
        for key, kind in FIGURES
    )
    table, total = _table(by, level, lang)
    rules = t("deck.orders.rules", lang, today=today.isoformat(), days=figures["sign_days"])
    more = t("deck.rows_more", lang, total=total, shown=len(table.rows)) if total > len(table.rows) else None
    return Slide(
        "orders",
        t("deck.slide.orders", lang),
        figures=cards,
        table=table,
        note=" ".join(filter(None, [rules, more])),
    )


def _table(by: pd.DataFrame, level: str, lang: str) -> tuple[Table, int]:
    """The breakdown, at most ``TABLE_ROWS`` rows; compounds with the most overdue orders first."""
    lead = {"town": "town", "compound": "name", "source": "source"}[BREAKDOWN[level]]
    if BREAKDOWN[level] == "compound":
        by = by.assign(_rate=pd.to_numeric(by["closed_on_time_rate"], errors="coerce"))
        by = by.sort_values(["overdue", "_rate", "name"], ascending=[False, True, True], na_position="last")
    rows = tuple(
        (
            str(r[lead]),
            _number(r["issued"], lang),
            _number(r["closed"], lang),
            formatting.percent(r["closed_on_time_rate"]),
            _number(r["overdue"], lang),
            formatting.percent(r["sign_on_time_rate"]),
            _number(r["reminders"], lang),
        )
        for r in by.to_dict("records")
    )
    first = {"town": "town", "compound": "compound", "source": "source"}[BREAKDOWN[level]]
    names = (first, "orders_issued", "orders_closed", "orders_on_time", "orders_overdue", "orders_signed")
    columns = tuple(t(f"deck.col.{c}", lang) for c in (*names, "orders_reminders"))
    return Table(columns, rows[:TABLE_ROWS], (False, *[True] * 6)), len(rows)
