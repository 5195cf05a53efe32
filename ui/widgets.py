"""Small display helpers shared by pages (no business rules: values come from services)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services import formatting
from services.metrics import change
from ui.context import lang, tr


def change_text(current, base, *, rate: bool) -> str | None:
    """The change from ``base`` to ``current``: per cent for counts, percentage points for rates."""
    return formatting.signed_points(current, base, lang()) if rate else formatting.signed_percent(change(current, base))


def kpi(column, key: str, value: str, *, current, previous, year_ago,
        help_key: str | None = None, inverse: bool = False, rate: bool = False) -> None:  # fmt: skip
    """One headline figure with its change on the previous period (环比, the arrow) and on the
    same months a year before (同比, the line under it); formulas in the help.

    Counts change in per cent; rates change in percentage points (a fall from 90% to 45% is
    -45 points, not -50%)."""
    delta = change_text(current, previous, rate=rate)
    helps = [tr(f"formula.{help_key or key}"), tr("formula.change_points" if rate else "formula.change"),
             tr("formula.yoy")]  # fmt: skip
    plain = delta is None
    box = column.container(border=True)
    box.metric(
        tr(f"kpi.{key}"), value, delta=formatting.NONE if plain else delta,
        delta_color="off" if plain else ("inverse" if inverse else "normal"), delta_arrow="off" if plain else "auto",
        delta_description=tr("kpi.mom"), help="\n\n".join(helps),
    )  # fmt: skip
    box.caption(tr("kpi.yoy", yoy=change_text(current, year_ago, rate=rate) or formatting.NONE))


def table_columns(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Pick ``columns`` and rename them to their translated headers."""
    return frame[columns].rename(columns={c: tr(f"col.{c}") for c in columns})


def percent_column(label_key: str):
    return st.column_config.NumberColumn(tr(label_key), format="percent")


def number(value) -> str:
    return formatting.number(value, lang())


def peer_table(peers: pd.DataFrame) -> pd.DataFrame:
    """The anonymised town comparison: my value, my rank of N, the town median."""

    def shown(figure: str, value) -> str:
        if value is None or pd.isna(value):
            return formatting.NONE
        return formatting.percent(value) if figure.endswith("rate") else f"{float(value):.2f}"

    return pd.DataFrame(
        {
            tr("col.figure"): [tr(f"col.{f}") for f in peers["figure"]],
            tr("col.mine"): [shown(f, v) for f, v in zip(peers["figure"], peers["value"], strict=True)],
            tr("col.rank"): [formatting.NONE if pd.isna(r) else f"{int(r)} / {n}"
                             for r, n in zip(peers["rank"], peers["compounds"], strict=True)],
            tr("col.town_median"): [shown(f, v) for f, v in zip(peers["figure"], peers["town_median"], strict=True)],
        }
    )  # fmt: skip


def download_table(frame: pd.DataFrame, name: str, *, key: str) -> None:
    """CSV (UTF-8 with BOM, opens in Chinese Excel) and .xlsx downloads of a shown table;
    text that would run as a formula is neutralised by services.exports."""
    from services import exports

    left, right = st.columns(2)
    # callables: the files are built when the button is clicked, not on every rerun
    left.download_button(tr("common.download_csv"), lambda: exports.csv_bytes(frame), f"{name}.csv", mime="text/csv",
                         key=f"{key}_csv", icon=":material/download:")  # fmt: skip
    right.download_button(tr("common.download_xlsx"), lambda: exports.xlsx_bytes(frame), f"{name}.xlsx",
                          key=f"{key}_xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/download:")  # fmt: skip


def facts_table(pairs: dict) -> pd.DataFrame:
    """A two-column label → value table (values shown as text, — when empty)."""
    return pd.DataFrame(
        {tr("col.figure"): list(pairs), tr("col.value"): ["—" if v in (None, "") else str(v) for v in pairs.values()]}
    )
