"""汇报模式: the review meeting slide by slide in large type, with the .pptx and PDF of the same deck."""

import streamlit as st

from services import deck as decks
from services import metrics
from services.access import PermissionDenied
from services.deck import periods
from services.domain import Period, Scope, last_closed_month
from services.formatting import md_escape
from ui.context import current_principal, data_version, deadline_day, lang, settings, tr
from ui.data import cached_data_months, cached_towns, read
from ui.filters import current_filters
from ui.presentation import LEVELS, ask_for_whole, cached_deck, cached_title, official_versions, show_slide, slide_bar

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

choice = (scope, period, compare, lang())
if st.session_state.get("present_choice") != choice:  # a new deck starts at its title slide, built alone
    st.session_state.present_choice, st.session_state.present_index = choice, 0
    st.session_state.present_whole = False
key = (
    settings().database_url,
    data_version(),
    principal,
    (scope.town_code, scope.compound_id),
    (period.start, period.end),
    compare,
    lang(),
    deadline_day(),
)
try:
    if not st.session_state.get("present_whole"):  # the title slide at once; the rest when asked
        name, first = cached_title(*key)
        slide_bar(0, None)
        show_slide(first, compare)
        st.caption(tr("present.whole_help"))
        st.button(tr("present.whole"), on_click=ask_for_whole, icon=":material/slideshow:", key="present_build")
        official_versions(principal, scope, period, name)
        st.stop()
    with st.spinner(tr("present.building")):
        deck = cached_deck(*key)
except PermissionDenied as refused:
    st.error(tr("denied", reason=str(refused)))
    st.stop()

index = min(st.session_state.present_index, len(deck.slides) - 1)
slide_bar(index, len(deck.slides))
show_slide(deck.slides[index], deck.compare)

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
