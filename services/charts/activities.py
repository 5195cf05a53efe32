"""The activities view's charts: activities by type and month, and the month-of-year profile."""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.charts.common import OKABE_ITO, base_config, category_colours, colour, count_axis, month_axis
from services.domain import ACTIVITY_TYPES
from services.i18n import t


def activity_types(frame: pd.DataFrame, measure: str, lang: str = "zh") -> alt.Chart:
    """Stacked monthly bars, one colour per activity type; ``measure`` is a column of ``frame``."""
    titles = {
        "activities": t("act.measure.activities", lang),
        "participants": t("act.measure.participants", lang),
        "activities_per_100_households": t("act.measure.per_100", lang),
    }
    title = titles.get(measure, measure)
    axis = count_axis(title, lang) if measure != "activities_per_100_households" else alt.Axis(title=title)
    rank = {kind: i for i, kind in enumerate(ACTIVITY_TYPES)}
    data = frame.assign(type_rank=frame["activity_type"].map(lambda k: rank.get(k, len(rank))))
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=month_axis(lang),
            y=alt.Y(f"sum({measure}):Q", axis=axis),
            color=colour("activity_type", t("act.col.activity_type", lang), category_colours(ACTIVITY_TYPES)),
            order=alt.Order("type_rank:Q"),
            tooltip=[
                alt.Tooltip("month:O", title=t("col.month", lang)),
                alt.Tooltip("activity_type:N", title=t("act.col.activity_type", lang)),
                alt.Tooltip(f"{measure}:Q", title=title, format=",.2~f"),
            ],
        )
        .properties(height=280)
    )
    return base_config(chart)


def seasonality(frame: pd.DataFrame, measure: str, title: str, lang: str = "zh") -> alt.Chart:
    """One line per year over the twelve calendar months (the month-of-year profile)."""
    labels = [t("act.month_label", lang, m=m) for m in range(1, 13)]
    data = frame.assign(month_label=[labels[m - 1] for m in frame["month_of_year"]])
    years = sorted(data["year"].unique())
    colours = {year: OKABE_ITO[i % len(OKABE_ITO)] for i, year in enumerate(years)}
    chart = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("month_label:O", title=t("act.col.month_of_year", lang), sort=labels, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{measure}:Q", axis=count_axis(title, lang)),
            color=colour("year", t("act.col.year", lang), colours),
            tooltip=[
                alt.Tooltip("month:O", title=t("col.month", lang)),
                alt.Tooltip(f"{measure}:Q", title=title, format=",.2~f"),
            ],
        )
        .properties(height=260)
    )
    return base_config(chart)
