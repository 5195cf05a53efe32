"""One supervision order on the 督办 page: its facts, history and files, and the steps the
logged-in person may take (who may take which step is decided in ``services.supervision``)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from services import supervision
from services.domain import Scope
from services.formatting import md_escape
from services.ingest.problems import china_time
from ui.context import current_principal, engine, tr
from ui.data import read
from ui.steps import run_step
from ui.tables import labelled

PRIORITY_KEYS = dict(zip(supervision.PRIORITIES, ("normal", "urgent"), strict=True))


def state_text(state: str) -> str:
    """An order state (a key of ``supervision.STATE_LABELS``) in the page's language."""
    return tr(f"so.state.{state}")


def source_text(kind: str) -> str:
    """A source kind (a key of ``supervision.SOURCE_LABELS``) in the page's language."""
    return tr(f"so.source.{kind}")


def priority_text(priority: str) -> str:
    return tr(f"so.priority.{PRIORITY_KEYS[priority]}") if priority in PRIORITY_KEYS else priority


def in_language(orders: pd.DataFrame) -> pd.DataFrame:
    """``supervision.orders`` rows with their state, source and priority in the page's language and
    overdue as 是 / empty."""
    return orders.assign(
        label=orders["state"].map(state_text),
        source=orders["source_kind"].map(source_text),
        priority=orders["priority"].map(priority_text),
        overdue=orders["overdue"].map(lambda late: tr("mr.yes") if late else ""),
    )


def open_order(row: pd.Series) -> None:
    """Open one order (a row of ``supervision.orders``) on 督办."""
    st.switch_page("pages/orders.py", query_params={"order": str(int(row["id"]))})


def order_panel(detail: supervision.OrderDetail, scope: Scope) -> None:
    """A bordered box for ``detail``; the buttons run the steps through ``run_step``."""
    principal = current_principal()
    o = detail.order
    box = st.container(border=True)
    box.subheader(tr("so.detail", id=o.id, name=md_escape(detail.name)))
    box.write(
        tr(
            "so.facts",
            state=state_text(o.state),
            deadline=o.deadline,
            original=o.original_deadline,
            issuer=md_escape(detail.issuer or "—"),
            source=source_text(o.source_kind),
        )
    )
    box.text(o.requirement)  # user text: shown as text, never as markup
    if o.state == "doing" and o.returned_times and o.return_reason:
        returned = box.container(border=True)
        returned.warning(tr("so.returned_because", n=o.returned_times), icon=":material/undo:")
        returned.text(o.return_reason)  # the issuer's words: shown as text
    if o.extension_pending:
        box.info(tr("so.extension_pending", date=o.extension_date, reason=md_escape(o.extension_reason or "")))
    box.markdown(f"**{tr('so.history')}**")
    events = detail.events.assign(
        at=detail.events["at"].map(china_time), label=detail.events["action"].map(lambda a: tr(f"so.action.{a}"))
    )
    history = labelled(events, ["at", "label", "who", "note"], prefix="so", labels={"label": "so.col.step"})
    box.dataframe(history, hide_index=True, placeholder="—")
    for f in detail.files.itertuples():
        stored = read(supervision.attachment, scope, int(f.id))
        box.download_button(f"{tr('so.files')}：{f.file_name}", stored.content, f.file_name, key=f"file_{f.id}")
    key, rev = f"o{o.id}", o.revision
    if supervision.is_responsible(principal, o):
        if o.state == "pending" and box.button(tr("so.sign"), type="primary", key=f"{key}_sign"):
            run_step(lambda: supervision.sign(engine(), principal, o.id, expected_revision=rev), tr("so.done"))
        if o.state == "doing":
            text = box.text_area(tr("so.feedback"), key=f"{key}_fb", max_chars=2000)
            files = box.file_uploader(
                tr("so.attach"), type=["jpg", "jpeg", "png", "pdf"], accept_multiple_files=True, key=f"{key}_f"
            )
            if box.button(tr("so.answer"), type="primary", key=f"{key}_answer"):
                sent = [(u.name, u.getvalue()) for u in files or []]
                run_step(
                    lambda: supervision.answer(engine(), principal, o.id, text, files=sent, expected_revision=rev),
                    tr("so.done"),
                )
        if o.state in ("pending", "doing") and not o.extension_pending:
            with box.expander(tr("so.extension")):
                why = st.text_input(tr("so.extension_reason"), key=f"{key}_why", max_chars=500)
                until = st.date_input(tr("so.extension_date"), o.deadline + dt.timedelta(days=7), key=f"{key}_d")
                if st.button(tr("so.extension"), key=f"{key}_ext"):
                    run_step(
                        lambda: supervision.request_extension(engine(), principal, o.id, why, until), tr("so.done")
                    )
    if supervision.is_issuer_side(principal, o):
        if o.state == "answered":
            if box.button(tr("so.accept"), type="primary", key=f"{key}_accept"):
                run_step(lambda: supervision.accept(engine(), principal, o.id, expected_revision=rev), tr("so.done"))
            reason = box.text_input(tr("so.back_reason"), key=f"{key}_back_why", max_chars=500)
            if box.button(tr("so.send_back"), key=f"{key}_back"):
                run_step(lambda: supervision.send_back(engine(), principal, o.id, reason), tr("so.done"))
        if o.extension_pending:
            if box.button(tr("so.grant"), key=f"{key}_grant"):
                run_step(lambda: supervision.decide_extension(engine(), principal, o.id, grant=True), tr("so.done"))
            note = box.text_input(tr("so.refuse_note"), key=f"{key}_refuse_why", max_chars=500)
            if box.button(tr("so.refuse"), key=f"{key}_refuse"):
                run_step(
                    lambda: supervision.decide_extension(engine(), principal, o.id, grant=False, note=note),
                    tr("so.done"),
                )
        if o.state != "closed" and box.button(tr("so.remind"), key=f"{key}_remind"):
            run_step(lambda: supervision.remind(engine(), principal, o.id), tr("so.done"))
