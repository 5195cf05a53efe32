"""督办单 from the rows where problems are seen (预警, 小区档案, 民主议事): each row names its compound,
its source (``services.supervision.sources``) and a drafted requirement. Officials pick a row and
press 发督办单, which opens 督办 with the form filled in; a row that already has an open order says
so and links to it instead. The form itself (from a row or issued directly) is ``issue_form``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from services import metrics, supervision
from services.access import OFFICIALS
from services.domain import Period, Scope
from services.formatting import md_escape
from ui.context import current_principal, engine, tr
from ui.data import read
from ui.filters import Filters
from ui.orders import priority_text, source_text, state_text
from ui.steps import REFUSALS, finish

ORDERS_PAGE = "pages/orders.py"
HANDED_KEY = "_order_handed"  # a row handed from its page to 督办, taken up by the form once
SOURCE_KEY = "_order_source"  # the row 督办's form issues from, until it is sent or dropped


@dataclass(frozen=True)
class IssueRow:
    """One row an order may be issued from; ``label`` and ``draft`` are plain text."""

    compound_id: int
    label: str
    source: supervision.OrderSource
    draft: str


def alert_rows(frame: pd.DataFrame, month: str) -> list[IssueRow]:
    """The rows of ``services.themes.alerts.alerts`` as of ``month``."""
    return [
        IssueRow(
            int(row.compound_id),
            f"{row.town} · {row.name} · {tr(f'alert.{row.kind}')}",
            supervision.alert_source(row.kind, month),
            tr(
                "so.draft.alert",
                name=row.name,
                month=month,
                alert=tr(f"alert.{row.kind}"),
                value=row.value,
                threshold=row.threshold,
            ),
        )
        for row in frame.itertuples(index=False)
    ]


def vote_rows(pending: pd.DataFrame) -> list[IssueRow]:
    """The rows of ``services.themes.votes.pending``: votes passed and not carried out."""
    return [
        IssueRow(
            int(row.compound_id),
            f"{row.town} · {row.compound} · {row.vote_no} {row.topic}",
            supervision.vote_source(str(row.vote_no)),
            tr(
                "so.draft.vote",
                name=row.compound,
                vote_no=row.vote_no,
                topic=row.topic,
                date=row.vote_date,
                days=row.days_pending,
            ),
        )
        for row in pending.itertuples(index=False)
    ]


def profile_row(compound_id: int, name: str, period: Period) -> IssueRow:
    """The compound's profile as a whole."""
    return IssueRow(
        compound_id,
        f"{name} · {tr('so.source.profile')}",
        supervision.profile_source(period.end),
        tr("so.draft.profile", name=name, period=period.label()),
    )


def _open_orders(scope: Scope) -> tuple[dict, dict]:
    """The scope's open orders by source, and every order's state by id."""
    listing = read(supervision.orders, scope)
    return read(supervision.open_orders_by_source, scope), dict(zip(listing["id"], listing["state"], strict=True))


def _open_order(scope: Scope, compound_id: int, source: supervision.OrderSource) -> tuple[int, str] | None:
    found, states = _open_orders(scope)
    order_id = supervision.open_order_for(found, compound_id, source)
    return None if order_id is None else (order_id, state_text(states[order_id]))


def order_cells(rows: list[IssueRow], scope: Scope) -> list[str]:
    """Per row, its open order (已督办 #12 办理中) or nothing: a column beside the rows."""
    found, states = _open_orders(scope)
    cells = []
    for row in rows:
        order_id = supervision.open_order_for(found, row.compound_id, row.source)
        cells.append("" if order_id is None else tr("so.order_cell", id=order_id, state=state_text(states[order_id])))
    return cells


def _link_to(order_id: int) -> None:
    label = tr("so.issue_open", id=order_id)
    st.page_link(ORDERS_PAGE, label=label, query_params={"order": str(order_id)}, icon=":material/open_in_new:")


def issue_picker(rows: list[IssueRow], scope: Scope, *, key: str) -> None:
    """For officials: pick one of ``rows`` (no picker for a single row), then 发督办单 opens 督办
    with it, or the row's open order is named and linked."""
    if current_principal().role not in OFFICIALS or not rows:
        return
    index = 0
    if len(rows) > 1:
        index = st.selectbox(
            tr("so.issue_pick"),
            range(len(rows)),
            format_func=lambda i: rows[i].label,
            index=None,
            placeholder=tr("ui.choose"),
            key=f"{key}_pick",
        )
        if index is None:
            return
    row = rows[index]
    if (existing := _open_order(scope, row.compound_id, row.source)) is not None:
        st.info(tr("so.issue_exists", id=existing[0], state=existing[1]))
        _link_to(existing[0])
    elif st.button(tr("so.issue_from"), key=f"{key}_issue", type="primary", icon=":material/assignment_add:"):
        st.session_state[HANDED_KEY] = row
        st.switch_page(ORDERS_PAGE)


def _direct_source(filters: Filters) -> tuple[int | None, str, str | None]:
    """The compound, source kind and reference chosen by hand."""
    choices = read(metrics.compound_choices, Scope(town_code=filters.scope.town_code))
    compound = st.selectbox(
        tr("so.issue_compound"),
        list(choices),
        format_func=choices.get,
        index=None,
        placeholder=tr("ui.choose"),
        key="so_new_compound",
    )
    kinds = list(supervision.SOURCE_LABELS)
    kind = st.selectbox(
        tr("so.issue_source"), kinds, index=kinds.index("scratch"), format_func=source_text, key="so_new_src"
    )
    ref = st.text_input(tr("so.issue_source_ref"), key="so_new_ref", max_chars=200)
    return compound, kind, ref or None


def issue_form(filters: Filters) -> None:
    """督办's form for officials: filled in from a row handed over by ``issue_picker`` (compound and
    source fixed, the requirement drafted and editable), or chosen by hand."""
    principal = current_principal()
    if principal.role not in OFFICIALS:
        return
    if (handed := st.session_state.pop(HANDED_KEY, None)) is not None:
        st.session_state[SOURCE_KEY] = handed
        st.session_state["so_new_req"] = handed.draft
    row: IssueRow | None = st.session_state.get(SOURCE_KEY)
    with st.expander(tr("so.issue"), expanded=row is not None, icon=":material/assignment_add:"):
        existing = None
        if row is None:
            compound, kind, ref = _direct_source(filters)
        else:
            compound, kind, ref = row.compound_id, row.source.kind, row.source.ref
            st.text(row.label)  # names a compound: shown as text
            st.caption(tr("so.issue_drafted", source=source_text(kind), ref=md_escape(ref)))
            if st.button(tr("so.issue_direct"), key="so_new_direct"):
                del st.session_state[SOURCE_KEY]
                st.rerun()
            existing = _open_order(filters.scope, row.compound_id, row.source)
        requirement = st.text_area(tr("so.issue_requirement"), key="so_new_req", max_chars=2000)
        week_on = supervision.beijing_today() + dt.timedelta(days=7)
        deadline = st.date_input(tr("so.issue_deadline"), week_on, key="so_new_due")
        priority = st.radio(
            tr("so.issue_priority"),
            supervision.PRIORITIES,
            format_func=priority_text,
            horizontal=True,
            key="so_new_pri",
        )
        if existing is not None:
            st.warning(tr("so.issue_duplicate", id=existing[0], state=existing[1]))
            _link_to(existing[0])
        send = st.button(
            tr("so.issue_send"), type="primary", key="so_new_send", disabled=compound is None or existing is not None
        )
        if send and compound is not None:
            try:
                made = supervision.issue(
                    engine(),
                    principal,
                    compound_id=int(compound),
                    requirement=requirement,
                    deadline=deadline,
                    priority=priority,
                    source_kind=kind,
                    source_ref=ref,
                )
            except REFUSALS as refused:
                st.error(md_escape(str(refused)))
            else:
                st.session_state.pop(SOURCE_KEY, None)
                finish(tr("so.issued_done", id=made.id))
