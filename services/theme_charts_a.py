"""Chart specs of the coverage, activities and cases views: DataFrame in, Altair chart out (no I/O).

Colours follow ``services.charts``: Okabe–Ito for categories, each category's colour fixed by
its place in the domain vocabulary (not by what a period happens to contain), so 走访慰问 or
停车 look the same on every page and period. Vocabularies longer than seven colours continue
in greys; tooltips name every mark. Counts on axes read 1.2万 in Chinese. Heights are totals:
Streamlit fits axes and legends inside them.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.charts import OKABE_ITO, _base_config
from services.domain import ACTIVITY_TYPES, CASE_CATEGORIES, SATISFACTION, month_start
from services.i18n import t

EXTRA_GREYS = ["#4D4D4D", "#808080", "#A6A6A6", "#CCCCCC"]
KIND_COLOURS = {"demand": OKABE_ITO[0], "dispute": OKABE_ITO[5], "closed": OKABE_ITO[2]}
SATISFACTION_COLOURS = dict(zip(SATISFACTION, [OKABE_ITO[2], OKABE_ITO[4], OKABE_ITO[5], "#999999"], strict=True))
AGE_COLOURS = [OKABE_ITO[4], OKABE_ITO[6], OKABE_ITO[1], OKABE_ITO[5]]  # older is hotter
STAGE_COLOURS = {"received": OKABE_ITO[0], "responded": OKABE_ITO[4], "resolved": OKABE_ITO[2],
                 "transferred": OKABE_ITO[1], "in_progress": OKABE_ITO[3]}  # fmt: skip
KIND_KEYS = {"诉求": "demand", "纠纷": "dispute"}


def category_colours(vocabulary: tuple[str, ...]) -> dict[str, str]:
    """A fixed colour per value of a vocabulary: the seven Okabe–Ito hues, then greys (black
    is left out: as a large stacked area it drowns the other colours)."""
    palette = OKABE_ITO[:7] + EXTRA_GREYS
    return {value: palette[i % len(palette)] for i, value in enumerate(vocabulary)}


def _count_axis(title: str, lang: str) -> alt.Axis:
    """Integers with separators; 万 for ten thousands in Chinese."""
    if lang == "zh":
        expr = "abs(datum.value) >= 10000 ? format(datum.value / 10000, ',.1~f') + '万' : format(datum.value, ',~r')"
    else:
        expr = "format(datum.value, ',~s')"
    return alt.Axis(title=title, labelExpr=expr, tickMinStep=1)


def _months(lang: str) -> alt.X:
    return alt.X("month:O", title=t("col.month", lang), axis=alt.Axis(labelAngle=-45))


def _colour(field: str, title: str, colours: dict[str, str]) -> alt.Color:
    domain = list(colours)
    return alt.Color(f"{field}:N", title=title, sort=domain,
                     scale=alt.Scale(domain=domain, range=list(colours.values())))  # fmt: skip


# ---- coverage ------------------------------------------------------------------------------


def founding_curve(curve: pd.DataFrame, compounds: int, lang: str = "zh") -> alt.Chart:
    """Cumulative branches per month (a step line) and a dashed rule at the number of compounds."""
    data = curve.assign(date=[month_start(m).isoformat() for m in curve["month"]])
    line = (
        alt.Chart(data)
        .mark_line(interpolate="step-after", strokeWidth=3, color=OKABE_ITO[5])
        .encode(
            x=alt.X("date:T", title=t("col.month", lang), axis=alt.Axis(format="%Y-%m", tickCount="year")),
            y=alt.Y("branches:Q", axis=_count_axis(t("cov.col.branches", lang), lang),
                    scale=alt.Scale(domain=[0, max(compounds, int(data["branches"].max() or 0), 1)])),
            tooltip=[alt.Tooltip("month:N", title=t("col.month", lang)),
                     alt.Tooltip("founded:Q", title=t("cov.col.founded", lang), format=","),
                     alt.Tooltip("branches:Q", title=t("cov.col.branches", lang), format=",")],
        )
    )  # fmt: skip
    rule = (
        alt.Chart(pd.DataFrame({"compounds": [compounds]}))
        .mark_rule(strokeDash=[6, 4], color="#666666", strokeWidth=2)
        .encode(y="compounds:Q", tooltip=[alt.Tooltip("compounds:Q", title=t("col.compounds", lang), format=",")])
    )
    return _base_config((line + rule).properties(height=320))


# ---- activities ----------------------------------------------------------------------------


def activity_types(frame: pd.DataFrame, measure: str, lang: str = "zh") -> alt.Chart:
    """Stacked monthly bars, one colour per activity type; ``measure`` is a column of ``frame``."""
    titles = {"activities": t("act.measure.activities", lang), "participants": t("act.measure.participants", lang),
              "activities_per_100_households": t("act.measure.per_100", lang)}  # fmt: skip
    title = titles.get(measure, measure)
    axis = _count_axis(title, lang) if measure != "activities_per_100_households" else alt.Axis(title=title)
    rank = {kind: i for i, kind in enumerate(ACTIVITY_TYPES)}
    data = frame.assign(type_rank=frame["activity_type"].map(lambda k: rank.get(k, len(rank))))
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=_months(lang),
            y=alt.Y(f"sum({measure}):Q", axis=axis),
            color=_colour("activity_type", t("act.col.activity_type", lang), category_colours(ACTIVITY_TYPES)),
            order=alt.Order("type_rank:Q"),
            tooltip=[alt.Tooltip("month:O", title=t("col.month", lang)),
                     alt.Tooltip("activity_type:N", title=t("act.col.activity_type", lang)),
                     alt.Tooltip(f"{measure}:Q", title=title, format=",.2~f")],
        )
        .properties(height=360)
    )  # fmt: skip
    return _base_config(chart)


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
            y=alt.Y(f"{measure}:Q", axis=_count_axis(title, lang)),
            color=_colour("year", t("act.col.year", lang), colours),
            tooltip=[alt.Tooltip("month:O", title=t("col.month", lang)),
                     alt.Tooltip(f"{measure}:Q", title=title, format=",.2~f")],
        )
        .properties(height=320)
    )  # fmt: skip
    return _base_config(chart)


# ---- cases ---------------------------------------------------------------------------------


def case_loop(stages: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Horizontal bars for the stages of the loop (columns ``stage`` key and ``cases``)."""
    data = stages.assign(label=[t(f"case.stage.{s}", lang) for s in stages["stage"]])
    colours = {t(f"case.stage.{s}", lang): STAGE_COLOURS[s] for s in stages["stage"]}
    bars = alt.Chart(data).encode(
        y=alt.Y("label:N", title=None, sort=list(colours)),
        x=alt.X("cases:Q", axis=_count_axis(t("case.col.cases", lang), lang)),
    )
    chart = bars.mark_bar().encode(
        color=alt.Color("label:N", legend=None, scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
        tooltip=[alt.Tooltip("label:N", title=t("case.col.stage", lang)),
                 alt.Tooltip("cases:Q", title=t("case.col.cases", lang), format=",")],
    ) + bars.mark_text(align="left", dx=4, fontSize=14).encode(text=alt.Text("cases:Q", format=","))  # fmt: skip
    return _base_config(chart.properties(height=40 * len(data) + 20))


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
            y=alt.Y("sum(cases):Q", axis=_count_axis(t("case.col.cases", lang), lang)),
            color=_colour("kind_label", t("case.col.kind", lang), _kind_colours(lang)),
            tooltip=[alt.Tooltip("age:N", title=t("case.col.bucket", lang)),
                     alt.Tooltip("kind_label:N", title=t("case.col.kind", lang)),
                     alt.Tooltip("cases:Q", title=t("case.col.cases", lang), format=",")],
        )
        .properties(height=340)
    )  # fmt: skip
    return _base_config(chart)


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
            x=alt.X("sum(cases):Q", axis=_count_axis(t("case.col.cases", lang), lang)),
            color=_colour("kind_label", t("case.col.kind", lang), _kind_colours(lang)),
            tooltip=[alt.Tooltip("category:N", title=t("case.col.category", lang)),
                     alt.Tooltip("kind_label:N", title=t("case.col.kind", lang)),
                     alt.Tooltip("cases:Q", title=t("case.col.cases", lang), format=",")],
        )
        .properties(height=32 * len(order) + 140)  # Streamlit fits axes and legend inside the height
    )  # fmt: skip
    return _base_config(chart)


def satisfaction(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Bars per rating, in the vocabulary's order, with each rating's share on hover."""
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("satisfaction:N", title=t("case.col.satisfaction", lang), sort=list(SATISFACTION)),
            x=alt.X("cases:Q", axis=_count_axis(t("case.col.cases", lang), lang)),
            color=alt.Color("satisfaction:N", legend=None, scale=alt.Scale(
                domain=list(SATISFACTION_COLOURS), range=list(SATISFACTION_COLOURS.values()))),
            tooltip=[alt.Tooltip("satisfaction:N", title=t("case.col.satisfaction", lang)),
                     alt.Tooltip("cases:Q", title=t("case.col.cases", lang), format=","),
                     alt.Tooltip("share:Q", title=t("case.col.share", lang), format=".1%")],
        )
        .properties(height=180)
    )  # fmt: skip
    return _base_config(chart)


def case_trend(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Monthly lines: demands and disputes received, cases closed."""
    series = {"demands_received": ("demand", "case.kind.demand"), "disputes_received": ("dispute", "case.kind.dispute"),
              "cases_closed": ("closed", "case.kind.closed")}  # fmt: skip
    long = frame.melt(id_vars="month", value_vars=list(series), var_name="key", value_name="cases")
    long["series"] = long["key"].map(lambda k: t(series[k][1], lang))
    colours = {t(label, lang): KIND_COLOURS[kind] for kind, label in series.values()}
    chart = (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=_months(lang),
            y=alt.Y("cases:Q", axis=_count_axis(t("case.col.cases", lang), lang)),
            color=_colour("series", t("col.series", lang), colours),
            tooltip=[alt.Tooltip("month:O", title=t("col.month", lang)),
                     alt.Tooltip("series:N", title=t("col.series", lang)),
                     alt.Tooltip("cases:Q", title=t("case.col.cases", lang), format=",")],
        )
        .properties(height=320)
    )  # fmt: skip
    return _base_config(chart)
