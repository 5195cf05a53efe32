"""What every chart shares: the colour-blind-safe Okabe–Ito palette (a category keeps its colour on
every page and period), the CJK font, count and money axes (1.2万, 万元) and spacing."""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.i18n import t

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
EXTRA_GREYS = ["#4D4D4D", "#808080", "#A6A6A6", "#CCCCCC"]
GREY = "#999999"
LIGHT_GREY = "#E5E5E5"
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
# Streamlit fits the whole chart (axes, titles, legend) into its height; these are what the
# plot itself needs besides, so rows stay readable on a projector
AXIS_SPACE = 60  # a horizontal axis with its title
ROTATED_AXIS_SPACE = 110  # month labels at -45° with the axis title
LEGEND_SPACE = 70  # a legend below the plot


def base_config(chart: alt.Chart) -> alt.Chart:
    return (
        chart.configure(font=FONT)
        .configure_axis(labelFontSize=13, titleFontSize=13)
        .configure_legend(labelFontSize=13, titleFontSize=13, orient="bottom")
    )


def category_colours(vocabulary: tuple[str, ...]) -> dict[str, str]:
    """A fixed colour per value of a vocabulary: the seven Okabe–Ito hues, then greys (black
    is left out: as a large stacked area it drowns the other colours)."""
    palette = OKABE_ITO[:7] + EXTRA_GREYS
    return {value: palette[i % len(palette)] for i, value in enumerate(vocabulary)}


def count_axis(title: str, lang: str) -> alt.Axis:
    """Integers with separators; 万 for ten thousands in Chinese."""
    if lang == "zh":
        expr = "abs(datum.value) >= 10000 ? format(datum.value / 10000, ',.1~f') + '万' : format(datum.value, ',~r')"
    else:
        expr = "format(datum.value, ',~s')"
    return alt.Axis(title=title, labelExpr=expr, tickMinStep=1)


def month_axis(lang: str) -> alt.X:
    return alt.X("month:O", title=t("col.month", lang), axis=alt.Axis(labelAngle=-45))


def colour(field: str, title: str, colours: dict[str, str]) -> alt.Color:
    domain = list(colours)
    return alt.Color(
        f"{field}:N", title=title, sort=domain, scale=alt.Scale(domain=domain, range=list(colours.values()))
    )


def money_scale(values: pd.Series, lang: str) -> tuple[float, str]:
    """Divisor and axis title: 万元 from 100,000 yuan on (Chinese), else yuan."""
    peak = float(values.abs().max()) if len(values) else 0.0
    if peak >= 1e5:
        return (1e4, t("fin.unit.wan_yuan", lang)) if lang == "zh" else (1e3, t("fin.unit.thousand_yuan", lang))
    return 1.0, t("fin.unit.yuan", lang)


def tooltips(fields: list[tuple], lang: str) -> list[alt.Tooltip]:
    """Tooltips from (field:type, title key[, format]) rows."""
    return [
        alt.Tooltip(field, title=t(key, lang), **({"format": rest[0]} if rest else {})) for field, key, *rest in fields
    ]
