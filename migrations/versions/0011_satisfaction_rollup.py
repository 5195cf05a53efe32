"""residents' satisfaction in the rollup

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 22:05:00

诉求与纠纷's satisfaction chart and rate counted the period's closed cases by rating from the case
rows (a province-year: 600,000 cases, three periods per page view). ``compound_months`` and
``town_months`` now keep them per month received: closed (已办结) cases rated 满意, 基本满意,
不满意, and 未评价 or blank. Filled here by the rules written out in SQL (a migration must not
depend on code later migrations change); imports keep them from then on.
"""

import sqlalchemy as sa
from alembic import op


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

LEVELS = {
    "closed_satisfied": "满意",
    "closed_fairly_satisfied": "基本满意",
    "closed_dissatisfied": "不满意",
    "closed_unrated": "未评价",
}
TABLES = ("compound_months", "town_months")

COMPOUNDS = """
UPDATE compound_months SET {assign}
FROM (
    SELECT compound_id, received_month AS month, {counts}
    FROM case_records
    WHERE is_current AND received_month IS NOT NULL
    GROUP BY compound_id, received_month
) AS s
WHERE compound_months.compound_id = s.compound_id AND compound_months.month = s.month
"""
TOWNS = """
UPDATE town_months SET {assign}
FROM (
    SELECT c.town_code, cm.month, {sums}
    FROM compound_months cm JOIN compounds c ON c.id = cm.compound_id
    GROUP BY c.town_code, cm.month
) AS s
WHERE town_months.town_code = s.town_code AND town_months.month = s.month
"""


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in LEVELS:
                batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    assign = ", ".join(f"{name} = s.{name}" for name in LEVELS)
    counts = ", ".join(
        f"count(CASE WHEN status = '已办结' AND coalesce(satisfaction, '未评价') = '{level}' THEN 1 END) AS {name}"
        for name, level in LEVELS.items()
    )
    sums = ", ".join(f"sum(cm.{name}) AS {name}" for name in LEVELS)
    op.execute(COMPOUNDS.format(assign=assign, counts=counts))
    op.execute(TOWNS.format(assign=assign, sums=sums))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in LEVELS:
                batch_op.drop_column(name)
