"""汇报模式: the review meeting slide by slide in large type, with the .pptx and PDF of the same deck."""

import pandas as pd
import streamlit as st

from services import deck as decks
from services import metrics
from services.access import PermissionDenied
from services.deck import periods
from services.domain import Period, Scope, last_closed_month
from services.formatting import NONE, md_escape
from ui.context import current_principal, data_version, deadline_day, lang, settings, tr
from ui.data import cached_data_months, cached_towns, read
from ui.filters import current_filters
from ui.kpis import plain_card
from ui.presentation import LARGE_TYPE, LEVELS, cached_deck, move_slide, official_versions

principal = current_principal()
st.title(tr("present.title"))
st.caption(tr("present.caption"))
span = cached_data_months()
if span is None:
    st.info(tr("present.no_data"))
    st.stop()
months = Period(*span).months[::-1]

where, which, what = st.columns([2, 2, 3])
level = where.radio(
    tr("present.scope"),
    LEVELS[principal.role],
    format_func=lambda v: tr(f"present.scope.{v}"),
    horizontal=True,
    key="present_level",
)
towns = cached_towns()
names = {row.code: row.name for row in towns.itertuples()} if not towns.empty else {}
if principal.role in ("town", "secretary"):
    names = {code: name for code, name in names.items() if code == principal.town_code}
scope = Scope()
if level != "county" and principal.role != "secretary":
    town_code = which.selectbox(
        tr("present.town"), list(names), format_func=names.get, key="present_town", placeholder=tr("ui.choose")
    )
    scope = Scope(town_code=town_code)
if level == "compound" and principal.role == "secretary":
    scope = Scope(compound_id=principal.compound_id)
elif level == "compound":
    listed = read(metrics.by_compound, scope, Period(months[0], months[0]))
    if listed.empty:
        st.info(tr("present.no_compounds"))
        st.stop()
    choices = dict(zip(listed["compound_id"], listed["code"] + " " + listed["name"], strict=True))
    compound = what.selectbox(
        tr("present.compound"),
        list(choices),
        format_func=choices.get,
        key="present_compound",
        placeholder=tr("ui.choose"),
    )
    scope = Scope(town_code=scope.town_code, compound_id=int(compound))

kind_col, value_col, compare_col = st.columns([2, 2, 3])
kind = kind_col.radio(
    tr("present.period_kind"),
    periods.KINDS,
    format_func=lambda v: tr(f"present.kind.{v}"),
    horizontal=True,
    key="present_kind",
)
default = months.index(current_filters().period.end) if current_filters().period.end in months else 0
if kind == "month":
    month = value_col.selectbox(
        tr("present.month"), months, index=default, key="present_month", placeholder=tr("ui.choose")
    )
    period = Period(month, month)
elif kind in ("quarter", "year"):
    codes = list(dict.fromkeys(periods.containing(kind, m) for m in months))
    complete = periods.default_index(kind, codes, last_closed_month(deadline_day()))
    chosen = value_col.selectbox(
        tr(f"present.{kind}"), codes, index=complete, key=f"present_{kind}", placeholder=tr("ui.choose")
    )
    period = periods.of_kind(kind, chosen)
else:
    first, last = value_col.columns(2)
    start = first.selectbox(
        tr("present.from"),
        months,
        index=min(default + 2, len(months) - 1),
        key="present_from",
        placeholder=tr("ui.choose"),
    )
    end = last.selectbox(tr("present.to"), months, index=default, key="present_to", placeholder=tr("ui.choose"))
    if start > end:
        value_col.caption(tr("present.period_invalid"))
        start = end
    period = Period(start, end)
compare = compare_col.radio(
    tr("present.compare"),
    periods.COMPARES,
    format_func=lambda v: tr(f"present.compare.{v}"),
    horizontal=True,
    key="present_compare",
)

try:
    with st.spinner(tr("present.building")):
        deck = cached_deck(
            settings().database_url,
            data_version(),
            principal,
            (scope.town_code, scope.compound_id),
            (period.start, period.end),
            compare,
            lang(),
            deadline_day(),
        )
except PermissionDenied as refused:
    st.error(tr("denied", reason=str(refused)))
    st.stop()

choice = (scope, period, compare, lang())
if st.session_state.get("present_choice") != choice:  # a new deck starts at its title slide
    st.session_state.present_choice, st.session_state.present_index = choice, 0
total = len(deck.slides)
index = min(st.session_state.present_index, total - 1)
back, counter, forward = st.columns([1, 2, 1], vertical_alignment="center")
back.button(
    tr("present.prev"),
    icon=":material/arrow_back:",
    disabled=index == 0,
    on_click=move_slide,
    args=(-1, total),
    width="stretch",
    key="present_prev",
)
counter.markdown(tr("present.counter", n=index + 1, total=total), text_alignment="center")
forward.button(
    tr("present.next"),
    icon=":material/arrow_forward:",
    disabled=index == total - 1,
    on_click=move_slide,
    args=(1, total),
    width="stretch",
    key="present_next",
)

st.html(LARGE_TYPE)
slide = deck.slides[index]
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
            plain_card(
                column, figure.label, figure.value, delta=delta, note=md_escape(figure.note) if figure.note else None
            )
    if any(figure.change for figure in slide.figures) and slide.key != "headline":  # the headline says it itself
        st.caption(tr("deck.change_note", compare=tr(f"deck.compare_word.{deck.compare}")))
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

st.subheader(tr("present.narrative"), anchor=False)
st.markdown(md_escape(deck.narrative.text))
left, right = st.columns(2)
left.download_button(
    tr("present.download_pptx"),
    data=lambda: decks.render(deck, "pptx"),
    file_name=decks.file_name(deck, "pptx"),
    on_click="ignore",
    icon=":material/download:",
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
)
right.download_button(
    tr("present.download_pdf"),
    data=lambda: decks.render(deck, "pdf"),
    file_name=decks.file_name(deck, "pdf"),
    mime="application/pdf",
    on_click="ignore",
    icon=":material/download:",
)
official_versions(principal, scope, period, deck.scope_label)
