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
# Left to itself Streamlit autosizes a chart with "fit": the whole chart (axes, rotated month
# labels, titles, legend) is squeezed into the spec's height, so a grid of 12 towns drew a plot
# of ~80 px and Vega dropped 9 of its 12 labels. "fit-x" fits the width to the page and keeps the
# spec's height for the plot itself; axes and legends are added around it.
AUTOSIZE = alt.AutoSizeParams(type="fit-x", contains="padding")


def base_config(chart: alt.Chart) -> alt.Chart:
    return (
        chart.properties(autosize=AUTOSIZE)
        .configure(font=FONT)
        .configure_axis(labelFontSize=13, titleFontSize=13)
        .configure_legend(labelFontSize=13, titleFontSize=13, orient="bottom", labelLimit=0)
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


PHONE_LEGEND_PX = 260  # a legend starts under the plot: 390 px less the page's padding and the y axis


def label_px(label: str, size: int = 13) -> float:
    """Rough width of a label: a CJK character is about one font size wide, Latin about 0.6."""
    return sum(size if ord(ch) > 0x2E80 else 0.6 * size for ch in str(label))


def legend(labels: list[str]) -> alt.Legend:
    """A legend below the plot whose entries wrap into as many columns as fit a phone: a single
    horizontal row runs off a narrow screen and Vega cuts what does not fit."""
    widest = max((label_px(label) for label in labels), default=0) + 30  # symbol and gap
    return alt.Legend(columns=max(1, min(len(labels), int(PHONE_LEGEND_PX // widest))), labelLimit=0)


def colour(field: str, title: str, colours: dict[str, str]) -> alt.Color:
    domain = list(colours)
    return alt.Color(
        f"{field}:N",
        title=title,
        sort=domain,
        scale=alt.Scale(domain=domain, range=list(colours.values())),
        legend=legend([str(value) for value in domain]),
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
