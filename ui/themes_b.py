"""Layout helpers shared by the facilities, votes, finance and property pages (no business rules:
every figure comes from ``services.themes`` through ``ui.data.metric``)."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import streamlit as st

from services import formatting
from services.domain import Period
from services.i18n import ZH
from ui.context import current_principal, lang, tr
from ui.filters import open_compound, set_town
from ui.widgets import download_table, kpi

SHARED_HEADERS = {"town", "code", "compound", "households", "compounds", "month", "cases_received"}


class Figure(NamedTuple):
    """A headline figure: its kpi.* / formula.* key, the summary field, and how to show it."""

    key: str
    field: str
    kind: str = "count"  # count / rate / yuan / per100
    inverse: bool = False  # a rise is bad news
    help_key: str | None = None


def shown(value, kind: str) -> str:
    if value is None or pd.isna(value):
        return formatting.NONE
    if kind == "rate":
        return formatting.percent(value)
    if kind == "yuan":
        return formatting.yuan(value, lang())
    if kind == "per100":
        return f"{float(value):.2f}"
    return formatting.number(value, lang())


def kpi_row(now: dict, before: dict, figures: list[Figure], ago: dict) -> None:
    """One row of headline figures, each with its change on the previous period and on the same
    months a year before (``ago``), and its formula."""
    for column, f in zip(st.columns(len(figures)), figures, strict=True):
        kpi(column, f.key, shown(now[f.field], f.kind), current=now[f.field], previous=before[f.field],
            year_ago=ago[f.field], inverse=f.inverse, rate=f.kind == "rate", help_key=f.help_key)  # fmt: skip


def headers(prefix: str, *names: str, **keys: str) -> dict[str, str]:
    """Column → text key, in order: shared headers from ``col.*``, the theme's own from
    ``<prefix>.col.*``; ``keys`` give a column another header (or add it at the end)."""
    out = {name: f"col.{name}" if name in SHARED_HEADERS else f"{prefix}.col.{name}" for name in names}
    out.update(keys)
    return out


def period_caption(period: Period) -> None:
    st.caption(tr("overview.period", period=period.label(), previous=period.previous().label(),
                   year_ago=period.year_before().label()))  # fmt: skip


def labelled(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Pick ``columns`` (column → text key) and rename them to their translated headers."""
    return frame[list(columns)].rename(columns={c: tr(k) for c, k in columns.items()})


def _column_config(columns: dict[str, str], *, percent=(), money=(), decimals=(), flags=()) -> dict:
    config = {}
    for cols, make in (
        (percent, lambda label: st.column_config.NumberColumn(label, format="percent")),
        (money, lambda label: st.column_config.NumberColumn(label, format="localized")),
        (decimals, lambda label: st.column_config.NumberColumn(label, format="%.2f")),
        (flags, lambda label: st.column_config.CheckboxColumn(label)),
    ):
        for col in cols:
            config[tr(columns[col])] = make(tr(columns[col]))
    return config


def table(frame: pd.DataFrame, columns: dict[str, str], *, name: str, key: str, selectable: bool = False,
          compound_rows: bool = False, **formats) -> object:  # fmt: skip
    """A translated, downloadable table; ``selectable`` lets a click pick one row, and with
    ``compound_rows`` (rows carrying a ``compound_id``) a click opens that compound's profile."""
    shown = labelled(frame, columns)
    formats.setdefault("money", [])
    formats["money"] = [*formats["money"], *[c for c in ("households",) if c in columns]]  # 69,015 户
    options: dict = {"hide_index": True, "column_config": _column_config(columns, **formats), "placeholder": "—"}
    if selectable or compound_rows:
        options.update(on_select="rerun", selection_mode="single-row", key=key)
    if compound_rows:
        st.caption(tr("overview.compounds_caption"))
    picked = st.dataframe(shown, **options)
    download_table(shown, name, key=f"{key}_download")
    if compound_rows and picked.selection.rows:
        open_compound(int(frame.iloc[picked.selection.rows[0]]["compound_id"]))
    return picked


def town_drill(towns: pd.DataFrame, columns: dict[str, str], *, name: str, key: str, caption_key: str,
               **formats) -> None:  # fmt: skip
    """County scope: one row per town; a click on a row filters the dashboard to that town."""
    st.caption(tr(caption_key))
    picked = table(towns, columns, name=name, key=key, selectable=True, **formats)
    if picked.selection.rows:
        set_town(towns.iloc[picked.selection.rows[0]]["town_code"])


def back_to_county(key: str) -> None:
    """In a town scope, officials who may see the county get a way back up."""
    if current_principal().role in ("admin", "county") and st.button("← " + tr("filter.all_towns"), key=key):
        set_town(None)


def formulas(keys: list[str], **values: object) -> None:
    with st.expander(tr("overview.formulas")):
        for key in keys:
            st.text(tr(key, **values))


def unit_label(unit: str) -> str:
    """A facility unit in the interface language (units outside the vocabulary stay as typed)."""
    key = f"fac.unit.{unit}"
    return tr(key) if key in ZH else unit
