"""督办: the scope's supervision orders — figures, by town and by source, the list, one order with
its history and the step each person may take, and a new order for officials."""

import datetime as dt

import streamlit as st

from services import formatting, metrics, settings_store, supervision
from services.access import OFFICIALS
from services.domain import Scope
from services.formatting import md_escape
from ui.context import current_principal, engine, tr
from ui.data import read
from ui.filters import current_filters
from ui.kpis import formatted, plain_card
from ui.orders import order_panel
from ui.steps import REFUSALS, finish, show_done
from ui.tables import labelled

principal = current_principal()
filters = current_filters()
st.title(tr("so.title", scope=filters.scope_label))
st.caption(tr("so.help"))
show_done()


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
        order_panel(read(supervision.order_detail, filters.scope, int(order_id)), filters.scope)

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
            except REFUSALS as refused:
                st.error(md_escape(str(refused)))
            else:
                finish(tr("so.issued_done", id=made.id))
