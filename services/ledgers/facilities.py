"""设施改造台账: facility projects, one row per project, updated in later months by project number."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from services import domain
from services.domain import month_of
from services.ledgers.base import Column, Finding, Ledger
from services.ledgers.columns import COMPOUND_CODE, ZERO, money
from services.ledgers.rules import done_and_dates
from services.models import FacilityRecord


class Facilities(Ledger):
    def row_rules(self, v: dict, failed: set[str]) -> Iterator[Finding]:
        """Started before completed; 完工 and the completion date go together."""
        assert self.closed_status is not None  # FACILITIES below names its closing status
        yield from done_and_dates(
            self,
            v,
            failed,
            dates=("started_date", "completed_date"),
            status="status",
            done=self.closed_status,
            status_hint="已完工的请把状态改为“完工”；未完工请清空完工日期",
            status_code="rule.date_needs_completed",
            undated_code="rule.completed_needs_date",
        )

    def skips_date_rules(self, field_name: str, values: dict) -> bool:
        """A planned project may name a future start."""
        return field_name == "started_date" and values.get("status") == "计划"

    def derive(self, row: dict) -> None:
        """The month the project was completed."""
        row["completed_month"] = month_of(row["completed_date"]) if row["completed_date"] else None


FACILITIES = Facilities(
    "设施改造台账",
    "facility_records",
    FacilityRecord,
    entity_field="project_no",
    description="设施改造项目，一个项目一行；以后月份用同一项目编号更新进度",
    closed_status="完工",
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
        money(
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
