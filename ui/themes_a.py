"""Layout shared by the coverage, activities and cases pages: header, empty states, the
drill-down table (county → town → compound), column formats and the formula expander."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from services.domain import Period, add_months
from services.themes.coverage import BODIES
from ui.context import current_principal, tr
from ui.data import read
from ui.filters import Filters, open_compound, set_town
from ui.widgets import download_table

HEADERS = {  # frame column → text key, where it is not simply "col.<column>"
    "name": "col.compound",
    **{f"missing_{b}": f"cov.col.missing_{b}" for b in (*BODIES, "any")},
    **{f"has_{b}": f"cov.body.{b}" for b in BODIES},
    **{c: f"act.col.{c}" for c in (
        "participants", "volunteer_hours", "visited_hardship_party", "visited_hardship_residents", "visited_disabled",
        "visited_bereaved", "participants_per_100_households", "volunteer_hours_per_100_households",
        "households_visited_per_100_households", "activity_type")},
    **{c: f"case.col.{c}" for c in (
        "demands_received", "disputes_received", "cases_responded", "cases_resolved", "cases_transferred",
        "cases_open_at_end", "cases_closed", "response_rate", "median_days_to_close", "demands_per_100_households",
        "category", "satisfaction", "share", "bucket", "demands", "disputes", "cases", "stage")},
    "founded": "cov.col.founded",
    "branches": "cov.col.branches",
}  # fmt: skip


def header(column: str) -> str:
    return tr(HEADERS.get(column, f"col.{column}"))


def headers(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Pick ``columns`` and give them their translated headers."""
    return frame[columns].rename(columns={c: header(c) for c in columns})


def column_config(frame: pd.DataFrame, columns: list[str]) -> dict:
    """Rates as percentages, per-100 figures with two decimals, yes/no as check boxes, other
    numbers with thousands separators."""
    config = {}
    for c in columns:
        label = header(c)
        if c.endswith("_rate") or c == "share":
            config[label] = st.column_config.NumberColumn(label, format="percent")
        elif c.endswith("per_100_households"):
            config[label] = st.column_config.NumberColumn(label, format="%.2f")
        elif c.startswith("has_"):
            config[label] = st.column_config.CheckboxColumn(label)
        elif pd.api.types.is_numeric_dtype(frame[c]) and c != "code":
            config[label] = st.column_config.NumberColumn(label, format="localized")
    return config


def page_header(page_key: str, filters: Filters, *, previous: Period | None = None) -> None:
    st.title(tr("cov.title", page=tr(page_key), scope=filters.scope_label))
    if previous is not None:
        st.caption(tr("cov.period", period=filters.period.label(), previous=previous.label(),
                       year_ago=filters.period.year_before().label()))  # fmt: skip


def stop_without_compounds(filters: Filters, compounds: int) -> None:
    """Say why there is nothing to show when the scope holds no compound, and stop."""
    if compounds:
        return
    if filters.scope.compound_id is not None:
        st.info(tr("cov.no_compounds_compound"))
    elif filters.scope.town_code:
        st.info(tr("cov.no_compounds_town", town=filters.scope_label))
    else:
        st.info(tr("app.empty_db"))
    st.stop()


def chart_period(period: Period) -> Period:
    """At least the twelve months up to the period's end, for monthly charts."""
    return Period(min(period.start, add_months(period.end, -11)), period.end)


def formulas(keys: list[str]) -> None:
    with st.expander(tr("overview.formulas")):
        for key in keys:
            st.text(tr(key))


def table(frame: pd.DataFrame, columns: list[str], *, name: str, key: str, on_select=None) -> None:
    """A table with translated headers and formats, its downloads, and an optional row click."""
    shown = headers(frame, columns)
    options = {"on_select": "rerun", "selection_mode": "single-row"} if on_select else {}
    event = st.dataframe(shown, hide_index=True, column_config=column_config(frame, columns), placeholder="—", key=key,
                         **options)  # fmt: skip
    download_table(shown, name, key=f"{key}_download")
    if on_select and event.selection.rows:
        on_select(frame.iloc[event.selection.rows[0]])


def area_table(
    filters: Filters,
    *,
    towns: Callable[..., pd.DataFrame],
    compounds: Callable[..., pd.DataFrame],
    town_columns: list[str],
    compound_columns: list[str],
    key: str,
    name: str,
    **metric_kwargs,
) -> pd.DataFrame:
    """County scope: one row per town, a click filters to that town. Town or compound scope: one
    row per compound, a click opens its profile; officials get a way back to the county."""
    scope, period = filters.scope, filters.period
    tag = f"{name}_{period.start}_{period.end}"
    if scope.town_code is None and scope.compound_id is None:
        st.subheader(tr("cov.areas_town"))
        frame = read(towns, scope, period, **metric_kwargs)
        st.caption(tr("cov.drill_town"))
        table(frame, ["town", "compounds", "households", *town_columns], name=f"{tag}_towns", key=f"{key}_towns",
              on_select=lambda row: set_town(row["town_code"]))  # fmt: skip
        return frame
    in_town = scope.compound_id is None
    st.subheader(tr("cov.areas_compound", town=filters.scope_label) if in_town else tr("cov.areas_this_compound"))
    if current_principal().role in ("admin", "county") and st.button("← " + tr("filter.all_towns"), key=f"{key}_up"):
        set_town(None)
    frame = read(compounds, scope, period, **metric_kwargs)
    st.caption(tr("cov.drill_compound"))
    table(frame, ["code", "name", "households", *compound_columns], name=f"{tag}_compounds",
          key=f"{key}_compounds", on_select=lambda row: open_compound(int(row["compound_id"])))  # fmt: skip
    return frame
