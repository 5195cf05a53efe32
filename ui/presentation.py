"""The presentation view's glue: the deck cached per reader, moving between slides, and the large
type of a meeting room screen (pages/present.py lays it out)."""

from __future__ import annotations

import streamlit as st

from services import deck as decks
from services.domain import Period, Scope
from ui.context import engine

# the scopes each role may present (the deck clamps them again in services)
LEVELS = {
    "admin": ("county", "town", "compound"),
    "county": ("county", "town", "compound"),
    "town": ("town", "compound"),
    "secretary": ("compound",),
}
SLIDE = ".st-key-present_slide"
MD = '[data-testid="stMarkdownContainer"] p'
LARGE_TYPE = f"""<style>
{SLIDE} {MD} {{ font-size: 1.45rem; line-height: 1.6; }}
{SLIDE} [data-testid="stMetricValue"] {MD} {{ font-size: 2.3rem; font-weight: 600; line-height: 1.25; }}
{SLIDE} [data-testid="stMetricLabel"] {MD} {{ font-size: 1.15rem; }}
{SLIDE} [data-testid="stMetricDelta"] {MD} {{ font-size: 1.05rem; }}
{SLIDE} [data-testid="stCaptionContainer"] p {{ font-size: 1rem; }}
</style>"""


@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def cached_deck(
    url: str, version: str, principal, scope: tuple, period: tuple, compare: str, language: str, deadline: int
):
    """The deck, cached per reader (the principal is part of the key) and data version."""
    return decks.build_deck(
        engine(), principal, Scope(*scope), Period(*period), compare, lang=language, deadline_day=deadline
    )


def move_slide(step: int, total: int) -> None:
    st.session_state.present_index = max(0, min(total - 1, st.session_state.get("present_index", 0) + step))
