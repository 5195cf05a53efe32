"""The coverage view's chart: Party branches founded, month by month, against the compounds."""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.charts.common import OKABE_ITO, base_config, count_axis
from services.domain import month_start
from services.i18n import t


def founding_curve(curve: pd.DataFrame, compounds: int, lang: str = "zh") -> alt.Chart:
    """Cumulative branches per month (a step line) and a dashed rule at the number of compounds."""
    data = curve.assign(date=[month_start(m).isoformat() for m in curve["month"]])
    line = (
        alt.Chart(data)
        .mark_line(interpolate="step-after", strokeWidth=3, color=OKABE_ITO[5])
        .encode(
            x=alt.X("date:T", title=t("col.month", lang), axis=alt.Axis(format="%Y-%m", tickCount="year")),
            y=alt.Y(
                "branches:Q",
                axis=count_axis(t("cov.col.branches", lang), lang),
                scale=alt.Scale(domain=[0, max(compounds, int(data["branches"].max() or 0), 1)]),
            ),
            tooltip=[
                alt.Tooltip("month:N", title=t("col.month", lang)),
                alt.Tooltip("founded:Q", title=t("cov.col.founded", lang), format=","),
                alt.Tooltip("branches:Q", title=t("cov.col.branches", lang), format=","),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"compounds": [compounds]}))
        .mark_rule(strokeDash=[6, 4], color="#666666", strokeWidth=2)
        .encode(y="compounds:Q", tooltip=[alt.Tooltip("compounds:Q", title=t("col.compounds", lang), format=",")])
    )
    return base_config((line + rule).properties(height=260))
