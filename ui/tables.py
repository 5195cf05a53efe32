"""Tables for people: one header lookup, one format rule, CSV and Excel downloads, an optional row click."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from services import exports, formatting
from services.i18n import ZH
from ui.context import tr

FRACTIONS = ("_rate", "share", "participation", "consent", "threshold")  # shown as percentages


def header_key(column: str, prefix: str = "") -> str:
    """The text key of a column's header: the view's own ``<prefix>.col.<column>`` when it has one,
    else the shared ``col.<column>``; a compound's ``name`` is headed 小区."""
    if column == "name":
        return "col.compound"
    own = f"{prefix}.col.{column}"
    return own if prefix and own in ZH else f"col.{column}"


def labelled(frame: pd.DataFrame, columns: list[str], *, prefix: str = "", labels: dict | None = None) -> pd.DataFrame:
    """``columns`` of ``frame`` under their translated headers; ``labels`` give a column another text key."""
    keys = {c: (labels or {}).get(c) or header_key(c, prefix) for c in columns}
    return frame[columns].rename(columns={c: tr(key) for c, key in keys.items()})


def column_config(frame: pd.DataFrame, headers: dict[str, str]) -> dict:
    """Yes/no as check boxes, fractions as percentages, figures per 100 households with two decimals,
    money and other numbers with thousands separators (``headers``: column → shown header)."""
    config = {}
    for column, label in headers.items():
        values = frame[column]
        if pd.api.types.is_bool_dtype(values):
            config[label] = st.column_config.CheckboxColumn(label)
        elif column.endswith(FRACTIONS):
            config[label] = st.column_config.NumberColumn(label, format="percent")
        elif column.endswith("per_100_households"):
            config[label] = st.column_config.NumberColumn(label, format="%.2f")
        elif column.endswith("_yuan") or (pd.api.types.is_numeric_dtype(values) and column != "code"):
            config[label] = st.column_config.NumberColumn(label, format="localized")
    return config


def table(
    frame: pd.DataFrame,
    columns: list[str],
    *,
    name: str,
    key: str,
    prefix: str = "",
    labels: dict | None = None,
    on_row: Callable[[pd.Series], None] | None = None,
) -> None:
    """``columns`` of ``frame`` with translated headers (see ``header_key``; ``prefix`` is the view's
    text prefix) and formats, its downloads as ``name``, and ``on_row(row)`` when a row is clicked."""
    shown = labelled(frame, columns, prefix=prefix, labels=labels)
    config = column_config(frame, dict(zip(columns, shown.columns, strict=True)))
    options = {"on_select": "rerun", "selection_mode": "single-row"} if on_row else {}
    event = st.dataframe(shown, hide_index=True, column_config=config, placeholder="—", key=key, **options)
    download_table(shown, name, key=f"{key}_download")
    if on_row and event.selection.rows:
        on_row(frame.iloc[event.selection.rows[0]])


def percent_columns(*columns: str) -> dict:
    """Column configs showing the ``col.<column>`` headers as percentages."""
    return {tr(f"col.{c}"): st.column_config.NumberColumn(tr(f"col.{c}"), format="percent") for c in columns}


def download_table(frame: pd.DataFrame, name: str, *, key: str) -> None:
    """CSV (UTF-8 with BOM, opens in Chinese Excel) and .xlsx downloads of a shown table;
    text that would run as a formula is neutralised by services.exports."""
    left, right = st.columns(2)
    # callables: the files are built when the button is clicked, not on every rerun
    left.download_button(
        tr("common.download_csv"),
        lambda: exports.csv_bytes(frame),
        f"{name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
    )
    right.download_button(
        tr("common.download_xlsx"),
        lambda: exports.xlsx_bytes(frame),
        f"{name}.xlsx",
        key=f"{key}_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
    )


def facts_table(pairs: dict) -> pd.DataFrame:
    """A two-column label → value table (values shown as text, — when empty)."""
    values = [formatting.NONE if v in (None, "") else str(v) for v in pairs.values()]
    return pd.DataFrame({tr("col.figure"): list(pairs), tr("col.value"): values})


def peer_table(peers: pd.DataFrame) -> pd.DataFrame:
    """The anonymised town comparison: my value, my rank of N, the town median."""

    def shown(figure: str, value) -> str:
        if value is None or pd.isna(value):
            return formatting.NONE
        return formatting.percent(value) if figure.endswith("rate") else f"{float(value):.2f}"

    figures = list(peers["figure"])
    ranks = zip(peers["rank"], peers["compounds"], strict=True)
    return pd.DataFrame(
        {
            tr("col.figure"): [tr(f"col.{f}") for f in figures],
            tr("col.mine"): [shown(f, v) for f, v in zip(figures, peers["value"], strict=True)],
            tr("col.rank"): [formatting.NONE if pd.isna(r) else f"{int(r)} / {n}" for r, n in ranks],
            tr("col.town_median"): [shown(f, v) for f, v in zip(figures, peers["town_median"], strict=True)],
        }
    )
