"""地图: every compound on an offline pydeck map, coloured by a chosen figure."""

import streamlit as st

from services import metrics
from services.charts import maps
from ui.context import lang, tr
from ui.data import cached_towns, map_boundaries, read
from ui.filters import current_filters, open_compound
from ui.notes import notes_panel

filters = current_filters()
st.title(tr("map.title") + " · " + filters.scope_label)
st.caption(filters.period.label())

chosen = st.selectbox(
    tr("map.metric"),
    maps.MAP_METRICS,
    format_func=lambda m: tr(f"col.{m}"),
    key="map_metric",
    placeholder=tr("ui.choose"),
)
compounds = read(metrics.by_compound, filters.scope, filters.period)
if compounds.empty or compounds[["lat", "lon"]].dropna().empty:
    st.info(tr("map.no_coords"))
    st.stop()

towns = cached_towns()
if filters.scope.town_code:
    towns = towns[towns["code"] == filters.scope.town_code]
deck, legend = maps.compound_map(compounds, towns, chosen, lang(), boundaries=map_boundaries())
event = st.pydeck_chart(
    deck, height=maps.MAP_HEIGHT_PX, key="compound_map", on_select="rerun", selection_mode="single-object"
)
picked = (event.selection.get("objects") or {}).get("compounds") or []
if picked:
    open_compound(int(picked[0]["compound_id"]))
st.caption(tr("map.caption"))

st.markdown("**" + tr("map.legend", metric=tr(f"col.{chosen}")) + "**")
st.altair_chart(maps.legend_chart(legend))
notes_panel("map", filters)
