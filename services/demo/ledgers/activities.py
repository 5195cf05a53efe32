"""The activities ledger: seasonal events, branch and owners' committee meetings, the rest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from services.demo.ledgers.book import CompoundBook
from services.demo.randomness import Pick, day_between, poisson
from services.demo.real_compounds import CHENGHUANG_CLEANUPS, REAL_CHENGHUANG, REAL_GUANLAN, REAL_YIYUN
from services.demo.vocabulary import (
    ACTIVITY_NAMES,
    ACTIVITY_TYPE_WEIGHTS,
    BRANCH_MEETING_NAMES,
    MONTH_ACTIVITY_NAMES,
    SEASON,
    SPRING_FESTIVAL,
)
from services.domain import ORGANISERS, month_end, month_of

_PICK_ACTIVITY = Pick(ACTIVITY_TYPE_WEIGHTS)

SeasonalEvent = tuple  # (day, kind, *details)


def _spring_festival(year: int) -> dt.date:
    m, d = SPRING_FESTIVAL.get(year, (2, 5))
    return dt.date(year, m, d)


class ActivityLedger:
    """Builds one compound's activities month by month; its habits are drawn on creation."""

    def __init__(self, book: CompoundBook) -> None:
        self.book = book
        self.rng = rng = book.rng
        self.activeness = rng.uniform(0.6, 1.4)
        self.meet_p = rng.uniform(0.7, 0.97) if book.households >= 150 else rng.uniform(0.5, 0.85)
        self.oc_meet_p = 1.0 if book.plan.real == REAL_YIYUN else rng.uniform(0.25, 0.6)

    def seasonal_events(self) -> dict[str, list[SeasonalEvent]]:
        """Dated seasonal events by month: Spring Festival visits, 六一, 七一, summer clean-ups, 重阳."""
        book = self.book
        rng, h, real = self.rng, book.households, book.plan.real
        out: dict[str, list[SeasonalEvent]] = {}

        def add(day: dt.date, *event) -> None:
            if book.compound["branch_founded"] <= day and book.first <= month_of(day) <= book.last:
                out.setdefault(month_of(day), []).append((day, *event))

        for year in range(int(book.first[:4]), int(book.last[:4]) + 1):
            sf = _spring_festival(year)
            if rng.random() < 0.9 or real == REAL_GUANLAN:
                rounds = 2 if h >= 300 and rng.random() < 0.6 else 1
                for k in range(rounds):
                    add(sf - dt.timedelta(days=rng.randint(1, 20)), "sf", k)
            if h >= 120 and rng.random() < 0.65:
                add(dt.date(year, 6, rng.randint(1, 3)), "children")
            if rng.random() < 0.4:
                add(dt.date(year, 6, 24) + dt.timedelta(days=rng.randint(0, 7)), "july1")
            for month in (7, 8):
                if rng.random() < 0.7:
                    add(dt.date(year, month, rng.randint(1, 28)), "summer")
            if rng.random() < 0.3:
                add(dt.date(year, 10, rng.randint(5, 25)), "double9")
        if real == REAL_CHENGHUANG:
            for day, name in CHENGHUANG_CLEANUPS:
                add(day, "cleanup", name)
        return out

    def add_month(self, month: str, seasonal: list[SeasonalEvent]) -> None:
        """The month's seasonal events, meetings, pandemic volunteering and ordinary activities."""
        book = self.book
        rng, c, h, real = self.rng, book.compound, book.households, book.plan.real
        for day, kind, *args in seasonal:
            if kind == "sf":
                visited = round(h * rng.uniform(0.02, 0.05)) + rng.randint(2, 6)
                if real == REAL_GUANLAN:
                    orgs = self._organisers(day, "党支部", "物业", "业委会", "妇联")
                else:
                    orgs = self._some_organisers(day, "物业", "业委会", "妇联", "包保单位")
                name = ("春节走访慰问困难群众", "春节前走访慰问困难党员和老党员")[args[0] % 2]
                self._add(day, "走访慰问", name, orgs, rng.randint(3, 12), **self._visit_counts(visited, args[0] == 1))
            elif kind == "children":
                orgs = self._some_organisers(day, "妇联", "物业", "志愿服务队")
                self._add(day, "文化活动", "六一儿童节亲子活动", orgs, max(15, round(h * rng.uniform(0.04, 0.1))))
            elif kind == "july1":
                visited = round(h * rng.uniform(0.003, 0.012)) + rng.randint(1, 4)
                self._add(
                    day,
                    "走访慰问",
                    "“七一”走访慰问老党员、困难党员",
                    self._organisers(day, "党支部"),
                    rng.randint(2, 6),
                    **self._visit_counts(visited, party_heavy=True),
                )
            elif kind == "summer":
                orgs = self._some_organisers(day, "物业", "志愿服务队", "包保单位")
                vol = self._volunteering(5)
                self._add(
                    day,
                    "环境整治",
                    "夏季环境卫生集中整治",
                    orgs,
                    vol["volunteers"] + round(h * rng.uniform(0.01, 0.04)),
                    **vol,
                )
            elif kind == "double9":
                visited = round(h * rng.uniform(0.004, 0.015)) + rng.randint(1, 4)
                self._add(
                    day,
                    "走访慰问",
                    "重阳节走访慰问高龄老人",
                    self._some_organisers(day, "妇联", "志愿服务队"),
                    rng.randint(2, 8),
                    **self._visit_counts(visited),
                )
            elif kind == "cleanup":
                vol = self._volunteering(8)
                self._add(
                    day,
                    "环境整治",
                    args[0],
                    self._organisers(day, "党支部", "包保单位", "志愿服务队"),
                    vol["volunteers"] + rng.randint(10, 30),
                    **vol,
                )
        if rng.random() < self.meet_p:
            day = book.day(month)
            participants = max(3, round(c["party_members"] * rng.uniform(0.55, 0.95)))
            self._add(day, "支部会议", rng.choice(BRANCH_MEETING_NAMES), "党支部", participants)
        if self._oc_since(month_end(month)):
            lo = max(book.lo(month), c["owners_committee_founded"])
            if rng.random() < self.oc_meet_p:
                day = day_between(rng, lo, month_end(month))
                self._add(
                    day, "业委会会议", "业委会月度例会", self._organisers(day, "业委会", "党支部"), rng.randint(5, 9)
                )
            if real == REAL_YIYUN and rng.random() < 0.2:
                day = day_between(rng, lo, month_end(month))
                self._add(
                    day, "业委会会议", "业委会专题会议（紧急事项）", self._organisers(day, "业委会"), rng.randint(5, 9)
                )
        covid = "2020-03" <= month <= "2020-05" or "2022-09" <= month <= "2022-12"
        if covid and rng.random() < 0.6:
            day, vol = book.day(month), self._volunteering(6)
            orgs = self._organisers(day, "党支部", "志愿服务队")
            self._add(day, "志愿服务", "疫情防控志愿服务", orgs, vol["volunteers"], **vol)
        mon = int(month[5:])
        n = poisson(rng, max(0.25, h / 250) * self.activeness * SEASON[mon])
        for _ in range(n):
            self._ordinary(month, mon)

    def _ordinary(self, month: str, mon: int) -> None:
        rng, h = self.rng, self.book.households
        atype = _PICK_ACTIVITY(rng)
        name = MONTH_ACTIVITY_NAMES.get((atype, mon)) if rng.random() < 0.5 else None
        name = name or rng.choice(ACTIVITY_NAMES[atype])
        day = self.book.day(month)
        extra: dict = {}
        if atype == "志愿服务":
            extra = self._volunteering()
            participants = extra["volunteers"]
            orgs = self._some_organisers(day, "志愿服务队", "包保单位", "妇联")
        elif atype == "环境整治":
            extra = self._volunteering()
            participants = extra["volunteers"] + round(h * rng.uniform(0.01, 0.04))
            orgs = self._some_organisers(day, "物业", "志愿服务队")
        elif atype == "议事协商":
            participants = rng.randint(8, 20) + h // 150
            orgs = self._some_organisers(day, "业委会", "物业")
        elif atype == "其他":
            participants = max(8, round(h * rng.uniform(0.02, 0.06)))
            orgs = self._some_organisers(day, "物业")
        else:
            participants = max(10, round(h * rng.uniform(0.03, 0.11)))
            orgs = self._some_organisers(day, "妇联", "包保单位", "物业", "志愿服务队")
        self._add(day, atype, name, orgs, participants, **extra)

    def _add(self, day: dt.date, atype: str, name: str, organisers: str, participants: int, **extra) -> None:
        row = {
            "month": month_of(day),
            "activity_date": day,
            "activity_type": atype,
            "name": name,
            "organisers": organisers,
            "participants": max(0, int(participants)),
            "volunteers": None,
            "volunteer_hours": None,
            "visited_households": None,
            "visited_hardship_party": None,
            "visited_hardship_residents": None,
            "visited_disabled": None,
            "visited_bereaved": None,
            "note": None,
            "is_current": True,
        }
        row.update(extra)
        self.book.rows["activities"].append(row)

    def _visit_counts(self, visited: int, party_heavy: bool = False) -> dict:
        rng = self.rng
        if party_heavy:
            party = round(visited * rng.uniform(0.5, 0.8))
            residents = round((visited - party) * rng.uniform(0.2, 0.6))
        else:
            party = round(visited * rng.uniform(0.1, 0.3))
            residents = round(visited * rng.uniform(0.3, 0.5))
        disabled = min(visited - party - residents, round(visited * rng.uniform(0.05, 0.2)))
        bereaved = min(visited - party - residents - disabled, rng.choice((0, 0, 1, 1, 2)))
        return {
            "visited_households": visited,
            "visited_hardship_party": party,
            "visited_hardship_residents": residents,
            "visited_disabled": max(0, disabled),
            "visited_bereaved": max(0, bereaved),
        }

    def _volunteering(self, lo: int = 4) -> dict:
        rng = self.rng
        cap = max(lo + 2, min(40, self.book.compound["volunteers"] or 8))
        n = rng.randint(lo, cap)
        return {"volunteers": n, "volunteer_hours": Decimal(f"{n * rng.uniform(1.5, 3.5):.1f}")}

    def _organisers(self, day: dt.date, *wanted: str) -> str:
        """The wanted organisers the compound had on ``day``, in the domain's order."""
        c = self.book.compound
        have = {
            "党支部": True,
            "物业": c["property_company"] is not None,
            "业委会": self._oc_since(day),
            "妇联": c["womens_federation_founded"] is not None and c["womens_federation_founded"] <= day,
            "志愿服务队": bool(c["volunteers"]),
            "包保单位": c["liaison_unit"] is not None,
            "其他": True,
        }
        return "、".join(o for o in ORGANISERS if o in wanted and have[o]) or "党支部"

    def _some_organisers(self, day: dt.date, *optional: str) -> str:
        wanted = ["党支部", *(o for o in optional if self.rng.random() < 0.45)]
        return self._organisers(day, *wanted)

    def _oc_since(self, day: dt.date) -> bool:
        oc = self.book.compound["owners_committee_founded"]
        return oc is not None and oc <= day
