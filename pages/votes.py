"""民主议事: votes held, participation, the local rule and Civil Code art. 278 side by side, near
misses, and votes passed but not carried out; county → town drill-down."""

import streamlit as st

from services import settings_store
from services.charts import votes as charts
from services.themes import votes
from services.themes.votes import NEAR_MISS
from ui.context import engine, lang, tr
from ui.data import read
from ui.filters import current_filters
from ui.themes_b import (
    Figure,
    back_to_county,
    formulas,
    headers,
    kpi_row,
    period_caption,
    table,
    town_drill,
)

filters = current_filters()
period, scope = filters.period, filters.scope
alert_days = settings_store.vote_alert_days(engine())
st.title(tr("vote.title", scope=filters.scope_label))
period_caption(period)

now = read(votes.summary, scope, period, alert_days=alert_days)
before = read(votes.summary, scope, period.previous(), alert_days=alert_days)
ago = read(votes.summary, scope, period.year_before(), alert_days=alert_days)
if now["compounds"] == 0:
    st.info(tr("vote.no_compounds"))
    st.stop()

kpi_row(now, before, [Figure("votes_held", "votes_held"), Figure("vote.passed_local", "passed_local"),
                      Figure("vote.passed_statutory", "passed_statutory"),
                      Figure("vote.participation", "mean_vote_participation", "rate")], ago)  # fmt: skip
kpi_row(now, before, [Figure("vote.unknown_statutory", "unknown_statutory", inverse=True),
                      Figure("vote.near_misses", "near_misses", inverse=True),
                      Figure("vote.pending", "pending", inverse=True),
                      Figure("vote.flagged", "pending_flagged", inverse=True)], ago)  # fmt: skip
st.caption(tr("vote.flag_rule", days=alert_days))

st.subheader(tr("vote.rules"))
if now["votes_held"] == 0:
    st.info(tr("vote.empty", period=period.label()))
else:
    outcomes = read(votes.outcomes, scope, period)
    st.altair_chart(charts.outcome_bars(outcomes, lang()), width="stretch")
    matrix = outcomes.assign(local=outcomes["local"].map(lambda k: tr(f"vote.local.{k}")))
    table(matrix, headers("vote", "local", "pass", "fail", "unknown", "total", local="vote.col.local_rule",
                          **{k: f"vote.col.statutory_{k}" for k in ("pass", "fail", "unknown")}),
          name="votes_local_vs_statutory", key="vote_matrix")  # fmt: skip
    st.caption(tr("vote.matrix_caption", local_only=now["local_only"], statutory_only=now["statutory_only"]))

    st.subheader(tr("vote.participation_heading"))
    bands = read(votes.participation_bins, scope, period)
    st.altair_chart(charts.participation_histogram(bands, lang()), width="stretch")

    ratios = ["participation", "local_consent", "local_threshold", "area_participation", "household_consent",
              "area_consent", "required_consent"]  # fmt: skip
    columns = headers("vote", "town", "code", "compound", "vote_no", "vote_date", "topic", "matter", *ratios,
                      "passes_local", "passes_statutory")  # fmt: skip
    listing = read(votes.votes, scope, period)
    listing["passes_statutory"] = listing["passes_statutory"].map(
        lambda p: tr("vote.outcome.unknown") if p is None else tr("vote.outcome.pass" if p else "vote.outcome.fail")
    )
    st.subheader(tr("vote.near_heading", points=round(NEAR_MISS * 100), n=now["near_misses"]))
    near = listing[listing["near_miss_local"] | listing["near_miss_statutory"]]
    if near.empty:
        st.info(tr("vote.near_none"))
    else:
        flags = ["near_miss_local", "near_miss_statutory"]
        table(near, {**columns, **headers("vote", *flags)}, name="votes_near_misses", key="vote_near",
              compound_rows=True, percent=ratios, flags=flags)  # fmt: skip
    with st.expander(tr("vote.all_heading", n=len(listing))):
        table(listing, columns, name="votes", key="vote_all", compound_rows=True, percent=ratios)

st.subheader(tr("vote.pending_heading", n=now["pending"], day=str(period.last_day)))
pending = read(votes.pending, scope, period, alert_days=alert_days)
if pending.empty:
    st.info(tr("vote.pending_none", day=str(period.last_day)))
else:
    table(pending, headers("vote", "town", "code", "compound", "vote_no", "vote_date", "topic", "matter",
                           "implementation", "implemented_date", "days_pending", "flagged"),
          name="votes_pending", key="vote_pending", compound_rows=True, flags=["flagged"])  # fmt: skip

AREA = headers("vote", "votes_held", "passed_local", "passed_statutory", "unknown_statutory", "near_misses",
               "mean_participation", "pending", "pending_flagged", votes_held="vote.col.votes",
               unknown_statutory="vote.col.statutory_unknown", pending_flagged="vote.col.flagged_count")  # fmt: skip
if scope.town_code is None and scope.compound_id is None:
    st.subheader(tr("vote.towns"))
    town_drill(read(votes.by_town, scope, period, alert_days=alert_days), {**headers("vote", "town", "compounds"),
               **AREA}, name="votes_by_town", key="vote_towns", caption_key="vote.drill",
               percent=["mean_participation"])  # fmt: skip
else:
    st.subheader(tr("vote.compound" if scope.compound_id else "vote.compounds", scope=filters.scope_label))
    back_to_county("vote_back")
    table(read(votes.by_compound, scope, period, alert_days=alert_days),
          {**headers("vote", "code", "name", name="col.compound"), **AREA}, name="votes_by_compound",
          key="vote_compounds", compound_rows=True, percent=["mean_participation"])  # fmt: skip

formulas(["formula.votes_held", "formula.vote.passed_local", "formula.vote.passed_statutory",
          "formula.vote.unknown_statutory", "formula.vote.participation", "formula.vote.near_misses",
          "formula.vote.pending", "formula.vote.flagged", "formula.change", "formula.change_points"],
         days=alert_days)  # fmt: skip
