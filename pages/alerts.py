"""预警: compounds needing a decision at the end of the period; a row opens the compound, and
officials issue a supervision order from a row (or open the one it already has)."""

import streamlit as st

from services.domain import Period
from services.themes import alerts
from services.themes.alerts import KINDS, alert_counts, alert_items
from ui.context import tr
from ui.data import read
from ui.filters import current_filters, open_compound
from ui.kpis import plain_card
from ui.layout import explain
from ui.notes import notes_panel
from ui.order_issue import alert_rows, issue_picker, order_cells
from ui.tables import download_table, labelled

filters = current_filters()
month = filters.period.end
st.title(tr("alerts.title", scope=filters.scope_label))
st.caption(tr("alerts.caption", month=month))

frame = read(alerts.alerts, filters.scope, Period(month, month))
counts, items = alert_counts(frame), alert_items(frame)
columns = [*st.columns(3), *st.columns(3)]  # two rows of three keep the labels whole
for column, kind in zip(columns, KINDS, strict=True):
    note = tr(f"alert.items.{kind}", n=items[kind]) if items.get(kind) else None
    help_text = tr("alert.card_help", rule=tr(f"alert.rule.{kind}"))
    plain_card(column, tr(f"alert.{kind}"), counts[kind], help=help_text, note=note)

if frame.empty:
    st.success(tr("alerts.none", month=month))
else:
    rows = alert_rows(frame, month)
    named = frame.assign(kind=frame["kind"].map(lambda k: tr(f"alert.{k}")), order=order_cells(rows, filters.scope))
    columns = ["town", "code", "name", "kind", "value", "threshold", "order"]
    shown = labelled(named, columns, labels={"order": "so.col.order"})
    picked = st.dataframe(
        shown, hide_index=True, placeholder="—", on_select="rerun", selection_mode="single-row", key="alerts_table"
    )
    if picked.selection.rows:
        open_compound(int(frame.iloc[picked.selection.rows[0]]["compound_id"]))
    download_table(shown, f"预警-{month}", key="alerts")
    issue_picker(rows, filters.scope, key="alerts")
explain([f"{tr(f'alert.{kind}')}：{tr(f'alert.rule.{kind}')}" for kind in KINDS])
notes_panel("alerts", filters)
