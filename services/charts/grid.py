"""The two month grids: compound × month cells coloured by a status (reporting, disclosure) and
town × month cells shaded by a rate (darker = more complete)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.charts.common import base_config, tooltips
from services.i18n import t


def status_grid(
    cal: pd.DataFrame,
    lang: str,
    *,
    colours: dict[str, str],
    status_text: str,
    tips: list[tuple],
    row_px: int,
    every_label: bool = False,
    legend_top: bool = False,
) -> alt.Chart:
    """One row per compound (``code name``, in code order), one column per month, the cell coloured
    by ``status`` (named by ``<status_text>.<status>``, in the order of ``colours``)."""
    data = cal.assign(
        status_label=cal["status"].map(lambda s: t(f"{status_text}.{s}", lang)), label=cal["code"] + " " + cal["name"]
    )
    domain = [t(f"{status_text}.{s}", lang) for s in colours]
    axis = alt.Axis(labelLimit=220, labelOverlap=False) if every_label else alt.Axis(labelLimit=220)
    legend: dict = {"legend": alt.Legend(orient="top")} if legend_top else {}
    chart = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("month:O", title=t("col.month", lang), axis=alt.Axis(labelAngle=-45, orient="top")),
            y=alt.Y("label:N", title=None, sort=alt.SortField("code"), axis=axis),
            color=alt.Color(
                "status_label:N",
                title=t("col.status", lang),
                scale=alt.Scale(domain=domain, range=list(colours.values())),
                **legend,
            ),
            tooltip=tooltips(tips, lang),
        )
        .properties(height=max(120, row_px * cal["compound_id"].nunique()))
    )
    return base_config(chart)


def rate_grid(
    rates: pd.DataFrame,
    lang: str,
    *,
    rate: str,
    rate_title: str,
    tips: list[tuple],
    row_px: int,
    town_order: str | None = None,
) -> alt.Chart:
    """Town × month cells shaded by ``rate`` (0 to 100%, blue = complete), the figures on hover."""
    sort: dict = {"sort": alt.SortField(town_order)} if town_order else {}
    chart = (
        alt.Chart(rates)
        .mark_rect(stroke="white")
        .encode(
            x=alt.X("month:O", title=t("col.month", lang), axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("town:N", title=t("col.town", lang), axis=alt.Axis(labelOverlap=False), **sort),
            color=alt.Color(
                f"{rate}:Q",
                title=t(rate_title, lang),
                scale=alt.Scale(scheme="blues", domain=[0, 1]),
                legend=alt.Legend(format="%"),
            ),
            tooltip=tooltips(tips, lang),
        )
        .properties(height=row_px * max(rates["town"].nunique(), 1))
    )
    return base_config(chart)
