"""财务公开台账: the compound's public income and spending, disclosed once a month in one row."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from services import domain
from services.ledgers.base import Column, Ledger, ParsedRow, PlannedRow, RowWarning
from services.ledgers.columns import COMPOUND_CODE, money
from services.ledgers.rules import jump
from services.models import Disclosure


class Disclosures(Ledger):
    def sheet_rules(self, rows: Sequence[ParsedRow]) -> Iterator[tuple[int, str, object, str, str, str]]:
        """One row a month: every row after the first is a problem."""
        for extra in rows[1:]:
            yield (
                extra.row,
                "month",
                None,
                f"财务公开台账每月只填一行（第{rows[0].row}行已填）",
                "请把当月收支合计后填在一行",
                "rule.disclosure_one_row",
            )

    def month_on_month(self, rows: Sequence[PlannedRow], last: list[dict], households: int) -> Iterator[RowWarning]:
        """Income and spending copied from last month, or far from it."""
        if not rows or not last:
            return
        r, x = rows[0], last[0]
        same = r.data["income_yuan"] == x["income_yuan"] and r.data["spending_yuan"] == x["spending_yuan"]
        if same and (r.data["income_yuan"] or r.data["spending_yuan"]):
            yield r, "收入（元）", "收入和支出与上月完全相同，请确认不是复制了上月的数据"
        for f, header in (("income_yuan", "收入（元）"), ("spending_yuan", "支出（元）")):
            if jump(float(r.data[f]), float(x[f]), 1000):
                yield r, header, f"{header[:2]}与上月（{x[f]}）相差很大，请确认"


DISCLOSURES = Disclosures(
    "财务公开台账",
    "disclosures",
    Disclosure,
    description="小区公共收益和支出的月度公开，每月一行",
    month_field="month",
    month_rule=("月份不是上报月份（{month}）", "财务公开台账的月份须与上报月份一致"),
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
        money(
            "收入（元）",
            "income_yuan",
            "当月公共收益收入（元）",
            "5000.50",
            required=True,
            aliases=("income_yuan", "收入"),
        ),
        money(
            "支出（元）",
            "spending_yuan",
            "当月公共收益支出（元）",
            "4000.25",
            required=True,
            aliases=("spending_yuan", "支出"),
        ),
        Column(
            "公示日期",
            "disclosed_date",
            "date",
            "张贴或发布公示的日期",
            "2025-04-03",
            aliases=("disclosed_date",),
            after_month=True,
        ),
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
