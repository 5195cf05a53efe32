"""审核: submitted months awaiting review (approve several, return one with a reason), correction
requests, and the county's month locks."""

import streamlit as st

from services import month_reports, settings_store
from services.deck import archive
from services.domain import Period, Scope, last_closed_month
from services.formatting import md_escape
from services.ingest.problems import china_time
from services.themes import review
from ui.context import current_principal, deadline_day, engine, tr
from ui.data import cached_data_months, read
from ui.filters import current_filters
from ui.steps import finish, run_step, show_done
from ui.tables import labelled

principal = current_principal()
filters = current_filters()
st.title(tr("mr.review_title"))
st.caption(tr("mr.review_help"))
show_done()


queue = read(review.queue, filters.scope)
if queue.empty:
    st.info(tr("mr.queue_empty"))
else:
    st.subheader(tr("mr.queue_count", n=len(queue)))
    shown = queue.assign(
        compound=queue["code"] + " " + queue["name"],
        submitted_at=queue["submitted_at"].map(china_time),
        timing=queue["on_time"].map(lambda ok: tr("mr.timing.on_time" if ok else "mr.timing.late")),
        changed=queue["changed_after_approval"].map(lambda c: tr("mr.yes") if c else ""),
        change="",
    )
    shown["change"] = [
        tr("mr.change", activities=r.activities - r.prev_activities, cases=r.cases_received - r.prev_cases_received)
        for r in queue.itertuples()
    ]
    columns = ["town", "compound", "month", "submitted_at", "timing", "activities", "participants"]
    columns += ["cases_received", "cases_closed", "change", "warnings", "changed"]
    st.dataframe(labelled(shown, columns, prefix="mr"), hide_index=True, placeholder="—")

    items = {f"{r.compound_id}|{r.month}": r for r in queue.itertuples()}

    def describe(key: str) -> str:
        r = items[key]
        return f"{r.town} {r.code} {r.name} {r.month}"

    every = st.toggle(tr("mr.pick_all", n=len(items)), key="review_pick_all")
    picked = (
        list(items)
        if every
        else st.multiselect(
            tr("mr.pick"), list(items), format_func=describe, placeholder=tr("mr.pick_placeholder"), key="review_pick"
        )
    )
    if st.button(tr("mr.approve_selected", n=len(picked)), type="primary", disabled=not picked):
        chosen = [(items[k].compound_id, items[k].month, items[k].revision) for k in picked]
        approved, refused = month_reports.approve_many(engine(), principal, chosen)
        for message in refused:
            st.error(md_escape(message))
        if approved and not refused:
            finish(tr("mr.approved_n", n=len(approved)))

    with st.expander(tr("mr.return_heading"), icon=":material/undo:"):
        which = st.selectbox(
            tr("mr.return_which"),
            list(items),
            format_func=describe,
            key="review_return_which",
            placeholder=tr("ui.choose"),
        )
        reason = st.text_area(tr("mr.return_reason"), key="review_return_reason", max_chars=500)
        if st.button(tr("mr.return_send"), key="review_return_send") and which:
            r = items[which]
            run_step(
                lambda: month_reports.return_report(
                    engine(), principal, r.compound_id, r.month, reason, expected_revision=r.revision
                ),
                tr("mr.returned_done", name=md_escape(r.name), month=r.month),
            )

corrections = read(month_reports.correction_requests, filters.scope)
st.subheader(tr("mr.corrections_heading", n=len(corrections)))
if corrections.empty:
    st.caption(tr("mr.corrections_none"))
for c in corrections.itertuples():
    box = st.container(border=True)
    box.markdown(
        md_escape(tr("mr.correction_item", name=f"{c.town} {c.code} {c.name}", month=c.month, reason=c.reason))
    )
    left, right = box.columns(2)
    if left.button(tr("mr.correction_approve"), key=f"corr_yes_{c.id}", type="primary"):
        run_step(
            lambda c=c: month_reports.decide_correction(engine(), principal, int(c.id), approve=True),
            tr("mr.correction_decided"),
        )
    note = right.text_input(tr("mr.correction_note"), key=f"corr_note_{c.id}", max_chars=500)
    if right.button(tr("mr.correction_refuse"), key=f"corr_no_{c.id}"):
        run_step(
            lambda c=c, note=note: month_reports.decide_correction(
                engine(), principal, int(c.id), approve=False, note=note
            ),
            tr("mr.correction_decided"),
        )

if principal.role in month_reports.LOCKERS:
    st.subheader(tr("mr.lock_heading"))
    st.caption(tr("mr.lock_help", days=settings_store.lock_after_days(engine())))
    default = last_closed_month(deadline_day())
    span = cached_data_months()  # every month with data, and the last closed one
    months = sorted({default, *(Period(*span).months if span else [])}, reverse=True)
    month = st.selectbox(
        tr("mr.lock_month"), months, index=months.index(default), key="review_lock_month", placeholder=tr("ui.choose")
    )
    locked = read(month_reports.month_locked, Scope(), month)
    st.write(tr("mr.locked_state" if locked else "mr.unlocked_state", month=month))
    action = "mr.unlock" if locked else "mr.lock"
    if st.button(tr(action), key="review_lock_button"):
        run_step(
            lambda: archive.set_lock_and_archive(engine(), principal, month, locked=not locked),
            tr("mr.lock_done", month=month),
        )
