"""The month's report on the secretary's pages: its state, why it was returned, 提交本月 and
申请更正 (the rules and the writing are in ``services.month_reports``)."""

from __future__ import annotations

import streamlit as st

from services import month_reports
from services.domain import Scope
from services.formatting import md_escape
from services.ingest.problems import china_time
from ui.context import current_principal, deadline_day, engine, tr
from ui.data import read
from ui.steps import run_step, show_done


def returned_notice(scope: Scope) -> None:
    """Returned months of the scope's compound with their reasons, where the eye lands first."""
    returned = read(month_reports.returned_months, scope)
    if returned.empty:
        return
    lines = [
        tr("mr.returned_item", month=r.month, reason=md_escape(r.return_reason or ""))
        + tr("mr.returned_by", who=md_escape(r.reviewer or ""), when=china_time(r.reviewed_at))
        for r in returned.itertuples()
    ]
    st.error(tr("mr.returned_heading", n=len(returned)) + "\n\n" + "\n\n".join(f"- {line}" for line in lines))


def state_panel(compound_id: int, month: str, *, actions: bool = True) -> month_reports.MonthStatus:
    """A bordered box: the month's state and what it means, the return reason, a pending correction,
    and (with ``actions``) the 提交本月 button or the correction request that fits the state."""
    show_done()
    status = read(month_reports.month_status, Scope(compound_id=compound_id), month)
    box = st.container(border=True)
    state = tr(f"mr.state.{status.key}")
    box.markdown(f"**{tr('mr.state_line', month=month, state=state)}**")
    box.caption(tr(f"mr.state_help.{status.key}"))
    if status.state == "returned" and status.return_reason:
        box.warning(tr("mr.returned_reason", reason=md_escape(status.return_reason)))
    if status.changed_after_approval:
        box.info(tr("mr.changed"))
    if status.pending_correction:
        box.info(tr("mr.pending_correction", reason=md_escape(status.pending_correction)))
    if not actions:
        return status
    if status.can_submit:
        box.caption(tr("mr.submit_help"))
        if box.button(tr("mr.submit"), type="primary", key=f"submit_{compound_id}_{month}", icon=":material/send:"):
            run_step(
                lambda: month_reports.submit(
                    engine(), current_principal(), compound_id, month, deadline_day=deadline_day()
                ),
                tr("mr.submitted", month=month),
            )
    elif status.can_request_correction:
        with box.expander(tr("mr.correction"), icon=":material/edit_note:"):
            reason = st.text_area(tr("mr.correction_reason"), key=f"correction_{compound_id}_{month}", max_chars=500)
            if st.button(tr("mr.correction_send"), key=f"correction_send_{compound_id}_{month}"):
                run_step(
                    lambda: month_reports.request_correction(engine(), current_principal(), compound_id, month, reason),
                    tr("mr.correction_sent"),
                )
    return status
