"""批注 under a view: the notes of the scope and period shown, newest first with author and time,
as text (never markup); officials write one, with @username to put it in someone's inbox."""

from __future__ import annotations

import streamlit as st

from services import notes
from services.domain import Scope
from services.formatting import md_escape
from services.ingest.problems import china_time
from ui.context import current_principal, engine, tr
from ui.data import read
from ui.filters import Filters
from ui.steps import run_step


def notes_panel(view_id: str, filters: Filters, *, scope: Scope | None = None, scope_label: str | None = None) -> None:
    """The notes on ``view_id`` for ``scope`` (the filters' own unless a page shows a narrower one,
    named ``scope_label``, already escaped) and the filters' period."""
    principal = current_principal()
    scope = filters.scope if scope is None else scope
    period = filters.period
    st.divider()
    st.subheader(tr("note.heading"))
    st.caption(tr("note.caption", scope=scope_label or filters.scope_label, period=period.label()))
    found = read(notes.notes, scope, view_id, period)
    if found.empty:
        st.caption(tr("note.none"))
    for note in found.itertuples(index=False):
        box = st.container(border=True)
        author = note.author_name or note.author
        box.caption(md_escape(tr("note.by", author=author, at=china_time(note.created_at))))
        box.text(note.body)  # user text: shown as text, never as markup
    if principal.role not in notes.WRITERS:
        return
    fresh = f"_note_{view_id}_written"  # a new key after each save gives an empty box
    key = f"note_{view_id}_{st.session_state.get(fresh, 0)}"
    body = st.text_area(tr("note.write"), key=key, max_chars=notes.MAX_NOTE)

    def save() -> None:
        notes.write_note(engine(), principal, view_id=view_id, scope=scope, period=period, body=body)
        st.session_state[fresh] = st.session_state.get(fresh, 0) + 1

    if st.button(tr("note.save"), key=f"note_{view_id}_save", icon=":material/edit_note:"):
        run_step(save, tr("note.saved"))
