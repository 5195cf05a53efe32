"""批量导入 on 数据上报: staff upload one file of many compounds; the checks, the scope and the
one-transaction import are ``services.ingest.preview_batch`` / ``import_batch``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services import ingest
from services.access import PermissionDenied, Principal
from services.db import DatabaseBusy
from services.formatting import md_escape
from services.ingest import BatchPreview, ImportRejected
from services.ingest.problems import china_time
from ui.context import engine, tr
from ui.upload import notices_table, show_problems

DONE_KEY = "_batch_done"  # what the last batch landed, shown after the rerun
UPLOADER_KEY = "_batch_uploader"  # bumped after an import, so the landed file is not offered again


def months_table(batch: BatchPreview) -> pd.DataFrame:
    """One line per compound-month: the ledgers and rows it brings, and the version it would replace."""
    rows = []
    for preview in batch.months:
        assert preview.compound is not None  # a checked compound-month has its compound
        existing = preview.existing
        rows.append(
            (
                f"{preview.compound.code} {preview.compound.name}",
                preview.month,
                "、".join(tr("upload.ledger_rows", ledger=lp.ledger, n=lp.rows) for lp in preview.ledgers),
                tr("batch.existing_version", version=existing.version) if existing else tr("batch.existing_none"),
            )
        )
    return pd.DataFrame(rows, columns=[tr(f"batch.col.{k}") for k in ("compound", "month", "ledgers", "existing")])


def batch_section(principal: Principal, months: list[str]) -> None:
    """Upload, check, show every problem or what lands per compound-month, confirm."""
    st.subheader(tr("batch.title"))
    st.caption(tr("batch.help"))
    if principal.role == "town":
        st.caption(tr("batch.help_town"))
    if done := st.session_state.pop(DONE_KEY, None):
        st.success(done)
    month = st.selectbox(
        tr("batch.month"), [None, *months], format_func=lambda m: m or tr("batch.month_from_rows"), key="batch_month"
    )
    uploaded = st.file_uploader(
        tr("batch.files"),
        type=["csv", "xlsx", "txt"],
        accept_multiple_files=True,
        key=f"batch_files_{st.session_state.get(UPLOADER_KEY, 0)}",
    )
    if not uploaded:
        return
    files = [ingest.Upload(f.name, f.getvalue()) for f in uploaded]
    try:
        with st.status(tr("batch.checking"), expanded=False) as status:
            batch = ingest.preview_batch(engine(), principal=principal, files=files, month=month)
            label = tr("batch.checked_problems", n=len(batch.problems)) if batch.problems else tr("batch.checked")
            status.update(label=label, state="error" if batch.problems else "complete")
    except PermissionDenied as denied:
        st.error(md_escape(str(denied)))
        return
    if batch.problems:
        show_problems(batch.problems)
        return
    st.success(tr("batch.ok_preview", compounds=batch.compounds(), months=len(batch.months)))
    st.dataframe(months_table(batch), hide_index=True, placeholder="—")
    if batch.warnings:
        st.warning(tr("upload.warnings"))
        st.dataframe(notices_table(batch.warnings), hide_index=True, placeholder="—")
    if batch.notices:
        with st.expander(tr("upload.notices")):
            st.dataframe(notices_table(batch.notices), hide_index=True, placeholder="—")
    replace = False
    if batch.to_replace:
        listed = "、".join(
            f"{p.compound.code if p.compound else ''} {p.month}"
            f"（{china_time(p.existing.submitted_at) if p.existing else ''}）"
            for p in batch.to_replace
        )
        st.warning(tr("batch.replace_needed", months=md_escape(listed)))
        gone = batch.rows_removed
        label = tr("batch.replace_confirm_rows", n=gone) if gone else tr("batch.replace_confirm")
        replace = st.checkbox(label, key="batch_replace")
        if not replace:
            return
    if st.button(tr("batch.confirm"), type="primary", key="batch_confirm"):
        try:
            with st.spinner(tr("batch.importing")):
                result = ingest.import_batch(engine(), principal=principal, files=files, month=month, replace=replace)
        except ImportRejected as rejected:
            show_problems(rejected.problems)
        except (PermissionDenied, DatabaseBusy) as refused:
            st.error(md_escape(str(refused)))
        else:
            st.session_state[DONE_KEY] = "  \n".join(md_escape(line) for line in result.describe().splitlines())
            st.session_state[UPLOADER_KEY] = st.session_state.get(UPLOADER_KEY, 0) + 1  # a fresh, empty uploader
            st.rerun()
