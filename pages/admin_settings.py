"""系统设置: reporting deadline and alert thresholds (validated and audited in services)."""

import streamlit as st

from services import boundaries, geo, settings_store
from services.access import PermissionDenied
from services.formatting import md_escape
from services.themes import governance_index as gi
from ui.context import current_principal, engine, tr

actor = current_principal()
st.title(tr("settings.title"))
current = settings_store.all_values(engine())
current["report_deadline_day"] = settings_store.deadline_day(engine())
with st.form("settings"):
    chosen = {key: st.number_input(tr(f"settings.{key}"), value=int(value), step=1) for key, value in current.items()}
    if st.form_submit_button(tr("settings.save"), type="primary"):
        try:
            for key, value in chosen.items():
                if value != current[key]:
                    settings_store.set_value(engine(), actor, key, int(value))
            st.success(tr("settings.saved"))
        except (ValueError, PermissionDenied) as exc:
            st.error(md_escape(str(exc)))

st.subheader(tr("settings.flags"))
with st.form("setting_flags"):
    flags = settings_store.flags(engine())
    chosen_flags = {key: st.checkbox(tr(f"settings.{key}"), value=value) for key, value in flags.items()}
    if st.form_submit_button(tr("settings.save")):
        try:
            for key, value in chosen_flags.items():
                if value != flags[key]:
                    settings_store.set_value(engine(), actor, key, bool(value))
            st.success(tr("settings.saved"))
        except (ValueError, PermissionDenied) as exc:
            st.error(md_escape(str(exc)))

st.subheader(tr("index.weights"))
weights = gi.weights(engine())
with st.form("index_weights"):
    chosen_weights = {
        c: st.number_input(tr(f"component.{c}"), min_value=0, max_value=100, value=int(weights[c]))
        for c in gi.COMPONENTS
    }
    if st.form_submit_button(tr("settings.save")):
        try:
            settings_store.set_value(engine(), actor, "index_weights", {c: int(v) for c, v in chosen_weights.items()})
            st.success(tr("settings.saved"))
        except (ValueError, PermissionDenied) as exc:
            st.error(md_escape(str(exc)))

st.subheader(tr("boundary.title"))
st.caption(tr("boundary.help"))
loaded = boundaries.load(engine())
if loaded is None:
    st.info(tr("boundary.none"))
else:
    st.text(tr("boundary.current", file=loaded.source_name, features=len(loaded.features), system=loaded.system))
    if st.button(tr("boundary.remove"), key="boundary_remove"):
        try:
            boundaries.remove(engine(), actor)
            st.success(tr("boundary.removed"))
        except PermissionDenied as exc:
            st.error(md_escape(str(exc)))
upload = st.file_uploader(tr("boundary.file"), type=["geojson", "json"], key="boundary_file")
system = st.selectbox(tr("boundary.system"), geo.SYSTEMS, key="boundary_system", placeholder=tr("ui.choose"))
if upload is not None:
    try:
        parsed = boundaries.parse(upload.getvalue(), upload.name, system)
    except boundaries.BoundaryError as exc:
        st.error(md_escape(str(exc)))
    else:
        lon0, lat0, lon1, lat1 = parsed.bbox()
        st.text(
            tr(
                "boundary.preview",
                features=len(parsed.features),
                points=f"{parsed.points:,}",
                lon0=f"{lon0:.4f}",
                lon1=f"{lon1:.4f}",
                lat0=f"{lat0:.4f}",
                lat1=f"{lat1:.4f}",
            )
        )
        if st.button(tr("boundary.save"), type="primary", key="boundary_save"):
            try:
                boundaries.save(engine(), actor, parsed)
                st.success(tr("boundary.saved"))
            except PermissionDenied as exc:
                st.error(md_escape(str(exc)))
