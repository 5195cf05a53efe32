"""The cases view's charts: the stages of the loop, the open backlog by age, categories,
satisfaction and the monthly trend; demands blue, disputes vermilion, closed green everywhere."""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.charts.common import OKABE_ITO, base_config, colour, count_axis, month_axis
from services.domain import CASE_CATEGORIES, SATISFACTION
from services.i18n import t

KIND_COLOURS = {"demand": OKABE_ITO[0], "dispute": OKABE_ITO[5], "closed": OKABE_ITO[2]}
SATISFACTION_COLOURS = dict(zip(SATISFACTION, [OKABE_ITO[2], OKABE_ITO[4], OKABE_ITO[5], "#999999"], strict=True))
STAGE_COLOURS = {
    "received": OKABE_ITO[0],
    "responded": OKABE_ITO[4],
    "resolved": OKABE_ITO[2],
    "transferred": OKABE_ITO[1],
    "in_progress": OKABE_ITO[3],
}


def case_loop(stages: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Horizontal bars for the stages of the loop (columns ``stage`` key and ``cases``)."""
    data = stages.assign(label=[t(f"case.stage.{s}", lang) for s in stages["stage"]])
    colours = {t(f"case.stage.{s}", lang): STAGE_COLOURS[s] for s in stages["stage"]}
    bars = alt.Chart(data).encode(
        y=alt.Y("label:N", title=None, sort=list(colours)),
        x=alt.X("cases:Q", axis=count_axis(t("case.col.cases", lang), lang)),
    )
    chart = bars.mark_bar().encode(
        color=alt.Color("label:N", legend=None, scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
        tooltip=[
            alt.Tooltip("label:N", title=t("case.col.stage", lang)),
            alt.Tooltip("cases:Q", title=t("case.col.cases", lang), format=","),
        ],
    ) + bars.mark_text(align="left", dx=4, fontSize=14).encode(text=alt.Text("cases:Q", format=","))
    return base_config(chart.properties(height=40 * len(data) + 20))


def _kinds_long(frame: pd.DataFrame, index: str, lang: str) -> pd.DataFrame:
    long = frame[[index, "demands", "disputes"]].melt(id_vars=[index], var_name="kind", value_name="cases")
    long["kind_label"] = long["kind"].map(
        {"demands": t("case.kind.demand", lang), "disputes": t("case.kind.dispute", lang)}
    )
    return long


def _kind_colours(lang: str) -> dict[str, str]:
    return {t("case.kind.demand", lang): KIND_COLOURS["demand"], t("case.kind.dispute", lang): KIND_COLOURS["dispute"]}


def backlog(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Open cases by age bucket, stacked by kind (columns ``bucket``, ``demands``, ``disputes``)."""
    long = _kinds_long(frame, "bucket", lang)
    long["age"] = long["bucket"].map(lambda b: t(f"case.age.{b}", lang))
    order = [t(f"case.age.{b}", lang) for b in frame["bucket"]]
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("age:N", title=t("case.col.bucket", lang), sort=order, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(cases):Q", axis=count_axis(t("case.col.cases", lang), lang)),
            color=colour("kind_label", t("case.col.kind", lang), _kind_colours(lang)),
            tooltip=[
                alt.Tooltip("age:N", title=t("case.col.bucket", lang)),
                alt.Tooltip("kind_label:N", title=t("case.col.kind", lang)),
                alt.Tooltip("cases:Q", title=t("case.col.cases", lang), format=","),
            ],
        )
        .properties(height=260)
    )
    return base_config(chart)


def categories(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Horizontal bars per category (domain order), stacked demands and disputes."""
    data = frame.rename(columns={"demands_received": "demands", "disputes_received": "disputes"})
    long = _kinds_long(data, "category", lang)
    order = [c for c in CASE_CATEGORIES if c in set(frame["category"])] + sorted(
        set(frame["category"]) - set(CASE_CATEGORIES)
    )
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("category:N", title=t("case.col.category", lang), sort=order),
            x=alt.X("sum(cases):Q", axis=count_axis(t("case.col.cases", lang), lang)),
            color=colour("kind_label", t("case.col.kind", lang), _kind_colours(lang)),
            tooltip=[
                alt.Tooltip("category:N", title=t("case.col.category", lang)),
                alt.Tooltip("kind_label:N", title=t("case.col.kind", lang)),
                alt.Tooltip("cases:Q", title=t("case.col.cases", lang), format=","),
            ],
        )
        .properties(height=32 * len(order))
    )
    return base_config(chart)


def satisfaction(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Bars per rating, in the vocabulary's order, with each rating's share on hover."""
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("satisfaction:N", title=t("case.col.satisfaction", lang), sort=list(SATISFACTION)),
            x=alt.X("cases:Q", axis=count_axis(t("case.col.cases", lang), lang)),
            color=alt.Color(
                "satisfaction:N",
                legend=None,
                scale=alt.Scale(domain=list(SATISFACTION_COLOURS), range=list(SATISFACTION_COLOURS.values())),
            ),
            tooltip=[
                alt.Tooltip("satisfaction:N", title=t("case.col.satisfaction", lang)),
                alt.Tooltip("cases:Q", title=t("case.col.cases", lang), format=","),
                alt.Tooltip("share:Q", title=t("case.col.share", lang), format=".1%"),
            ],
        )
        .properties(height=180)
    )
    return base_config(chart)


def case_trend(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Monthly lines: demands and disputes received, cases closed."""
    series = {
        "demands_received": ("demand", "case.kind.demand"),
        "disputes_received": ("dispute", "case.kind.dispute"),
        "cases_closed": ("closed", "case.kind.closed"),
    }
    long = frame.melt(id_vars="month", value_vars=list(series), var_name="key", value_name="cases")
    long["series"] = long["key"].map(lambda k: t(series[k][1], lang))
    colours = {t(label, lang): KIND_COLOURS[kind] for kind, label in series.values()}
    chart = (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=month_axis(lang),
            y=alt.Y("cases:Q", axis=count_axis(t("case.col.cases", lang), lang)),
            color=colour("series", t("col.series", lang), colours),
            tooltip=[
                alt.Tooltip("month:O", title=t("col.month", lang)),
                alt.Tooltip("series:N", title=t("col.series", lang)),
                alt.Tooltip("cases:Q", title=t("case.col.cases", lang), format=","),
            ],
        )
        .properties(height=260)
    )
    return base_config(chart)
