"""One compound's book: its generator, reporting months and the ledger rows built so far."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from services.demo.randomness import day_between, sub_seed
from services.demo.registry import Plan
from services.domain import month_end, month_of, month_start
from services.models import Activity, CaseRecord, Disclosure, FacilityRecord, VoteRecord

LEDGER_MODELS = (Activity, CaseRecord, FacilityRecord, VoteRecord, Disclosure)
LEDGER_TABLES = tuple(model.__tablename__ for model in LEDGER_MODELS)


def money(x: float) -> Decimal:
    return Decimal(f"{x:.2f}")


class CompoundBook:
    """The submissions and ledger rows of one compound, keyed by table (ids are assigned later).

    Every draw comes from the compound's own generator, in the order the builders run, so the
    rows depend only on the demo seed and the compound's registry row.
    """

    def __init__(self, plan: Plan, *, seed: int, start: str, end: str) -> None:
        self.plan = plan
        self.compound = plan.row
        self.rng = random.Random(sub_seed(seed, self.compound["code"]))  # noqa: S311 - reproducible demo data
        self.seed, self.start, self.end = seed, start, end
        self.households: int = self.compound["households"]
        self.rows: dict[str, list[dict]] = {table: [] for table in LEDGER_TABLES}
        self.submissions: list[dict] = []
        self.months: list[str] = []  # the reported months, set by open()
        self.first = self.last = ""
        self.sub_dates: dict[str, dt.date] = {}

    def open(self, times: list[tuple[str, dt.datetime]]) -> None:
        """Fix the reported months and the day each was submitted."""
        self.months = [m for m, _ in times]
        self.first, self.last = self.months[0], self.months[-1]
        self.sub_dates = {m: at.date() for m, at in times}

    def lo(self, month: str) -> dt.date:
        """The first day of ``month`` on which the branch existed."""
        return max(month_start(month), self.compound["branch_founded"])

    def day(self, month: str) -> dt.date:
        return day_between(self.rng, self.lo(month), month_end(month))

    def snapshots(self, events: list[tuple[dt.date, dict]], state: dict) -> list[tuple[str, dict]]:
        """The entity's state at the end of each reported month in which something changed."""
        out: list[tuple[str, dict]] = []
        for day, changes in sorted(events, key=lambda e: e[0]):
            month = month_of(day)
            if month > self.last:
                break
            state = state | changes
            if out and out[-1][0] == month:
                out[-1] = (month, state)
            else:
                out.append((month, state))
        return out

    def add_versions(self, table: str, rows: list[dict]) -> None:
        """The rows of one entity, oldest first: only the newest is current."""
        for i, row in enumerate(rows):
            row["is_current"] = i == len(rows) - 1
        self.rows[table].extend(rows)
