"""The cases ledger: residents' requests (诉求) and disputes (纠纷), with dispute bursts."""

from __future__ import annotations

import datetime as dt

from services.demo.ledgers.book import CompoundBook
from services.demo.randomness import Pick, poisson
from services.demo.vocabulary import CASE_CATEGORY_WEIGHTS, CASE_SUMMARIES, RESPONSE_DAYS_WEIGHTS, SATISFACTION_WEIGHTS
from services.domain import add_months, month_of

_PICK_CATEGORY = {kind: Pick(weights) for kind, weights in CASE_CATEGORY_WEIGHTS.items()}
_PICK_SATISFACTION = Pick(SATISFACTION_WEIGHTS)
_PICK_RESPONSE_DAYS = Pick(RESPONSE_DAYS_WEIGHTS)


class CaseLedger:
    """Builds one compound's cases month by month; its case rate is drawn on creation."""

    def __init__(self, book: CompoundBook) -> None:
        self.book = book
        self.rng = book.rng
        self.case_factor = book.rng.uniform(0.6, 1.4)
        self.case_seq: dict[int, int] = {}  # cases numbered per year

    def add_month(self, month: str) -> None:
        """The month's cases, received in date order, plus the burst if one is under way."""
        rng, book = self.rng, self.book
        lam = 0.006 * book.households * self.case_factor
        kinds = ["诉求"] * poisson(rng, lam * 0.7) + ["纠纷"] * poisson(rng, lam * 0.3)
        cases = [(kind, _PICK_CATEGORY[kind](rng)) for kind in kinds]
        spike = book.plan.spike
        if spike and spike[0] <= month < add_months(spike[0], spike[1]):
            # ×4-6 the usual disputes, and never fewer than a handful, so the burst stands out
            extra = poisson(rng, max(4.0, lam * 0.3 * (spike[3] - 1))) + 3
            cases += [("纠纷", spike[2])] * extra
        received = sorted((book.day(month), kind, cat) for kind, cat in cases)
        for day, kind, cat in received:
            self._add(day, kind, cat)

    def _add(self, received: dt.date, kind: str, category: str) -> None:
        rng = self.rng
        year = received.year
        self.case_seq[year] = self.case_seq.get(year, 0) + 1
        case_no = f"{year}-{self.case_seq[year]:03d}"
        first = None
        if rng.random() >= 0.005:  # a few never get a reply
            first = received + dt.timedelta(days=_PICK_RESPONSE_DAYS(rng))
        transferred = closed = None
        if first is not None:
            r = rng.random()
            if r < 0.03:
                transferred = first + dt.timedelta(days=rng.randint(0, 5))
            elif r < 0.045:
                pass  # stays open
            else:
                r = rng.random()
                if r < 0.6:
                    days = rng.randint(1, 10)
                elif r < 0.85:
                    days = rng.randint(11, 30)
                elif r < 0.97:
                    days = rng.randint(31, 90)
                else:
                    days = rng.randint(91, 200)
                closed = max(first, received + dt.timedelta(days=days))
        satisfaction = _PICK_SATISFACTION(rng) if closed else None
        base = {
            "case_no": case_no,
            "kind": kind,
            "category": category,
            "received_date": received,
            "received_month": month_of(received),
            "summary": rng.choice(CASE_SUMMARIES[category]),
        }
        events: list[tuple[dt.date, dict]] = [(received, {})]
        if first:
            events.append((first, {"first_response_date": first}))
        if transferred:
            events.append((transferred, {"transferred": True}))
        if closed:
            events.append((closed, {"closed_date": closed}))
        state = {"first_response_date": None, "closed_date": None, "transferred": False}
        versions = []
        for month, snapshot in self.book.snapshots(events, state):
            fr, cd = snapshot["first_response_date"], snapshot["closed_date"]
            status = "已办结" if cd else "已转办" if snapshot["transferred"] else "处理中" if fr else "已受理"
            versions.append(
                base
                | {
                    "month": month,
                    "first_response_date": fr,
                    "closed_date": cd,
                    "closed_month": month_of(cd) if cd else None,
                    "status": status,
                    "satisfaction": satisfaction if cd else None,
                    "days_to_first_response": (fr - received).days if fr else None,
                    "days_to_close": (cd - received).days if cd else None,
                }
            )
        self.book.add_versions("case_records", versions)
