"""Charts of the facilities, votes, finance and property views: DataFrame in, Altair chart out.

Colours are Okabe–Ito and fixed per category (a funding source, an outcome, a disclosure status
keeps its colour on every page and in every period); money axes switch to 万元 when amounts
reach six figures, so a projector shows short numbers.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.charts import OKABE_ITO, _base_config
from services.domain import FUNDING_SOURCES, STATUTORY_PARTICIPATION
from services.i18n import t

GREY = "#999999"
LIGHT_GREY = "#E5E5E5"
FUNDING_COLOURS = dict(zip(FUNDING_SOURCES, OKABE_ITO, strict=False))
OUTCOME_COLOURS = {"pass": OKABE_ITO[2], "fail": OKABE_ITO[5], "unknown": GREY}
DISCLOSURE_COLOURS = {"disclosed": OKABE_ITO[0], "missing": OKABE_ITO[5], "not_expected": LIGHT_GREY}
MONEY_COLOURS = {"income_yuan": OKABE_ITO[0], "spending_yuan": OKABE_ITO[1]}
CASE_KIND_COLOURS = {"property_demands_per_100_households": OKABE_ITO[0],
                     "property_disputes_per_100_households": OKABE_ITO[5]}  # fmt: skip
# Streamlit fits the whole chart (axes, titles, legend) into its height; these are what the
# plot itself needs besides, so rows stay readable on a projector
AXIS_SPACE = 60  # a horizontal axis with its title
ROTATED_AXIS_SPACE = 110  # month labels at -45° with the axis title
LEGEND_SPACE = 70  # a legend below the plot


def _money_scale(values: pd.Series, lang: str) -> tuple[float, str]:
    """Divisor and axis title: 万元 from 100,000 yuan on (Chinese), else yuan."""
    peak = float(values.abs().max()) if len(values) else 0.0
    if peak >= 1e5:
        return (1e4, t("fin.unit.wan_yuan", lang)) if lang == "zh" else (1e3, t("fin.unit.thousand_yuan", lang))
    return 1.0, t("fin.unit.yuan", lang)


def category_bars(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Completed projects per facility category, each bar labelled with its physical quantity.

    ``frame``: category, unit, projects, quantity_text (one row per category and unit)."""
    data = frame.assign(label=frame["category"] + "（" + frame["unit"] + "）")
    order = data["label"].tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=order, title=t("fac.col.category", lang), axis=alt.Axis(labelLimit=200)),
        x=alt.X("projects:Q", title=t("fac.col.projects", lang), axis=alt.Axis(format="d", tickMinStep=1)),
        tooltip=[alt.Tooltip("label:N", title=t("fac.col.category", lang)),
                 alt.Tooltip("projects:Q", title=t("fac.col.projects", lang), format=","),
                 alt.Tooltip("quantity_text:N", title=t("fac.col.quantity", lang))],
    )  # fmt: skip
    bars = base.mark_bar(color=OKABE_ITO[0])
    labels = base.mark_text(align="left", dx=4, fontSize=14).encode(text="quantity_text:N")
    return _base_config((bars + labels).properties(height=max(140, 34 * len(data)) + AXIS_SPACE))


def funding_bars(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Investment per funding source (one fixed colour per source)."""
    divisor, unit = _money_scale(frame["investment_yuan"], lang)
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
            tooltip=[alt.Tooltip("funding_source:N", title=t("fac.col.funding_source", lang)),
                     alt.Tooltip("investment_yuan:Q", title=t("fac.col.investment_yuan", lang), format=",.0f"),
                     alt.Tooltip("share:Q", title=t("fac.col.share", lang), format=".1%")],
        )
        .properties(height=max(120, 40 * len(data)) + AXIS_SPACE)
    )  # fmt: skip
    return _base_config(chart)


def participation_histogram(bins: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Votes per ten-point participation band, with the 2/3 line of Civil Code art. 278."""
    peak = int(bins["votes"].max()) if not bins.empty else 0
    bars = (
        alt.Chart(bins)
        .mark_bar(color=OKABE_ITO[0], stroke="white")
        .encode(
            x=alt.X("band_start:Q", bin="binned", title=t("vote.col.participation", lang),
                    scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%", values=[i / 10 for i in range(11)])),
            x2="band_end:Q",
            y=alt.Y("votes:Q", title=t("vote.col.votes", lang), axis=alt.Axis(format="d", tickMinStep=1),
                    scale=alt.Scale(domain=[0, max(peak, 1)], nice=True)),
            tooltip=[alt.Tooltip("band_start:Q", title=t("vote.band_from", lang), format=".0%"),
                     alt.Tooltip("band_end:Q", title=t("vote.band_to", lang), format=".0%"),
                     alt.Tooltip("votes:Q", title=t("vote.col.votes", lang))],
        )
    )  # fmt: skip
    # labelled on its left: most votes reach 2/3, so the bars stand to the right of the line
    line = pd.DataFrame({"x": [float(STATUTORY_PARTICIPATION)], "label": [t("vote.two_thirds", lang)]})
    rule = alt.Chart(line).mark_rule(color=OKABE_ITO[5], strokeDash=[6, 4], strokeWidth=2).encode(x="x:Q")
    text = (
        alt.Chart(line)
        .mark_text(align="right", dx=-6, dy=-6, fontSize=13, color=OKABE_ITO[5], baseline="top")
        .encode(x="x:Q", y=alt.value(0), text="label:N")
    )
    return _base_config((bars + rule + text).properties(height=260 + AXIS_SPACE))


def outcome_bars(table: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Two stacked bars, local rule and art. 278, split into pass / fail / unknown.

    ``table``: the 2×3 outcome table of ``services.themes.votes.outcomes``."""
    totals = table.set_index("local")
    local = {"pass": int(totals.loc["pass", "total"]), "fail": int(totals.loc["fail", "total"]), "unknown": 0}
    statutory = {k: int(totals.loc["total", k]) for k in ("pass", "fail", "unknown")}
    rules = [t("vote.rule.local", lang), t("vote.rule.statutory", lang)]
    rows = [(rules[i], k, t(f"vote.outcome.{k}", lang), n, order)
            for i, counts in enumerate((local, statutory))
            for order, (k, n) in enumerate(counts.items()) if n]  # fmt: skip
    data = pd.DataFrame(rows, columns=["rule", "key", "outcome", "votes", "order"])
    domain = [t(f"vote.outcome.{k}", lang) for k in OUTCOME_COLOURS]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("rule:N", sort=rules, title=None, axis=alt.Axis(labelLimit=240)),
            x=alt.X("votes:Q", stack="zero", title=t("vote.col.votes", lang), axis=alt.Axis(format="d")),
            color=alt.Color("outcome:N", title=t("vote.col.outcome", lang),
                            scale=alt.Scale(domain=domain, range=list(OUTCOME_COLOURS.values()))),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("rule:N", title=t("vote.col.rule", lang)),
                     alt.Tooltip("outcome:N", title=t("vote.col.outcome", lang)),
                     alt.Tooltip("votes:Q", title=t("vote.col.votes", lang))],
        )
        .properties(height=2 * 50 + AXIS_SPACE + LEGEND_SPACE)
    )  # fmt: skip
    return _base_config(chart)


def disclosure_calendar(cal: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Compound × month cells: disclosed, missing, or not expected (before the branch existed)."""
    data = cal.assign(status_label=cal["status"].map(lambda s: t(f"fin.status.{s}", lang)),
                      label=cal["code"] + " " + cal["name"])  # fmt: skip
    domain = [t(f"fin.status.{s}", lang) for s in DISCLOSURE_COLOURS]
    chart = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("month:O", title=t("col.month", lang), axis=alt.Axis(labelAngle=-45, orient="top")),
            y=alt.Y("label:N", title=None, sort=alt.SortField("code"),
                    axis=alt.Axis(labelLimit=220, labelOverlap=False)),
            color=alt.Color("status_label:N", title=t("col.status", lang), legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=domain, range=list(DISCLOSURE_COLOURS.values()))),
            tooltip=[alt.Tooltip("label:N", title=t("col.compound", lang)),
                     alt.Tooltip("month:O", title=t("col.month", lang)),
                     alt.Tooltip("status_label:N", title=t("col.status", lang)),
                     alt.Tooltip("income_yuan:Q", title=t("fin.col.income_yuan", lang), format=",.2f"),
                     alt.Tooltip("spending_yuan:Q", title=t("fin.col.spending_yuan", lang), format=",.2f")],
        )
        .properties(height=max(120, 22 * cal["compound_id"].nunique()) + ROTATED_AXIS_SPACE + LEGEND_SPACE)
    )  # fmt: skip
    return _base_config(chart)


def disclosure_heatmap(rates: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Town × month cells shaded by disclosure rate (darker = more compounds disclosed)."""
    chart = (
        alt.Chart(rates)
        .mark_rect(stroke="white")
        .encode(
            x=alt.X("month:O", title=t("col.month", lang), axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("town:N", title=t("col.town", lang), sort=alt.SortField("town_code")),
            color=alt.Color("disclosure_rate:Q", title=t("fin.col.disclosure_rate", lang),
                            scale=alt.Scale(scheme="blues", domain=[0, 1]), legend=alt.Legend(format="%")),
            tooltip=[alt.Tooltip("town:N", title=t("col.town", lang)),
                     alt.Tooltip("month:O", title=t("col.month", lang)),
                     alt.Tooltip("months_disclosed:Q", title=t("fin.col.months_disclosed", lang)),
                     alt.Tooltip("months_expected:Q", title=t("fin.col.months_expected", lang)),
                     alt.Tooltip("disclosure_rate:Q", title=t("fin.col.disclosure_rate", lang), format=".1%")],
        )
        .properties(height=max(120, 30 * rates["town"].nunique()) + ROTATED_AXIS_SPACE + LEGEND_SPACE)
    )  # fmt: skip
    return _base_config(chart)


def money_trend(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Monthly income and spending disclosed: two lines, income blue, spending orange."""
    keys = list(MONEY_COLOURS)
    long = frame.melt(id_vars="month", value_vars=keys, var_name="key", value_name="yuan")
    divisor, unit = _money_scale(long["yuan"], lang)
    long["amount"] = long["yuan"] / divisor
    long["series"] = long["key"].map(lambda k: t(f"fin.series.{k}", lang))
    order = [t(f"fin.series.{k}", lang) for k in keys]
    peak = float(long["amount"].max()) if not long.empty else 0.0
    chart = (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("month:O", title=t("col.month", lang), axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("amount:Q", title=unit, axis=alt.Axis(format=",.1f" if divisor > 1 else ",.0f"),
                    scale=alt.Scale(domain=[0, max(peak, 1)], nice=True)),
            color=alt.Color("series:N", title=t("col.series", lang), sort=order,
                            scale=alt.Scale(domain=order, range=list(MONEY_COLOURS.values()))),
            tooltip=[alt.Tooltip("month:O", title=t("col.month", lang)),
                     alt.Tooltip("series:N", title=t("col.series", lang)),
                     alt.Tooltip("yuan:Q", title=t("fin.unit.yuan", lang), format=",.2f")],
        )
        .properties(height=280 + ROTATED_AXIS_SPACE + LEGEND_SPACE)
    )  # fmt: skip
    return _base_config(chart)


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
            y=alt.Y("property_company:N", sort=companies, title=t("prop.col.property_company", lang),
                    axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("series:N", sort=order),
            x=alt.X("value:Q", title=t("prop.col.per_100_households", lang), axis=alt.Axis(format=",.1f")),
            color=alt.Color("series:N", title=t("col.series", lang), sort=order,
                            scale=alt.Scale(domain=order, range=list(CASE_KIND_COLOURS.values()))),
            tooltip=[alt.Tooltip("property_company:N", title=t("prop.col.property_company", lang)),
                     alt.Tooltip("series:N", title=t("col.series", lang)),
                     alt.Tooltip("value:Q", title=t("prop.col.per_100_households", lang), format=".2f")],
        )
        .properties(height=max(140, 48 * len(companies)) + AXIS_SPACE + LEGEND_SPACE)
    )  # fmt: skip
    return _base_config(chart)
