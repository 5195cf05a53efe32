"""业主表决台账: owners' votes, one row per vote, updated in later months by vote number."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from services import domain
from services.domain import DEFAULT_LOCAL_THRESHOLD, month_of, vote_outcome
from services.ledgers.base import Column, Finding, Ledger
from services.ledgers.columns import COMPOUND_CODE, area, count
from services.ledgers.rules import changed_since, done_and_dates
from services.models import VoteRecord

AREAS = ("total_area", "participating_area", "agree_area")


class Votes(Ledger):
    def row_rules(self, v: dict, failed: set[str]) -> Iterator[Finding]:
        """Agree within participating within total (households and areas); areas all or none; then dates."""
        total, part, agree = v.get("total_households"), v.get("participating_households"), v.get("agree_households")
        if agree is not None and part is not None and agree > part:
            yield (
                "agree_households",
                f"同意户数大于参与户数（{part}）",
                "同意户数不能超过参与户数",
                "rule.agree_le_part",
            )
        if part is not None and total is not None and part > total:
            yield (
                "participating_households",
                f"参与户数大于业主总户数（{total}）",
                "参与户数不能超过业主总户数",
                "rule.part_le_total",
            )
        given = [a for a in AREAS if v.get(a) is not None or a in failed]
        if 0 < len(given) < len(AREAS):
            have = "、".join(self.column(a).header for a in given)
            for missing in (a for a in AREAS if a not in given):
                yield (
                    missing,
                    f"填了{have}，但“{self.column(missing).header}”为空",
                    "面积三项要么都填，要么都不填",
                    "rule.areas_all_or_none",
                )
        ta, pa, aa = (v.get(a) for a in AREAS)
        if aa is not None and pa is not None and aa > pa:
            yield "agree_area", f"同意面积大于参与面积（{pa}）", "同意面积不能超过参与面积", "rule.agree_le_part"
        if pa is not None and ta is not None and pa > ta:
            yield (
                "participating_area",
                f"参与面积大于专有部分总面积（{ta}）",
                "参与面积不能超过总面积",
                "rule.part_le_total",
            )
        yield from done_and_dates(
            self,
            v,
            failed,
            dates=("vote_date", "implemented_date"),
            status="implementation",
            done="已落实",
            status_hint="已落实的请把状态改为“已落实”",
            status_code="rule.date_needs_done",
        )

    def derive(self, row: dict) -> None:
        """The month held, the local threshold (70% when not given) and whether the vote passes."""
        row["vote_month"] = month_of(row["vote_date"])
        if row["local_threshold"] is None:
            row["local_threshold"] = DEFAULT_LOCAL_THRESHOLD
        outcome = vote_outcome(
            matter=row["matter"],
            total_households=row["total_households"],
            participating_households=row["participating_households"],
            agree_households=row["agree_households"],
            total_area=row["total_area"],
            participating_area=row["participating_area"],
            agree_area=row["agree_area"],
            local_threshold=row["local_threshold"],
        )
        row["passes_local"], row["passes_statutory"] = outcome.passes_local, outcome.passes_statutory

    def entity_warnings(self, data: dict, before: dict | None, households: int) -> Iterator[tuple[str, str]]:
        """Owners far from the registry's households; a vote date that changed between months."""
        total = data["total_households"]
        if households and abs(total - households) > households / 10:
            yield "业主总户数", f"业主总户数与小区档案的户数（{households}）相差较大，请确认"
        yield from changed_since(self, "vote_date", data, before)


VOTES = Votes(
    "业主表决台账",
    "vote_records",
    VoteRecord,
    entity_field="vote_no",
    description="业主共同决定事项的表决，一次表决一行；以后月份用同一表决编号更新落实情况",
    month_field="vote_date",
    month_rule=(
        "新表决的表决日期不在上报月份（{month}）内",
        "更新以前的表决请沿用原表决编号；新表决请填写本月日期",
    ),
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
        count(
            "业主总户数",
            "total_households",
            "有表决权的业主总户数",
            "200",
            required=True,
            aliases=("total_households",),
            positive=True,
        ),
        count(
            "参与户数",
            "participating_households",
            "参与表决的户数（不超过业主总户数）",
            "160",
            required=True,
            aliases=("participating_households",),
        ),
        count(
            "同意户数",
            "agree_households",
            "同意的户数（不超过参与户数）",
            "150",
            required=True,
            aliases=("agree_households",),
        ),
        area(
            "专有部分总面积",
            "total_area",
            "专有部分总面积（平方米；三项面积要么都填要么都不填）",
            "20000",
            aliases=("total_area",),
        ),
        area(
            "参与面积",
            "participating_area",
            "参与表决的专有部分面积（平方米）",
            "17000",
            aliases=("participating_area",),
        ),
        area("同意面积", "agree_area", "同意的专有部分面积（平方米）", "15000", aliases=("agree_area",)),
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
