"""The ledger contract, written once: it drives the validator, the templates and 填报说明.

Each ledger is a tuple of ``Column`` records: the canonical Chinese header, documented English
aliases, whether it is required, its type, the allowed values (taken from ``services.domain``),
a one-line meaning, an example and the model field it fills.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from services import domain
from services.models import Activity, Base, CaseRecord, Compound, Disclosure, FacilityRecord, VoteRecord

KINDS_ZH = {
    "text": "文字",
    "code": "编码（按文本填写）",
    "int": "整数",
    "decimal": "数字",
    "percent": "比例",
    "date": "日期",
    "month": "月份",
    "enum": "单选",
    "multi-enum": "多选（用、或；分隔）",
}
COORD_SYSTEMS = ("WGS84", "GCJ02", "BD09")
MULTI_SEPARATORS = "、;；"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str
    meaning: str
    example: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()
    synonyms: dict[str, str] = field(default_factory=dict)  # accepted spelling → allowed value
    none_words: tuple[str, ...] = ()  # text meaning "none", stored as empty
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    positive: bool = False  # strictly greater than zero
    places: int = 0  # decimal places allowed (int columns: 0)
    stored: bool = True  # False: read for validation only (e.g. 坐标系)

    @property
    def type_zh(self) -> str:
        return KINDS_ZH[self.kind]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class Ledger:
    name: str
    key: str  # the table it fills
    model: type[Base]
    columns: tuple[Column, ...]
    description: str
    entity_field: str | None = None  # rows with the same value update one entity (cases, projects, votes)
    monthly: bool = True

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def max_length(self, col: Column) -> int | None:
        if not col.stored or col.field not in self.model.__table__.c:
            return None
        return getattr(self.model.__table__.c[col.field].type, "length", None)


ZERO = Decimal(0)
COUNT_MAX = Decimal(100_000)
MONEY_MAX = Decimal("999999999999.99")


def _count(header, field_name, meaning, example, *, required=False, aliases=(), maximum=COUNT_MAX, positive=False):
    return Column(
        header,
        field_name,
        "int",
        meaning,
        example,
        required=required,
        aliases=aliases,
        minimum=ZERO,
        maximum=maximum,
        positive=positive,
    )


def _money(header, field_name, meaning, example, *, required=False, aliases=()):
    return Column(
        header,
        field_name,
        "decimal",
        meaning,
        example,
        required=required,
        aliases=aliases,
        minimum=ZERO,
        maximum=MONEY_MAX,
        places=2,
    )


def _area(header, field_name, meaning, example, aliases=()):
    return Column(
        header,
        field_name,
        "decimal",
        meaning,
        example,
        aliases=aliases,
        minimum=ZERO,
        maximum=Decimal(10_000_000),
        places=2,
    )


COMPOUND_CODE = Column(
    "小区编码",
    "compound_code",
    "code",
    "县里统一分配的小区编码（见小区档案），每行都填本小区的编码",
    "511423112001",
    required=True,
    aliases=("compound_code", "code"),
)

REGISTRY = Ledger(
    "小区档案",
    "compounds",
    Compound,
    description="小区基本情况（仅系统管理员导入；按小区编码新增或更新）",
    monthly=False,
    columns=(
        Column(
            "小区编码",
            "code",
            "code",
            "小区的唯一编码（镇编码加三位序号）",
            "511423112001",
            required=True,
            aliases=("compound_code", "code"),
        ),
        Column(
            "小区名称", "name", "text", "小区的正式名称", "阳光花园", required=True, aliases=("name", "compound_name")
        ),
        Column("所属镇", "town_code", "text", "所属乡镇（名称或编码）", "洪川镇", required=True, aliases=("town",)),
        Column("所属社区", "community", "text", "所属社区（村）", "滨江社区", aliases=("community",)),
        Column("地址", "address", "text", "街道门牌地址", "洪川镇广场路12号", aliases=("address",)),
        Column(
            "经度",
            "lon",
            "decimal",
            "小区大门的经度（填了经纬度就要填坐标系）",
            "103.372100",
            aliases=("lon", "lng", "longitude"),
            minimum=Decimal(73),
            maximum=Decimal(136),
            places=8,
        ),
        Column(
            "纬度",
            "lat",
            "decimal",
            "小区大门的纬度",
            "29.904300",
            aliases=("lat", "latitude"),
            minimum=Decimal(3),
            maximum=Decimal(54),
            places=8,
        ),
        Column(
            "坐标系",
            "coord_system",
            "enum",
            "经纬度来自哪种地图：WGS84（GPS）、GCJ02（高德/腾讯）、BD09（百度）",
            "GCJ02",
            aliases=("crs", "coord_system"),
            allowed=COORD_SYSTEMS,
            stored=False,
            synonyms={"WGS-84": "WGS84", "GCJ-02": "GCJ02", "BD-09": "BD09", "GPS": "WGS84"},
        ),
        _count("户数", "households", "小区总户数", "320", required=True, aliases=("households",)),
        _count("楼栋数", "buildings", "楼栋数量", "12", aliases=("buildings",), maximum=Decimal(1000)),
        Column(
            "入住年份",
            "year_occupied",
            "int",
            "开始入住的年份",
            "2012",
            aliases=("year_occupied",),
            minimum=Decimal(1949),
            maximum=Decimal(2100),
        ),
        Column(
            "类型",
            "compound_type",
            "enum",
            "小区类型（不填按住宅）",
            "住宅",
            aliases=("type", "compound_type"),
            allowed=domain.COMPOUND_TYPES,
        ),
        Column(
            "党支部成立日期",
            "branch_founded",
            "date",
            "小区党支部成立日期（此后每月应上报）",
            "2020-03-25",
            aliases=("branch_founded",),
        ),
        _count("党员人数", "party_members", "小区党支部党员人数", "18", aliases=("party_members",)),
        Column(
            "物业公司",
            "property_company",
            "text",
            "物业服务企业名称；没有物业填“无”",
            "洪雅某某物业有限公司",
            aliases=("property_company",),
            none_words=("无", "没有", "暂无"),
        ),
        Column(
            "业委会成立日期",
            "owners_committee_founded",
            "date",
            "业主委员会成立日期（没有就不填）",
            "2021-05-01",
            aliases=("owners_committee_founded",),
        ),
        Column(
            "妇联成立日期",
            "womens_federation_founded",
            "date",
            "小区妇联成立日期（没有就不填）",
            "2022-03-08",
            aliases=("womens_federation_founded",),
        ),
        _count("志愿者人数", "volunteers", "登记在册的志愿者人数", "25", aliases=("volunteers",)),
        Column(
            "包保联系单位", "liaison_unit", "text", "包保联系本小区的机关单位", "县民政局", aliases=("liaison_unit",)
        ),
    ),
)

ACTIVITIES = Ledger(
    "活动台账",
    "activities",
    Activity,
    description="本月开展的每一次活动或走访慰问，一次一行",
    columns=(
        COMPOUND_CODE,
        Column(
            "活动日期",
            "activity_date",
            "date",
            "活动当天的日期（须在上报月份内）",
            "2025-03-05",
            required=True,
            aliases=("activity_date", "date"),
        ),
        Column(
            "活动类型",
            "activity_type",
            "enum",
            "活动属于哪一类",
            "走访慰问",
            required=True,
            aliases=("activity_type", "type"),
            allowed=domain.ACTIVITY_TYPES,
        ),
        Column(
            "活动名称",
            "name",
            "text",
            "活动的简短名称",
            "三八节走访慰问困难妇女",
            required=True,
            aliases=("activity_name", "name"),
        ),
        Column(
            "组织方",
            "organisers",
            "multi-enum",
            "组织或参与组织的单位，可多选，用、分隔",
            "党支部、妇联",
            aliases=("organisers", "organizers"),
            allowed=domain.ORGANISERS,
        ),
        _count("参与人数", "participants", "参加活动的总人数", "30", required=True, aliases=("participants",)),
        _count("志愿者人数", "volunteers", "参与服务的志愿者人数", "8", aliases=("volunteers",)),
        Column(
            "志愿服务时长",
            "volunteer_hours",
            "decimal",
            "志愿者服务的总时长（小时，最多一位小数）",
            "16.5",
            aliases=("volunteer_hours",),
            minimum=ZERO,
            maximum=COUNT_MAX,
            places=1,
        ),
        _count("慰问户数", "visited_households", "走访慰问的总户数", "10", aliases=("visited_households",)),
        _count(
            "慰问困难党员户数",
            "visited_hardship_party",
            "其中困难党员户数（不超过慰问户数）",
            "2",
            aliases=("visited_hardship_party",),
        ),
        _count(
            "慰问困难群众户数",
            "visited_hardship_residents",
            "其中困难群众户数（不超过慰问户数）",
            "5",
            aliases=("visited_hardship_residents",),
        ),
        _count(
            "慰问残疾人户数", "visited_disabled", "其中残疾人户数（不超过慰问户数）", "2", aliases=("visited_disabled",)
        ),
        _count(
            "慰问失独家庭户数",
            "visited_bereaved",
            "其中失独家庭户数（不超过慰问户数）",
            "1",
            aliases=("visited_bereaved",),
        ),
        Column(
            "备注",
            "note",
            "text",
            "其他需要说明的情况（不要填写姓名、身份证号、电话）",
            "联合县妇联开展",
            aliases=("note", "notes", "remark"),
        ),
    ),
)

CASES = Ledger(
    "诉求纠纷台账",
    "case_records",
    CaseRecord,
    entity_field="case_no",
    description="居民诉求和矛盾纠纷，一件一行；以后月份用同一案件编号更新办理进展",
    columns=(
        COMPOUND_CODE,
        Column(
            "案件编号",
            "case_no",
            "code",
            "小区自编的案件编号，本小区内不重复，以后月份沿用",
            "2025-003",
            required=True,
            aliases=("case_no", "case_number"),
        ),
        Column(
            "类型", "kind", "enum", "诉求还是纠纷", "诉求", required=True, aliases=("kind",), allowed=domain.CASE_KINDS
        ),
        Column(
            "类别",
            "category",
            "enum",
            "事项类别",
            "停车",
            required=True,
            aliases=("category",),
            allowed=domain.CASE_CATEGORIES,
        ),
        Column(
            "受理日期",
            "received_date",
            "date",
            "受理日期（新案件须在上报月份内）",
            "2025-03-02",
            required=True,
            aliases=("received_date",),
        ),
        Column(
            "首次回应日期",
            "first_response_date",
            "date",
            "第一次答复居民的日期（不早于受理日期）",
            "2025-03-03",
            aliases=("first_response_date",),
        ),
        Column(
            "办结日期", "closed_date", "date", "办结日期（状态为已办结时必填）", "2025-03-10", aliases=("closed_date",)
        ),
        Column(
            "状态",
            "status",
            "enum",
            "当前办理状态；已办结须填办结日期",
            "已办结",
            required=True,
            aliases=("status",),
            allowed=domain.CASE_STATUSES,
        ),
        Column(
            "满意度",
            "satisfaction",
            "enum",
            "居民对办理结果的评价",
            "满意",
            aliases=("satisfaction",),
            allowed=domain.SATISFACTION,
        ),
        Column(
            "摘要",
            "summary",
            "text",
            "事由和办理情况的简要说明（不要填写姓名、身份证号、电话）",
            "地下车库占道停车，已协调物业划线",
            aliases=("summary",),
        ),
    ),
)

FACILITIES = Ledger(
    "设施改造台账",
    "facility_records",
    FacilityRecord,
    entity_field="project_no",
    description="设施改造项目，一个项目一行；以后月份用同一项目编号更新进度",
    columns=(
        COMPOUND_CODE,
        Column(
            "项目编号",
            "project_no",
            "code",
            "小区自编的项目编号，以后月份沿用",
            "P2025-01",
            required=True,
            aliases=("project_no", "project_number"),
        ),
        Column("项目名称", "name", "text", "项目名称", "小区道路黑化", required=True, aliases=("project_name", "name")),
        Column(
            "项目类别",
            "category",
            "enum",
            "项目类别",
            "道路铺设",
            required=True,
            aliases=("category",),
            allowed=domain.FACILITY_CATEGORIES,
        ),
        Column(
            "数量",
            "quantity",
            "decimal",
            "工程量（大于0，最多两位小数）",
            "1211",
            required=True,
            aliases=("quantity",),
            minimum=ZERO,
            maximum=Decimal(10_000_000),
            positive=True,
            places=2,
        ),
        Column(
            "单位", "unit", "enum", "数量的单位", "米", required=True, aliases=("unit",), allowed=domain.FACILITY_UNITS
        ),
        _money(
            "投入金额（元）", "investment_yuan", "项目总投入（元）", "300000", aliases=("investment_yuan", "投入金额")
        ),
        Column(
            "资金来源",
            "funding_source",
            "enum",
            "主要资金来源",
            "政府",
            aliases=("funding_source",),
            allowed=domain.FUNDING_SOURCES,
        ),
        Column(
            "状态",
            "status",
            "enum",
            "项目进度；完工须填完工日期",
            "完工",
            required=True,
            aliases=("status",),
            allowed=domain.FACILITY_STATUSES,
        ),
        Column(
            "开工日期", "started_date", "date", "开工日期（可早于上报月份）", "2025-01-02", aliases=("started_date",)
        ),
        Column(
            "完工日期",
            "completed_date",
            "date",
            "完工日期（状态为完工时必填）",
            "2025-03-20",
            aliases=("completed_date",),
        ),
    ),
)

VOTES = Ledger(
    "业主表决台账",
    "vote_records",
    VoteRecord,
    entity_field="vote_no",
    description="业主共同决定事项的表决，一次表决一行；以后月份用同一表决编号更新落实情况",
    columns=(
        COMPOUND_CODE,
        Column("表决编号", "vote_no", "code", "小区自编的表决编号", "V2025-01", required=True, aliases=("vote_no",)),
        Column(
            "表决日期",
            "vote_date",
            "date",
            "表决结果统计日期（新表决须在上报月份内）",
            "2025-03-12",
            required=True,
            aliases=("vote_date",),
        ),
        Column("议题", "topic", "text", "表决的事项", "使用维修基金更换电梯", required=True, aliases=("topic",)),
        Column(
            "事项类别",
            "matter",
            "enum",
            "重大事项指民法典第278条第六至八项（筹集/使用维修资金、改建重建、改变共有部分用途）",
            "重大事项",
            required=True,
            aliases=("matter",),
            allowed=domain.VOTE_MATTERS,
        ),
        _count(
            "业主总户数",
            "total_households",
            "有表决权的业主总户数",
            "200",
            required=True,
            aliases=("total_households",),
            positive=True,
        ),
        _count(
            "参与户数",
            "participating_households",
            "参与表决的户数（不超过业主总户数）",
            "160",
            required=True,
            aliases=("participating_households",),
        ),
        _count(
            "同意户数",
            "agree_households",
            "同意的户数（不超过参与户数）",
            "150",
            required=True,
            aliases=("agree_households",),
        ),
        _area(
            "专有部分总面积",
            "total_area",
            "专有部分总面积（平方米；三项面积要么都填要么都不填）",
            "20000",
            aliases=("total_area",),
        ),
        _area(
            "参与面积",
            "participating_area",
            "参与表决的专有部分面积（平方米）",
            "17000",
            aliases=("participating_area",),
        ),
        _area("同意面积", "agree_area", "同意的专有部分面积（平方米）", "15000", aliases=("agree_area",)),
        Column(
            "本地通过比例",
            "local_threshold",
            "percent",
            "本地规定的通过比例（同意户数/业主总户数），不填按70%",
            "70%",
            aliases=("local_threshold",),
            minimum=Decimal("0.5"),
            maximum=Decimal(1),
            places=4,
        ),
        Column(
            "落实状态",
            "implementation",
            "enum",
            "表决事项的落实情况",
            "落实中",
            aliases=("implementation",),
            allowed=domain.IMPLEMENTATION,
        ),
        Column("落实日期", "implemented_date", "date", "落实完成的日期", "2025-04-30", aliases=("implemented_date",)),
    ),
)

DISCLOSURES = Ledger(
    "财务公开台账",
    "disclosures",
    Disclosure,
    description="小区公共收益和支出的月度公开，每月一行",
    columns=(
        COMPOUND_CODE,
        Column(
            "月份",
            "month",
            "month",
            "公开的是哪个月的收支（须为上报月份）",
            "2025-03",
            required=True,
            aliases=("month",),
        ),
        _money(
            "收入（元）",
            "income_yuan",
            "当月公共收益收入（元）",
            "5000.50",
            required=True,
            aliases=("income_yuan", "收入"),
        ),
        _money(
            "支出（元）",
            "spending_yuan",
            "当月公共收益支出（元）",
            "4000.25",
            required=True,
            aliases=("spending_yuan", "支出"),
        ),
        Column("公示日期", "disclosed_date", "date", "张贴或发布公示的日期", "2025-04-03", aliases=("disclosed_date",)),
        Column(
            "公示渠道",
            "channel",
            "enum",
            "在哪里公示",
            "微信群",
            aliases=("channel",),
            allowed=domain.DISCLOSURE_CHANNELS,
        ),
    ),
)

LEDGERS: tuple[Ledger, ...] = (REGISTRY, ACTIVITIES, CASES, FACILITIES, VOTES, DISCLOSURES)
MONTHLY_LEDGERS: tuple[Ledger, ...] = tuple(ledger for ledger in LEDGERS if ledger.monthly)
LEDGER_BY_NAME = {ledger.name: ledger for ledger in LEDGERS}
LEDGER_BY_KEY = {ledger.key: ledger for ledger in LEDGERS}
INSTRUCTIONS_SHEET = "说明"

_NAME_JUNK = re.compile(r"[\s_\-*＊]+")


def header_key(text: str) -> str:
    """How a header cell is compared: NFKC, case-folded, without spaces, underscores, hyphens or *."""
    return _NAME_JUNK.sub("", unicodedata.normalize("NFKC", text)).casefold()


def ledger_for_sheet(sheet_name: str) -> Ledger | None:
    return LEDGER_BY_NAME.get(unicodedata.normalize("NFKC", sheet_name).strip())


def column_docs() -> list[dict]:
    """The contract as plain data for the 填报说明 page and the templates' 说明 sheet."""
    return [
        {
            "ledger": ledger.name,
            "key": ledger.key,
            "description": ledger.description,
            "administrators_only": not ledger.monthly,
            "updates_by": ledger.column(ledger.entity_field).header if ledger.entity_field else None,
            "columns": [
                {
                    "header": c.header,
                    "aliases": list(c.aliases),
                    "required": c.required,
                    "type": c.kind,
                    "type_zh": c.type_zh,
                    "meaning": c.meaning,
                    "allowed": list(c.allowed),
                    "example": c.example,
                    "field": c.field,
                }
                for c in ledger.columns
            ],
        }
        for ledger in LEDGERS
    ]
