"""The compound registry of the demo county and the reporting behaviour drawn for each compound."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from services.demo.names import CompoundNames
from services.demo.randomness import allocate, day_between, sample_quota, weighted
from services.demo.real_compounds import REAL_COMPOUNDS
from services.demo.vocabulary import (
    COMPOUND_TYPE_WEIGHTS_SEAT,
    COMPOUND_TYPE_WEIGHTS_TOWN,
    LIAISON_UNITS,
    PROPERTY_COMPANIES,
    SEAT_COMMUNITIES,
    SEAT_STREETS,
    TOWN_COMMUNITY_WORDS,
    TOWN_STREETS,
)
from services.domain import add_months, month_of, months_between

SEAT_TOWN = "511423112"  # 洪川镇, the county seat
SEAT_SHARE = 0.60
SEAT_BOX = (29.898, 29.920, 103.358, 103.390)  # lat min, lat max, lon min, lon max
TOWN_SPREAD = 0.012  # degrees around a town centre


@dataclass(slots=True)
class Plan:
    """One compound: its registry row and the reporting behaviour drawn for it."""

    row: dict
    real: str | None = None
    laggard: bool = False
    stop_month: str | None = None  # first month it no longer reports
    skip_last: bool = False  # has not reported the last month yet
    spike: tuple[str, int, str, float] | None = None  # first month, months, category, multiplier


def draw_registry(rng: random.Random, towns: list[dict], n: int, updated_at: dt.datetime) -> list[Plan]:
    """``n`` compounds, ~60% in the seat (the real ones first), numbered by town code."""
    seat = next(t for t in towns if t["code"] == SEAT_TOWN)
    others = [t for t in towns if t["code"] != SEAT_TOWN]
    n_seat = max(len(REAL_COMPOUNDS), round(n * SEAT_SHARE)) if others else n
    counts = allocate(n - n_seat, [rng.uniform(0.6, 1.4) for _ in others]) if others else []
    per_town = {seat["code"]: n_seat} | {t["code"]: c for t, c in zip(others, counts, strict=True)}
    names = CompoundNames(rng, REAL_COMPOUNDS)
    plans: list[Plan] = []
    for town in towns:  # ordered by code, so ids follow codes
        count = per_town[town["code"]]
        if count == 0:
            continue
        width = max(3, len(str(count)))
        is_seat = town["code"] == SEAT_TOWN
        stem = town["name"].removesuffix("镇")
        communities = (
            SEAT_COMMUNITIES
            if is_seat
            else tuple(f"{stem}{w}社区" for w in rng.sample(TOWN_COMMUNITY_WORDS, rng.randint(2, 3)))
        )
        for seq in range(1, count + 1):
            real = list(REAL_COMPOUNDS)[seq - 1] if is_seat and seq <= len(REAL_COMPOUNDS) else None
            row = _compound_row(rng, names, town, is_seat, stem, communities, real)
            row["code"] = f"{town['code']}{seq:0{width}d}"
            row["updated_at"] = updated_at
            plans.append(Plan(row=row, real=real))
    for i, plan in enumerate(plans, start=1):
        plan.row["id"] = i
    return plans


def _compound_row(
    rng: random.Random,
    names: CompoundNames,
    town: dict,
    is_seat: bool,
    stem: str,
    communities: tuple[str, ...],
    real: str | None,
) -> dict:
    if is_seat:
        lat = round(rng.uniform(SEAT_BOX[0], SEAT_BOX[1]), 6)
        lon = round(rng.uniform(SEAT_BOX[2], SEAT_BOX[3]), 6)
    else:
        lat = round(town["lat"] + rng.uniform(-TOWN_SPREAD, TOWN_SPREAD), 6)
        lon = round(town["lon"] + rng.uniform(-TOWN_SPREAD, TOWN_SPREAD), 6)
    base = {"town_code": town["code"], "lat": lat, "lon": lon, "active": True}
    if real:
        return base | {"name": real} | REAL_COMPOUNDS[real]

    ctype = weighted(rng, COMPOUND_TYPE_WEIGHTS_SEAT if is_seat else COMPOUND_TYPE_WEIGHTS_TOWN)
    if is_seat:
        h = rng.lognormvariate(math.log(430), 0.6) * (0.55 if ctype == "老旧小区" else 1.0)
        households = int(min(1500, max(150, round(h))))
    else:
        households = int(min(500, max(60, round(rng.lognormvariate(math.log(170), 0.55)))))
    streets = SEAT_STREETS if is_seat else TOWN_STREETS
    qualifiers = ("", *SEAT_STREETS) if is_seat else (stem, *(stem + s for s in streets))
    if ctype == "老旧小区":
        name, year = names.old(qualifiers), rng.randint(1995, 2006)
    elif ctype == "安置":
        name, year = names.resettlement(qualifiers), rng.randint(2008, 2021)
    else:
        name = names.estate()
        year = rng.randint(2006, 2020) if ctype == "商住" else rng.randint(2003, 2022)

    r = rng.random()
    if r < 0.04:
        founded = None
    else:
        if r < 0.82:
            lo, hi = dt.date(2020, 3, 1), dt.date(2020, 12, 31)
        elif r < 0.95:
            lo, hi = dt.date(2021, 1, 1), dt.date(2021, 12, 31)
        else:
            lo, hi = dt.date(2022, 1, 1), dt.date(2022, 12, 31)
        if year >= hi.year:  # occupied later: the branch follows the residents
            lo, hi = dt.date(year, 3, 1), dt.date(year + 1, 6, 30)
        founded = day_between(rng, lo, hi)
    members = max(3, round(households * rng.uniform(0.02, 0.06))) if founded else rng.randint(0, 2)
    no_company = {"老旧小区": 0.45, "安置": 0.25, "商住": 0.10, "住宅": 0.04}[ctype]
    company = (
        None
        if rng.random() < no_company
        else weighted(rng, {c: 1.0 / (i + 1) ** 0.7 for i, c in enumerate(PROPERTY_COMPANIES)})
    )
    oc_p = {"住宅": 0.70, "商住": 0.55, "安置": 0.45, "老旧小区": 0.40}[ctype]
    oc_lo = max(dt.date(2018, 1, 1), dt.date(year + 1, 1, 1))  # elected once owners have moved in
    oc = day_between(rng, oc_lo, dt.date(2024, 12, 31)) if rng.random() < oc_p and oc_lo.year <= 2024 else None
    wf = None
    if rng.random() < 0.65:
        r = rng.random()
        if r < 0.55:
            wf = day_between(rng, dt.date(2020, 11, 1), dt.date(2020, 12, 31))
        elif r < 0.90:
            wf = day_between(rng, dt.date(2021, 1, 1), dt.date(2023, 12, 31))
        else:
            wf = day_between(rng, dt.date(2019, 6, 1), dt.date(2020, 10, 31))
    volunteers = 0 if rng.random() < 0.06 else min(80, round(households * rng.uniform(0.015, 0.07)) + rng.randint(0, 5))
    return base | {
        "name": name,
        "community": rng.choice(communities),
        "address": f"{town['name']}{rng.choice(streets)}{rng.randint(1, 320 if is_seat else 120)}号",
        "households": households,
        "buildings": max(1, round(households / 60 * rng.uniform(0.75, 1.3))),
        "year_occupied": year,
        "compound_type": ctype,
        "branch_founded": founded,
        "party_members": members,
        "property_company": company,
        "owners_committee_founded": oc,
        "womens_federation_founded": wf,
        "volunteers": volunteers,
        "liaison_unit": rng.choice(LIAISON_UNITS) if rng.random() < 0.85 else None,
    }


def draw_behaviours(rng: random.Random, plans: list[Plan], start: str, end: str) -> None:
    """Laggards, compounds that stopped reporting, the not-yet-reported and dispute spikes."""
    last2 = add_months(end, -23)
    eligible = [
        p
        for p in plans
        if p.real is None
        and p.row["branch_founded"] is not None
        and max(start, month_of(p.row["branch_founded"])) <= end
    ]
    for p in sample_quota(rng, eligible, 0.08):
        p.laggard = True
    for p in sample_quota(rng, eligible, 0.03):
        first = max(start, month_of(p.row["branch_founded"]), last2)
        choices = months_between(add_months(first, 3), add_months(end, -1))
        if choices:
            p.stop_month = rng.choice(choices)
    still = [p for p in eligible if p.stop_month is None]
    for p in sample_quota(rng, still, 0.12, weight=lambda p: 6.0 if p.laggard else 1.0):
        p.skip_last = True
    n_spikes = round(len(plans) * rng.uniform(3, 5) / 240)
    if len(plans) >= 10:
        n_spikes = max(1, n_spikes)
    big = sorted(still, key=lambda p: (-p.row["households"], p.row["id"]))[: max(10, 4 * n_spikes)]
    for p in rng.sample(big, min(n_spikes, len(big))):  # bursts show best in large compounds
        first = max(start, month_of(p.row["branch_founded"]), last2)
        choices = months_between(first, add_months(end, -3))
        if choices:
            p.spike = (rng.choice(choices), rng.randint(2, 3), rng.choice(("停车", "噪音")), rng.uniform(4.0, 6.0))
