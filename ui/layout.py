"""The frame of a view page: its title and period line, why a scope shows nothing, the months a
monthly chart covers, and the formulas under it."""

from __future__ import annotations

import streamlit as st

from services.domain import Period, add_months
from ui.context import tr
from ui.filters import Filters


def page_header(title_key: str, filters: Filters, *, with_period: bool = True, **values: object) -> None:
    """The title (``title_key`` with the scope and ``values``) and, unless told otherwise, the period
    line naming the periods the changes compare with."""
    st.title(tr(title_key, scope=filters.scope_label, **values))
    if with_period:
        period_caption(filters.period)


def period_caption(period: Period) -> None:
    previous, year_ago = period.previous().label(), period.year_before().label()
    st.caption(tr("overview.period", period=period.label(), previous=previous, year_ago=year_ago))


def stop_without_compounds(filters: Filters, compounds: int, *, message: str | None = None) -> None:
    """Say why there is nothing to show when the scope holds no compound (``message``, or a reason
    for the compound, town or county), and stop."""
    if compounds:
        return
    if message:
        st.info(tr(message))
    elif filters.scope.compound_id is not None:
        st.info(tr("cov.no_compounds_compound"))
    elif filters.scope.town_code:
        st.info(tr("cov.no_compounds_town", town=filters.scope_label))
    else:
        st.info(tr("app.empty_db"))
    st.stop()


def chart_period(period: Period) -> Period:
    """At least the twelve months up to the period's end, for monthly charts."""
    return Period(min(period.start, add_months(period.end, -11)), period.end)


def formulas(keys: list[str], **values: object) -> None:
    """How each figure of the page is computed, in an expander (``values`` fill the texts)."""
    explain([tr(key, **values) for key in keys])


def explain(texts: list[str]) -> None:
    """Texts already put together (a rule with its name) in the formulas' expander."""
    with st.expander(tr("overview.formulas")):
        for text in texts:
            st.text(text)


def css_string(text: str) -> str:
    """A catalogue text as a quoted CSS string: quotes, backslashes and ``<`` escaped, so the text
    can neither end the string nor the ``<style>`` element."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>\n' else ch for ch in text)
    return f'"{escaped}"'


def widget_texts() -> None:
    """Chinese (or English) in place of the fixed English of Streamlit's widgets that no argument
    reaches: the uploader's button, size line and drop hint, a file's name cut in the middle, and
    the selectbox's "No results". Static CSS from the catalogue, selected by data-testid; no user
    text goes into it (a file's full name comes from the chip's own title attribute)."""
    mb = int(st.get_option("server.maxUploadSize"))
    dropzone = '[data-testid="stFileUploaderDropzone"]'
    button = f'{dropzone} > span button [data-testid="stMarkdownContainer"]'
    limit = '[data-testid="stFileUploaderDropzoneInstructions"]'
    drop_hint = f"{dropzone} > div:not([data-testid]):not(:has([data-testid])) span"  # only while dragging
    empty_list = '[data-testid="stSelectboxVirtualDropdown"] [role="listbox"][data-empty="true"] span'
    st.html(
        f"""<style>
{button} p {{ display: none; }}
{button}::after {{ content: {css_string(tr("ui.upload_button"))}; }}
{limit} span {{ display: none; }}
{limit} > div::after {{ content: {css_string(tr("ui.upload_limit", mb=mb))}; font-size: 0.875rem; opacity: 0.7; }}
{drop_hint} {{ font-size: 0; }}
{drop_hint}::after {{ content: {css_string(tr("ui.upload_drop"))}; font-size: 1rem; }}
[data-testid="stFileChip"] {{ height: auto; max-width: 100%; }}
[data-testid="stFileChipName"] {{ font-size: 0; white-space: normal; overflow: visible; text-overflow: clip; }}
[data-testid="stFileChipName"]::after {{ content: attr(title); font-size: 0.875rem; overflow-wrap: anywhere; }}
{empty_list} {{ font-size: 0; }}
{empty_list}::after {{ content: {css_string(tr("ui.no_results"))}; font-size: 0.875rem; }}
</style>"""
    )
