"""Display helpers for the upload page: problems, preview, history (values come from services)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services.formatting import md_escape
from services.ingest import Preview
from services.ingest.problems import china_time
from ui.context import tr


def problems_table(problems) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (
                p.file,
                p.sheet or "",
                p.row if p.row is not None else "",
                p.column or "",
                p.value_masked or "",
                p.message_zh,
                p.hint_zh or "",
            )
            for p in problems
        ],
        columns=[tr(f"problem.{k}") for k in ("file", "sheet", "row", "column", "value", "message", "hint")],
    )


def notices_table(notices) -> pd.DataFrame:
    return pd.DataFrame(
        [(n.file, n.sheet or "", n.row if n.row is not None else "", n.column or "", n.message_zh) for n in notices],
        columns=[tr(f"problem.{k}") for k in ("file", "sheet", "row", "column", "message")],
    )


BLOCKS_SHOWN = 30  # problems shown as blocks; all of them are in the table below


def problem_where(p) -> str:
    """文件「工作表」第 N 行 · 列, as far as the problem knows it."""
    parts = [p.file + (f"「{p.sheet}」" if p.sheet else "")]
    if p.row is not None:
        parts.append(tr("problem.at_row", row=p.row))
    if p.column:
        parts.append(p.column)
    return " · ".join(parts)


def show_problems(problems) -> None:
    """Each problem as a short block (where → what → how to fix) that wraps on a phone instead of
    scrolling sideways; the full table, to download or sort, below them."""
    st.error(tr("upload.problems", n=len(problems)))
    for p in problems[:BLOCKS_SHOWN]:
        box = st.container(border=True)
        value = f"（{p.value_masked}）" if p.value_masked else ""
        box.markdown(f"**{md_escape(problem_where(p))}**")
        box.markdown(md_escape(f"{tr('problem.message')}：{p.message_zh}{value}"))
        if p.hint_zh:
            box.markdown(md_escape(f"{tr('problem.hint')}：{p.hint_zh}"))
    if len(problems) > BLOCKS_SHOWN:
        st.caption(tr("upload.more_problems", n=len(problems) - BLOCKS_SHOWN))
    with st.expander(tr("upload.problems_table")):
        st.dataframe(problems_table(problems), hide_index=True, placeholder="—")


def show_preview(preview: Preview) -> None:
    """Problems (if any) or what the import would write, plus warnings and notices."""
    if preview.problems:
        show_problems(preview.problems)
    else:
        st.success(tr("upload.ok_preview"))
        st.dataframe(
            pd.DataFrame(
                [(lp.ledger, lp.rows, lp.new, lp.updated, lp.unchanged, lp.removed) for lp in preview.ledgers],
                columns=[tr(f"preview.{k}") for k in ("ledger", "rows", "new", "updated", "unchanged", "removed")],
            ),
            hide_index=True,
            placeholder="—",
        )
        if preview.untouched:
            kept = "、".join(tr("upload.ledger_rows", ledger=name, n=rows) for name, rows in preview.untouched)
            st.caption(tr("upload.untouched", ledgers=md_escape(kept)))
    if preview.warnings:
        st.warning(tr("upload.warnings"))
        st.dataframe(notices_table(preview.warnings), hide_index=True, placeholder="—")
    if preview.notices:
        with st.expander(tr("upload.notices")):
            st.dataframe(notices_table(preview.notices), hide_index=True, placeholder="—")


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    if history.empty:
        return history
    out = pd.DataFrame(
        {
            tr("history.month"): history["month"],
            tr("history.version"): history["version"],
            tr("history.kind"): history["kind"].map(
                {"ledger": tr("upload.kind_ledger"), "zero": tr("upload.kind_zero")}
            ),
            tr("history.status"): history["status"].map(
                {"current": tr("history.current"), "superseded": tr("history.superseded")}
            ),
            tr("history.submitted_at"): history["submitted_at"].map(china_time),
            tr("history.file_names"): history["file_names"].fillna(""),
        }
    )
    return out


def status_line(history: pd.DataFrame, month: str) -> str:
    current = history[(history["month"] == month) & (history["status"] == "current")] if not history.empty else history
    if current.empty:
        return tr("upload.current_none")
    row = current.iloc[0]
    kind = tr("upload.kind_zero") if row["kind"] == "zero" else tr("upload.kind_ledger")
    return tr("upload.current", version=int(row["version"]), kind=kind, when=md_escape(china_time(row["submitted_at"])))


DRAFTS_KEY = "_ledger_drafts"


def _drafts() -> dict:
    return st.session_state.setdefault(DRAFTS_KEY, {"base": {}, "last": {}, "generation": {}, "open": None})


def ledger_editor(draft_key: str, start: pd.DataFrame) -> pd.DataFrame:
    """The in-page table of one ledger. What was typed is kept when the user switches to another
    ledger and back (Streamlit drops a widget's edits once it is not drawn): the table the user
    leaves becomes the starting point of a fresh editor when they return."""
    drafts = _drafts()
    left = drafts["open"]
    if left not in (None, draft_key) and left in drafts["last"]:
        drafts["base"][left] = drafts["last"].pop(left)
        drafts["generation"][left] = drafts["generation"].get(left, 0) + 1
    drafts["open"] = draft_key
    base = drafts["base"].get(draft_key, start)
    key = f"form_{draft_key}_{drafts['generation'].get(draft_key, 0)}"
    edited = st.data_editor(base, num_rows="dynamic", key=key, hide_index=True)
    drafts["last"][draft_key] = edited
    return edited


def discard_draft(draft_key: str) -> None:
    """Forget what was typed for this ledger: the table starts again from what is filed."""
    drafts = _drafts()
    drafts["base"].pop(draft_key, None)
    drafts["last"].pop(draft_key, None)
    drafts["generation"][draft_key] = drafts["generation"].get(draft_key, 0) + 1
