"""Domain vocabularies and the pure rules every layer shares (one place for each concept)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

ACTIVITY_TYPES = (
    "走访慰问",
    "志愿服务",
    "文化活动",
    "环境整治",
    "议事协商",
    "宣传教育",
    "便民服务",
    "支部会议",
    "业委会会议",
    "业主大会",
    "其他",
)
ORGANISERS = ("党支部", "物业", "业委会", "妇联", "志愿服务队", "包保单位", "其他")
CASE_KINDS = ("诉求", "纠纷")
# defaults of the settings an administrator may change (services.settings_store reads the value in force)
DEFAULT_DEADLINE_DAY = 5  # a month's ledgers are on time until this day of the next month
DEFAULT_LOCK_AFTER_DAYS = 15  # a month locks this many days after its deadline (the 20th, by default)
DEFAULT_VOTE_ALERT_DAYS = 60  # a passed vote not carried out after this many days is flagged
CASE_CATEGORIES = (
    "物业服务",
    "停车",
    "噪音",
    "违章搭建",
    "邻里关系",
    "环境卫生",
    "设施维修",
    "治安",
    "费用",
    "其他",
)
CASE_STATUSES = ("已受理", "处理中", "已办结", "已转办")
SATISFACTION = ("满意", "基本满意", "不满意", "未评价")
UNRATED = "未评价"  # also what a blank rating counts as
SATISFIED = ("满意", "基本满意")  # a satisfied resident
RATED = ("满意", "基本满意", "不满意")  # 未评价 and blank are not rated
# the rollup's count of closed cases at each level (a blank counts as 未评价), in SATISFACTION's order
SATISFACTION_FIGURES = dict(
    zip(
        SATISFACTION,
        ("closed_satisfied", "closed_fairly_satisfied", "closed_dissatisfied", "closed_unrated"),
        strict=True,
    )
)
PROPERTY_SERVICE = "物业服务"  # the case category of property-service demands and disputes
LIAISON_ORGANISER = "包保单位"  # among an activity's organisers: the compound's liaison unit joined it
FACILITY_CATEGORIES = (
    "道路铺设",
    "停车位",
    "绿化",
    "健身设施",
    "儿童游乐设施",
    "大门",
    "门禁",
    "车辆识别",
    "监控",
    "照明",
    "消防",
    "加装电梯",
    "其他",
)
FACILITY_UNITS = ("米", "平方米", "个", "套", "台", "部", "处")
FUNDING_SOURCES = ("物业公司", "政府", "业主", "维修基金", "社会捐赠", "其他")
FACILITY_STATUSES = ("计划", "在建", "完工")
VOTE_MATTERS = ("一般事项", "重大事项")
IMPLEMENTATION = ("未落实", "落实中", "已落实")
DISCLOSURE_CHANNELS = ("微信群", "公示栏", "业主大会", "其他")
COMPOUND_TYPES = ("住宅", "商住", "安置", "老旧小区")
ROLES = ("admin", "county", "town", "secretary")

DEFAULT_LOCAL_THRESHOLD = Decimal("0.70")
STATUTORY_PARTICIPATION = Decimal(2) / Decimal(3)
STATUTORY_MAJOR_CONSENT = Decimal(3) / Decimal(4)
STATUTORY_ORDINARY_CONSENT = Decimal(1) / Decimal(2)


# ---- months -------------------------------------------------------------------------------


@lru_cache(maxsize=8192)  # pure and called per row by importers and generators
def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@lru_cache(maxsize=8192)  # pure and called per row by importers and generators
def month_start(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:7]), 1)


@lru_cache(maxsize=8192)  # pure and called per row by importers and generators
def add_months(month: str, n: int) -> str:
    y, m = int(month[:4]), int(month[5:7]) - 1 + n
    return f"{y + m // 12:04d}-{m % 12 + 1:02d}"


@lru_cache(maxsize=8192)  # pure and called per row by importers and generators
def month_end(month: str) -> dt.date:
    return month_start(add_months(month, 1)) - dt.timedelta(days=1)


def months_between(first: str, last: str) -> list[str]:
    """Inclusive list of months from ``first`` to ``last`` (empty when first > last)."""
    out, m = [], first
    while m <= last:
        out.append(m)
        m = add_months(m, 1)
    return out


def last_complete_month(today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    return add_months(month_of(today), -1)


def last_closed_month(deadline_day: int, today: dt.date | None = None) -> str:
    """The latest month whose reporting deadline has passed: the default of every view, so the
    figures a user sees first are complete ones (the month after it is still being reported)."""
    today = today or dt.date.today()
    return add_months(month_of(today), -1 if today.day > deadline_day else -2)


def report_deadline(month: str, deadline_day: int) -> dt.datetime:
    """The last moment a month's ledger counts as on time: end of ``deadline_day`` next month."""
    nxt = month_start(add_months(month, 1))
    return dt.datetime(nxt.year, nxt.month, deadline_day, 23, 59, 59)


@dataclass(frozen=True)
class Period:
    """An inclusive range of months, e.g. 2025-01..2025-03."""

    start: str
    end: str

    def __post_init__(self) -> None:
        for m in (self.start, self.end):
            if len(m) != 7 or m[4] != "-" or not (m[:4].isdigit() and m[5:].isdigit()):
                raise ValueError(f"month must be YYYY-MM, not {m!r}")
            if not 1 <= int(m[5:]) <= 12:
                raise ValueError(f"month must be YYYY-MM, not {m!r}")
        if self.start > self.end:
            raise ValueError(f"period starts after it ends: {self.start} > {self.end}")

    @property
    def months(self) -> list[str]:
        return months_between(self.start, self.end)

    def __len__(self) -> int:
        return len(self.months)

    def previous(self) -> Period:
        """The period of the same length just before this one (month on month, quarter on quarter)."""
        n = len(self)
        return Period(add_months(self.start, -n), add_months(self.start, -1))

    def year_before(self) -> Period:
        return Period(add_months(self.start, -12), add_months(self.end, -12))

    @property
    def first_day(self) -> dt.date:
        return month_start(self.start)

    @property
    def last_day(self) -> dt.date:
        return month_end(self.end)

    def label(self) -> str:
        return self.start if self.start == self.end else f"{self.start} 至 {self.end}"


# ---- owners' votes ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Scope:
    """Which compounds a figure covers: the whole county, one town, or one compound (as asked for;
    ``services.access.clamp`` turns it into what a principal may read)."""

    town_code: str | None = None
    compound_id: int | None = None

    @property
    def level(self) -> str:
        if self.compound_id is not None:
            return "compound"
        return "town" if self.town_code else "county"

    def __eq__(self, other: object) -> bool:
        # a clamped scope equals the plain scope naming the same compounds
        if not isinstance(other, Scope):
            return NotImplemented
        return (self.town_code, self.compound_id) == (other.town_code, other.compound_id)

    def __hash__(self) -> int:
        return hash((self.town_code, self.compound_id))


COUNTY = Scope()


@dataclass(frozen=True)
class VoteOutcome:
    passes_local: bool
    passes_statutory: bool | None  # None when area figures are missing
    participation: float  # participating / total owners


def vote_outcome(
    *,
    matter: str,
    total_households: int,
    participating_households: int,
    agree_households: int,
    total_area: Decimal | None = None,
    participating_area: Decimal | None = None,
    agree_area: Decimal | None = None,
    local_threshold: Decimal = DEFAULT_LOCAL_THRESHOLD,
) -> VoteOutcome:
    """Apply the local signature rule and Civil Code art. 278 to one vote.

    Local rule: agreeing owners / all owners >= the local threshold (70% by default).
    Art. 278: owners holding >= 2/3 of the area AND >= 2/3 of the owners take part; consent of
    > 1/2 (ordinary matters) or >= 3/4 (重大事项, items 6-8) of the participating area AND of the
    participating owners. Without area figures the statutory result is unknown (None).
    """
    if total_households <= 0:
        raise ValueError("total_households must be positive")
    th, ph, ah = Decimal(total_households), Decimal(participating_households), Decimal(agree_households)
    passes_local = ah / th >= Decimal(local_threshold)
    statutory: bool | None = None
    if total_area is not None and participating_area is not None and agree_area is not None and total_area > 0:
        participation_ok = ph / th >= STATUTORY_PARTICIPATION and (
            Decimal(participating_area) / Decimal(total_area) >= STATUTORY_PARTICIPATION
        )
        if ph == 0 or participating_area == 0:
            consent_ok = False
        elif matter == "重大事项":
            consent_ok = ah / ph >= STATUTORY_MAJOR_CONSENT and (
                Decimal(agree_area) / Decimal(participating_area) >= STATUTORY_MAJOR_CONSENT
            )
        else:
            consent_ok = ah / ph > STATUTORY_ORDINARY_CONSENT and (
                Decimal(agree_area) / Decimal(participating_area) > STATUTORY_ORDINARY_CONSENT
            )
        statutory = bool(participation_ok and consent_ok)
    return VoteOutcome(bool(passes_local), statutory, float(ph / th))
