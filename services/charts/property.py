"""The property view's chart: property-service demands and disputes per 100 households, per company."""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.charts.common import OKABE_ITO, base_config, legend
from services.i18n import t

CASE_KIND_COLOURS = {
    "property_demands_per_100_households": OKABE_ITO[0],
    "property_disputes_per_100_households": OKABE_ITO[5],
}


def company_bars(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Property-service demands and disputes per 100 households, side by side per company."""
    keys = list(CASE_KIND_COLOURS)
    long = frame.melt(id_vars="property_company", value_vars=keys, var_name="key", value_name="value")
    long["series"] = long["key"].map(lambda k: t(f"prop.col.{k}", lang))
    order = [t(f"prop.col.{k}", lang) for k in keys]
    companies = frame["property_company"].tolist()
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y(
                "property_company:N",
                sort=companies,
                title=t("prop.col.property_company", lang),
                axis=alt.Axis(labelLimit=260),
            ),
            yOffset=alt.YOffset("series:N", sort=order),
            # as many decimals as the ticks need: a fixed ",.1f" read "0.0, 0.0, 0.1, 0.1"
            x=alt.X("value:Q", title=t("prop.col.per_100_households", lang), axis=alt.Axis(format=",~f")),
            color=alt.Color(
                "series:N",
                title=t("col.series", lang),
                sort=order,
                scale=alt.Scale(domain=order, range=list(CASE_KIND_COLOURS.values())),
                legend=legend(order),
            ),
            tooltip=[
                alt.Tooltip("property_company:N", title=t("prop.col.property_company", lang)),
                alt.Tooltip("series:N", title=t("col.series", lang)),
                alt.Tooltip("value:Q", title=t("prop.col.per_100_households", lang), format=".2f"),
            ],
        )
        .properties(height=max(140, 48 * len(companies)))
    )
    return base_config(chart)
