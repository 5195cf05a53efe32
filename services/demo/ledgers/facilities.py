"""The facility-projects ledger: planned, under way and completed works (加装电梯 in older compounds)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from services.demo.ledgers.book import CompoundBook, money
from services.demo.randomness import day_between, weighted
from services.demo.real_compounds import REAL_PROJECTS
from services.demo.vocabulary import (
    ELEVATOR_FUNDING_WEIGHTS,
    FACILITY_SPECS,
    FACILITY_WEIGHTS,
    FUNDING_WEIGHTS,
    MANAGED_FUNDING_WEIGHTS,
    OLD_COMPOUND_FUNDING_WEIGHTS,
)
from services.domain import add_months, month_end, month_of, month_start, months_between


def add_facilities(book: CompoundBook) -> None:
    """Up to six projects over the period (the real compounds' own first), one per category."""
    rng, c, real = book.rng, book.compound, book.plan.real
    projects: list[dict] = _real_projects(book, real) if real else []
    span = len(months_between(book.first, book.end))
    expected = rng.uniform(1, 6) * span / 72
    n = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
    if real:
        n = max(0, n - len(projects))
    weights = dict(FACILITY_WEIGHTS) | {p["category"]: 0 for p in projects}
    if c["year_occupied"] and c["year_occupied"] <= 2008 and c["compound_type"] in ("老旧小区", "住宅"):
        weights["加装电梯"] = 6
    planned_months = months_between(book.first, book.end)
    for _ in range(min(n, 6)):
        category = weighted(rng, weights)
        weights[category] = 0  # one project per category
        unit, qty, price, build, titles = FACILITY_SPECS[category]
        quantity = rng.randint(*qty)
        if unit in ("米", "平方米"):
            quantity = round(quantity, -1) or quantity
        plan_month = rng.choice(planned_months)
        start_month = add_months(plan_month, rng.choice((0, 1, 1, 2, 3, 4)))
        started = day_between(rng, book.lo(start_month), month_end(start_month))
        months = rng.randint(*build)
        stuck = rng.random() < 0.06
        done_month = add_months(start_month, months)
        completed = None if stuck else day_between(rng, max(started, month_start(done_month)), month_end(done_month))
        projects.append(
            {
                "name": rng.choice(titles),
                "category": category,
                "unit": unit,
                "quantity": quantity,
                "investment": quantity * rng.uniform(*price),
                "funding": _funding(book, category),
                "plan_month": None if rng.random() < 0.35 else plan_month,
                "started": started,
                "completed": completed,
            }
        )
    seq: dict[int, int] = {}
    for p in sorted(projects, key=lambda p: (p["plan_month"] or month_of(p["started"]), p["started"])):
        first_month = p["plan_month"] or month_of(p["started"])
        if first_month > book.last:
            continue
        year = int(first_month[:4])
        seq[year] = seq.get(year, 0) + 1
        base = {
            "project_no": f"GZ{year}-{seq[year]:02d}",
            "name": p["name"],
            "category": p["category"],
            "quantity": Decimal(p["quantity"]).quantize(Decimal("0.01")),
            "unit": p["unit"],
            "investment_yuan": money(round(p["investment"], -2)),
            "funding_source": p["funding"],
        }
        events: list[tuple[dt.date, dict]] = []
        if p["plan_month"]:
            events.append((month_start(p["plan_month"]), {"status": "计划"}))
        events.append((p["started"], {"status": "在建", "started_date": p["started"]}))
        if p["completed"]:
            events.append((p["completed"], {"status": "完工", "completed_date": p["completed"]}))
        state = {"status": "计划", "started_date": None, "completed_date": None}
        versions = []
        for month, snap in book.snapshots(events, state):
            cd = snap["completed_date"]
            versions.append(
                base
                | {
                    "month": month,
                    "status": snap["status"],
                    "started_date": snap["started_date"],
                    "completed_date": cd,
                    "completed_month": month_of(cd) if cd else None,
                }
            )
        book.add_versions("facility_records", versions)


def _funding(book: CompoundBook, category: str) -> str:
    c = book.compound
    if category == "加装电梯":
        return weighted(book.rng, ELEVATOR_FUNDING_WEIGHTS)
    if c["compound_type"] == "老旧小区":
        return weighted(book.rng, OLD_COMPOUND_FUNDING_WEIGHTS)
    return weighted(book.rng, MANAGED_FUNDING_WEIGHTS if c["property_company"] else FUNDING_WEIGHTS)


def _real_projects(book: CompoundBook, real: str) -> list[dict]:
    """A real compound's scripted works that fall inside the generated period."""
    return [
        {
            "name": name,
            "category": cat,
            "quantity": qty,
            "unit": unit,
            "investment": inv,
            "funding": fund,
            "plan_month": plan,
            "started": started,
            "completed": completed,
        }
        for name, cat, qty, unit, inv, fund, plan, started, completed in REAL_PROJECTS.get(real, ())
        if (plan or month_of(started)) >= book.first
    ]
