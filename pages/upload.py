"""数据上报: templates, files or an in-page table, preview before writing, confirm, zero report."""

import pandas as pd
import streamlit as st

from services import ingest, metrics, reporting
from services.access import PermissionDenied
from services.db import DatabaseBusy
from services.domain import COUNTY, Scope, add_months, last_complete_month
from services.formatting import md_escape
from services.ingest import AlreadyReported, ImportRejected
from ui.batch_upload import batch_section
from ui.context import current_principal, engine, tr
from ui.data import cached_registry_row, read
from ui.month_report import returned_notice, state_panel
from ui.upload import discard_draft, history_table, ledger_editor, show_preview, status_line

DONE_KEY = "_upload_done"  # what the last import did, shown after the rerun that refreshes the status
principal = current_principal()
st.title(tr("upload.title"))
months = [add_months(last_complete_month(), -i) for i in range(-1, 24)]

if principal.role != "secretary":  # staff: one file of many compounds (town officials come only for this)
    batch_section(principal, months)
    if principal.role != "admin":
        st.stop()
    st.divider()

if principal.role == "secretary":
    compound_id = principal.compound_id
else:
    choices = read(metrics.compound_choices, COUNTY)
    compound_id = st.selectbox(
        tr("upload.compound"),
        list(choices),
        format_func=choices.get,
        index=None,
        placeholder=tr("upload.choose_compound"),
    )
    if compound_id is None:
        st.stop()
month = st.selectbox(tr("upload.month"), months, index=1, placeholder=tr("ui.choose"))
record = cached_registry_row(compound_id)
st.caption(tr("upload.compound_code", name=md_escape(record.get("name") or ""), code=record.get("code") or ""))
returned_notice(Scope(compound_id=compound_id))
history = read(reporting.submission_history, Scope(compound_id=compound_id))
st.info(status_line(history, month))
if done := st.session_state.pop(DONE_KEY, None):
    st.success(done)
status = state_panel(compound_id, month)

st.subheader(tr("upload.templates"))
st.caption(tr("upload.templates_help"))
prefill = ingest.open_items(engine(), compound_id)
st.download_button(
    tr("upload.template_xlsx"),
    ingest.template_workbook(prefill=prefill),
    f"台账模板-{month}.xlsx",
    icon=":material/download:",
)
with st.expander("CSV"):
    for ledger in ingest.MONTHLY_LEDGERS:
        csv_bytes = ingest.template_csv(ledger.name, prefill=prefill)
        label = tr("upload.template_csv", ledger=ledger.name)
        st.download_button(label, csv_bytes, f"{ledger.name}.csv", mime="text/csv")


def check_and_offer_import(files: list, key: str, *, draft_key: str | None = None) -> None:
    """Preview ``files``; offer the one-transaction import when they are clean. Only the ledgers in
    the files change; replacing rows already reported needs a confirmation that names what goes."""
    with st.status(tr("upload.checking"), expanded=False) as status:
        preview = ingest.preview_month(engine(), principal=principal, files=files, month=month, compound_id=compound_id)
        checked = tr("upload.checked_problems", n=len(preview.problems)) if preview.problems else tr("upload.checked")
        status.update(label=checked, state="error" if preview.problems else "complete")
    show_preview(preview)
    existing = preview.existing
    if preview.problems:
        return
    if existing and existing.kind == "ledger" and (preview.same_files_as_existing or preview.changes_nothing):
        st.info(tr("upload.same_files", when=md_escape(ingest.china_time(existing.submitted_at))))
        return
    replace = False
    if existing and preview.needs_replace:
        versions = {"version": existing.version, "next": existing.version + 1}
        if preview.overlapping:
            st.warning(tr("upload.replace_ledgers", ledgers="、".join(preview.overlapping), **versions))
        else:
            st.warning(tr("upload.replace_needed", **versions))
        gone = preview.rows_removed
        label = tr("upload.replace_confirm_rows", n=gone) if gone else tr("upload.replace_confirm")
        replace = st.checkbox(label, key=f"replace_{key}")
        if not replace:
            return
    if st.button(tr("upload.confirm"), type="primary", key=f"confirm_{key}"):
        try:
            with st.spinner(tr("upload.importing")):
                result = ingest.import_month(
                    engine(), principal=principal, files=files, month=month, compound_id=compound_id, replace=replace
                )
        except ImportRejected as rejected:
            show_preview(ingest.Preview(None, month, "", problems=rejected.problems))
        except (AlreadyReported, PermissionDenied, DatabaseBusy) as refused:
            st.error(md_escape(str(refused)))
        else:
            st.session_state[DONE_KEY] = tr("upload.done") + " " + md_escape(result.describe())
            if draft_key:
                discard_draft(draft_key)
            st.rerun()  # the status line, the history and the in-page table now show the import


if not status.can_import:  # approved or locked: the state panel above offers the correction request
    st.subheader(tr("upload.history"))
    st.dataframe(history_table(history), hide_index=True, placeholder="—")
    st.stop()

tab_file, tab_form, tab_zero = st.tabs([tr("upload.tab_file"), tr("upload.tab_form"), tr("upload.tab_zero")])
with tab_file:
    uploaded = st.file_uploader(tr("upload.files"), type=["csv", "xlsx", "txt"], accept_multiple_files=True)
    if uploaded:
        check_and_offer_import([ingest.Upload(f.name, f.getvalue()) for f in uploaded], "file")

with tab_form:
    st.caption(tr("upload.form_help"))
    names = [ledger.name for ledger in ingest.MONTHLY_LEDGERS]
    ledger = ingest.LEDGER_BY_NAME[st.selectbox(tr("upload.form_ledger"), names, placeholder=tr("ui.choose"))]
    headers = [c.header for c in ledger.columns]
    filed = ingest.filed_rows(engine(), compound_id, month).get(ledger.key)
    st.caption(tr("upload.form_filed", n=len(filed)) if filed else tr("upload.form_new"))
    start = pd.DataFrame(filed or prefill.get(ledger.key, []), columns=headers).astype("string")
    draft_key = f"{compound_id}/{month}/{ledger.key}"
    edited = ledger_editor(draft_key, start)
    if st.button(tr("upload.form_discard"), key=f"discard_{draft_key}", icon=":material/undo:"):
        discard_draft(draft_key)
        st.rerun()
    if st.toggle(tr("upload.form_preview"), key=f"form_preview_{ledger.key}"):
        rows = [{k: v for k, v in row.items() if pd.notna(v) and str(v).strip()} for row in edited.to_dict("records")]
        rows = [row for row in rows if row]
        if rows:
            check_and_offer_import([ingest.table_upload(ledger.name, rows)], f"form_{ledger.key}", draft_key=draft_key)
        else:
            st.info(tr("upload.form_empty"))

with tab_zero:
    st.caption(tr("upload.zero_help"))
    if st.button(tr("upload.zero_submit")):
        try:
            ingest.submit_zero_report(engine(), principal=principal, compound_id=compound_id, month=month)
            st.session_state[DONE_KEY] = tr("upload.zero_done")
            st.rerun()
        except ImportRejected as rejected:
            show_preview(ingest.Preview(None, month, "", problems=rejected.problems))
        except (AlreadyReported, DatabaseBusy) as refused:
            st.error(md_escape(str(refused)))

st.subheader(tr("upload.history"))
st.dataframe(
    history_table(read(reporting.submission_history, Scope(compound_id=compound_id))), hide_index=True, placeholder="—"
)
