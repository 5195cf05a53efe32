"""The owners' votes ledger: ballots near the 70% signature rule and whether they were carried out."""

from __future__ import annotations

import datetime as dt

from services.demo.ledgers.book import CompoundBook, money
from services.demo.randomness import day_between
from services.demo.real_compounds import REAL_YIYUN, YIYUN_BALLOTS
from services.demo.vocabulary import ELEVATOR_TOPIC, VOTE_TOPICS
from services.domain import DEFAULT_LOCAL_THRESHOLD, month_end, month_of, vote_outcome

# day, topic, matter, agreeing share (drawn when None), day carried out (drawn when None)
Ballot = tuple[dt.date, str, str, float | None, dt.date | None]


def add_votes(book: CompoundBook) -> None:
    """One or two ballots a year once there is an owners' committee, numbered per year."""
    rng, c = book.rng, book.compound
    oc = c["owners_committee_founded"]
    if oc is None:
        return
    ballots: list[Ballot] = []
    if book.plan.real == REAL_YIYUN:
        ballots += [b for b in YIYUN_BALLOTS if book.first <= month_of(b[0]) <= book.last]
    rate = rng.uniform(1, 2) / 12
    for month in book.months:
        if month_of(oc) <= month and rng.random() < rate:
            day = day_between(rng, max(book.lo(month), oc), month_end(month))
            topic, matter = rng.choice(VOTE_TOPICS)
            if rng.random() < 0.12 and c["year_occupied"] and c["year_occupied"] <= 2010:
                topic, matter = ELEVATOR_TOPIC
            ballots.append((day, topic, matter, None, None))
    area_per_household = rng.uniform(85, 125)
    seq: dict[int, int] = {}
    for ballot in sorted(ballots, key=lambda b: b[0]):
        year = ballot[0].year
        seq[year] = seq.get(year, 0) + 1
        _add_vote(book, ballot, f"V{year}-{seq[year]:02d}", area_per_household)


def _add_vote(book: CompoundBook, ballot: Ballot, vote_no: str, per_hh: float) -> None:
    rng = book.rng
    day, topic, matter, share, implemented = ballot
    total = rng.randint(12, 36) if topic == ELEVATOR_TOPIC[0] else book.households
    agree_share = share if share is not None else min(0.95, max(0.45, rng.gauss(0.72, 0.06)))
    participation = min(0.98, max(agree_share + rng.uniform(0.01, 0.12), rng.uniform(0.55, 0.95)))
    participating = min(total, round(total * participation))
    agree = min(participating, round(total * agree_share))
    areas: dict = {"total_area": None, "participating_area": None, "agree_area": None}
    if rng.random() < 0.7 or book.plan.real == REAL_YIYUN:
        total_area = total * per_hh * rng.uniform(0.97, 1.03)
        part_area = min(total_area, total_area * participating / total * rng.uniform(0.95, 1.05))
        agree_area = min(part_area, total_area * agree / total * rng.uniform(0.95, 1.05))
        areas = {
            "total_area": money(total_area),
            "participating_area": money(part_area),
            "agree_area": money(agree_area),
        }
    threshold = DEFAULT_LOCAL_THRESHOLD
    outcome = vote_outcome(
        matter=matter,
        total_households=total,
        participating_households=participating,
        agree_households=agree,
        local_threshold=threshold,
        **areas,
    )
    base = {
        "vote_no": vote_no,
        "vote_date": day,
        "vote_month": month_of(day),
        "topic": topic,
        "matter": matter,
        "total_households": total,
        "participating_households": participating,
        "agree_households": agree,
        **areas,
        "local_threshold": threshold,
        "passes_local": outcome.passes_local,
        "passes_statutory": outcome.passes_statutory,
    }
    events: list[tuple[dt.date, dict]] = [(day, {})]
    state: dict[str, object] = {"implementation": None, "implemented_date": None}
    if outcome.passes_local:
        state["implementation"] = "未落实"
        r = rng.random()
        if implemented is not None:  # a scripted ballot: works under way after 20 days
            events += [(day + dt.timedelta(days=20), {"implementation": "落实中"})]
            events += [(implemented, {"implementation": "已落实", "implemented_date": implemented})]
        elif r >= 0.12:  # the rest of the passed votes are never carried out
            going = day + dt.timedelta(days=rng.randint(3, 75))
            events.append((going, {"implementation": "落实中"}))
            if r >= 0.25:  # 0.12-0.25 stay 落实中
                done = going + dt.timedelta(days=rng.randint(10, 200))
                events.append((done, {"implementation": "已落实", "implemented_date": done}))
    book.add_versions("vote_records", [base | {"month": month} | snap for month, snap in book.snapshots(events, state)])
