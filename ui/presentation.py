"""The presentation view's glue: the deck cached per reader, moving between slides, the large
type of a meeting room screen, and the official decks kept when a month locked (pages/present.py
lays it out)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services import deck as decks
from services.access import PermissionDenied, Principal
from services.deck import archive, periods
from services.domain import Period, Scope
from services.formatting import NONE, md_escape
from services.ingest.problems import china_time
from ui.context import engine, lang, tr
from ui.kpis import plain_card

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


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def cached_title(
    url: str, version: str, principal, scope: tuple, period: tuple, compare: str, language: str, deadline: int
):
    """The scope's name and the title slide alone (one headline's cost), cached like the deck."""
    return decks.build_title(
        engine(), principal, Scope(*scope), Period(*period), compare, lang=language, deadline_day=deadline
    )


def move_slide(step: int, total: int) -> None:
    st.session_state.present_index = max(0, min(total - 1, st.session_state.get("present_index", 0) + step))


def ask_for_whole(index: int = 0) -> None:
    """Build the whole deck from now on (and go to slide ``index``)."""
    st.session_state.present_whole, st.session_state.present_index = True, index


def slide_bar(index: int, total: int | None) -> None:
    """上一页 · 第 n / total 页 · 下一页; with ``total`` None only the title slide is built, and
    下一页 asks for the whole deck."""
    back, counter, forward = st.columns([1, 2, 1], vertical_alignment="center")
    back.button(
        tr("present.prev"),
        icon=":material/arrow_back:",
        disabled=index == 0,
        on_click=move_slide,
        args=(-1, total or 1),
        width="stretch",
        key="present_prev",
    )
    shown = tr("present.counter_first") if total is None else tr("present.counter", n=index + 1, total=total)
    counter.markdown(shown, text_alignment="center")
    forward.button(
        tr("present.next"),
        icon=":material/arrow_forward:",
        disabled=total is not None and index == total - 1,
        on_click=ask_for_whole if total is None else move_slide,
        args=(1,) if total is None else (1, total),
        width="stretch",
        key="present_next",
    )


def show_slide(slide: decks.Slide, compare: str) -> None:
    """One slide in large type: title, lines, figures, chart, table and note, all as text."""
    st.html(LARGE_TYPE)
    with st.container(border=True, key="present_slide"):
        st.header(md_escape(slide.title), anchor=False)
        if slide.key == "title":
            st.subheader(md_escape(slide.lines[0]), anchor=False)
        for line in slide.lines[1:] if slide.key == "title" else slide.lines:
            st.markdown(md_escape(line))
        per_row = 6 if len(slide.figures) in (5, 6) else 4
        for start in range(0, len(slide.figures), per_row):
            for column, figure in zip(st.columns(per_row), slide.figures[start : start + per_row], strict=False):
                delta = None if figure.change in (None, NONE) else figure.change
                note = md_escape(figure.note) if figure.note else None
                plain_card(column, figure.label, figure.value, delta=delta, note=note)
        if any(figure.change for figure in slide.figures) and slide.key != "headline":  # the headline says it
            st.caption(tr("deck.change_note", compare=tr(f"deck.compare_word.{compare}")))
        if slide.chart is not None:
            st.vega_lite_chart(spec=slide.chart, theme=None, width="stretch")
        if slide.table is not None:
            st.dataframe(
                pd.DataFrame(list(slide.table.rows), columns=list(slide.table.columns)),
                hide_index=True,
                width="stretch",
                placeholder="—",
            )
        if slide.note:
            st.caption(md_escape(slide.note))


MIME = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pdf": "application/pdf"}


def official_versions(principal: Principal, scope: Scope, period: Period, scope_name: str) -> None:
    """The official decks kept for the scope and the months of the period in view (a town's with
    the county's beside them), each with its built time and downloads. Secretaries have none, and
    services refuse what a reader may not see."""
    if not archive.can_read(principal):
        return
    st.subheader(tr("archive.heading"), anchor=False)
    st.caption(tr("archive.help"))
    if scope.compound_id is not None:
        st.caption(tr("archive.none_compound"))
        return
    shown = [(scope, scope_name)] + ([(Scope(), tr("app.county"))] if scope.town_code else [])
    try:
        found = [(name, archive.archived(engine(), principal, where, period)) for where, name in shown]
    except PermissionDenied as refused:
        st.error(tr("denied", reason=str(refused)))
        return
    if not any(items for _, items in found):
        st.caption(tr("archive.none"))
    for name, items in found:
        by_month: dict[Period, list[archive.ArchivedDeck]] = {}
        for item in items:
            by_month.setdefault(item.period, []).append(item)
        for month, kept in by_month.items():
            when = china_time(kept[0].built_at)
            st.markdown(tr("archive.item", scope=md_escape(name), period=periods.label(month, lang()), when=when))
            for column, item in zip(st.columns(len(kept)), kept, strict=True):
                column.download_button(
                    tr("archive.download", fmt=item.fmt.upper()),
                    data=lambda item=item: archive.content(engine(), principal, item.id),
                    file_name=archive.file_name(engine(), item, lang()),
                    mime=MIME[item.fmt],
                    on_click="ignore",
                    icon=":material/verified:",
                    help=tr("archive.sha", sha=item.sha256),
                    key=f"archive_{item.id}",
                )
