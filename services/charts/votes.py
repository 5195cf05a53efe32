"""The votes view's charts: participation bands against the 2/3 of Civil Code art. 278, and the
outcomes under the local rule and art. 278 side by side."""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.charts.common import GREY, OKABE_ITO, base_config, legend
from services.domain import STATUTORY_PARTICIPATION
from services.i18n import t

OUTCOME_COLOURS = {"pass": OKABE_ITO[2], "fail": OKABE_ITO[5], "unknown": GREY}


def participation_histogram(bins: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Votes per ten-point participation band, with the 2/3 line of Civil Code art. 278."""
    peak = int(bins["votes"].max()) if not bins.empty else 0
    bars = (
        alt.Chart(bins)
        .mark_bar(color=OKABE_ITO[0], stroke="white")
        .encode(
            x=alt.X(
                "band_start:Q",
                bin="binned",
                title=t("vote.col.participation", lang),
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", values=[i / 10 for i in range(11)]),
            ),
            x2="band_end:Q",
            y=alt.Y(
                "votes:Q",
                title=t("vote.col.votes", lang),
                axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(domain=[0, max(peak, 1)], nice=True),
            ),
            tooltip=[
                alt.Tooltip("band_start:Q", title=t("vote.band_from", lang), format=".0%"),
                alt.Tooltip("band_end:Q", title=t("vote.band_to", lang), format=".0%"),
                alt.Tooltip("votes:Q", title=t("vote.col.votes", lang)),
            ],
        )
    )
    # labelled on its left: most votes reach 2/3, so the bars stand to the right of the line
    line = pd.DataFrame({"x": [float(STATUTORY_PARTICIPATION)], "label": [t("vote.two_thirds", lang)]})
    rule = alt.Chart(line).mark_rule(color=OKABE_ITO[5], strokeDash=[6, 4], strokeWidth=2).encode(x="x:Q")
    text = (
        alt.Chart(line)
        .mark_text(align="right", dx=-6, dy=-6, fontSize=13, color=OKABE_ITO[5], baseline="top")
        .encode(x="x:Q", y=alt.value(0), text="label:N")
    )
    return base_config((bars + rule + text).properties(height=260))


def outcome_bars(table: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Two stacked bars, local rule and art. 278, split into pass / fail / unknown.

    ``table``: the 2×3 outcome table of ``services.themes.votes.outcomes``."""
    totals = table.set_index("local")
    local = {"pass": int(totals.loc["pass", "total"]), "fail": int(totals.loc["fail", "total"]), "unknown": 0}
    statutory = {k: int(totals.loc["total", k]) for k in ("pass", "fail", "unknown")}
    rules = [t("vote.rule.local", lang), t("vote.rule.statutory", lang)]
    rows = [
        (rules[i], k, t(f"vote.outcome.{k}", lang), n, order)
        for i, counts in enumerate((local, statutory))
        for order, (k, n) in enumerate(counts.items())
        if n
    ]
    data = pd.DataFrame(rows, columns=["rule", "key", "outcome", "votes", "order"])
    domain = [t(f"vote.outcome.{k}", lang) for k in OUTCOME_COLOURS]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("rule:N", sort=rules, title=None, axis=alt.Axis(labelLimit=240)),
            x=alt.X("votes:Q", stack="zero", title=t("vote.col.votes", lang), axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color(
                "outcome:N",
                title=t("vote.col.outcome", lang),
                scale=alt.Scale(domain=domain, range=list(OUTCOME_COLOURS.values())),
                legend=legend(domain),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("rule:N", title=t("vote.col.rule", lang)),
                alt.Tooltip("outcome:N", title=t("vote.col.outcome", lang)),
                alt.Tooltip("votes:Q", title=t("vote.col.votes", lang)),
            ],
        )
        .properties(height=2 * 50)
    )
    return base_config(chart)
