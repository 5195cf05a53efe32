"""The finance view's charts: the disclosure calendar (per compound) and heat map (per town), and
monthly income and spending."""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.charts.common import LIGHT_GREY, OKABE_ITO, base_config, legend, money_scale
from services.charts.grid import rate_grid, status_grid
from services.i18n import t

DISCLOSURE_COLOURS = {"disclosed": OKABE_ITO[0], "missing": OKABE_ITO[5], "not_expected": LIGHT_GREY}
MONEY_COLOURS = {"income_yuan": OKABE_ITO[0], "spending_yuan": OKABE_ITO[1]}


def disclosure_calendar(cal: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Compound × month cells: disclosed, missing, or not expected (before the branch existed)."""
    tips = [
        ("label:N", "col.compound"),
        ("month:O", "col.month"),
        ("status_label:N", "col.status"),
        ("income_yuan:Q", "fin.col.income_yuan", ",.2f"),
        ("spending_yuan:Q", "fin.col.spending_yuan", ",.2f"),
    ]
    return status_grid(
        cal,
        lang,
        colours=DISCLOSURE_COLOURS,
        status_text="fin.status",
        tips=tips,
        row_px=22,
        every_label=True,
        legend_top=True,
    )


def disclosure_heatmap(rates: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Town × month cells shaded by disclosure rate (darker = more compounds disclosed)."""
    tips = [
        ("town:N", "col.town"),
        ("month:O", "col.month"),
        ("months_disclosed:Q", "fin.col.months_disclosed"),
        ("months_expected:Q", "fin.col.months_expected"),
        ("disclosure_rate:Q", "fin.col.disclosure_rate", ".1%"),
    ]
    return rate_grid(
        rates,
        lang,
        rate="disclosure_rate",
        rate_title="fin.col.disclosure_rate",
        tips=tips,
        row_px=30,
        town_order="town_code",
    )


def money_trend(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Monthly income and spending disclosed: two lines, income blue, spending orange."""
    keys = list(MONEY_COLOURS)
    long = frame.melt(id_vars="month", value_vars=keys, var_name="key", value_name="yuan")
    divisor, unit = money_scale(long["yuan"], lang)
    long["amount"] = long["yuan"] / divisor
    long["series"] = long["key"].map(lambda k: t(f"fin.series.{k}", lang))
    order = [t(f"fin.series.{k}", lang) for k in keys]
    peak = float(long["amount"].max()) if not long.empty else 0.0
    chart = (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("month:O", title=t("col.month", lang), axis=alt.Axis(labelAngle=-45)),
            y=alt.Y(
                "amount:Q",
                title=unit,
                axis=alt.Axis(format=",~f"),  # as many decimals as the ticks have: never "0.0, 0.0, 0.1"
                scale=alt.Scale(domain=[0, max(peak, 1)], nice=True),
            ),
            color=alt.Color(
                "series:N",
                title=t("col.series", lang),
                sort=order,
                scale=alt.Scale(domain=order, range=list(MONEY_COLOURS.values())),
                legend=legend(order),
            ),
            tooltip=[
                alt.Tooltip("month:O", title=t("col.month", lang)),
                alt.Tooltip("series:N", title=t("col.series", lang)),
                alt.Tooltip("yuan:Q", title=t("fin.unit.yuan", lang), format=",.2f"),
            ],
        )
        .properties(height=240)
    )
    return base_config(chart)
