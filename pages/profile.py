"""小区档案: one compound's card, timeline across all ledgers, rank in its town, alerts, cases, votes,
its supervision orders (officials issue one from an alert or the profile), and notes."""

import pandas as pd
import streamlit as st

from services import metrics, supervision
from services.charts.overview import trend_chart
from services.domain import Period, Scope, add_months
from services.formatting import md_escape
from services.i18n import ZH as TEXT_KEYS
from services.themes import alerts, profile
from ui.context import current_principal, lang, tr
from ui.data import read
from ui.filters import current_filters
from ui.notes import notes_panel
from ui.order_issue import alert_rows, issue_picker, order_cells, profile_row
from ui.orders import in_language, open_order
from ui.tables import download_table, facts_table, labelled, peer_table, table

filters = current_filters()
principal = current_principal()
period = filters.period
st.title(tr("page.profile"))

if principal.role == "secretary":
    compound_id = principal.compound_id
else:
    labels = read(metrics.compound_choices, filters.scope, period)
    wanted = st.query_params.get("compound")
    default = int(wanted) if wanted and wanted.isdigit() and int(wanted) in labels else None
    if wanted and default is None:  # a link to a compound outside what this user may see
        st.warning(tr("profile.denied"))
    compound_id = st.selectbox(
        tr("profile.pick"),
        list(labels),
        format_func=labels.get,
        placeholder=tr("profile.none"),
        index=list(labels).index(default) if default else None,
    )
    if compound_id is None:
        st.info(tr("profile.none"))
        st.stop()
    st.query_params["compound"] = str(compound_id)

one = Scope(compound_id=int(compound_id))
card = read(profile.compound_card, one, period)
if not card:
    st.warning(tr("profile.not_found"))
    st.stop()
st.header(md_escape(card["name"]))
st.caption(" · ".join(md_escape(x) for x in (card["town"], card["community"], card["address"], card["code"]) if x))

left, right = st.columns(2)
with left:
    st.subheader(tr("profile.facts"))
    keys = ("households", "buildings", "year_occupied", "compound_type", "party_members", "volunteers")
    st.dataframe(facts_table({tr(f"col.{k}"): card.get(k) for k in keys}), hide_index=True, placeholder="—")
with right:
    st.subheader(tr("profile.bodies"))
    bodies = {tr(f"body.{k}"): tr("body.yes") if v else tr("body.no") for k, v in card["bodies"].items()}
    st.dataframe(facts_table(bodies), hide_index=True, placeholder="—")
    st.subheader(tr("profile.secretary"))
    people = pd.DataFrame(card["secretaries"], columns=["display_name", "work_phone"])
    st.dataframe(
        people.rename(columns={"display_name": tr("col.secretary"), "work_phone": tr("col.work_phone")}),
        hide_index=True,
        placeholder="—",
    )

st.subheader(tr("profile.timeline"))
year = Period(add_months(period.end, -11), period.end)
timeline = read(profile.compound_timeline, one, year)
st.altair_chart(trend_chart(timeline, lang()), width="stretch")
yes_no = {True: tr("body.yes"), False: tr("body.no")}
shown = timeline.assign(
    status=timeline["status"].map(lambda s: tr(f"reporting.status.{s}")), disclosed=timeline["disclosed"].map(yes_no)
)
shown = shown.rename(columns={c: tr(f"col.{c}") for c in shown.columns})
st.dataframe(shown, hide_index=True, placeholder="—")
download_table(shown, f"小区台账-{card['code']}", key="timeline")

st.subheader(tr("profile.peers"))
st.dataframe(peer_table(read(metrics.peer_position, one, period)), hide_index=True, placeholder="—")

st.subheader(tr("profile.alerts"))
found = read(alerts.alerts, one, Period(period.end, period.end))
issue_rows = alert_rows(found, period.end)
if found.empty:
    st.success(tr("profile.no_alerts"))
else:
    named = found.assign(kind=found["kind"].map(lambda k: tr(f"alert.{k}")), order=order_cells(issue_rows, one))
    shown = labelled(named, ["kind", "value", "threshold", "order"], labels={"order": "so.col.order"})
    st.dataframe(shown, hide_index=True, placeholder="—")

st.subheader(tr("profile.orders"))
orders = read(supervision.orders, one)
if orders.empty:
    st.caption(tr("profile.orders_none"))
else:
    st.caption(tr("profile.orders_caption"))
    columns = ["id", "source", "requirement", "priority", "label", "deadline", "overdue"]
    table(
        in_language(orders),
        columns,
        name=f"督办单-{card['code']}",
        key="profile_orders",
        prefix="so",
        on_row=open_order,
    )
issue_picker([*issue_rows, profile_row(int(compound_id), card["name"], period)], one, key="profile")

for title, function in (("profile.cases", profile.compound_cases), ("profile.votes", profile.compound_votes)):
    st.subheader(tr(title))
    table = read(function, one, period)
    if table.empty:
        st.caption(tr("overview.no_data"))
        continue
    table = table.rename(columns={"kind": "case_kind", "status": "case_status"})
    table = table.rename(columns={c: tr(f"col.{c}") for c in table.columns if f"col.{c}" in TEXT_KEYS})
    st.dataframe(table, hide_index=True, placeholder="—")
    download_table(table, f"{tr(title)}-{card['code']}", key=function.__name__)
notes_panel("profile", filters, scope=one, scope_label=md_escape(card["name"]))
