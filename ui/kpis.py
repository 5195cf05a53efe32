"""Headline figures declared as data: a row of cards, each with its change on the previous period
(环比, the arrow) and on the same months a year before (同比, the line under it), formulas in the help."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pandas as pd
import streamlit as st

from services import formatting, reporting
from services.domain import Period, Scope
from services.metrics import change
from ui.context import current_run, lang, tr
from ui.data import read

OPEN_NOTICE_KEY = "_open_month_notice"  # the run that already said its month is still being reported


class Figure(NamedTuple):
    """A card: ``kpi.<key>`` label, ``formula.<help_key or key>`` help, the summary ``field`` (default: the key),
    how to show it, whether a rise is bad news; ``share_of`` shows a share of that field instead of 环比."""

    key: str
    field: str | None = None
    kind: str = "count"  # count / rate / yuan / per100 / days / hours
    inverse: bool = False
    help_key: str | None = None
    share_of: str | None = None


class Comparison(NamedTuple):
    now: dict
    previous: dict
    year_ago: dict


def formatted(value, kind: str = "count") -> str:
    """``value`` as a card shows it (— when missing)."""
    if value is None or pd.isna(value):
        return formatting.NONE
    if kind == "rate":
        return formatting.percent(value)
    if kind == "yuan":
        return formatting.yuan(value, lang())
    if kind == "per100":
        return f"{float(value):,.2f}"
    if kind == "hours":
        return f"{float(value):,.1f}"
    if kind == "days":
        return formatting.days(value, lang())
    return formatting.number(value, lang())


def number(value) -> str:
    return formatting.number(value, lang())


def change_text(current, base, *, rate: bool) -> str | None:
    """The change from ``base`` to ``current``: per cent for counts, percentage points for rates
    (a fall from 90% to 45% is -45 points, not -50%)."""
    return formatting.signed_points(current, base, lang()) if rate else formatting.signed_percent(change(current, base))


def compare(
    function: Callable[..., dict], scope: Scope, period: Period, *, now: dict | None = None, **kwargs
) -> Comparison:
    """``function``'s figures for the period, the period before it and the same months a year before
    (cached reads); ``now`` passes figures a page already read for the period."""
    if now is None:
        now = read(function, scope, period, **kwargs)
    return Comparison(
        now, read(function, scope, period.previous(), **kwargs), read(function, scope, period.year_before(), **kwargs)
    )


def open_month_notice(scope: Scope, period: Period) -> bool:
    """Say so above the figures when the period ends in a month still being reported (once a run);
    returns whether it does, so its changes are shown without the colours of a rise or a fall."""
    progress = read(reporting.month_progress, scope, period)
    if not progress["open"]:
        return False
    run = id(current_run())
    if st.session_state.get(OPEN_NOTICE_KEY) != run:
        st.session_state[OPEN_NOTICE_KEY] = run
        st.warning(
            tr("kpi.open_month", month=progress["month"], received=progress["received"], expected=progress["expected"])
        )
    return True


def kpi_row(function: Callable[..., dict], scope: Scope, period: Period, figures: list[Figure], **kwargs) -> dict:
    """One row of cards for ``figures`` of ``function`` (extra ``kwargs`` go to the read, ``now`` to
    ``compare``); returns the period's figures. In a month still being reported the changes are
    not coloured as rises or falls (the figures are not complete yet)."""
    still_open = open_month_notice(scope, period)
    compared = compare(function, scope, period, **kwargs)
    for column, figure in zip(st.columns(len(figures)), figures, strict=True):
        card(column, figure, compared, judged=not still_open)
    return compared.now


def card(column, figure: Figure, compared: Comparison, *, judged: bool = True) -> None:
    """A bordered card: the value, its 环比 change as the arrow (or its share of ``share_of``), the
    同比 change under it, and how the figure and its changes are computed in the help."""
    field, rate = figure.field or figure.key, figure.kind == "rate"
    current = compared.now[field]
    yoy = change_text(current, compared.year_ago[field], rate=rate) or formatting.NONE
    box = column.container(border=True)
    if figure.share_of:
        share = tr("kpi.share_of", share=formatting.percent(current / compared.now[figure.share_of]))
        helps = [tr(f"formula.{figure.help_key or figure.key}"), tr("formula.yoy")]
        value = formatted(current, figure.kind)
        box.metric(
            tr(f"kpi.{figure.key}"), value, delta=share, delta_color="off", delta_arrow="off", help="\n\n".join(helps)
        )
    else:
        delta = change_text(current, compared.previous[field], rate=rate)
        colour = "off" if delta is None or not judged else ("inverse" if figure.inverse else "normal")
        change_key = "formula.change_points" if rate else "formula.change"
        helps = [tr(f"formula.{figure.help_key or figure.key}"), tr(change_key), tr("formula.yoy")]
        box.metric(
            tr(f"kpi.{figure.key}"),
            formatted(current, figure.kind),
            delta=formatting.NONE if delta is None else delta,
            delta_color=colour,
            delta_arrow="off" if delta is None else "auto",
            delta_description=tr("kpi.mom"),
            help="\n\n".join(helps),
        )
    box.caption(tr("kpi.yoy", yoy=yoy))


def plain_card(
    column, label: str, value, *, help: str | None = None, delta: str | None = None, note: str | None = None
) -> None:
    """A card without comparisons (a count of alerts, today's registry, a slide's figure whose
    ``delta`` was worked out elsewhere: shown, not judged); ``note`` goes under it."""
    column.metric(label, value, delta=delta, delta_color="off", help=help, border=True)
    if note:
        column.caption(note)


def approved_share(figures: dict) -> str:
    """ "已审核 a/b（c%）": how many of the compound-months in view the town or county approved."""
    return tr(
        "mr.approved_share",
        approved=number(figures["reports_approved"]),
        expected=number(figures["reports_expected"]),
        rate=formatting.percent(figures["approved_rate"]),
    )
