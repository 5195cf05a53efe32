"""Small display helpers shared by pages (no business rules: values come from services)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services import formatting
from services.metrics import change
from ui.context import lang, tr


def kpi(column, key: str, value: str, *, current=None, previous=None, help_key: str | None = None,
        inverse: bool = False, rate: bool = False) -> None:  # fmt: skip
    """One headline figure with its change against the previous period and its formula.

    Counts change in per cent; rates change in percentage points (a fall from 90% to 45% is
    -45 points, not -50%)."""
    if rate:
        delta = formatting.signed_points(current, previous, lang())
    else:
        delta = formatting.signed_percent(change(current, previous))
    column.metric(
        tr(f"kpi.{key}"), value, delta=delta,
        delta_color="inverse" if inverse else "normal",
        help=tr(f"formula.{help_key or key}") + "\n\n" + tr("formula.change_points" if rate else "formula.change"),
        border=True,
    )  # fmt: skip


def table_columns(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Pick ``columns`` and rename them to their translated headers."""
    return frame[columns].rename(columns={c: tr(f"col.{c}") for c in columns})


def percent_column(label_key: str):
    return st.column_config.NumberColumn(tr(label_key), format="percent")


def number(value) -> str:
    return formatting.number(value, lang())
