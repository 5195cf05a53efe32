"""诉求纠纷台账: residents' demands and disputes, one row per case, updated in later months by case number."""

from __future__ import annotations

from collections.abc import Iterator

from services import domain
from services.domain import month_of
from services.ledgers.base import Column, Finding, Ledger
from services.ledgers.columns import COMPOUND_CODE
from services.ledgers.rules import changed_since, done_and_dates
from services.models import CaseRecord


class Cases(Ledger):
    def row_rules(self, v: dict, failed: set[str]) -> Iterator[Finding]:
        """Received, first answered, closed: in that order; 已办结 and the closing date go together."""
        assert self.closed_status is not None  # CASES below names its closing status
        yield from done_and_dates(
            self,
            v,
            failed,
            dates=("received_date", "first_response_date", "closed_date"),
            status="status",
            done=self.closed_status,
            status_hint="已办结的请把状态改为“已办结”；未办结请清空办结日期",
            status_code="rule.date_needs_closed",
            undated_code="rule.closed_needs_date",
        )

    def derive(self, row: dict) -> None:
        """The months received and closed, and the days to the first answer and to closing."""
        received, responded, closed = row["received_date"], row["first_response_date"], row["closed_date"]
        row["received_month"] = month_of(received)
        row["closed_month"] = month_of(closed) if closed else None
        row["days_to_first_response"] = (responded - received).days if responded else None
        row["days_to_close"] = (closed - received).days if closed else None

    def entity_warnings(self, data: dict, before: dict | None, households: int) -> Iterator[tuple[str, str]]:
        """A case's received date should not change between months."""
        yield from changed_since(self, "received_date", data, before)


CASES = Cases(
    "诉求纠纷台账",
    "case_records",
    CaseRecord,
    entity_field="case_no",
    description="居民诉求和矛盾纠纷，一件一行；以后月份用同一案件编号更新办理进展",
    month_field="received_date",
    month_rule=(
        "新案件的受理日期不在上报月份（{month}）内",
        "以前受理的案件请沿用当时的案件编号；新案件请填写本月的受理日期",
    ),
    closed_status="已办结",
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
