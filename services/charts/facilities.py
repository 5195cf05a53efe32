"""The facilities view's charts: completed projects per category with their physical quantity,
and investment per funding source (one fixed colour per source)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.charts.common import GREY, OKABE_ITO, base_config, money_scale
from services.domain import FUNDING_SOURCES
from services.i18n import t

FUNDING_COLOURS = dict(zip(FUNDING_SOURCES, OKABE_ITO, strict=False))


def category_bars(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Completed projects per facility category, each bar labelled with its physical quantity.

    ``frame``: category, unit, projects, quantity_text (one row per category and unit)."""
    data = frame.assign(label=frame["category"] + "（" + frame["unit"] + "）")
    order = data["label"].tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=order, title=t("fac.col.category", lang), axis=alt.Axis(labelLimit=200)),
        x=alt.X("projects:Q", title=t("fac.col.projects", lang), axis=alt.Axis(format="d", tickMinStep=1)),
        tooltip=[
            alt.Tooltip("label:N", title=t("fac.col.category", lang)),
            alt.Tooltip("projects:Q", title=t("fac.col.projects", lang), format=","),
            alt.Tooltip("quantity_text:N", title=t("fac.col.quantity", lang)),
        ],
    )
    bars = base.mark_bar(color=OKABE_ITO[0])
    labels = base.mark_text(align="left", dx=4, fontSize=14).encode(text="quantity_text:N")
    return base_config((bars + labels).properties(height=max(140, 34 * len(data))))


def funding_bars(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Investment per funding source (one fixed colour per source)."""
    divisor, unit = money_scale(frame["investment_yuan"], lang)
    data = frame.assign(amount=frame["investment_yuan"] / divisor)
    sources = data["funding_source"].tolist()
    colours = [FUNDING_COLOURS.get(s, GREY) for s in sources]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("funding_source:N", sort=sources, title=t("fac.col.funding_source", lang)),
            x=alt.X("amount:Q", title=unit, axis=alt.Axis(format=",.0f")),
            color=alt.Color("funding_source:N", scale=alt.Scale(domain=sources, range=colours), legend=None),
            tooltip=[
                alt.Tooltip("funding_source:N", title=t("fac.col.funding_source", lang)),
                alt.Tooltip("investment_yuan:Q", title=t("fac.col.investment_yuan", lang), format=",.0f"),
                alt.Tooltip("share:Q", title=t("fac.col.share", lang), format=".1%"),
            ],
        )
        .properties(height=max(120, 40 * len(data)))
    )
    return base_config(chart)
