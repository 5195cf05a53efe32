"""治理指数: the composite per town and compound, every component and weight shown."""

import pandas as pd
import streamlit as st

from services.domain import Scope
from services.themes import governance_index as gi
from ui.context import current_principal, engine, tr
from ui.data import read
from ui.filters import current_filters, open_compound, set_town
from ui.notes import notes_panel
from ui.tables import download_table

filters = current_filters()
principal = current_principal()
st.title(tr("index.title", scope=filters.scope_label))
st.caption(tr("index.caption"))

weights = gi.weights(engine())
_, labels = gi.configured()
with st.expander(tr("index.components"), expanded=False):
    st.dataframe(
        pd.DataFrame(
            {
                tr("col.component"): [tr(f"component.{c}") for c in gi.COMPONENTS],
                tr("col.weight"): [weights[c] for c in gi.COMPONENTS],
                tr("col.rule"): [tr(f"rule.{c}") for c in gi.COMPONENTS],
                tr("col.slogan"): [labels[c] for c in gi.COMPONENTS],
            }
        ),
        hide_index=True,
        placeholder="—",
    )
    st.caption(tr("index.labels_note"))

COLUMNS = {
    "rank": "col.rank",
    "index": "col.index",
    "change": "col.change",
    **{c: f"component.{c}" for c in gi.COMPONENTS},
}


def shown(frame: pd.DataFrame, first: dict[str, str]) -> pd.DataFrame:
    names = {**first, **COLUMNS}
    return frame[list(names)].rename(columns={k: tr(v) for k, v in names.items()}).round(1)


if filters.scope.town_code is None and principal.role in ("admin", "county"):
    st.subheader(tr("index.towns"))
    towns = gi.town_index(read(gi.compound_index, Scope(), filters.period))  # one computation for both tables
    table = shown(towns, {"town": "col.town"})
    picked = st.dataframe(
        table, hide_index=True, placeholder="—", on_select="rerun", selection_mode="single-row", key="town_index"
    )
    if picked.selection.rows:
        set_town(towns.iloc[picked.selection.rows[0]]["town_code"])
    download_table(table, f"治理指数-各镇-{filters.period.end}", key="town_index_dl")

st.subheader(tr("index.compounds"))
compounds = read(gi.compound_index, filters.scope, filters.period)
if compounds.empty:
    st.info(tr("overview.no_data"))
    st.stop()
table = shown(compounds, {"town": "col.town", "code": "col.code", "name": "col.compound"})
picked = st.dataframe(
    table, hide_index=True, placeholder="—", on_select="rerun", selection_mode="single-row", key="compound_index"
)
if picked.selection.rows:
    open_compound(int(compounds.iloc[picked.selection.rows[0]]["compound_id"]))
download_table(table, f"治理指数-小区-{filters.period.end}", key="compound_index_dl")
notes_panel("index", filters)
