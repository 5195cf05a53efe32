"""小区档案: edit one compound (coordinates in WGS-84, GCJ-02 or BD-09, shown on a mini-map) or
import the registry in bulk — both through the importer's registry rules and audit."""

import pydeck as pdk
import streamlit as st

from services import geo, ingest, metrics
from services.domain import COMPOUND_TYPES, COUNTY
from services.formatting import md_escape
from services.ingest import ImportRejected
from ui.context import current_principal, engine, tr
from ui.data import cached_registry_row, cached_towns, read
from ui.upload import show_preview

actor = current_principal()
st.title(tr("registry.title"))
st.caption(tr("registry.help"))

choices = {0: tr("registry.new"), **read(metrics.compound_choices, COUNTY)}
picked = st.selectbox(tr("registry.pick"), list(choices), format_func=choices.get, placeholder=tr("ui.choose"))
row = cached_registry_row(picked) if picked else {}
towns = cached_towns()

st.markdown("**" + tr("registry.coords") + "**")
c1, c2, c3 = st.columns(3)
system = c1.selectbox(tr("registry.system"), geo.SYSTEMS, key=f"system_{picked}", placeholder=tr("ui.choose"))
lon = c2.number_input(tr("registry.lon"), value=float(row.get("lon") or 103.373), format="%.6f", key=f"lon_{picked}")
lat = c3.number_input(tr("registry.lat"), value=float(row.get("lat") or 29.907), format="%.6f", key=f"lat_{picked}")
wgs_lon, wgs_lat = geo.to_wgs84(lon, lat, system)
st.caption(tr("registry.converted", lon=f"{wgs_lon:.6f}", lat=f"{wgs_lat:.6f}"))
point = pdk.Layer(
    "ScatterplotLayer",
    data=[{"lon": wgs_lon, "lat": wgs_lat}],
    get_position=["lon", "lat"],
    get_radius=40,
    get_fill_color=[178, 34, 34],
    radius_min_pixels=6,
)
st.pydeck_chart(
    pdk.Deck(
        layers=[point],
        map_provider=None,
        tooltip=False,
        initial_view_state=pdk.ViewState(latitude=wgs_lat, longitude=wgs_lon, zoom=14),
    ),
    height=240,
)

with st.form("compound"):
    left, right = st.columns(2)
    values = {
        "小区编码": left.text_input("小区编码 *", row.get("code", "")),
        "小区名称": left.text_input("小区名称 *", row.get("name", "")),
        "所属镇": left.selectbox(
            "所属镇 *",
            list(towns["name"]),
            index=list(towns["code"]).index(row["town_code"]) if row.get("town_code") else 0,
            placeholder=tr("ui.choose"),
        ),
        "所属社区": left.text_input("所属社区", row.get("community") or ""),
        "地址": left.text_input("地址", row.get("address") or ""),
        "户数": right.number_input("户数 *", min_value=0, value=int(row.get("households") or 0)),
        "楼栋数": right.number_input("楼栋数", min_value=0, value=int(row.get("buildings") or 0)),
        "类型": right.selectbox(
            "类型",
            COMPOUND_TYPES,
            index=COMPOUND_TYPES.index(row.get("compound_type") or "住宅"),
            placeholder=tr("ui.choose"),
        ),
        "物业公司": right.text_input("物业公司（没有请填“无”）", row.get("property_company") or "无"),
        "包保联系单位": right.text_input("包保联系单位", row.get("liaison_unit") or ""),
        "入住年份": left.text_input("入住年份", str(row.get("year_occupied") or "")),
        "党支部成立日期": left.text_input("党支部成立日期", str(row.get("branch_founded") or "")),
        "党员人数": left.text_input("党员人数", str(row.get("party_members") or "")),
        "业委会成立日期": right.text_input("业委会成立日期", str(row.get("owners_committee_founded") or "")),
        "妇联成立日期": right.text_input("妇联成立日期", str(row.get("womens_federation_founded") or "")),
        "志愿者人数": right.text_input("志愿者人数", str(row.get("volunteers") or "")),
    }
    submitted = st.form_submit_button(tr("registry.save"), type="primary")

if submitted:
    record = {k: ("" if v is None else str(v)) for k, v in values.items()}
    record.update({"经度": f"{lon:.6f}", "纬度": f"{lat:.6f}", "坐标系": system})
    try:
        result = ingest.import_registry(engine(), principal=actor, files=[ingest.table_upload("小区档案", [record])])
        st.success(tr("registry.saved", summary=md_escape(result.describe())))
    except ImportRejected as rejected:
        show_preview(ingest.Preview(None, None, "", problems=rejected.problems))

with st.expander(tr("registry.upload")):
    files = st.file_uploader(
        tr("registry.upload"), type=["csv", "xlsx"], accept_multiple_files=True, label_visibility="collapsed"
    )
    if files and st.button(tr("registry.import")):
        try:
            result = ingest.import_registry(
                engine(), principal=actor, files=[ingest.Upload(f.name, f.getvalue()) for f in files]
            )
            st.success(tr("registry.saved", summary=md_escape(result.describe())))
        except ImportRejected as rejected:
            show_preview(ingest.Preview(None, None, "", problems=rejected.problems))
