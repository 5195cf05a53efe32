"""小区档案, the registry: one row per compound, imported by administrators only, updated by code."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from services import domain
from services.ledgers.base import Column, Finding, Ledger
from services.ledgers.columns import count
from services.ledgers.rules import known
from services.models import Compound

COORD_SYSTEMS = ("WGS84", "GCJ02", "BD09")


class Registry(Ledger):
    def row_rules(self, v: dict, failed: set[str]) -> Iterator[Finding]:
        """Longitude and latitude come as a pair, with the map system they were read from."""
        lon, lat, system = v.get("lon"), v.get("lat"), v.get("coord_system")
        if (lon is None) != (lat is None) and known(failed, "lon", "lat"):
            missing, other = ("lat", "经度") if lat is None else ("lon", "纬度")
            yield (
                missing,
                f"填了{other}，但“{self.column(missing).header}”为空",
                "经度和纬度要么都填，要么都不填",
                "rule.coords_pair",
            )
        if lon is not None and lat is not None and system is None and known(failed, "coord_system"):
            yield (
                "coord_system",
                "填了经纬度，但坐标系为空",
                "请填写 WGS84（GPS）、GCJ02（高德/腾讯）或 BD09（百度）",
                "rule.coords_system",
            )


REGISTRY = Registry(
    "小区档案",
    "compounds",
    Compound,
    description="小区基本情况（仅系统管理员导入；按小区编码新增或更新）",
    unique_field="code",
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
        count("户数", "households", "小区总户数", "320", required=True, aliases=("households",)),
        count("楼栋数", "buildings", "楼栋数量", "12", aliases=("buildings",), maximum=Decimal(1000)),
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
        count("党员人数", "party_members", "小区党支部党员人数", "18", aliases=("party_members",)),
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
        count("志愿者人数", "volunteers", "登记在册的志愿者人数", "25", aliases=("volunteers",)),
        Column(
            "包保联系单位", "liaison_unit", "text", "包保联系本小区的机关单位", "县民政局", aliases=("liaison_unit",)
        ),
    ),
)
