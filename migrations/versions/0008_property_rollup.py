"""物业与包保's figures in the compound × month rollup

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 18:00:00

物业与包保 counted property-service cases and the activities a liaison unit (包保单位) joined from
the ledger rows of the period, three periods per page view (a province-month is 100,000 cases
and 200,000 activities, the activities searched by text). The rollup now keeps them per compound
and month, by the same rules as ``services.rollups.computed`` (kept in each import's transaction
from here on). The existing rows are filled here in one grouped update per ledger; the rules are
written out in SQL because a migration must not depend on code that later migrations change.
"""

import sqlalchemy as sa
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = (
    "property_demands",
    "property_disputes",
    "property_cases",
    "property_resolved",
    "property_rated",
    "property_satisfied",
    "liaison_activities",
    "liaison_participants",
)

CASES = """
UPDATE compound_months SET
    property_demands = s.demands, property_disputes = s.disputes, property_cases = s.cases,
    property_resolved = s.resolved, property_rated = s.rated, property_satisfied = s.satisfied
FROM (
    SELECT compound_id, received_month AS month,
        count(CASE WHEN kind = '诉求' THEN 1 END) AS demands,
        count(CASE WHEN kind = '纠纷' THEN 1 END) AS disputes,
        count(*) AS cases,
        count(CASE WHEN status = '已办结' THEN 1 END) AS resolved,
        count(CASE WHEN status = '已办结' AND satisfaction IN ('满意', '基本满意', '不满意') THEN 1 END) AS rated,
        count(CASE WHEN status = '已办结' AND satisfaction IN ('满意', '基本满意') THEN 1 END) AS satisfied
    FROM case_records
    WHERE is_current AND category = '物业服务' AND received_month IS NOT NULL
    GROUP BY compound_id, received_month
) AS s
WHERE compound_months.compound_id = s.compound_id AND compound_months.month = s.month
"""

ACTIVITIES = """
UPDATE compound_months SET liaison_activities = s.n, liaison_participants = s.participants
FROM (
    SELECT compound_id, month, count(*) AS n, coalesce(sum(participants), 0) AS participants
    FROM activities
    WHERE is_current AND organisers LIKE '%包保单位%' AND month IS NOT NULL
    GROUP BY compound_id, month
) AS s
WHERE compound_months.compound_id = s.compound_id AND compound_months.month = s.month
"""


def upgrade() -> None:
    with op.batch_alter_table("compound_months") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    # every case and activity already has its compound-month row (cases_received, activities)
    op.execute(CASES)
    op.execute(ACTIVITIES)


def downgrade() -> None:
    with op.batch_alter_table("compound_months") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
