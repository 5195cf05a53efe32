"""The demo county: a deterministic, believable 洪雅县 with about 240 compounds.

``generate`` fills an initialised, compound-free database with a registry and monthly
ledgers (submissions, activities, cases, facility projects, owners' votes, disclosures)
from ``start`` to ``end``. Everything comes from ``random.Random`` instances derived from
``seed``; nothing depends on the clock except through ``today``. The registry is drawn
first from one generator; each compound's ledgers then come from its own generator (seeded
by the demo seed and the compound code), so the result does not depend on the chunk size.

Three real compounds of the county seat carry their published facts (see the shared
reference notes): 依云观邸, 观澜城邦 and 城隍步行街. Their other figures (households,
buildings, dates that were not published, coordinates inside the seat's core box) are
invented but plausible. Every other name (estates, communities, streets, property
companies) is generated from word lists and fictional; no person is named anywhere.

Reporting behaviour is drawn as quotas over the compounds: ~8% habitual laggards, ~3%
that stop reporting during the last two years, ~12% that have not reported the last
month yet, and 3-5 compounds (per 240) with a two-to-three-month burst of parking or noise
disputes. Nothing is dated on or after ``today``.

Rows are built in Python with their primary keys and inserted with SQLAlchemy Core in one
transaction per chunk of compounds, so a province-sized run (30,000 compounds, 6 years)
stays within a modest amount of memory. On PostgreSQL the id sequences are moved past the
inserted keys at the end.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
import time
from bisect import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate

from sqlalchemy import Engine, func, select, text

from services import domain
from services.db import write_transaction
from services.models import (
    Activity,
    CaseRecord,
    Compound,
    Disclosure,
    FacilityRecord,
    Submission,
    Town,
    VoteRecord,
)

SEAT_TOWN = "511423112"  # 洪川镇, the county seat
SEAT_SHARE = 0.60
SEAT_BOX = (29.898, 29.920, 103.358, 103.390)  # lat min, lat max, lon min, lon max
TOWN_SPREAD = 0.012  # degrees around a town centre
CHUNK_COMPOUNDS = 100  # compounds whose ledgers are built and written per transaction
REGISTRY_BATCH = 2000

LEDGER_TABLES = ("activities", "case_records", "facility_records", "vote_records", "disclosures")
_MODELS = {
    "submissions": Submission,
    "activities": Activity,
    "case_records": CaseRecord,
    "facility_records": FacilityRecord,
    "vote_records": VoteRecord,
    "disclosures": Disclosure,
}

# ---- word lists (generated names; no real people, fictional companies) -------------------

ESTATE_PREFIXES = (
    "滨江", "锦绣", "青衣", "瓦屋", "桂花", "翠湖", "金桂", "银杏", "碧水", "阳光", "世纪", "东方",
    "书香", "丽景", "御景", "紫薇", "玉兰", "蓝湾", "竹韵", "茶香", "玉屏", "洪州", "江畔", "南山",
    "东湖", "西岭", "和谐", "幸福", "康乐", "嘉和", "润泽", "金色", "明珠", "枫林", "荷塘", "兰亭",
    "天悦", "云顶", "水岸", "时代", "怡馨", "凤凰", "东城", "西城", "半岛", "上城", "清溪", "花语",
    "香樟", "绿洲", "望江", "观山", "雅韵", "春晖", "朝阳", "星河", "白鹭", "柳岸", "芙蓉", "翡翠",
)  # fmt: skip
ESTATE_SUFFIXES = (
    "花园", "家园", "苑", "小区", "雅居", "名城", "广场", "华庭", "公馆", "佳苑", "雅苑", "尚城",
    "嘉园", "丽都", "府", "湾", "庭院", "新城",
)  # fmt: skip
OLD_WORK_UNITS = (
    "粮站", "供销社", "农机厂", "茶厂", "丝厂", "水泥厂", "酒厂", "林业站", "运输公司", "电力",
    "邮电", "糖厂", "食品站", "印刷厂", "建安公司",
)  # fmt: skip
OLD_SUFFIXES = ("宿舍", "家属院", "家属区", "生活区")
RESETTLEMENT_SUFFIXES = ("安置小区", "新村", "安置房")
SEAT_STREETS = (
    "滨江路", "青衣路", "洪州大道", "建设路", "迎宾路", "花园路", "新华路", "桂花街", "瓦屋路",
    "翠湖路", "体育路", "文化路", "学府路", "东环路", "西环路", "南街", "北街", "广场路", "雅州路",
)  # fmt: skip
TOWN_STREETS = ("正街", "新街", "河滨路", "场镇路", "东街", "西街", "中心街", "新农路")
SEAT_COMMUNITIES = ("城东社区", "城西社区", "城南社区", "城北社区", "滨江社区", "新城社区", "青衣社区")
TOWN_COMMUNITY_WORDS = ("东街", "西街", "新街", "河滨", "新村", "场镇")
PROPERTY_COMPANIES = tuple(
    f"洪雅县{w}物业服务有限公司"
    for w in ("青衣", "瓦屋", "雅韵", "锦程", "安和", "恒泰", "德润", "康居", "瑞禾", "嘉诚", "祥和", "润和")
)
LIAISON_UNITS = (
    "县妇联", "县住建局", "县民政局", "县委组织部", "县财政局", "县卫健局", "县教育局",
    "县司法局", "县公安局", "县城管局", "县人社局", "县市场监管局", "县应急管理局", "县农业农村局",
    "县自然资源局", "县总工会", "团县委",
)  # fmt: skip

# Spring Festival (lunar new year) dates; home visits happen in the three weeks before.
SPRING_FESTIVAL = {
    2015: (2, 19), 2016: (2, 8), 2017: (1, 28), 2018: (2, 16), 2019: (2, 5), 2020: (1, 25),
    2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10), 2025: (1, 29), 2026: (2, 17),
    2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3), 2031: (1, 23), 2032: (2, 11),
    2033: (1, 31), 2034: (2, 19), 2035: (2, 8),
}  # fmt: skip
SEASON = {1: 1.1, 2: 1.0, 3: 1.2, 4: 1.0, 5: 1.0, 6: 1.2, 7: 1.1, 8: 0.9, 9: 1.1, 10: 1.1, 11: 0.9, 12: 0.9}

ACTIVITY_NAMES = {
    "志愿服务": ("志愿者清扫楼道", "为老年人义务理发", "志愿者夜间巡逻", "义务维修小家电",
                 "关爱空巢老人志愿服务", "文明劝导志愿服务", "志愿者清理小广告"),
    "文化活动": ("广场舞展演", "邻里百家宴", "书法绘画进小区", "电影放映进小区", "邻里趣味运动会",
                 "读书分享会"),
    "宣传教育": ("反诈宣传进小区", "垃圾分类宣传", "消防安全知识讲座", "《民法典》宣传", "禁毒宣传",
                 "健康知识讲座", "文明养犬宣传"),
    "便民服务": ("义诊进小区", "免费测血压血糖", "便民维修服务", "社保政策咨询", "磨刀补鞋便民服务"),
    "议事协商": ("停车管理议事会", "院落环境改造议事会", "物业服务质量评议会", "电动车充电桩设置议事会",
                 "楼栋长议事会"),
    "环境整治": ("楼道杂物清理", "清理卫生死角", "绿化带垃圾清理", "清理违规张贴小广告"),
    "其他": ("楼栋长培训", "新业主见面会", "网格员入户信息核实"),
}  # fmt: skip
MONTH_ACTIVITY_NAMES = {
    ("文化活动", 2): "元宵节猜灯谜", ("文化活动", 5): "端午节包粽子活动",
    ("文化活动", 9): "中秋邻里联欢会", ("文化活动", 10): "重阳节敬老联欢",
    ("志愿服务", 3): "“学雷锋”志愿服务活动", ("环境整治", 4): "“爱国卫生月”大扫除",
    ("宣传教育", 6): "防汛安全宣传", ("宣传教育", 11): "冬季消防安全宣传",
}  # fmt: skip
BRANCH_MEETING_NAMES = ("主题党日活动", "支部委员会会议", "党员大会", "“三会一课”党课学习")

CASE_CATEGORY_WEIGHTS: dict[str, dict[str, float]] = {
    "诉求": {"物业服务": 24, "环境卫生": 18, "设施维修": 22, "停车": 12, "费用": 8, "治安": 4,
             "噪音": 4, "其他": 8},
    "纠纷": {"停车": 24, "噪音": 20, "邻里关系": 22, "违章搭建": 10, "物业服务": 10, "费用": 8,
             "环境卫生": 6},
}  # fmt: skip
CASE_SUMMARIES = {
    "物业服务": ("反映物业保洁不及时", "反映电梯维保不到位", "反映门岗值守不到位", "对物业服务质量不满"),
    "停车": ("车辆占用消防通道", "外来车辆长期占用车位", "电动车停放充电问题", "车位分配有争议"),
    "噪音": ("楼上装修噪音扰民", "广场舞音响声音过大", "临街商铺夜间噪音", "空调外机噪音"),
    "违章搭建": ("顶楼违规搭建", "一楼住户私自圈占绿地", "阳台违规外扩"),
    "邻里关系": ("楼上漏水引发邻里矛盾", "宠物扰邻", "楼道堆物引发争执"),
    "环境卫生": ("垃圾清运不及时", "楼道堆放杂物", "化粪池异味", "绿化带杂草未清理"),
    "设施维修": ("单元门禁损坏", "路灯不亮", "下水管道堵塞", "屋面渗漏", "电梯故障"),
    "治安": ("夜间有陌生人员进出", "电动车电瓶被盗", "监控存在盲区"),
    "费用": ("对公摊水电费有异议", "卫生费收取标准咨询", "物业费调价有异议"),
    "其他": ("咨询社保办理", "咨询老年证办理", "咨询户籍业务"),
}
SATISFACTION_WEIGHTS = {"满意": 55, "基本满意": 30, "不满意": 7, "未评价": 8}
ACTIVITY_TYPE_WEIGHTS = {
    "志愿服务": 25,
    "文化活动": 18,
    "宣传教育": 15,
    "便民服务": 15,
    "议事协商": 12,
    "环境整治": 10,
    "其他": 5,
}

# category -> (unit, quantity range, yuan per unit range, months to build range, names)
FACILITY_SPECS = {
    "道路铺设": ("米", (120, 1500), (300, 700), (1, 4), ("小区道路黑化改造", "主干道破损路面修复")),
    "停车位": ("个", (20, 180), (1200, 4000), (0, 2), ("地面停车位规划施划", "新增停车位")),
    "绿化": ("平方米", (300, 4000), (40, 150), (1, 3), ("小区绿化补植", "绿化恢复提升")),
    "健身设施": ("套", (1, 3), (8000, 30000), (0, 1), ("健身器材安装", "健身步道及器材建设")),
    "儿童游乐设施": ("套", (1, 2), (30000, 120000), (0, 2), ("儿童游乐区建设", "儿童游乐设施更新")),
    "大门": ("个", (1, 3), (20000, 80000), (0, 2), ("小区大门改造", "出入口岗亭及大门建设")),
    "门禁": ("套", (2, 12), (3000, 12000), (0, 1), ("单元门禁系统安装", "人脸识别门禁安装")),
    "车辆识别": ("套", (1, 3), (15000, 35000), (0, 1), ("车辆识别道闸安装",)),
    "监控": ("个", (8, 60), (800, 2500), (0, 2), ("公共区域监控安装", "监控系统升级")),
    "照明": ("个", (10, 80), (800, 3000), (0, 1), ("楼道及路灯照明改造", "太阳能路灯安装")),
    "消防": ("处", (2, 20), (2000, 8000), (0, 1), ("消防设施维修更换", "消防通道标识施划")),
    "加装电梯": ("部", (1, 4), (450000, 750000), (4, 10), ("既有住宅加装电梯",)),
    "其他": ("米", (80, 800), (400, 1200), (1, 4), ("雨污分流管网改造",)),
}
FACILITY_WEIGHTS = {
    "道路铺设": 8, "停车位": 10, "绿化": 10, "健身设施": 8, "儿童游乐设施": 5, "大门": 5, "门禁": 10,
    "车辆识别": 7, "监控": 12, "照明": 10, "消防": 8, "加装电梯": 0, "其他": 3,
}  # fmt: skip

VOTE_TOPICS = (
    ("续聘物业服务企业", "一般事项"), ("选聘物业服务企业", "一般事项"), ("修订《管理规约》", "一般事项"),
    ("调整停车收费标准", "一般事项"), ("增设电动车充电桩", "一般事项"), ("公共收益使用方案", "一般事项"),
    ("使用专项维修资金维修屋面防水", "一般事项"), ("业主委员会换届选举", "一般事项"),
    ("调整卫生费收取标准", "一般事项"), ("筹集专项维修资金", "重大事项"),
    ("小区道路及停车位改造方案", "重大事项"), ("架空层改作居民活动室", "重大事项"),
    ("利用共有部分设置广告位", "重大事项"),
)  # fmt: skip
ELEVATOR_TOPIC = ("既有住宅加装电梯（单元）", "重大事项")

REAL_YIYUN, REAL_GUANLAN, REAL_CHENGHUANG = "依云观邸", "观澜城邦", "城隍步行街"
REAL_COMPOUNDS = {
    # published facts: names, 城隍步行街 type/occupation/no company/liaison, 依云观邸 branch
    # founding date, 观澜城邦 women's federation in 2020-11; the rest is invented filler.
    REAL_YIYUN: {
        "community": "城东社区", "address": "洪川镇滨江路168号", "households": 620, "buildings": 11,
        "year_occupied": 2013, "compound_type": "住宅", "branch_founded": dt.date(2020, 3, 25),
        "party_members": 26, "property_company": PROPERTY_COMPANIES[0],
        "owners_committee_founded": dt.date(2018, 9, 20), "womens_federation_founded": dt.date(2020, 11, 26),
        "volunteers": 38, "liaison_unit": "县住建局",
    },
    REAL_GUANLAN: {
        "community": "滨江社区", "address": "洪川镇青衣路66号", "households": 860, "buildings": 14,
        "year_occupied": 2011, "compound_type": "住宅", "branch_founded": dt.date(2020, 5, 16),
        "party_members": 34, "property_company": PROPERTY_COMPANIES[3],
        "owners_committee_founded": dt.date(2019, 6, 12), "womens_federation_founded": dt.date(2020, 11, 18),
        "volunteers": 52, "liaison_unit": "县民政局",
    },
    REAL_CHENGHUANG: {
        "community": "城南社区", "address": "洪川镇城隍街18号", "households": 320, "buildings": 6,
        "year_occupied": 2014, "compound_type": "商住", "branch_founded": dt.date(2020, 3, 20),
        "party_members": 12, "property_company": None, "owners_committee_founded": None,
        "womens_federation_founded": None, "volunteers": 24, "liaison_unit": "县妇联",
    },
}  # fmt: skip


# ---- result ---------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    compounds: int = 0
    submissions: int = 0
    activities: int = 0
    case_records: int = 0
    facility_records: int = 0
    vote_records: int = 0
    disclosures: int = 0
    seconds: float = 0.0
    start: str = ""
    end: str = ""

    def describe(self) -> str:
        period = f"{self.start} 至 {self.end}，" if self.start else ""
        return (
            f"演示数据已生成：{period}{self.compounds:,} 个小区，月报 {self.submissions:,} 份；"
            f"活动 {self.activities:,} 条，诉求纠纷 {self.case_records:,} 条，"
            f"设施改造 {self.facility_records:,} 条，业主表决 {self.vote_records:,} 条，"
            f"财务公开 {self.disclosures:,} 条；用时 {self.seconds:.1f} 秒"
        )


# ---- small helpers --------------------------------------------------------------------------


def _sub_seed(seed: int, key: str) -> int:
    return int.from_bytes(hashlib.sha256(f"linli-demo:{seed}:{key}".encode()).digest()[:8], "big")


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class _Pick:
    """A weighted choice with its cumulative weights computed once."""

    __slots__ = ("cum", "keys")

    def __init__(self, weights: dict) -> None:
        self.keys = [k for k, w in weights.items() if w > 0]
        self.cum = list(accumulate(w for w in weights.values() if w > 0))

    def __call__(self, rng: random.Random):
        return self.keys[bisect(self.cum, rng.random() * self.cum[-1])]


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return _Pick(weights)(rng)


_month_of = lru_cache(maxsize=16384)(domain.month_of)


@lru_cache(maxsize=4096)
def _month_start(month: str) -> dt.date:
    return domain.month_start(month)


@lru_cache(maxsize=4096)
def _month_end(month: str) -> dt.date:
    return domain.month_end(month)


def _day_between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    """A uniformly drawn day from ``lo`` to ``hi`` inclusive (``lo`` when ``hi`` is earlier)."""
    return lo + dt.timedelta(days=int(rng.random() * (max(0, (hi - lo).days) + 1)))


def _money(x: float) -> Decimal:
    return Decimal(f"{x:.2f}")


def _spring_festival(year: int) -> dt.date:
    m, d = SPRING_FESTIVAL.get(year, (2, 5))
    return dt.date(year, m, d)


def _sample_quota(rng: random.Random, items: list, share: float, weight=None) -> list:
    """round(share * len(items)) of ``items``, weighted if ``weight`` is given, in their order."""
    k = round(share * len(items))
    if k <= 0:
        return []
    keyed = [(rng.random() ** (1.0 / (weight(x) if weight else 1.0)), i) for i, x in enumerate(items)]
    keyed.sort(reverse=True)
    return [items[i] for i in sorted(i for _, i in keyed[:k])]


_PICK_ACTIVITY = _Pick(ACTIVITY_TYPE_WEIGHTS)
_PICK_CATEGORY = {kind: _Pick(w) for kind, w in CASE_CATEGORY_WEIGHTS.items()}
_PICK_SATISFACTION = _Pick(SATISFACTION_WEIGHTS)
_PICK_DELAY = _Pick({1: 30, 2: 25, 3: 20, 4: 14, 5: 11})  # days after month end, when on time
_PICK_RESPONSE_DAYS = _Pick({0: 30, 1: 25, 2: 15, 3: 10, 4: 8, 5: 5, 6: 4, 7: 3})


# ---- the registry ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Plan:
    """One compound: its registry row and the reporting behaviour drawn for it."""

    row: dict
    real: str | None = None
    laggard: bool = False
    stop_month: str | None = None  # first month it no longer reports
    skip_last: bool = False  # has not reported the last month yet
    spike: tuple[str, int, str, float] | None = None  # first month, months, category, multiplier


def _allocate(n: int, weights: list[float]) -> list[int]:
    """Largest-remainder allocation of ``n`` items in proportion to ``weights``."""
    total = sum(weights)
    raw = [n * w / total for w in weights]
    out = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))[: n - sum(out)]:
        out[i] += 1
    return out


class _Names:
    def __init__(self, rng: random.Random, taken: Iterable[str]) -> None:
        self.rng = rng
        self.taken = set(taken)

    def _claim(self, make) -> str:
        for attempt in range(40):
            name = make(attempt >= 12)
            if name not in self.taken:
                self.taken.add(name)
                return name
        base, k = make(True), 2
        while f"{base}{k}期" in self.taken:
            k += 1
        self.taken.add(f"{base}{k}期")
        return f"{base}{k}期"

    def estate(self) -> str:
        rng = self.rng

        def make(double: bool) -> str:
            prefix = rng.choice(ESTATE_PREFIXES)
            if double:
                prefix = rng.choice(ESTATE_PREFIXES) + prefix
            return prefix + rng.choice(ESTATE_SUFFIXES)

        return self._claim(make)

    def old(self, qualifiers: tuple[str, ...]) -> str:
        """Work-unit housing (粮站宿舍); a street or town qualifier tells equal ones apart."""
        rng = self.rng

        def make(qualified: bool) -> str:
            unit = rng.choice(OLD_WORK_UNITS) + rng.choice(OLD_SUFFIXES)
            return (rng.choice(qualifiers) if qualified else qualifiers[0]) + unit

        return self._claim(make)

    def resettlement(self, qualifiers: tuple[str, ...]) -> str:
        rng = self.rng

        def make(qualified: bool) -> str:
            name = rng.choice(ESTATE_PREFIXES) + rng.choice(RESETTLEMENT_SUFFIXES)
            return (rng.choice(qualifiers) if qualified else qualifiers[0]) + name

        return self._claim(make)


def _registry(rng: random.Random, towns: list[dict], n: int, updated_at: dt.datetime) -> list[_Plan]:
    seat = next(t for t in towns if t["code"] == SEAT_TOWN)
    others = [t for t in towns if t["code"] != SEAT_TOWN]
    n_seat = max(len(REAL_COMPOUNDS), round(n * SEAT_SHARE)) if others else n
    counts = _allocate(n - n_seat, [rng.uniform(0.6, 1.4) for _ in others]) if others else []
    per_town = {seat["code"]: n_seat} | {t["code"]: c for t, c in zip(others, counts, strict=True)}
    names = _Names(rng, REAL_COMPOUNDS)
    plans: list[_Plan] = []
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
            plans.append(_Plan(row=row, real=real))
    for i, plan in enumerate(plans, start=1):
        plan.row["id"] = i
    return plans


def _compound_row(
    rng: random.Random,
    names: _Names,
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

    ctype = _weighted(
        rng,
        {"住宅": 64, "老旧小区": 20, "安置": 8, "商住": 8}
        if is_seat
        else {"住宅": 50, "老旧小区": 22, "安置": 22, "商住": 6},
    )
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
        founded = _day_between(rng, lo, hi)
    members = max(3, round(households * rng.uniform(0.02, 0.06))) if founded else rng.randint(0, 2)
    no_company = {"老旧小区": 0.45, "安置": 0.25, "商住": 0.10, "住宅": 0.04}[ctype]
    company = (
        None
        if rng.random() < no_company
        else _weighted(rng, {c: 1.0 / (i + 1) ** 0.7 for i, c in enumerate(PROPERTY_COMPANIES)})
    )
    oc_p = {"住宅": 0.70, "商住": 0.55, "安置": 0.45, "老旧小区": 0.40}[ctype]
    oc_lo = max(dt.date(2018, 1, 1), dt.date(year + 1, 1, 1))  # elected once owners have moved in
    oc = _day_between(rng, oc_lo, dt.date(2024, 12, 31)) if rng.random() < oc_p and oc_lo.year <= 2024 else None
    wf = None
    if rng.random() < 0.65:
        r = rng.random()
        if r < 0.55:
            wf = _day_between(rng, dt.date(2020, 11, 1), dt.date(2020, 12, 31))
        elif r < 0.90:
            wf = _day_between(rng, dt.date(2021, 1, 1), dt.date(2023, 12, 31))
        else:
            wf = _day_between(rng, dt.date(2019, 6, 1), dt.date(2020, 10, 31))
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


def _behaviours(rng: random.Random, plans: list[_Plan], start: str, end: str) -> None:
    """Laggards, compounds that stopped reporting, the not-yet-reported and dispute spikes."""
    last2 = domain.add_months(end, -23)
    eligible = [
        p
        for p in plans
        if p.real is None
        and p.row["branch_founded"] is not None
        and max(start, _month_of(p.row["branch_founded"])) <= end
    ]
    for p in _sample_quota(rng, eligible, 0.08):
        p.laggard = True
    for p in _sample_quota(rng, eligible, 0.03):
        first = max(start, _month_of(p.row["branch_founded"]), last2)
        choices = domain.months_between(domain.add_months(first, 3), domain.add_months(end, -1))
        if choices:
            p.stop_month = rng.choice(choices)
    still = [p for p in eligible if p.stop_month is None]
    for p in _sample_quota(rng, still, 0.12, weight=lambda p: 6.0 if p.laggard else 1.0):
        p.skip_last = True
    n_spikes = round(len(plans) * rng.uniform(3, 5) / 240)
    if len(plans) >= 10:
        n_spikes = max(1, n_spikes)
    big = sorted(still, key=lambda p: (-p.row["households"], p.row["id"]))[: max(10, 4 * n_spikes)]
    for p in rng.sample(big, min(n_spikes, len(big))):  # bursts show best in large compounds
        first = max(start, _month_of(p.row["branch_founded"]), last2)
        choices = domain.months_between(first, domain.add_months(end, -3))
        if choices:
            p.spike = (rng.choice(choices), rng.randint(2, 3), rng.choice(("停车", "噪音")), rng.uniform(4.0, 6.0))


# ---- one compound's ledgers -------------------------------------------------------------------


class _CompoundLedgers:
    """Builds the submissions and ledger rows of one compound (ids are assigned later)."""

    def __init__(self, plan: _Plan, seed: int, start: str, end: str, today: dt.date) -> None:
        self.plan = plan
        self.c = plan.row
        self.rng = random.Random(_sub_seed(seed, self.c["code"]))  # noqa: S311 - reproducible demo data
        self.seed, self.start, self.end, self.today = seed, start, end, today
        self.h = self.c["households"]
        self.rows: dict[str, list[dict]] = {k: [] for k in LEDGER_TABLES}
        self.submissions: list[dict] = []
        self.case_seq: dict[int, int] = {}

    # -- helpers
    def lo(self, month: str) -> dt.date:
        return max(_month_start(month), self.c["branch_founded"])

    def day(self, month: str) -> dt.date:
        return _day_between(self.rng, self.lo(month), _month_end(month))

    def organisers(self, day: dt.date, *wanted: str) -> str:
        c = self.c
        have = {
            "党支部": True,
            "物业": c["property_company"] is not None,
            "业委会": c["owners_committee_founded"] is not None and c["owners_committee_founded"] <= day,
            "妇联": c["womens_federation_founded"] is not None and c["womens_federation_founded"] <= day,
            "志愿服务队": bool(c["volunteers"]),
            "包保单位": c["liaison_unit"] is not None,
            "其他": True,
        }
        return "、".join(o for o in domain.ORGANISERS if o in wanted and have[o]) or "党支部"

    def some_organisers(self, day: dt.date, *optional: str) -> str:
        wanted = ["党支部", *(o for o in optional if self.rng.random() < 0.45)]
        return self.organisers(day, *wanted)

    def oc_since(self, day: dt.date) -> bool:
        oc = self.c["owners_committee_founded"]
        return oc is not None and oc <= day

    # -- the whole timeline
    def build(self) -> None:
        c, rng = self.c, self.rng
        if c["branch_founded"] is None:
            return
        first = max(self.start, _month_of(c["branch_founded"]))
        last = self.end
        if self.plan.stop_month:
            last = domain.add_months(self.plan.stop_month, -1)
        if self.plan.skip_last:
            last = min(last, domain.add_months(self.end, -1))
        times: list[tuple[str, dt.datetime]] = []
        for month in domain.months_between(first, last):
            at = self.submitted_at(month)
            if at.date() >= self.today:  # not in the future: later months are not in yet either
                break
            times.append((month, at))
        if not times:
            return
        self.months = [m for m, _ in times]
        self.first, self.last = self.months[0], self.months[-1]
        self.sub_dates = {m: at.date() for m, at in times}
        self.activeness = rng.uniform(0.6, 1.4)
        self.meet_p = rng.uniform(0.7, 0.97) if self.h >= 150 else rng.uniform(0.5, 0.85)
        self.oc_meet_p = 1.0 if self.plan.real == REAL_YIYUN else rng.uniform(0.25, 0.6)
        self.case_factor = rng.uniform(0.6, 1.4)
        specials = self.special_activities()
        for month in self.months:
            self.month_activities(month, specials.get(month, []))
            self.month_cases(month)
        self.facilities()
        self.votes()
        self.disclosures()
        self.make_submissions(times)

    def submitted_at(self, month: str) -> dt.datetime:
        rng = self.rng
        late = 0.55 if self.plan.laggard else (0.0 if self.plan.real else 0.05)
        if rng.random() < late:
            delay = rng.randint(6, 20) if self.plan.laggard else rng.randint(6, 12)
        else:
            delay = _PICK_DELAY(rng)
        day = _month_end(month) + dt.timedelta(days=delay)
        seconds = int(rng.random() * 15 * 3600)  # 08:00:00 to 22:59:59
        return dt.datetime(day.year, day.month, day.day, 8 + seconds // 3600, seconds // 60 % 60, seconds % 60)

    # -- activities
    def activity(self, day: dt.date, atype: str, name: str, organisers: str, participants: int, **extra) -> None:
        row = {
            "month": _month_of(day),
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
        self.rows["activities"].append(row)

    def visit_counts(self, visited: int, party_heavy: bool = False) -> dict:
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

    def volunteering(self, lo: int = 4) -> dict:
        rng = self.rng
        cap = max(lo + 2, min(40, self.c["volunteers"] or 8))
        n = rng.randint(lo, cap)
        return {"volunteers": n, "volunteer_hours": Decimal(f"{n * rng.uniform(1.5, 3.5):.1f}")}

    def special_activities(self) -> dict[str, list[tuple]]:
        """Dated seasonal events: Spring Festival visits, 六一, 七一, summer clean-ups, 重阳."""
        rng, h, real = self.rng, self.h, self.plan.real
        out: dict[str, list[tuple]] = {}

        def add(day: dt.date, *event) -> None:
            if self.c["branch_founded"] <= day and self.first <= _month_of(day) <= self.last:
                out.setdefault(_month_of(day), []).append((day, *event))

        for year in range(int(self.first[:4]), int(self.last[:4]) + 1):
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
            for day, name in (
                (dt.date(2020, 3, 28), "清理楼道及公共区域堆积物"),
                (dt.date(2020, 4, 18), "清运积存建筑垃圾"),
                (dt.date(2020, 5, 16), "疏通下水管道、清理化粪池"),
                (dt.date(2020, 6, 13), "临街立面及公共区域卫生整治"),
            ):
                add(day, "cleanup", name)
        return out

    def month_activities(self, month: str, specials: list[tuple]) -> None:
        rng, c, h, real = self.rng, self.c, self.h, self.plan.real
        mon = int(month[5:])
        for day, kind, *args in specials:
            if kind == "sf":
                visited = round(h * rng.uniform(0.02, 0.05)) + rng.randint(2, 6)
                if real == REAL_GUANLAN:
                    orgs = self.organisers(day, "党支部", "物业", "业委会", "妇联")
                else:
                    orgs = self.some_organisers(day, "物业", "业委会", "妇联", "包保单位")
                name = ("春节走访慰问困难群众", "春节前走访慰问困难党员和老党员")[args[0] % 2]
                self.activity(
                    day, "走访慰问", name, orgs, rng.randint(3, 12), **self.visit_counts(visited, args[0] == 1)
                )
            elif kind == "children":
                orgs = self.some_organisers(day, "妇联", "物业", "志愿服务队")
                self.activity(day, "文化活动", "六一儿童节亲子活动", orgs, max(15, round(h * rng.uniform(0.04, 0.1))))
            elif kind == "july1":
                visited = round(h * rng.uniform(0.003, 0.012)) + rng.randint(1, 4)
                self.activity(
                    day, "走访慰问", "“七一”走访慰问老党员、困难党员", self.organisers(day, "党支部"),
                    rng.randint(2, 6), **self.visit_counts(visited, party_heavy=True),
                )  # fmt: skip
            elif kind == "summer":
                orgs = self.some_organisers(day, "物业", "志愿服务队", "包保单位")
                vol = self.volunteering(5)
                self.activity(
                    day, "环境整治", "夏季环境卫生集中整治", orgs,
                    vol["volunteers"] + round(h * rng.uniform(0.01, 0.04)), **vol,
                )  # fmt: skip
            elif kind == "double9":
                visited = round(h * rng.uniform(0.004, 0.015)) + rng.randint(1, 4)
                self.activity(
                    day, "走访慰问", "重阳节走访慰问高龄老人", self.some_organisers(day, "妇联", "志愿服务队"),
                    rng.randint(2, 8), **self.visit_counts(visited),
                )  # fmt: skip
            elif kind == "cleanup":
                vol = self.volunteering(8)
                self.activity(
                    day, "环境整治", args[0], self.organisers(day, "党支部", "包保单位", "志愿服务队"),
                    vol["volunteers"] + rng.randint(10, 30), **vol,
                )  # fmt: skip
        if rng.random() < self.meet_p:
            day = self.day(month)
            participants = max(3, round(c["party_members"] * rng.uniform(0.55, 0.95)))
            self.activity(day, "支部会议", rng.choice(BRANCH_MEETING_NAMES), "党支部", participants)
        if self.oc_since(_month_end(month)):
            lo = max(self.lo(month), c["owners_committee_founded"])
            if rng.random() < self.oc_meet_p:
                day = _day_between(rng, lo, _month_end(month))
                self.activity(
                    day, "业委会会议", "业委会月度例会", self.organisers(day, "业委会", "党支部"), rng.randint(5, 9)
                )
            if real == REAL_YIYUN and rng.random() < 0.2:
                day = _day_between(rng, lo, _month_end(month))
                self.activity(
                    day, "业委会会议", "业委会专题会议（紧急事项）", self.organisers(day, "业委会"), rng.randint(5, 9)
                )
        covid = "2020-03" <= month <= "2020-05" or "2022-09" <= month <= "2022-12"
        if covid and rng.random() < 0.6:
            day, vol = self.day(month), self.volunteering(6)
            self.activity(
                day,
                "志愿服务",
                "疫情防控志愿服务",
                self.organisers(day, "党支部", "志愿服务队"),
                vol["volunteers"],
                **vol,
            )
        n = _poisson(rng, max(0.25, h / 250) * self.activeness * SEASON[mon])
        for _ in range(n):
            self.ordinary_activity(month, mon)

    def ordinary_activity(self, month: str, mon: int) -> None:
        rng, h = self.rng, self.h
        atype = _PICK_ACTIVITY(rng)
        name = MONTH_ACTIVITY_NAMES.get((atype, mon)) if rng.random() < 0.5 else None
        name = name or rng.choice(ACTIVITY_NAMES[atype])
        day = self.day(month)
        extra: dict = {}
        if atype == "志愿服务":
            extra = self.volunteering()
            participants = extra["volunteers"]
            orgs = self.some_organisers(day, "志愿服务队", "包保单位", "妇联")
        elif atype == "环境整治":
            extra = self.volunteering()
            participants = extra["volunteers"] + round(h * rng.uniform(0.01, 0.04))
            orgs = self.some_organisers(day, "物业", "志愿服务队")
        elif atype == "议事协商":
            participants = rng.randint(8, 20) + h // 150
            orgs = self.some_organisers(day, "业委会", "物业")
        elif atype == "其他":
            participants = max(8, round(h * rng.uniform(0.02, 0.06)))
            orgs = self.some_organisers(day, "物业")
        else:
            participants = max(10, round(h * rng.uniform(0.03, 0.11)))
            orgs = self.some_organisers(day, "妇联", "包保单位", "物业", "志愿服务队")
        self.activity(day, atype, name, orgs, participants, **extra)

    # -- cases
    def month_cases(self, month: str) -> None:
        rng, h = self.rng, self.h
        lam = 0.006 * h * self.case_factor
        kinds = ["诉求"] * _poisson(rng, lam * 0.7) + ["纠纷"] * _poisson(rng, lam * 0.3)
        cases = [(kind, _PICK_CATEGORY[kind](rng)) for kind in kinds]
        spike = self.plan.spike
        if spike and spike[0] <= month < domain.add_months(spike[0], spike[1]):
            # ×4-6 the usual disputes, and never fewer than a handful, so the burst stands out
            extra = _poisson(rng, max(4.0, lam * 0.3 * (spike[3] - 1))) + 3
            cases += [("纠纷", spike[2])] * extra
        received = sorted((self.day(month), kind, cat) for kind, cat in cases)
        for day, kind, cat in received:
            self.case(day, kind, cat)

    def case(self, received: dt.date, kind: str, category: str) -> None:
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
            "received_month": _month_of(received),
            "summary": rng.choice(CASE_SUMMARIES[category]),
        }
        events = [(received, {})]
        if first:
            events.append((first, {"first_response_date": first}))
        if transferred:
            events.append((transferred, {"transferred": True}))
        if closed:
            events.append((closed, {"closed_date": closed}))
        state = {"first_response_date": None, "closed_date": None, "transferred": False}
        versions = []
        for month, snapshot in self.snapshots(events, state):
            fr, cd = snapshot["first_response_date"], snapshot["closed_date"]
            status = "已办结" if cd else "已转办" if snapshot["transferred"] else "处理中" if fr else "已受理"
            versions.append(
                base
                | {
                    "month": month,
                    "first_response_date": fr,
                    "closed_date": cd,
                    "closed_month": _month_of(cd) if cd else None,
                    "status": status,
                    "satisfaction": satisfaction if cd else None,
                    "days_to_first_response": (fr - received).days if fr else None,
                    "days_to_close": (cd - received).days if cd else None,
                }
            )
        self.add_versions("case_records", versions)

    def snapshots(self, events: list[tuple[dt.date, dict]], state: dict) -> list[tuple[str, dict]]:
        """The entity's state at the end of each reported month in which something changed."""
        out: list[tuple[str, dict]] = []
        for day, changes in sorted(events, key=lambda e: e[0]):
            month = _month_of(day)
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

    # -- facility projects
    def facilities(self) -> None:
        rng, c = self.rng, self.c
        projects: list[dict] = []
        if self.plan.real:
            projects = self.real_projects()
        span = len(domain.months_between(self.first, self.end))
        expected = rng.uniform(1, 6) * span / 72
        n = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        if self.plan.real:
            n = max(0, n - len(projects))
        weights = dict(FACILITY_WEIGHTS) | {p["category"]: 0 for p in projects}
        if c["year_occupied"] and c["year_occupied"] <= 2008 and c["compound_type"] in ("老旧小区", "住宅"):
            weights["加装电梯"] = 6
        planned_months = domain.months_between(self.first, self.end)
        for _ in range(min(n, 6)):
            category = _weighted(rng, weights)
            weights[category] = 0  # one project per category
            unit, qty, price, build, titles = FACILITY_SPECS[category]
            quantity = rng.randint(*qty)
            if unit in ("米", "平方米"):
                quantity = round(quantity, -1) or quantity
            plan_month = rng.choice(planned_months)
            start_month = domain.add_months(plan_month, rng.choice((0, 1, 1, 2, 3, 4)))
            started = _day_between(rng, self.lo(start_month), _month_end(start_month))
            months = rng.randint(*build)
            stuck = rng.random() < 0.06
            done_month = domain.add_months(start_month, months)
            completed = (
                None if stuck else _day_between(rng, max(started, _month_start(done_month)), _month_end(done_month))
            )
            projects.append(
                {
                    "name": rng.choice(titles),
                    "category": category,
                    "unit": unit,
                    "quantity": quantity,
                    "investment": quantity * rng.uniform(*price),
                    "funding": self.funding(category),
                    "plan_month": None if rng.random() < 0.35 else plan_month,
                    "started": started,
                    "completed": completed,
                }
            )
        seq: dict[int, int] = {}
        for p in sorted(projects, key=lambda p: (p["plan_month"] or _month_of(p["started"]), p["started"])):
            first_month = p["plan_month"] or _month_of(p["started"])
            if first_month > self.last:
                continue
            year = int(first_month[:4])
            seq[year] = seq.get(year, 0) + 1
            base = {
                "project_no": f"GZ{year}-{seq[year]:02d}",
                "name": p["name"],
                "category": p["category"],
                "quantity": Decimal(p["quantity"]).quantize(Decimal("0.01")),
                "unit": p["unit"],
                "investment_yuan": _money(round(p["investment"], -2)),
                "funding_source": p["funding"],
            }
            events: list[tuple[dt.date, dict]] = []
            if p["plan_month"]:
                events.append((_month_start(p["plan_month"]), {"status": "计划"}))
            events.append((p["started"], {"status": "在建", "started_date": p["started"]}))
            if p["completed"]:
                events.append((p["completed"], {"status": "完工", "completed_date": p["completed"]}))
            state = {"status": "计划", "started_date": None, "completed_date": None}
            versions = []
            for month, snap in self.snapshots(events, state):
                cd = snap["completed_date"]
                versions.append(
                    base
                    | {
                        "month": month,
                        "status": snap["status"],
                        "started_date": snap["started_date"],
                        "completed_date": cd,
                        "completed_month": _month_of(cd) if cd else None,
                    }
                )
            self.add_versions("facility_records", versions)

    def funding(self, category: str) -> str:
        c = self.c
        if category == "加装电梯":
            return _weighted(self.rng, {"政府": 5, "业主": 5})
        if c["compound_type"] == "老旧小区":
            return _weighted(self.rng, {"政府": 60, "维修基金": 12, "业主": 18, "社会捐赠": 4, "物业公司": 6})
        weights = {"维修基金": 25, "业主": 22, "政府": 20, "社会捐赠": 4, "其他": 2}
        if c["property_company"]:
            weights["物业公司"] = 27
        return _weighted(self.rng, weights)

    def real_projects(self) -> list[dict]:
        d = dt.date
        if self.plan.real == REAL_YIYUN:
            spec = (
                ("小区绿化恢复", "绿化", 3000, "平方米", 186000, "业主", "2020-04", d(2020, 5, 11), d(2020, 8, 28)),
                ("小区道路黑化改造", "道路铺设", 1211, "米", 605500, "政府", "2020-04", d(2020, 6, 8), d(2020, 9, 20)),
                ("地面停车位规划施划", "停车位", 125, "个", 312500, "业主", "2020-08", d(2020, 9, 15), d(2020, 10, 30)),
                ("儿童游乐区建设", "儿童游乐设施", 1, "套", 86000, "物业公司", "2020-09",
                 d(2020, 10, 12), d(2020, 11, 26)),
                ("健身器材安装", "健身设施", 2, "套", 42000, "政府", "2020-09", d(2020, 10, 12), d(2020, 11, 26)),
            )  # fmt: skip
        elif self.plan.real == REAL_CHENGHUANG:
            spec = (
                ("小区大门改造", "大门", 2, "个", 96000, "业主", None, d(2020, 7, 6), d(2020, 9, 18)),
                ("单元门禁系统安装", "门禁", 8, "套", 64000, "业主", "2020-09", d(2020, 10, 9), d(2020, 12, 15)),
                ("车辆识别道闸安装", "车辆识别", 2, "套", 52000, "业主", None, d(2021, 3, 8), d(2021, 4, 22)),
                ("公共区域监控安装", "监控", 36, "个", 68400, "政府", "2021-03", d(2021, 5, 10), d(2021, 7, 16)),
            )  # fmt: skip
        else:
            return []
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
            for name, cat, qty, unit, inv, fund, plan, started, completed in spec
            if (plan or _month_of(started)) >= self.first  # inside the generated period
        ]

    # -- owners' votes
    def votes(self) -> None:
        rng, c = self.rng, self.c
        oc = c["owners_committee_founded"]
        if oc is None:
            return
        ballots: list[tuple[dt.date, str, str, float | None]] = []  # share given: scripted
        if self.plan.real == REAL_YIYUN:
            for day, topic, matter, share in (
                (dt.date(2020, 4, 12), "小区道路及停车位改造方案（入户签字）", "重大事项", 0.81),
                (dt.date(2020, 4, 26), "绿化恢复及健身、儿童游乐设施建设方案（入户签字）", "重大事项", 0.86),
                (dt.date(2020, 8, 9), "地面停车位分配及管理办法（入户签字）", "一般事项", 0.74),
            ):
                if self.first <= _month_of(day) <= self.last:
                    ballots.append((day, topic, matter, share))
        rate = rng.uniform(1, 2) / 12
        for month in self.months:
            if _month_of(oc) <= month and rng.random() < rate:
                day = _day_between(rng, max(self.lo(month), oc), _month_end(month))
                topic, matter = rng.choice(VOTE_TOPICS)
                if rng.random() < 0.12 and c["year_occupied"] and c["year_occupied"] <= 2010:
                    topic, matter = ELEVATOR_TOPIC
                ballots.append((day, topic, matter, None))
        area_per_household = rng.uniform(85, 125)
        seq: dict[int, int] = {}
        for day, topic, matter, share in sorted(ballots, key=lambda b: b[0]):
            seq[day.year] = seq.get(day.year, 0) + 1
            self.vote(day, topic, matter, share, f"V{day.year}-{seq[day.year]:02d}", area_per_household)

    def vote(self, day: dt.date, topic: str, matter: str, share: float | None, vote_no: str, per_hh: float) -> None:
        rng = self.rng
        total = rng.randint(12, 36) if topic == ELEVATOR_TOPIC[0] else self.h
        agree_share = share if share is not None else min(0.95, max(0.45, rng.gauss(0.72, 0.06)))
        participation = min(0.98, max(agree_share + rng.uniform(0.01, 0.12), rng.uniform(0.55, 0.95)))
        participating = min(total, round(total * participation))
        agree = min(participating, round(total * agree_share))
        areas: dict = {"total_area": None, "participating_area": None, "agree_area": None}
        if rng.random() < 0.7 or self.plan.real == REAL_YIYUN:
            total_area = total * per_hh * rng.uniform(0.97, 1.03)
            part_area = min(total_area, total_area * participating / total * rng.uniform(0.95, 1.05))
            agree_area = min(part_area, total_area * agree / total * rng.uniform(0.95, 1.05))
            areas = {
                "total_area": _money(total_area),
                "participating_area": _money(part_area),
                "agree_area": _money(agree_area),
            }
        threshold = domain.DEFAULT_LOCAL_THRESHOLD
        outcome = domain.vote_outcome(
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
            "vote_month": _month_of(day),
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
        state = {"implementation": None, "implemented_date": None}
        if outcome.passes_local:
            state["implementation"] = "未落实"
            r = rng.random()
            if self.plan.real == REAL_YIYUN and share is not None:  # the 2020 works, done by November
                done = dt.date(2020, 11, 26) if "绿化" in topic else dt.date(2020, 10, 30)
                events += [(day + dt.timedelta(days=20), {"implementation": "落实中"})]
                events += [(done, {"implementation": "已落实", "implemented_date": done})]
            elif r >= 0.12:  # the rest of the passed votes are never carried out
                going = day + dt.timedelta(days=rng.randint(3, 75))
                events.append((going, {"implementation": "落实中"}))
                if r >= 0.25:  # 0.12-0.25 stay 落实中
                    done = going + dt.timedelta(days=rng.randint(10, 200))
                    events.append((done, {"implementation": "已落实", "implemented_date": done}))
        self.add_versions(
            "vote_records", [base | {"month": month} | snap for month, snap in self.snapshots(events, state)]
        )

    # -- disclosures
    def disclosures(self) -> None:
        rng, c = self.rng, self.c
        chenghuang = self.plan.real == REAL_CHENGHUANG
        oc = c["owners_committee_founded"]
        if not chenghuang and (not (c["property_company"] or oc) or rng.random() >= 0.75):
            return
        regularity = 1.0 if chenghuang else rng.uniform(0.8, 0.99)
        if chenghuang:
            per_hh, channel = 15.0, "微信群"
        else:
            per_hh = rng.uniform(35, 90) if c["property_company"] else rng.uniform(8, 25)
            channel = _weighted(rng, {"微信群": 60, "公示栏": 35, "业主大会": 5})
        for month in self.months:
            if not c["property_company"] and not chenghuang and _month_of(oc) > month:
                continue
            if rng.random() >= regularity:
                continue
            income = self.h * per_hh * rng.uniform(0.9, 1.1)
            spending = income * rng.uniform(0.8, 1.1)
            used = channel
            if not chenghuang and rng.random() >= 0.85:
                used = _weighted(rng, {"微信群": 50, "公示栏": 45, "业主大会": 5})
            sub_day = self.sub_dates[month]
            disclosed = min(sub_day, _month_end(month) + dt.timedelta(days=rng.randint(1, 3)))
            self.rows["disclosures"].append(
                {
                    "month": month,
                    "is_current": True,
                    "income_yuan": _money(income),
                    "spending_yuan": _money(spending),
                    "disclosed_date": disclosed,
                    "channel": used,
                }
            )

    # -- submissions
    def make_submissions(self, times: list[tuple[str, dt.datetime]]) -> None:
        counts: dict[str, dict[str, int]] = {m: dict.fromkeys(LEDGER_TABLES, 0) for m, _ in times}
        for table, rows in self.rows.items():
            for row in rows:
                counts[row["month"]][table] += 1
        code = self.c["code"]
        for month, at in times:
            rc = counts[month]
            ledger = any(rc.values())
            digest = hashlib.sha256(f"linli-demo|{self.seed}|{code}|{month}|1|{sorted(rc.items())}".encode())
            self.submissions.append(
                {
                    "compound_id": self.c["id"],
                    "month": month,
                    "version": 1,
                    "kind": "ledger" if ledger else "zero",
                    "status": "current",
                    "submitted_by": None,
                    "submitted_at": at,
                    "file_names": f"{month}台账.xlsx" if ledger else None,
                    "file_hash": digest.hexdigest() if ledger else None,
                    "row_counts": rc if ledger else {},  # keyed by table, as the importer does
                }
            )


# ---- writing --------------------------------------------------------------------------------


_ORDER = {
    "activities": lambda r: (r["month"], r["activity_date"]),
    "case_records": lambda r: (r["month"], r["received_date"], r["case_no"]),
    "facility_records": lambda r: (r["month"], r["project_no"]),
    "vote_records": lambda r: (r["month"], r["vote_date"], r["vote_no"]),
    "disclosures": lambda r: r["month"],
}


def _max_ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: conn.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one()
            for name, model in _MODELS.items()
        }


def _insert(conn, model, rows: list[dict], batch: int = 5000) -> None:
    for i in range(0, len(rows), batch):
        conn.execute(model.__table__.insert(), rows[i : i + batch])


def _check_empty(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(Compound)).scalar_one():
            raise ValueError("the demo needs a database without compounds")
        towns = [
            dict(r._mapping) for r in conn.execute(select(Town.code, Town.name, Town.lat, Town.lon).order_by(Town.code))
        ]
    if not any(t["code"] == SEAT_TOWN for t in towns):
        raise ValueError(f"town {SEAT_TOWN} (洪川镇) is missing: run init_db first")
    for t in towns:
        if t["lat"] is None or t["lon"] is None:
            raise ValueError(f"town {t['code']} has no coordinates")
    return towns


def generate(
    engine: Engine,
    *,
    seed: int = 20200325,
    compounds: int = 240,
    start: str = "2020-01",
    end: str | None = None,
    today: dt.date | None = None,
) -> DemoSummary:
    """Fill an initialised database without compounds with the demo county; see the module doc."""
    t0 = time.perf_counter()
    today = today or dt.date.today()
    end = end or domain.last_complete_month(today)
    period = domain.Period(start, end)  # validates both months
    if end > domain.last_complete_month(today):
        raise ValueError(f"end {end} is not a complete month before {today.isoformat()}")
    if compounds < len(REAL_COMPOUNDS):
        raise ValueError(f"compounds must be at least {len(REAL_COMPOUNDS)}")
    towns = _check_empty(engine)

    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    updated_at = dt.datetime.combine(_month_end(end), dt.time(18, 0))
    plans = _registry(rng, towns, compounds, updated_at)
    _behaviours(rng, plans, period.start, period.end)

    summary = DemoSummary(compounds=len(plans), start=start, end=end)
    ids = _max_ids(engine)
    with write_transaction(engine) as conn:
        _insert(conn, Compound, [p.row for p in plans], REGISTRY_BATCH)

    for i in range(0, len(plans), CHUNK_COMPOUNDS):
        out: dict[str, list[dict]] = {name: [] for name in _MODELS}
        for plan in plans[i : i + CHUNK_COMPOUNDS]:
            book = _CompoundLedgers(plan, seed, start, end, today)
            book.build()
            sub_ids = {}
            for sub in book.submissions:
                ids["submissions"] += 1
                sub["id"] = sub_ids[sub["month"]] = ids["submissions"]
                out["submissions"].append(sub)
            for table in LEDGER_TABLES:
                for row in sorted(book.rows[table], key=_ORDER[table]):
                    ids[table] += 1
                    row["id"] = ids[table]
                    row["submission_id"] = sub_ids[row["month"]]
                    row["compound_id"] = plan.row["id"]
                    out[table].append(row)
        with write_transaction(engine) as conn:
            for name, model in _MODELS.items():
                _insert(conn, model, out[name])
        summary.submissions += len(out["submissions"])
        summary.activities += len(out["activities"])
        summary.case_records += len(out["case_records"])
        summary.facility_records += len(out["facility_records"])
        summary.vote_records += len(out["vote_records"])
        summary.disclosures += len(out["disclosures"])

    if engine.dialect.name == "postgresql":
        with write_transaction(engine) as conn:
            for model in (Compound, *_MODELS.values()):
                table = model.__tablename__
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                    )
                )
    summary.seconds = time.perf_counter() - t0
    return summary
