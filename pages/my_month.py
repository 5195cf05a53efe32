"""本月上报: a secretary's first page — the month due now and the one before it: what is due, by
when, what is in, and the way to report it."""

import pandas as pd
import streamlit as st

from services import ingest, reporting
from services.domain import Period, add_months, last_complete_month
from services.formatting import md_escape
from services.ingest.problems import china_time
from ui.context import current_principal, tr
from ui.data import read
from ui.filters import compound_name, current_filters
from ui.month_report import returned_notice, state_panel

principal = current_principal()
scope = current_filters().scope
st.title(tr("mymonth.title", name=md_escape(compound_name(principal.compound_id) or "")))
due = last_complete_month()
LEDGER_NAMES = {ledger.key: ledger.name for ledger in ingest.MONTHLY_LEDGERS}


def status_text(report: dict) -> str:
    deadline = report["deadline"].strftime("%Y-%m-%d")
    status = report["status"]
    if report["version"] is None:
        if report["days_left"] >= 0:
            return tr("mymonth.not_yet", deadline=deadline, days=report["days_left"])
        return tr("mymonth.overdue", deadline=deadline, days=-report["days_left"])
    if status.first_submitted_at is None:
        return tr("mymonth.not_submitted", deadline=deadline)
    kind = tr("upload.kind_zero") if report["kind"] == "zero" else tr("upload.kind_ledger")
    timing = tr("mymonth.on_time") if report["on_time"] else tr("mymonth.late")
    when = china_time(status.first_submitted_at)
    state = tr(f"mr.state.{status.key}")
    return tr(
        "mymonth.in", state=state, version=report["version"], kind=kind, when=when, timing=timing, deadline=deadline
    )


returned_notice(scope)
for month in (due, add_months(due, -1)):
    report = read(reporting.month_report, scope, Period(month, month))
    box = st.container(border=True)
    box.subheader(tr("mymonth.month", month=month))
    done = report["status"].first_submitted_at is not None
    (box.success if done else box.warning if report["days_left"] >= 0 else box.error)(status_text(report))
    if report["row_counts"]:
        counts = pd.DataFrame(
            {
                tr("preview.ledger"): [LEDGER_NAMES.get(k, k) for k in report["row_counts"]],
                tr("preview.rows"): list(report["row_counts"].values()),
            }
        )
        box.dataframe(counts, hide_index=True, placeholder="—")
    with box:
        state_panel(principal.compound_id, month)
    box.page_link("pages/upload.py", label=tr("mymonth.go_upload"), icon=":material/upload_file:")

st.caption(tr("mymonth.help"))
