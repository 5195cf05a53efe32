"""The overview's charts, also drawn elsewhere: monthly lines of several series (the profile's
timeline) and bars per town (the cases view's disputes per 100 households)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.charts.common import OKABE_ITO, base_config, count_axis, legend
from services.i18n import t

TREND_SERIES = ("activities", "households_visited", "cases_received", "cases_closed")


def trend_chart(frame: pd.DataFrame, lang: str = "zh", series: tuple[str, ...] = TREND_SERIES) -> alt.Chart:
    """Monthly lines for several series; one colour per series, the same on every page."""
    long = frame.melt(id_vars="month", value_vars=list(series), var_name="key", value_name="value")
    long["series"] = long["key"].map(lambda k: t(f"series.{k}", lang))
    peak = float(long["value"].max()) if not long.empty else 0.0
    order = [t(f"series.{k}", lang) for k in series]
    chart = (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("month:O", title=t("col.month", lang), axis=alt.Axis(labelAngle=-45)),
            # an explicit domain keeps an all-zero period readable (d3 would label the axis NaN)
            # every series is a count: whole-number ticks only (a compound's month of 0 or 1 visits
            # otherwise reads "0, 0, 0, 1, 1, 1")
            y=alt.Y(
                "value:Q",
                axis=count_axis(t("col.value", lang), lang),
                scale=alt.Scale(domain=[0, max(peak, 1)], nice=True),
            ),
            color=alt.Color(
                "series:N",
                title=t("col.series", lang),
                scale=alt.Scale(domain=order, range=OKABE_ITO[: len(order)]),
                sort=order,
                legend=legend(order),
            ),
            tooltip=[
                alt.Tooltip("month:O", title=t("col.month", lang)),
                alt.Tooltip("series:N", title=t("col.series", lang)),
                alt.Tooltip("value:Q", title=t("col.value", lang), format=","),
            ],
        )
        .properties(height=260)
    )
    return base_config(chart)


def town_bar_chart(towns: pd.DataFrame, metric: str, lang: str = "zh") -> alt.Chart:
    """Horizontal bars, one per town, sorted by ``metric``; selecting a bar picks the town."""
    pick = alt.selection_point(name="town_pick", fields=["town_code"])
    chart = (
        alt.Chart(towns)
        .mark_bar(color=OKABE_ITO[0])
        .encode(
            y=alt.Y("town:N", sort="-x", title=t("col.town", lang)),
            x=alt.X(f"{metric}:Q", title=t(f"col.{metric}", lang)),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.5)),
            tooltip=[
                alt.Tooltip("town:N", title=t("col.town", lang)),
                alt.Tooltip(f"{metric}:Q", title=t(f"col.{metric}", lang), format=",.2f"),
            ],
        )
        .add_params(pick)
        .properties(height=max(160, 28 * len(towns)))
    )
    return base_config(chart)
