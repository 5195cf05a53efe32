"""督办: the scope's supervision orders — one order with its history and the step each person may
take (first, so an order opened from the inbox is on screen at once), the figures, by town and
by source, the list, and a new order for officials."""

import streamlit as st

from services import formatting, settings_store, supervision
from ui.context import engine, tr
from ui.data import read
from ui.filters import current_filters
from ui.kpis import formatted, plain_card
from ui.order_issue import issue_form
from ui.orders import in_language, order_panel, source_text
from ui.steps import show_done
from ui.tables import download_table, labelled

filters = current_filters()
st.title(tr("so.title", scope=filters.scope_label))
st.caption(tr("so.help"))
show_done()


orders = read(supervision.orders, filters.scope)
if not orders.empty:  # one order first (an inbox link opens it): on a phone the figures come after
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

if orders.empty:
    st.info(tr("so.none"))
else:
    GROUP = ["issued", "overdue", "sign_on_time_rate", "closed_on_time_rate", "overdue_rate", "reminders"]
    left, right = st.columns(2)
    for column, by in ((left, "town"), (right, "source")):
        groups = read(supervision.figures_by, filters.scope, by, sign_days=sign_days)
        for rate in ("sign_on_time_rate", "closed_on_time_rate", "overdue_rate"):
            groups[rate] = groups[rate].map(formatting.percent)
        if by == "source":
            groups["source"] = groups["source_kind"].map(source_text)
        column.markdown(f"**{tr('so.by_' + by)}**")
        column.dataframe(labelled(groups, [by, *GROUP], prefix="so"), hide_index=True, placeholder="—")
    st.subheader(tr("so.list"))
    shown = (
        orders[orders["overdue"]]
        if st.toggle(tr("so.only_overdue"), value=st.query_params.get("overdue") == "1", key="so_overdue")
        else orders
    )
    columns = ["id", "town", "name", "source", "requirement", "priority", "label", "deadline", "reminders", "overdue"]
    table = labelled(in_language(shown), columns, prefix="so")
    st.dataframe(table, hide_index=True, placeholder="—")
    download_table(table, "督办单", key="so_list")


issue_form(filters)
