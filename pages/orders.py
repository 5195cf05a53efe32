"""督办: the scope's supervision orders — figures, by town and by source, the list, one order with
its history and the step each person may take, and a new order for officials."""

import datetime as dt

import streamlit as st

from services import formatting, metrics, settings_store, supervision
from services.access import OFFICIALS, PermissionDenied
from services.db import DatabaseBusy
from services.domain import Scope
from services.formatting import md_escape
from services.ingest.problems import china_time
from services.month_reports import TransitionRefused
from services.supervision import AttachmentRefused
from ui.context import current_principal, engine, tr
from ui.data import read
from ui.filters import current_filters
from ui.kpis import formatted, plain_card
from ui.tables import labelled

DONE_KEY = "_orders_done"
principal = current_principal()
filters = current_filters()
st.title(tr("so.title", scope=filters.scope_label))
st.caption(tr("so.help"))
if done := st.session_state.pop(DONE_KEY, None):
    st.success(done)


def act(step, done: str) -> None:
    try:
        step()
    except (TransitionRefused, PermissionDenied, AttachmentRefused, DatabaseBusy) as refused:
        st.error(md_escape(str(refused)))
        return
    st.session_state[DONE_KEY] = done
    st.rerun()


sign_days = settings_store.order_sign_days(engine())
figures = read(supervision.figures, filters.scope, sign_days=sign_days)
CARDS = [
    ("issued", "count"),
    ("overdue", "count"),
    ("sign_on_time_rate", "rate"),
    ("closed_on_time_rate", "rate"),
    ("overdue_rate", "rate"),
    ("reminders", "count"),
    ("median_days_to_close", "days"),
]
for column, (key, kind) in zip(st.columns(len(CARDS)), CARDS, strict=True):
    plain_card(column, tr(f"so.kpi.{key}"), formatted(figures[key], kind))

orders = read(supervision.orders, filters.scope)
if orders.empty:
    st.info(tr("so.none"))
else:
    GROUP = ["issued", "overdue", "sign_on_time_rate", "closed_on_time_rate", "overdue_rate", "reminders"]
    left, right = st.columns(2)
    for column, by in ((left, "town"), (right, "source")):
        groups = read(supervision.figures_by, filters.scope, by, sign_days=sign_days)
        for rate in ("sign_on_time_rate", "closed_on_time_rate", "overdue_rate"):
            groups[rate] = groups[rate].map(formatting.percent)
        column.markdown(f"**{tr('so.by_' + by)}**")
        column.dataframe(labelled(groups, [by, *GROUP], prefix="so"), hide_index=True, placeholder="—")
    st.subheader(tr("so.list"))
    shown = orders[orders["overdue"]] if st.toggle(tr("so.only_overdue"), key="so_overdue") else orders
    shown = shown.assign(overdue=shown["overdue"].map(lambda o: tr("mr.yes") if o else ""))
    columns = ["id", "town", "name", "source", "requirement", "priority", "label", "deadline", "reminders", "overdue"]
    table = labelled(shown, columns, prefix="so")
    st.dataframe(table, hide_index=True, placeholder="—")
    st.download_button(
        tr("common.download_csv"), table.to_csv(index=False).encode("utf-8-sig"), "督办单.csv", mime="text/csv"
    )

    ids = list(orders["id"])
    wanted = st.query_params.get("order")
    start = ids.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in ids else None
    names = dict(zip(orders["id"], orders["name"], strict=True))
    order_id = st.selectbox(
        tr("so.open"),
        ids,
        index=start,
        format_func=lambda i: f"{i} · {names[i]}",
        placeholder=tr("ui.choose"),
        key="so_pick",
    )
    if order_id is not None:
        detail = read(supervision.order_detail, filters.scope, int(order_id))
        o = detail.order
        box = st.container(border=True)
        box.subheader(tr("so.detail", id=o.id, name=md_escape(detail.name)))
        box.write(
            tr(
                "so.facts",
                state=detail.state_label,
                deadline=o.deadline,
                original=o.original_deadline,
                issuer=detail.issuer or "—",
                source=supervision.SOURCE_LABELS.get(o.source_kind, o.source_kind),
            )
        )
        box.text(o.requirement)  # user text: shown as text, never as markup
        if o.extension_pending:
            box.info(tr("so.extension_pending", date=o.extension_date, reason=md_escape(o.extension_reason or "")))
        box.markdown(f"**{tr('so.history')}**")
        events = detail.events.assign(at=detail.events["at"].map(china_time))
        box.dataframe(events[["at", "label", "who", "note"]], hide_index=True, placeholder="—")
        for f in detail.files.itertuples():
            stored = read(supervision.attachment, filters.scope, int(f.id))
            box.download_button(f"{tr('so.files')}：{f.file_name}", stored.content, f.file_name, key=f"file_{f.id}")
        key, rev = f"o{o.id}", o.revision
        if supervision.is_responsible(principal, o):
            if o.state == "pending" and box.button(tr("so.sign"), type="primary", key=f"{key}_sign"):
                act(lambda: supervision.sign(engine(), principal, o.id, expected_revision=rev), tr("so.done"))
            if o.state == "doing":
                text = box.text_area(tr("so.feedback"), key=f"{key}_fb", max_chars=2000)
                files = box.file_uploader(
                    tr("so.attach"), type=["jpg", "jpeg", "png", "pdf"], accept_multiple_files=True, key=f"{key}_f"
                )
                if box.button(tr("so.answer"), type="primary", key=f"{key}_answer"):
                    sent = [(u.name, u.getvalue()) for u in files or []]
                    act(
                        lambda: supervision.answer(engine(), principal, o.id, text, files=sent, expected_revision=rev),
                        tr("so.done"),
                    )
            if o.state in ("pending", "doing") and not o.extension_pending:
                with box.expander(tr("so.extension")):
                    why = st.text_input(tr("so.extension_reason"), key=f"{key}_why", max_chars=500)
                    until = st.date_input(tr("so.extension_date"), o.deadline + dt.timedelta(days=7), key=f"{key}_d")
                    if st.button(tr("so.extension"), key=f"{key}_ext"):
                        act(lambda: supervision.request_extension(engine(), principal, o.id, why, until), tr("so.done"))
        if supervision.is_issuer_side(principal, o):
            if o.state == "answered":
                if box.button(tr("so.accept"), type="primary", key=f"{key}_accept"):
                    act(lambda: supervision.accept(engine(), principal, o.id, expected_revision=rev), tr("so.done"))
                reason = box.text_input(tr("so.back_reason"), key=f"{key}_back_why", max_chars=500)
                if box.button(tr("so.send_back"), key=f"{key}_back"):
                    act(lambda: supervision.send_back(engine(), principal, o.id, reason), tr("so.done"))
            if o.extension_pending:
                if box.button(tr("so.grant"), key=f"{key}_grant"):
                    act(lambda: supervision.decide_extension(engine(), principal, o.id, grant=True), tr("so.done"))
                note = box.text_input(tr("so.refuse_note"), key=f"{key}_refuse_why", max_chars=500)
                if box.button(tr("so.refuse"), key=f"{key}_refuse"):
                    act(
                        lambda: supervision.decide_extension(engine(), principal, o.id, grant=False, note=note),
                        tr("so.done"),
                    )
            if o.state != "closed" and box.button(tr("so.remind"), key=f"{key}_remind"):
                act(lambda: supervision.remind(engine(), principal, o.id), tr("so.done"))

if principal.role in OFFICIALS:
    with st.expander(tr("so.issue"), icon=":material/assignment_add:"):
        choices = read(metrics.compound_choices, Scope(town_code=filters.scope.town_code))
        compound = st.selectbox(
            tr("so.issue_compound"),
            list(choices),
            format_func=choices.get,
            index=None,
            placeholder=tr("ui.choose"),
            key="so_new_compound",
        )
        requirement = st.text_area(tr("so.issue_requirement"), key="so_new_req", max_chars=2000)
        deadline = st.date_input(tr("so.issue_deadline"), dt.date.today() + dt.timedelta(days=7), key="so_new_due")
        priority = st.radio(tr("so.issue_priority"), supervision.PRIORITIES, horizontal=True, key="so_new_pri")
        kinds = list(supervision.SOURCE_LABELS)
        source = st.selectbox(
            tr("so.issue_source"),
            kinds,
            index=kinds.index("scratch"),
            format_func=supervision.SOURCE_LABELS.get,
            key="so_new_src",
        )
        ref = st.text_input(tr("so.issue_source_ref"), key="so_new_ref", max_chars=200)
        if st.button(tr("so.issue_send"), type="primary", key="so_new_send", disabled=compound is None):
            try:
                made = supervision.issue(
                    engine(),
                    principal,
                    compound_id=int(compound),
                    requirement=requirement,
                    deadline=deadline,
                    priority=priority,
                    source_kind=source,
                    source_ref=ref or None,
                )
            except (TransitionRefused, PermissionDenied, DatabaseBusy) as refused:
                st.error(md_escape(str(refused)))
            else:
                st.session_state[DONE_KEY] = tr("so.issued_done", id=made.id)
                st.rerun()
