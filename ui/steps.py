"""One way to take a step that changes data from a page (submit, approve, sign, lock …): run it,
show its refusal where the button was, or rerun and show what was done at the top of the page."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from services.access import PermissionDenied
from services.db import DatabaseBusy
from services.formatting import md_escape
from services.month_reports import TransitionRefused
from services.supervision import AttachmentRefused

DONE_KEY = "_step_done"
REFUSALS = (TransitionRefused, PermissionDenied, AttachmentRefused, DatabaseBusy)


def run_step(step: Callable[[], object], done: str) -> None:
    """Run ``step``; on a refusal show its (Chinese) message, else keep ``done`` and rerun."""
    try:
        step()
    except REFUSALS as refused:
        st.error(md_escape(str(refused)))
        return
    finish(done)


def finish(done: str) -> None:
    """Keep ``done`` for the top of the page and rerun, so the page shows the new state."""
    st.session_state[DONE_KEY] = done
    st.rerun()


def show_done() -> None:
    """What the last step did, after the rerun that shows its result."""
    if done := st.session_state.pop(DONE_KEY, None):
        st.success(done)
