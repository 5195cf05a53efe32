"""民主议事: votes held, participation, the local rule and Civil Code art. 278 side by side, near
misses, and votes passed but not carried out (officials issue an order from one); county → town
drill-down."""

import streamlit as st

from services import settings_store
from services.charts import votes as charts
from services.themes import votes
from services.themes.votes import NEAR_MISS
from ui.context import engine, lang, tr
from ui.data import read
from ui.drill import compound_table, drill_table
from ui.filters import current_filters
from ui.kpis import Figure, kpi_row
from ui.layout import formulas, page_header, stop_without_compounds
from ui.notes import notes_panel
from ui.order_issue import issue_picker, order_cells, vote_rows
from ui.tables import table

HELD = [
    Figure("votes_held"),
    Figure("vote.passed_local", "passed_local"),
    Figure("vote.passed_statutory", "passed_statutory"),
    Figure("vote.participation", "mean_vote_participation", "rate"),
]
WATCH = [
    Figure("vote.unknown_statutory", "unknown_statutory", inverse=True),
    Figure("vote.near_misses", "near_misses", inverse=True),
    Figure("vote.pending", "pending", inverse=True),
    Figure("vote.flagged", "pending_flagged", inverse=True),
]
VOTE = ["town", "code", "compound", "vote_no", "vote_date", "topic", "matter"]
SHARES = ["participation", "local_consent", "local_threshold", "area_participation", "household_consent"]
LISTING = [*VOTE, *SHARES, "area_consent", "required_consent", "passes_local", "passes_statutory"]
PENDING = [*VOTE, "implementation", "implemented_date", "days_pending", "flagged"]
AREA = ["votes_held", "passed_local", "passed_statutory", "unknown_statutory", "near_misses", "mean_participation"]
AREA_LABELS = {
    "votes_held": "vote.col.votes",
    "unknown_statutory": "vote.col.statutory_unknown",
    "pending_flagged": "vote.col.flagged_count",
}
ORDER_LABEL = {"order": "so.col.order"}
FIGURES = ["votes_held", "vote.passed_local", "vote.passed_statutory", "vote.unknown_statutory", "vote.participation"]

filters = current_filters()
period, scope = filters.period, filters.scope
alert_days = settings_store.vote_alert_days(engine())
page_header("vote.title", filters)

now = read(votes.summary, scope, period, alert_days=alert_days)
stop_without_compounds(filters, now["compounds"], message="vote.no_compounds")
kpi_row(votes.summary, scope, period, HELD, alert_days=alert_days)
kpi_row(votes.summary, scope, period, WATCH, alert_days=alert_days)
st.caption(tr("vote.flag_rule", days=alert_days))

st.subheader(tr("vote.rules"))
if now["votes_held"] == 0:
    st.info(tr("vote.empty", period=period.label()))
else:
    outcomes = read(votes.outcomes, scope, period)
    st.altair_chart(charts.outcome_bars(outcomes, lang()), width="stretch")
    matrix = outcomes.assign(local=outcomes["local"].map(lambda k: tr(f"vote.local.{k}")))
    labels = {"local": "vote.col.local_rule", **{k: f"vote.col.statutory_{k}" for k in ("pass", "fail", "unknown")}}
    table(
        matrix,
        ["local", "pass", "fail", "unknown", "total"],
        name="votes_local_vs_statutory",
        key="vote_matrix",
        prefix="vote",
        labels=labels,
    )
    st.caption(tr("vote.matrix_caption", local_only=now["local_only"], statutory_only=now["statutory_only"]))

    st.subheader(tr("vote.participation_heading"))
    bands = read(votes.participation_bins, scope, period)
    st.altair_chart(charts.participation_histogram(bands, lang()), width="stretch")

    listing = read(votes.votes, scope, period)
    listing["passes_statutory"] = listing["passes_statutory"].map(
        lambda p: tr("vote.outcome.unknown") if p is None else tr("vote.outcome.pass" if p else "vote.outcome.fail")
    )
    st.subheader(tr("vote.near_heading", points=round(NEAR_MISS * 100), n=now["near_misses"]))
    near = listing[listing["near_miss_local"] | listing["near_miss_statutory"]]
    if near.empty:
        st.info(tr("vote.near_none"))
    else:
        near_columns = [*LISTING, "near_miss_local", "near_miss_statutory"]
        compound_table(near, near_columns, name="votes_near_misses", key="vote_near", prefix="vote")
    with st.expander(tr("vote.all_heading", n=len(listing))):
        compound_table(listing, LISTING, name="votes", key="vote_all", prefix="vote")

st.subheader(tr("vote.pending_heading", n=now["pending"], day=str(period.last_day)))
pending = read(votes.pending, scope, period, alert_days=alert_days)
if pending.empty:
    st.info(tr("vote.pending_none", day=str(period.last_day)))
else:
    rows = vote_rows(pending)
    pending = pending.assign(order=order_cells(rows, scope))
    compound_table(
        pending, [*PENDING, "order"], name="votes_pending", key="vote_pending", prefix="vote", labels=ORDER_LABEL
    )
    issue_picker(rows, scope, key="vote_pending")

drill_table(
    filters,
    lambda: read(votes.by_town, scope, period, alert_days=alert_days),
    lambda: read(votes.by_compound, scope, period, alert_days=alert_days),
    town_columns=["town", "compounds", *AREA, "pending", "pending_flagged"],
    compound_columns=["code", "name", *AREA, "pending", "pending_flagged"],
    key="vote",
    names=("votes_by_town", "votes_by_compound"),
    prefix="vote",
    labels=AREA_LABELS,
    headings=("vote.towns", "vote.compounds", "vote.compound"),
    captions=("vote.drill", "overview.compounds_caption"),
)

formulas(
    [
        *(f"formula.{f}" for f in FIGURES),
        "formula.vote.near_misses",
        "formula.vote.pending",
        "formula.vote.flagged",
        "formula.change",
        "formula.change_points",
    ],
    days=alert_days,
)
notes_panel("votes", filters)
