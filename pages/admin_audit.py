"""审计日志: filter and export the append-only audit log (administrators only)."""

import datetime as dt

import streamlit as st

from services import audit, exports
from ui.context import current_principal, engine, tr

actor = current_principal()
st.title(tr("audit.title"))
cols = st.columns(4)
action = cols[0].text_input(tr("audit.action"))
username = cols[1].text_input(tr("audit.username"))
since = cols[2].date_input(tr("audit.since"), value=None)
until = cols[3].date_input(tr("audit.until"), value=None)
rows = audit.entries(
    engine(),
    actor,
    action=action.strip() or None,
    username=username.strip().lower() or None,
    since=dt.datetime.combine(since, dt.time.min) if since else None,
    until=dt.datetime.combine(until, dt.time.max) if until else None,
)
if rows.empty:
    st.info(tr("audit.empty"))
else:
    rows["detail"] = rows["detail"].map(lambda d: "" if d is None else exports.json_text(d))
    st.dataframe(rows, hide_index=True, placeholder="—")
    st.download_button(tr("audit.download"), exports.csv_bytes(rows), "audit-log.csv", mime="text/csv")
