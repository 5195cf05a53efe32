"""活动台账: every activity or home-visit round of the month, one row each."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from services import domain
from services.ledgers.base import Column, Finding, Ledger, PlannedRow, RowWarning
from services.ledgers.columns import COMPOUND_CODE, COUNT_MAX, ZERO, count
from services.ledgers.rules import jump, known, norm
from services.models import Activity

OF_WHICH = ("visited_hardship_party", "visited_hardship_residents", "visited_disabled", "visited_bereaved")
NUMBERS = (
    "participants",
    "volunteers",
    "volunteer_hours",
    "visited_households",
    "visited_hardship_party",
    "visited_hardship_residents",
    "visited_disabled",
    "visited_bereaved",
)


def _figures(row: dict) -> tuple:
    """An activity's name and numbers: equal for last month's twin of a copied row."""
    return (row["name"], *(norm(row[f]) for f in NUMBERS))


class Activities(Ledger):
    def row_rules(self, v: dict, failed: set[str]) -> Iterator[Finding]:
        """Each 其中 count of visited households stays within 慰问户数, which must then be filled."""
        total = v.get("visited_households")
        for name in OF_WHICH:
            sub = v.get(name)
            if sub is None or not known(failed, name, "visited_households"):
                continue
            header = self.column(name).header
            if total is None:
                yield (
                    "visited_households",
                    f"填了“{header}”，但“慰问户数”为空",
                    "请填写慰问总户数（不少于各分项）",
                    "rule.of_which_total_missing",
                )
                return
            if sub > total:
                yield (name, f"“{header}”大于“慰问户数”（{total}）", "分项户数不能超过慰问户数", "rule.of_which")

    def month_on_month(self, rows: Sequence[PlannedRow], last: list[dict], households: int) -> Iterator[RowWarning]:
        """Visits beyond the compound's households, rows copied from last month, big jumps in count or people."""
        last_figures = {_figures(x) for x in last}  # a set: both months may hold 100,000 rows
        for r in rows:
            if households and (r.data["visited_households"] or 0) > households:
                yield r, "慰问户数", f"慰问户数超过小区总户数（{households}），请确认"
            twin = bool(last_figures) and _figures(r.data) in last_figures
            if twin and any(r.data[f] for f in NUMBERS):
                yield r, "参与人数", "与上月同名活动的人数、户数完全相同，请确认不是复制了上月的数据"
        if last and jump(len(rows), len(last), 3):
            yield None, None, f"活动次数 {len(rows)} 与上月（{len(last)}）相差很大，请确认"
        people, people_before = sum(r.data["participants"] for r in rows), sum(x["participants"] for x in last)
        if last and jump(people, people_before, 30):
            yield None, "参与人数", f"参与人数合计 {people} 与上月（{people_before}）相差很大，请确认"


ACTIVITIES = Activities(
    "活动台账",
    "activities",
    Activity,
    description="本月开展的每一次活动或走访慰问，一次一行",
    month_field="activity_date",
    month_rule=(
        "活动日期不在上报月份（{month}）内",
        "本月台账只填本月的活动；其他月份的活动请在对应月份上报",
    ),
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
        count("参与人数", "participants", "参加活动的总人数", "30", required=True, aliases=("participants",)),
        count("志愿者人数", "volunteers", "参与服务的志愿者人数", "8", aliases=("volunteers",)),
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
        count("慰问户数", "visited_households", "走访慰问的总户数", "10", aliases=("visited_households",)),
        count(
            "慰问困难党员户数",
            "visited_hardship_party",
            "其中困难党员户数（不超过慰问户数）",
            "2",
            aliases=("visited_hardship_party",),
        ),
        count(
            "慰问困难群众户数",
            "visited_hardship_residents",
            "其中困难群众户数（不超过慰问户数）",
            "5",
            aliases=("visited_hardship_residents",),
        ),
        count(
            "慰问残疾人户数", "visited_disabled", "其中残疾人户数（不超过慰问户数）", "2", aliases=("visited_disabled",)
        ),
        count(
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
